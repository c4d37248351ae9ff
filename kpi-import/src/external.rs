//! Record tables aggregated outside this crate (the `kpi-datafusion` engine):
//! their heads are recognised here, with the same table recognition, header
//! aliases and column checks as a load, and the per-unit, per-year values
//! their records give are put into the dataset by [`load_with_records`]
//! exactly where a load puts the values it derives from records.

use crate::aliases::{AliasBook, Field, MetricIndex};
use crate::log::{Finding, TableName};
use crate::schema;
use crate::table::Body;
use crate::{Limits, LoadOptions, Progress, Source};
use kpi_model::metrics::MetricRegistry;
use kpi_model::validate::{Issue, IssueCode, Severity, TableKind};
use kpi_model::{Dataset, Year};

/// How a record table's head maps to fields: its kind, its headers, the
/// column of each field, and for CSV the shape of the text.
///
/// ```
/// use kpi_import::{recognise_head, AliasBook, Field};
/// use kpi_model::validate::TableKind;
/// let book = AliasBook::builtin();
/// let headers = ["ИИН", "org_id", "оқу жылы", "course", "status"].map(String::from).to_vec();
/// let head = recognise_head("students.parquet", headers, &book).unwrap();
/// assert_eq!(head.kind, TableKind::Students);
/// assert_eq!(head.column(Field::Year), Some("оқу жылы"));
/// assert!(head.missing.is_empty());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TableHead {
    /// The kind recognised from the name and the headers.
    pub kind: TableKind,
    /// The headers as written.
    pub headers: Vec<String>,
    /// The field of each recognised column: (field, column position).
    pub fields: Vec<(Field, usize)>,
    /// Required fields of the kind with no column (the table cannot be read).
    pub missing: Vec<Field>,
    /// Headers that match nothing (ignored, as in a load).
    pub unknown: Vec<String>,
    /// For CSV: the shape of the text.
    pub csv: Option<CsvShape>,
}

/// The shape of a CSV file, as a load detects it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvShape {
    /// The delimiter (`,`, `;`, tab).
    pub delimiter: u8,
    /// Whether numbers use a decimal comma.
    pub decimal_comma: bool,
    /// The 1-based row of the header.
    pub header_row: u64,
    /// Whether the bytes are UTF-8 (with or without a byte-order mark).
    pub utf8: bool,
}

impl TableHead {
    /// The header of the column of a field, if the table has one.
    pub fn column(&self, field: Field) -> Option<&str> {
        self.position(field)
            .and_then(|i| self.headers.get(i))
            .map(String::as_str)
    }

    /// The position of the column of a field.
    pub fn position(&self, field: Field) -> Option<usize> {
        self.fields.iter().find(|(f, _)| *f == field).map(|p| p.1)
    }
}

/// Recognises a table from its name and headers (a Parquet or Arrow schema's
/// field names, say) as a load does; `None` when it is no known table.
pub fn recognise_head(name: &str, headers: Vec<String>, book: &AliasBook) -> Option<TableHead> {
    let hint = std::path::Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(name);
    let kind = schema::recognise(hint, &headers, book)?;
    let registry = MetricRegistry::builtin();
    let index = MetricIndex::new(&registry);
    let cols = schema::map_columns(kind, &headers, book, &index, &registry);
    Some(TableHead {
        kind,
        missing: cols.missing(kind),
        fields: cols.fields().to_vec(),
        unknown: cols.unknown.iter().map(|(_, h)| h.clone()).collect(),
        headers,
        csv: None,
    })
}

/// Recognises a CSV table from the first bytes of its file (a few lines are
/// enough: encoding, delimiter, decimal comma, title rows and headers are
/// detected as a load detects them). `Err` names what could not be read.
///
/// ```
/// use kpi_import::{read_csv_head, AliasBook, Field};
/// let head = read_csv_head("s.csv", b"student_id;org_id;year;course;status;gpa\nA;S1;2023;1;enrolled;3,5\n", &AliasBook::builtin()).unwrap();
/// let shape = head.csv.unwrap();
/// assert_eq!((shape.delimiter, shape.decimal_comma, shape.header_row), (b';', true, 1));
/// assert_eq!(head.column(Field::Gpa), Some("gpa"));
/// ```
pub fn read_csv_head(name: &str, head: &[u8], book: &AliasBook) -> Result<TableHead, String> {
    // Only whole lines: a cut in the middle of a multi-byte letter would look like another encoding.
    let end = head
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(head.len(), |i| i + 1);
    let bytes = head[..end].to_vec();
    let utf8 = std::str::from_utf8(&bytes).is_ok();
    let raw = crate::csv_text::open(name, bytes, &Limits::default(), book);
    if raw.failed {
        let why = raw
            .notes
            .iter()
            .map(|n| n.message.clone())
            .collect::<Vec<_>>()
            .join("; ");
        return Err(why);
    }
    let Body::Csv {
        delimiter,
        decimal_comma,
        ..
    } = &raw.body
    else {
        return Err("not a CSV file".into());
    };
    let shape = CsvShape {
        delimiter: *delimiter,
        decimal_comma: *decimal_comma,
        header_row: raw.header_row,
        utf8,
    };
    let mut head = recognise_head(name, raw.headers.clone(), book)
        .ok_or_else(|| "no known table has these headers".to_string())?;
    head.csv = Some(shape);
    Ok(head)
}

