"""Demo data: for each demo township a full committee, working groups, a year of monthly
meetings with minutes and action items, activities across the year and two awareness surveys.
Idempotent: a township that already has its community is skipped."""

import random
from datetime import date, timedelta

from safecommunity.periods import add_months

from . import services
from .choices import ActionStatus, ActivityKind, CommunityType, DesignationLevel, MeetingKind, Position, Stage
from .models import Activity, Community, Meeting

SEED_ORDER = 30  # after the data their meetings discuss (safecommunity.seeding)

UNITS = [
    "镇党委",
    "镇政府",
    "安监站",
    "司法所",
    "派出所",
    "消防救援站",
    "交警中队",
    "中心小学",
    "卫生院",
    "市场监管所",
    "农业办",
    "综合执法大队",
    "民政办",
    "妇联",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = [
    "建国",
    "志强",
    "海燕",
    "秀英",
    "国华",
    "明",
    "丽娟",
    "卫东",
    "春梅",
    "晓东",
    "立新",
    "桂兰",
    "红霞",
    "永胜",
    "德华",
    "玉兰",
    "文斌",
    "淑珍",
    "俊峰",
    "雪梅",
]
GROUPS = [
    ("生产安全工作组", "负责辖区企业安全生产检查、隐患排查治理和企业安全促进项目"),
    ("消防安全工作组", "负责消防宣传、九小场所消防检查和消防演练"),
    ("交通安全工作组", "负责道路交通安全宣传、重点路段整治和学生交通安全"),
    ("社会治安工作组", "负责治安巡逻、矛盾纠纷排查和义务巡逻队管理"),
    ("居家安全工作组", "负责居民用电用气安全、居家环境改造"),
    ("学校与儿童安全工作组", "负责校园及周边安全、儿童伤害预防"),
    ("老年人安全工作组", "负责老年人防跌倒、独居老人关爱"),
    ("涉水安全工作组", "负责防溺水宣传、危险水域警示和巡查"),
    ("公共场所安全工作组", "负责集贸市场、文化广场等公共场所安全"),
    ("宣传推广工作组", "负责安全社区宣传、知晓率调查和档案管理"),
    ("督查考核工作组", "负责目标责任书签订、工作督查和年度考核"),
]
MEETING_TOPICS = [
    ("通报上月伤害监测和事故情况", "开展防溺水专项巡查，在危险水域增设警示牌"),
    ("部署安全生产大检查", "组织对辖区九小场所开展消防安全检查"),
    ("研究老年人防跌倒项目推进", "完成重点村老年人家庭入户评估"),
    ("部署安全生产月活动", "开展安全生产月集中宣传咨询日活动"),
    ("研究汛期安全工作", "落实汛期值班和隐患点巡查制度"),
    ("推进交通安全项目", "在学校周边路段施划减速带和斑马线"),
    ("部署冬季消防安全", "开展冬季取暖用电用气安全入户宣传"),
    ("研究自评准备工作", "整理安全社区创建档案，对照12个要素查漏补缺"),
]


def _name(rng, used):
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in used:
            used.add(name)
            return name


def seed_demo(world, *, stdout):
    today = date.today()
    for index, township in enumerate(world.townships):
        if Community.objects.filter(township=township).exists():
            continue
        rng = random.Random(9001 + index)
        _seed_township(world, township, rng, today, index)
        stdout.write(f"committees: seeded {township.name}")
    _seed_county(world, today)


def _seed_county(world, today):
    """The county's own work beside its townships': its 联席会议, 联合执法 and 打非治违 of this year."""
    county = world.county
    if Meeting.objects.filter(township=county).exists():
        return
    start = date(today.year, 1, 1)
    for i, (kind, title) in enumerate(
        [(MeetingKind.FIRE, "消防联席会议"), (MeetingKind.TRAFFIC, "道路交通联席会议")] * 2
    ):
        held = min(start + timedelta(days=40 * i + 10), today)
        Meeting.objects.create(township=county, kind=kind, title=f"{county.name}{title}", held_on=held)
    for i in range(5):
        held = min(start + timedelta(days=30 * i + 15), today)
        Activity.objects.create(
            township=county, kind=ActivityKind.JOINT_ENFORCEMENT, title=f"联合执法第{i + 1}次", held_on=held,
            organiser=f"{county.name}安委办", participants=20,
        )  # fmt: skip
        Activity.objects.create(
            township=county, kind=ActivityKind.CRACKDOWN, title=f"取缔非法加工点{i + 1}", held_on=held,
            organiser=f"{county.name}安委办",
        )  # fmt: skip


def _seed_township(world, township, rng, today, index):
    villages = world.villages.get(township.code, [])
    community = services.community_save(
        township=township,
        name=f"{township.name}安全社区",
        community_type=CommunityType.URBAN if township.name.endswith("街道") else CommunityType.RURAL,
        stage=[Stage.IMPROVE, Stage.SELF_ASSESS, Stage.BUILD][index % 3],
        committee_name=f"{township.name}安全社区促进委员会",
        office_location=f"{township.name}安监站二楼",
        office_phone=f"0530-58{index}1234",
        launched_on=date(today.year - 4, 3, 1),
    )
    if index == 0:
        services.designation_add(
            community=community,
            level=DesignationLevel.CITY,
            designated_on=date(today.year - 5, 6, 1),
            expires_on=date(today.year - 2, 6, 1),
            issuer="市安全生产委员会",
        )
        services.designation_add(
            community=community,
            level=DesignationLevel.PROVINCE,
            designated_on=add_months(today, -32),
            expires_on=add_months(today, 4),
            issuer="省安全生产委员会",
            certificate_no=f"SAQ{today.year - 3}-017",
        )
    elif index == 1:
        services.designation_add(
            community=community,
            level=DesignationLevel.CITY,
            designated_on=add_months(today, -14),
            expires_on=add_months(today, 22),
            issuer="市安全生产委员会",
        )

    units = {name: services.member_unit_create(township=township, name=name) for name in UNITS}
    used = set()
    term = dict(term_start=date(today.year - 1, 1, 1), term_end=date(today.year + 2, 12, 31))
    people = [
        services.member_create(
            township=township,
            name=_name(rng, used),
            position=Position.CHAIR,
            unit=units["镇党委"],
            post="党委书记",
            phone=f"1380530{index}001",
            **term,
        ),
        services.member_create(
            township=township,
            name=_name(rng, used),
            position=Position.EXECUTIVE_VICE_CHAIR,
            unit=units["镇政府"],
            post="镇长",
            phone=f"1380530{index}002",
            **term,
        ),
    ]
    for i, (unit, post) in enumerate([("镇政府", "分管副镇长"), ("派出所", "所长")]):
        people.append(
            services.member_create(
                township=township,
                name=_name(rng, used),
                position=Position.VICE_CHAIR,
                unit=units[unit],
                post=post,
                phone=f"1380530{index}01{i}",
                **term,
            )
        )
    people.append(
        services.member_create(
            township=township,
            name=_name(rng, used),
            position=Position.OFFICE_DIRECTOR,
            unit=units["安监站"],
            post="站长",
            in_office=True,
            phone=f"1380530{index}020",
            **term,
        )
    )
    member1 = world.users.get("member1")
    for i, unit in enumerate(UNITS[3:]):
        linked = member1 if (member1 is not None and member1.area_id == township.pk and i == 0) else None
        people.append(
            services.member_create(
                township=township,
                name=linked.full_name if linked else _name(rng, used),
                position=Position.MEMBER,
                unit=units[unit],
                post="负责人",
                phone=f"1390530{index}{i:03d}",
                in_office=unit == "安监站",
                user=linked,
                **term,
            )
        )
    members = [p for p in people if p.position == Position.MEMBER]
    linked_person = next((p for p in people if p.user_id), None)

    n_groups = 8 + index % 4  # 8-11
    for g, (name, duties) in enumerate(GROUPS[:n_groups]):
        lead = people[2 + g % 3] if g < 3 else members[g % len(members)]
        group_members = rng.sample(members, 3)
        services.working_group_save(
            township=township,
            name=name,
            lead=lead,
            duties=duties,
            sort_order=g,
            members=[lead, *group_members] if lead not in group_members else group_members,
        )

    for i, v in enumerate(villages):
        services.local_role_save(
            township=township, kind="informant", name=_name(rng, used), village=v, phone=f"1370530{index}{i:03d}"
        )
        services.local_role_save(
            township=township,
            kind="patroller" if i % 2 else "assistant",
            name=_name(rng, used),
            village=v,
            phone=f"1360530{index}{i:03d}",
        )
    for i, team_name in enumerate(["义务巡逻队", "安全志愿者协会"]):
        team = services.volunteer_team_save(
            township=township,
            name=f"{township.name}{team_name}",
            village=villages[i] if villages else None,
            leader=_name(rng, used),
            duties="协助开展治安巡逻和安全宣传",
        )
        for k in range(6 + i * 4):
            services.volunteer_add(team=team, name=_name(rng, used), phone=f"1350530{index}{i}{k:02d}")

    # A year of monthly joint meetings (plus topic meetings) with minutes and action items.
    chair, office = people[0], people[4]
    for m in range(12, 0, -1):
        first = add_months(date(today.year, today.month, 1), -m + 1)
        held = first + timedelta(days=rng.randint(3, 12))
        if held > today:
            held = first
        topic, decision = MEETING_TOPICS[m % len(MEETING_TOPICS)]
        meeting = services.meeting_save(
            township=township,
            kind=MeetingKind.JOINT,
            title=f"{held.year}年{held.month}月创安联席会议",
            held_on=held,
            place=f"{township.name}三楼会议室",
            chair=chair,
            recorder=office.name,
            agenda=f"一、{topic}\n二、各工作组汇报本月工作\n三、部署下月重点工作",
            minutes=(
                f"{held.month}月{held.day}日，{chair.name}主持召开{held.month}月创安联席会议。会议{topic}，"
                f"听取了各工作组工作汇报。\n会议指出，各成员单位要压实责任，确保各项安全促进措施落到实处。"
            ),
            decisions=f"{decision}\n各工作组于月底前报送工作台账",
            issuer=f"{township.name}安全社区促进委员会办公室",
        )
        for person in people[:8]:
            absent = rng.random() < 0.15
            services.meeting_record_attendance(
                meeting=meeting, member=person, present=not absent, absence_reason="外出学习" if absent else ""
            )
        for k, line in enumerate(meeting.decision_lines()):
            owner = linked_person if (linked_person and k == 0 and m % 2 == 0) else rng.choice(members)
            due = held + timedelta(days=20 + k * 5)
            item = services.action_item_create(
                township=township, meeting=meeting, title=line, due_on=due, owner_member=owner
            )
            if due < today - timedelta(days=20) and rng.random() < 0.85:
                item.status, item.done_on, item.progress_note = ActionStatus.DONE, due - timedelta(days=2), "已按期完成"
                item.save(update_fields=["status", "done_on", "progress_note"])
            elif due < today and rng.random() < 0.5:
                item.status = ActionStatus.IN_PROGRESS
                item.save(update_fields=["status"])
        if m % 4 == 0:
            kind = [MeetingKind.FIRE, MeetingKind.TRAFFIC][m % 8 // 4]
            services.meeting_save(
                township=township,
                kind=kind,
                title=f"{held.year}年{held.month}月{kind.label}",
                held_on=min(held + timedelta(days=7), today),
                place=f"{township.name}会议室",
                chair=people[2],
                minutes=f"会议研究了{kind.label[:2]}安全重点工作。",
                decisions=f"开展{kind.label[:2]}安全专项整治",
            )
    if linked_person is not None:  # member1 has open items, one of them overdue
        services.action_item_create(
            township=township,
            title="核实本单位安全社区档案资料",
            owner_member=linked_person,
            due_on=today + timedelta(days=10),
        )
        services.action_item_create(
            township=township,
            title="报送季度伤害监测分析材料",
            owner_member=linked_person,
            due_on=today - timedelta(days=5),
        )

    # Responsibility agreements with every village and two enterprises.
    for v in villages:
        services.agreement_save(
            township=township,
            party_kind="village",
            village=v,
            year=today.year,
            township_signatory=people[1].name,
            party_signatory=_name(rng, used),
            targets="全年不发生较大以上事故；伤害监测报告及时率100%；开展安全宣传不少于4次",
            signed_on=date(today.year, 2, 20),
        )
    for ent in ["鑫源建材有限公司", "华丰食品有限公司"]:
        services.agreement_save(
            township=township,
            party_kind="enterprise",
            enterprise=ent,
            year=today.year,
            township_signatory=people[1].name,
            targets="落实企业安全生产主体责任，隐患整改率100%",
            signed_on=date(today.year, 3, 1),
        )

    # Activities across the year: ~36 trainings, ~20 drills, 4 competitions and publicity (20,000+ materials).
    plan = [
        (ActivityKind.PUBLICITY, 14),
        (ActivityKind.TRAINING, 12),
        (ActivityKind.DRILL, 7),
        (ActivityKind.COMPETITION, 2),
    ]
    titles = {
        ActivityKind.PUBLICITY: ["安全生产月宣传咨询日", "防溺水进校园宣传", "消防安全进社区", "交通安全文明出行宣传"],
        ActivityKind.TRAINING: ["企业负责人安全培训", "网格员业务培训", "信息员伤害监测培训", "老年人防跌倒健康讲座"],
        ActivityKind.DRILL: ["消防疏散演练", "防汛应急演练", "校园地震疏散演练", "燃气泄漏应急演练"],
        ActivityKind.COMPETITION: ["安全知识竞赛", "消防技能比武"],
    }
    start = date(today.year, 1, 1)
    span = max((today - start).days, 30)
    for kind, n in plan:
        for k in range(n):
            held = start + timedelta(days=rng.randint(0, span - 1))
            services.activity_save(
                township=township,
                kind=kind,
                title=titles[kind][k % len(titles[kind])],
                held_on=held,
                place=rng.choice(["文化广场", "中心小学", "镇政府会议室", "集贸市场"]),
                village=rng.choice(villages) if villages else None,
                organiser=rng.choice(UNITS[2:8]),
                participants=rng.randint(30, 400),
                materials=rng.randint(800, 2500) if kind == ActivityKind.PUBLICITY else 0,
                description="活动组织有序，群众参与积极。",
            )

    for k, (month, aware, part) in enumerate([(3, 0.78, 0.66), (10, 0.86, 0.81)]):
        sample = 400 + 50 * index
        services.survey_save(
            township=township,
            title=f"{today.year}年第{k + 1}次居民安全知晓率调查",
            conducted_on=date(today.year, month, 15)
            if date(today.year, month, 15) <= today
            else date(today.year - 1, month, 15),
            sample_size=sample,
            aware_count=round(sample * aware),
            participating_count=round(sample * part),
        )
