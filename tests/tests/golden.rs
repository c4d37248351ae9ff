//! Golden tests: the engine's results on the bundled sample equal independent
//! computations (Python, written from the formulas of `docs/` and sharing no code with
//! kpi-core), committed under `tests/golden/` so that no Python is needed to run them:
//!
//! - `expected_indicators.csv.gz` (`reference.py`): every cell of all 35 catalogue
//!   indicators, organisation and programme units, with its value or its not-computable
//!   reason class, the metric and the year that reason names;
//! - `expected_risk.csv.gz` (`risk_reference.py`): risk scores per criterion and in total,
//!   with the thresholds applied (percentiles and the minimum-gap floors);
//! - `expected_trends.csv.gz` (`trend_reference.py`): OLS slope and p, Mann–Kendall, Sen's
//!   slope and the forecast with its interval clamped to the unit's bounds.

use flate2::read::GzDecoder;
use kpi_core::import::{load, read_paths, LoadOptions};
use kpi_core::indicators::{compute, Catalogue, Filter, Outcome, Reason};
use kpi_core::model::Dataset;
use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

fn sample() -> Dataset {
    let sources = read_paths(&[root().join("demo/data")]).expect("demo/data is readable");
    load(sources, &LoadOptions::default())
}

/// A committed, gzipped expected file of `tests/golden/`.
fn golden(name: &str) -> String {
    let mut gz = Vec::new();
    std::fs::File::open(root().join("tests/golden").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_end(&mut gz)
        .expect("readable");
    let mut text = String::new();
    GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .expect("gzip of UTF-8 text");
    text
}

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-9 * want.abs().max(1.0)
}

/// The reason as the reference writes it: `class:metric[.breakdown]:year`.
fn reason_key(reason: &Reason) -> String {
    match reason {
        Reason::MissingMetric {
            metric,
            breakdown,
            year,
        } => match breakdown {
            Some(b) => format!("missing_metric:{metric}.{b}:{year}"),
            None => format!("missing_metric:{metric}:{year}"),
        },
        Reason::ZeroDenominator { year, .. } => format!("zero_denominator::{year}"),
        Reason::BeforeFirstYear { year, .. } => format!("before_first_year::{year}"),
        Reason::NotFinite { year } => format!("not_finite::{year}"),
    }
}

#[test]
fn every_indicator_cell_on_the_sample_equals_the_independent_reference() {
    let dataset = sample();
    let table = compute(&dataset, &Catalogue::builtin());
    let expected = golden("expected_indicators.csv.gz");

    // Every cell of the engine, keyed as the reference keys it.
    let mut engine: HashMap<(String, String, i32, String), Outcome> = HashMap::new();
    for entry in table.iter(&Filter::default()) {
        let org = table.org_of(entry.unit).expect("unit of an organisation");
        let programme = dataset.programme_code(entry.unit).unwrap_or("").to_string();
        let code = table.def(entry.indicator).expect("indicator").code.clone();
        engine.insert(
            (dataset.org(org).id.clone(), programme, entry.year, code),
            entry.outcome,
        );
    }

    let mut failures = Vec::new();
    let (mut values, mut not_computable, mut programme_cells) = (0, 0, 0);
    let mut indicators = std::collections::BTreeSet::new();
    for line in expected.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let [org, programme, year, indicator, status, value, reason] = fields[..] else {
            panic!("malformed golden line {line:?}");
        };
        let key = (
            org.to_string(),
            programme.to_string(),
            year.parse::<i32>().expect("year"),
            indicator.to_string(),
        );
        indicators.insert(indicator.to_string());
        programme_cells += usize::from(!programme.is_empty());
        let got = engine.remove(&key);
        match (status, got) {
            ("value", Some(Outcome::Value(got))) => {
                values += 1;
                let want: f64 = value.parse().expect("value");
                if !close(got, want) {
                    failures.push(format!("{line}: engine gives {got}"));
                }
            }
            ("not_computable", Some(Outcome::NotComputable(r))) => {
                not_computable += 1;
                if reason_key(&r) != reason {
                    failures.push(format!("{line}: engine gives {}", reason_key(&r)));
                }
            }
            (_, other) => failures.push(format!("{line}: engine gives {other:?}")),
        }
    }
    for (key, outcome) in &engine {
        failures.push(format!(
            "{key:?}: engine has {outcome:?}, the reference no cell"
        ));
    }
    failures.sort();
    assert_eq!(indicators.len(), 35, "every catalogue indicator is covered");
    assert!(values > 50_000 && not_computable > 10_000 && programme_cells > 40_000);
    assert!(
        failures.is_empty(),
        "{} cells differ (of {values} values and {not_computable} not computable):\n{}",
        failures.len(),
        failures[..failures.len().min(60)].join("\n")
    );
}

/// One line of `expected_risk.csv`.
struct RiskLine<'a> {
    org: &'a str,
    year: i32,
    criterion: &'a str,
    value: Option<f64>,
    warn: Option<f64>,
    critical: Option<f64>,
    score: Option<f64>,
    status: &'a str,
}

