//! Preschools and schools, simulated year by year.
//!
//! Schools move pupils through grades: every year a new grade-1 intake joins,
//! each grade is promoted, repeats (rarely) or leaves (after grade 9 about a
//! third go to colleges), and growing regions add newcomers. Enrolment per
//! grade therefore allows cohort reconstruction (grade g in year t against
//! grade g − 1 in year t − 1). Capacity is fixed, so overcrowded schools of
//! growing regions need second and third shifts, while small rural schools of
//! shrinking regions stay half empty with tiny classes.

use super::columns::{grade_col, ObsRow, C};
use super::economy::spending_index;
use super::names::SchoolKind;
use super::plan::{Detail, OrgPlan};
use super::rng::{purpose, stream, Draw, SampleRng};
use kpi_model::{Locality, Ownership, Year};

/// Share of girls among children and pupils.
const FEMALE: f64 = 0.487;

fn round(x: f64) -> f64 {
    x.round().max(0.0)
}

/// Splits a count by sex.
fn by_sex(rng: &mut SampleRng, row: &mut ObsRow, total: u32, female_col: C, male_col: C) {
    let f = rng.binomial(total, FEMALE);
    row.set(female_col, f64::from(f));
    row.set(male_col, f64::from(total - f));
}

/// A preschool's rows, one per active year.
pub(crate) fn preschool(org: &OrgPlan, seed: u64, index: u64) -> Vec<(Year, ObsRow)> {
    let mut rng = stream(seed, purpose::PRESCHOOL, index);
    let region = org.region();
    let capacity = round(org.size * rng.uniform(0.95, 1.2) / region.crowding.max(0.8));
    let area = capacity * rng.uniform(6.0, 9.0);
    let cost = match org.ownership {
        Ownership::State => 620_000.0,
        Ownership::Private => 480_000.0,
    } * region.pay
        * rng.uniform(0.85, 1.15);
    let ratio = rng.uniform(8.5, 12.0);
    let mut children = org.size;
    let mut teachers = (children / ratio).ceil().max(2.0);
    let mut out = Vec::new();
    for (i, year) in (org.first_year..=org.last_year).enumerate() {
        if i > 0 {
            children = (children * (1.0 + region.growth + rng.normal(0.0, 0.03)))
                .clamp(10.0, capacity * 1.45);
            let target = (children / ratio).ceil().max(2.0);
            teachers = (0.7 * teachers + 0.3 * target).round().max(2.0);
        }
        let n = round(children) as u32;
        let t = teachers as u32;
        let mut row = ObsRow::default();
        row.set(C::Enrolled, f64::from(n));
        by_sex(&mut rng, &mut row, n, C::EnrolledFemale, C::EnrolledMale);
        row.set(C::Admitted, f64::from(rng.binomial(n, 0.3)));
        row.set(C::Capacity, capacity);
        row.set(C::Teachers, f64::from(t));
        row.set(C::TeachersFte, f64::from(t) * rng.uniform(0.92, 1.08));
        let k = (year - 2015) as f64;
        let top = (0.08 + 0.04 * org.quality + 0.008 * k).clamp(0.0, 0.5);
        row.set(C::TeachersTop, f64::from(rng.binomial(t, top)));
        let trained = (0.55 + 0.05 * org.quality + 0.025 * k).clamp(0.1, 0.98);
        row.set(C::TeachersTrained, f64::from(rng.binomial(t, trained)));
        let leave =
            0.08 + if org.ownership == Ownership::Private {
                0.06
            } else {
                0.0
            } - 0.02 * org.quality;
        row.set(
            C::StaffLeft,
            f64::from(rng.binomial(t, leave.clamp(0.0, 0.4))),
        );
        row.set(C::Area, area);
        row.set(
            C::Budget,
            (f64::from(n) * cost * spending_index(year) / 1000.0).round() * 1000.0,
        );
        out.push((year, row));
    }
    out
}

/// Pupils of one grade in one year: how they got there.
#[derive(Clone, Copy, Default)]
struct GradeYear {
    enrolled: u32,
    repeaters: u32,
    promoted_in: u32,
}

