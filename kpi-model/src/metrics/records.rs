//! Metrics from records: student rows, grades and survey answers aggregated
//! into per-unit, per-year metrics (docs/data.md, "Metrics from records").
//!
//! Every function here is pure: records in, values out. A metric is produced
//! for a unit and year only when the records can support it (no student with
//! a GPA → no `gpa_mean`, never a silent 0).

use crate::{DegreeCycle, OrgIdx, StudentRecord, StudentStatus, TermResult, UnitId, Year};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;

/// Transfer GPA thresholds (docs/data.md; defaults from seed 002, 5.5.13).
///
/// ```
/// use kpi_model::metrics::TransferThresholds;
/// use kpi_model::DegreeCycle;
/// let t = TransferThresholds::default();
/// assert_eq!(t.threshold(Some(DegreeCycle::Bachelor), 1), Some(1.33));
/// assert_eq!(t.threshold(Some(DegreeCycle::Bachelor), 3), Some(2.00));
/// assert_eq!(t.threshold(Some(DegreeCycle::Bachelor), 4), None); // final year
/// assert_eq!(t.threshold(Some(DegreeCycle::Master), 1), Some(1.67));
/// assert_eq!(t.threshold(None, 1), None);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TransferThresholds {
    /// Bachelor's: minimum GPA to move from course `i + 1` to `i + 2` (to year 2, 3, 4).
    pub bachelor: Vec<f64>,
    /// Master's: minimum GPA to move from course `i + 1` to `i + 2` (to year 2).
    pub master: Vec<f64>,
}

impl Default for TransferThresholds {
    fn default() -> Self {
        TransferThresholds {
            bachelor: vec![1.33, 1.67, 2.00],
            master: vec![1.67],
        }
    }
}

impl TransferThresholds {
    /// The GPA a student of `course` (1-based) needs to move on. `None` when
    /// no threshold applies: final-year students (they graduate rather than
    /// transfer), doctoral and non-university programmes, unknown cycle.
    pub fn threshold(&self, cycle: Option<DegreeCycle>, course: u8) -> Option<f64> {
        let list = match cycle? {
            DegreeCycle::Bachelor => &self.bachelor,
            DegreeCycle::Master => &self.master,
            DegreeCycle::Doctorate => return None,
        };
        list.get(usize::from(course).checked_sub(1)?).copied()
    }
}

/// One value derived from records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DerivedValue {
    /// The unit (programme or organisation).
    pub unit: UnitId,
    /// The academic year.
    pub year: Year,
    /// The metric code (borrowed for the fixed codes, so a national load
    /// does not allocate one string per value).
    pub metric: Cow<'static, str>,
    /// The value.
    pub value: f64,
}

#[derive(Default, Clone)]
struct StudentAcc {
    enrolled: u64,
    graduates: u64,
    employed: u64,
    employed_known: u64,
    further: u64,
    further_known: u64,
    expelled: u64,
    repeaters: u64,
    gpa_sum: f64,
    gpa_n: u64,
    below: u64,
    with_threshold: u64,
}

impl StudentAcc {
    fn add(&mut self, r: &StudentRecord, threshold: Option<f64>) {
        match r.status {
            StudentStatus::Graduated => {
                self.graduates += 1;
                if let Some(e) = r.employed {
                    self.employed_known += 1;
                    self.employed += u64::from(e);
                }
                if let Some(f) = r.further_study {
                    self.further_known += 1;
                    self.further += u64::from(f);
                }
            }
            StudentStatus::Expelled => self.expelled += 1,
            StudentStatus::Repeating => self.repeaters += 1,
            _ => {}
        }
        if r.status.on_roll() {
            self.enrolled += 1;
            if let Some(g) = r.gpa {
                self.gpa_sum += g;
                self.gpa_n += 1;
                if let Some(t) = threshold {
                    self.with_threshold += 1;
                    self.below += u64::from(g < t);
                }
            }
        }
    }

