//! The columns of the wide `observations.csv`: `org_id, year, programme`, then
//! one column per metric (canonical codes of `data/metrics.toml`), with
//! breakdowns after a dot (`students_enrolled.female`, `students_enrolled.grade_3`).

use std::fmt::Write as _;

/// How a column's values are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fmt {
    /// A whole number.
    Int,
    /// Fixed decimals.
    Dec(u8),
}

macro_rules! columns {
    ($( $id:ident = $name:literal : $fmt:expr ),* $(,)?) => {
        /// Column indices (into [`COLUMNS`]).
        #[allow(non_camel_case_types, dead_code, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(usize)]
        pub(crate) enum C { $( $id ),* }
        /// Names and formats, in file order.
        pub(crate) const COLUMNS: &[(&str, Fmt)] = &[ $( ($name, $fmt) ),* ];
    };
}

use Fmt::{Dec, Int};

columns! {
    Enrolled = "students_enrolled": Int,
    EnrolledFemale = "students_enrolled.female": Int,
    EnrolledMale = "students_enrolled.male": Int,
    Grade1 = "students_enrolled.grade_1": Int,
    Grade2 = "students_enrolled.grade_2": Int,
    Grade3 = "students_enrolled.grade_3": Int,
    Grade4 = "students_enrolled.grade_4": Int,
    Grade5 = "students_enrolled.grade_5": Int,
    Grade6 = "students_enrolled.grade_6": Int,
    Grade7 = "students_enrolled.grade_7": Int,
    Grade8 = "students_enrolled.grade_8": Int,
    Grade9 = "students_enrolled.grade_9": Int,
    Grade10 = "students_enrolled.grade_10": Int,
    Grade11 = "students_enrolled.grade_11": Int,
    Course1 = "students_enrolled.course_1": Int,
    Course2 = "students_enrolled.course_2": Int,
    Course3 = "students_enrolled.course_3": Int,
    Course4 = "students_enrolled.course_4": Int,
    Course5 = "students_enrolled.course_5": Int,
    Admitted = "students_admitted": Int,
    Applicants = "applicants": Int,
    Capacity = "capacity": Int,
    Teachers = "teachers_total": Int,
    TeachersFte = "teachers_fte": Dec(1),
    TeachersDegree = "teachers_with_degree": Int,
    TeachersTop = "teachers_top_category": Int,
    TeachersTrained = "teachers_trained_5y": Int,
    StaffLeft = "staff_left": Int,
    Graduates = "graduates": Int,
    GraduatesFemale = "graduates.female": Int,
    GraduatesMale = "graduates.male": Int,
    OnTime = "graduates_on_time": Int,
    Employed = "graduates_employed": Int,
    FurtherStudy = "graduates_further_study": Int,
    Expelled = "expelled": Int,
    Repeaters = "repeaters": Int,
    PrevGrade = "enrolled_prev_grade": Int,
    Promoted = "promoted": Int,
    GpaMean = "gpa_mean": Dec(2),
    GpaBelow = "gpa_below_threshold": Int,
    ExamScore = "exam_score_mean": Dec(1),
    ExamTakers = "exam_takers": Int,
    ExamPassed = "exam_passed": Int,
    Achievement = "achievement_score_mean": Dec(1),
    AchievementReading = "achievement_score_mean.reading": Dec(1),
    AchievementMaths = "achievement_score_mean.mathematics": Dec(1),
    AchievementScience = "achievement_score_mean.science": Dec(1),
    Attestation = "final_attestation_pass": Int,
    Loc = "learning_outcome_coefficient": Dec(3),
    Practice = "practice_completed": Int,
    Agreements = "employer_agreements": Int,
    MobilityOut = "mobility_out": Int,
    MobilityIn = "mobility_in": Int,
    Accredited = "accredited": Int,
    Computers = "computers": Int,
    Library = "library_items": Int,
    Area = "area_m2": Dec(1),
    Shifts = "shifts": Int,
    Budget = "budget_kzt": Int,
    Research = "research_kzt": Int,
    Publications = "publications_indexed": Int,
}

