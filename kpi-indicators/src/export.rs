//! Output of an [`IndicatorTable`]: CSV (the fixed columns of the CLI),
//! JSON (every field of a cell: unit, direction, family, warnings, counts,
//! the structured reason) and a plain-text table; and the catalogue as text.
//!
//! Values are written at full precision with a `.` decimal (Rust's shortest
//! round-trip form); only the text table rounds, for reading.
//!
//! ```
//! use kpi_indicators::{compute, export, Catalogue, Filter};
//! use kpi_model::{DatasetBuilder, Level};
//! let ds = DatasetBuilder::new(2023, 2023)
//!     .org("C1", Level::College, "Almaty")
//!     .programme("C1", "0101000")
//!     .value("C1", None, 2023, "graduates", 30.0)
//!     .value("C1", None, 2023, "graduates_employed", 20.0)
//!     .build();
//! let cat = Catalogue::builtin().select(&["employment_rate"]).unwrap();
//! let table = compute(&ds, &cat);
//! let mut out = Vec::new();
//! let rows = export::write_csv(&mut out, &ds, &table, &Filter::new()).unwrap();
//! assert_eq!(rows, 2);
//! assert_eq!(
//!     String::from_utf8(out).unwrap(),
//!     "org_id,programme,year,indicator,value,unit,status,reason\n\
//!      C1,,2023,employment_rate,66.66666666666667,%,ok,\n\
//!      C1,0101000,2023,employment_rate,,%,not_computable,missing graduates_employed in 2023\n"
//! );
//! ```

use super::catalogue::Catalogue;
use super::definition::IndicatorDef;
use super::explain::{Counts, InputUse};
use super::filter::Filter;
use super::reason::{Outcome, Reason};
use super::table::{Entry, IndicatorTable};
use kpi_model::i18n::Lang;
use kpi_model::{academic_year_label, Dataset, Year};
use serde::Serialize;
use std::io::{self, Write};

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 8] = [
    "org_id",
    "programme",
    "year",
    "indicator",
    "value",
    "unit",
    "status",
    "reason",
];

/// Why output could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Writing failed.
    #[error("cannot write the output: {0}")]
    Io(#[from] io::Error),
    /// CSV writing failed.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    /// JSON writing failed.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The dataset is not the one the table was computed from.
    #[error("the dataset is not the one the indicator table was computed from")]
    DatasetMismatch,
}

fn check(dataset: &Dataset, table: &IndicatorTable) -> Result<(), ExportError> {
    if dataset.units().len() != table.n_units() || dataset.years() != table.years() {
        return Err(ExportError::DatasetMismatch);
    }
    Ok(())
}

/// The `org_id` and programme code of an entry's unit.
fn unit_names<'d>(dataset: &'d Dataset, table: &IndicatorTable, e: &Entry) -> (&'d str, &'d str) {
    let org = table
        .org_of(e.unit)
        .and_then(|o| dataset.organisations().get(o.0 as usize))
        .map_or("", |o| o.id.as_str());
    (org, dataset.programme_code(e.unit).unwrap_or(""))
}

/// Writes the cells the filter selects as CSV with exactly the columns
/// [`CSV_COLUMNS`]: `programme` empty for organisation rows, `value` empty
/// when not computable, `status` `ok` or `not_computable`, `reason` an
/// English sentence. Returns the number of rows written.
pub fn write_csv<W: Write>(
    out: W,
    dataset: &Dataset,
    table: &IndicatorTable,
    filter: &Filter,
) -> Result<usize, ExportError> {
    check(dataset, table)?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS)?;
    let mut rows = 0;
    let mut value = String::new();
    let mut year = String::new();
    for e in table.iter(filter) {
        let Some(def) = table.def(e.indicator) else {
            continue;
        };
        let (org, programme) = unit_names(dataset, table, &e);
        value.clear();
        year.clear();
        use std::fmt::Write as _;
        let _ = write!(year, "{}", e.year);
        let reason = match &e.outcome {
            Outcome::Value(v) => {
                let _ = write!(value, "{v}");
                String::new()
            }
            Outcome::NotComputable(r) => r.to_string(),
        };
        w.write_record([
            org,
            programme,
            year.as_str(),
            def.code.as_str(),
            value.as_str(),
            def.unit.code(),
            e.outcome.status(),
            reason.as_str(),
        ])?;
        rows += 1;
    }
    w.flush()?;
    Ok(rows)
}

