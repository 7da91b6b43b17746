"""The scope of the county's accountability records: a county user reads their county's rows; a
township user reads the rows of their county that concern their township (the area a row names
is the township or one of its villages); nobody else reads anything."""

from django.db import models


class CountyOwnedQuerySet(models.QuerySet):
    #: The path from the row to the area it concerns (a township or a village).
    area_field = "area"

    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active or not user.area_id:
            return self.none()
        if user.is_county_level:
            return self.filter(county_id=user.area_id)
        if user.is_township_level:
            return self.filter(county_id=user.area.parent_id).concerning(user.area.code)
        return self.none()

    def concerning(self, code: str):
        return self.filter(**{f"{self.area_field}__code__startswith": code})


class LeaderQuerySet(CountyOwnedQuerySet):
    area_field = "duty_areas"

    def concerning(self, code: str):
        # A leader with several duty areas in one township is listed once.
        return self.filter(pk__in=type(self)(self.model).filter(duty_areas__code__startswith=code).values("pk"))

    def active(self):
        return self.filter(is_active=True)