/// Number of metric columns.
pub(crate) const N: usize = COLUMNS.len();

/// The full header of `observations.csv`.
pub(crate) fn header() -> Vec<&'static str> {
    let mut h = vec!["org_id", "year", "programme"];
    h.extend(COLUMNS.iter().map(|(n, _)| *n));
    h
}

/// Index of the first metric column in the header.
pub(crate) const FIRST_METRIC: usize = 3;

/// The column of `students_enrolled.grade_g` (1..=11).
pub(crate) fn grade_col(g: usize) -> usize {
    C::Grade1 as usize + g.clamp(1, 11) - 1
}

/// The column of `students_enrolled.course_c` (1..=5).
pub(crate) fn course_col(c: usize) -> usize {
    C::Course1 as usize + c.clamp(1, 5) - 1
}

/// Metrics a student table also gives (docs/data.md, *Metrics from records*): for
/// an organisation whose records are written they are left out of
/// observations, so a derived value never conflicts with a given one.
pub(crate) const FROM_RECORDS: &[C] = &[
    C::Enrolled,
    C::EnrolledFemale,
    C::EnrolledMale,
    C::Course1,
    C::Course2,
    C::Course3,
    C::Course4,
    C::Course5,
    C::Graduates,
    C::GraduatesFemale,
    C::GraduatesMale,
    C::Employed,
    C::FurtherStudy,
    C::Expelled,
    C::Repeaters,
    C::GpaMean,
    C::GpaBelow,
];

/// One row of observations: one unit and year.
#[derive(Clone, Debug)]
pub(crate) struct ObsRow {
    /// Values by column; `None` is an empty cell.
    pub values: [Option<f64>; N],
}

impl Default for ObsRow {
    fn default() -> Self {
        ObsRow { values: [None; N] }
    }
}

impl ObsRow {
    /// Sets a column.
    pub fn set(&mut self, c: C, v: f64) {
        self.values[c as usize] = Some(v);
    }

    /// Sets a column by index.
    pub fn set_at(&mut self, i: usize, v: f64) {
        if let Some(slot) = self.values.get_mut(i) {
            *slot = Some(v);
        }
    }

    /// A column's value.
    pub fn get(&self, c: C) -> Option<f64> {
        self.values[c as usize]
    }

    /// Empties a column.
    pub fn clear(&mut self, c: C) {
        self.values[c as usize] = None;
    }

    /// Whether any metric is set.
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }

    /// The metric cells as text, in column order.
    pub fn cells(&self) -> Vec<String> {
        let mut out = Vec::with_capacity(N);
        for (v, (_, fmt)) in self.values.iter().zip(COLUMNS) {
            let mut s = String::new();
            if let Some(v) = v {
                format_value(&mut s, *v, *fmt);
            }
            out.push(s);
        }
        out
    }
}

/// Writes a value with its column's format.
pub(crate) fn format_value(s: &mut String, v: f64, fmt: Fmt) {
    let _ = match fmt {
        Fmt::Int => write!(s, "{}", v.round() as i64),
        Fmt::Dec(d) => write!(s, "{:.*}", usize::from(d), v),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use kpi_model::metrics::MetricRegistry;

    #[test]
    fn every_column_is_a_known_metric() {
        let reg = MetricRegistry::builtin();
        for (name, _) in COLUMNS {
            let bare = name.split('.').next().unwrap_or(name);
            assert!(reg.id(bare).is_some(), "{bare} is not in metrics.toml");
        }
        assert_eq!(header().len(), N + FIRST_METRIC);
        assert_eq!(COLUMNS[grade_col(11)].0, "students_enrolled.grade_11");
        assert_eq!(COLUMNS[course_col(5)].0, "students_enrolled.course_5");
    }

    #[test]
    fn formats() {
        let mut s = String::new();
        format_value(&mut s, 12.0, Fmt::Int);
        s.push('|');
        format_value(&mut s, 2.456, Fmt::Dec(2));
        assert_eq!(s, "12|2.46");
    }
}