/// A school's rows, one per active year.
pub(crate) fn school(org: &OrgPlan, seed: u64, index: u64) -> Vec<(Year, ObsRow)> {
    let mut rng = stream(seed, purpose::SCHOOL, index);
    let region = org.region();
    let kind = match org.detail {
        Detail::School { kind } => kind,
        _ => SchoolKind::General,
    };
    let top = kind.top_grade();
    // Initial pupils per grade: grades 10–11 are smaller (a third leave after grade 9).
    let weights: Vec<f64> = (1..=top)
        .map(|g| {
            let senior = if g >= 10 { 0.62 } else { 1.0 };
            // Growing regions: younger cohorts are larger.
            senior * (1.0 + region.growth).powi(top as i32 - g as i32)
        })
        .collect();
    let total_w: f64 = weights.iter().sum();
    let mut grades: Vec<GradeYear> = weights
        .iter()
        .map(|w| GradeYear {
            enrolled: round(org.size * w / total_w * rng.lognormal_mean(1.0, 0.08)) as u32,
            ..GradeYear::default()
        })
        .collect();
    let size0: f64 = grades.iter().map(|g| f64::from(g.enrolled)).sum();
    let small_rural = org.locality == Locality::Rural && size0 < 150.0;
    let mut util0 = region.crowding * rng.lognormal_mean(1.0, 0.12);
    if small_rural {
        util0 *= 0.5;
    }
    if org.opened {
        util0 = 0.8;
    }
    let capacity = round(size0 / util0).max(20.0);
    let area = capacity * rng.uniform(4.5, 7.0);
    let intake0 = f64::from(grades[0].enrolled);
    let repeat_p = if small_rural { 0.004 } else { 0.002 } * (1.0 - 0.3 * org.quality).max(0.3);
    let leave_p = (0.008 - 0.002 * org.quality).max(0.001);
    let continue_10 = match (org.locality, kind) {
        (_, SchoolKind::Gymnasium) => 0.85,
        (Locality::Urban, _) => 0.64,
        (Locality::Rural, _) => 0.58,
    };
    let cost = 380_000.0
        * region.pay
        * if small_rural { 2.2 } else { 1.0 }
        * if org.ownership == Ownership::Private {
            0.8
        } else {
            1.0
        };
    let pc_ratio = if org.locality == Locality::Urban {
        rng.uniform(9.0, 16.0)
    } else {
        rng.uniform(6.0, 14.0)
    };
    let books_per = rng.uniform(15.0, 30.0);
    let teacher_factor = rng.uniform(1.45, 1.85);
    let exam_share = if org.locality == Locality::Urban {
        0.8
    } else {
        0.65
    };
    // Burn-in year before the first written year, so that the first written
    // year has a previous year for promotion (not for organisations opening
    // during the span).
    let start = if org.opened {
        org.first_year
    } else {
        org.first_year - 1
    };
    let mut out = Vec::new();
    let mut prev: Option<Vec<GradeYear>> = None;
    for year in start..=org.last_year {
        if year > start {
            let last = grades.clone();
            let k = f64::from(year - start);
            let intake = intake0 * (1.0 + region.growth).powf(k) * rng.lognormal_mean(1.0, 0.06);
            let mut next = vec![GradeYear::default(); top];
            next[0].enrolled = round(intake) as u32;
            next[0].promoted_in = 0;
            for g in 0..top {
                let n = last[g].enrolled;
                let rep = rng.binomial(n, repeat_p);
                let left = rng.binomial(n - rep, leave_p);
                next[g].repeaters += rep;
                next[g].enrolled += rep;
                if g + 1 < top {
                    let mut moving = n - rep - left;
                    if g + 1 == 9 && top == 11 {
                        // After grade 9: to grade 10, or to a college.
                        moving = rng.binomial(moving, continue_10);
                    }
                    // Newcomers (migration into growing regions; out of shrinking ones).
                    let drift = region.growth * 0.5 + rng.normal(0.0, 0.01);
                    let newcomers = if drift > 0.0 {
                        rng.binomial(moving, drift.min(0.2))
                    } else {
                        0
                    };
                    let gone = if drift < 0.0 {
                        rng.binomial(moving, (-drift).min(0.2))
                    } else {
                        0
                    };
                    next[g + 1].promoted_in += moving - gone;
                    next[g + 1].enrolled += moving - gone + newcomers;
                }
            }
            prev = Some(last);
            grades = next;
        }
        if year < org.first_year {
            continue;
        }
        out.push((
            year,
            school_row(
                &mut rng,
                org,
                year,
                top,
                &grades,
                prev.as_deref(),
                SchoolConsts {
                    capacity,
                    area,
                    cost,
                    pc_ratio,
                    books_per,
                    teacher_factor,
                    exam_share,
                    leave_p,
                },
            ),
        ));
    }
    out
}

#[derive(Clone, Copy)]
struct SchoolConsts {
    capacity: f64,
    area: f64,
    cost: f64,
    pc_ratio: f64,
    books_per: f64,
    teacher_factor: f64,
    exam_share: f64,
    leave_p: f64,
}

