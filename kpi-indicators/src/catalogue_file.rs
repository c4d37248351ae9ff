//! Reading catalogue files (TOML, or JSON of the same shape) with errors that
//! name the file, the line and the reason.

use super::definition::{unknown_unit_message, CountsDef, IndicatorDef, Per, Tag};
use super::formula::{Formula, FormulaError, FormulaLimits};
use kpi_model::builtin_doc::LineStarts;
use kpi_model::i18n::Labels;
use kpi_model::ValueUnit;
use kpi_model::{Direction, Family, Level};
use serde::Deserialize;
use serde_spanned::Spanned;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

/// A catalogue file that cannot be used, and where.
///
/// ```
/// use kpi_indicators::Catalogue;
/// let text = "[[indicator]]\ncode = \"x\"\nfamily = \"input\"\nlevels = [\"school\"]\nformula = \"100 * / a\"\nunit = \"%\"\ndirection = \"higher\"\nname = { en = \"X\" }\n";
/// let err = Catalogue::from_toml_str("mine.toml", text).unwrap_err();
/// assert_eq!((err.line, err.column), (Some(5), Some(18)));
/// assert_eq!(err.indicator.as_deref(), Some("x"));
/// assert!(err.message.starts_with("formula: at character 6: expected a number"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueError {
    /// The file name as given.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// The indicator's code, when the error is inside one.
    pub indicator: Option<String>,
    /// What is wrong and what was expected (for formulas, with a caret line).
    pub message: String,
}

impl CatalogueError {
    pub(crate) fn plain(file: &str, message: String) -> Self {
        CatalogueError {
            file: file.to_string(),
            line: None,
            column: None,
            indicator: None,
            message,
        }
    }
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        f.write_str(": ")?;
        if let Some(code) = &self.indicator {
            write!(f, "indicator `{code}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for CatalogueError {}

// ---------- raw file shape ----------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    indicator: Vec<RawIndicator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    code: Spanned<String>,
    family: Spanned<String>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    levels: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    per: Option<Spanned<String>>,
    formula: Spanned<String>,
    unit: Spanned<String>,
    direction: Spanned<String>,
    #[serde(default)]
    target: Option<Spanned<RawTarget>>,
    #[serde(default)]
    counts: Option<Spanned<RawCounts>>,
    #[serde(default)]
    decimals: Option<Spanned<i64>>,
    name: Spanned<RawLabels>,
    #[serde(default)]
    description: Option<RawLabels>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    min: f64,
    max: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCounts {
    successes: Spanned<String>,
    trials: Spanned<String>,
    #[serde(default)]
    scale: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLabels {
    #[serde(default)]
    kk: String,
    #[serde(default)]
    ru: String,
    #[serde(default)]
    en: String,
    /// Optional: a catalogue without Kyrgyz shows the Russian text to Kyrgyz readers.
    #[serde(default)]
    ky: String,
}

impl From<RawLabels> for Labels {
    fn from(r: RawLabels) -> Self {
        Labels {
            kk: r.kk,
            ru: r.ru,
            en: r.en,
            ky: r.ky,
        }
    }
}

// ---------- positions ----------

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(text.len());
    let before = text.get(..byte).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, col)
}

/// Builds errors for one file, locating byte spans.
struct Locator<'a> {
    file: &'a str,
    /// The file's text, or "" for a compiled-in file (whose `lines` are then known).
    text: &'a str,
    lines: Option<&'a LineStarts>,
}

impl Locator<'_> {
    /// 1-based line and column of a byte offset.
    fn line_col(&self, byte: usize) -> (usize, usize) {
        match self.lines {
            Some(lines) => lines.line_col(byte),
            None => line_col(self.text, byte),
        }
    }

    fn at(&self, span: Range<usize>, indicator: Option<&str>, message: String) -> CatalogueError {
        let (line, col) = self.line_col(span.start);
        CatalogueError {
            file: self.file.to_string(),
            line: Some(line),
            column: Some(col),
            indicator: indicator.map(str::to_string),
            message,
        }
    }

    /// An error in a formula string: points at the offending character when
    /// the string is written plainly on one line (no escapes), else at the string.
    fn formula(
        &self,
        field: &str,
        value: &Spanned<String>,
        indicator: &str,
        e: &FormulaError,
    ) -> CatalogueError {
        let span = value.span();
        let raw = self.text.get(span.clone()).unwrap_or("");
        let plain = raw.len() >= 2
            && raw.get(1..raw.len() - 1) == Some(value.get_ref().as_str())
            && !raw.contains('\n');
        let mut err = self.at(
            span,
            Some(indicator),
            format!(
                "{field}: {e}\n  {}",
                e.caret(value.get_ref()).replace('\n', "\n  ")
            ),
        );
        if plain {
            err.column = err.column.map(|c| c + 1 + e.position);
        }
        err
    }
}

