//! The loaded dataset: organisations, programmes, units, metrics, records and
//! the validation report.

use super::{
    region_key, Level, MetricStore, OrgIdx, Organisation, Programme, RegionIdx, StudentTable,
    TermResult, Unit, UnitId, Year, YearSpan,
};
use crate::metrics::{MetricId, MetricRegistry};
use crate::validate::ValidationReport;
use std::collections::HashMap;

/// The parts a dataset is assembled from (by the importer, or by hand in tests).
#[derive(Clone, Debug)]
pub struct DatasetParts {
    /// Organisations; they are reordered by level when the dataset is built.
    pub organisations: Vec<Organisation>,
    /// Programmes (`org` indices refer to `organisations` as given here).
    pub programmes: Vec<Programme>,
    /// Metric dictionary (built-in plus metrics first seen in the data).
    pub metrics: MetricRegistry,
    /// Values; its units must be `organisations.len() + programmes.len()` in the
    /// order of [`Dataset::units`] (organisations in the given order, then programmes).
    pub store: MetricStore,
    /// Student records.
    pub students: StudentTable,
    /// Term results from grades.
    pub terms: Vec<TermResult>,
    /// Validation report.
    pub report: ValidationReport,
}

/// A loaded, validated dataset.
///
/// Units `0..n_orgs` are the organisations, in the order of
/// [`organisations`](Self::organisations); programme units follow in the
/// order of [`programmes`](Self::programmes).
#[derive(Clone, Debug)]
pub struct Dataset {
    orgs: Vec<Organisation>,
    org_index: HashMap<String, OrgIdx>,
    regions: Vec<String>,
    org_region: Vec<RegionIdx>,
    programmes: Vec<Programme>,
    units: Vec<Unit>,
    programme_units: HashMap<OrgIdx, Vec<UnitId>>,
    programme_index: HashMap<(OrgIdx, String), UnitId>,
    metrics: MetricRegistry,
    store: MetricStore,
    students: StudentTable,
    terms: Vec<TermResult>,
    report: ValidationReport,
}

