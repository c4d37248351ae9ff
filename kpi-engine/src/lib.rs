//! The engine: one object that turns a loaded dataset into answers.
//!
//! The CLI and the browser widgets both go through [`Engine`]: it holds the
//! dataset, the indicator table and the risk table of every year (computed
//! once in [`Engine::new`]), and answers three kinds of question:
//!
//! - [`Engine::info`]: what is in the dataset (organisations, years, levels,
//!   regions, indicators, validation issues), for pickers and headers;
//! - [`Engine::ranking`]: the risk ranking of a group of organisations;
//! - [`Engine::chart`]: the [`ChartInput`](kpi_chart::ChartInput) of any widget kind, built from real
//!   results (indicators, statistics of [`kpi_stats`], risk, summary
//!   sentences of [`kpi_summary`]), ready for [`kpi_chart::layout_chart`].
//!
//! ```
//! use kpi_engine::{Engine, ViewRequest};
//! use kpi_indicators::Catalogue;
//! use kpi_model::{DatasetBuilder, Level};
//! use kpi_risk::CriteriaSet;
//! let ds = DatasetBuilder::new(2022, 2023)
//!     .org("S1", Level::School, "Astana")
//!     .value("S1", None, 2023, "students_enrolled", 600.0)
//!     .value("S1", None, 2023, "teachers_total", 40.0)
//!     .build();
//! let report = ds.report().clone();
//! let engine = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
//! let request: ViewRequest = serde_json::from_str(
//!     r#"{"kind":"kpi-card","org":"S1","indicator":"student_teacher_ratio"}"#).unwrap();
//! let card = engine.chart(&request).unwrap();
//! assert_eq!(card.kind(), "kpi-card");
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod info;
mod peers;
mod questions;
mod ranking;
mod students;
mod views;

pub use error::EngineError;
pub use info::MAX_LISTED_ISSUES;
pub use info::{
    DatasetInfo, IndicatorSummary, IssueSummary, LevelCount, OrgSummary, RegionSummary,
    RejectedCounts,
};
pub use peers::{PeerSpec, PeersArg};
pub use questions::{
    forecast_within_unit, group_name, CohortReport, GapBy, GapsReport, TrendReport,
};
pub use ranking::RankingRow;
pub use students::{private_notice, StudentAtRisk, StudentsAtRisk};
pub use views::{
    cohort_flow_data, family_label, family_scores_of, gaps_data, indicator_info, level_name,
    outlier_text, peer_table_columns, subject_of, trend_of_series, trend_of_series_bare,
    Comparison, ComparisonRow, ViewRequest, DEFAULT_HEATMAP_INDICATORS, RISK_SCORE,
};

use kpi_import::{LoadOptions, Source};
use kpi_indicators::{compute, Catalogue, IndicatorTable};
use kpi_model::i18n::Lang;
use kpi_model::validate::ValidationReport;
use kpi_model::{Dataset, OrgIdx, Year};
use kpi_risk::{
    CriteriaSet, IndicatorInputs, RiskAssessment, RiskFilter, RiskScorer, RiskSummary, RiskTable,
};
use std::sync::OnceLock;

/// Reading the user catalogue and criteria files of [`EngineOptions`]: with the
/// `user-files` feature (on by default), the TOML and JSON files the CLI accepts.
#[cfg(feature = "user-files")]
mod user_files {
    use super::{Catalogue, CriteriaSet, EngineError, UserFile};

    pub(crate) fn catalogue(builtin: Catalogue, f: &UserFile) -> Result<Catalogue, EngineError> {
        builtin
            .with_user_file(&f.name, &f.text)
            .map_err(|error| EngineError::Catalogue { error })
    }

    pub(crate) fn criteria(builtin: CriteriaSet, f: &UserFile) -> Result<CriteriaSet, EngineError> {
        builtin
            .with_user_file(&f.name, &f.text)
            .map_err(|error| EngineError::Criteria { error })
    }
}

