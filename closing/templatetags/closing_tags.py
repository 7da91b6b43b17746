"""Approval state of what a page shows for an approved month: ``{% briefing_approval briefing as a %}``,
``{% period_approval township period as a %}``, then ``{% include "closing/_approval_badge.html" with approval=a %}``."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def briefing_approval(briefing):
    return selectors.briefing_approval(briefing)


@register.simple_tag
def period_approval(township, period):
    return selectors.period_approval(township=township, period=period)
