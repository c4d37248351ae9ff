//! `kpi indicators`, `kpi catalogue`.
//!
//! The commands' logic takes a loaded [`Dataset`] and a writer, so it is
//! tested without files; `indicators` and `catalogue` only load and open.

use anyhow::{bail, Context, Result};
use clap::Args;
use kpi_indicators::{compute, export, Catalogue, Filter};
use kpi_model::i18n::Lang;
use kpi_model::{Dataset, Level, Year};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `kpi indicators`.
#[derive(Args)]
pub struct IndicatorsArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// Only organisations of this level (preschool, school, college, university).
    #[arg(long)]
    pub level: Option<String>,
    /// Only this year (first calendar year of the academic year, e.g. 2023).
    #[arg(long, value_parser = crate::common::academic_year)]
    pub year: Option<i32>,
    /// Only this organisation (and its programmes), by org_id.
    #[arg(long)]
    pub org: Option<String>,
    /// Only these indicators (repeatable).
    #[arg(long = "indicator")]
    pub indicators: Vec<String>,
    /// Output format: table, csv or json.
    #[arg(long, default_value = "table")]
    pub format: String,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// A user catalogue file (TOML or JSON) adding or overriding indicators.
    #[arg(long)]
    pub catalogue: Option<PathBuf>,
    /// With --format json: each row also lists the input cells as used
    /// (metric, year, value, warnings).
    #[arg(long)]
    pub inputs: bool,
}

/// Arguments of `kpi catalogue`.
#[derive(Args)]
pub struct CatalogueArgs {
    /// Language of labels: kk, ru, en or ky.
    #[arg(long, default_value = "kk")]
    pub lang: String,
    /// Output format: table or json.
    #[arg(long, default_value = "table")]
    pub format: String,
    /// A user catalogue file (TOML or JSON) adding or overriding indicators.
    #[arg(long)]
    pub catalogue: Option<PathBuf>,
}

/// Output formats of `kpi indicators`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Table,
    Csv,
    Json,
}

