//! The data-quality report (docs/data.md, "Validation"): completeness per metric
//! and year, outliers across peers and against an organisation's own
//! history (robust z-score above 3.5, size- and growth-aware; docs/methods.md), and the rejected rows as files a
//! user can fix and re-load.

use kpi_model::metrics::MetricKind;
use kpi_model::validate::ValidationReport;
use kpi_model::{ColumnKey, Dataset, Level, OrgIdx, UnitId, Year};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The modified z-score threshold above which a value is an outlier
/// (Iglewicz and Hoaglin).
pub const OUTLIER_Z: f64 = 3.5;

/// Modified z-scores `0.6745 · (x − median) / MAD`, where MAD is the median
/// absolute deviation. `None` (not computable) with fewer than three values
/// or when MAD is 0 (half the values or more are equal).
///
/// ```
/// use kpi_import::quality::modified_z_scores;
/// // median 3; deviations 2, 1, 0, 1, 97 → MAD 1; z(100) = 0.6745 · 97 = 65.4265.
/// let z = modified_z_scores(&[1.0, 2.0, 3.0, 4.0, 100.0]).unwrap();
/// assert!((z[4] - 65.4265).abs() < 1e-9);
/// assert!((z[0] + 1.349).abs() < 1e-9);
/// assert!(modified_z_scores(&[5.0, 5.0, 5.0, 9.0]).is_none());
/// ```
pub fn modified_z_scores(values: &[f64]) -> Option<Vec<f64>> {
    let (median, mad) = median_mad(values)?;
    Some(values.iter().map(|x| 0.6745 * (x - median) / mad).collect())
}

/// Median and MAD; `None` with fewer than 3 values or MAD 0.
fn median_mad(values: &[f64]) -> Option<(f64, f64)> {
    kpi_stats::order::median_mad(values, 3).filter(|&(_, mad)| mad > 0.0)
}

/// Completeness of one metric for one level in one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Completeness {
    /// Metric code.
    pub metric: String,
    /// Level of the organisations counted.
    pub level: Level,
    /// Academic year.
    pub year: Year,
    /// Organisations of the level with a value.
    pub present: usize,
    /// Organisations of the level (the metric is expected of every one of
    /// them once any organisation of the level reports it in any year).
    pub expected: usize,
}

impl Completeness {
    /// `present / expected` (0–1); `None` without organisations.
    pub fn share(&self) -> Option<f64> {
        (self.expected > 0).then(|| self.present as f64 / self.expected as f64)
    }
}

/// What an outlier was compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutlierBasis {
    /// Organisations of the same level in the same year.
    Peers,
    /// The organisation's own previous year: its change compared with the
    /// changes of the organisations of the same level in the same year.
    History,
}

/// The quantity that was compared (docs/data.md, "Outliers").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutlierMeasure {
    /// The value itself (shares, percentages, scores) across peers.
    Value,
    /// `ln((x + 5) / students_enrolled)`: a count or amount per student, on a
    /// log scale, across peers.
    LogPerStudent,
    /// `ln((x + 5) / (whole + 5))`: a part (`exam_passed`) relative to its
    /// whole (`exam_takers`, the metric's `part_of`), across peers.
    LogPerWhole,
    /// `ln(x + 5)`: a count or amount without a roll to divide by
    /// (`students_enrolled` itself), across peers.
    LogValue,
    /// The year-on-year difference `x − x_prev` (shares, percentages, scores).
    Change,
    /// The year-on-year log change `ln(x + 5) − ln(x_prev + 5)` (counts and amounts).
    LogChange,
}

/// A value whose measure has a robust z-score above [`OUTLIER_Z`] among the
/// peers' (and, for counts and amounts, lies at least a factor
/// [`MIN_FACTOR`] from the typical one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outlier {
    /// `org_id`.
    pub org_id: String,
    /// Metric code.
    pub metric: String,
    /// Academic year.
    pub year: Year,
    /// The value as loaded.
    pub value: f64,
    /// The typical value it was compared with, in the metric's unit: across
    /// peers, the value at the peers' median measure; against history, the
    /// earlier value moved by the peers' median change.
    pub median: f64,
    /// The modified z-score of its measure.
    pub z: f64,
    /// Peers or own history.
    pub against: OutlierBasis,
    /// The quantity compared.
    pub measure: OutlierMeasure,
}

