"""Hazards (the closed loop), enforcement documents and their PDF notice, photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecommunity.downloads import attachment_header
from safecommunity.exceptions import ApplicationError
from safecommunity.generic import FilteredListView, ObjectDetailView, add_service_errors, scoped_action
from safecommunity.mixins import require_roles
from safecommunity.permissions import ISSUE_ENFORCEMENT, READ_LEDGERS, SUPERVISE, WORK_IN_FIELD

from .. import selectors, services
from ..choices import REINSPECTED_KINDS, EnforcementKind, HazardAction, HazardStatus, ReinspectionConclusion
from ..documents import (
    ENFORCEMENT_RELATED,
    REINSPECTION_RELATED,
    enforcement_notice_pdf,
    reinspection_opinion_pdf,
)
from ..filters import HazardFilterSet
from ..forms import EnforcementForm, HazardForm, PlanForm, ReinspectionForm, TransitionForm
from ..models import Enforcement, Hazard, Photo, Reinspection, SupervisedEntity
from ..tables import HazardTable
from .common import TableUserMixin


class HazardListView(TableUserMixin, FilteredListView):
    model = Hazard
    count_cache_domain = "inspections"
    # The cells: the hazard's fields, its entity's name (the entity is in the same domain and
    # township) and its grade's name; the county's own hazards follow the county's data version.
    rows_cache = True
    rows_cache_models = ("inspections.HazardGrade",)
    table_class = HazardTable
    filterset_class = HazardFilterSet
    export_kind = "hazards"
    import_kind = "hazards"
    title = gettext_lazy("隐患台账")

    def get_queryset(self):
        return super().get_queryset().select_related("entity", "grade").order_by("-found_on", "-id")


# Which moves a hazard page offers in each state.
NEXT_ACTIONS = {
    HazardStatus.REGISTERED: [HazardAction.START],
    HazardStatus.RECTIFYING: [HazardAction.SUBMIT],
    HazardStatus.PENDING_VERIFICATION: [HazardAction.VERIFY_PASS, HazardAction.VERIFY_FAIL],
    HazardStatus.CLOSED: [],
}


class HazardDetailView(ObjectDetailView):
    model = Hazard
    template_name = "inspections/hazard_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("entity__grid", "grade", "registered_by", "inspection", "item")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        hazard, user = self.object, self.request.user
        plan = getattr(hazard, "plan", None) if hazard.is_major else None
        can_work = user.role in WORK_IN_FIELD
        ctx.update(
            timeline=selectors.hazard_timeline(hazard),
            plan=plan,
            actions=[(a, HazardAction(a).label) for a in NEXT_ACTIONS[hazard.status]] if can_work else [],
            is_registrar=user.pk == hazard.registered_by_id,
            can_plan=can_work and hazard.is_major and hazard.status != HazardStatus.CLOSED,
            can_supervise=user.role in SUPERVISE and hazard.is_major and not hazard.county_supervised,
            overdue=hazard.is_overdue(timezone.localdate()),
            photos=[p for p in hazard.photos.all() if p.event_id is None],
            enforcements=hazard.enforcements.all(),
            transition_form=TransitionForm(),
        )
        return ctx


@login_required
def hazard_create(request, entity_pk):
    require_roles(request.user, WORK_IN_FIELD)
    entity = get_object_or_404(SupervisedEntity.objects.for_user(request.user).select_related("township"), pk=entity_pk)
    grades = services.hazard_grades(entity.township.parent)
    form = HazardForm(request.POST or None, request.FILES or None, user=request.user, entity=entity, grades=grades)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            hazard = services.hazard_register(
                user=request.user,
                entity=entity,
                grade=d["grade"],
                description=d["description"],
                location=d["location"],
                responsible_person=d["responsible_person"],
                found_on=d["found_on"],
                deadline=d["deadline"],
                photos=d["photos"],
                place=d.get("place"),
                major_basis=d.get("major_basis", ""),
            )
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("隐患已登记"))
            return redirect(hazard)
    return render(request, "inspections/hazard_form.html", {"form": form, "entity": entity})


@scoped_action(Hazard, WORK_IN_FIELD)
def hazard_transition(request, hazard):
    form = TransitionForm(request.POST, request.FILES)
    if not form.is_valid():
        photo_errors = form.errors.get("photos")
        messages.error(request, "；".join(photo_errors) if photo_errors else _("操作不正确"))
        return redirect(hazard)
    services.hazard_transition(
        hazard=hazard,
        user=request.user,
        action=form.cleaned_data["action"],
        reason=form.cleaned_data["reason"],
        photos=form.cleaned_data["photos"],
        responsible_person=form.cleaned_data["responsible_person"],
    )
    return _("已%(a)s") % {"a": HazardAction(form.cleaned_data["action"]).label}


@login_required
def hazard_plan(request, pk):
    require_roles(request.user, WORK_IN_FIELD)
    hazard = get_object_or_404(Hazard.objects.for_user(request.user).filter(is_major=True), pk=pk)
    plan = getattr(hazard, "plan", None)
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.hazard_plan_save(hazard=hazard, user=request.user, **form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("整改方案已保存"))
            return redirect(hazard)
    return render(request, "inspections/plan_form.html", {"form": form, "hazard": hazard})


@scoped_action(Hazard, SUPERVISE)
def hazard_supervise(request, hazard):
    services.hazard_supervise(hazard=hazard, user=request.user, reason=request.POST.get("reason", ""))
    return _("已挂牌督办")


@login_required
def enforcement_create(request, entity_pk):
    require_roles(request.user, ISSUE_ENFORCEMENT)
    entity = get_object_or_404(SupervisedEntity.objects.for_user(request.user), pk=entity_pk)
    form = EnforcementForm(request.POST or None, user=request.user, entity=entity)
    if request.method == "POST" and form.is_valid():
        try:
            enforcement = services.enforcement_issue(user=request.user, entity=entity, **form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("执法文书已保存"))
            return redirect(enforcement)
    return render(request, "inspections/enforcement_form.html", {"form": form, "entity": entity})


class EnforcementDetailView(ObjectDetailView):
    model = Enforcement
    template_name = "inspections/enforcement_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related(*ENFORCEMENT_RELATED)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        notice = self.object
        reinspections = list(notice.reinspections.select_related("officer_1", "officer_2"))
        ctx.update(
            reinspections=reinspections,
            can_reinspect=self.request.user.role in ISSUE_ENFORCEMENT
            and notice.kind in REINSPECTED_KINDS
            and not any(r.conclusion == ReinspectionConclusion.RECTIFIED for r in reinspections),
        )
        return ctx


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = attachment_header(filename, inline=True)
    return response


@login_required
def enforcement_notice(request, pk):
    """The printable, numbered 责令限期整改指令书 as an A4 PDF (WeasyPrint)."""
    require_roles(request.user, READ_LEDGERS)
    enforcement = get_object_or_404(
        Enforcement.objects.for_user(request.user).select_related(*ENFORCEMENT_RELATED), pk=pk
    )
    if enforcement.kind != EnforcementKind.ORDER_RECTIFY:
        raise Http404
    pdf = enforcement_notice_pdf(enforcement)
    return _pdf_response(pdf, f"notice-{enforcement.pk}.pdf")


@login_required
def reinspection_create(request, pk):
    """The 整改复查意见书 of a notice, after the re-inspection."""
    require_roles(request.user, ISSUE_ENFORCEMENT)
    notice = get_object_or_404(Enforcement.objects.for_user(request.user).select_related("entity"), pk=pk)
    form = ReinspectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            reinspection = services.reinspection_issue(user=request.user, notice=notice, **form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("整改复查意见书已保存"))
            return redirect(reinspection)
    return render(request, "inspections/reinspection_form.html", {"form": form, "notice": notice})


class ReinspectionDetailView(ObjectDetailView):
    model = Reinspection
    template_name = "inspections/reinspection_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related(*REINSPECTION_RELATED)


@login_required
def reinspection_opinion(request, pk):
    """The 整改复查意见书 as an A4 PDF."""
    require_roles(request.user, READ_LEDGERS)
    reinspection = get_object_or_404(
        Reinspection.objects.for_user(request.user).select_related(*REINSPECTION_RELATED), pk=pk
    )
    pdf = reinspection_opinion_pdf(reinspection)
    return _pdf_response(pdf, f"reinspection-{reinspection.pk}.pdf")


@login_required
def photo(request, pk):
    """Photos are served only here, after the scope check (never from a public media URL)."""
    require_roles(request.user, READ_LEDGERS)
    item = get_object_or_404(Photo.objects.for_user(request.user), pk=pk)
    try:
        handle = item.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
