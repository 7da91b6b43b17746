"""A strict Content-Security-Policy on every page, and pages that need nothing more (issue 13):
no inline <script> that executes, no on*= handler, no javascript: URL; data reaches the static
scripts through data-* attributes and json_script blocks (OWASP ASVS 14.4.3, 5.3.3)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.security.pages import make_objects, object_pages, portal_pages_without_arguments

ROLES = ["township1", "inspector1", "member1", "county", "admin"]
REQUIRED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:", "blob:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def parse_policy(header: str) -> dict[str, set[str]]:
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = set(words[1:])
    return policy


def assert_preview_policy(policy, url):
    """The briefing preview is the print HTML shown in the briefing page's own frame: nothing may
    run or load (default-src 'none', no script source at all); its print sheet is an inline <style>."""
    from reports.views.briefings import PREVIEW_CSP

    assert policy == {k: set(v) for k, v in PREVIEW_CSP.items()}, (url, policy)
    assert policy["default-src"] == {"'none'"} and "script-src" not in policy
    assert policy["frame-ancestors"] == {"'self'"}


def assert_strict_policy(response, url):
    header = response.get("Content-Security-Policy")
    assert header, f"{url}: no Content-Security-Policy"
    policy = parse_policy(header)
    if response.status_code == 200 and re.fullmatch(r"/reports/briefings/\d+/preview/", url):
        return assert_preview_policy(policy, url)
    for directive, sources in REQUIRED.items():
        assert policy.get(directive) == sources, (url, directive, policy.get(directive))
    # Inline style attributes only (ECharts' tooltips); nothing else may run or load inline.
    assert policy.get("style-src-attr") == {"'unsafe-inline'"}
    for directive, sources in policy.items():
        if directive != "style-src-attr":
            assert not sources & {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"}, (url, directive)


class _InlineCode(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block: inline scripts, on*= handlers,
    javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            kind = (attrs.get("type") or "").lower()
            if "src" not in attrs and kind not in ("application/json", "application/ld+json"):
                self._in_inline_script = True

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.problems.append(f"<script>{data.strip()[:60]}…")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    return parser.problems


def test_the_checker_finds_inline_code():
    assert inline_code('<script>alert(1)</script><select onchange="go()"><a href="javascript:x()">') == [
        "<script>alert(1)…",
        "<select onchange=…>",
        "<a href='javascript:x()'>",
    ]
    assert (
        inline_code(
            '<script src="/static/a.js"></script><script type="application/json" id="d">{"a": 1}'
            '</script><a href="/x" data-on="1">'
        )
        == []
    )


@pytest.fixture
def objects(world):
    return make_objects(world)


def _check(client, url, failures):
    response = client.get(url)
    if response.status_code >= 500:
        failures.append(f"{url}: {response.status_code}")
        return
    if "text/html" not in response.get("Content-Type", ""):
        return
    assert_strict_policy(response, url)
    problems = inline_code(response.content.decode())
    if problems:
        failures.append(f"{url}: {problems}")


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_each_role_has_a_strict_policy_and_no_inline_code(client, world, objects, username):
    client.force_login(world.users[username])
    pages = portal_pages_without_arguments()
    assert {
        "home",
        "incidents:statistics",
        "reports:dashboard",
        "inspections:grid_list",
        "incidents:injury_create",
        "audit",
    } <= set(pages)
    urls = [reverse(name) for name in pages] + object_pages(objects)
    assert len(urls) >= 90
    failures = []
    for url in urls:
        _check(client, url, failures)
    assert not failures, "\n".join(failures)


def test_login_and_error_pages_have_a_strict_policy_and_no_inline_code(client, world):
    for url, status in [(reverse("login"), 200), ("/no-such-page/", 404), (reverse("incidents:incident_list"), 302)]:
        response = client.get(url)
        assert response.status_code == status
        assert_strict_policy(response, url)
        assert inline_code(response.content.decode()) == []
    client.force_login(world.users["member1"])
    response = client.get(reverse("incidents:injury_create"))  # wrong role
    assert response.status_code == 403
    assert_strict_policy(response, "403")
    assert inline_code(response.content.decode()) == []
    response = client.get(reverse("incidents:incident_detail", args=[999999]))
    assert response.status_code == 404 and inline_code(response.content.decode()) == []
    assert_strict_policy(response, "404")


def test_admin_pages_carry_the_policy(client, world):
    client.force_login(world.users["admin"])
    world.users["admin"].is_staff = world.users["admin"].is_superuser = True
    world.users["admin"].save()
    for url in [
        reverse("admin:index"),
        reverse("admin:incidents_incident_changelist"),
        reverse("admin:safecommunity_area_add"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert_strict_policy(response, url)
