//! What a dataset holds, for pickers, headers and the issue list.

use super::Engine;
use kpi_model::i18n::{Labels, Lang};
use kpi_model::{region_key, Level, Year};
use serde::Serialize;

/// At most this many issues are listed in [`DatasetInfo::issues`].
pub const MAX_LISTED_ISSUES: usize = 1000;

/// The contents of a dataset. See [`Engine::info`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DatasetInfo {
    /// Every organisation.
    pub organisations: Vec<OrgSummary>,
    /// Academic years, ascending.
    pub years: Vec<Year>,
    /// Levels present, with the number of organisations.
    pub levels: Vec<LevelCount>,
    /// Regions, in the order first seen.
    pub regions: Vec<RegionSummary>,
    /// Every indicator of the catalogue.
    pub indicators: Vec<IndicatorSummary>,
    /// The first [`MAX_LISTED_ISSUES`] validation issues.
    pub issues: Vec<IssueSummary>,
    /// The number of issues in the report.
    pub issue_count: usize,
    /// What the load rejected: whole tables, and rows and cells inside the
    /// tables that loaded (all 0 when nothing was lost).
    pub rejected: RejectedCounts,
}

pub use kpi_model::validate::RejectedCounts;

/// One organisation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrgSummary {
    /// `org_id`.
    pub id: String,
    /// Name in the requested language.
    pub name: String,
    /// Names in kk, ru, en, ky (falling back to the name as given).
    pub names: Labels,
    /// Level code.
    pub level: Level,
    /// Region key (see [`region_key`]).
    pub region: String,
    /// Region as written in the data.
    pub region_name: String,
    /// `state`, `private` or `null`.
    pub ownership: Option<String>,
    /// `urban`, `rural` or `null`.
    pub locality: Option<String>,
}

/// A level and how many organisations it has.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LevelCount {
    /// Level code.
    pub code: Level,
    /// Organisations of this level.
    pub count: usize,
}

/// A region.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegionSummary {
    /// Comparison key (what `peers.region` accepts, as does the name).
    pub key: String,
    /// Name as written in the data.
    pub name: String,
}

/// An indicator of the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndicatorSummary {
    /// Code.
    pub code: String,
    /// Names in kk, ru, en, ky.
    pub labels: Labels,
    /// Unit code (`%`, `ratio`, `KZT`, …).
    pub unit: String,
    /// `higher`, `lower` or `target`.
    pub direction: String,
    /// `input`, `process`, `outcome` or `efficiency`.
    pub family: String,
    /// Levels it applies to.
    pub levels: Vec<Level>,
}

/// A validation issue, flattened for a table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IssueSummary {
    /// File.
    pub file: String,
    /// Sheet of a workbook.
    pub sheet: Option<String>,
    /// Row (1-based, as in a spreadsheet).
    pub row: Option<u64>,
    /// Column header.
    pub column: Option<String>,
    /// `error` or `warning`.
    pub severity: String,
    /// Machine code of the issue.
    pub code: String,
    /// The kind of problem in kk, ru and en (the page may switch language
    /// without asking again).
    pub titles: Labels,
    /// The value found, as written.
    pub found: Option<String>,
    /// The message (English, with the details).
    pub message: String,
}

fn code_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

