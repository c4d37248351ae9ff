//! Validation messages: what was wrong, where exactly, and how bad.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious an issue is.
///
/// * `Error`: the data it names are not loaded (a cell, a row, or for a structural fault the table); everything else stays loaded.
/// * `Warning`: the data are kept, and the warning travels with every value that used them.
/// * `Note`: how the file was read (the header row found under a title,
///   units understood in headers, totals rows skipped); nothing is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Data are not loaded: the cell, row or table the message names.
    Error,
    /// The data are kept and flagged.
    Warning,
    /// How the input was read; nothing is lost or doubtful.
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// A stable machine-readable code for each kind of issue (used by the
/// widgets to translate messages and by tests to assert outcomes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    /// The file could not be read at all (format, encoding, truncation, limits).
    UnreadableFile,
    /// The table kind could not be recognised from its name or headers.
    UnknownTable,
    /// A required column is missing.
    MissingColumn,
    /// A value cannot be read as its column's type.
    BadValue,
    /// Two rows share the same key.
    DuplicateKey,
    /// An observation or record names an `org_id` absent from `organisations`.
    UnknownOrganisation,
    /// A year outside 1990–2100.
    YearOutOfRange,
    /// A count is negative.
    NegativeCount,
    /// A count is not a whole number.
    FractionalCount,
    /// A part is larger than its whole (e.g. `graduates_employed > graduates`).
    PartExceedsWhole,
    /// A share lies outside 0–1.
    ShareOutOfRange,
    /// A value more than 10 times its previous year, or less than a tenth of it.
    SuspiciousJump,
    /// A column header that matches no known field or metric.
    UnknownHeader,
    /// A metric code that is not in the metric dictionary.
    UnknownMetric,
    /// A metric derived from records disagrees with the same metric given directly.
    DerivedConflict,
    /// A value outside its plausible range (e.g. GPA above 4, Likert score 7).
    OutOfRange,
    /// A table that holds no data rows.
    EmptyTable,
    /// A cell holding a spreadsheet formula (its cached value is used, if any).
    FormulaCell,
    /// How an export's layout was read: the header row under a title,
    /// merged headers, units in headers, totals rows, "no data" markers.
    Layout,
    /// A metric's total disagrees with the sum of its breakdowns, or only
    /// some of the breakdowns are given (no total is made from them).
    BreakdownMismatch,
    /// Anything else worth telling.
    Other,
}

impl IssueCode {
    /// A short title of the kind of problem in `lang`, for people who read
    /// the data-quality list in Kazakh or Russian (the message itself, with
    /// its details, is English).
    ///
    /// ```
    /// use kpi_model::i18n::Lang;
    /// use kpi_model::validate::IssueCode;
    /// assert_eq!(IssueCode::NegativeCount.title(Lang::Ru), "Отрицательное количество");
    /// assert_eq!(IssueCode::NegativeCount.title(Lang::Kk), "Теріс сан");
    /// assert_eq!(IssueCode::NegativeCount.title(Lang::En), "Negative count");
    /// assert_eq!(IssueCode::NegativeCount.title(Lang::Ky), "Терс сан");
    /// ```
    pub fn title(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Lang::{En, Kk, Ky, Ru};
        use IssueCode as C;
        let (kk, ru, en) = match self {
            C::UnreadableFile => ("Файл оқылмады", "Файл не читается", "File cannot be read"),
            C::UnknownTable => (
                "Кесте түрі танылмады",
                "Тип таблицы не распознан",
                "Unknown table",
            ),
            C::MissingColumn => (
                "Міндетті баған жоқ",
                "Нет обязательного столбца",
                "Missing column",
            ),
            C::BadValue => ("Мән оқылмады", "Значение не читается", "Unreadable value"),
            C::DuplicateKey => ("Қайталанған жол", "Повторяющаяся строка", "Duplicate row"),
            C::UnknownOrganisation => (
                "Белгісіз ұйым",
                "Неизвестная организация",
                "Unknown organisation",
            ),
            C::YearOutOfRange => (
                "Жыл мүмкін аралықтан тыс",
                "Год вне допустимого диапазона",
                "Year out of range",
            ),
            C::NegativeCount => ("Теріс сан", "Отрицательное количество", "Negative count"),
            C::FractionalCount => ("Бөлшек сан", "Дробное количество", "Fractional count"),
            C::PartExceedsWhole => (
                "Бөлігі тұтастан көп",
                "Часть больше целого",
                "Part exceeds whole",
            ),
            C::ShareOutOfRange => (
                "Үлес 0–1 аралығынан тыс",
                "Доля вне диапазона 0–1",
                "Share out of range",
            ),
            C::SuspiciousJump => (
                "Күмәнді секіріс",
                "Подозрительный скачок",
                "Suspicious jump",
            ),
            C::UnknownHeader => (
                "Белгісіз баған атауы",
                "Неизвестный заголовок столбца",
                "Unknown header",
            ),
            C::UnknownMetric => ("Белгісіз метрика", "Неизвестная метрика", "Unknown metric"),
            C::DerivedConflict => (
                "Жазбалардан есептелген мән сәйкес емес",
                "Расхождение с расчётом по записям",
                "Conflicts with records",
            ),
            C::OutOfRange => (
                "Мән мүмкін шектен тыс",
                "Значение вне правдоподобного диапазона",
                "Value out of range",
            ),
            C::EmptyTable => ("Бос кесте", "Пустая таблица", "Empty table"),
            C::FormulaCell => ("Формула ұяшығы", "Ячейка с формулой", "Formula cell"),
            C::Layout => (
                "Файл құрылымы қалай оқылды",
                "Как прочитана структура файла",
                "How the layout was read",
            ),
            C::BreakdownMismatch => (
                "Жиыны бөліктерге сәйкес емес",
                "Итог не сходится с разбивкой",
                "Total and breakdowns disagree",
            ),
            C::Other => ("Ескерту", "Замечание", "Note"),
        };
        match lang {
            Kk => kk,
            Ru => ru,
            En => en,
            Ky => self.title_ky(),
        }
    }

