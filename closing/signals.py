"""Sent by ``closing.services`` after the change commits, with keyword arguments
``township`` (Area), ``month`` ("YYYY-MM"), ``actor`` (User) and ``reason`` (str, may be "").
The notifications app connects its notifier to these."""

from django.dispatch import Signal

month_submitted = Signal()
month_returned = Signal()
month_approved = Signal()
correction_requested = Signal()
correction_decided = Signal()
