//! The record-level aggregation on Apache DataFusion: students, grades and
//! surveys (CSV or Parquet files of any size) into the per-unit, per-year
//! values that kpi-import derives from records, run as DataFusion SQL plans
//! that stream the files and stay within a memory limit (spilling to disk),
//! and handed to [`kpi_import::load_with_records`], which puts them into the
//! same metric store the in-memory load fills. The other tables
//! (organisations, observations) are small and load in memory as always.
//!
//! | step | where |
//! |---|---|
//! | which files are record tables, their columns | kpi-import's recognition (`read_csv_head`, `recognise_head`) |
//! | reading a cell, rejecting a row | `rules` (kpi-import's value readers and alias book) as UDFs (`udf`) |
//! | the aggregations | SQL in `plan` |
//! | values into the metric store, issues into the report | [`kpi_import::load_with_records`] |
//!
//! ```no_run
//! use kpi_datafusion::{load, EngineOptions};
//! let options = EngineOptions { memory_limit: Some(2 << 30), ..EngineOptions::default() };
//! let ds = load(&["/tmp/kz"], &kpi_import::LoadOptions::default(), &options).unwrap();
//! println!("{} organisations", ds.organisations().len());
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "ballista")]
pub mod cluster;
pub mod compare;
mod plan;
mod rules;
mod udf;

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{
    DataType, Field as ArrowField, Float64Type, Int32Type, Int64Type, Schema,
};
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{CsvReadOptions, ParquetReadOptions, SessionConfig, SessionContext};
use kpi_import::{AggregatedRecords, AliasBook, LoadOptions, RecordTable, RecordValue, TableHead};
use kpi_model::validate::{Issue, IssueCode, Location, Severity, TableKind};
use kpi_model::Dataset;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How the DataFusion engine runs.
#[derive(Clone, Debug, Default)]
pub struct EngineOptions {
    /// The most memory the plans may hold, in bytes (`None`: no limit).
    /// Sorts and aggregations past it spill to disk.
    pub memory_limit: Option<usize>,
    /// Where spill files go (`None`: the system's temporary folder).
    pub spill_dir: Option<PathBuf>,
    /// Partitions (threads) per plan; 0 for one per core.
    pub partitions: usize,
    /// A Ballista scheduler (`df://host:port`) to run the plans on instead of
    /// this process (feature `ballista`; docs/scale.md "Distributed
    /// execution"). Every executor must read the files at the same paths.
    pub scheduler: Option<String>,
}

/// What can stop the engine as a whole (a bad row never does: it is an issue).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A file or folder could not be listed or read.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The options ask for something this build or this load cannot do.
    #[error("{0}")]
    Unsupported(String),
    /// DataFusion failed (a plan, a file it could not read, the memory limit).
    #[error("{file}: {source}")]
    DataFusion {
        /// The file (or "the records" for a plan over several).
        file: String,
        /// DataFusion's error.
        source: datafusion::error::DataFusionError,
    },
}

/// Rejected rows listed per file (the rest are counted).
const LISTED_PER_FILE: usize = 50;

/// A record file and how it is read.
struct RecordFile {
    path: PathBuf,
    head: TableHead,
    parquet: bool,
}