    fn emit(
        &self,
        unit: UnitId,
        year: Year,
        out: &mut impl FnMut(UnitId, Year, &'static str, f64),
    ) {
        let mut put = |metric: &'static str, value: f64| out(unit, year, metric, value);
        put("students_enrolled", self.enrolled as f64);
        put("graduates", self.graduates as f64);
        put("expelled", self.expelled as f64);
        put("repeaters", self.repeaters as f64);
        // Employment and further study are known only for graduates whose
        // destination was recorded; with none recorded the count is unknown.
        if self.employed_known > 0 {
            put("graduates_employed", self.employed as f64);
        }
        if self.further_known > 0 {
            put("graduates_further_study", self.further as f64);
        }
        if self.gpa_n > 0 {
            put("gpa_mean", self.gpa_sum / self.gpa_n as f64);
        }
        if self.with_threshold > 0 {
            put("gpa_below_threshold", self.below as f64);
        }
    }
}

/// Aggregates student records per unit and year: for the record's programme
/// unit (when it has a programme) and for its organisation as a whole.
///
/// * `students_enrolled`: status other than graduated, expelled, transferred out;
/// * `graduates`, `expelled`, `repeaters` (status `repeating`);
/// * `graduates_employed`, `graduates_further_study`: graduates recorded `yes`
///   (only when at least one graduate's destination is recorded);
/// * `gpa_mean`: mean GPA of enrolled students with a GPA;
/// * `gpa_below_threshold`: enrolled students whose GPA is below the transfer
///   threshold of their course; students without a threshold (final year,
///   doctorate, non-university or unknown cycle) are not counted, and the
///   metric exists only where some enrolled student with a GPA has a threshold.
///
/// `cycle_of` gives the degree cycle of a programme unit (`None` for an
/// organisation unit or a programme without a recognisable code).
///
/// ```
/// use kpi_model::metrics::{student_metrics, TransferThresholds};
/// use kpi_model::{StudentRecord, StudentStatus, OrgIdx, UnitId, DegreeCycle};
/// let rec = |gpa: f64| StudentRecord {
///     student: 0, org: OrgIdx(0), unit: UnitId(1), year: 2023, course: 1,
///     status: StudentStatus::Enrolled, gpa: Some(gpa), credits_earned: None,
///     funding: None, employed: None, further_study: None,
/// };
/// // Three course-1 bachelor students, GPAs 2.0, 1.2, 3.1:
/// // mean (2.0 + 1.2 + 3.1) / 3 = 2.1; below the 1.33 threshold: one (1.2).
/// let out = student_metrics(&[rec(2.0), rec(1.2), rec(3.1)], |u| (u == UnitId(1)).then_some(DegreeCycle::Bachelor), &TransferThresholds::default());
/// let get = |unit: u32, m: &str| out.iter().find(|d| d.unit == UnitId(unit) && d.metric == m).map(|d| d.value);
/// assert!((get(1, "gpa_mean").unwrap() - 2.1).abs() < 1e-12);
/// assert_eq!(get(1, "gpa_below_threshold"), Some(1.0));
/// assert_eq!(get(0, "students_enrolled"), Some(3.0)); // the organisation as a whole
/// ```
pub fn student_metrics(
    records: &[StudentRecord],
    cycle_of: impl Fn(UnitId) -> Option<DegreeCycle>,
    thresholds: &TransferThresholds,
) -> Vec<DerivedValue> {
    let mut out = Vec::new();
    student_metrics_each(
        records,
        cycle_of,
        thresholds,
        |unit, year, metric, value| {
            out.push(DerivedValue {
                unit,
                year,
                metric: Cow::Borrowed(metric),
                value,
            })
        },
    );
    out
}

/// [`student_metrics`], handing each value to `out` (unit, year, metric
/// code, value) in unit and year order instead of collecting them, so a
/// national load does not hold every derived value at once.
///
/// ```
/// use kpi_model::metrics::{student_metrics_each, TransferThresholds};
/// use kpi_model::{StudentRecord, StudentStatus, OrgIdx, UnitId};
/// let rec = StudentRecord {
///     student: 0, org: OrgIdx(0), unit: UnitId(0), year: 2023, course: 1,
///     status: StudentStatus::Expelled, gpa: None, credits_earned: None,
///     funding: None, employed: None, further_study: None,
/// };
/// let mut expelled = None;
/// student_metrics_each(&[rec], |_| None, &TransferThresholds::default(), |_, _, m, v| {
///     if m == "expelled" { expelled = Some(v) }
/// });
/// assert_eq!(expelled, Some(1.0));
/// ```
pub fn student_metrics_each(
    records: &[StudentRecord],
    cycle_of: impl Fn(UnitId) -> Option<DegreeCycle>,
    thresholds: &TransferThresholds,
    mut out: impl FnMut(UnitId, Year, &'static str, f64),
) {
    // Accumulators in a vector, found through an index; records come grouped
    // by organisation and programme, so the last slot of each is remembered
    // and most rows need no hash lookup at all.
    let mut accs: Vec<(AccKey, StudentAcc)> = Vec::new();
    let mut index: FxHashMap<AccKey, usize> = FxHashMap::default();
    let (mut last_org, mut last_unit) = (None, None);
    let mut cycle = None;
    for r in records {
        let org_unit = UnitId(r.org.0);
        let c = match cycle {
            Some((u, c)) if u == r.unit => c,
            _ => {
                let c = cycle_of(r.unit);
                cycle = Some((r.unit, c));
                c
            }
        };
        let threshold = thresholds.threshold(c, r.course);
        acc_slot(&mut accs, &mut index, &mut last_org, (org_unit, r.year)).add(r, threshold);
        if r.unit != org_unit {
            acc_slot(&mut accs, &mut index, &mut last_unit, (r.unit, r.year)).add(r, threshold);
        }
    }
    accs.sort_unstable_by_key(|(k, _)| *k);
    for ((unit, year), a) in &accs {
        a.emit(*unit, *year, &mut out);
    }
}

/// Key of a student accumulator: unit and year.
type AccKey = (UnitId, Year);

/// The accumulator of `key`, added when new; `last` remembers the previous
/// key's slot so a run of rows of one unit and year costs one comparison.
fn acc_slot<'a>(
    accs: &'a mut Vec<(AccKey, StudentAcc)>,
    index: &mut FxHashMap<AccKey, usize>,
    last: &mut Option<(AccKey, usize)>,
    key: AccKey,
) -> &'a mut StudentAcc {
    let i = match *last {
        Some((k, i)) if k == key => i,
        _ => {
            let i = *index.entry(key).or_insert_with(|| {
                accs.push((key, StudentAcc::default()));
                accs.len() - 1
            });
            *last = Some((key, i));
            i
        }
    };
    &mut accs[i].1
}

