"""Demo data: 12-24 promotion projects per demo township with 60+ interventions, and the evidence
archive tagged with the AQ/T 9001 elements. Idempotent: a township with projects is skipped."""

import importlib
import random
from datetime import date, timedelta

from committees.models import Activity, Meeting, WorkingGroup

from . import services
from .choices import EvidenceKind, InterventionStatus, ProjectStatus
from .models import AqElement, Project

SEED_ORDER = 40  # after committees (working groups own projects) (safecommunity.seeding)

# name, domain, group, target group, place, cause code, age bounds, interventions
PROJECTS = [
    (
        "老年人防跌倒项目",
        "elderly_falls",
        "老年人安全工作组",
        "60岁以上老年人",
        "家中",
        "03",
        (60, None),
        ["老年人家庭入户跌倒风险评估", "卫生间加装扶手和防滑垫", "防跌倒健康讲座", "发放防跌倒宣传册", "楼道照明改造"],
    ),
    (
        "学生交通安全项目",
        "traffic",
        "交通安全工作组",
        "中小学生",
        "学校周边道路",
        "01",
        (6, 17),
        ["校门口施划斑马线和减速带", "交通安全课进课堂", "上下学时段护学岗", "家长签订接送安全承诺书"],
    ),
    (
        "防溺水安全项目",
        "water",
        "涉水安全工作组",
        "儿童青少年",
        "河道坑塘",
        "09",
        (0, 17),
        ["危险水域设置警示牌", "暑期防溺水巡查", "防溺水致家长一封信", "配备救生圈和救生杆"],
    ),
    (
        "居家用电安全项目",
        "electricity",
        "居家安全工作组",
        "居民家庭",
        "家中",
        "07",
        (None, None),
        ["老旧线路入户排查", "电动车集中充电桩建设", "安全用电宣传进村入户", "漏电保护器免费安装"],
    ),
    (
        "九小场所消防安全项目",
        "fire",
        "消防安全工作组",
        "九小场所从业人员",
        "九小场所",
        "07",
        (None, None),
        ["九小场所消防安全检查", "配备灭火器和应急照明", "消防安全培训", "消防疏散演练"],
    ),
    (
        "企业安全生产促进项目",
        "enterprise",
        "生产安全工作组",
        "企业职工",
        "工业企业",
        "04",
        (18, 60),
        ["企业安全标准化建设指导", "企业负责人安全培训", "隐患排查治理专项行动", "一企一档建档"],
    ),
    (
        "农用机械安全项目",
        "farm_machinery",
        "生产安全工作组",
        "农机手",
        "农田道路",
        "06",
        (18, None),
        ["农机年检和牌证办理", "农机手安全操作培训", "农忙季节农机安全巡查"],
    ),
    (
        "防狗伤害项目",
        "dog_bite",
        "社会治安工作组",
        "居民",
        "村庄",
        "11",
        (None, None),
        ["犬只登记和免疫", "文明养犬宣传", "流浪犬收容"],
    ),
    (
        "校园安全项目",
        "school",
        "学校与儿童安全工作组",
        "在校学生",
        "学校",
        "04",
        (6, 17),
        ["校园安全隐患排查", "校园应急疏散演练", "校园欺凌防范教育", "食堂食品安全检查"],
    ),
    (
        "公共场所安全项目",
        "public_places",
        "公共场所安全工作组",
        "群众",
        "集贸市场",
        "03",
        (None, None),
        ["集贸市场消防通道整治", "大型活动安全保卫", "公共场所安全标识设置"],
    ),
    (
        "农药中毒预防项目",
        "pesticide",
        "居家安全工作组",
        "农民",
        "家中",
        "10",
        (None, None),
        ["农药集中存放柜发放", "农药安全使用培训", "农药包装废弃物回收"],
    ),
    (
        "社会治安防控项目",
        "public_order",
        "社会治安工作组",
        "居民",
        "村庄街道",
        "04",
        (None, None),
        ["视频监控全覆盖", "义务巡逻队夜间巡逻", "矛盾纠纷排查调解"],
    ),
    (
        "建筑工地安全项目",
        "construction",
        "生产安全工作组",
        "建筑工人",
        "建筑工地",
        "03",
        (18, 60),
        ["工地高处作业防护检查", "农民工安全技能培训", "工地安全文明施工评比"],
    ),
    (
        "农民工安全项目",
        "migrant_workers",
        "生产安全工作组",
        "外来务工人员",
        "工业企业",
        "06",
        (18, 60),
        ["农民工入职安全教育", "劳动防护用品配发", "农民工安全维权宣传"],
    ),
    (
        "安全文化宣传项目",
        "public_places",
        "宣传推广工作组",
        "全体居民",
        "社区",
        "",
        (None, None),
        ["安全文化墙建设", "安全社区宣传栏更新", "安全知识进万家", "微信公众号安全宣传"],
    ),
]


