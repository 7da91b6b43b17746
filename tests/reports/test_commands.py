import re
import subprocess
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports import services
from reports.models import Briefing

from .factories import march_fixture


def text_of(path):
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_generate_briefing_writes_the_same_pdf_as_the_stored_one(world, tmp_path):
    march_fixture(world)
    out = tmp_path / "out" / "b.pdf"
    call_command(
        "generate_briefing", "--township", "371799001", "--month", "2026-03", "--out", str(out), stdout=StringIO()
    )
    b = Briefing.objects.get()
    assert out.read_bytes() == open(b.pdf.path, "rb").read()
    assert "上升50.0%" in text_of(out)
    call_command(
        "generate_briefing", "--township", "371799001", "--month", "2026-03", "--out", str(out), stdout=StringIO()
    )
    assert Briefing.objects.count() == 1


def test_generate_briefing_refuses_an_unknown_township_or_month(world, tmp_path):
    with pytest.raises(CommandError):
        call_command("generate_briefing", "--township", "999999999", "--month", "2026-03")
    with pytest.raises(CommandError):
        call_command("generate_briefing", "--township", "371799001", "--month", "2026/03")


def test_generate_scorecards_without_an_assessment_renders_provisional_cards(world, county_scheme, tmp_path):
    call_command(
        "generate_scorecards", "--county", "371799", "--year", "2026", "--out", str(tmp_path), stdout=StringIO()
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["county-summary-2026-371799.pdf", "scorecard-2026-371799001.pdf", "scorecard-2026-371799101.pdf"]
    assert "未定稿" in text_of(tmp_path / "scorecard-2026-371799001.pdf")
    assert "城关街道" in text_of(tmp_path / "county-summary-2026-371799.pdf")


def test_generate_scorecards_prints_the_finalised_assessment(world, county_scheme, tmp_path):
    county = world.users["county"]
    rnd = services.assessment_round_open(
        user=county,
        scheme=county_scheme,
        county=world.county,
        name="2026年度考核",
        period_start=date(2026, 1, 1),
        period_end=date(2027, 1, 1),
    )
    card = rnd.scorecards.get(township=world.township1)
    for s in card.scores.select_related("criterion"):
        if not s.computed_input:
            services.score_update(score=s, user=county, points=str(s.criterion.points), comment="")
    services.scorecard_finalise(scorecard=card, user=county)
    call_command(
        "generate_scorecards", "--county", "371799", "--year", "2026", "--out", str(tmp_path), stdout=StringIO()
    )
    final = text_of(tmp_path / "scorecard-2026-371799001.pdf")
    assert "未定稿" not in final and "通过" in final
    assert re.search(r"排名.*1\s*/\s*2", final, re.S)  # rank 1 of the county's 2 townships
    assert "未定稿" in text_of(tmp_path / "scorecard-2026-371799101.pdf")
