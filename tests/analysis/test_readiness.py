"""Assessment readiness from live evidence: the elements' evidence and gaps, the scorecard PDF's
evidence index, and a red cell of a scorecard linking to the project that addresses it."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from analysis.readiness import element_readiness, red_cells
from projects.models import AqElement
from reports import services as report_services
from reports.documents import scorecard_context
from reports.models import Score
from safecommunity.pdf import render_html
from safecommunity.periods import Period

from ..committees.factories import MeetingFactory
from ..projects.factories import EvidenceFactory, ProjectFactory
from ..reports.conftest import national, schemes  # noqa: F401

YEAR = timezone.localdate().year


def test_elements_gather_live_evidence_and_list_gaps(world):
    MeetingFactory(township=world.township1, held_on=date(YEAR, 1, 10))
    e = EvidenceFactory(township=world.township1, dated=date(YEAR, 1, 10))
    e.elements.set([AqElement.objects.get(number=2)])
    rows = {
        r["number"]: r
        for r in element_readiness(township=world.township1, period=Period.year(YEAR), today=timezone.localdate())
    }
    assert len(rows) == 12
    two = rows[2]
    assert dict((label, n) for label, n, _u in two["evidence"])["召开会议"] == 1
    assert two["archive"] == 1
    assert "召开创安联席会议并上传纪要" not in two["gaps"] and "登记志愿者队伍" in two["gaps"]
    assert "组织应急演练并记录" in rows[7]["gaps"] and not rows[7]["ready"]


@pytest.fixture
def card(world, national):  # noqa: F811
    rnd = report_services.assessment_round_open(
        user=world.users["county"],
        scheme=national,
        county=world.county,
        name="现场评定",
        period_start=date(YEAR, 1, 1),
        period_end=date(YEAR + 1, 1, 1),
    )
    return rnd.scorecards.get(township=world.township1)


def test_red_cell_links_to_the_project_addressing_its_element(card, world, client):
    score = (
        Score.objects.filter(scorecard=card, criterion__mode="parts")
        .select_related("criterion")
        .order_by("criterion__order")
        .first()
    )
    score.grades = {p["key"]: "d" for p in score.criterion.parts}
    score.save()
    number = int(score.criterion.code.split(".")[0])
    project = ProjectFactory(township=world.township1, name="防跌倒入户改造")
    ev = EvidenceFactory(township=world.township1, project=project)
    ev.elements.set([AqElement.objects.get(number=number)])
    red = red_cells(card)
    assert red[score.criterion_id]["project"] == project
    client.force_login(world.users["county"])
    html = client.get(reverse("reports:scorecard_detail", args=[card.pk])).content.decode()
    assert f'data-red-project="{score.criterion.code}">防跌倒入户改造<' in html


def test_scorecard_pdf_carries_the_evidence_index(card, world):
    e = EvidenceFactory(township=world.township1, title="创安联席会议纪要（一月）", dated=date(YEAR, 1, 12))
    e.elements.set([AqElement.objects.get(number=2)])
    html = render_html("reports/pdf/scorecard.html", scorecard_context(card))
    assert 'id="evidence-index"' in html
    assert "创安联席会议纪要（一月）" in html
    assert "组织应急演练并记录" in html  # a gap of element 7
