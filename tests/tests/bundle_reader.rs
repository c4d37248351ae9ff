//! The widgets' bundle reader against the engine: on the bundled sample published
//! with k = 1 (nothing suppressed), every chart a portal draws from the bundle
//! (`wasm-widgets/js/kpi-bundle.js`, run in Node) has the numbers and texts of the
//! same chart computed by the engine from the records. With k = 30 the reader shows
//! suppressed values as missing, with the reason, and no risk score that a
//! suppressed criterion would give away.

use kpi_core::engine::{Engine, EngineOptions, ViewRequest};
use kpi_core::publish::{publish, PublishOptions};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

fn engine() -> Engine {
    let sources = kpi_core::import::read_paths(&[root().join("demo/data")]).unwrap();
    Engine::from_sources(&sources, &EngineOptions::default()).unwrap()
}

/// Publishes with `k` into a fresh folder and runs the reader on `requests`.
fn read_bundle(engine: &Engine, k: u32, requests: &[Value], tag: &str) -> Vec<Value> {
    let dir = std::env::temp_dir().join(format!("kpi-bundle-reader-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let options = PublishOptions {
        min_count: k,
        created: "2026-12-04".into(),
        ..PublishOptions::default()
    };
    publish(engine, &[], &options)
        .unwrap()
        .write_to(&dir)
        .unwrap();
    let requests_file = dir.join("requests.json");
    std::fs::write(&requests_file, serde_json::to_vec(requests).unwrap()).unwrap();
    let out = Command::new("node")
        .arg(root().join("tests/e2e/bundle-reader.mjs"))
        .arg(&dir)
        .arg(&requests_file)
        .output()
        .expect("Node.js runs the bundle reader (the browser tests need it too)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Whether the bundle's value `b` carries the engine's `a`: numbers to 1e-12
/// (relative: JSON text round trips), objects key by key of the engine's (a
/// missing key is null; the bundle may add keys), lists item by item.
fn close(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => {
            let (x, y) = (
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            );
            (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1.0)
        }
        (Value::Object(x), Value::Object(y)) => x
            .iter()
            .all(|(k, v)| close(v, y.get(k).unwrap_or(&Value::Null))),
        (Value::Object(x), Value::Null) => x.values().all(Value::is_null),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| close(p, q))
        }
        (Value::Array(x), Value::Null) => x.is_empty(),
        _ => a == b,
    }
}

fn field<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

/// Compares the fields `keys` of two objects, recording differences under `what`.
fn same(what: &str, engine: &Value, bundle: &Value, keys: &[&str], diffs: &mut Vec<String>) {
    for k in keys {
        let (e, b) = (field(engine, k), field(bundle, k));
        // No peer statistics are published for an empty group: the engine says 0.
        let empty_group = (*k == "peer_n" || *k == "n") && e.as_u64() == Some(0) && b.is_null();
        if !close(e, b) && !empty_group {
            diffs.push(format!("{what}: {k}: engine {e} ≠ bundle {b}"));
        }
    }
}

