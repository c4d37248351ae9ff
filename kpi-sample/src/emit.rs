//! Writes a planned and simulated sample into a [`Sink`], table by table,
//! planting the requested defects on the way.

use super::columns::{self, ObsRow, C, FIRST_METRIC, FROM_RECORDS};
use super::defects::{Defect, NEAR_MISS_HEADER, UNKNOWN_ORG};
use super::out::{FileSummary, Sink, Summary, Table};
use super::plan::{self, OrgPlan, Plan};
use super::rng::{purpose, shuffle, stream, Draw, SampleRng};
use super::tertiary::{letter_of, Rec};
use super::{school, survey, tertiary, SampleOptions};
use kpi_model::validate::IssueCode;
use kpi_model::{Level, Year};
use std::io::{self, Write};

const ORGANISATIONS: &str = "organisations.csv";
const OBSERVATIONS: &str = "observations.csv";
const STUDENTS: &str = "students.csv";
const GRADES: &str = "grades.csv";
const SURVEYS: &str = "surveys.csv";
const SURVEYS_EXTRA: &str = "surveys_extra.csv";
const GRADES_EXTRA: &str = "grades_extra.csv";
const DEFECTS: &str = "defects.json";

const ORG_HEADER: [&str; 9] = [
    "org_id",
    "name",
    "name_kk",
    "name_ru",
    "name_en",
    "level",
    "region",
    "ownership",
    "locality",
];
const STUDENT_HEADER: [&str; 11] = [
    "student_id",
    "org_id",
    "year",
    "programme",
    "course",
    "status",
    "gpa",
    "credits_earned",
    "funding",
    "employed",
    "further_study",
];
const GRADE_HEADER: [&str; 8] = [
    "student_id",
    "org_id",
    "year",
    "term",
    "course_code",
    "credits",
    "score",
    "letter",
];

/// Student identifiers as written.
fn student_id(n: u64) -> String {
    format!("ST{n:08}")
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

/// Kinds of defect planted into an observation row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ObsDefect {
    BadValue,
    Negative,
    Fractional,
    EmployedOverGraduates,
    DegreeOverTotal,
    PassedOverTakers,
    ShareOut,
    Jump,
}

struct ObsTarget {
    org: usize,
    kind: ObsDefect,
    done: bool,
}

/// Chooses one organisation per observation defect (distinct organisations
/// with a full, ordinary history, so each defect stands alone).
fn choose_targets(plan: &Plan, options: &SampleOptions) -> Vec<ObsTarget> {
    let mut rng = stream(options.seed, purpose::DEFECTS, 0);
    let mut used: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    let plain = |o: &OrgPlan| {
        o.missing_year.is_none()
            && !o.opened
            && !o.closed
            && !o.records
            && o.accreditation_lost.is_none()
    };
    let wanted: [(ObsDefect, &[Level]); 8] = [
        (ObsDefect::BadValue, &[Level::School]),
        (ObsDefect::Negative, &[Level::School]),
        (ObsDefect::Fractional, &[Level::Preschool]),
        (
            ObsDefect::EmployedOverGraduates,
            &[Level::College, Level::University],
        ),
        (ObsDefect::DegreeOverTotal, &[Level::University]),
        (ObsDefect::PassedOverTakers, &[Level::School]),
        (ObsDefect::ShareOut, &[Level::University]),
        (ObsDefect::Jump, &[Level::School]),
    ];
    for (kind, levels) in wanted {
        let mut cands: Vec<usize> = (0..plan.orgs.len())
            .filter(|&i| {
                let o = &plan.orgs[i];
                levels.contains(&o.level) && plain(o) && !used.contains(&i)
            })
            .collect();
        if kind == ObsDefect::PassedOverTakers {
            cands.retain(|&i| {
                matches!(plan.orgs[i].detail, plan::Detail::School { kind } if kind.top_grade() == 11)
            });
        }
        shuffle(&mut rng, &mut cands);
        if let Some(&i) = cands.first() {
            used.push(i);
            out.push(ObsTarget {
                org: i,
                kind,
                done: false,
            });
        }
    }
    out
}

