"""Small, well-known statistics: Wilson score intervals, the two-proportion z-test and exact binomial funnel limits."""
from __future__ import annotations

import math

Z95 = 1.959963984540054


def wilson(numerator: int, base: int, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval for numerator/base, as proportions 0..1."""
    if base <= 0:
        raise ValueError("the base must be positive")
    p = numerator / base
    denom = 1 + z * z / base
    centre = (p + z * z / (2 * base)) / denom
    half = z * math.sqrt(p * (1 - p) / base + z * z / (4 * base * base)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def normal_two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def two_proportion_p(n1: int, b1: int, n2: int, b2: int) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test (None when it cannot be computed)."""
    if b1 <= 0 or b2 <= 0:
        return None
    pooled = (n1 + n2) / (b1 + b2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / b1 + 1 / b2))
    if se == 0:
        return 1.0
    return normal_two_sided_p((n1 / b1 - n2 / b2) / se)


def median(values: list[float]) -> float | None:
    vals = sorted(values)
    n = len(vals)
    if n == 0:
        return None
    mid = n // 2
    return vals[mid] if n % 2 else (vals[mid - 1] + vals[mid]) / 2


def _binomial_cdf(n: int, p: float) -> list[float]:
    """P(X <= r) for r = 0..n, X ~ Binomial(n, p), from log probabilities (no overflow at large n)."""
    if p <= 0.0 or p >= 1.0:
        return [1.0 if (p <= 0.0 or r == n) else 0.0 for r in range(n + 1)]
    lp, lq = math.log(p), math.log1p(-p)
    out, total = [], 0.0
    for r in range(n + 1):
        total += math.exp(math.lgamma(n + 1) - math.lgamma(r + 1) - math.lgamma(n - r + 1) + r * lp + (n - r) * lq)
        out.append(min(1.0, total))
    return out


def binomial_limit(n: int, p0: float, q: float, cdf: list[float] | None = None) -> float:
    """The exact binomial funnel limit (a proportion 0..1) at base n around p0, for the quantile q
    (0.025 and 0.975 for 95% limits): the q-quantile of Binomial(n, p0), interpolated between the
    whole counts so the limit is a smooth line (Spiegelhalter, Statistics in Medicine 2005, 24:1185).
    At small bases the normal approximation is too narrow on one side and too wide on the other."""
    if n <= 0:
        raise ValueError("the base must be positive")
    if not 0.0 < q < 1.0:
        raise ValueError(f"the quantile must be between 0 and 1, not {q}")
    cdf = cdf or _binomial_cdf(n, p0)
    r = next((k for k, c in enumerate(cdf) if c >= q), n)
    below = cdf[r - 1] if r > 0 else 0.0
    step = cdf[r] - below
    alpha = (cdf[r] - q) / step if step > 0 else 0.0
    return min(1.0, max(0.0, (r - alpha) / n))


def binomial_limits(n: int, p0: float, coverage: float) -> tuple[float, float]:
    """(lower, upper) exact binomial funnel limits as proportions, e.g. coverage 0.95 or 0.998."""
    tail = (1 - coverage) / 2
    cdf = _binomial_cdf(n, p0)
    return binomial_limit(n, p0, tail, cdf), binomial_limit(n, p0, 1 - tail, cdf)