// ---------- reading ----------

/// Whether a user file is JSON: by extension, else by its first character.
pub(crate) fn looks_like_json(file: &str, text: &str) -> bool {
    if file.to_ascii_lowercase().ends_with(".json") {
        return true;
    }
    if file.to_ascii_lowercase().ends_with(".toml") {
        return false;
    }
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.starts_with('{') || (t.starts_with('[') && !t.starts_with("[["))
}

/// ` (did you mean `x`?)` for the closest candidate, or nothing.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

/// Reads and checks a TOML catalogue.
pub(crate) fn read_toml(
    file: &str,
    text: &str,
    limits: &FormulaLimits,
) -> Result<Vec<IndicatorDef>, CatalogueError> {
    let text = text.trim_start_matches('\u{feff}');
    let loc = Locator {
        file,
        text,
        lines: None,
    };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let mut err = CatalogueError::plain(file, e.message().trim().to_string());
        if let Some(span) = e.span() {
            let (line, col) = line_col(text, span.start);
            err.line = Some(line);
            err.column = Some(col);
        }
        err
    })?;
    read_raw(&loc, raw, limits)
}

/// Reads and checks a catalogue compiled in by build.rs (`kpi_model::builtin_doc`).
pub(crate) fn read_compiled(
    file: &str,
    doc: &str,
    limits: &FormulaLimits,
) -> Result<Vec<IndicatorDef>, CatalogueError> {
    let (raw, lines) = kpi_model::builtin_doc::read::<RawFile>(doc)
        .map_err(|e| CatalogueError::plain(file, e.to_string()))?;
    let loc = Locator {
        file,
        text: "",
        lines: Some(&lines),
    };
    read_raw(&loc, raw, limits)
}

fn read_raw(
    loc: &Locator<'_>,
    raw: RawFile,
    limits: &FormulaLimits,
) -> Result<Vec<IndicatorDef>, CatalogueError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut defs = Vec::with_capacity(raw.indicator.len());
    for r in raw.indicator {
        let code = r.code.get_ref().clone();
        let (line, _) = loc.line_col(r.code.span().start);
        if let Some(first) = seen.insert(code.clone(), line) {
            return Err(loc.at(
                r.code.span(),
                Some(&code),
                format!("defined twice in this file (first at line {first})"),
            ));
        }
        defs.push(build(loc, r, limits)?);
    }
    Ok(defs)
}

/// Reads a JSON catalogue: converted to TOML of the same shape and read by
/// [`read_toml`]; positions are then mapped back to the JSON text by the
/// indicator's `"code"` (syntax errors keep JSON's own line and column).
pub(crate) fn read_json(
    file: &str,
    text: &str,
    limits: &FormulaLimits,
) -> Result<Vec<IndicatorDef>, CatalogueError> {
    let text = text.trim_start_matches('\u{feff}');
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| CatalogueError {
        file: file.to_string(),
        line: Some(e.line()),
        column: Some(e.column()),
        indicator: None,
        message: e.to_string(),
    })?;
    let value = match value {
        serde_json::Value::Array(items) => serde_json::Value::Object(
            [("indicator".to_string(), serde_json::Value::Array(items))]
                .into_iter()
                .collect(),
        ),
        v @ serde_json::Value::Object(_) => v,
        _ => {
            return Err(CatalogueError::plain(
                file,
                "expected an object {\"indicator\": [...]} or an array of indicators".into(),
            ))
        }
    };
    let codes: Vec<Option<String>> = value
        .get("indicator")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .map(|i| i.get("code").and_then(|c| c.as_str()).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let toml_text = toml::to_string(&value).map_err(|e| {
        CatalogueError::plain(
            file,
            format!("cannot read as a catalogue (null values are not allowed): {e}"),
        )
    })?;
    read_toml(file, &toml_text, limits).map_err(|mut err| {
        // Which indicator: named by the error, or by the position in the TOML text.
        let code = err.indicator.clone().or_else(|| {
            let line = err.line?;
            let before: String = toml_text.lines().take(line).collect::<Vec<_>>().join("\n");
            let index = before.matches("[[indicator]]").count().checked_sub(1)?;
            codes.get(index).cloned().flatten()
        });
        err.line = code.as_deref().and_then(|c| json_line_of_code(text, c));
        err.column = None;
        if err.indicator.is_none() {
            err.indicator = code;
        }
        err
    })
}

