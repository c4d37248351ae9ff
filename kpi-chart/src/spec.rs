//! Types shared by the chart inputs: texts in several languages, units, indicator
//! descriptions and axis options.

use super::strings::{ChartStrings, Msg};
use kpi_model::i18n::{self, Labels, Lang};
use kpi_model::Direction;
use serde::{Deserialize, Serialize};

/// A text given either once (already in the display language) or in kk/ru/en/ky.
///
/// ```
/// use kpi_chart::Text;
/// use kpi_model::i18n::Lang;
/// let one: Text = serde_json::from_str("\"Колледж\"").unwrap();
/// let three: Text = serde_json::from_str(r#"{"kk":"Колледж","ru":"Колледж","en":"College"}"#).unwrap();
/// assert_eq!(one.get(Lang::En), "Колледж");
/// assert_eq!(three.get(Lang::En), "College");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Text {
    /// The same text in every language.
    Plain(String),
    /// One text per language.
    Langs(Labels),
}

// By hand rather than `untagged`: an untagged enum buffers its input in serde's generic
// `Content` first, which costs the widgets' chart module several KB for every type
// holding a `Text`, and gives a vaguer error.
impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> serde::de::Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(r#"a text, or texts by language ({"kk": …, "ru": …, "en": …})"#)
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Text, E> {
                Ok(Text::Plain(s.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Text, E> {
                Ok(Text::Plain(s))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Text, A::Error> {
                Labels::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(Text::Langs)
            }
        }
        d.deserialize_any(TextVisitor)
    }
}

impl Text {
    /// The text in `lang` (with the fallbacks of [`Labels::get`]).
    pub fn get(&self, lang: Lang) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Langs(l) => l.get(lang),
        }
    }

    /// Whether the text is empty in every language.
    pub fn is_empty(&self) -> bool {
        match self {
            Text::Plain(s) => s.trim().is_empty(),
            Text::Langs(l) => l.get(Lang::En).trim().is_empty(),
        }
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::Plain(String::new())
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Plain(s.to_string())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Plain(s)
    }
}

impl From<Labels> for Text {
    fn from(l: Labels) -> Self {
        Text::Langs(l)
    }
}

pub use kpi_model::ValueUnit;

/// How a chart writes values in their unit: labels, tooltips, ticks and changes, in the
/// chart's language and with its interface strings (`чел.`, `балл`).
///
/// ```
/// use kpi_chart::{ChartStrings, UnitText, ValueUnit};
/// use kpi_model::i18n::Lang;
/// let s = ChartStrings::builtin();
/// assert_eq!(ValueUnit::Percent.format(74.25, None, Lang::En, s), "74.3%");
/// assert_eq!(ValueUnit::Kzt.format(1.25e9, None, Lang::En, s), "1.3\u{a0}bn\u{a0}KZT");
/// assert_eq!(ValueUnit::Persons.format(1234.0, None, Lang::Ru, s), "1\u{a0}234\u{a0}чел.");
/// ```
pub trait UnitText {
    /// The unit as a short label in `lang` (`%`, `₸`, `чел.`), empty for ratios and indices
    /// whose meaning is in the indicator's name.
    fn label(&self, lang: Lang, strings: &ChartStrings) -> String;
    /// A value with its unit, for tooltips and value labels: `74,2 %`, `1,2 млрд ₸`,
    /// `1 234 чел.`; `decimals` defaults to [`ValueUnit::chart_decimals`].
    fn format(
        &self,
        value: f64,
        decimals: Option<usize>,
        lang: Lang,
        strings: &ChartStrings,
    ) -> String;
    /// A value without its unit, for labels beside an axis that names the unit.
    fn format_bare(&self, value: f64, decimals: usize, lang: Lang) -> String;
    /// A tick label at a tick `step`: `40%`, `1,5 млрд`, `2,5`.
    fn format_tick(&self, value: f64, step: f64, lang: Lang) -> String;
    /// A change between two values: in percentage points for percentages (`+3,1 п.п.`),
    /// otherwise signed in the unit (`+1,2 млн ₸`, `−0,4`).
    fn format_change(
        &self,
        delta: f64,
        decimals: Option<usize>,
        lang: Lang,
        strings: &ChartStrings,
    ) -> String;
}

impl UnitText for ValueUnit {
    fn label(&self, lang: Lang, strings: &ChartStrings) -> String {
        match self {
            ValueUnit::Percent => "%".into(),
            ValueUnit::Kzt => i18n::kzt_symbol(lang).into(),
            ValueUnit::Persons => strings.get(Msg::UnitPersons, lang).into(),
            ValueUnit::Points => strings.get(Msg::UnitPoints, lang).into(),
            ValueUnit::SquareMetres => strings.get(Msg::UnitSquareMetres, lang).into(),
            ValueUnit::Ratio | ValueUnit::Index | ValueUnit::Share | ValueUnit::Count => {
                String::new()
            }
            // FTE, years, 0/1 and units the project does not know: as written.
            other => other.code().to_string(),
        }
    }