fn opt(text: &str) -> Option<f64> {
    (!text.is_empty()).then(|| text.parse().expect("a number"))
}

fn same(got: Option<f64>, want: Option<f64>) -> bool {
    match (got, want) {
        (Some(g), Some(w)) => close(g, w),
        (None, None) => true,
        _ => false,
    }
}

#[test]
fn risk_scores_on_the_sample_equal_the_independent_reference() {
    use kpi_core::risk::{
        assess, CriteriaSet, CriterionGap, IndicatorInputs, RiskAssessment, RiskFilter,
    };
    let dataset = sample();
    let table = compute(&dataset, &Catalogue::builtin());
    let risk = assess(
        &dataset,
        &IndicatorInputs::new(&table),
        &CriteriaSet::builtin(),
        &RiskFilter::default(),
    );
    let by_key: HashMap<(&str, i32), &RiskAssessment> = risk
        .assessments
        .iter()
        .map(|a| ((a.org_id.as_str(), a.year), a))
        .collect();
    let expected = golden("expected_risk.csv.gz");

    let mut failures = Vec::new();
    let (mut criteria, mut totals, mut gap_set, mut degrees) = (0, 0, 0, HashMap::new());
    for line in expected.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let [org, year, criterion, value, warn, critical, score, status] = f[..] else {
            panic!("malformed risk line {line:?}");
        };
        let want = RiskLine {
            org,
            year: year.parse().expect("year"),
            criterion,
            value: opt(value),
            warn: opt(warn),
            critical: opt(critical),
            score: opt(score),
            status,
        };
        let Some(a) = by_key.get(&(want.org, want.year)) else {
            failures.push(format!("{line}: no assessment"));
            continue;
        };
        if want.criterion == "total" {
            totals += 1;
            let (degree, gross) = want.status.split_once(';').expect("degree;gross");
            *degrees.entry(degree.to_string()).or_insert(0) += 1;
            let ok = a.degree.code() == degree
                && same(a.score, want.score)
                && same(Some(a.computable_weight_share), want.value)
                && a.gross_trigger.as_deref().unwrap_or("") == gross;
            if !ok {
                failures.push(format!(
                    "{line}: engine gives score {:?} degree {} share {} gross {:?}",
                    a.score,
                    a.degree.code(),
                    a.computable_weight_share,
                    a.gross_trigger
                ));
            }
            continue;
        }
        criteria += 1;
        let Some(c) = a.criteria.iter().find(|c| c.id == want.criterion) else {
            failures.push(format!("{line}: the engine has no such criterion"));
            continue;
        };
        let ok = match want.status {
            "indicator" => matches!(c.not_computable, Some(CriterionGap::Indicator(_))),
            "peers" => {
                matches!(
                    c.not_computable,
                    Some(CriterionGap::PeerGroupTooSmall { .. })
                ) && same(c.value, want.value)
            }
            sources => {
                let t = c.thresholds.as_ref();
                let source =
                    |from_gap: Option<bool>| match (t.and_then(|t| t.peer_percentiles), from_gap) {
                        (None, _) => "fixed",
                        (Some(_), Some(true)) => "min_gap",
                        (Some(_), _) => "percentile",
                    };
                let gap = t.and_then(|t| t.min_gap);
                let got = format!(
                    "score;{};{}",
                    source(gap.map(|g| g.warn_from_gap)),
                    source(gap.map(|g| g.critical_from_gap))
                );
                gap_set += usize::from(sources.contains("min_gap"));
                got == sources
                    && same(c.value, want.value)
                    && same(t.map(|t| t.warn), want.warn)
                    && same(t.map(|t| t.critical), want.critical)
                    && same(c.score, want.score)
            }
        };
        if !ok {
            failures.push(format!(
                "{line}: engine gives value {:?} thresholds {:?} score {:?} reason {:?}",
                c.value, c.thresholds, c.score, c.not_computable
            ));
        }
    }
    let assessed: usize = risk.assessments.iter().map(|a| a.criteria.len()).sum();
    assert_eq!(
        criteria, assessed,
        "every criterion of every assessment is checked"
    );
    assert_eq!(
        totals,
        risk.assessments.len(),
        "every assessment is checked"
    );
    assert!(gap_set > 100, "the minimum gap set {gap_set} thresholds");
    assert!(degrees.len() >= 3, "degrees {degrees:?}");
    assert!(
        failures.is_empty(),
        "{} of {criteria} criteria and {totals} totals differ:\n{}",
        failures.len(),
        failures[..failures.len().min(60)].join("\n")
    );
}