/// Without the `user-files` feature (the browser engine module, which then links no
/// TOML parser) user catalogue and criteria files are refused with a clear error.
#[cfg(not(feature = "user-files"))]
mod user_files {
    use super::{Catalogue, CriteriaSet, EngineError, UserFile};

    const WHY: &str = "user files are not read by this build (kpi-engine without the \
                       `user-files` feature, as in the browser engine module); use the `kpi` CLI";

    pub(crate) fn catalogue(_: Catalogue, f: &UserFile) -> Result<Catalogue, EngineError> {
        Err(EngineError::Catalogue {
            error: kpi_indicators::CatalogueError {
                file: f.name.clone(),
                line: None,
                column: None,
                indicator: None,
                message: WHY.to_string(),
            },
        })
    }

    pub(crate) fn criteria(_: CriteriaSet, f: &UserFile) -> Result<CriteriaSet, EngineError> {
        Err(EngineError::Criteria {
            error: kpi_risk::CriteriaError {
                file: f.name.clone(),
                line: 0,
                reason: WHY.to_string(),
            },
        })
    }

    // Run with `cargo test -p kpi-engine --no-default-features --lib user_files`.
    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn user_files_are_refused_naming_the_file_and_the_feature() {
            let f = UserFile {
                name: "mine.toml".into(),
                text: "[[indicator]]\n".into(),
            };
            let Err(EngineError::Catalogue { error }) = catalogue(Catalogue::builtin(), &f) else {
                panic!("a user catalogue must be refused without `user-files`");
            };
            assert_eq!(error.file, "mine.toml");
            assert!(error.message.contains("`user-files`"), "{}", error.message);
            let Err(EngineError::Criteria { error }) = criteria(CriteriaSet::builtin(), &f) else {
                panic!("a criteria file must be refused without `user-files`");
            };
            assert_eq!((error.file.as_str(), error.line), ("mine.toml", 0));
            assert!(error.reason.contains("`user-files`"), "{}", error.reason);
        }
    }
}

/// A user file given as text: its name (for messages) and content.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserFile {
    /// The file name as the user knows it.
    pub name: String,
    /// The content (TOML; a catalogue may also be JSON when the name ends in `.json`).
    pub text: String,
}

/// How [`Engine::from_sources`] loads: import options plus optional user
/// catalogue and criteria files that extend or replace the built-in ones.
#[derive(Clone, Debug, Default)]
pub struct EngineOptions {
    /// Options of the import.
    pub load: LoadOptions,
    /// A user indicator catalogue added to the built-in one.
    pub catalogue: Option<UserFile>,
    /// A user criteria file replacing or extending the built-in criteria.
    pub criteria: Option<UserFile>,
}

/// A loaded dataset with everything computed from it once.
#[derive(Debug)]
pub struct Engine {
    dataset: Dataset,
    report: ValidationReport,
    criteria: CriteriaSet,
    indicators: IndicatorTable,
    risk_scorer: RiskScorer,
    /// The risk score and degree of every organisation in every year, computed at load.
    risk_summaries: Vec<RiskSummary>,
    /// Each organisation's assessment in each year (organisation-major, the scorer's years
    /// within), its explanation built the first time it is asked for: explanations carry
    /// every criterion's names in four languages, which for every organisation and year
    /// of a national export take more memory and time than the rest of the load.
    explained: Vec<OnceLock<Option<RiskAssessment>>>,
    /// The whole table, built the first time [`Engine::risk`] is called.
    risk: OnceLock<RiskTable>,
}

