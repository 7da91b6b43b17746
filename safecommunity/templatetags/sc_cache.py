"""``{% rendered_once "name" key %}…{% endrendered_once %}``: a part of a page rendered once per
``key`` and read from the cache after, like Django's ``{% cache %}``, but under a single flight
(``safecommunity.datacache.single_flight``): the readers arriving at once after a write (all of
them missing the part) wait for the first one's rendering instead of each rendering it. ``key``
must name everything the part shows (the dashboards: their cached result's token, the user's
suppression and the language)."""

import hashlib

from django import template
from django.utils.safestring import mark_safe

from safecommunity.datacache import RESULT_TIMEOUT, single_flight

register = template.Library()


class RenderedOnceNode(template.Node):
    def __init__(self, nodelist, name: str, key):
        self.nodelist, self.name, self.key = nodelist, name, key

    def render(self, context):
        key = str(self.key.resolve(context))
        cache_key = f"sc:part:{self.name}:{hashlib.sha256(key.encode()).hexdigest()}"
        # The part is the template's own output (autoescaped as it rendered); the cache keeps it
        # as plain text, so its safety is restored here, as Django's {% cache %} does.
        html = single_flight(cache_key, lambda: str(self.nodelist.render(context)), RESULT_TIMEOUT)
        return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there


@register.tag("rendered_once")
def rendered_once(parser, token):
    bits = token.split_contents()
    if len(bits) != 3 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('usage: {% rendered_once "name" key %}…{% endrendered_once %}')
    nodelist = parser.parse(("endrendered_once",))
    parser.delete_first_token()
    return RenderedOnceNode(nodelist, bits[1][1:-1], parser.compile_filter(bits[2]))