/// Loads a dataset from files or folders: the record tables (students,
/// grades, surveys; CSV in UTF-8 with the header on the first line, or
/// Parquet) are aggregated with DataFusion, the rest is loaded in memory.
/// A record file DataFusion cannot take (another encoding, title rows above
/// the header, XLSX or JSON) loads in memory, with a note saying so.
pub fn load<P: AsRef<Path>>(
    paths: &[P],
    options: &LoadOptions,
    engine: &EngineOptions,
) -> Result<Dataset, EngineError> {
    let book = Arc::new(options.aliases.clone().unwrap_or_else(AliasBook::builtin));
    let files = kpi_import::list_files(paths)?;
    let mut records = Vec::new();
    let mut others = Vec::new();
    let mut notes = Vec::new();
    for path in files {
        match record_file(&path, &book)? {
            Ok(Some(f)) => records.push(f),
            Ok(None) => others.push(path),
            Err(why) => {
                notes.push((path.display().to_string(), why));
                others.push(path);
            }
        }
    }
    let sources = kpi_import::read_paths_with_limits(&others, &options.limits)?;
    let mut aggregated = aggregate(&records, &book, options, engine)?;
    for (file, why) in notes {
        aggregated.tables.push(RecordTable {
            file: file.clone(),
            kind: None,
            accepted: false,
            issues: vec![Issue {
                severity: Severity::Note,
                code: IssueCode::Other,
                location: Location::file(file),
                found: None,
                expected: None,
                suggestion: None,
                message: format!("read in memory, not by the DataFusion engine: {why}"),
            }],
            ..RecordTable::default()
        });
    }
    Ok(kpi_import::load_with_records(
        sources,
        options,
        aggregated,
        &mut |_| {},
    ))
}

/// Whether a file is a record table DataFusion reads: `Ok(None)` for any
/// other table, `Err(why)` for a record table it cannot take.
fn record_file(
    path: &Path,
    book: &AliasBook,
) -> std::io::Result<Result<Option<RecordFile>, String>> {
    let name = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let head = if matches!(ext.as_str(), "parquet" | "parq" | "pq") {
        let file = std::fs::File::open(path)?;
        let reader = match datafusion::parquet::file::reader::SerializedFileReader::new(file) {
            Ok(r) => r,
            // Unreadable: the in-memory load says why, with the file named.
            Err(_) => return Ok(Ok(None)),
        };
        use datafusion::parquet::file::reader::FileReader;
        let schema = reader.metadata().file_metadata().schema_descr();
        let headers = schema
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        match kpi_import::recognise_head(&name, headers, book) {
            Some(h) => (h, true),
            None => return Ok(Ok(None)),
        }
    } else if matches!(ext.as_str(), "csv" | "tsv" | "txt") {
        use std::io::Read;
        let mut head = Vec::with_capacity(64 << 10);
        std::fs::File::open(path)?
            .take(64 << 10)
            .read_to_end(&mut head)?;
        match kpi_import::read_csv_head(&name, &head, book) {
            Ok(h) => (h, false),
            Err(_) => return Ok(Ok(None)),
        }
    } else {
        return Ok(Ok(None));
    };
    let (head, parquet) = head;
    if !matches!(
        head.kind,
        TableKind::Students | TableKind::Grades | TableKind::Surveys
    ) {
        return Ok(Ok(None));
    }
    if !head.missing.is_empty() {
        // The in-memory load names the missing columns, as always.
        return Ok(Err("a required column is missing".into()));
    }
    if let Some(shape) = head.csv {
        if !shape.utf8 {
            return Ok(Err(
                "the file is not UTF-8 (DataFusion reads UTF-8 CSV only)".into(),
            ));
        }
        if shape.header_row != 1 {
            return Ok(Err(format!(
                "the header is on row {}, not the first line",
                shape.header_row
            )));
        }
    }
    Ok(Ok(Some(RecordFile {
        path: path.to_path_buf(),
        head,
        parquet,
    })))
}

/// Runs the plans over the record files.
fn aggregate(
    files: &[RecordFile],
    book: &Arc<AliasBook>,
    options: &LoadOptions,
    engine: &EngineOptions,
) -> Result<AggregatedRecords, EngineError> {
    if files.is_empty() {
        return Ok(AggregatedRecords::default());
    }
    let partitions = match engine.partitions {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(partitions)
        // Timers and sockets: a Ballista client talks to its scheduler over gRPC.
        .enable_all()
        .build()?;
    runtime.block_on(aggregate_async(files, book, options, engine, partitions))
}

fn df_err(file: &str) -> impl Fn(datafusion::error::DataFusionError) -> EngineError + '_ {
    move |source| EngineError::DataFusion {
        file: file.to_string(),
        source,
    }
}

