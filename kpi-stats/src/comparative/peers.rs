//! Peer groups: who an organisation is compared with (docs/methods.md,
//! "Comparative": same level and year by default; optionally also the same
//! region, ownership or locality; or an explicit list).
//!
//! A [`PeerGroup`] is plain data (serde, and a short text form for the
//! command line), so the CLI, the widgets and reports pass the same
//! definition. The year is not part of it: the caller passes the values of
//! one year.

use super::position::{peer_positions, PeerComparison};
use crate::computed::Computed;
use kpi_model::{Dataset, Direction, Level, Locality, OrgIdx, Ownership, RegionIdx};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// An attribute a peer must share with the organisation, besides the level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeerAttribute {
    /// The same region (облыс / область; compared case- and space-insensitively).
    Region,
    /// The same ownership (state or private).
    Ownership,
    /// The same locality (urban or rural).
    Locality,
}

impl PeerAttribute {
    /// All attributes.
    pub const ALL: [PeerAttribute; 3] = [
        PeerAttribute::Region,
        PeerAttribute::Ownership,
        PeerAttribute::Locality,
    ];

    /// The canonical code (`region`, `ownership`, `locality`).
    pub fn code(self) -> &'static str {
        match self {
            PeerAttribute::Region => "region",
            PeerAttribute::Ownership => "ownership",
            PeerAttribute::Locality => "locality",
        }
    }
}

/// Who an organisation is compared with. The organisation itself is always
/// part of its own peer group.
///
/// In JSON: `{"kind": "attributes", "also": ["region"]}` or
/// `{"kind": "explicit", "org_ids": ["…", "…"]}`. The default is the same
/// level (in the year compared) and nothing more.
///
/// ```
/// use kpi_stats::comparative::{PeerAttribute, PeerGroup};
/// let g: PeerGroup = "region,ownership".parse().unwrap();
/// assert_eq!(g, PeerGroup::same_level_and(&[PeerAttribute::Region, PeerAttribute::Ownership]));
/// assert_eq!(g.to_string(), "level+region+ownership");
/// assert_eq!("level".parse::<PeerGroup>().unwrap(), PeerGroup::default());
/// let json = serde_json::to_string(&g).unwrap();
/// assert_eq!(json, r#"{"kind":"attributes","also":["region","ownership"]}"#);
/// assert!("district".parse::<PeerGroup>().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PeerGroup {
    /// Organisations of the same level that also share each attribute in `also`.
    Attributes {
        /// Attributes shared besides the level (empty: level only).
        #[serde(default)]
        also: BTreeSet<PeerAttribute>,
    },
    /// The listed organisations (by `org_id`), whatever their level.
    Explicit {
        /// Organisation ids.
        org_ids: Vec<String>,
    },
}

impl Default for PeerGroup {
    fn default() -> Self {
        PeerGroup::Attributes {
            also: BTreeSet::new(),
        }
    }
}

/// A peer-group definition that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum PeerGroupError {
    /// The text form names something that is not a peer attribute.
    #[error("unknown peer group `{given}`; expected level, region, ownership or locality (several joined by `,` or `+`)")]
    UnknownAttribute {
        /// The word given.
        given: String,
    },
    /// An explicit list names organisations the dataset does not have.
    #[error("the peer list names unknown organisations: {}", .ids.join(", "))]
    UnknownOrganisations {
        /// The ids not found.
        ids: Vec<String>,
    },
    /// An explicit list is empty.
    #[error("the peer list is empty")]
    EmptyList,
}

impl PeerGroup {
    /// Same level, and also the given attributes.
    pub fn same_level_and(attributes: &[PeerAttribute]) -> PeerGroup {
        PeerGroup::Attributes {
            also: attributes.iter().copied().collect(),
        }
    }

    /// An explicit list of organisation ids.
    pub fn explicit<S: Into<String>>(org_ids: impl IntoIterator<Item = S>) -> PeerGroup {
        PeerGroup::Explicit {
            org_ids: org_ids.into_iter().map(Into::into).collect(),
        }
    }

