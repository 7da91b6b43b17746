"""Shared table columns (django-tables2)."""

import django_tables2 as tables

from .privacy import mask_phone


class PhoneColumn(tables.Column):
    """Phones are masked unless the user may see personal data. The user is the table's ``user``
    when the table takes one from the view (``TableUserMixin``), else that of the table's request."""

    def render(self, value, table):
        user = table.user if hasattr(table, "user") else getattr(getattr(table, "request", None), "user", None)
        return value if user is not None and user.can_see_personal_data else mask_phone(value)


def link_for_editors(url_name: str, roles=None):
    """``linkify`` for a row whose only page is its edit form (members, local roles, surveys):
    the link is offered to the roles that may edit it, plain text to the others (a committee
    member would otherwise meet a 403)."""
    from django.urls import reverse

    from .permissions import EDIT_TOWNSHIP

    allowed = EDIT_TOWNSHIP if roles is None else roles

    def link(record, table):
        user = table.user if hasattr(table, "user") else getattr(getattr(table, "request", None), "user", None)
        if user is None or user.role not in allowed:
            return None
        return reverse(url_name, args=[record.pk])

    return link
