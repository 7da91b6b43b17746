"""The list pages' own FilterSets, applied to the API's querysets (and documented in the schema)."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, status

from safecommunity.filters import ScopedFilterSet
from safecommunity.models import Area


class InvalidQuery(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_query"


class PageFilterBackend(DjangoFilterBackend):
    """django-filter's backend, handing the FilterSet the request (for ``for_user`` of its choices);
    invalid filter input is a 400 problem naming the parameters."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {"data": request.query_params, "queryset": queryset, "request": request}

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise InvalidQuery({k: [str(m) for m in v] for k, v in filterset.errors.items()})
        return filterset.qs


class AreaFilterSet(ScopedFilterSet):
    level = django_filters.ChoiceFilter(choices=Area._meta.get_field("level").choices)
    parent = django_filters.NumberFilter(field_name="parent_id")
    code = django_filters.CharFilter(field_name="code", lookup_expr="startswith")

    class Meta:
        model = Area
        fields = ["level", "parent", "code"]
