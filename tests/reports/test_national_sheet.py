"""The national on-site sheet (全国安全社区现场评定表（暂行）), version 3: the published texts of its
indicators, and its verdicts computed from the published values: each second-level indicator 3
points (内容有无 0.8, 痕迹 1.0, 效果 1.2), each part graded a/b/c/d = 100%/70%/30%/0; 总分 ≥ 100 with no
二级指标 at 0 passes, 75 ≤ 总分 < 100 with none at 0 may rectify, below 75 or any 二级指标 at 0 fails."""

from decimal import Decimal

import pytest

from reports.builtin_schemes import NATIONAL_CODE, NATIONAL_TEXTS, NATIONAL_VERSION, install_builtin_schemes
from reports.choices import AssessmentResult
from reports.models import AssessmentScheme, Criterion
from reports.services.scoring import evaluate, parts_points


@pytest.fixture
def sheet(db):
    install_builtin_schemes()
    scheme = AssessmentScheme.objects.get(code=NATIONAL_CODE, version=NATIONAL_VERSION)
    return scheme, list(Criterion.objects.filter(scheme=scheme, children__isnull=True).order_by("order"))


def graded(scheme, leaves, grades):
    """Each leaf's points from its three parts' grades (``"bba"`` = content b, evidence b, effect a)."""
    scale = scheme.scale()
    rows = []
    for leaf, g in zip(leaves, grades, strict=True):
        points = parts_points(leaf.parts, dict(zip(("content", "evidence", "effect"), g, strict=True)), scale)
        rows.append((leaf, points, ""))
    return evaluate(scheme, rows)


def test_version_3_carries_the_published_texts_as_guidance(sheet):
    scheme, leaves = sheet
    by_code = {c.code: c for c in leaves}
    assert NATIONAL_VERSION == 3 and len(leaves) == 50
    assert by_code["1.1"].guidance.startswith("有安全社区建设领导机构，成员组成符合跨部门合作的要求")
    assert by_code["1.2"].name == "安全促进项目组" and "若干个安全促进项目组" in by_code["1.2"].guidance
    assert by_code["1.3"].guidance == "建立健全了安全社区建设领导机构和安全促进项目组的工作制度并规定其职责。"
    assert by_code["1.4"].guidance.startswith("制定了长期和年度")
    assert {c.code for c in leaves if c.guidance} == set(NATIONAL_TEXTS)


def test_part_values_are_the_sheets(sheet):
    scheme, leaves = sheet
    scale = scheme.scale()
    leaf = leaves[0]
    assert [p["points"] for p in leaf.parts] == ["0.8", "1.0", "1.2"]
    assert parts_points(leaf.parts, {"content": "a", "evidence": "a", "effect": "a"}, scale) == Decimal("3.00")
    assert parts_points(leaf.parts, {"content": "b", "evidence": "b", "effect": "b"}, scale) == Decimal("2.10")
    assert parts_points(leaf.parts, {"content": "c", "evidence": "c", "effect": "c"}, scale) == Decimal("0.90")
    assert parts_points(leaf.parts, {"content": "d", "evidence": "b", "effect": "a"}, scale) == Decimal("1.90")


@pytest.mark.parametrize(
    ("grades", "total", "result"),
    [
        (["aaa"] * 50, "150", AssessmentResult.PASS),
        (["bbb"] * 45 + ["ccc"] * 4 + ["dba"], "100", AssessmentResult.PASS),  # 100 含 with no zero
        (["bbb"] * 45 + ["ccc"] * 4 + ["dab"], "99.94", AssessmentResult.RECTIFY),  # below 100: 可整改
        (["bbb"] * 25 + ["ccc"] * 25, "75", AssessmentResult.RECTIFY),  # 75 含
        (["bbb"] * 25 + ["ccc"] * 24 + ["ddb"], "74.94", AssessmentResult.FAIL),  # below 75
        (["aaa"] * 49 + ["ddd"], "147", AssessmentResult.FAIL),  # a 二级指标 at 0, whatever the total
        (["bbb"] * 45 + ["ccc"] * 3 + ["ddd", "aaa"], "100.2", AssessmentResult.FAIL),
    ],
)
def test_verdicts_follow_the_published_rules(sheet, grades, total, result):
    scheme, leaves = sheet
    evaluation = graded(scheme, leaves, grades)
    assert (evaluation.total, evaluation.result) == (Decimal(total), result)
    assert evaluation.has_zero == ("ddd" in grades)


def test_a_part_at_d_is_not_a_zero_indicator(sheet):
    scheme, leaves = sheet
    evaluation = graded(scheme, leaves, ["add"] + ["aaa"] * 49)  # 0.8 + 147: no 二级指标 at 0
    assert (evaluation.total, evaluation.has_zero, evaluation.result) == (Decimal("147.8"), False, "pass")
