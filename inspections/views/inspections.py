"""Inspections: the list, the record, and the phone form that registers hazards from failed items."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecommunity.exceptions import ApplicationError
from safecommunity.generic import FilteredListView, ObjectDetailView, add_service_errors
from safecommunity.mixins import require_roles
from safecommunity.permissions import WORK_IN_FIELD

from .. import services
from ..filters import InspectionFilterSet
from ..forms import InspectionForm
from ..models import Inspection, InspectionResult, SupervisedEntity
from ..tables import InspectionTable
from .common import TableUserMixin


class InspectionListView(TableUserMixin, FilteredListView):
    model = Inspection
    count_cache_domain = "inspections"
    # The cells: the inspection's fields, its entity's name (same domain and township), the
    # entity's village (an area) and the user who recorded it (a login's save moves no generation).
    rows_cache = True
    rows_cache_models = ("safecommunity.Area", "safecommunity.User")
    table_class = InspectionTable
    filterset_class = InspectionFilterSet
    export_kind = "inspections"
    import_kind = "inspections"
    title = gettext_lazy("巡查记录")

    def get_queryset(self):
        return super().get_queryset().select_related("entity__village", "recorded_by")


class InspectionDetailView(ObjectDetailView):
    model = Inspection
    template_name = "inspections/inspection_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("entity", "template", "recorded_by")
            .prefetch_related(
                "inspectors",
                "photos",
                Prefetch("results", queryset=InspectionResult.objects.select_related("item")),
                "hazards",
            )
        )


def _login_redirect(request):
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(request.get_full_path())


def inspection_create(request, entity_pk):
    """The field form (phone first): one result per item; a failed item may register a hazard."""
    if not request.user.is_authenticated:
        return _login_redirect(request)
    require_roles(request.user, WORK_IN_FIELD)
    entity = get_object_or_404(SupervisedEntity.objects.for_user(request.user).select_related("township"), pk=entity_pk)
    county = entity.township.parent
    template = services.current_template(county, entity.kind)
    grades = services.hazard_grades(county)
    form = InspectionForm(
        request.POST or None, request.FILES or None, user=request.user, entity=entity, template=template, grades=grades
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            inspection = services.inspection_record(
                user=request.user,
                entity=entity,
                inspected_at=d["inspected_at"],
                mode=d["mode"],
                joint_agencies=d["joint_agencies"],
                notes=d["notes"],
                latitude=d.get("latitude"),
                longitude=d.get("longitude"),
                representative_name=d["representative_name"],
                rating=d["rating"],
                template=template,
                outcomes=form.outcomes(),
                photos=d["photos"],
            )
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            n = inspection.hazards.count()
            messages.success(request, _("巡查已保存") + (_("，登记隐患%(n)d条") % {"n": n} if n else ""))
            return redirect(inspection)
    return render(request, "inspections/inspection_form.html", {"form": form, "entity": entity, "template": template})
