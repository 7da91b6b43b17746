from django.contrib import admin

from .models import Correction, MonthClose, MonthPackage


@admin.register(MonthClose)
class MonthCloseAdmin(admin.ModelAdmin):
    list_display = ("township", "year", "month", "status", "submitted_at", "decided_at")
    list_filter = ("status",)
    readonly_fields = ("snapshot", "data_versions", "figures_sha256", "checklist")


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("record_label", "township", "record_date", "status", "created_at")
    list_filter = ("status",)


@admin.register(MonthPackage)
class MonthPackageAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "status", "progress", "created_at")
