import django_filters
from django.utils.translation import gettext_lazy as _

from safecommunity.filters import ScopedFilterSet
from safecommunity.models import Area

from .choices import BriefingKind, BriefingStatus
from .models import Briefing


class BriefingFilterSet(ScopedFilterSet):
    township = django_filters.ModelChoiceFilter(label=_("乡镇/街道"), queryset=Area.objects.townships())
    year = django_filters.NumberFilter(label=_("年"))
    month = django_filters.NumberFilter(label=_("月"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=BriefingStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=BriefingKind.choices)

    class Meta:
        model = Briefing
        fields = ["township", "year", "month", "status", "kind"]
