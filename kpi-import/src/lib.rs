//! Import: CSV, XLSX and JSON exports (and, natively with the `parquet`
//! feature, Parquet and Arrow IPC files) into a validated [`Dataset`].
//!
//! A dataset is one or more sources (files, sheets); each table is recognised
//! by its file or sheet name and by its headers. Everything reads from bytes,
//! so the same code runs natively and in WebAssembly.
//!
//! The stages, one module each:
//!
//! | stage | module |
//! |---|---|
//! | format and encoding detection | `sniff` |
//! | CSV / XLSX / JSON into raw tables | `csv_text`, `xlsx`, `json` |
//! | XLSX workbooks read by calamine (feature `xlsx`, on by default) or from a cell stream | `workbook` |
//! | Parquet / Arrow IPC, typed columns read as cells (feature `parquet`) | `columnar` |
//! | header, table-name and value aliases (`data/aliases.toml`) | `aliases` |
//! | which table a raw table is, and its columns | `schema` |
//! | typed values (numbers, years, grades) | `values` |
//! | one loader per table kind, staging until the table is clean | `kinds` |
//! | the dataset under construction, metrics from records, cross-row checks | `builder` |
//! | issues with exact locations, capped per kind | `log` |
//! | resource limits against hostile input | `limits` |
//!
//! Choices where docs/data.md is silent:
//!
//! * tables are read organisations first, whatever the order of the files;
//!   organisations are ordered by level inside the dataset;
//! * a file or sheet whose table cannot be recognised, and an empty table,
//!   are errors for a single file and warnings for one sheet among several
//!   (workbooks often carry notes or empty sheets);
//! * a missing organisations table is an error; a dataset with neither
//!   observations nor records gets a warning;
//! * a metric derived from records and given directly "agree" within 0.5 for
//!   counts and 0.005 for scores and shares (values reported to two decimals);
//! * the 10× jump check compares consecutive years of the values read, both
//!   positive; 0/1 flags are not checked;
//! * a formula cell gives the value Excel saved for it, with a warning; a
//!   two-row header under merged cells is combined (`metric.breakdown`), with
//!   a note;
//! * every limit (file, line, cell, columns, rows, XLSX expansion, JSON depth,
//!   issues listed per kind) is in [`Limits`], set through [`LoadOptions`].
//!
//! ```
//! use kpi_import::{load, LoadOptions, Source};
//! let orgs = "org_id;name;level;region\nS1;School 1;school;Abai\n";
//! let obs = "org_id;year;students_enrolled;teachers_total\nS1;2023-2024;420;30,5\n";
//! let ds = load(
//!     vec![
//!         Source { name: "organisations.csv".into(), bytes: orgs.as_bytes().to_vec() },
//!         Source { name: "observations.csv".into(), bytes: obs.as_bytes().to_vec() },
//!     ],
//!     &LoadOptions::default(),
//! );
//! let s1 = ds.org_by_id("S1").unwrap();
//! assert_eq!(ds.value(ds.org_unit(s1), 2023, "students_enrolled"), Some(420.0));
//! // 30.5 teachers is not a whole head count: kept, with a warning.
//! assert_eq!(ds.value(ds.org_unit(s1), 2023, "teachers_total"), Some(30.5));
//! assert!(!ds.report().has_errors());
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod quality;

mod aliases;
mod builder;
#[cfg(all(feature = "parquet", not(target_arch = "wasm32")))]
mod columnar;
mod csv_text;
mod external;
mod ids;
mod json;
mod kinds;
mod layout;
mod limits;
mod log;
mod normalize;
mod parallel;
mod schema;
mod sniff;
mod table;
mod values;
mod workbook;
mod xlsx;

pub use aliases::{
    AliasBook, AliasError, Field, MetricIndex, ValueMemo, ValueSet, BUILTIN_ALIASES_TOML,
};
pub use external::{
    load_with_records, read_csv_head, recognise_head, AggregatedRecords, CsvShape, RecordTable,
    RecordValue, TableHead,
};
pub use kpi_model::metrics::TransferThresholds;
pub use limits::Limits;
pub use normalize::{match_key, trim_cell};
pub use table::format_number;
pub use values::{is_missing_marker, letter_points, parse_number, parse_year, score_points};
#[cfg(feature = "xlsx")]
pub use workbook::workbook_stream;
pub use workbook::STREAM_MAGIC as WORKBOOK_STREAM_MAGIC;

use builder::Builder;
use kinds::{drive, Staged, TableSink};
use kpi_model::metrics::MetricRegistry;
use kpi_model::validate::{IssueCode, Severity, TableKind, TableReport};
use kpi_model::Dataset;
use log::{Finding, IssueLog, TableName};
use table::RawTable;

