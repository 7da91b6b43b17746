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


@register.simple_tag(takes_context=True)
def once_token(context):
    """The hidden one-time token of a create/transition form (safecommunity.middleware.OnceTokenMiddleware)."""
    from safecommunity.pages import once_input

    return once_input(context.get("request"))


@register.simple_tag(takes_context=True)
def navbar(context):
    """base.html's navigation bar (templates/includes/_navbar.html), kept per reader in this
    worker's memory; a placeholder in a page drawn to be kept (``safecommunity.pages``)."""
    from django.utils.safestring import mark_safe

    from safecommunity import pages

    request = context.get("request")
    if request is None:  # the 500 page: drawn without a request, user or query
        from django.template.loader import render_to_string

        return render_to_string("includes/_navbar.html", context.flatten())
    marks = pages.keeping(request)
    if marks:
        return mark_safe(marks["nav"])  # noqa: S308 - a placeholder of ours
    return mark_safe(pages.navbar_html(request, context.get("csrf_token")))  # noqa: S308 - drawn by the template engine


@register.simple_tag(takes_context=True)
def page_messages(context):
    """The messages of the request (templates/includes/_messages.html); a placeholder in a page
    drawn to be kept, put in for each request."""
    from django.utils.safestring import mark_safe

    from safecommunity import pages

    request = context.get("request")
    marks = pages.keeping(request)
    if marks:
        return mark_safe(marks["messages"])  # noqa: S308 - a placeholder of ours
    from django.template.loader import render_to_string

    return mark_safe(render_to_string("includes/_messages.html", {"messages": context.get("messages", ())}))  # noqa: S308


@register.simple_tag
def breakdown_rows(rows, empty):
    """The rows of a breakdown table, ``<tr><td>label</td><td class="text-end">n</td></tr>`` for
    each ``(code, label, n)``, or one row saying ``empty``: what a ``{% for %}`` over them would
    draw, in a fraction of its time (the statistics page's village breakdown has some 700 rows;
    each count is localized once per value)."""
    from django.utils.formats import localize
    from django.utils.html import conditional_escape, format_html
    from django.utils.safestring import mark_safe

    if not rows:
        return format_html('<tr><td class="text-muted">{}</td></tr>', empty)
    numbers: dict = {}
    parts = []
    for _code, label, n in rows:
        text = numbers.get((type(n), n))
        if text is None:
            text = numbers[type(n), n] = conditional_escape(localize(n))
        parts.append(f'<tr><td>{conditional_escape(label)}</td><td class="text-end">{text}</td></tr>')
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above