/// The line of `"code": "<code>"` in JSON text.
fn json_line_of_code(text: &str, code: &str) -> Option<usize> {
    let needle = format!("\"{code}\"");
    let mut from = 0;
    while let Some(i) = text.get(from..)?.find("\"code\"") {
        let key_end = from + i + "\"code\"".len();
        let rest = text.get(key_end..)?.trim_start();
        if let Some(after_colon) = rest.strip_prefix(':') {
            if after_colon.trim_start().starts_with(&needle) {
                return Some(line_col(text, from + i).0);
            }
        }
        from = key_end;
    }
    None
}

fn is_snake_case(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn list<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|x| code(*x)).collect::<Vec<_>>().join(", ")
}

/// Checks one raw indicator and builds its definition.
fn build(
    loc: &Locator<'_>,
    r: RawIndicator,
    limits: &FormulaLimits,
) -> Result<IndicatorDef, CatalogueError> {
    let code = r.code.get_ref().trim().to_string();
    let ind = Some(code.as_str());
    if !is_snake_case(&code) {
        return Err(loc.at(
            r.code.span(),
            ind,
            format!("the code `{code}` is not snake_case (lower-case letters, digits and `_`, starting with a letter)"),
        ));
    }
    let family = Family::from_code(r.family.get_ref()).ok_or_else(|| {
        loc.at(
            r.family.span(),
            ind,
            format!(
                "unknown family `{}`; expected one of {}",
                r.family.get_ref(),
                list(&Family::ALL, Family::code)
            ),
        )
    })?;
    let mut tags = Vec::new();
    for t in &r.tags {
        let tag = Tag::from_code(t.get_ref()).ok_or_else(|| {
            loc.at(
                t.span(),
                ind,
                format!(
                    "unknown tag `{}`; expected one of {}",
                    t.get_ref(),
                    list(&Tag::ALL, Tag::code)
                ),
            )
        })?;
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let mut levels = Vec::new();
    for l in r.levels.get_ref() {
        let level = Level::from_code(l.get_ref()).ok_or_else(|| {
            loc.at(
                l.span(),
                ind,
                format!(
                    "unknown level `{}`; expected one of {}",
                    l.get_ref(),
                    list(&Level::ALL, Level::code)
                ),
            )
        })?;
        if !levels.contains(&level) {
            levels.push(level);
        }
    }
    if levels.is_empty() {
        return Err(loc.at(
            r.levels.span(),
            ind,
            "`levels` is empty; name at least one level".into(),
        ));
    }
    levels.sort();
    let per = match &r.per {
        None => Per::Organisation,
        Some(p) => Per::from_code(p.get_ref()).ok_or_else(|| {
            loc.at(
                p.span(),
                ind,
                format!(
                    "unknown `per` value `{}`; expected one of {}",
                    p.get_ref(),
                    list(&Per::ALL, Per::code)
                ),
            )
        })?,
    };
    let parse = |field: &str, s: &Spanned<String>| {
        Formula::parse_with(s.get_ref(), limits).map_err(|e| loc.formula(field, s, &code, &e))
    };
    let formula = parse("formula", &r.formula)?;
    let unit = ValueUnit::from_code(r.unit.get_ref())
        .ok_or_else(|| loc.at(r.unit.span(), ind, unknown_unit_message(r.unit.get_ref())))?;
    let direction = match (
        r.direction.get_ref().trim().to_ascii_lowercase().as_str(),
        &r.target,
    ) {
        ("higher", None) => Direction::Higher,
        ("lower", None) => Direction::Lower,
        ("higher" | "lower", Some(t)) => {
            return Err(loc.at(
                t.span(),
                ind,
                format!(
                    "`target` is only allowed with direction = \"target\" (direction is \"{}\")",
                    r.direction.get_ref()
                ),
            ))
        }
        ("target", Some(t)) => {
            let (min, max) = (t.get_ref().min, t.get_ref().max);
            if !(min.is_finite() && max.is_finite() && min <= max) {
                return Err(loc.at(
                    t.span(),
                    ind,
                    format!(
                        "the target band needs finite min <= max (found min = {min}, max = {max})"
                    ),
                ));
            }
            Direction::Target { min, max }
        }
        ("target", None) => {
            return Err(loc.at(
                r.direction.span(),
                ind,
                "direction \"target\" needs `target = { min = …, max = … }`".into(),
            ))
        }
        (other, _) => {
            return Err(loc.at(
                r.direction.span(),
                ind,
                format!("unknown direction `{other}`; expected higher, lower or target"),
            ))
        }
    };
    let counts = match &r.counts {
        None => None,
        Some(c) => {
            let raw = c.get_ref();
            let scale = raw.scale.unwrap_or(if unit == ValueUnit::Percent {
                100.0
            } else {
                1.0
            });
            if !(scale.is_finite() && scale > 0.0) {
                return Err(loc.at(
                    c.span(),
                    ind,
                    format!("counts.scale must be a positive number (found {scale})"),
                ));
            }
            Some(CountsDef {
                successes: parse("counts.successes", &raw.successes)?,
                trials: parse("counts.trials", &raw.trials)?,
                scale,
            })
        }
    };
    let decimals = match &r.decimals {
        None => unit.decimals(),
        Some(d) => match u8::try_from(*d.get_ref()) {
            Ok(v) if v <= 12 => v,
            _ => {
                return Err(loc.at(
                    d.span(),
                    ind,
                    format!("decimals must be 0 to 12 (found {})", d.get_ref()),
                ))
            }
        },
    };
    let name_span = r.name.span();
    let name: Labels = r.name.into_inner().into();
    if [&name.kk, &name.ru, &name.en, &name.ky]
        .iter()
        .all(|s| s.trim().is_empty())
    {
        return Err(loc.at(
            name_span,
            ind,
            "`name` needs at least one of kk, ru, en, ky".into(),
        ));
    }
    Ok(IndicatorDef {
        code,
        family,
        tags,
        levels,
        per,
        formula,
        unit,
        direction,
        counts,
        decimals,
        name,
        description: r.description.map(Labels::from).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{BUILTIN_INDICATORS_DOC, BUILTIN_INDICATORS_TOML};
    use crate::Catalogue;

    #[test]
    fn the_compiled_in_catalogue_is_the_toml_parse_of_indicators_toml() {
        // build.rs compiles data/indicators.toml; the TOML parser reading the same file
        // must give the same catalogue, definition by definition and field by field.
        let compiled = Catalogue::builtin();
        let parsed = Catalogue::from_toml_str("indicators.toml", BUILTIN_INDICATORS_TOML).unwrap();
        assert!(compiled.len() > 30);
        assert_eq!(compiled, parsed);
        // Positions too: each field's span and the line and column an error would name.
        let text = BUILTIN_INDICATORS_TOML.trim_start_matches('\u{feff}');
        let from_toml: RawFile = toml::from_str(text).unwrap();
        let (from_doc, lines) =
            kpi_model::builtin_doc::read::<RawFile>(BUILTIN_INDICATORS_DOC).unwrap();
        assert_eq!(from_toml.indicator.len(), from_doc.indicator.len());
        for (t, d) in from_toml.indicator.iter().zip(&from_doc.indicator) {
            // Every `Spanned` field: build.rs lists them; one it missed has an empty span.
            let mut strings = vec![
                (&t.code, &d.code),
                (&t.family, &d.family),
                (&t.formula, &d.formula),
                (&t.unit, &d.unit),
                (&t.direction, &d.direction),
            ];
            strings.extend(t.tags.iter().zip(&d.tags));
            strings.extend(t.levels.get_ref().iter().zip(d.levels.get_ref()));
            strings.extend(t.per.iter().zip(&d.per));
            if let (Some(a), Some(b)) = (&t.counts, &d.counts) {
                strings.push((&a.get_ref().successes, &b.get_ref().successes));
                strings.push((&a.get_ref().trials, &b.get_ref().trials));
            }
            for (a, b) in strings {
                assert_eq!((a.get_ref(), a.span()), (b.get_ref(), b.span()));
                // Built-in lines are ASCII before these fields: byte and character columns agree.
                assert_eq!(
                    line_col(text, a.span().start),
                    lines.line_col(b.span().start)
                );
            }
            assert_eq!(t.levels.span(), d.levels.span());
            assert_eq!(t.name.span(), d.name.span());
            assert_eq!(
                t.target.as_ref().map(Spanned::span),
                d.target.as_ref().map(Spanned::span)
            );
            assert_eq!(
                t.counts.as_ref().map(Spanned::span),
                d.counts.as_ref().map(Spanned::span)
            );
            assert_eq!(
                t.decimals.as_ref().map(|s| (*s.get_ref(), s.span())),
                d.decimals.as_ref().map(|s| (*s.get_ref(), s.span()))
            );
        }
    }
}
