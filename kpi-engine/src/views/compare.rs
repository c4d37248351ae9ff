//! The `compare` view and the peer comparison behind it (also used by `table` and the CLI).

use super::*;
use kpi_stats::comparative::RateSignificance;
use kpi_stats::{rate_significance, Computed, NotComputable, RateScale};

/// One member of a peer comparison (the rows of `kpi compare` and the `table` view).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComparisonRow {
    /// `org_id`.
    pub org_id: String,
    /// Programme code, for programme comparisons.
    pub programme: Option<String>,
    /// Name in kk, ru and en.
    pub name: Labels,
    /// The value; `None` when not computable.
    pub value: Option<f64>,
    /// Why the value is not computable.
    pub reason: Option<Text>,
    /// Percentile rank `100 × (below + 0.5 × equal) / n` (docs/methods.md).
    pub percentile: Option<f64>,
    /// z-score.
    pub z: Option<f64>,
    /// Robust z `0.6745 × (x − median) / MAD`.
    pub robust_z: Option<f64>,
    /// Rank, 1 = best by direction, ties share the smallest rank.
    pub rank: Option<usize>,
    /// `|robust z| > 3.5`.
    pub outlier: bool,
    /// The organisation the request is about.
    pub highlight: bool,
    /// For a rate indicator (one with counts) and a row with a value: its
    /// 95% Wilson interval against the peer median, with the verdict
    /// (significantly better, worse, or not significant), or why that is
    /// not computable (counts missing, no trials). `None` (JSON `null`) for
    /// other indicators, for `risk_score` and for rows without a value.
    #[serde(serialize_with = "serialize_significance")]
    pub significance: Option<Computed<RateSignificance>>,
}

/// The chart's whisker and mark of a rate's significance against the peer median.
fn bar_significance(s: &RateSignificance) -> kpi_chart::BarSignificance {
    use kpi_chart::Significance;
    use kpi_stats::comparative::RateVerdict;
    kpi_chart::BarSignificance {
        lower: s.interval.lower,
        upper: s.interval.upper,
        verdict: match s.verdict {
            RateVerdict::SignificantlyBetter => Significance::Better,
            RateVerdict::SignificantlyWorse => Significance::Worse,
            RateVerdict::NotSignificant => Significance::NotSignificant,
        },
    }
}

fn serialize_significance<S: serde::Serializer>(
    v: &Option<Computed<RateSignificance>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        None => s.serialize_none(),
        Some(c) => kpi_stats::computed_serde::serialize(c, s),
    }
}

/// A peer comparison of one indicator in one year. See [`Engine::comparison`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The indicator (or `risk_score`).
    pub indicator: IndicatorInfo,
    /// The year.
    pub year: Year,
    /// The level of the peer group.
    pub level: Level,
    /// What the peer group is, in kk, ru and en.
    pub peer_group: Labels,
    /// Peers with a value.
    pub n: usize,
    /// The peer median.
    pub median: Option<f64>,
    /// Members, best first, not-computable ones last.
    pub rows: Vec<ComparisonRow>,
    /// The sentence about the highlighted organisation (or the distribution), in kk, ru
    /// and en.
    pub summary: Option<Labels>,
}

