"""The base filterset: choice filters on related models offer only what the user may see."""

import time

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import AreaLevel
from .models import Area


def _narrow(queryset, user):
    return queryset.for_user(user) if hasattr(queryset, "for_user") else queryset


class ScopedFilterSet(django_filters.FilterSet):
    """Every model-choice filter (declared or generated from ``Meta.fields``) lists only the
    rows of the user's scope: another township's villages or users never appear as choices."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data=data, queryset=queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        if user is None:
            return
        for f in self.filters.values():
            choices = getattr(f, "queryset", None)
            if choices is None:
                continue
            if callable(choices) and not hasattr(choices, "model"):
                f.queryset = lambda request, _choices=choices: _narrow(_choices(request), request.user)
            else:
                f.queryset = _narrow(choices, user)


def user_townships(request):
    """The townships a filter's user may choose (their own, or their county's), by code."""
    from .models import Area

    user = getattr(request, "user", None)
    return Area.objects.for_user(user).townships().order_by("code") if user else Area.objects.none()


class TownshipFilterMixin(django_filters.FilterSet):
    township = django_filters.ModelChoiceFilter(label=_("乡镇/街道"), queryset=user_townships)


class AreaFilterSet(ScopedFilterSet):
    """The administrative tree: by level, and by a part of the name or the code."""

    level = django_filters.ChoiceFilter(label=_("层级"), choices=AreaLevel.choices)
    q = django_filters.CharFilter(label=_("名称或代码"), method="filter_q")

    class Meta:
        model = Area
        fields = ["level"]

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value)) if value else queryset


# --- The generation of the models offered as filter choices ---------------------------------------
# A filter's select lists rows of these models (townships, villages, working groups …). The list
# pages draw such a field from a per-worker cache (safecommunity/templatetags/sc_tables.py) keyed
# on the choices' SQL and on the generation of their model, which every write of a row moves
# (post_save/post_delete here; the bulk writes of ``ScopedQuerySet`` and ``AreaQuerySet``), so a
# new village is offered at once without reading the choices on every page. Another model's
# choices are read on every request, as before.

#: Models whose rows list filters offer as choices.
CHOICE_MODELS = frozenset(
    {
        "safecommunity.Area",
        "safecommunity.User",
        "committees.WorkingGroup",
        "committees.CommitteeMember",
        "committees.MemberUnit",
        "projects.Project",
        "projects.AqElement",
        "inspections.HazardGrade",
        "inspections.EntityKindOption",
    }
)


def _generation_key(label: str) -> str:
    return f"sc:choicegen:{label}"


def _bump(label: str) -> None:
    from django.core.cache import cache

    key = _generation_key(label)
    if not cache.add(key, time.time_ns(), None):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr, or the cache is unreachable
            cache.add(key, time.time_ns(), None)


def choices_changed(model) -> None:
    """Rows of ``model`` were written: cached choices that list them are stale (now, and again
    after the commit, so a reader that cached what it saw before the commit is stale too)."""
    from django.db import transaction

    label = model._meta.concrete_model._meta.label
    if label in CHOICE_MODELS:
        _bump(label)
        transaction.on_commit(lambda: _bump(label))


def generation_keys(labels) -> list[str]:
    return [_generation_key(label) for label in labels]


def choice_generations(labels) -> dict:
    """label → the current generation of each model (None when the cache is unreachable: then
    nothing may be cached on it)."""
    from django.core.cache import cache

    from .datacache import prereads

    keys = {label: _generation_key(label) for label in labels}
    found = prereads(keys.values())
    if len(found) < len(keys):
        found.update(cache.get_many([k for k in keys.values() if k not in found]))
    result = {}
    for label, key in keys.items():
        if key not in found:
            cache.add(key, time.time_ns(), None)
            found[key] = cache.get(key)
        result[label] = found[key]
    return result


#: Fields no choice label and no kept list cell shows: a save of these alone moves no generation
#: (else every login would make every kept page with a user column miss).
_UNSHOWN_FIELDS = frozenset({"last_login"})


def connect_choice_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    def changed(sender, update_fields=None, **kwargs):
        if update_fields is not None and set(update_fields) <= _UNSHOWN_FIELDS:
            return  # a login's save (``update_last_login``): no choice or cell shows it
        choices_changed(sender)

    for label in CHOICE_MODELS:
        model = apps.get_model(label)
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"choicegen-{label}-save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"choicegen-{label}-delete")