fn school_row(
    rng: &mut SampleRng,
    org: &OrgPlan,
    year: Year,
    top: usize,
    grades: &[GradeYear],
    prev: Option<&[GradeYear]>,
    k: SchoolConsts,
) -> ObsRow {
    let mut row = ObsRow::default();
    let n: u32 = grades.iter().map(|g| g.enrolled).sum();
    let q = org.quality;
    let t_idx = f64::from(year - 2015);
    row.set(C::Enrolled, f64::from(n));
    by_sex(rng, &mut row, n, C::EnrolledFemale, C::EnrolledMale);
    for (g, gy) in grades.iter().enumerate() {
        row.set_at(grade_col(g + 1), f64::from(gy.enrolled));
    }
    row.set(
        C::Admitted,
        f64::from(grades[0].enrolled - grades[0].repeaters),
    );
    row.set(C::Capacity, k.capacity);
    row.set(
        C::Repeaters,
        f64::from(grades.iter().map(|g| g.repeaters).sum::<u32>()),
    );
    if let Some(prev) = prev {
        let prev_grade: u32 = prev.iter().take(top - 1).map(|g| g.enrolled).sum();
        let promoted: u32 = grades.iter().map(|g| g.promoted_in).sum();
        row.set(C::PrevGrade, f64::from(prev_grade));
        row.set(C::Promoted, f64::from(promoted.min(prev_grade)));
    }
    // Dropouts during the year (not graduates, not moves to a college).
    row.set(C::Expelled, f64::from(rng.binomial(n, k.leave_p * 0.4)));
    let utilisation = f64::from(n) / k.capacity.max(1.0);
    let shifts = if utilisation > 1.6 {
        3.0
    } else if utilisation > 1.04 {
        2.0
    } else {
        1.0
    };
    row.set(C::Shifts, shifts);
    // Teachers: classes of at most 25; tiny grades of small schools are
    // combined into multi-grade classes.
    let mut classes: f64 = grades
        .iter()
        .map(|g| {
            f64::from(g.enrolled).div_euclid(25.0) + if g.enrolled % 25 > 0 { 1.0 } else { 0.0 }
        })
        .sum();
    if n < 100 {
        classes = (classes * 0.6).ceil();
    }
    let teachers = (classes * k.teacher_factor + 2.0).round().max(3.0) as u32;
    row.set(C::Teachers, f64::from(teachers));
    row.set(
        C::TeachersFte,
        f64::from(teachers) * rng.uniform(0.98, 1.18),
    );
    let top_share = (0.12 + 0.05 * q + 0.012 * t_idx).clamp(0.0, 0.6);
    row.set(C::TeachersTop, f64::from(rng.binomial(teachers, top_share)));
    let trained = (0.6 + 0.05 * q + 0.03 * t_idx).clamp(0.1, 0.98);
    row.set(
        C::TeachersTrained,
        f64::from(rng.binomial(teachers, trained)),
    );
    let leave =
        0.07 + if org.locality == Locality::Rural {
            0.02
        } else {
            0.0
        } - 0.01 * q;
    row.set(
        C::StaffLeft,
        f64::from(rng.binomial(teachers, leave.clamp(0.01, 0.3))),
    );
    // Leavers of the top grade this year.
    let finishing = grades.last().map_or(0, |g| g.enrolled - g.repeaters);
    let graduates = rng.binomial(finishing, 0.995);
    row.set(C::Graduates, f64::from(graduates));
    by_sex(
        rng,
        &mut row,
        graduates,
        C::GraduatesFemale,
        C::GraduatesMale,
    );
    row.set(
        C::Attestation,
        f64::from(graduates - rng.binomial(graduates, (0.01 - 0.004 * q).clamp(0.0, 0.05))),
    );
    if top == 11 && graduates > 0 {
        // Unified national testing (ҰБТ/ЕНТ), 140 points; pass threshold 50.
        let takers = rng.binomial(graduates, k.exam_share);
        let mean = (68.0 + 11.0 * q + 0.6 * t_idx + rng.normal(0.0, 3.0)).clamp(35.0, 125.0);
        let pass_p = 1.0 / (1.0 + (-(mean - 58.0) / 6.0).exp());
        row.set(C::ExamTakers, f64::from(takers));
        if takers > 0 {
            row.set(C::ExamPassed, f64::from(rng.binomial(takers, pass_p)));
            row.set(C::ExamScore, mean);
        }
    }
    // External monitoring of achievements (ББЖМ / МОДО): percent per literacy area.
    let base = (48.0 + 9.0 * q + 0.4 * t_idx).clamp(15.0, 90.0);
    let reading = (base + 4.0 + rng.normal(0.0, 4.0)).clamp(5.0, 98.0);
    let maths = (base - 3.0 + rng.normal(0.0, 5.0)).clamp(5.0, 98.0);
    let science = (base + rng.normal(0.0, 4.0)).clamp(5.0, 98.0);
    let r1 = |x: f64| (x * 10.0).round() / 10.0;
    let (reading, maths, science) = (r1(reading), r1(maths), r1(science));
    row.set(C::AchievementReading, reading);
    row.set(C::AchievementMaths, maths);
    row.set(C::AchievementScience, science);
    row.set(C::Achievement, (reading + maths + science) / 3.0);
    let pcs = f64::from(n) / (k.pc_ratio * (1.0 - 0.04 * t_idx).max(0.5));
    row.set(C::Computers, pcs.round().max(2.0));
    row.set(C::Library, (f64::from(n) * k.books_per).round());
    row.set(C::Area, k.area);
    row.set(
        C::Budget,
        (f64::from(n) * k.cost * spending_index(year) / 1000.0).round() * 1000.0,
    );
    row
}