impl Engine {
    /// Computes every indicator of `catalogue` for every unit and year, and the
    /// risk of every organisation in every year. Fails when a criterion names
    /// an indicator the catalogue lacks or has thresholds on the wrong side.
    pub fn new(
        dataset: Dataset,
        report: ValidationReport,
        catalogue: Catalogue,
        criteria: CriteriaSet,
    ) -> Result<Engine, EngineError> {
        criteria
            .check("criteria", |code| {
                catalogue.by_code(code).map(|d| d.direction)
            })
            .map_err(|error| EngineError::Criteria { error })?;
        let indicators = compute(&dataset, &catalogue);
        let inputs = IndicatorInputs::new(&indicators);
        let risk_scorer = RiskScorer::new(&dataset, &inputs, &criteria, &RiskFilter::default());
        let risk_summaries = risk_scorer.summaries(&dataset, &inputs, &criteria);
        let explained = (0..dataset.organisations().len() * risk_scorer.years().len())
            .map(|_| OnceLock::new())
            .collect();
        Ok(Engine {
            dataset,
            report,
            criteria,
            indicators,
            risk_scorer,
            risk_summaries,
            explained,
            risk: OnceLock::new(),
        })
    }

    /// Loads `sources` and builds the engine with the built-in catalogue and
    /// criteria, extended by the user files of `options`.
    pub fn from_sources(
        sources: &[Source],
        options: &EngineOptions,
    ) -> Result<Engine, EngineError> {
        Engine::from_owned_sources(sources.to_vec(), options)
    }

    /// [`Engine::from_sources`] taking the sources by value, which saves a
    /// copy of the file contents (a national export is large).
    pub fn from_owned_sources(
        sources: Vec<Source>,
        options: &EngineOptions,
    ) -> Result<Engine, EngineError> {
        Engine::from_dataset(kpi_import::load(sources, &options.load), options)
    }

    /// Builds the engine over a dataset loaded elsewhere (the DataFusion
    /// engine of `kpi --engine datafusion`, say), with the built-in catalogue
    /// and criteria extended by the user files of `options` (its `load` is
    /// not used).
    ///
    /// ```
    /// use kpi_engine::{Engine, EngineOptions};
    /// use kpi_import::{load, LoadOptions, Source};
    /// let orgs = "org_id,name,level,region\nS1,School 1,school,Abai\n";
    /// let ds = load(vec![Source { name: "organisations.csv".into(), bytes: orgs.into() }], &LoadOptions::default());
    /// let engine = Engine::from_dataset(ds, &EngineOptions::default()).unwrap();
    /// assert_eq!(engine.dataset().organisations().len(), 1);
    /// ```
    pub fn from_dataset(dataset: Dataset, options: &EngineOptions) -> Result<Engine, EngineError> {
        let mut catalogue = Catalogue::builtin();
        if let Some(f) = &options.catalogue {
            catalogue = user_files::catalogue(catalogue, f)?;
        }
        let mut criteria = CriteriaSet::builtin();
        if let Some(f) = &options.criteria {
            criteria = user_files::criteria(criteria, f)?;
        }
        if let Some(f) = &options.catalogue {
            let registry = dataset.metrics();
            let codes: Vec<&str> = registry.iter().map(|(_, d)| d.code.as_str()).collect();
            catalogue
                .check_metrics(&f.name, |m| registry.id(m).is_some(), &codes)
                .map_err(|error| EngineError::Catalogue { error })?;
        }
        if dataset.organisations().is_empty() {
            return Err(EngineError::NoData {
                what: "organisations in the loaded files".into(),
            });
        }
        let report = dataset.report().clone();
        Engine::new(dataset, report, catalogue, criteria)
    }

    /// The dataset.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// Every indicator for every unit and year.
    pub fn indicators(&self) -> &IndicatorTable {
        &self.indicators
    }

    /// The indicator catalogue in use.
    pub fn catalogue(&self) -> &Catalogue {
        self.indicators.catalogue()
    }

    /// The risk criteria in use.
    pub fn criteria(&self) -> &CriteriaSet {
        &self.criteria
    }

    /// The risk of every organisation in every year.
    pub fn risk(&self) -> &RiskTable {
        self.risk.get_or_init(|| {
            let inputs = IndicatorInputs::new(&self.indicators);
            self.risk_scorer
                .table(&self.dataset, &inputs, &self.criteria)
        })
    }

    /// The risk score and degree of every organisation in every year (ordered by
    /// organisation, then year), without the explanations.
    pub fn risk_summaries(&self) -> &[RiskSummary] {
        &self.risk_summaries
    }

