//! `kpi trend`, `kpi compare`, `kpi rank`, `kpi report`, all on top of
//! [`Engine`]: the dataset is loaded once, indicators and risk computed once,
//! and every command asks the engine the same questions the widgets ask.

use super::cmd_indicators::{open_output, parse_level};
use super::report_html;
use anyhow::{bail, Context, Result};
use clap::Args;
use kpi_chart::ChartKind;
use kpi_engine::{subject_of, Engine, EngineOptions, PeerSpec, PeersArg, UserFile, ViewRequest};
use kpi_model::i18n::Lang;
use kpi_model::{academic_year_label, Level, OrgIdx, Year};
use kpi_stats::{composite_index, parse_weights, CompositeIndicator, CompositeOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `kpi trend`.
#[derive(Args)]
pub struct TrendArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// The organisation.
    #[arg(long)]
    pub org: String,
    /// The indicator code.
    #[arg(long)]
    pub indicator: String,
    /// A programme of the organisation (its code).
    #[arg(long)]
    pub programme: Option<String>,
    /// Language of the summary sentence: kk, ru, en or ky.
    #[arg(long, default_value = "kk")]
    pub lang: String,
    /// Output format: table or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

/// Arguments of `kpi compare`.
#[derive(Args)]
pub struct CompareArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// The indicator code.
    #[arg(long)]
    pub indicator: String,
    /// The year.
    #[arg(long, value_parser = crate::common::academic_year)]
    pub year: i32,
    /// Peer grouping beyond level and year: level, region, ownership or locality.
    #[arg(long, default_value = "level")]
    pub peers: String,
    /// The organisation to highlight (needed for region, ownership and locality peers).
    #[arg(long)]
    pub org: Option<String>,
    /// The level of the peer group when no --org is given (default: every
    /// level the indicator applies to, one group each).
    #[arg(long)]
    pub level: Option<String>,
    /// Language of names and the summary: kk, ru, en or ky.
    #[arg(long, default_value = "kk")]
    pub lang: String,
    /// Output format: table, csv or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

/// Arguments of `kpi rank`.
#[derive(Args)]
pub struct RankArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// The year.
    #[arg(long, value_parser = crate::common::academic_year)]
    pub year: i32,
    /// Only this level (every level, ranked separately, when absent).
    #[arg(long)]
    pub level: Option<String>,
    /// A weights file (TOML `code = weight` or JSON); default: the level's
    /// KPI indicators, equal weight per family.
    #[arg(long)]
    pub weights: Option<PathBuf>,
    /// Output format: table, csv or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

/// Arguments of `kpi gaps`.
#[derive(Args)]
pub struct GapsArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// The indicator code.
    #[arg(long)]
    pub indicator: String,
    /// The year.
    #[arg(long)]
    pub year: i32,
    /// The level of the organisations compared.
    #[arg(long)]
    pub level: String,
    /// Grouping: locality (urban/rural), ownership (state/private), region, or sex (the indicator of women and men from the female/male counts, with the gender parity index).
    #[arg(long, default_value = "locality")]
    pub by: String,
    /// Language of the summary sentence: kk, ru, en or ky.
    #[arg(long, default_value = "kk")]
    pub lang: String,
    /// Output format: table, csv or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

/// Arguments of `kpi report`.
#[derive(Args)]
pub struct ReportArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// The organisation.
    #[arg(long)]
    pub org: String,
    /// Language: kk, ru, en or ky.
    #[arg(long, default_value = "kk")]
    pub lang: String,
    /// Output HTML file.
    #[arg(long)]
    pub out: PathBuf,
    /// An indicator catalogue (TOML or JSON) added to the built-in one.
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// A criteria file replacing or extending the default risk criteria.
    #[arg(long, value_name = "FILE")]
    pub criteria: Option<PathBuf>,
}

/// Loads the dataset at `paths` into an engine (built-in catalogue and criteria).
pub fn load_engine(paths: &[PathBuf]) -> Result<Engine> {
    load_engine_with(paths, None, None)
}

/// Loads the dataset at `paths` into an engine, with the user's catalogue and
/// criteria files when given.
pub fn load_engine_with(
    paths: &[PathBuf],
    catalogue: Option<&Path>,
    criteria: Option<&Path>,
) -> Result<Engine> {
    let user_file = |path: Option<&Path>, what: &str| -> Result<Option<UserFile>> {
        let Some(path) = path else { return Ok(None) };
        Ok(Some(UserFile {
            name: path.display().to_string(),
            text: super::common::read_user_file(path, what)?,
        }))
    };
    let load = super::common::load_options();
    let dataset = super::common::load_dataset_with(paths, &load)?;
    let engine = Engine::from_dataset(
        dataset,
        &EngineOptions {
            load,
            catalogue: user_file(catalogue, "catalogue")?,
            criteria: user_file(criteria, "criteria")?,
        },
    )?;
    super::common::report_rejections(engine.report());
    Ok(engine)
}

pub(crate) fn parse_lang(text: &str) -> Result<Lang> {
    Lang::from_code(text).with_context(|| format!("--lang {text:?}: expected kk, ru, en or ky"))
}

pub(crate) fn check_format(format: &str, allowed: &[&str]) -> Result<String> {
    let f = format.trim().to_ascii_lowercase();
    if !allowed.contains(&f.as_str()) {
        bail!(
            "--format {format:?}: expected one of {}",
            allowed.join(", ")
        );
    }
    Ok(f)
}

/// A number for CSV and tables: empty when absent, up to 6 significant decimals.
pub(crate) fn num(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => {
            let s = format!("{x:.6}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" {
                "0".into()
            } else {
                s.to_string()
            }
        }
        _ => String::new(),
    }
}

