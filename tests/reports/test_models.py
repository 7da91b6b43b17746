from decimal import Decimal

from reports.builtin_schemes import install_builtin_schemes
from reports.models import AssessmentScheme, Briefing, Criterion


def test_national_scoresheet_ships_12_elements_50_indicators_150_points(national):
    top = national.criteria.filter(parent__isnull=True)
    leaves = national.criteria.exclude(mode="")
    assert top.count() == 12
    assert leaves.count() == 50
    assert sum(c.points for c in leaves) == Decimal("150")
    assert sum(c.points for c in top) == Decimal("150")
    for leaf in leaves:
        assert leaf.points == 3
        assert [(p["key"], Decimal(p["points"])) for p in leaf.parts] == [
            ("content", Decimal("0.8")),
            ("evidence", Decimal("1.0")),
            ("effect", Decimal("1.2")),
        ]
    assert (national.pass_score, national.rectify_score, national.zero_fails) == (100, 75, True)
    assert national.scale() == {"a": 1, "b": Decimal("0.7"), "c": Decimal("0.3"), "d": 0}


def test_county_scheme_is_100_points_with_computed_criteria_from_the_data(county_scheme):
    leaves = county_scheme.criteria.exclude(mode="")
    assert sum(c.points for c in leaves) == Decimal("100")
    assert set(leaves.filter(mode="computed").values_list("computed_key", flat=True)) == {
        "hazard_rectification_rate",
        "inspection_coverage",
        "injury_reporting",
        "meetings_held",
        "projects_evaluated",
        "activities",
    }


def test_installing_the_builtin_schemes_again_creates_nothing(schemes):
    before = (AssessmentScheme.objects.count(), Criterion.objects.count())
    install_builtin_schemes()
    assert (AssessmentScheme.objects.count(), Criterion.objects.count()) == before


def test_issue_label_reads_like_the_paper_briefings(world):
    b = Briefing(township=world.township1, year=2026, month=10, number_in_year=10, number_total=58)
    assert b.issue_label == "2026年第10期(总第58期)"


def test_chart_svg_escapes_every_label_it_draws():
    """Charts go into the PDFs unescaped (inline SVG); every text in them comes through html.escape."""
    from reports.charts import bar_chart, hbar_chart

    evil = '<script>alert(1)</script>&"村'
    svg = bar_chart([evil], [(evil, [3])], title=evil, unit=evil) + hbar_chart([(evil, 2)], title=evil)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