/// One input file, as bytes.
#[derive(Clone, Debug)]
pub struct Source {
    /// File name as the user knows it (used in every message and to recognise the table).
    pub name: String,
    /// The file's content.
    pub bytes: Vec<u8>,
}

/// Options of a load.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The metric dictionary (built-in when `None`).
    pub metrics: Option<MetricRegistry>,
    /// GPA transfer thresholds for `gpa_below_threshold`.
    pub thresholds: TransferThresholds,
    /// Resource limits against broken or hostile input.
    pub limits: Limits,
    /// Header, table-name and value aliases (built-in `data/aliases.toml` when `None`).
    pub aliases: Option<AliasBook>,
    /// How many tables are read at once, each on its own thread: 0 (the
    /// default) for one per core, 1 for one after the other. The dataset
    /// and its issues are the same whatever the number (tables are
    /// committed in a fixed order); WebAssembly reads on one thread.
    pub threads: usize,
    /// Whether any error rejects its whole table. By default an unreadable
    /// cell rejects only that cell, and a row that cannot stand (an unknown
    /// organisation, an unreadable year) only that row; a table is rejected
    /// only for a structural fault (a required column missing, a file that
    /// cannot be read to its end). Strict loads are for users who want any
    /// error to stop the load.
    pub strict: bool,
}

/// Progress of a load, for progress bars.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// Bytes processed so far over all sources.
    pub bytes_done: u64,
    /// Total bytes of all sources.
    pub bytes_total: u64,
    /// What is being done now (file name and stage).
    pub stage: String,
}

/// Loads a dataset from sources. Never fails as a whole: every problem is an
/// issue in [`Dataset::report`]; tables with errors are rejected and the rest is kept.
pub fn load(sources: Vec<Source>, options: &LoadOptions) -> Dataset {
    load_with_progress(sources, options, &mut |_| {})
}

