"""Hazards (the closed loop), enforcement documents and their PDF notice, photos."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safecommunity.generic import FilteredListView, ObjectDetailView
from safecommunity.mixins import require_roles

from .. import selectors, services
from ..choices import EnforcementKind, HazardAction, HazardStatus
from ..filters import HazardFilterSet
from ..forms import EnforcementForm, HazardForm, PlanForm, TransitionForm
from ..models import Enforcement, Hazard, Photo, SupervisedEntity
from ..tables import HazardTable
from .common import (
    COUNTY_SUPERVISORS,
    FIELD_ROLES,
    OFFICE_ROLES,
    READ_ROLES,
    TableUserMixin,
)


def _errors_to_form(form, exc: ValidationError):
    for field, errors in getattr(exc, "error_dict", {None: exc.error_list}).items():
        form.add_error(field if field in form.fields else None, errors)


class HazardListView(TableUserMixin, FilteredListView):
    model = Hazard
    table_class = HazardTable
    filterset_class = HazardFilterSet
    export_kind = "hazards"
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
        can_work = user.role in FIELD_ROLES
        ctx.update(
            timeline=selectors.hazard_timeline(hazard),
            plan=plan,
            actions=[(a, HazardAction(a).label) for a in NEXT_ACTIONS[hazard.status]] if can_work else [],
            is_registrar=user.pk == hazard.registered_by_id,
            can_plan=can_work and hazard.is_major and hazard.status != HazardStatus.CLOSED,
            can_supervise=user.role in COUNTY_SUPERVISORS and hazard.is_major and not hazard.county_supervised,
            overdue=hazard.is_overdue(timezone.localdate()),
            photos=[p for p in hazard.photos.all() if p.event_id is None],
            enforcements=hazard.enforcements.all(),
            transition_form=TransitionForm(),
        )
        return ctx


def _guard(request, roles):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require_roles(request.user, roles)
    return None


def hazard_create(request, entity_pk):
    if (response := _guard(request, FIELD_ROLES)) is not None:
        return response
    entity = get_object_or_404(SupervisedEntity.objects.for_user(request.user).select_related("township"),
                               pk=entity_pk)
    grades = services.hazard_grades(entity.township.parent)
    form = HazardForm(request.POST or None, request.FILES or None, user=request.user, entity=entity, grades=grades)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            hazard = services.hazard_register(
                user=request.user, entity=entity, grade=d["grade"], description=d["description"],
                location=d["location"], responsible_person=d["responsible_person"], found_on=d["found_on"],
                deadline=d["deadline"], photos=d["photos"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("隐患已登记"))
            return redirect(hazard)
    return render(request, "inspections/hazard_form.html", {"form": form, "entity": entity})


@require_POST
def hazard_transition(request, pk):
    if (response := _guard(request, FIELD_ROLES)) is not None:
        return response
    hazard = get_object_or_404(Hazard.objects.for_user(request.user), pk=pk)
    form = TransitionForm(request.POST, request.FILES)
    if not form.is_valid():
        photo_errors = form.errors.get("photos")
        messages.error(request, "；".join(photo_errors) if photo_errors else _("操作不正确"))
        return redirect(hazard)
    try:
        services.hazard_transition(hazard=hazard, user=request.user, action=form.cleaned_data["action"],
                                   reason=form.cleaned_data["reason"], photos=form.cleaned_data["photos"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已%(a)s") % {"a": HazardAction(form.cleaned_data["action"]).label})
    return redirect(hazard)


def hazard_plan(request, pk):
    if (response := _guard(request, FIELD_ROLES)) is not None:
        return response
    hazard = get_object_or_404(Hazard.objects.for_user(request.user).filter(is_major=True), pk=pk)
    plan = getattr(hazard, "plan", None)
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.hazard_plan_save(hazard=hazard, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("整改方案已保存"))
            return redirect(hazard)
    return render(request, "inspections/plan_form.html", {"form": form, "hazard": hazard})


@require_POST
def hazard_supervise(request, pk):
    if (response := _guard(request, COUNTY_SUPERVISORS)) is not None:
        return response
    hazard = get_object_or_404(Hazard.objects.for_user(request.user), pk=pk)
    try:
        services.hazard_supervise(hazard=hazard, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已挂牌督办"))
    return redirect(hazard)


def enforcement_create(request, entity_pk):
    if (response := _guard(request, OFFICE_ROLES)) is not None:
        return response
    entity = get_object_or_404(SupervisedEntity.objects.for_user(request.user), pk=entity_pk)
    form = EnforcementForm(request.POST or None, user=request.user, entity=entity)
    if request.method == "POST" and form.is_valid():
        try:
            enforcement = services.enforcement_issue(user=request.user, entity=entity, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("执法文书已保存"))
            return redirect(enforcement)
    return render(request, "inspections/enforcement_form.html", {"form": form, "entity": entity})


class EnforcementDetailView(ObjectDetailView):
    model = Enforcement
    template_name = "inspections/enforcement_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("entity", "hazard", "issued_by", "township")


def enforcement_notice(request, pk):
    """The printable, numbered 责令整改 notice as an A4 PDF (WeasyPrint)."""
    if (response := _guard(request, READ_ROLES)) is not None:
        return response
    enforcement = get_object_or_404(
        Enforcement.objects.for_user(request.user).select_related("entity", "township", "hazard", "issued_by"), pk=pk)
    if enforcement.kind != EnforcementKind.ORDER_RECTIFY:
        raise Http404
    from weasyprint import HTML

    html = render_to_string("inspections/pdf/order_rectify.html", {"e": enforcement}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{enforcement.pk}.pdf"'
    return response


def photo(request, pk):
    """Photos are served only here, after the scope check (never from a public media URL)."""
    if (response := _guard(request, READ_ROLES)) is not None:
        return response
    item = get_object_or_404(Photo.objects.for_user(request.user), pk=pk)
    try:
        handle = item.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


