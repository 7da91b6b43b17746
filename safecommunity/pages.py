"""Kept pages: a read page drawn once per state of what it shows, then served from memory.

A page that only reads (a list, a dashboard, the statistics) shows rows of some data domains
(``safecommunity.datacache``), rows of the models of ``filters.CHOICE_MODELS`` (names of areas,
users, groups …), and what its query string, language, date and reader's role ask for. ``kept``
draws such a page once for each state of these, and keeps it:

- in this worker's memory (``_LOCAL``, the last ``LOCAL_SIZE`` pages), so a page read again costs
  the request's middleware and one read of the versions (no filter form, table, or SQL);
- in the cache for ``timeout`` seconds under a single flight (``datacache.single_flight``), so
  that after a write the readers of a page arriving at once in every worker wait for one drawing
  of it instead of each drawing it (issue 12: 16 readers at once cost about what one does).

The key holds the data versions of the page's townships and the generations of the choice models,
so a write shows on the next request, as everywhere else in the portal. What differs from one
reader to the next is not in the kept copy: the navigation bar (the reader's name, unread
notifications, the path to come back to), the messages, the CSRF token and the one-time form
tokens are drawn in its place as placeholders (``KEEPING`` on the request) and put in for each
request (``_assemble``). The placeholders are random for each drawing and kept with it, so no text
a user typed or put in a URL can stand for one (a CSRF token would be written there). The
navigation bar itself is kept per reader in this worker's memory.

With the cache unreachable the versions are unknown: the page is drawn as usual, never kept.
"""

import hashlib
import re
import secrets
from collections import OrderedDict

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html

# The worker-memory LRU of the list caches (under their lock: a worker may serve in threads).
from .templatetags.sc_tables import _recall, _remember

#: Set on the request while its page is drawn to be kept: the placeholders of the drawing
#: (``new_marks``), which the parts of the page that are each request's own are drawn as.
KEEPING = "_sc_keeping"
#: The CSRF token's placeholder in the navigation bars kept in this worker's memory: random for
#: each process, never sent.
NAVBAR_CSRF_MARK = f"scNavCsrf{secrets.token_hex(24)}"

LOCAL_SIZE = 128
PAGE_TIMEOUT = 15 * 60

_LOCAL: "OrderedDict[str, str]" = OrderedDict()
_NAVBARS: "OrderedDict[tuple, str]" = OrderedDict()
NAVBAR_SIZE = 1024


def new_marks() -> dict:
    """The placeholders of one drawing: random, so that no text of a user's can be one."""
    tag = secrets.token_hex(16)
    return {
        "csrf": f"scKeptCsrf{tag}",
        "once": f"scKeptOnce{tag}",
        "nav": f"<!--sc-kept:navbar:{tag}-->",
        "messages": f"<!--sc-kept:messages:{tag}-->",
    }


def keeping(request) -> dict | None:
    """The placeholders of the drawing ``request`` is in, or None when it is not being kept."""
    return getattr(request, KEEPING, None) if request is not None else None


def page_key(request, *, name: str, domains, townships, variant, generations=None) -> str | None:
    """The key of the page ``request`` asks for, or None when it cannot be known (the cache
    unreachable): ``name`` (the view), its full path, the language and the date, ``variant``
    (what of the reader the page shows: role, area, suppression …), the data versions of
    ``domains`` in ``townships`` and the choice models' generations (read here unless given)."""
    from .datacache import township_id_list, versions
    from .filters import CHOICE_MODELS, choice_generations

    ids = township_id_list(townships)
    data = versions(domains, ids)
    if generations is None:
        generations = choice_generations(sorted(CHOICE_MODELS))
    if None in data or None in generations.values():
        return None
    parts = (
        name,
        request.get_full_path(),
        translation.get_language(),
        timezone.localdate().isoformat(),
        variant,
        domains,
        ids,
        tuple(data),
        tuple(sorted(generations.items())),
    )
    return f"sc:page:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


# The areas a reader's kept page of a view read last time: their versions are read ahead with the
# rest (``reading``), in one round trip, when they are again the page's.
_LAST_AREAS: "OrderedDict[tuple, list]" = OrderedDict()


