//! The committed demo sample (`demo/data/`) is exactly what the generator
//! writes for its documented options: `kpi sample --out demo/data --scale
//! small --seed 1 --years 2020..2024`. Regenerating it gives the same bytes, so
//! the demo and every test that reads it stay in step with the generator.

use kpi_model::YearSpan;
use kpi_sample::{generate, write_dir, SampleOptions, Scale};
use std::path::PathBuf;

fn demo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../demo/data")
}

fn demo_options() -> SampleOptions {
    SampleOptions {
        years: YearSpan::new(2020, 2024),
        ..SampleOptions::new(1, Scale::Small)
    }
}

#[test]
fn committed_demo_sample_regenerates_byte_identical() {
    let tmp = std::env::temp_dir().join(format!("kpi-sample-regen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let summary = write_dir(&demo_options(), &tmp, &mut |_, _| {}).expect("write the sample");
    let mut names: Vec<String> = summary.files.iter().map(|f| f.name.clone()).collect();
    names.sort();
    let mut committed: Vec<String> = std::fs::read_dir(demo_dir())
        .expect("demo/data exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv") || n.ends_with(".json"))
        .collect();
    committed.sort();
    assert_eq!(names, committed, "the same files");
    for f in &summary.files {
        let fresh = std::fs::read(tmp.join(&f.name)).expect("written file");
        let old = std::fs::read(demo_dir().join(&f.name)).expect("committed file");
        assert_eq!(fresh.len() as u64, f.bytes, "{}: summary size", f.name);
        assert!(
            fresh == old,
            "{} differs from the committed demo sample",
            f.name
        );
    }
    // The in-memory generator gives the same bytes as the folder writer.
    let in_memory = generate(&demo_options()).expect("generate");
    for f in &in_memory.files {
        let old = std::fs::read(demo_dir().join(&f.name)).expect("committed file");
        assert!(f.bytes == old, "{}: memory and folder differ", f.name);
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn committed_demo_sample_is_small() {
    let total: u64 = std::fs::read_dir(demo_dir())
        .expect("demo/data exists")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    // Small enough to commit and to load in a browser demo.
    assert!(total < 3_000_000, "{total} bytes");
}

#[test]
fn committed_kyrgyz_demo_sample_regenerates_byte_identical() {
    // kpi sample --country kg --out demo/data-kg --seed 1 --years 2020..2024
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../demo/data-kg");
    let sample = kpi_sample::generate_kyrgyz(1, Scale::Small, YearSpan::new(2020, 2024));
    assert_eq!(sample.files.len(), 2);
    let mut total = 0;
    for f in &sample.files {
        let old = std::fs::read(dir.join(&f.name)).expect("committed Kyrgyz file");
        assert!(f.bytes == old, "{} differs from demo/data-kg", f.name);
        total += old.len();
    }
    // Small: the Kyrgyz portal page downloads it.
    assert!(total < 100_000, "{total} bytes");
}
