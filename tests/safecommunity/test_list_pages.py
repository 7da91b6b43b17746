"""List pages drawn cheaply (issue 12): the lean rows give the library's own cells, the filter
fields come from a cache that follows their value and choices, and deep pages are bounded."""

import itertools
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from safecommunity.choices import AreaLevel
from safecommunity.generic import MAX_LIST_PAGES, FilteredListView
from safecommunity.services import area_create
from tests.committees.factories import CommitteeMemberFactory
from tests.incidents.factories import IncidentFactory, InjuryRecordFactory
from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory

# templates/tables/cards.html's rows as they were drawn cell by cell through django-tables2.
LIBRARY_ROWS = Template(
    "{% load l10n %}{% for row in table.paginated_rows %}<tr {{ row.attrs.as_html }}>"
    '{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }} data-label="{{ column.header }}">'
    "{% if column.localize == None %}{{ cell }}{% else %}{% if column.localize %}{{ cell|localize }}"
    "{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}</td>{% endfor %}</tr>"
    '{% empty %}{% if table.empty_text %}<tr><td colspan="{{ table.columns|length }}">{{ table.empty_text }}</td></tr>'
    "{% endif %}{% endfor %}"
)


def _tbody(html: str) -> str:
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S).group(1)
    return re.sub(r"\s+", "", body)


