"""The base filterset: choice filters on related models offer only what the user may see."""

import django_filters


class ScopedFilterSet(django_filters.FilterSet):
    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data=data, queryset=queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        for f in self.filters.values():
            qs = f.extra.get("queryset")
            if qs is not None and hasattr(qs, "for_user") and user is not None:
                f.extra["queryset"] = qs.for_user(user)
