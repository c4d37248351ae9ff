//! The chart kinds: one enum that the chart input, the engine's requests, the
//! widget's `kind` attribute and the TypeScript declarations all take their
//! names from. Adding a kind starts here (`docs/extending.md`, "A chart kind").

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A kind of chart, named in the widget's `kind` attribute by its [`code`](Self::code).
///
/// ```
/// use kpi_chart::ChartKind;
/// assert_eq!(ChartKind::RiskGauge.code(), "risk-gauge");
/// assert_eq!("risk_gauge".parse::<ChartKind>(), Ok(ChartKind::RiskGauge));
/// assert_eq!(ChartKind::from_code("card"), Some(ChartKind::KpiCard));
/// let k: ChartKind = serde_json::from_str("\"trend\"").unwrap();
/// assert_eq!(k, ChartKind::Trend);
/// assert!(serde_json::from_str::<ChartKind>("\"pie\"").unwrap_err().to_string().contains("kpi-card"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChartKind {
    /// One indicator's latest value, change, sparkline and peer percentile.
    KpiCard,
    /// One unit's indicator over years with peers, trend, forecast and signals.
    Trend,
    /// Ranked bars of a peer group.
    Compare,
    /// Box plot or histogram of a peer group with the unit's position.
    Distribution,
    /// Two indicators across peers with median quadrants.
    Scatter,
    /// Units × indicators coloured by percentile in direction.
    Heatmap,
    /// Risk score 0–100 with the degree bands.
    RiskGauge,
    /// Criteria contributions to a risk score.
    RiskBreakdown,
    /// Family scores of a unit against the peer median.
    Radar,
    /// Group means with 95% confidence intervals and Welch's test.
    Gaps,
    /// A reconstructed cohort through the grades: survival, repetition, dropout.
    CohortFlow,
    /// The numbers as a table.
    Table,
}

impl ChartKind {
    /// Every kind, in the order of the documentation.
    pub const ALL: [ChartKind; 12] = [
        ChartKind::KpiCard,
        ChartKind::Trend,
        ChartKind::Compare,
        ChartKind::Distribution,
        ChartKind::Scatter,
        ChartKind::Heatmap,
        ChartKind::RiskGauge,
        ChartKind::RiskBreakdown,
        ChartKind::Radar,
        ChartKind::Gaps,
        ChartKind::CohortFlow,
        ChartKind::Table,
    ];

    /// The kinds most portal pages show, which every build lays out. The others need the
    /// `extra-kinds` feature: the widgets ship a core chart module with these only, loaded
    /// first, and a full one loaded when a page shows another kind (docs/widgets.md,
    /// "Two chart modules"; `wasm-widgets/js/loader.js` lists the same codes).
    ///
    /// ```
    /// use kpi_chart::ChartKind;
    /// assert!(ChartKind::Trend.is_core());
    /// assert!(!ChartKind::Heatmap.is_core());
    /// ```
    pub const CORE: [ChartKind; 5] = [
        ChartKind::KpiCard,
        ChartKind::Trend,
        ChartKind::Compare,
        ChartKind::Distribution,
        ChartKind::RiskGauge,
    ];

    /// Whether the kind is one of [`ChartKind::CORE`].
    pub fn is_core(self) -> bool {
        ChartKind::CORE.contains(&self)
    }

    /// Whether this build of the crate lays the kind out: the core kinds always, the
    /// others with the `extra-kinds` feature (on by default).
    pub fn is_built(self) -> bool {
        cfg!(feature = "extra-kinds") || self.is_core()
    }

    /// The name used in the `kind` attribute and in JSON (`kebab-case`).
    pub fn code(self) -> &'static str {
        match self {
            ChartKind::KpiCard => "kpi-card",
            ChartKind::Trend => "trend",
            ChartKind::Compare => "compare",
            ChartKind::Distribution => "distribution",
            ChartKind::Scatter => "scatter",
            ChartKind::Heatmap => "heatmap",
            ChartKind::RiskGauge => "risk-gauge",
            ChartKind::RiskBreakdown => "risk-breakdown",
            ChartKind::Radar => "radar",
            ChartKind::Gaps => "gaps",
            ChartKind::CohortFlow => "cohort-flow",
            ChartKind::Table => "table",
        }
    }

    /// The kind of a name: its code, trimmed and in any case, with `_` for `-`
    /// accepted, and `card` for `kpi-card`. `None` for anything else.
    pub fn from_code(code: &str) -> Option<ChartKind> {
        let code = code.trim().to_ascii_lowercase().replace('_', "-");
        if code == "card" {
            return Some(ChartKind::KpiCard);
        }
        ChartKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The codes of every kind, comma-separated, for messages.
    pub fn expected() -> String {
        ChartKind::ALL
            .iter()
            .map(|k| k.code())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for ChartKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A name that is not a chart kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown chart kind {found:?} (expected one of: {})",
    ChartKind::expected()
)]
pub struct UnknownChartKind {
    /// The name found.
    pub found: String,
}

impl FromStr for ChartKind {
    type Err = UnknownChartKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ChartKind::from_code(s).ok_or_else(|| UnknownChartKind {
            found: s.to_string(),
        })
    }
}

impl PartialEq<&str> for ChartKind {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

impl PartialEq<str> for ChartKind {
    fn eq(&self, other: &str) -> bool {
        self.code() == other
    }
}

impl Serialize for ChartKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for ChartKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for k in ChartKind::ALL {
            assert_eq!(ChartKind::from_code(k.code()), Some(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{k}\""));
            assert!(seen.insert(k.code()));
        }
        assert_eq!(
            ChartKind::from_code(" Risk_Breakdown "),
            Some(ChartKind::RiskBreakdown)
        );
        assert_eq!(ChartKind::from_code("pie"), None);
        let built = ChartKind::ALL.iter().filter(|k| k.is_built()).count();
        assert_eq!(built, if cfg!(feature = "extra-kinds") { 12 } else { 5 });
        assert_eq!(ChartKind::from_code(""), None);
    }
}