/// A session with the memory limit and spill folder of `engine`.
fn session(engine: &EngineOptions, partitions: usize) -> Result<SessionContext, EngineError> {
    let mut rt = RuntimeEnvBuilder::new();
    if let Some(limit) = engine.memory_limit {
        rt = rt.with_memory_limit(limit, 1.0);
    }
    if let Some(dir) = &engine.spill_dir {
        rt = rt.with_temp_file_path(dir.clone());
    }
    let rt = rt.build_arc().map_err(df_err("the DataFusion runtime"))?;
    let config = SessionConfig::new().with_target_partitions(partitions);
    Ok(SessionContext::new_with_config_rt(config, rt))
}

/// A session on the Ballista scheduler at `url`.
#[cfg(feature = "ballista")]
async fn remote(
    url: &str,
    options: &LoadOptions,
    partitions: usize,
) -> Result<SessionContext, EngineError> {
    if options.aliases.is_some() {
        // The executors rebuild the cell readers with the built-in alias book.
        return Err(EngineError::Unsupported(
            "custom aliases are not sent to a Ballista cluster: run without them or on one machine"
                .into(),
        ));
    }
    cluster::remote_session(url, partitions)
        .await
        .map_err(df_err(url))
}

#[cfg(not(feature = "ballista"))]
async fn remote(
    _url: &str,
    _options: &LoadOptions,
    _partitions: usize,
) -> Result<SessionContext, EngineError> {
    Err(EngineError::Unsupported(
        "this build has no Ballista client: build kpi-datafusion with the `ballista` feature (docs/scale.md)".into(),
    ))
}

