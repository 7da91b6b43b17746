from datetime import date
from decimal import Decimal

import pytest

from incidents.choices import Cause, Place, Sex
from projects import selectors, services
from projects.choices import InterventionStatus, ProjectStatus
from projects.models import AqElement
from tests.committees.factories import CommitteeMemberFactory, WorkingGroupFactory
from tests.incidents.factories import InjuryRecordFactory, aware

from .factories import EvidenceFactory, InterventionFactory, ProjectFactory


@pytest.fixture
def falls_project(world):
    """Falls among residents aged 60+ in 东关社区: baseline 2024, follow-up 2025."""
    return ProjectFactory(
        township=world.township1,
        indicator_village=world.village1,
        indicator_age_min=60,
        indicator_cause=Cause.FALL,
        baseline_start=date(2024, 1, 1),
        baseline_end=date(2024, 12, 31),
        followup_start=date(2025, 1, 1),
        followup_end=date(2025, 12, 31),
        target_change=Decimal("-0.200"),
    )


def injury(world, *, when, village=None, age=70, cause=Cause.FALL, place=Place.HOME, sex=Sex.MALE):
    return InjuryRecordFactory(
        village=village or world.village1,
        injured_at=aware(*when),
        age=age,
        cause=cause,
        place=place,
        sex=sex,
        id_number="",
    )


def test_indicator_counts_only_matching_injuries_hand_counted(world, falls_project):
    # Baseline 2024: five matching falls …
    for when in [(2024, 1, 1, 0, 5), (2024, 3, 3), (2024, 6, 1), (2024, 9, 9), (2024, 12, 31, 23, 50)]:
        injury(world, when=when)
    injury(world, when=(2024, 5, 5), age=60)  # age bound inclusive → counts: 6 in all
    # … and rows that must not count:
    injury(world, when=(2024, 5, 5), age=59)  # too young
    injury(world, when=(2024, 5, 5), village=world.villages1[1])  # another village
    injury(world, when=(2024, 5, 5), cause=Cause.BURN)  # another cause
    injury(world, when=(2023, 12, 31, 23, 59))  # before the baseline
    InjuryRecordFactory(village=world.village2, injured_at=aware(2024, 5, 5), age=80, id_number="")  # township 2
    # Follow-up 2025: three matching falls.
    for when in [(2025, 1, 1, 0, 1), (2025, 7, 7), (2025, 12, 31, 22, 0)]:
        injury(world, when=when)
    injury(world, when=(2026, 1, 1, 0, 1))  # after the follow-up

    result = selectors.project_indicator(falls_project)
    assert result["baseline"] == 6
    assert result["followup"] == 3
    assert result["change"] == Decimal("-0.500")
    assert result["change_text"] == "下降50.0%"
    assert result["met"] is True


def test_indicator_with_no_baseline_injuries_has_no_percentage(world, falls_project):
    injury(world, when=(2025, 3, 3))
    result = selectors.project_indicator(falls_project)
    assert (result["baseline"], result["followup"], result["change"], result["change_text"]) == (0, 1, None, "—")
    assert result["met"] is None


def test_indicator_filters_by_sex_and_place(world):
    project = ProjectFactory(
        township=world.township1,
        indicator_sex=Sex.FEMALE,
        indicator_place=Place.HOME,
        baseline_start=date(2024, 1, 1),
        baseline_end=date(2024, 12, 31),
        followup_start=date(2025, 1, 1),
        followup_end=date(2025, 12, 31),
    )
    injury(world, when=(2024, 2, 2), sex=Sex.FEMALE, village=world.villages1[2])
    injury(world, when=(2024, 2, 2), sex=Sex.MALE)
    injury(world, when=(2025, 2, 2), sex=Sex.FEMALE, place=Place.PUBLIC_RESIDENCE)
    result = selectors.project_indicator(project)
    assert (result["baseline"], result["followup"]) == (1, 0)


def test_project_without_periods_has_no_indicator(world):
    assert selectors.project_indicator(ProjectFactory(township=world.township1)) is None