    /// Whether peers must share `attribute`.
    pub fn requires(&self, attribute: PeerAttribute) -> bool {
        matches!(self, PeerGroup::Attributes { also } if also.contains(&attribute))
    }

    /// The key of the group `org` belongs to; `Err` names the attribute the
    /// organisation lacks (an organisation without a known ownership has no
    /// "same ownership" peers). Explicit lists have the key [`PeerKey::Explicit`].
    pub fn key_of(&self, dataset: &Dataset, org: OrgIdx) -> Result<PeerKey, PeerAttribute> {
        let also = match self {
            PeerGroup::Explicit { .. } => return Ok(PeerKey::Explicit),
            PeerGroup::Attributes { also } => also,
        };
        let o = dataset.org(org);
        let region = also
            .contains(&PeerAttribute::Region)
            .then(|| dataset.region_of(org));
        let ownership = if also.contains(&PeerAttribute::Ownership) {
            Some(o.ownership.ok_or(PeerAttribute::Ownership)?)
        } else {
            None
        };
        let locality = if also.contains(&PeerAttribute::Locality) {
            Some(o.locality.ok_or(PeerAttribute::Locality)?)
        } else {
            None
        };
        Ok(PeerKey::Attributes {
            level: o.level,
            region,
            ownership,
            locality,
        })
    }

    /// The members of `org`'s peer group, `org` included, in dataset order.
    /// An organisation lacking a required attribute has only itself.
    ///
    /// ```
    /// # use kpi_stats::comparative::PeerGroup;
    /// # use kpi_model::*;
    /// # let org = |id: &str, level, region: &str| Organisation { id: id.into(), name: id.into(),
    /// #     name_kk: None, name_ru: None, name_en: None, level, region: region.into(),
    /// #     ownership: None, locality: None };
    /// # let ds = Dataset::from_parts(DatasetParts {
    /// #     organisations: vec![org("a", Level::School, "Astana"), org("b", Level::School, "Almaty"),
    /// #                         org("c", Level::College, "Astana"), org("d", Level::School, "Astana")],
    /// #     programmes: vec![], metrics: kpi_model::metrics::MetricRegistry::builtin(),
    /// #     store: MetricStore::new(YearSpan::new(2023, 2023), 4), students: Default::default(),
    /// #     terms: vec![], report: Default::default() });
    /// let a = ds.org_by_id("a").unwrap();
    /// let ids = |g: &PeerGroup| -> Vec<String> {
    ///     g.members(&ds, a).unwrap().iter().map(|&o| ds.org(o).id.clone()).collect()
    /// };
    /// assert_eq!(ids(&PeerGroup::default()), ["a", "b", "d"]);          // schools
    /// assert_eq!(ids(&"region".parse().unwrap()), ["a", "d"]);          // schools of Astana
    /// assert_eq!(ids(&PeerGroup::explicit(["c"])), ["a", "c"]);         // the list and itself
    /// ```
    pub fn members(&self, dataset: &Dataset, org: OrgIdx) -> Result<Vec<OrgIdx>, PeerGroupError> {
        match self {
            PeerGroup::Explicit { .. } => {
                let mut list = self.resolve(dataset)?;
                if !list.contains(&org) {
                    list.push(org);
                    list.sort_unstable();
                }
                Ok(list)
            }
            PeerGroup::Attributes { .. } => {
                let Ok(key) = self.key_of(dataset, org) else {
                    return Ok(vec![org]);
                };
                Ok((0..dataset.organisations().len() as u32)
                    .map(OrgIdx)
                    .filter(|&o| self.key_of(dataset, o).as_ref() == Ok(&key))
                    .collect())
            }
        }
    }

