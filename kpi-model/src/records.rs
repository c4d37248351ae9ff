//! Individual records kept after loading: students per year, and each
//! student's term results aggregated from the grades table.

use super::{OrgIdx, UnitId, Year};
use serde::{Deserialize, Serialize};

/// A student's status at the end of the academic year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StudentStatus {
    /// Studying.
    Enrolled,
    /// Completed the programme this year.
    Graduated,
    /// Expelled (left without completing).
    Expelled,
    /// Transferred to another organisation.
    TransferredOut,
    /// On academic leave (still on the roll).
    AcademicLeave,
    /// Repeating the course (still on the roll).
    Repeating,
}

impl StudentStatus {
    /// Whether the student counts in `students_enrolled` (docs/data.md: every
    /// status except graduated, expelled and transferred out).
    pub fn on_roll(self) -> bool {
        !matches!(
            self,
            StudentStatus::Graduated | StudentStatus::Expelled | StudentStatus::TransferredOut
        )
    }

    /// The canonical code.
    pub fn code(self) -> &'static str {
        match self {
            StudentStatus::Enrolled => "enrolled",
            StudentStatus::Graduated => "graduated",
            StudentStatus::Expelled => "expelled",
            StudentStatus::TransferredOut => "transferred_out",
            StudentStatus::AcademicLeave => "academic_leave",
            StudentStatus::Repeating => "repeating",
        }
    }

    /// Parses the canonical code.
    ///
    /// ```
    /// use kpi_model::StudentStatus;
    /// assert_eq!(StudentStatus::from_code("academic_leave"), Some(StudentStatus::AcademicLeave));
    /// assert!(!StudentStatus::Graduated.on_roll());
    /// ```
    pub fn from_code(code: &str) -> Option<StudentStatus> {
        use StudentStatus::*;
        [
            Enrolled,
            Graduated,
            Expelled,
            TransferredOut,
            AcademicLeave,
            Repeating,
        ]
        .into_iter()
        .find(|s| s.code().eq_ignore_ascii_case(code.trim()))
    }
}

/// How a student's studies are funded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Funding {
    /// State educational grant.
    StateGrant,
    /// Paid by the student or a sponsor.
    Paid,
}

/// One row of the `students` table, resolved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StudentRecord {
    /// Index into [`StudentTable::ids`].
    pub student: u32,
    /// The organisation.
    pub org: OrgIdx,
    /// The programme unit when a programme is given, else the organisation's unit.
    pub unit: UnitId,
    /// Academic year.
    pub year: Year,
    /// Course (year of study), 1..=7.
    pub course: u8,
    /// Status at year end.
    pub status: StudentStatus,
    /// GPA on the 0–4 scale (from the table, or from grades when only they give it).
    pub gpa: Option<f64>,
    /// Credits earned in the year.
    pub credits_earned: Option<f64>,
    /// Funding.
    pub funding: Option<Funding>,
    /// For graduates: employed within one year (`None` = unknown).
    pub employed: Option<bool>,
    /// For graduates: in further study within one year (`None` = unknown).
    pub further_study: Option<bool>,
}

/// Students and their yearly records.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct StudentTable {
    /// Student identifiers, by index.
    pub ids: Vec<String>,
    /// Records, one per student and year.
    pub records: Vec<StudentRecord>,
}

/// One student's results in one term, aggregated from the `grades` table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TermResult {
    /// Index into [`StudentTable::ids`] (students seen only in grades are added there).
    pub student: u32,
    /// The organisation.
    pub org: OrgIdx,
    /// Academic year.
    pub year: Year,
    /// Term within the year (1, 2, or a summer term 3).
    pub term: u8,
    /// Σ credits over the term's courses.
    pub credits: f64,
    /// Σ credits × grade points.
    pub weighted_points: f64,
    /// Number of courses graded FX or F.
    pub failed_courses: u32,
    /// Number of courses.
    pub courses: u32,
    /// Credits of courses passed (grade D or better).
    pub credits_passed: f64,
}

impl TermResult {
    /// The term GPA = Σ(credits × points) / Σ credits; `None` with no credits.
    pub fn gpa(&self) -> Option<f64> {
        (self.credits > 0.0).then(|| self.weighted_points / self.credits)
    }
}