def test_project_progress_counts_status_evaluation_and_interventions(world):
    today = date(2026, 6, 1)
    p1 = ProjectFactory(
        township=world.township1,
        status=ProjectStatus.ACTIVE,
        followup_start=date(2025, 1, 1),
        followup_end=date(2025, 12, 31),
        baseline_start=date(2024, 1, 1),
        baseline_end=date(2024, 12, 31),
    )
    p2 = ProjectFactory(township=world.township1, status=ProjectStatus.COMPLETED, evaluated_on=date(2026, 2, 1))
    ProjectFactory(township=world.township2, status=ProjectStatus.ACTIVE)
    InterventionFactory(project=p1, status=InterventionStatus.DONE, done_on=date(2026, 1, 5))
    InterventionFactory(project=p1, planned_end=date(2026, 5, 31))  # overdue
    InterventionFactory(project=p2, planned_end=date(2026, 6, 1))  # due today: not overdue
    InterventionFactory(project=p2, planned_end=date(2026, 1, 1), status=InterventionStatus.CANCELLED)
    stats = selectors.project_progress(townships=[world.township1], today=today)
    assert stats["total"] == 2
    assert stats["by_status"]["active"] == 1 and stats["by_status"]["completed"] == 1
    assert (stats["evaluated"], stats["not_evaluated"], stats["evaluation_due"]) == (1, 1, 1)
    assert stats["interventions"] == {"total": 4, "done": 1, "overdue": 1}


def test_twelve_aq_elements_are_seeded(db):
    assert list(AqElement.objects.values_list("number", flat=True)) == list(range(1, 13))
    assert AqElement.objects.get(number=10).name == "安全社区创建档案"


def test_evidence_coverage_counts_per_element_and_flags_missing(world):
    e1, e5, e6 = (AqElement.objects.get(number=n) for n in (1, 5, 6))
    a = EvidenceFactory(township=world.township1)
    a.elements.set([e1, e5])
    b = EvidenceFactory(township=world.township1)
    b.elements.set([e5])
    other = EvidenceFactory(township=world.township2)
    other.elements.set([e6])
    rows = {r["element"].number: r for r in selectors.evidence_coverage(township=world.township1)}
    assert rows[1]["count"] == 1 and rows[5]["count"] == 2 and rows[6]["count"] == 0
    assert rows[6]["missing"] and not rows[5]["missing"]
    assert sum(1 for r in rows.values() if r["missing"]) == 10


def test_evidence_must_belong_to_the_township_of_its_project(world):
    from django.core.exceptions import ValidationError

    project = ProjectFactory(township=world.township2)
    with pytest.raises(ValidationError):
        services.evidence_add(township=world.township1, title="照片", dated=date(2026, 1, 1), project=project)


def test_project_rejects_group_of_other_township_and_bad_periods(world):
    from django.core.exceptions import ValidationError

    group = WorkingGroupFactory(township=world.township2, lead=CommitteeMemberFactory(township=world.township2))
    with pytest.raises(ValidationError) as exc:
        services.project_save(
            township=world.township1,
            name="x",
            domain="home",
            working_group=group,
            start_on=date(2026, 1, 1),
            end_on=date(2026, 12, 31),
            baseline_start=date(2025, 1, 1),
            baseline_end=date(2025, 12, 31),
            followup_start=date(2025, 6, 1),
            followup_end=date(2026, 5, 31),
            indicator_cause="99",
        )
    assert {"working_group", "followup_start", "indicator_cause"} <= set(exc.value.error_dict)


def test_intervention_overdue_and_done_date(world):
    project = ProjectFactory(township=world.township1)
    i = services.intervention_save(
        project=project, description="入户排查", planned_start=date(2026, 1, 1), planned_end=date(2026, 3, 31)
    )
    assert i.is_overdue(date(2026, 4, 1)) and not i.is_overdue(date(2026, 3, 31))
    i = services.intervention_save(intervention=i, status=InterventionStatus.DONE)
    assert i.done_on is not None and not i.is_overdue(date(2026, 4, 1))


def test_evaluation_needs_periods(world):
    from safecommunity.exceptions import ApplicationError

    with pytest.raises(ApplicationError):
        services.project_record_evaluation(project=ProjectFactory(township=world.township1), evaluation="好")
