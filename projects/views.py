"""Projects, interventions and the evidence archive (创建档案)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from safecommunity.generic import (
    TownshipCreateView,
    TownshipDetailView,
    TownshipListView,
    TownshipUpdateView,
    scoped_action,
    service_data,
)
from safecommunity.mixins import ScopedAccessMixin, require_roles
from safecommunity.models import Area
from safecommunity.permissions import EDIT_TOWNSHIP, READ_COMMITTEE_WORK
from safecommunity.uploads import file_response

from . import selectors, services
from .choices import InterventionStatus
from .filters import EvidenceFilterSet, InterventionFilterSet, ProjectFilterSet
from .forms import EvaluationForm, EvidenceForm, InterventionForm, ProjectForm
from .indicators import choice_label
from .models import Evidence, Intervention, Project
from .tables import EvidenceTable, InterventionTable, ProjectTable


@login_required
def index(request):
    return redirect("projects:project_list")


class ProjectListView(TownshipListView):
    model = Project
    table_class = ProjectTable
    filterset_class = ProjectFilterSet
    export_kind = "projects"
    title = gettext_lazy("安全促进项目")
    create_url_name = "projects:project_create"
    template_name = "projects/list.html"
    page_domains = ("projects",)  # projects and interventions; groups and townships by generation

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("township", "working_group")
            .annotate(
                n_interventions=Count("interventions"),
                n_done=Count("interventions", filter=Q(interventions__status=InterventionStatus.DONE)),
            )
            .order_by("-start_on", "id")
        )


def _indicator_effect(user, project, indicator) -> dict:
    """The indicator, and before/after with its interval (issue 20); for a role that sees small
    counts hidden (analysis.suppression), a count below the threshold hides the change too."""
    from analysis import selectors as analysis_selectors
    from analysis import suppression

    effect = analysis_selectors.indicator_effect(project)
    shown = suppression.for_user(user)
    hidden = False
    if indicator is not None and shown.active:
        counts = {k: shown.count(indicator[k]) for k in ("baseline", "followup")}
        hidden = any(suppression.is_hidden(v) for v in counts.values())
        if hidden:
            indicator = {**indicator, **counts, "change": None, "change_text": "—", "met": None}
    return {"indicator": indicator, "effect": effect, "effect_hidden": hidden}


class ProjectDetailView(TownshipDetailView):
    model = Project
    template_name = "projects/project_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "working_group", "indicator_village")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p = self.object
        today = timezone.localdate()
        ctx.update(
            today=today,
            **_indicator_effect(self.request.user, p, selectors.project_indicator(p)),
            indicator_filters=[
                (_("村/社区"), p.indicator_village or _("全乡镇")),
                (
                    _("年龄"),
                    _("%(a)s–%(b)s岁")
                    % {
                        "a": p.indicator_age_min if p.indicator_age_min is not None else 0,
                        "b": p.indicator_age_max if p.indicator_age_max is not None else "∞",
                    },
                ),
                (_("伤害原因"), choice_label("cause", p.indicator_cause) or _("不限")),
                (_("发生地点"), choice_label("place", p.indicator_place) or _("不限")),
                (_("性别"), choice_label("sex", p.indicator_sex) or _("不限")),
            ],
            interventions=list(p.interventions.all()),
            evidence=p.evidence.prefetch_related("elements").order_by("-dated", "-id"),
            evaluation_due=p.evaluation_due(today),
        )
        if ctx["can_edit"]:
            ctx["evaluation_form"] = EvaluationForm(initial={"evaluated_on": today, "evaluation": p.evaluation})
        return ctx


class ProjectCreateView(TownshipCreateView):
    model = Project
    form_class = ProjectForm
    service = services.project_save


class ProjectUpdateView(TownshipUpdateView):
    model = Project
    form_class = ProjectForm
    service = services.project_save
    object_kwarg = "project"


@scoped_action(Project, EDIT_TOWNSHIP)
def project_evaluate(request, project):
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写评估结论和日期"))
        return redirect(project)
    services.project_record_evaluation(project=project, **form.cleaned_data)
    return _("已记录评估")


class InterventionListView(TownshipListView):
    model = Intervention
    table_class = InterventionTable
    filterset_class = InterventionFilterSet
    export_kind = "interventions"
    title = gettext_lazy("干预措施")
    template_name = "projects/list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project")

    def can_create(self):
        return False


class InterventionDetailView(TownshipDetailView):
    model = Intervention
    template_name = "projects/intervention_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project", "project__township")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
        ctx["evidence"] = self.object.evidence.prefetch_related("elements").order_by("-dated", "-id")
        return ctx


class InterventionCreateView(TownshipCreateView):
    model = Intervention
    form_class = InterventionForm

    def get_form_kwargs(self):
        kwargs = super(TownshipCreateView, self).get_form_kwargs()
        self.project = get_object_or_404(Project.objects.for_user(self.request.user), pk=self.kwargs["pk"])
        kwargs["instance"] = Intervention(project=self.project)
        return kwargs

    def perform_save(self, form):
        return services.intervention_save(project=self.project, **form.cleaned_data)


class InterventionUpdateView(TownshipUpdateView):
    model = Intervention
    form_class = InterventionForm
    service = services.intervention_save
    object_kwarg = "intervention"


class EvidenceListView(TownshipListView):
    model = Evidence
    table_class = EvidenceTable
    filterset_class = EvidenceFilterSet
    title = gettext_lazy("创建档案")
    create_url_name = "projects:evidence_create"
    template_name = "projects/list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township").prefetch_related("elements")


class EvidenceDetailView(TownshipDetailView):
    model = Evidence
    template_name = "projects/evidence_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "project", "intervention", "meeting", "activity")


class EvidenceFormMixin:
    model = Evidence
    form_class = EvidenceForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.file_fields = ("file",)
        # Narrow the interventions to the user's scope (Intervention is reached through its project).
        form.fields["intervention"].queryset = Intervention.objects.for_user(self.request.user).select_related(
            "project"
        )
        return form


class EvidenceCreateView(EvidenceFormMixin, TownshipCreateView):
    def get_initial(self):
        initial = super().get_initial()
        for name in ("project", "intervention", "meeting", "activity"):
            value = self.request.GET.get(name)
            if value and value.isdigit():
                initial[name] = value
        if self.request.GET.get("meeting"):
            initial.setdefault("kind", "minutes")
        return initial

    def perform_save(self, form):
        data = service_data(form)
        return services.evidence_add(township=self.request.user.township, **data)


class EvidenceUpdateView(EvidenceFormMixin, TownshipUpdateView):
    service = services.evidence_update
    object_kwarg = "evidence"


@login_required
def evidence_file(request, pk):
    """The stored file, after the same scope check as the evidence page; always a download."""
    require_roles(request.user, READ_COMMITTEE_WORK)
    evidence = get_object_or_404(Evidence.objects.for_user(request.user), pk=pk)
    return file_response(evidence.file, title=evidence.title)


class CoverageView(ScopedAccessMixin, TemplateView):
    """Per AQ/T 9001 element: the evidence the township has and what is missing (self-assessment)."""

    allowed_roles = READ_COMMITTEE_WORK
    template_name = "projects/coverage.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        townships = Area.objects.for_user(user).townships().order_by("code")
        wanted = self.request.GET.get("township")
        township = (
            user.township
            if user.is_township_level
            else ((townships.filter(pk=wanted).first() if wanted and wanted.isdigit() else None) or townships.first())
        )
        ctx.update(township=township, townships=None if user.is_township_level else townships)
        if township is not None:
            rows = selectors.evidence_coverage(township=township)
            ctx.update(rows=rows, missing=sum(1 for r in rows if r["missing"]))
        return ctx
