//! The layout of an export as people make them: title rows above the
//! header, a header of two rows under merged cells, units written in the
//! headers, row-number columns and totals rows. Shared by CSV and XLSX:
//! both give the first rows of a table as cells, and get back where the
//! header is, what each column is called and what its values are scaled by.

use super::aliases::AliasBook;
use super::normalize::match_key;
use super::table::Cell;

/// How many rows from the top are searched for the header.
pub(crate) const SEARCH_ROWS: usize = 30;

/// A unit written in a header: `, чел.`, `(тыс. тенге)`, `, %`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct HeaderUnit {
    /// The unit as written (`тыс. тенге`).
    pub text: String,
    /// What the values are multiplied by (1000 for thousands).
    pub scale: f64,
    /// Whether the unit is a percent sign.
    pub percent: bool,
}

/// The header of a table, found and understood.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Layout {
    /// 0-based index (among the rows given) of the first header row.
    pub header_at: usize,
    /// Header rows: 1, or 2 under merged cells.
    pub header_rows: usize,
    /// One name per column: the field or metric, without its unit
    /// (`metric.breakdown` under a merged parent); empty for ignored columns.
    pub headers: Vec<String>,
    /// The unit of each column written in its header, if any.
    pub units: Vec<Option<HeaderUnit>>,
    /// What was done, in plain words, for the notes of the table
    /// (row numbers are 1-based relative to the rows given).
    pub notes: Vec<String>,
}

