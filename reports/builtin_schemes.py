"""The schemes shipped with the portal, as data: the national on-site sheet, the county's yearly
assessment, the city-level sheet and the ISCCC's six indicators. ``install_builtin_schemes`` is idempotent:
the data migration calls it, and so may tests and the demo seeder. A changed definition must
ship as a new version (never edit a scheme that scorecards already point at)."""

from decimal import Decimal

NATIONAL_CODE = "national-onsite"
COUNTY_CODE = "county-yearly"

PARTS = [
    {"key": "content", "label": "内容", "points": "0.8"},
    {"key": "evidence", "label": "痕迹", "points": "1.0"},
    {"key": "effect", "label": "效果", "points": "1.2"},
]

# 全国安全社区现场评定表（暂行）: the 12 elements of AQ/T 9001-2006 as first-level indicators, 50
# second-level indicators of 3 points each. Version 1 carried invented wording, version 2 labels
# written from memory; version 3 (same arithmetic) takes the labels and, as each leaf's guidance
# (评分说明), the sheet's own text where a published copy was found (``NATIONAL_TEXTS``; sources in
# docs/domain.md). Versions 1 and 2 stay for the scorecards that point at them.
NATIONAL_VERSION = 3
NATIONAL_TREE = [
    (
        "安全社区创建机构与职责",
        ["安全社区建设领导机构", "安全促进项目组", "工作制度与职责", "长期和年度目标计划", "资金投入"],
    ),
    # The sheet's order (indicators 6-9): exchange activities, information channels, volunteers and
    # social organisations, members' participation.
    ("信息交流和全员参与", ["安全社区交流活动", "信息交流渠道", "志愿者和社会组织", "社区成员参与"]),
    (
        "事故与伤害风险辨识及其评价",
        [
            "事故与伤害风险辨识",
            "伤害数据收集与社区诊断",
            "高危人群、高风险环境和弱势群体",
            "风险评价",
            "辨识与评价结果的应用",
        ],
    ),
    (
        "事故与伤害预防目标及计划",
        [
            "事故与伤害预防目标",
            "覆盖不同性别、年龄、职业和环境的计划",
            "针对重点人群、环境和活动的计划",
            "计划的实施与修订",
        ],
    ),
    (
        "安全促进项目",
        [
            "交通安全",
            "消防安全",
            "工作场所安全",
            "家居安全",
            "老年人、儿童和学校安全",
            "公共场所、体育运动和涉水安全等其他项目",
        ],
    ),
    (
        "宣传教育与培训",
        [
            "宣传教育与培训计划",
            "宣传教育与培训形式",
            "宣传教育与培训覆盖面",
            "安全知识知晓率和参与率",
            "宣传教育与培训效果评估",
        ],
    ),
    ("应急预案和响应", ["应急预案", "应急队伍和物资保障", "应急演练", "应急响应与评估"]),
    ("监测与监督", ["监测指标和方法", "政府部门监督", "社区成员监督", "监测结果的应用"]),
    ("事故与伤害记录", ["事故与伤害记录制度", "记录渠道与报告网络", "记录的完整性和准确性", "记录的分析和利用"]),
    ("安全社区创建档案", ["档案管理", "档案内容", "档案的更新与使用"]),
    ("预防与纠正措施", ["问题的识别", "纠正措施", "预防措施及其效果"]),
    ("评审与持续改进", ["自我评审", "评审结果的应用", "持续改进"]),
]

# The sheet's own text of the second-level indicators found in published copies (the sheet numbers
# them 1-50 straight through; here by element.position). 1.1-1.3 are verbatim from two copies;
# 1.4-2.3 are completed from a reworded copy and the provincial sheets that quote them (see
# docs/domain.md); 2.4 and everything after it was not found and has no guidance.
NATIONAL_TEXTS = {
    "1.1": "有安全社区建设领导机构，成员组成符合跨部门合作的要求，涵盖了辖区内主要相关部门、社会组织及其负责人，"
    "负责组织、协调安全社区建设和绩效评审工作。",
    "1.2": "有符合社区实际情况的若干个安全促进项目组，成员包括相关职能部门和社会单位管理人员、专业技术人员、"
    "社会组织代表、志愿者及社区居民等，负责组织实施安全促进项目。",
    "1.3": "建立健全了安全社区建设领导机构和安全促进项目组的工作制度并规定其职责。",
    "1.4": "制定了长期和年度安全社区工作目标和工作计划。",
    "1.5": "有必要的资金投入，保障安全社区建设顺利进行。",
    "2.1": "积极组织和广泛参与安全社区各类交流活动。",
    "2.2": "建立了相关安全信息收集、交流、沟通、传递和反馈渠道，保持社区内纵向各层级和横向各部门以及"
    "全国安全社区网络的沟通积极、顺畅。",
    "2.3": "有持续参与社区安全促进工作的志愿者和社会组织，充分发挥其作用且活动有效果。",
}

