//! Risk criteria as data: the shipped defaults (`data/criteria.toml`) and
//! user files that replace or extend them.

use kpi_model::i18n::Labels;
use kpi_model::{Direction, Level};
use serde::{Deserialize, Serialize};

/// The built-in criteria file.
pub const BUILTIN_CRITERIA_TOML: &str = include_str!("../data/criteria.toml");

/// [`BUILTIN_CRITERIA_TOML`] compiled by build.rs (see [`kpi_model::builtin_doc`]).
const BUILTIN_CRITERIA_DOC: &str = include_str!(concat!(env!("OUT_DIR"), "/criteria.json"));

/// How a criterion's `warn` and `critical` thresholds are given.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Thresholds {
    /// Fixed values in the indicator's unit. For `target` indicators they are
    /// distances outside the band.
    Fixed {
        /// Where the score starts to rise above 0.
        warn: f64,
        /// Where the score reaches 1.
        critical: f64,
    },
    /// Percentiles of *goodness* within the peer group in the same year
    /// (0 = the worst peer, 100 = the best): `warn = 25, critical = 10` means
    /// "worse than three quarters of peers starts to count; worse than nine
    /// in ten is critical", whatever the indicator's direction.
    PeerPercentile {
        /// Goodness percentile where the score starts to rise.
        warn: f64,
        /// Goodness percentile where the score reaches 1.
        critical: f64,
        /// The minimum meaningful gap from the peer median, in the
        /// indicator's unit: a threshold is never closer to the median than
        /// this, however close the peers are to each other.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_gap: Option<MinGap>,
    },
}

/// The minimum meaningful gap of a peer-relative criterion: how far, in the
/// indicator's unit (distances for `target` indicators), each threshold lies
/// at least from the peer median on the bad side. When the peers are close
/// together, their percentiles sit a fraction of a point from the median and
/// a trivial difference would count as risk; the gap sets a floor under that.
///
/// For a `higher` indicator with peer median 98.5, percentile thresholds
/// 98.23 / 98.16 and a gap of 2 / 5 points, the thresholds applied are
/// `min(98.23, 98.5 − 2) = 96.5` and `min(98.16, 98.5 − 5) = 93.5`.
///
/// ```
/// use kpi_risk::MinGap;
/// let g = MinGap { warn: 2.0, critical: 5.0 };
/// assert!(g.warn <= g.critical);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MinGap {
    /// Least distance of the `warn` threshold from the peer median.
    pub warn: f64,
    /// Least distance of the `critical` threshold from the peer median.
    pub critical: f64,
}

/// One risk criterion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Identifier, unique within a criteria set.
    pub id: String,
    /// Display names.
    pub labels: Labels,
    /// The indicator it reads (a catalogue code).
    pub indicator: String,
    /// Levels it applies to.
    pub levels: Vec<Level>,
    /// Positive weight.
    pub weight: f64,
    /// Thresholds.
    pub thresholds: Thresholds,
    /// Crossing `critical` alone makes the risk high.
    pub gross: bool,
    /// Why this criterion, weight and thresholds (shown beside the defaults).
    pub rationale: String,
    /// Why the minimum gap of a peer-relative criterion has its size (empty
    /// without a gap).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub min_gap_reason: String,
    /// 1-based line of the criterion in its file, for messages.
    #[serde(skip)]
    pub line: usize,
}

/// Degree cut-offs and the data-sufficiency rule (docs/risk.md).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DegreeRules {
    /// Highest score that is still `low` (default 30).
    pub low_max: f64,
    /// Highest score that is still `medium` (default 70).
    pub medium_max: f64,
    /// Minimum share of the applicable weight that must be computable (default 0.6).
    pub min_computable_weight_share: f64,
    /// Minimum peers (the unit included) for a peer-percentile threshold (default 5).
    pub min_peers: usize,
}

impl Default for DegreeRules {
    fn default() -> Self {
        DegreeRules {
            low_max: 30.0,
            medium_max: 70.0,
            min_computable_weight_share: 0.6,
            min_peers: 5,
        }
    }
}

/// A set of criteria with its degree rules.
///
/// ```
/// use kpi_risk::CriteriaSet;
/// use kpi_model::Level;
/// let set = CriteriaSet::builtin();
/// assert!(set.for_level(Level::University).count() >= 8);
/// assert!(set.criteria().iter().any(|c| c.gross));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriteriaSet {
    criteria: Vec<Criterion>,
    rules: DegreeRules,
}

