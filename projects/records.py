"""Record kinds of the projects app: exports of projects and interventions."""

from django.utils.translation import gettext_lazy

from safecommunity.records import ExportColumn, RecordKind, register

from .models import Intervention, Project
from .tables import InterventionTable

TOWNSHIP = ExportColumn("乡镇/街道", "township.name")


@register
class ProjectRecordKind(RecordKind):
    name = "projects"
    label = gettext_lazy("安全促进项目")
    model = Project
    import_roles = frozenset()
    export_columns = [
        ExportColumn("项目名称", "name"),
        ExportColumn("项目领域", "get_domain_display"),
        ExportColumn("责任工作组", "working_group.name"),
        ExportColumn("责任单位", "responsible_units"),
        ExportColumn("目标人群", "target_group"),
        ExportColumn("项目目标", "goal"),
        ExportColumn("开始日期", "start_on"),
        ExportColumn("结束日期", "end_on"),
        ExportColumn("状态", "get_status_display"),
        ExportColumn("进度(%)", "progress"),
        ExportColumn("预算(元)", "budget"),
        ExportColumn("已支出(元)", "spent"),
        ExportColumn("干预措施数", lambda p, user: len(p.interventions.all())),
        ExportColumn("评估日期", "evaluated_on"),
        TOWNSHIP,
    ]

    def export_queryset(self, queryset):
        return (
            queryset.select_related("township", "working_group")
            .prefetch_related("interventions")
            .order_by("township__code", "-start_on", "id")
        )


@register
class InterventionRecordKind(RecordKind):
    name = "interventions"
    label = gettext_lazy("干预措施")
    model = Intervention
    import_roles = frozenset()
    scope = {"township": "project__township", "county": "project__township__parent"}
    table = InterventionTable
    export_extra = [ExportColumn("完成日期", "done_on"), ExportColumn("乡镇/街道", "project.township.name")]

    def export_queryset(self, queryset):
        return queryset.select_related("project", "project__township").order_by(
            "project__township__code", "project", "planned_start", "id"
        )
