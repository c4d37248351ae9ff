//! What each table must and may hold, how a table is recognised (by name,
//! then by headers), and how its headers map to fields and metric columns.

use super::aliases::{AliasBook, Field, MetricIndex};
use super::normalize::code_of;
use kpi_model::metrics::{MetricId, MetricRegistry};
use kpi_model::validate::TableKind;

/// Required and optional fields of a table kind (docs/data.md).
pub(crate) fn required(kind: TableKind) -> &'static [Field] {
    match kind {
        TableKind::Organisations => &[Field::OrgId, Field::Name, Field::Level, Field::Region],
        TableKind::Observations => &[Field::OrgId, Field::Year],
        TableKind::Students => &[
            Field::StudentId,
            Field::OrgId,
            Field::Year,
            Field::Course,
            Field::Status,
        ],
        TableKind::Grades => &[
            Field::StudentId,
            Field::OrgId,
            Field::Year,
            Field::Term,
            Field::Credits,
        ],
        TableKind::Surveys => &[Field::OrgId, Field::Year, Field::Survey, Field::Score],
    }
}

pub(crate) fn optional(kind: TableKind) -> &'static [Field] {
    match kind {
        TableKind::Organisations => &[
            Field::NameKk,
            Field::NameRu,
            Field::NameEn,
            Field::Ownership,
            Field::Locality,
        ],
        TableKind::Observations => &[Field::Programme, Field::Metric, Field::Value],
        TableKind::Students => &[
            Field::Programme,
            Field::Gpa,
            Field::CreditsEarned,
            Field::Funding,
            Field::Employed,
            Field::FurtherStudy,
        ],
        TableKind::Grades => &[Field::CourseCode, Field::Score, Field::Letter],
        TableKind::Surveys => &[Field::Programme, Field::RespondentId, Field::Question],
    }
}

fn in_schema(kind: TableKind, f: Field) -> bool {
    required(kind).contains(&f) || optional(kind).contains(&f)
}

/// Recognises a table by its headers alone.
pub(crate) fn kind_from_headers(headers: &[String], book: &AliasBook) -> Option<TableKind> {
    let fields: Vec<Field> = headers.iter().filter_map(|h| book.field(h)).collect();
    let has = |f: Field| fields.contains(&f);
    if has(Field::StudentId) && has(Field::Status) {
        Some(TableKind::Students)
    } else if has(Field::StudentId)
        && has(Field::Credits)
        && (has(Field::Score) || has(Field::Letter))
    {
        Some(TableKind::Grades)
    } else if has(Field::Survey) && has(Field::Score) {
        Some(TableKind::Surveys)
    } else if has(Field::OrgId) && has(Field::Level) && !has(Field::Year) {
        Some(TableKind::Organisations)
    } else if has(Field::OrgId) && has(Field::Year) {
        Some(TableKind::Observations)
    } else {
        None
    }
}

/// Whether every required field of `kind` has a column.
pub(crate) fn complete(kind: TableKind, headers: &[String], book: &AliasBook) -> bool {
    required(kind)
        .iter()
        .all(|f| headers.iter().any(|h| book.field(h) == Some(*f)))
}

/// Whether a header is a required field of `kind` other than org_id and year.
fn own_field(kind: TableKind, headers: &[String], book: &AliasBook) -> bool {
    required(kind)
        .iter()
        .filter(|f| !matches!(f, Field::OrgId | Field::Year))
        .any(|f| headers.iter().any(|h| book.field(h) == Some(*f)))
}

/// Recognises a table: by its name when the headers fit that kind; else by
/// its headers; else by its name alone (so missing columns are reported).
pub(crate) fn recognise(name: &str, headers: &[String], book: &AliasBook) -> Option<TableKind> {
    let by_name = book.table(name);
    if let Some(k) = by_name {
        if complete(k, headers, book) {
            return Some(k);
        }
    }
    match (kind_from_headers(headers, book), by_name) {
        // Any table with org_id and year reads as wide observations: a file
        // named for another kind (`grades_extra.csv`) that has a column only
        // that kind has (student_id) but lacks another is that kind, so its
        // error names the column it lacks.
        (Some(TableKind::Observations), Some(k)) if own_field(k, headers, book) => Some(k),
        (from_headers, by_name) => from_headers.or(by_name),
    }
}

