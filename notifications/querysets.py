from django.db import models

from safecommunity.querysets import county_township_ids


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user's own notifications only: anybody else's is a 404."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(recipient=user, in_app=True)

    def unread(self):
        return self.filter(read_at__isnull=True)


class CountyScopedQuerySet(models.QuerySet):
    """Rows of a county (``county`` field): its county-level users only."""

    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active or not user.is_county_level:
            return self.none()
        return self.filter(county_id=user.area_id)


class DeliveryQuerySet(models.QuerySet):
    def for_user(self, user):
        """Sends to the users of a county user's county."""
        if user is None or not user.is_authenticated or not user.is_active or not user.is_county_level:
            return self.none()
        return self.filter(models.Q(user__area_id=user.area_id) | models.Q(user__area_id__in=county_township_ids(user)))
