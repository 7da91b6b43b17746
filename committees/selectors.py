"""Reads of the committees app shared by pages, dashboards, briefings and scorecards.

``townships`` is a queryset or list of township Areas or their ids; ``period`` a
``safecommunity.periods.Period`` (half-open).
"""

from datetime import date

from django.db.models import Count, Prefetch, Q, Sum

from safecommunity.datacache import versioned
from safecommunity.querysets import township_ids

from .choices import POSITION_ORDER, ActionStatus, ActivityKind, MeetingKind
from .models import (
    ActionItem,
    Activity,
    AwarenessSurvey,
    CommitteeMember,
    Community,
    Meeting,
    WorkingGroup,
)


@versioned("committees")
def meeting_statistics(*, townships, period) -> dict:
    """Meetings held in the period, by kind: {"total", "by_kind": {kind: n}, "rows": [(label, n)]}."""
    counts = dict(
        Meeting.objects.filter(
            township_id__in=township_ids(townships), held_on__gte=period.start, held_on__lt=period.end
        )
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    by_kind = {kind.value: counts.get(kind.value, 0) for kind in MeetingKind}
    return {
        "total": sum(by_kind.values()),
        "by_kind": by_kind,
        "rows": [(kind.label, by_kind[kind.value]) for kind in MeetingKind],
    }


@versioned("committees")
def activity_sums(*, townships, period) -> dict:
    """Activities in the period: count per type, participants and materials handed out.

    {"count", "participants", "materials", "by_kind": {kind: {"count", "participants", "materials"}},
     "publicity", "training", "drill", "competition" (counts)}
    """
    rows = (
        Activity.objects.filter(
            township_id__in=township_ids(townships), held_on__gte=period.start, held_on__lt=period.end
        )
        .values("kind")
        .annotate(count=Count("id"), participants=Sum("participants"), materials=Sum("materials"))
    )
    found = {r["kind"]: r for r in rows}
    by_kind = {}
    for kind in ActivityKind:
        r = found.get(kind.value, {})
        by_kind[kind.value] = {
            "label": kind.label,
            "count": r.get("count", 0) or 0,
            "participants": r.get("participants") or 0,
            "materials": r.get("materials") or 0,
        }
    result = {
        "count": sum(v["count"] for v in by_kind.values()),
        "participants": sum(v["participants"] for v in by_kind.values()),
        "materials": sum(v["materials"] for v in by_kind.values()),
        "by_kind": by_kind,
    }
    result.update({kind: by_kind[kind]["count"] for kind in by_kind})
    return result


@versioned("committees")
def action_item_statistics(*, townships, today: date) -> dict:
    """{"total", "open", "done", "overdue"}: open counts every item not done (overdue included)."""
    return ActionItem.objects.filter(township_id__in=township_ids(townships)).aggregate(
        total=Count("id"),
        open=Count("id", filter=~Q(status=ActionStatus.DONE)),
        done=Count("id", filter=Q(status=ActionStatus.DONE)),
        overdue=Count("id", filter=~Q(status=ActionStatus.DONE) & Q(due_on__lt=today)),
    )


def community_summary(*, community: Community, today: date) -> dict:
    designations = list(community.designations.all())
    current = next((d for d in designations if d.designated_on <= today <= d.expires_on), None)
    return {
        "designations": designations,
        "current": current,
        "reevaluation_due": [d for d in designations if d.reevaluation_due(today)],
        "expired": current is None and any(d.expires_on < today for d in designations),
    }


def committee_structure(*, township) -> dict:
    """The committee at a glance: leaders by position, the office, member units, groups with their
    lead, members and projects (a fixed number of queries whatever the size)."""
    from projects.models import Project

    members = list(CommitteeMember.objects.filter(township=township).select_related("unit", "user"))
    members.sort(key=lambda m: (POSITION_ORDER.get(m.position, 99), m.name))
    groups = list(
        WorkingGroup.objects.filter(township=township)
        .select_related("lead", "lead__unit")
        .prefetch_related(
            Prefetch("members", queryset=CommitteeMember.objects.select_related("unit").order_by("name")),
            Prefetch("projects", queryset=Project.objects.order_by("-start_on", "id")),
        )
    )
    units = {}
    for m in members:
        if m.unit_id:
            units.setdefault(m.unit_id, m.unit)
    return {
        "leaders": [m for m in members if m.position != "member"],
        "office": [m for m in members if m.in_office],
        "members": members,
        "units": sorted(units.values(), key=lambda u: u.name),
        "groups": groups,
    }


def latest_surveys(*, townships, limit: int = 2) -> list[AwarenessSurvey]:
    return list(
        AwarenessSurvey.objects.filter(township_id__in=township_ids(townships))
        .select_related("township")
        .order_by("-conducted_on", "-id")[:limit]
    )


def timeline(*, township, limit: int = 12) -> list[dict]:
    """The latest meetings and activities of a township, newest first (two queries)."""
    events = [
        {"date": m.held_on, "kind": m.get_kind_display(), "title": m.title, "url": m.get_absolute_url()}
        for m in Meeting.objects.filter(township=township).order_by("-held_on", "-id")[:limit]
    ] + [
        {"date": a.held_on, "kind": a.get_kind_display(), "title": a.title, "url": a.get_absolute_url()}
        for a in Activity.objects.filter(township=township).order_by("-held_on", "-id")[:limit]
    ]
    events.sort(key=lambda e: e["date"], reverse=True)
    return events[:limit]


def meeting_detail_context(*, meeting: Meeting) -> dict:
    """Attendance split into present and absent, action items and attached evidence of one meeting."""
    attendance = list(meeting.attendance.select_related("member", "member__unit"))
    return {
        "present": [a for a in attendance if a.present],
        "absent": [a for a in attendance if not a.present],
        "items": list(meeting.action_items.select_related("owner_member", "owner_user").order_by("due_on", "id")),
        "evidence": list(meeting.evidence.prefetch_related("elements").order_by("-dated", "-id")),
    }


@versioned("committees")
def meeting_and_activity_counts_by_township(*, townships, period) -> dict[int, dict]:
    """Per township id: {"meetings": meetings held, "activities": activities} in the period, as
    ``meeting_statistics``' total and ``activity_sums``' count give them: two grouped queries (the
    county's ranking)."""
    ids = township_ids(townships)
    result = {tid: {"meetings": 0, "activities": 0} for tid in ids}
    for key, model in (("meetings", Meeting), ("activities", Activity)):
        rows = (
            model.objects.filter(township_id__in=ids, held_on__gte=period.start, held_on__lt=period.end)
            .order_by()
            .values_list("township_id")
            .annotate(n=Count("id"))
        )
        for tid, n in rows:
            result[tid][key] = n
    return result
