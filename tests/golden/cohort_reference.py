"""Independent reference for `kpi cohort` (kpi-cli and kpi-engine tests).

School S1, rates of 2022-2023 from counts (UNESCO):
  grade_1: E 100 -> 110, R(2023) 4; grade_2: E 95 -> 93, R 3; grade_3: E 90 -> 94, R 5;
  graduates 2022 = 80.
Every pupil path (repetitions per grade 0..3; a 4th repetition is a forced dropout)
is enumerated with exact fractions, unlike the engine's delay-vector recursion.
Run: python3 tests/golden/cohort_reference.py
"""
from fractions import Fraction as F
from itertools import product

E = [F(100), F(95), F(90)]
E_next = [F(110), F(93), F(94)]
R_next = [F(4), F(3), F(5)]
graduates = F(80)
G = 3
MAXREP = 3
p = [(E_next[g + 1] - R_next[g + 1]) / E[g] for g in range(G - 1)] + [graduates / E[G - 1]]
r = [R_next[g] / E[g] for g in range(G)]
d = [1 - p[g] - r[g] for g in range(G)]

cohort = F(1000)
grads = F(0)
years_grads = F(0)
pupil_years = F(0)
reach = [F(0)] * G
# paths that graduate: k_g repetitions in grade g
for ks in product(range(MAXREP + 1), repeat=G):
    prob = F(1)
    for g, k in enumerate(ks):
        prob *= r[g] ** k * p[g]
    grads += cohort * prob
    years_grads += cohort * prob * (G + sum(ks))
# pupil-years: expected years in each grade of everyone who reaches it
surv = cohort
for g in range(G):
    reach[g] = surv
    # years in grade g per entrant: attempts 0..MAXREP, attempt j happens with prob r^j
    pupil_years += surv * sum(r[g] ** j for j in range(MAXREP + 1))
    # promoted from grade g per entrant: p * sum r^j
    surv = surv * p[g] * sum(r[g] ** j for j in range(MAXREP + 1))
assert abs(surv - grads) == 0
coe = grads * G / pupil_years
for name, v in [
    ("rates p", [float(x) for x in p]),
    ("rates r", [float(x) for x in r]),
    ("rates d", [float(x) for x in d]),
    ("survival", [float(x / cohort) for x in reach]),
    ("graduates", float(grads)),
    ("pupil_years", float(pupil_years)),
    ("pupil_years_per_graduate", float(pupil_years / grads)),
    ("average_years_to_graduate", float(years_grads / grads)),
    ("coefficient_of_efficiency", float(coe)),
]:
    print(name, v)
