"""List tables: masked personal data, no per-row queries (the views select_related)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from safecommunity.privacy import mask_id_number, mask_name

from .choices import Grade

GRADE_BADGES = {
    Grade.ORDINARY: "secondary",
    Grade.LARGER: "warning",
    Grade.MAJOR: "danger",
    Grade.EXTRAORDINARY: "dark",
}


class IncidentTable(tables.Table):
    occurred_at = tables.DateTimeColumn(verbose_name=_("发生时间"), format="Y-m-d H:i", linkify=True)
    village = tables.Column(verbose_name=_("所属村(社区)"), accessor="village__name", order_by="village__code")
    township = tables.Column(verbose_name=_("乡镇/街道"), accessor="township__name", order_by="township__code")
    domain = tables.Column(verbose_name=_("行业领域"))
    accident_type = tables.Column(verbose_name=_("事故类型"))
    deaths = tables.Column(verbose_name=_("死亡"))
    injured = tables.Column(verbose_name=_("受伤"), orderable=False, empty_values=())
    direct_loss = tables.Column(verbose_name=_("损失(万元)"))
    grade = tables.Column(verbose_name=_("等级"), orderable=False, empty_values=())
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "incident-table"}
        order_by = ("-occurred_at",)
        fields = ()
        sequence = (
            "occurred_at",
            "township",
            "village",
            "domain",
            "accident_type",
            "deaths",
            "injured",
            "direct_loss",
            "grade",
            "status",
        )

    def render_injured(self, record):
        return record.injured

    def render_grade(self, record):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', GRADE_BADGES[record.grade], record.get_grade_display()
        )

    def order_occurred_at(self, queryset, is_descending):
        return queryset.order_by(*(("-occurred_at", "-id") if is_descending else ("occurred_at", "id"))), True


class InjuryRecordTable(tables.Table):
    injured_at = tables.DateTimeColumn(verbose_name=_("伤害发生时间"), format="Y-m-d H:i", linkify=True)
    name = tables.Column(verbose_name=_("姓名"), orderable=False)
    id_number = tables.Column(verbose_name=_("身份证号"), orderable=False)
    sex = tables.Column(verbose_name=_("性别"))
    age = tables.Column(verbose_name=_("年龄"))
    village = tables.Column(verbose_name=_("所属村(社区)"), accessor="village__name", order_by="village__code")
    township = tables.Column(verbose_name=_("乡镇/街道"), accessor="township__name", order_by="township__code")
    cause = tables.Column(verbose_name=_("伤害原因"))
    place = tables.Column(verbose_name=_("伤害地点"))
    severity = tables.Column(verbose_name=_("严重程度"))
    outcome = tables.Column(verbose_name=_("结局"))
    logic_warnings = tables.Column(verbose_name=_("逻辑校验"), orderable=False, empty_values=())

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "injury-table"}
        order_by = ("-injured_at",)
        fields = ()
        sequence = (
            "injured_at",
            "name",
            "id_number",
            "sex",
            "age",
            "township",
            "village",
            "cause",
            "place",
            "severity",
            "outcome",
            "logic_warnings",
        )

    def render_logic_warnings(self, value, record):
        if not value:
            return "—"
        if record.warnings_confirmed_at is None:
            return format_html(
                '<span class="badge text-bg-warning">{}</span>', _("%(n)d条提示待确认") % {"n": len(value)}
            )
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("已确认"))

    def value_logic_warnings(self, record):
        return "；".join(record.warning_messages())

    def render_name(self, value):
        return mask_name(value)

    def render_id_number(self, value):
        return mask_id_number(value)

    def order_injured_at(self, queryset, is_descending):
        return queryset.order_by(*(("-injured_at", "-id") if is_descending else ("injured_at", "id"))), True
