"""Every importable record kind has a list page that offers its import (``import_kind``): the
buttons of ``layouts/list.html`` are shown to the roles that may import it, never to the others."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safecommunity.records.registry import kinds


def _list_pages(patterns=None, namespace=""):
    """(url name, import kind) of every argument-free page whose view sets ``import_kind``."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _list_pages(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
            view_class = getattr(pattern.callback, "view_class", None)
            kind = getattr(view_class, "import_kind", None)
            if kind:
                yield f"{namespace}{pattern.name}", kind


LIST_PAGES = sorted(set(_list_pages()))
# The project's kinds (not those that tests register for themselves, tests/…/records_fixtures).
IMPORTABLE = sorted(k.name for k in kinds() if k.import_roles and not type(k).__module__.startswith("tests."))


def test_every_importable_kind_has_a_list_page_with_its_import():
    assert IMPORTABLE and {kind for _, kind in LIST_PAGES} == set(IMPORTABLE)


@pytest.mark.parametrize("url_name, kind", LIST_PAGES)
def test_the_import_buttons_are_shown_to_the_roles_that_may_import_only(client, world, url_name, kind):
    from safecommunity.records import get_kind

    roles, import_url = get_kind(kind).import_roles, reverse("records:import_new", args=[kind])
    shown, hidden = set(), set()
    for username, user in world.users.items():
        client.force_login(user)
        response = client.get(reverse(url_name))
        if response.status_code != 200:
            continue  # a role that may not read the page sees no button either
        offered = import_url in response.content.decode()
        assert offered == (user.role in roles and user.is_township_level), (url_name, username)
        (shown if offered else hidden).add(username)
    # The check means something: one user who may import sees the buttons, one who may read the
    # page but not import does not.
    assert shown and hidden, (url_name, shown, hidden)
