"""Record kinds of the committees app (safecommunity.records): exports of working groups, members,
meetings, action items and activities; imports of members and activities."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecommunity.records import (
    Column,
    ExportColumn,
    RecordKind,
    RowError,
    choice,
    clean_text,
    limited_text,
    parse_date,
    parse_int,
    register,
)
from safecommunity.records.cells import PHONE_AS_NUMBER, keep_text, phone_text, refuse_numeric

from .choices import ActivityKind, Position
from .models import ActionItem, Activity, CommitteeMember, Meeting, MemberUnit, WorkingGroup
from .tables import ActionItemTable, ActivityTable, MemberTable

TOWNSHIP = ExportColumn("乡镇/街道", "township.name")


def count(value):
    return parse_int(value, min_value=0, max_value=10_000_000)


@register
class WorkingGroupRecordKind(RecordKind):
    name = "working_groups"
    label = gettext_lazy("工作组")
    model = WorkingGroup
    import_roles = frozenset()
    export_columns = [
        ExportColumn("工作组", "name"),
        ExportColumn("组长", "lead.name"),
        ExportColumn("成员", lambda g, user: "、".join(m.name for m in g.members.all())),
        ExportColumn("职责", "duties"),
        ExportColumn("项目数", lambda g, user: len(g.projects.all())),
        TOWNSHIP,
    ]

    def export_queryset(self, queryset):
        return queryset.select_related("township", "lead").prefetch_related("members", "projects")


@register
class MemberRecordKind(RecordKind):
    name = "members"
    label = gettext_lazy("委员会成员")
    model = CommitteeMember
    columns = [
        Column("姓名", "name", limited_text(50), required=True),
        Column(
            "委员会职务", "position", choice(Position), help_text=gettext_lazy("主任/常务副主任/副主任/办公室主任/成员")
        ),
        Column("所在单位", "unit_name", limited_text(100), export="unit.name"),
        Column("单位职务", "post", limited_text(100)),
        Column("电话", "phone", refuse_numeric(PHONE_AS_NUMBER)(phone_text)),
        Column("任期开始", "term_start", parse_date),
        Column("任期结束", "term_end", parse_date),
    ]
    table = MemberTable

    def export_queryset(self, queryset):
        return queryset.select_related("township", "unit").order_by("township__code", "position", "name")

    def natural_key(self, data):
        return (data["name"], data.get("unit_name") or "")

    def existing_keys(self, keys, *, township):
        rows = CommitteeMember.objects.filter(township=township, name__in=[k[0] for k in keys]).values_list(
            "name", "unit__name"
        )
        return {(name, unit or "") for name, unit in rows}

    def save_row(self, data, *, township, user):
        from .services import member_create

        data = dict(data)
        unit_name = data.pop("unit_name", "")
        unit = None
        if unit_name:
            unit = MemberUnit.objects.filter(township=township, name=unit_name).first()
            if unit is None:
                from .services import member_unit_create

                unit = member_unit_create(township=township, name=unit_name)
        data["position"] = data.get("position") or Position.MEMBER
        member_create(township=township, unit=unit, **data)

    def sample_rows(self, n, township):
        return [
            [f"委员{i}", "成员", f"成员单位{i % 20}", "站长", f"138{i:08d}", "2026-01-01", "2028-12-31"]
            for i in range(1, n + 1)
        ]


@register
class MeetingRecordKind(RecordKind):
    name = "meetings"
    label = gettext_lazy("会议")
    model = Meeting
    import_roles = frozenset()
    export_columns = [
        ExportColumn("会议日期", "held_on"),
        ExportColumn("会议类型", "get_kind_display"),
        ExportColumn("会议名称", "title"),
        ExportColumn("地点", "place"),
        ExportColumn("主持人", "chair.name"),
        ExportColumn("议定事项", "decisions"),
        ExportColumn("督办事项数", lambda m, user: len(m.action_items.all())),
        TOWNSHIP,
    ]

    def export_queryset(self, queryset):
        return (
            queryset.select_related("township", "chair")
            .prefetch_related("action_items")
            .order_by("township__code", "-held_on", "-id")
        )


@register
class ActionItemRecordKind(RecordKind):
    name = "action_items"
    label = gettext_lazy("督办事项")
    model = ActionItem
    import_roles = frozenset()
    table = ActionItemTable
    export_extra = [ExportColumn("完成日期", "done_on"), ExportColumn("办理情况", "progress_note")]

    def export_queryset(self, queryset):
        return queryset.select_related("township", "owner_member", "owner_user", "meeting").order_by(
            "township__code", "due_on", "id"
        )


def _village_name(value):
    return clean_text(value, max_length=100)


@register
class ActivityRecordKind(RecordKind):
    name = "activities"
    label = gettext_lazy("活动")
    model = Activity
    columns = [
        Column("活动日期", "held_on", parse_date, required=True),
        Column(
            "活动类型",
            "kind",
            choice(ActivityKind),
            required=True,
            help_text=gettext_lazy("宣传/培训/应急演练/知识竞赛"),
        ),
        Column("活动名称", "title", limited_text(200), required=True),
        Column("地点", "place", limited_text(200)),
        Column("所属村(社区)", "village_name", _village_name, export="village.name"),
        Column("组织单位", "organiser", limited_text(100)),
        Column("参加人数", "participants", count),
        Column("发放资料(份)", "materials", count),
        Column("活动情况", "description", keep_text),
    ]
    table = ActivityTable
    export_headers = {"township": "乡镇/街道"}  # the page says 所属单位: the county's own rows too

    def export_queryset(self, queryset):
        return queryset.select_related("township", "village").order_by("township__code", "-held_on", "-id")

    def import_context(self, township):
        from safecommunity.models import Area

        return {"villages": dict(Area.objects.filter(parent=township).values_list("name", "id"))}

    def parse_row(self, values, *, context):
        data = super().parse_row(values, context=context)
        name = data.pop("village_name", "")
        if name:
            village_id = context["villages"].get(name)
            if village_id is None:
                raise RowError([_("所属村(社区)：本乡镇没有“%(v)s”") % {"v": name}])
            data["village_id"] = village_id
        data["participants"] = data.get("participants") or 0
        data["materials"] = data.get("materials") or 0
        return data

    def save_row(self, data, *, township, user):
        from safecommunity.models import Area

        from .services import activity_save

        data = dict(data)
        village_id = data.pop("village_id", None)
        activity_save(township=township, village=Area.objects.get(pk=village_id) if village_id else None, **data)

    def sample_rows(self, n, township):
        kinds = ["宣传", "培训", "应急演练", "知识竞赛"]
        return [
            [
                f"2026-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}",
                kinds[i % 4],
                f"样例活动{i}",
                "文化广场",
                "",
                "安监站",
                50 + i % 100,
                200 * (i % 5),
                "",
            ]
            for i in range(1, n + 1)
        ]