impl Dataset {
    /// Assembles a dataset and its indices. Organisations keep the order given.
    pub fn from_parts(parts: DatasetParts) -> Dataset {
        let DatasetParts {
            organisations,
            programmes,
            metrics,
            store,
            students,
            terms,
            report,
        } = parts;
        let org_index = organisations
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.clone(), OrgIdx(i as u32)))
            .collect();
        let mut region_ids: HashMap<String, RegionIdx> = HashMap::new();
        let mut regions = Vec::new();
        let org_region = organisations
            .iter()
            .map(|o| {
                *region_ids.entry(region_key(&o.region)).or_insert_with(|| {
                    regions.push(o.region.clone());
                    RegionIdx(regions.len() as u32 - 1)
                })
            })
            .collect::<Vec<RegionIdx>>();
        // A region written several ways (case, spaces) is one region; it is displayed the way
        // most organisations write it (the first spelling on a tie), not the way the first
        // row happens to.
        let mut spellings: Vec<Vec<(&str, usize)>> = vec![Vec::new(); regions.len()];
        for (o, r) in organisations.iter().zip(&org_region) {
            let list = &mut spellings[r.0 as usize];
            match list.iter_mut().find(|(name, _)| *name == o.region) {
                Some((_, n)) => *n += 1,
                None => list.push((&o.region, 1)),
            }
        }
        for (name, list) in regions.iter_mut().zip(&spellings) {
            let mut best: Option<(&str, usize)> = None;
            for &(spelling, n) in list {
                if best.is_none_or(|(_, m)| n > m) {
                    best = Some((spelling, n));
                }
            }
            if let Some((spelling, _)) = best {
                *name = spelling.to_string();
            }
        }
        let n_orgs = organisations.len();
        let mut units: Vec<Unit> = (0..n_orgs)
            .map(|i| Unit {
                org: OrgIdx(i as u32),
                programme: None,
            })
            .collect();
        let mut programme_units: HashMap<OrgIdx, Vec<UnitId>> = HashMap::new();
        let mut programme_index = HashMap::new();
        for (p, prog) in programmes.iter().enumerate() {
            let id = UnitId(units.len() as u32);
            units.push(Unit {
                org: prog.org,
                programme: Some(p as u32),
            });
            programme_units.entry(prog.org).or_default().push(id);
            programme_index.insert((prog.org, prog.code.clone()), id);
        }
        Dataset {
            orgs: organisations,
            org_index,
            regions,
            org_region,
            programmes,
            units,
            programme_units,
            programme_index,
            metrics,
            store,
            students,
            terms,
            report,
        }
    }

    /// All organisations.
    pub fn organisations(&self) -> &[Organisation] {
        &self.orgs
    }

    /// One organisation.
    pub fn org(&self, idx: OrgIdx) -> &Organisation {
        &self.orgs[idx.0 as usize]
    }

    /// The index of an organisation by its `org_id`.
    pub fn org_by_id(&self, id: &str) -> Option<OrgIdx> {
        self.org_index.get(id.trim()).copied()
    }

    /// Organisations of a level.
    pub fn orgs_of_level(&self, level: Level) -> impl Iterator<Item = OrgIdx> + '_ {
        self.orgs
            .iter()
            .enumerate()
            .filter(move |(_, o)| o.level == level)
            .map(|(i, _)| OrgIdx(i as u32))
    }

    /// Distinct regions, as first written.
    pub fn regions(&self) -> &[String] {
        &self.regions
    }

    /// The region of an organisation (regions compare case- and space-insensitively).
    pub fn region_of(&self, org: OrgIdx) -> RegionIdx {
        self.org_region[org.0 as usize]
    }

    /// All programmes.
    pub fn programmes(&self) -> &[Programme] {
        &self.programmes
    }

    /// All units: organisations first, then programmes.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// One unit.
    pub fn unit(&self, id: UnitId) -> Unit {
        self.units[id.index()]
    }

    /// The unit of an organisation as a whole.
    pub fn org_unit(&self, org: OrgIdx) -> UnitId {
        UnitId(org.0)
    }

    /// The programme units of an organisation.
    pub fn programme_units(&self, org: OrgIdx) -> &[UnitId] {
        self.programme_units
            .get(&org)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The unit of an organisation's programme by code.
    pub fn programme_unit(&self, org: OrgIdx, code: &str) -> Option<UnitId> {
        self.programme_index
            .get(&(org, code.trim().to_string()))
            .copied()
    }

    /// The programme code of a unit, `None` for an organisation unit.
    pub fn programme_code(&self, unit: UnitId) -> Option<&str> {
        let p = self.units.get(unit.index())?.programme?;
        Some(self.programmes[p as usize].code.as_str())
    }

    /// The level of a unit (its organisation's level).
    pub fn level_of(&self, unit: UnitId) -> Level {
        self.orgs[self.units[unit.index()].org.0 as usize].level
    }

    /// The metric dictionary.
    pub fn metrics(&self) -> &MetricRegistry {
        &self.metrics
    }

    /// The metric store.
    pub fn store(&self) -> &MetricStore {
        &self.store
    }

    /// The years covered by any value or record.
    pub fn years(&self) -> YearSpan {
        self.store.span()
    }

    /// A metric's bare value for a unit and year (the total over its breakdowns
    /// when only breakdowns were given).
    pub fn value(&self, unit: UnitId, year: Year, metric: &str) -> Option<f64> {
        let id: MetricId = self.metrics.id(metric)?;
        let col = self.store.column(crate::ColumnKey {
            metric: id,
            breakdown: None,
        })?;
        self.store.get(col, unit, year)
    }

    /// Student records.
    pub fn students(&self) -> &StudentTable {
        &self.students
    }

    /// Term results aggregated from grades.
    pub fn terms(&self) -> &[TermResult] {
        &self.terms
    }

    /// The validation report of the load.
    pub fn report(&self) -> &ValidationReport {
        &self.report
    }

    /// Mutable access to the report, for stages that add findings after loading.
    pub fn report_mut(&mut self) -> &mut ValidationReport {
        &mut self.report
    }
}

#[cfg(test)]
mod region_spelling_tests {
    use crate::{DatasetBuilder, Level};

    #[test]
    fn a_region_is_shown_as_most_organisations_write_it() {
        // "маңғыстау облысы" comes first but two of three rows write it capitalised.
        let dataset = DatasetBuilder::new(2023, 2023)
            .org("A", Level::School, "маңғыстау облысы")
            .org("B", Level::School, "Маңғыстау облысы")
            .org("C", Level::School, "Маңғыстау  облысы")
            .org("D", Level::School, "Маңғыстау облысы")
            .org("E", Level::School, "Астана")
            .build();
        assert_eq!(dataset.regions(), ["Маңғыстау облысы", "Астана"]);
        let a = dataset.org_by_id("A").unwrap();
        let d = dataset.org_by_id("D").unwrap();
        assert_eq!(dataset.region_of(a), dataset.region_of(d));
    }
}
