"""python manage.py generate_scorecards --county CODE --year YYYY [--scheme CODE] --out DIR

One scorecard PDF per township and the county summary. Without a finalised assessment for the
year, the computed criteria are rendered as a provisional scorecard marked 未定稿."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.builtin_schemes import COUNTY_CODE
from reports.documents import (
    county_summary_context,
    county_summary_pdf,
    provisional_context,
    render_county_summary,
    render_scorecard,
    scorecard_pdf,
)
from reports.models import AssessmentRound, AssessmentScheme
from reports.services.scoring import competition_ranks
from safecommunity.models import Area
from safecommunity.periods import Period


class Command(BaseCommand):
    help = "生成县级考核评分表PDF（每个乡镇一份）和县级汇总表"

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="县/区区划代码（6位）")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--scheme", default=COUNTY_CODE, help=f"考核方案代码（默认 {COUNTY_CODE}）")
        parser.add_argument("--out", required=True, help="输出目录")

    def handle(self, *args, county, year, scheme, out, **options):
        area = Area.objects.filter(code=county, level="county").first()
        if area is None:
            raise CommandError(f"没有区划代码为 {county} 的县/区")
        scheme_obj = AssessmentScheme.objects.filter(code=scheme).order_by("-version").first()
        if scheme_obj is None:
            raise CommandError(f"没有代码为 {scheme} 的考核方案")
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        period = Period.year(year)
        rnd = (
            AssessmentRound.objects.filter(
                county=area, scheme__code=scheme, period_start=period.start, period_end=period.end
            )
            .order_by("-scheme__version")
            .first()
        )
        written = []
        if rnd is not None:
            for card in rnd.scorecards.select_related("township").order_by("township__code"):
                written.append(self._write(out_dir / f"scorecard-{year}-{card.township.code}.pdf", scorecard_pdf(card)))
            written.append(self._write(out_dir / f"county-summary-{year}-{area.code}.pdf", county_summary_pdf(rnd)))
        else:
            today = min(timezone.localdate(), period.last_day)
            cards = []
            for township in Area.objects.filter(parent=area).townships().order_by("code"):
                ctx = provisional_context(scheme=scheme_obj, county=area, township=township, period=period, today=today)
                written.append(self._write(out_dir / f"scorecard-{year}-{township.code}.pdf", render_scorecard(ctx)))
                cards.append(
                    {
                        "township": township,
                        "total": ctx["total"],
                        "result": "",
                        "grade_label": "",
                        "rank": None,
                        "final": False,
                    }
                )
            ranks = competition_ranks({i: c["total"] for i, c in enumerate(cards)})
            for i, c in enumerate(cards):
                c["rank"] = ranks[i]
            cards.sort(key=lambda c: (c["rank"], c["township"].code))
            ctx = county_summary_context(
                title=f"{year}年{scheme_obj.name}汇总表（未定稿）",
                county=area,
                period=period,
                cards=cards,
                provisional=True,
            )
            written.append(
                self._write(
                    out_dir / f"county-summary-{year}-{area.code}.pdf",
                    render_county_summary(ctx),
                )
            )
        self.stdout.write(f"{len(written)} 个文件 → {out_dir}" + ("" if rnd else "（未定稿）"))

    def _write(self, path: Path, content: bytes) -> Path:
        path.write_bytes(content)
        return path
