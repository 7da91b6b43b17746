import django_filters
from django.utils.translation import gettext_lazy as _

from safecommunity.filters import ScopedFilterSet, TownshipFilterMixin

from .choices import CloseStatus
from .models import MonthClose


class MonthCloseFilter(TownshipFilterMixin, ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CloseStatus.choices)
    year = django_filters.NumberFilter(label=_("年"), min_value=2000, max_value=2100)

    class Meta:
        model = MonthClose
        fields = ["township", "status", "year"]