    fn format(
        &self,
        value: f64,
        decimals: Option<usize>,
        lang: Lang,
        strings: &ChartStrings,
    ) -> String {
        let decimals = decimals.unwrap_or_else(|| self.chart_decimals());
        match self {
            ValueUnit::Percent => i18n::format_percent(value, decimals, lang),
            ValueUnit::Kzt if value.abs() >= 100_000.0 => i18n::format_kzt_compact(value, lang),
            ValueUnit::Kzt => i18n::format_kzt(value, lang),
            _ => {
                let body = i18n::format_number(value, decimals, lang);
                let unit = self.label(lang, strings);
                if unit.is_empty() || body == i18n::NOT_A_NUMBER {
                    body
                } else {
                    format!("{body}{}{unit}", i18n::NO_BREAK_SPACE)
                }
            }
        }
    }

    fn format_bare(&self, value: f64, decimals: usize, lang: Lang) -> String {
        if value.abs() >= 1_000_000.0 {
            return i18n::format_compact(value, lang);
        }
        i18n::format_number(value, decimals, lang)
    }

    fn format_tick(&self, value: f64, step: f64, lang: Lang) -> String {
        let decimals = decimals_for_step(step);
        match self {
            ValueUnit::Percent => i18n::format_percent(value, decimals, lang),
            _ if step.abs() >= 1_000.0 || value.abs() >= 1_000_000.0 => {
                i18n::format_compact(value, lang)
            }
            _ => i18n::format_number(value, decimals, lang),
        }
    }

    fn format_change(
        &self,
        delta: f64,
        decimals: Option<usize>,
        lang: Lang,
        strings: &ChartStrings,
    ) -> String {
        let decimals = decimals.unwrap_or_else(|| self.chart_decimals());
        // A small change must not read as `0,00` beside an arrow that says it fell:
        // up to three more decimals when that makes it show (float noise stays `0,00`).
        let shows = |d: usize| (delta.abs() * 10f64.powi(d as i32)).round() != 0.0;
        let decimals = if delta.is_finite() && !shows(decimals) {
            (decimals + 1..=decimals + 3)
                .find(|&d| shows(d))
                .unwrap_or(decimals)
        } else {
            decimals
        };
        match self {
            ValueUnit::Percent => i18n::format_change_pp(delta, decimals, lang),
            _ => {
                let body = self.format(delta, Some(decimals), lang, strings);
                if delta > 0.0 && body != i18n::NOT_A_NUMBER && !is_zero_text(&body) {
                    format!("+{body}")
                } else {
                    body
                }
            }
        }
    }
}

fn is_zero_text(text: &str) -> bool {
    text.chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .all(|c| c == '0' || c == ',' || c == '.')
}

/// Decimals needed to print multiples of `step` exactly (0 for steps ≥ 1).
pub(crate) fn decimals_for_step(step: f64) -> usize {
    if !step.is_finite() || step <= 0.0 || step >= 1.0 {
        return 0;
    }
    let mut d = 0;
    let mut s = step;
    while d < 10 && (s - s.round()).abs() > 1e-9 * s.abs().max(1.0) {
        s *= 10.0;
        d += 1;
    }
    d
}

/// What a chart needs to know about an indicator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorInfo {
    /// Catalogue code (`employment_rate`).
    #[serde(default)]
    pub code: String,
    /// Display name.
    #[serde(default)]
    pub label: Text,
    /// Unit of the values.
    #[serde(default)]
    pub unit: ValueUnit,
    /// Which values are better.
    #[serde(default = "default_direction")]
    pub direction: Direction,
    /// Decimals for display (default by unit).
    #[serde(default)]
    pub decimals: Option<usize>,
    /// The formula, for exports ("every export carries the indicator's definition").
    #[serde(default)]
    pub formula: Option<String>,
}

fn default_direction() -> Direction {
    Direction::Higher
}

impl Default for IndicatorInfo {
    fn default() -> Self {
        IndicatorInfo {
            code: String::new(),
            label: Text::default(),
            unit: ValueUnit::Percent,
            direction: Direction::Higher,
            decimals: None,
            formula: None,
        }
    }
}

impl IndicatorInfo {
    /// A value of this indicator with its unit.
    pub fn format(&self, value: f64, lang: Lang, strings: &ChartStrings) -> String {
        self.unit.format(value, self.decimals, lang, strings)
    }

