from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import ListView

from analysis.readiness import red_cells
from projects.selectors import evidence_coverage
from safecommunity.generic import ObjectCreateView, ObjectDetailView, scoped_action
from safecommunity.mixins import ScopedAccessMixin, require_roles
from safecommunity.permissions import READ_SCORECARDS, RUN_COUNTY_OFFICE, SUPERVISE

from .. import services
from ..builtin_schemes import NATIONAL_CODE
from ..documents import county_summary_pdf
from ..documents import scorecard_pdf as render_scorecard_pdf
from ..forms import RoundForm, score_entries
from ..models import AssessmentRound, Scorecard
from ..selectors import round_ranking, scorecard_rows
from .common import pdf_attachment


class RoundListView(ScopedAccessMixin, ListView):
    """County: the rounds with their progress. Township staff: their own scorecards."""

    model = AssessmentRound
    allowed_roles = READ_SCORECARDS
    template_name = "reports/round_list.html"
    paginate_by = 25

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("scheme")
            .annotate(
                n_cards=Count("scorecards"), n_final=Count("scorecards", filter=Q(scorecards__status="finalised"))
            )
            .order_by("-period_start", "county", "pk")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_open"] = user.role in SUPERVISE
        if user.is_township_level:
            ctx["my_cards"] = list(
                Scorecard.objects.for_user(user)
                .select_related("round", "round__scheme")
                .order_by("-round__period_start")
            )
        return ctx


class RoundCreateView(ObjectCreateView):
    model = AssessmentRound
    form_class = RoundForm
    allowed_roles = SUPERVISE

    def perform_save(self, form):
        return services.assessment_round_open(
            user=self.request.user, county=self.request.user.area, **form.cleaned_data
        )


class RoundDetailView(ObjectDetailView):
    model = AssessmentRound
    allowed_roles = RUN_COUNTY_OFFICE
    template_name = "reports/round_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cards"] = round_ranking(self.object)
        ctx["can_score"] = self.request.user.role in SUPERVISE
        return ctx


class ScorecardDetailView(ObjectDetailView):
    model = Scorecard
    allowed_roles = READ_SCORECARDS
    template_name = "reports/scorecard_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("round", "round__scheme", "round__county", "township")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        card = self.object
        ctx["rows"] = scorecard_rows(card)
        ctx["can_score"] = self.request.user.role in SUPERVISE and not card.is_final
        ctx["scale"] = list(card.round.scheme.scale())
        ctx["red"] = red_cells(card)  # issue 20: a low score links to the project addressing it
        if not card.is_final:
            ctx["preview"], ctx["missing"] = services.scorecard_preview(scorecard=card)
        if card.round.scheme.code == NATIONAL_CODE:
            # The AQ/T 9001 evidence archive (projects app): documents held per element = first-level indicator.
            ctx["evidence"] = {str(r["element"].number): r["count"] for r in evidence_coverage(township=card.township)}
        return ctx


@scoped_action(Scorecard, SUPERVISE, select_related=("round__scheme",))
def scorecard_scores(request, card):
    errors = services.scorecard_scores_update(
        scorecard=card, user=request.user, entries=score_entries(request.POST, card.scores.select_related("criterion"))
    )
    for e in errors:
        messages.error(request, e)
    return None if errors else _("评分已保存")


@scoped_action(Scorecard, SUPERVISE, select_related=("round__scheme",))
def scorecard_finalise(request, card):
    services.scorecard_finalise(scorecard=card, user=request.user)
    return _("评分表已定稿")


@login_required
def scorecard_pdf(request, pk):
    require_roles(request.user, READ_SCORECARDS)
    card = get_object_or_404(Scorecard.objects.for_user(request.user).select_related("round", "township"), pk=pk)
    return pdf_attachment(render_scorecard_pdf(card), f"scorecard-{card.round_id}-{card.township.code}.pdf")


@login_required
def round_summary_pdf(request, pk):
    require_roles(request.user, RUN_COUNTY_OFFICE)
    rnd = get_object_or_404(AssessmentRound.objects.for_user(request.user), pk=pk)
    return pdf_attachment(county_summary_pdf(rnd), f"county-summary-{rnd.pk}.pdf")
