"""Demo: today's reminders and escalations, as the 06:10 job would send them (idempotent)."""

from django.utils import timezone


def seed_demo(world, *, stdout=None):
    from .services import reminders_run

    result = reminders_run(today=timezone.localdate())
    if stdout is not None:
        stdout.write(f"notifications: {result['hazards']} hazard reminders, {result['action_items']} escalations")