impl Engine {
    /// Organisations, years, levels, regions, indicators and issues, with
    /// names in `lang`.
    ///
    /// ```
    /// use kpi_engine::Engine;
    /// use kpi_model::i18n::Lang;
    /// use kpi_indicators::Catalogue;
    /// use kpi_model::{DatasetBuilder, Level};
    /// use kpi_risk::CriteriaSet;
    /// let ds = DatasetBuilder::new(2022, 2023).org("C1", Level::College, "Astana").build();
    /// let report = ds.report().clone();
    /// let e = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
    /// let info = e.info(Lang::En);
    /// assert_eq!(info.years, [2022, 2023]);
    /// assert_eq!(info.levels[0].count, 1);
    /// assert_eq!(info.regions[0].key, "astana");
    /// ```
    pub fn info(&self, lang: Lang) -> DatasetInfo {
        let ds = &self.dataset;
        let organisations = ds
            .organisations()
            .iter()
            .enumerate()
            .map(|(i, o)| OrgSummary {
                id: o.id.clone(),
                name: o.display_name(lang).to_string(),
                names: self.org_names(kpi_model::OrgIdx(i as u32)),
                level: o.level,
                region: region_key(&o.region),
                region_name: o.region.clone(),
                ownership: o.ownership.map(|w| w.code().to_string()),
                locality: o.locality.map(|l| l.code().to_string()),
            })
            .collect();
        let levels = Level::ALL
            .into_iter()
            .map(|code| LevelCount {
                code,
                count: ds.orgs_of_level(code).count(),
            })
            .filter(|l| l.count > 0)
            .collect();
        let regions = ds
            .regions()
            .iter()
            .map(|name| RegionSummary {
                key: region_key(name),
                name: name.clone(),
            })
            .collect();
        let indicators = self
            .catalogue()
            .iter()
            .map(|(_, d)| IndicatorSummary {
                code: d.code.clone(),
                labels: d.name.clone(),
                unit: d.unit.code().to_string(),
                direction: d.direction.code().to_string(),
                family: d.family.code().to_string(),
                levels: d.levels.clone(),
            })
            .collect();
        // Errors first, then warnings, then notes (each in load order: a
        // root cause comes before what it causes).
        let mut sorted: Vec<_> = self.report.issues.iter().collect();
        sorted.sort_by_key(|i| i.severity);
        let issues = sorted
            .into_iter()
            .take(MAX_LISTED_ISSUES)
            .map(|i| IssueSummary {
                file: i.location.file.clone(),
                sheet: i.location.sheet.clone(),
                row: i.location.row,
                column: i.location.column.clone(),
                severity: code_of(&i.severity),
                code: code_of(&i.code),
                titles: Labels {
                    kk: i.code.title(Lang::Kk).into(),
                    ru: i.code.title(Lang::Ru).into(),
                    en: i.code.title(Lang::En).into(),
                    ky: i.code.title(Lang::Ky).into(),
                },
                found: i.found.clone(),
                message: i.message.clone(),
            })
            .collect();
        DatasetInfo {
            organisations,
            years: ds.years().iter().collect(),
            levels,
            regions,
            indicators,
            issues,
            issue_count: self.report.issues.len(),
            rejected: self.report.rejected(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Engine, EngineOptions};
    use kpi_import::Source;
    use kpi_model::i18n::Lang;

    fn src(name: &str, text: &str) -> Source {
        Source {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn info_counts_what_the_load_rejected_and_lists_errors_first() {
        let sources = [
            src("organisations.csv", "org_id,name,level,region\nS1,School 1,school,Abai\n"),
            // Row 3: one unreadable cell; row 4: an unknown organisation.
            src(
                "observations.csv",
                "org_id,year,students_enrolled,teachers_total\nS1,2022,400,30\nS1,2023,420,thirty\nS9,2023,1,1\n",
            ),
            // Not a table at all: rejected as a whole.
            src("notes.csv", "a,b\n1,2\n"),
        ];
        let engine = Engine::from_sources(&sources, &EngineOptions::default()).unwrap();
        let info = engine.info(Lang::En);
        assert_eq!(
            (
                info.rejected.tables,
                info.rejected.rows,
                info.rejected.cells
            ),
            (1, 1, 1)
        );
        let severities: Vec<&str> = info.issues.iter().map(|i| i.severity.as_str()).collect();
        let first_warning = severities
            .iter()
            .position(|s| *s != "error")
            .unwrap_or(severities.len());
        assert!(
            severities[first_warning..].iter().all(|s| *s != "error"),
            "{severities:?}"
        );
    }
}