fn compare_input(what: &str, e: &Value, b: &Value, diffs: &mut Vec<String>) {
    let kind = e["kind"].as_str().unwrap_or("");
    match kind {
        "kpi-card" => same(
            what,
            e,
            b,
            &[
                "indicator",
                "unit_name",
                "org",
                "programme",
                "year",
                "value",
                "previous",
                "history",
                "peer_percentile",
                "peer_n",
                "peer_median",
                "unavailable",
            ],
            diffs,
        ),
        "trend" => {
            same(
                what,
                e,
                b,
                &["indicator", "unit_name", "org", "subtitle", "forecast"],
                diffs,
            );
            let pts = |v: &Value| -> Vec<(Value, Value, Value)> {
                v["points"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| {
                        (
                            p["year"].clone(),
                            field(p, "value").clone(),
                            field(p, "signal").clone(),
                        )
                    })
                    .collect()
            };
            let (pe, pb) = (pts(e), pts(b));
            if pe.len() != pb.len()
                || pe
                    .iter()
                    .zip(&pb)
                    .any(|(x, y)| x.0 != y.0 || !close(&x.1, &y.1) || x.2 != y.2)
            {
                diffs.push(format!("{what}: points differ"));
            }
            // The line: the bundle keeps its two ends.
            let line = |v: &Value| v["trend"].as_array().cloned().unwrap_or_default();
            let (le, lb) = (line(e), line(b));
            if le.first().map(|p| &p["value"]) != lb.first().map(|p| &p["value"])
                && !close(&le[0]["value"], &lb[0]["value"])
                || !le.is_empty() && !close(&le[le.len() - 1]["value"], &lb[lb.len() - 1]["value"])
            {
                diffs.push(format!("{what}: trend line ends differ"));
            }
            // Peer bands: every band of a non-empty group.
            let bands = |v: &Value| -> Vec<Value> {
                v["peers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|p| p["n"].as_u64() != Some(0))
                    .cloned()
                    .collect()
            };
            let (be, bb) = (bands(e), bands(b));
            if be.len() != bb.len() {
                diffs.push(format!("{what}: {} bands vs {}", be.len(), bb.len()));
            }
            for (x, y) in be.iter().zip(&bb) {
                // A value whose number of persons is unknown is suppressed even at
                // k = 1: then the bundle's group is smaller, and its quantiles differ.
                if x["n"] != y["n"] {
                    assert!(y["n"].as_u64() < x["n"].as_u64(), "{what}: {x} vs {y}");
                    continue;
                }
                same(
                    &format!("{what} band {}", x["year"]),
                    x,
                    y,
                    &["year", "median", "q1", "q3", "n"],
                    diffs,
                );
            }
        }
        "compare" | "scatter" | "heatmap" => {
            same(
                what,
                e,
                b,
                &["year", "median", "peer_group", "x", "y", "columns"],
                diffs,
            );
            // The position sentence of the request's organisation: where the bundle
            // writes one, it is the engine's, in every language.
            if kind == "compare" && b["subtitle"].is_object() {
                same(what, e, b, &["subtitle"], diffs);
            }
            let list = if kind == "compare" {
                "bars"
            } else if kind == "scatter" {
                "points"
            } else {
                "rows"
            };
            let key = |r: &Value| format!("{}/{}", r["org"], field(r, "programme"));
            let mut re: Vec<&Value> = e[list].as_array().unwrap().iter().collect();
            let mut rb: Vec<&Value> = b[list].as_array().unwrap().iter().collect();
            re.sort_by_key(|r| key(r));
            rb.sort_by_key(|r| key(r));
            if re.len() != rb.len() {
                diffs.push(format!("{what}: {} {list} vs {}", re.len(), rb.len()));
                return;
            }
            for (x, y) in re.iter().zip(&rb) {
                let w = format!("{what} {}", key(x));
                same(
                    &w,
                    x,
                    y,
                    &["id", "name", "value", "x", "y", "highlight", "significance"],
                    diffs,
                );
                if kind == "heatmap" {
                    for (cx, cy) in x["cells"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .zip(y["cells"].as_array().unwrap())
                    {
                        same(&w, cx, cy, &["value", "percentile", "n"], diffs);
                    }
                }
            }
        }
        "distribution" => {
            same(
                what,
                e,
                b,
                &["year", "unit_value", "org", "peer_group"],
                diffs,
            );
            // The bundle has the sentences of the organisations' distributions
            // (nationally and in a region), not of programmes'.
            if b["subtitle"].is_object() || field(b, "programme").is_null() {
                same(what, e, b, &["subtitle"], diffs);
            }
            let sorted = |v: &Value| {
                let mut x: Vec<f64> = v["values"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(Value::as_f64)
                    .collect();
                x.sort_by(f64::total_cmp);
                x
            };
            let (xe, xb) = (sorted(e), sorted(b));
            if xe.len() != xb.len()
                || xe
                    .iter()
                    .zip(&xb)
                    .any(|(p, q)| (p - q).abs() > 1e-12 * p.abs().max(1.0))
            {
                diffs.push(format!(
                    "{what}: values differ ({} vs {})",
                    xe.len(),
                    xb.len()
                ));
            }
        }
        "risk-gauge" => same(
            what,
            e,
            b,
            &[
                "score",
                "degree",
                "low_max",
                "medium_max",
                "weight_coverage",
                "previous_score",
                "rising",
                "unit_name",
                "year",
            ],
            diffs,
        ),
        "risk-breakdown" => {
            same(what, e, b, &["score", "degree", "year", "unit_name"], diffs);
            let (ce, cb) = (
                e["criteria"].as_array().unwrap(),
                b["criteria"].as_array().unwrap(),
            );
            if ce.len() != cb.len() {
                diffs.push(format!("{what}: {} criteria vs {}", ce.len(), cb.len()));
            }
            for (x, y) in ce.iter().zip(cb) {
                same(
                    &format!("{what} {}", x["code"]),
                    x,
                    y,
                    &[
                        "code",
                        "label",
                        "contribution",
                        "weight",
                        "criterion_score",
                        "measure",
                        "reason",
                        "gross",
                        "crossed",
                    ],
                    diffs,
                );
            }
        }
        "radar" => {
            same(what, e, b, &["year", "peer_n", "unit_name"], diffs);
            for (x, y) in e["families"]
                .as_array()
                .unwrap()
                .iter()
                .zip(b["families"].as_array().unwrap())
            {
                same(
                    what,
                    x,
                    y,
                    &["family", "label", "score", "peer_median", "indicators"],
                    diffs,
                );
            }
        }
        "table" => {
            same(
                what,
                e,
                b,
                &["columns", "title", "sort_by", "descending"],
                diffs,
            );
            // With an organisation that has a published value, the engine's position
            // sentence (as the compare chart's); otherwise the group's distribution.
            same(what, e, b, &["caption"], diffs);
            let rows = |v: &Value| v["rows"].as_array().cloned().unwrap_or_default();
            let (xe, xb) = (rows(e), rows(b));
            let valued = |rs: &[Value]| rs.iter().filter(|r| r[3]["value"].is_number()).count();
            if xe.len() != xb.len() {
                diffs.push(format!("{what}: {} rows vs {}", xe.len(), xb.len()));
                return;
            }
            // A value whose number of persons is unknown is suppressed even at k = 1:
            // then the bundle's group is smaller and its statistics differ.
            if valued(&xe) != valued(&xb) {
                return;
            }
            for (i, (x, y)) in xe.iter().zip(&xb).enumerate() {
                if !close(x, y) {
                    diffs.push(format!("{what}: row {i}: engine {x} ≠ bundle {y}"));
                }
            }
        }
        "gaps" => {
            let ns = |v: &Value| -> Vec<Value> {
                v["groups"]
                    .as_array()
                    .map(|g| g.iter().map(|x| x["n"].clone()).collect())
                    .unwrap_or_default()
            };
            if ns(e) != ns(b) {
                // A smaller group at k = 1 (see `table`): only the groups' ids agree.
                let ids = |v: &Value| -> Vec<Value> {
                    v["groups"]
                        .as_array()
                        .map(|g| g.iter().map(|x| x["id"].clone()).collect())
                        .unwrap_or_default()
                };
                if ids(e).len() < ids(b).len() {
                    diffs.push(format!("{what}: more groups in the bundle"));
                }
                return;
            }
            same(
                what,
                e,
                b,
                &[
                    "indicator",
                    "year",
                    "population",
                    "groups",
                    "statistic",
                    "overall",
                    "best",
                    "worst",
                    "best_minus_worst",
                    "test",
                    "parity",
                    "title",
                    "subtitle",
                ],
                diffs,
            );
        }
        other => diffs.push(format!("{what}: unexpected kind {other}")),
    }
}

/// Requests a portal makes: every kind for organisations of every level, with
/// their programmes, nationally and in their region.
fn requests(engine: &Engine) -> Vec<Value> {
    let ds = engine.dataset();
    let mut out = Vec::new();
    for level in ["school", "college", "university", "preschool"] {
        let orgs: Vec<_> = ds
            .organisations()
            .iter()
            .enumerate()
            .filter(|(_, o)| o.level.code() == level)
            .take(2)
            .collect();
        for (i, org) in orgs {
            let idx = kpi_core::model::OrgIdx(i as u32);
            let codes: Vec<String> = engine
                .catalogue()
                .iter()
                .filter(|(_, d)| d.applies_to(org.level) && d.per.organisations())
                .map(|(_, d)| d.code.clone())
                .collect();
            for code in &codes {
                for by in ["locality", "ownership", "region"] {
                    out.push(json!({ "kind": "gaps", "org": org.id, "indicator": code, "by": by }));
                }
                for kind in ["kpi-card", "trend", "compare", "distribution", "table"] {
                    for peers in [None, Some("region")] {
                        let mut r = json!({ "kind": kind, "org": org.id, "indicator": code });
                        if let Some(p) = peers {
                            r["peers"] = json!(p);
                        }
                        out.push(r);
                    }
                }
            }
            if let Some(u) = ds.programme_units(idx).first() {
                let p = ds.programme_code(*u).unwrap_or_default();
                for code in codes.iter().take(3) {
                    out.push(json!({ "kind": "trend", "org": org.id, "programme": p, "indicator": code }));
                    out.push(json!({ "kind": "kpi-card", "org": org.id, "programme": p, "indicator": code }));
                }
            }
            for kind in ["risk-gauge", "risk-breakdown", "radar", "heatmap"] {
                out.push(json!({ "kind": kind, "org": org.id }));
            }
            out.push(json!({ "kind": "risk-gauge", "org": org.id, "year": 2022 }));
            out.push(json!({ "kind": "heatmap", "org": org.id, "peers": "region" }));
            if codes.len() >= 2 {
                out.push(
                    json!({ "kind": "scatter", "org": org.id, "indicators": [codes[0], codes[1]] }),
                );
            }
        }
    }
    out
}

#[test]
fn charts_from_the_bundle_equal_the_engines_charts() {
    let engine = engine();
    let requests = requests(&engine);
    let read = read_bundle(&engine, 1, &requests, "equal");
    assert_eq!(read.len(), requests.len());
    let mut diffs = Vec::new();
    let mut compared = 0;
    for (r, got) in requests.iter().zip(&read) {
        let request = ViewRequest::from_json(&r.to_string()).unwrap();
        let want = engine.chart(&request);
        let what = r.to_string();
        match (want, got.get("ok")) {
            (Ok(input), Some(b)) => {
                let e = serde_json::to_value(&input).unwrap();
                compare_input(&what, &e, b, &mut diffs);
                compared += 1;
            }
            // Both refuse: an indicator with no value for the unit, a missing year.
            (Err(_), None) => {}
            (Ok(_), None) => diffs.push(format!(
                "{what}: the engine draws it, the bundle says {}",
                got["error"]
            )),
            (Err(e), Some(_)) => {
                diffs.push(format!("{what}: the bundle draws it, the engine says {e}"))
            }
        }
    }
    assert!(compared > 300, "only {compared} charts compared");
    // What the comparison covered: the compare charts' Wilson marks and the regional
    // distributions' sentences are there (not only absent on both sides).
    let drawn = |kind: &'static str, peers: Option<&'static str>| {
        requests.iter().zip(&read).filter(move |(r, got)| {
            r["kind"] == kind
                && r.get("peers").and_then(Value::as_str) == peers
                && got.get("ok").is_some()
        })
    };
    let marks = drawn("compare", None)
        .chain(drawn("compare", Some("region")))
        .flat_map(|(_, got)| got["ok"]["bars"].as_array().cloned().unwrap_or_default())
        .filter(|bar| bar["significance"].is_object())
        .count();
    assert!(marks > 100, "only {marks} bars with a Wilson mark");
    // Compare charts of an organisation with a published value carry its position
    // sentence (equal to the engine's, checked above), among the level and the region.
    for peers in [None, Some("region")] {
        let highlighted = |got: &Value| {
            got["ok"]["bars"].as_array().is_some_and(|bars| {
                bars.iter()
                    .any(|b| b["highlight"] == json!(true) && b["value"].is_number())
            })
        };
        let (with, without): (Vec<_>, Vec<_>) = drawn("compare", peers)
            .filter(|(r, got)| r["indicator"] != "risk_score" && highlighted(got))
            .partition(|(_, got)| got["ok"]["subtitle"].is_object());
        assert!(
            without.is_empty(),
            "compare without the position sentence ({peers:?}): {}",
            without[0].0
        );
        assert!(
            with.len() > 50,
            "only {} compare charts with a position sentence ({peers:?})",
            with.len()
        );
    }
    // A table of an organisation has the compare chart's position sentence as its
    // caption (the same request drawn as compare, which the engine's wording checks above).
    for peers in [None, Some("region")] {
        let subtitles: std::collections::HashMap<(String, String), &Value> =
            drawn("compare", peers)
                .filter(|(_, got)| got["ok"]["subtitle"].is_object())
                .map(|(r, got)| {
                    (
                        (r["org"].to_string(), r["indicator"].to_string()),
                        &got["ok"]["subtitle"],
                    )
                })
                .collect();
        let mut captions = 0;
        for (r, got) in drawn("table", peers) {
            let key = (r["org"].to_string(), r["indicator"].to_string());
            if let Some(subtitle) = subtitles.get(&key) {
                assert_eq!(&&got["ok"]["caption"], subtitle, "{r}: caption");
                captions += 1;
            }
        }
        assert!(
            captions > 50,
            "only {captions} tables with the position sentence ({peers:?})"
        );
    }
    let sentences = drawn("distribution", Some("region"))
        .filter(|(_, got)| got["ok"]["subtitle"].is_object())
        .count();
    assert!(
        sentences > 20,
        "only {sentences} regional distributions with their sentence"
    );
    // Tables with z-scores and gaps with groups were drawn from the bundle (in the
    // level and in the region).
    for peers in [None, Some("region")] {
        let tables = drawn("table", peers)
            .filter(|(_, got)| {
                got["ok"]["rows"]
                    .as_array()
                    .is_some_and(|rows| rows.iter().any(|r| r[5]["value"].is_number()))
            })
            .count();
        assert!(
            tables > 50,
            "only {tables} tables with z-scores ({peers:?})"
        );
    }
    let gaps = drawn("gaps", None)
        .filter(|(_, got)| got["ok"]["groups"].as_array().is_some_and(|g| g.len() >= 2))
        .count();
    assert!(gaps > 50, "only {gaps} gaps charts with two groups or more");
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs[..diffs.len().min(40)].join("\n")
    );
}

#[test]
fn suppressed_values_stay_hidden_in_every_chart_of_the_bundle() {
    let engine = engine();
    let k = 30;
    let requests = requests(&engine);
    let read = read_bundle(&engine, k, &requests, "k30");
    let ds = engine.dataset();
    let table = engine.indicators();
    let mut hidden_points = 0;
    let mut withheld_scores = 0;
    let (mut tables_checked, mut gaps_checked, mut compare_sentences) = (0, 0, 0);
    let mut table_sentences = 0;
    for (r, got) in requests.iter().zip(&read) {
        let Some(b) = got.get("ok") else { continue };
        let org = ds.org_by_id(r["org"].as_str().unwrap()).unwrap();
        let unit = match r.get("programme").and_then(Value::as_str) {
            Some(p) => ds.programme_unit(org, p).unwrap(),
            None => ds.org_unit(org),
        };
        match b["kind"].as_str().unwrap() {
            "trend" => {
                let code = r["indicator"].as_str().unwrap();
                let def = engine.catalogue().by_code(code).unwrap();
                if def.counts.is_none() {
                    continue;
                }
                for p in b["points"].as_array().unwrap() {
                    let year = p["year"].as_i64().unwrap() as i32;
                    let n = table.counts(ds, code, unit, year).map_or(0.0, |c| c.trials);
                    if !p["value"].is_null() {
                        assert!(n >= f64::from(k), "{r}: {year} shown from n = {n}");
                    } else if n > 0.0 && n < f64::from(k) {
                        hidden_points += 1;
                        let why = p["reason"]["en"].as_str().unwrap_or_default();
                        assert!(why.starts_with("suppressed"), "{r}: {year}: {why}");
                    }
                }
            }
            "risk-breakdown" => {
                let hidden = b["criteria"].as_array().unwrap().iter().any(|c| {
                    c["reason"]["en"]
                        .as_str()
                        .is_some_and(|w| w.starts_with("suppressed"))
                });
                if hidden {
                    withheld_scores += 1;
                    assert!(
                        b["score"].is_null(),
                        "{r}: score shown beside a hidden criterion"
                    );
                }
            }
            "table" => {
                let code = r["indicator"].as_str().unwrap();
                let def = engine.catalogue().by_code(code).unwrap();
                let year = b["title"]["en"].as_str().unwrap();
                let year: i32 = year.rsplit(" · ").next().unwrap()[..4].parse().unwrap();
                for row in b["rows"].as_array().unwrap() {
                    let unit = ds.org_unit(ds.org_by_id(row[1]["text"].as_str().unwrap()).unwrap());
                    let n = table.counts(ds, code, unit, year).map_or(0.0, |c| c.trials);
                    if row[3]["value"].is_number() {
                        tables_checked += 1;
                        assert!(
                            def.counts.is_none() || n >= f64::from(k),
                            "{r}: row of n = {n}"
                        );
                    } else {
                        // No statistic of a hidden value.
                        for c in [0, 4, 5, 6] {
                            assert!(row[c]["value"].is_null(), "{r}: {row}");
                        }
                    }
                }
                let caption = b["caption"]["en"].as_str().unwrap_or_default();
                if caption.contains(", ranked ") {
                    // The caption's position sentence too: only for the organisation's
                    // published value, in a group of at least k published values.
                    let n = table.counts(ds, code, unit, year).map_or(0.0, |c| c.trials);
                    let rows = b["rows"].as_array().unwrap();
                    let valued = rows.iter().filter(|x| x[3]["value"].is_number()).count();
                    let own = rows.iter().find(|x| x[1]["text"] == r["org"]).unwrap();
                    assert!(own[3]["value"].is_number(), "{r}: caption without a value");
                    assert!(
                        def.counts.is_none() || n >= f64::from(k),
                        "{r}: caption of n = {n}"
                    );
                    assert!(valued >= k as usize, "{r}: caption in a group of {valued}");
                    let en = b["caption"]["en"].as_str().unwrap();
                    assert!(en.contains(&format!(" of {valued} ")), "{r}: {en}");
                    table_sentences += 1;
                }
            }
            "compare" => {
                // A position sentence only for a published value, in a group of at
                // least k published values, whose count it gives.
                if !b["subtitle"].is_object() {
                    continue;
                }
                let bars = b["bars"].as_array().unwrap();
                let valued = bars.iter().filter(|x| x["value"].is_number()).count();
                let own = bars.iter().find(|x| x["highlight"] == json!(true)).unwrap();
                let code = r["indicator"].as_str().unwrap();
                let def = engine.catalogue().by_code(code).unwrap();
                let year = b["year"].as_i64().unwrap() as i32;
                let n = table.counts(ds, code, unit, year).map_or(0.0, |c| c.trials);
                assert!(own["value"].is_number(), "{r}: sentence without a value");
                assert!(
                    def.counts.is_none() || n >= f64::from(k),
                    "{r}: sentence of n = {n}"
                );
                assert!(valued >= k as usize, "{r}: sentence in a group of {valued}");
                let en = b["subtitle"]["en"].as_str().unwrap();
                assert!(en.contains(&format!(" of {valued} ")), "{r}: {en}");
                compare_sentences += 1;
            }
            "gaps" => {
                // The groups hold published values only.
                let code = r["indicator"].as_str().unwrap();
                let def = engine.catalogue().by_code(code).unwrap();
                let year = b["year"].as_i64().unwrap() as i32;
                let level = ds.org(org).level;
                let published = ds
                    .orgs_of_level(level)
                    .filter(|&o| {
                        let u = ds.org_unit(o);
                        table.value(code, u, year).is_some()
                            && (def.counts.is_none()
                                || table.counts(ds, code, u, year).map_or(0.0, |c| c.trials)
                                    >= f64::from(k))
                    })
                    .count() as u64;
                let n: u64 = b["groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|g| g["n"].as_u64().unwrap())
                    .sum();
                gaps_checked += 1;
                assert!(
                    n <= published,
                    "{r}: {n} values in groups, {published} published"
                );
            }
            _ => {}
        }
    }
    assert!(
        tables_checked > 0 && gaps_checked > 0 && compare_sentences > 0 && table_sentences > 0,
        "tables, gaps, compare sentences and table captions read at k = {k}"
    );
    assert!(hidden_points > 0, "the sample has small groups at k = {k}");
    assert!(
        withheld_scores > 0,
        "the sample has withheld risk scores at k = {k}"
    );
}

/// Charts that need what a bundle does not publish (the peer statistics of programmes and
/// of risk scores, each sex's values, the reconstructed cohort) are refused by name with
/// `unknown-kind` and the reason, while the engine draws them from the records (here: a cohort that says why it
/// cannot be reconstructed, as the demo data have no repeaters by grade).
#[test]
fn kinds_a_bundle_cannot_carry_are_refused_with_the_reason() {
    let engine = engine();
    let ds = engine.dataset();
    let org = &ds.organisations()[0];
    let school = ds
        .organisations()
        .iter()
        .find(|o| o.level.code() == "school")
        .unwrap();
    let programme = ds
        .organisations()
        .iter()
        .enumerate()
        .find_map(|(i, o)| {
            let u = *ds
                .programme_units(kpi_core::model::OrgIdx(i as u32))
                .first()?;
            Some((o.id.clone(), ds.programme_code(u)?.to_string()))
        })
        .unwrap();
    let requests = vec![
        json!({ "kind": "table", "org": programme.0, "programme": programme.1, "indicator": "employment_rate" }),
        json!({ "kind": "table", "org": org.id, "indicator": "risk_score" }),
        json!({ "kind": "gaps", "org": school.id, "indicator": "exam_pass_rate", "by": "sex" }),
        json!({ "kind": "cohort-flow", "org": school.id }),
    ];
    let read = read_bundle(&engine, 1, &requests, "refused");
    for (r, got) in requests.iter().zip(&read) {
        let kind = r["kind"].as_str().unwrap();
        assert_eq!(got["error"]["code"], "unknown-kind", "{r}: {got}");
        let detail = got["error"]["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains(&format!("kind=\"{kind}\""))
                && detail.contains("does not publish")
                && detail.contains("draw it from a dataset"),
            "{r}: {detail}"
        );
    }
    let request = ViewRequest::from_json(&requests[3].to_string()).unwrap();
    match engine.chart(&request).unwrap() {
        kpi_core::chart::ChartInput::CohortFlow(d) => {
            let why = d
                .reason
                .map(|t| t.get(kpi_core::i18n::Lang::En).to_string());
            assert!(
                why.as_deref()
                    .is_some_and(|w| w.contains("repeaters.grade_")),
                "{why:?}"
            );
        }
        other => panic!("not a cohort-flow: {:?}", other.kind()),
    }
}
