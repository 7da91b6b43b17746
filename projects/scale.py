"""County-scale projects data for benchmarks (bulk_create; a township with projects is skipped)."""

import random
from datetime import date, timedelta

from django.db import transaction

from committees.models import WorkingGroup

from .choices import InterventionStatus, ProjectDomain, ProjectStatus
from .models import AqElement, Evidence, Intervention, Project

SEED_ORDER = 40  # after committees (working groups own projects) (safecommunity.seeding)


@transaction.atomic
def seed_scale(world, *, stdout):
    rng = random.Random(9001)
    today = date.today()
    done = set(Project.objects.filter(township__in=world.townships).values_list("township_id", flat=True))
    todo = [t for t in world.townships if t.pk not in done]
    groups = {}
    for g in WorkingGroup.objects.filter(township__in=todo).only("id", "township_id"):
        groups.setdefault(g.township_id, []).append(g)
    domains, statuses = list(ProjectDomain), list(ProjectStatus)
    Project.objects.bulk_create(
        [
            Project(
                township=t,
                name=f"{t.name}项目{i}",
                domain=domains[i % len(domains)],
                working_group=rng.choice(groups[t.pk]) if groups.get(t.pk) else None,
                start_on=date(today.year - 1, 1, 1),
                end_on=date(today.year + 1, 12, 31),
                status=statuses[i % 4],
                progress=rng.randint(0, 100),
                baseline_start=date(today.year - 2, 1, 1),
                baseline_end=date(today.year - 2, 12, 31),
                followup_start=date(today.year - 1, 1, 1),
                followup_end=date(today.year - 1, 12, 31),
                indicator_age_min=60,
                indicator_cause="03",
            )
            for t in todo
            for i in range(18)
        ],
        batch_size=2000,
    )
    interventions = []
    for p in Project.objects.filter(township__in=todo).only("id"):
        for k in range(5):
            start = today - timedelta(days=rng.randint(0, 500))
            interventions.append(
                Intervention(
                    project=p,
                    description=f"措施{k + 1}",
                    planned_start=start,
                    planned_end=start + timedelta(days=90),
                    status=rng.choice(list(InterventionStatus)),
                )
            )
    for i in interventions:
        if i.status == InterventionStatus.DONE:
            i.done_on = i.planned_end
    Intervention.objects.bulk_create(interventions, batch_size=5000)
    evidence = Evidence.objects.bulk_create(
        [Evidence(township=t, title=f"档案{i}", dated=today - timedelta(days=i)) for t in todo for i in range(40)],
        batch_size=2000,
    )
    elements = list(AqElement.objects.all())
    Through = Evidence.elements.through
    Through.objects.bulk_create(
        [Through(evidence_id=e.pk, aqelement_id=elements[e.pk % 11].pk) for e in evidence if e.pk], batch_size=5000
    )
    stdout.write(f"projects: scale data for {len(todo)} townships ({len(interventions)} interventions)")
