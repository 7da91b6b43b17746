"""Small-cell suppression of the statistics shown to committee members and grid inspectors.

Counts of people (injury records, deaths, injured) from 1 to threshold − 1 are shown as "<5"
(primary suppression); zeros stay. In every group of cells whose total is shown elsewhere (a
breakdown and its total, the months of a year, serious + minor = injured), more cells are hidden
(complementary suppression, shown as "*") until at least two cells of the group are hidden and the
hidden cells together hold at least ``threshold`` people: the total then cannot give any hidden
cell back. A rate whose numerator is hidden is hidden too (numerator = rate × denominator), and so
is a 同比/环比 change against a hidden figure. Method: docs/analysis.md.

The selectors stay exact (and cached); a view passes their results through ``for_user(user)``
just before it shows them. Roles in ``permissions.SEE_SMALL_COUNTS`` get them unchanged.
"""

from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from safecommunity.permissions import SEE_SMALL_COUNTS

from .models import DEFAULT_SUPPRESSION_THRESHOLD, AnalysisSettings

#: The figures of incidents.selectors that count people.
PERSON_FIGURES = ("deaths", "injured", "serious", "poisoned", "minor", "injuries")
#: Figure groups whose total is shown: total → its parts.
FIGURE_PARTITIONS = {"injured": ("serious", "minor")}

SECONDARY_MARK = "*"
NOTE = _("为保护个人信息，小于%(t)d的计数显示为“<%(t)d”，可能反推出这些计数的数字显示为“*”。")


class Suppressed(str):
    """A hidden count. Prints as "<5" (or "*"); JSON gives the text; charts treat it as missing."""

    def __new__(cls, text: str):
        return super().__new__(cls, text)

    def __bool__(self):  # a hidden count is still "some cases" for {% if %} in templates
        return True


def is_hidden(value) -> bool:
    return isinstance(value, Suppressed)


def suppress_cells(values, threshold: int) -> list:
    """One group of counts whose total is known: primary then complementary suppression."""
    values = list(values)
    out = list(values)
    hidden = [i for i, v in enumerate(values) if isinstance(v, int) and not isinstance(v, bool) and 0 < v < threshold]
    for i in hidden:
        out[i] = Suppressed(f"<{threshold}")
    if not hidden:
        return out
    candidates = sorted(
        (i for i, v in enumerate(values) if i not in hidden and isinstance(v, int) and v > 0),
        key=lambda i: (values[i], i),
    )
    while candidates and (len(hidden) < 2 or sum(values[i] for i in hidden) < threshold):
        j = candidates.pop(0)
        hidden.append(j)
        out[j] = Suppressed(SECONDARY_MARK)
    return out


def threshold_of(county) -> int:
    if county is None:
        return DEFAULT_SUPPRESSION_THRESHOLD
    row = AnalysisSettings.objects.filter(county=county).values_list("suppression_threshold", flat=True).first()
    return row or DEFAULT_SUPPRESSION_THRESHOLD


@dataclass(frozen=True)
class ShownFigure:
    """A FigureChange (incidents.selectors) with hidden cells: the same attributes."""

    key: str
    label: str
    current: object
    last_year: object
    previous: object
    yoy: object
    yoy_text: str
    mom: object
    mom_text: str


class Suppressor:
    """Applies the rules above with one threshold; ``threshold=None`` shows everything."""

    def __init__(self, threshold: int | None):
        self.threshold = threshold

    @property
    def active(self) -> bool:
        return self.threshold is not None

    @property
    def note(self) -> str:
        return NOTE % {"t": self.threshold} if self.active else ""

    def cells(self, values) -> list:
        return suppress_cells(values, self.threshold) if self.active else list(values)

    def count(self, value):
        """A count shown alone (no total elsewhere)."""
        return self.cells([value])[0] if self.active else value

    def figures(self, figures: dict) -> dict:
        """One period's figures ({incidents, deaths, injured, serious, ...})."""
        if not self.active:
            return figures
        out = dict(figures)
        for key in PERSON_FIGURES:
            if key in out:
                out[key] = self.count(out[key])
        for total, parts in FIGURE_PARTITIONS.items():
            if total in figures and all(p in figures for p in parts):
                shown = self.cells([figures[p] for p in parts])
                for p, v in zip(parts, shown, strict=True):
                    out[p] = v
        return out

    def statistics(self, stats: dict) -> dict:
        """The result of incident_statistics_with_change."""
        if not self.active:
            return stats
        out = dict(stats)
        for name in ("current", "last_year", "previous"):
            out[name] = self.figures(stats[name])
        rows = []
        for f in stats["figures"]:
            cur, ly, prev = (out[n][f.key] for n in ("current", "last_year", "previous"))
            yoy_hidden = is_hidden(cur) or is_hidden(ly)
            mom_hidden = is_hidden(cur) or is_hidden(prev)
            rows.append(
                ShownFigure(
                    f.key,
                    f.label,
                    cur,
                    ly,
                    prev,
                    None if yoy_hidden else f.yoy,
                    "—" if yoy_hidden else f.yoy_text,
                    None if mom_hidden else f.mom,
                    "—" if mom_hidden else f.mom_text,
                )
            )
        out["figures"] = rows
        for attr in ("yoy", "yoy_text", "mom", "mom_text"):
            out[attr] = {r.key: getattr(r, attr) for r in rows}
        return out

    def breakdowns(self, breakdowns: dict) -> dict:
        """{dim: [(key, label, count)]} (incidents.selectors.injury_breakdowns)."""
        if not self.active:
            return breakdowns
        out = {}
        for dim, rows in breakdowns.items():
            shown = self.cells([r[2] for r in rows])
            out[dim] = [(*r[:2], n, *r[3:]) for r, n in zip(rows, shown, strict=True)]
        return out

    def trend(self, trend: dict) -> dict:
        """incidents.selectors.monthly_trend: each series of people counts is a group (its year's total is shown)."""
        if not self.active:
            return trend
        out = dict(trend)
        for key in ("deaths", "injured", "injuries"):
            if key in trend:
                out[key] = {which: self.cells(series) for which, series in trend[key].items()}
        return out

    def rates(self, rates: list) -> list:
        """RateFigures: a hidden numerator hides the rate (value) as well."""
        if not self.active:
            return rates
        out = []
        for r in rates:
            n = self.count(r.numerator)
            out.append(replace(r, numerator=n, value=None) if is_hidden(n) else r)
        return out

    def dashboard(self, data: dict) -> dict:
        """reports.selectors.dashboard."""
        if not self.active:
            return data
        return {
            **data,
            "month_stats": self.statistics(data["month_stats"]),
            "ytd_stats": self.statistics(data["ytd_stats"]),
            "breakdowns": self.breakdowns(data["breakdowns"]),
            "trend": self.trend(data["trend"]),
        }


def for_user(user) -> Suppressor:
    if user.role in SEE_SMALL_COUNTS:
        return Suppressor(None)
    return Suppressor(threshold_of(user.county))
