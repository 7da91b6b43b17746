"""Personal API tokens: stored as a hash, shown once, revoked and expired tokens refused (401),
each token's use audited (an access entry per token per day), the profile page and the command."""

import datetime as dt
import hashlib
import re

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from incidents.models import Incident


def test_token_is_stored_as_its_hash_only(world):
    token, raw = api_token_create(user=world.users["township1"], name="一张图")
    assert raw.startswith("sc_") and len(raw) > 40
    token.refresh_from_db()
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = " ".join(str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields)
    assert raw not in stored and raw[10:] not in stored


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown", "malformed"])
def test_revoked_expired_or_unknown_token_is_401_problem(api, world, state):
    user = world.users["township1"]
    token, raw = api_token_create(user=user, name="t", expires_days=1)
    header = f"Bearer {raw}"
    if state == "revoked":
        api_token_revoke(token=token, user=user)
    elif state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif state == "unknown":
        header = "Bearer sc_" + "x" * 43
    else:
        header = f"Bearer {raw} extra"
    response = api.client.get("/api/v1/incidents/", HTTP_AUTHORIZATION=header, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401 and body["title"] == "Not authenticated"


def test_token_acts_as_its_user_and_writes_are_audited_as_that_user(api, world):
    payload = {
        "occurred_at": timezone.now().isoformat(),
        "village": world.village1.pk,
        "domain": "fire",
        "accident_type": "08",
        "deaths": 0,
        "serious_injuries": 0,
        "minor_injuries": 1,
        "direct_loss": "0.5",
    }
    response = api.post("/api/v1/incidents/", payload, as_="township1")
    assert response.status_code == 201, response.json()
    incident = Incident.objects.get(pk=response.json()["id"])
    assert incident.created_by == world.users["township1"] and incident.township == world.township1
    entry = LogEntry.objects.get_for_object(incident).get(action=LogEntry.Action.CREATE)
    assert entry.actor == world.users["township1"]


def test_use_is_audited_once_per_token_per_day_and_last_used_kept(api, world, tokens):
    token = ApiToken.objects.get(user=world.users["county"])
    assert token.last_used_at is None
    for _ in range(3):
        assert api.get("/api/v1/areas/", as_="county").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_audited_on == timezone.localdate()
    entries = LogEntry.objects.get_for_object(token).filter(action=LogEntry.Action.ACCESS)
    assert entries.count() == 1
    assert entries.get().actor == world.users["county"]
    # The next day's first use is a new entry.
    ApiToken.objects.filter(pk=token.pk).update(last_audited_on=timezone.localdate() - dt.timedelta(days=1))
    api.get("/api/v1/areas/", as_="county")
    assert entries.count() == 2


def test_profile_page_creates_shows_once_and_revokes(client, world):
    client.force_login(world.users["member1"])
    url = reverse("api:token_list")
    response = client.post(url, {"name": "县平台", "expires_days": "30"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    raw = re.search(r'id="new-token-value">([^<]+)<', html).group(1)
    token = ApiToken.objects.get(user=world.users["member1"])
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.expires_at is not None and token.name == "县平台"
    again = client.get(url).content.decode()
    assert raw not in again and token.prefix in again
    # The page's own content has no inline script or event handler (the strict CSP of issue 13).
    content = again[again.index('<h1 class="h4">') : again.index("</table>")]
    assert not re.search(r"<script(?![^>]*\bsrc=)", content)
    assert not re.search(r"\son[a-z]+=", content)
    assert client.get("/api/v1/areas/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    client.force_login(world.users["member1"])
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/areas/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_user_menu_links_the_token_page_and_others_tokens_cannot_be_revoked(client, world):
    other, _raw = api_token_create(user=world.users["township2"], name="t")
    client.force_login(world.users["township1"])
    assert reverse("api:token_list") in client.get(reverse("home")).content.decode()
    assert client.post(reverse("api:token_revoke", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    client.logout()
    assert client.get(reverse("api:token_list")).status_code == 302


def test_management_command_prints_a_working_token(world, client, capsys):
    call_command("api_token", "county", "--name", "一张图", "--expires-days", "7")
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(token_hash=hashlib.sha256(raw.encode()).hexdigest())
    assert token.user == world.users["county"] and token.name == "一张图"
    assert dt.timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= dt.timedelta(days=7)
    response = client.get("/api/v1/areas/", {"level": "township"}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert {r["code"] for r in response.json()["results"]} == {world.township1.code, world.township2.code}


def test_management_command_refuses_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("api_token", "nobody")