async fn aggregate_async(
    files: &[RecordFile],
    book: &Arc<AliasBook>,
    options: &LoadOptions,
    engine: &EngineOptions,
    partitions: usize,
) -> Result<AggregatedRecords, EngineError> {
    let ctx = match &engine.scheduler {
        Some(url) => remote(url, options, partitions).await?,
        None => session(engine, partitions)?,
    };
    // One partition, for numbering rejected rows in file order.
    let ordered = session(engine, 1)?;
    for udf in udf::readers(Arc::clone(book), options.thresholds.clone()) {
        ctx.register_udf(udf.clone());
        ordered.register_udf(udf);
    }
    let mut tables = Vec::new();
    let mut views: [Vec<String>; 3] = Default::default();
    for (i, f) in files.iter().enumerate() {
        let file = f.path.display().to_string();
        let table = format!("t{i}");
        let check = format!("kpi_check_{i}");
        let range = format!("kpi_range_{i}");
        let dc = f.head.csv.is_none_or(|s| s.decimal_comma);
        let (which, _) = plan::check_args(&f.head, !f.parquet);
        let check_udf = udf::row_check(&check, Arc::clone(book), f.head.kind, dc, which.clone());
        let range_udf = udf::range_check(&range, Arc::clone(book), f.head.kind, dc, which);
        for c in [&ctx, &ordered] {
            c.register_udf(check_udf.clone());
            c.register_udf(range_udf.clone());
            register(c, &table, f).await.map_err(df_err(&file))?;
        }
        let counts = run(
            &ctx,
            &plan::counts(&f.head, &table, &check, &range, !f.parquet),
            &file,
        )
        .await?;
        let (rows, bad, warned) = counts
            .first()
            .map(|b| (int(b, 0, 0), int(b, 1, 0), int(b, 2, 0)))
            .unwrap_or((0, 0, 0));
        let first_row = f.head.csv.map_or(0, |s| s.header_row);
        let mut issues = Vec::new();
        for (rule, count, severity) in [
            (&check, bad, Severity::Error),
            (&range, warned, Severity::Warning),
        ] {
            if count == 0 {
                continue;
            }
            let sql = plan::listed(&f.head, &table, rule, !f.parquet, LISTED_PER_FILE);
            let listed = run(&ordered, &sql, &file).await?;
            let before = issues.len();
            for b in &listed {
                let reasons = b.column(1).as_string::<i32>();
                for r in 0..b.num_rows() {
                    let row = first_row + int(b, 0, r);
                    issues.push(row_issue(&file, row, reasons.value(r), severity));
                }
            }
            let shown = (issues.len() - before) as u64;
            if count > shown {
                issues.push(more_issue(&file, severity, count - shown, shown));
            }
        }
        let kind = f.head.kind;
        tables.push(RecordTable {
            file: file.clone(),
            kind: Some(kind),
            headers: f.head.headers.clone(),
            rows,
            rows_rejected: bad,
            accepted: true,
            issues,
        });
        let slot = match kind {
            TableKind::Students => 0,
            TableKind::Grades => 1,
            _ => 2,
        };
        let v = plan::view(&f.head, &table, &check, !f.parquet, dc);
        views[slot].push(format!("SELECT {i} AS file, * FROM ({v})"));
    }
    for (name, list) in ["students_all", "grades", "surveys"].iter().zip(&views) {
        if !list.is_empty() {
            let sql = format!("CREATE VIEW {name} AS {}", list.join(" UNION ALL "));
            run(&ctx, &sql, "the records").await?;
        }
    }
    if !views[0].is_empty() {
        let kept = duplicates(&ctx, &ordered, files, &views[0], &mut tables).await?;
        let sql = if kept {
            format!("CREATE VIEW students AS {}", plan::STUDENTS_KEPT)
        } else {
            "CREATE VIEW students AS SELECT * FROM students_all".to_string()
        };
        run(&ctx, &sql, "the students").await?;
    }
    let has = |k: usize| !views[k].is_empty();
    if has(1) {
        run(
            &ctx,
            &format!("CREATE VIEW grade_gpa AS {}", plan::GRADE_GPA),
            "the grades",
        )
        .await?;
    }
    let first_of = |k: TableKind| files.iter().position(|f| f.head.kind == k).unwrap_or(0);
    let mut values = Vec::new();
    if has(0) {
        let t = first_of(TableKind::Students);
        for b in run(&ctx, &plan::students(has(1)), "the students").await? {
            student_values(&b, t, &mut values);
        }
    } else if has(1) {
        let t = first_of(TableKind::Grades);
        for b in run(&ctx, plan::GRADES_ALONE, "the grades").await? {
            for r in 0..b.num_rows() {
                let (Some(org), Some(year)) = (text(&b, 0, r), year_of(&b, 1, r)) else {
                    continue;
                };
                let (sum, n) = (float(&b, 2, r), int(&b, 3, r));
                if n > 0 {
                    values.push(value(t, org, None, year, "gpa_mean", sum / n as f64));
                }
            }
        }
    }
    if has(2) {
        let t = first_of(TableKind::Surveys);
        for b in run(&ctx, plan::SURVEYS, "the surveys").await? {
            for r in 0..b.num_rows() {
                let (Some(org), Some(year), Some(kind)) =
                    (text(&b, 0, r), year_of(&b, 2, r), text(&b, 3, r))
                else {
                    continue;
                };
                let Some(programme) = unit_programme(&b, r, 1, 4) else {
                    continue;
                };
                let (answers, satisfied, sum) = (int(&b, 5, r), int(&b, 6, r), float(&b, 7, r));
                let mut put = |m: String, v: f64| {
                    values.push(value(t, org, programme, year, &m, v));
                };
                put(format!("answers_{kind}"), answers as f64);
                put(format!("satisfied_{kind}"), satisfied as f64);
                if answers > 0 {
                    put(
                        format!("satisfaction_{kind}"),
                        satisfied as f64 / answers as f64,
                    );
                    put(format!("score_{kind}"), sum / answers as f64);
                }
            }
        }
    }
    Ok(AggregatedRecords { tables, values })
}

