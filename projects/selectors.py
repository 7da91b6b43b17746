"""Reads of the projects app shared by pages, dashboards, briefings and scorecards."""

from datetime import date

from django.db.models import Count, Q

from safecommunity.datacache import versioned
from safecommunity.periods import change, change_text
from safecommunity.querysets import township_ids

from .choices import InterventionStatus, ProjectStatus
from .models import AqElement, Evidence, Intervention, Project
from .querysets import CLOSED_INTERVENTION


@versioned("projects")
def project_progress(*, townships, today: date) -> dict:
    """Projects by status, evaluated vs not (and due for evaluation), interventions done/total/overdue."""
    ids = township_ids(townships)
    status_counts = dict(
        Project.objects.filter(township_id__in=ids)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    by_status = {s.value: status_counts.get(s.value, 0) for s in ProjectStatus}
    evaluation = Project.objects.filter(township_id__in=ids).aggregate(
        evaluated=Count("id", filter=Q(evaluated_on__isnull=False)),
        not_evaluated=Count("id", filter=Q(evaluated_on__isnull=True)),
        evaluation_due=Count("id", filter=Q(evaluated_on__isnull=True, followup_end__lt=today)),
    )
    interventions = Intervention.objects.filter(project__township_id__in=ids).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=InterventionStatus.DONE)),
        overdue=Count("id", filter=~Q(status__in=CLOSED_INTERVENTION) & Q(planned_end__lt=today)),
    )
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "rows": [(s.label, by_status[s.value]) for s in ProjectStatus],
        **evaluation,
        "interventions": interventions,
    }


def project_indicator(project: Project) -> dict | None:
    """Baseline and follow-up values of the project's indicator, computed by the incidents app's
    ``injury_count`` (the statistics page's selector), and the change between them."""
    if not project.has_indicator:
        return None
    from .indicators import count_injuries

    baseline = count_injuries(project, project.baseline_period)
    followup = count_injuries(project, project.followup_period)
    value = change(followup, baseline)
    met = None
    if project.target_change is not None and value is not None:
        met = value <= project.target_change
    return {
        "baseline": baseline,
        "followup": followup,
        "change": value,
        "change_text": change_text(followup, baseline),
        "target_change": project.target_change,
        "met": met,
        "baseline_period": project.baseline_period,
        "followup_period": project.followup_period,
    }


def evidence_coverage(*, township) -> list[dict]:
    """Per AQ/T 9001 element: how much evidence the township has, and whether it is missing."""
    tid = getattr(township, "pk", township)
    counts = dict(
        Evidence.objects.filter(township_id=tid)
        .values_list("elements")
        .annotate(n=Count("id", distinct=True))
        .values_list("elements", "n")
    )
    return [
        {"element": e, "count": counts.get(e.pk, 0), "missing": counts.get(e.pk, 0) == 0}
        for e in AqElement.objects.order_by("number")
    ]
