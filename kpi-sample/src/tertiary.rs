//! Colleges and universities, simulated student by student.
//!
//! Every programme admits a cohort each year; each student gets a yearly GPA
//! from a latent ability, the programme's difficulty and the organisation's
//! quality, and at the end of the year graduates, moves up a course, repeats
//! (below the transfer threshold), takes academic leave, transfers out or is
//! expelled. Observation metrics of a programme are counted from exactly these
//! students with the rules of docs/data.md (*Metrics from records*), and the
//! student (and grade) rows written for the selected organisations are the
//! same students, so the two never disagree.

use super::catalogue::FIELDS;
use super::columns::{course_col, ObsRow, C, N};
use super::economy::spending_index;
use super::plan::{Detail, OrgPlan, ProgKind, ProgPlan};
use super::rng::{purpose, stream, Draw, SampleRng};
use kpi_model::{Level, Ownership, Year};

/// Status of a student at the end of a year (docs/data.md codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Enrolled,
    Graduated,
    Expelled,
    TransferredOut,
    AcademicLeave,
    Repeating,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Enrolled => "enrolled",
            Status::Graduated => "graduated",
            Status::Expelled => "expelled",
            Status::TransferredOut => "transferred_out",
            Status::AcademicLeave => "academic_leave",
            Status::Repeating => "repeating",
        }
    }

    /// Counted in `students_enrolled` (docs/data.md: not graduated, expelled or transferred out).
    fn on_roll(self) -> bool {
        !matches!(
            self,
            Status::Graduated | Status::Expelled | Status::TransferredOut
        )
    }
}

/// One row of `students.csv`.
pub(crate) struct StudentRow<'a> {
    pub id: u64,
    pub year: Year,
    pub programme: &'a str,
    pub course: u8,
    pub status: Status,
    pub gpa: Option<f64>,
    pub credits: u32,
    pub grant: bool,
    /// For graduates: `Some(yes/no)` or `None` (unknown).
    pub employed: Option<bool>,
    pub further: Option<bool>,
}

/// One row of `grades.csv`.
pub(crate) struct GradeRow<'a> {
    pub student: u64,
    pub year: Year,
    pub term: u8,
    pub course_code: &'a str,
    pub credits: u8,
    pub score: u8,
    pub letter: bool,
}