/// The duplicate (student, year) check of a load: the keys read on more
/// than one accepted row are found by one aggregation; when there are any,
/// their rows are numbered file by file (one partition), the first row of
/// each key is kept (as the table `dup_kept`, with the keys as `dup_keys`)
/// and every later one is an error naming its file and row, as in a load:
/// a repeat within a file names the row before it, a key an earlier
/// students file already gives says so. Returns whether any key repeats.
async fn duplicates(
    ctx: &SessionContext,
    ordered: &SessionContext,
    files: &[RecordFile],
    views: &[String],
    tables: &mut [RecordTable],
) -> Result<bool, EngineError> {
    use datafusion::arrow::array::BooleanArray;
    use datafusion::arrow::compute::{concat_batches, filter_record_batch};
    use std::collections::HashMap;
    let keys = run(ctx, plan::DUPLICATE_KEYS, "the students").await?;
    if keys.iter().all(|b| b.num_rows() == 0) {
        return Ok(false);
    }
    let keys_schema = keys[0].schema();
    for c in [ctx, ordered] {
        c.register_batch(
            "dup_keys",
            concat_batches(&keys_schema, &keys).map_err(|e| df_err("the students")(e.into()))?,
        )
        .map_err(df_err("the students"))?;
    }
    // Per key: the file and record number of the row last seen.
    let mut seen: HashMap<(String, i32), (usize, u64)> = HashMap::new();
    let mut kept_batches = Vec::new();
    let students = files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.head.kind == TableKind::Students);
    for ((i, f), view) in students.zip(views) {
        let file = f.path.display().to_string();
        let first_row = f.head.csv.map_or(0, |s| s.header_row);
        let id_col = f
            .head
            .position(kpi_import::Field::StudentId)
            .and_then(|c| f.head.headers.get(c))
            .cloned()
            .unwrap_or_default();
        let rows = run(ordered, &plan::duplicate_rows(view), &file).await?;
        let mut repeats = 0u64;
        let mut listed = Vec::new();
        for b in &rows {
            let mut keep = Vec::with_capacity(b.num_rows());
            for r in 0..b.num_rows() {
                let n = int(b, 0, r);
                let (Some(sid), Some(year)) = (text(b, 2, r), year_of(b, 4, r)) else {
                    keep.push(false);
                    continue;
                };
                let key = (sid.to_string(), year);
                let message = match seen.get(&key) {
                    None => None,
                    Some(&(fi, prev)) if fi == i => Some(format!(
                        "student `{sid}` has two rows for year {year} (first at row {})",
                        first_row + prev
                    )),
                    Some(_) => Some(format!(
                        "student `{sid}`, year {year} is already given by another students table"
                    )),
                };
                keep.push(message.is_none());
                if seen.get(&key).is_none_or(|&(fi, _)| fi == i) {
                    seen.insert(key, (i, n));
                }
                let Some(message) = message else { continue };
                repeats += 1;
                if listed.len() < LISTED_PER_FILE {
                    listed.push(Issue {
                        severity: Severity::Error,
                        code: IssueCode::DuplicateKey,
                        location: Location {
                            file: file.clone(),
                            sheet: None,
                            row: Some(first_row + n),
                            column: Some(id_col.clone()),
                        },
                        found: None,
                        expected: Some("one row per student and year".into()),
                        suggestion: None,
                        message: format!("{message}: this row is rejected, the first is kept"),
                    });
                }
            }
            let mask = BooleanArray::from(keep);
            let kept = filter_record_batch(b, &mask).map_err(|e| df_err(&file)(e.into()))?;
            // Without the record number: the columns of `students_all`.
            let columns: Vec<usize> = (1..kept.num_columns()).collect();
            kept_batches.push(
                kept.project(&columns)
                    .map_err(|e| df_err(&file)(e.into()))?,
            );
        }
        if let Some(t) = tables.get_mut(i) {
            let shown = listed.len() as u64;
            t.rows_rejected += repeats;
            t.issues.extend(listed);
            if repeats > shown {
                t.issues
                    .push(more_issue(&file, Severity::Error, repeats - shown, shown));
            }
        }
    }
    let Some(schema) = kept_batches.first().map(|b| b.schema()) else {
        return Ok(false);
    };
    let kept =
        concat_batches(&schema, &kept_batches).map_err(|e| df_err("the students")(e.into()))?;
    ctx.register_batch("dup_kept", kept)
        .map_err(df_err("the students"))?;
    Ok(true)
}

