import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safecommunity.filters import ScopedFilterSet
from safecommunity.models import Area

from .choices import (
    OPEN_STATUSES,
    HazardStatus,
    InspectionMode,
    Rating,
    RiskColour,
    SupervisionClass,
)
from .kinds import entity_kind_choices
from .models import Hazard, Inspection, SupervisedEntity


def _townships(request):
    user = getattr(request, "user", None)
    return Area.objects.for_user(user).townships().order_by("code") if user else Area.objects.none()


class _CountyTownshipFilter(ScopedFilterSet):
    """A county user narrows the list to one township (the dashboard's tiles link there); a
    township user has one township and no such filter."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not getattr(getattr(self.request, "user", None), "is_county_level", False):
            self.filters.pop("township", None)


class EntityFilterSet(ScopedFilterSet):
    name = django_filters.CharFilter(label=_("单位名称"), lookup_expr="icontains")
    credit_code = django_filters.CharFilter(label=_("统一社会信用代码"), lookup_expr="iexact")
    kind = django_filters.ChoiceFilter(label=_("场所类别"), choices=entity_kind_choices)
    risk_colour = django_filters.ChoiceFilter(label=_("风险等级"), choices=RiskColour.choices)
    supervision_class = django_filters.ChoiceFilter(label=_("监管分类"), choices=SupervisionClass.choices)
    # Text rather than selects: a county has ~660 villages and ~2,800 grids.
    village = django_filters.CharFilter(label=_("所属村(社区)"), field_name="village__name", lookup_expr="icontains")
    grid = django_filters.CharFilter(label=_("所属网格"), method="filter_grid")
    summons_required = django_filters.BooleanFilter(label=_("需约谈"))
    # "My tasks" links here for the whole of each list it shortens.
    due = django_filters.ChoiceFilter(
        label=_("巡查期限"),
        method="filter_due",
        choices=[("overdue", _("逾期未巡查")), ("today", _("今日应巡查")), ("week", _("本周应巡查"))],
    )

    class Meta:
        model = SupervisedEntity
        fields = [
            "name",
            "credit_code",
            "kind",
            "risk_colour",
            "supervision_class",
            "village",
            "grid",
            "summons_required",
            "due",
        ]

    def filter_due(self, queryset, name, value):
        from .selectors import due_conditions

        today = timezone.localdate()
        condition = due_conditions(today).get(value)
        return queryset.filter(condition).order_by("next_due_on", "id") if condition is not None else queryset

    def filter_grid(self, queryset, name, value):
        return queryset.filter(Q(grid__code=value) | Q(grid__name__icontains=value))


class InspectionFilterSet(_CountyTownshipFilter):
    entity = django_filters.CharFilter(label=_("监管对象"), field_name="entity__name", lookup_expr="icontains")
    since = django_filters.DateFilter(label=_("开始日期"), field_name="inspected_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("结束日期"), field_name="inspected_at", lookup_expr="date__lte")
    township = django_filters.ModelChoiceFilter(label=_("乡镇/街道"), queryset=_townships)
    rating = django_filters.ChoiceFilter(label=_("总体评价"), choices=Rating.choices)
    mode = django_filters.ChoiceFilter(label=_("检查方式"), choices=InspectionMode.choices)
    village = django_filters.CharFilter(
        label=_("所属村(社区)"), field_name="entity__village__name", lookup_expr="icontains"
    )

    class Meta:
        model = Inspection
        fields = ["township", "entity", "since", "until", "rating", "mode", "village"]


class HazardFilterSet(_CountyTownshipFilter):
    q = django_filters.CharFilter(label=_("编号/对象/描述"), method="search")
    township = django_filters.ModelChoiceFilter(label=_("乡镇/街道"), queryset=_townships)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=HazardStatus.choices)
    is_major = django_filters.BooleanFilter(label=_("重大隐患"))
    overdue = django_filters.BooleanFilter(label=_("逾期"), method="filter_overdue")
    county_supervised = django_filters.BooleanFilter(label=_("挂牌督办"))
    since = django_filters.DateFilter(label=_("发现日期起"), field_name="found_on", lookup_expr="gte")
    until = django_filters.DateFilter(label=_("发现日期止"), field_name="found_on", lookup_expr="lte")
    village = django_filters.CharFilter(
        label=_("所属村(社区)"), field_name="entity__village__name", lookup_expr="icontains"
    )

    class Meta:
        model = Hazard
        fields = ["q", "township", "status", "is_major", "overdue", "county_supervised", "since", "until", "village"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__iexact=value) | Q(entity__name__icontains=value) | Q(description__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(status__in=OPEN_STATUSES, deadline__lt=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)