/// A record table aggregated elsewhere: what it was, and its issues.
#[derive(Clone, Debug, Default)]
pub struct RecordTable {
    /// File name as given.
    pub file: String,
    /// The table's kind (`None` when it could not be read as a record table).
    pub kind: Option<TableKind>,
    /// Headers as written.
    pub headers: Vec<String>,
    /// Data rows read.
    pub rows: u64,
    /// Rows rejected (not aggregated).
    pub rows_rejected: u64,
    /// Whether the table was read (false: rejected as a whole).
    pub accepted: bool,
    /// Its issues; each location's file should be [`RecordTable::file`].
    pub issues: Vec<Issue>,
}

/// One value aggregated from records, keyed by the ids as written.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordValue {
    /// The table it comes from (index into [`AggregatedRecords::tables`]).
    pub table: usize,
    /// The organisation's id.
    pub org_id: String,
    /// The programme code, for a programme unit.
    pub programme: Option<String>,
    /// The academic year.
    pub year: Year,
    /// The metric code (`students_enrolled`, `gpa_mean`, `score_parents`…).
    pub metric: String,
    /// The value.
    pub value: f64,
}

/// What an outside engine gives back for the record tables.
#[derive(Clone, Debug, Default)]
pub struct AggregatedRecords {
    /// The record tables, in the order of their files.
    pub tables: Vec<RecordTable>,
    /// The values, in the order a load derives them (student values, values
    /// from grades alone, survey values).
    pub values: Vec<RecordValue>,
}

/// [`load_with_progress`](crate::load_with_progress) of the other tables,
/// with the record tables aggregated elsewhere: their values are placed on
/// the units of their organisations and programmes (a programme met only in
/// the records becomes a unit, as in a load) and put into the metric store
/// exactly as a load puts the values it derives from records (a given
/// observation wins over a derived value, and a disagreement is a warning).
/// Values of an organisation the organisations table does not have are not
/// used: one error per table and organisation says so. The dataset keeps no
/// student records or term results (nothing for `kpi students`).
///
/// ```
/// use kpi_import::{load_with_records, AggregatedRecords, RecordTable, RecordValue, LoadOptions, Source};
/// use kpi_model::validate::TableKind;
/// let orgs = Source { name: "organisations.csv".into(), bytes: b"org_id,name,level,region\nU1,Uni,university,Almaty\n".to_vec() };
/// let records = AggregatedRecords {
///     tables: vec![RecordTable { file: "students.parquet".into(), kind: Some(TableKind::Students), rows: 3, accepted: true, ..Default::default() }],
///     values: vec![RecordValue { table: 0, org_id: "U1".into(), programme: Some("6B01101".into()), year: 2023, metric: "students_enrolled".into(), value: 3.0 }],
/// };
/// let ds = load_with_records(vec![orgs], &LoadOptions::default(), records, &mut |_| {});
/// let u1 = ds.org_by_id("U1").unwrap();
/// let unit = ds.programme_unit(u1, "6B01101").unwrap();
/// assert_eq!(ds.value(unit, 2023, "students_enrolled"), Some(3.0));
/// ```
pub fn load_with_records(
    sources: Vec<Source>,
    options: &LoadOptions,
    records: AggregatedRecords,
    progress: &mut dyn FnMut(&Progress),
) -> Dataset {
    crate::load_inner(sources, options, Some(records), progress)
}

/// Adds the record tables to the log and the values to the builder (called
/// once the other tables are committed). Returns the tables' reports.
pub(crate) fn place(
    b: &mut crate::builder::Builder<'_>,
    records: AggregatedRecords,
) -> Vec<kpi_model::validate::TableReport> {
    let mut reports = Vec::new();
    let mut index = Vec::new();
    for table in &records.tables {
        let t = b.log.add_table(TableName {
            file: table.file.clone(),
            sheet: None,
        });
        index.push(t);
        for issue in &table.issues {
            b.log.add_note(t, issue.clone());
        }
        reports.push(kpi_model::validate::TableReport {
            index: t,
            file: table.file.clone(),
            sheet: None,
            kind: table.kind,
            rows: table.rows,
            accepted: table.accepted,
            rows_rejected: table.rows_rejected,
            cells_rejected: 0,
            headers: table.headers.clone(),
        });
    }
    let mut unknown: rustc_hash::FxHashSet<(usize, String)> = Default::default();
    let mut placed = Vec::with_capacity(records.values.len());
    for v in records.values {
        let Some(&org) = b.org_index.get(v.org_id.as_str()) else {
            if unknown.insert((v.table, v.org_id.clone())) {
                let t = index.get(v.table).copied();
                let file = records
                    .tables
                    .get(v.table)
                    .map_or("the records", |t| t.file.as_str());
                let id = v.org_id.clone();
                b.log
                    .add(t, Severity::Error, IssueCode::UnknownOrganisation, || {
                        Finding::new(format!(
                            "organisation `{id}` of {file} is not in the organisations table: the values its records give are not used"
                        ))
                        .found(id.clone())
                        .expected("an org_id of the organisations table")
                    });
            }
            continue;
        };
        let n_orgs = b.orgs.len() as u32;
        let unit = match &v.programme {
            None => org,
            Some(code) => match b.programme(org, code) {
                Some(p) => n_orgs + p,
                None => {
                    b.commit_programmes(vec![(org, code.clone())]);
                    n_orgs + b.programmes.len() as u32 - 1
                }
            },
        };
        b.span = b.span.including(v.year);
        let table = index.get(v.table).copied();
        placed.push((kpi_model::UnitId(unit), v.year, v.metric, v.value, table));
    }
    b.external = placed;
    b.external_tables = index;
    reports
}