def seed_demo(world, *, stdout):
    today = date.today()
    # The 12 elements are reference data from a migration; a database emptied by a transactional
    # test (or restored without them) gets them back here.
    for number, name in importlib.import_module("projects.migrations.0002_seed_aq_elements").ELEMENTS:
        AqElement.objects.get_or_create(number=number, defaults={"name": name})
    elements = {e.number: e for e in AqElement.objects.all()}
    for index, township in enumerate(world.townships):
        if Project.objects.filter(township=township).exists():
            continue
        rng = random.Random(5150 + index)
        groups = {g.name: g for g in WorkingGroup.objects.filter(township=township)}
        villages = world.villages.get(township.code, [])
        n_projects = min(len(PROJECTS), 12 + index * 2)  # 12-16 projects; interventions 60+
        n_interventions = 0
        for k, (name, domain, group_name, target, place, cause, ages, measures) in enumerate(PROJECTS[:n_projects]):
            start = date(today.year - 1 - k % 2, 1 + k % 6, 1)
            village = villages[k % len(villages)] if villages and k % 3 == 0 else None
            status = [ProjectStatus.ACTIVE, ProjectStatus.ACTIVE, ProjectStatus.COMPLETED, ProjectStatus.PLANNED][k % 4]
            project = services.project_save(
                township=township,
                name=f"{village.name if village else township.name}{name}",
                domain=domain,
                working_group=groups.get(group_name),
                responsible_units="安监站、卫生院、各村(社区)",
                target_group=target,
                target_place=place,
                problem=f"伤害监测数据显示，{target}在{place}发生的伤害居辖区前列。",
                injury_evidence=f"{today.year - 2}年辖区伤害监测报告卡统计，相关伤害占全部伤害的{rng.randint(12, 35)}%。",
                goal=f"项目实施两年内{target}相关伤害下降20%",
                indicator_village=village,
                indicator_age_min=ages[0],
                indicator_age_max=ages[1],
                indicator_cause=cause,
                target_change="-0.200",
                baseline_start=date(today.year - 2, 1, 1),
                baseline_end=date(today.year - 2, 12, 31),
                followup_start=date(today.year - 1, 1, 1),
                followup_end=date(today.year - 1, 12, 31),
                budget=rng.randint(2, 30) * 10000,
                spent=0,
                start_on=start,
                end_on=date(today.year + 1, 12, 31),
                status=status,
                progress={
                    ProjectStatus.ACTIVE: rng.randint(30, 80),
                    ProjectStatus.COMPLETED: 100,
                    ProjectStatus.PLANNED: 0,
                }[status],
            )
            spent = 0
            for m, text in enumerate([*measures, "项目中期进展评估", "项目工作总结与宣传报道"]):
                planned_start = start + timedelta(days=60 * m)
                planned_end = planned_start + timedelta(days=rng.randint(30, 120))
                if planned_end < today - timedelta(days=30):
                    st = InterventionStatus.DONE if rng.random() < 0.85 else InterventionStatus.IN_PROGRESS
                elif planned_start <= today:
                    st = InterventionStatus.IN_PROGRESS
                else:
                    st = InterventionStatus.PLANNED
                cost = rng.randint(2, 40) * 500
                intervention = services.intervention_save(
                    project=project,
                    description=text,
                    owner=rng.choice(["安监站", "卫生院", "派出所", "中心小学", "各村(社区)"]),
                    planned_start=planned_start,
                    planned_end=planned_end,
                    status=st,
                    cost=cost,
                    done_on=min(planned_end, today) if st == InterventionStatus.DONE else None,
                    notes="已按计划实施" if st == InterventionStatus.DONE else "",
                )
                n_interventions += 1
                spent += cost if st == InterventionStatus.DONE else 0
                if st == InterventionStatus.DONE and m % 2 == 0:
                    services.evidence_add(
                        township=township,
                        title=f"{text}现场照片",
                        kind=EvidenceKind.PHOTO,
                        dated=intervention.done_on,
                        project=project,
                        intervention=intervention,
                        elements=[elements[5], elements[11]],
                    )
            project.spent = min(spent, project.budget)
            project.save(update_fields=["spent"])
            if status == ProjectStatus.COMPLETED:
                services.project_record_evaluation(
                    project=project,
                    evaluated_on=date(today.year, 2, 28),
                    evaluation="项目目标基本实现，相关伤害明显下降，措施纳入常态化管理。",
                )
            services.evidence_add(
                township=township,
                title=f"{project.name}实施方案",
                kind=EvidenceKind.DOCUMENT,
                dated=start,
                project=project,
                elements=[elements[4], elements[5]],
            )
        for meeting in Meeting.objects.filter(township=township, kind="joint"):
            services.evidence_add(
                township=township,
                title=f"{meeting.title}纪要",
                kind=EvidenceKind.MINUTES,
                dated=meeting.held_on,
                meeting=meeting,
                elements=[elements[1], elements[2]],
            )
        for activity in Activity.objects.filter(township=township).order_by("held_on")[:12]:
            services.evidence_add(
                township=township,
                title=f"{activity.title}活动照片",
                kind=EvidenceKind.PHOTO,
                dated=activity.held_on,
                activity=activity,
                elements=[elements[6]] + ([elements[7]] if activity.kind == "drill" else []),
            )
        for number, title in [
            (3, "伤害风险辨识与评价报告"),
            (8, "安全监测与监督工作台账"),
            (9, "伤害监测报告卡汇总"),
            (10, "安全社区创建档案目录"),
        ][: 4 - index]:
            services.evidence_add(
                township=township,
                title=title,
                kind=EvidenceKind.RECORD,
                dated=date(today.year, 1, 15),
                elements=[elements[number]],
            )
        stdout.write(f"projects: seeded {township.name} ({n_projects} projects, {n_interventions} interventions)")
