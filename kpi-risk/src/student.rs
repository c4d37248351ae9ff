//! Student-level academic-risk flags (universities), for portals and advisers.

use kpi_model::metrics::TransferThresholds;
use kpi_model::{Dataset, DegreeCycle, OrgIdx, UnitId, Year};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Rules for the student flags.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StudentRules {
    /// Transfer GPA thresholds by cycle and course.
    pub thresholds: TransferThresholds,
    /// Planned credits per term (60 academic credits a year in the credit system → 30).
    pub planned_credits_per_term: f64,
    /// A drop of term GPA larger than this from the previous term is flagged.
    pub gpa_drop: f64,
}

impl Default for StudentRules {
    fn default() -> Self {
        StudentRules {
            thresholds: TransferThresholds::default(),
            planned_credits_per_term: 30.0,
            gpa_drop: 0.5,
        }
    }
}

/// The transfer threshold a student of `course` must reach to move on, if any
/// (final-year students and unknown cycles have none).
///
/// ```
/// use kpi_model::metrics::TransferThresholds;
/// use kpi_model::DegreeCycle;
/// use kpi_risk::transfer_threshold;
/// let t = TransferThresholds::default();
/// assert_eq!(transfer_threshold(&t, DegreeCycle::Bachelor, 2), Some(1.67));
/// assert_eq!(transfer_threshold(&t, DegreeCycle::Bachelor, 4), None);
/// assert_eq!(transfer_threshold(&t, DegreeCycle::Master, 1), Some(1.67));
/// ```
pub fn transfer_threshold(t: &TransferThresholds, cycle: DegreeCycle, course: u8) -> Option<f64> {
    let list = match cycle {
        DegreeCycle::Bachelor => &t.bachelor,
        DegreeCycle::Master => &t.master,
        DegreeCycle::Doctorate => return None,
    };
    list.get(usize::from(course).checked_sub(1)?).copied()
}

/// One academic-risk flag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "flag")]
pub enum StudentFlag {
    /// GPA below the transfer threshold of the student's course.
    GpaBelowTransfer {
        /// The GPA.
        gpa: f64,
        /// The threshold.
        threshold: f64,
    },
    /// Courses graded FX or F in the term.
    FailedCourses {
        /// How many.
        count: u32,
    },
    /// Credits earned below the plan.
    CreditsBelowPlan {
        /// Credits earned (passed).
        earned: f64,
        /// Credits planned.
        planned: f64,
    },
    /// Term GPA dropped by more than the rule's limit from the previous term.
    GpaDrop {
        /// Previous term GPA.
        from: f64,
        /// This term's GPA.
        to: f64,
    },
}

/// A student's flags in one term.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StudentRisk {
    /// Student id.
    pub student_id: String,
    /// Organisation.
    pub org: OrgIdx,
    /// Programme unit (or the organisation unit when no programme is known).
    pub unit: UnitId,
    /// Year.
    pub year: Year,
    /// Term.
    pub term: u8,
    /// Term GPA.
    pub gpa: Option<f64>,
    /// Flags raised (empty: no risk seen).
    pub flags: Vec<StudentFlag>,
}

impl StudentRisk {
    /// The student's risk: the number of flags.
    pub fn level(&self) -> usize {
        self.flags.len()
    }
}

/// Flags per student and term from the grades' term results, joined with the
/// student's record of the same year (course and programme). Students with
/// term results but no record get only the flags that need no course.
pub fn student_flags(dataset: &Dataset, rules: &StudentRules) -> Vec<StudentRisk> {
    let students = dataset.students();
    let records: HashMap<(u32, Year), usize> = students
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.student, r.year), i))
        .collect();
    let mut terms: Vec<&kpi_model::TermResult> = dataset.terms().iter().collect();
    terms.sort_by_key(|t| (t.student, t.year, t.term));
    let mut out = Vec::with_capacity(terms.len());
    let mut previous: Option<(u32, Option<f64>)> = None;
    for t in terms {
        let record = records
            .get(&(t.student, t.year))
            .and_then(|&i| students.records.get(i));
        let unit = record.map(|r| r.unit).unwrap_or(dataset.org_unit(t.org));
        let gpa = t.gpa();
        let mut flags = Vec::new();
        if let (Some(g), Some(r)) = (gpa, record) {
            let cycle = dataset
                .programme_code(r.unit)
                .and_then(DegreeCycle::from_programme_code);
            if let Some(th) = cycle.and_then(|c| transfer_threshold(&rules.thresholds, c, r.course))
            {
                if g < th {
                    flags.push(StudentFlag::GpaBelowTransfer {
                        gpa: g,
                        threshold: th,
                    });
                }
            }
        }
        if t.failed_courses > 0 {
            flags.push(StudentFlag::FailedCourses {
                count: t.failed_courses,
            });
        }
        if t.credits_passed < rules.planned_credits_per_term {
            flags.push(StudentFlag::CreditsBelowPlan {
                earned: t.credits_passed,
                planned: rules.planned_credits_per_term,
            });
        }
        if let (Some((prev_student, Some(prev_gpa))), Some(g)) = (previous, gpa) {
            if prev_student == t.student && prev_gpa - g > rules.gpa_drop {
                flags.push(StudentFlag::GpaDrop {
                    from: prev_gpa,
                    to: g,
                });
            }
        }
        previous = Some((t.student, gpa));
        out.push(StudentRisk {
            student_id: students
                .ids
                .get(t.student as usize)
                .cloned()
                .unwrap_or_default(),
            org: t.org,
            unit,
            year: t.year,
            term: t.term,
            gpa,
            flags,
        });
    }
    out
}
