"""Template helpers loaded everywhere (settings TEMPLATES builtins)."""

from decimal import Decimal

from django import template

from safecommunity import periods, privacy

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


@register.simple_tag
def change_text(current, previous):
    """同比/环比 wording: 上升17.5% / 下降30.0% / 持平 / — (no earlier figure)."""
    return periods.change_text(current, previous)


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


@register.simple_tag
def once_token():
    """The hidden one-time token of a create/transition form (safecommunity.middleware.OnceTokenMiddleware)."""
    import secrets

    from django.utils.html import format_html

    return format_html('<input type="hidden" name="_once" value="{}">', secrets.token_urlsafe(16))
