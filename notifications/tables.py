import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Delivery, JobRun, Notification, WebhookChannel


class NotificationTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name=_("时间"), format="Y-m-d H:i")
    kind = tables.Column(verbose_name=_("类型"))
    text = tables.Column(verbose_name=_("内容"), accessor="pk", orderable=False)
    read_at = tables.Column(verbose_name=_("状态"), orderable=False)

    class Meta:
        model = Notification
        fields = ("created_at", "kind", "text", "read_at")
        orderable = False
        attrs = {"id": "notification-table"}
        row_attrs = {"class": lambda record: "" if record.read_at else "fw-semibold sc-unread"}

    def render_text(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.text)

    def render_read_at(self, record):
        return _("已读") if record.read_at else _("未读")

    def value_read_at(self, record):
        return bool(record.read_at)


class JobRunTable(tables.Table):
    started_at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    finished_at = tables.DateTimeColumn(format="H:i:s")

    class Meta:
        model = JobRun
        fields = ("task", "started_at", "finished_at", "status", "result", "error")
        orderable = False
        attrs = {"id": "jobrun-table"}

    def render_error(self, value):
        return value.splitlines()[0][:200] if value else ""


class DeliveryTable(tables.Table):
    created_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = Delivery
        fields = ("created_at", "user", "channel", "recipient", "status", "attempts", "error")
        orderable = False
        attrs = {"id": "delivery-table"}


class WebhookChannelTable(tables.Table):
    name = tables.Column(linkify=("notifications:channel_update", {"pk": tables.A("pk")}))

    class Meta:
        model = WebhookChannel
        fields = ("name", "adapter", "enabled", "created_at")
        orderable = False
        attrs = {"id": "channel-table"}
