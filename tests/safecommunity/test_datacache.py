from django.db import transaction

from safecommunity import datacache


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_a_result_is_computed_once_per_data_version(db):
    calls, compute = _counter()
    assert datacache.cached("d", [1, 2], "f", {"x": 1}, compute) == 1
    assert datacache.cached("d", [2, 1], "f", {"x": 1}, compute) == 1
    assert len(calls) == 1
    datacache.data_changed("d", [2])
    assert datacache.cached("d", [1, 2], "f", {"x": 1}, compute) == 2
    # A change in another township or another domain leaves the result valid.
    datacache.data_changed("d", [3])
    datacache.data_changed("other", [1])
    assert datacache.cached("d", [1, 2], "f", {"x": 1}, compute) == 2


def test_arguments_and_language_are_part_of_the_key(db):
    from django.utils import translation

    calls, compute = _counter()
    datacache.cached("d", [1], "f", {"x": 1}, compute)
    datacache.cached("d", [1], "f", {"x": 2}, compute)
    with translation.override("en"):
        datacache.cached("d", [1], "f", {"x": 1}, compute)
    assert len(calls) == 3


def test_a_reader_between_write_and_commit_is_invalidated_by_the_commit(transactional_db):
    calls, compute = _counter()
    datacache.cached("d", [1], "f", {}, compute)
    with transaction.atomic():
        datacache.data_changed("d", [1])
        # A reader that does not see the uncommitted rows caches what it saw...
        assert datacache.cached("d", [1], "f", {}, compute) == 2
    # ...and the bump after the commit makes the next reader recompute.
    assert datacache.cached("d", [1], "f", {}, compute) == 3


def test_versioned_selector_accepts_areas_querysets_and_ids(world):
    from safecommunity.models import Area

    seen = []

    @datacache.versioned("d")
    def selector(*, townships, period):
        seen.append(townships)
        return sum(townships)

    ids = sorted([world.township1.pk, world.township2.pk])
    assert selector(townships=Area.objects.filter(pk__in=ids), period="p") == sum(ids)
    assert selector(townships=[world.township2, world.township1], period="p") == sum(ids)
    assert selector(townships=ids, period="p") == sum(ids)
    assert seen == [ids]


def test_a_many_to_many_change_from_either_side_invalidates_the_rows_township(world):
    """``evidence.elements.set()`` (the projects services' way) and a change from the element's
    side both move the evidence's township to a new version, outside any transaction too."""
    from projects.models import AqElement
    from tests.projects.factories import EvidenceFactory

    evidence = EvidenceFactory(township=world.township1)
    first, second = AqElement.objects.order_by("number")[:2]
    before = datacache.versions("projects", [world.township1.pk, world.township2.pk])
    evidence.elements.set([first])
    after_set = datacache.versions("projects", [world.township1.pk, world.township2.pk])
    assert after_set[0] != before[0]
    assert after_set[1] == before[1]  # another township's results stay valid
    second.evidence.add(evidence)
    after_add = datacache.versions("projects", [world.township1.pk])[0]
    assert after_add != after_set[0]
    evidence.elements.clear()
    assert datacache.versions("projects", [world.township1.pk])[0] != after_add


def test_tests_clean_only_their_own_cache_keys():
    """``delete_own_keys`` removes this cache's prefixed keys and leaves another user's keys of the
    same Redis database alone; a cache without a prefix refuses instead of emptying the database."""
    import pytest
    import redis
    from django.conf import settings
    from django.core.cache import cache

    from safecommunity.cache import ResilientRedisCache

    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    import uuid

    other = f"someone-else:{uuid.uuid4().hex}"
    client.set(other, "kept", ex=60)
    cache.set("mine", 1)
    try:
        cache.delete_own_keys()
        assert cache.get("mine") is None and client.get(other) == b"kept"
        unprefixed = ResilientRedisCache(settings.CACHES["default"]["LOCATION"], {})
        with pytest.raises(ValueError):
            unprefixed.delete_own_keys()
        assert client.get(other) == b"kept"
    finally:
        client.delete(other)


def _concurrently(n, function):
    import threading

    results, barrier = [None] * n, threading.Barrier(n)

    def run(i):
        barrier.wait()
        results[i] = function()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_sixteen_concurrent_readers_of_a_changed_result_compute_it_once(db):
    """Real threads against Redis: after a write, 16 readers arriving at once wait for the one
    that computes, and all get its result."""
    import threading
    import time
    import uuid

    name, calls, guard = f"f-{uuid.uuid4().hex}", [], threading.Lock()

    def compute():
        with guard:
            calls.append(1)
        time.sleep(0.3)
        return {"n": 42}

    datacache.data_changed("d", [7])
    results = _concurrently(16, lambda: datacache.cached("d", [7], name, {}, compute))
    assert results == [{"n": 42}] * 16
    assert len(calls) == 1


