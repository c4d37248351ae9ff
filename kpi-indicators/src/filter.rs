//! Selecting cells of an indicator table: by level, region, ownership,
//! locality, organisation, unit kind, year and indicator.

use super::definition::IndicatorId;
use super::units::UnitIndex;
use kpi_model::{Level, Locality, OrgIdx, Ownership, RegionIdx, UnitId, Year};
use serde::{Deserialize, Serialize};

/// Which units: organisations, programmes or both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitScope {
    /// Organisations and programmes.
    #[default]
    All,
    /// Organisations as a whole only.
    Organisations,
    /// Programmes only.
    Programmes,
}

/// A selection of cells. Empty lists and `None` mean "any"; the builder
/// methods narrow the selection (each call adds to its list).
///
/// ```
/// use kpi_indicators::{Filter, UnitScope};
/// use kpi_model::{Level, Ownership};
/// let f = Filter::new().level(Level::School).ownership(Ownership::State).years(2020, 2023).organisations_only();
/// assert_eq!(f.levels, vec![Level::School]);
/// assert_eq!(f.scope, UnitScope::Organisations);
/// assert!(f.includes_year(2021) && !f.includes_year(2024));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Organisation levels.
    pub levels: Vec<Level>,
    /// Regions (indices of [`Dataset::regions`](kpi_model::Dataset::regions)).
    pub regions: Vec<RegionIdx>,
    /// Ownership.
    pub ownership: Option<Ownership>,
    /// Locality.
    pub locality: Option<Locality>,
    /// Years, inclusive.
    pub years: Option<(Year, Year)>,
    /// Indicators.
    pub indicators: Vec<IndicatorId>,
    /// Organisations (with their programmes, unless the scope says otherwise).
    pub orgs: Vec<OrgIdx>,
    /// Organisations, programmes or both.
    pub scope: UnitScope,
}

impl Filter {
    /// Everything.
    pub fn new() -> Filter {
        Filter::default()
    }

    /// Adds a level.
    pub fn level(mut self, level: Level) -> Filter {
        self.levels.push(level);
        self
    }

    /// Adds a region.
    pub fn region(mut self, region: RegionIdx) -> Filter {
        self.regions.push(region);
        self
    }

    /// Only this ownership.
    pub fn ownership(mut self, ownership: Ownership) -> Filter {
        self.ownership = Some(ownership);
        self
    }

    /// Only this locality.
    pub fn locality(mut self, locality: Locality) -> Filter {
        self.locality = Some(locality);
        self
    }

    /// Only one year.
    pub fn year(self, year: Year) -> Filter {
        self.years(year, year)
    }

    /// Only years `first..=last`.
    pub fn years(mut self, first: Year, last: Year) -> Filter {
        self.years = Some((first, last));
        self
    }

    /// Adds an indicator.
    pub fn indicator(mut self, id: IndicatorId) -> Filter {
        self.indicators.push(id);
        self
    }

    /// Adds an organisation.
    pub fn org(mut self, org: OrgIdx) -> Filter {
        self.orgs.push(org);
        self
    }

    /// Only organisation units.
    pub fn organisations_only(mut self) -> Filter {
        self.scope = UnitScope::Organisations;
        self
    }

    /// Only programme units.
    pub fn programmes_only(mut self) -> Filter {
        self.scope = UnitScope::Programmes;
        self
    }

    /// Whether the year is selected.
    pub fn includes_year(&self, year: Year) -> bool {
        self.years.is_none_or(|(a, b)| year >= a && year <= b)
    }

    /// Whether the indicator is selected.
    pub fn includes_indicator(&self, id: IndicatorId) -> bool {
        self.indicators.is_empty() || self.indicators.contains(&id)
    }

    /// Whether the level is selected.
    pub fn includes_level(&self, level: Level) -> bool {
        self.levels.is_empty() || self.levels.contains(&level)
    }

    /// Whether programme (`true`) or organisation units are selected.
    pub fn includes_kind(&self, programme: bool) -> bool {
        match self.scope {
            UnitScope::All => true,
            UnitScope::Organisations => !programme,
            UnitScope::Programmes => programme,
        }
    }

    pub(crate) fn includes_unit(&self, units: &UnitIndex, unit: UnitId) -> bool {
        let Some(org) = units.org_of(unit) else {
            return false;
        };
        let o = org.0 as usize;
        self.includes_kind(units.is_programme(unit))
            && (self.orgs.is_empty() || self.orgs.contains(&org))
            && units.level.get(o).is_some_and(|l| self.includes_level(*l))
            && (self.regions.is_empty()
                || units
                    .region
                    .get(o)
                    .is_some_and(|r| self.regions.contains(r)))
            && (self.ownership.is_none()
                || units.ownership.get(o).copied().flatten() == self.ownership)
            && (self.locality.is_none()
                || units.locality.get(o).copied().flatten() == self.locality)
    }
}
