//! `kpi sample`.

use anyhow::{anyhow, Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use kpi_sample::{
    generate, generate_kyrgyz, parse_years, workbook, write_dir, SampleOptions, Scale,
};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `kpi sample`.
#[derive(Args)]
pub struct SampleArgs {
    /// Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// Random seed (the same seed gives the same files).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// `small` (a few hundred organisations) or `national` (every organisation of the country).
    #[arg(long, default_value = "small")]
    pub scale: String,
    /// Years, as `FIRST..LAST` (inclusive).
    #[arg(long, default_value = "2015..2024")]
    pub years: String,
    /// Plant a documented list of defects of every kind validation must catch.
    #[arg(long)]
    pub with_defects: bool,
    /// Also write the tables as one XLSX workbook, a sheet per table, to this file
    /// (keep it outside `--out`, or loading the folder reads every table twice).
    /// Small scale only: national tables exceed a sheet's row limit.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// `kz` (Kazakhstan: the full simulation) or `kg` (Kyrgyzstan: the seven oblasts and
    /// Bishkek and Osh, Kyrgyz names and headers, ИНН/ОКПО ids, mostly colleges; two tables).
    #[arg(long, default_value = "kz")]
    pub country: String,
    /// File format of the tables: `csv`, `parquet` (typed columns, Snappy) or `arrow`
    /// (Arrow IPC file). Every scale can be written in each; they load to the same dataset.
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// Most rows of students.csv (default: 12,000 small, 1,300,000 national).
    #[arg(long, value_name = "N")]
    pub student_rows: Option<usize>,
    /// Most rows of grades.csv, marks per course and term (default: 14,000 small, 400,000 national).
    #[arg(long, value_name = "N")]
    pub grade_rows: Option<usize>,
    /// Write the record tables (students, grades, surveys) N times over, each copy with its
    /// own student and respondent ids: counts from records become N times larger, means and
    /// shares stay the same. For exercising `--engine datafusion` at scale; CSV only.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub copies: usize,
}

/// `kpi sample --country kg`: the Kyrgyz sample's two tables into `--out`.
fn sample_kyrgyz(args: &SampleArgs, scale: Scale) -> Result<ExitCode> {
    if args.with_defects || args.xlsx.is_some() || !args.format.trim().eq_ignore_ascii_case("csv") {
        return Err(anyhow!(
            "--country kg writes two CSV tables only (no --with-defects, no --xlsx, no --format)"
        ));
    }
    let years = parse_years(&args.years).map_err(|e| anyhow!("--years {e}"))?;
    let sample = generate_kyrgyz(args.seed, scale, years);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    for f in &sample.files {
        let path = args.out.join(&f.name);
        std::fs::write(&path, &f.bytes).with_context(|| format!("writing {}", path.display()))?;
        println!(
            "  {:<22} {:>8} rows {:>10} bytes",
            f.name,
            f.rows,
            f.bytes.len()
        );
    }
    println!(
        "sample: Kyrgyzstan, scale {scale}, seed {}, years {}..{}: {} organisations, into {}",
        args.seed,
        years.first,
        years.last,
        sample.files.first().map_or(0, |f| f.rows),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn sample(args: SampleArgs) -> Result<ExitCode> {
    let scale: Scale = args.scale.parse().map_err(|e: String| anyhow!(e))?;
    match args.country.trim().to_ascii_lowercase().as_str() {
        "kz" => {}
        "kg" => return sample_kyrgyz(&args, scale),
        other => return Err(anyhow!("--country {other:?}: expected kz or kg")),
    }
    let columnar = columnar_format(&args.format)?;
    let years = parse_years(&args.years).map_err(|e| anyhow!("--years {e}"))?;
    let options = SampleOptions {
        years,
        with_defects: args.with_defects,
        student_rows: args.student_rows,
        grade_rows: args.grade_rows,
        ..SampleOptions::new(args.seed, scale)
    };
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} organisations ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let started = Instant::now();
    let mut report = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    if args.copies == 0 || (args.copies > 1 && columnar.is_some()) {
        return Err(anyhow!(
            "--copies N writes CSV record tables N times over: N is 1 or more, with --format csv"
        ));
    }
    let mut summary = match columnar {
        None => write_dir(&options, &args.out, &mut report),
        #[cfg(feature = "parquet")]
        Some(format) => kpi_sample::write_dir_columnar(&options, &args.out, format, &mut report),
    }
    .with_context(|| format!("writing the sample into {}", args.out.display()))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if args.copies > 1 {
        let copied = kpi_sample::write_copies(&args.out, args.copies)
            .with_context(|| format!("copying the record tables in {}", args.out.display()))?;
        for c in copied {
            if let Some(f) = summary.files.iter_mut().find(|f| f.name == c.name) {
                *f = c;
            }
        }
    }
    let [p, s, c, u] = summary.organisations;
    println!(
        "sample: scale {scale}, seed {}, years {}..{}: {} organisations ({p} preschools, {s} schools, {c} colleges, {u} universities), {} programmes",
        options.seed,
        years.first,
        years.last,
        p + s + c + u,
        summary.programmes
    );
    let mut total_bytes = 0;
    for f in &summary.files {
        total_bytes += f.bytes;
        println!("  {:<20} {:>10} rows {:>14} bytes", f.name, f.rows, f.bytes);
    }
    println!(
        "wrote {} files, {} bytes, into {} in {:.1} s",
        summary.files.len(),
        total_bytes,
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    if !summary.defects.is_empty() {
        println!(
            "planted {} defects, listed in defects.json",
            summary.defects.len()
        );
    }
    if let Some(path) = &args.xlsx {
        let sample = generate(&options).context("generating the sample for the workbook")?;
        let bytes = workbook(&sample)?;
        std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// The columnar format `--format` asks for (`None`: CSV).
#[cfg(feature = "parquet")]
fn columnar_format(format: &str) -> Result<Option<kpi_sample::ColumnarFormat>> {
    use kpi_sample::ColumnarFormat;
    match format.trim().to_ascii_lowercase().as_str() {
        "csv" => Ok(None),
        "parquet" => Ok(Some(ColumnarFormat::Parquet)),
        "arrow" | "ipc" | "feather" => Ok(Some(ColumnarFormat::Arrow)),
        other => Err(anyhow!(
            "--format {other:?}: expected csv, parquet or arrow"
        )),
    }
}

/// Without the `parquet` feature only CSV is written.
#[cfg(not(feature = "parquet"))]
fn columnar_format(format: &str) -> Result<Option<std::convert::Infallible>> {
    match format.trim().to_ascii_lowercase().as_str() {
        "csv" => Ok(None),
        other => Err(anyhow!(
            "--format {other:?}: this build writes csv only (Parquet and Arrow need the `parquet` feature)"
        )),
    }
}