fn parse_format(text: &str, allowed: &[Format]) -> Result<Format> {
    let f = match text.trim().to_ascii_lowercase().as_str() {
        "table" | "text" => Format::Table,
        "csv" => Format::Csv,
        "json" => Format::Json,
        _ => bail!(
            "--format {text:?}: expected one of {}",
            allowed
                .iter()
                .map(|f| format!("{f:?}").to_lowercase())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    if !allowed.contains(&f) {
        bail!("--format {text:?} is not available for this command");
    }
    Ok(f)
}

/// Parses `--level`: a level code or any of its aliases (`вуз`, `ЖОО`,
/// `мектеп`, `детский сад`), with a did-you-mean.
pub fn parse_level(text: &str) -> Result<Level> {
    let book = kpi_import::AliasBook::builtin();
    if let Some(level) = Level::from_code(text.trim()).or_else(|| {
        book.value(kpi_import::ValueSet::Level, text)
            .and_then(Level::from_code)
    }) {
        return Ok(level);
    }
    let codes = ["preschool", "school", "college", "university"];
    bail!(
        "--level {text:?}: expected one of preschool, school, college, university (or an alias such as мектеп, колледж, ЖОО, вуз){}",
        super::common::did_you_mean(text, codes.into_iter())
    )
}

/// Checks `--year` against the dataset's years.
pub fn check_year(dataset: &Dataset, year: Year) -> Result<()> {
    let span = dataset.years();
    if !span.contains(year) {
        if span.is_empty() {
            bail!("--year {year}: the dataset has no yearly data");
        }
        bail!(
            "--year {year} is outside the data ({}–{})",
            span.first,
            span.last
        );
    }
    Ok(())
}

/// The built-in catalogue, extended by the user's file when given.
pub fn load_catalogue(file: Option<&Path>) -> Result<Catalogue> {
    // Formula limits (`[formula]` of `--limits`) apply to the user's file.
    let builtin = Catalogue::builtin().with_limits(super::common::formula_limits());
    let Some(path) = file else {
        return Ok(builtin);
    };
    let text = super::common::read_user_file(path, "catalogue")?;
    Ok(builtin.with_user_file(&path.display().to_string(), &text)?)
}

/// Standard output or the `--out` file, buffered.
pub fn open_output(out: Option<&Path>) -> Result<Box<dyn Write>> {
    Ok(match out {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

/// The options of `kpi indicators` once the dataset is loaded.
pub struct IndicatorsQuery<'a> {
    pub level: Option<&'a str>,
    pub year: Option<Year>,
    pub org: Option<&'a str>,
    pub indicators: &'a [String],
    pub format: &'a str,
    pub inputs: bool,
}

/// Computes and writes the indicators the query selects; returns the rows written.
pub fn run_indicators(
    dataset: &Dataset,
    catalogue: &Catalogue,
    query: &IndicatorsQuery<'_>,
    out: &mut dyn Write,
) -> Result<usize> {
    let format = parse_format(query.format, &[Format::Table, Format::Csv, Format::Json])?;
    let mut filter = Filter::new();
    if let Some(level) = query.level {
        filter = filter.level(parse_level(level)?);
    }
    if let Some(year) = query.year {
        check_year(dataset, year)?;
        filter = filter.year(year);
    }
    if let Some(id) = query.org {
        filter = filter.org(super::common::org_of(dataset, "--org", id)?);
    }
    // Only the indicators asked for are computed at all.
    let selected;
    let catalogue = if query.indicators.is_empty() {
        catalogue
    } else {
        selected = catalogue.select(query.indicators)?;
        &selected
    };
    let table = compute(dataset, catalogue);
    let rows = match format {
        Format::Csv => export::write_csv(&mut *out, dataset, &table, &filter)?,
        Format::Json if query.inputs => {
            export::write_json_with_inputs(&mut *out, dataset, &table, &filter)?
        }
        Format::Json => export::write_json(&mut *out, dataset, &table, &filter)?,
        Format::Table => export::write_text(&mut *out, dataset, &table, &filter)?,
    };
    Ok(rows)
}

/// Writes the catalogue in `lang` as a table or JSON.
pub fn run_catalogue(
    catalogue: &Catalogue,
    lang: &str,
    format: &str,
    out: &mut dyn Write,
) -> Result<()> {
    let lang = Lang::from_code(lang)
        .with_context(|| format!("--lang {lang:?}: expected one of kk, ru, en, ky"))?;
    match parse_format(format, &[Format::Table, Format::Json])? {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, catalogue)?;
            writeln!(out)?;
        }
        _ => export::write_catalogue_text(&mut *out, catalogue, lang)?,
    }
    out.flush()?;
    Ok(())
}

pub fn indicators(args: IndicatorsArgs) -> Result<ExitCode> {
    let catalogue = load_catalogue(args.catalogue.as_deref())?;
    let dataset = super::common::load_dataset(&args.data)?;
    if let Some(path) = &args.catalogue {
        let registry = dataset.metrics();
        let codes: Vec<&str> = registry.iter().map(|(_, d)| d.code.as_str()).collect();
        catalogue.check_metrics(
            &path.display().to_string(),
            |m| registry.id(m).is_some(),
            &codes,
        )?;
    }
    let mut out = open_output(args.out.as_deref())?;
    let query = IndicatorsQuery {
        level: args.level.as_deref(),
        year: args.year,
        org: args.org.as_deref(),
        indicators: &args.indicators,
        format: &args.format,
        inputs: args.inputs,
    };
    run_indicators(&dataset, &catalogue, &query, &mut out)?;
    Ok(ExitCode::SUCCESS)
}

pub fn catalogue(args: CatalogueArgs) -> Result<ExitCode> {
    let catalogue = load_catalogue(args.catalogue.as_deref())?;
    let mut out = open_output(None)?;
    run_catalogue(&catalogue, &args.lang, &args.format, &mut out)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kpi_model::DatasetBuilder;

    fn dataset() -> Dataset {
        DatasetBuilder::new(2022, 2023)
            .org("C1", Level::College, "Almaty")
            .org("S1", Level::School, "Almaty")
            .programme("C1", "0101000")
            .value("C1", None, 2022, "graduates", 200.0)
            .value("C1", None, 2022, "graduates_employed", 150.0)
            .value("C1", None, 2023, "graduates", 0.0)
            .value("C1", None, 2023, "graduates_employed", 0.0)
            .value("C1", Some("0101000"), 2023, "graduates", 40.0)
            .value("C1", Some("0101000"), 2023, "graduates_employed", 30.0)
            .value("S1", None, 2023, "exam_takers", 80.0)
            .value("S1", None, 2023, "exam_passed", 72.0)
            .build()
    }

    fn run(query: IndicatorsQuery<'_>) -> Result<String> {
        let mut out = Vec::new();
        run_indicators(&dataset(), &Catalogue::builtin(), &query, &mut out)?;
        Ok(String::from_utf8(out)?)
    }

    fn query<'a>(indicators: &'a [String], format: &'a str) -> IndicatorsQuery<'a> {
        IndicatorsQuery {
            level: None,
            year: None,
            org: None,
            indicators,
            format,
            inputs: false,
        }
    }

    #[test]
    fn csv_has_the_fixed_columns_and_full_precision() {
        let codes = ["employment_rate".to_string()];
        let text = run(query(&codes, "csv")).unwrap();
        assert_eq!(
            text,
            "org_id,programme,year,indicator,value,unit,status,reason\n\
             C1,,2022,employment_rate,75,%,ok,\n\
             C1,,2023,employment_rate,,%,not_computable,the denominator graduates is zero in 2023\n\
             C1,0101000,2022,employment_rate,,%,not_computable,missing graduates_employed in 2022\n\
             C1,0101000,2023,employment_rate,75,%,ok,\n"
        );
    }

    #[test]
    fn filters_by_org_year_level_and_indicator() {
        let codes = ["employment_rate".to_string(), "exam_pass_rate".to_string()];
        let mut q = query(&codes, "csv");
        q.year = Some(2023);
        q.level = Some("school");
        let text = run(q).unwrap();
        // 100 * 72 / 80 = 90
        assert_eq!(
            text.lines().skip(1).collect::<Vec<_>>(),
            ["S1,,2023,exam_pass_rate,90,%,ok,"]
        );
        let mut q = query(&codes, "json");
        q.org = Some("C1");
        q.year = Some(2022);
        let v: serde_json::Value = serde_json::from_str(&run(q).unwrap()).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 2); // C1 and its programme, employment_rate
        assert_eq!(v[0]["value"], 75.0);
        assert_eq!(v[0]["counts"]["trials"], 200.0);
        assert!(v[0].get("inputs").is_none());
        let mut q = query(&codes, "json");
        q.org = Some("C1");
        q.year = Some(2022);
        q.inputs = true;
        let v: serde_json::Value = serde_json::from_str(&run(q).unwrap()).unwrap();
        // 100 * 150 / 200: the two cells read, in order.
        assert_eq!(v[0]["inputs"][0]["metric"], "graduates_employed");
        assert_eq!(v[0]["inputs"][0]["value"], 150.0);
        assert_eq!(v[0]["inputs"][1]["metric"], "graduates");
        assert_eq!(v[0]["inputs"][1]["year"], 2022);
    }

    #[test]
    fn bad_options_are_clear_errors() {
        let none: [String; 0] = [];
        let mut q = query(&none, "csv");
        q.year = Some(2030);
        assert_eq!(
            run(q).unwrap_err().to_string(),
            "--year 2030 is outside the data (2022–2023)"
        );
        let mut q = query(&none, "csv");
        q.org = Some("X9");
        assert!(run(q).unwrap_err().to_string().contains("--org \"X9\""));
        let mut q = query(&none, "csv");
        q.level = Some("kindergartn");
        assert!(run(q)
            .unwrap_err()
            .to_string()
            .contains("expected one of preschool"));
        // Aliases are levels too; a near miss gets a suggestion.
        assert_eq!(parse_level("вуз").unwrap(), Level::University);
        assert_eq!(parse_level("ЖОО").unwrap(), Level::University);
        assert_eq!(parse_level("детский сад").unwrap(), Level::Preschool);
        let err = parse_level("univrsity").unwrap_err().to_string();
        assert!(err.ends_with("(did you mean `university`?)"), "{err}");
        let codes = ["employment".to_string()];
        let err = run(query(&codes, "csv")).unwrap_err().to_string();
        assert!(err.contains("unknown indicator `employment`"), "{err}");
        assert!(run(query(&none, "xml"))
            .unwrap_err()
            .to_string()
            .contains("expected one of"));
    }

    #[test]
    fn catalogue_lists_in_each_language_and_as_json() {
        let cat = Catalogue::builtin();
        let mut out = Vec::new();
        run_catalogue(&cat, "kk", "table", &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("Аккредиттеу"));
        let mut out = Vec::new();
        run_catalogue(&cat, "ru", "json", &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["indicator"].as_array().unwrap().len(), cat.len());
        assert!(run_catalogue(&cat, "de", "table", &mut Vec::new()).is_err());
        assert!(run_catalogue(&cat, "en", "csv", &mut Vec::new()).is_err());
    }

    #[test]
    fn user_catalogue_file_is_read_and_errors_name_the_file() {
        let dir = std::env::temp_dir().join(format!("kpi-cat-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bad = dir.join("bad.toml");
        std::fs::write(
            &bad,
            "[[indicator]]\ncode = \"x\"\nfamily = \"outcomes\"\nlevels = [\"school\"]\n\
             formula = \"shifts\"\nunit = \"count\"\ndirection = \"lower\"\nname = { en = \"X\" }\n",
        )
        .unwrap();
        let err = format!("{:#}", load_catalogue(Some(&bad)).unwrap_err());
        assert!(err.contains("bad.toml:3"), "{err}");
        let missing = dir.join("none.toml");
        let err = format!("{:#}", load_catalogue(Some(&missing)).unwrap_err());
        assert!(err.contains("cannot read the catalogue file"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