def _rows(world):
    grid = GridFactory(village=world.village1)
    entity = EntityFactory(grid=grid)
    for i in range(3):
        IncidentFactory(village=world.villages1[i], deaths=i)
        InjuryRecordFactory(village=world.villages1[i], age=30 + i)
        HazardFactory(entity=entity, registered_by=world.users["inspector1"])
    CommitteeMemberFactory(township=world.township1)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "url_name",
    [
        "incidents:incident_list",
        "incidents:injury_list",
        "inspections:hazard_list",
        "inspections:entity_list",
        "committees:member_list",
    ],
)
def test_lean_rows_are_the_librarys_cells(as_user, world, url_name, language):
    _rows(world)
    client = as_user("township1")
    response = client.get(reverse(url_name), {"year": "all"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    table = response.context["table"]
    assert len(table.page.object_list) >= 1
    table._counter = itertools.count()  # the rows' odd/even count starts again
    with translation.override(language):
        reference = LIBRARY_ROWS.render(Context({"table": table}))
    assert _tbody(response.content.decode()) == re.sub(r"\s+", "", reference)


def test_filter_fields_follow_their_value_choices_and_language(as_user, world):
    client = as_user("county")
    url = reverse("incidents:injury_list")
    first = client.get(url).content.decode()
    assert 'name="township"' in first and "城关街道" in first and "新设镇" not in first
    # A new township is offered at once (the choices are part of the cache key) …
    area_create(code="371799102", name="新设镇", level=AreaLevel.TOWNSHIP, parent=world.county)
    assert "新设镇" in client.get(url).content.decode()
    # … a chosen value is shown selected, and bad input shows its error.
    chosen = client.get(url, {"township": world.township2.pk}).content.decode()
    assert re.search(rf'<option value="{world.township2.pk}" selected>', chosen)
    assert "is-invalid" in client.get(url, {"township": "abc"}).content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Township" in english or "township" in english.lower()


def test_deep_pages_are_bounded_and_cost_what_page_one_costs(as_user, world, monkeypatch):
    assert FilteredListView.max_pages == MAX_LIST_PAGES == 50
    monkeypatch.setattr(FilteredListView, "max_pages", 3)
    per_page, max_pages = 25, 3
    InjuryRecordFactory.create_batch(per_page * max_pages + 5, village=world.village1)
    client = as_user("township1")
    url = reverse("incidents:injury_list")
    with CaptureQueriesContext(connection) as deep:
        response = client.get(url, {"year": "all", "page": 2000})
    table = response.context["table"]
    assert table.paginator.num_pages == max_pages and table.paginator.truncated
    assert table.page.number == max_pages
    assert table.paginator.count == per_page * max_pages + 5
    offsets = [int(m) for q in deep.captured_queries for m in re.findall(r"OFFSET (\d+)", q["sql"])]
    assert offsets and max(offsets) <= per_page * (max_pages - 1)
    html = response.content.decode()
    assert "sc-page-limit" in html and f"仅显示前 {max_pages} 页" in html
    # The last page offered and a deeper one show the same rows; a short list says nothing.
    last = client.get(url, {"year": "all", "page": max_pages}).context["table"]
    assert [r.record.pk for r in last.page.object_list] == [r.record.pk for r in table.page.object_list]
    short = client.get(reverse("incidents:incident_list"), {"year": "all"}).content.decode()
    assert "sc-page-limit" not in short


# --- The caches behind the lists (issue 12): each follows the writes it depends on ----------------


def _injury_rows(client, language="zh-hans", **params):
    response = client.get(reverse("incidents:injury_list"), {"year": "all", **params}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return _tbody(response.content.decode())


def test_kept_rows_follow_a_new_record_an_area_rename_and_the_language(as_user, world):
    from incidents.choices import Cause

    InjuryRecordFactory(village=world.village1, cause=Cause.FALL, age=41)
    client = as_user("township1")
    first = _injury_rows(client)
    assert first == _injury_rows(client)  # drawn from memory the second time
    assert first.count("<tr") == 1 and "东关社区" in first
    # A new record (its save moves the township's incidents version) is listed at once …
    InjuryRecordFactory(village=world.villages1[1], cause=Cause.DROWNING, age=42)
    second = _injury_rows(client)
    assert second.count("<tr") == 2 and "西关社区" in second
    # … a renamed village (the area generation) shows its new name …
    village = world.villages1[1]
    village.name = "西关新社区"
    village.save()
    assert "西关新社区" in _injury_rows(client)
    # … and the same page in English has English labels (the language is in the key).
    with translation.override("en"):
        english_label = str(Cause(Cause.DROWNING).label)
    with translation.override("zh-hans"):
        chinese_label = str(Cause(Cause.DROWNING).label)
    assert english_label != chinese_label
    assert english_label in _injury_rows(client, "en") and chinese_label not in _injury_rows(client, "en")
    assert chinese_label in _injury_rows(client, "zh-hans")


def test_kept_rows_are_each_users_own(as_user, world):
    InjuryRecordFactory(village=world.village1, age=43)
    assert _injury_rows(as_user("township1")).count("<tr") == 1
    # Another township's staff, on the same page and query string: none of township1's rows.
    other = _injury_rows(as_user("township2"))
    assert "东关社区" not in other and "<trclass" not in other


def test_a_second_view_of_a_list_reads_no_rows_and_no_choices(as_user, world):
    InjuryRecordFactory(village=world.village1, age=44)
    client = as_user("county")
    url = reverse("incidents:injury_list")
    client.get(url, {"year": "all"})
    world.users["township2"].save(update_fields=["last_login"])  # what another user's login does
    with CaptureQueriesContext(connection) as second:
        html = client.get(url, {"year": "all"}).content.decode()
    read = {m for q in second.captured_queries for m in re.findall(r'FROM "(\w+)"', q["sql"])}
    assert read == set()  # the session and the user (with their area) come from the cache too
    assert "东关社区" in html and 'name="township"' in html and "城关街道" in html


def test_a_new_working_group_is_offered_by_the_project_filter_at_once(as_user, world):
    from tests.committees.factories import WorkingGroupFactory

    client = as_user("township1")
    url = reverse("projects:project_list")
    assert "交通组" not in client.get(url).content.decode()
    WorkingGroupFactory(township=world.township1, name="交通组")
    assert "交通组" in client.get(url).content.decode()


def test_a_new_village_is_offered_to_the_township_at_once(as_user, world):
    client = as_user("township1")
    url = reverse("incidents:injury_list")
    assert "北街社区" not in client.get(url).content.decode()
    area_create(code="371799001009", name="北街社区", level=AreaLevel.VILLAGE, parent=world.township1)
    assert "北街社区" in client.get(url).content.decode()


def test_a_counted_page_is_as_long_as_its_rows(as_user, world, monkeypatch):
    monkeypatch.setattr(FilteredListView, "paginate_by", 4)
    InjuryRecordFactory.create_batch(10, village=world.village1)
    client = as_user("township1")
    for page in (1, 2, 3, 9):
        table = client.get(reverse("incidents:injury_list"), {"year": "all", "page": page}).context["table"]
        assert len(table.page) == len(list(table.page.object_list.data)) == (2 if page >= 3 else 4)


def test_pk_url_is_what_reverse_gives():
    from safecommunity.links import pk_url

    for name in ("incidents:injury_detail", "inspections:hazard_detail", "committees:member_update"):
        for pk in (0, 7, 123456789):
            assert pk_url(name, pk) == reverse(name, args=[pk])
    assert pk_url("incidents:injury_detail", "12") == reverse("incidents:injury_detail", args=["12"])