/// The data-quality report of a dataset (organisation units, bare metrics).
///
/// ```
/// use kpi_import::{load, LoadOptions, Source};
/// use kpi_import::quality::{QualityReport, OutlierBasis};
/// let mut orgs = String::from("org_id,name,level,region\n");
/// let mut obs = String::from("org_id,year,capacity\n");
/// // Six schools with capacities 100, 110, 120, 130, 140 and 900 (no roll to divide by,
/// // so capacity is compared on a log scale).
/// for (i, c) in [100, 110, 120, 130, 140, 900].iter().enumerate() {
///     orgs.push_str(&format!("S{i},School {i},school,Abai\n"));
///     obs.push_str(&format!("S{i},2023,{c}\n"));
/// }
/// let ds = load(vec![
///     Source { name: "organisations.csv".into(), bytes: orgs.into_bytes() },
///     Source { name: "observations.csv".into(), bytes: obs.into_bytes() },
/// ], &LoadOptions::default());
/// let q = QualityReport::of(&ds);
/// // ln(x + 5): median (ln 125 + ln 135) / 2 = 4.86679, MAD of the logs 0.115901;
/// // z(900) = (ln 905 − 4.86679) / (1.4826 · 0.115901) = 11.30 > 3.5, and 900 is more
/// // than 3 × the typical 124.9.
/// assert_eq!(q.outliers.len(), 1);
/// assert!((q.outliers[0].z - 11.2966).abs() < 1e-4);
/// assert_eq!((q.outliers[0].org_id.as_str(), q.outliers[0].against), ("S5", OutlierBasis::Peers));
/// assert_eq!(q.completeness[0].share(), Some(1.0));
/// assert_eq!(q.values_checked, 6);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QualityReport {
    /// Per metric, level and year.
    pub completeness: Vec<Completeness>,
    /// Outliers across peers and against own history.
    pub outliers: Vec<Outlier>,
    /// Values of organisations looked at (bare metrics), the denominator of
    /// the share of values flagged.
    #[serde(default)]
    pub values_checked: usize,
}

/// The least factor between a count or amount and its typical value for an
/// outlier: a value within a factor 3 of what its peers (or its own growth)
/// suggest is never flagged, however tight the peers are. Per-student
/// spending of small rural schools is legitimately twice the typical; the
/// data-entry slips the check is for (units for thousands, an extra or a
/// missing digit) are factors of 10 or more.
pub const MIN_FACTOR: f64 = 3.0;

/// The offset of the log scale, `ln(x + 5)`: keeps zero counts finite, and a
/// handful of persons more or fewer in a small unit (2 → 5 exam takers) is not
/// a factor of 2.5 but of (5 + 5) / (2 + 5) ≈ 1.4. Negligible for amounts.
const LOG_OFFSET: f64 = 5.0;

/// Whether a metric kind is a size (a count or an amount), compared on a log
/// scale and per student.
fn is_size(kind: MetricKind) -> bool {
    matches!(kind, MetricKind::Count | MetricKind::Amount)
}

/// The median and robust standard deviation of a measure across peers
/// (`1.4826 × MAD`, or `1.253314 × MeanAD` when more than half the peers
/// share one value, e.g. an unchanged staff); at least three values.
fn spread(xs: &[f64]) -> Option<(f64, f64)> {
    kpi_stats::robust_median_sd(xs, 3)
}

/// Whether a measure `x` is an outlier against `(median, robust sd)`; its z.
fn judge(x: f64, (median, sd): (f64, f64), size: bool) -> (bool, f64) {
    let z = (x - median) / sd;
    // For sizes the measure is a log: also require a factor of MIN_FACTOR.
    let far = !size || (x - median).abs() >= MIN_FACTOR.ln();
    (z.abs() > OUTLIER_Z && far, z)
}

