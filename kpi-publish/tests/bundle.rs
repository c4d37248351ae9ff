//! A bundle of the bundled sample: no record id in any file, and no
//! suppressed value derivable from what is published.

use kpi_engine::{Engine, EngineOptions};
use kpi_publish::{publish, Bundle, PublishOptions, SourceDigest};
use std::collections::HashSet;
use std::path::PathBuf;

fn demo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../demo/data")
}

fn engine() -> (Engine, Vec<SourceDigest>) {
    let sources = kpi_import::read_paths(&[demo()]).unwrap();
    let digests = sources
        .iter()
        .map(|s| SourceDigest::of(&s.name, &s.bytes))
        .collect();
    (
        Engine::from_sources(&sources, &EngineOptions::default()).unwrap(),
        digests,
    )
}

fn bundle(engine: &Engine, digests: &[SourceDigest], k: u32) -> Bundle {
    let options = PublishOptions {
        min_count: k,
        created: "2026-12-04".into(),
        ..PublishOptions::default()
    };
    publish(engine, digests, &options).unwrap()
}

/// Every value of a column of a CSV file of the sample.
fn column(file: &str, name: &str) -> HashSet<String> {
    let mut r = csv::Reader::from_path(demo().join(file)).unwrap();
    let i = r.headers().unwrap().iter().position(|h| h == name).unwrap();
    r.records().map(|rec| rec.unwrap()[i].to_string()).collect()
}

#[test]
fn no_student_or_respondent_id_is_in_any_published_file() {
    let (engine, digests) = engine();
    let b = bundle(&engine, &digests, 5);
    let mut ids = column("students.csv", "student_id");
    ids.extend(column("grades.csv", "student_id"));
    ids.extend(column("surveys.csv", "respondent_id"));
    assert!(ids.len() > 1000, "the sample has records: {}", ids.len());
    for f in &b.files {
        let text = std::str::from_utf8(&f.bytes).unwrap();
        for token in text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_')) {
            assert!(!ids.contains(token), "{}: holds record id {token}", f.path);
        }
    }
    // What is there: the manifest, the catalogue, the organisations by
    // region, the peer and region shards, risk and one page per organisation.
    assert_eq!(b.files[0].path, "manifest.json");
    assert!(b.file("catalogue.json").is_some());
    assert!(b.file("indicators/college/employment_rate.json").is_some());
    assert!(b
        .file("distributions/college/employment_rate.json")
        .is_some());
    assert!(b.file("risk/university/2024.json").is_some());
    let manifest: serde_json::Value = serde_json::from_slice(&b.files[0].bytes).unwrap();
    assert_eq!(manifest["format"], "kpi-bundle");
    assert_eq!(manifest["version"], 4);
    assert_eq!(manifest["suppression"]["min_count"], 5);
    assert_eq!(manifest["sources"].as_array().unwrap().len(), 5);
    assert_eq!(manifest["files"]["count"], b.files.len());
    // Every organisation has its page, listed under its region.
    let ds = engine.dataset();
    for org in ds.organisations() {
        let path = format!("orgs/{}.json", kpi_publish::path_key(&org.id));
        assert!(b.file(&path).is_some(), "{path}");
    }
    let listed: usize = b
        .files
        .iter()
        .filter(|f| f.path.starts_with("organisations/"))
        .map(|f| {
            let v: serde_json::Value = serde_json::from_slice(&f.bytes).unwrap();
            v["organisations"].as_array().unwrap().len()
        })
        .sum();
    assert_eq!(listed, ds.organisations().len());
    // SHA256SUMS names every other file with its hash, as `sha256sum -c` reads it.
    let sums = std::str::from_utf8(&b.file("SHA256SUMS").unwrap().bytes).unwrap();
    assert_eq!(sums.lines().count(), b.files.len() - 2);
    for line in sums.lines() {
        let (hash, path) = line.split_once("  ").unwrap();
        let f = b.file(path).unwrap();
        use sha2::Digest;
        let want: String = sha2::Sha256::digest(&f.bytes)
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect();
        assert_eq!(hash, want, "{path}");
    }
}

/// The region tables: `indicators/<level>/<region>/<year>/<indicator>.json`,
/// with their columns turned into one object per unit.
fn region_tables(b: &Bundle) -> impl Iterator<Item = serde_json::Value> + '_ {
    b.files
        .iter()
        .filter(|f| f.path.starts_with("indicators/") && f.path.matches('/').count() == 4)
        .map(|f| {
            let mut t: serde_json::Value = serde_json::from_slice(&f.bytes).unwrap();
            let cols = t["units"].as_object().unwrap().clone();
            let n = cols["org"].as_array().unwrap().len();
            let rows: Vec<serde_json::Value> = (0..n)
                .map(|i| {
                    serde_json::Value::Object(
                        cols.iter()
                            .map(|(k, v)| (k.clone(), v[i].clone()))
                            .collect(),
                    )
                })
                .collect();
            t["units"] = serde_json::Value::Array(rows);
            t
        })
}