impl Engine {
    /// The peer comparison behind the `compare` and `table` views and `kpi
    /// compare`: every member of the peer group with value, percentile, z,
    /// robust z, rank and outlier flag. `indicator` may be `risk_score`.
    pub fn comparison(&self, r: &ViewRequest) -> Result<Comparison, EngineError> {
        let code = self.required_indicator(r)?.trim();
        let org = match r.org.as_deref() {
            Some(id) => Some(self.org(id)?),
            None => None,
        };
        let programme = r
            .programme
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        if let (Some(o), Some(p)) = (org, programme) {
            if self.dataset.programme_unit(o, p).is_none() {
                return Err(EngineError::UnknownProgramme {
                    org: self.dataset.org(o).id.clone(),
                    programme: p.to_string(),
                });
            }
        }
        // (info, direction, values per unit in a year)
        let risk = code == RISK_SCORE;
        let (info, direction, subject, id) = if risk {
            let info = risk_score_info();
            let subject = Subject::new(
                match &info.label {
                    Text::Langs(l) => l.clone(),
                    Text::Plain(p) => Labels::same(p),
                },
                "points",
            );
            (info, Direction::Lower, subject, None)
        } else {
            let (id, def) = self.indicator_def(code)?;
            if let Some(o) = org {
                let unit = match programme {
                    Some(p) => self
                        .dataset
                        .programme_unit(o, p)
                        .unwrap_or(self.dataset.org_unit(o)),
                    None => self.dataset.org_unit(o),
                };
                let t = Target {
                    org: o,
                    unit,
                    programme: programme.map(String::from),
                    names: Labels::default(),
                };
                self.check_applies(id, def, &t)?;
            }
            (
                indicator_info(def),
                def.direction,
                subject_of(def),
                Some(id),
            )
        };
        let year = match r.year {
            Some(y) => y,
            None => match id {
                Some(id) => self
                    .latest_year_with_data(id, org, r.peers.as_ref(), programme)
                    .or_else(|| self.latest_year())
                    .ok_or_else(|| EngineError::NoData {
                        what: "the dataset has no years".into(),
                    })?,
                None => self.latest_year().ok_or_else(|| EngineError::NoData {
                    what: "the dataset has no years".into(),
                })?,
            },
        };
        let group: Group = self.peer_group(org, r.peers.as_ref(), Some(year))?;
        if let Some(id) = id {
            if let Some(def) = self.indicators.def(id) {
                if !def.applies_to(group.level) {
                    return Err(EngineError::NotApplicable {
                        indicator: def.code.clone(),
                        level: group.level.code().into(),
                        org: org
                            .map(|o| self.dataset.org(o).id.clone())
                            .unwrap_or_else(|| "-".into()),
                    });
                }
            }
        }
        let units = if risk {
            group
                .orgs
                .iter()
                .map(|&o| (o, self.dataset.org_unit(o)))
                .collect()
        } else {
            self.group_units(&group, programme)
        };
        let mut rows: Vec<ComparisonRow> = Vec::with_capacity(units.len());
        for &(o, u) in &units {
            let (value, reason) = match id {
                Some(id) => match self.indicators.get(id, u, year) {
                    Some(out) => (out.value().filter(|v| v.is_finite()), reason_text(&out)),
                    None => (None, Some(Text::from("not applicable"))),
                },
                // The score computed at load: no explanation is built for each peer.
                None => match self.risk_summary(o, year) {
                    Some(summary) => match summary.score.filter(|s| s.is_finite()) {
                        Some(s) if summary.degree != Degree::InsufficientData => (Some(s), None),
                        _ => (
                            None,
                            Some(Text::Plain(format!(
                                "insufficient data: {:.0}% of the criteria weight computable",
                                100.0 * summary.computable_weight_share
                            ))),
                        ),
                    },
                    None => (None, Some(Text::from("no risk criteria apply"))),
                },
            };
            rows.push(ComparisonRow {
                org_id: self.dataset.org(o).id.clone(),
                programme: self.dataset.programme_code(u).map(String::from),
                name: self.unit_name(o, u),
                value,
                reason,
                percentile: None,
                z: None,
                robust_z: None,
                rank: None,
                outlier: false,
                highlight: Some(o) == org,
                significance: None,
            });
        }
        let valued: Vec<(usize, f64)> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, row)| row.value.map(|v| (i, v)))
            .collect();
        let cmp: Option<PeerComparison<usize>> = peer_positions(&valued, direction).ok();
        if let Some(cmp) = &cmp {
            for p in &cmp.positions {
                if let Some(row) = rows.get_mut(p.id) {
                    row.percentile = Some(p.percentile_rank);
                    row.z = p.z.as_ref().ok().copied();
                    row.robust_z = p.robust_z.as_ref().ok().copied();
                    row.rank = Some(p.rank);
                    row.outlier = p.outlier;
                }
            }
        }
        // Rates: the Wilson interval of each valued row against the peer median.
        let rate = id.and_then(|id| {
            let def = self.indicators.def(id)?;
            let factor = def.counts.as_ref()?.scale;
            let scale = [RateScale::Percent, RateScale::Share]
                .into_iter()
                .find(|s| s.factor() == factor)?;
            Some((id, scale))
        });
        if let (Some((id, scale)), Some(c)) = (rate, &cmp) {
            let median = c.distribution.median;
            for (row, &(_, u)) in rows.iter_mut().zip(&units) {
                if row.value.is_none() {
                    continue;
                }
                row.significance = Some(match self.indicators.counts(&self.dataset, id, u, year) {
                    Some(k) => rate_significance(k.successes, k.trials, scale, median, direction),
                    None => Err(NotComputable::MissingData {
                        what: "the counts behind the rate".into(),
                    }),
                });
            }
        }
        let summary = cmp.as_ref().map(|c| {
            let highlighted = rows.iter().position(|r| r.highlight);
            let position = highlighted.and_then(|h| c.positions.iter().find(|p| p.id == h));
            let significance = highlighted
                .and_then(|h| rows.get(h))
                .and_then(|r| r.significance.as_ref())
                .and_then(|s| s.as_ref().ok());
            Labels::from_fn(|lang| match position {
                Some(p) => {
                    let sentence = kpi_summary::position_sentence(
                        &subject,
                        c.direction,
                        c.n,
                        &c.reference,
                        p,
                        lang,
                    );
                    match significance {
                        Some(sig) => format!(
                            "{sentence} {}",
                            kpi_summary::rate_sentence(&subject, sig, lang)
                        ),
                        None => sentence,
                    }
                }
                None => kpi_summary::distribution_sentence(&subject, &c.distribution, lang),
            })
        });
        rows.sort_by(|a, b| {
            a.rank
                .is_none()
                .cmp(&b.rank.is_none())
                .then(a.rank.cmp(&b.rank))
                .then_with(|| a.org_id.cmp(&b.org_id))
        });
        Ok(Comparison {
            indicator: info,
            year,
            level: group.level,
            peer_group: group.label.clone(),
            n: valued.len(),
            median: cmp.as_ref().map(|c| c.distribution.median),
            rows,
            summary,
        })
    }

    pub(super) fn compare(&self, r: &ViewRequest) -> Result<CompareData, EngineError> {
        let c = self.comparison(r)?;
        let risk = c.indicator.code == RISK_SCORE;
        Ok(CompareData {
            bars: c
                .rows
                .iter()
                .map(|row| CompareBar {
                    id: match &row.programme {
                        Some(p) => format!("{}/{p}", row.org_id),
                        None => row.org_id.clone(),
                    },
                    org: Some(row.org_id.clone()),
                    programme: row.programme.clone(),
                    name: Text::Langs(row.name.clone()),
                    value: row.value,
                    reason: row.reason.clone(),
                    warnings: Vec::new(),
                    highlight: row.highlight,
                    significance: match &row.significance {
                        Some(Ok(s)) => Some(bar_significance(s)),
                        _ => None,
                    },
                })
                .collect(),
            indicator: c.indicator,
            year: Some(c.year),
            median: c.median,
            top: r.top,
            bottom: r.bottom,
            peer_group: Some(Text::Langs(c.peer_group)),
            axis: if risk {
                AxisOptions {
                    zero_baseline: Some(true),
                    min: Some(0.0),
                    max: Some(100.0),
                }
            } else {
                AxisOptions::default()
            },
            title: None,
            subtitle: c.summary.map(Text::Langs),
        })
    }
}