/// An error in a criteria file: file, line and reason.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct CriteriaError {
    /// File name.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDegrees {
    low_max: Option<f64>,
    medium_max: Option<f64>,
    min_computable_weight_share: Option<f64>,
    min_peers: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileThresholds {
    warn: f64,
    critical: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileMinGap {
    warn: f64,
    critical: f64,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCriterion {
    id: serde_spanned::Spanned<String>,
    #[serde(default)]
    labels: Labels,
    indicator: String,
    levels: Vec<Level>,
    weight: f64,
    warn: Option<f64>,
    critical: Option<f64>,
    peer_percentile: Option<FileThresholds>,
    /// For `peer_percentile`: `{ warn, critical, reason }`, distances from the peer median.
    min_gap: Option<FileMinGap>,
    #[serde(default)]
    gross: bool,
    #[serde(default)]
    rationale: String,
    /// In a user file: drop the criterion with this id instead of defining it.
    #[serde(default)]
    remove: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CriteriaFile {
    /// `replace` (default for a user file: false = extend/override by id).
    #[serde(default)]
    replace: bool,
    degrees: Option<FileDegrees>,
    #[serde(default, rename = "criterion")]
    criteria: Vec<FileCriterion>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map(|s| s.bytes().filter(|&b| b == b'\n').count() + 1)
        .unwrap_or(0)
}

impl CriteriaSet {
    /// The shipped defaults.
    pub fn builtin() -> Self {
        // data/criteria.toml as build.rs compiled it (no TOML parser at run time); unit
        // tests check it and compare it with the TOML parse. An error is a build defect.
        let mut set = CriteriaSet {
            criteria: Vec::new(),
            rules: DegreeRules::default(),
        };
        let (parsed, lines) = kpi_model::builtin_doc::read::<CriteriaFile>(BUILTIN_CRITERIA_DOC)
            .unwrap_or_else(|e| panic!("built-in criteria are invalid: {e}"));
        set.apply_file(
            "criteria.toml",
            parsed,
            |offset| lines.line_of(offset),
            true,
        )
        .unwrap_or_else(|e| panic!("built-in criteria are invalid: {e}"));
        set
    }

    /// Reads a complete criteria set from TOML.
    pub fn from_toml_str(file: &str, text: &str) -> Result<Self, CriteriaError> {
        let mut set = CriteriaSet {
            criteria: Vec::new(),
            rules: DegreeRules::default(),
        };
        set.apply_toml_str(file, text, true)?;
        Ok(set)
    }

    /// The defaults changed by a user file: with `replace = true` at its top
    /// the file's criteria replace all defaults; otherwise criteria with a known
    /// id override it, new ids are added, and `remove = true` drops one.
    pub fn with_user_file(mut self, file: &str, text: &str) -> Result<Self, CriteriaError> {
        self.apply_toml_str(file, text, false)?;
        Ok(self)
    }

    fn apply_toml_str(&mut self, file: &str, text: &str, whole: bool) -> Result<(), CriteriaError> {
        let parsed: CriteriaFile = toml::from_str(text).map_err(|e| CriteriaError {
            file: file.to_string(),
            line: e.span().map(|s| line_of(text, s.start)).unwrap_or(0),
            reason: e.message().to_string(),
        })?;
        self.apply_file(file, parsed, |offset| line_of(text, offset), whole)
    }

    /// Applies a parsed file; `line_of` gives the 1-based line of a byte offset in it.
    fn apply_file(
        &mut self,
        file: &str,
        parsed: CriteriaFile,
        line_of: impl Fn(usize) -> usize,
        whole: bool,
    ) -> Result<(), CriteriaError> {
        let err = |line: usize, reason: String| CriteriaError {
            file: file.to_string(),
            line,
            reason,
        };
        if parsed.replace || whole {
            self.criteria.clear();
        }
        if let Some(d) = parsed.degrees {
            let r = &mut self.rules;
            r.low_max = d.low_max.unwrap_or(r.low_max);
            r.medium_max = d.medium_max.unwrap_or(r.medium_max);
            r.min_computable_weight_share = d
                .min_computable_weight_share
                .unwrap_or(r.min_computable_weight_share);
            r.min_peers = d.min_peers.unwrap_or(r.min_peers);
            if !(0.0..=100.0).contains(&r.low_max) || !(r.low_max..=100.0).contains(&r.medium_max) {
                return Err(err(
                    0,
                    format!(
                        "degree cut-offs must satisfy 0 ≤ low_max ≤ medium_max ≤ 100 (found {} and {})",
                        r.low_max, r.medium_max
                    ),
                ));
            }
            if !(0.0..=1.0).contains(&r.min_computable_weight_share) {
                return Err(err(
                    0,
                    "min_computable_weight_share must lie in 0–1".to_string(),
                ));
            }
        }
        for fc in parsed.criteria {
            let line = line_of(fc.id.span().start);
            let id = fc.id.into_inner();
            if fc.remove {
                self.criteria.retain(|c| c.id != id);
                continue;
            }
            if !(fc.weight.is_finite() && fc.weight > 0.0) {
                return Err(err(
                    line,
                    format!(
                        "criterion `{id}`: weight must be a positive number, found {}",
                        fc.weight
                    ),
                ));
            }
            if fc.levels.is_empty() {
                return Err(err(line, format!("criterion `{id}`: `levels` is empty")));
            }
            let thresholds = match (fc.warn, fc.critical, fc.peer_percentile) {
                (Some(warn), Some(critical), None) => {
                    if fc.min_gap.is_some() {
                        return Err(err(line, format!("criterion `{id}`: `min_gap` applies only to `peer_percentile` thresholds")));
                    }
                    if !warn.is_finite() || !critical.is_finite() {
                        return Err(err(line, format!("criterion `{id}`: thresholds must be finite numbers")));
                    }
                    Thresholds::Fixed { warn, critical }
                }
                (None, None, Some(p)) => {
                    if !(0.0..=100.0).contains(&p.warn) || !(0.0..=100.0).contains(&p.critical) {
                        return Err(err(line, format!("criterion `{id}`: peer percentiles must lie in 0–100")));
                    }
                    if p.critical > p.warn {
                        return Err(err(line, format!(
                            "criterion `{id}`: peer_percentile.critical ({}) must not be above warn ({}): percentiles count goodness, 0 = worst peer",
                            p.critical, p.warn
                        )));
                    }
                    let min_gap = match &fc.min_gap {
                        None => None,
                        Some(g) => {
                            if !(g.warn.is_finite() && g.critical.is_finite() && 0.0 <= g.warn && g.warn <= g.critical) {
                                return Err(err(line, format!(
                                    "criterion `{id}`: min_gap must satisfy 0 ≤ warn ≤ critical (found {} and {}): distances from the peer median in the indicator's unit",
                                    g.warn, g.critical
                                )));
                            }
                            if g.reason.trim().is_empty() {
                                return Err(err(line, format!(
                                    "criterion `{id}`: min_gap needs a `reason` saying why a smaller difference does not matter"
                                )));
                            }
                            Some(MinGap { warn: g.warn, critical: g.critical })
                        }
                    };
                    Thresholds::PeerPercentile { warn: p.warn, critical: p.critical, min_gap }
                }
                _ => {
                    return Err(err(line, format!(
                        "criterion `{id}`: give either `warn` and `critical`, or `peer_percentile = {{ warn, critical }}`"
                    )))
                }
            };
            let criterion = Criterion {
                id: id.clone(),
                labels: fc.labels,
                indicator: fc.indicator,
                levels: fc.levels,
                weight: fc.weight,
                thresholds,
                gross: fc.gross,
                rationale: fc.rationale,
                min_gap_reason: fc.min_gap.map(|g| g.reason).unwrap_or_default(),
                line,
            };
            match self.criteria.iter_mut().find(|c| c.id == id) {
                Some(existing) if !whole => *existing = criterion,
                Some(_) => return Err(err(line, format!("criterion `{id}` is defined twice"))),
                None => self.criteria.push(criterion),
            }
        }
        Ok(())
    }

    /// Checks every criterion against the indicator directions it will be
    /// used with: the indicator must exist, and fixed thresholds must lie on
    /// the right side (`higher`: warn > critical; `lower` and `target`
    /// distances: warn < critical).
    pub fn check(
        &self,
        file: &str,
        direction_of: impl Fn(&str) -> Option<Direction>,
    ) -> Result<(), CriteriaError> {
        for c in &self.criteria {
            let err = |reason: String| CriteriaError {
                file: file.to_string(),
                line: c.line,
                reason,
            };
            let dir = direction_of(&c.indicator).ok_or_else(|| {
                err(format!(
                    "criterion `{}`: unknown indicator `{}`",
                    c.id, c.indicator
                ))
            })?;
            if let Thresholds::Fixed { warn, critical } = c.thresholds {
                let ok = match dir {
                    Direction::Higher => warn >= critical,
                    Direction::Lower => warn <= critical,
                    Direction::Target { .. } => warn <= critical && warn >= 0.0,
                };
                if !ok {
                    return Err(err(format!(
                        "criterion `{}`: for a `{}` indicator warn ({warn}) must be {} critical ({critical})",
                        c.id,
                        dir.code(),
                        if dir == Direction::Higher { "above" } else { "below" }
                    )));
                }
            }
        }
        Ok(())
    }

    /// All criteria.
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    /// The criteria that apply to a level.
    pub fn for_level(&self, level: Level) -> impl Iterator<Item = &Criterion> + '_ {
        self.criteria
            .iter()
            .filter(move |c| c.levels.contains(&level))
    }

    /// The degree rules.
    pub fn rules(&self) -> &DegreeRules {
        &self.rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_in_criteria_are_the_toml_parse_of_criteria_toml() {
        // build.rs compiles data/criteria.toml; the TOML parser reading the same file must
        // give the same set, criterion by criterion and field by field (the lines too).
        let compiled = CriteriaSet::builtin();
        let parsed = CriteriaSet::from_toml_str("criteria.toml", BUILTIN_CRITERIA_TOML).unwrap();
        assert!(compiled.criteria.len() > 20);
        assert_eq!(compiled, parsed);
        // The lines are those of the file, found here by searching its text instead.
        for c in &compiled.criteria {
            let needle = format!("id = \"{}\"", c.id);
            let at = BUILTIN_CRITERIA_TOML
                .find(&needle)
                .expect("the id is in the file");
            assert_eq!(
                c.line,
                BUILTIN_CRITERIA_TOML[..at].lines().count() + 1,
                "{}",
                c.id
            );
        }
    }

    #[test]
    fn builtin_parses_and_every_level_has_criteria_with_reasons() {
        let set = CriteriaSet::builtin();
        for level in Level::ALL {
            assert!(set.for_level(level).count() >= 5, "{level}");
        }
        for c in set.criteria() {
            assert!(!c.rationale.is_empty(), "{} has no rationale", c.id);
            assert!(
                !c.labels.kk.is_empty() && !c.labels.ru.is_empty(),
                "{}",
                c.id
            );
            // Every built-in criterion has its Kyrgyz label (a missing one would show Russian).
            assert!(!c.labels.ky.is_empty(), "{} has no ky label", c.id);
            assert_ne!(c.labels.ky, c.labels.kk, "{}: ky copies kk", c.id);
        }
        let gross: Vec<_> = set
            .criteria()
            .iter()
            .filter(|c| c.gross)
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(gross, ["university.accreditation"]);
    }

    #[test]
    fn every_default_peer_criterion_has_a_min_gap_with_a_reason() {
        let set = CriteriaSet::builtin();
        let mut n = 0;
        for c in set.criteria() {
            if let Thresholds::PeerPercentile { min_gap, .. } = c.thresholds {
                let g = min_gap.unwrap_or_else(|| panic!("{} has no min_gap", c.id));
                assert!(0.0 < g.warn && g.warn <= g.critical, "{}", c.id);
                assert!(c.min_gap_reason.len() > 40, "{}", c.id);
                n += 1;
            } else {
                assert!(c.min_gap_reason.is_empty(), "{}", c.id);
            }
        }
        assert_eq!(n, 34);
        let fa = set
            .criteria()
            .iter()
            .find(|c| c.id == "university.final_attestation")
            .map(|c| c.thresholds);
        assert_eq!(
            fa,
            Some(Thresholds::PeerPercentile {
                warn: 25.0,
                critical: 10.0,
                min_gap: Some(MinGap {
                    warn: 2.0,
                    critical: 5.0
                })
            })
        );
    }

    #[test]
    fn min_gap_is_checked() {
        let head =
            "[[criterion]]\nid = \"a\"\nindicator = \"x\"\nlevels = [\"school\"]\nweight = 1\n";
        let bad = |tail: &str| {
            CriteriaSet::from_toml_str("g.toml", &format!("{head}{tail}"))
                .unwrap_err()
                .reason
        };
        let pp = "peer_percentile = { warn = 25, critical = 10 }\n";
        assert!(bad(&format!(
            "{pp}min_gap = {{ warn = 5, critical = 2, reason = \"r\" }}\n"
        ))
        .contains("0 ≤ warn ≤ critical"));
        assert!(bad(&format!(
            "{pp}min_gap = {{ warn = -1, critical = 2, reason = \"r\" }}\n"
        ))
        .contains("0 ≤ warn ≤ critical"));
        assert!(
            bad(&format!("{pp}min_gap = {{ warn = 1, critical = 2 }}\n"))
                .contains("needs a `reason`")
        );
        assert!(bad(
            "warn = 1\ncritical = 2\nmin_gap = { warn = 1, critical = 2, reason = \"r\" }\n"
        )
        .contains("only to `peer_percentile`"));
        let ok = CriteriaSet::from_toml_str(
            "g.toml",
            &format!("{head}{pp}min_gap = {{ warn = 1, critical = 2, reason = \"one pupil\" }}\n"),
        )
        .unwrap();
        assert_eq!(ok.criteria()[0].min_gap_reason, "one pupil");
    }

    #[test]
    fn user_file_overrides_removes_and_adds() {
        let set = CriteriaSet::builtin()
            .with_user_file(
                "mine.toml",
                r#"
[degrees]
low_max = 25

[[criterion]]
id = "school.shifts"
remove = true
indicator = "school_shifts"
levels = ["school"]
weight = 1
warn = 1
critical = 3

[[criterion]]
id = "school.dropout"
indicator = "dropout_rate"
levels = ["school"]
weight = 5
warn = 0.5
critical = 2
"#,
            )
            .unwrap();
        assert_eq!(set.rules().low_max, 25.0);
        assert!(set.criteria().iter().all(|c| c.id != "school.shifts"));
        let d = set
            .criteria()
            .iter()
            .find(|c| c.id == "school.dropout")
            .unwrap();
        assert_eq!(d.weight, 5.0);
        assert_eq!(
            d.thresholds,
            Thresholds::Fixed {
                warn: 0.5,
                critical: 2.0
            }
        );
    }

    #[test]
    fn bad_files_name_the_line_and_reason() {
        let text = "[[criterion]]\nid = \"a\"\nindicator = \"x\"\nlevels = [\"school\"]\nweight = -1\nwarn = 1\ncritical = 2\n";
        let e = CriteriaSet::from_toml_str("bad.toml", text).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.reason.contains("weight must be a positive number"), "{e}");

        let text =
            "[[criterion]]\nid = \"a\"\nindicator = \"x\"\nlevels = [\"school\"]\nweight = 1\n";
        let e = CriteriaSet::from_toml_str("bad.toml", text).unwrap_err();
        assert!(e.reason.contains("either `warn` and `critical`"), "{e}");

        let text = "[[criterion]]\nid = \"a\"\nindicator = \"x\"\nlevels = [\"kindergarten\"]\nweight = 1\nwarn = 1\ncritical = 2\n";
        let e = CriteriaSet::from_toml_str("bad.toml", text).unwrap_err();
        assert_eq!(e.line, 4, "{e}");

        let text = "[[criterion]]\nid = \"a\"\nindicator = \"pass\"\nlevels = [\"school\"]\nweight = 1\nwarn = 40\ncritical = 60\n";
        let set = CriteriaSet::from_toml_str("side.toml", text).unwrap();
        let e = set
            .check("side.toml", |_| Some(kpi_model::Direction::Higher))
            .unwrap_err();
        assert_eq!(e.to_string(), "side.toml:2: criterion `a`: for a `higher` indicator warn (40) must be above critical (60)");
        let e = set.check("side.toml", |_| None).unwrap_err();
        assert!(e.reason.contains("unknown indicator `pass`"));
    }
}
