"""Demo data: briefing series, the last three months' briefings (the oldest published), and the
county's yearly assessment of last year, one township finalised. Idempotent and deterministic."""

import random
from datetime import date

from django.utils import timezone

from .builtin_schemes import COUNTY_CODE, install_builtin_schemes
from .models import AssessmentRound, AssessmentScheme, Briefing, BriefingSeries
from .services import (
    assessment_round_open,
    briefing_generate,
    briefing_publish,
    briefing_render,
    briefing_update,
    score_update,
    scorecard_finalise,
)

SEED_ORDER = 90  # last: briefings and scorecards are built from everything (safecommunity.seeding)

NOTES = [
    "本月，街道安委会组织召开创安联席会议，通报上月伤害监测情况，部署秋冬季防火和道路交通安全工作。",
    "本月重点开展老年人防跌倒入户宣传，为辖区高龄独居老人安装扶手和夜灯，发放宣传材料。",
    "各村（社区）信息员按时报送伤害信息，网格员完成月度巡查，重大隐患实行挂牌督办。",
]
PLANS = [
    "1. 召开月度创安联席会议；\n2. 开展冬季消防安全专项检查；\n3. 组织学校应急疏散演练。",
    "1. 完成促进项目年度效果评估；\n2. 开展燃气安全进万家宣传；\n3. 督办逾期未整改隐患销号。",
]
SERIES_OFFSET = {0: 55, 1: 30, 2: 12}  # 城关街道: October 2026 is 第10期(总第58期)


def _months_before(today, n):
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append((y, m))
    return list(reversed(out))


def seed_demo(world, *, stdout):
    install_builtin_schemes()
    if Briefing.objects.filter(township__in=world.townships).exists():
        stdout.write("reports: demo data already present")
        return
    rng = random.Random(20260601)
    staff = {t.pk: u for u in world.users.values() if u.role == "township_staff" for t in [u.area]}
    today = timezone.localdate()
    for i, township in enumerate(world.townships):
        months = _months_before(today, 3)
        first_y, first_m = months[0]
        BriefingSeries.objects.get_or_create(
            township=township,
            defaults={
                "issuer": f"{township.name}安全社区促进委员会办公室",
                "total_offset": SERIES_OFFSET.get(i, 0),
                "start_year": first_y,
                "start_year_offset": first_m - 1,
            },
        )
        for j, (y, m) in enumerate(months):
            b, _ = briefing_generate(township=township, year=y, month=m, today=today)
            user = staff.get(township.pk)
            if user is not None:
                b = briefing_update(
                    briefing=b,
                    user=user,
                    editor_note=rng.choice(NOTES),
                    next_month_plan=rng.choice(PLANS),
                    issuer=b.issuer,
                    issued_on=b.issued_on,
                )
                if j == 0:
                    briefing_publish(briefing=b, user=user)
                    continue
            briefing_render(briefing_id=b.pk, task_id=f"demo-{b.pk}")
    county_user = world.users.get("county")
    if county_user and not Briefing.objects.filter(township=world.county).exists():
        _seed_county_briefings(world, county_user, today)
    scheme = AssessmentScheme.objects.filter(code=COUNTY_CODE).order_by("-version").first()
    year = today.year - 1
    if county_user and scheme and not AssessmentRound.objects.filter(county=world.county).exists():
        rnd = assessment_round_open(
            user=county_user,
            scheme=scheme,
            county=world.county,
            name=f"{year}年度安全社区建设督查考核",
            period_start=date(year, 1, 1),
            period_end=date(year + 1, 1, 1),
            today=today,
        )
        card = rnd.scorecards.order_by("township__code").first()
        for s in card.scores.select_related("criterion"):
            if not s.computed_input:
                full = s.criterion.points
                score_update(
                    score=s,
                    user=county_user,
                    points=str(full - rng.choice([0, 0, 1])),
                    comment=rng.choice(["资料齐全", "会议记录不完整，扣1分", "台账规范"]),
                )
        scorecard_finalise(scorecard=card, user=county_user, today=today)
    stdout.write(f"reports: briefings for {len(world.townships)} townships, assessment {year}")


def _seed_county_briefings(world, user, today):
    """The county's own series: last month's issue (with its 县级工作) and a 专刊 with an article."""
    from .services import briefing_create_special

    y, m = _months_before(today, 1)[0]
    b, _ = briefing_generate(township=world.county, year=y, month=m, today=today)
    common = {
        "issuer": f"{world.county.name}安全社区推进委员会办公室",
        "distribution_report": "市安委办",
        "distribution_send": "县委、县政府领导",
        "distribution_issue": "各乡镇（街道）安委会，县安委会各成员单位",
        "print_count": 60,
    }
    b = briefing_update(briefing=b, user=user, editor_note=NOTES[0], issued_on=b.issued_on, **common)
    briefing_publish(briefing=b, user=user)
    special = briefing_create_special(
        owner=world.county, user=user, kind="special", subject="安全社区创建专刊", issued_on=today
    )
    special = briefing_update(
        briefing=special,
        user=user,
        editor_note="学习先进经验，推动我县安全社区建设上台阶。",
        issued_on=today,
        articles=[
            {
                "id": None,
                "title": "赴滨州学习考察安全社区建设的报告",
                "author": "县安委办",
                "body": "一、基本情况\n考察组一行实地察看了社区伤害监测点和应急演练现场。\n"
                "二、主要做法\n组织机构健全，项目覆盖重点人群。\n三、几点启示\n要以数据找问题、以项目抓落实。",
            }
        ],
        **common,
    )
    briefing_render(briefing_id=special.pk, task_id=f"demo-{special.pk}")