    /// The organisations of an explicit list, in dataset order without
    /// repeats (all organisations for an attribute group).
    fn resolve(&self, dataset: &Dataset) -> Result<Vec<OrgIdx>, PeerGroupError> {
        let PeerGroup::Explicit { org_ids } = self else {
            return Ok((0..dataset.organisations().len() as u32)
                .map(OrgIdx)
                .collect());
        };
        if org_ids.is_empty() {
            return Err(PeerGroupError::EmptyList);
        }
        let mut unknown = Vec::new();
        let mut found = BTreeSet::new();
        for id in org_ids {
            match dataset.org_by_id(id) {
                Some(o) => {
                    found.insert(o);
                }
                None => unknown.push(id.trim().to_string()),
            }
        }
        if unknown.is_empty() {
            Ok(found.into_iter().collect())
        } else {
            Err(PeerGroupError::UnknownOrganisations { ids: unknown })
        }
    }

    /// Splits one indicator's values of one year into peer groups: every
    /// organisation with a value goes to the group of its key. Organisations
    /// lacking a required attribute are listed in
    /// [`PeerPartition::unassigned`]. For an explicit list there is one
    /// group: the listed organisations that have a value. Indices beyond the
    /// dataset's organisations (programme units, or another dataset's
    /// indices) are counted in [`PeerPartition::foreign`], never grouped.
    ///
    /// To split many indicators, build a [`PeerIndex`] once.
    pub fn partition(
        &self,
        dataset: &Dataset,
        values: &[(OrgIdx, f64)],
    ) -> Result<PeerPartition, PeerGroupError> {
        Ok(PeerIndex::new(dataset, self)?.partition(values))
    }
}

/// Where an organisation stands in a [`PeerIndex`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Membership {
    /// In the group with this position in `PeerIndex::keys`.
    Group(u32),
    /// Lacks an attribute the definition requires.
    Lacks(PeerAttribute),
    /// Not on the explicit list.
    Outside,
}

/// A peer-group definition resolved for one dataset: each organisation's
/// group, computed once, so that every indicator of a year is split without
/// recomputing keys (the national workload compares ~60 indicators).
///
/// ```
/// # use kpi_stats::comparative::{PeerGroup, PeerIndex};
/// # use kpi_model::*;
/// # let org = |id: &str, level| Organisation { id: id.into(), name: id.into(),
/// #     name_kk: None, name_ru: None, name_en: None, level, region: "Astana".into(),
/// #     ownership: None, locality: None };
/// # let ds = Dataset::from_parts(DatasetParts {
/// #     organisations: vec![org("a", Level::School), org("b", Level::School), org("c", Level::College)],
/// #     programmes: vec![], metrics: kpi_model::metrics::MetricRegistry::builtin(),
/// #     store: MetricStore::new(YearSpan::new(2023, 2023), 3), students: Default::default(),
/// #     terms: vec![], report: Default::default() });
/// let index = PeerIndex::new(&ds, &PeerGroup::default()).unwrap();
/// assert_eq!(index.n_groups(), 2); // schools, colleges
/// let employment = [(OrgIdx(0), 70.0), (OrgIdx(1), 80.0), (OrgIdx(2), 50.0)];
/// let dropout = [(OrgIdx(0), 3.0), (OrgIdx(1), 1.5)];
/// let (groups, _) = index.compare(&employment, Direction::Higher);
/// assert_eq!(groups.len(), 2);
/// let (groups, _) = index.compare(&dropout, Direction::Lower);
/// assert_eq!(groups.len(), 1); // no college has a value
/// ```
#[derive(Clone, Debug)]
pub struct PeerIndex {
    keys: Vec<PeerKey>,
    membership: Vec<Membership>,
}

