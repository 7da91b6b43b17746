"""The base filterset: choice filters on related models offer only what the user may see."""

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