/// Registers a record file as table `name`: Parquet as it is, CSV with every
/// column as text under the names `c0…cn` (headers may repeat or be empty).
async fn register(
    ctx: &SessionContext,
    name: &str,
    f: &RecordFile,
) -> datafusion::error::Result<()> {
    // Absolute, so that a cluster's executors (started elsewhere) find it.
    let absolute = std::path::absolute(&f.path).unwrap_or_else(|_| f.path.clone());
    let path = absolute.to_string_lossy();
    if f.parquet {
        return ctx
            .register_parquet(name, path.as_ref(), ParquetReadOptions::default())
            .await;
    }
    let schema = Schema::new(
        (0..f.head.headers.len())
            .map(|i| ArrowField::new(format!("c{i}"), DataType::Utf8, true))
            .collect::<Vec<_>>(),
    );
    let delimiter = f.head.csv.map_or(b',', |s| s.delimiter);
    let ext = f
        .path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| format!(".{e}"))
        .unwrap_or_default();
    let options = CsvReadOptions::new()
        .has_header(true)
        // A short row reads its missing cells as empty, as in a load.
        .truncated_rows(true)
        .delimiter(delimiter)
        .schema(&schema)
        .file_extension(&ext);
    ctx.register_csv(name, path.as_ref(), options).await
}

async fn run(ctx: &SessionContext, sql: &str, what: &str) -> Result<Vec<RecordBatch>, EngineError> {
    ctx.sql(sql)
        .await
        .map_err(df_err(what))?
        .collect()
        .await
        .map_err(df_err(what))
}

/// The issue of a row a rule function gives a reason for: a rejected row
/// (an error) or an out-of-range value (a warning; the row stands).
fn row_issue(file: &str, row: u64, reason: &str, severity: Severity) -> Issue {
    let mut parts = reason.splitn(4, '\t');
    let column = parts.next().unwrap_or_default().to_string();
    let found = parts.next().unwrap_or_default().to_string();
    let expected = parts.next().unwrap_or_default().to_string();
    let message = parts.next().unwrap_or_default().to_string();
    let (code, message) = match severity {
        Severity::Error => (
            IssueCode::BadValue,
            format!("{message}: the row is rejected"),
        ),
        _ => (IssueCode::OutOfRange, message),
    };
    Issue {
        severity,
        code,
        location: Location {
            file: file.to_string(),
            sheet: None,
            row: Some(row),
            column: Some(column),
        },
        found: Some(found),
        expected: Some(expected),
        suggestion: None,
        message,
    }
}

/// The line that counts the rows of a kind not listed one by one.
fn more_issue(file: &str, severity: Severity, more: u64, shown: u64) -> Issue {
    let (code, what) = match severity {
        Severity::Error => (IssueCode::BadValue, "rejected"),
        _ => (IssueCode::OutOfRange, "with a value out of range"),
    };
    Issue {
        severity,
        code,
        location: Location::file(file.to_string()),
        found: None,
        expected: None,
        suggestion: None,
        message: format!("{more} more rows are {what} (the first {shown} are listed)"),
    }
}

