//! Replays the saved fuzz inputs (`tests/fuzz-regressions/<target>/`) through
//! exactly the body each cargo-fuzz target runs (`kpi_core::fuzzing`), so a
//! crash once found stays fixed under a plain `cargo test`. Every target must
//! have a folder with at least one input.

use std::path::PathBuf;

#[test]
fn every_saved_fuzz_input_runs_without_panic() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz-regressions");
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (target, run) in kpi_core::fuzzing::TARGETS {
        let dir = root.join(target);
        let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (every fuzz target needs its folder)",
                    dir.display()
                )
            })
            .map(|e| e.expect("readable folder entry").path())
            .filter(|p| p.is_file())
            .collect();
        inputs.sort();
        assert!(!inputs.is_empty(), "{} holds no input", dir.display());
        for input in inputs {
            let data = std::fs::read(&input).expect("readable input");
            if std::panic::catch_unwind(|| run(&data)).is_err() {
                failures.push(input.display().to_string());
            }
            replayed += 1;
        }
    }
    assert!(failures.is_empty(), "panicked on: {failures:#?}");
    assert!(replayed >= kpi_core::fuzzing::TARGETS.len());
}

#[test]
fn the_fuzz_targets_and_the_replay_list_agree() {
    // Each [[bin]] of fuzz/Cargo.toml is replayed, and nothing else.
    let manifest = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/Cargo.toml"),
    )
    .expect("fuzz/Cargo.toml");
    let mut bins: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .filter(|n| *n != "kpi-fuzz")
        .collect();
    bins.sort_unstable();
    let mut replayed: Vec<&str> = kpi_core::fuzzing::TARGETS.iter().map(|t| t.0).collect();
    replayed.sort_unstable();
    assert_eq!(bins, replayed);
}
