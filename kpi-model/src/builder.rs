//! Building a [`Dataset`] by hand, for tests, examples and benchmarks, without
//! the importer: organisations, programmes and values by their codes.

use super::{
    ColumnKey, Dataset, DatasetParts, Level, MetricStore, OrgIdx, Organisation, Programme,
    StudentTable, UnitId, Year, YearSpan,
};
use crate::metrics::MetricRegistry;
use crate::validate::{Issue, IssueCode, Location, Severity, ValidationReport};
use std::collections::HashMap;

struct PendingValue {
    org: String,
    programme: Option<String>,
    year: Year,
    metric: String,
    value: f64,
    warning: Option<Issue>,
}

struct PendingSeries {
    org: String,
    programme: Option<String>,
    metric: String,
    first_year: Year,
    values: Vec<f64>,
}

/// Builds a dataset from organisations, programmes and values named by code.
///
/// `metric` may carry a breakdown after a dot (`students_enrolled.female`);
/// bare totals are filled from breakdowns at [`build`](Self::build), as the
/// importer does. A value naming an unknown organisation or programme is not
/// stored; it becomes an error in the dataset's report (nothing panics).
///
/// ```
/// use kpi_model::{DatasetBuilder, Level};
/// let ds = DatasetBuilder::new(2022, 2023)
///     .org("U1", Level::University, "Astana")
///     .programme("U1", "6B01101")
///     .value("U1", None, 2022, "students_enrolled.female", 120.0)
///     .value("U1", None, 2022, "students_enrolled.male", 100.0)
///     .value("U1", Some("6B01101"), 2022, "graduates", 60.0)
///     .value("U9", None, 2022, "graduates", 1.0)
///     .build();
/// let u1 = ds.org_by_id("U1").unwrap();
/// assert_eq!(ds.value(ds.org_unit(u1), 2022, "students_enrolled"), Some(220.0)); // 120 + 100
/// let p = ds.programme_unit(u1, "6B01101").unwrap();
/// assert_eq!(ds.value(p, 2022, "graduates"), Some(60.0));
/// assert!(ds.report().has_errors()); // U9 is unknown
/// ```
pub struct DatasetBuilder {
    span: YearSpan,
    orgs: Vec<Organisation>,
    programmes: Vec<(String, String)>,
    values: Vec<PendingValue>,
    series: Vec<PendingSeries>,
    metrics: MetricRegistry,
}

impl DatasetBuilder {
    /// An empty dataset over `first..=last`, with the built-in metric dictionary.
    pub fn new(first: Year, last: Year) -> DatasetBuilder {
        DatasetBuilder {
            span: YearSpan::new(first, last),
            orgs: Vec::new(),
            programmes: Vec::new(),
            values: Vec::new(),
            series: Vec::new(),
            metrics: MetricRegistry::builtin(),
        }
    }

    /// Adds an organisation with just an id, level and region.
    pub fn org(self, id: &str, level: Level, region: &str) -> DatasetBuilder {
        self.organisation(Organisation {
            id: id.to_string(),
            name: id.to_string(),
            name_kk: None,
            name_ru: None,
            name_en: None,
            level,
            region: region.to_string(),
            ownership: None,
            locality: None,
        })
    }

    /// Adds an organisation.
    pub fn organisation(mut self, org: Organisation) -> DatasetBuilder {
        self.orgs.push(org);
        self
    }

    /// Adds a programme of organisation `org`.
    pub fn programme(mut self, org: &str, code: &str) -> DatasetBuilder {
        self.programmes.push((org.to_string(), code.to_string()));
        self
    }

    /// Sets a value (`programme` `None` for the organisation as a whole).
    pub fn value(
        mut self,
        org: &str,
        programme: Option<&str>,
        year: Year,
        metric: &str,
        value: f64,
    ) -> DatasetBuilder {
        self.values.push(PendingValue {
            org: org.to_string(),
            programme: programme.map(str::to_string),
            year,
            metric: metric.to_string(),
            value,
            warning: None,
        });
        self
    }