/// A metric column of a wide observations table.
#[derive(Clone, Debug)]
pub(crate) struct MetricColumn {
    /// Position in the row.
    pub col: usize,
    /// Header as written.
    pub header: String,
    /// The metric; for an unknown header, the code it will be stored under.
    pub metric: Result<MetricId, String>,
    /// Canonical breakdown name.
    pub breakdown: Option<String>,
}

/// How a table's headers map to fields and metrics.
#[derive(Clone, Debug, Default)]
pub(crate) struct Columns {
    fields: Vec<(Field, usize)>,
    /// Wide observations: metric columns.
    pub metrics: Vec<MetricColumn>,
    /// Headers that match nothing (position, header).
    pub unknown: Vec<(usize, String)>,
    /// A field given by two columns: (field, the column used, the column ignored).
    pub repeated: Vec<(Field, usize, usize)>,
}

impl Columns {
    /// The column of a field.
    #[inline]
    pub(crate) fn get(&self, f: Field) -> Option<usize> {
        self.fields.iter().find(|(g, _)| *g == f).map(|(_, c)| *c)
    }

    /// The fields with a column: (field, position).
    pub(crate) fn fields(&self) -> &[(Field, usize)] {
        &self.fields
    }

    /// Whether the table is in long form (`metric` and `value` columns).
    pub(crate) fn is_long(&self) -> bool {
        self.get(Field::Metric).is_some() && self.get(Field::Value).is_some()
    }

    /// The columns a table reads: its fields' and its metrics' (not the
    /// unknown headers, nor the ignored copy of a repeated field).
    #[cfg(all(feature = "parquet", not(target_arch = "wasm32")))]
    pub(crate) fn used(&self) -> impl Iterator<Item = usize> + '_ {
        self.fields
            .iter()
            .map(|(_, c)| *c)
            .chain(self.metrics.iter().map(|m| m.col))
    }

    /// Required fields without a column.
    pub(crate) fn missing(&self, kind: TableKind) -> Vec<Field> {
        required(kind)
            .iter()
            .copied()
            .filter(|f| self.get(*f).is_none())
            .collect()
    }
}

/// Looks up a metric header, with an optional `.breakdown` suffix.
pub(crate) fn metric_of(
    header: &str,
    book: &AliasBook,
    index: &MetricIndex,
) -> Option<(MetricId, Option<String>)> {
    if let Some(m) = index.get(header) {
        return Some((m, None));
    }
    let (base, rest) = header.split_once('.')?;
    let m = index.get(base)?;
    let rest = rest.trim();
    Some((m, (!rest.is_empty()).then(|| book.breakdown(rest))))
}