/// Plants `kind` into the row's cells if the row qualifies; returns the defect.
fn plant_obs(
    kind: ObsDefect,
    org: &OrgPlan,
    year: Year,
    programme: Option<&str>,
    row: &ObsRow,
    cells: &mut [String],
    row_number: usize,
) -> Option<Defect> {
    let cell = |c: C| FIRST_METRIC + c as usize;
    let name = |c: C| columns::COLUMNS[c as usize].0;
    let int = |c: C| row.get(c).map(|v| v.round() as i64);
    let org_row = programme.is_none();
    let mut set = |c: C, v: String, code: IssueCode, what: String| {
        cells[cell(c)] = v.clone();
        Some(Defect::new(
            OBSERVATIONS,
            Some(row_number),
            Some(name(c)),
            code,
            v,
            what,
        ))
    };
    let who = format!("{} {year}", org.id);
    match kind {
        ObsDefect::BadValue if org_row => {
            int(C::Enrolled)?;
            set(
                C::Enrolled,
                "1O5".into(),
                IssueCode::BadValue,
                format!("{who}: a count typed with the letter O instead of a zero"),
            )
        }
        ObsDefect::Negative if org_row => {
            // Computers are nobody's part or whole, so the sign is the only problem.
            let n = int(C::Computers)?;
            set(
                C::Computers,
                format!("-{}", n.max(1)),
                IssueCode::NegativeCount,
                format!("{who}: a negative number of computers"),
            )
        }
        ObsDefect::Fractional if org_row => {
            let n = int(C::Enrolled)?;
            set(
                C::Enrolled,
                format!("{n}.5"),
                IssueCode::FractionalCount,
                format!("{who}: half a child on the roll"),
            )
        }
        ObsDefect::EmployedOverGraduates if org_row => {
            let g = int(C::Graduates)?;
            int(C::Employed)?;
            (g > 0).then_some(())?;
            set(
                C::Employed,
                (g + 5).to_string(),
                IssueCode::PartExceedsWhole,
                format!(
                    "{who}: more graduates employed ({}) than graduates ({g})",
                    g + 5
                ),
            )
        }
        ObsDefect::DegreeOverTotal if org_row => {
            let t = int(C::Teachers)?;
            int(C::TeachersDegree)?;
            set(
                C::TeachersDegree,
                (t + 4).to_string(),
                IssueCode::PartExceedsWhole,
                format!(
                    "{who}: more teachers with a degree ({}) than teachers ({t})",
                    t + 4
                ),
            )
        }
        ObsDefect::PassedOverTakers if org_row => {
            let t = int(C::ExamTakers)?;
            int(C::ExamPassed)?;
            set(
                C::ExamPassed,
                (t + 3).to_string(),
                IssueCode::PartExceedsWhole,
                format!("{who}: more exam passes ({}) than exam takers ({t})", t + 3),
            )
        }
        ObsDefect::ShareOut if !org_row => {
            row.get(C::Loc)?;
            set(
                C::Loc,
                "1.35".into(),
                IssueCode::ShareOutOfRange,
                format!(
                    "{who} programme {}: a learning-outcome coefficient above 1",
                    programme.unwrap_or_default()
                ),
            )
        }
        // Needs a previous year to jump from (none in a one-year sample).
        ObsDefect::Jump if org_row && year == org.last_year && year > org.first_year => {
            let n = int(C::Enrolled)?;
            set(
                C::Enrolled,
                (n * 20).to_string(),
                IssueCode::SuspiciousJump,
                format!("{who}: enrolment twenty times the previous year's"),
            )
        }
        _ => None,
    }
}

/// Metrics an organisation sometimes leaves out (a year here and there).
const SOFT: [C; 9] = [
    C::Computers,
    C::Library,
    C::Area,
    C::TeachersTrained,
    C::StaffLeft,
    C::Agreements,
    C::Research,
    C::Publications,
    C::TeachersFte,
];

