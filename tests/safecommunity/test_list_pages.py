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
