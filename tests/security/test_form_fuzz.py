"""Every create and edit form, posted with random and extreme values by a role allowed to use it
(issue 13): never a server error; invalid input re-shows the form with its errors and saves
nothing; a valid post saves and redirects (OWASP ASVS 5.1.3, 5.1.4)."""

import datetime as dt

import pytest
from django import forms
from django.urls import NoReverseMatch, get_resolver, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.pages import make_objects, portal_namespaces, portal_pages_without_arguments

ROLES = ["township1", "county", "admin", "inspector1", "member1"]
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "9" * 40,
    "1e400",
    "NaN",
    "-0.000001",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00",
    "a\x00b",
    "😀" * 3,
    "１２３",
    "null",
    "[]",
    "{}",
    "x" * 5000,
    "\u202e反向",
    "%00",
    "../../etc/passwd",
]


EDIT_SUFFIXES = ("_update", "_edit")
# Settings forms whose names say what they set rather than "edit": each edits what exists.
SETTINGS_PAGES = {"analysis:settings", "notifications:preferences"}


def create_pages():
    """The create forms, and the settings forms that take no argument (frequencies, classes)."""
    names = portal_pages_without_arguments()
    assert SETTINGS_PAGES <= set(names)
    return [name for name in names if name.endswith(("_create", "_revise") + EDIT_SUFFIXES) or name in SETTINGS_PAGES]


