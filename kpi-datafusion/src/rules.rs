//! The row rules of the record tables, as the in-memory loader applies them
//! (kpi-import's `kinds::students`, `kinds::grades`, `kinds::surveys`), on
//! one cell's text at a time: what a cell reads as, and why a row is rejected.
//!
//! Every rule calls kpi-import's own value readers and alias book, so a
//! spelling, a year form or a decimal comma reads the same on both engines.

use kpi_import::{
    is_missing_marker, letter_points, parse_number, parse_year, score_points, trim_cell, AliasBook,
    Field, ValueMemo, ValueSet,
};
use kpi_model::StudentStatus;

/// The years a record may carry (kpi-import's `read_year`).
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A cell's text with the padding a load trims ([`kpi_import::trim_cell`]);
/// `None` when empty.
pub(crate) fn text(cell: Option<&str>) -> Option<&str> {
    Some(trim_cell(cell?)).filter(|t| !t.is_empty())
}

/// An identifier (student, organisation, programme): trimmed text.
pub(crate) fn id(cell: Option<&str>) -> Option<&str> {
    text(cell)
}

/// An academic year within 1990–2100.
pub(crate) fn year(cell: Option<&str>) -> Option<i32> {
    parse_year(text(cell)?).filter(|y| YEARS.contains(y))
}

/// A whole number within `range` (course 1–7, term 1–3); decimal comma allowed.
pub(crate) fn whole(cell: Option<&str>, range: std::ops::RangeInclusive<f64>) -> Option<i32> {
    let v = parse_number(text(cell)?, true)?;
    (v.fract() == 0.0 && range.contains(&v)).then_some(v as i32)
}

/// A value of a value set (status, funding, survey kind, yes/no) in its
/// canonical code (looked up through `memo`).
pub(crate) fn value(
    book: &AliasBook,
    memo: &mut ValueMemo,
    set: ValueSet,
    cell: Option<&str>,
) -> Option<&'static str> {
    memo.get(book, set, text(cell)?)
}

/// What an optional number cell holds.
pub(crate) enum Number {
    /// Empty, or a "no data" marker.
    Missing,
    /// A number.
    Value(f64),
    /// Text that is no number.
    Unreadable,
}

/// Reads an optional number cell.
pub(crate) fn number(cell: Option<&str>, decimal_comma: bool) -> Number {
    let Some(t) = text(cell) else {
        return Number::Missing;
    };
    match parse_number(t, decimal_comma) {
        Some(v) => Number::Value(v),
        None if is_missing_marker(t) => Number::Missing,
        None => Number::Unreadable,
    }
}

/// A GPA on 0–4, `None` when missing or outside (a load warns and does not use it).
pub(crate) fn gpa(cell: Option<&str>, decimal_comma: bool) -> Option<f64> {
    match number(cell, decimal_comma) {
        Number::Value(v) if (0.0..=4.0).contains(&v) => Some(v),
        _ => None,
    }
}

/// The grade points of a grades row: the letter when the letter cell has
/// text, else the 0–100 score converted; `None` when there is no usable grade.
pub(crate) fn points(
    letter: Option<&str>,
    score: Option<&str>,
    decimal_comma: bool,
) -> Option<f64> {
    if let Some(l) = text(letter) {
        return letter_points(l);
    }
    match number(score, decimal_comma) {
        Number::Value(v) => score_points(v),
        _ => None,
    }
}

/// A survey answer on 1–5; `None` when empty, unreadable or outside the scale.
pub(crate) fn answer(cell: Option<&str>, decimal_comma: bool) -> Option<f64> {
    match parse_number(text(cell)?, decimal_comma) {
        Some(v) if (1.0..=5.0).contains(&v) => Some(v),
        _ => None,
    }
}

/// Why a row is rejected: the column, the value found and what was expected.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Reject {
    pub column: String,
    pub found: String,
    pub expected: String,
    pub message: String,
}