/// A number for machine-readable output (CSV): the shortest text that reads
/// back to the same `f64`; empty when absent or not finite. Tables and
/// sentences round ([`num`]); CSV and JSON never do.
pub(crate) fn full(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => x.to_string(),
        _ => String::new(),
    }
}

/// The common path of the engine commands: check `--format` against
/// `allowed` and `--lang`, load the data into an engine, write the answer
/// with `run` to stdout and flush.
pub fn with_engine(
    data: &[PathBuf],
    format: &str,
    allowed: &[&str],
    lang: &str,
    run: impl FnOnce(&Engine, &str, Lang, &mut dyn Write) -> Result<()>,
) -> Result<ExitCode> {
    let format = check_format(format, allowed)?;
    let lang = parse_lang(lang)?;
    let engine = load_engine(data)?;
    let mut out = open_output(None)?;
    run(&engine, &format, lang, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn trend(args: TrendArgs) -> Result<ExitCode> {
    with_engine(
        &args.data,
        &args.format,
        &["table", "json"],
        &args.lang,
        |engine, format, lang, out| run_trend(engine, &args, format, lang, out),
    )
}

/// Writes the dynamic analysis of one indicator of one unit.
pub fn run_trend(
    engine: &Engine,
    args: &TrendArgs,
    format: &str,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<()> {
    super::common::org_of(engine.dataset(), "--org", &args.org)?;
    super::common::check_indicator(engine.catalogue(), "--indicator", &args.indicator)?;
    let report = match &args.programme {
        Some(p) => engine.programme_trend(&args.org, p, &args.indicator)?,
        None => engine.trend(&args.org, &args.indicator)?,
    };
    let org = engine.org(&args.org)?;
    let (_, def) = engine.indicator_def(&args.indicator)?;
    let (series, analysis) = (report.series, report.analysis);
    let subject = subject_of(def);
    let sentence = match &analysis {
        Ok(a) => kpi_summary::trend_summary_checked(&subject, &a.trend, &a.mann_kendall, lang),
        Err(e) => e.to_string(),
    };
    // The forecast is the engine's, already within the unit's bounds.
    let forecast_sentence = analysis
        .as_ref()
        .ok()
        .and_then(|a| a.forecast.as_ref().ok())
        .and_then(|f| kpi_summary::forecast_sentence(&subject, f, lang));
    let cagr_sentence = analysis
        .as_ref()
        .ok()
        .map(|a| kpi_summary::cagr_sentence(&subject, &a.cagr, lang));
    if format == "json" {
        let json = serde_json::json!({
            "org_id": args.org,
            "programme": args.programme,
            "indicator": def.code,
            "unit": def.unit.code(),
            "direction": def.direction,
            "series": series.iter().map(|(y, o)| serde_json::json!({
                "year": y, "value": o.value(), "reason": o.reason().map(|r| r.to_string()),
            })).collect::<Vec<_>>(),
            "analysis": match &analysis { Ok(a) => serde_json::to_value(a)?, Err(e) => serde_json::to_value(e)? },
            "summary": sentence,
            "forecast_summary": forecast_sentence,
            "cagr_summary": cagr_sentence,
        });
        serde_json::to_writer_pretty(&mut *out, &json)?;
        writeln!(out)?;
        return Ok(());
    }
    let org_name = engine.dataset().org(org).display_name(lang);
    writeln!(
        out,
        "{} · {} ({})",
        org_name,
        def.label(lang),
        def.unit.code()
    )?;
    writeln!(
        out,
        "{:<11} {:>12} {:>12} {:>10} {:>12}",
        "year", "value", "change", "index", "3y average"
    )?;
    let rows = analysis
        .as_ref()
        .map(|a| a.years.clone())
        .unwrap_or_default();
    for (year, outcome) in &series {
        let row = rows.iter().find(|r| r.year == *year);
        let value = match outcome.value() {
            Some(v) => num(Some(v)),
            None => format!(
                "n/c: {}",
                outcome.reason().map(|r| r.to_string()).unwrap_or_default()
            ),
        };
        writeln!(
            out,
            "{:<11} {:>12} {:>12} {:>10} {:>12}",
            academic_year_label(*year),
            value,
            num(row.and_then(|r| r.change.as_ref().ok().map(|c| c.absolute))),
            num(row.and_then(|r| r.index.as_ref().ok().copied())),
            num(row.and_then(|r| r.moving_average.as_ref().ok().map(|m| m.value))),
        )?;
    }
    let Ok(a) = &analysis else {
        writeln!(out, "{sentence}")?;
        return Ok(());
    };
    match &a.cagr {
        Ok(c) => writeln!(
            out,
            "CAGR: {:.2}% a year ({}–{})",
            100.0 * c.rate,
            c.first_year,
            c.last_year
        )?,
        Err(e) => writeln!(out, "CAGR: not computable ({e})")?,
    }
    match &a.trend {
        Ok(t) => writeln!(
            out,
            "OLS trend: slope {} per year, 95% CI [{}, {}], p = {}, R² = {}, n = {} → {:?}",
            num(Some(t.slope)),
            num(Some(t.slope_ci.lower)),
            num(Some(t.slope_ci.upper)),
            num(Some(t.p_value)),
            num(t.r_squared.as_ref().ok().copied()),
            t.n,
            t.verdict
        )?,
        Err(e) => writeln!(out, "OLS trend: not computable ({e})")?,
    }
    match &a.mann_kendall {
        Ok(m) => writeln!(
            out,
            "Mann–Kendall: S = {}, Var(S) = {}, z = {}, p = {}; Sen's slope {} per year → {:?}",
            m.s,
            num(Some(m.var_s)),
            num(Some(m.z)),
            num(Some(m.p_value)),
            num(Some(m.sen_slope)),
            m.verdict
        )?,
        Err(e) => writeln!(out, "Mann–Kendall: not computable ({e})")?,
    }
    match &a.forecast {
        Ok(f) => {
            for p in &f.points {
                writeln!(
                    out,
                    "Forecast {}: {} (95% prediction interval {} – {})",
                    academic_year_label(p.year),
                    num(Some(p.value)),
                    num(Some(p.lower)),
                    num(Some(p.upper))
                )?;
            }
        }
        Err(e) => writeln!(out, "Forecast: not computable ({e})")?,
    }
    match &a.signals {
        Ok(s) if s.fired.is_empty() => {
            writeln!(out, "Signals: none in {}", academic_year_label(s.year))?
        }
        Ok(s) => {
            for f in &s.fired {
                writeln!(
                    out,
                    "Signal {}: {:?}, observed {}, expected {}, bound {} ({:?})",
                    academic_year_label(f.year),
                    f.rule,
                    num(Some(f.observed)),
                    num(Some(f.expected)),
                    num(Some(f.bound)),
                    f.assessment
                )?;
            }
        }
        Err(e) => writeln!(out, "Signals: not computable ({e})")?,
    }
    writeln!(out, "{sentence}")?;
    if let Some(c) = cagr_sentence {
        writeln!(out, "{c}")?;
    }
    if let Some(f) = forecast_sentence {
        writeln!(out, "{f}")?;
    }
    Ok(())
}

/// The CSV columns of `kpi compare`. For rate indicators, `successes`,
/// `trials`, the 95% Wilson interval (`wilson_lower`, `wilson_upper`, in the
/// indicator's unit) and `vs_peer_median` (`significantly_better`,
/// `significantly_worse`, `not_significant`), or `significance_not_computable`
/// with the reason; empty for other indicators and rows without a value.
pub const COMPARE_CSV_COLUMNS: [&str; 13] = [
    "org_id",
    "value",
    "percentile",
    "z",
    "robust_z",
    "rank",
    "outlier",
    "successes",
    "trials",
    "wilson_lower",
    "wilson_upper",
    "vs_peer_median",
    "significance_not_computable",
];

/// The code of a verdict against the peer median.
fn verdict_code(v: kpi_stats::comparative::RateVerdict) -> &'static str {
    use kpi_stats::comparative::RateVerdict as V;
    match v {
        V::SignificantlyBetter => "significantly_better",
        V::SignificantlyWorse => "significantly_worse",
        V::NotSignificant => "not_significant",
    }
}

pub fn compare(args: CompareArgs) -> Result<ExitCode> {
    with_engine(
        &args.data,
        &args.format,
        &["table", "csv", "json"],
        &args.lang,
        |engine, format, lang, out| run_compare(engine, &args, format, lang, out),
    )
}

/// Writes the peer comparison of one indicator in one year.
pub fn run_compare(
    engine: &Engine,
    args: &CompareArgs,
    format: &str,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<()> {
    if let Some(org) = &args.org {
        super::common::org_of(engine.dataset(), "--org", org)?;
    }
    super::common::check_indicator(engine.catalogue(), "--indicator", &args.indicator)?;
    let peers = args.peers.trim().to_ascii_lowercase();
    if peers != "level" && args.org.is_none() {
        bail!("--peers {peers} compares with an organisation's {peers}: give --org ID");
    }
    let base = ViewRequest {
        kind: ChartKind::Compare,
        org: args.org.clone(),
        indicator: Some(args.indicator.clone()),
        year: Some(args.year),
        peers: Some(PeersArg::Word(args.peers.clone())),
        ..Default::default()
    };
    // Without an organisation, every level the indicator applies to is a peer group.
    let requests: Vec<ViewRequest> = match (&args.org, &args.level) {
        (Some(_), _) => vec![base],
        (None, Some(level)) => vec![ViewRequest {
            peers: Some(PeersArg::Spec(PeerSpec {
                level: Some(parse_level(level)?),
                ..Default::default()
            })),
            ..base
        }],
        (None, None) => {
            let (_, def) = engine.indicator_def(&args.indicator)?;
            def.levels
                .iter()
                .filter(|l| engine.dataset().orgs_of_level(**l).next().is_some())
                .map(|l| ViewRequest {
                    peers: Some(PeersArg::Spec(PeerSpec {
                        level: Some(*l),
                        ..Default::default()
                    })),
                    ..base.clone()
                })
                .collect()
        }
    };
    let comparisons = requests
        .iter()
        .map(|r| engine.comparison(r))
        .collect::<Result<Vec<_>, _>>()?;
    if format == "json" {
        serde_json::to_writer_pretty(&mut *out, &comparisons)?;
        writeln!(out)?;
        return Ok(());
    }
    if format == "csv" {
        writeln!(out, "{}", COMPARE_CSV_COLUMNS.join(","))?;
    }
    for c in &comparisons {
        write_comparison(c, format, lang, out)?;
    }
    Ok(())
}

fn write_comparison(
    c: &kpi_engine::Comparison,
    format: &str,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        "csv" => {
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(out);
            for r in &c.rows {
                let sig = match &r.significance {
                    Some(Ok(s)) => [
                        full(Some(s.successes)),
                        full(Some(s.trials)),
                        full(Some(s.interval.lower)),
                        full(Some(s.interval.upper)),
                        verdict_code(s.verdict).to_string(),
                        String::new(),
                    ],
                    Some(Err(e)) => [
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        e.to_string(),
                    ],
                    None => Default::default(),
                };
                let [s1, s2, s3, s4, s5, s6] = sig;
                w.write_record([
                    r.org_id.clone(),
                    full(r.value),
                    full(r.percentile),
                    full(r.z),
                    full(r.robust_z),
                    r.rank.map(|x| x.to_string()).unwrap_or_default(),
                    r.outlier.to_string(),
                    s1,
                    s2,
                    s3,
                    s4,
                    s5,
                    s6,
                ])?;
            }
            w.flush()?;
        }
        _ => {
            writeln!(
                out,
                "{} · {} · n = {} · median {}",
                c.indicator.name(lang),
                c.peer_group.get(lang),
                c.n,
                num(c.median)
            )?;
            writeln!(
                out,
                "{:>5}  {:<14} {:<40} {:>10} {:>10} {:>8} {:>9}  {:<7}  vs median (95% Wilson)",
                "rank", "org_id", "name", "value", "percentile", "z", "robust_z", "outlier"
            )?;
            for r in &c.rows {
                let name: String = r.name.get(lang).chars().take(40).collect();
                let vs = match &r.significance {
                    Some(Ok(s)) => format!(
                        "{} [{}–{}]",
                        match s.verdict {
                            kpi_stats::comparative::RateVerdict::SignificantlyBetter => "better",
                            kpi_stats::comparative::RateVerdict::SignificantlyWorse => "worse",
                            kpi_stats::comparative::RateVerdict::NotSignificant => "n.s.",
                        },
                        num(Some((s.interval.lower * 10.0).round() / 10.0)),
                        num(Some((s.interval.upper * 10.0).round() / 10.0))
                    ),
                    Some(Err(_)) => "n/c".into(),
                    None => String::new(),
                };
                writeln!(
                    out,
                    "{:>5}{} {:<14} {:<40} {:>10} {:>10} {:>8} {:>9}  {:<7}  {vs}",
                    r.rank.map(|x| x.to_string()).unwrap_or_else(|| "-".into()),
                    if r.highlight { "*" } else { " " },
                    r.org_id,
                    name,
                    match r.value {
                        Some(_) => num(r.value),
                        None => "n/c".into(),
                    },
                    num(r.percentile.map(|p| (p * 10.0).round() / 10.0)),
                    num(r.z.map(|p| (p * 100.0).round() / 100.0)),
                    num(r.robust_z.map(|p| (p * 100.0).round() / 100.0)),
                    if r.outlier { "yes" } else { "" }
                )?;
            }
            if let Some(s) = &c.summary {
                writeln!(out, "{}", s.get(lang))?;
            }
        }
    }
    Ok(())
}

pub fn rank(args: RankArgs) -> Result<ExitCode> {
    let format = check_format(&args.format, &["table", "csv", "json"])?;
    let engine = load_engine(&args.data)?;
    let weights = match &args.weights {
        Some(path) => Some(read_weights(path)?),
        None => None,
    };
    let levels: Vec<Level> = match &args.level {
        Some(l) => vec![parse_level(l)?],
        None => Level::ALL
            .into_iter()
            .filter(|l| engine.dataset().orgs_of_level(*l).next().is_some())
            .collect(),
    };
    let mut out = open_output(None)?;
    run_rank(
        &engine,
        args.year,
        &levels,
        weights.as_ref(),
        &format,
        &mut out,
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn read_weights(path: &Path) -> Result<kpi_stats::Weights> {
    let text = super::common::read_user_file(path, "weights")?;
    Ok(parse_weights(&text, &path.display().to_string())?)
}

/// The CSV columns of `kpi rank`.
/// `reason` is empty for ranked organisations; for the others it says why
/// they are not ranked (too little of the weight computable, or no indicator
/// of the index computable at all).
pub const RANK_CSV_COLUMNS: [&str; 6] = ["level", "org_id", "rank", "index", "coverage", "reason"];

/// Why an organisation with no value for any indicator of the index is not
/// ranked: the first indicator's reason as an example.
fn no_indicator_reason(
    engine: &Engine,
    ids: &[kpi_indicators::IndicatorId],
    org: OrgIdx,
    year: Year,
) -> String {
    let unit = engine.dataset().org_unit(org);
    let example = ids.iter().find_map(|&i| {
        let code = engine.indicators().def(i)?.code.clone();
        let why = engine
            .indicators()
            .get(i, unit, year)
            .and_then(|o| o.reason().map(|r| r.to_string()))?;
        Some(format!("{code}: {why}"))
    });
    match example {
        Some(e) => format!(
            "no indicator of the index computable ({} indicators; e.g. {e})",
            ids.len()
        ),
        None => format!(
            "no indicator of the index computable ({} indicators)",
            ids.len()
        ),
    }
}

/// Ranks the organisations of each level by the composite index.
pub fn run_rank(
    engine: &Engine,
    year: Year,
    levels: &[Level],
    weights: Option<&kpi_stats::Weights>,
    format: &str,
    out: &mut dyn Write,
) -> Result<()> {
    if !engine.dataset().years().contains(year) {
        bail!(
            "--year {year}: the dataset covers {}–{}",
            engine.dataset().years().first,
            engine.dataset().years().last
        );
    }
    let mut json_levels = Vec::new();
    if format == "csv" {
        writeln!(out, "{}", RANK_CSV_COLUMNS.join(","))?;
    }
    for &level in levels {
        let orgs: Vec<OrgIdx> = engine.dataset().orgs_of_level(level).collect();
        let ids: Vec<_> = match weights {
            Some(w) => w
                .iter()
                .filter_map(|(code, _)| engine.indicators().indicator(code))
                .filter(|&i| {
                    engine
                        .indicators()
                        .def(i)
                        .is_some_and(|d| d.applies_to(level))
                })
                .collect(),
            None => engine
                .catalogue()
                .iter()
                .filter(|(_, d)| d.applies_to(level) && d.per.organisations())
                .map(|(i, _)| i)
                .collect(),
        };
        let values: Vec<Vec<(String, f64)>> = ids
            .iter()
            .map(|&i| {
                orgs.iter()
                    .filter_map(|&o| {
                        let unit = engine.dataset().org_unit(o);
                        engine
                            .indicators()
                            .value(i, unit, year)
                            .map(|v| (engine.dataset().org(o).id.clone(), v))
                    })
                    .collect()
            })
            .collect();
        let indicators: Vec<CompositeIndicator<'_, String>> = ids
            .iter()
            .zip(&values)
            .filter_map(|(&i, v)| {
                let d = engine.indicators().def(i)?;
                Some(CompositeIndicator {
                    code: d.code.as_str(),
                    family: d.family,
                    direction: d.direction,
                    values: v,
                })
            })
            .collect();
        let index = match composite_index(&indicators, weights, &CompositeOptions::default()) {
            Ok(i) => i,
            Err(e) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "kpi: {}: composite index not computable ({e})",
                    level.code()
                );
                continue;
            }
        };
        // Organisations with no value for any indicator of the index do not
        // appear in it: they are listed as unranked with the reason.
        let listed: std::collections::HashSet<&str> = index
            .ranked
            .iter()
            .chain(&index.unranked)
            .map(|e| e.id.as_str())
            .collect();
        let no_value: Vec<(String, String)> = orgs
            .iter()
            .filter(|&&o| !listed.contains(engine.dataset().org(o).id.as_str()))
            .map(|&o| {
                (
                    engine.dataset().org(o).id.clone(),
                    no_indicator_reason(engine, &ids, o, year),
                )
            })
            .collect();
        let low_coverage = |coverage: f64| {
            format!(
                "{}% of the index weight computable, {}% needed",
                num(Some((1000.0 * coverage).round() / 10.0)),
                num(Some((1000.0 * index.min_coverage).round() / 10.0))
            )
        };
        match format {
            "json" => {
                let not_ranked: Vec<serde_json::Value> = no_value
                    .iter()
                    .map(|(id, why)| serde_json::json!({"org_id": id, "reason": why}))
                    .collect();
                json_levels.push(serde_json::json!({
                    "level": level, "year": year, "index": index, "no_computable_indicator": not_ranked,
                }))
            }
            "csv" => {
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(&mut *out);
                for e in index.ranked.iter().chain(&index.unranked) {
                    w.write_record([
                        level.code().to_string(),
                        e.id.clone(),
                        e.rank.map(|r| r.to_string()).unwrap_or_default(),
                        full(e.index.as_ref().ok().copied()),
                        full(Some(e.coverage)),
                        match e.rank {
                            Some(_) => String::new(),
                            None => low_coverage(e.coverage),
                        },
                    ])?;
                }
                for (id, why) in &no_value {
                    w.write_record([
                        level.code().to_string(),
                        id.clone(),
                        String::new(),
                        String::new(),
                        "0".to_string(),
                        why.clone(),
                    ])?;
                }
                w.flush()?;
            }
            _ => {
                writeln!(
                    out,
                    "{} {} · composite index of {} indicators · {} ranked, {} unranked (< {:.0}% of the weight computable), {} with no computable indicator",
                    level.code(),
                    academic_year_label(year),
                    index.components.iter().filter(|c| c.excluded.is_none()).count(),
                    index.ranked.len(),
                    index.unranked.len(),
                    100.0 * index.min_coverage,
                    no_value.len()
                )?;
                for c in &index.components {
                    writeln!(
                        out,
                        "  {:<34} {:<11} weight {:>6}  n = {}{}",
                        c.code,
                        c.family.code(),
                        num(Some(c.weight)),
                        c.n,
                        c.excluded
                            .map(|x| format!("  (excluded: {x:?})"))
                            .unwrap_or_default()
                    )?;
                }
                writeln!(
                    out,
                    "{:>5}  {:<14} {:<40} {:>7} {:>9}",
                    "rank", "org_id", "name", "index", "coverage"
                )?;
                for e in index.ranked.iter().chain(&index.unranked) {
                    let name: String = engine
                        .dataset()
                        .org_by_id(&e.id)
                        .map(|o| {
                            engine
                                .dataset()
                                .org(o)
                                .display_name(Lang::En)
                                .chars()
                                .take(40)
                                .collect()
                        })
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "{:>5}  {:<14} {:<40} {:>7} {:>8.0}%",
                        e.rank.map(|r| r.to_string()).unwrap_or_else(|| "-".into()),
                        e.id,
                        name,
                        num(e.index.as_ref().ok().map(|x| (x * 10.0).round() / 10.0)),
                        100.0 * e.coverage
                    )?;
                }
                for (id, why) in &no_value {
                    writeln!(out, "{:>5}  {:<14} not ranked: {why}", "-", id)?;
                }
                writeln!(out)?;
            }
        }
    }
    if format == "json" {
        serde_json::to_writer_pretty(&mut *out, &json_levels)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The CSV columns of `kpi gaps`: one row per group, full precision.
pub const GAPS_CSV_COLUMNS: [&str; 10] = [
    "group",
    "n",
    "mean",
    "median",
    "sd",
    "mean_ci95_low",
    "mean_ci95_high",
    "mean_minus_overall",
    "median_minus_overall",
    "best_or_worst",
];

pub fn gaps(args: GapsArgs) -> Result<ExitCode> {
    with_engine(
        &args.data,
        &args.format,
        &["table", "csv", "json"],
        &args.lang,
        |engine, format, lang, out| run_gaps(engine, &args, format, lang, out),
    )
}

/// Writes the gaps of one indicator across groups of one level and year.
pub fn run_gaps(
    engine: &Engine,
    args: &GapsArgs,
    format: &str,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<()> {
    let by = kpi_engine::GapBy::from_code(&args.by).with_context(|| {
        format!(
            "--by {:?}: expected locality, ownership, region or sex",
            args.by
        )
    })?;
    let level = parse_level(&args.level)?;
    let report = engine.gaps(&args.indicator, args.year, level, by)?;
    if format == "json" {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    let role = |g: &str, gaps: &kpi_stats::comparative::GroupGaps<String>| {
        if g == gaps.best {
            "best"
        } else if g == gaps.worst {
            "worst"
        } else {
            ""
        }
    };
    if format == "csv" {
        let mut w = csv::Writer::from_writer(&mut *out);
        w.write_record(GAPS_CSV_COLUMNS)?;
        if let Ok(g) = &report.gaps {
            for s in &g.groups {
                w.write_record([
                    s.group.clone(),
                    s.n.to_string(),
                    full(Some(s.mean)),
                    full(Some(s.median)),
                    full(s.sd.as_ref().ok().copied()),
                    full(s.mean_ci95.as_ref().ok().map(|c| c.0)),
                    full(s.mean_ci95.as_ref().ok().map(|c| c.1)),
                    full(Some(s.mean_minus_overall)),
                    full(Some(s.median_minus_overall)),
                    role(&s.group, g).to_string(),
                ])?;
            }
        }
        w.flush()?;
        return Ok(());
    }
    writeln!(
        out,
        "{} · {} {} · by {} · {} with a value, {} without, {} without a group",
        report.indicator,
        level.code(),
        academic_year_label(args.year),
        args.by,
        report.with_value,
        report.without_value,
        report.without_group
    )?;
    if let Ok(g) = &report.gaps {
        writeln!(
            out,
            "{:<24} {:>6} {:>12} {:>12} {:>10} {:>25} {:>12}",
            "group", "n", "mean", "median", "sd", "95% CI of mean", "vs overall"
        )?;
        for s in &g.groups {
            let ci = match &s.mean_ci95 {
                Ok((lo, hi)) => format!("{} – {}", num(Some(*lo)), num(Some(*hi))),
                Err(_) => "—".to_string(),
            };
            writeln!(
                out,
                "{:<24} {:>6} {:>12} {:>12} {:>10} {:>25} {:>12}  {}",
                kpi_engine::group_name(&s.group, lang),
                s.n,
                num(Some(s.mean)),
                num(Some(s.median)),
                num(s.sd.as_ref().ok().copied()),
                ci,
                num(Some(s.mean_minus_overall)),
                role(&s.group, g)
            )?;
        }
        if let Some(p) = &g.pair {
            match &p.welch {
                Ok(t) => writeln!(
                    out,
                    "difference {} (median {}); Welch t = {}, df = {}, p = {}",
                    num(Some(p.mean_difference)),
                    num(Some(p.median_difference)),
                    num(Some(t.t)),
                    num(Some(t.df)),
                    num(Some(t.p_value))
                )?,
                Err(e) => writeln!(
                    out,
                    "difference {} (median {}); Welch t-test not computable ({e})",
                    num(Some(p.mean_difference)),
                    num(Some(p.median_difference))
                )?,
            }
        }
    }
    writeln!(out, "{}", report.summary.get(lang))?;
    Ok(())
}

pub fn report(args: ReportArgs) -> Result<ExitCode> {
    let lang = parse_lang(&args.lang)?;
    let engine = load_engine_with(
        &args.data,
        args.catalogue.as_deref(),
        args.criteria.as_deref(),
    )?;
    super::common::org_of(engine.dataset(), "--org", &args.org)?;
    let html = report_html::render(&engine, &args.org, lang)?;
    std::fs::write(&args.out, html)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let _ = writeln!(
        std::io::stderr(),
        "kpi: report written to {}",
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kpi_indicators::Catalogue;
    use kpi_model::DatasetBuilder;
    use kpi_risk::CriteriaSet;

    /// Employment 50 % (2020), 55 % (2021), 60.5 % (2022) of 200 graduates:
    /// CAGR by hand (60.5 / 50)^(1/2) − 1 = √1.21 − 1 = 0.1, +10.0 % a year.
    /// A first value of 0 makes it not computable.
    #[test]
    fn trend_says_the_cagr_in_three_languages() {
        let engine = |first: f64| {
            let ds = DatasetBuilder::new(2020, 2022)
                .org("C1", Level::College, "Abai")
                .series("C1", None, "graduates", 2020, &[200.0, 200.0, 200.0])
                .series(
                    "C1",
                    None,
                    "graduates_employed",
                    2020,
                    &[first, 110.0, 121.0],
                )
                .build();
            let report = ds.report().clone();
            Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin())
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let args = TrendArgs {
            data: vec![],
            org: "C1".into(),
            indicator: "employment_rate".into(),
            programme: None,
            lang: "kk".into(),
            format: "table".into(),
        };
        let run = |e: &Engine, lang: Lang| {
            let mut out = Vec::new();
            run_trend(e, &args, "table", lang, &mut out).unwrap_or_else(|e| panic!("{e}"));
            String::from_utf8(out).unwrap_or_default()
        };
        let e = engine(100.0);
        let en = run(&e, Lang::En);
        assert!(
            en.contains(": from 2020 to 2022 the value changed by +10.0% a year on average (compound annual growth rate; 50.0% → 60.5%).\n"),
            "{en}"
        );
        let ru = run(&e, Lang::Ru);
        assert!(
            ru.contains(": с 2020 по 2022 год значение менялось в среднем на +10,0% в год (среднегодовой темп прироста; 50,0% → 60,5%).\n"),
            "{ru}"
        );
        let kk = run(&e, Lang::Kk);
        assert!(
            kk.contains(": 2020–2022 жылдары мән жылына орта есеппен +10,0% өзгерді (орташа жылдық өсу қарқыны; 50,0% → 60,5%).\n"),
            "{kk}"
        );
        let zero = run(&engine(0.0), Lang::En);
        assert!(
            zero.contains(": the compound annual growth rate is not computable (the value in 2020 is 0.00, not positive).\n"),
            "{zero}"
        );
    }

    /// Colleges C1–C5 with 160, 150, 140, 130, 100 of 200 graduates employed
    /// (80, 75, 70, 65, 50 %; peer median 70) and C6 with no graduates. The
    /// 95% Wilson intervals, from the score formula in Python
    /// (z = 1.959963984540054): 160/200 → 73.91448134346213–84.95479907390188
    /// (above 70: better), 150/200 → 68.56590168795417–80.4918319931825,
    /// 130/200 → 58.163464336040086–71.27117587264192 (both reach 70: not
    /// significant), 100/200 → 43.13608596038919–56.86391403961082 (worse).
    #[test]
    fn compare_marks_rates_significantly_off_the_peer_median() {
        let mut b = DatasetBuilder::new(2023, 2023);
        for (id, employed, graduates) in [
            ("C1", 160.0, 200.0),
            ("C2", 150.0, 200.0),
            ("C3", 140.0, 200.0),
            ("C4", 130.0, 200.0),
            ("C5", 100.0, 200.0),
            ("C6", 0.0, 0.0),
        ] {
            b = b
                .org(id, Level::College, "Abai")
                .value(id, None, 2023, "graduates", graduates)
                .value(id, None, 2023, "graduates_employed", employed);
        }
        let ds = b.build();
        let report = ds.report().clone();
        let engine = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin())
            .unwrap_or_else(|e| panic!("{e}"));
        let args = CompareArgs {
            data: vec![],
            indicator: "employment_rate".into(),
            year: 2023,
            peers: "level".into(),
            org: Some("C1".into()),
            level: None,
            lang: "en".into(),
            format: "csv".into(),
        };
        let mut out = Vec::new();
        run_compare(&engine, &args, "csv", Lang::En, &mut out).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(out).unwrap_or_default();
        let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
        assert_eq!(rows[0], COMPARE_CSV_COLUMNS);
        let row = |id: &str| {
            rows.iter()
                .find(|r| r[0] == id)
                .cloned()
                .unwrap_or_else(|| panic!("no {id} in\n{text}"))
        };
        let f = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
        for (id, employed, lower, upper, verdict) in [
            (
                "C1",
                "160",
                73.91448134346213,
                84.95479907390188,
                "significantly_better",
            ),
            (
                "C2",
                "150",
                68.56590168795417,
                80.4918319931825,
                "not_significant",
            ),
            (
                "C4",
                "130",
                58.163464336040086,
                71.27117587264192,
                "not_significant",
            ),
            (
                "C5",
                "100",
                43.13608596038919,
                56.86391403961082,
                "significantly_worse",
            ),
        ] {
            let r = row(id);
            assert_eq!((r[7], r[8]), (employed, "200"), "{id}");
            assert!((f(r[9]) - lower).abs() < 1e-9, "{id} {}", r[9]);
            assert!((f(r[10]) - upper).abs() < 1e-9, "{id} {}", r[10]);
            assert_eq!(r[11], verdict, "{id}");
        }
        // No graduates: no value, so no significance either (the value's reason says why).
        assert_eq!(row("C6")[7..], ["", "", "", "", "", ""]);
        let mut out = Vec::new();
        let table = CompareArgs {
            format: "table".into(),
            ..args
        };
        run_compare(&engine, &table, "table", Lang::En, &mut out).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(out).unwrap_or_default();
        assert!(text.contains("better [73.9–85]"), "{text}");
        assert!(text.contains("worse [43.1–56.9]"), "{text}");
        assert!(
            text.contains("(160 of 200; 95% interval 73.9–85.0%), significantly better than the peer median (70.0%)."),
            "{text}"
        );
    }

    /// Three colleges in 2023, ranked by employment only: C1 60 %, C2 80 % (min–max
    /// normalised: 0 and 100), C3 without graduates data (no indicator computable).
    #[test]
    fn rank_lists_organisations_without_a_computable_indicator_with_the_reason() {
        let ds = DatasetBuilder::new(2023, 2023)
            .org("C1", Level::College, "Astana")
            .org("C2", Level::College, "Astana")
            .org("C3", Level::College, "Astana")
            .value("C1", None, 2023, "graduates", 100.0)
            .value("C1", None, 2023, "graduates_employed", 60.0)
            .value("C2", None, 2023, "graduates", 50.0)
            .value("C2", None, 2023, "graduates_employed", 40.0)
            .value("C3", None, 2023, "students_enrolled", 300.0)
            .build();
        let report = ds.report().clone();
        let engine = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin())
            .unwrap_or_else(|e| panic!("{e}"));
        let weights =
            parse_weights("employment_rate = 1\n", "w.toml").unwrap_or_else(|e| panic!("{e}"));
        let mut out = Vec::new();
        run_rank(
            &engine,
            2023,
            &[Level::College],
            Some(&weights),
            "csv",
            &mut out,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(out).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "level,org_id,rank,index,coverage,reason");
        assert_eq!(lines[1], "college,C2,1,100,1,");
        assert_eq!(lines[2], "college,C1,2,0,1,");
        assert!(
            lines[3].starts_with(
                "college,C3,,,0,no indicator of the index computable (1 indicators; e.g. employment_rate: "
            ),
            "{}",
            lines[3]
        );
        assert!(lines[3].contains("graduates"), "{}", lines[3]);
        assert_eq!(lines.len(), 4);
        // The table and the JSON say the same.
        let mut out = Vec::new();
        run_rank(
            &engine,
            2023,
            &[Level::College],
            Some(&weights),
            "table",
            &mut out,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let table = String::from_utf8(out).unwrap_or_default();
        assert!(table.contains("1 with no computable indicator"), "{table}");
        assert!(
            table.contains("C3             not ranked: no indicator"),
            "{table}"
        );
        let mut out = Vec::new();
        run_rank(
            &engine,
            2023,
            &[Level::College],
            Some(&weights),
            "json",
            &mut out,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        assert_eq!(v[0]["no_computable_indicator"][0]["org_id"], "C3");
    }

    /// Urban colleges 80, 84, 82, 79.5 %, rural 70, 66, 71 % (200 graduates each).
    /// By hand: urban mean 81.375, median 81, SD √(12.6875 / 3) = 2.0565; rural mean 69,
    /// median 70, SD √7 = 2.6458; overall mean 532.5 / 7 = 76.0714.
    #[test]
    fn gaps_csv_and_table() {
        use kpi_model::{Locality, Organisation};
        let mut b = DatasetBuilder::new(2023, 2023);
        for (id, loc, employed) in [
            ("U1", Locality::Urban, 160.0),
            ("U2", Locality::Urban, 168.0),
            ("U3", Locality::Urban, 164.0),
            ("U4", Locality::Urban, 159.0),
            ("R1", Locality::Rural, 140.0),
            ("R2", Locality::Rural, 132.0),
            ("R3", Locality::Rural, 142.0),
        ] {
            b = b
                .organisation(Organisation {
                    id: id.into(),
                    name: id.into(),
                    name_kk: None,
                    name_ru: None,
                    name_en: None,
                    level: Level::College,
                    region: "Abai".into(),
                    ownership: None,
                    locality: Some(loc),
                })
                .value(id, None, 2023, "graduates", 200.0)
                .value(id, None, 2023, "graduates_employed", employed);
        }
        let ds = b.build();
        let report = ds.report().clone();
        let engine = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin())
            .unwrap_or_else(|e| panic!("{e}"));
        let args = GapsArgs {
            data: vec![],
            indicator: "employment_rate".into(),
            year: 2023,
            level: "college".into(),
            by: "locality".into(),
            lang: "en".into(),
            format: "csv".into(),
        };
        let mut out = Vec::new();
        run_gaps(&engine, &args, "csv", Lang::En, &mut out).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(out).unwrap_or_default();
        let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
        assert_eq!(rows[0], GAPS_CSV_COLUMNS);
        assert_eq!(rows[1][..4], ["rural", "3", "69", "70"]);
        assert_eq!(rows[2][..4], ["urban", "4", "81.375", "81"]);
        let f = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
        assert!((f(rows[1][4]) - 7f64.sqrt()).abs() < 1e-12);
        assert!((f(rows[2][4]) - (12.6875f64 / 3.0).sqrt()).abs() < 1e-12);
        // The 95% interval of the mean (scipy.stats.t.interval(0.95, n - 1, mean, sd / √n)).
        for (r, c, want) in [
            (1, 5, 62.42758939227157),
            (1, 6, 75.57241060772843),
            (2, 5, 78.10265948419756),
            (2, 6, 84.64734051580244),
        ] {
            assert!((f(rows[r][c]) - want).abs() < 1e-9, "{}", rows[r][c]);
        }
        assert!((f(rows[2][7]) - (81.375 - 532.5 / 7.0)).abs() < 1e-12);
        assert_eq!((rows[1][9], rows[2][9]), ("worst", "best"));
        // Full precision: more than six decimals where the value has them.
        assert!(rows[1][4].len() > 10, "{}", rows[1][4]);
        let mut out = Vec::new();
        run_gaps(&engine, &args, "table", Lang::Ru, &mut out).unwrap_or_else(|e| panic!("{e}"));
        let table = String::from_utf8(out).unwrap_or_default();
        assert!(table.contains("городские"), "{table}");
        assert!(
            table.contains("Welch t = -6.720558, df = 3.714674"),
            "{table}"
        );
        assert!(
            table
                .trim_end()
                .ends_with("Различие значимо (t-критерий Уэлча, p = 0,003)."),
            "{table}"
        );
        let bad = GapsArgs {
            by: "gender".into(),
            ..args
        };
        let err = run_gaps(&engine, &bad, "csv", Lang::En, &mut Vec::new())
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("expected locality, ownership, region or sex"),
            "{err}"
        );
    }

    #[test]
    fn machine_readable_numbers_keep_every_digit() {
        assert_eq!(full(Some(0.1 + 0.2)), "0.30000000000000004");
        assert_eq!(full(Some(-1.2345678901234567)), "-1.2345678901234567");
        assert_eq!(full(Some(f64::NAN)), "");
        assert_eq!(full(None), "");
        // Tables round.
        assert_eq!(num(Some(-1.2345678901234567)), "-1.234568");
    }
}
