"""The signal test's false-alarm rate and power on simulated series, and the exact intervals
against hand-computed values (docs/analysis.md)."""

import math
import random

import pytest

from analysis.stats import binomial_sf, clopper_pearson, detect_rises, rate_ratio, rise_p_value


def poisson(rng, lam):
    """Knuth's method (small λ)."""
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def scan(rng, rates, years=3, rise=None):
    strata = {}
    for i, lam in enumerate(rates):
        current = poisson(rng, lam * (rise if rise and i == 0 else 1))
        strata[i] = (current, sum(poisson(rng, lam) for _ in range(years)))
    return detect_rises(strata, baseline_years=years, alpha=0.05, min_count=3)


def test_null_series_false_alarm_rate_is_at_most_alpha():
    """2,000 scans of a township with 25 strata (rates 0.3–8 a window) and no change: the share of
    scans raising any signal stays at or below the stated 5% (3 standard errors of slack)."""
    rng = random.Random(20)
    rates = [0.3 + 0.3 * i for i in range(25)]
    runs = 2000
    alarms = sum(any(t.signal for t in scan(rng, rates)) for _ in range(runs))
    assert alarms / runs <= 0.05 + 3 * math.sqrt(0.05 * 0.95 / runs)


def test_planted_fourfold_rise_is_found():
    """A stratum of 5 cases a window rising fourfold among 16 strata: found in most scans
    (about 83% by simulation; docs/analysis.md gives the power table)."""
    rng = random.Random(7)
    rates = [5.0] + [1.0 + 0.5 * i for i in range(15)]
    runs = 300
    found = sum(next(t for t in scan(rng, rates, rise=4) if t.key == 0).signal for _ in range(runs))
    assert found / runs >= 0.75


def test_small_counts_never_signal_below_the_minimum():
    # 2 cases against none in three earlier years: p = (1/4)² = 0.0625, and below min_count anyway
    (t,) = detect_rises({"v": (2, 0)}, baseline_years=3, alpha=0.5, min_count=3)
    assert t.p_value == pytest.approx(0.0625)
    assert not t.signal


def test_exact_p_value_by_hand():
    # O = 6, B = 3 over 3 years: N = 9, X ~ Bin(9, 1/4); P(X ≥ 6) = Σ_{i=6..9} C(9,i) (1/4)^i (3/4)^(9-i)
    by_hand = sum(math.comb(9, i) * 0.25**i * 0.75 ** (9 - i) for i in range(6, 10))
    assert rise_p_value(6, 3, 3) == pytest.approx(by_hand)
    assert by_hand == pytest.approx(0.009995, abs=1e-6)
    assert binomial_sf(0, 5, 0.3) == 1.0


def test_clopper_pearson_matches_published_table():
    low, high = clopper_pearson(10, 30)
    assert (round(low, 4), round(high, 4)) == (0.1729, 0.5281)
    assert clopper_pearson(0, 10)[0] == 0.0
    assert round(clopper_pearson(0, 10)[1], 4) == 0.3085  # 1 − 0.025^(1/10)


def test_rate_ratio_by_hand():
    # 20 cases in 365 days before, 10 in 365 after: RR = 0.5; p = 10/30 in (0.1729, 0.5281),
    # RR = p / (1 − p): (0.2090, 1.1192).
    rr = rate_ratio(20, 365, 10, 365)
    assert rr.ratio == pytest.approx(0.5)
    assert (round(rr.lower, 4), round(rr.upper, 4)) == (0.2090, 1.1192)
    assert not rr.significant_fall
    # unequal lengths: 12 in 181 days before, 3 in 365 after → RR = 3/365 ÷ 12/181
    rr = rate_ratio(12, 181, 3, 365)
    assert rr.ratio == pytest.approx((3 / 365) / (12 / 181))
    assert rr.significant_fall
    assert rate_ratio(0, 365, 0, 365).ratio is None