/// Each student's GPA per year from term results: Σ(credits × points) /
/// Σ credits over all the year's terms (FX and F included).
///
/// ```
/// use kpi_model::metrics::yearly_gpa;
/// use kpi_model::{TermResult, OrgIdx};
/// let term = |term: u8, credits: f64, weighted: f64| TermResult {
///     student: 7, org: OrgIdx(0), year: 2023, term, credits, weighted_points: weighted,
///     failed_courses: 0, courses: 2, credits_passed: credits,
/// };
/// // Term 1: 10 credits, 30 weighted points; term 2: 5 credits, 5 points → 35 / 15.
/// let gpa = yearly_gpa(&[term(1, 10.0, 30.0), term(2, 5.0, 5.0)]);
/// assert!((gpa[&(7, 2023)] - 35.0 / 15.0).abs() < 1e-12);
/// ```
pub fn yearly_gpa(terms: &[TermResult]) -> HashMap<(u32, Year), f64> {
    let mut sums: HashMap<(u32, Year), (f64, f64)> = HashMap::new();
    for t in terms {
        let e = sums.entry((t.student, t.year)).or_default();
        e.0 += t.weighted_points;
        e.1 += t.credits;
    }
    sums.into_iter()
        .filter(|(_, (_, c))| *c > 0.0)
        .map(|(k, (w, c))| (k, w / c))
        .collect()
}

/// Survey answers of one unit, year and survey kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SurveyTally {
    /// Answers with a score.
    pub answers: u64,
    /// Answers scoring 4 or 5.
    pub satisfied: u64,
    /// Sum of the scores.
    pub score_sum: f64,
}

impl SurveyTally {
    /// Adds one answer on the 1–5 scale.
    pub fn add(&mut self, score: f64) {
        self.answers += 1;
        self.satisfied += u64::from(score >= 4.0);
        self.score_sum += score;
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &SurveyTally) {
        self.answers += other.answers;
        self.satisfied += other.satisfied;
        self.score_sum += other.score_sum;
    }
}

/// The survey metrics of a tally for survey kind `kind`: `answers_<kind>`,
/// `satisfied_<kind>`, and — with at least one answer — `satisfaction_<kind>`
/// (share 0–1 of answers ≥ 4) and `score_<kind>` (mean score).
///
/// ```
/// use kpi_model::metrics::{survey_metrics, SurveyTally};
/// use kpi_model::UnitId;
/// let mut t = SurveyTally::default();
/// for s in [5.0, 4.0, 2.0, 3.0] { t.add(s); }
/// let out = survey_metrics(UnitId(0), 2023, "parents", &t);
/// let get = |m: &str| out.iter().find(|d| d.metric == m).unwrap().value;
/// assert_eq!(get("satisfaction_parents"), 0.5); // 2 of 4 answers are ≥ 4
/// assert_eq!(get("score_parents"), 3.5);        // (5 + 4 + 2 + 3) / 4
/// assert_eq!(get("answers_parents"), 4.0);
/// assert_eq!(get("satisfied_parents"), 2.0);
/// ```
pub fn survey_metrics(
    unit: UnitId,
    year: Year,
    kind: &str,
    tally: &SurveyTally,
) -> Vec<DerivedValue> {
    let mut out = Vec::with_capacity(4);
    let mut put = |metric: String, value: f64| {
        let metric = Cow::Owned(metric);
        out.push(DerivedValue {
            unit,
            year,
            metric,
            value,
        })
    };
    put(format!("answers_{kind}"), tally.answers as f64);
    put(format!("satisfied_{kind}"), tally.satisfied as f64);
    if tally.answers > 0 {
        put(
            format!("satisfaction_{kind}"),
            tally.satisfied as f64 / tally.answers as f64,
        );
        put(
            format!("score_{kind}"),
            tally.score_sum / tally.answers as f64,
        );
    }
    out
}

