#!/usr/bin/env python3
"""Independent reference computation of the trend statistics for the golden test.

For every unit of the bundled sample (organisations and programmes) and every indicator
that applies to it, takes the available values of the series (from the independent
`reference.py`) and recomputes, from the formulas of docs/methods.md (Dynamic analysis):

- the OLS trend (n ≥ 3): slope, intercept, p, the slope's 95 % CI, R², the verdict;
- Mann–Kendall (4 ≤ n): S, Var(S) with ties, Z with continuity correction, p, τ, Sen's
  slope and intercept, the verdict;
- the forecast 1–3 years after the last available year with its 95 % prediction interval,
  clamped to the natural bounds of the indicator's unit (docs/methods.md, Forecast).

Only the distribution functions come from SciPy (`t.sf`, `t.ppf`, `norm.sf`); every
statistic is written out here. The output, gzipped, is `expected_trends.csv.gz`:

    pip install scipy
    python3 tests/golden/trend_reference.py demo/data | gzip -9 -n > tests/golden/expected_trends.csv.gz

One line per statistic: `org_id,programme,indicator,statistic,value` (13 significant
digits); a statistic that is not computable has the value `nc:<reason>`. Every organisation
unit is covered, and the first programme (by code) of each organisation.
"""
import csv
import math
import sys
from pathlib import Path

from scipy.stats import norm, t as student_t

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference  # noqa: E402
from risk_reference import BANDS, direction  # noqa: E402

# Units of docs/indicators.md -> natural bounds (docs/methods.md, Forecast).
PERCENT = {
    "teachers_degree_share", "teachers_top_category_share", "capacity_utilisation",
    "teachers_trained_share", "staff_turnover", "repetition_rate", "promotion_rate",
    "dropout_rate", "academic_risk_share", "mobility_share", "employment_rate",
    "positive_destination_rate", "exam_pass_rate", "achievement_score",
    "final_attestation_pass_rate", "student_satisfaction", "parent_satisfaction",
    "employer_satisfaction", "graduation_on_time_rate", "continuation_rate",
}
UNIT_INTERVAL = {"accreditation", "learning_outcome_coefficient"}
UNBOUNDED = {"gender_parity_enrolment"}


def bounds(code):
    if code in PERCENT:
        return 0.0, 100.0
    if code in UNIT_INTERVAL:
        return 0.0, 1.0
    if code in UNBOUNDED:
        return -math.inf, math.inf
    return 0.0, math.inf


def verdict(code, slope, p, latest):
    if not (p < 0.05 and slope != 0):
        return "no_significant_trend"
    dirn = direction(code)
    rising = slope > 0
    if dirn == "higher":
        return "improving" if rising else "worsening"
    if dirn == "lower":
        return "worsening" if rising else "improving"
    lo, hi = BANDS[code]
    if latest < lo:
        return "improving" if rising else "worsening"
    if latest > hi:
        return "worsening" if rising else "improving"
    return "within_target_band"


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def statistics(code, points):
    """[(statistic, value or 'nc:reason')] of one series of (year, value), by year."""
    out = []
    n = len(points)
    out.append(("n", n))
    if n < 3:
        out.append(("ols", f"nc:too_few_values"))
        return out
    xs = [float(y) for y, _ in points]
    ys = [v for _, v in points]
    xbar, ybar = sum(xs) / n, sum(ys) / n
    sxx = sum((x - xbar) ** 2 for x in xs)
    syy = sum((y - ybar) ** 2 for y in ys)
    sxy = sum((x - xbar) * (y - ybar) for x, y in zip(xs, ys))
    b = sxy / sxx
    a = ybar - b * xbar
    sse = sum((y - (ybar + b * (x - xbar))) ** 2 for x, y in zip(xs, ys))
    df = n - 2
    s = math.sqrt(sse / df)
    se = s / math.sqrt(sxx)
    tq = student_t.ppf(0.975, df)
    out += [("ols.slope", b), ("ols.intercept", a)]
    if syy == 0:
        p = 1.0
        out += [("ols.r2", "nc:all_values_equal")]
    else:
        p = float(2 * student_t.sf(abs(b / se), df)) if sse > 0 else 0.0
        out += [("ols.r2", min(1.0, max(0.0, 1 - sse / syy)))]
    out += [("ols.p", p), ("ols.ci_lower", b - tq * se), ("ols.ci_upper", b + tq * se)]
    out.append(("ols.verdict", verdict(code, b, p, ys[-1])))

    lo, hi = bounds(code)
    last = xs[-1]
    for h in (1, 2, 3):
        x0 = last + h
        yhat = ybar + b * (x0 - xbar)
        half = tq * s * math.sqrt(1 + 1 / n + (x0 - xbar) ** 2 / sxx)
        clamp = lambda v: min(hi, max(lo, v))  # noqa: E731
        year = int(x0)
        out += [
            (f"forecast.{year}.value", clamp(yhat)),
            (f"forecast.{year}.lower", clamp(yhat - half)),
            (f"forecast.{year}.upper", clamp(yhat + half)),
        ]

    if n < 4:
        out.append(("mk", "nc:too_few_values"))
        return out
    S = sum(
        (ys[j] > ys[i]) - (ys[j] < ys[i]) for i in range(n) for j in range(i + 1, n)
    )
    ties = {}
    for y in ys:
        ties[y] = ties.get(y, 0) + 1
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties.values())) / 18
    if S > 0:
        z = (S - 1) / math.sqrt(var)
    elif S < 0:
        z = (S + 1) / math.sqrt(var)
    else:
        z = 0.0
    p_mk = float(2 * norm.sf(abs(z)))
    slopes = [
        (ys[j] - ys[i]) / (xs[j] - xs[i]) for i in range(n) for j in range(i + 1, n)
    ]
    sen = median(slopes)
    out += [
        ("mk.s", S), ("mk.var_s", var), ("mk.z", z), ("mk.p", p_mk),
        ("mk.tau", S / (n * (n - 1) / 2)), ("mk.sen_slope", sen),
        ("mk.sen_intercept", median(ys) - sen * median(xs)),
        ("mk.verdict", verdict(code, sen, p_mk, ys[-1])),
    ]
    return out


def main(folder):
    orgs, store, (first, last) = reference.build_store(Path(folder))
    programmes = {}
    for org, programme, _ in store:
        if programme:
            programmes.setdefault(org, set()).add(programme)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["org_id", "programme", "indicator", "statistic", "value"])
    for org in sorted(orgs):
        level = reference.LEVEL[orgs[org]["level"]]
        # Every organisation unit, and the first programme of each organisation (all
        # programmes would make the committed file several megabytes).
        for programme in [""] + sorted(programmes.get(org, ()))[:1]:
            for code, levels, per, formula in reference.CATALOGUE:
                if level not in levels or (programme and per != "B"):
                    continue
                points = []
                for year in range(first, last + 1):
                    try:
                        v = formula(reference.Cell(store, (org, programme), year, first))
                    except reference.Fault:
                        continue
                    if math.isfinite(v):
                        points.append((year, v))
                for stat, value in statistics(code, points):
                    text = value if isinstance(value, str) else f"{value:.13g}"
                    w.writerow([org, programme, code, stat, text])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo/data")