/// Record rows handed to the writer.
pub(crate) enum Rec<'a> {
    Student(StudentRow<'a>),
    Grade(GradeRow<'a>),
}

/// The national letter scale (docs/data.md): lowest score of the band, letter, points.
pub(crate) const LETTERS: [(u8, &str, f64); 12] = [
    (95, "A", 4.0),
    (90, "A-", 3.67),
    (85, "B+", 3.33),
    (80, "B", 3.0),
    (75, "B-", 2.67),
    (70, "C+", 2.33),
    (65, "C", 2.0),
    (60, "C-", 1.67),
    (55, "D+", 1.33),
    (50, "D", 1.0),
    (25, "FX", 0.5),
    (0, "F", 0.0),
];

/// Letter and points of a 0–100 score.
pub(crate) fn letter_of(score: u8) -> (&'static str, f64) {
    LETTERS
        .iter()
        .find(|(lo, _, _)| score >= *lo)
        .map_or(("F", 0.0), |(_, l, p)| (*l, *p))
}

struct Student {
    id: u64,
    course: u8,
    female: bool,
    grant: bool,
    ability: f64,
    years: u8,
    credits: u32,
    on_leave: bool,
    repeating: bool,
    /// Course last year, when the student was on the roll at its end and not in the final course.
    prev_course: Option<u8>,
}

/// Per-programme, per-year counts.
#[derive(Default, Clone)]
struct Counts {
    enrolled: u32,
    female: u32,
    by_course: [u32; 7],
    admitted: u32,
    applicants: u32,
    graduates: u32,
    graduates_female: u32,
    on_time: u32,
    employed: u32,
    further: u32,
    expelled: u32,
    repeaters: u32,
    prev_grade: u32,
    promoted: u32,
    gpa_sum: f64,
    gpa_n: u32,
    gpa_below: u32,
    final_course: u32,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Everything an organisation contributes: observation rows `(year,
/// programme index or None for the organisation, row)`.
pub(crate) type Rows = Vec<(Year, Option<usize>, ObsRow)>;

/// Simulates a college or university. Record rows of selected organisations
/// and programmes go to `emit` (student ids are drawn from `next_id`).
pub(crate) fn tertiary(
    org: &OrgPlan,
    seed: u64,
    index: u64,
    next_id: &mut u64,
    emit: &mut dyn FnMut(Rec<'_>) -> std::io::Result<()>,
) -> std::io::Result<Rows> {
    let mut out: Rows = Vec::new();
    let (falling, high_dropout) = match org.detail {
        Detail::University {
            falling_employment, ..
        } => (falling_employment, false),
        Detail::College { high_dropout, .. } => (false, high_dropout),
        _ => (false, false),
    };
    let university = org.level == Level::University;
    let years = org.first_year..=org.last_year;
    let mut per_year: Vec<Vec<Counts>> = Vec::new();
    for (pi, prog) in org.programmes().iter().enumerate() {
        let mut rng = stream(seed, purpose::TERTIARY, index << 12 | pi as u64);
        let grades_letters = org
            .grades
            .iter()
            .find(|(g, _)| *g == pi)
            .map(|(_, letters)| *letters);
        let counts = programme(
            &mut rng,
            org,
            prog,
            Flags {
                falling,
                high_dropout,
                university,
                records: org.records,
                grades: grades_letters,
            },
            next_id,
            emit,
        )?;
        for (yi, (year, c)) in years.clone().zip(counts.iter()).enumerate() {
            out.push((year, Some(pi), programme_row(&mut rng, org, prog, year, c)));
            if per_year.len() <= yi {
                per_year.push(Vec::new());
            }
            per_year[yi].push(c.clone());
        }
    }
    // Organisation rows: sums of the programmes plus institution-wide metrics.
    let mut rng = stream(seed, purpose::TERTIARY, index << 12 | 0xFFF);
    let str_ratio = if university {
        rng.uniform(10.0, 15.0)
    } else {
        rng.uniform(11.0, 16.0)
    };
    let degree_share = (0.38 + 0.08 * org.quality + rng.normal(0.0, 0.04)).clamp(0.08, 0.85);
    let college_accredited = rng.chance(0.55 + 0.1 * org.quality);
    let area = org.size * rng.uniform(7.0, 12.0);
    let books = if university {
        rng.uniform(40.0, 90.0)
    } else {
        rng.uniform(20.0, 50.0)
    };
    let pcs = rng.uniform(4.0, 9.0);
    let agreements0 =
        org.programmes().len() as f64 * rng.uniform(2.0, 6.0) * (0.2 * org.quality).exp();
    let mut teachers = 0.0_f64;
    let mut org_rows: Vec<(Year, Option<usize>, ObsRow)> = Vec::new();
    for (yi, year) in years.clone().enumerate() {
        let Some(progs) = per_year.get(yi) else {
            continue;
        };
        let k = f64::from(year - 2015);
        let mut row = ObsRow::default();
        // Programme rows of this year hold every summable count.
        let mut sums = [0.0_f64; N];
        let mut any = [false; N];
        for (_, pi, prow) in out.iter().filter(|(y, _, _)| *y == year) {
            if pi.is_none() {
                continue;
            }
            for (i, v) in prow.values.iter().enumerate() {
                if let Some(v) = v {
                    sums[i] += v;
                    any[i] = true;
                }
            }
        }
        for c in [
            C::Enrolled,
            C::EnrolledFemale,
            C::EnrolledMale,
            C::Admitted,
            C::Applicants,
            C::Graduates,
            C::GraduatesFemale,
            C::GraduatesMale,
            C::OnTime,
            C::Employed,
            C::FurtherStudy,
            C::Expelled,
            C::Repeaters,
            C::PrevGrade,
            C::Promoted,
            C::GpaBelow,
            C::Attestation,
            C::Practice,
        ] {
            if any[c as usize] {
                row.set(c, sums[c as usize]);
            }
        }
        let gpa_n: u32 = progs.iter().map(|c| c.gpa_n).sum();
        if university && gpa_n > 0 {
            let gpa_sum: f64 = progs.iter().map(|c| c.gpa_sum).sum();
            row.set(C::GpaMean, round2(gpa_sum / f64::from(gpa_n)));
        }
        let n: u32 = progs.iter().map(|c| c.enrolled).sum();
        let nf = f64::from(n);
        let target = (nf / str_ratio).ceil().max(5.0);
        teachers = if yi == 0 {
            target
        } else {
            (0.6 * teachers + 0.4 * target).round().max(5.0)
        };
        let t = teachers as u32;
        row.set(C::Teachers, f64::from(t));
        row.set(C::TeachersFte, f64::from(t) * rng.uniform(0.82, 0.97));
        if university {
            row.set(C::TeachersDegree, f64::from(rng.binomial(t, degree_share)));
        } else {
            let top = (0.22 + 0.05 * org.quality + 0.01 * k).clamp(0.02, 0.7);
            row.set(C::TeachersTop, f64::from(rng.binomial(t, top)));
        }
        let trained = (0.62 + 0.05 * org.quality + 0.025 * k).clamp(0.1, 0.98);
        row.set(C::TeachersTrained, f64::from(rng.binomial(t, trained)));
        let leave = if org.ownership == Ownership::Private {
            0.12
        } else {
            0.07
        } - 0.015 * org.quality;
        row.set(
            C::StaffLeft,
            f64::from(rng.binomial(t, leave.clamp(0.01, 0.35))),
        );
        row.set(
            C::Agreements,
            (agreements0 * (1.0 + 0.06 * k) * rng.lognormal_mean(1.0, 0.1)).round(),
        );
        let lost = org.accreditation_lost.is_some_and(|y| year >= y);
        let accredited = if university {
            !lost
        } else {
            college_accredited && !lost
        };
        row.set(C::Accredited, if accredited { 1.0 } else { 0.0 });
        row.set(
            C::Computers,
            (nf / (pcs * (1.0 - 0.03 * k).max(0.5))).round(),
        );
        row.set(C::Library, (nf * books).round());
        row.set(C::Area, area);
        let cost = if university { 1_150_000.0 } else { 640_000.0 } * org.region().pay;
        row.set(
            C::Budget,
            (nf * cost * spending_index(year) / 1000.0).round() * 1000.0,
        );
        if university {
            let mob = (0.006 * (0.4 * org.quality).exp() * (1.0 + 0.08 * k)).min(0.1);
            let covid = if year == 2020 { 0.3 } else { 1.0 };
            row.set(C::MobilityOut, f64::from(rng.binomial(n, mob * covid)));
            row.set(C::MobilityIn, f64::from(rng.binomial(n, mob * 0.5 * covid)));
            let research = f64::from(t)
                * 450_000.0
                * (0.6 * org.quality).exp()
                * spending_index(year)
                * rng.lognormal_mean(1.0, 0.25);
            row.set(C::Research, (research / 1000.0).round() * 1000.0);
            let pubs = f64::from(t) * 0.08 * (0.6 * org.quality).exp() * (1.0 + 0.1 * k);
            row.set(
                C::Publications,
                (pubs * rng.lognormal_mean(1.0, 0.2)).round(),
            );
        }
        org_rows.push((year, None, row));
    }
    org_rows.extend(out);
    Ok(org_rows)
}

#[derive(Clone, Copy)]
struct Flags {
    falling: bool,
    high_dropout: bool,
    university: bool,
    records: bool,
    /// Grades written for this programme (`Some(letters)`).
    grades: Option<bool>,
}

/// Simulates one programme; returns the counts of every written year.
fn programme(
    rng: &mut SampleRng,
    org: &OrgPlan,
    prog: &ProgPlan,
    flags: Flags,
    next_id: &mut u64,
    emit: &mut dyn FnMut(Rec<'_>) -> std::io::Result<()>,
) -> std::io::Result<Vec<Counts>> {
    let duration = prog.duration.max(1);
    let start = if org.opened {
        org.first_year
    } else {
        org.first_year - Year::from(duration)
    };
    let q = org.quality;
    let grant_p = match (flags.university, org.ownership) {
        (true, Ownership::State) => 0.55,
        (true, Ownership::Private) => 0.22,
        (false, Ownership::State) => 0.7,
        (false, Ownership::Private) => 0.1,
    };
    let further_p = match prog.kind {
        ProgKind::Bachelor(_) => 0.12,
        ProgKind::Master(_) => 0.05,
        ProgKind::Doctoral(_) => 0.0,
        ProgKind::Tvet(_) => 0.16,
    };
    // Course codes of the grades table: 5 courses per term of 6 credits (60 a year).
    let codes: Vec<String> = if flags.grades.is_some() {
        (1..=duration)
            .flat_map(|c| {
                (1..=2u8).flat_map(move |t| {
                    (1..=5u8).map(move |k| format!("{}{c}{t}{k:02}", prog.prefix))
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut students: Vec<Student> = Vec::new();
    let mut out = Vec::new();
    for year in start..=org.last_year {
        let written = year >= org.first_year;
        let k = f64::from(year - 2015);
        let mut c = Counts::default();
        // Admissions: slowly growing demand, noise, and a cohort for a new organisation.
        let growth = if flags.university { 0.01 } else { 0.02 };
        let admitted = (prog.admissions * (1.0 + growth * k) * rng.lognormal_mean(1.0, 0.1))
            .round()
            .max(1.0) as u32;
        c.admitted = admitted;
        c.applicants =
            (f64::from(admitted) * prog.competition.max(1.0) * rng.lognormal_mean(1.0, 0.1))
                .round()
                .max(f64::from(admitted)) as u32;
        for _ in 0..admitted {
            let id = if flags.records && written {
                *next_id += 1;
                *next_id
            } else {
                0
            };
            students.push(Student {
                id,
                course: 1,
                female: rng.chance(prog.female),
                grant: rng.chance(grant_p),
                ability: rng.normal(0.3 * q, 1.0),
                years: 0,
                credits: 0,
                on_leave: false,
                repeating: false,
                prev_course: None,
            });
        }
        let mut next: Vec<Student> = Vec::with_capacity(students.len());
        for mut s in students.drain(..) {
            if s.id == 0 && flags.records && written {
                *next_id += 1;
                s.id = *next_id;
            }
            s.years += 1;
            if let Some(pc) = s.prev_course {
                c.prev_grade += 1;
                if s.course == pc + 1 {
                    c.promoted += 1;
                }
            }
            let threshold = prog.transfer_threshold(s.course);
            // This year's results.
            let perf = 2.55 + 0.42 * s.ability + prog.gpa_shift + 0.08 * q + rng.normal(0.0, 0.3);
            let mut gpa = None;
            if !s.on_leave {
                gpa = Some(match flags.grades {
                    Some(letters) if written => {
                        let mut cp = 0.0;
                        let mut cr = 0.0;
                        for term in 1..=2u8 {
                            for kk in 0..5usize {
                                let score = (40.0 + 15.0 * perf + rng.normal(0.0, 8.0))
                                    .round()
                                    .clamp(0.0, 100.0)
                                    as u8;
                                let (_, points) = letter_of(score);
                                cp += 6.0 * points;
                                cr += 6.0;
                                let idx = (usize::from(s.course) - 1) * 10
                                    + (usize::from(term) - 1) * 5
                                    + kk;
                                let code = codes.get(idx).map_or("", String::as_str);
                                emit(Rec::Grade(GradeRow {
                                    student: s.id,
                                    year,
                                    term,
                                    course_code: code,
                                    credits: 6,
                                    score,
                                    letter: letters,
                                }))?;
                            }
                        }
                        round2(cp / cr)
                    }
                    _ => round2(
                        ((40.0 + 15.0 * perf - 45.0) / 12.5 + rng.normal(0.0, 0.12))
                            .clamp(0.0, 4.0),
                    ),
                });
            }
            let below = match (gpa, threshold) {
                (Some(g), Some(t)) => g < t,
                (Some(g), None) => g < 1.0,
                _ => false,
            };
            // End-of-year outcome.
            let mut expel_p = if flags.university { 0.03 } else { 0.05 };
            if s.course == 1 {
                expel_p *= 1.5;
            }
            if flags.high_dropout {
                expel_p = 0.16 + 0.015 * (k.max(0.0));
            }
            if below {
                expel_p *= 2.5;
            }
            let status;
            let mut employed = None;
            let mut further = None;
            if s.on_leave {
                status = Status::AcademicLeave;
                s.on_leave = false;
            } else if rng.chance(expel_p.min(0.9)) {
                status = Status::Expelled;
            } else if rng.chance(0.01) {
                status = Status::TransferredOut;
            } else if s.course >= duration && !below {
                status = Status::Graduated;
                if rng.chance(0.95) {
                    let g = gpa.unwrap_or(2.5);
                    let is_further = rng.chance(further_p);
                    let mut p = prog.employment * (0.15 * q).exp() + 0.08 + 0.05 * (g - 2.8);
                    if year == 2020 {
                        p -= 0.08;
                    }
                    if flags.falling {
                        // Falls by 35 points over the span, whatever its length.
                        let span = f64::from((org.last_year - org.first_year).max(1));
                        p -= 0.35 * f64::from(year - org.first_year).max(0.0) / span;
                    }
                    let emp = !is_further && rng.chance(p.clamp(0.05, 0.97));
                    employed = Some(emp);
                    further = Some(is_further);
                }
            } else if rng.chance(0.012) {
                status = if s.repeating {
                    Status::Repeating
                } else {
                    Status::Enrolled
                };
                s.on_leave = true;
            } else {
                status = if s.repeating {
                    Status::Repeating
                } else {
                    Status::Enrolled
                };
            }
            if gpa.is_some() && !below {
                s.credits += 60;
            } else if gpa.is_some() {
                s.credits += 30;
            }
            if written {
                if status.on_roll() {
                    c.enrolled += 1;
                    c.female += u32::from(s.female);
                    c.by_course[usize::from(s.course.min(7)) - 1] += 1;
                    if let Some(g) = gpa {
                        c.gpa_sum += g;
                        c.gpa_n += 1;
                        if threshold.is_some_and(|t| g < t) {
                            c.gpa_below += 1;
                        }
                    }
                }
                if s.course >= duration
                    && matches!(
                        status,
                        Status::Enrolled | Status::Graduated | Status::Repeating
                    )
                {
                    c.final_course += 1;
                }
                match status {
                    Status::Graduated => {
                        c.graduates += 1;
                        c.graduates_female += u32::from(s.female);
                        if s.years <= duration {
                            c.on_time += 1;
                        }
                        c.employed += u32::from(employed == Some(true));
                        c.further += u32::from(further == Some(true));
                    }
                    Status::Expelled => c.expelled += 1,
                    Status::Repeating => c.repeaters += 1,
                    _ => {}
                }
                if flags.records {
                    emit(Rec::Student(StudentRow {
                        id: s.id,
                        year,
                        programme: &prog.code,
                        course: s.course,
                        status,
                        gpa,
                        credits: s.credits,
                        grant: s.grant,
                        employed,
                        further,
                    }))?;
                }
            }
            if !status.on_roll() {
                continue;
            }
            // Next year's course.
            s.prev_course =
                (s.course < duration && status != Status::AcademicLeave).then_some(s.course);
            if s.on_leave || status == Status::AcademicLeave {
                s.repeating = false;
                if status == Status::AcademicLeave {
                    s.prev_course = None;
                }
            } else if below && rng.chance(0.5) {
                s.repeating = true;
            } else if s.course >= duration {
                // Failed the final year: repeats it.
                s.repeating = true;
            } else {
                s.course += 1;
                s.repeating = false;
            }
            next.push(s);
        }
        students = next;
        if written {
            out.push(c);
        }
    }
    Ok(out)
}

/// The observation row of one programme and year.
fn programme_row(
    rng: &mut SampleRng,
    org: &OrgPlan,
    prog: &ProgPlan,
    year: Year,
    c: &Counts,
) -> ObsRow {
    let mut row = ObsRow::default();
    row.set(C::Enrolled, f64::from(c.enrolled));
    row.set(C::EnrolledFemale, f64::from(c.female));
    row.set(C::EnrolledMale, f64::from(c.enrolled - c.female));
    for course in 1..=usize::from(prog.duration).min(5) {
        row.set_at(course_col(course), f64::from(c.by_course[course - 1]));
    }
    row.set(C::Admitted, f64::from(c.admitted));
    row.set(C::Applicants, f64::from(c.applicants));
    row.set(C::Graduates, f64::from(c.graduates));
    row.set(C::GraduatesFemale, f64::from(c.graduates_female));
    row.set(
        C::GraduatesMale,
        f64::from(c.graduates - c.graduates_female),
    );
    row.set(C::OnTime, f64::from(c.on_time));
    row.set(C::Employed, f64::from(c.employed));
    row.set(C::FurtherStudy, f64::from(c.further));
    row.set(C::Expelled, f64::from(c.expelled));
    row.set(C::Repeaters, f64::from(c.repeaters));
    if c.prev_grade > 0 {
        row.set(C::PrevGrade, f64::from(c.prev_grade));
        row.set(C::Promoted, f64::from(c.promoted));
    }
    row.set(
        C::Attestation,
        f64::from(c.graduates - rng.binomial(c.graduates, 0.015)),
    );
    let university = org.level == Level::University;
    if university {
        if c.gpa_n > 0 {
            row.set(C::GpaMean, round2(c.gpa_sum / f64::from(c.gpa_n)));
        }
        row.set(C::GpaBelow, f64::from(c.gpa_below));
        let field = match prog.kind {
            ProgKind::Bachelor(f) | ProgKind::Master(f) | ProgKind::Doctoral(f) => FIELDS.get(f),
            ProgKind::Tvet(_) => None,
        };
        let base = 0.72
            + 0.05 * org.quality
            + 0.15 * prog.gpa_shift
            + field.map_or(0.0, |f| (f.employment - 0.7) * 0.2);
        let loc = (base + rng.normal(0.0, 0.03)).clamp(0.3, 0.99);
        row.set(C::Loc, (loc * 1000.0).round() / 1000.0);
    } else {
        let p = (0.9 + 0.03 * org.quality).clamp(0.5, 0.99);
        row.set(C::Practice, f64::from(rng.binomial(c.final_course, p)));
    }
    let lost = org.accreditation_lost.is_some_and(|y| year >= y);
    row.set(
        C::Accredited,
        if prog.accredited && !lost { 1.0 } else { 0.0 },
    );
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_scale_matches_data_md() {
        assert_eq!(letter_of(100), ("A", 4.0));
        assert_eq!(letter_of(95), ("A", 4.0));
        assert_eq!(letter_of(94), ("A-", 3.67));
        assert_eq!(letter_of(50), ("D", 1.0));
        assert_eq!(letter_of(49), ("FX", 0.5));
        assert_eq!(letter_of(25), ("FX", 0.5));
        assert_eq!(letter_of(24), ("F", 0.0));
        assert_eq!(letter_of(0), ("F", 0.0));
    }
}