/// Genuine gaps: metrics collected only from some year on, metrics a few
/// organisations never report, and scattered missing cells.
fn apply_gaps(rng: &mut SampleRng, row: &mut ObsRow, year: Year, never: &[C]) {
    let since: [(C, Year); 7] = [
        (C::TeachersTrained, 2016),
        (C::FurtherStudy, 2017),
        (C::Achievement, 2017),
        (C::AchievementReading, 2017),
        (C::AchievementMaths, 2017),
        (C::AchievementScience, 2017),
        (C::Loc, 2019),
    ];
    for (c, first) in since {
        if year < first {
            row.clear(c);
        }
    }
    if year < 2016 {
        row.clear(C::MobilityOut);
        row.clear(C::MobilityIn);
    }
    for &c in never {
        row.clear(c);
    }
    for c in SOFT {
        if rng.chance(0.02) {
            row.clear(c);
        }
    }
}

/// Generates everything.
pub(crate) fn emit<S: Sink>(
    options: &SampleOptions,
    sink: &mut S,
    progress: &mut dyn FnMut(usize, usize),
) -> io::Result<Summary> {
    let plan = plan::build(options);
    let seed = options.seed;
    let with_defects = options.with_defects;
    let mut targets = if with_defects {
        choose_targets(&plan, options)
    } else {
        Vec::new()
    };
    let mut defects: Vec<Defect> = Vec::new();
    let mut files: Vec<FileSummary> = Vec::new();
    let mut organisations = [0usize; 4];
    let mut programmes = 0usize;

    // organisations.csv
    let mut t = Table::open(sink, ORGANISATIONS, &ORG_HEADER)?;
    for o in &plan.orgs {
        let li = Level::ALL.iter().position(|l| *l == o.level).unwrap_or(0);
        organisations[li] += 1;
        programmes += o.programmes().len();
        t.row([
            o.id.as_str(),
            o.names.name.as_str(),
            o.names.kk.as_deref().unwrap_or(""),
            o.names.ru.as_deref().unwrap_or(""),
            o.names.en.as_deref().unwrap_or(""),
            o.level.code(),
            o.region_label.as_str(),
            if o.write_ownership {
                o.ownership.code()
            } else {
                ""
            },
            if o.write_locality {
                o.locality.code()
            } else {
                ""
            },
        ])?;
    }
    files.push(t.close(sink)?);

    let mut obs_header = columns::header();
    if with_defects {
        obs_header.push(NEAR_MISS_HEADER);
        defects.push(Defect::new(
            OBSERVATIONS,
            Some(1),
            Some(NEAR_MISS_HEADER),
            IssueCode::UnknownHeader,
            NEAR_MISS_HEADER,
            "a misspelt metric column; the closest known header is `graduates_employed`",
        ));
    }
    let mut obs = Table::open(sink, OBSERVATIONS, &obs_header)?;
    let mut students = Table::open(sink, STUDENTS, &STUDENT_HEADER)?;
    let mut grades = Table::open(sink, GRADES, &GRADE_HEADER)?;
    let mut surveys = Table::open(sink, SURVEYS, &survey::HEADER)?;
    let mut first_obs: Option<Vec<String>> = None;
    let mut last_answer: Option<Vec<String>> = None;
    let mut plant_gpa = with_defects;
    let mut plant_score = with_defects;
    let mut plant_likert = with_defects;
    let mut next_id = 0u64;
    let n_orgs = plan.orgs.len();

    for (i, org) in plan.orgs.iter().enumerate() {
        progress(i, n_orgs);
        let idx = i as u64;
        let mut rows: tertiary::Rows = match org.level {
            Level::Preschool => school::preschool(org, seed, idx)
                .into_iter()
                .map(|(y, r)| (y, None, r))
                .collect(),
            Level::School => school::school(org, seed, idx)
                .into_iter()
                .map(|(y, r)| (y, None, r))
                .collect(),
            Level::College | Level::University => {
                let mut write_rec = |rec: Rec<'_>| -> io::Result<()> {
                    match rec {
                        Rec::Student(s) => {
                            let mut gpa = s.gpa.map(|g| format!("{g:.2}")).unwrap_or_default();
                            if plant_gpa && s.gpa.is_some() {
                                plant_gpa = false;
                                gpa = "4.70".into();
                                defects.push(Defect::new(
                                    STUDENTS,
                                    Some(students.next_row_number()),
                                    Some("gpa"),
                                    IssueCode::OutOfRange,
                                    "4.70",
                                    "a GPA above the 4.00 maximum of the national scale",
                                ));
                            }
                            students.row([
                                student_id(s.id).as_str(),
                                org.id.as_str(),
                                s.year.to_string().as_str(),
                                s.programme,
                                s.course.to_string().as_str(),
                                s.status.code(),
                                gpa.as_str(),
                                s.credits.to_string().as_str(),
                                if s.grant { "state_grant" } else { "paid" },
                                yes_no(s.employed),
                                yes_no(s.further),
                            ])
                        }
                        Rec::Grade(g) => {
                            let (score, letter) = if g.letter {
                                (String::new(), letter_of(g.score).0.to_string())
                            } else if plant_score {
                                plant_score = false;
                                defects.push(Defect::new(
                                    GRADES,
                                    Some(grades.next_row_number()),
                                    Some("score"),
                                    IssueCode::OutOfRange,
                                    "130",
                                    "a course score above the 0–100 range",
                                ));
                                ("130".to_string(), String::new())
                            } else {
                                (g.score.to_string(), String::new())
                            };
                            grades.row([
                                student_id(g.student).as_str(),
                                org.id.as_str(),
                                g.year.to_string().as_str(),
                                g.term.to_string().as_str(),
                                g.course_code,
                                g.credits.to_string().as_str(),
                                score.as_str(),
                                letter.as_str(),
                            ])
                        }
                    }
                };
                tertiary::tertiary(org, seed, idx, &mut next_id, &mut write_rec)?
            }
        };
        // Organisation row first, then its programmes, year by year.
        rows.sort_by_key(|(y, p, _)| (*y, p.map_or(0, |p| p + 1)));
        let mut gap_rng = stream(seed, purpose::GAPS, 1 << 40 | idx);
        let mut never = Vec::new();
        if gap_rng.chance(0.03) {
            never.push(C::TeachersFte);
        }
        if gap_rng.chance(0.02) {
            never.push(C::Budget);
        }
        for (year, prog, mut row) in rows {
            if !org.reports(year) {
                continue;
            }
            apply_gaps(&mut gap_rng, &mut row, year, &never);
            if org.records {
                for c in FROM_RECORDS {
                    row.clear(*c);
                }
            }
            if row.is_empty() {
                continue;
            }
            let code = prog
                .and_then(|p| org.programmes().get(p))
                .map(|p| p.code.as_str());
            let mut cells = Vec::with_capacity(FIRST_METRIC + columns::N + 1);
            cells.push(org.id.clone());
            cells.push(year.to_string());
            cells.push(code.unwrap_or_default().to_string());
            cells.extend(row.cells());
            if with_defects {
                cells.push(String::new());
                for target in targets.iter_mut().filter(|t| t.org == i && !t.done) {
                    if let Some(d) = plant_obs(
                        target.kind,
                        org,
                        year,
                        code,
                        &row,
                        &mut cells,
                        obs.next_row_number(),
                    ) {
                        target.done = true;
                        defects.push(d);
                    }
                }
            }
            if first_obs.is_none() {
                first_obs = Some(cells.clone());
            }
            obs.row(&cells)?;
        }
        // Survey answers.
        let mut srng = stream(seed, purpose::SURVEY, idx);
        for year in org.first_year..=org.last_year {
            for a in survey::answers(&mut srng, org, year, options.scale) {
                let mut score = a.score.map(|s| s.to_string()).unwrap_or_default();
                if plant_likert && a.score.is_some() {
                    plant_likert = false;
                    score = "7".into();
                    defects.push(Defect::new(
                        SURVEYS,
                        Some(surveys.next_row_number()),
                        Some("score"),
                        IssueCode::OutOfRange,
                        "7",
                        "a Likert answer outside 1–5",
                    ));
                }
                let cells = [
                    org.id.clone(),
                    year.to_string(),
                    a.survey.to_string(),
                    a.respondent,
                    a.question.to_string(),
                    score,
                ];
                surveys.row(&cells)?;
                if with_defects {
                    last_answer = Some(cells.to_vec());
                }
            }
        }
    }
    progress(n_orgs, n_orgs);

    if with_defects {
        if let Some(first) = first_obs {
            let mut copy = Defect::new(
                OBSERVATIONS,
                Some(obs.next_row_number()),
                Some("org_id"),
                IssueCode::DuplicateKey,
                first[0].clone(),
                format!("a copy of row 2 (org_id {}, year {})", first[0], first[1]),
            );
            // An exact copy says nothing new: counted once, with a warning.
            copy.severity = kpi_model::validate::Severity::Warning;
            defects.push(copy);
            obs.row(&first)?;
        }
        if let Some(mut last) = last_answer {
            last[0] = UNKNOWN_ORG.to_string();
            defects.push(Defect::new(
                SURVEYS,
                Some(surveys.next_row_number()),
                Some("org_id"),
                IssueCode::UnknownOrganisation,
                UNKNOWN_ORG,
                "an answer for an organisation absent from organisations.csv",
            ));
            surveys.row(&last)?;
            last[0] = plan.orgs.first().map(|o| o.id.clone()).unwrap_or_default();
            last[1] = "2150".into();
            defects.push(Defect::new(
                SURVEYS,
                Some(surveys.next_row_number()),
                Some("year"),
                IssueCode::YearOutOfRange,
                "2150",
                "a year after 2100",
            ));
            surveys.row(&last)?;
        }
    }
    files.push(obs.close(sink)?);
    files.push(students.close(sink)?);
    files.push(grades.close(sink)?);
    files.push(surveys.close(sink)?);

    if with_defects {
        let t = Table::open(sink, SURVEYS_EXTRA, &survey::HEADER)?;
        defects.push(Defect::new(
            SURVEYS_EXTRA,
            None,
            None,
            IssueCode::EmptyTable,
            "",
            "a survey table with a header and no rows",
        ));
        files.push(t.close(sink)?);
        let header = [
            "student_id",
            "org_id",
            "year",
            "term",
            "course_code",
            "score",
        ];
        let mut t = Table::open(sink, GRADES_EXTRA, &header)?;
        let org = plan.orgs.first().map(|o| o.id.as_str()).unwrap_or_default();
        let year = plan.span.last.to_string();
        for (k, score) in ["81", "67", "92"].iter().enumerate() {
            t.row([
                student_id(1).as_str(),
                org,
                year.as_str(),
                "1",
                format!("EXT11{:02}", k + 1).as_str(),
                score,
            ])?;
        }
        defects.push(Defect::new(
            GRADES_EXTRA,
            Some(1),
            Some("credits"),
            IssueCode::MissingColumn,
            "",
            "a grades table without the required `credits` column",
        ));
        files.push(t.close(sink)?);
        // Manifest, sorted by file and row for reading.
        defects.sort_by(|a, b| (&a.file, a.row).cmp(&(&b.file, b.row)));
        let mut w = sink.create(DEFECTS)?;
        let json = serde_json::to_vec_pretty(&defects).map_err(io::Error::other)?;
        w.write_all(&json)?;
        w.write_all(b"\n")?;
        sink.finish(DEFECTS, w)?;
        files.push(FileSummary {
            name: DEFECTS.to_string(),
            rows: defects.len(),
            bytes: json.len() as u64 + 1,
        });
    }
    Ok(Summary {
        files,
        organisations,
        programmes,
        defects,
    })
}
