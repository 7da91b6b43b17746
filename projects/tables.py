import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Evidence, Intervention, Project

YMD = "Y-m-d"


class ProjectTable(tables.Table):
    name = tables.Column(linkify=True)
    progress = tables.Column()
    n_interventions = tables.Column(verbose_name=_("干预措施(完成/全部)"), orderable=False)
    evaluated_on = tables.Column(verbose_name=_("评估"), empty_values=())

    class Meta:
        model = Project
        fields = [
            "name",
            "domain",
            "working_group",
            "status",
            "progress",
            "n_interventions",
            "evaluated_on",
            "township",
        ]
        empty_text = _("暂无项目")

    def render_progress(self, value):
        return f"{value}%"

    def render_n_interventions(self, value, record):
        return f"{record.n_done}/{value}"

    def render_evaluated_on(self, record):
        """Projects not yet evaluated are flagged; red when the follow-up period is over."""
        if record.evaluated_on:
            return record.evaluated_on.strftime("%Y-%m-%d")
        if record.evaluation_due(timezone.localdate()):
            return format_html('<span class="badge text-bg-danger">{}</span>', _("待评估"))
        return format_html('<span class="badge text-bg-warning">{}</span>', _("未评估"))


class InterventionTable(tables.Table):
    description = tables.Column(linkify=True)
    project = tables.Column(linkify=True)
    planned_end = tables.DateColumn(YMD)
    status = tables.Column()

    class Meta:
        model = Intervention
        fields = ["description", "project", "owner", "planned_start", "planned_end", "status", "cost"]
        empty_text = _("暂无干预措施")

    def render_status(self, value, record):
        if record.is_overdue(timezone.localdate()):
            return format_html('{} <span class="badge text-bg-danger">{}</span>', value, _("逾期"))
        return value

    def value_status(self, value):
        return value  # the export: the status alone


class EvidenceTable(tables.Table):
    title = tables.Column(linkify=True)
    dated = tables.DateColumn(YMD)
    elements = tables.Column(verbose_name=_("支撑要素"), orderable=False, empty_values=())

    class Meta:
        model = Evidence
        fields = ["dated", "title", "kind", "elements", "township"]
        empty_text = _("暂无档案资料")

    def render_elements(self, record):
        return "、".join(str(e.number) for e in record.elements.all()) or "—"
