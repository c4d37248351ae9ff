//! The data-quality report (docs/data.md, "Validation"): completeness per metric
//! and year, outliers across peers and against an organisation's own
//! history (modified z-score above 3.5), and the rejected rows as files a
//! user can fix and re-load.

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
    /// The organisation's own earlier years (at least three).
    History,
}

/// A value with a modified z-score above [`OUTLIER_Z`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outlier {
    /// `org_id`.
    pub org_id: String,
    /// Metric code.
    pub metric: String,
    /// Academic year.
    pub year: Year,
    /// The value.
    pub value: f64,
    /// The median it was compared with.
    pub median: f64,
    /// Its modified z-score.
    pub z: f64,
    /// Peers or own history.
    pub against: OutlierBasis,
}

/// The data-quality report of a dataset (organisation units, bare metrics).
///
/// ```
/// use kpi_import::{load, LoadOptions, Source};
/// use kpi_import::quality::{QualityReport, OutlierBasis};
/// let mut orgs = String::from("org_id,name,level,region\n");
/// let mut obs = String::from("org_id,year,capacity\n");
/// // Six schools with capacities 100, 110, 120, 130, 140 and 900.
/// for (i, c) in [100, 110, 120, 130, 140, 900].iter().enumerate() {
///     orgs.push_str(&format!("S{i},School {i},school,Abai\n"));
///     obs.push_str(&format!("S{i},2023,{c}\n"));
/// }
/// let ds = load(vec![
///     Source { name: "organisations.csv".into(), bytes: orgs.into_bytes() },
///     Source { name: "observations.csv".into(), bytes: obs.into_bytes() },
/// ], &LoadOptions::default());
/// let q = QualityReport::of(&ds);
/// // median 125, MAD 15: z(900) = 0.6745 · 775 / 15 = 34.85 > 3.5.
/// assert_eq!(q.outliers.len(), 1);
/// assert_eq!((q.outliers[0].org_id.as_str(), q.outliers[0].against), ("S5", OutlierBasis::Peers));
/// assert_eq!(q.completeness[0].share(), Some(1.0));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QualityReport {
    /// Per metric, level and year.
    pub completeness: Vec<Completeness>,
    /// Outliers across peers and against own history.
    pub outliers: Vec<Outlier>,
}

impl QualityReport {
    /// Computes the report.
    pub fn of(ds: &Dataset) -> QualityReport {
        let mut report = QualityReport::default();
        let store = ds.store();
        let span = store.span();
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
        for (col, ColumnKey { metric, .. }) in columns {
            let code = ds.metrics().code(metric).to_string();
            for (&level, orgs) in &orgs_of_level {
                let units: Vec<UnitId> = orgs.iter().map(|&o| ds.org_unit(o)).collect();
                let reported = units
                    .iter()
                    .any(|&u| span.iter().any(|y| store.get(col, u, y).is_some()));
                if !reported {
                    continue;
                }
                for year in span.iter() {
                    let values: Vec<(UnitId, f64)> = units
                        .iter()
                        .filter_map(|&u| store.get(col, u, year).map(|v| (u, v)))
                        .collect();
                    report.completeness.push(Completeness {
                        metric: code.clone(),
                        level,
                        year,
                        present: values.len(),
                        expected: units.len(),
                    });
                    let raw: Vec<f64> = values.iter().map(|v| v.1).collect();
                    if let Some((median, mad)) = median_mad(&raw) {
                        for &(u, v) in &values {
                            let z = 0.6745 * (v - median) / mad;
                            if z.abs() > OUTLIER_Z {
                                report.outliers.push(outlier(
                                    ds,
                                    u,
                                    &code,
                                    year,
                                    v,
                                    median,
                                    z,
                                    OutlierBasis::Peers,
                                ));
                            }
                        }
                    }
                }
                // Against own history: each value against the unit's earlier years.
                for &u in &units {
                    let series: Vec<(Year, f64)> = span
                        .iter()
                        .filter_map(|y| store.get(col, u, y).map(|v| (y, v)))
                        .collect();
                    for i in 3..series.len() {
                        let earlier: Vec<f64> = series[..i].iter().map(|p| p.1).collect();
                        let (year, v) = series[i];
                        if let Some((median, mad)) = median_mad(&earlier) {
                            let z = 0.6745 * (v - median) / mad;
                            if z.abs() > OUTLIER_Z {
                                report.outliers.push(outlier(
                                    ds,
                                    u,
                                    &code,
                                    year,
                                    v,
                                    median,
                                    z,
                                    OutlierBasis::History,
                                ));
                            }
                        }
                    }
                }
            }
        }
        report
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

    /// `org_id,metric,year,value,median,modified_z,against`.
    pub fn outliers_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([
            "org_id",
            "metric",
            "year",
            "value",
            "median",
            "modified_z",
            "against",
        ]);
        for o in &self.outliers {
            let _ = w.write_record([
                o.org_id.clone(),
                o.metric.clone(),
                o.year.to_string(),
                o.value.to_string(),
                o.median.to_string(),
                format!("{:.2}", o.z),
                match o.against {
                    OutlierBasis::Peers => "peers".to_string(),
                    OutlierBasis::History => "history".to_string(),
                },
            ]);
        }
        into_string(w)
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
) -> Outlier {
    Outlier {
        org_id: ds.org(ds.unit(u).org).id.clone(),
        metric: metric.to_string(),
        year,
        value,
        median,
        z,
        against,
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

    #[test]
    fn history_outlier() {
        use crate::{load, LoadOptions, Source};
        // One school: capacity 100, 102, 98, 101 then 400 in 2024.
        // Earlier 100, 102, 98, 101: median 100.5, deviations 0.5, 1.5, 2.5, 0.5 → MAD 1.0;
        // z(400) = 0.6745 · 299.5 / 1.0 = 202.01. (101 against 100, 102, 98: median 100,
        // deviations 0, 2, 2 → MAD 2, z = 0.6745 · 1 / 2 = 0.34: not an outlier.)
        let orgs = "org_id,name,level,region\nS1,A,school,X\n";
        let obs = "org_id,year,capacity\nS1,2020,100\nS1,2021,102\nS1,2022,98\nS1,2023,101\nS1,2024,400\n";
        let ds = load(
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
        );
        let q = QualityReport::of(&ds);
        assert_eq!(q.outliers.len(), 1, "{:?}", q.outliers);
        let o = &q.outliers[0];
        assert_eq!((o.year, o.against), (2024, OutlierBasis::History));
        assert!((o.z - 202.01275).abs() < 1e-9, "{}", o.z);
        assert_eq!(o.median, 100.5);
        // One school, five years, every year present.
        assert_eq!(q.completeness.len(), 5);
        assert!(q.completeness.iter().all(|c| c.share() == Some(1.0)));
    }
}
