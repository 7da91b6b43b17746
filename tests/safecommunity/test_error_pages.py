"""Issue 10: our own error pages (400, 403, 404, 500, CSRF failure, 429 lockout) in Chinese and in
English, in the site's layout with its navigation and a way back, for anonymous and signed-in users."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.security.test_demo_settings import run_local

pytestmark = pytest.mark.urls("tests.safecommunity.error_urls")

LANGS = {"zh-hans": "zh-CN,zh;q=0.9", "en": "en"}
# status → (Chinese heading, English heading)
HEADINGS = {
    400: ("请求有误", "Bad request"),
    403: ("没有访问权限", "Access denied"),
    404: ("页面不存在", "Page not found"),
    500: ("服务器内部错误", "Server error"),
}


def _client(world, who):
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def _assert_our_page(response, status, lang, *, signed_in):
    html = response.content.decode()
    assert response.status_code == status
    assert 'id="error-page"' in html and 'class="navbar' in html  # the site's layout and navigation
    assert f'<html lang="{lang}">' in html
    zh, en = HEADINGS[status]
    assert (zh if lang == "zh-hans" else en) in html
    assert (en if lang == "zh-hans" else zh) not in html
    assert ("首页" if lang == "zh-hans" else "Home") in html and 'href="/"' in html
    assert "Traceback" not in html and "Django" not in html
    if signed_in and status != 500:  # the 500 page renders without the request: no user, no query
        assert 'href="/incidents/"' in html and 'id="user-menu"' in html


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("who", ["anonymous", "township1"])
@pytest.mark.parametrize(
    "status, url",
    [
        (400, "/test-errors/suspicious/"),
        (403, "/test-errors/forbidden/"),
        (404, "/no-such-page/"),
        (500, "/test-errors/boom/"),
    ],
)
def test_each_error_status_renders_our_page(world, who, lang, status, url):
    response = _client(world, who).get(url, HTTP_ACCEPT_LANGUAGE=LANGS[lang])
    _assert_our_page(response, status, lang, signed_in=who != "anonymous")


@pytest.mark.parametrize("lang", LANGS)
def test_a_wrong_role_gets_our_403_page_from_a_real_view(world, lang):
    response = _client(world, "township1").get("/audit/", HTTP_ACCEPT_LANGUAGE=LANGS[lang])
    _assert_our_page(response, 403, lang, signed_in=True)
    assert ("请联系系统管理员" if lang == "zh-hans" else "Ask your administrator") in response.content.decode()


def test_another_townships_object_is_our_404_page(world):
    from tests.incidents.factories import IncidentFactory

    incident = IncidentFactory(village=world.village2)
    response = _client(world, "township1").get(incident.get_absolute_url())
    _assert_our_page(response, 404, "zh-hans", signed_in=True)


def test_the_500_page_runs_no_query(world, django_assert_num_queries):
    client = _client(world, "anonymous")
    with django_assert_num_queries(0):
        response = client.get("/test-errors/boom/")
    assert response.status_code == 500 and "服务器内部错误" in response.content.decode()


def test_a_back_link_only_to_our_own_pages(world):
    client = _client(world, "township1")
    html = client.get("/no-such-page/", HTTP_REFERER="http://testserver/incidents/").content.decode()
    assert 'href="http://testserver/incidents/" id="error-back"' in html
    html = client.get("/no-such-page/", HTTP_REFERER="https://evil.example/phish").content.decode()
    assert "evil.example" not in html and 'id="error-back"' not in html


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("who", ["anonymous", "township1"])
def test_a_refused_csrf_token_gets_our_page_with_a_new_login(world, who, lang):
    client = Client(enforce_csrf_checks=True)
    if who != "anonymous":
        client.force_login(world.users[who])
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE=LANGS[lang],
        HTTP_REFERER="http://testserver/accounts/password/",
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert 'id="error-page"' in html and 'class="navbar' in html
    assert ("页面已过期，提交未被接受" if lang == "zh-hans" else "The page has expired") in html
    assert ("重新登录" if lang == "zh-hans" else "Sign in again") in html
    assert 'href="/accounts/login/?next=/accounts/password/"' in html
    assert "CSRF verification failed" not in html
    if who != "anonymous":
        assert 'id="user-menu"' in html


def test_a_refused_login_form_offers_a_plain_new_login(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/",
        {"username": "township1", "password": PASSWORD},
        HTTP_REFERER="http://testserver/accounts/login/",
    )
    assert response.status_code == 403
    assert 'href="/accounts/login/" id="error-login"' in response.content.decode()


@pytest.mark.parametrize("lang", LANGS)
def test_the_lockout_is_our_429_page(world, lang):
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "township1", "password": "wrong-password"})
    response = client.post(
        "/accounts/login/", {"username": "township1", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE=LANGS[lang]
    )
    html = response.content.decode()
    assert response.status_code == 429
    assert 'id="error-page"' in html and 'id="locked-out"' in html and 'class="navbar' in html
    assert ("账号已锁定" if lang == "zh-hans" else "Account locked") in html
    assert ("返回登录页" if lang == "zh-hans" else "Back to sign-in") in html


def test_the_embedded_default_shows_our_404_page(tmp_path):
    """``make demo`` (settings.local, DEBUG off): our page, not Django's."""
    out = run_local(tmp_path)
    assert "STATUS 404" in out and 'id="error-page"' in out and "页面不存在" in out
