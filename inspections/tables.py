import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from safecommunity.tables import PhoneColumn

from .models import Hazard, Inspection, SupervisedEntity

STATUS_BADGE = {"registered": "secondary", "rectifying": "warning", "pending": "info", "closed": "success"}
COLOUR_BADGE = {"red": "danger", "orange": "warning", "yellow": "warning text-dark bg-opacity-50", "blue": "primary"}


class EntityTable(tables.Table):
    name = tables.Column(linkify=True)
    village = tables.Column(verbose_name=_("所属村(社区)"))
    grid = tables.Column(verbose_name=_("所属网格"))
    phone = PhoneColumn(verbose_name=_("联系电话"))
    next_due_on = tables.DateColumn(format="Y-m-d")
    last_inspected_on = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = SupervisedEntity
        fields = [
            "name",
            "kind",
            "industry",
            "village",
            "grid",
            "phone",
            "risk_colour",
            "supervision_class",
            "last_inspected_on",
            "next_due_on",
        ]
        attrs = {"class": "table table-sm table-hover"}
        orderable = False

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def render_risk_colour(self, record, value):
        return format_html(
            '<span class="badge bg-{}">{}</span>', COLOUR_BADGE.get(record.risk_colour, "secondary"), value
        )


class InspectionTable(tables.Table):
    inspected_at = tables.DateTimeColumn(format="Y-m-d H:i", linkify=True)
    entity = tables.Column(verbose_name=_("监管对象"))
    village = tables.Column(verbose_name=_("所属村(社区)"), accessor="entity__village")
    recorded_by = tables.Column(verbose_name=_("录入人"))

    class Meta:
        model = Inspection
        fields = ["inspected_at", "entity", "village", "mode", "rating", "recorded_by"]
        attrs = {"class": "table table-sm table-hover"}
        orderable = False

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class HazardTable(tables.Table):
    number = tables.Column(linkify=True)
    entity = tables.Column(verbose_name=_("监管对象"))
    grade = tables.Column(verbose_name=_("隐患等级"))
    found_on = tables.DateColumn(format="Y-m-d")
    deadline = tables.DateColumn(format="Y-m-d")
    overdue = tables.Column(verbose_name=_("逾期"), empty_values=(), accessor="pk")

    class Meta:
        model = Hazard
        fields = ["number", "entity", "grade", "description", "found_on", "deadline", "status", "overdue"]
        attrs = {"class": "table table-sm table-hover"}
        orderable = False

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_description(self, value):
        return value if len(value) <= 40 else value[:40] + "…"

    def value_description(self, value):
        return value  # the export writes the whole text

    def render_status(self, record, value):
        return format_html('<span class="badge bg-{}">{}</span>', STATUS_BADGE.get(record.status, "secondary"), value)

    def value_overdue(self, record):
        return "是" if record.is_overdue(self.today) else "否"

    def render_overdue(self, record):
        if record.is_overdue(self.today):
            return format_html('<span class="badge bg-danger">{}</span>', _("逾期"))
        return "—"
