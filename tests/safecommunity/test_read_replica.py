"""The optional read replica (safecommunity/dbrouting.py) against a second PostgreSQL database.

The "replica" is a database of its own on the same server, loaded with a ``pg_dump`` of the test
database at one moment: a replica that stopped replaying there. What it does not hold shows which
database a read went to: the selectors and exports read from it, writes never go to it, and a
user's or a township's reads right after a write stay on default.
"""

import csv
import io
import subprocess
import time

import pytest
from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from incidents.selectors import incident_statistics
from safecommunity import dbrouting
from safecommunity.periods import Period
from tests.incidents.factories import IncidentFactory
from tests.incidents.test_views import incident_post

pytestmark = pytest.mark.django_db(transaction=True)


def _pg(settings_dict, *args):
    host, port, user = settings_dict["HOST"] or "127.0.0.1", str(settings_dict["PORT"] or 5432), settings_dict["USER"]
    return [args[0], "-h", host, "-p", port, "-U", user, *args[1:]]


@pytest.fixture
def replica(transactional_db, settings):
    """``snapshot()`` makes the replica database a copy of the test database as it is now
    (``createdb --template``: schema and rows in a second or two)."""
    default = connections["default"].settings_dict
    if default["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("the replica test needs PostgreSQL: set DATABASE_URL")
    name = f"{default['NAME']}_replica"
    config = {**default, "NAME": name, "TEST": {"NAME": name}}
    connections.settings[dbrouting.REPLICA] = config
    settings.DATABASES[dbrouting.REPLICA] = config  # read by dbrouting.replica_configured()
    settings.REPLICA_PIN_SECONDS = 1

    def snapshot():
        connections["default"].close()  # a template database must have no other session
        connections[dbrouting.REPLICA].close()
        subprocess.run(_pg(default, "dropdb", "--if-exists", "--force", name), check=True)
        # Sessions an earlier test of this run left on the test database (a live server's or a
        # worker's thread) would block the copy: they are this run's own, on its own database.
        terminate = (
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{default['NAME']}' AND pid <> pg_backend_pid()"
        )
        subprocess.run(_pg(default, "psql", "-q", "-d", "postgres", "-c", terminate), check=True, capture_output=True)
        subprocess.run(_pg(default, "createdb", "--template", default["NAME"], name), check=True)
        # Connected here: the test case's guard refuses a first connection to an alias it was not given.
        connections[dbrouting.REPLICA].connect()

    yield snapshot
    connections[dbrouting.REPLICA].close()
    del connections[dbrouting.REPLICA]
    del connections.settings[dbrouting.REPLICA]
    subprocess.run(_pg(default, "dropdb", "--if-exists", "--force", name), check=True)


def _this_year_incidents(village, n):
    when = timezone.now().replace(month=1, day=10, hour=9)
    return [IncidentFactory(village=village, occurred_at=when) for _ in range(n)]


def _after_pin_window():
    time.sleep(1.1)  # SC_REPLICA_PIN_SECONDS = 1 in these tests


def _exported_rows(client) -> int:
    response = client.get(reverse("incidents:incident_list"), {"_export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return len(list(csv.reader(io.StringIO(text)))) - 1


def test_selectors_and_exports_read_the_replica_but_never_a_fresh_write(world, as_user, replica):
    _this_year_incidents(world.village1, 2)
    replica()
    period = Period.year(timezone.localdate().year)
    _this_year_incidents(world.village1, 3)  # on default only: the replica lags behind

    # Just written: the township reads from default, and the fresh figure is what gets cached.
    assert incident_statistics(townships=[world.township1], period=period)["incidents"] == 5

    _after_pin_window()
    # Once the window has passed, the township's heavy reads go to the replica (it still holds 2:
    # the read went to the lagging copy).
    with dbrouting.replica_reads([world.township1.pk]) as alias:
        assert alias == dbrouting.REPLICA
        assert Incident.objects.filter(township=world.township1).count() == 2
    assert incident_statistics.uncached(townships=[world.township1], period=period)["incidents"] == 5  # not routed
    assert dbrouting.read_alias([world.township1.pk]) == dbrouting.REPLICA

    # Inside a write transaction every read stays on default.
    with transaction.atomic():
        assert dbrouting.read_alias([world.township1.pk]) == "default"
        with dbrouting.replica_reads([world.township1.pk]):
            assert Incident.objects.filter(township=world.township1).count() == 5

    # Writes never go to the replica.
    with dbrouting.replica_reads():
        IncidentFactory(village=world.village2)
    assert Incident.objects.using(dbrouting.REPLICA).filter(township=world.township2).count() == 0
    assert Incident.objects.filter(township=world.township2).count() == 1

    # Exports (the list page's download) read the replica too, except right after the user's own write.
    client = as_user("township1")
    _after_pin_window()
    assert _exported_rows(client) == 2  # from the replica snapshot

    # The user's own write, through the portal's form.
    response = client.post(reverse("incidents:incident_create"), incident_post(world))
    assert response.status_code == 302
    assert dbrouting.PIN_COOKIE in response.cookies
    assert Incident.objects.filter(township=world.township1).count() == 6
    assert _exported_rows(client) == 6  # pinned to default: the user sees what they wrote

    _after_pin_window()
    # Once the pin and the township's window have passed the replica serves again (a real one has
    # caught up by then; this snapshot never does, which shows where the read went).
    assert _exported_rows(client) == 2
