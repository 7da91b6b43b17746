from django.contrib import admin

from .models import Delivery, JobRun, Notification, WebhookChannel


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient", "digest", "township")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "channel", "recipient", "status", "attempts")
    list_filter = ("status", "channel")
    raw_id_fields = ("notification", "digest", "user", "webhook")


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "task", "status", "result")
    list_filter = ("status", "task")


@admin.register(WebhookChannel)
class WebhookChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "county", "adapter", "enabled")