/// The first rule a row breaks, `None` for a row that is read. `fields` are
/// the row's field cells in the order of `which` (one entry per field of
/// the table's kind that has a column); `headers` name them.
pub(crate) fn reject(
    book: &AliasBook,
    memo: &mut ValueMemo,
    decimal_comma: bool,
    which: &[(Field, String)],
    cells: &[Option<&str>],
) -> Option<Reject> {
    let cell = |f: Field| {
        which
            .iter()
            .position(|(g, _)| *g == f)
            .and_then(|i| cells.get(i).copied().flatten())
    };
    let has = |f: Field| which.iter().any(|(g, _)| *g == f);
    let fail = |f: Field, expected: &str, message: &str| {
        let column = which
            .iter()
            .find(|(g, _)| *g == f)
            .map(|(_, h)| h.clone())
            .unwrap_or_default();
        Some(Reject {
            column,
            found: cell(f).unwrap_or("").to_string(),
            expected: expected.into(),
            message: message.into(),
        })
    };
    // A wholly blank row is skipped, as in a load.
    if cells.iter().all(|c| text(*c).is_none()) {
        return None;
    }
    if has(Field::StudentId) && id(cell(Field::StudentId)).is_none() {
        return fail(Field::StudentId, "a student id", "student_id is empty");
    }
    if id(cell(Field::OrgId)).is_none() {
        return fail(Field::OrgId, "an org_id", "org_id is empty");
    }
    if year(cell(Field::Year)).is_none() {
        return fail(
            Field::Year,
            "an academic year between 1990 and 2100 (2023, 2023-2024, 2023/24)",
            "cannot read the year",
        );
    }
    if has(Field::Status) {
        if whole(cell(Field::Course), 1.0..=7.0).is_none() {
            return fail(
                Field::Course,
                "a course (year of study) from 1 to 7",
                "cannot read the course",
            );
        }
        let status = value(book, memo, ValueSet::Status, cell(Field::Status));
        if status.and_then(StudentStatus::from_code).is_none() {
            return fail(Field::Status, "a student status", "unknown student status");
        }
        if let Number::Unreadable = number(cell(Field::Gpa), decimal_comma) {
            return fail(Field::Gpa, "a GPA from 0.00 to 4.00", "cannot read the GPA");
        }
        match number(cell(Field::CreditsEarned), decimal_comma) {
            Number::Unreadable => {
                return fail(
                    Field::CreditsEarned,
                    "a number of credits, 0 or more",
                    "cannot read the credits earned",
                )
            }
            Number::Value(v) if v < 0.0 => {
                return fail(
                    Field::CreditsEarned,
                    "a number of credits, 0 or more",
                    "cannot read the credits earned",
                )
            }
            _ => {}
        }
        if text(cell(Field::Funding)).is_some()
            && value(book, memo, ValueSet::Funding, cell(Field::Funding)).is_none()
        {
            return fail(Field::Funding, "a funding", "unknown funding");
        }
        for f in [Field::Employed, Field::FurtherStudy] {
            if text(cell(f)).is_some() && value(book, memo, ValueSet::Bool, cell(f)).is_none() {
                return fail(
                    f,
                    "yes, no or empty (иә/жоқ, да/нет, 1/0)",
                    "cannot read yes/no",
                );
            }
        }
    }
    if has(Field::Term) {
        if whole(cell(Field::Term), 1.0..=3.0).is_none() {
            return fail(
                Field::Term,
                "a term: 1, 2 or 3 (summer)",
                "cannot read the term",
            );
        }
        match parse_number(text(cell(Field::Credits)).unwrap_or(""), decimal_comma) {
            Some(v) if v > 0.0 => {}
            _ => {
                return fail(
                    Field::Credits,
                    "a positive number of credits",
                    "cannot read the credits",
                )
            }
        }
        if let Some(l) = text(cell(Field::Letter)) {
            if letter_points(l).is_none() {
                return fail(
                    Field::Letter,
                    "a letter grade: A, A-, B+, B, B-, C+, C, C-, D+, D, FX or F",
                    "unknown letter grade",
                );
            }
        } else {
            match number(cell(Field::Score), decimal_comma) {
                Number::Value(_) => {}
                Number::Unreadable => {
                    return fail(
                        Field::Score,
                        "a score from 0 to 100",
                        "cannot read the score",
                    )
                }
                Number::Missing => {
                    let f = if has(Field::Score) {
                        Field::Score
                    } else {
                        Field::Letter
                    };
                    return fail(f, "a score (0–100) or a letter grade", "the grade is empty");
                }
            }
        }
    }
    if has(Field::Survey) {
        if value(book, memo, ValueSet::Survey, cell(Field::Survey)).is_none() {
            return fail(Field::Survey, "a survey kind", "unknown survey kind");
        }
        if let Some(t) = text(cell(Field::Score)) {
            if parse_number(t, decimal_comma).is_none() {
                return fail(
                    Field::Score,
                    "a score from 1 to 5, or empty for no answer",
                    "cannot read the score",
                );
            }
        }
    }
    None
}