fn value(
    table: usize,
    org: &str,
    programme: Option<&str>,
    year: i32,
    metric: &str,
    v: f64,
) -> RecordValue {
    RecordValue {
        table,
        org_id: org.to_string(),
        programme: programme.map(str::to_string),
        year,
        metric: metric.to_string(),
        value: v,
    }
}

/// The programme of a grouping-set row: `Some(None)` for the organisation
/// as a whole, `Some(Some(code))` for a programme, `None` for the group of
/// rows without a programme (already counted in the whole).
fn unit_programme(
    b: &RecordBatch,
    r: usize,
    programme: usize,
    whole: usize,
) -> Option<Option<&str>> {
    if int(b, whole, r) != 0 {
        return Some(None);
    }
    text(b, programme, r).map(Some)
}

/// Student metrics of one grouping-set row (kpi-model's `StudentAcc::emit`).
fn student_values(b: &RecordBatch, table: usize, out: &mut Vec<RecordValue>) {
    for r in 0..b.num_rows() {
        let (Some(org), Some(year)) = (text(b, 0, r), year_of(b, 2, r)) else {
            continue;
        };
        let Some(programme) = unit_programme(b, r, 1, 3) else {
            continue;
        };
        let n = |c: usize| int(b, c, r);
        let mut put = |m: &str, v: f64| out.push(value(table, org, programme, year, m, v));
        put("students_enrolled", n(4) as f64);
        put("graduates", n(5) as f64);
        put("expelled", n(6) as f64);
        put("repeaters", n(7) as f64);
        if n(8) > 0 {
            put("graduates_employed", n(9) as f64);
        }
        if n(10) > 0 {
            put("graduates_further_study", n(11) as f64);
        }
        if n(13) > 0 {
            put("gpa_mean", float(b, 12, r) / n(13) as f64);
        }
        if n(14) > 0 {
            put("gpa_below_threshold", n(15) as f64);
        }
    }
}

/// A text cell (any string type), `None` when null.
fn text(b: &RecordBatch, c: usize, r: usize) -> Option<&str> {
    let a = b.column(c);
    if a.is_null(r) {
        return None;
    }
    match a.data_type() {
        DataType::Utf8 => Some(a.as_string::<i32>().value(r)),
        DataType::LargeUtf8 => Some(a.as_string::<i64>().value(r)),
        DataType::Utf8View => Some(a.as_string_view().value(r)),
        _ => None,
    }
}

/// A whole-number cell (any integer type), 0 when null.
fn int(b: &RecordBatch, c: usize, r: usize) -> u64 {
    let a = b.column(c);
    if a.is_null(r) {
        return 0;
    }
    match a.data_type() {
        DataType::Int64 => a.as_primitive::<Int64Type>().value(r).max(0) as u64,
        DataType::Int32 => a.as_primitive::<Int32Type>().value(r).max(0) as u64,
        DataType::UInt64 => a
            .as_primitive::<datafusion::arrow::datatypes::UInt64Type>()
            .value(r),
        DataType::UInt32 => u64::from(
            a.as_primitive::<datafusion::arrow::datatypes::UInt32Type>()
                .value(r),
        ),
        DataType::Int8 => a
            .as_primitive::<datafusion::arrow::datatypes::Int8Type>()
            .value(r)
            .max(0) as u64,
        DataType::UInt8 => u64::from(
            a.as_primitive::<datafusion::arrow::datatypes::UInt8Type>()
                .value(r),
        ),
        _ => 0,
    }
}

fn year_of(b: &RecordBatch, c: usize, r: usize) -> Option<i32> {
    let a = b.column(c);
    (!a.is_null(r) && a.data_type() == &DataType::Int32)
        .then(|| a.as_primitive::<Int32Type>().value(r))
}

fn float(b: &RecordBatch, c: usize, r: usize) -> f64 {
    let a = b.column(c);
    if a.is_null(r) || a.data_type() != &DataType::Float64 {
        return 0.0;
    }
    a.as_primitive::<Float64Type>().value(r)
}
