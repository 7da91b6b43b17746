"""The built-in schemes: the national sheet's wording (arithmetic unchanged), the city-level
12/45/100 sheet passing at 90, and the ISCCC's six indicators."""

from decimal import Decimal

from reports.builtin_schemes import CITY_CODE, ISCCC_CODE, NATIONAL_CODE, install_builtin_schemes
from reports.choices import AssessmentResult
from reports.models import AssessmentScheme, Criterion
from reports.services.scoring import evaluate


def leaves_of(scheme):
    return list(Criterion.objects.filter(scheme=scheme, children__isnull=True).order_by("order"))


def test_national_sheet_uses_the_sheets_wording_and_keeps_its_arithmetic(db):
    install_builtin_schemes()
    scheme = AssessmentScheme.objects.filter(code=NATIONAL_CODE).order_by("-version").first()
    names = {c.code: c.name for c in leaves_of(scheme)}
    assert (names["1.2"], names["1.4"], names["1.5"]) == ("安全促进项目组", "长期和年度目标计划", "资金投入")
    leaves = leaves_of(scheme)
    assert len(leaves) == 50 and sum(c.points for c in leaves) == Decimal("150")
    assert all(c.points == 3 and [p["points"] for p in c.parts] == ["0.8", "1.0", "1.2"] for c in leaves)
    assert (scheme.pass_score, scheme.rectify_score, scheme.zero_fails) == (100, 75, True)


def test_city_sheet_has_12_elements_45_indicators_100_points_and_passes_at_90(db):
    install_builtin_schemes()
    scheme = AssessmentScheme.objects.get(code=CITY_CODE)
    assert Criterion.objects.filter(scheme=scheme, parent=None).count() == 12
    leaves = leaves_of(scheme)
    assert len(leaves) == 45 and sum(c.points for c in leaves) == 100
    full = [(c, c.points, "") for c in leaves]
    assert evaluate(scheme, full).result == AssessmentResult.PASS
    ten_off = [(c, c.points - (Decimal("5") if i < 2 else 0), "") for i, c in enumerate(leaves)]  # 90: pass
    assert evaluate(scheme, ten_off).total == 90 and evaluate(scheme, ten_off).result == AssessmentResult.PASS
    one_more = [(c, p - (1 if i == 2 else 0), "") for i, (c, p, _x) in enumerate(ten_off)]  # 89: fail
    assert evaluate(scheme, one_more).result == AssessmentResult.FAIL


def test_isccc_scheme_has_the_six_indicators_and_fails_on_a_missing_one(db):
    install_builtin_schemes()
    scheme = AssessmentScheme.objects.get(code=ISCCC_CODE)
    leaves = leaves_of(scheme)
    assert len(leaves) == 6 and leaves[0].name.startswith("组织管理") and leaves[5].name.startswith("网络交流")
    assert evaluate(scheme, [(c, Decimal("2.1"), "") for c in leaves]).result == AssessmentResult.PASS
    missing = [(c, Decimal("0") if i == 3 else Decimal("3"), "") for i, c in enumerate(leaves)]
    assert evaluate(scheme, missing).result == AssessmentResult.FAIL
