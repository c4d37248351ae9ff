#!/usr/bin/env python3
"""Independent reference computation of every catalogue indicator for the golden test.

Reads the bundled sample (docs/data.md formats) with nothing but the Python standard
library and recomputes all 35 indicators of the built-in catalogue, for every organisation
AND every programme unit they apply to and every year of the dataset, straight from:

- the catalogue table of docs/indicators.md (formulas, levels, `per`), transcribed by hand
  below (the TOML of kpi-indicators is not read);
- the not-computable rules of docs/indicators.md (left-to-right reason, `coalesce` falls
  through only on missing data, `prev` before the first year of the dataset);
- the record rules of docs/data.md (bare totals from one breakdown dimension, metrics from
  the students, grades and surveys tables, observations winning over records).

No code of kpi-core is used. The output is committed as `expected_indicators.csv`;
`tests/tests/golden.rs` checks that the engine gives the same cells: the same values (to
1e-9 relative), the same not-computable cells with the same reason class and the metric
and year the reason names, and no cell the reference does not expect.

    python3 tests/golden/reference.py demo/data > tests/golden/expected_indicators.csv
"""
import csv
import math
import sys
from collections import defaultdict
from pathlib import Path

LEVEL = {"preschool": "P", "school": "S", "college": "C", "university": "U"}
# Metrics whose breakdowns combine by the mean (docs/data.md, Metrics: `total`).
MEAN_TOTAL = {
    "gpa_mean",
    "exam_score_mean",
    "achievement_score_mean",
    "learning_outcome_coefficient",
    "accredited",
}
ON_ROLL_EXCLUDED = {"graduated", "expelled", "transferred_out"}
# Transfer thresholds (docs/data.md, Metrics from records): (cycle, course) -> GPA.
THRESHOLDS = {("B", 1): 1.33, ("B", 2): 1.67, ("B", 3): 2.00, ("M", 1): 1.67}
# Letter grades and score bands (docs/data.md, Grades).
LETTER_POINTS = {
    "A": 4.00, "A-": 3.67, "B+": 3.33, "B": 3.00, "B-": 2.67, "C+": 2.33,
    "C": 2.00, "C-": 1.67, "D+": 1.33, "D": 1.00, "FX": 0.50, "F": 0.00,
}
SCORE_BANDS = [
    (95, 4.00), (90, 3.67), (85, 3.33), (80, 3.00), (75, 2.67), (70, 2.33),
    (65, 2.00), (60, 1.67), (55, 1.33), (50, 1.00), (25, 0.50), (0, 0.00),
]


def read(path):
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def num(text):
    text = (text or "").strip()
    return float(text) if text else None


def year_of(text):
    return int(text.strip()[:4])


def is_mean_metric(metric):
    return metric in MEAN_TOTAL or metric.startswith(("satisfaction_", "score_"))


def dimension(breakdown):
    if breakdown in ("female", "male"):
        return 0
    if breakdown.startswith(("grade_", "course_")):
        return 1
    return 2


def score_points(score):
    whole = math.floor(score)
    for low, points in SCORE_BANDS:
        if whole >= low:
            return points
    return 0.0


def cycle(programme):
    code = (programme or "").strip()
    if len(code) < 2:
        return None
    letter = code[1].upper().replace("В", "B").replace("М", "M").replace("Д", "D")
    if code[0] == "6" and letter == "B":
        return "B"
    if code[0] == "7" and letter == "M":
        return "M"
    if code[0] == "8" and letter == "D":
        return "D"
    return None


# --- the metric store ------------------------------------------------------------------


