//! Risk inputs from computed indicators: the bridge between
//! [`compute`](kpi_indicators::compute) and [`assess`](super::assess).

use super::gap::CriterionGap;
use super::score::RiskInputs;
use kpi_indicators::{IndicatorId, IndicatorKey, IndicatorTable, Outcome};
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
                // The reason, found by id: a missing value is common (every organisation and
                // year without the data), and finding the code again costs a hash each time.
                None => self.outcome_of(id, indicator, org, year),
            },
            None => self.value(indicator, org, year),
        }
    }

    fn value_if_any(
        &self,
        handle: Option<u32>,
        indicator: &str,
        org: OrgIdx,
        year: Year,
    ) -> Option<f64> {
        // `value_at(..).ok()`: a cell has a value exactly when `IndicatorTable::value` has it.
        match handle.and_then(|h| u16::try_from(h).ok()).map(IndicatorId) {
            Some(id) => self.table.value(id, UnitId(org.0), year),
            None => self.table.value(indicator, UnitId(org.0), year),
        }
    }

    fn value(&self, indicator: &str, org: OrgIdx, year: Year) -> Result<f64, CriterionGap> {
        // Organisation units are numbered like organisations (Dataset's layout).
        let unit = UnitId(org.0);
        // The common case without building the outcome.
        if let Some(v) = self.table.value(indicator, unit, year) {
            return Ok(v);
        }
        self.outcome_of(indicator, indicator, org, year)
    }
}

impl IndicatorInputs<'_> {
    /// The value of `key` (the indicator `indicator`, by code or by id) or the reason it
    /// has none.
    fn outcome_of(
        &self,
        key: impl IndicatorKey,
        indicator: &str,
        org: OrgIdx,
        year: Year,
    ) -> Result<f64, CriterionGap> {
        match self.table.get(key, UnitId(org.0), year) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use kpi_indicators::{compute, Catalogue};
    use kpi_model::{DatasetBuilder, Level};

    /// The peer thresholds read `value_if_any`; it must be `value_at(..).ok()` for every
    /// cell (a value, a missing input, an indicator that does not apply, a year outside),
    /// and `value_at` through a handle must answer as `value` by code.
    #[test]
    fn value_if_any_is_value_at_without_the_reason() {
        let ds = DatasetBuilder::new(2022, 2023)
            .org("C1", Level::College, "Almaty")
            .org("S1", Level::School, "Almaty")
            .value("C1", None, 2023, "graduates", 80.0)
            .value("C1", None, 2023, "graduates_employed", 60.0)
            .value("C1", None, 2022, "graduates", 50.0)
            .build();
        let table = compute(&ds, &Catalogue::builtin());
        let inputs = IndicatorInputs::new(&table);
        let c1 = ds.org_by_id("C1").unwrap();
        assert_eq!(
            inputs.value_if_any(None, "employment_rate", c1, 2023),
            Some(75.0)
        );
        let mut values = 0;
        let mut gaps = 0;
        for code in [
            "employment_rate",
            "dropout_rate",
            "exam_pass_rate",
            "no_such",
        ] {
            for handle in [inputs.handle(code), None] {
                for org in [c1, ds.org_by_id("S1").unwrap()] {
                    for year in [2021, 2022, 2023] {
                        // By id and by code: the same value or the same reason.
                        assert_eq!(
                            inputs.value_at(handle, code, org, year),
                            inputs.value(code, org, year)
                        );
                        let slow = inputs.value_at(handle, code, org, year).ok();
                        assert_eq!(inputs.value_if_any(handle, code, org, year), slow);
                        if slow.is_some() {
                            values += 1
                        } else {
                            gaps += 1
                        }
                    }
                }
            }
        }
        // Both kinds of cell were compared: the two with a value (with and without handle).
        assert_eq!((values, gaps), (2, 46));
    }
}
