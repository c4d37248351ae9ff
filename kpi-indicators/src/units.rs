//! Per-unit attributes the indicator table keeps from its dataset, so that it
//! can filter and group by level, region, ownership and locality on its own.
//!
//! Units are grouped into *classes* (level × organisation-or-programme);
//! an indicator stores one dense block per class it applies to, so cells of
//! units it does not apply to take no memory.

use kpi_model::{Dataset, Level, Locality, OrgIdx, Ownership, RegionIdx, UnitId};

/// Number of unit classes: 4 levels × (organisation, programme).
pub(crate) const N_CLASSES: usize = 8;

/// The class of a unit.
pub(crate) fn class_of(level: Level, programme: bool) -> usize {
    let l = Level::ALL.iter().position(|x| *x == level).unwrap_or(0);
    l * 2 + usize::from(programme)
}

/// The level and kind of a class.
pub(crate) fn class_parts(class: usize) -> (Level, bool) {
    (Level::ALL[(class / 2) % 4], class % 2 == 1)
}

#[derive(Clone, Debug, Default)]
pub(crate) struct UnitIndex {
    pub n_orgs: usize,
    /// Per unit: its class.
    pub class: Vec<u8>,
    /// Per unit: its position within its class.
    pub rank: Vec<u32>,
    /// Per class: its units in unit order.
    pub class_units: [Vec<UnitId>; N_CLASSES],
    /// Per unit: its organisation.
    pub org: Vec<OrgIdx>,
    /// Per organisation.
    pub level: Vec<Level>,
    pub region: Vec<RegionIdx>,
    pub ownership: Vec<Option<Ownership>>,
    pub locality: Vec<Option<Locality>>,
    /// Programme units of organisation `o`: `prog_units[prog_start[o]..prog_start[o + 1]]`.
    pub prog_start: Vec<u32>,
    pub prog_units: Vec<UnitId>,
}

impl UnitIndex {
    pub(crate) fn build(ds: &Dataset) -> UnitIndex {
        let orgs = ds.organisations();
        let units = ds.units();
        let mut idx = UnitIndex {
            n_orgs: orgs.len(),
            class: Vec::with_capacity(units.len()),
            rank: Vec::with_capacity(units.len()),
            org: Vec::with_capacity(units.len()),
            level: orgs.iter().map(|o| o.level).collect(),
            region: (0..orgs.len())
                .map(|o| ds.region_of(OrgIdx(o as u32)))
                .collect(),
            ownership: orgs.iter().map(|o| o.ownership).collect(),
            locality: orgs.iter().map(|o| o.locality).collect(),
            ..UnitIndex::default()
        };
        for (i, u) in units.iter().enumerate() {
            let level = idx
                .level
                .get(u.org.0 as usize)
                .copied()
                .unwrap_or(Level::School);
            let class = class_of(level, u.programme.is_some());
            idx.class.push(class as u8);
            idx.rank.push(idx.class_units[class].len() as u32);
            idx.class_units[class].push(UnitId(i as u32));
            idx.org.push(u.org);
        }
        idx.prog_start.push(0);
        for o in 0..orgs.len() {
            idx.prog_units
                .extend_from_slice(ds.programme_units(OrgIdx(o as u32)));
            idx.prog_start.push(idx.prog_units.len() as u32);
        }
        idx
    }

    pub(crate) fn n_units(&self) -> usize {
        self.class.len()
    }

    pub(crate) fn is_programme(&self, unit: UnitId) -> bool {
        self.class.get(unit.index()).is_some_and(|c| c % 2 == 1)
    }

    pub(crate) fn org_of(&self, unit: UnitId) -> Option<OrgIdx> {
        self.org.get(unit.index()).copied()
    }

    pub(crate) fn level_of(&self, unit: UnitId) -> Option<Level> {
        self.org_of(unit)
            .and_then(|o| self.level.get(o.0 as usize).copied())
    }

    /// The programme units of an organisation.
    pub(crate) fn programmes_of(&self, org: OrgIdx) -> &[UnitId] {
        let o = org.0 as usize;
        match (self.prog_start.get(o), self.prog_start.get(o + 1)) {
            (Some(&a), Some(&b)) => self.prog_units.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}
