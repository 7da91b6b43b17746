"""Access limits shared by every app: each query starts from ``.for_user(user)``.

A model is scoped by the township it belongs to. By default that is its ``township`` field;
a model reached through another row names the path in ``township_field`` (for example
``township_field = "incident__township"``). County-level users see every township under
their county, township-level users their own township only, anybody else nothing.
"""

from django.db import models


def township_field_of(model) -> str:
    return getattr(model, "township_field", "township")


def township_ids(townships) -> list[int]:
    """A queryset or list of township Areas (or ids), one Area or one id → a list of ids.

    Selectors filter on the literal list (``township_id = ANY(...)``) rather than a join or a
    subquery, for the same reason as ``county_township_ids``."""
    if isinstance(townships, models.QuerySet):
        return list(townships.values_list("pk", flat=True))
    if isinstance(townships, (int, str)) or hasattr(townships, "pk"):
        townships = [townships]
    return [int(getattr(t, "pk", t)) for t in townships]


def first_rows_and_count(queryset, limit: int) -> tuple[list, int]:
    """The first ``limit`` rows of ``queryset`` and how many rows it has in all, in one query
    (``COUNT(*) OVER ()`` counts the rows before the LIMIT; also those of a GROUP BY ... HAVING)."""
    from django.db.models import Count, Window

    rows = list(queryset.annotate(_rows_in_all=Window(Count("pk")))[:limit])
    if not rows:
        return rows, 0
    return rows, (rows[0]["_rows_in_all"] if isinstance(rows[0], dict) else rows[0]._rows_in_all)


def county_township_ids(user) -> list[int]:
    """The ids of the townships of a county user's county, read once per user object.

    Queries then filter on a literal list (``township_id = ANY(...)``) rather than a join on the
    area table: PostgreSQL estimates each township's rows from its statistics and walks the
    (township, time) indexes, where the join misleads it on tables of a million rows.
    """
    cached = getattr(user, "_county_township_ids", None)
    if cached is None:
        from .models import Area

        cached = list(Area.objects.filter(parent_id=user.area_id).townships().values_list("pk", flat=True))
        user._county_township_ids = cached
    return cached


def scope_township_ids(user) -> list[int]:
    """The townships a user reads: their county's, or their own."""
    if user.is_county_level:
        return county_township_ids(user)
    return [user.area_id] if user.area_id else []


def county_owned_target(model):
    """(the county-ownable model a scope path ends on, the path's prefix) or (None, "")."""
    field = township_field_of(model)
    parts = field.split("__")[:-1]
    target = model
    for part in parts:
        target = target._meta.get_field(part).related_model
    if getattr(target, "county_ownable", False):
        return target, "".join(f"{p}__" for p in parts)
    return None, ""


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active or not user.area_id:
            return self.none()
        field = township_field_of(self.model)
        target, prefix = county_owned_target(self.model)
        if user.is_county_level:
            ids = county_township_ids(user)
            if target is not None:  # the county's own rows stand beside its townships'
                ids = [*ids, user.area_id]
            return self.filter(**{f"{field}_id__in": ids})
        if user.is_township_level:
            mine = models.Q(**{f"{field}_id": user.area_id})
            if target is not None and target.county_published is not None and user.area.parent_id:
                published = {f"{prefix}{k}": v for k, v in target.county_published.items()}
                mine |= models.Q(**{f"{field}_id": user.area.parent_id}, **published)
            return self.filter(mine)
        return self.none()

    def in_county(self, county):
        field = township_field_of(self.model)
        return self.filter(**{f"{field}__parent_id": getattr(county, "pk", county)})

    # Bulk writes send no model signals: they tell the data cache here, for a model that
    # ``safecommunity.datacache.track`` registered (the one way results are invalidated).
    def bulk_create(self, objs, *args, **kwargs):
        from .bulkcopy import copy_create
        from .datacache import bulk_changed
        from .filters import choices_changed

        objs = list(objs)
        plain = not args and not any(v for k, v in kwargs.items() if k != "batch_size")
        if not (plain and copy_create(self, objs)):  # many plain rows: COPY, else Django's INSERT
            objs = super().bulk_create(objs, *args, **kwargs)
        bulk_changed(self.model, objs=objs)
        choices_changed(self.model)
        return objs

    def bulk_update(self, objs, fields, *args, **kwargs):
        from .datacache import bulk_changed, tracked_townships
        from .filters import choices_changed

        objs = list(objs)
        before = tracked_townships(self.model._default_manager.filter(pk__in=[o.pk for o in objs]))
        updated = super().bulk_update(objs, fields, *args, **kwargs)
        bulk_changed(self.model, objs=objs, township_ids=before)
        choices_changed(self.model)
        return updated

    def update(self, **kwargs):
        from .datacache import bulk_changed, tracked_townships
        from .filters import choices_changed

        before = tracked_townships(self)
        updated = super().update(**kwargs)
        if updated:
            bulk_changed(self.model, township_ids=before, values=kwargs)
            choices_changed(self.model)
        return updated


class ChoiceRowsQuerySet(models.QuerySet):
    """Bulk writes (which send no model signals) move the generation of the model's rows offered
    as filter choices (``safecommunity.filters.CHOICE_MODELS``), as a save or delete does."""

    def bulk_create(self, objs, *args, **kwargs):
        from .filters import choices_changed

        objs = super().bulk_create(objs, *args, **kwargs)
        choices_changed(self.model)
        return objs

    def bulk_update(self, objs, fields, *args, **kwargs):
        from .filters import choices_changed

        updated = super().bulk_update(objs, fields, *args, **kwargs)
        choices_changed(self.model)
        return updated

    def update(self, **kwargs):
        from .filters import choices_changed

        updated = super().update(**kwargs)
        if updated:
            choices_changed(self.model)
        return updated


class AreaQuerySet(ChoiceRowsQuerySet):
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


class UserQuerySet(ChoiceRowsQuerySet):
    def for_user(self, user):
        """People a user may pick or see: their county's for county roles, their township's
        (and its county's office holders) for township roles."""
        if user is None or not user.is_authenticated or not user.is_active or not user.area_id:
            return self.none()
        if user.is_county_level:
            return self.filter(area__code__startswith=user.area.code)
        return self.filter(models.Q(area_id=user.area_id) | models.Q(area_id=user.area.parent_id))
