"""County-scale volumes for the benchmarks: 1,000,000 injury records and 20,000 incidents over
5 years in the scale county, bulk-inserted per township (idempotent per township)."""

import random
import time

from django.db import transaction
from django.utils import timezone

from .demo import incident_rows, injury_rows
from .models import Incident, InjuryRecord

SEED_ORDER = 20  # after the grids they happen in (safecommunity.seeding)

INJURIES = 1_000_000
INCIDENTS = 20_000
YEARS = 5
BATCH = 10_000


def _per_township_year(total, townships):
    return max(1, round(total / (townships * YEARS)))


def _count_for(year, n, today):
    """The current year is partial; ask for more so that the rows kept up to today make ``n``."""
    if year != today.year:
        return n
    elapsed = (today - today.replace(month=1, day=1)).days + 1
    return round(n * 365 / max(elapsed, 1))


def seed_scale(world, *, stdout):
    today = timezone.localdate()
    years = range(today.year - YEARS + 1, today.year + 1)
    n_injuries = _per_township_year(round(INJURIES * world.fraction), len(world.townships))
    n_incidents = _per_township_year(round(INCIDENTS * world.fraction), len(world.townships))
    done_injuries = set(
        InjuryRecord.objects.filter(township__in=world.townships).values_list("township_id", flat=True).distinct()
    )
    done_incidents = set(
        Incident.objects.filter(township__in=world.townships).values_list("township_id", flat=True).distinct()
    )
    started = time.monotonic()
    for i, township in enumerate(world.townships):
        rng = random.Random(9000 + i)
        villages = world.villages[township.code]
        user = world.users.get(f"scale_t{i + 1:02d}")
        with transaction.atomic():
            if township.pk not in done_incidents:
                objs = []
                for year in years:
                    for row in incident_rows(
                        rng, villages=villages, year=year, count=_count_for(year, n_incidents, today), today=today
                    ):
                        objs.append(Incident(township=township, created_by=user, **row))
                Incident.objects.bulk_create(objs, batch_size=2000)
            if township.pk not in done_injuries:
                objs = []
                for year in years:
                    for row in injury_rows(
                        rng, villages=villages, year=year, count=_count_for(year, n_injuries, today), today=today
                    ):
                        objs.append(
                            InjuryRecord(township=township, created_by=user, reported_at=row["visit_at"], **row)
                        )
                        if len(objs) >= BATCH:
                            InjuryRecord.objects.bulk_create(objs, batch_size=BATCH)
                            objs = []
                InjuryRecord.objects.bulk_create(objs, batch_size=BATCH)
        stdout.write(f"incidents: township {township.code} ready ({time.monotonic() - started:.0f}s)")
    total = InjuryRecord.objects.filter(township__in=world.townships).count()
    stdout.write(
        f"incidents: {Incident.objects.filter(township__in=world.townships).count()} incidents, "
        f"{total} injury records in the scale county"
    )
