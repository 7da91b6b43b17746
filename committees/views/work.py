"""Responsibility agreements, activities and awareness surveys."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from safecommunity.generic import TownshipCreateView, TownshipDetailView, TownshipListView, TownshipUpdateView
from safecommunity.mixins import require_roles
from safecommunity.permissions import READ_COMMITTEE_WORK
from safecommunity.uploads import file_response

from .. import services
from ..filters import ActivityFilterSet, AgreementFilterSet
from ..forms import ActivityForm, AgreementForm, AwarenessSurveyForm
from ..models import Activity, Agreement, AwarenessSurvey
from ..tables import ActivityTable, AgreementTable


class AgreementListView(TownshipListView):
    model = Agreement
    template_name = "committees/list.html"
    table_class = AgreementTable
    filterset_class = AgreementFilterSet
    title = _("目标责任书")
    create_url_name = "committees:agreement_create"

    def get_queryset(self):
        return super().get_queryset().select_related("village", "township")


class AgreementDetailView(TownshipDetailView):
    model = Agreement
    template_name = "committees/agreement_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("village", "township")


class AgreementFormMixin:
    model = Agreement
    form_class = AgreementForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.file_fields = ("signed_scan",)
        return form


class AgreementCreateView(AgreementFormMixin, TownshipCreateView):
    service = services.agreement_save


class AgreementUpdateView(AgreementFormMixin, TownshipUpdateView):
    service = services.agreement_save
    object_kwarg = "agreement"


@login_required
def agreement_scan(request, pk):
    """The signed scan, after the same scope check as the agreement page."""
    require_roles(request.user, READ_COMMITTEE_WORK)
    agreement = get_object_or_404(Agreement.objects.for_user(request.user).select_related("village"), pk=pk)
    return file_response(agreement.signed_scan, title=f"目标责任书-{agreement.year}-{agreement.party_name}")


class ActivityListView(TownshipListView):
    model = Activity
    table_class = ActivityTable
    filterset_class = ActivityFilterSet
    export_kind = "activities"
    import_kind = "activities"
    title = _("宣传培训与演练活动")
    create_url_name = "committees:activity_create"
    county_rows = True
    template_name = "committees/activity_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "village")

    def get_context_data(self, **kwargs):
        from django.db.models import Count, Sum

        ctx = super().get_context_data(**kwargs)
        qs = ctx["filter"].qs
        ctx["sums"] = qs.aggregate(count=Count("id"), participants=Sum("participants"), materials=Sum("materials"))
        return ctx


class ActivityDetailView(TownshipDetailView):
    model = Activity
    template_name = "committees/activity_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "village")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["evidence"] = self.object.evidence.prefetch_related("elements").order_by("-dated", "-id")
        return ctx


class ActivityCreateView(TownshipCreateView):
    model = Activity
    form_class = ActivityForm
    service = services.activity_save
    county_rows = True  # the county's own 联合执法, 打非治违, trainings …


class ActivityUpdateView(TownshipUpdateView):
    model = Activity
    form_class = ActivityForm
    service = services.activity_save
    object_kwarg = "activity"
    county_rows = True


class SurveyListView(TownshipListView):
    model = AwarenessSurvey
    template_name = "committees/survey_list.html"
    filterset_class = None
    title = _("知晓率与参与率调查")
    create_url_name = "committees:survey_create"

    def get_table_class(self):
        from ..tables import SurveyTable

        return SurveyTable

    def get_queryset(self):
        return super().get_queryset().select_related("township")


class SurveyCreateView(TownshipCreateView):
    model = AwarenessSurvey
    form_class = AwarenessSurveyForm
    service = services.survey_save

    success_url = reverse_lazy("committees:survey_list")


class SurveyUpdateView(TownshipUpdateView):
    model = AwarenessSurvey
    form_class = AwarenessSurveyForm
    service = services.survey_save
    object_kwarg = "survey"

    success_url = reverse_lazy("committees:survey_list")