/// [`load`], reporting progress.
///
/// The organisations are read first (every other table refers to them).
/// The other tables are then read side by side, each into its own staging
/// and issue log against the organisations, and committed one after the
/// other in a fixed order (by kind, then as given): programmes, student ids
/// and columns a table introduces get their dataset numbers at its commit.
pub fn load_with_progress(
    sources: Vec<Source>,
    options: &LoadOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Dataset {
    load_inner(sources, options, None, progress)
}

/// [`load_with_progress`], with record tables aggregated elsewhere
/// ([`load_with_records`]) placed once the other tables are committed.
fn load_inner(
    sources: Vec<Source>,
    options: &LoadOptions,
    records: Option<AggregatedRecords>,
    progress: &mut dyn FnMut(&Progress),
) -> Dataset {
    let limits = &options.limits;
    let builtin_book;
    let book = match &options.aliases {
        Some(b) => b,
        None => {
            builtin_book = AliasBook::builtin();
            &builtin_book
        }
    };
    let registry = options
        .metrics
        .clone()
        .unwrap_or_else(MetricRegistry::builtin);
    let log = IssueLog::new(limits.max_issues_per_kind, limits.max_rejected_rows);
    let threads = parallel::threads(options.threads);
    let mut b = Builder::new(log, book, registry, &options.thresholds, threads);
    b.strict = options.strict;
    let bytes_total: u64 = sources.iter().map(|s| s.bytes.len() as u64).sum();

    // Open every source first: organisations must be read before anything
    // that refers to them, whatever the order of the files.
    // Opening (decoding, checking line lengths, reading headers) is done
    // for several sources at once; the tables are then numbered in order.
    let opening = if sources.len() == 1 {
        sources[0].name.clone()
    } else {
        format!("{} files", sources.len())
    };
    progress(&Progress {
        bytes_done: 0,
        bytes_total,
        stage: format!("opening {opening}"),
    });
    let raws = parallel::map(
        sources,
        threads,
        |src| src.bytes.len() as u64,
        |src| open_source(src, limits, book),
        &mut || {},
    );
    let mut opened: Vec<(u32, Option<TableKind>, RawTable)> = Vec::new();
    for mut raw in raws.into_iter().flatten() {
        let t = b.log.add_table(TableName {
            file: raw.file.clone(),
            sheet: raw.sheet.clone(),
        });
        for note in std::mem::take(&mut raw.notes) {
            b.log.add_note(t, note);
        }
        let kind = if raw.failed || raw.empty {
            None
        } else {
            schema::recognise(&raw.name_hint(), &raw.headers, book)
        };
        opened.push((t, kind, raw));
    }
    opened.sort_by_key(|(t, kind, _)| commit_order(*t, *kind));

    let mut bytes_done = 0u64;
    let mut organisations: Vec<TableReport> = Vec::new();
    // A flat export (organisation attributes and metrics in one table, one
    // row per organisation and year) and no organisations table: the
    // organisations are read from the flat table first, under a table
    // number of their own, and the table is then read as observations.
    if !opened
        .iter()
        .any(|(_, k, _)| *k == Some(TableKind::Organisations))
    {
        for (t, kind, raw) in &opened {
            if *kind != Some(TableKind::Observations)
                || !schema::complete(TableKind::Organisations, &raw.headers, book)
            {
                continue;
            }
            let orgs_t = b.log.add_table(TableName {
                file: raw.file.clone(),
                sheet: raw.sheet.clone(),
            });
            let report = read_organisations(&mut b, orgs_t, raw, limits, true, &mut |_| {});
            let n = b.orgs.len();
            let label = match &raw.sheet {
                Some(s) => format!("{} [{s}]", raw.file),
                None => raw.file.clone(),
            };
            let header_row = raw.header_row;
            let t = *t;
            b.log.add(Some(t), Severity::Note, IssueCode::Layout, || {
                Finding::new(format!(
                    "{label} holds both the organisations and their metrics (one row per organisation and year): {n} organisations are read from it, then its metrics"
                ))
                .row(header_row)
            });
            organisations.push(report);
        }
    }
    let mut others: Vec<(u32, TableKind, RawTable)> = Vec::new();
    // Tables that cannot be read as a known table: their reports and issues, in turn.
    let mut unread: Vec<(u32, TableReport, IssueLog)> = Vec::new();
    for (t, kind, raw) in opened {
        match kind {
            Some(TableKind::Organisations) => {
                let size = raw.bytes;
                let stage = stage_of(&raw);
                let mut table_progress = |done: u64| {
                    progress(&Progress {
                        bytes_done: bytes_done + done.min(size),
                        bytes_total,
                        stage: stage.clone(),
                    })
                };
                organisations.push(read_organisations(
                    &mut b,
                    t,
                    &raw,
                    limits,
                    false,
                    &mut table_progress,
                ));
                bytes_done += size;
            }
            Some(kind) if !raw.failed && !raw.empty => others.push((t, kind, raw)),
            _ => {
                bytes_done += raw.bytes;
                let mut log = b.log.fragment(t);
                let report = report_unread(&b, &mut log, t, kind, &raw);
                unread.push((t, report, log));
            }
        }
    }
    b.sort_organisations();
    if !organisations.is_empty() && organisations.iter().all(|r| !r.accepted) {
        let names: Vec<String> = organisations
            .iter()
            .map(|r| match &r.sheet {
                Some(s) => format!("{} [{s}]", r.file),
                None => r.file.clone(),
            })
            .collect();
        b.orgs_rejected = Some(names.join(", "));
    }
    let base = bytes_done;
    let mut read = read_tables(&b, others, limits, threads, &mut |done, stage| {
        progress(&Progress {
            bytes_done: base + done,
            bytes_total,
            stage: stage.to_string(),
        })
    });
    read.extend(
        unread
            .into_iter()
            .map(|(t, report, log)| (t, report, Staged::Rejected(log))),
    );
    read.sort_by_key(|(t, report, _)| commit_order(*t, report.kind));
    let mut reports = organisations;
    let mut accepted_kinds: Vec<TableKind> = reports
        .iter()
        .filter(|r| r.accepted)
        .filter_map(|r| r.kind)
        .collect();
    for (_, mut report, staged) in read {
        report.accepted = staged.commit(&mut b);
        if report.accepted {
            accepted_kinds.extend(report.kind);
        }
        reports.push(report);
    }
    if let Some(records) = records {
        let external = external::place(&mut b, records);
        accepted_kinds.extend(
            external
                .iter()
                .filter(|r| r.accepted)
                .filter_map(|r| r.kind),
        );
        reports.extend(external);
    }
    dataset_checks(&mut b, &accepted_kinds, &reports);
    progress(&Progress {
        bytes_done: bytes_total,
        bytes_total,
        stage: "computing metrics from records".into(),
    });
    for r in reports
        .iter_mut()
        .filter(|r| r.accepted && !b.is_external(r.index))
    {
        r.rows_rejected = b.log.rows_rejected(r.index);
        r.cells_rejected = b.log.cells_rejected(r.index);
    }
    let mut ds = b.finish();
    reports.sort_by_key(|r| r.index);
    ds.report_mut().tables = reports;
    ds
}

/// The fixed order in which tables are read and committed: by kind
/// (organisations first, unrecognised tables last), then as given.
fn commit_order(t: u32, kind: Option<TableKind>) -> (u8, u32) {
    (kind.map_or(u8::MAX, |k| k as u8), t)
}

/// What a progress bar says while a table is read.
fn stage_of(raw: &RawTable) -> String {
    match &raw.sheet {
        Some(s) => format!("reading {} [{s}]", raw.file),
        None => format!("reading {}", raw.file),
    }
}

/// The relative cost of reading a byte of a table kind, measured on the
/// national sample (a wide observations row melts into dozens of cells):
/// the costliest tables are started first so that threads finish together.
fn cost_per_byte(kind: TableKind) -> u64 {
    match kind {
        TableKind::Observations => 20,
        TableKind::Students => 8,
        TableKind::Grades => 6,
        TableKind::Surveys | TableKind::Organisations => 3,
    }
}

type Read = (u32, TableReport, Staged);

/// Reads tables (not organisations) against the builder, on up to
/// `threads` threads, costliest first. `progress` gets the bytes read so
/// far over all of them and what is being done; it is called on this thread.
fn read_tables(
    b: &Builder<'_>,
    tables: Vec<(u32, TableKind, RawTable)>,
    limits: &Limits,
    threads: usize,
    progress: &mut dyn FnMut(u64, &str),
) -> Vec<Read> {
    if threads > 1 && tables.len() > 1 {
        use std::sync::atomic::{AtomicU64, Ordering};
        let stage = format!("reading {} tables", tables.len());
        let bytes_read = AtomicU64::new(0);
        let cost = |(_, kind, raw): &(u32, TableKind, RawTable)| {
            raw.bytes.saturating_mul(cost_per_byte(*kind))
        };
        let read = |(t, kind, raw): (u32, TableKind, RawTable)| {
            let mut seen = 0u64;
            let mut table_progress = |done: u64| {
                bytes_read.fetch_add(done.saturating_sub(seen), Ordering::Relaxed);
                seen = seen.max(done);
            };
            let (report, staged) = read_table(b, t, kind, raw, limits, &mut table_progress);
            (t, report, staged)
        };
        let mut wait = || progress(bytes_read.load(Ordering::Relaxed), &stage);
        return parallel::map(tables, threads, cost, read, &mut wait);
    }
    let mut out = Vec::with_capacity(tables.len());
    let mut before = 0u64;
    for (t, kind, raw) in tables {
        let size = raw.bytes;
        let stage = stage_of(&raw);
        let mut table_progress = |done: u64| progress(before + done.min(size), &stage);
        let (report, staged) = read_table(b, t, kind, raw, limits, &mut table_progress);
        out.push((t, report, staged));
        before += size;
    }
    out
}

/// Whether a file is an XLSX workbook, as the importer decides it (by its first bytes and
/// name; an empty or unreadable file is not): in a build without the `xlsx` feature (the
/// browser's engine module), such a file is read as the cell stream of
/// [`workbook_stream`], which the spreadsheet module writes.
///
/// ```
/// assert!(kpi_import::is_workbook("data.xlsx", b"PK\x03\x04rest"));
/// assert!(!kpi_import::is_workbook("data.csv", b"org_id,name\n"));
/// // A Parquet file named by its extension is never a workbook.
/// assert!(!kpi_import::is_workbook("data.parquet", b"PK\x03\x04rest"));
/// ```
pub fn is_workbook(name: &str, bytes: &[u8]) -> bool {
    matches!(sniff::detect_format(name, bytes), Ok(sniff::Format::Xlsx))
}

/// Opens one source as one or more raw tables (sheets, JSON members).
fn open_source(src: Source, limits: &Limits, book: &AliasBook) -> Vec<RawTable> {
    let Source { name, bytes } = src;
    // A workbook read by the spreadsheet module: the limits apply to the workbook file.
    let stream = if workbook::is_stream(&bytes) {
        Some(workbook::Workbook::from_stream(&bytes))
    } else {
        None
    };
    let size = match &stream {
        Some(Ok(w)) => w.file_bytes,
        _ => bytes.len() as u64,
    };
    let fail = |message: String| {
        vec![RawTable::failed(
            &name,
            None,
            kpi_model::validate::Issue {
                severity: Severity::Error,
                code: IssueCode::UnreadableFile,
                location: kpi_model::validate::Location::file(name.clone()),
                found: None,
                expected: None,
                suggestion: None,
                message,
            },
            size,
        )]
    };
    if size > limits.max_file_bytes {
        return fail(format!(
            "the file is larger than the limit of {} bytes (Limits::max_file_bytes)",
            limits.max_file_bytes
        ));
    }
    match stream {
        Some(Ok(w)) => return xlsx::open(&name, w, limits, book),
        Some(Err(message)) => return fail(message),
        None => {}
    }
    match sniff::detect_format(&name, &bytes) {
        Err(e) => fail(e.message),
        Ok(sniff::Format::Csv) => vec![csv_text::open(&name, bytes, limits, book)],
        #[cfg(feature = "xlsx")]
        Ok(sniff::Format::Xlsx) => xlsx::open(&name, workbook::read(&bytes, limits), limits, book),
        #[cfg(not(feature = "xlsx"))]
        Ok(sniff::Format::Xlsx) => fail(
            "this build reads XLSX workbooks only through the spreadsheet module (kpi_sheets), which converts them first; in the browser, load the file through the dataset worker".into(),
        ),
        Ok(sniff::Format::Json) => json::open(&name, bytes, limits),
        #[cfg(all(feature = "parquet", not(target_arch = "wasm32")))]
        Ok(sniff::Format::Columnar(c)) => vec![columnar::open(&name, bytes, c, limits)],
        #[cfg(not(all(feature = "parquet", not(target_arch = "wasm32"))))]
        Ok(sniff::Format::Columnar(c)) => fail(format!(
            "this is a {} file, which this build does not read (native builds with the `parquet` feature do, such as the `kpi` command); export the table as CSV",
            c.name()
        )),
    }
}

/// The report of a table before it is read.
fn base_report(t: u32, kind: Option<TableKind>, raw: &RawTable) -> TableReport {
    TableReport {
        index: t,
        file: raw.file.clone(),
        sheet: raw.sheet.clone(),
        kind,
        rows: 0,
        accepted: false,
        rows_rejected: 0,
        cells_rejected: 0,
        headers: raw.headers.clone(),
    }
}

/// Reports a table that cannot be read as a known table: one that failed
/// to open (already reported), an empty one, or one whose kind cannot be
/// recognised.
fn report_unread(
    b: &Builder<'_>,
    log: &mut IssueLog,
    t: u32,
    kind: Option<TableKind>,
    raw: &RawTable,
) -> TableReport {
    let report = base_report(t, kind, raw);
    if raw.failed {
        return report;
    }
    let severity = if raw.in_workbook {
        Severity::Warning
    } else {
        Severity::Error
    };
    if raw.empty {
        let what = if raw.sheet.is_some() && raw.headers.is_empty() {
            "the sheet is empty"
        } else {
            "the table has a header but no data rows"
        };
        log.add(Some(t), severity, IssueCode::EmptyTable, || {
            Finding::new(format!("{what}: nothing is loaded from it"))
                .expected("a header row followed by data rows")
        });
        return report;
    }
    let hint = raw.name_hint();
    let headers = shown_headers(&raw.headers);
    let suggestion = raw
        .headers
        .iter()
        .filter(|h| b.book.field(h).is_none())
        .filter_map(|h| b.book.closest_field(h))
        .max_by(|a, c| a.0.total_cmp(&c.0))
        .map(|(_, s)| s);
    log.add(Some(t), severity, IssueCode::UnknownTable, || {
        Finding::new(format!(
            "cannot tell which table `{hint}` is from its name or its headers; nothing is loaded from it"
        ))
        .row(raw.header_row)
        .found(headers)
        .expected("a file or sheet named organisations, observations, students, grades or surveys (or an alias), or the headers of one of them (docs/data.md)")
        .suggestion(suggestion)
    });
    report
}

/// Reads an organisations table into the builder; it is committed unless
/// it is rejected as a whole. `flat`: the organisations of a flat export,
/// one row per organisation and year (an organisation's repeated rows are
/// expected, and its metric columns are not unknown headers).
fn read_organisations(
    b: &mut Builder<'_>,
    t: u32,
    raw: &RawTable,
    limits: &Limits,
    flat: bool,
    progress: &mut dyn FnMut(u64),
) -> TableReport {
    let kind = TableKind::Organisations;
    let mut report = base_report(t, Some(kind), raw);
    let cols = schema::map_columns(kind, &raw.headers, b.book, &b.index, &b.registry);
    let mut checked = cols.clone();
    if flat {
        checked.unknown.clear();
    }
    if !check_columns(b.book, &mut b.log, t, kind, raw, &checked) {
        return report;
    }
    if let Some(mut s) = kinds::organisations::OrgSink::new(b, t, raw, &cols) {
        s.flat = flat;
        let r = drive(raw, limits, &mut s, progress);
        s.totals.note(&mut s.b.log, t);
        s.note_regions();
        report.rows = note_drive(&mut s.b.log, t, r);
        report.accepted = !s.b.rejects(t);
        if report.accepted {
            s.commit();
        }
    }
    report
}

/// Reads a table other than organisations against the builder (read-only),
/// staging its content and issues for [`Staged::commit`].
fn read_table(
    b: &Builder<'_>,
    t: u32,
    kind: TableKind,
    raw: RawTable,
    limits: &Limits,
    progress: &mut dyn FnMut(u64),
) -> (TableReport, Staged) {
    use kinds::surveys::SurveySink;
    use kinds::{grades::GradeSink, observations::ObsSink, students::StudentSink};
    let mut report = base_report(t, Some(kind), &raw);
    if let Some(orgs) = &b.orgs_rejected {
        // Said once here, instead of "unknown organisation" on every row.
        let mut log = b.log.fragment(t);
        log.add(Some(t), Severity::Error, IssueCode::UnknownOrganisation, || {
            Finding::new(format!(
                "the organisations table was rejected ({orgs}; see its errors above): the rows of this table cannot be matched to organisations, so it is not loaded"
            ))
            .expected("an accepted organisations table")
        });
        return (report, Staged::Rejected(log));
    }
    let cols = schema::map_columns(kind, &raw.headers, b.book, &b.index, &b.registry);
    // The kinds differ only in their sink.
    macro_rules! stage_with {
        ($new:expr) => {
            stage(b, t, kind, raw, &cols, limits, progress, &mut report, $new)
        };
    }
    let staged = match kind {
        TableKind::Observations => stage_with!(ObsSink::new),
        TableKind::Students => stage_with!(StudentSink::new),
        TableKind::Grades => stage_with!(GradeSink::new),
        TableKind::Surveys => stage_with!(SurveySink::new),
        // Read by `read_organisations`; never given here.
        TableKind::Organisations => Staged::Rejected(b.log.fragment(t)),
    };
    (report, staged)
}

/// Checks a table's columns, feeds its rows to a new sink and seals it.
#[allow(clippy::too_many_arguments)]
fn stage<'b, 'o, S: TableSink + 'b>(
    b: &'b Builder<'o>,
    t: u32,
    kind: TableKind,
    #[allow(unused_mut)] mut raw: RawTable,
    cols: &schema::Columns,
    limits: &Limits,
    progress: &mut dyn FnMut(u64),
    report: &mut TableReport,
    new: fn(&'b Builder<'o>, u32, &RawTable, &schema::Columns) -> Option<S>,
) -> Staged {
    let Some(mut sink) = new(b, t, &raw, cols) else {
        // A required column is missing: say which.
        let mut log = b.log.fragment(t);
        check_columns(b.book, &mut log, t, kind, &raw, cols);
        return Staged::Rejected(log);
    };
    if !check_columns(b.book, sink.log(), t, kind, &raw, cols) {
        return Staged::Rejected(sink.into_log());
    }
    // A columnar file decodes only the columns the table uses.
    #[cfg(all(feature = "parquet", not(target_arch = "wasm32")))]
    if let table::Body::Columnar(body) = &mut raw.body {
        body.project(cols.used());
    }
    let r = drive(&raw, limits, &mut sink, progress);
    // The table's text is no longer needed: free it before the checks and
    // the staging, which need memory of their own.
    drop(raw);
    report.rows = note_drive(sink.log(), t, r);
    sink.seal()
}

