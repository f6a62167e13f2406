"""Small, well-known statistics: Wilson score intervals and the two-proportion z-test."""
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