/// Maps headers to the fields of `kind` and, for observations, to metrics.
/// Columns of fields that belong to other tables (a `name` column in an
/// observations export) and unnamed columns are ignored.
pub(crate) fn map_columns(
    kind: TableKind,
    headers: &[String],
    book: &AliasBook,
    index: &MetricIndex,
    _registry: &MetricRegistry,
) -> Columns {
    let mut cols = Columns::default();
    for (i, h) in headers.iter().enumerate() {
        if h.trim().is_empty() {
            continue;
        }
        let field = book.field(h);
        if let Some(f) = field.filter(|f| in_schema(kind, *f)) {
            match cols.get(f) {
                Some(first) => cols.repeated.push((f, first, i)),
                None => cols.fields.push((f, i)),
            }
            continue;
        }
        if kind == TableKind::Observations {
            if let Some((m, breakdown)) = metric_of(h, book, index) {
                cols.metrics.push(MetricColumn {
                    col: i,
                    header: h.clone(),
                    metric: Ok(m),
                    breakdown,
                });
                continue;
            }
        }
        if field.is_some() {
            continue;
        }
        if kind == TableKind::Observations {
            let (base, breakdown) = match h.split_once('.') {
                Some((b, r)) if !r.trim().is_empty() && !b.trim().is_empty() => {
                    (b, Some(book.breakdown(r)))
                }
                _ => (h.as_str(), None),
            };
            let code = code_of(base);
            if !code.is_empty() {
                cols.metrics.push(MetricColumn {
                    col: i,
                    header: h.clone(),
                    metric: Err(code),
                    breakdown,
                });
            }
        }
        cols.unknown.push((i, h.clone()));
    }
    cols
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn recognition_by_headers() {
        let book = AliasBook::builtin();
        assert_eq!(
            kind_from_headers(&h(&["БСН", "Атауы", "Деңгей", "Облыс"]), &book),
            Some(TableKind::Organisations)
        );
        assert_eq!(
            kind_from_headers(&h(&["Код организации", "Учебный год", "Контингент"]), &book),
            Some(TableKind::Observations)
        );
        assert_eq!(
            kind_from_headers(
                &h(&["student_id", "org_id", "year", "course", "status"]),
                &book
            ),
            Some(TableKind::Students)
        );
        assert_eq!(
            kind_from_headers(
                &h(&["student_id", "org_id", "year", "term", "credits", "letter"]),
                &book
            ),
            Some(TableKind::Grades)
        );
        assert_eq!(
            kind_from_headers(
                &h(&[
                    "org_id",
                    "year",
                    "survey",
                    "respondent_id",
                    "question",
                    "score"
                ]),
                &book
            ),
            Some(TableKind::Surveys)
        );
        assert_eq!(kind_from_headers(&h(&["a", "b"]), &book), None);
    }

    #[test]
    fn named_records_table_missing_a_column_keeps_its_kind() {
        let book = AliasBook::builtin();
        let headers = h(&[
            "student_id",
            "org_id",
            "year",
            "term",
            "course_code",
            "score",
        ]);
        assert_eq!(
            recognise("grades_extra", &headers, &book),
            Some(TableKind::Grades)
        );
    }

    #[test]
    fn name_wins_when_headers_fit() {
        let book = AliasBook::builtin();
        // "контингент" names the students table, but the headers are wide observations.
        assert_eq!(
            recognise(
                "контингент",
                &h(&["org_id", "year", "students_enrolled"]),
                &book
            ),
            Some(TableKind::Observations)
        );
        assert_eq!(
            recognise("organisations", &h(&["org_id", "name"]), &book),
            Some(TableKind::Organisations)
        );
    }

    #[test]
    fn wide_columns_with_breakdowns_and_unknowns() {
        let book = AliasBook::builtin();
        let reg = MetricRegistry::builtin();
        let index = MetricIndex::new(&reg);
        let cols = map_columns(
            TableKind::Observations,
            &h(&[
                "org_id",
                "оқу жылы",
                "Контингент.қыздар",
                "achievement_score_mean.reading",
                "name",
                "foo bar",
                "",
            ]),
            &book,
            &index,
            &reg,
        );
        assert_eq!(cols.get(Field::Year), Some(1));
        assert!(!cols.is_long());
        assert_eq!(cols.metrics.len(), 3);
        assert_eq!(
            cols.metrics[0].metric.as_ref().map(|m| reg.code(*m)),
            Ok("students_enrolled")
        );
        assert_eq!(cols.metrics[0].breakdown.as_deref(), Some("female"));
        assert_eq!(cols.metrics[1].breakdown.as_deref(), Some("reading"));
        assert_eq!(cols.metrics[2].metric, Err("foo_bar".to_string()));
        assert_eq!(cols.unknown, vec![(5, "foo bar".to_string())]);
    }
}
