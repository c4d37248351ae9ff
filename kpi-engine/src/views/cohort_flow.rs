//! The `cohort-flow` view: the reconstructed cohort of one school, college or
//! programme, from [`Engine::cohort`] (the one copy of the counts, the rates and
//! the UNESCO flow).

use super::*;
use crate::questions::CohortReport;
use kpi_chart::{CohortFlowData, CohortStage};

/// The chart input of a cohort report: the share of the entrants reaching each
/// grade, its promotion, repetition and dropout rates, the graduates and the
/// coefficient of efficiency; or why the cohort cannot be reconstructed.
///
/// ```
/// use kpi_engine::{cohort_flow_data, Engine};
/// use kpi_indicators::Catalogue;
/// use kpi_model::{DatasetBuilder, Level};
/// use kpi_risk::CriteriaSet;
/// let mut b = DatasetBuilder::new(2022, 2023).org("S1", Level::School, "Astana");
/// for year in [2022, 2023] {
///     b = b.value("S1", None, year, "students_enrolled.grade_1", 100.0)
///          .value("S1", None, year, "students_enrolled.grade_2", 90.0)
///          .value("S1", None, year, "repeaters.grade_1", 0.0)
///          .value("S1", None, year, "repeaters.grade_2", 0.0);
/// }
/// let ds = b.value("S1", None, 2022, "graduates", 81.0).build();
/// let report = ds.report().clone();
/// let e = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
/// let d = cohort_flow_data(&e, &e.cohort("S1", None, None).unwrap());
/// // p = 0.9, d = 0.1 in both grades: 1000 → 900 → 810 graduates
/// assert_eq!(d.grades[1].entrants, Some(900.0));
/// assert!((d.graduates.unwrap() - 810.0).abs() < 1e-9);
/// assert!(d.reason.is_none());
/// ```
pub fn cohort_flow_data(engine: &Engine, report: &CohortReport) -> CohortFlowData {
    let org = engine.org(&report.org_id).ok();
    let unit = org.map(|o| {
        let mut names = engine.org_names(o);
        if let Some(code) = &report.programme {
            for n in [&mut names.kk, &mut names.ru, &mut names.en, &mut names.ky] {
                n.push_str(" · ");
                n.push_str(code);
            }
        }
        Text::Langs(names)
    });
    let courses = match &report.counts {
        Ok(c) => c
            .grade_names
            .first()
            .is_some_and(|n| n.starts_with("course")),
        Err(_) => org.is_some_and(|o| engine.dataset.org(o).level != Level::School),
    };
    let mut data = CohortFlowData {
        unit,
        year: Some(report.year),
        stage: if courses {
            CohortStage::Course
        } else {
            CohortStage::Grade
        },
        ..Default::default()
    };
    match &report.flow {
        Ok(flow) => data.set_flow(flow, |x| x),
        Err(reason) => {
            data.reason = Some(Text::Langs(Labels::from_fn(|lang| {
                kpi_summary::reason_phrase(reason, lang)
            })));
        }
    }
    data
}

impl Engine {
    pub(super) fn cohort_flow_view(&self, r: &ViewRequest) -> Result<CohortFlowData, EngineError> {
        let org = r
            .org
            .as_deref()
            .ok_or_else(|| EngineError::bad("`cohort-flow` needs an org"))?;
        let report = self.cohort(org, r.programme.as_deref(), r.year)?;
        Ok(cohort_flow_data(self, &report))
    }
}
