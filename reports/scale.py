"""Scale data for the reports app: a briefing series per township and last year's county
assessment opened (computed criteria filled from the scale data). Idempotent."""

from datetime import date

from django.utils import timezone

from .builtin_schemes import COUNTY_CODE, install_builtin_schemes
from .models import AssessmentRound, AssessmentScheme, BriefingSeries
from .services import assessment_round_open

SEED_ORDER = 90  # last: briefings and scorecards are built from everything (safecommunity.seeding)


def seed_scale(world, *, stdout):
    install_builtin_schemes()
    have = set(BriefingSeries.objects.filter(township__in=world.townships).values_list("township_id", flat=True))
    BriefingSeries.objects.bulk_create(
        [
            BriefingSeries(township=t, issuer=f"{t.name}安全社区促进委员会办公室", total_offset=40 + i)
            for i, t in enumerate(world.townships)
            if t.pk not in have
        ]
    )
    year = timezone.localdate().year - 1
    user = world.users.get("scale_county")
    scheme = AssessmentScheme.objects.filter(code=COUNTY_CODE).order_by("-version").first()
    if user and not AssessmentRound.objects.filter(county=world.county).exists():
        assessment_round_open(
            user=user,
            scheme=scheme,
            county=world.county,
            name=f"{year}年度安全社区建设督查考核",
            period_start=date(year, 1, 1),
            period_end=date(year + 1, 1, 1),
        )
    stdout.write(f"reports: {len(world.townships)} briefing series, {year} assessment opened")
