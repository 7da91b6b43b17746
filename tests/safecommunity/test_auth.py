"""Login, lockout after 5 failures for 30 minutes, idle expiry, password rules, audit of logins."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from safecommunity.choices import SecurityEventKind
from safecommunity.models import SecurityEvent
from safecommunity.security import client_ip
from tests.conftest import PASSWORD


def _login(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_login_with_right_password_reaches_home_and_is_audited(client, world):
    response = _login(client, "township1", PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302 and response["Location"] == "/"
    event = SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN)
    assert event.username == "township1" and event.user == world.users["township1"]
    assert event.ip_address == "10.1.2.3"


def test_wrong_password_shows_chinese_message_and_is_audited(client, world):
    response = _login(client, "township1", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED, username="township1").count() == 1


def test_five_failures_lock_the_username_even_with_the_right_password(client, world):
    for _ in range(5):
        _login(client, "township1", "wrong-password")
    response = _login(client, "township1", PASSWORD)
    assert response.status_code == 429
    assert "锁定30分钟" in response.content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKED_OUT, username="township1").exists()
    # Another user is not affected by township1's lock.
    assert _login(client, "township2", PASSWORD).status_code == 302


def test_four_failures_do_not_lock(client, world):
    for _ in range(4):
        _login(client, "township1", "wrong-password")
    assert _login(client, "township1", PASSWORD).status_code == 302


def test_lock_expires_by_itself_after_30_minutes(client, world):
    for _ in range(5):
        _login(client, "township1", "wrong-password")
    assert _login(client, "township1", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert _login(client, "township1", PASSWORD).status_code == 302


def test_lock_is_per_username_not_per_spoofed_address(client, world):
    """Rotating X-Forwarded-For from an untrusted client does not escape the lock."""
    for i in range(5):
        _login(client, "township1", "wrong-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert _login(client, "township1", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_client_ip_believes_forwarded_for_only_from_a_trusted_proxy(rf, settings):
    settings.TRUSTED_PROXY_IPS = ["10.0.0.5"]
    direct = rf.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert client_ip(direct) == "203.0.113.7"
    proxied = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.4")
    assert client_ip(proxied) == "198.51.100.4"
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(garbage) == "10.0.0.5"


def test_session_expires_after_30_minutes_idle(client, world):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(world.users["township1"])
    assert client.get("/").status_code == 200
    from tests.conftest import end_session

    end_session(client.session.session_key, at=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_request_a_minute_after_the_last_renewal_pushes_the_idle_expiry_forward(client, world):
    from django.contrib.sessions.models import Session

    from safecommunity.security import SESSION_SEEN_KEY

    client.force_login(world.users["township1"])
    client.get("/")
    session = client.session
    session[SESSION_SEEN_KEY] -= settings.SESSION_REFRESH_SECONDS  # the last renewal was a minute ago
    session.save()
    key = session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get("/")
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + timedelta(minutes=29)


@pytest.mark.parametrize("password", ["short1!A", "1234567890123", "password1234"])
def test_weak_passwords_are_refused(password, db):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_password_change_requires_ten_characters_and_is_in_chinese(client, world):
    client.force_login(world.users["township1"])
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": "Ab1!short", "new_password2": "Ab1!short"}
    )
    assert response.status_code == 200
    assert "密码太短，至少需要 10 个字符" in response.content.decode()
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Qingshan-2026-anquan", "new_password2": "Qingshan-2026-anquan"},
    )
    assert response.status_code == 302


def test_logout_needs_post_and_ends_the_session(client, world):
    client.force_login(world.users["township1"])
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOGOUT, username="township1").exists()