def build_store(folder):
    """(org, programme or '', year) -> {metric or metric.breakdown: value}, and the span."""
    orgs = {r["org_id"]: r for r in read(folder / "organisations.csv")}
    given = defaultdict(dict)
    years = set()
    for row in read(folder / "observations.csv"):
        key = (row["org_id"], (row.get("programme") or "").strip(), year_of(row["year"]))
        years.add(key[2])
        for col, text in row.items():
            if col in ("org_id", "year", "programme"):
                continue
            v = num(text)
            if v is not None:
                given[key][col] = v
    # Bare totals from one breakdown dimension: sex, then grade, then other.
    for values in given.values():
        parts = defaultdict(lambda: defaultdict(list))  # metric -> dimension -> values
        for col, v in values.items():
            if "." in col:
                metric, breakdown = col.split(".", 1)
                parts[metric][dimension(breakdown)].append(v)
        for metric, dims in parts.items():
            if metric in values:
                continue
            first = dims[min(dims)]
            values[metric] = sum(first) / len(first) if is_mean_metric(metric) else sum(first)

    derived = defaultdict(dict)

    # Grades: yearly GPA per (student, org, year) over every term, FX and F included.
    credit_points = defaultdict(lambda: [0.0, 0.0])
    for row in read(folder / "grades.csv"):
        years.add(year_of(row["year"]))
        credits = num(row["credits"])
        letter = (row.get("letter") or "").strip()
        if letter:
            letter = (
                letter.upper().replace("А", "A").replace("В", "B").replace("С", "C")
                .replace("Д", "D").replace("−", "-").replace("–", "-")
            )
            points = LETTER_POINTS[letter]
        else:
            score = num(row["score"])
            if score is None or not 0 <= score <= 100:
                continue
            points = score_points(score)
        acc = credit_points[(row["student_id"], row["org_id"], year_of(row["year"]))]
        acc[0] += credits
        acc[1] += credits * points

    # Students: per programme unit and per organisation unit.
    tallies = defaultdict(lambda: defaultdict(float))
    gpas = defaultdict(list)
    threshold_seen = defaultdict(bool)
    employed_seen = defaultdict(bool)
    further_seen = defaultdict(bool)
    for row in read(folder / "students.csv"):
        org, year = row["org_id"], year_of(row["year"])
        years.add(year)
        programme = (row.get("programme") or "").strip()
        status = row["status"].strip()
        gpa = num(row.get("gpa"))
        if gpa is None:
            acc = credit_points.get((row["student_id"], org, year))
            if acc and acc[0] > 0:
                gpa = acc[1] / acc[0]
        course = int(row["course"])
        threshold = None
        if LEVEL[orgs[org]["level"]] == "U":
            threshold = THRESHOLDS.get((cycle(programme), course))
        units = [(org, "", year)] + ([(org, programme, year)] if programme else [])
        for unit in units:
            t = tallies[unit]
            on_roll = status not in ON_ROLL_EXCLUDED
            t["students_enrolled"] += on_roll
            t["graduates"] += status == "graduated"
            t["expelled"] += status == "expelled"
            t["repeaters"] += status == "repeating"
            if status == "graduated":
                employed = (row.get("employed") or "").strip()
                further = (row.get("further_study") or "").strip()
                if employed:
                    employed_seen[unit] = True
                    t["graduates_employed"] += employed == "yes"
                if further:
                    further_seen[unit] = True
                    t["graduates_further_study"] += further == "yes"
            if on_roll and gpa is not None:
                gpas[unit].append(gpa)
                if threshold is not None:
                    threshold_seen[unit] = True
                    t["gpa_below_threshold"] += gpa < threshold
    for unit, t in tallies.items():
        d = derived[unit]
        for metric in ("students_enrolled", "graduates", "expelled", "repeaters"):
            d[metric] = t[metric]
        if employed_seen[unit]:
            d["graduates_employed"] = t["graduates_employed"]
        if further_seen[unit]:
            d["graduates_further_study"] = t["graduates_further_study"]
        if gpas[unit]:
            d["gpa_mean"] = sum(gpas[unit]) / len(gpas[unit])
        if threshold_seen[unit]:
            d["gpa_below_threshold"] = t["gpa_below_threshold"]

    # Surveys: answers, satisfied, satisfaction per unit, year and kind.
    answers = defaultdict(lambda: [0, 0])
    for row in read(folder / "surveys.csv"):
        org, year = row["org_id"], year_of(row["year"])
        years.add(year)
        score = num(row["score"])
        if score is None or not 1 <= score <= 5:
            continue
        programme = (row.get("programme") or "").strip()
        kind = row["survey"].strip()
        units = [(org, "", year)] + ([(org, programme, year)] if programme else [])
        for unit in units:
            a = answers[(unit, kind)]
            a[0] += 1
            a[1] += score >= 4
    for (unit, kind), (n, sat) in answers.items():
        d = derived[unit]
        d[f"answers_{kind}"] = n
        d[f"satisfied_{kind}"] = sat
        d[f"satisfaction_{kind}"] = sat / n

    store = defaultdict(dict)
    for unit, d in derived.items():
        store[unit].update(d)
    for unit, g in given.items():
        store[unit].update(g)  # observations win over records
    return orgs, store, (min(years), max(years))


