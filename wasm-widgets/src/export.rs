//! What a chart shows, as data: the CSV export (with the indicator definitions) and the
//! rows of the accessible table. Both are built from the chart's hit map, whose points are
//! exactly the marks drawn, so the export never holds more or less than the picture.

use crate::error::{ErrorCode, WidgetError, WidgetResult};
use kpi_core::chart::{ChartStrings, DataPoint, IndicatorInfo};
use kpi_core::i18n::{format_academic_year, Lang};
use serde::Serialize;

/// The accessible table of a chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TableData {
    /// Caption (the chart's title).
    pub caption: String,
    /// Column headers.
    pub columns: Vec<String>,
    /// Rows of display texts.
    pub rows: Vec<Vec<String>>,
}

struct Headers {
    series: &'static str,
    name: &'static str,
    year: &'static str,
    value: &'static str,
    n: &'static str,
    notes: &'static str,
}

fn headers(lang: Lang) -> Headers {
    match lang {
        Lang::Kk => Headers {
            series: "Қатар",
            name: "Атауы",
            year: "Оқу жылы",
            value: "Мәні",
            n: "n",
            notes: "Ескертпелер",
        },
        Lang::Ru => Headers {
            series: "Ряд",
            name: "Название",
            year: "Учебный год",
            value: "Значение",
            n: "n",
            notes: "Примечания",
        },
        Lang::En => Headers {
            series: "Series",
            name: "Name",
            year: "Academic year",
            value: "Value",
            n: "n",
            notes: "Notes",
        },
    }
}

/// The notes of a point: details, the not-computable reason or signal, warnings.
fn notes(p: &DataPoint) -> String {
    let mut parts: Vec<String> = p.details.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    parts.extend(p.note.iter().cloned());
    parts.extend(p.warnings.iter().map(|w| format!("⚠ {w}")));
    parts.join("; ")
}

/// The accessible table: one row per data mark, texts as the tooltip shows them.
pub fn table(points: &[DataPoint], caption: &str, lang: Lang) -> TableData {
    let h = headers(lang);
    TableData {
        caption: caption.to_string(),
        columns: [h.series, h.name, h.year, h.value, h.n, h.notes]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        rows: points
            .iter()
            .map(|p| {
                vec![
                    p.series.clone().unwrap_or_default(),
                    p.label.clone(),
                    p.year.map(format_academic_year).unwrap_or_default(),
                    p.value_text.clone(),
                    p.n.map(|n| n.to_string()).unwrap_or_default(),
                    notes(p),
                ]
            })
            .collect(),
    }
}

/// A cell that a spreadsheet would run as a formula gets a leading apostrophe.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The CSV export: definition lines of every indicator (`# indicator`, `# unit`,
/// `# direction`, `# formula`), then one row per data mark with the exact value (full
/// precision, `.` as decimal separator) and the displayed one.
pub fn csv(
    points: &[DataPoint],
    title: &str,
    indicators: &[&IndicatorInfo],
    lang: Lang,
) -> WidgetResult<String> {
    let strings = ChartStrings::builtin();
    let mut out = Vec::new();
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        let err = |e: csv::Error| WidgetError::new(ErrorCode::Draw, format!("csv: {e}"));
        w.write_record(["# chart", &cell(title)]).map_err(err)?;
        for ind in indicators {
            w.write_record(["# indicator", &cell(&ind.code), &cell(ind.name(lang))])
                .map_err(err)?;
            w.write_record(["# unit", ind.unit.code()]).map_err(err)?;
            w.write_record(["# direction", &cell(&ind.direction_text(lang, strings))])
                .map_err(err)?;
            if let Some(f) = ind.formula.as_deref().filter(|f| !f.trim().is_empty()) {
                w.write_record(["# formula", &cell(f)]).map_err(err)?;
            }
        }
        w.write_record([
            "series",
            "label",
            "org_id",
            "programme",
            "year",
            "value",
            "value_text",
            "unit",
            "n",
            "notes",
        ])
        .map_err(err)?;
        for p in points {
            let value = p
                .value
                .filter(|v| v.is_finite())
                .map(|v| v.to_string())
                .unwrap_or_default();
            w.write_record([
                cell(p.series.as_deref().unwrap_or("")),
                cell(&p.label),
                cell(p.org.as_deref().unwrap_or("")),
                cell(p.programme.as_deref().unwrap_or("")),
                p.year.map(|y| y.to_string()).unwrap_or_default(),
                value,
                cell(&p.value_text),
                cell(&p.unit),
                p.n.map(|n| n.to_string()).unwrap_or_default(),
                cell(&notes(p)),
            ])
            .map_err(err)?;
        }
        w.flush()
            .map_err(|e| WidgetError::new(ErrorCode::Draw, format!("csv: {e}")))?;
    }
    String::from_utf8(out).map_err(|e| WidgetError::new(ErrorCode::Draw, format!("csv: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point() -> DataPoint {
        DataPoint {
            id: "bar:1".into(),
            org: Some("091140000123".into()),
            label: "=HYPERLINK(\"x\")".into(),
            value: Some(74.25),
            value_text: "74,3 %".into(),
            unit: "%".into(),
            year: Some(2023),
            n: Some(12),
            warnings: vec!["graduates corrected".into()],
            note: Some("rank 3".into()),
            ..Default::default()
        }
    }

    #[test]
    fn csv_has_definitions_exact_values_and_defused_formulas() {
        let ind = IndicatorInfo {
            code: "employment_rate".into(),
            label: "Employment rate".into(),
            formula: Some("employed / graduates × 100".into()),
            ..Default::default()
        };
        let text = csv(&[point()], "Employment", &[&ind], Lang::En).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "# chart,Employment");
        assert_eq!(lines[1], "# indicator,employment_rate,Employment rate");
        assert_eq!(lines[2], "# unit,%");
        assert!(lines[3].starts_with("# direction,"));
        assert_eq!(lines[4], "# formula,employed / graduates × 100");
        assert_eq!(
            lines[5],
            "series,label,org_id,programme,year,value,value_text,unit,n,notes"
        );
        assert_eq!(
            lines[6],
            ",\"'=HYPERLINK(\"\"x\"\")\",091140000123,,2023,74.25,\"74,3 %\",%,12,rank 3; ⚠ graduates corrected"
        );
    }

    #[test]
    fn table_rows_follow_the_points() {
        let t = table(&[point()], "Employment", Lang::Ru);
        assert_eq!(t.columns[2], "Учебный год");
        assert_eq!(t.rows[0][2], "2023–2024");
        assert_eq!(t.rows[0][3], "74,3 %");
        assert_eq!(t.rows[0][5], "rank 3; ⚠ graduates corrected");
    }
}
