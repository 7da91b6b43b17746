import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from safecommunity.tables import PhoneColumn, link_for_editors

from .models import ActionItem, Activity, Agreement, CommitteeMember, LocalRole, Meeting, VolunteerTeam, WorkingGroup

YMD = "Y-m-d"


class MemberTable(tables.Table):
    name = tables.Column(linkify=link_for_editors("committees:member_update"))
    phone = PhoneColumn()
    township = tables.Column(verbose_name=_("乡镇/街道"))

    class Meta:
        model = CommitteeMember
        fields = ["name", "position", "unit", "post", "phone", "term_start", "term_end", "township"]
        empty_text = _("暂无成员")


class WorkingGroupTable(tables.Table):
    name = tables.Column(linkify=True)
    n_members = tables.Column(verbose_name=_("成员数"), orderable=False)
    n_projects = tables.Column(verbose_name=_("项目数"), orderable=False)

    class Meta:
        model = WorkingGroup
        fields = ["name", "lead", "n_members", "n_projects", "township"]
        empty_text = _("暂无工作组")


class LocalRoleTable(tables.Table):
    name = tables.Column(linkify=link_for_editors("committees:localrole_update"))
    phone = PhoneColumn()

    class Meta:
        model = LocalRole
        fields = ["kind", "name", "village", "enterprise", "phone", "township"]
        empty_text = _("暂无记录")


class VolunteerTeamTable(tables.Table):
    name = tables.Column(linkify=True)
    n_volunteers = tables.Column(verbose_name=_("人数"), orderable=False)

    class Meta:
        model = VolunteerTeam
        fields = ["name", "village", "leader", "n_volunteers", "township"]
        empty_text = _("暂无队伍")


class MeetingTable(tables.Table):
    held_on = tables.DateColumn(YMD)
    title = tables.Column(linkify=True)
    n_items = tables.Column(verbose_name=_("督办事项"), orderable=False)

    class Meta:
        model = Meeting
        fields = ["held_on", "kind", "title", "place", "n_items", "township"]
        empty_text = _("暂无会议")


class ActionItemTable(tables.Table):
    title = tables.Column(linkify=True)
    owner = tables.Column(verbose_name=_("责任人"), accessor="owner_display", orderable=False)
    due_on = tables.DateColumn(YMD)
    status = tables.Column()
    meeting = tables.Column(linkify=True)

    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_on", "status", "meeting", "township"]
        empty_text = _("暂无事项")

    def render_status(self, value, record):
        if record.is_overdue(timezone.localdate()):
            return format_html('{} <span class="badge text-bg-danger">{}</span>', value, _("逾期"))
        return value

    def value_status(self, value):
        return value  # the export: the status alone


class AgreementTable(tables.Table):
    party = tables.Column(
        verbose_name=_("签订对象"),
        accessor="party_name",
        orderable=False,
        linkify=lambda record: record.get_absolute_url(),
    )
    signed_on = tables.DateColumn(YMD)
    has_scan = tables.BooleanColumn(verbose_name=_("扫描件"), accessor="signed_scan", orderable=False)

    class Meta:
        model = Agreement
        fields = ["year", "party_kind", "party", "signed_on", "has_scan", "township"]
        empty_text = _("暂无责任书")


class ActivityTable(tables.Table):
    held_on = tables.DateColumn(YMD)
    title = tables.Column(linkify=True)

    class Meta:
        model = Activity
        fields = ["held_on", "kind", "title", "place", "organiser", "participants", "materials", "township"]
        empty_text = _("暂无活动")


class RateColumn(tables.Column):
    def render(self, value, record):
        from safecommunity.templatetags.portal import pct

        met = value is not None and value >= record.target
        css = "text-success" if met else "text-danger"
        return format_html('<span class="{}">{}</span>', css, pct(value))


class SurveyTable(tables.Table):
    title = tables.Column(linkify=link_for_editors("committees:survey_update"))
    conducted_on = tables.DateColumn(YMD)
    awareness_rate = RateColumn(verbose_name=_("知晓率"), orderable=False)
    participation_rate = RateColumn(verbose_name=_("参与率"), orderable=False)
    target = tables.Column()

    class Meta:
        from .models import AwarenessSurvey

        model = AwarenessSurvey
        fields = ["conducted_on", "title", "sample_size", "awareness_rate", "participation_rate", "target", "township"]
        empty_text = _("暂无调查")

    def render_target(self, value):
        from safecommunity.templatetags.portal import pct

        return pct(value)