# --- formula evaluation with the not-computable rules -------------------------------------


class Fault(Exception):
    """A not-computable reason: (class, metric or None, year)."""

    def __init__(self, kind, metric, year):
        super().__init__(kind)
        self.kind, self.metric, self.year = kind, metric, year

    @property
    def missing(self):
        return self.kind in ("missing_metric", "before_first_year")


class Cell:
    def __init__(self, store, unit, year, first):
        self.store, self.unit, self.year, self.first = store, unit, year, first

    def m(self, metric):
        if self.year < self.first:
            raise Fault("before_first_year", None, self.year)
        v = self.store.get((self.unit[0], self.unit[1], self.year), {}).get(metric)
        if v is None:
            raise Fault("missing_metric", metric, self.year)
        return v

    def prev(self, f):
        return f(Cell(self.store, self.unit, self.year - 1, self.first))

    def div(self, a, b):
        if b == 0:
            raise Fault("zero_denominator", None, self.year)
        return a / b

    def coalesce(self, *fs):
        last = None
        for f in fs:
            try:
                return f(self)
            except Fault as fault:
                if not fault.missing:
                    raise
                last = fault
        raise last


def parity(x):
    return x if x <= 1 else 2 - 1 / x


# The catalogue of docs/indicators.md: code, levels, per (O organisation, B both), formula.
CATALOGUE = [
    ("student_teacher_ratio", "PSCU", "O",
     lambda c: c.div(c.m("students_enrolled"),
                     c.coalesce(lambda c: c.m("teachers_fte"), lambda c: c.m("teachers_total")))),
    ("teachers_degree_share", "U", "B",
     lambda c: c.div(100 * c.m("teachers_with_degree"), c.m("teachers_total"))),
    ("teachers_top_category_share", "PSC", "O",
     lambda c: c.div(100 * c.m("teachers_top_category"), c.m("teachers_total"))),
    ("capacity_utilisation", "PS", "O",
     lambda c: c.div(100 * c.m("students_enrolled"), c.m("capacity"))),
    ("students_per_computer", "SCU", "O",
     lambda c: c.div(c.m("students_enrolled"), c.m("computers"))),
    ("library_items_per_student", "SCU", "O",
     lambda c: c.div(c.m("library_items"), c.m("students_enrolled"))),
    ("area_per_student", "PSCU", "O",
     lambda c: c.div(c.m("area_m2"), c.m("students_enrolled"))),
    ("spending_per_student", "PSCU", "O",
     lambda c: c.div(c.m("budget_kzt"), c.m("students_enrolled"))),
    ("admission_competition", "CU", "B",
     lambda c: c.div(c.m("applicants"), c.m("students_admitted"))),
    ("gender_parity_enrolment", "PSCU", "B",
     lambda c: parity(c.div(c.m("students_enrolled.female"), c.m("students_enrolled.male")))),
    ("accreditation", "CU", "B", lambda c: c.m("accredited")),
    ("teachers_trained_share", "PSCU", "O",
     lambda c: c.div(100 * c.m("teachers_trained_5y"), c.m("teachers_total"))),
    ("staff_turnover", "PSCU", "O",
     lambda c: c.div(100 * c.m("staff_left"), c.m("teachers_total"))),
    ("repetition_rate", "SC", "B",
     lambda c: c.div(100 * c.m("repeaters"), c.m("students_enrolled"))),
    ("promotion_rate", "SCU", "B",
     lambda c: c.div(100 * c.m("promoted"), c.m("enrolled_prev_grade"))),
    ("dropout_rate", "SCU", "B",
     lambda c: c.div(100 * c.m("expelled"), c.m("students_enrolled"))),
    ("academic_risk_share", "U", "B",
     lambda c: c.div(100 * c.m("gpa_below_threshold"), c.m("students_enrolled"))),
    ("mobility_share", "U", "B",
     lambda c: c.div(100 * (c.m("mobility_out") + c.m("mobility_in")), c.m("students_enrolled"))),
    ("school_shifts", "S", "O", lambda c: c.m("shifts")),
    ("employment_rate", "CU", "B",
     lambda c: c.div(100 * c.m("graduates_employed"), c.m("graduates"))),
    ("positive_destination_rate", "CU", "B",
     lambda c: c.div(100 * (c.m("graduates_employed") + c.m("graduates_further_study")),
                     c.m("graduates"))),
    ("exam_pass_rate", "S", "O",
     lambda c: c.div(100 * c.m("exam_passed"), c.m("exam_takers"))),
    ("exam_score", "S", "O", lambda c: c.m("exam_score_mean")),
    ("achievement_score", "S", "O", lambda c: c.m("achievement_score_mean")),
    ("final_attestation_pass_rate", "SCU", "B",
     lambda c: c.div(100 * c.m("final_attestation_pass"), c.m("graduates"))),
    ("learning_outcome_coefficient", "U", "B", lambda c: c.m("learning_outcome_coefficient")),
    ("gpa_mean", "U", "B", lambda c: c.m("gpa_mean")),
    ("student_satisfaction", "CU", "B", lambda c: 100 * c.m("satisfaction_students")),
    ("parent_satisfaction", "PS", "O", lambda c: 100 * c.m("satisfaction_parents")),
    ("employer_satisfaction", "CU", "B", lambda c: 100 * c.m("satisfaction_employers")),
    ("publications_per_teacher", "U", "O",
     lambda c: c.div(c.m("publications_indexed"), c.m("teachers_total"))),
    ("graduation_on_time_rate", "CU", "B",
     lambda c: c.div(100 * c.m("graduates_on_time"), c.m("graduates"))),
    ("continuation_rate", "SCU", "B",
     lambda c: c.div(100 * (c.m("students_enrolled") - c.m("students_admitted")),
                     c.prev(lambda p: p.m("students_enrolled"))
                     - c.prev(lambda p: p.m("graduates")))),
    ("cost_per_graduate", "CU", "O",
     lambda c: c.div(c.m("budget_kzt"), c.m("graduates"))),
    ("research_per_teacher", "U", "O",
     lambda c: c.div(c.m("research_kzt"), c.m("teachers_total"))),
]


def main(folder):
    folder = Path(folder)
    orgs, store, (first, last) = build_store(folder)
    assert len(CATALOGUE) == 35
    programmes = defaultdict(set)
    for org, programme, _ in store:
        if programme:
            programmes[org].add(programme)

    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["org_id", "programme", "year", "indicator", "status", "value", "reason"])
    for org in sorted(orgs):
        level = LEVEL[orgs[org]["level"]]
        units = [(org, "")] + [(org, p) for p in sorted(programmes[org])]
        for unit in units:
            for year in range(first, last + 1):
                for code, levels, per, formula in CATALOGUE:
                    if level not in levels or (unit[1] and per != "B"):
                        continue
                    try:
                        value = formula(Cell(store, unit, year, first))
                    except Fault as f:
                        reason = f"{f.kind}:{f.metric or ''}:{f.year}"
                        w.writerow([org, unit[1], year, code, "not_computable", "", reason])
                        continue
                    if not math.isfinite(value):
                        reason = f"not_finite::{year}"
                        w.writerow([org, unit[1], year, code, "not_computable", "", reason])
                        continue
                    w.writerow([org, unit[1], year, code, "value", repr(value), ""])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo/data")
