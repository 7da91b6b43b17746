"""Access to every page of the analysis app (tests/scope.py), the places page (clusters, the
county's interval rule, the map layer), the settings page and the pages in English."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from analysis import services
from analysis.models import AnalysisSettings
from analysis.places import suggested_interval
from analysis.selectors import settings_of
from incidents.choices import Cause
from tests.query_ceilings import assert_same_queries_for_more_townships

from ..incidents.factories import IncidentFactory, InjuryRecordFactory
from ..inspections.factories import EntityFactory, GridFactory, HazardFactory
from ..scope import assert_access
from .conftest import plant

AS_OF = dt.date(2026, 12, 2)
COMMITTEE = {"township1", "member1", "county", "admin"}


@pytest.fixture
def signal(baseline_history):
    plant(baseline_history.villages1[0], 2026, 10, 12)
    return services.signals_scan(township=baseline_history.township1, as_of=AS_OF)[0]


def test_access_to_the_analysis_pages(client, world, signal):
    assert_access(client, world, reverse("analysis:signal_list"), allowed=COMMITTEE, object_url=False)
    assert_access(client, world, reverse("analysis:signal_detail", args=[signal.pk]), allowed=COMMITTEE)
    assert_access(client, world, reverse("analysis:places"), allowed=COMMITTEE, object_url=False)
    assert_access(
        client, world, reverse("analysis:readiness"), allowed={"township1", "county", "admin"}, object_url=False
    )
    assert_access(client, world, reverse("analysis:settings"), allowed={"county", "admin"}, object_url=False)
    assert_access(
        client,
        world,
        reverse("analysis:signal_scan"),
        allowed={"township1"},
        method="post",
        ok_status=(302,),
        object_url=False,
    )
    assert_access(
        client,
        world,
        reverse("analysis:signal_dismiss", args=[signal.pk]),
        allowed={"township1"},
        method="post",
        data={"note": ""},
        ok_status=(302,),
    )


def test_members_see_hidden_counts_on_the_signal_pages(signal, as_user):
    page = as_user("member1").get(reverse("analysis:signal_detail", args=[signal.pk])).content.decode()
    assert 'id="signal-observed">12<' in page  # 12 is not small
    assert "act-form" not in page
    signal.observed = 3
    signal.save()
    page = as_user("member1").get(reverse("analysis:signal_list")).content.decode()
    assert '<td class="text-end">&lt;5</td>' in page


def test_the_county_rule_sets_the_interval():
    rule = AnalysisSettings()  # the defaults
    assert suggested_interval(base=30, hazards_12m=3, last_ratings=[], rule=rule) == (15, "tighten")
    assert suggested_interval(base=30, hazards_12m=0, last_ratings=["good"] * 4, rule=rule) == (60, "relax")
    assert suggested_interval(base=30, hazards_12m=0, last_ratings=["good", "poor", "good", "good"], rule=rule) == (
        30,
        "keep",
    )


def test_places_join_injuries_and_hazards_and_suggest_inspections(world, as_user):
    today = timezone.localdate()
    v = world.village1
    box = {"type": "Polygon", "coordinates": [[[115.4, 35.2], [115.41, 35.2], [115.41, 35.21], [115.4, 35.2]]]}
    grid = GridFactory(village=v, name="东关一网格", boundary=box)
    quiet = GridFactory(village=v, name="东关二网格")
    entity = EntityFactory(grid=grid, name="东关机械厂")
    for i in range(3):
        HazardFactory(entity=entity, found_on=today - dt.timedelta(days=20 + i), registered_by=world.users["township1"])
    when = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=10), dt.time(9)))
    for _ in range(3):
        InjuryRecordFactory(village=v, grid=grid, injured_at=when, cause=Cause.FALL)
    IncidentFactory(village=v, grid=grid, entity=entity, occurred_at=when, minor_injuries=3)
    page = as_user("township1").get(reverse("analysis:places")).content.decode()
    assert f'data-suggest="grid-{grid.pk}"' in page and f'data-suggest="grid-{quiet.pk}"' not in page
    assert f'data-suggest="entity-{entity.pk}"' in page
    row = page.split(f'data-entity="{entity.pk}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-interval="15"' in row  # 3 hazards in 12 months: the county's tightened interval
    assert 'id="grid-features"' in page and "grid-map.js" in page
    member = as_user("member1").get(reverse("analysis:places")).content.decode()
    row = member.split(f'data-grid="{grid.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "&lt;5" in row  # 3 injuries this year: hidden for a member


def test_county_saves_its_settings(world, as_user):
    client = as_user("county")
    data = {
        "suppression_threshold": 10,
        "signal_alpha": "0.100",
        "signal_min_count": 4,
        "cluster_min_injuries": 5,
        "tighten_after_hazards": 2,
        "tightened_interval_days": 10,
        "relax_after_clean": 3,
        "relaxed_interval_factor": 3,
        "apply_inspection_rule": "on",
    }
    assert client.post(reverse("analysis:settings"), data).status_code == 302
    assert settings_of(world.county).suppression_threshold == 10
    bad = client.post(reverse("analysis:settings"), {**data, "suppression_threshold": 1})
    assert bad.status_code == 200 and settings_of(world.county).suppression_threshold == 10


def test_pages_speak_english(signal, as_user):
    client = as_user("township1")
    client.cookies["sc_language"] = "en"
    with override("en"):
        assert "Injury signals" in client.get(reverse("analysis:signal_list")).content.decode()
        assert "Put on the agenda" in client.get(reverse("analysis:signal_detail", args=[signal.pk])).content.decode()
        assert "Gaps and what to do" in client.get(reverse("analysis:readiness")).content.decode()
        assert "Suggested targeted inspections" in client.get(reverse("analysis:places")).content.decode()


def test_signal_list_queries_do_not_grow_with_the_rows(world, as_user, django_assert_max_num_queries):
    from analysis.models import InjurySignal

    def make(n, start):
        for i in range(n):
            InjurySignal.objects.create(
                township=world.township1,
                dimension="cause",
                key=f"{start + i:02d}",
                label=f"原因{start + i}",
                window_start=dt.date(2026, 9, 1),
                window_end=dt.date(2026, 12, 1),
                observed=9,
                baseline_total=3,
                baseline_years=3,
                expected=1,
                p_value=0.001,
                threshold=0.01,
            )

    client = as_user("member1")
    make(1, 0)
    with django_assert_max_num_queries(14) as small:
        client.get(reverse("analysis:signal_list"))
    make(20, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("analysis:signal_list")).status_code == 200


def test_switched_on_rule_moves_the_next_inspection(world):
    from inspections.services import inspection_record
    from inspections.services.common import frequency_map, interval_days

    grid = GridFactory(village=world.village1)
    entity = EntityFactory(grid=grid)
    for i in range(3):
        HazardFactory(
            entity=entity,
            registered_by=world.users["township1"],
            found_on=timezone.localdate() - dt.timedelta(days=30 + i),
        )
    when = timezone.now() - dt.timedelta(hours=1)

    def inspect():
        inspection_record(
            user=world.users["township1"],
            entity=entity,
            inspected_at=when,
            representative_name="张三",
            rating="average",
            outcomes=[],
        )
        entity.refresh_from_db()
        return (entity.next_due_on - entity.last_inspected_on).days

    base = interval_days(frequency_map(world.county), entity.supervision_class, entity.kind)
    assert inspect() == base  # the rule is off by default
    services.analysis_settings_save(
        county=world.county,
        suppression_threshold=5,
        signal_alpha="0.05",
        signal_min_count=3,
        cluster_min_injuries=3,
        tighten_after_hazards=3,
        tightened_interval_days=7,
        relax_after_clean=4,
        relaxed_interval_factor=2,
        apply_inspection_rule=True,
    )
    assert inspect() == min(base, 7)


@pytest.mark.parametrize("url_name", ["analysis:signal_list"])
def test_pages_cost_the_same_queries_for_more_townships_and_rows(
    client, world, django_assert_max_num_queries, url_name
):
    assert_same_queries_for_more_townships(client, world, django_assert_max_num_queries, reverse(url_name))
