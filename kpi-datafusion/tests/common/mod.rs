//! What the engine-comparison tests share: the bundled sample and the check
//! that two loads of it agree.

use kpi_datafusion::compare::compare;
use kpi_model::validate::Severity;
use kpi_model::Dataset;
use std::path::{Path, PathBuf};

/// The bundled sample, `demo/data`.
pub fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo/data")
}

/// Two loads of the bundled sample agree on every metric and indicator cell
/// (to 1e-9), on the number of errors and on each table's rows read and
/// rejected, and both hold the demo university's enrolment, so the record
/// metrics were really computed.
pub fn assert_same_demo(a: &Dataset, b: &Dataset) {
    let c = compare(a, b, 1e-9);
    assert!(c.metric_cells > 10_000, "{} metric cells", c.metric_cells);
    assert!(
        c.indicator_cells > 1_000,
        "{} indicator cells",
        c.indicator_cells
    );
    assert!(
        c.differences.is_empty(),
        "{} differences, first: {:#?}",
        c.differences.len(),
        &c.differences[..c.differences.len().min(10)]
    );
    for ds in [a, b] {
        let university = ds
            .org_by_id("120640797220")
            .expect("a university of the demo");
        let unit = ds.org_unit(university);
        assert!(ds.value(unit, 2020, "students_enrolled").is_some());
    }
    assert_eq!(
        a.report().count(Severity::Error),
        b.report().count(Severity::Error)
    );
    // Every table read the same number of rows, and rejected the same ones.
    let tables = |ds: &Dataset| {
        let mut t: Vec<_> = ds
            .report()
            .tables
            .iter()
            .map(|t| (t.kind, t.rows, t.rows_rejected, t.accepted))
            .collect();
        t.sort();
        t
    };
    let students = tables(a)
        .into_iter()
        .find(|t| t.0 == Some(kpi_model::validate::TableKind::Students));
    assert!(students.is_some_and(|t| t.1 > 100), "{students:?}");
    assert_eq!(tables(a), tables(b));
}