/// One cell as written to JSON.
#[derive(Clone, Debug, Serialize)]
pub struct JsonRow<'a> {
    /// The organisation's `org_id`.
    pub org_id: &'a str,
    /// The programme code; absent for organisation rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programme: Option<&'a str>,
    /// The year (first calendar year of the academic year).
    pub year: Year,
    /// The indicator's code.
    pub indicator: &'a str,
    /// `ok` or `not_computable`.
    pub status: &'static str,
    /// The value at full precision, when computable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The unit's code.
    pub unit: &'a str,
    /// `higher`, `lower` or `target`.
    pub direction: &'static str,
    /// The monitoring family.
    pub family: &'static str,
    /// Why not computable (structured: `kind` and fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// The reason as an English sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_text: Option<String>,
    /// The data-quality warnings of the input cells the value used.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// For count-based rates: successes, trials (n) and the 95% Wilson interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<Counts>,
    /// The input cells the formula read, with their values and warnings
    /// (only with [`write_json_with_inputs`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputUse>,
}

fn json_row<'a>(
    dataset: &'a Dataset,
    table: &'a IndicatorTable,
    def: &'a IndicatorDef,
    e: &Entry,
    with_inputs: bool,
) -> JsonRow<'a> {
    let (org_id, programme) = unit_names(dataset, table, e);
    let warnings = table
        .warnings(e.indicator, e.unit, e.year)
        .iter()
        .filter_map(|id| dataset.report().get(*id))
        .map(ToString::to_string)
        .collect();
    let counts = match (&e.outcome, &def.counts) {
        (Outcome::Value(_), Some(_)) => table.counts(dataset, e.indicator, e.unit, e.year),
        _ => None,
    };
    JsonRow {
        org_id,
        programme: (!programme.is_empty()).then_some(programme),
        year: e.year,
        indicator: &def.code,
        status: e.outcome.status(),
        value: e.outcome.value(),
        unit: def.unit.code(),
        direction: def.direction.code(),
        family: def.family.code(),
        reason: e.outcome.reason().cloned(),
        reason_text: e.outcome.reason().map(ToString::to_string),
        warnings,
        counts,
        inputs: if with_inputs {
            table
                .explain(dataset, e.indicator, e.unit, e.year)
                .map(|x| x.inputs)
                .unwrap_or_default()
        } else {
            Vec::new()
        },
    }
}

/// Writes the cells the filter selects as a JSON array of [`JsonRow`]
/// objects, streaming (a national table is never held as text). Returns the
/// number of rows written.
///
/// ```
/// use kpi_indicators::{compute, export, Catalogue, Filter};
/// use kpi_model::{DatasetBuilder, Level};
/// let ds = DatasetBuilder::new(2023, 2023)
///     .org("C1", Level::College, "Almaty")
///     .value("C1", None, 2023, "graduates", 200.0)
///     .value("C1", None, 2023, "graduates_employed", 150.0)
///     .build();
/// let table = compute(&ds, &Catalogue::builtin().select(&["employment_rate"]).unwrap());
/// let mut out = Vec::new();
/// export::write_json(&mut out, &ds, &table, &Filter::new()).unwrap();
/// let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(v[0]["value"], 75.0); // 100 * 150 / 200
/// assert_eq!(v[0]["counts"]["trials"], 200.0);
/// assert_eq!(v[0]["direction"], "higher");
/// ```
pub fn write_json<W: Write>(
    out: W,
    dataset: &Dataset,
    table: &IndicatorTable,
    filter: &Filter,
) -> Result<usize, ExportError> {
    write_json_rows(out, dataset, table, filter, false)
}

