from django.db.models import Q

from safecommunity.querysets import ScopedQuerySet

from .choices import ActionStatus


class ActionItemQuerySet(ScopedQuerySet):
    def open(self):
        return self.exclude(status=ActionStatus.DONE)

    def done(self):
        return self.filter(status=ActionStatus.DONE)

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)

    def owned_by(self, user):
        """Items assigned to ``user`` directly or through the committee person linked to them."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(Q(owner_user=user) | Q(owner_member__user=user))


class DesignationQuerySet(ScopedQuerySet):
    def due_for_reevaluation(self, today, months=6):
        from safecommunity.periods import add_months

        return self.filter(expires_on__gte=today, expires_on__lt=add_months(today, months))
