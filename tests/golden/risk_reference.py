#!/usr/bin/env python3
"""Independent reference computation of the risk assessment for the golden test.

Recomputes, for every organisation and year of the bundled sample, each applicable risk
criterion (value, thresholds, score) and the total (risk score R, computable weight share,
degree, gross trigger), straight from docs/risk.md:

- peer-relative thresholds: the type-7 quantile of the level's computable values in the
  year (band distances for `target` indicators), on the bad side of the direction, and
  with a minimum meaningful gap the floor `M − gap` (`higher`) or `M + gap` (`lower`,
  bands) from the peer median M, whichever lies further on the bad side;
- the criterion score, clamped to [0, 1]; R = 100·Σwᵢsᵢ / Σwᵢ over computable criteria;
- gross criteria, the computable weight share and the degree cut-offs.

The criteria themselves (weights, percentiles, gaps, levels) are configuration and are read
from `kpi-risk/data/criteria.toml` with `tomllib`; indicator directions and bands are
transcribed from the catalogue table of docs/indicators.md; indicator values come from the
independent `reference.py`. No code of kpi-core is used.

    python3 tests/golden/risk_reference.py demo/data > tests/golden/expected_risk.csv
"""
import csv
import math
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference  # noqa: E402  (the independent indicator reference)

LOWER = {
    "student_teacher_ratio", "students_per_computer", "staff_turnover", "repetition_rate",
    "dropout_rate", "academic_risk_share", "school_shifts", "cost_per_graduate",
}
BANDS = {"capacity_utilisation": (80.0, 100.0), "gender_parity_enrolment": (0.97, 1.03)}
LEVEL_NAMES = {"P": "preschool", "S": "school", "C": "college", "U": "university"}


def direction(code):
    return "target" if code in BANDS else "lower" if code in LOWER else "higher"


def quantile7(values, p):
    xs = sorted(values)
    h = (len(xs) - 1) * p
    lo = math.floor(h)
    if lo + 1 >= len(xs):
        return xs[-1]
    return xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo])


def band_distance(code, x):
    lo, hi = BANDS[code]
    return lo - x if x < lo else x - hi if x > hi else 0.0


def score(dirn, x, warn, critical):
    if dirn == "higher":
        if x >= warn:
            return 0.0
        if x <= critical:
            return 1.0
        s = (warn - x) / (warn - critical)
    else:
        if x <= warn:
            return 0.0
        if x >= critical:
            return 1.0
        s = (x - warn) / (critical - warn)
    return min(1.0, max(0.0, s))


def fmt(x):
    return "" if x is None else repr(float(x))


def main(folder, criteria_path):
    orgs, store, (first, last) = reference.build_store(Path(folder))
    formulas = {code: (levels, f) for code, levels, _, f in reference.CATALOGUE}
    spec = tomllib.load(open(criteria_path, "rb"))
    rules, criteria = spec["degrees"], spec["criterion"]

    # Organisation-level indicator values: (code, org, year) -> value or None.
    values = {}
    for code, (levels, f) in formulas.items():
        for org, row in orgs.items():
            if reference.LEVEL[row["level"]] not in levels:
                continue
            for year in range(first, last + 1):
                try:
                    v = f(reference.Cell(store, (org, ""), year, first))
                    values[(code, org, year)] = v if math.isfinite(v) else None
                except reference.Fault:
                    values[(code, org, year)] = None

    def measured(code, x):
        return band_distance(code, x) if code in BANDS else x

    # Thresholds per criterion, level and year.
    thresholds = {}
    for c in criteria:
        code = c["indicator"]
        dirn = direction(code)
        for level in c["levels"]:
            for year in range(first, last + 1):
                if "warn" in c:
                    thresholds[(c["id"], level, year)] = (c["warn"], c["critical"], "", "")
                    continue
                peers = [
                    measured(code, values[(code, org, year)])
                    for org, row in orgs.items()
                    if row["level"] == level and values.get((code, org, year)) is not None
                ]
                if len(peers) < rules["min_peers"]:
                    thresholds[(c["id"], level, year)] = None
                    continue
                pw, pc = c["peer_percentile"]["warn"], c["peer_percentile"]["critical"]
                if dirn == "higher":
                    qw, qc = quantile7(peers, pw / 100), quantile7(peers, pc / 100)
                else:
                    qw, qc = quantile7(peers, 1 - pw / 100), quantile7(peers, 1 - pc / 100)
                w, k, wg, kg = qw, qc, "", ""
                gap = c.get("min_gap")
                if gap:
                    m = quantile7(peers, 0.5)
                    if dirn == "higher":
                        fw, fc = m - gap["warn"], m - gap["critical"]
                        w, k = min(qw, fw), min(qc, fc)
                        wg, kg = fw < qw, fc < qc
                    else:
                        fw, fc = m + gap["warn"], m + gap["critical"]
                        w, k = max(qw, fw), max(qc, fc)
                        wg, kg = fw > qw, fc > qc
                    wg, kg = ("min_gap" if wg else "percentile"), ("min_gap" if kg else "percentile")
                else:
                    wg = kg = "percentile"
                thresholds[(c["id"], level, year)] = (w, k, wg, kg)

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["org_id", "year", "criterion", "value", "warn", "critical", "score", "status"])
    for org in sorted(orgs):
        level = orgs[org]["level"]
        applicable = [c for c in criteria if level in c["levels"]]
        if not applicable:
            continue
        for year in range(first, last + 1):
            total_w = sum(c["weight"] for c in applicable)
            comp_w, weighted, gross = 0.0, 0.0, None
            for c in applicable:
                code = c["indicator"]
                v = values.get((code, org, year))
                t = thresholds[(c["id"], level, year)]
                if v is None:
                    out.writerow([org, year, c["id"], "", "", "", "", "indicator"])
                    continue
                if t is None:
                    out.writerow([org, year, c["id"], fmt(v), "", "", "", "peers"])
                    continue
                warn, critical, ws, cs = t
                s = score(direction(code), measured(code, v), warn, critical)
                comp_w += c["weight"]
                weighted += c["weight"] * s
                if c.get("gross") and s >= 1.0 and gross is None:
                    gross = c["id"]
                sources = f"score;{ws or 'fixed'};{cs or 'fixed'}"
                out.writerow([org, year, c["id"], fmt(v), fmt(warn), fmt(critical), fmt(s), sources])
            r = 100 * weighted / comp_w if comp_w > 0 else None
            share = comp_w / total_w
            if gross:
                r, degree = 100.0, "high"
            elif r is None or share < rules["min_computable_weight_share"]:
                degree = "insufficient_data"
            elif r <= rules["low_max"]:
                degree = "low"
            elif r <= rules["medium_max"]:
                degree = "medium"
            else:
                degree = "high"
            out.writerow([org, year, "total", fmt(share), "", "", fmt(r), f"{degree};{gross or ''}"])


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[2]
    main(
        sys.argv[1] if len(sys.argv) > 1 else "demo/data",
        sys.argv[2] if len(sys.argv) > 2 else root / "kpi-risk/data/criteria.toml",
    )