def test_waiters_are_woken_by_the_holders_done_signal_one_after_another():
    """Real Redis: without a signal a wait runs out (False); after the holder's ``notify_done``
    every waiter is woken in turn (each passes the token on), none sleeps its wait out."""
    import threading
    import uuid

    from django.core.cache import cache

    key = f"sc:test:{uuid.uuid4().hex}"
    assert cache.wait_done(key, 0.05) is False
    woken = []

    def wait():
        woken.append(cache.wait_done(key, 0.45))

    waiters = [threading.Thread(target=wait) for _ in range(4)]
    for t in waiters:
        t.start()
    cache.notify_done(key)
    for t in waiters:
        t.join(5)
    assert woken == [True] * 4
    cache.delete(f"{key}:done")


def test_the_parts_of_a_result_are_computed_once_and_stored_with_it(db):
    """A result that calls a versioned selector twice computes it once; the part is then cached
    on its own (another page reading it alone does not compute it again)."""
    import uuid

    calls = []

    @datacache.versioned("d")
    def part(*, townships):
        calls.append(1)
        return sum(townships)

    name = f"page-{uuid.uuid4().hex}"
    assert datacache.cached("d", [1, 2], name, {}, lambda: part(townships=[1, 2]) + part(townships=[2, 1])) == 6
    assert part(townships=[1, 2]) == 3
    assert len(calls) == 1


def test_cached_results_hold_plain_strings_not_lazy_translations(db):
    import uuid

    from django.utils.translation import gettext_lazy

    name = f"f-{uuid.uuid4().hex}"
    datacache.cached("d", [1], name, {}, lambda: {"rows": [("a", gettext_lazy("事故起数"), 1)]})
    label = datacache.cached("d", [1], name, {}, lambda: 1 / 0)["rows"][0][1]
    assert type(label) is str and label == "事故起数"


def test_a_dead_lock_holder_delays_readers_briefly_and_never_blocks_them(monkeypatch):
    """A holder that died (its lock left in Redis) costs the readers at most WAIT_SECONDS; they
    then compute themselves. A result of None is cached like any other."""
    import time
    import uuid

    from django.core.cache import cache

    monkeypatch.setattr(datacache, "WAIT_SECONDS", 0.4)
    key = f"sc:test:{uuid.uuid4().hex}"
    cache.add(f"{key}:lock", "a-dead-worker", datacache.LOCK_SECONDS)
    started = time.monotonic()
    assert datacache.single_flight(key, lambda: None) is None
    assert 0.35 < time.monotonic() - started < 3
    cache.delete(f"{key}:lock")
    assert datacache.single_flight(key, lambda: None) is None  # computes and stores None
    assert datacache.single_flight(key, lambda: 1 / 0) is None  # ...which is then a hit
    cache.delete(key)


def test_bulk_writes_invalidate_through_the_tracked_queryset_alone(world):
    """Services call no ``data_changed``: bulk_create, update (also one that moves rows to another
    township) and bulk_update of a tracked model move the versions of the townships concerned."""
    from incidents.models import InjuryRecord
    from tests.incidents.factories import InjuryRecordFactory

    t1, t2 = world.township1.pk, world.township2.pk

    def moved(write):
        before = datacache.versions("incidents", [t1, t2])
        write()
        after = datacache.versions("incidents", [t1, t2])
        return [a != b for a, b in zip(after, before, strict=True)]

    assert moved(lambda: InjuryRecord.objects.bulk_create([InjuryRecordFactory.build(village=world.villages1[0])])) == [
        True,
        False,
    ]
    assert moved(lambda: InjuryRecord.objects.filter(township_id=t1).update(age=33)) == [True, False]
    record = InjuryRecord.objects.get(township_id=t1)
    assert moved(
        lambda: InjuryRecord.objects.filter(pk=record.pk).update(township_id=t2, village=world.villages2[0])
    ) == [True, True]
    record.refresh_from_db()
    record.age = 44
    assert moved(lambda: InjuryRecord.objects.bulk_update([record], ["age"])) == [False, True]
    assert moved(lambda: InjuryRecord.objects.filter(pk=-1).update(age=1)) == [False, False]


def test_a_rendered_once_part_is_rendered_by_one_of_many_concurrent_readers(db):
    """``{% rendered_once %}`` (the dashboards' parts) under real threads and Redis: 8 readers
    rendering the same part at once get the same HTML, rendered once; another key renders again."""
    import threading
    import time
    import uuid

    from django.template import engines

    renders, guard = [], threading.Lock()

    def slow():
        with guard:
            renders.append(1)
        time.sleep(0.2)
        return "42"

    tpl = engines["django"].from_string(
        '{% load sc_cache %}[{% rendered_once "t" key %}{{ slow }}{% endrendered_once %}]'
    )
    key = uuid.uuid4().hex
    results = _concurrently(8, lambda: tpl.render({"key": key, "slow": slow}))
    assert results == ["[42]"] * 8 and len(renders) == 1
    assert tpl.render({"key": f"{key}-other", "slow": slow}) == "[42]" and len(renders) == 2