    /// The risk score, degree, computable share and top criterion of one organisation in
    /// one year, computed at load: what a ranking or a comparison needs, without building
    /// the explanation that [`Engine::assessment`] carries (every criterion's names in four
    /// languages). `None` exactly when [`Engine::assessment`] is `None`.
    ///
    /// ```
    /// use kpi_engine::Engine;
    /// use kpi_indicators::Catalogue;
    /// use kpi_model::{DatasetBuilder, Level, OrgIdx};
    /// use kpi_risk::{CriteriaSet, Degree};
    /// let ds = DatasetBuilder::new(2023, 2023).org("S1", Level::School, "Astana").build();
    /// let report = ds.report().clone();
    /// let e = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
    /// let s = e.risk_summary(OrgIdx(0), 2023).unwrap();
    /// assert_eq!(s.degree, Degree::InsufficientData); // no data: never "low"
    /// assert_eq!(s.score, e.assessment(OrgIdx(0), 2023).unwrap().score);
    /// assert!(e.risk_summary(OrgIdx(0), 2022).is_none());
    /// ```
    pub fn risk_summary(&self, org: OrgIdx, year: Year) -> Option<&RiskSummary> {
        let all = &self.risk_summaries;
        all.binary_search_by(|s| (s.org, s.year).cmp(&(org, year)))
            .ok()
            .map(|i| &all[i])
    }

    /// The risk assessment of one organisation in one year (constant time; its explanation
    /// is built on the first call and kept).
    pub fn assessment(&self, org: OrgIdx, year: Year) -> Option<&RiskAssessment> {
        // Once the whole table is built (publishing, the CLI), read it: keeping a second
        // copy of each explanation would double the memory of a national publish.
        if let Some(table) = self.risk.get() {
            let all = &table.assessments;
            return all
                .binary_search_by(|a| (a.org, a.year).cmp(&(org, year)))
                .ok()
                .map(|i| &all[i]);
        }
        let years = self.risk_scorer.years();
        let yi = years.iter().position(|&y| y == year)?;
        let cell = self.explained.get(org.0 as usize * years.len() + yi)?;
        cell.get_or_init(|| {
            let inputs = IndicatorInputs::new(&self.indicators);
            self.risk_scorer
                .assessment(&self.dataset, &inputs, &self.criteria, org, year)
        })
        .as_ref()
    }

    /// The validation report of the load.
    pub fn report(&self) -> &ValidationReport {
        &self.report
    }

    /// The organisation with this `org_id`, or [`EngineError::UnknownOrg`].
    pub fn org(&self, id: &str) -> Result<OrgIdx, EngineError> {
        self.dataset
            .org_by_id(id.trim())
            .ok_or_else(|| EngineError::UnknownOrg {
                org: id.to_string(),
            })
    }

    /// The latest year of the dataset.
    pub fn latest_year(&self) -> Option<Year> {
        let span = self.dataset.years();
        span.iter().last()
    }

    /// Texts of the validation issues attached to a cell, for tooltips.
    pub fn warning_texts(
        &self,
        indicator: kpi_indicators::IndicatorId,
        unit: kpi_model::UnitId,
        year: Year,
    ) -> Vec<String> {
        self.indicators
            .warnings(indicator, unit, year)
            .iter()
            .filter_map(|id| self.dataset.report().get(*id))
            .map(|i| i.message.clone())
            .collect()
    }

    /// Names every language of an organisation.
    pub(crate) fn org_names(&self, org: OrgIdx) -> kpi_model::i18n::Labels {
        let o = self.dataset.org(org);
        kpi_model::i18n::Labels {
            kk: o.display_name(Lang::Kk).to_string(),
            ru: o.display_name(Lang::Ru).to_string(),
            en: o.display_name(Lang::En).to_string(),
            ky: o.display_name(Lang::Ky).to_string(),
        }
    }
}

#[cfg(test)]
mod tests;
