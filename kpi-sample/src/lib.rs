//! Deterministic, realistic sample datasets in the input formats of docs/data.md.
//!
//! The generator first builds a *plan* (which organisations exist, where, of
//! what kind and size, which carry planted patterns), then simulates every
//! organisation year by year (pupils moving through grades, students through
//! courses, teachers, budgets, exam results, survey answers) and writes the
//! tables `organisations.csv`, `observations.csv` (wide form),
//! `students.csv`, `grades.csv` and `surveys.csv`; with
//! [`SampleOptions::with_defects`] also `defects.json` (the planted problems,
//! see [`Defect`]) and two small extra tables (`surveys_extra.csv`,
//! `grades_extra.csv`).
//!
//! [`generate_kyrgyz`] writes a Kyrgyz sample instead (`kpi sample --country kg`): the
//! seven oblasts and the cities of Bishkek and Osh, Kyrgyz names and headers, ИНН and ОКПО
//! ids, mostly colleges.
//!
//! Everything is a pure function of [`SampleOptions`]: the same options give
//! byte-identical files on every platform (ChaCha streams, no hash-map
//! iteration order in the output). The writer is generic over
//! [`std::io::Write`], so generation also runs in WebAssembly.
//!
//! ```
//! use kpi_model::YearSpan;
//! use kpi_sample::{generate, SampleOptions, Scale};
//!
//! let options = SampleOptions {
//!     years: YearSpan::new(2022, 2023),
//!     student_rows: Some(2_000),
//!     grade_rows: Some(1_000),
//!     ..SampleOptions::new(7, Scale::Small)
//! };
//! let sample = generate(&options).unwrap();
//! let orgs = sample.file("organisations.csv").unwrap();
//! assert!(orgs.text().starts_with("org_id,name,name_kk,name_ru,name_en,level,region"));
//! assert!(orgs.rows > 300);
//! // The same options give the same bytes.
//! assert_eq!(generate(&options).unwrap(), sample);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod catalogue;
#[cfg(all(feature = "parquet", not(target_arch = "wasm32")))]
mod columnar;
mod columns;
#[cfg(not(target_arch = "wasm32"))]
mod copies;
mod defects;
mod economy;
mod emit;
mod geo;
mod ids;
mod kg;
mod names;
mod out;
mod plan;
mod rng;
mod school;
mod survey;
mod tertiary;
#[cfg(test)]
mod tests;
#[cfg(feature = "xlsx")]
mod workbook;

#[cfg(all(feature = "parquet", not(target_arch = "wasm32")))]
pub use columnar::{record_batch_of_csv, write_columnar, ColumnarFormat};
#[cfg(not(target_arch = "wasm32"))]
pub use copies::write_copies;
pub use defects::Defect;
pub use kg::{generate_kyrgyz, NARYN_COLLEGE, NARYN_COLLEGE_ID, OBSERVATION_HEADERS};
pub use out::{FileSummary, MemorySink, Sink, Summary};
#[cfg(feature = "xlsx")]
pub use workbook::{workbook, WorkbookError, MAX_SHEET_ROWS};

use kpi_model::{Year, YearSpan};
use std::fmt;
use std::str::FromStr;

/// How many organisations a sample holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// A few hundred organisations in every region (120 preschools, 150
    /// schools, 40 colleges, 12 universities): for demos and tests.
    Small,
    /// Every organisation of the country, in realistic numbers (about
    /// 10,000 preschools, 7,500 schools, 800 colleges, 120 universities).
    National,
}

impl FromStr for Scale {
    type Err = String;

    /// Parses `small` or `national` (case-insensitive).
    ///
    /// ```
    /// use kpi_sample::Scale;
    /// assert_eq!("National".parse::<Scale>(), Ok(Scale::National));
    /// assert!("huge".parse::<Scale>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "small" => Ok(Scale::Small),
            "national" => Ok(Scale::National),
            other => Err(format!(
                "unknown scale `{other}`: expected `small` or `national`"
            )),
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scale::Small => "small",
            Scale::National => "national",
        })
    }
}

/// Parses a span of years written `FIRST..LAST` (inclusive), `FIRST..=LAST`,
/// `FIRST-LAST` or a single year, all within 1990–2100.
///
/// ```
/// use kpi_model::YearSpan;
/// use kpi_sample::parse_years;
/// assert_eq!(parse_years("2015..2024"), Ok(YearSpan::new(2015, 2024)));
/// assert_eq!(parse_years("2020"), Ok(YearSpan::new(2020, 2020)));
/// assert!(parse_years("2024..2015").is_err());
/// ```
pub fn parse_years(text: &str) -> Result<YearSpan, String> {
    let t = text.trim();
    let (a, b) = if let Some((a, b)) = t.split_once("..=") {
        (a, b)
    } else if let Some((a, b)) = t.split_once("..") {
        (a, b)
    } else if let Some((a, b)) = t.split_once('-') {
        (a, b)
    } else {
        (t, t)
    };
    let year = |s: &str| -> Result<Year, String> {
        let y: Year = s
            .trim()
            .parse()
            .map_err(|_| format!("`{text}`: expected years as FIRST..LAST, e.g. 2015..2024"))?;
        if (kpi_model::MIN_YEAR..=kpi_model::MAX_YEAR).contains(&y) {
            Ok(y)
        } else {
            Err(format!("`{text}`: year {y} is outside 1990–2100"))
        }
    };
    let (first, last) = (year(a)?, year(b)?);
    if last < first {
        return Err(format!("`{text}`: the last year is before the first"));
    }
    Ok(YearSpan::new(first, last))
}

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SampleOptions {
    /// Random seed: the same options give byte-identical files.
    pub seed: u64,
    /// Number of organisations.
    pub scale: Scale,
    /// Academic years written (default 2015..2024).
    pub years: YearSpan,
    /// Plant the documented defects (see [`Defect`]) and list them in `defects.json`.
    pub with_defects: bool,
    /// Upper bound of `students.csv` rows (default: 12,000 small, 1,300,000 national).
    pub student_rows: Option<usize>,
    /// Upper bound of `grades.csv` rows (default: 14,000 small, 400,000 national).
    pub grade_rows: Option<usize>,
}

