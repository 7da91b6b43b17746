"""Shared table columns (django-tables2)."""

import django_tables2 as tables

from .privacy import mask_phone


class PhoneColumn(tables.Column):
    """Phones are masked unless the user may see personal data. The user is the table's ``user``
    when the table takes one from the view (``TableUserMixin``), else that of the table's request."""

    def render(self, value, table):
        user = table.user if hasattr(table, "user") else getattr(getattr(table, "request", None), "user", None)
        return value if user is not None and user.can_see_personal_data else mask_phone(value)
