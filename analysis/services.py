"""Writes of the analysis app: raise injury signals, turn one into the committee's work (an agenda
item of the next meeting, an action item, an intervention of a promotion project with its
target), dismiss one, and the county's settings."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees import services as committees
from projects import services as projects
from projects.choices import ProjectDomain, ProjectStatus
from safecommunity.exceptions import ApplicationError
from safecommunity.models import Area
from safecommunity.periods import add_months
from safecommunity.services import model_update

from .choices import SignalDimension, SignalStatus
from .models import AnalysisSettings, InjurySignal
from .selectors import settings_of, signal_candidates

SETTINGS_FIELDS = [
    "suppression_threshold",
    "signal_alpha",
    "signal_min_count",
    "cluster_min_injuries",
    "tighten_after_hazards",
    "tightened_interval_days",
    "relax_after_clean",
    "relaxed_interval_factor",
    "apply_inspection_rule",
]


@transaction.atomic
def analysis_settings_save(*, county: Area, **fields) -> AnalysisSettings:
    row = AnalysisSettings.objects.filter(county=county).first() or AnalysisSettings(county=county)
    return model_update(instance=row, fields=SETTINGS_FIELDS, data=fields)


@transaction.atomic
def signals_scan(*, township: Area, as_of: date | None = None) -> list[InjurySignal]:
    """Raise a signal for each stratum whose rise is significant (idempotent: a stratum's window
    is raised once, whatever the number of scans). Returns the new signals."""
    as_of = as_of or timezone.localdate()
    conf = settings_of(township.parent_id)
    found = signal_candidates(
        township=township, as_of=as_of, alpha=float(conf.signal_alpha), min_count=conf.signal_min_count
    )
    window = found["window"]
    created = []
    for c in found["tests"]:
        if not c.test.signal:
            continue
        signal, new = InjurySignal.objects.get_or_create(
            township=township,
            dimension=c.dimension,
            key=c.key,
            window_start=window.start,
            defaults={
                "label": c.label[:100],
                "window_end": window.end,
                "observed": c.test.observed,
                "baseline_total": c.test.baseline_total,
                "baseline_years": c.test.baseline_years,
                "expected": Decimal(str(round(c.test.expected, 2))),
                "p_value": c.test.p_value,
                "threshold": found["threshold"],
            },
        )
        if new:
            created.append(signal)
    return created


# The promotion-project domain a new project of a cause's signal usually has.
CAUSE_DOMAINS = {
    "01": ProjectDomain.TRAFFIC,
    "02": ProjectDomain.TRAFFIC,
    "03": ProjectDomain.ELDERLY_FALLS,
    "07": ProjectDomain.FIRE,
    "09": ProjectDomain.WATER,
    "10": ProjectDomain.PESTICIDE,
    "11": ProjectDomain.DOG_BITE,
}


def default_domain(signal: InjurySignal) -> str:
    if signal.dimension == SignalDimension.CAUSE:
        return CAUSE_DOMAINS.get(signal.key, ProjectDomain.HOME)
    if signal.dimension == SignalDimension.AGE_BAND and signal.key in ("0-4", "5-14"):
        return ProjectDomain.SCHOOL
    return ProjectDomain.HOME


def _locked(signal: InjurySignal) -> InjurySignal:
    signal = InjurySignal.objects.select_for_update().get(pk=signal.pk)
    if signal.status != SignalStatus.OPEN:
        raise ApplicationError(_("该预警已处理"))
    return signal


@transaction.atomic
def signal_act(
    *,
    signal: InjurySignal,
    user,
    meeting,
    owner_member,
    due_on: date,
    intervention: str,
    intervention_end: date,
    target_change: Decimal,
    project=None,
    project_name: str = "",
    project_domain: str = "",
) -> InjurySignal:
    """The committee takes the signal up: a line on the next meeting's agenda, an action item of
    that meeting, and an intervention of a promotion project. Without ``project`` a new project is
    opened whose indicator is the signal's stratum, its baseline the signal's window and its
    follow-up the same months a year later (same season), with ``target_change``."""
    signal = _locked(signal)
    target_change = Decimal(str(target_change))
    township = signal.township
    if meeting.township_id != township.pk:
        raise ApplicationError(_("会议不属于本乡镇"))
    if project is not None and project.township_id != township.pk:
        raise ApplicationError(_("项目不属于本乡镇"))
    if meeting.held_on < timezone.localdate():
        raise ApplicationError(_("请选择尚未召开的会议"))
    topic = _("伤害预警：%(dim)s“%(label)s” %(start)s至%(end)s %(n)d例，往年同期平均%(e)s例") % {
        "dim": signal.get_dimension_display(),
        "label": signal.label,
        "start": signal.window_start.isoformat(),
        "end": signal.last_day.isoformat(),
        "n": signal.observed,
        "e": signal.expected,
    }
    agenda = "\n".join(line for line in (meeting.agenda.rstrip(), topic) if line)
    committees.meeting_save(meeting=meeting, agenda=agenda)
    item = committees.action_item_create(
        township=township,
        meeting=meeting,
        title=(_("落实干预：%(i)s") % {"i": intervention})[:300],
        due_on=due_on,
        owner_member=owner_member,
    )
    if project is None:
        follow_start = signal.window_start.replace(year=signal.window_start.year + 1)
        follow_end = signal.window_end.replace(year=signal.window_end.year + 1)
        project = projects.project_save(
            township=township,
            name=(project_name or _("%(label)s伤害预防") % {"label": signal.label})[:200],
            domain=project_domain or default_domain(signal),
            problem=topic,
            injury_evidence=topic,
            goal=_("伤害例数变化%(t)s%%") % {"t": f"{target_change * 100:.0f}"},
            target_change=target_change,
            baseline_start=signal.window_start,
            baseline_end=signal.last_day,
            followup_start=follow_start,
            followup_end=date.fromordinal(follow_end.toordinal() - 1),
            start_on=timezone.localdate(),
            end_on=max(follow_end, add_months(timezone.localdate(), 12)),
            status=ProjectStatus.PLANNED,
            **signal.indicator_filters(),
        )
    step = projects.intervention_save(
        project=project,
        description=intervention[:300],
        owner=str(owner_member or "")[:100],
        planned_start=timezone.localdate(),
        planned_end=intervention_end,
    )
    signal.status = SignalStatus.ACTED
    signal.meeting, signal.action_item, signal.project, signal.intervention = meeting, item, project, step
    signal.handled_by, signal.handled_at = user, timezone.now()
    signal.full_clean()
    signal.save()
    return signal


@transaction.atomic
def signal_dismiss(*, signal: InjurySignal, user, note: str) -> InjurySignal:
    signal = _locked(signal)
    if not note.strip():
        raise ApplicationError(_("请说明排除理由"))
    signal.status, signal.note = SignalStatus.DISMISSED, note.strip()
    signal.handled_by, signal.handled_at = user, timezone.now()
    signal.full_clean()
    signal.save()
    return signal