/// [`write_json`] with each row's inputs as used (metric, year, value,
/// warnings), re-read with tracing: for one organisation or a few
/// indicators rather than a whole country.
///
/// ```
/// use kpi_indicators::{compute, export, Catalogue, Filter};
/// use kpi_model::{DatasetBuilder, Level};
/// let ds = DatasetBuilder::new(2023, 2023)
///     .org("C1", Level::College, "Almaty")
///     .value("C1", None, 2023, "graduates", 200.0)
///     .value("C1", None, 2023, "graduates_employed", 150.0)
///     .build();
/// let table = compute(&ds, &Catalogue::builtin().select(&["employment_rate"]).unwrap());
/// let mut out = Vec::new();
/// export::write_json_with_inputs(&mut out, &ds, &table, &Filter::new()).unwrap();
/// let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(v[0]["inputs"][0]["metric"], "graduates_employed");
/// assert_eq!(v[0]["inputs"][1]["value"], 200.0);
/// ```
pub fn write_json_with_inputs<W: Write>(
    out: W,
    dataset: &Dataset,
    table: &IndicatorTable,
    filter: &Filter,
) -> Result<usize, ExportError> {
    write_json_rows(out, dataset, table, filter, true)
}

fn write_json_rows<W: Write>(
    mut out: W,
    dataset: &Dataset,
    table: &IndicatorTable,
    filter: &Filter,
    with_inputs: bool,
) -> Result<usize, ExportError> {
    check(dataset, table)?;
    out.write_all(b"[")?;
    let mut rows = 0;
    for e in table.iter(filter) {
        let Some(def) = table.def(e.indicator) else {
            continue;
        };
        out.write_all(if rows == 0 { b"\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut out, &json_row(dataset, table, def, &e, with_inputs))?;
        rows += 1;
    }
    out.write_all(if rows == 0 { b"]\n" } else { b"\n]\n" })?;
    out.flush()?;
    Ok(rows)
}

/// Writes the cells the filter selects as a plain-text table for reading:
/// values rounded to the indicator's display precision with their unit,
/// not-computable cells with their reason. Returns the number of rows.
///
/// ```
/// use kpi_indicators::{compute, export, Catalogue, Filter};
/// use kpi_model::{DatasetBuilder, Level};
/// let ds = DatasetBuilder::new(2023, 2023)
///     .org("C1", Level::College, "Almaty")
///     .value("C1", None, 2023, "graduates", 30.0)
///     .value("C1", None, 2023, "graduates_employed", 20.0)
///     .build();
/// let table = compute(&ds, &Catalogue::builtin().select(&["employment_rate"]).unwrap());
/// let mut out = Vec::new();
/// export::write_text(&mut out, &ds, &table, &Filter::new()).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.lines().nth(1).unwrap().contains("employment_rate"));
/// assert!(text.lines().nth(1).unwrap().contains("66.7%"));
/// ```
pub fn write_text<W: Write>(
    mut out: W,
    dataset: &Dataset,
    table: &IndicatorTable,
    filter: &Filter,
) -> Result<usize, ExportError> {
    check(dataset, table)?;
    writeln!(
        out,
        "{:<16} {:<12} {:<9} {:<30} {:>16}  note",
        "org_id", "programme", "year", "indicator", "value"
    )?;
    let mut rows = 0;
    for e in table.iter(filter) {
        let Some(def) = table.def(e.indicator) else {
            continue;
        };
        let (org, programme) = unit_names(dataset, table, &e);
        let (value, note) = match &e.outcome {
            Outcome::Value(v) => {
                let n = table.warnings(e.indicator, e.unit, e.year).len();
                let note = match n {
                    0 => String::new(),
                    1 => "1 data warning".to_string(),
                    n => format!("{n} data warnings"),
                };
                (def.display_value(*v), note)
            }
            Outcome::NotComputable(r) => ("—".to_string(), format!("not computable: {r}")),
        };
        writeln!(
            out,
            "{:<16} {:<12} {:<9} {:<30} {:>16}  {}",
            org,
            programme,
            academic_year_label(e.year),
            def.code,
            value,
            note
        )?;
        rows += 1;
    }
    out.flush()?;
    Ok(rows)
}

/// Writes the catalogue as a text table: code, family, levels (P S C U),
/// unit, direction and the name in `lang`, with the formula below each.
///
/// ```
/// use kpi_indicators::{export, Catalogue};
/// use kpi_model::i18n::Lang;
/// let mut out = Vec::new();
/// export::write_catalogue_text(&mut out, &Catalogue::builtin(), Lang::Ru).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.contains("employment_rate"));
/// assert!(text.contains("= 100 * graduates_employed / graduates"));
/// ```
pub fn write_catalogue_text<W: Write>(
    mut out: W,
    catalogue: &Catalogue,
    lang: Lang,
) -> Result<(), ExportError> {
    writeln!(
        out,
        "{:<30} {:<10} {:<6} {:<7} {:<18} name ({})",
        "code",
        "family",
        "levels",
        "unit",
        "direction",
        lang.code()
    )?;
    for (_, def) in catalogue.iter() {
        let tags: Vec<&str> = def.tags.iter().map(|t| t.code()).collect();
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", tags.join(", "))
        };
        writeln!(
            out,
            "{:<30} {:<10} {:<6} {:<7} {:<18} {}{}",
            def.code,
            def.family.code(),
            def.level_letters(),
            def.unit.code(),
            def.direction.to_string(),
            def.label(lang),
            tags
        )?;
        writeln!(
            out,
            "{:<30} = {}  (per {})",
            "",
            def.formula,
            def.per.code()
        )?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute;
    use kpi_model::validate::{Issue, IssueCode, Location, Severity};
    use kpi_model::{DatasetBuilder, Level};

    #[test]
    fn json_rows_carry_reason_warnings_and_counts() {
        let warning = Issue {
            severity: Severity::Warning,
            code: IssueCode::PartExceedsWhole,
            location: Location::file("obs.csv"),
            found: None,
            expected: None,
            suggestion: None,
            message: "graduates_employed is larger than graduates".into(),
        };
        let ds = DatasetBuilder::new(2022, 2023)
            .org("U1", Level::University, "Astana")
            .value("U1", None, 2022, "graduates", 10.0)
            .flagged_value("U1", None, 2022, "graduates_employed", 12.0, warning)
            .value("U1", None, 2023, "graduates", 0.0)
            .value("U1", None, 2023, "graduates_employed", 0.0)
            .build();
        let cat = Catalogue::builtin().select(&["employment_rate"]).unwrap();
        let table = compute(&ds, &cat);
        let mut out = Vec::new();
        assert_eq!(
            write_json(&mut out, &ds, &table, &Filter::new()).unwrap(),
            2
        );
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        // 100 * 12 / 10 = 120 (kept, flagged)
        assert_eq!(v[0]["value"], 120.0);
        assert_eq!(v[0]["family"], "outcome");
        assert!(v[0]["warnings"][0]
            .as_str()
            .unwrap()
            .contains("graduates_employed is larger than graduates"));
        // 12 of 10 is no proportion: n is reported, no interval.
        assert_eq!(v[0]["counts"]["trials"], 10.0);
        assert!(v[0]["counts"]["interval"].is_null());
        assert_eq!(v[1]["status"], "not_computable");
        assert!(v[1].get("value").is_none());
        assert_eq!(v[1]["reason"]["kind"], "zero_denominator");
        assert_eq!(
            v[1]["reason_text"],
            "the denominator graduates is zero in 2023"
        );
        // Empty selection: an empty array, still valid JSON.
        let mut out = Vec::new();
        write_json(&mut out, &ds, &table, &Filter::new().year(2030)).unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&out).unwrap(),
            serde_json::json!([])
        );
    }

    #[test]
    fn csv_quotes_and_rejects_a_foreign_dataset() {
        let ds = DatasetBuilder::new(2023, 2023)
            .org("S,1", Level::School, "Astana")
            .value("S,1", None, 2023, "shifts", 2.0)
            .build();
        let cat = Catalogue::builtin().select(&["school_shifts"]).unwrap();
        let table = compute(&ds, &cat);
        let mut out = Vec::new();
        write_csv(&mut out, &ds, &table, &Filter::new()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap().lines().nth(1),
            Some("\"S,1\",,2023,school_shifts,2,count,ok,")
        );
        let other = DatasetBuilder::new(2020, 2023)
            .org("S2", Level::School, "Astana")
            .build();
        assert!(matches!(
            write_csv(Vec::new(), &other, &table, &Filter::new()),
            Err(ExportError::DatasetMismatch)
        ));
    }
}
