//! Plain-language summaries of results in Kazakh, Russian, English and Kyrgyz.
//!
//! One short sentence per result, with numbers formatted for the language
//! ([`format_number`]: a no-break space between thousands, a decimal comma
//! for kk and ru) and units stated (`%`, percentage points for differences of
//! percentages, тенге, баллы …). The sentences are the widgets' `aria-label`
//! and the report text, so each stands alone.
//!
//! | result | sentence |
//! |---|---|
//! | [`LinearTrend`](kpi_stats::LinearTrend) | [`trend_sentence`], [`trend_summary`], [`trend_summary_checked`] (with [`MannKendall`](kpi_stats::MannKendall)) |
//! | [`Cagr`](kpi_stats::dynamic::Cagr) | [`cagr_sentence`] |
//! | [`Forecast`](kpi_stats::dynamic::Forecast) | [`forecast_sentence`] |
//! | [`Signals`](kpi_stats::Signals) of the latest value | [`signals_sentence`] |
//! | one year of a series ([`YearRow`](kpi_stats::dynamic::YearRow)) | [`card_sentence`], [`card_not_computable`] |
//! | [`PeerPosition`](kpi_stats::PeerPosition), [`UnitPosition`](kpi_stats::comparative::UnitPosition) | [`position_sentence`], [`unit_position_sentence`] |
//! | [`Distribution`](kpi_stats::Distribution) | [`distribution_sentence`] |
//! | [`RateSignificance`](kpi_stats::RateSignificance) | [`rate_sentence`] |
//! | [`CompositeEntry`](kpi_stats::comparative::CompositeEntry) | [`composite_sentence`] |
//! | [`RiskAssessment`](kpi_risk::RiskAssessment) | [`risk_sentence`] |
//! | [`CohortFlow`](kpi_stats::CohortFlow) | [`cohort_sentence`], [`cohort_summary`] |
//! | [`GroupGaps`](kpi_stats::comparative::GroupGaps) | [`gap_sentence`], [`gap_summary`] |
//! | [`StudentFlag`](kpi_risk::StudentFlag) | [`student_flag_phrase`] |
//!
//! Russian sentences avoid past-tense verbs that would have to agree in
//! gender with the indicator's name (they say «показатель … рос» or put the
//! name before a colon); Kazakh and Kyrgyz verbs have no gender. Kyrgyz case endings
//! after numbers follow the number as it is read aloud and vowel harmony (`5-ке`, `10-го`,
//! `45,3%-га`), not a Kazakh template with the letters swapped.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cagr;
mod card;
mod cohort;
mod gaps;
mod ky;
mod number;
mod peer;
mod rank;
mod reason;
mod risk;
mod signal;
mod student;
mod subject;
mod trend;

pub use cagr::cagr_sentence;
pub use card::{card_not_computable, card_sentence};
pub use cohort::{cohort_sentence, cohort_summary};
pub use gaps::{gap_sentence, gap_summary, parity_sentence};
pub use number::{decimal_mark, format_number, format_p_value, THOUSANDS_SEPARATOR};
pub use peer::{distribution_sentence, position_sentence, unit_position_sentence};
pub use rank::{composite_sentence, rate_sentence};
pub use reason::reason_phrase;
pub use risk::risk_sentence;
pub use signal::signals_sentence;
pub use student::student_flag_phrase;
pub use subject::Subject;
pub use trend::{
    forecast_sentence, trend_disagreement_sentence, trend_sentence, trend_summary,
    trend_summary_checked,
};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_ky;