impl QualityReport {
    /// Computes the report.
    ///
    /// **Across peers** (organisations of the same level and year): shares,
    /// percentages and scores by value; counts and amounts per student on a
    /// log scale, `ln((x + ½) / students_enrolled)` (`ln(x + ½)` for the roll
    /// itself or without a roll). **Against history**: the change from the
    /// organisation's previous value (difference; log change for counts and
    /// amounts), compared with the changes of the organisations of the level
    /// from the previous year to this one, so that normal growth shared by
    /// everyone is not an outlier. After a flagged value, the next one is
    /// flagged only when it is also an outlier against the last unflagged
    /// value (a one-year slip flags one year, not two). An outlier has a
    /// modified z-score above [`OUTLIER_Z`]; for counts and amounts it also
    /// lies a factor [`MIN_FACTOR`] or more from the typical value.
    pub fn of(ds: &Dataset) -> QualityReport {
        // Flags (0/1) get completeness only: they have no outliers.
        let mut report = QualityReport::default();
        let store = ds.store();
        let span = store.span();
        let years: Vec<Year> = span.iter().collect();
        let mut orgs_of_level: BTreeMap<Level, Vec<OrgIdx>> = BTreeMap::new();
        for (i, o) in ds.organisations().iter().enumerate() {
            orgs_of_level
                .entry(o.level)
                .or_default()
                .push(OrgIdx(i as u32));
        }
        let mut columns: Vec<_> = store
            .columns()
            .filter(|(_, k)| k.breakdown.is_none())
            .collect();
        columns.sort_by(|a, b| {
            ds.metrics()
                .code(a.1.metric)
                .cmp(ds.metrics().code(b.1.metric))
        });
        let roll = columns
            .iter()
            .find(|(_, k)| ds.metrics().code(k.metric) == "students_enrolled")
            .map(|&(c, _)| c);
        for &(col, ColumnKey { metric, .. }) in &columns {
            let code = ds.metrics().code(metric).to_string();
            let kind = ds.metrics().def(metric).kind;
            let size = is_size(kind);
            let per_student = size && Some(col) != roll;
            // A part is measured against its whole (the first `part_of` loaded).
            let whole = ds
                .metrics()
                .def(metric)
                .part_of
                .iter()
                .find_map(|w| {
                    columns
                        .iter()
                        .find(|(_, k)| ds.metrics().code(k.metric) == w.as_str())
                })
                .map(|&(c, _)| c);
            for (&level, orgs) in &orgs_of_level {
                let units: Vec<UnitId> = orgs.iter().map(|&o| ds.org_unit(o)).collect();
                let reported = units
                    .iter()
                    .any(|&u| years.iter().any(|&y| store.get(col, u, y).is_some()));
                if !reported {
                    continue;
                }
                // The peer measure of a unit's value.
                let measure = |u: UnitId, y: Year, v: f64| -> Option<(f64, OutlierMeasure)> {
                    if !v.is_finite() {
                        return None;
                    }
                    if !size {
                        return Some((v, OutlierMeasure::Value));
                    }
                    if v < 0.0 {
                        return None; // reported by validation as a negative count
                    }
                    if let Some(w) = whole
                        .and_then(|w| store.get(w, u, y))
                        .filter(|w| w.is_finite() && *w >= 0.0)
                    {
                        let x = ((v + LOG_OFFSET) / (w + LOG_OFFSET)).ln();
                        return Some((x, OutlierMeasure::LogPerWhole));
                    }
                    let n = if per_student {
                        roll.and_then(|r| store.get(r, u, y)).filter(|n| *n > 0.0)
                    } else {
                        None
                    };
                    Some(match n {
                        Some(n) => (((v + LOG_OFFSET) / n).ln(), OutlierMeasure::LogPerStudent),
                        None => ((v + LOG_OFFSET).ln(), OutlierMeasure::LogValue),
                    })
                };
                // The history measure (before differencing).
                let level_of = |v: f64| -> Option<f64> {
                    if !v.is_finite() || (size && v < 0.0) {
                        None
                    } else if size {
                        Some((v + LOG_OFFSET).ln())
                    } else {
                        Some(v)
                    }
                };
                let back = |x: f64| if size { x.exp() - LOG_OFFSET } else { x };
                for &year in &years {
                    let values: Vec<(UnitId, f64)> = units
                        .iter()
                        .filter_map(|&u| store.get(col, u, year).map(|v| (u, v)))
                        .collect();
                    report.values_checked += values.len();
                    report.completeness.push(Completeness {
                        metric: code.clone(),
                        level,
                        year,
                        present: values.len(),
                        expected: units.len(),
                    });
                    if kind == MetricKind::Flag {
                        continue;
                    }
                    // Per-student and whole-value measures are judged in separate groups.
                    for group in [
                        OutlierMeasure::Value,
                        OutlierMeasure::LogPerWhole,
                        OutlierMeasure::LogPerStudent,
                        OutlierMeasure::LogValue,
                    ] {
                        let measured: Vec<(UnitId, f64, f64)> = values
                            .iter()
                            .filter_map(|&(u, v)| {
                                measure(u, year, v)
                                    .filter(|m| m.1 == group)
                                    .map(|m| (u, v, m.0))
                            })
                            .collect();
                        let xs: Vec<f64> = measured.iter().map(|m| m.2).collect();
                        let Some(sc) = spread(&xs) else { continue };
                        for &(u, v, x) in &measured {
                            let (flag, z) = judge(x, sc, size);
                            if flag {
                                // The typical value in the metric's unit.
                                let typical = match group {
                                    OutlierMeasure::LogPerStudent => roll
                                        .and_then(|r| store.get(r, u, year))
                                        .map_or(f64::NAN, |n| sc.0.exp() * n - LOG_OFFSET),
                                    OutlierMeasure::LogPerWhole => whole
                                        .and_then(|w| store.get(w, u, year))
                                        .map_or(f64::NAN, |w| {
                                            sc.0.exp() * (w + LOG_OFFSET) - LOG_OFFSET
                                        }),
                                    OutlierMeasure::LogValue => sc.0.exp() - LOG_OFFSET,
                                    _ => sc.0,
                                };
                                report.outliers.push(outlier(
                                    ds,
                                    u,
                                    &code,
                                    year,
                                    v,
                                    typical,
                                    z,
                                    OutlierBasis::Peers,
                                    group,
                                ));
                            }
                        }
                    }
                }
                if kind == MetricKind::Flag {
                    continue;
                }
                // Against history: the peers' changes from the previous year, per year.
                let change_scale: Vec<Option<(f64, f64)>> = years
                    .iter()
                    .map(|&y| {
                        let changes: Vec<f64> = units
                            .iter()
                            .filter_map(|&u| {
                                let now = level_of(store.get(col, u, y)?)?;
                                let before = level_of(store.get(col, u, y - 1)?)?;
                                Some(now - before)
                            })
                            .collect();
                        spread(&changes)
                    })
                    .collect();
                let change_measure = if size {
                    OutlierMeasure::LogChange
                } else {
                    OutlierMeasure::Change
                };
                for &u in &units {
                    // (previous level, last unflagged level, whether the previous was flagged)
                    let mut prev: Option<(f64, f64, bool)> = None;
                    for (yi, &year) in years.iter().enumerate() {
                        let Some(v) = store.get(col, u, year) else {
                            continue;
                        };
                        let Some(x) = level_of(v) else { continue };
                        let mut flagged = false;
                        if let (Some((p, good, p_flagged)), Some(sc)) =
                            (prev, change_scale.get(yi).copied().flatten())
                        {
                            let (out_prev, z) = judge(x - p, sc, size);
                            let out_good = !p_flagged || judge(x - good, sc, size).0;
                            if out_prev && out_good {
                                flagged = true;
                                let base = if p_flagged { good } else { p };
                                report.outliers.push(outlier(
                                    ds,
                                    u,
                                    &code,
                                    year,
                                    v,
                                    back(base + sc.0),
                                    z,
                                    OutlierBasis::History,
                                    change_measure,
                                ));
                            }
                        }
                        let good = match prev {
                            Some((_, good, _)) if flagged => good,
                            _ => x,
                        };
                        prev = Some((x, good, flagged));
                    }
                }
            }
        }
        report
    }

