//! The risk ranking of a group of organisations.

use super::{Engine, PeerSpec, PeersArg};
use kpi_model::i18n::{Labels, Lang};
use kpi_model::{region_key, Level, Year};
use kpi_risk::Degree;
use serde::Serialize;

/// One organisation in a risk ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankingRow {
    /// 1 = highest risk; equal scores share the smaller rank; organisations
    /// with insufficient data follow the scored ones.
    pub rank: usize,
    /// `org_id`.
    pub org_id: String,
    /// Name in the requested language.
    pub name: String,
    /// Names in kk, ru, en, ky.
    pub names: Labels,
    /// Region key.
    pub region: String,
    /// Region as written in the data.
    pub region_name: String,
    /// Level.
    pub level: Level,
    /// Year assessed.
    pub year: Year,
    /// Risk score 0–100 (partial when the data are insufficient), `null` when
    /// no criterion is computable.
    pub score: Option<f64>,
    /// `low`, `medium`, `high` or `insufficient_data`.
    pub degree: String,
    /// Share (0–1) of the applicable criteria weight that was computable.
    pub computable_weight_share: f64,
    /// Id of the criterion contributing most.
    pub top_criterion: Option<String>,
    /// Its name in kk, ru, en, ky.
    pub top_criterion_label: Option<Labels>,
}

impl Engine {
    /// The organisations of `peers` (level and year; the latest year when not
    /// given) sorted by risk score, highest first, those with insufficient
    /// data last. Without a level, every level is ranked together. An unknown
    /// level or organisation gives an empty list.
    ///
    /// ```
    /// use kpi_engine::{Engine, PeerSpec};
    /// use kpi_model::i18n::Lang;
    /// use kpi_indicators::Catalogue;
    /// use kpi_model::{DatasetBuilder, Level};
    /// use kpi_risk::CriteriaSet;
    /// let ds = DatasetBuilder::new(2023, 2023).org("S1", Level::School, "Astana").build();
    /// let report = ds.report().clone();
    /// let e = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
    /// let rows = e.ranking(&PeerSpec { level: Some(Level::School), ..Default::default() }, Lang::En);
    /// assert_eq!(rows.len(), 1);
    /// assert_eq!(rows[0].degree, "insufficient_data"); // no data: never "low"
    /// ```
    pub fn ranking(&self, peers: &PeerSpec, lang: Lang) -> Vec<RankingRow> {
        let levels: Vec<Level> = match peers.level {
            Some(l) => vec![l],
            None => Level::ALL.to_vec(),
        };
        let mut out = Vec::new();
        // Each region's key, made once per region rather than once per organisation (a
        // country has a few dozen regions).
        let mut regions: Vec<(&str, String)> = Vec::new();
        for level in levels {
            let spec = PeersArg::Spec(PeerSpec {
                level: Some(level),
                ..peers.clone()
            });
            let Ok(group) = self.peer_group(None, Some(&spec), peers.year) else {
                continue;
            };
            for &o in &group.orgs {
                // The summary computed at load, not the explanation: a national ranking
                // would otherwise build (and keep) 18,000 explanations nobody reads.
                let Some(s) = self.risk_summary(o, group.year) else {
                    continue;
                };
                let org = self.dataset.org(o);
                let top = s
                    .top_criterion
                    .and_then(|i| self.criteria.criteria().get(i));
                let region = match regions.iter().find(|(name, _)| *name == org.region) {
                    Some((_, key)) => key.clone(),
                    None => {
                        let key = region_key(&org.region);
                        regions.push((&org.region, key.clone()));
                        key
                    }
                };
                out.push(RankingRow {
                    rank: 0,
                    org_id: org.id.clone(),
                    name: org.display_name(lang).to_string(),
                    names: self.org_names(o),
                    region,
                    region_name: org.region.clone(),
                    level: org.level,
                    year: s.year,
                    score: s.score.filter(|s| s.is_finite()),
                    degree: s.degree.code().to_string(),
                    computable_weight_share: s.computable_weight_share,
                    top_criterion: top.map(|c| c.id.clone()),
                    top_criterion_label: top.map(|c| c.labels.clone()),
                });
            }
        }
        let insufficient = |r: &RankingRow| r.degree == Degree::InsufficientData.code();
        out.sort_by(|a, b| {
            insufficient(a)
                .cmp(&insufficient(b))
                .then_with(|| {
                    let (x, y) = (a.score.unwrap_or(-1.0), b.score.unwrap_or(-1.0));
                    y.total_cmp(&x)
                })
                .then_with(|| a.org_id.cmp(&b.org_id))
        });
        let mut prev: Option<(bool, Option<f64>, usize)> = None;
        for (i, row) in out.iter_mut().enumerate() {
            let key = (insufficient(row), row.score);
            row.rank = match prev {
                Some((ins, score, rank)) if ins == key.0 && score == key.1 => rank,
                _ => i + 1,
            };
            prev = Some((key.0, key.1, row.rank));
        }
        out
    }
}