#[test]
fn no_suppressed_value_can_be_derived_from_what_is_published() {
    let (engine, digests) = engine();
    let k = 30;
    let b = bundle(&engine, &digests, k);
    assert!(
        b.suppressed.primary > 0 && b.suppressed.secondary > 0,
        "{:?}",
        b.suppressed
    );
    let ds = engine.dataset();
    let table = engine.indicators();
    let mut groups_checked = 0;
    for shard in region_tables(&b) {
        let code = shard["indicator"].as_str().unwrap();
        let def = engine.catalogue().by_code(code).unwrap();
        if def.counts.is_none() {
            continue;
        }
        let year = shard["year"].as_i64().unwrap() as i32;
        let units = shard["units"].as_array().unwrap();
        // The true number of persons of a published or suppressed cell, from the engine.
        let n_of = |org: &str, programme: Option<&str>| -> f64 {
            let o = ds.org_by_id(org).unwrap();
            let unit = match programme {
                Some(p) => ds.programme_unit(o, p).unwrap(),
                None => ds.org_unit(o),
            };
            table.counts(ds, code, unit, year).map_or(0.0, |c| c.trials)
        };
        for u in units {
            let org = u["org"].as_str().unwrap();
            let programme = u["programme"].as_str();
            if u["status"] == "ok" {
                // Every published value stands on at least k persons, and says so.
                let n = n_of(org, programme);
                assert!(
                    n >= f64::from(k),
                    "{code} {org} {programme:?} {year}: n = {n}"
                );
                assert_eq!(u["n"].as_f64(), Some(n));
            } else {
                assert!(u["value"].is_null() && u["n"].is_null());
            }
            if programme.is_some() || u["status"] != "ok" {
                continue;
            }
            // The organisation and its programmes: with the organisation's
            // total out, the suppressed programmes together hold ≥ k persons.
            let hidden: Vec<&serde_json::Value> = units
                .iter()
                .filter(|p| p["org"] == org && p["programme"].is_string())
                .filter(|p| p["status"].as_str().unwrap().starts_with("suppressed"))
                .collect();
            if hidden.is_empty() {
                continue;
            }
            groups_checked += 1;
            let sum: f64 = hidden
                .iter()
                .map(|p| n_of(org, p["programme"].as_str()))
                .sum();
            assert!(
                sum >= f64::from(k),
                "{code} {org} {year}: suppressed programmes hold {sum} < {k}"
            );
        }
    }
    assert!(
        groups_checked > 0,
        "the sample has organisations with suppressed programmes"
    );
}

#[test]
fn peer_statistics_use_only_published_values_of_large_enough_groups() {
    let (engine, digests) = engine();
    let k = 5;
    let b = bundle(&engine, &digests, k);
    let f = b.file("indicators/college/employment_rate.json").unwrap();
    let shard: serde_json::Value = serde_json::from_slice(&f.bytes).unwrap();
    let years = shard["years"].as_array().unwrap();
    let tables: Vec<serde_json::Value> = region_tables(&b)
        .filter(|t| t["level"] == "college" && t["indicator"] == "employment_rate")
        .collect();
    assert!(tables.len() > years.len(), "colleges of several regions");
    for (i, y) in years.iter().enumerate() {
        let published: Vec<f64> = tables
            .iter()
            .filter(|t| &t["year"] == y)
            .flat_map(|t| t["units"].as_array().unwrap())
            .filter(|u| u["programme"].is_null() && u["status"] == "ok")
            .filter_map(|u| u["value"].as_f64())
            .collect();
        let national = &shard["national"][i];
        if published.len() < k as usize {
            assert!(national.is_null());
            continue;
        }
        // The median, computed here by sorting the published values.
        let mut s = published.clone();
        s.sort_by(f64::total_cmp);
        let m = if s.len() % 2 == 1 {
            s[s.len() / 2]
        } else {
            (s[s.len() / 2 - 1] + s[s.len() / 2]) / 2.0
        };
        assert_eq!(national["count"].as_u64(), Some(s.len() as u64));
        assert!((national["median"].as_f64().unwrap() - m).abs() < 1e-9);
    }
}