/// Records a problem that stopped reading a table part-way (an error).
fn note_drive(log: &mut IssueLog, t: u32, r: Result<u64, Finding>) -> u64 {
    match r {
        Ok(n) => n,
        Err(f) => {
            log.add(Some(t), Severity::Error, IssueCode::UnreadableFile, || f);
            0
        }
    }
}

fn shown_headers(headers: &[String]) -> String {
    let mut s: String = headers
        .iter()
        .take(12)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if headers.len() > 12 {
        s.push_str(&format!(", … ({} columns)", headers.len()));
    }
    s
}

/// Reports missing required columns (errors: the table is rejected),
/// repeated and unknown headers (warnings). Returns whether the table can be read.
fn check_columns(
    book: &AliasBook,
    log: &mut IssueLog,
    t: u32,
    kind: TableKind,
    raw: &RawTable,
    cols: &schema::Columns,
) -> bool {
    let mut missing: Vec<(String, Option<Field>)> = cols
        .missing(kind)
        .into_iter()
        .map(|f| (format!("`{f}`"), Some(f)))
        .collect();
    match kind {
        TableKind::Grades
            if cols.get(Field::Score).is_none() && cols.get(Field::Letter).is_none() =>
        {
            missing.push(("`score` or `letter`".into(), Some(Field::Score)));
        }
        TableKind::Observations if !cols.is_long() => {
            match (cols.get(Field::Metric), cols.get(Field::Value)) {
                (Some(_), None) => missing.push(("`value`".into(), Some(Field::Value))),
                (None, Some(_)) => missing.push(("`metric`".into(), Some(Field::Metric))),
                _ if cols.metrics.is_empty() => missing.push((
                    "`metric` and `value` (long form) or one column per metric (wide form)".into(),
                    None,
                )),
                _ => {}
            }
        }
        _ => {}
    }
    let headers = shown_headers(&raw.headers);
    for (what, field) in &missing {
        // The unknown header closest to the missing field, if any is close.
        let suggestion = field.and_then(|f| {
            cols.unknown
                .iter()
                .filter_map(|(_, h)| book.closest_spelling_of(f, h).map(|s| (s, h)))
                .max_by(|x, y| x.0.total_cmp(&y.0))
                .map(|(_, h)| format!("rename `{h}` to `{f}`"))
        });
        let message = format!(
            "the {} table has no {what} column; the table is rejected",
            kind.code()
        );
        let column = field.map_or_else(|| what.clone(), |f| f.code().to_string());
        log.add(Some(t), Severity::Error, IssueCode::MissingColumn, || {
            Finding::new(message)
                .row(raw.header_row)
                .column(column)
                .found(headers.clone())
                .expected(format!(
                    "a column {what} (the canonical name or a kk/ru/en alias from aliases.toml)"
                ))
                .suggestion(suggestion)
        });
    }
    if !missing.is_empty() {
        return false;
    }
    for &(f, used, ignored) in &cols.repeated {
        let (hu, hi) = (kinds::header(raw, used), kinds::header(raw, ignored));
        log.add(Some(t), Severity::Warning, IssueCode::Other, || {
            Finding::new(format!(
                "`{hi}` and `{hu}` both mean `{f}`: `{hu}` is used and `{hi}` is ignored"
            ))
            .row(raw.header_row)
            .column(hi.clone())
            .found(hi.clone())
        });
    }
    if kind != TableKind::Observations {
        for (_, h) in &cols.unknown {
            let suggestion = book.closest_field(h).map(|(_, s)| s);
            let h = h.clone();
            log.add(Some(t), Severity::Warning, IssueCode::UnknownHeader, || {
                Finding::new(format!(
                    "unknown column `{h}` is ignored (listed once per table)"
                ))
                .row(raw.header_row)
                .column(h.clone())
                .found(h.clone())
                .expected(format!(
                    "a column of the {} table or one of its aliases",
                    kind.code()
                ))
                .suggestion(suggestion)
            });
        }
    }
    true
}