    /// Sets a metric's values for consecutive years from `first_year`, one
    /// per element; NaN elements stay missing. Lighter than one
    /// [`value`](Self::value) per year when building large datasets (benchmarks).
    ///
    /// ```
    /// use kpi_model::{DatasetBuilder, Level};
    /// let ds = DatasetBuilder::new(2020, 2022)
    ///     .org("S1", Level::School, "Astana")
    ///     .series("S1", None, "shifts", 2020, &[1.0, f64::NAN, 2.0])
    ///     .build();
    /// let s1 = ds.org_unit(ds.org_by_id("S1").unwrap());
    /// assert_eq!(ds.value(s1, 2020, "shifts"), Some(1.0));
    /// assert_eq!(ds.value(s1, 2021, "shifts"), None);
    /// assert_eq!(ds.value(s1, 2022, "shifts"), Some(2.0));
    /// ```
    pub fn series(
        mut self,
        org: &str,
        programme: Option<&str>,
        metric: &str,
        first_year: Year,
        values: &[f64],
    ) -> DatasetBuilder {
        self.series.push(PendingSeries {
            org: org.to_string(),
            programme: programme.map(str::to_string),
            metric: metric.to_string(),
            first_year,
            values: values.to_vec(),
        });
        self
    }

    /// Sets a value that carries a data-quality warning (added to the report
    /// and flagged on the cell, as validation does).
    pub fn flagged_value(
        mut self,
        org: &str,
        programme: Option<&str>,
        year: Year,
        metric: &str,
        value: f64,
        warning: Issue,
    ) -> DatasetBuilder {
        self.values.push(PendingValue {
            org: org.to_string(),
            programme: programme.map(str::to_string),
            year,
            metric: metric.to_string(),
            value,
            warning: Some(warning),
        });
        self
    }

    /// Assembles the dataset.
    pub fn build(self) -> Dataset {
        let DatasetBuilder {
            span,
            orgs,
            programmes,
            values,
            series,
            mut metrics,
        } = self;
        let mut report = ValidationReport::default();
        let org_index: HashMap<&str, OrgIdx> = orgs
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.as_str(), OrgIdx(i as u32)))
            .collect();
        let mut progs = Vec::new();
        let mut prog_index: HashMap<(OrgIdx, String), UnitId> = HashMap::new();
        for (org, code) in &programmes {
            match org_index.get(org.as_str()) {
                Some(&o) => {
                    prog_index.insert((o, code.clone()), UnitId((orgs.len() + progs.len()) as u32));
                    progs.push(Programme {
                        org: o,
                        code: code.clone(),
                    });
                }
                None => {
                    report.push(unknown(format!(
                        "programme {code} of unknown organisation {org}"
                    )));
                }
            }
        }
        let mut store = MetricStore::new(span, orgs.len() + progs.len());
        let from_series = series.into_iter().flat_map(|s| {
            let PendingSeries {
                org,
                programme,
                metric,
                first_year,
                values,
            } = s;
            values
                .into_iter()
                .enumerate()
                .map(move |(i, value)| PendingValue {
                    org: org.clone(),
                    programme: programme.clone(),
                    year: first_year + i as Year,
                    metric: metric.clone(),
                    value,
                    warning: None,
                })
        });
        for v in values.into_iter().chain(from_series) {
            let Some(&org) = org_index.get(v.org.as_str()) else {
                report.push(unknown(format!("value for unknown organisation {}", v.org)));
                continue;
            };
            let unit = match &v.programme {
                None => UnitId(org.0),
                Some(p) => match prog_index.get(&(org, p.clone())) {
                    Some(&u) => u,
                    None => {
                        report.push(unknown(format!(
                            "value for unknown programme {p} of {}",
                            v.org
                        )));
                        continue;
                    }
                },
            };
            let (code, breakdown) = match v.metric.split_once('.') {
                Some((m, b)) => (m, Some(b)),
                None => (v.metric.as_str(), None),
            };
            let metric = metrics.intern(code);
            let breakdown = breakdown.map(|b| store.intern_breakdown(b));
            let col = store.add_column(ColumnKey { metric, breakdown });
            store.set(col, unit, v.year, v.value);
            if let Some(w) = v.warning {
                let id = report.push(w);
                store.flag(col, unit, v.year, id);
            }
        }
        store.fill_totals_from_breakdowns(|m| metrics.def(m).total);
        Dataset::from_parts(DatasetParts {
            organisations: orgs,
            programmes: progs,
            metrics,
            store,
            students: StudentTable::default(),
            terms: Vec::new(),
            report,
        })
    }
}

fn unknown(message: String) -> Issue {
    Issue {
        severity: Severity::Error,
        code: IssueCode::UnknownOrganisation,
        location: Location::file("(built by hand)"),
        found: None,
        expected: None,
        suggestion: None,
        message,
    }
}
