"""Pages of leaders' accountability: the check-in schedule (who is behind), the leaders, their
visits, the 四不两直 inspections, the manuals and letters. Read by the committee's readers (a
township: what concerns it), written by the county office."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safecommunity.generic import FilteredListView, ObjectCreateView, ObjectUpdateView
from safecommunity.mixins import require_roles
from safecommunity.permissions import READ_COMMITTEE_WORK, RUN_COUNTY_OFFICE

from . import selectors, services
from .filters import IssuanceFilterSet, LeaderFilterSet, OfficialInspectionFilterSet, VisitFilterSet
from .forms import IssuanceForm, LeaderForm, OfficialInspectionForm, VisitForm
from .models import Issuance, Leader, OfficialInspection, Visit
from .tables import IssuanceTable, LeaderTable, OfficialInspectionTable, VisitTable


class CountyOfficeListView(FilteredListView):
    allowed_roles = READ_COMMITTEE_WORK
    template_name = "accountability/list.html"

    def can_create(self):
        user = self.request.user
        return user.role in RUN_COUNTY_OFFICE and user.is_county_level


class CountyOfficeCreateView(ObjectCreateView):
    allowed_roles = RUN_COUNTY_OFFICE
    service = None

    def perform_save(self, form):
        return type(self).service(user=self.request.user, **form.cleaned_data)


@login_required
def schedule(request):
    """Who is behind this period: each leader against the frequency of their rank."""
    require_roles(request.user, READ_COMMITTEE_WORK)
    user, today = request.user, timezone.localdate()
    rows = selectors.visit_schedule(leaders=Leader.objects.for_user(user), today=today)
    return render(
        request,
        "accountability/schedule.html",
        {
            "rows": rows,
            "behind": [r for r in rows if r.behind],
            "today": today,
            "can_record": user.role in RUN_COUNTY_OFFICE and user.is_county_level,
        },
    )


class LeaderListView(CountyOfficeListView):
    model = Leader
    table_class = LeaderTable
    filterset_class = LeaderFilterSet
    title = _("领导干部")
    create_url_name = "accountability:leader_create"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("duty_areas").order_by("rank", "name", "id")


class LeaderCreateView(CountyOfficeCreateView):
    model = Leader
    form_class = LeaderForm
    service = staticmethod(services.leader_save)
    success_url = reverse_lazy("accountability:leader_list")


class LeaderUpdateView(ObjectUpdateView):
    model = Leader
    form_class = LeaderForm
    allowed_roles = RUN_COUNTY_OFFICE
    success_url = reverse_lazy("accountability:leader_list")

    def perform_save(self, form):
        return services.leader_save(user=self.request.user, leader=self.object, **form.cleaned_data)


class VisitListView(CountyOfficeListView):
    model = Visit
    table_class = VisitTable
    filterset_class = VisitFilterSet
    title = _("领导干部基层检查记录")
    create_url_name = "accountability:visit_create"

    def get_queryset(self):
        return super().get_queryset().select_related("leader", "area").order_by("-visited_on", "-id")


class VisitCreateView(CountyOfficeCreateView):
    model = Visit
    form_class = VisitForm
    service = staticmethod(services.visit_record)
    success_url = reverse_lazy("accountability:visit_list")


class OfficialInspectionListView(CountyOfficeListView):
    model = OfficialInspection
    table_class = OfficialInspectionTable
    filterset_class = OfficialInspectionFilterSet
    title = _("四不两直检查")
    create_url_name = "accountability:official_inspection_create"

    def get_queryset(self):
        return super().get_queryset().select_related("inspector", "area").order_by("-inspected_on", "-id")


class OfficialInspectionCreateView(CountyOfficeCreateView):
    model = OfficialInspection
    form_class = OfficialInspectionForm
    service = staticmethod(services.official_inspection_record)
    success_url = reverse_lazy("accountability:official_inspection_list")


class IssuanceListView(CountyOfficeListView):
    model = Issuance
    table_class = IssuanceTable
    filterset_class = IssuanceFilterSet
    title = _("工作手册和责任书")
    create_url_name = "accountability:issuance_create"

    def get_queryset(self):
        return super().get_queryset().select_related("area").order_by("-issued_on", "-id")


class IssuanceCreateView(CountyOfficeCreateView):
    model = Issuance
    form_class = IssuanceForm
    service = staticmethod(services.issuance_record)
    success_url = reverse_lazy("accountability:issuance_list")
