import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from safecommunity.permissions import RUN_COUNTY_OFFICE
from safecommunity.tables import link_for_editors

from .models import Issuance, Leader, OfficialInspection, Visit

YMD = "Y-m-d"


class LeaderTable(tables.Table):
    name = tables.Column(linkify=link_for_editors("accountability:leader_update", RUN_COUNTY_OFFICE))
    duty_areas = tables.ManyToManyColumn(verbose_name=_("联系点(乡镇/村)"), orderable=False)

    class Meta:
        model = Leader
        fields = ["name", "position", "unit", "rank", "side", "duty_areas", "is_active"]
        empty_text = _("暂无领导干部")


class VisitTable(tables.Table):
    visited_on = tables.DateColumn(YMD)
    leader = tables.Column(verbose_name=_("领导干部"), accessor="leader__name")
    rank = tables.Column(verbose_name=_("级别"), accessor="leader__get_rank_display", orderable=False)
    area = tables.Column(verbose_name=_("地点(乡镇/村)"), accessor="area__name")

    class Meta:
        model = Visit
        fields = ["visited_on", "leader", "rank", "area", "place", "findings"]
        empty_text = _("暂无基层检查记录")


class OfficialInspectionTable(tables.Table):
    inspected_on = tables.DateColumn(YMD)
    inspector = tables.Column(verbose_name=_("带队领导"), accessor="inspector__name")
    area = tables.Column(verbose_name=_("被检查乡镇/村"), accessor="area__name", default="—")

    class Meta:
        model = OfficialInspection
        fields = ["inspected_on", "inspector", "area", "inspected_unit", "inspected_official", "findings", "follow_up"]
        empty_text = _("暂无四不两直检查记录")


class IssuanceTable(tables.Table):
    issued_on = tables.DateColumn(YMD)
    area = tables.Column(verbose_name=_("发放乡镇/村"), accessor="area__name", default="—")

    class Meta:
        model = Issuance
        fields = ["issued_on", "kind", "area", "recipients", "issued_count", "signed_count", "note"]
        empty_text = _("暂无发放记录")
