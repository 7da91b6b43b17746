"""Template helpers loaded everywhere (settings TEMPLATES builtins)."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from safecommunity import privacy

register = template.Library()


@register.filter
def mask_name(value):
    return privacy.mask_name(value)


@register.filter
def mask_id(value):
    return privacy.mask_id_number(value)


@register.filter
def mask_phone(value):
    return privacy.mask_phone(value)


@register.filter
def pct(value, digits=1):
    """0.1234 → 12.3% ; None → —"""
    if value is None or value == "":
        return "—"
    return f"{Decimal(str(value)) * 100:.{int(digits)}f}%"


@register.filter
def change(value):
    """A relative change (0.175, -0.3, None) as 上升17.5% / 下降30.0% / — (no earlier figure)."""
    if value is None:
        return "—"
    value = Decimal(str(value))
    if value > 0:
        return _("上升%(p)s%%") % {"p": f"{value * 100:.1f}"}
    if value < 0:
        return _("下降%(p)s%%") % {"p": f"{-value * 100:.1f}"}
    return _("持平")


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (pagination, export links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