/// Checks that need the whole dataset: the required tables are there.
fn dataset_checks(b: &mut Builder<'_>, accepted: &[TableKind], reports: &[TableReport]) {
    let given = |k: TableKind| reports.iter().any(|r| r.kind == Some(k));
    if !accepted.contains(&TableKind::Organisations) {
        let message = if given(TableKind::Organisations) {
            "no organisations table was accepted (see its errors above): every table that refers to organisations is rejected"
        } else {
            "the dataset has no organisations table (required): name a file or sheet `organisations` with columns org_id, name, level, region"
        };
        b.log
            .add(None, Severity::Error, IssueCode::MissingColumn, || {
                Finding::new(message).expected("an organisations table")
            });
    }
    if !given(TableKind::Observations)
        && !given(TableKind::Students)
        && !given(TableKind::Grades)
        && !given(TableKind::Surveys)
    {
        b.log.add(None, Severity::Warning, IssueCode::Other, || {
            Finding::new("the dataset has no observations table (required for indicators) and no records to derive metrics from")
                .expected("an observations table with org_id, year and metric columns")
        });
    }
}

/// Reads files and folders (recursively, files with a known extension) into
/// sources, with the default [`Limits`]. An unreadable path becomes an `Err` naming it.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_paths<P: AsRef<std::path::Path>>(paths: &[P]) -> std::io::Result<Vec<Source>> {
    read_paths_with_limits(paths, &Limits::default())
}

