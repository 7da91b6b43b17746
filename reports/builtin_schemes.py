"""The two schemes shipped with the portal, as data. ``install_builtin_schemes`` is idempotent:
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

# AQ/T 9001-2006: 12 first-level elements, 50 second-level indicators of 3 points each.
NATIONAL_TREE = [
    ("安全社区创建机构与职责", ["促进委员会组成及职责", "工作组设置与职责", "办公室及专职人员", "跨部门协作机制", "资源与经费保障"]),
    ("信息交流和全员参与", ["信息交流渠道", "社区成员参与机制", "志愿者队伍建设", "合作与交流"]),
    ("事故与伤害风险辨识及其评价", ["伤害数据收集", "社区诊断", "风险辨识范围", "高危人群与环境识别", "风险评价与优先排序"]),
    ("事故与伤害预防目标及计划", ["预防目标", "工作计划", "计划覆盖重点人群与环境", "计划实施与调整"]),
    ("安全促进项目", ["项目设立依据", "交通安全促进项目", "消防安全促进项目", "居家与老年人安全促进项目",
                "学校与儿童安全促进项目", "生产安全及其他促进项目"]),
    ("宣传教育与培训", ["宣传教育计划", "宣传形式与覆盖", "培训组织与实施", "知晓率与参与率", "宣传教育效果评估"]),
    ("应急预案和响应", ["应急预案体系", "应急队伍与物资", "应急演练", "应急响应与总结"]),
    ("监测与监督", ["监测指标与方法", "日常监督检查", "隐患排查治理", "监测结果应用"]),
    ("事故与伤害记录", ["记录制度", "信息员与报告网络", "记录完整性与准确性", "数据分析与利用"]),
    ("安全社区创建档案", ["档案管理制度", "档案内容完整性", "档案更新与查阅"]),
    ("预防与纠正措施", ["问题识别", "纠正措施落实", "预防措施与效果验证"]),
    ("评审与持续改进", ["自评与评审", "评审结果应用", "持续改进机制"]),
]

# (first-level name, [(name, points, mode, computed_key, target)])
COUNTY_TREE = [
    ("隐患排查治理", [("隐患整改率", 15, "computed", "hazard_rectification_rate", None),
                ("重大隐患挂牌督办落实", 5, "points", "", None)]),
    ("网格巡查", [("应巡查对象巡查覆盖率", 15, "computed", "inspection_coverage", None)]),
    ("伤害监测", [("伤害信息报告完整性（村居按月报告）", 10, "computed", "injury_reporting", None),
              ("伤害数据分析利用", 5, "points", "", None)]),
    ("促进委员会运行", [("创安联席会议召开次数", 10, "computed", "meetings_held", 12),
                 ("督办事项落实", 5, "points", "", None)]),
    ("安全促进项目", [("项目效果评估完成率", 10, "computed", "projects_evaluated", None),
                ("项目专档记录", 5, "points", "", None)]),
    ("宣传教育与演练", [("宣传、培训、演练、竞赛活动", 10, "computed", "activities", 24)]),
    ("创建档案与特色工作", [("创建档案规范", 5, "points", "", None), ("创新与特色工作", 5, "points", "", None)]),
]


def national_definition():
    children = []
    for i, (name, subs) in enumerate(NATIONAL_TREE, start=1):
        leaves = [{"code": f"{i}.{j}", "name": sub, "points": "3", "mode": "parts", "parts": PARTS}
                  for j, sub in enumerate(subs, start=1)]
        children.append({"code": str(i), "name": name, "points": str(3 * len(subs)), "children": leaves})
    return {
        "code": NATIONAL_CODE, "version": 1, "name": "全国安全社区现场评定表",
        "description": "AQ/T 9001-2006 十二要素，50项二级指标，每项3分（内容0.8、痕迹1.0、效果1.2），"
                       "分项评级 a/b/c/d = 100%/70%/30%/0。总分≥100且无零分项为通过；75-100且无零分项为限期整改；"
                       "低于75分或任一指标得零分为不通过。",
        "total_points": "150", "pass_score": "100", "rectify_score": "75", "zero_fails": True,
        "grade_scale": {"a": "1", "b": "0.7", "c": "0.3", "d": "0"}, "grade_bands": [], "criteria": children,
    }


def county_definition():
    children = []
    for i, (name, subs) in enumerate(COUNTY_TREE, start=1):
        leaves = [{"code": f"{i}.{j}", "name": n, "points": str(p), "mode": mode, "computed_key": key,
                   "computed_target": None if target is None else str(target)}
                  for j, (n, p, mode, key, target) in enumerate(subs, start=1)]
        children.append({"code": str(i), "name": name, "points": str(sum(s[1] for s in subs)), "children": leaves})
    return {
        "code": COUNTY_CODE, "version": 1, "name": "县级安全社区建设年度督查考核",
        "description": "县安委办对各乡镇（街道）的年度考核，百分制；部分指标由系统数据计算，其余由考核人员评分。",
        "total_points": "100", "pass_score": "60", "rectify_score": None, "zero_fails": False,
        "grade_scale": {}, "grade_bands": [["90", "优秀"], ["80", "良好"], ["60", "合格"], ["0", "不合格"]],
        "criteria": children,
    }


def install_scheme(definition, *, scheme_model, criterion_model):
    scheme, created = scheme_model.objects.get_or_create(
        code=definition["code"], version=definition["version"],
        defaults={k: definition[k] for k in ("name", "description", "total_points", "pass_score", "rectify_score",
                                              "zero_fails", "grade_scale", "grade_bands")},
    )
    if not created:
        return scheme
    order = 0

    def add(node, parent):
        nonlocal order
        order += 1
        target = node.get("computed_target")
        criterion = criterion_model.objects.create(
            scheme=scheme, parent=parent, code=node["code"], name=node["name"], order=order,
            points=Decimal(node["points"]), mode=node.get("mode", ""), parts=node.get("parts", []),
            computed_key=node.get("computed_key", ""), computed_target=Decimal(target) if target else None,
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
    return [install_scheme(d, scheme_model=scheme_model, criterion_model=criterion_model)
            for d in (national_definition(), county_definition())]