#[test]
fn trend_statistics_on_the_sample_equal_the_independent_reference() {
    use kpi_core::analysis::{Computed, TrendVerdict};
    use kpi_core::engine::{Engine, EngineOptions, TrendReport};
    let sources = read_paths(&[root().join("demo/data")]).expect("demo/data is readable");
    let engine = Engine::from_sources(&sources, &EngineOptions::default()).expect("engine");
    let expected = golden("expected_trends.csv.gz");

    fn verdict(v: TrendVerdict) -> String {
        serde_json::to_value(v)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
    fn num<T>(c: &Computed<T>, f: impl Fn(&T) -> f64) -> Option<String> {
        c.as_ref().ok().map(|t| f(t).to_string())
    }
    /// The engine's statistic named as the reference names it: a number, a verdict,
    /// `nc:` when not computable, `None` when the engine has no such statistic.
    fn statistic(report: &TrendReport, name: &str) -> Option<String> {
        let n = report
            .series
            .iter()
            .filter(|(_, o)| o.value().is_some())
            .count();
        if name == "n" {
            return Some(n.to_string());
        }
        let a = report.analysis.as_ref().ok();
        let ols = a.map(|a| &a.trend);
        let mk = a.map(|a| &a.mann_kendall);
        let nc = |ok: bool| (!ok).then(|| "nc:too_few_values".to_string());
        match name {
            "ols" => ols
                .map_or(Some(()), |t| t.as_ref().err().map(|_| ()))
                .and(nc(false)),
            "mk" => mk
                .map_or(Some(()), |m| m.as_ref().err().map(|_| ()))
                .and(nc(false)),
            _ if name.starts_with("ols.") => {
                let t = ols?.as_ref().ok()?;
                Some(match &name[4..] {
                    "slope" => t.slope.to_string(),
                    "intercept" => t.intercept.to_string(),
                    "p" => t.p_value.to_string(),
                    "ci_lower" => t.slope_ci.lower.to_string(),
                    "ci_upper" => t.slope_ci.upper.to_string(),
                    "r2" => num(&t.r_squared, |r| *r).unwrap_or("nc:all_values_equal".into()),
                    "verdict" => verdict(t.verdict),
                    _ => return None,
                })
            }
            _ if name.starts_with("mk.") => {
                let m = mk?.as_ref().ok()?;
                Some(match &name[3..] {
                    "s" => m.s.to_string(),
                    "var_s" => m.var_s.to_string(),
                    "z" => m.z.to_string(),
                    "p" => m.p_value.to_string(),
                    "tau" => m.tau.to_string(),
                    "sen_slope" => m.sen_slope.to_string(),
                    "sen_intercept" => m.sen_intercept.to_string(),
                    "verdict" => verdict(m.verdict),
                    _ => return None,
                })
            }
            _ if name.starts_with("forecast.") => {
                let mut parts = name.split('.').skip(1);
                let year: i32 = parts.next()?.parse().ok()?;
                let f = a?.forecast.as_ref().ok()?;
                let p = f.points.iter().find(|p| p.year == year)?;
                Some(
                    match parts.next()? {
                        "value" => p.value,
                        "lower" => p.lower,
                        "upper" => p.upper,
                        _ => return None,
                    }
                    .to_string(),
                )
            }
            _ => None,
        }
    }

    let mut reports: HashMap<(String, String, String), TrendReport> = HashMap::new();
    let mut failures = Vec::new();
    let (mut checked, mut clamped, mut worst) = (0, 0, 0.0f64);
    let mut series = std::collections::BTreeSet::new();
    for line in expected.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let [org, programme, indicator, name, want] = f[..] else {
            panic!("malformed trend line {line:?}");
        };
        let key = (
            org.to_string(),
            programme.to_string(),
            indicator.to_string(),
        );
        series.insert(key.clone());
        let report = reports.entry(key).or_insert_with(|| {
            if programme.is_empty() {
                engine.trend(org, indicator)
            } else {
                engine.programme_trend(org, programme, indicator)
            }
            .unwrap_or_else(|e| panic!("{org} {programme} {indicator}: {e}"))
        });
        let got = statistic(report, name);
        let ok = match (&got, want.parse::<f64>()) {
            // The reference writes 13 significant digits; p-values of Mann–Kendall differ
            // from SciPy's by up to 1e-10 (statrs' erfc), within the 1e-9 of methods.md.
            (Some(g), Ok(w)) => g.parse::<f64>().is_ok_and(|g| {
                let err = (g - w).abs() / w.abs().max(1.0);
                worst = worst.max(err);
                err <= 1e-9
            }),
            (Some(g), Err(_)) => g == want,
            (None, _) => false,
        };
        if name.starts_with("forecast.") && (want == "100" || want == "0" || want == "1") {
            clamped += 1;
        }
        checked += 1;
        if !ok {
            failures.push(format!("{line}: engine gives {got:?}"));
        }
    }
    assert!(
        series.len() > 5000 && checked > 100_000,
        "{} series, {checked} statistics",
        series.len()
    );
    assert!(clamped > 100, "{clamped} forecast bounds are clamped");
    eprintln!("{checked} trend statistics, largest relative difference {worst:e}");
    assert!(
        failures.is_empty(),
        "{} of {checked} trend statistics differ:\n{}",
        failures.len(),
        failures[..failures.len().min(60)].join("\n")
    );
}
