"""Supervised entities (一企一档) and grids."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from safecommunity.exceptions import ApplicationError
from safecommunity.generic import (
    FilteredListView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectUpdateView,
    add_service_errors,
    scoped_action,
)
from safecommunity.mixins import ScopedAccessMixin, require_roles
from safecommunity.periods import Period
from safecommunity.permissions import EDIT_TOWNSHIP, ISSUE_ENFORCEMENT, READ_LEDGERS, WORK_IN_FIELD
from safecommunity.services import townships_for_user

from .. import kinds, selectors, services
from ..choices import OPEN_STATUSES
from ..filters import EntityFilterSet
from ..forms import EntityForm, RatingForm, RegradeForm
from ..models import Grid, SupervisedEntity
from ..tables import EntityTable
from .common import TableUserMixin


class EntityListView(TableUserMixin, FilteredListView):
    model = SupervisedEntity
    table_class = EntityTable
    filterset_class = EntityFilterSet
    export_kind = "entities"
    import_kind = "entities"
    title = gettext_lazy("监管对象")
    create_url_name = "inspections:entity_create"
    page_domains = ("inspections",)  # entities and grids; kinds, villages and users by generation

    def get(self, request, *args, **kwargs):
        kinds.follow(self.choice_generations().get("inspections.EntityKindOption"))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().select_related("village", "grid").order_by("name", "id")

    def can_create(self):
        return self.request.user.role in EDIT_TOWNSHIP


class EntityDetailView(ObjectDetailView):
    model = SupervisedEntity
    template_name = "inspections/entity_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("village", "grid__inspector", "township")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        entity, user = self.object, self.request.user
        ctx.update(
            summary=selectors.entity_summary(entity, today=timezone.localdate()),
            gradings=entity.gradings.select_related("graded_by")[:10],
            inspections=entity.inspections.select_related("recorded_by")[:10],
            hazards=entity.hazards.select_related("grade")[:20],
            enforcements=entity.enforcements.all()[:10],
            ratings=entity.ratings.all()[:8],
            rating_form=RatingForm(initial={"rated_on": timezone.localdate()}),
            documents=entity.documents.all(),
            can_edit=user.role in EDIT_TOWNSHIP,
            can_enforce=user.role in ISSUE_ENFORCEMENT,
            can_record=user.role in WORK_IN_FIELD,
            regrade_form=RegradeForm(
                initial={
                    "year": timezone.localdate().year,
                    "risk_colour": entity.risk_colour,
                    "supervision_class": entity.supervision_class,
                }
            ),
            show_personal=user.can_see_personal_data,
        )
        return ctx


class EntityCreateView(ObjectCreateView):
    model = SupervisedEntity
    form_class = EntityForm
    allowed_roles = EDIT_TOWNSHIP

    def perform_save(self, form):
        return services.entity_create(user=self.request.user, **form.cleaned_data)


class EntityUpdateView(ObjectUpdateView):
    model = SupervisedEntity
    form_class = EntityForm
    allowed_roles = EDIT_TOWNSHIP

    def perform_save(self, form):
        return services.entity_update(entity=self.object, user=self.request.user, **form.cleaned_data)


def entity_regrade(request, pk):
    """POST the yearly regrading from the entity page."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    require_roles(request.user, EDIT_TOWNSHIP)
    entity = get_object_or_404(SupervisedEntity.objects.for_user(request.user), pk=pk)
    form = RegradeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entity_regrade(entity=entity, user=request.user, **form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已完成年度定级"))
            return redirect(entity)
    return render(request, "inspections/entity_regrade.html", {"form": form, "object": entity})


class GridCoverageView(ScopedAccessMixin, ListView):
    """Per grid: entities, inspected this month vs due, open and overdue hazards, and a map."""

    model = Grid
    allowed_roles = READ_LEDGERS
    template_name = "inspections/grid_list.html"
    paginate_by = 50

    def get_queryset(self):
        village = self.request.GET.get("village")
        grids = super().get_queryset().select_related("village", "inspector")
        if village and village.isdigit():
            grids = grids.filter(village_id=village)
        return grids.order_by("code")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        period = Period.month(today.year, today.month)
        grids = list(ctx["object_list"])
        figures = selectors.grid_coverage(grid_ids=[g.pk for g in grids], today=today, period=period)
        for grid in grids:
            for name, value in figures[grid.pk].items():
                setattr(grid, name, value)
        ctx.update(
            object_list=grids,
            period=period,
            map_features=[
                {
                    "name": g.name,
                    "geometry": g.boundary,
                    "url": g.get_absolute_url(),
                    "open": g.n_open,
                    "overdue": g.n_overdue,
                    "injuries": g.n_injuries,
                    "label": _("未销号隐患%(h)d条（逾期%(o)d），年内伤害%(i)d例")
                    % {"h": g.n_open, "o": g.n_overdue, "i": g.n_injuries},
                }
                for g in grids
                if g.boundary
            ],
            stale=selectors.grids_not_inspected(townships=townships_for_user(self.request.user), today=today).filter(
                pk__in=self.get_queryset().values("pk")
            )[:20],
        )
        return ctx


class GridDetailView(ObjectDetailView):
    model = Grid
    template_name = "inspections/grid_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("village", "inspector", "head")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        ctx["entities"] = self.object.entities.annotate(
            n_open=Count("hazards", filter=Q(hazards__status__in=OPEN_STATUSES))
        ).order_by("next_due_on", "name")[:200]
        ctx["today"] = today
        return ctx


@scoped_action(SupervisedEntity, EDIT_TOWNSHIP)
def entity_rate(request, entity):
    """POST one periodic 三色 评定 from the entity page."""
    form = RatingForm(request.POST)
    if not form.is_valid():
        raise ValidationError([f"{form.fields[k].label}：{'；'.join(v)}" for k, v in form.errors.items()])
    services.entity_rate(entity=entity, user=request.user, **form.cleaned_data)
    return _("已保存三色评定")
