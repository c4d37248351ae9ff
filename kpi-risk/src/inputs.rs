//! Risk inputs from computed indicators: the bridge between
//! [`compute`](kpi_indicators::compute) and [`assess`](super::assess).

use super::gap::CriterionGap;
use super::score::RiskInputs;
use kpi_indicators::{IndicatorId, IndicatorTable, Outcome};
use kpi_model::{Direction, OrgIdx, UnitId, Year};

/// [`RiskInputs`] read from an [`IndicatorTable`]: an indicator's direction
/// from the table's catalogue, and its organisation-level value (the
/// organisation as a whole, not its programmes) or the not-computable reason.
///
/// ```
/// use kpi_indicators::{compute, Catalogue};
/// use kpi_model::{DatasetBuilder, Direction, Level, OrgIdx};
/// use kpi_risk::{IndicatorInputs, RiskInputs};
/// let ds = DatasetBuilder::new(2023, 2023)
///     .org("C1", Level::College, "Almaty")
///     .value("C1", None, 2023, "graduates", 80.0)
///     .value("C1", None, 2023, "graduates_employed", 60.0)
///     .build();
/// let table = compute(&ds, &Catalogue::builtin());
/// let inputs = IndicatorInputs::new(&table);
/// let c1 = ds.org_by_id("C1").unwrap();
/// assert_eq!(inputs.direction("employment_rate"), Some(Direction::Higher));
/// assert_eq!(inputs.value("employment_rate", c1, 2023), Ok(75.0)); // 100 * 60 / 80
/// assert_eq!(
///     inputs.value("dropout_rate", c1, 2023).unwrap_err().to_string(),
///     "missing expelled in 2023"
/// );
/// assert!(inputs.value("exam_pass_rate", c1, 2023).unwrap_err().to_string().contains("does not apply"));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct IndicatorInputs<'a> {
    table: &'a IndicatorTable,
}

impl<'a> IndicatorInputs<'a> {
    /// Risk inputs over a computed table.
    pub fn new(table: &'a IndicatorTable) -> IndicatorInputs<'a> {
        IndicatorInputs { table }
    }

    /// The table read from.
    pub fn table(&self) -> &'a IndicatorTable {
        self.table
    }
}

impl RiskInputs for IndicatorInputs<'_> {
    fn direction(&self, indicator: &str) -> Option<Direction> {
        self.table.def(indicator).map(|d| d.direction)
    }

    fn handle(&self, indicator: &str) -> Option<u32> {
        self.table.indicator(indicator).map(|id| u32::from(id.0))
    }

    fn value_at(
        &self,
        handle: Option<u32>,
        indicator: &str,
        org: OrgIdx,
        year: Year,
    ) -> Result<f64, CriterionGap> {
        let id = handle.and_then(|h| u16::try_from(h).ok()).map(IndicatorId);
        match id {
            // The common case: a value, without looking the code up.
            Some(id) => match self.table.value(id, UnitId(org.0), year) {
                Some(v) => Ok(v),
                None => self.value(indicator, org, year),
            },
            None => self.value(indicator, org, year),
        }
    }

    fn value(&self, indicator: &str, org: OrgIdx, year: Year) -> Result<f64, CriterionGap> {
        // Organisation units are numbered like organisations (Dataset's layout).
        let unit = UnitId(org.0);
        // The common case without building the outcome.
        if let Some(v) = self.table.value(indicator, unit, year) {
            return Ok(v);
        }
        match self.table.get(indicator, unit, year) {
            Some(Outcome::Value(v)) => Ok(v),
            Some(Outcome::NotComputable(reason)) => Err(CriterionGap::Indicator(reason)),
            None => Err(match self.table.def(indicator) {
                None => CriterionGap::UnknownIndicator {
                    indicator: indicator.to_string(),
                },
                Some(_) if !self.table.years().contains(year) => {
                    CriterionGap::YearOutsideData { year }
                }
                Some(def) => CriterionGap::NotApplicable {
                    indicator: indicator.to_string(),
                    levels: def.level_letters(),
                    per: def.per.code().to_string(),
                },
            }),
        }
    }
}
