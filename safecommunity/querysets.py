"""Access limits shared by every app: each query starts from ``.for_user(user)``.

A model is scoped by the township it belongs to. By default that is its ``township`` field;
a model reached through another row names the path in ``township_field`` (for example
``township_field = "incident__township"``). County-level users see every township under
their county, township-level users their own township only, anybody else nothing.
"""

from django.db import models


def township_field_of(model) -> str:
    return getattr(model, "township_field", "township")


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active or not user.area_id:
            return self.none()
        field = township_field_of(self.model)
        if user.is_county_level:
            return self.filter(**{f"{field}__parent_id": user.area_id})
        if user.is_township_level:
            return self.filter(**{f"{field}_id": user.area_id})
        return self.none()

    def in_township(self, township):
        field = township_field_of(self.model)
        return self.filter(**{f"{field}_id": getattr(township, "pk", township)})

    def in_county(self, county):
        field = township_field_of(self.model)
        return self.filter(**{f"{field}__parent_id": getattr(county, "pk", county)})


class AreaQuerySet(models.QuerySet):
    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active or not user.area_id:
            return self.none()
        return self.filter(code__startswith=user.area.code)

    def counties(self):
        return self.filter(level="county")

    def townships(self):
        return self.filter(level="township")

    def villages(self):
        return self.filter(level="village")

    def under(self, code: str):
        return self.filter(code__startswith=code).exclude(code=code)