impl PeerIndex {
    /// Resolves `group` for every organisation of `dataset`; fails only on
    /// an empty or unknown explicit list.
    pub fn new(dataset: &Dataset, group: &PeerGroup) -> Result<PeerIndex, PeerGroupError> {
        let n = dataset.organisations().len();
        if let PeerGroup::Explicit { .. } = group {
            let mut membership = vec![Membership::Outside; n];
            for org in group.resolve(dataset)? {
                if let Some(m) = membership.get_mut(org.0 as usize) {
                    *m = Membership::Group(0);
                }
            }
            return Ok(PeerIndex {
                keys: vec![PeerKey::Explicit],
                membership,
            });
        }
        let found: Vec<Result<PeerKey, PeerAttribute>> = (0..n as u32)
            .map(|o| group.key_of(dataset, OrgIdx(o)))
            .collect();
        let mut keys: Vec<PeerKey> = found.iter().filter_map(|k| k.ok()).collect();
        keys.sort_unstable();
        keys.dedup();
        let membership = found
            .iter()
            .map(|k| match k {
                Ok(key) => keys
                    .binary_search(key)
                    .map_or(Membership::Outside, |i| Membership::Group(i as u32)),
                Err(missing) => Membership::Lacks(*missing),
            })
            .collect();
        Ok(PeerIndex { keys, membership })
    }

    /// The number of groups (some may have no values for a given indicator).
    pub fn n_groups(&self) -> usize {
        self.keys.len()
    }

    /// The key of `org`'s group, if it has one.
    pub fn key_of(&self, org: OrgIdx) -> Option<PeerKey> {
        match self.membership.get(org.0 as usize)? {
            Membership::Group(g) => self.keys.get(*g as usize).copied(),
            _ => None,
        }
    }

    /// Splits one indicator's values of one year into the groups (see
    /// [`PeerGroup::partition`]); groups without values are left out.
    pub fn partition(&self, values: &[(OrgIdx, f64)]) -> PeerPartition {
        let mut buckets: Vec<Vec<(OrgIdx, f64)>> = vec![Vec::new(); self.keys.len()];
        let mut unassigned = Vec::new();
        let mut foreign = 0;
        for &(org, v) in values {
            match self.membership.get(org.0 as usize) {
                Some(Membership::Group(g)) => {
                    if let Some(b) = buckets.get_mut(*g as usize) {
                        b.push((org, v));
                    }
                }
                Some(Membership::Lacks(missing)) => unassigned.push((org, *missing)),
                Some(Membership::Outside) => {}
                None => foreign += 1,
            }
        }
        PeerPartition {
            groups: self
                .keys
                .iter()
                .zip(buckets)
                .filter(|(_, values)| !values.is_empty())
                .map(|(&key, values)| PeerSet { key, values })
                .collect(),
            unassigned,
            foreign,
        }
    }

    /// Compares every organisation of `values` with its peers (see
    /// [`compare_in_peer_groups`]).
    pub fn compare(
        &self,
        values: &[(OrgIdx, f64)],
        direction: Direction,
    ) -> (Vec<PeerSetComparison>, Vec<(OrgIdx, PeerAttribute)>) {
        let partition = self.partition(values);
        let groups = partition
            .groups
            .iter()
            .map(|set| PeerSetComparison {
                key: set.key,
                comparison: peer_positions(&set.values, direction),
            })
            .collect();
        (groups, partition.unassigned)
    }
}

impl fmt::Display for PeerGroup {
    /// `level`, `level+region+ownership`, or `list:id1,id2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeerGroup::Attributes { also } => {
                f.write_str("level")?;
                for a in also {
                    write!(f, "+{}", a.code())?;
                }
                Ok(())
            }
            PeerGroup::Explicit { org_ids } => write!(f, "list:{}", org_ids.join(",")),
        }
    }
}

impl std::str::FromStr for PeerGroup {
    type Err = PeerGroupError;