# The city-level sheet (市级安全社区评定): the same 12 elements, 45 indicators, 100 points, pass at 90.
# Each indicator is scored in points by the assessor, up to its maximum.
CITY_CODE = "city-onsite"
CITY_TREE = [
    (
        "安全社区创建机构与职责",
        [("安全社区促进委员会", 2), ("安全促进项目组", 2), ("长期和年度目标计划", 2), ("资金投入", 2)],
    ),
    ("信息交流和全员参与", [("信息交流机制", 2), ("社区成员参与", 2), ("志愿者组织与活动", 2), ("交流与合作", 2)]),
    (
        "事故与伤害风险辨识及其评价",
        [
            ("事故与伤害风险辨识", 3),
            ("伤害数据收集与社区诊断", 3),
            ("高危人群、高风险环境和弱势群体", 2),
            ("风险评价与结果应用", 2),
        ],
    ),
    (
        "事故与伤害预防目标及计划",
        [
            ("事故与伤害预防目标", 2),
            ("覆盖不同人群和环境的计划", 2),
            ("针对重点人群、环境和活动的计划", 2),
            ("计划的实施与修订", 2),
        ],
    ),
    (
        "安全促进项目",
        [
            ("交通安全", 3),
            ("消防安全", 3),
            ("工作场所安全", 3),
            ("家居安全", 3),
            ("老年人、儿童和学校安全", 3),
            ("其他安全促进项目", 2),
        ],
    ),
    (
        "宣传教育与培训",
        [
            ("宣传教育与培训计划", 2),
            ("宣传教育与培训形式和覆盖面", 2),
            ("安全知识知晓率和参与率", 2),
            ("宣传教育与培训效果评估", 2),
        ],
    ),
    ("应急预案和响应", [("应急预案", 2), ("应急队伍和物资保障", 2), ("应急演练", 2), ("应急响应与评估", 2)]),
    ("监测与监督", [("监测指标和方法", 2), ("政府部门与社区成员监督", 2), ("监测结果的应用", 2)]),
    (
        "事故与伤害记录",
        [("事故与伤害记录制度", 2), ("记录渠道与报告网络", 2), ("记录的完整性和准确性", 2), ("记录的分析和利用", 3)],
    ),
    ("安全社区创建档案", [("档案管理", 2), ("档案内容", 2), ("档案的更新与使用", 2)]),
    ("预防与纠正措施", [("问题的识别", 2), ("纠正与预防措施", 3)]),
    ("评审与持续改进", [("自我评审", 2), ("评审结果的应用", 2), ("持续改进", 3)]),
]

# ISCCC (International Safe Community Certifying Centre), the six indicators of an International
# Safe Community; each graded on content/evidence/effect, a community passes when none is missing.
ISCCC_CODE = "isccc-indicators"
ISCCC_TREE = [
    ("组织管理：由负责社区安全促进的跨部门小组领导、以合作为基础的组织机构", "Governance: a cross-sector group"),
    (
        "伤害监测：收集、分析和共享伤害数据，记录伤害的频率和原因",
        "Surveillance: injury data collected, analysed, shared",
    ),
    ("综合项目：覆盖不同性别、所有年龄、各类环境和状况的长期、持续的项目", "Comprehensive programmes"),
    ("弱势群体：针对高危人群、高风险环境和弱势群体的安全促进项目", "Vulnerable groups"),
    ("评估：对项目的过程和效果进行评估，持续改进", "Evaluation: process and effect, continual improvement"),
    ("网络交流：持续参与国家和国际安全社区网络", "Networking"),
]

# (first-level name, [(name, points, mode, computed_key, target)])
COUNTY_TREE = [
    (
        "隐患排查治理",
        [
            ("隐患整改率", 15, "computed", "hazard_rectification_rate", None),
            ("重大隐患挂牌督办落实", 5, "points", "", None),
        ],
    ),
    ("网格巡查", [("应巡查对象巡查覆盖率", 15, "computed", "inspection_coverage", None)]),
    (
        "伤害监测",
        [
            ("伤害信息报告完整性（村居按月报告）", 10, "computed", "injury_reporting", None),
            ("伤害数据分析利用", 5, "points", "", None),
        ],
    ),
    (
        "促进委员会运行",
        [("创安联席会议召开次数", 10, "computed", "meetings_held", 12), ("督办事项落实", 5, "points", "", None)],
    ),
    (
        "安全促进项目",
        [("项目效果评估完成率", 10, "computed", "projects_evaluated", None), ("项目专档记录", 5, "points", "", None)],
    ),
    ("宣传教育与演练", [("宣传、培训、演练、竞赛活动", 10, "computed", "activities", 24)]),
    ("创建档案与特色工作", [("创建档案规范", 5, "points", "", None), ("创新与特色工作", 5, "points", "", None)]),
]


