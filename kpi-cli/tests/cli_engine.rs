//! `--engine datafusion` as the user runs it: the same indicators as the
//! in-memory engine, and clear refusals where it cannot serve.

mod common;

use common::{demo, kpi, text};

#[cfg(feature = "datafusion")]
#[test]
fn indicators_are_the_same_on_both_engines() {
    let dir = demo();
    let args = [
        "indicators",
        dir.as_str(),
        "--year",
        "2021",
        "--format",
        "csv",
    ];
    let memory = kpi(&args);
    let mut df_args = args.to_vec();
    df_args.extend(["--engine", "datafusion", "--memory-limit", "512MiB"]);
    let datafusion = kpi(&df_args);
    assert_eq!(memory.status.code(), Some(0), "{}", text(&memory.stderr));
    assert_eq!(
        datafusion.status.code(),
        Some(0),
        "{}",
        text(&datafusion.stderr)
    );
    let (a, b) = (text(&memory.stdout), text(&datafusion.stdout));
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    assert!(a.len() > 1_000, "{} lines", a.len());
    assert_eq!(a.len(), b.len());
    // Same rows; a value may differ only in its last bits (sums in another order).
    let value_col = a[0]
        .split(',')
        .position(|h| h == "value")
        .expect("a value column");
    for (x, y) in a.iter().zip(&b) {
        let (xs, ys): (Vec<&str>, Vec<&str>) = (x.split(',').collect(), y.split(',').collect());
        assert_eq!(xs.len(), ys.len(), "{x} / {y}");
        for (i, (p, q)) in xs.iter().zip(&ys).enumerate() {
            if i == value_col && p != q {
                let (p, q): (f64, f64) = (p.parse().expect("number"), q.parse().expect("number"));
                assert!((p - q).abs() <= 1e-9 * q.abs().max(1.0), "{x} / {y}");
            } else {
                assert_eq!(p, q, "{x} / {y}");
            }
        }
    }
}

#[cfg(feature = "datafusion")]
#[test]
fn students_needs_the_records_and_says_so() {
    let out = kpi(&["students", &demo(), "--at-risk", "--engine", "datafusion"]);
    assert_refused(&out, "--engine memory");
}

#[test]
fn a_bad_memory_limit_or_engine_is_refused() {
    let out = kpi(&["inspect", &demo(), "--engine", "duckdb"]);
    assert_refused(&out, "unknown engine `duckdb`");
    let out = kpi(&["inspect", &demo(), "--memory-limit", "2GiB"]);
    assert_refused(&out, "--engine datafusion only");
}

#[cfg(not(feature = "datafusion"))]
#[test]
fn without_the_feature_the_engine_is_refused_with_the_build_command() {
    let out = kpi(&["inspect", &demo(), "--engine", "datafusion"]);
    assert_refused(&out, "--features datafusion");
}

/// The command failed and its stderr says `needle`.
fn assert_refused(out: &std::process::Output, needle: &str) {
    assert_ne!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    assert!(stderr.contains(needle), "{stderr}");
}
