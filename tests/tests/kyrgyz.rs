//! The Kyrgyz sample (`demo/data-kg`, `kpi sample --country kg`) imported through the Kyrgyz
//! headers, with the values of its first rows as written in the CSV, and the Naryn college's
//! answers in Kyrgyz.

use kpi_core::engine::{Engine, EngineOptions, ViewRequest};
use kpi_core::i18n::Lang;
use kpi_core::import::{load, read_paths, LoadOptions};
use kpi_core::indicators::Outcome;
use kpi_core::model::Level;
use std::path::PathBuf;

fn data_kg() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../demo/data-kg")
}

const NARYN: &str = "02103200110017";

#[test]
fn the_kyrgyz_sample_loads_without_a_single_issue_and_with_its_values() {
    let sources = read_paths(&[data_kg()]).expect("demo/data-kg is readable");
    let ds = load(sources, &LoadOptions::default());
    assert!(ds.report().issues.is_empty(), "{:#?}", ds.report().issues);
    assert_eq!(ds.organisations().len(), 75);
    let per_level = |level: Level| {
        ds.organisations()
            .iter()
            .filter(|o| o.level == level)
            .count()
    };
    assert_eq!(
        [
            Level::Preschool,
            Level::School,
            Level::College,
            Level::University
        ]
        .map(per_level),
        [10, 20, 36, 9]
    );
    let regions: std::collections::BTreeSet<&str> = ds
        .organisations()
        .iter()
        .map(|o| o.region.as_str())
        .collect();
    assert_eq!(regions.len(), 9, "{regions:?}");
    assert!(regions.contains("Нарын облусу") && regions.contains("Бишкек шаары"));
    // 14-digit ИНН and 8-digit ОКПО ids, as written.
    assert!(ds
        .organisations()
        .iter()
        .all(|o| o.id.len() == 14 || o.id.len() == 8));
    assert!(ds.organisations().iter().any(|o| o.id.len() == 8));
    let naryn = ds.org_by_id(NARYN).expect("the Naryn college");
    let org = ds.org(naryn);
    assert_eq!(org.level, Level::College);
    assert_eq!(org.region, "Нарын облусу");
    assert_eq!(org.display_name(Lang::Ky), kpi_core::sample::NARYN_COLLEGE);
    let unit = ds.org_unit(naryn);
    // The first rows of observations_kg.csv, as written.
    let v = |year, metric| ds.value(unit, year, metric);
    assert_eq!(v(2020, "students_enrolled"), Some(572.0));
    assert_eq!(v(2020, "applicants"), Some(256.0));
    assert_eq!(v(2020, "teachers_total"), Some(39.0));
    assert_eq!(v(2020, "graduates_employed"), Some(111.0));
    assert_eq!(v(2023, "graduates"), Some(189.0));
    assert_eq!(v(2023, "graduates_employed"), Some(120.0));
    assert_eq!(v(2023, "expelled"), Some(25.0));
    assert_eq!(v(2020, "teachers_with_degree"), None);
}

#[test]
fn the_naryn_college_answers_in_kyrgyz() {
    let sources = read_paths(&[data_kg()]).expect("demo/data-kg is readable");
    let engine = Engine::from_sources(&sources, &EngineOptions::default()).expect("engine");
    let naryn = engine.org(NARYN).expect("the Naryn college");
    let unit = engine.dataset().org_unit(naryn);
    let (id, _) = engine.indicator_def("employment_rate").expect("indicator");
    // 120 of 189 graduates employed in 2023–2024.
    match engine.indicators().get(id, unit, 2023) {
        Some(Outcome::Value(x)) => assert!((x - 100.0 * 120.0 / 189.0).abs() < 1e-9, "{x}"),
        other => panic!("{other:?}"),
    }
    let request = ViewRequest::from_json(&format!(
        r#"{{"kind": "kpi-card", "org": "{NARYN}", "indicator": "employment_rate", "year": 2023}}"#
    ))
    .expect("request");
    let input = engine.chart(&request).expect("chart input");
    let json = serde_json::to_string(&input).expect("JSON");
    // The card carries the indicator's Kyrgyz name; its sentence is made in Kyrgyz.
    assert!(
        json.contains(r#""ky":"Бүтүрүүчүлөрдүн жумушка орношуусу""#),
        "{json}"
    );
    let (_, def) = engine.indicator_def("employment_rate").expect("indicator");
    let subject = kpi_core::engine::subject_of(def);
    let series: Vec<(i32, Option<f64>)> = [2022, 2023]
        .into_iter()
        .map(|y| match engine.indicators().get(id, unit, y) {
            Some(Outcome::Value(x)) => (y, Some(x)),
            _ => (y, None),
        })
        .collect();
    let rows = kpi_core::analysis::year_table(&series).expect("two years");
    // 119 of 186 (63,98%) in 2022, 120 of 189 (63,49%) in 2023: 0,5 points lower.
    assert_eq!(
        kpi_core::summary::card_sentence(&subject, &rows[1], Lang::Ky),
        "Бүтүрүүчүлөрдүн жумушка орношуусу 2023–2024 окуу жылында: 63,5%, бул 2022–2023 окуу жылындагыдан 0,5 пайыздык пунктка төмөн."
    );
}
