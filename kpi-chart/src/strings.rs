//! Chart interface strings in kk, ru, en and ky, from `data/i18n/chart.toml`.

use kpi_model::i18n::{Labels, Lang};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The built-in translation file, embedded at compile time.
pub const BUILTIN_CHART_STRINGS: &str = include_str!("../data/i18n/chart.toml");

// The same file as a table (build.rs), read without a TOML parser.
include!(concat!(env!("OUT_DIR"), "/chart_strings.rs"));

macro_rules! messages {
    ($($variant:ident => $key:literal,)*) => {
        /// A chart interface string; its key in `chart.toml` is [`Msg::key`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum Msg {
            $($variant,)*
        }

        impl Msg {
            /// Every message, in file order.
            pub const ALL: &'static [Msg] = &[$(Msg::$variant,)*];

            /// The key in `chart.toml`.
            pub fn key(self) -> &'static str {
                match self {
                    $(Msg::$variant => $key,)*
                }
            }
        }
    };
}

messages! {
    Year => "year",
    AcademicYear => "academic_year",
    Value => "value",
    Unit => "unit",
    Organisation => "organisation",
    Indicator => "indicator",
    Direction => "direction",
    DirectionHigher => "direction_higher",
    DirectionLower => "direction_lower",
    DirectionTarget => "direction_target",
    Formula => "formula",
    Reason => "reason",
    Warnings => "warnings",
    PeerMedian => "peer_median",
    PeerIqr => "peer_iqr",
    Median => "median",
    Mean => "mean",
    Minimum => "minimum",
    Maximum => "maximum",
    Quartile1 => "quartile_1",
    Quartile3 => "quartile_3",
    Outlier => "outlier",
    Trend => "trend",
    Forecast => "forecast",
    ForecastInterval => "forecast_interval",
    Signal => "signal",
    NotComputable => "not_computable",
    NoData => "no_data",
    MissingYear => "missing_year",
    NEquals => "n_equals",
    PeerPercentile => "peer_percentile",
    PercentileOf => "percentile_of",
    RankOf => "rank_of",
    Rank => "rank",
    VsPreviousYear => "vs_previous_year",
    NoPreviousYear => "no_previous_year",
    Change => "change",
    Better => "better",
    Worse => "worse",
    TopN => "top_n",
    BottomN => "bottom_n",
    RowsHidden => "rows_hidden",
    ShowingTopBottom => "showing_top_bottom",
    EachBarOneOrg => "each_bar_one_org",
    OrganisationsCount => "organisations_count",
    Range => "range",
    RiskDegree => "risk_degree",
    RiskLow => "risk_low",
    RiskMedium => "risk_medium",
    RiskHigh => "risk_high",
    InsufficientData => "insufficient_data",
    RiskScore => "risk_score",
    PartialScore => "partial_score",
    WeightCoverage => "weight_coverage",
    RiskRising => "risk_rising",
    Contribution => "contribution",
    CriteriaNotComputable => "criteria_not_computable",
    Criterion => "criterion",
    CriterionScore => "criterion_score",
    Weight => "weight",
    Thresholds => "thresholds",
    MinGapNote => "min_gap_note",
    GrossCriterion => "gross_criterion",
    Points => "points",
    FamilyInput => "family_input",
    FamilyProcess => "family_process",
    FamilyOutcome => "family_outcome",
    FamilyEfficiency => "family_efficiency",
    FamilyScore => "family_score",
    UnitPersons => "unit_persons",
    UnitPoints => "unit_points",
    UnitIndex => "unit_index",
    UnitCount => "unit_count",
    UnitShare => "unit_share",
    UnitRatio => "unit_ratio",
    UnitSquareMetres => "unit_square_metres",
    PercentAxis => "percent_axis",
    LegendWorse => "legend_worse",
    LegendBetter => "legend_better",
    HeatLegend => "heat_legend",
    SortedBy => "sorted_by",
    Total => "total",
    RowsNotShown => "rows_not_shown",
    DataPoints => "data_points",
    KindKpiCard => "kind_kpi_card",
    KindTrend => "kind_trend",
    KindCompare => "kind_compare",
    KindDistribution => "kind_distribution",
    KindScatter => "kind_scatter",
    KindHeatmap => "kind_heatmap",
    KindRiskGauge => "kind_risk_gauge",
    KindRiskBreakdown => "kind_risk_breakdown",
    KindRadar => "kind_radar",
    KindTable => "kind_table",
    TrendRising => "trend_rising",
    TrendFalling => "trend_falling",
    TrendFlat => "trend_flat",
    ShareBelow => "share_below",
    BestCell => "best_cell",
    WorstCell => "worst_cell",
    FirstRow => "first_row",
    LastRow => "last_row",
    TestOls => "test_ols",
    TestMannKendall => "test_mann_kendall",
    Significant => "significant",
    NotSignificant => "not_significant",
    TrendSignificant => "trend_significant",
    TrendNotSignificant => "trend_not_significant",
    TrendTestsDisagree => "trend_tests_disagree",
    TestSlope => "test_slope",
    CardFallback => "card_fallback",
    SigBetter => "sig_better",
    SigWorse => "sig_worse",
    SigNot => "sig_not",
    SigLegend => "sig_legend",
    Family => "family",
    Note => "note",
    Significance => "significance",
    ThresholdsColumn => "thresholds_column",
    Statistic => "statistic",
    ValueRange => "value_range",
    IndicatorsCount => "indicators_count",
    KindGaps => "kind_gaps",
    GapsTitle => "gaps_title",
    GapsOverallMean => "gaps_overall_mean",
    GapsOverallMedian => "gaps_overall_median",
    GapsCi => "gaps_ci",
    GapsDifference => "gaps_difference",
    GapsVsOverall => "gaps_vs_overall",
    Group => "group",
    GapsLegend => "gaps_legend",
    GapsBestWorst => "gaps_best_worst",
    GapsBest => "gaps_best",
    GapsWorst => "gaps_worst",
    GapsParity => "gaps_parity",
    GapsBestShort => "gaps_best_short",
    GapsWorstShort => "gaps_worst_short",
    KindCohortFlow => "kind_cohort_flow",
    CohortTitle => "cohort_title",
    CohortRatesOf => "cohort_rates_of",
    CohortSurvival => "cohort_survival",
    CohortGraduatesOf => "cohort_graduates_of",
    CohortEfficiency => "cohort_efficiency",
    CohortEfficiencyName => "cohort_efficiency_name",
    CohortNotComputable => "cohort_not_computable",
    CohortGrade => "cohort_grade",
    CohortCourse => "cohort_course",
    CohortGraduates => "cohort_graduates",
    CohortGraduatesShort => "cohort_graduates_short",
    CohortOfEntrants => "cohort_of_entrants",
    CohortSurvivalRate => "cohort_survival_rate",
    CohortCompletionRate => "cohort_completion_rate",
    CohortPromoted => "cohort_promoted",
    CohortGraduated => "cohort_graduated",
    CohortRepeated => "cohort_repeated",
    CohortDropped => "cohort_dropped",
    CohortPupilYears => "cohort_pupil_years",
    CohortLegend => "cohort_legend",
    CohortLegendRates => "cohort_legend_rates",
    CohortStep => "cohort_step",
    CohortShare => "cohort_share",
}

