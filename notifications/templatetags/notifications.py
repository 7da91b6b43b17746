from django import template

from ..selectors import cached_unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    unread = cached_unread_count(user)
    return {"unread": unread, "load": unread is None}