def national_definition():
    children = []
    for i, (name, subs) in enumerate(NATIONAL_TREE, start=1):
        leaves = [
            {
                "code": f"{i}.{j}",
                "name": sub,
                "points": "3",
                "mode": "parts",
                "parts": PARTS,
                "guidance": NATIONAL_TEXTS.get(f"{i}.{j}", ""),
            }
            for j, sub in enumerate(subs, start=1)
        ]
        children.append({"code": str(i), "name": name, "points": str(3 * len(subs)), "children": leaves})
    return {
        "code": NATIONAL_CODE,
        "version": NATIONAL_VERSION,
        "name": "全国安全社区现场评定表",
        "description": "AQ/T 9001-2006 十二要素：12个一级评定指标，50个二级评定指标，总分150分。每项二级指标"
        "满分3分：内容有无0.8分、可验证的证据（痕迹）1.0分、效果1.2分；每部分赋分 a 100%、b 70%、c 30%、"
        "d（空白或作假）0。总分100分（含）以上且各项二级指标均不为0分的，评定通过；75分（含）以上100分以下"
        "且各二级指标均不为0分的，可申请限期整改；总分低于75分或某二级指标为0分的，评定不通过。",
        "total_points": "150",
        "pass_score": "100",
        "rectify_score": "75",
        "zero_fails": True,
        "grade_scale": {"a": "1", "b": "0.7", "c": "0.3", "d": "0"},
        "grade_bands": [],
        "criteria": children,
    }


def county_definition():
    children = []
    for i, (name, subs) in enumerate(COUNTY_TREE, start=1):
        leaves = [
            {
                "code": f"{i}.{j}",
                "name": n,
                "points": str(p),
                "mode": mode,
                "computed_key": key,
                "computed_target": None if target is None else str(target),
            }
            for j, (n, p, mode, key, target) in enumerate(subs, start=1)
        ]
        children.append({"code": str(i), "name": name, "points": str(sum(s[1] for s in subs)), "children": leaves})
    return {
        "code": COUNTY_CODE,
        "version": 1,
        "name": "县级安全社区建设年度督查考核",
        "description": "县安委办对各乡镇（街道）的年度考核，百分制；部分指标由系统数据计算，其余由考核人员评分。",
        "total_points": "100",
        "pass_score": "60",
        "rectify_score": None,
        "zero_fails": False,
        "grade_scale": {},
        "grade_bands": [["90", "优秀"], ["80", "良好"], ["60", "合格"], ["0", "不合格"]],
        "criteria": children,
    }


def city_definition():
    children = []
    for i, (name, subs) in enumerate(CITY_TREE, start=1):
        leaves = [
            {"code": f"{i}.{j}", "name": n, "points": str(p), "mode": "points"}
            for j, (n, p) in enumerate(subs, start=1)
        ]
        children.append({"code": str(i), "name": name, "points": str(sum(p for _n, p in subs)), "children": leaves})
    return {
        "code": CITY_CODE,
        "version": 1,
        "name": "市级安全社区评定表",
        "description": "AQ/T 9001-2006 十二要素，45项指标，百分制，90分及以上为通过。",
        "total_points": "100",
        "pass_score": "90",
        "rectify_score": None,
        "zero_fails": False,
        "grade_scale": {},
        "grade_bands": [],
        "criteria": children,
    }


def isccc_definition():
    children = [
        {"code": str(i), "name": name, "points": "3", "mode": "parts", "parts": PARTS}
        for i, (name, _english) in enumerate(ISCCC_TREE, start=1)
    ]
    return {
        "code": ISCCC_CODE,
        "version": 1,
        "name": "国际安全社区六项指标（ISCCC）",
        "description": "国际安全社区认证中心（ISCCC）现行六项指标：组织管理、伤害监测、综合项目、弱势群体、评估、网络交流。"
        "每项按内容、痕迹、效果评级；六项均不为零即达到。",
        "total_points": "18",
        "pass_score": "0",
        "rectify_score": None,
        "zero_fails": True,
        "grade_scale": {"a": "1", "b": "0.7", "c": "0.3", "d": "0"},
        "grade_bands": [],
        "criteria": children,
    }


BUILTIN_DEFINITIONS = (national_definition, county_definition, city_definition, isccc_definition)


def install_scheme(definition, *, scheme_model, criterion_model):
    scheme, created = scheme_model.objects.get_or_create(
        code=definition["code"],
        version=definition["version"],
        defaults={
            k: definition[k]
            for k in (
                "name",
                "description",
                "total_points",
                "pass_score",
                "rectify_score",
                "zero_fails",
                "grade_scale",
                "grade_bands",
            )
        },
    )
    if not created:
        return scheme
    order = 0

    def add(node, parent):
        nonlocal order
        order += 1
        target = node.get("computed_target")
        criterion = criterion_model.objects.create(
            scheme=scheme,
            parent=parent,
            code=node["code"],
            name=node["name"],
            order=order,
            points=Decimal(node["points"]),
            mode=node.get("mode", ""),
            parts=node.get("parts", []),
            computed_key=node.get("computed_key", ""),
            computed_target=Decimal(target) if target else None,
            guidance=node.get("guidance", ""),
        )
        for child in node.get("children", []):
            add(child, criterion)

    for node in definition["criteria"]:
        add(node, None)
    return scheme


def install_builtin_schemes(scheme_model=None, criterion_model=None):
    if scheme_model is None:
        from .models import AssessmentScheme as scheme_model  # noqa: N813
        from .models import Criterion as criterion_model
    return [
        install_scheme(d(), scheme_model=scheme_model, criterion_model=criterion_model) for d in BUILTIN_DEFINITIONS
    ]