/// [`read_paths`] with explicit limits. Files are read in chunks and never
/// beyond what the limits allow: a file larger than
/// [`Limits::max_file_bytes`] is read only up to the limit, and a text file
/// whose line grows past [`Limits::max_line_bytes`] only up to that line, so
/// [`load`] reports the problem (with the file and row) without holding a
/// gigabyte of one line in memory.
///
/// ```no_run
/// use kpi_import::{read_paths_with_limits, load, Limits, LoadOptions};
/// let limits = Limits { max_line_bytes: 64 << 10, ..Limits::default() };
/// let sources = read_paths_with_limits(&["data/"], &limits).unwrap();
/// let ds = load(sources, &LoadOptions { limits, ..LoadOptions::default() });
/// ```
#[cfg(not(target_arch = "wasm32"))]
pub fn read_paths_with_limits<P: AsRef<std::path::Path>>(
    paths: &[P],
    limits: &Limits,
) -> std::io::Result<Vec<Source>> {
    let files = list_files(paths)?;
    // Several files are read at once: copying a file out of the page cache
    // into fresh memory is CPU work (page faults, copies), a tenth of a
    // national load when done one file after the other.
    let size = |f: &&std::path::PathBuf| std::fs::metadata(f).map_or(0, |m| m.len());
    let read = |f: &std::path::PathBuf| read_capped(f, limits).map_err(|e| named(f, e));
    let contents = parallel::map(
        files.iter().collect(),
        parallel::threads(0),
        size,
        read,
        &mut || {},
    );
    files
        .iter()
        .zip(contents)
        .map(|(f, bytes)| {
            Ok(Source {
                name: f.display().to_string(),
                bytes: bytes?,
            })
        })
        .collect()
}

