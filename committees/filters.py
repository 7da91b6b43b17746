import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from safecommunity.filters import ScopedFilterSet, TownshipFilterMixin

from .choices import ActionStatus, ActivityKind, LocalRoleKind, MeetingKind, Position
from .models import ActionItem, Activity, Agreement, CommitteeMember, LocalRole, Meeting, WorkingGroup

DATE = {"type": "date"}


class MemberFilterSet(TownshipFilterMixin, ScopedFilterSet):
    name = django_filters.CharFilter(label=_("姓名"), lookup_expr="icontains")
    position = django_filters.ChoiceFilter(label=_("委员会职务"), choices=Position.choices)

    class Meta:
        model = CommitteeMember
        fields = ["township", "name", "position", "unit"]


class GroupFilterSet(TownshipFilterMixin, ScopedFilterSet):
    name = django_filters.CharFilter(label=_("名称"), lookup_expr="icontains")

    class Meta:
        model = WorkingGroup
        fields = ["township", "name"]


class LocalRoleFilterSet(TownshipFilterMixin, ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("角色"), choices=LocalRoleKind.choices)

    class Meta:
        model = LocalRole
        fields = ["township", "kind", "village"]


class MeetingFilterSet(TownshipFilterMixin, ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("会议类型"), choices=MeetingKind.choices)
    held_from = django_filters.DateFilter(
        label=_("日期从"), field_name="held_on", lookup_expr="gte", widget=forms.DateInput(attrs=DATE)
    )
    held_to = django_filters.DateFilter(
        label=_("日期至"), field_name="held_on", lookup_expr="lte", widget=forms.DateInput(attrs=DATE)
    )

    class Meta:
        model = Meeting
        fields = ["township", "kind"]


class ActionItemFilterSet(TownshipFilterMixin, ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ActionStatus.choices)
    overdue = django_filters.BooleanFilter(
        label=_("仅逾期"), method="filter_overdue", widget=django_filters.widgets.BooleanWidget()
    )
    mine = django_filters.BooleanFilter(
        label=_("仅我的事项"), method="filter_mine", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = ActionItem
        fields = ["township", "status", "owner_member"]

    def filter_overdue(self, queryset, name, value):
        from django.utils import timezone

        return queryset.overdue(timezone.localdate()) if value else queryset

    def filter_mine(self, queryset, name, value):
        return queryset.owned_by(self.request.user) if value else queryset


class AgreementFilterSet(TownshipFilterMixin, ScopedFilterSet):
    class Meta:
        model = Agreement
        fields = ["township", "year", "party_kind"]


class ActivityFilterSet(TownshipFilterMixin, ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("活动类型"), choices=ActivityKind.choices)
    held_from = django_filters.DateFilter(
        label=_("日期从"), field_name="held_on", lookup_expr="gte", widget=forms.DateInput(attrs=DATE)
    )
    held_to = django_filters.DateFilter(
        label=_("日期至"), field_name="held_on", lookup_expr="lte", widget=forms.DateInput(attrs=DATE)
    )

    class Meta:
        model = Activity
        fields = ["township", "kind", "village"]