    /// Parses `level`, `region`, `ownership`, `locality`, several of them
    /// joined by `,` or `+` (the level is always implied), or `list:id1,id2,…`.
    fn from_str(s: &str) -> Result<PeerGroup, PeerGroupError> {
        let s = s.trim();
        if let Some(list) = s.strip_prefix("list:") {
            let ids: Vec<String> = list
                .split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(String::from)
                .collect();
            if ids.is_empty() {
                return Err(PeerGroupError::EmptyList);
            }
            return Ok(PeerGroup::Explicit { org_ids: ids });
        }
        let mut also = BTreeSet::new();
        for word in s.split([',', '+']).map(str::trim) {
            if word.eq_ignore_ascii_case("level") {
                continue;
            }
            match PeerAttribute::ALL
                .into_iter()
                .find(|a| a.code().eq_ignore_ascii_case(word))
            {
                Some(a) => {
                    also.insert(a);
                }
                None => {
                    return Err(PeerGroupError::UnknownAttribute {
                        given: word.to_string(),
                    })
                }
            }
        }
        Ok(PeerGroup::Attributes { also })
    }
}

/// The key of one peer group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PeerKey {
    /// Organisations sharing these attributes (`None`: not part of the definition).
    Attributes {
        /// The level.
        level: Level,
        /// The region, when peers share it.
        region: Option<RegionIdx>,
        /// The ownership, when peers share it.
        ownership: Option<Ownership>,
        /// The locality, when peers share it.
        locality: Option<Locality>,
    },
    /// An explicit list.
    Explicit,
}

/// One peer group's values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerSet {
    /// What the members share.
    pub key: PeerKey,
    /// The members' values, in input order.
    pub values: Vec<(OrgIdx, f64)>,
}

/// Values split into peer groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerPartition {
    /// The groups, ordered by key.
    pub groups: Vec<PeerSet>,
    /// Organisations left out, with the attribute they lack.
    pub unassigned: Vec<(OrgIdx, PeerAttribute)>,
    /// Values left out because their index is not an organisation of the dataset.
    pub foreign: usize,
}

/// One peer group's comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerSetComparison {
    /// What the members share.
    pub key: PeerKey,
    /// Positions and distribution; not computable when no member has a finite value.
    #[serde(with = "crate::computed_serde")]
    pub comparison: Computed<PeerComparison<OrgIdx>>,
}

/// Compares every organisation of `values` (one indicator, one year) with
/// its peers: splits the values by `group` and runs
/// [`peer_positions`] in each group. For many indicators, build a
/// [`PeerIndex`] once and call [`PeerIndex::compare`].
///
/// ```
/// # use kpi_stats::comparative::{compare_in_peer_groups, PeerGroup};
/// # use kpi_model::*;
/// # let org = |id: &str, level| Organisation { id: id.into(), name: id.into(),
/// #     name_kk: None, name_ru: None, name_en: None, level, region: "Astana".into(),
/// #     ownership: None, locality: None };
/// # let ds = Dataset::from_parts(DatasetParts {
/// #     organisations: vec![org("a", Level::School), org("b", Level::School), org("c", Level::College)],
/// #     programmes: vec![], metrics: kpi_model::metrics::MetricRegistry::builtin(),
/// #     store: MetricStore::new(YearSpan::new(2023, 2023), 3), students: Default::default(),
/// #     terms: vec![], report: Default::default() });
/// let values = [(OrgIdx(0), 70.0), (OrgIdx(1), 80.0), (OrgIdx(2), 50.0)];
/// let (groups, unassigned) =
///     compare_in_peer_groups(&ds, &PeerGroup::default(), &values, Direction::Higher).unwrap();
/// assert_eq!(groups.len(), 2); // schools, colleges
/// let schools = groups[0].comparison.as_ref().unwrap();
/// assert_eq!((schools.n, schools.positions[1].rank), (2, 1));
/// assert!(unassigned.is_empty());
/// ```
#[allow(clippy::type_complexity)]
pub fn compare_in_peer_groups(
    dataset: &Dataset,
    group: &PeerGroup,
    values: &[(OrgIdx, f64)],
    direction: Direction,
) -> Result<(Vec<PeerSetComparison>, Vec<(OrgIdx, PeerAttribute)>), PeerGroupError> {
    Ok(PeerIndex::new(dataset, group)?.compare(values, direction))
}