/// A set of chart strings: the built-in file or an application's replacement.
///
/// ```
/// use kpi_chart::{ChartStrings, Msg};
/// use kpi_model::i18n::Lang;
/// let s = ChartStrings::builtin();
/// assert_eq!(s.get(Msg::RiskHigh, Lang::Kk), "Жоғары");
/// assert_eq!(s.fill(Msg::NEquals, Lang::En, &[("n", "134")]), "n = 134");
/// ```
#[derive(Clone, Debug, Default)]
pub struct ChartStrings {
    entries: HashMap<String, Labels>,
}

/// A translation file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("chart strings: {0}")]
pub struct ChartStringsError(String);

impl ChartStrings {
    /// The built-in strings (parsed once).
    pub fn builtin() -> &'static ChartStrings {
        Self::builtin_shared()
    }

    /// The built-in strings, shared (what [`crate::layout_chart_shared`] takes).
    pub fn builtin_shared() -> &'static Arc<ChartStrings> {
        static BUILTIN: OnceLock<Arc<ChartStrings>> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Arc::new(ChartStrings {
                // Every key with its three languages is checked by a unit test.
                entries: BUILTIN_ENTRIES
                    .iter()
                    .map(|&(key, kk, ru, en, ky)| {
                        let labels = Labels {
                            kk: kk.into(),
                            ru: ru.into(),
                            en: en.into(),
                            ky: ky.into(),
                        };
                        (key.to_string(), labels)
                    })
                    .collect(),
            })
        })
    }

    /// Parses a translation file: one table per key with `kk`, `ru`, `en`, `ky` strings.
    /// Keys missing from `text` fall back to the built-in strings; a key without `ky` gives
    /// Kyrgyz readers its Russian text ([`Labels::get`]). (Feature `toml`, on
    /// by default; the widgets' chart module leaves it out.)
    #[cfg(any(test, feature = "toml"))]
    pub fn from_toml(text: &str) -> Result<ChartStrings, ChartStringsError> {
        let entries: HashMap<String, Labels> =
            toml::from_str(text).map_err(|e| ChartStringsError(e.to_string()))?;
        Ok(ChartStrings { entries })
    }

    /// The string for `msg` in `lang` (falling back to another language, then to the
    /// built-in file, then to the key itself).
    pub fn get(&self, msg: Msg, lang: Lang) -> &str {
        if let Some(text) = self.entries.get(msg.key()).map(|l| l.get(lang)) {
            if !text.is_empty() {
                return text;
            }
        }
        let builtin = ChartStrings::builtin();
        if !std::ptr::eq(self, builtin) {
            return builtin.get(msg, lang);
        }
        msg.key()
    }

    /// The string for `msg` with every `{name}` replaced by its value.
    pub fn fill(&self, msg: Msg, lang: Lang, values: &[(&str, &str)]) -> String {
        let mut out = self.get(msg, lang).to_string();
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_left_out_of_the_core_build_are_used_by_extra_kinds_only() {
        // build.rs drops these keys without `extra-kinds`; the code of the core kinds and
        // everything shared must not use them (a core chart would show the bare key).
        let listed: Vec<&str> = include_str!("../data/i18n/extra-kinds-keys.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        assert!(listed.len() > 10);
        let extra_modules = [
            "scatter.rs",
            "heatmap.rs",
            "radar.rs",
            "gaps.rs",
            "cohort_flow.rs",
        ];
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        let mut dirs = vec![src];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        let name = |p: &std::path::Path| p.file_name().unwrap().to_string_lossy().into_owned();
        let shared: Vec<(String, String)> = files
            .iter()
            .filter(|p| {
                let n = name(p);
                // strings.rs defines the messages; tests and examples are not in a build.
                !extra_modules.contains(&n.as_str())
                    && !["strings.rs", "tests.rs", "examples.rs"].contains(&n.as_str())
            })
            .map(|p| (name(p), std::fs::read_to_string(p).unwrap()))
            .collect();
        assert!(shared.iter().any(|(n, _)| n == "trend.rs"));
        for key in listed {
            let msg = Msg::ALL
                .iter()
                .find(|m| m.key() == key)
                .unwrap_or_else(|| panic!("{key} is not a Msg key"));
            let used = format!("Msg::{msg:?}");
            for (file, text) in &shared {
                // Whole words only: `Msg::Peer` would not be `Msg::PeerMedian`.
                let whole = text.match_indices(&used).any(|(i, _)| {
                    !text[i + used.len()..]
                        .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                });
                assert!(
                    !whole,
                    "{key}: {used} is used in {file}, which the core build has"
                );
            }
        }
    }

    #[test]
    fn every_message_has_all_four_languages() {
        let parsed: HashMap<String, Labels> = toml::from_str(BUILTIN_CHART_STRINGS).unwrap();
        for msg in Msg::ALL {
            let labels = parsed
                .get(msg.key())
                .unwrap_or_else(|| panic!("{}", msg.key()));
            assert!(!labels.kk.is_empty(), "{} kk", msg.key());
            assert!(!labels.ru.is_empty(), "{} ru", msg.key());
            assert!(!labels.en.is_empty(), "{} en", msg.key());
            assert!(!labels.ky.is_empty(), "{} has no ky string", msg.key());
        }
        assert_eq!(parsed.len(), Msg::ALL.len(), "file has keys no Msg uses");
        // The table build.rs generated says the same as the file.
        let builtin = ChartStrings::builtin();
        for msg in Msg::ALL {
            for lang in Lang::ALL {
                assert_eq!(
                    builtin.get(*msg, lang),
                    parsed[msg.key()].get(lang),
                    "{}",
                    msg.key()
                );
            }
        }
    }

    #[test]
    fn kazakh_risk_terms_from_the_seeds() {
        let s = ChartStrings::builtin();
        assert_eq!(s.get(Msg::RiskDegree, Lang::Kk), "Тәуекел дәрежесі");
        assert_eq!(s.get(Msg::RiskLow, Lang::Kk), "Төмен");
        assert_eq!(s.get(Msg::RiskMedium, Lang::Kk), "Орташа");
        assert_eq!(s.get(Msg::RiskHigh, Lang::Kk), "Жоғары");
    }

    #[test]
    fn override_falls_back_to_builtin() {
        let s = ChartStrings::from_toml("[year]\nru = \"Уч. год\"\n").unwrap();
        assert_eq!(s.get(Msg::Year, Lang::Ru), "Уч. год");
        // Kazakh and English missing in the override: Labels::get falls back to Russian.
        assert_eq!(s.get(Msg::Year, Lang::Kk), "Уч. год");
        assert_eq!(s.get(Msg::Forecast, Lang::En), "Forecast");
        assert!(ChartStrings::from_toml("[year").is_err());
        // Kyrgyz missing in the override: the Russian text of the override.
        assert_eq!(s.get(Msg::Year, Lang::Ky), "Уч. год");
    }

    #[test]
    fn kyrgyz_terms_from_the_naryn_regulation() {
        let s = ChartStrings::builtin();
        assert_eq!(s.get(Msg::RiskDegree, Lang::Ky), "Тобокелдик деңгээли");
        assert_eq!(s.get(Msg::RiskHigh, Lang::Ky), "Жогору");
        assert_eq!(s.get(Msg::Trend, Lang::Ky), "Тенденция");
        assert_eq!(s.get(Msg::AcademicYear, Lang::Ky), "Окуу жылы");
        assert_eq!(s.fill(Msg::NEquals, Lang::Ky, &[("n", "134")]), "n = 134");
    }
}
