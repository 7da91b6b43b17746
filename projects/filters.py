import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from safecommunity.filters import ScopedFilterSet, TownshipFilterMixin, user_townships

from .choices import EvidenceKind, InterventionStatus, ProjectDomain, ProjectStatus
from .models import AqElement, Evidence, Intervention, Project


class ProjectFilterSet(TownshipFilterMixin, ScopedFilterSet):
    name = django_filters.CharFilter(label=_("项目名称"), lookup_expr="icontains")
    domain = django_filters.ChoiceFilter(label=_("项目领域"), choices=ProjectDomain.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ProjectStatus.choices)
    not_evaluated = django_filters.BooleanFilter(
        label=_("仅未评估"),
        field_name="evaluated_on",
        lookup_expr="isnull",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Project
        fields = ["township", "name", "domain", "status", "working_group"]


class InterventionFilterSet(ScopedFilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇/街道"), field_name="project__township", queryset=user_townships
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=InterventionStatus.choices)
    overdue = django_filters.BooleanFilter(
        label=_("仅逾期"), method="filter_overdue", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = Intervention
        fields = ["township", "project", "status"]

    def filter_overdue(self, queryset, name, value):
        from django.utils import timezone

        return queryset.overdue(timezone.localdate()) if value else queryset


class EvidenceFilterSet(TownshipFilterMixin, ScopedFilterSet):
    title = django_filters.CharFilter(label=_("标题"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=EvidenceKind.choices)
    element = django_filters.ModelChoiceFilter(
        label=_("支撑要素"), field_name="elements", queryset=AqElement.objects.all()
    )
    dated_from = django_filters.DateFilter(
        label=_("日期从"), field_name="dated", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Evidence
        fields = ["township", "title", "kind", "element"]