def reading(request, name: str, domains):
    """What a kept page's request reads of the cache, read in one round trip
    (``datacache.preread``): the choice models' generations, the bell's count and the data
    versions of the areas the reader's page of ``name`` read last time."""
    from notifications.services import unread_cache_key

    from .datacache import preread, version_keys
    from .filters import CHOICE_MODELS, generation_keys

    user = request.user
    keys = generation_keys(sorted(CHOICE_MODELS))
    if user.is_authenticated:
        keys.append(unread_cache_key(user.pk))
        keys += version_keys(domains, _LAST_AREAS.get((name, user.pk), ()))
    return preread(keys)


def kept(request, render, *, name: str, domains, townships, variant, generations=None, timeout: int = PAGE_TIMEOUT):
    """The response of ``render()`` (a view's response: a ``TemplateResponse`` not yet rendered,
    or any other response, which is given as it is), kept under ``page_key``."""
    from .datacache import own_flights, single_flight, township_id_list

    if not settings.SC_KEPT_PAGES:
        return render()
    if request.user.is_authenticated:
        _remember(_LAST_AREAS, 4096, (name, request.user.pk), township_id_list(townships))
    key = page_key(request, name=name, domains=domains, townships=townships, variant=variant, generations=generations)
    if key is None:
        return render()
    html = _recall(_LOCAL, key)
    if html is None:
        refused = []

        def draw():
            with own_flights():
                return _draw()

        def _draw():
            response = render()
            if response.status_code != 200 or not hasattr(response, "context_data") or response.cookies:
                refused.append(response)  # a redirect, an error, a file: not a page to keep
                return None
            marks = new_marks()
            setattr(request, KEEPING, marks)
            try:
                response.context_data = {**(response.context_data or {}), "csrf_token": marks["csrf"]}
                response.render()
            finally:
                setattr(request, KEEPING, None)
            return response.content.decode(response.charset), marks

        html = single_flight(key, draw, timeout)
        if refused:
            return refused[0]
        if html is None:  # another reader's drawing was refused: this reader's own response
            return render()
        _remember(_LOCAL, LOCAL_SIZE, key, html)
    return HttpResponse(_assemble(request, html))


def _assemble(request, page) -> str:
    """A kept page (its HTML and placeholders) with this request's own parts put in."""
    html, marks = page
    html = html.replace(marks["nav"], navbar_html(request, marks["csrf"]), 1)
    html = html.replace(marks["messages"], messages_html(request), 1)
    return _assemble_once(html, marks["once"]).replace(marks["csrf"], get_token(request))


def _assemble_once(html: str, mark: str) -> str:
    """Each one-time form token of a kept page (``once_input``) drawn anew."""
    if mark not in html:
        return html
    return re.sub(re.escape(mark), lambda _m: secrets.token_urlsafe(16), html)


def messages_html(request) -> str:
    from django.contrib.messages import get_messages

    storage = get_messages(request)
    if not len(storage):
        return ""
    return render_to_string("includes/_messages.html", {"messages": storage})


def navbar_html(request, csrf_token) -> str:
    """The navigation bar of base.html for this request (templates/includes/_navbar.html), drawn
    once per reader and place in this worker's memory: its key holds everything it shows."""
    from notifications.selectors import cached_unread_count

    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if user is not None and user.is_authenticated:
        area = user.area if user.area_id else None
        unread = cached_unread_count(user)
        who = (user.pk, str(user), user.role, area and area.pk, area and area.name, unread)
    else:
        who = None
    key = (who, match and match.namespace, request.get_full_path(), translation.get_language())
    html = _recall(_NAVBARS, key)
    if html is None:
        html = render_to_string("includes/_navbar.html", {"csrf_token": NAVBAR_CSRF_MARK}, request=request)
        _remember(_NAVBARS, NAVBAR_SIZE, key, html)
    return html.replace(NAVBAR_CSRF_MARK, str(csrf_token))


def once_input(request) -> str:
    """The hidden one-time token of a form (``OnceTokenMiddleware``); a placeholder in a kept page."""
    marks = keeping(request)
    value = marks["once"] if marks else secrets.token_urlsafe(16)
    return format_html('<input type="hidden" name="_once" value="{}">', value)
