//! Peer groups: which organisations a unit is compared with.

use super::{Engine, EngineError};
use kpi_model::i18n::{Labels, Lang};
use kpi_model::{region_key, Level, Locality, OrgIdx, Ownership, UnitId, Year};
use serde::{Deserialize, Serialize};

/// An explicit group of organisations: a level and a year, optionally narrowed
/// to a region, ownership, locality or a list of organisations.
///
/// A missing level is the level of the organisation the request is about; a
/// missing year is the request's year, else the latest year of the dataset.
///
/// ```
/// use kpi_engine::PeerSpec;
/// use kpi_model::Level;
/// let p: PeerSpec = serde_json::from_str(r#"{"level":"college","region":"Astana"}"#).unwrap();
/// assert_eq!(p.level, Some(Level::College));
/// assert!(p.year.is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PeerSpec {
    /// The level (in JSON its code: `school`, `college`, `university`, `preschool`).
    pub level: Option<Level>,
    /// Academic year.
    pub year: Option<Year>,
    /// Region name (compared case- and space-insensitively) or its key.
    pub region: Option<String>,
    /// Ownership (in JSON: `state`, `private`).
    pub ownership: Option<Ownership>,
    /// Locality (in JSON: `urban`, `rural`).
    pub locality: Option<Locality>,
    /// Only these organisations (by `org_id`).
    pub orgs: Option<Vec<String>>,
}

/// The `peers` of a request: a word as in the widget attribute
/// (`level`, `region`, `ownership`, `locality`, combinable as `region|ownership`:
/// same level and year plus the same attributes as the organisation) or a
/// [`PeerSpec`] object.
///
/// ```
/// use kpi_engine::PeersArg;
/// let w: PeersArg = serde_json::from_str(r#""region""#).unwrap();
/// assert_eq!(w, PeersArg::Word("region".into()));
/// let s: PeersArg = serde_json::from_str(r#"{"level":"school"}"#).unwrap();
/// assert!(matches!(s, PeersArg::Spec(_)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PeersArg {
    /// Same level and year, plus the named attributes of the organisation.
    Word(String),
    /// An explicit group.
    Spec(PeerSpec),
}

impl Default for PeersArg {
    fn default() -> Self {
        PeersArg::Word("level".into())
    }
}

/// A resolved peer group.
#[derive(Clone, Debug)]
pub(crate) struct Group {
    pub level: Level,
    pub year: Year,
    pub orgs: Vec<OrgIdx>,
    /// What the group is, for subtitles (`Colleges · Astana · 2023–2024`).
    pub label: Labels,
}

fn level_name(level: Level) -> Labels {
    let (kk, ru, en, ky) = match level {
        Level::Preschool => (
            "Мектепке дейінгі ұйымдар",
            "Дошкольные организации",
            "Preschools",
            "Мектепке чейинки уюмдар",
        ),
        Level::School => ("Мектептер", "Школы", "Schools", "Мектептер"),
        Level::College => ("Колледждер", "Колледжи", "Colleges", "Колледждер"),
        Level::University => ("ЖОО", "Вузы", "Universities", "ЖОЖдор"),
    };
    Labels {
        kk: kk.into(),
        ru: ru.into(),
        en: en.into(),
        ky: ky.into(),
    }
}

/// The level's name in `lang` (plural: `Colleges`).
pub(crate) fn level_label(level: Level, lang: Lang) -> String {
    level_name(level).get(lang).to_string()
}