    /// The Kyrgyz title (see [`IssueCode::title`]).
    fn title_ky(self) -> &'static str {
        use IssueCode as C;
        match self {
            C::UnreadableFile => "Файл окулбады",
            C::UnknownTable => "Таблицанын түрү таанылган жок",
            C::MissingColumn => "Милдеттүү мамыча жок",
            C::BadValue => "Маани окулбады",
            C::DuplicateKey => "Кайталанган сап",
            C::UnknownOrganisation => "Белгисиз уюм",
            C::YearOutOfRange => "Жыл мүмкүн болгон аралыктан тышкары",
            C::NegativeCount => "Терс сан",
            C::FractionalCount => "Бөлчөк сан",
            C::PartExceedsWhole => "Бөлүгү бүтүндөн көп",
            C::ShareOutOfRange => "Үлүш 0–1 аралыгынан тышкары",
            C::SuspiciousJump => "Шектүү секирик",
            C::UnknownHeader => "Белгисиз мамычанын аталышы",
            C::UnknownMetric => "Белгисиз метрика",
            C::DerivedConflict => "Жазуулардан эсептелген маани дал келбейт",
            C::OutOfRange => "Маани ыктымал чектен тышкары",
            C::EmptyTable => "Бош таблица",
            C::FormulaCell => "Формула уячасы",
            C::Layout => "Файлдын түзүлүшү кантип окулду",
            C::BreakdownMismatch => "Жыйынтыгы бөлүктөрүнө дал келбейт",
            C::Other => "Эскертүү",
        }
    }
}

/// Where an issue was found. Rows are 1-based as the user sees them in a
/// spreadsheet (the header is row 1 of a CSV file).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// File name as given by the user.
    pub file: String,
    /// Sheet name, for workbooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// 1-based row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// Column header as written in the file (or the field name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl Location {
    /// A location naming just a file.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            ..Default::default()
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, "[{sheet}]")?;
        }
        if let Some(row) = self.row {
            write!(f, ":{row}")?;
        }
        if let Some(col) = &self.column {
            write!(f, ":{col}")?;
        }
        Ok(())
    }
}

/// One validation message.
///
/// ```
/// use kpi_model::validate::{Issue, IssueCode, Location, Severity};
/// let issue = Issue {
///     severity: Severity::Error,
///     code: IssueCode::BadValue,
///     location: Location { file: "obs.csv".into(), sheet: None, row: Some(7), column: Some("value".into()) },
///     found: Some("12,5,3".into()),
///     expected: Some("a number".into()),
///     suggestion: None,
///     message: "cannot read the value as a number".into(),
/// };
/// assert_eq!(issue.to_string(), "obs.csv:7:value: error: cannot read the value as a number (found \"12,5,3\", expected a number)");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// Error or warning.
    pub severity: Severity,
    /// Machine-readable kind.
    pub code: IssueCode,
    /// File, sheet, row and column.
    pub location: Location,
    /// The value found, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// What was expected instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// A suggestion, e.g. the closest known header alias.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// A readable sentence (English).
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.location, self.severity, self.message)?;
        match (&self.found, &self.expected) {
            (Some(found), Some(exp)) => write!(f, " (found {found:?}, expected {exp})")?,
            (Some(found), None) => write!(f, " (found {found:?})")?,
            (None, Some(exp)) => write!(f, " (expected {exp})")?,
            (None, None) => {}
        }
        if let Some(s) = &self.suggestion {
            write!(f, "; did you mean {s:?}?")?;
        }
        Ok(())
    }
}

/// Index of an issue inside a [`ValidationReport`](super::ValidationReport).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IssueId(pub u32);

#[cfg(test)]
mod tests {
    use super::IssueCode as C;
    use crate::i18n::Lang;

    const ALL: [C; 21] = [
        C::UnreadableFile,
        C::UnknownTable,
        C::MissingColumn,
        C::BadValue,
        C::DuplicateKey,
        C::UnknownOrganisation,
        C::YearOutOfRange,
        C::NegativeCount,
        C::FractionalCount,
        C::PartExceedsWhole,
        C::ShareOutOfRange,
        C::SuspiciousJump,
        C::UnknownHeader,
        C::UnknownMetric,
        C::DerivedConflict,
        C::OutOfRange,
        C::EmptyTable,
        C::FormulaCell,
        C::Layout,
        C::BreakdownMismatch,
        C::Other,
    ];

    #[test]
    fn every_issue_kind_has_its_own_title_in_each_language() {
        for lang in [Lang::Kk, Lang::Ru, Lang::En] {
            let mut titles: Vec<&str> = ALL.iter().map(|c| c.title(lang)).collect();
            titles.sort_unstable();
            titles.dedup();
            assert_eq!(titles.len(), ALL.len(), "{lang:?}: two kinds share a title");
        }
        for c in ALL {
            let (kk, ru) = (c.title(Lang::Kk), c.title(Lang::Ru));
            assert_ne!(kk, ru, "{c:?}");
            assert!(
                [kk, ru]
                    .iter()
                    .all(|t| t.chars().any(|ch| ('а'..='я').contains(&ch))),
                "{c:?}: {kk} / {ru}"
            );
        }
    }
}
