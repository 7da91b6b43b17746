"""The accident grade of 国务院493号令《生产安全事故报告和调查处理条例》 article 3.

The highest grade reached on any one of deaths, serious injuries (acute poisoning included)
and direct economic loss decides. "以上" includes the lower bound, "以下" excludes the upper.
Loss is in 万元: 1亿元 = 10000万元.
"""

from decimal import Decimal

from .choices import Grade

# (grade, deaths ≥, serious injuries ≥, loss in 万元 ≥), from the highest grade down.
THRESHOLDS = [
    (Grade.EXTRAORDINARY, 30, 100, Decimal("10000")),
    (Grade.MAJOR, 10, 50, Decimal("5000")),
    (Grade.LARGER, 3, 10, Decimal("1000")),
]


def accident_grade(deaths: int, serious: int, loss_wan) -> Grade:
    """一般/较大/重大/特别重大 for the given figures (None counts as 0)."""
    deaths = deaths or 0
    serious = serious or 0
    loss = Decimal(str(loss_wan or 0))
    for grade, min_deaths, min_serious, min_loss in THRESHOLDS:
        if deaths >= min_deaths or serious >= min_serious or loss >= min_loss:
            return grade
    return Grade.ORDINARY
