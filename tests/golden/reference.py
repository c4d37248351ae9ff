#!/usr/bin/env python3
"""Independent reference computation of selected indicators for the golden test.

Reads the bundled sample (docs/data.md formats) with nothing but the Python standard
library and recomputes a set of indicators straight from the formulas of
docs/indicators.md and the record rules of docs/data.md, without any code of kpi-core.
The result is committed as `expected_indicators.csv`; `tests/tests/golden.rs`
checks that the engine gives the same numbers.

    python3 tests/golden/reference.py demo/data > tests/golden/expected_indicators.csv
"""
import csv
import math
import sys
from collections import defaultdict
from pathlib import Path


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def num(text):
    text = (text or "").strip()
    return float(text) if text else None


def main(folder):
    folder = Path(folder)
    orgs = {r["org_id"]: r for r in read(folder / "organisations.csv")}
    # Organisation-level observations (programme empty): metric -> value, bare totals
    # taken from the column itself or else summed over the sex breakdown.
    obs = defaultdict(dict)  # (org, year) -> {metric: value}
    for row in read(folder / "observations.csv"):
        if row.get("programme"):
            continue
        key = (row["org_id"], int(row["year"][:4]))
        for col, text in row.items():
            if col in ("org_id", "year", "programme"):
                continue
            v = num(text)
            if v is not None:
                obs[key][col] = v
    for values in obs.values():
        for metric in ("students_enrolled",):
            if metric not in values:
                parts = [values.get(f"{metric}.female"), values.get(f"{metric}.male")]
                if all(p is not None for p in parts):
                    values[metric] = sum(parts)

    # Survey answers: share of answers with a score that are 4 or 5.
    answers = defaultdict(lambda: [0, 0])  # (org, year, survey) -> [satisfied, answered]
    for row in read(folder / "surveys.csv"):
        if row.get("programme"):
            continue
        s = num(row["score"])
        if s is None:
            continue
        a = answers[(row["org_id"], int(row["year"][:4]), row["survey"])]
        a[1] += 1
        if s >= 4:
            a[0] += 1

    out = []

    def emit(org, year, code, value):
        out.append((org, year, code, value))

    years = sorted({y for (_, y) in obs})
    for (org, year), m in sorted(obs.items()):
        level = orgs[org]["level"]
        L = {"preschool": "P", "school": "S", "college": "C", "university": "U"}[level]

        def ratio(a, b, scale=1.0):
            if a is None or b is None or b == 0:
                return None
            return scale * a / b

        enrolled = m.get("students_enrolled")
        teachers = m.get("teachers_fte", m.get("teachers_total"))
        v = ratio(enrolled, teachers)
        if v is not None:
            emit(org, year, "student_teacher_ratio", v)
        if L in "PS":
            v = ratio(enrolled, m.get("capacity"), 100)
            if v is not None:
                emit(org, year, "capacity_utilisation", v)
        v = ratio(m.get("staff_left"), m.get("teachers_total"), 100)
        if v is not None:
            emit(org, year, "staff_turnover", v)
        if L in "CU":
            v = ratio(m.get("graduates_employed"), m.get("graduates"), 100)
            if v is not None:
                emit(org, year, "employment_rate", v)
        if L in "SC":
            v = ratio(m.get("repeaters"), enrolled, 100)
            if v is not None:
                emit(org, year, "repetition_rate", v)
        f, ma = m.get("students_enrolled.female"), m.get("students_enrolled.male")
        if f is not None and ma:
            gpi = f / ma
            emit(org, year, "gender_parity_enrolment", gpi if gpi <= 1 else 2 - 1 / gpi)
        if L in "SCU":
            prev = obs.get((org, year - 1))
            if prev is not None:
                cur_e, adm = m.get("students_enrolled"), m.get("students_admitted")
                pe, pg = prev.get("students_enrolled"), prev.get("graduates")
                if None not in (cur_e, adm, pe, pg) and pe - pg != 0:
                    emit(org, year, "continuation_rate", 100 * (cur_e - adm) / (pe - pg))
        survey = {"CU": ("students", "student_satisfaction"), "PS": ("parents", "parent_satisfaction")}
        for levels, (kind, code) in survey.items():
            if L in levels:
                sat, n = answers.get((org, year, kind), (0, 0))
                if n:
                    emit(org, year, code, 100 * sat / n)

    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["org_id", "year", "indicator", "value"])
    for org, year, code, value in out:
        assert math.isfinite(value)
        w.writerow([org, year, code, repr(value)])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo/data")