def _valid(field):
    """Values the field accepts (most of the time), so valid posts are made too."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:10]]
        return st.lists(st.sampled_from(pks), max_size=2) if pks else st.just([])
    if isinstance(field, forms.ModelChoiceField):
        pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:10]]
        return st.sampled_from(pks) if pks else st.just("")
    if isinstance(field, forms.MultipleChoiceField):
        keys = [str(k) for k, _ in field.choices if k != ""]
        return st.lists(st.sampled_from(keys), max_size=2) if keys else st.just([])
    if isinstance(field, forms.ChoiceField):
        keys = [str(k) for k, _ in field.choices if k not in ("", None)]
        return st.sampled_from(keys) if keys else st.just("")
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", ""])
    if isinstance(field, forms.DateTimeField):
        return st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)).map(lambda d: f"{d.isoformat()}T09:30")
    if isinstance(field, forms.DateField):
        return st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)).map(dt.date.isoformat)
    if isinstance(field, forms.IntegerField):
        lo = field.min_value if field.min_value is not None else 0
        hi = field.max_value if field.max_value is not None else lo + 1000
        return st.integers(lo, hi).map(str)
    if isinstance(field, (forms.DecimalField, forms.FloatField)):
        return st.integers(0, 500).map(lambda n: f"{n / 10:.1f}")
    if isinstance(field, forms.EmailField):
        return st.just("anquan@example.cn")
    max_length = getattr(field, "max_length", None) or 40
    return st.text(alphabet="安全社区巡查隐患整改张三李四东关0123456789abc ", min_size=1, max_size=min(max_length, 40))


def _nasty(field):
    values = st.one_of(st.sampled_from(NASTY), st.text(max_size=30), st.integers(-(10**20), 10**20).map(str))
    if isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
        return st.lists(values, max_size=3)
    return values


def post_data(form):
    """A strategy of POST dicts for ``form``: each field valid, extreme, or left out."""
    fields = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        fields[form.add_prefix(name)] = st.one_of(_valid(field), _valid(field), _nasty(field), st.none())
    return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not None})


def _model(form):
    meta = getattr(form, "_meta", None)
    return getattr(meta, "model", None)


def _open_as_permitted_role(client, world, url):
    for username in ROLES:
        client.force_login(world.users[username])
        response = client.get(url)
        if response.status_code == 200 and response.context and "form" in response.context:
            return username, response.context["form"]
    return None, None


def _fuzz(client, world, url, *, editing, creates_one=False):
    username, form = _open_as_permitted_role(client, world, url)
    assert form is not None, f"no role opens the form at {url}"
    model = _model(form)
    strategy = post_data(form)

    @settings(
        max_examples=6,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=strategy)
    def check(data):
        client.force_login(world.users[username])
        before = model.objects.count() if model else None
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        after = model.objects.count() if model else None
        if response.status_code == 200 and response.context and "form" in response.context:
            shown = response.context["form"]
            assert shown.errors or shown.non_field_errors(), (url, data)
            assert after == before, f"{url}: a refused form saved a row"
        elif response.status_code == 302 and model is not None:
            # an edit adds no row; a create page adds one; a form under an object may also update
            # the one it made before (a hazard's plan), so it adds at most one
            expected = {before} if editing else {before + 1} if creates_one else {before, before + 1}
            assert after in expected, (url, data, before, after)

    check()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("name", create_pages())
def test_create_forms_never_fail_and_save_only_valid_input(client, world, name):
    make_objects(world)
    editing = name.endswith(EDIT_SUFFIXES + ("_revise",)) or name in SETTINGS_PAGES
    _fuzz(client, world, reverse(name), editing=editing, creates_one=not editing)


def object_routes():
    """(namespace, route name) of every form page that takes an object: its edit page, or a form that
    creates something under it (an intervention of a project, a hazard of an entity, …)."""
    routes = []
    resolver = get_resolver()
    for app in portal_namespaces():
        sub = resolver.namespace_dict[app][1]
        for name, entries in sub.reverse_dict.lists():
            if (
                isinstance(name, str)
                and name.endswith(EDIT_SUFFIXES + ("_create", "_regrade", "_plan"))
                and any(params for bits, *_ in entries for _fmt, params in bits)
            ):
                routes.append((app, name))
    return sorted(set(routes))


def _form_url(client, world, app, route, objects):
    """The URL of the route for the fixture's object it edits (by the view's model) if that opens,
    else for the first object under which some role opens the form."""
    matching, others = [], []
    for obj in objects:
        try:
            url = reverse(f"{app}:{route}", args=[obj.pk])
        except NoReverseMatch:
            return None
        model = getattr(getattr(resolve(url).func, "view_class", None), "model", None)
        (matching if model is type(obj) else others).append(url)
    for url in dict.fromkeys(matching + others):
        if _open_as_permitted_role(client, world, url)[1] is not None:
            return url
    return None


@pytest.mark.parametrize("app, route", object_routes())
def test_object_forms_never_fail_and_save_only_valid_input(client, world, app, route):
    url = _form_url(client, world, app, route, make_objects(world))
    assert url, f"tests/security/pages.py makes no object whose {app}:{route} form opens"
    _fuzz(client, world, url, editing=route.endswith(EDIT_SUFFIXES))


def test_every_app_has_its_forms_fuzzed():
    names = create_pages()
    assert len(names) >= 20
    # Every portal app with create or settings forms: the admin site is checked on its own, the API
    # takes JSON, and the monthly close's pages are actions on a month.
    assert {name.split(":")[0] for name in names} == set(portal_namespaces()) - {"admin", "api", "closing"}
    assert len(object_routes()) >= 20
    assert {app for app, _route in object_routes()} >= {"accountability", "notifications"}


def test_a_baselines_edit_page_cannot_move_it_to_another_area_or_year(as_user, world):
    """Found by the fuzzer: posting another area or year to a baseline's edit page made a second row."""
    from incidents.models import RateBaseline

    baseline = RateBaseline.objects.create(area=world.township1, year=2026, population=30000)
    response = as_user("county").post(
        reverse("incidents:baseline_update", args=[baseline.pk]),
        {"area": world.township2.pk, "year": "2025", "population": "31000"},
    )
    assert response.status_code == 302
    assert list(RateBaseline.objects.values_list("area", "year", "population")) == [(world.township1.pk, 2026, 31000)]
    response = as_user("county").post(reverse("incidents:baseline_create"), {"area": world.township1.pk, "year": "0"})
    assert response.status_code == 200 and response.context["form"].errors["year"]
