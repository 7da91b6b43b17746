"""Access limits and reusable filters. A grid inspector sees only the rows of their own grids."""

from django.db.models import Q

from safecommunity.choices import Role
from safecommunity.querysets import ScopedQuerySet

from .choices import OPEN_STATUSES, HazardStatus


class GridScopedQuerySet(ScopedQuerySet):
    """``for_user`` of the township, narrowed to ``Grid.inspector == user`` for grid inspectors.

    ``grid_field`` is the path from the model to its grid ("" for ``Grid`` itself).
    """

    grid_field = "grid"

    def for_user(self, user):
        qs = super().for_user(user)
        if user is not None and user.is_authenticated and user.role == Role.GRID_INSPECTOR:
            lookup = f"{self.grid_field}__inspector" if self.grid_field else "inspector"
            qs = qs.filter(**{lookup: user})
        return qs


class GridQuerySet(GridScopedQuerySet):
    grid_field = ""


class EntityQuerySet(GridScopedQuerySet):
    grid_field = "grid"

    def due_by(self, day):
        return self.filter(next_due_on__lte=day)


class InspectionQuerySet(GridScopedQuerySet):
    grid_field = "entity__grid"


class HazardQuerySet(GridScopedQuerySet):
    grid_field = "entity__grid"

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.filter(status=HazardStatus.CLOSED)

    def overdue(self, today):
        """Open and past the deadline: due on ``today`` is not overdue yet; closed never is."""
        return self.open().filter(deadline__lt=today)

    def major(self):
        return self.filter(is_major=True)


class EnforcementQuerySet(GridScopedQuerySet):
    grid_field = "entity__grid"


class PhotoQuerySet(GridScopedQuerySet):
    grid_field = "entity__grid"


class HazardEventQuerySet(GridScopedQuerySet):
    grid_field = "hazard__entity__grid"


class NotificationQuerySet(ScopedQuerySet):
    def for_user(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(Q(read_at__isnull=True))
