//! What a chart shows, as data: the CSV export (the indicator definitions, then the
//! chart's table of exactly the data shown) and the accessible table for screen readers.

use kpi_chart::{ChartStrings, IndicatorInfo, TableModel};
use kpi_model::i18n::Lang;
use serde::Serialize;

/// The accessible table of a chart, as JavaScript receives it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TableView<'a> {
    /// Caption (the chart's title).
    pub caption: &'a str,
    /// Machine keys of the columns (`label`, `value`, `value_text`, `n` … for the table of
    /// any chart; the input's keys for the `table` kind).
    pub keys: &'a [String],
    /// Column headers in the display language.
    pub columns: &'a [String],
    /// Whether each column is numeric.
    pub numeric: &'a [bool],
    /// Cells as displayed.
    pub rows: &'a [Vec<String>],
    /// Exact numbers of the cells (`null` for texts): what a column sorts by.
    pub values: &'a [Vec<Option<f64>>],
    /// Notes under the table.
    pub notes: &'a [String],
    /// The column the rows come sorted by (`table` charts with `sort_by`), for `aria-sort`.
    pub sorted_by: Option<usize>,
    /// Whether that sort is descending.
    pub descending: bool,
    /// The column whose cells head their rows (`<th scope=row>`), when the table says.
    pub row_header: Option<usize>,
}

/// The accessible table of `table`.
pub fn table_view(table: &TableModel) -> TableView<'_> {
    TableView {
        caption: &table.title,
        keys: &table.keys,
        columns: &table.headers,
        numeric: &table.numeric,
        rows: &table.rows,
        values: &table.values,
        notes: &table.notes,
        sorted_by: table.sorted_by,
        descending: table.descending,
        row_header: table.row_header,
    }
}

/// A text cell that a spreadsheet would run as a formula gets a leading apostrophe.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// One CSV record (RFC 4180: fields with a comma, quote or line break are quoted).
fn record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let f = field.as_ref();
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push('\n');
}

/// The CSV export: `# …` definition lines of every indicator (code and name, unit,
/// direction, formula), then the chart's table: machine keys as the header, exact values
/// (full precision, `.` decimal, empty when not computable) in numeric columns, texts
/// elsewhere.
pub fn csv(table: &TableModel, title: &str, indicators: &[IndicatorInfo], lang: Lang) -> String {
    let strings = ChartStrings::builtin();
    let mut out = String::new();
    let title = if table.title.trim().is_empty() {
        title
    } else {
        &table.title
    };
    record(&mut out, &["# chart", &cell(title)]);
    for ind in indicators {
        record(
            &mut out,
            &["# indicator", &cell(&ind.code), &cell(ind.name(lang))],
        );
        record(&mut out, &["# unit", ind.unit.code()]);
        record(
            &mut out,
            &["# direction", &cell(&ind.direction_text(lang, strings))],
        );
        if let Some(f) = ind.formula.as_deref().filter(|f| !f.trim().is_empty()) {
            record(&mut out, &["# formula", &cell(f)]);
        }
    }
    record(&mut out, &table.keys);
    for (r, row) in table.rows.iter().enumerate() {
        let fields: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, shown)| {
                let exact = table
                    .values
                    .get(r)
                    .and_then(|v| v.get(c))
                    .copied()
                    .flatten();
                match exact {
                    Some(v) if v.is_finite() => v.to_string(),
                    _ if table.numeric.get(c).copied().unwrap_or(false) => String::new(),
                    _ => cell(shown),
                }
            })
            .collect();
        record(&mut out, &fields);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_definitions_exact_values_and_defused_formulas() {
        let ind = IndicatorInfo {
            code: "employment_rate".into(),
            label: "Employment rate".into(),
            formula: Some("employed / graduates × 100".into()),
            ..Default::default()
        };
        let table = TableModel {
            title: "Employment".into(),
            keys: vec!["org".into(), "value".into()],
            headers: vec!["Organisation".into(), "Value".into()],
            numeric: vec![false, true],
            rows: vec![
                vec!["=HYPERLINK(\"x\")".into(), "74,3 %".into()],
                vec!["College 2".into(), "—".into()],
            ],
            values: vec![vec![None, Some(74.25)], vec![None, None]],
            ..Default::default()
        };
        let text = csv(&table, "unused", &[ind], Lang::En);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "# chart,Employment");
        assert_eq!(lines[1], "# indicator,employment_rate,Employment rate");
        assert_eq!(lines[2], "# unit,%");
        assert_eq!(lines[3], "# direction,higher is better");
        assert_eq!(lines[4], "# formula,employed / graduates × 100");
        assert_eq!(lines[5], "org,value");
        // Exact value, not the rounded display; the formula is defused and quoted.
        assert_eq!(lines[6], "\"'=HYPERLINK(\"\"x\"\")\",74.25");
        // Not computable: an empty numeric field, never 0.
        assert_eq!(lines[7], "College 2,");
    }
}