/// The organisation unit of an organisation (units `0..n_orgs` are organisations).
pub fn org_unit(org: OrgIdx) -> UnitId {
    UnitId(org.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(unit: u32, course: u8, status: StudentStatus, gpa: Option<f64>) -> StudentRecord {
        StudentRecord {
            student: 0,
            org: OrgIdx(0),
            unit: UnitId(unit),
            year: 2023,
            course,
            status,
            gpa,
            credits_earned: None,
            funding: None,
            employed: None,
            further_study: None,
        }
    }

    fn get(out: &[DerivedValue], unit: u32, m: &str) -> Option<f64> {
        out.iter()
            .find(|d| d.unit == UnitId(unit) && d.metric == m)
            .map(|d| d.value)
    }

    #[test]
    fn statuses_and_destinations() {
        let mut g1 = rec(2, 4, StudentStatus::Graduated, Some(3.0));
        g1.employed = Some(true);
        g1.further_study = Some(false);
        let mut g2 = rec(2, 4, StudentStatus::Graduated, None);
        g2.employed = Some(false);
        let g3 = rec(2, 4, StudentStatus::Graduated, None); // destination unknown
        let records = vec![
            g1,
            g2,
            g3,
            rec(2, 2, StudentStatus::Expelled, Some(0.5)),
            rec(2, 2, StudentStatus::TransferredOut, Some(3.0)),
            rec(2, 2, StudentStatus::Repeating, Some(1.5)),
            rec(2, 2, StudentStatus::AcademicLeave, None),
            rec(1, 3, StudentStatus::Enrolled, Some(1.9)),
        ];
        let cycle = |u: UnitId| match u.0 {
            1 | 2 => Some(DegreeCycle::Bachelor),
            _ => None,
        };
        let out = student_metrics(&records, cycle, &TransferThresholds::default());
        // Unit 2: on roll = repeating + academic leave = 2; graduates 3, employed 1 of 2 known,
        // further study 0 of 1 known; expelled 1; repeaters 1.
        assert_eq!(get(&out, 2, "students_enrolled"), Some(2.0));
        assert_eq!(get(&out, 2, "graduates"), Some(3.0));
        assert_eq!(get(&out, 2, "graduates_employed"), Some(1.0));
        assert_eq!(get(&out, 2, "graduates_further_study"), Some(0.0));
        assert_eq!(get(&out, 2, "expelled"), Some(1.0));
        assert_eq!(get(&out, 2, "repeaters"), Some(1.0));
        // GPA: only the repeating student (1.5) is on roll with a GPA; course 2 threshold 1.67.
        assert_eq!(get(&out, 2, "gpa_mean"), Some(1.5));
        assert_eq!(get(&out, 2, "gpa_below_threshold"), Some(1.0));
        // Unit 1: one course-3 student at 1.9 < 2.00.
        assert_eq!(get(&out, 1, "gpa_below_threshold"), Some(1.0));
        // Organisation: enrolled 2 + 1 = 3; GPA mean (1.5 + 1.9) / 2 = 1.7.
        assert_eq!(get(&out, 0, "students_enrolled"), Some(3.0));
        assert!((get(&out, 0, "gpa_mean").unwrap() - 1.7).abs() < 1e-12);
        // The organisation unit has no cycle of its own, but each record carries
        // its programme's threshold: 2 students below.
        assert_eq!(get(&out, 0, "gpa_below_threshold"), Some(2.0));
    }

    #[test]
    fn final_year_has_no_threshold() {
        let out = student_metrics(
            &[rec(1, 4, StudentStatus::Enrolled, Some(0.9))],
            |_| Some(DegreeCycle::Bachelor),
            &TransferThresholds::default(),
        );
        assert_eq!(get(&out, 1, "gpa_mean"), Some(0.9));
        assert_eq!(get(&out, 1, "gpa_below_threshold"), None);
        assert_eq!(get(&out, 1, "graduates_employed"), None);
    }
}
