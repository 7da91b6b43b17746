"""Issue 13: a session ends 12 hours after its login however active it is, next to the
30-minute idle timeout (OWASP ASVS 3.3.1, 3.3.2; 等保2.0 身份鉴别: 登录连接超时自动退出)."""

import time

from django.conf import settings
from django.urls import reverse

from safecommunity.security import SESSION_STARTED_KEY
from tests.conftest import PASSWORD


def login(client, username="township1"):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def age_session(client, seconds):
    session = client.session
    session[SESSION_STARTED_KEY] = session[SESSION_STARTED_KEY] - seconds
    session.save()


def test_the_absolute_lifetime_is_twelve_hours_next_to_the_thirty_minute_idle_timeout():
    assert settings.SESSION_ABSOLUTE_AGE == 12 * 3600
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_REFRESH_SECONDS == 60


def test_login_records_when_the_session_started(client, world):
    login(client)
    assert abs(client.session[SESSION_STARTED_KEY] - time.time()) < 60


def test_an_active_session_still_works_before_twelve_hours(client, world):
    login(client)
    age_session(client, 12 * 3600 - 60)
    assert client.get(reverse("incidents:incident_list")).status_code == 200


def test_an_active_session_ends_after_twelve_hours(client, world):
    login(client)
    age_session(client, 12 * 3600 + 1)
    response = client.get(reverse("incidents:incident_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # The session is gone: the next page asks for a login too.
    assert client.get(reverse("home")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_session_without_a_login_time_starts_counting(client, world):
    client.force_login(world.users["township1"])
    session = client.session
    session.pop(SESSION_STARTED_KEY, None)
    session.save()
    assert client.get(reverse("home")).status_code == 200
    assert SESSION_STARTED_KEY in client.session


def test_page_views_within_a_minute_write_no_session_and_idle_sessions_still_end(
    client, world, django_assert_max_num_queries
):
    """Issue 12: no session write per page view (SESSION_SAVE_EVERY_REQUEST is off); the idle
    expiry is renewed once SESSION_REFRESH_SECONDS have passed, and a session idle for its
    SESSION_COOKIE_AGE still ends."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from safecommunity.security import SESSION_SEEN_KEY

    assert not settings.SESSION_SAVE_EVERY_REQUEST
    login(client)
    key = client.session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    for _ in range(3):
        with django_assert_max_num_queries(100) as ctx:
            assert client.get(reverse("home")).status_code == 200
        assert not [q for q in ctx.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert Session.objects.get(session_key=key).expire_date == expiry
    # Twenty minutes of reading later (the last renewal that long ago), a page view renews it.
    session = client.session
    session[SESSION_SEEN_KEY] -= 20 * 60
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=10))
    assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + timedelta(minutes=29)
    # Idle past the timeout: the next page asks for a login.
    from tests.conftest import end_session

    end_session(key, at=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("incidents:incident_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