impl Engine {
    /// Resolves the peer group of a request about `org` (optional) in `year`
    /// (optional: the spec's year, else the latest).
    pub(crate) fn peer_group(
        &self,
        org: Option<OrgIdx>,
        peers: Option<&PeersArg>,
        year: Option<Year>,
    ) -> Result<Group, EngineError> {
        let default = PeersArg::default();
        let peers = peers.unwrap_or(&default);
        let ds = &self.dataset;
        let org_data = org.map(|o| ds.org(o));
        let mut spec = PeerSpec::default();
        match peers {
            PeersArg::Spec(s) => spec = s.clone(),
            PeersArg::Word(word) => {
                for part in word
                    .split(['|', ',', '+', ' '])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                {
                    let need = |what: &str| {
                        EngineError::bad(format!(
                            "peers=\"{part}\" compares with the organisation's {what}: give an org"
                        ))
                    };
                    match part.to_ascii_lowercase().as_str() {
                        "level" | "all" => {}
                        "region" => {
                            let o = org_data.ok_or_else(|| need("region"))?;
                            spec.region = Some(o.region.clone());
                        }
                        "ownership" => {
                            let o = org_data.ok_or_else(|| need("ownership"))?;
                            let own = o.ownership.ok_or_else(|| {
                                EngineError::NoData {
                                    what: format!("the ownership of `{}` is not known", o.id),
                                }
                            })?;
                            spec.ownership = Some(own);
                        }
                        "locality" => {
                            let o = org_data.ok_or_else(|| need("locality"))?;
                            let loc = o.locality.ok_or_else(|| EngineError::NoData {
                                what: format!("the locality of `{}` is not known", o.id),
                            })?;
                            spec.locality = Some(loc);
                        }
                        other => {
                            return Err(EngineError::bad(format!(
                                "unknown peers `{other}`: expected level, region, ownership or locality"
                            )))
                        }
                    }
                }
            }
        }
        let level = match (&spec.level, org_data) {
            (Some(level), _) => *level,
            (None, Some(o)) => o.level,
            (None, None) => {
                return Err(EngineError::bad(
                    "the peer group needs a level (peers.level) or an organisation (org)",
                ))
            }
        };
        let year = match year.or(spec.year).or_else(|| self.latest_year()) {
            Some(y) => y,
            None => {
                return Err(EngineError::NoData {
                    what: "the dataset has no years".into(),
                })
            }
        };
        if !ds.years().contains(year) {
            return Err(EngineError::NoData {
                what: format!(
                    "year {year} is outside the dataset's years {}–{}",
                    ds.years().first,
                    ds.years().last
                ),
            });
        }
        let region = spec.region.as_deref().map(region_key);
        let (ownership, locality) = (spec.ownership, spec.locality);
        let explicit = match &spec.orgs {
            Some(ids) => Some(
                ids.iter()
                    .map(|id| self.org(id))
                    .collect::<Result<Vec<OrgIdx>, _>>()?,
            ),
            None => None,
        };
        let orgs: Vec<OrgIdx> = ds
            .orgs_of_level(level)
            .filter(|&o| {
                let d = ds.org(o);
                region.as_ref().is_none_or(|r| &region_key(&d.region) == r)
                    && ownership.is_none_or(|w| d.ownership == Some(w))
                    && locality.is_none_or(|l| d.locality == Some(l))
                    && explicit.as_ref().is_none_or(|e| e.contains(&o))
            })
            .collect();
        let mut label = level_name(level);
        let mut extra = Vec::new();
        if let Some(r) = &spec.region {
            extra.push(
                ds.regions()
                    .iter()
                    .find(|n| region_key(n) == region_key(r))
                    .cloned()
                    .unwrap_or_else(|| r.clone()),
            );
        }
        if let Some(w) = ownership {
            extra.push(w.code().to_string());
        }
        if let Some(l) = locality {
            extra.push(l.code().to_string());
        }
        if explicit.is_some() {
            extra.push(format!("{} orgs", orgs.len()));
        }
        let year_label = kpi_model::academic_year_label(year);
        for text in [&mut label.kk, &mut label.ru, &mut label.en, &mut label.ky] {
            for e in &extra {
                text.push_str(" · ");
                text.push_str(e);
            }
            text.push_str(" · ");
            text.push_str(&year_label);
        }
        Ok(Group {
            level,
            year,
            orgs,
            label,
        })
    }

    /// The units of a group: the organisations, or their programme with the
    /// given code (organisations without it are left out).
    pub(crate) fn group_units(
        &self,
        group: &Group,
        programme: Option<&str>,
    ) -> Vec<(OrgIdx, UnitId)> {
        group
            .orgs
            .iter()
            .filter_map(|&o| match programme {
                None => Some((o, self.dataset.org_unit(o))),
                Some(code) => self.dataset.programme_unit(o, code).map(|u| (o, u)),
            })
            .collect()
    }
}
