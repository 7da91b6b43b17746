import csv
import io
from datetime import date

import pytest
from django.core.management import call_command

from committees.models import Activity, CommitteeMember
from safecommunity.records import run_import
from tests.projects.factories import InterventionFactory, ProjectFactory

from .factories import ActionItemFactory, ActivityFactory, CommitteeMemberFactory, MeetingFactory, WorkingGroupFactory


def _csv(rows):
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return io.BytesIO(buf.getvalue().encode("utf-8-sig"))


@pytest.mark.parametrize(
    "kind", ["working_groups", "members", "meetings", "action_items", "activities", "projects", "interventions"]
)
def test_export_records_command_writes_only_the_townships_rows(world, tmp_path, kind):
    for township, tag in ((world.township1, "城关"), (world.township2, "青山")):
        m = CommitteeMemberFactory(township=township, name=f"{tag}委员", phone="13912345678")
        g = WorkingGroupFactory(township=township, name=f"{tag}工作组", lead=m)
        g.members.add(m)
        meeting = MeetingFactory(township=township, title=f"{tag}联席会议")
        ActionItemFactory(township=township, owner_member=m, meeting=meeting, title=f"{tag}事项")
        ActivityFactory(township=township, title=f"{tag}宣传活动")
        p = ProjectFactory(township=township, name=f"{tag}防跌倒项目", working_group=g)
        InterventionFactory(project=p, description=f"{tag}入户评估")
    out = tmp_path / f"{kind}.csv"
    call_command("export_records", kind, "--township", "371799001", "--out", str(out))
    text = out.read_text(encoding="utf-8-sig")
    assert "城关" in text and "青山" not in text
    if kind == "members":
        assert "13912345678" not in text and "139****5678" in text  # phones masked for the system


def test_import_members_creates_units_and_skips_duplicates(world):
    rows = [
        ["姓名", "委员会职务", "所在单位", "单位职务", "电话", "任期开始", "任期结束"],
        ["王书记", "主任", "镇党委", "书记", "13800000001", "2026-01-01", "2028-12-31"],
        ["李镇长", "2", "镇政府", "镇长", "", "2026/1/1", ""],
        ["张站长", "不存在的职务", "安监站", "站长", "", "", ""],
        ["赵所长", "成员", "派出所", "所长", "", "2026-05-01", "2026-01-01"],
    ]
    result = run_import("members", _csv(rows), township=world.township1, filename="m.csv")
    assert result.imported == 2 and len(result.rejected) == 2
    assert CommitteeMember.objects.get(name="李镇长").position == "executive_vice_chair"
    assert CommitteeMember.objects.get(name="王书记").unit.name == "镇党委"
    again = run_import("members", _csv(rows[:2]), township=world.township1, filename="m.csv")
    assert again.duplicates == 1 and again.imported == 0


def test_import_activities_matches_villages_and_feeds_the_sums(world):
    from committees.selectors import activity_sums
    from safecommunity.periods import Period

    rows = [
        [
            "活动日期",
            "活动类型",
            "活动名称",
            "地点",
            "所属村(社区)",
            "组织单位",
            "参加人数",
            "发放资料(份)",
            "活动情况",
        ],
        ["2026-03-01", "宣传", "安全生产月宣传", "广场", "东关社区", "安监站", "300", "12,000", ""],
        ["2026年4月2日", "应急演练", "消防演练", "学校", "", "消防队", "150", "0", ""],
        ["2026-05-01", "知识竞赛", "安全知识竞赛", "", "青山村", "", "50", "", ""],
    ]
    result = run_import("activities", _csv(rows), township=world.township1, filename="a.csv")
    assert result.imported == 2 and len(result.rejected) == 1  # 青山村 is not in this township
    assert Activity.objects.get(title="安全生产月宣传").village == world.village1
    sums = activity_sums(townships=[world.township1], period=Period.year(2026))
    assert sums["materials"] == 12000 and sums["drill"] == 1 and sums["participants"] == 450
    assert Activity.objects.get(title="消防演练").held_on == date(2026, 4, 2)
