"""The audit page an administrator reads: labels instead of codes, local times, the actor and the
object as links, filters by user, kind of data and days, reveals of personal data, and the
unlocking of a locked account, all within the administrator's county."""

import datetime as dt
import re

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from incidents import services as incident_services
from safecommunity.choices import Role, SecurityEventKind
from safecommunity.models import SecurityEvent
from safecommunity.services import user_create
from tests.conftest import PASSWORD
from tests.incidents.factories import IncidentFactory


def _changes_table(html: str) -> str:
    return html[html.index('id="data-changes"') : html.index('id="reveals"')]


def test_a_change_is_shown_by_its_labels_in_local_time_with_links(client, world):
    incident = IncidentFactory(village=world.village1)
    with set_actor(world.users["township1"]):
        incident_services.incident_update(
            incident=incident, user=world.users["township1"], domain="fire", minor_injuries=3, reason="核实后更正"
        )
    entry = LogEntry.objects.filter(object_pk=str(incident.pk), action=LogEntry.Action.UPDATE).latest("timestamp")
    client.force_login(world.users["admin"])
    table = _changes_table(client.get(reverse("audit")).content.decode())
    assert "修改" in table and "行业领域" in table and "道路交通 → 火灾" in table
    assert "轻伤人数" in table and "1 → 3" in table
    assert not re.search(r"\b(update|create|domain|road|fire|minor_injuries)\b", table)
    assert date_format(timezone.localtime(entry.timestamp), "SHORT_DATETIME_FORMAT") in table  # Beijing time
    assert f'href="{incident.get_absolute_url()}"' in table
    assert f'href="?user={world.users["township1"].pk}"' in table


def test_foreign_keys_and_lists_are_shown_by_name_not_id_or_escape():
    from inspections.models import Inspection
    from safecommunity.audit import _show

    field = Inspection._meta.get_field("joint_agencies")
    assert _show(field, '["\\u6d88\\u9632"]', {}) == "消防"
    village = Inspection._meta.get_field("entity")
    assert _show(village, "7", {(village.related_model, "7"): "青山机械厂"}) == "青山机械厂"
    assert _show(None, "None", {}) == "—"


def test_filters_by_user_kind_of_data_and_days(client, world):
    from django.contrib.contenttypes.models import ContentType

    from incidents.models import Incident

    a = IncidentFactory(village=world.village1)
    b = IncidentFactory(village=world.village1)
    with set_actor(world.users["township1"]):
        incident_services.incident_update(incident=a, user=world.users["township1"], address="甲路1号", reason="")
    with set_actor(world.users["admin"]):
        incident_services.incident_update(incident=b, user=world.users["admin"], address="乙路2号", reason="")
    client.force_login(world.users["admin"])
    url = reverse("audit")
    mine = _changes_table(client.get(url, {"user": world.users["township1"].pk}).content.decode())
    assert "甲路1号" in mine and "乙路2号" not in mine
    kind = ContentType.objects.get_for_model(Incident).pk
    assert "甲路1号" in _changes_table(client.get(url, {"model": kind}).content.decode())
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert "甲路1号" not in _changes_table(client.get(url, {"start": tomorrow}).content.decode())
    response = client.get(url, {"start": tomorrow, "end": timezone.localdate().isoformat()})
    assert response.status_code == 200 and "起始日期不能晚于截止日期" in response.content.decode()


def test_reveals_of_personal_data_are_listed(client, world):
    from tests.incidents.factories import InjuryRecordFactory

    record = InjuryRecordFactory(village=world.village1)
    incident_services.personal_data_reveal(record=record, user=world.users["township1"], ip_address="10.0.0.8")
    client.force_login(world.users["admin"])
    html = client.get(reverse("audit")).content.decode()
    reveals = html[html.index('id="reveals"') :]
    assert "10.0.0.8" in reveals and f'href="{record.get_absolute_url()}"' in reveals


def test_a_county_administrator_unlocks_a_locked_account(client, world):
    for _ in range(5):
        client.post(reverse("login"), {"username": "township1", "password": "wrong-password"})
    assert client.post(reverse("login"), {"username": "township1", "password": PASSWORD}).status_code != 302

    admin = client.__class__()
    admin.force_login(world.users["admin"])
    page = admin.get(reverse("audit")).content.decode()
    locked = page[page.index('id="locked-accounts"') : page.index('id="security-events"')]
    assert "township1" in locked and "解锁" in locked
    response = admin.post(reverse("audit_unlock"), {"username": "township1"}, follow=True)
    assert "已解锁账号" in response.content.decode()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.UNLOCKED)
    assert event.username == "township1" and event.user == world.users["township1"]
    assert event.detail.startswith("由 ") and event.detail.endswith("解锁")
    assert client.post(reverse("login"), {"username": "township1", "password": PASSWORD}).status_code == 302
    locked = admin.get(reverse("audit")).content.decode()
    assert "没有被锁定的账号" in locked


def test_another_countys_account_cannot_be_unlocked(client, world):
    other_admin = user_create(
        username="otheradmin", password=PASSWORD, role=Role.ADMINISTRATOR, area=world.other_county
    )
    client.force_login(other_admin)
    assert client.post(reverse("audit_unlock"), {"username": "township1"}).status_code == 404
    client.force_login(world.users["county"])  # a supervisor is not an administrator
    assert client.post(reverse("audit_unlock"), {"username": "township1"}).status_code == 403


def test_the_audit_page_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    from tests.incidents.factories import InjuryRecordFactory

    def add(k):
        for i in range(k):
            incident = IncidentFactory(village=world.villages1[i % len(world.villages1)])
            with set_actor(world.users["township1"]):
                incident_services.incident_update(
                    incident=incident,
                    user=world.users["township1"],
                    domain="fire",
                    village=world.villages1[(i + 1) % 3],
                    reason="",
                )
            record = InjuryRecordFactory(village=world.village1)
            incident_services.personal_data_reveal(record=record, user=world.users["township1"])
            SecurityEvent.objects.create(
                kind=SecurityEventKind.LOGIN, username="township1", user=world.users["township1"]
            )

    client.force_login(world.users["admin"])
    add(3)
    with django_assert_max_num_queries(30) as few:
        assert client.get(reverse("audit")).status_code == 200
    add(24)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("audit")).status_code == 200
