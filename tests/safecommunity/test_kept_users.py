"""Sessions read from the cache and users kept per worker (safecommunity.backends): a page view
reads neither row, and every change of a user or of their area shows on the next request."""

import pytest
from django.contrib.auth import get_user_model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safecommunity.backends import KeptUserBackend
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username="township1"):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _queries_of(client, url):
    from django.db import connection

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, [q["sql"] for q in ctx.captured_queries]


def test_a_page_view_reads_no_session_and_no_user_row(client, world):
    _login(client)
    client.get(reverse("incidents:incident_list"))
    response, queries = _queries_of(client, reverse("incidents:incident_list"))
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "township1"
    assert not [q for q in queries if "django_session" in q], queries
    assert not [q for q in queries if 'FROM "safecommunity_user"' in q], queries


def _deactivate(user):
    user.is_active = False


def _new_password(user):
    user.set_password("Another-pass-2026")


@pytest.mark.parametrize("change", [_deactivate, _new_password], ids=["deactivated", "password changed elsewhere"])
def test_a_deactivated_user_or_a_new_password_ends_the_session_on_the_next_request(client, world, change):
    _login(client)
    assert client.get(reverse("home")).status_code == 200
    user = get_user_model().objects.get(username="township1")
    change(user)
    user.save()
    response = client.get(reverse("incidents:incident_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_new_name_role_and_area_name_show_at_once(client, world):
    _login(client)
    assert client.get(reverse("home")).status_code == 200
    user = get_user_model().objects.get(username="township1")
    user.full_name = "新名字甲"
    user.save()
    area = user.area
    area.name = "改名后的街道"
    area.save()
    response = client.get(reverse("home"))
    assert response.wsgi_request.user.full_name == "新名字甲"
    assert response.wsgi_request.user.area.name == "改名后的街道"
    assert "新名字甲" in response.content.decode()


def test_logging_out_ends_the_session_for_a_copy_of_its_cookie(client, world):
    from django.conf import settings

    _login(client)
    assert client.get(reverse("home")).status_code == 200
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(reverse("logout")).status_code == 302
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = client.get(reverse("incidents:incident_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_kept_user_is_a_new_instance_each_time_with_last_login_from_the_database(world):
    from django.utils import timezone

    backend = KeptUserBackend()
    pk = world.users["township1"].pk
    first = backend.get_user(pk)
    second = backend.get_user(pk)
    assert first is not second and second.pk == pk
    assert second.area is not first.area and second.area.pk == first.area.pk
    assert second.area.parent.pk == first.area.parent.pk
    second.full_name = "只在这次请求里"
    assert backend.get_user(pk).full_name != "只在这次请求里"
    # A login saves last_login alone (no generation moves): a kept user reads the new one, and a
    # later save of a kept user leaves it alone.
    logged_in = timezone.now()
    row = get_user_model().objects.get(pk=pk)
    row.last_login = logged_in
    row.save(update_fields=["last_login"])  # as django.contrib.auth.models.update_last_login does
    kept = backend.get_user(pk)
    assert "last_login" in kept.get_deferred_fields()
    kept.phone = "0531-1234567"
    kept.save()
    row = get_user_model().objects.get(pk=pk)
    assert row.last_login == logged_in and row.phone == "0531-1234567"
    assert backend.get_user(pk).last_login == logged_in


def test_without_a_shared_cache_users_are_read_from_the_database(world, settings, django_assert_num_queries):
    settings.SC_KEPT_USERS = False
    backend = KeptUserBackend()
    pk = world.users["township1"].pk
    backend.get_user(pk)
    with django_assert_num_queries(1):
        assert backend.get_user(pk).pk == pk


def test_a_session_left_in_the_cache_after_its_row_is_gone_is_refused_at_its_renewal(client, world, settings):
    """What a logout while Redis is unreachable leaves behind (the row deleted, the cached copy
    not): the copy serves at most until the session's next renewal, whose save fails."""
    from django.contrib.sessions.models import Session

    _login(client)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).delete()
    settings.SESSION_REFRESH_SECONDS = 0  # this request renews the idle expiry
    assert client.get(reverse("incidents:incident_list")).status_code == 400
    assert client.get(reverse("incidents:incident_list")).status_code == 400
