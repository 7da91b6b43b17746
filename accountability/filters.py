import django_filters
from django.utils.translation import gettext_lazy as _

from safecommunity.filters import ScopedFilterSet

from .choices import IssuanceKind, Rank
from .models import Issuance, Leader, OfficialInspection, Visit

DATE = {"type": "date"}


class LeaderFilterSet(ScopedFilterSet):
    name = django_filters.CharFilter(label=_("姓名"), lookup_expr="icontains")
    rank = django_filters.ChoiceFilter(label=_("级别"), choices=Rank.choices)

    class Meta:
        model = Leader
        fields = ["name", "rank", "is_active"]


class VisitFilterSet(ScopedFilterSet):
    leader__rank = django_filters.ChoiceFilter(label=_("级别"), choices=Rank.choices)
    visited_from = django_filters.DateFilter(
        field_name="visited_on",
        lookup_expr="gte",
        label=_("日期自"),
        widget=django_filters.widgets.forms.DateInput(DATE),
    )
    visited_to = django_filters.DateFilter(
        field_name="visited_on",
        lookup_expr="lte",
        label=_("日期至"),
        widget=django_filters.widgets.forms.DateInput(DATE),
    )

    class Meta:
        model = Visit
        fields = ["leader", "leader__rank", "visited_from", "visited_to"]


class OfficialInspectionFilterSet(ScopedFilterSet):
    inspected_unit = django_filters.CharFilter(label=_("被检查单位"), lookup_expr="icontains")

    class Meta:
        model = OfficialInspection
        fields = ["inspector", "inspected_unit"]


class IssuanceFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=IssuanceKind.choices)

    class Meta:
        model = Issuance
        fields = ["kind"]
