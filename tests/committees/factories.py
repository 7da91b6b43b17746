from datetime import date

import factory

from committees.choices import ActivityKind, MeetingKind, Position
from committees.models import (
    ActionItem,
    Activity,
    Agreement,
    AwarenessSurvey,
    CommitteeMember,
    Community,
    Meeting,
    MemberUnit,
    WorkingGroup,
)


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.LazyAttribute(lambda o: f"{o.township.name}安全社区")


class MemberUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberUnit

    name = factory.Sequence(lambda n: f"成员单位{n}")


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    name = factory.Sequence(lambda n: f"委员{n}")
    position = Position.MEMBER
    post = "站长"
    phone = "13812345678"


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    name = factory.Sequence(lambda n: f"工作组{n}")
    duties = "负责本领域安全促进工作"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = MeetingKind.JOINT
    title = factory.Sequence(lambda n: f"创安联席会议第{n}次")
    held_on = date(2026, 3, 10)
    place = "镇政府三楼会议室"
    agenda = "一、通报上月伤害监测情况\n二、部署本月重点工作"
    minutes = "会议听取了安监站关于上月伤害监测情况的汇报，研究部署了防溺水工作。"
    decisions = "开展防溺水专项巡查\n更新学校周边警示标志"


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    title = factory.Sequence(lambda n: f"督办事项{n}")
    due_on = date(2026, 4, 30)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    kind = ActivityKind.PUBLICITY
    title = factory.Sequence(lambda n: f"安全宣传活动{n}")
    held_on = date(2026, 3, 15)
    participants = 100
    materials = 500


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    year = 2026
    targets = "全年无较大以上事故"


class AwarenessSurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwarenessSurvey

    title = "居民安全知晓率调查"
    conducted_on = date(2026, 6, 1)
    sample_size = 400
    aware_count = 340
    participating_count = 300
