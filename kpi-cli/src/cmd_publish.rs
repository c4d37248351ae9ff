//! `kpi publish`: an aggregate-only bundle for public portals.

use crate::cmd_indicators::parse_level;
use anyhow::{Context, Result};
use clap::Args;
use kpi_publish::{publish_to, PublishOptions, SourceDigest};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kpi publish`.
#[derive(Args)]
pub struct PublishArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// Folder to write the bundle into (created when missing).
    #[arg(long)]
    pub out: PathBuf,
    /// A value computed from fewer persons than this is published as suppressed.
    #[arg(long, default_value_t = 5)]
    pub min_count: u32,
    /// Only these levels (repeat the flag; aliases such as ЖОО are accepted).
    #[arg(long)]
    pub level: Vec<String>,
    /// Only organisations of these regions, as written in the data (repeatable).
    #[arg(long)]
    pub region: Vec<String>,
    /// Only these years (repeatable; 2023 or 2023-2024).
    #[arg(long, value_parser = crate::common::academic_year)]
    pub year: Vec<i32>,
    /// Only these indicators, comma-separated codes.
    #[arg(long, value_delimiter = ',')]
    pub indicators: Vec<String>,
    /// Only these organisations, by org_id (repeatable).
    #[arg(long)]
    pub org: Vec<String>,
}

/// Today's date (UTC) as `YYYY-MM-DD`, for the manifest.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

pub fn publish_cmd(args: PublishArgs) -> Result<ExitCode> {
    let load = crate::common::load_options();
    let sources = kpi_import::read_paths_with_limits(&args.data, &load.limits)?;
    // Each source hashed on its own thread: a national export is 200 MB.
    let digests: Vec<SourceDigest> = std::thread::scope(|scope| {
        let hashing: Vec<_> = sources
            .iter()
            .map(|s| scope.spawn(|| SourceDigest::of(&s.name, &s.bytes)))
            .collect();
        hashing
            .into_iter()
            .map(|h| h.join())
            .collect::<std::result::Result<_, _>>()
    })
    .map_err(|_| anyhow::anyhow!("hashing the source files failed"))?;
    let options = kpi_engine::EngineOptions {
        load,
        ..Default::default()
    };
    let engine = match crate::common::data_engine() {
        crate::common::DataEngine::Memory => {
            kpi_engine::Engine::from_owned_sources(sources, &options)?
        }
        // The files were read only to hash them: the DataFusion engine reads them again, streaming.
        _ => {
            drop(sources);
            let dataset = crate::common::load_dataset_with(&args.data, &options.load)?;
            kpi_engine::Engine::from_dataset(dataset, &options)?
        }
    };
    crate::common::report_rejections(engine.report());
    let options = PublishOptions {
        min_count: args.min_count,
        levels: args
            .level
            .iter()
            .map(|l| parse_level(l))
            .collect::<Result<_>>()?,
        years: args.year,
        indicators: args.indicators,
        orgs: args.org,
        regions: args.region,
        created: today(),
    };
    // Each file is written as soon as it is made: a national bundle is
    // gigabytes and tens of thousands of files.
    let written = publish_to(&engine, &digests, &options, &args.out)
        .with_context(|| format!("writing the bundle into {}", args.out.display()))?;
    // The process ends here: freeing the engine's millions of small
    // allocations one by one would cost a national publish about a second.
    std::mem::forget(engine);
    let s = written.suppressed;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "wrote {} files, {} bytes, into {}: {} values published, {} suppressed for fewer than {} persons, {} suppressed so that those cannot be derived",
        written.files,
        written.bytes,
        args.out.display(),
        s.published,
        s.primary,
        args.min_count,
        s.secondary
    )?;
    Ok(ExitCode::SUCCESS)
}