    /// The share of the values checked that were flagged (an organisation's
    /// value flagged both across peers and against history counts once);
    /// `None` without values.
    ///
    /// ```
    /// use kpi_import::quality::QualityReport;
    /// assert_eq!(QualityReport::default().flagged_share(), None);
    /// ```
    pub fn flagged_share(&self) -> Option<f64> {
        let distinct: std::collections::BTreeSet<(&str, &str, Year)> = self
            .outliers
            .iter()
            .map(|o| (o.org_id.as_str(), o.metric.as_str(), o.year))
            .collect();
        (self.values_checked > 0).then(|| distinct.len() as f64 / self.values_checked as f64)
    }

    /// `metric,level,year,present,expected,share` (share 0–1, empty when not computable).
    pub fn completeness_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["metric", "level", "year", "present", "expected", "share"]);
        for c in &self.completeness {
            let _ = w.write_record([
                c.metric.clone(),
                c.level.code().to_string(),
                c.year.to_string(),
                c.present.to_string(),
                c.expected.to_string(),
                c.share().map_or_else(String::new, |s| format!("{s:.4}")),
            ]);
        }
        into_string(w)
    }

    /// `org_id,metric,year,value,typical,modified_z,against,measure`: the
    /// value as loaded (shortest round trip), the typical value rounded to
    /// four decimals and the z-score to two, for reading; the JSON of the
    /// report keeps full precision.
    pub fn outliers_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([
            "org_id",
            "metric",
            "year",
            "value",
            "typical",
            "modified_z",
            "against",
            "measure",
        ]);
        for o in &self.outliers {
            let _ = w.write_record([
                o.org_id.clone(),
                o.metric.clone(),
                o.year.to_string(),
                o.value.to_string(),
                display_decimal(o.median, 4),
                display_decimal(o.z, 2),
                match o.against {
                    OutlierBasis::Peers => "peers".to_string(),
                    OutlierBasis::History => "history".to_string(),
                },
                match o.measure {
                    OutlierMeasure::Value => "value",
                    OutlierMeasure::LogPerStudent => "log_per_student",
                    OutlierMeasure::LogPerWhole => "log_per_whole",
                    OutlierMeasure::LogValue => "log_value",
                    OutlierMeasure::Change => "change",
                    OutlierMeasure::LogChange => "log_change",
                }
                .to_string(),
            ]);
        }
        into_string(w)
    }
}