/// Finds the header among the first rows of a table. `recognised` says
/// whether a row of names is the header of a known table (its required
/// fields are there); the first such row is the header. When no row is
/// recognised the first row is taken, as written, so that the table's
/// errors name what it lacks. `row_no` gives the row number the user sees
/// for each row given (blank lines may have been skipped).
pub(crate) fn detect(
    rows: &[Vec<Cell<'_>>],
    book: &AliasBook,
    recognised: &dyn Fn(&[String]) -> bool,
    row_no: &dyn Fn(usize) -> u64,
) -> Layout {
    let names = |row: &[Cell<'_>]| -> Vec<String> {
        row.iter()
            .map(|c| match c {
                Cell::Text(t) => strip_unit(t).0.to_string(),
                Cell::Empty => String::new(),
                other => other.display(),
            })
            .collect()
    };
    let found = rows
        .iter()
        .position(|r| r.iter().filter(|c| !c.is_empty()).count() >= 2 && recognised(&names(r)));
    let header_at = found.unwrap_or(0);
    let Some(top) = rows.get(header_at) else {
        return Layout {
            header_rows: 1,
            ..Layout::default()
        };
    };
    let mut layout = Layout {
        header_at,
        header_rows: 1,
        ..Layout::default()
    };
    if header_at > 0 {
        let title: Vec<String> = rows[..header_at]
            .iter()
            .flat_map(|r| r.iter().filter(|c| !c.is_empty()).map(|c| c.display()))
            .take(3)
            .collect();
        let (first, at) = (row_no(0).min(row_no(header_at)), row_no(header_at));
        let rows_above = if at - first <= 1 {
            format!("row {first}")
        } else {
            format!("rows {first}–{}", at - 1)
        };
        layout.notes.push(if title.is_empty() {
            format!("header found at row {at}; {rows_above} are blank")
        } else {
            format!(
                "header found at row {at}; {rows_above} read as title: «{}»",
                title.join(" / ")
            )
        });
    }
    let top_texts: Vec<String> = top.iter().map(|c| c.display()).collect();
    let columns = match rows
        .get(header_at + 1)
        .and_then(|r| two_row_header(&top_texts, r))
    {
        Some(cols) => {
            layout.header_rows = 2;
            cols
        }
        None => top_texts.into_iter().map(|t| (t, None)).collect(),
    };
    let mut row_numbers = Vec::new();
    let mut scaled = Vec::new();
    for (parent, child) in columns {
        let (base, unit) = strip_unit(&parent);
        let name = match child {
            _ if is_row_number(&parent) && child.is_none() => {
                row_numbers.push(parent.clone());
                String::new()
            }
            None => base.to_string(),
            Some(c) => {
                let (child, _) = strip_unit(&c);
                // A dot inside the parent would split the metric from its breakdown.
                let parent = base.replace('.', " ");
                if is_total_word(child) {
                    parent
                } else {
                    format!("{parent}.{}", book.breakdown(child))
                }
            }
        };
        if let Some(u) = &unit {
            if u.scale != 1.0 {
                scaled.push(format!(
                    "«{parent}» ×{}",
                    super::table::format_number(u.scale)
                ));
            }
        }
        layout.headers.push(name);
        layout.units.push(unit);
    }
    if layout.header_rows == 2 {
        layout.notes.push(format!(
            "rows {} and {} form one header (merged cells): read as {}",
            row_no(header_at),
            row_no(header_at + 1),
            layout
                .headers
                .iter()
                .filter(|h| !h.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !row_numbers.is_empty() {
        layout.notes.push(format!(
            "column {} holds row numbers: ignored",
            row_numbers
                .iter()
                .map(|h| format!("«{h}»"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !scaled.is_empty() {
        layout.notes.push(format!(
            "values are multiplied by the scale written in their header: {}",
            scaled.join(", ")
        ));
    }
    layout
}

/// A note of how a table's layout was read.
pub(crate) fn note(
    file: &str,
    sheet: Option<String>,
    row: u64,
    message: String,
) -> kpi_model::validate::Issue {
    use kpi_model::validate::{Issue, IssueCode, Location, Severity};
    Issue {
        severity: Severity::Note,
        code: IssueCode::Layout,
        location: Location {
            file: file.to_string(),
            sheet,
            row: Some(row),
            column: None,
        },
        found: None,
        expected: None,
        suggestion: None,
        message,
    }
}

/// Whether a row of names is the header of a known table.
pub(crate) fn known_header(book: &AliasBook) -> impl Fn(&[String]) -> bool + '_ {
    move |h: &[String]| super::schema::kind_from_headers(h, book).is_some()
}

/// Combines a header row with the row below it when the first has merged
/// cells (a parent written once over the columns to its right, the
/// children named below) and the second names them. `None` when the row
/// below is data (numbers, years) or does not sit under a merged cell.
/// Each column gives (its own or its parent's text, its child).
fn two_row_header(top: &[String], below: &[Cell<'_>]) -> Option<Vec<(String, Option<String>)>> {
    let width = top.len().max(below.len());
    let top = |i: usize| top.get(i).map(|s| s.trim()).unwrap_or("");
    let under = |i: usize| match below.get(i) {
        Some(Cell::Text(t)) => Some(*t),
        Some(Cell::Empty) | None => None,
        // A number, date or error below the header: a data row.
        Some(_) => Some(""),
    };
    let looks_like_data = |t: &str| {
        t.is_empty()
            || super::values::parse_number(t, true).is_some()
            || super::values::parse_year(t).is_some()
    };
    let mut out = Vec::with_capacity(width);
    let mut carried: Option<&str> = None;
    let mut spans = 0;
    for i in 0..width {
        let (t, b) = (top(i), under(i));
        if b.is_some_and(looks_like_data) {
            return None;
        }
        // A merged cell spans this column and the next ones: the top is written
        // once, the columns to its right are empty on top and named below.
        let starts_span =
            !t.is_empty() && i + 1 < width && top(i + 1).is_empty() && under(i + 1).is_some();
        match (t.is_empty(), b) {
            (false, None) => {
                carried = None;
                out.push((t.to_string(), None));
            }
            (false, Some(b)) if starts_span => {
                spans += 1;
                carried = Some(t);
                out.push((t.to_string(), Some(b.to_string())));
            }
            (false, Some(_)) => return None,
            (true, Some(b)) => match carried {
                Some(c) => out.push((c.to_string(), Some(b.to_string()))),
                None => return None,
            },
            (true, None) => {
                carried = None;
                out.push((String::new(), None));
            }
        }
    }
    (spans > 0).then_some(out)
}

/// Splits a unit off the end of a header: `Контингент, чел.` →
/// (`Контингент`, чел.), `Бюджет (тыс. тенге)` → (`Бюджет`, ×1000). Only
/// units known to be units are taken; other text stays in the name.
pub(crate) fn strip_unit(header: &str) -> (&str, Option<HeaderUnit>) {
    let h = header.trim();
    let candidate = if let Some(inner) = h.strip_suffix(')') {
        inner.rfind('(').map(|i| (&h[..i], &inner[i + 1..]))
    } else {
        h.rfind(',').map(|i| (&h[..i], &h[i + 1..]))
    };
    if let Some((base, unit)) = candidate {
        if let Some(u) = unit_of(unit) {
            let base = base.trim_end_matches([' ', ',']);
            if !base.is_empty() {
                return (base, Some(u));
            }
        }
    }
    // `Доля, %` is handled above; `Доля %` and `Доля в %` here.
    if let Some(base) = h.strip_suffix('%') {
        let base = base.trim_end();
        let base = base
            .strip_suffix(" в")
            .or_else(|| base.strip_suffix(" in"))
            .unwrap_or(base)
            .trim_end();
        if !base.is_empty() {
            return (base, unit_of("%"));
        }
    }
    (h, None)
}

/// A unit written in a header, with its scale.
fn unit_of(text: &str) -> Option<HeaderUnit> {
    let t = text.trim();
    if t == "%" {
        return Some(HeaderUnit {
            text: "%".into(),
            scale: 1.0,
            percent: true,
        });
    }
    let key = match_key(t).replace('²', "2");
    let (scale, rest) = match key.split_once(' ') {
        Some(("тыс" | "мың" | "миң" | "thousand", rest)) => (1e3, rest),
        Some(("млн" | "million", rest)) => (1e6, rest),
        Some(("млрд" | "billion", rest)) => (1e9, rest),
        _ => (1.0, key.as_str()),
    };
    let known = matches!(
        rest,
        "чел"
            | "человек"
            | "адам"
            | "адамдар"
            | "киши"
            | "persons"
            | "people"
            | "мест"
            | "место"
            | "орын"
            | "орындар"
            | "орун"
            | "places"
            | "seats"
            | "м2"
            | "кв м"
            | "м кв"
            | "sq m"
            | "шаршы м"
            | "ед"
            | "единиц"
            | "шт"
            | "бірлік"
            | "бирдик"
            | "units"
            | "тенге"
            | "теңге"
            | "тг"
            | "kzt"
            | "сом"
            | "kgs"
            | "руб"
            | "процент"
            | "percent"
            | "часов"
            | "сағат"
            | "саат"
            | "hours"
            | "балл"
            | "баллов"
            | "points"
            | "лет"
            | "жыл"
            | "жыл саны"
            | "years"
    );
    let percent = matches!(rest, "процент" | "percent");
    known.then(|| HeaderUnit {
        text: t.to_string(),
        scale,
        percent,
    })
}

/// Whether a header names a column of row numbers (`№`, `№ п/п`, `№ р/с`).
pub(crate) fn is_row_number(header: &str) -> bool {
    let t = header.trim();
    t.starts_with('№')
        || t == "#"
        || matches!(
            match_key(t).as_str(),
            "n" | "no"
                | "nr"
                | "п п"
                | "р с"
                | "n п п"
                | "no п п"
                | "рет саны"
                | "порядковый номер"
        )
}

/// Whether a child header names the total of its parent (`всего`, `барлығы`).
pub(crate) fn is_total_word(text: &str) -> bool {
    matches!(
        match_key(text).as_str(),
        "всего"
            | "итого"
            | "барлығы"
            | "жиыны"
            | "барлыгы"
            | "бардыгы"
            | "жалпы"
            | "total"
            | "all"
            | "общее"
            | "всего чел"
            | "жалпы саны"
    )
}

/// Whether a cell labels a totals row (`Итого`, `Барлығы облыс бойынша`, `Total`).
pub(crate) fn is_totals_label(text: &str) -> bool {
    let key = match_key(text);
    let first = key.split(' ').next().unwrap_or("");
    matches!(
        first,
        "итого"
            | "всего"
            | "барлығы"
            | "жиыны"
            | "барлыгы"
            | "бардыгы"
            | "жыйынтык"
            | "итог"
            | "total"
            | "totals"
    ) || key == "grand total"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::text_cell;

    fn row<'a>(cells: &[&'a str]) -> Vec<Cell<'a>> {
        cells.iter().map(|c| text_cell(c)).collect()
    }

    #[test]
    fn units_are_split_off_and_scales_read() {
        let (base, unit) = strip_unit("Контингент обучающихся, чел.");
        assert_eq!(base, "Контингент обучающихся");
        assert_eq!(unit.unwrap().scale, 1.0);
        let (base, unit) = strip_unit("Бюджет (тыс. тенге)");
        assert_eq!(base, "Бюджет");
        assert_eq!(unit.unwrap().scale, 1000.0);
        let (base, unit) = strip_unit("Қаржыландыру, млн теңге");
        assert_eq!((base, unit.unwrap().scale), ("Қаржыландыру", 1e6));
        let (base, unit) = strip_unit("Площадь, м²");
        assert_eq!((base, unit.is_some()), ("Площадь", true));
        let (base, unit) = strip_unit("Доля выпускников, %");
        assert!(unit.unwrap().percent);
        assert_eq!(base, "Доля выпускников");
        // Not a unit: kept in the name.
        assert_eq!(strip_unit("Школа (филиал)"), ("Школа (филиал)", None));
        assert_eq!(strip_unit("Код, БИН"), ("Код, БИН", None));
    }

    #[test]
    fn the_header_is_found_under_title_rows() {
        let book = AliasBook::builtin();
        let rows = vec![
            row(&["Сведения о контингенте", "", ""]),
            row(&["по состоянию на 01.10.2023", "", ""]),
            row(&["", "", ""]),
            row(&[
                "№ п/п",
                "БИН",
                "Учебный год",
                "Контингент обучающихся, чел.",
            ]),
            row(&["1", "000000000001", "2023-2024", "420"]),
        ];
        let l = detect(&rows, &book, &known_header(&book), &|i| i as u64 + 1);
        assert_eq!((l.header_at, l.header_rows), (3, 1));
        assert_eq!(
            l.headers,
            ["", "БИН", "Учебный год", "Контингент обучающихся"]
        );
        assert_eq!(
            l.notes[0],
            "header found at row 4; rows 1–3 read as title: «Сведения о контингенте / по состоянию на 01.10.2023»"
        );
        assert!(l.notes[1].contains("«№ п/п»"), "{:?}", l.notes);
    }

    #[test]
    fn merged_parents_name_their_children_and_total_is_the_metric() {
        let book = AliasBook::builtin();
        let rows = vec![
            row(&[
                "БИН",
                "Учебный год",
                "Контингент обучающихся, чел.",
                "",
                "",
                "Бюджет, тыс. тенге",
            ]),
            row(&["", "", "всего", "девочки", "мальчики", ""]),
            row(&["000000000001", "2023", "420", "200", "220", "1 500"]),
        ];
        let l = detect(&rows, &book, &known_header(&book), &|i| i as u64 + 1);
        assert_eq!((l.header_at, l.header_rows), (0, 2));
        assert_eq!(
            l.headers,
            [
                "БИН",
                "Учебный год",
                "Контингент обучающихся",
                "Контингент обучающихся.female",
                "Контингент обучающихся.male",
                "Бюджет"
            ]
        );
        assert_eq!(l.units[5].as_ref().map(|u| u.scale), Some(1000.0));
        assert_eq!(l.units[3].as_ref().map(|u| u.scale), Some(1.0));
        assert!(
            l.notes
                .iter()
                .any(|n| n.contains("«Бюджет, тыс. тенге» ×1000")),
            "{:?}",
            l.notes
        );
    }

    #[test]
    fn without_a_known_header_the_first_row_is_taken() {
        let book = AliasBook::builtin();
        let rows = vec![row(&["a", "b"]), row(&["1", "2"])];
        let l = detect(&rows, &book, &known_header(&book), &|i| i as u64 + 1);
        assert_eq!(
            (l.header_at, l.headers.clone()),
            (0, vec!["a".to_string(), "b".into()])
        );
        assert!(l.notes.is_empty());
    }

    #[test]
    fn totals_labels_and_row_numbers() {
        assert!(is_totals_label("Итого по области"));
        assert!(is_totals_label("БАРЛЫҒЫ:"));
        assert!(is_totals_label("Total"));
        assert!(!is_totals_label("Школа-гимназия №5"));
        assert!(is_row_number("№"));
        assert!(is_row_number("№ р/с"));
        assert!(!is_row_number("Номер телефона"));
        assert!(is_total_word("Жиыны"));
        assert!(!is_total_word("девочки"));
    }
}