impl SampleOptions {
    /// Options with the default years (2015..2024), no defects and default row budgets.
    pub fn new(seed: u64, scale: Scale) -> Self {
        SampleOptions {
            seed,
            scale,
            years: YearSpan::new(2015, 2024),
            with_defects: false,
            student_rows: None,
            grade_rows: None,
        }
    }
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions::new(1, Scale::Small)
    }
}

/// A generated file held in memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleFile {
    /// File name (`observations.csv`).
    pub name: String,
    /// Data rows (CSV: without the header; JSON: array entries).
    pub rows: usize,
    /// The file's bytes (UTF-8).
    pub bytes: Vec<u8>,
}

impl SampleFile {
    /// The content as text (lossy for non-UTF-8 bytes, which the generator never writes).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }
}

/// A generated sample held in memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    /// The files, in the order written.
    pub files: Vec<SampleFile>,
    /// The planted defects (empty unless requested).
    pub defects: Vec<Defect>,
}

impl Sample {
    /// The file of that name.
    pub fn file(&self, name: &str) -> Option<&SampleFile> {
        self.files.iter().find(|f| f.name == name)
    }
}

/// Errors of generation: only the sink's I/O can fail.
pub type SampleError = std::io::Error;

/// Generates a sample in memory. Fine for the small scale; the national scale
/// takes a few hundred MB, for which [`write_dir`] streams to files instead.
pub fn generate(options: &SampleOptions) -> Result<Sample, SampleError> {
    let mut sink = MemorySink::default();
    let summary = write_to(options, &mut sink, &mut |_, _| {})?;
    let files = sink
        .into_files()
        .into_iter()
        .map(|(name, bytes)| {
            let rows = summary
                .files
                .iter()
                .find(|f| f.name == name)
                .map_or(0, |f| f.rows);
            SampleFile { name, rows, bytes }
        })
        .collect();
    Ok(Sample {
        files,
        defects: summary.defects,
    })
}

/// Generates a sample into any [`Sink`], reporting progress as
/// `(organisations done, organisations total)`.
///
/// ```
/// use kpi_model::YearSpan;
/// use kpi_sample::{write_to, MemorySink, SampleOptions, Scale};
///
/// let options = SampleOptions {
///     years: YearSpan::new(2024, 2024),
///     student_rows: Some(500),
///     grade_rows: Some(500),
///     ..SampleOptions::new(11, Scale::Small)
/// };
/// let mut sink = MemorySink::default();
/// let mut last = (0, 0);
/// let summary = write_to(&options, &mut sink, &mut |done, total| last = (done, total)).unwrap();
/// assert_eq!(summary.organisations, [120, 150, 40, 12]);
/// assert_eq!(last, (322, 322));
/// let files = sink.into_files();
/// assert_eq!(files.len(), summary.files.len());
/// assert_eq!(files[0].1.len() as u64, summary.files[0].bytes);
/// ```
pub fn write_to<S: Sink>(
    options: &SampleOptions,
    sink: &mut S,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Summary, SampleError> {
    emit::emit(options, sink, progress)
}

/// Writes a sample into a folder (created if needed), streaming every table.
#[cfg(not(target_arch = "wasm32"))]
pub fn write_dir(
    options: &SampleOptions,
    dir: &std::path::Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Summary, SampleError> {
    std::fs::create_dir_all(dir)?;
    let mut sink = out::DirSink::new(dir);
    write_to(options, &mut sink, progress)
}

/// Writes a sample into a folder as Parquet or Arrow IPC files, one per
/// table (`students.parquet`, …), with typed columns; `defects.json` as
/// usual. The summary lists the files written. Each table is generated as
/// CSV in memory first, then converted, so the largest table is held twice.
///
/// ```no_run
/// use kpi_sample::{write_dir_columnar, ColumnarFormat, SampleOptions, Scale};
/// let options = SampleOptions::new(1, Scale::Small);
/// let dir = std::path::Path::new("/tmp/kz-parquet");
/// let summary = write_dir_columnar(&options, dir, ColumnarFormat::Parquet, &mut |_, _| {})?;
/// assert!(summary.files.iter().any(|f| f.name == "students.parquet"));
/// # Ok::<(), std::io::Error>(())
/// ```
#[cfg(all(feature = "parquet", not(target_arch = "wasm32")))]
pub fn write_dir_columnar(
    options: &SampleOptions,
    dir: &std::path::Path,
    format: ColumnarFormat,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Summary, SampleError> {
    std::fs::create_dir_all(dir)?;
    let mut sink = columnar::ColumnarDirSink::new(dir, format);
    let mut summary = write_to(options, &mut sink, progress)?;
    summary.files = sink.files;
    Ok(summary)
}
