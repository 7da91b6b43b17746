"""The aggregates come from the selectors the pages read; lists cost a fixed number of queries;
old Idempotency-Keys are forgotten."""

import datetime as dt

from django.utils import timezone

from api.models import IdempotencyRecord
from api.tasks import idempotency_keys_purge
from incidents import selectors as incident_selectors
from reports import selectors as report_selectors
from safecommunity.periods import Period
from tests.incidents.factories import InjuryRecordFactory, aware

THIS_YEAR = timezone.localdate().year


def test_statistics_are_the_selectors_figures(api, objects, world):
    InjuryRecordFactory(village=world.village1, injured_at=aware(THIS_YEAR, 1, 9), cause="11", age=8)
    body = api.get("/api/v1/statistics/", as_="county", params={"year": THIS_YEAR, "month": 1}).json()
    townships = [world.township1.pk, world.township2.pk]
    period = Period.month(THIS_YEAR, 1)
    stats = incident_selectors.incident_statistics_with_change(townships=townships, period=period)
    assert {f["key"]: f["current"] for f in body["figures"]} == {
        k: float(v) if k == "loss" else v for k, v in stats["current"].items()
    }
    breakdowns = incident_selectors.injury_breakdowns(townships=townships, period=period)
    assert {r["key"]: r["count"] for r in body["breakdowns"]["cause"]} == {k: n for k, _l, n in breakdowns["cause"]}
    assert body["trend"]["incidents"]["current"][0] == 2
    assert body["period"] == {"start": f"{THIS_YEAR}-01-01", "end": f"{THIS_YEAR}-02-01"}


def test_dashboard_is_the_dashboard_selector(api, objects, world):
    today = timezone.localdate()
    body = api.get("/api/v1/dashboard/", as_="county").json()
    data = report_selectors.dashboard(townships=[world.township1.pk, world.township2.pk], today=today)
    assert body["hazards"]["overdue"] == data["hazards"]["overdue"]
    assert body["year_to_date"]["incidents"]["current"] == data["ytd_stats"]["current"]["incidents"] == 2
    assert [r["township"]["code"] for r in body["ranking"]] == [
        r["township"].code for r in report_selectors.township_ranking(county=world.county, today=today)
    ]
    own = api.get("/api/v1/dashboard/", as_="member1").json()
    assert own["area"]["code"] == world.township1.code and "ranking" not in own
    assert own["year_to_date"]["incidents"]["current"] == 1


def test_list_queries_do_not_grow_with_the_rows(api, world, django_assert_max_num_queries):
    InjuryRecordFactory(village=world.village1, injured_at=aware(THIS_YEAR, 1, 1))
    api.get("/api/v1/injuries/", as_="county")  # the token's first use of the day (audit entry)
    with django_assert_max_num_queries(8) as few:
        api.get("/api/v1/injuries/", as_="county")
    for day in range(2, 22):
        InjuryRecordFactory(village=world.villages1[day % 3], injured_at=aware(THIS_YEAR, 1, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/api/v1/injuries/", as_="county").json()["results"]) == 21


def test_old_idempotency_keys_are_purged(api, world):
    from tests.api.test_writes import incident_payload

    api.post("/api/v1/incidents/", incident_payload(world), as_="township1", idempotency_key="old")
    api.post("/api/v1/incidents/", incident_payload(world, deaths=1), as_="township1", idempotency_key="new")
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - dt.timedelta(hours=49))
    idempotency_keys_purge()
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