    /// The name in `lang`, or the code when the name is empty.
    pub fn name(&self, lang: Lang) -> &str {
        let label = self.label.get(lang);
        if label.trim().is_empty() {
            &self.code
        } else {
            label
        }
    }

    /// The direction in words (`higher is better`).
    pub fn direction_text(&self, lang: Lang, strings: &ChartStrings) -> String {
        match self.direction {
            Direction::Higher => strings.get(Msg::DirectionHigher, lang).into(),
            Direction::Lower => strings.get(Msg::DirectionLower, lang).into(),
            Direction::Target { min, max } => {
                let d = self.decimals.unwrap_or(self.unit.chart_decimals());
                strings.fill(
                    Msg::DirectionTarget,
                    lang,
                    &[
                        ("min", &i18n::format_number(min, d, lang)),
                        ("max", &i18n::format_number(max, d, lang)),
                    ],
                )
            }
        }
    }
}

/// How a value axis is scaled. By default rates and counts start at zero
/// ([`ValueUnit::starts_at_zero`]); an input may ask otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AxisOptions {
    /// Force (`true`) or forbid (`false`) a zero baseline; `None` follows the unit.
    pub zero_baseline: Option<bool>,
    /// Fixed lower end of the axis.
    pub min: Option<f64>,
    /// Fixed upper end of the axis.
    pub max: Option<f64>,
}

/// One value of a series in one year.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearValue {
    /// Academic year (first calendar year).
    pub year: kpi_model::Year,
    /// The value.
    pub value: f64,
}

/// Whether something is better, worse or neither, by the indicator's direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    /// Better.
    Better,
    /// Worse.
    Worse,
    /// Neither, or no judgement.
    #[default]
    Neutral,
}

/// Finite values only: a NaN or infinite input counts as missing.
pub(crate) fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_for_round_steps() {
        assert_eq!(decimals_for_step(5.0), 0);
        assert_eq!(decimals_for_step(0.5), 1);
        assert_eq!(decimals_for_step(0.2), 1);
        assert_eq!(decimals_for_step(0.05), 2);
        assert_eq!(decimals_for_step(0.001), 3);
        assert_eq!(decimals_for_step(f64::NAN), 0);
    }

    #[test]
    fn unit_codes_round_trip() {
        for code in [
            "%", "ratio", "persons", "count", "KZT", "points", "index", "0–1", "m²",
        ] {
            assert_eq!(ValueUnit::parse(code).code(), code);
        }
        assert_eq!(
            ValueUnit::parse("students"),
            ValueUnit::Other("students".into())
        );
        let u: ValueUnit = serde_json::from_str("\"m2\"").unwrap();
        assert_eq!(u, ValueUnit::SquareMetres);
    }

    #[test]
    fn formats_values_and_changes_with_units() {
        let s = ChartStrings::builtin();
        let nb = '\u{a0}';
        assert_eq!(
            ValueUnit::Percent.format(5.0, Some(0), Lang::Ru, s),
            format!("5{nb}%")
        );
        assert_eq!(
            ValueUnit::Percent.format_change(3.12, None, Lang::Ru, s),
            format!("+3,1{nb}п.п.")
        );
        assert_eq!(
            ValueUnit::Ratio.format_change(-0.44, None, Lang::En, s),
            "\u{2212}0.4"
        );
        // A change that rounds to zero gets the decimals it needs (up to three more)...
        assert_eq!(
            ValueUnit::Ratio.format_change(0.01, None, Lang::En, s),
            "+0.01"
        );
        assert_eq!(
            ValueUnit::Points.format_change(-0.004, Some(2), Lang::Kk, s),
            format!("\u{2212}0,004{nb}балл")
        );
        assert_eq!(
            ValueUnit::Percent.format_change(0.03, Some(1), Lang::En, s),
            format!("+0.03{nb}pp")
        );
        // ...but float noise is still no change.
        assert_eq!(
            ValueUnit::Ratio.format_change(4e-16, None, Lang::En, s),
            "0.0"
        );
        assert_eq!(
            ValueUnit::Kzt.format_change(2.5e6, None, Lang::Kk, s),
            format!("+2,5{nb}млн{nb}₸")
        );
        assert_eq!(
            ValueUnit::Kzt.format(45_000.0, None, Lang::En, s),
            format!("45,000{nb}KZT")
        );
        assert_eq!(ValueUnit::Percent.format_tick(40.0, 10.0, Lang::En), "40%");
        assert_eq!(ValueUnit::Ratio.format_tick(2.5, 0.5, Lang::Ru), "2,5");
        assert_eq!(
            ValueUnit::Kzt.format_tick(1.5e9, 5e8, Lang::Ru),
            format!("1,5{nb}млрд")
        );
    }
}