/// The files a load of `paths` reads: each file given, and the files with a
/// known extension in each folder (recursively, in name order).
///
/// ```no_run
/// let files = kpi_import::list_files(&["data/"]).unwrap();
/// assert!(files.iter().all(|f| f.is_file()));
/// ```
#[cfg(not(target_arch = "wasm32"))]
pub fn list_files<P: AsRef<std::path::Path>>(
    paths: &[P],
) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut files = Vec::new();
    for p in paths {
        let p = p.as_ref();
        let meta = std::fs::metadata(p).map_err(|e| named(p, e))?;
        if meta.is_dir() {
            walk(p, &mut files)?;
        } else {
            files.push(p.to_path_buf());
        }
    }
    Ok(files)
}

#[cfg(not(target_arch = "wasm32"))]
fn named(p: &std::path::Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", p.display()))
}

#[cfg(not(target_arch = "wasm32"))]
fn walk(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| named(dir, e))?
        .collect::<Result<_, _>>()
        .map_err(|e| named(dir, e))?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let ft = e.file_type().map_err(|err| named(&path, err))?;
        if ft.is_dir() {
            walk(&path, files)?;
        } else if sniff::known_extension(&path.to_string_lossy()) {
            files.push(path);
        }
    }
    Ok(())
}

/// Reads a file in chunks, stopping one byte past `max_file_bytes`, or (for
/// CSV-like text) one byte past a line longer than `max_line_bytes`.
#[cfg(not(target_arch = "wasm32"))]
fn read_capped(path: &std::path::Path, limits: &Limits) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    // Binary containers and JSON have no lines to cap.
    let line_capped = !sniff::read_whole(&path.to_string_lossy());
    let cap = limits.max_file_bytes.saturating_add(1);
    // Sized from the file's length up front: growing by doubling would copy
    // the text several times and briefly hold two copies of it.
    // Only a reservation that can fail: a huge file (or a sparse one whose
    // first line is over the limit, read only to that limit) must not abort
    // the process where address space is capped; the buffer then grows as read.
    let expected = file.metadata().map_or(0, |m| m.len()).min(cap);
    let mut out = Vec::new();
    let _ = out.try_reserve_exact(usize::try_from(expected).unwrap_or(0));
    let mut line_len: usize = 0;
    let mut first = true;
    loop {
        // Read straight into the buffer, a chunk at a time (no copy).
        let start = out.len();
        let n = (&mut file).take(1 << 20).read_to_end(&mut out)?;
        if n == 0 {
            break;
        }
        let part = out.get(start..).unwrap_or(&[]);
        if first {
            // A text file that starts like JSON may legitimately be one long line.
            let lead = part.iter().find(|c| !c.is_ascii_whitespace());
            if matches!(lead, Some(b'[') | Some(b'{')) {
                return read_rest(out, file, cap);
            }
            // Parquet and Arrow IPC under any name: binary, without lines.
            if part.starts_with(b"PAR1")
                || part.starts_with(b"ARROW1")
                || part.starts_with(&[0xFF; 4])
            {
                return read_rest(out, file, cap);
            }
            first = false;
        }
        if out.len() as u64 >= cap {
            out.truncate(cap as usize);
            break;
        }
        if line_capped {
            match memchr::memrchr(b'\n', part) {
                Some(i) => {
                    let before_first = memchr::memchr(b'\n', part).unwrap_or(i);
                    if line_len + before_first > limits.max_line_bytes {
                        break;
                    }
                    // A complete line inside the chunk (up to its last newline) over the limit.
                    let complete = part.get(..i).unwrap_or(&[]);
                    if csv_text::overlong_line(complete, limits.max_line_bytes).is_some() {
                        break;
                    }
                    line_len = n - i - 1;
                }
                None => line_len += n,
            }
            if line_len > limits.max_line_bytes {
                break;
            }
        }
    }
    Ok(out)
}

#[cfg(not(target_arch = "wasm32"))]
fn read_rest(mut out: Vec<u8>, file: std::fs::File, cap: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let rest = cap.saturating_sub(out.len() as u64);
    file.take(rest).read_to_end(&mut out)?;
    Ok(out)
}