/// A range rule: the field, whether a value is outside, what is expected,
/// the message, and the fields a load checks from that value on.
type RangeRule = (
    Field,
    fn(f64) -> bool,
    &'static str,
    &'static str,
    &'static [Field],
);

/// The out-of-range warning a load gives for a row (the value is not used,
/// the row stands): a GPA outside 0–4 (students), a score outside 0–100
/// where no letter is given (grades), an answer outside 1–5 (surveys).
/// As in a load, only a row read as far as that value warns: the rules
/// before it must pass (those after it may still reject the row).
pub(crate) fn out_of_range(
    book: &AliasBook,
    memo: &mut ValueMemo,
    decimal_comma: bool,
    which: &[(Field, String)],
    cells: &[Option<&str>],
) -> Option<Reject> {
    let at = |f: Field| which.iter().position(|(g, _)| *g == f);
    let cell = |f: Field| at(f).and_then(|i| cells.get(i).copied().flatten());
    let has = |f: Field| at(f).is_some();
    // The value's field, whether `v` is outside, what is expected, the
    // message, and the fields checked from it on (blanked to test the rules before it).
    let (field, outside, expected, message, from_here): RangeRule = if has(Field::Status) {
        (
            Field::Gpa,
            |v| !(0.0..=4.0).contains(&v),
            "a GPA from 0.00 to 4.00",
            "GPA outside 0–4 is not used",
            &[
                Field::Gpa,
                Field::CreditsEarned,
                Field::Funding,
                Field::Employed,
                Field::FurtherStudy,
            ],
        )
    } else if has(Field::Term) {
        if text(cell(Field::Letter)).is_some() {
            return None;
        }
        (
            Field::Score,
            |v| score_points(v).is_none(),
            "a score from 0 to 100",
            "a score outside 0–100 is not used",
            &[],
        )
    } else if has(Field::Survey) {
        (
            Field::Score,
            |v| !(1.0..=5.0).contains(&v),
            "a score from 1 to 5",
            "an answer outside the 1–5 scale is not counted",
            &[],
        )
    } else {
        return None;
    };
    let v = match parse_number(text(cell(field))?, decimal_comma) {
        Some(v) if outside(v) => v,
        _ => return None,
    };
    let before: Vec<Option<&str>> = which
        .iter()
        .zip(cells)
        .map(|((f, _), c)| if from_here.contains(f) { None } else { *c })
        .collect();
    // A row blank but for this value is rejected for its empty id, unwarned.
    if before.iter().all(|c| text(*c).is_none())
        || reject(book, memo, decimal_comma, which, &before).is_some()
    {
        return None;
    }
    Some(Reject {
        column: which.get(at(field)?)?.1.clone(),
        found: kpi_import::format_number(v),
        expected: expected.into(),
        message: message.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`reject`] with the built-in book and a fresh memo.
    fn rejected(dc: bool, which: &[(Field, String)], cells: &[Option<&str>]) -> Option<Reject> {
        reject(
            &AliasBook::builtin(),
            &mut ValueMemo::default(),
            dc,
            which,
            cells,
        )
    }

    /// [`out_of_range`] with the built-in book and a fresh memo.
    fn range_warning(
        dc: bool,
        which: &[(Field, String)],
        cells: &[Option<&str>],
    ) -> Option<Reject> {
        out_of_range(
            &AliasBook::builtin(),
            &mut ValueMemo::default(),
            dc,
            which,
            cells,
        )
    }

    #[test]
    fn text_trims_what_a_load_trims() {
        for cell in [
            "ab",
            " ab",
            "ab ",
            "\tab\r\n",
            "\u{b}ab",
            "\u{a0}ab\u{2003}",
            "а б",
            "",
            "   ",
            "\u{a0}",
            "é",
            "x\u{85}",
            "\u{feff}ab",
        ] {
            // White space as `char::is_whitespace` has it, and a byte-order mark.
            let padding = |c: char| c.is_whitespace() || c == '\u{feff}';
            let expected = Some(cell.trim_matches(padding)).filter(|t| !t.is_empty());
            assert_eq!(text(Some(cell)), expected, "{cell:?}");
        }
        assert_eq!(text(Some("\u{a0}12 ")), Some("12"));
        assert_eq!(text(None), None);
    }

    fn students() -> Vec<(Field, String)> {
        [
            Field::StudentId,
            Field::OrgId,
            Field::Year,
            Field::Course,
            Field::Status,
            Field::Gpa,
        ]
        .into_iter()
        .map(|f| (f, f.code().to_string()))
        .collect()
    }

    #[test]
    fn student_rows() {
        let w = students();
        let ok = [
            Some("A"),
            Some("S1"),
            Some("2023-2024"),
            Some("2"),
            Some("оқиды"),
            Some("3,1"),
        ];
        assert_eq!(rejected(true, &w, &ok), None);
        let bad_year = [
            Some("A"),
            Some("S1"),
            Some("year?"),
            Some("2"),
            Some("enrolled"),
            None,
        ];
        let r = rejected(true, &w, &bad_year).unwrap();
        assert_eq!((r.column.as_str(), r.found.as_str()), ("year", "year?"));
        let bad_course = [
            Some("A"),
            Some("S1"),
            Some("2023"),
            Some("8"),
            Some("enrolled"),
            None,
        ];
        assert_eq!(rejected(true, &w, &bad_course).unwrap().column, "course");
        // A GPA out of range is not used, but the row stands; text is an error.
        let out = [
            Some("A"),
            Some("S1"),
            Some("2023"),
            Some("1"),
            Some("enrolled"),
            Some("4.5"),
        ];
        assert_eq!(rejected(false, &w, &out), None);
        assert_eq!(gpa(Some("4.5"), false), None);
        let text_gpa = [
            Some("A"),
            Some("S1"),
            Some("2023"),
            Some("1"),
            Some("enrolled"),
            Some("good"),
        ];
        assert_eq!(rejected(false, &w, &text_gpa).unwrap().column, "gpa");
        assert_eq!(rejected(false, &w, &[None; 6]), None);
    }

    #[test]
    fn out_of_range_values_warn_only_on_rows_read_that_far() {
        let w = students();
        let row = |year: &'static str, gpa: &'static str| {
            [
                Some("A"),
                Some("S1"),
                Some(year),
                Some("1"),
                Some("enrolled"),
                Some(gpa),
            ]
        };
        let warned = range_warning(true, &w, &row("2023", "4,5")).unwrap();
        assert_eq!(
            (warned.column.as_str(), warned.found.as_str()),
            ("gpa", "4.5")
        );
        assert_eq!(
            range_warning(true, &w, &row("2023", "5")).unwrap().found,
            "5"
        );
        assert_eq!(range_warning(true, &w, &row("2023", "3,9")), None);
        // A row rejected before its GPA is read gives no warning.
        assert_eq!(range_warning(true, &w, &row("year?", "4,5")), None);
        // Blank but for the GPA: rejected for the empty id, no warning.
        let mut blank = [None; 6];
        blank[5] = Some("9");
        assert_eq!(range_warning(true, &w, &blank), None);
        let g: Vec<(Field, String)> = [
            Field::StudentId,
            Field::OrgId,
            Field::Year,
            Field::Term,
            Field::Credits,
            Field::Score,
            Field::Letter,
        ]
        .into_iter()
        .map(|f| (f, f.code().to_string()))
        .collect();
        let grade = |score: &'static str, letter: Option<&'static str>| {
            [
                Some("A"),
                Some("S1"),
                Some("2023"),
                Some("1"),
                Some("5"),
                Some(score),
                letter,
            ]
        };
        let w = range_warning(false, &g, &grade("101", None)).unwrap();
        assert_eq!((w.column.as_str(), w.found.as_str()), ("score", "101"));
        assert_eq!(
            range_warning(false, &g, &grade("-1", None)).unwrap().found,
            "-1"
        );
        assert_eq!(range_warning(false, &g, &grade("100", None)), None);
        // The letter wins: its score is not looked at.
        assert_eq!(range_warning(false, &g, &grade("101", Some("A"))), None);
    }

    #[test]
    fn grade_points() {
        assert_eq!(points(Some("A"), Some("10"), false), Some(4.0));
        assert_eq!(points(None, Some("95"), false), score_points(95.0));
        assert_eq!(points(None, Some("101"), false), None);
        assert_eq!(answer(Some("4,0"), true), Some(4.0));
        assert_eq!(answer(Some("6"), true), None);
    }
}