/// A number for reading: at most `decimals` decimals, trailing zeros dropped
/// (`57.650000000000006` → `57.65`); empty when not finite.
///
/// ```
/// use kpi_import::quality::display_decimal;
/// assert_eq!(display_decimal(57.650000000000006, 4), "57.65");
/// assert_eq!(display_decimal(46.099999999999994, 4), "46.1");
/// assert_eq!(display_decimal(-0.00001, 4), "0");
/// assert_eq!(display_decimal(f64::NAN, 4), "");
/// ```
pub fn display_decimal(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s.as_str()
    };
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[allow(clippy::too_many_arguments)]
fn outlier(
    ds: &Dataset,
    u: UnitId,
    metric: &str,
    year: Year,
    value: f64,
    median: f64,
    z: f64,
    against: OutlierBasis,
    measure: OutlierMeasure,
) -> Outlier {
    Outlier {
        org_id: ds.org(ds.unit(u).org).id.clone(),
        metric: metric.to_string(),
        year,
        value,
        median,
        z,
        against,
        measure,
    }
}

fn into_string(w: csv::Writer<Vec<u8>>) -> String {
    w.into_inner()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// The rejected rows of each table as CSV files named `rejected_<file>[_<sheet>].csv`:
/// the table's own header plus a `reason` column, so the rows can be fixed
/// and loaded again.
///
/// ```
/// use kpi_import::{load, LoadOptions, Source};
/// let ds = load(vec![
///     Source { name: "organisations.csv".into(), bytes: b"org_id,name,level,region\nS1,A,school,X\nS2,B,castle,X\n".to_vec() },
/// ], &LoadOptions::default());
/// let files = kpi_import::quality::rejected_rows_csv(ds.report());
/// assert_eq!(files[0].0, "rejected_organisations.csv");
/// assert_eq!(files[0].1, "org_id,name,level,region,reason\nS2,B,castle,X,level: unknown level `castle`\n");
/// ```
pub fn rejected_rows_csv(report: &ValidationReport) -> Vec<(String, String)> {
    let mut by_table: BTreeMap<u32, Vec<&kpi_model::validate::RejectedRow>> = BTreeMap::new();
    for r in &report.rejected_rows {
        by_table.entry(r.table).or_default().push(r);
    }
    let mut out = Vec::new();
    for (table, rows) in by_table {
        let Some(t) = report.tables.iter().find(|t| t.index == table) else {
            continue;
        };
        let base = t.file.rsplit(['/', '\\']).next().unwrap_or(&t.file);
        let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
        let mut name = format!("rejected_{stem}");
        if let Some(sheet) = &t.sheet {
            name.push('_');
            name.push_str(sheet);
        }
        let name: String = name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        let mut header = t.headers.clone();
        header.push("reason".into());
        let _ = w.write_record(&header);
        for r in rows {
            let mut fields = r.fields.clone();
            fields.resize(t.headers.len(), String::new());
            fields.push(r.reason.clone());
            let _ = w.write_record(&fields);
        }
        out.push((format!("{name}.csv"), into_string(w)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_csv(orgs: &str, obs: &str) -> Dataset {
        use crate::{load, LoadOptions, Source};
        load(
            vec![
                Source {
                    name: "organisations.csv".into(),
                    bytes: orgs.as_bytes().to_vec(),
                },
                Source {
                    name: "observations.csv".into(),
                    bytes: obs.as_bytes().to_vec(),
                },
            ],
            &LoadOptions::default(),
        )
    }

    #[test]
    fn history_is_judged_by_change_against_the_peers_changes() {
        // Four schools; capacity grows 10 % a year everywhere (normal growth, never an
        // outlier as a level would be), and S1 types 10× its 2023 value once.
        // Log changes ln(x + 5) 2022 → 2023: S2 ln(126/115) = 0.091350,
        // S3 ln(225/205) = 0.093090, S4 ln(335/305) = 0.093819; S1 ln(1215/115) = 2.357567.
        // Median (0.093090 + 0.093819) / 2 = 0.093455; absolute deviations 2.264113,
        // 0.002105, 0.000364, 0.000364 → MAD (0.000364 + 0.002105) / 2 = 0.0012345;
        // z(S1) = 2.264113 / (1.4826 · 0.0012345) = 1237.05 (Python), and a factor
        // 1215 / 115 > 3. 2024 back to 121 is not flagged: against the last unflagged
        // value (110, 2022) it is normal growth.
        let orgs = "org_id,name,level,region\nS1,A,school,X\nS2,B,school,X\nS3,C,school,X\nS4,D,school,X\n";
        let obs = "org_id,year,capacity\n\
            S1,2021,100\nS1,2022,110\nS1,2023,1210\nS1,2024,133\n\
            S2,2021,100\nS2,2022,110\nS2,2023,121\nS2,2024,133\n\
            S3,2021,182\nS3,2022,200\nS3,2023,220\nS3,2024,242\n\
            S4,2021,273\nS4,2022,300\nS4,2023,330\nS4,2024,363\n";
        let q = QualityReport::of(&load_csv(orgs, obs));
        let hist: Vec<&Outlier> = q
            .outliers
            .iter()
            .filter(|o| o.against == OutlierBasis::History)
            .collect();
        assert_eq!(hist.len(), 1, "{:?}", q.outliers);
        let o = hist[0];
        assert_eq!((o.org_id.as_str(), o.year), ("S1", 2023));
        assert_eq!(o.measure, OutlierMeasure::LogChange);
        let l = |x: f64| (x + 5.0).ln();
        let (c2, c3, c4, c1) = (
            l(121.0) - l(110.0),
            l(220.0) - l(200.0),
            l(330.0) - l(300.0),
            l(1210.0) - l(110.0),
        );
        let med = (c3 + c4) / 2.0;
        let mut dev = [
            (c1 - med).abs(),
            (c2 - med).abs(),
            (c3 - med).abs(),
            (c4 - med).abs(),
        ];
        dev.sort_by(f64::total_cmp);
        let mad = (dev[1] + dev[2]) / 2.0;
        let z = (c1 - med) / (1.4826 * mad);
        assert!((o.z - z).abs() < 1e-9 * z, "{} vs {z}", o.z);
        assert!((o.z - 1237.0494).abs() < 1e-3, "{}", o.z);
        // The typical value: 110 moved by the peers' median change.
        assert!((o.median - ((l(110.0) + med).exp() - 5.0)).abs() < 1e-9);
        assert_eq!(q.values_checked, 16);
        // Across peers, capacities within a factor 3 of each other are never outliers
        // (no roll to divide by: ln(x + 5)); only S1's 1210 in 2023 may be one.
        let peers: Vec<&Outlier> = q
            .outliers
            .iter()
            .filter(|o| o.against == OutlierBasis::Peers)
            .collect();
        assert!(
            peers.iter().all(|o| o.org_id == "S1" && o.year == 2023),
            "{peers:?}"
        );
    }

    #[test]
    fn a_mad_of_zero_falls_back_to_the_mean_absolute_deviation() {
        // Five schools; teachers unchanged 2022 → 2023 except S5 (20 → 200). Changes
        // 0, 0, 0, 0, ln(205/25) = 2.10413: MAD 0, MeanAD 2.10413 / 5 = 0.420826,
        // sd 1.253314 · 0.420826 = 0.527427; z = 2.10413 / 0.527427 = 3.98942 > 3.5.
        let mut orgs = String::from("org_id,name,level,region\n");
        let mut obs = String::from("org_id,year,teachers_total\n");
        for (i, (a, b)) in [(20, 20), (30, 30), (40, 40), (50, 50), (20, 200)]
            .into_iter()
            .enumerate()
        {
            orgs.push_str(&format!("S{i},N,school,X\n"));
            obs.push_str(&format!("S{i},2022,{a}\nS{i},2023,{b}\n"));
        }
        let q = QualityReport::of(&load_csv(&orgs, &obs));
        let h: Vec<&Outlier> = q
            .outliers
            .iter()
            .filter(|o| o.against == OutlierBasis::History)
            .collect();
        assert_eq!(h.len(), 1, "{:?}", q.outliers);
        assert_eq!(h[0].org_id, "S4");
        let c = (205.0f64 / 25.0).ln();
        let z = c / (1.253314 * c / 5.0);
        assert!((h[0].z - z).abs() < 1e-9, "{} vs {z}", h[0].z);
        assert!((z - 3.98942).abs() < 1e-4);
    }

    #[test]
    fn outliers_csv_rounds_for_reading_only() {
        let q = QualityReport {
            completeness: vec![],
            outliers: vec![Outlier {
                org_id: "S1".into(),
                metric: "achievement_score_mean".into(),
                year: 2021,
                value: 52.9,
                median: 57.650000000000006,
                z: -8.0123,
                against: OutlierBasis::History,
                measure: OutlierMeasure::Change,
            }],
            values_checked: 10,
        };
        assert_eq!(
            q.outliers_csv(),
            "org_id,metric,year,value,typical,modified_z,against,measure\n\
             S1,achievement_score_mean,2021,52.9,57.65,-8.01,history,change\n"
        );
        // JSON keeps every digit.
        let j = serde_json::to_string(&q).unwrap_or_default();
        assert!(j.contains("57.650000000000006"), "{j}");
        assert_eq!(q.flagged_share(), Some(0.1));
    }

    /// A tiny deterministic generator for choosing cells (SplitMix64).
    struct Mix(u64);
    impl Mix {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
    }

    /// On the small generated sample: few values flagged on clean data, and the
    /// data-entry slips planted into it (a factor 10 or 1000 either way on counts and
    /// amounts, the sample's own ×20 roll jump, a lost decimal point on scores, a
    /// percentage typed as a share) are found at their organisation, metric and year.
    #[test]
    fn planted_slips_are_caught_and_clean_data_stays_quiet() {
        use kpi_sample::{generate, SampleOptions, Scale};
        let sample =
            generate(&SampleOptions::new(17, Scale::Small)).unwrap_or_else(|e| panic!("{e}"));
        let text = |name: &str| {
            sample
                .file(name)
                .map(|f| f.text().into_owned())
                .unwrap_or_default()
        };
        let (orgs, obs) = (text("organisations.csv"), text("observations.csv"));
        let clean = QualityReport::of(&load_csv(&orgs, &obs));
        let share = clean.flagged_share().unwrap_or(1.0);
        assert!(clean.values_checked > 50_000, "{}", clean.values_checked);
        assert!(share <= 0.01, "{share} of clean values flagged");

        // Plant slips into organisation rows that have the previous year.
        let reg = kpi_model::metrics::MetricRegistry::builtin();
        let mut rdr = csv::Reader::from_reader(obs.as_bytes());
        let head: Vec<String> = rdr
            .headers()
            .map(|h| h.iter().map(String::from).collect())
            .unwrap_or_default();
        let mut rows: Vec<Vec<String>> = rdr
            .records()
            .filter_map(Result::ok)
            .map(|r| r.iter().map(String::from).collect())
            .collect();
        let col = |name: &str| head.iter().position(|h| h == name);
        let (c_org, c_year, c_prog) = (
            col("org_id").unwrap_or(0),
            col("year").unwrap_or(1),
            col("programme"),
        );
        let key = |r: &Vec<String>| (r[c_org].clone(), r[c_year].parse::<i32>().unwrap_or(0));
        let org_rows: std::collections::HashMap<(String, i32), usize> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| c_prog.is_none_or(|p| r[p].is_empty()))
            .map(|(i, r)| (key(r), i))
            .collect();
        let mut rng = Mix(17);
        let mut order: Vec<usize> = org_rows.values().copied().collect();
        order.sort_unstable();
        let mut planted: Vec<(String, String, i32)> = Vec::new();
        let mut tries = 0;
        while planted.len() < 150 && tries < 100_000 {
            tries += 1;
            let i = order[(rng.next() % order.len() as u64) as usize];
            let j = (rng.next() % head.len() as u64) as usize;
            let (org, year) = key(&rows[i]);
            let Some(&p) = org_rows.get(&(org.clone(), year - 1)) else {
                continue;
            };
            let Some(kind) = reg.id(&head[j]).map(|m| reg.def(m).kind) else {
                continue;
            };
            let (Ok(x), Ok(_)) = (rows[i][j].parse::<f64>(), rows[p][j].parse::<f64>()) else {
                continue;
            };
            if planted.iter().any(|(o, _, y)| *o == org && *y == year) {
                continue;
            }
            let new = match kind {
                MetricKind::Count | MetricKind::Amount if x >= 20.0 => {
                    let f = [10.0, 1000.0, 0.1, 0.001, 20.0][(rng.next() % 5) as usize];
                    let v = x * f;
                    if kind == MetricKind::Count {
                        v.round().to_string()
                    } else {
                        format!("{v:.2}")
                    }
                }
                MetricKind::Score if x > 0.0 => format!("{:.2}", x * 10.0),
                MetricKind::Percent if x > 1.0 => format!("{:.4}", x / 100.0),
                _ => continue,
            };
            rows[i][j] = new;
            planted.push((org, head[j].clone(), year));
        }
        assert_eq!(planted.len(), 150);
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(&head);
        for r in &rows {
            let _ = w.write_record(r);
        }
        let bad = into_string(w);
        let q = QualityReport::of(&load_csv(&orgs, &bad));
        let caught = planted
            .iter()
            .filter(|(o, m, y)| {
                q.outliers
                    .iter()
                    .any(|x| &x.org_id == o && &x.metric == m && x.year == *y)
            })
            .count();
        eprintln!(
            "clean: {} of {} values flagged ({share}); planted: caught {caught} of {}",
            (share * clean.values_checked as f64).round(),
            clean.values_checked,
            planted.len()
        );
        assert!(
            caught * 100 >= 95 * planted.len(),
            "caught {caught} of {}",
            planted.len()
        );
        // Most slips are caught by both checks; each check alone misses more.
        let by = |b: OutlierBasis| {
            planted
                .iter()
                .filter(|(o, m, y)| {
                    q.outliers
                        .iter()
                        .any(|x| &x.org_id == o && &x.metric == m && x.year == *y && x.against == b)
                })
                .count()
        };
        assert!(
            by(OutlierBasis::History) < planted.len() || by(OutlierBasis::Peers) < planted.len()
        );
    }
}
