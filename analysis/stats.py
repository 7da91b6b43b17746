"""Exact small-count statistics, in pure Python (no SciPy): the injury-signal test and the
before/after rate ratio of a project's indicator. Methods and their error rates: docs/analysis.md.

Both rest on one fact: two independent Poisson counts X ~ Poisson(λ·a) and Y ~ Poisson(μ·b), given
their sum N = X + Y, make X ~ Binomial(N, λa / (λa + μb)). Conditioning removes the unknown
baseline rate, so the tests and intervals are exact however small the counts.
"""

from dataclasses import dataclass
from math import comb, isfinite


def binomial_sf(k: int, n: int, p: float) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p), summed exactly term by term."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    return min(1.0, sum(comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1)))


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X ≤ k) for X ~ Binomial(n, p)."""
    return 1.0 - binomial_sf(k + 1, n, p)


def _bisect(f, lo: float, hi: float, iterations: int = 80) -> float:
    """The root of an increasing f on [lo, hi]."""
    for _ in range(iterations):
        mid = (lo + hi) / 2
        if f(mid) < 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The exact (Clopper–Pearson) interval of a binomial proportion k/n."""
    if n <= 0:
        return 0.0, 1.0
    a = (1 - confidence) / 2
    # lower: P(X ≥ k | p) = a (increasing in p); upper: P(X ≤ k | p) = a (decreasing in p)
    lower = 0.0 if k == 0 else _bisect(lambda p: binomial_sf(k, n, p) - a, 0.0, 1.0)
    upper = 1.0 if k == n else _bisect(lambda p: a - binomial_cdf(k, n, p), 0.0, 1.0)
    return lower, upper


# --- Injury signals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StratumTest:
    key: object
    observed: int
    baseline_total: int
    baseline_years: int
    expected: float  # baseline_total / baseline_years: the mean of the same window in earlier years
    p_value: float
    signal: bool


def rise_p_value(observed: int, baseline_total: int, baseline_years: int) -> float:
    """One-sided exact test that the window's rate is above the earlier years' rate: given
    N = observed + baseline total, the window's share is Binomial(N, 1/(years + 1)) when the rate
    has not changed; the p-value is P(X ≥ observed)."""
    if baseline_years <= 0:
        return 1.0
    return binomial_sf(observed, observed + baseline_total, 1 / (baseline_years + 1))


def detect_rises(strata: dict, *, baseline_years: int, alpha: float = 0.05, min_count: int = 3) -> list[StratumTest]:
    """Test every stratum ({key: (observed, baseline_total)}) of one township's scan.

    A stratum signals when its exact p-value is at most alpha / m (Bonferroni over the m strata
    with any case in the window or the baseline), it has at least ``min_count`` cases in the window
    and more than the earlier years' mean. The family-wise false-alarm rate of a scan is then at
    most ``alpha`` (less, the test being discrete). Returns every tested stratum.
    """
    tested = {k: v for k, v in strata.items() if v[0] + v[1] > 0}
    m = max(len(tested), 1)
    results = []
    for key, (observed, baseline_total) in tested.items():
        expected = baseline_total / baseline_years if baseline_years else 0.0
        p = rise_p_value(observed, baseline_total, baseline_years)
        fires = baseline_years > 0 and observed >= min_count and observed > expected and p <= alpha / m
        results.append(StratumTest(key, observed, baseline_total, baseline_years, expected, p, fires))
    return results


# --- Before/after rate ratio -------------------------------------------------------------------------


@dataclass(frozen=True)
class RateRatio:
    before: int
    after: int
    before_days: int
    after_days: int
    ratio: float | None  # after rate ÷ before rate
    lower: float | None
    upper: float | None
    confidence: float

    @property
    def change(self) -> float | None:
        return None if self.ratio is None else self.ratio - 1

    @property
    def significant_fall(self) -> bool:
        return self.upper is not None and isfinite(self.upper) and self.upper < 1

    @property
    def significant_rise(self) -> bool:
        return self.lower is not None and self.lower > 1


def rate_ratio(before: int, before_days: int, after: int, after_days: int, confidence: float = 0.95) -> RateRatio:
    """The after/before ratio of two rates (cases per day) with its exact conditional interval:
    the Clopper–Pearson interval (pL, pU) of after / (after + before), mapped by
    RR = p / (1 − p) × before_days / after_days. No interval without any case."""
    n = before + after
    if n == 0 or before_days <= 0 or after_days <= 0:
        return RateRatio(before, after, before_days, after_days, None, None, None, confidence)
    scale = before_days / after_days
    ratio = None if before == 0 else after / before * scale
    p_low, p_high = clopper_pearson(after, n, confidence)
    lower = p_low / (1 - p_low) * scale if p_low < 1 else float("inf")
    upper = p_high / (1 - p_high) * scale if p_high < 1 else float("inf")
    return RateRatio(before, after, before_days, after_days, ratio, lower, upper, confidence)
