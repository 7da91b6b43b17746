"""A strict Content-Security-Policy on every page, and pages that need nothing more (issue 13):
no inline <script> that executes, no on*= handler, no javascript: URL; data reaches the static
scripts through data-* attributes and json_script blocks (OWASP ASVS 14.4.3, 5.3.3)."""

from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.committees.factories import (
    ActionItemFactory,
    ActivityFactory,
    AgreementFactory,
    AwarenessSurveyFactory,
    CommitteeMemberFactory,
    CommunityFactory,
    MeetingFactory,
    WorkingGroupFactory,
)
from tests.incidents.factories import IncidentFactory, InjuryRecordFactory
from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory
from tests.projects.factories import EvidenceFactory, InterventionFactory, ProjectFactory

ROLES = ["township1", "inspector1", "member1", "county", "admin"]
# Pages that are not HTML pages of the portal, or need a POST, or belong to the admin site (its
# own pages are checked by ``test_admin_pages_carry_the_policy``).
SKIP_NAMES = {"logout", "set_language", "javascript-catalog", "healthz", "inspections:notification_read"}
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


def assert_strict_policy(response, url):
    header = response.get("Content-Security-Policy")
    assert header, f"{url}: no Content-Security-Policy"
    policy = parse_policy(header)
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
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
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
        "<script>alert(1)…", "<select onchange=…>", "<a href='javascript:x()'>"]
    assert inline_code('<script src="/static/a.js"></script><script type="application/json" id="d">{"a": 1}'
                       '</script><a href="/x" data-on="1">') == []


def portal_pages_without_arguments():
    """Every named portal URL that takes no argument (lists, create forms, dashboards, statistics,
    index pages, settings, the audit log, the login page)."""
    names = []

    def walk(resolver, namespace):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                walk(p, f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.converters:
                if "<" not in str(p.pattern) and "(?P" not in str(p.pattern):
                    names.append(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver(), "")
    return sorted(n for n in set(names) if n not in SKIP_NAMES)


@pytest.fixture
def objects(world):
    """One object of each kind of detail/edit page, in township 1."""
    t1, v1 = world.township1, world.village1
    member = CommitteeMemberFactory(township=t1, user=world.users["member1"])
    meeting = MeetingFactory(township=t1, chair=member)
    grid = GridFactory(village=v1, inspector=world.users["inspector1"], head=world.users["township1"])
    entity = EntityFactory(grid=grid)
    project = ProjectFactory(township=t1)
    return [
        CommunityFactory(township=t1), member, WorkingGroupFactory(township=t1, lead=member), meeting,
        ActionItemFactory(township=t1, meeting=meeting, owner_member=member), ActivityFactory(township=t1),
        AgreementFactory(township=t1, village=v1), AwarenessSurveyFactory(township=t1),
        project, InterventionFactory(project=project), EvidenceFactory(township=t1),
        IncidentFactory(village=v1), InjuryRecordFactory(village=v1),
        grid, entity, HazardFactory(entity=entity, registered_by=world.users["inspector1"]),
    ]


def object_pages(objects):
    """Each object's detail page and every GET page of its app that takes just its pk
    (edit, delete confirmation, plan, reveal, …)."""
    urls = set()
    resolver = get_resolver()
    for obj in objects:
        urls.add(obj.get_absolute_url())
        app, model = obj._meta.app_label, obj._meta.model_name
        sub = resolver.namespace_dict.get(app)
        if not sub:
            continue
        for name in [n for n in sub[1].reverse_dict.keys() if isinstance(n, str) and n.startswith(model)]:
            try:
                urls.add(reverse(f"{app}:{name}", args=[obj.pk]))
            except Exception:  # noqa: BLE001 (a route with other arguments)
                continue
    return sorted(urls)


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
    assert {"home", "incidents:statistics", "reports:dashboard", "inspections:grid_list",
            "incidents:injury_create", "audit"} <= set(pages)
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
    for url in [reverse("admin:index"), reverse("admin:incidents_incident_changelist"),
                reverse("admin:safecommunity_area_add")]:
        response = client.get(url)
        assert response.status_code == 200
        assert_strict_policy(response, url)
