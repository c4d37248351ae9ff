//! Engine tests: hand-computed values on a small built dataset, and every
//! chart kind from the generated sample.

use super::*;
use crate::GapBy;
use kpi_chart::{layout_chart, ChartInput, ChartOptions, Size};
use kpi_model::i18n::Lang;
use kpi_model::Organisation;
use kpi_model::{DatasetBuilder, Family, Level, Ownership};
use std::sync::OnceLock;

/// Two criteria with fixed thresholds, so scores are easy to compute by hand.
const TEST_CRITERIA: &str = r#"
[degrees]
low_max = 30
medium_max = 70
min_computable_weight_share = 0.6
min_peers = 2

[[criterion]]
id = "school.dropout"
labels = { kk = "Оқудан шығу", ru = "Отсев", en = "Dropout" }
indicator = "dropout_rate"
levels = ["school"]
weight = 1
warn = 2
critical = 6
rationale = "test"

[[criterion]]
id = "school.staffing"
labels = { kk = "Педагогтар", ru = "Педагоги", en = "Staffing" }
indicator = "student_teacher_ratio"
levels = ["school"]
weight = 1
warn = 15
critical = 25
rationale = "test"
"#;

fn school(id: &str, region: &str, ownership: Ownership) -> Organisation {
    Organisation {
        id: id.into(),
        name: format!("Мектеп {id}"),
        name_kk: None,
        name_ru: Some(format!("Школа {id}")),
        name_en: Some(format!("School {id}")),
        level: Level::School,
        region: region.into(),
        ownership: Some(ownership),
        locality: None,
    }
}

/// 2023 values (hand-made):
///
/// | org | region | enrolled | teachers | expelled | students/teacher | dropout % |
/// |-----|--------|---------:|---------:|---------:|-----------------:|----------:|
/// | S1  | Astana | 500 | 25 | 10 | 20 | 2 |
/// | S2  | Astana | 400 | 40 | 20 | 10 | 5 |
/// | S3  | Almaty | 600 | 20 |  6 | 30 | 1 |
/// | S4  | Almaty | 300 | 20 | 15 | 15 | 5 |
/// | S5  | Almaty | –   | –  | –  | –  | – |
///
/// S1 also has 2021 (480/24 → 20, 12 expelled → 2.5 %) and 2022 (490/28 → 17.5).
fn small_engine() -> Engine {
    let mut b = DatasetBuilder::new(2021, 2023)
        .organisation(school("S1", "Astana", Ownership::State))
        .organisation(school("S2", "Astana", Ownership::Private))
        .organisation(school("S3", "Almaty", Ownership::State))
        .organisation(school("S4", "Almaty", Ownership::State))
        .organisation(school("S5", "Almaty", Ownership::State));
    for (org, enrolled, teachers, expelled) in [
        ("S1", 500.0, 25.0, 10.0),
        ("S2", 400.0, 40.0, 20.0),
        ("S3", 600.0, 20.0, 6.0),
        ("S4", 300.0, 20.0, 15.0),
    ] {
        b = b
            .value(org, None, 2023, "students_enrolled", enrolled)
            .value(org, None, 2023, "teachers_total", teachers)
            .value(org, None, 2023, "expelled", expelled);
    }
    b = b
        .value("S1", None, 2021, "students_enrolled", 480.0)
        .value("S1", None, 2021, "teachers_total", 24.0)
        .value("S1", None, 2021, "expelled", 12.0)
        .value("S1", None, 2022, "students_enrolled", 490.0)
        .value("S1", None, 2022, "teachers_total", 28.0);
    let ds = b.build();
    let report = ds.report().clone();
    let criteria = CriteriaSet::from_toml_str("test.toml", TEST_CRITERIA).unwrap();
    Engine::new(ds, report, Catalogue::builtin(), criteria).unwrap()
}

fn request(json: &str) -> ViewRequest {
    serde_json::from_str(json).unwrap()
}

#[test]
fn kpi_card_value_previous_and_peer_percentile() {
    let e = small_engine();
    let r = request(r#"{"kind":"kpi-card","org":"S1","indicator":"student_teacher_ratio"}"#);
    let ChartInput::KpiCard(card) = e.chart(&r).unwrap() else {
        panic!("not a card")
    };
    assert_eq!(card.year, Some(2023));
    assert_eq!(card.value, Some(20.0)); // 500 / 25
    assert_eq!(card.previous, Some(17.5)); // 490 / 28
    let hist: Vec<(i32, f64)> = card.history.iter().map(|h| (h.year, h.value)).collect();
    assert_eq!(hist, [(2021, 20.0), (2022, 17.5), (2023, 20.0)]);
    // Peers 2023 (lower is better): 10, 15, 20, 30. S1 = 20 is better than
    // one (30), equal to itself: 100 × (1 + 0.5) / 4 = 37.5.
    assert_eq!(card.peer_percentile, Some(37.5));
    assert_eq!(card.peer_n, Some(4));
    assert_eq!(card.peer_median, Some(17.5)); // (15 + 20) / 2
                                              // Region peers (Astana: S1 = 20, S2 = 10): worse than S2 → 100 × 0.5 / 2 = 25.
    let r = request(
        r#"{"kind":"kpi-card","org":"S1","indicator":"student_teacher_ratio","peers":"region"}"#,
    );
    let ChartInput::KpiCard(card) = e.chart(&r).unwrap() else {
        panic!()
    };
    assert_eq!((card.peer_percentile, card.peer_n), (Some(25.0), Some(2)));
}

#[test]
fn kpi_card_without_value_says_why() {
    let e = small_engine();
    let r = request(r#"{"kind":"kpi-card","org":"S5","indicator":"dropout_rate"}"#);
    let ChartInput::KpiCard(card) = e.chart(&r).unwrap() else {
        panic!()
    };
    assert_eq!(card.value, None);
    assert!(card.reason.is_some_and(|r| !r.is_empty()));
}

#[test]
fn kpi_card_that_falls_back_to_an_older_year_says_so() {
    // S1's dropout: 2021 12/480 = 2.5 %; 2022 has no `expelled`. Asked for 2022, the card
    // shows 2021 and says why 2022 is missing, in its text, tooltip, summary and table.
    let e = small_engine();
    let r = request(r#"{"kind":"kpi-card","org":"S1","indicator":"dropout_rate","year":2022}"#);
    let input = e.chart(&r).unwrap();
    let ChartInput::KpiCard(card) = &input else {
        panic!("not a card")
    };
    assert_eq!((card.year, card.value), (Some(2021), Some(2.5)));
    let u = card.unavailable.as_ref().expect("the missing year");
    assert_eq!(u.year, 2022);
    let expected = [
        (
            Lang::En,
            "2021–2022 data; 2022–2023 not available: missing expelled in 2022",
        ),
        (
            Lang::Ru,
            "Данные за 2021–2022; за 2022–2023 данных нет: нет данных expelled за 2022 год",
        ),
        (
            Lang::Kk,
            "2021–2022 деректері; 2022–2023 деректері жоқ: 2022 жылы expelled деректері жоқ",
        ),
    ];
    for (lang, sentence) in expected {
        let opts = ChartOptions::new(lang, kpi_chart::ThemeName::Light);
        let l = layout_chart(&input, Size::new(480.0, 260.0), &opts).unwrap();
        assert!(l.summary.contains(sentence), "{lang:?}: {}", l.summary);
        assert_eq!(
            l.hits().points.get(0).unwrap().note.as_deref(),
            Some(sentence)
        );
        let drawn: String = l
            .scene
            .texts()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(drawn.contains(sentence), "{lang:?}: {drawn}");
        let table = l.table();
        assert!(
            table.rows.iter().flatten().any(|c| c == sentence),
            "{lang:?}: the data table has the sentence"
        );
    }
    // The latest year has a value (2023, 10/500 = 2 %): nothing to say.
    let r = request(r#"{"kind":"kpi-card","org":"S1","indicator":"dropout_rate"}"#);
    let ChartInput::KpiCard(card) = e.chart(&r).unwrap() else {
        panic!()
    };
    assert_eq!((card.year, card.value), (Some(2023), Some(2.0)));
    assert_eq!(card.unavailable, None);
}

#[test]
fn compare_bars_carry_the_wilson_interval_and_verdict() {
    // Dropout 2023 (lower is better): S1 10/500, S2 20/400, S3 6/600, S4 15/300; peer
    // median of 2, 5, 1, 5 % is 3.5 %. Wilson 95% by the score formula (Python):
    // S3 0.4590922177703892–2.16435448157228 lies wholly below 3.5: significantly better;
    // the others reach the median.
    let e = small_engine();
    let r = request(r#"{"kind":"compare","org":"S1","indicator":"dropout_rate","year":2023}"#);
    let ChartInput::Compare(c) = e.chart(&r).unwrap() else {
        panic!()
    };
    let sig = |id: &str| {
        c.bars
            .iter()
            .find(|b| b.id == id)
            .and_then(|b| b.significance)
            .unwrap_or_else(|| panic!("{id} has its interval"))
    };
    use kpi_chart::Significance::{Better, NotSignificant};
    for (id, lower, upper, verdict) in [
        ("S1", 1.0899183596210813, 3.6420183246879345, NotSignificant),
        ("S2", 3.259742983714726, 7.5963635063719614, NotSignificant),
        ("S3", 0.4590922177703892, 2.16435448157228, Better),
        ("S4", 3.0531640629347283, 8.084703347274415, NotSignificant),
    ] {
        let s = sig(id);
        assert!((s.lower - lower).abs() < 1e-9, "{id}: {s:?}");
        assert!((s.upper - upper).abs() < 1e-9, "{id}: {s:?}");
        assert_eq!(s.verdict, verdict, "{id}");
    }
    // Said in words in the tooltip (never colour alone), with the legend in the footer.
    let opts = ChartOptions::new(Lang::En, kpi_chart::ThemeName::Light);
    let l = layout_chart(
        &ChartInput::Compare(c.clone()),
        Size::new(640.0, 360.0),
        &opts,
    )
    .unwrap();
    let s3 = l.hits().points.iter().find(|p| p.id == "bar:S3").unwrap();
    assert_eq!(
        s3.note.as_deref(),
        Some("Significantly better than the peer median (95% Wilson interval 0.5%–2.2%)")
    );
    let drawn: Vec<&str> = l.scene.texts().map(|t| t.text.as_str()).collect();
    assert!(drawn.contains(&"1.0% +"), "{drawn:?}");
    assert!(
        drawn
            .iter()
            .any(|t| t.contains("+ / − significantly better / worse")),
        "{drawn:?}"
    );
}

#[test]
fn compare_orders_by_direction_and_highlights() {
    let e = small_engine();
    let r = request(r#"{"kind":"compare","org":"S2","indicator":"dropout_rate","year":2023}"#);
    let ChartInput::Compare(c) = e.chart(&r).unwrap() else {
        panic!()
    };
    // Dropout (lower is better): S3 1 %, S1 2 %, S2 5 %, S4 5 %; S5 not computable last.
    let ids: Vec<&str> = c.bars.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["S3", "S1", "S2", "S4", "S5"]);
    assert_eq!(c.bars[2].value, Some(5.0)); // 100 × 20 / 400
    assert!(c.bars[2].highlight && !c.bars[0].highlight);
    assert!(c.bars[4].value.is_none() && c.bars[4].reason.is_some());
    assert_eq!(c.median, Some(3.5)); // (2 + 5) / 2
    let cmp = e.comparison(&r).unwrap();
    let ranks: Vec<Option<usize>> = cmp.rows.iter().map(|r| r.rank).collect();
    assert_eq!(ranks, [Some(1), Some(2), Some(3), Some(3), None]); // tie shares 3
                                                                   // Percentile rank of S2 = 5 (by value): below 2, equal 2 → 100 × (2 + 1) / 4 = 75.
    assert_eq!(cmp.rows[2].percentile, Some(75.0));
    assert_eq!(cmp.n, 4);
}

#[test]
fn compare_risk_score_and_ranking() {
    let e = small_engine();
    // Scores 2023 (criterion s: lower-is-better, linear between warn and critical):
    // S1: dropout 2 → 0, ratio 20 → (20−15)/10 = 0.5 → R = 100 × 0.5 / 2 = 25
    // S2: dropout 5 → (5−2)/4 = 0.75, ratio 10 → 0 → R = 37.5
    // S3: dropout 1 → 0, ratio 30 → 1 → R = 50
    // S4: dropout 5 → 0.75, ratio 15 → 0 → R = 37.5
    // S5: nothing computable → insufficient data, last.
    let rows = e.ranking(
        &PeerSpec {
            level: Some(Level::School),
            year: Some(2023),
            ..Default::default()
        },
        Lang::En,
    );
    let got: Vec<(usize, &str, Option<f64>)> = rows
        .iter()
        .map(|r| (r.rank, r.org_id.as_str(), r.score))
        .collect();
    assert_eq!(got[0], (1, "S3", Some(50.0)));
    assert_eq!(got[1], (2, "S2", Some(37.5)));
    assert_eq!(got[2], (2, "S4", Some(37.5)));
    assert_eq!(got[3], (4, "S1", Some(25.0)));
    assert_eq!((got[4].0, got[4].1), (5, "S5"));
    assert_eq!(rows[4].degree, "insufficient_data");
    assert_eq!(rows[0].degree, "medium");
    assert_eq!(rows[0].top_criterion.as_deref(), Some("school.staffing"));
    assert_eq!(rows[0].name, "School S3");
    // Region filter: Astana only.
    let astana = e.ranking(
        &PeerSpec {
            level: Some(Level::School),
            region: Some("astana".into()),
            year: Some(2023),
            ..Default::default()
        },
        Lang::Ru,
    );
    let ids: Vec<&str> = astana.iter().map(|r| r.org_id.as_str()).collect();
    assert_eq!(ids, ["S2", "S1"]);
    assert_eq!(astana[0].name, "Школа S2");

    let r = request(
        r#"{"kind":"compare","indicator":"risk_score","peers":{"level":"school","year":2023}}"#,
    );
    let ChartInput::Compare(c) = e.chart(&r).unwrap() else {
        panic!()
    };
    // Lower risk is better: S1 25 first.
    assert_eq!(c.bars[0].id, "S1");
    assert_eq!(c.bars[0].value, Some(25.0));
}

#[test]
fn radar_family_scores_are_mean_percentiles_in_direction() {
    let e = small_engine();
    let r = request(r#"{"kind":"radar","org":"S1","year":2023}"#);
    let ChartInput::Radar(radar) = e.chart(&r).unwrap() else {
        panic!()
    };
    let input = radar
        .families
        .iter()
        .find(|f| f.family == Family::Input)
        .unwrap();
    // Input: students per teacher only (S1 percentile 37.5, see the card test).
    assert_eq!(input.indicators, Some(1));
    assert_eq!(input.score, Some(37.5));
    // Peers' input scores: S1 37.5, S2 (10: best) 87.5, S3 (30) 12.5, S4 (15) 62.5;
    // median (37.5 + 62.5) / 2 = 50.
    assert_eq!(input.peer_median, Some(50.0));
    let process = radar
        .families
        .iter()
        .find(|f| f.family == Family::Process)
        .unwrap();
    // Process: dropout only. Goodness order 5, 5, 2, 1: S1 = 2 better than two → 100 × 2.5 / 4.
    assert_eq!(process.indicators, Some(1));
    assert_eq!(process.score, Some(62.5));
}

#[test]
fn risk_views_explain_the_score() {
    let e = small_engine();
    let r = request(r#"{"kind":"risk-breakdown","org":"S3","year":2023}"#);
    let ChartInput::RiskBreakdown(b) = e.chart(&r).unwrap() else {
        panic!()
    };
    assert_eq!(b.score, Some(50.0));
    let staffing = b
        .criteria
        .iter()
        .find(|c| c.code == "school.staffing")
        .unwrap();
    assert_eq!(staffing.contribution, Some(50.0)); // 100 × 1 × 1 / 2
    assert_eq!(staffing.label.get(Lang::Ru), "Педагоги");
    let r = request(r#"{"kind":"risk-gauge","org":"S3"}"#);
    let ChartInput::RiskGauge(g) = e.chart(&r).unwrap() else {
        panic!()
    };
    assert_eq!((g.score, g.year), (Some(50.0), Some(2023)));
}

#[test]
fn risk_breakdown_tells_why_in_the_page_language() {
    // S1 has no `expelled` in 2022, so the dropout criterion is not computable.
    let e = small_engine();
    let r = request(r#"{"kind":"risk-breakdown","org":"S1","year":2022}"#);
    let ChartInput::RiskBreakdown(b) = e.chart(&r).unwrap() else {
        panic!()
    };
    let reason = |lang: &str| {
        let lang = Lang::from_code(lang).unwrap();
        let dropout = b.criteria.iter().find(|c| c.code == "school.dropout");
        dropout
            .and_then(|c| c.reason.as_ref())
            .map(|r| r.get(lang).to_string())
            .unwrap_or_default()
    };
    assert_eq!(reason("en"), "missing expelled in 2022");
    assert_eq!(reason("ru"), "нет данных expelled за 2022 год");
    assert_eq!(reason("kk"), "2022 жылы expelled деректері жоқ");
}

#[test]
fn errors_name_what_was_asked() {
    let e = small_engine();
    let err = e
        .chart(&request(
            r#"{"kind":"trend","org":"X9","indicator":"dropout_rate"}"#,
        ))
        .unwrap_err();
    assert_eq!(err.code(), "unknown_org");
    assert!(err.to_string().contains("X9"));
    let err = e
        .chart(&request(
            r#"{"kind":"trend","org":"S1","indicator":"nope"}"#,
        ))
        .unwrap_err();
    assert_eq!(
        err,
        EngineError::UnknownIndicator {
            indicator: "nope".into()
        }
    );
    // employment_rate is for colleges and universities only.
    let err = e
        .chart(&request(
            r#"{"kind":"kpi-card","org":"S1","indicator":"employment_rate"}"#,
        ))
        .unwrap_err();
    assert_eq!(err.code(), "not_applicable");
    assert!(err.to_string().contains("employment_rate") && err.to_string().contains("school"));
    let err = ViewRequest::from_json(r#"{"kind":"pie","org":"S1"}"#).unwrap_err();
    assert_eq!(err.code(), "unknown_kind");
    let err = e
        .chart(&request(
            r#"{"kind":"compare","org":"S1","indicator":"dropout_rate","year":1999}"#,
        ))
        .unwrap_err();
    assert_eq!(err.code(), "no_data");
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["code"], "no_data");
}

#[test]
fn info_lists_everything() {
    let e = small_engine();
    let info = e.info(Lang::Ru);
    assert_eq!(info.organisations.len(), 5);
    assert_eq!(info.organisations[0].name, "Школа S1");
    assert_eq!(info.organisations[0].names.kk, "Мектеп S1");
    assert_eq!(info.years, [2021, 2022, 2023]);
    assert_eq!(info.levels.len(), 1);
    assert_eq!(info.levels[0].count, 5);
    assert_eq!(info.regions.len(), 2);
    assert_eq!(info.indicators.len(), e.catalogue().len());
    let json = serde_json::to_value(&info).unwrap();
    assert_eq!(json["levels"][0]["code"], "school");
    assert_eq!(json["organisations"][1]["ownership"], "private");
}

#[test]
fn info_names_each_issue_kind_in_every_language() {
    let src = |name: &str, text: &str| kpi_import::Source {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    };
    let e = Engine::from_sources(
        &[
            src(
                "organisations.csv",
                "org_id,name,level,region\nS1,Школа,school,Abai\n",
            ),
            src(
                "observations.csv",
                "org_id,year,metric,value\nS1,2023,students_enrolled,-5\n",
            ),
        ],
        &EngineOptions::default(),
    )
    .unwrap();
    let info = e.info(Lang::En);
    let negative = info
        .issues
        .iter()
        .find(|i| i.code == "negative_count")
        .expect("the negative count is reported");
    assert_eq!(negative.found.as_deref(), Some("-5"));
    assert_eq!(negative.row, Some(2));
    assert_eq!(negative.titles.kk, "Теріс сан");
    assert_eq!(negative.titles.ru, "Отрицательное количество");
    assert_eq!(negative.titles.en, "Negative count");
}

/// The generated small sample, loaded once for all tests.
fn sample_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut opts = kpi_sample::SampleOptions::new(1, kpi_sample::Scale::Small);
        opts.years = kpi_model::YearSpan::new(2019, 2023);
        opts.student_rows = Some(500);
        opts.grade_rows = Some(500);
        let sample = kpi_sample::generate(&opts).unwrap();
        let sources: Vec<kpi_import::Source> = sample
            .files
            .into_iter()
            .filter(|f| f.name.ends_with(".csv"))
            .map(|f| kpi_import::Source {
                name: f.name,
                bytes: f.bytes,
            })
            .collect();
        Engine::from_sources(&sources, &EngineOptions::default()).unwrap()
    })
}

fn first_of(e: &Engine, level: Level) -> String {
    let o = e.dataset().orgs_of_level(level).next().unwrap();
    e.dataset().org(o).id.clone()
}

#[test]
fn every_kind_builds_from_the_sample_without_overlapping_texts() {
    let e = sample_engine();
    for (level, indicator) in [
        (Level::University, "employment_rate"),
        (Level::College, "employment_rate"),
        (Level::School, "dropout_rate"),
    ] {
        let org = first_of(e, level);
        for kind in [
            "kpi-card",
            "trend",
            "compare",
            "distribution",
            "scatter",
            "heatmap",
            "risk-gauge",
            "risk-breakdown",
            "radar",
            "table",
        ] {
            let r = ViewRequest {
                kind: kind.parse().unwrap(),
                org: Some(org.clone()),
                indicator: Some(indicator.into()),
                indicators: (kind == "scatter").then(|| vec!["student_teacher_ratio".to_string()]),
                top: (kind == "compare").then_some(15),
                ..Default::default()
            };
            let input = e
                .chart(&r)
                .unwrap_or_else(|err| panic!("{kind} for {level:?} {org}: {err}"));
            assert_eq!(input.kind(), kind);
            let size = match kind {
                "kpi-card" | "risk-gauge" => Size::new(360.0, 240.0),
                "heatmap" | "table" => Size::new(900.0, 1400.0),
                _ => Size::new(720.0, 440.0),
            };
            let chart = layout_chart(
                &input,
                size,
                &ChartOptions::new(Lang::Ru, Default::default()),
            )
            .unwrap_or_else(|err| panic!("{kind} for {level:?}: {err}"));
            let overlaps = chart.scene.overlapping_texts(0.5);
            assert!(
                overlaps.is_empty(),
                "{kind} for {level:?} {org}: overlapping texts {:?}",
                overlaps
                    .iter()
                    .map(|(a, b)| (&a.text, &b.text))
                    .collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn sample_trend_has_line_forecast_and_peer_bands() {
    let e = sample_engine();
    let org = first_of(e, Level::School);
    let r = request(&format!(
        r#"{{"kind":"trend","org":"{org}","indicator":"student_teacher_ratio"}}"#
    ));
    let ChartInput::Trend(t) = e.chart(&r).unwrap() else {
        panic!()
    };
    assert_eq!(t.points.len(), 5);
    let n = t.points.iter().filter(|p| p.value.is_some()).count();
    if n >= 3 {
        assert!(!t.trend.is_empty());
        assert_eq!(t.forecast.len(), 3);
        assert!(t
            .forecast
            .iter()
            .all(|f| f.lower <= f.value && f.value <= f.upper));
    }
    assert_eq!(t.peers.len(), 5);
    assert!(t.peers.iter().all(|p| p.n > 1));
    // The card's value is the table's value for the same cell.
    let unit = e.dataset().org_unit(e.org(&org).unwrap());
    let v = e.indicators().value("student_teacher_ratio", unit, 2023);
    assert_eq!(t.points[4].value, v);
}

#[test]
fn table_and_heatmap_show_the_compare_numbers() {
    let e = small_engine();
    let r = request(r#"{"kind":"table","org":"S2","indicator":"dropout_rate","year":2023}"#);
    let ChartInput::Table(t) = e.chart(&r).unwrap() else {
        panic!()
    };
    let cmp = e.comparison(&r).unwrap();
    assert_eq!(t.rows.len(), cmp.rows.len());
    let value_col = t.columns.iter().position(|c| c.key == "value").unwrap();
    let values: Vec<Option<f64>> = t.rows.iter().map(|row| row[value_col].value).collect();
    assert_eq!(values, [Some(1.0), Some(2.0), Some(5.0), Some(5.0), None]);
    let r = request(
        r#"{"kind":"heatmap","org":"S1","indicators":"student_teacher_ratio,dropout_rate","year":2023}"#,
    );
    let ChartInput::Heatmap(h) = e.chart(&r).unwrap() else {
        panic!()
    };
    assert_eq!(h.columns.len(), 2);
    let s1 = h.rows.iter().find(|row| row.id == "S1").unwrap();
    assert!(s1.highlight);
    // Same percentiles in direction as the card (37.5) and the radar (62.5), n = 4.
    assert_eq!(s1.cells[0].percentile, Some(37.5));
    assert_eq!(s1.cells[1].percentile, Some(62.5));
    assert_eq!(s1.cells[1].n, Some(4));
    let s5 = h.rows.iter().find(|row| row.id == "S5").unwrap();
    assert!(s5.cells[0].value.is_none() && s5.cells[0].reason.is_some());
}

#[test]
fn scatter_pairs_two_indicators_of_the_peer_group() {
    let e = small_engine();
    let r = request(
        r#"{"kind":"scatter","org":"S3","indicators":["student_teacher_ratio","dropout_rate"],"peers":"region","year":2023}"#,
    );
    let ChartInput::Scatter(s) = e.chart(&r).unwrap() else {
        panic!()
    };
    // Almaty: S3, S4, S5.
    let pts: Vec<(&str, Option<f64>, Option<f64>)> =
        s.points.iter().map(|p| (p.id.as_str(), p.x, p.y)).collect();
    assert_eq!(
        pts,
        [
            ("S3", Some(30.0), Some(1.0)),
            ("S4", Some(15.0), Some(5.0)),
            ("S5", None, None)
        ]
    );
    let err = e
        .chart(&request(
            r#"{"kind":"scatter","org":"S3","indicator":"dropout_rate"}"#,
        ))
        .unwrap_err();
    assert_eq!(err.code(), "bad_request");
}

#[test]
fn a_gauge_without_bands_uses_those_of_the_builtin_criteria() {
    // A portal may give a gauge its score alone; its bands must then be the
    // built-in criteria's, never a second copy that drifts from criteria.toml.
    let rules = *kpi_risk::CriteriaSet::builtin().rules();
    let gauge = kpi_chart::RiskGaugeData::default();
    assert_eq!(
        (gauge.low_max, gauge.medium_max),
        (rules.low_max, rules.medium_max)
    );
}

#[test]
fn risk_breakdown_says_when_the_min_gap_set_a_threshold() {
    // Dropout 2023 of S1–S4: 2, 5, 1, 5 % (sorted 1, 2, 5, 5). Type-7: median (h = 1.5) 3.5;
    // P75 (h = 2.25) 5 and P90 (h = 2.7) 5 both lie closer to the median than 3.5 + 2 = 5.5
    // and 3.5 + 3 = 6.5, so the gap sets both thresholds. S2 at 5 % scores 0 (was 1).
    let criteria = r#"
[degrees]
min_peers = 2

[[criterion]]
id = "school.dropout"
labels = { kk = "Оқудан шығу", ru = "Отсев", en = "Dropout" }
indicator = "dropout_rate"
levels = ["school"]
weight = 1
peer_percentile = { warn = 25, critical = 10 }
min_gap = { warn = 2, critical = 3, reason = "a pupil or two" }
rationale = "test"
"#;
    let base = small_engine();
    let ds = base.dataset().clone();
    let report = ds.report().clone();
    let set = CriteriaSet::from_toml_str("gap.toml", criteria).unwrap();
    let e = Engine::new(ds, report, Catalogue::builtin(), set).unwrap();
    let r = request(r#"{"kind":"risk-breakdown","org":"S2","year":2023}"#);
    let ChartInput::RiskBreakdown(b) = e.chart(&r).unwrap() else {
        panic!()
    };
    let c = &b.criteria[0];
    assert_eq!(c.criterion_score, Some(0.0));
    let strings = kpi_chart::ChartStrings::builtin();
    let (warn, _) = c.shown_thresholds(Lang::En, strings).unwrap();
    let (_, critical) = c.shown_thresholds(Lang::Ru, strings).unwrap();
    let (warn_kk, _) = c.shown_thresholds(Lang::Kk, strings).unwrap();
    assert_eq!(warn, "5.5% (minimum gap from the peer median 3.5%)");
    assert_eq!(
        critical,
        "6,5\u{a0}% (минимальный разрыв от медианы группы 3,5\u{a0}%)"
    );
    assert!(warn_kk.contains("топ медианасынан ең аз алшақтық"));
}

#[test]
fn trend_says_when_mann_kendall_disagrees_and_bounds_the_forecast() {
    // U1 employment 78.8, 74.5, 75.0, 70.0, 70.5 %: OLS p = 0.0253 (scipy.stats.linregress),
    // Mann–Kendall S = −6, p = 0.2207 (kpi-summary's test). Final attestation 96, 97, 98.5,
    // 99 %, then 99.5 %: the OLS line (slope 0.9 a year) passes 100 within the horizon.
    let mut b = DatasetBuilder::new(2020, 2024).org("U1", Level::University, "Astana");
    for (year, employed, passed) in [
        (2020, 788.0, 960.0),
        (2021, 745.0, 970.0),
        (2022, 750.0, 985.0),
        (2023, 700.0, 990.0),
        (2024, 705.0, 995.0),
    ] {
        b = b
            .value("U1", None, year, "graduates", 1000.0)
            .value("U1", None, year, "graduates_employed", employed)
            .value("U1", None, year, "final_attestation_pass", passed);
    }
    let ds = b.build();
    let report = ds.report().clone();
    let e = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
    let r = request(r#"{"kind":"trend","org":"U1","indicator":"employment_rate"}"#);
    let ChartInput::Trend(t) = e.chart(&r).unwrap() else {
        panic!()
    };
    let sub = t.subtitle.clone().unwrap();
    assert!(sub.get(Lang::En).ends_with(
        "(p = 0.03), a deterioration. The Mann–Kendall test, which does not assume a straight line, finds no significant trend (p = 0.22): the decline is not certain."
    ), "{}", sub.get(Lang::En));
    assert!(sub.get(Lang::Ru).contains("Тест Манна — Кендалла"));
    assert!(sub.get(Lang::Kk).contains("Манн — Кендалл тесті"));
    // The chart input carries both tests' p-values (the same results as the sentence's),
    // and the chart's accessible summary says the tests disagree.
    let ols = t.tests.ols.unwrap();
    let mk = t.tests.mann_kendall.unwrap();
    assert!((ols.p_value - 0.0253).abs() < 5e-4, "{ols:?}");
    assert!((mk.p_value - 0.2207).abs() < 5e-4, "{mk:?}");
    assert_eq!(t.tests.level(), 0.05);
    let chart = layout_chart(
        &ChartInput::Trend(t.clone()),
        Size::new(640.0, 360.0),
        &ChartOptions {
            lang: Lang::En,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        chart.summary.contains(
            "the tests disagree: OLS p = 0.03, significant; Mann–Kendall p = 0.22, not significant"
        ),
        "{}",
        chart.summary
    );

    let r = request(r#"{"kind":"trend","org":"U1","indicator":"final_attestation_pass_rate"}"#);
    let ChartInput::Trend(t) = e.chart(&r).unwrap() else {
        panic!()
    };
    // Unclamped, the 2027 line is above 100: slope Σ(x − x̄)(y − ȳ) / Σ(x − x̄)² = 9 / 10
    // = 0.9 around x̄ = 2022, ȳ = 98, so ŷ(2027) = 98 + 0.9·5 = 102.5.
    let last = t.forecast.last().unwrap();
    assert_eq!(last.year, 2027);
    assert_eq!((last.value, last.upper), (100.0, 100.0));
    assert!(t
        .forecast
        .iter()
        .all(|p| p.lower >= 0.0 && p.upper <= 100.0));
    // The CLI's trend report carries the same clamped forecast.
    let report = e.trend("U1", "final_attestation_pass_rate").unwrap();
    let f = report.analysis.unwrap().forecast.unwrap();
    let pairs: Vec<(f64, f64, f64)> = f
        .points
        .iter()
        .map(|p| (p.value, p.lower, p.upper))
        .collect();
    let chart: Vec<(f64, f64, f64)> = t
        .forecast
        .iter()
        .map(|p| (p.value, p.lower, p.upper))
        .collect();
    assert_eq!(pairs, chart);
}

/// Seven colleges, 200 graduates each: urban employment 80, 84, 82, 79.5 %, rural 70,
/// 66, 71 %, one college without a locality (90 %) and one without graduates data.
fn gap_engine() -> Engine {
    use kpi_model::Locality;
    let college = |id: &str, locality: Option<Locality>| Organisation {
        id: id.into(),
        name: format!("Колледж {id}"),
        name_kk: None,
        name_ru: None,
        name_en: None,
        level: Level::College,
        region: "Abai".into(),
        ownership: None,
        locality,
    };
    let mut b = DatasetBuilder::new(2023, 2023);
    let rows = [
        ("U1", Some(Locality::Urban), Some(160.0)),
        ("R1", Some(Locality::Rural), Some(140.0)),
        ("U2", Some(Locality::Urban), Some(168.0)),
        ("R2", Some(Locality::Rural), Some(132.0)),
        ("U3", Some(Locality::Urban), Some(164.0)),
        ("R3", Some(Locality::Rural), Some(142.0)),
        ("U4", Some(Locality::Urban), Some(159.0)),
        ("X1", None, Some(180.0)),
        ("N1", Some(Locality::Rural), None),
    ];
    for (id, locality, employed) in rows {
        b = b.organisation(college(id, locality));
        if let Some(e) = employed {
            b = b.value(id, None, 2023, "graduates", 200.0).value(
                id,
                None,
                2023,
                "graduates_employed",
                e,
            );
        }
    }
    let ds = b.build();
    let report = ds.report().clone();
    Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap()
}

#[test]
fn gaps_by_locality_match_scipy_and_say_so_in_three_languages() {
    // python3 -c "from scipy import stats; r = stats.ttest_ind([80,84,82,79.5],[70,66,71],
    //   equal_var=False); print(r.statistic, r.pvalue, r.df)"
    // -> 6.720557909691094 0.003314207918689675 3.7146743020758763
    let e = gap_engine();
    let g = e
        .gaps("employment_rate", 2023, Level::College, GapBy::Locality)
        .unwrap();
    assert_eq!((g.with_value, g.without_value, g.without_group), (8, 1, 1));
    let gaps = g.gaps.as_ref().unwrap();
    // Groups in key order: rural, urban; the pair is rural − urban = 69 − 81.375.
    assert_eq!(gaps.groups[0].group, "rural");
    assert_eq!(
        (gaps.best.as_str(), gaps.worst.as_str()),
        ("urban", "rural")
    );
    assert!((gaps.best_minus_worst - 12.375).abs() < 1e-12);
    let pair = gaps.pair.as_ref().unwrap();
    assert!((pair.mean_difference + 12.375).abs() < 1e-12);
    let w = pair.welch.as_ref().unwrap();
    assert!((w.t + 6.720557909691094).abs() < 1e-9, "{}", w.t);
    assert!((w.df - 3.7146743020758763).abs() < 1e-9);
    assert!((w.p_value - 0.003314207918689675).abs() < 1e-8);
    assert_eq!(
        g.summary.get(Lang::En),
        "Graduate employment, 2023–2024: the best group is urban (81.4%, n = 4), the worst rural (69.0%, n = 3), a gap of 12.4 percentage points. The difference is significant (Welch's t-test, p = 0.003)."
    );
    assert_eq!(
        g.summary.get(Lang::Ru),
        "Трудоустройство выпускников, 2023–2024: лучшая группа — городские (81,4%, n = 4), худшая — сельские (69,0%, n = 3), разрыв 12,4 п.п. Различие значимо (t-критерий Уэлча, p = 0,003)."
    );
    assert_eq!(
        g.summary.get(Lang::Kk),
        "Түлектердің жұмысқа орналасуы, 2023–2024: ең жақсы топ — қалалық (81,4%, n = 4), ең нашар топ — ауылдық (69,0%, n = 3), алшақтық 12,4 п.п. Айырмашылық маңызды (Уэлчтің t-критерийі, p = 0,003)."
    );
    // By ownership nobody has a group: not computable, and the sentence says why.
    let g = e
        .gaps("employment_rate", 2023, Level::College, GapBy::Ownership)
        .unwrap();
    assert!(g.gaps.is_err());
    assert_eq!(g.without_group, 8);
    assert!(g.summary.get(Lang::En).contains("cannot be computed"));
    assert!(e
        .gaps("employment_rate", 2019, Level::College, GapBy::Region)
        .is_err());
}

#[test]
fn gaps_chart_carries_the_intervals_and_test_of_kpi_gaps() {
    // scipy.stats.t.interval(0.95, n - 1, loc=mean, scale=sd / sqrt(n)):
    // rural [70, 66, 71] -> (62.42758939227157, 75.57241060772843)
    // urban [80, 84, 82, 79.5] -> (78.10265948419756, 84.64734051580244)
    let e = gap_engine();
    let report = e
        .gaps("employment_rate", 2023, Level::College, GapBy::Locality)
        .unwrap();
    let gaps = report.gaps.as_ref().unwrap();
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    let (lo, hi) = gaps.groups[0].mean_ci95.clone().unwrap();
    assert!(close(lo, 62.42758939227157) && close(hi, 75.57241060772843));
    let (lo, hi) = gaps.groups[1].mean_ci95.clone().unwrap();
    assert!(close(lo, 78.10265948419756) && close(hi, 84.64734051580244));
    // The widget request: the org's level, grouped by locality.
    let org = e
        .dataset()
        .org(e.dataset().orgs_of_level(Level::College).next().unwrap());
    let r = ViewRequest::from_json(&format!(
        r#"{{"kind":"gaps","indicator":"employment_rate","org":"{}","year":2023,"by":"locality"}}"#,
        org.id
    ))
    .unwrap();
    let ChartInput::Gaps(d) = e.chart(&r).unwrap() else {
        panic!("not gaps")
    };
    assert_eq!(d.groups.len(), 2);
    for (g, s) in d.groups.iter().zip(&gaps.groups) {
        assert_eq!(g.id, s.group);
        assert_eq!(g.n as usize, s.n);
        assert_eq!(g.mean, Some(s.mean));
        assert_eq!((g.ci_low, g.ci_high), {
            let c = s.mean_ci95.clone().unwrap();
            (Some(c.0), Some(c.1))
        });
    }
    assert_eq!(d.overall, Some(gaps.overall_mean));
    assert_eq!(d.best.as_deref(), Some("urban"));
    let t = d.test.as_ref().unwrap();
    assert!(close(t.difference, -12.375));
    assert!((t.p_value.unwrap() - 0.003314207918689675).abs() < 1e-8);
    // The same from a level alone (peers="college"), and the year by default.
    let r = ViewRequest::from_json(
        r#"{"kind":"gaps","indicator":"employment_rate","peers":"college"}"#,
    )
    .unwrap();
    assert_eq!(e.chart(&r).unwrap(), ChartInput::Gaps(d.clone()));
    // Drawn: the subtitle and the summary give the difference and p; one point per group.
    let layout = kpi_chart::layout_chart(
        &ChartInput::Gaps(d),
        kpi_chart::Size::new(640.0, 320.0),
        &kpi_chart::ChartOptions::new(Lang::En, kpi_chart::ThemeName::Light),
    )
    .unwrap();
    assert_eq!(layout.hits().points.len(), 2);
    assert!(
        layout
            .summary
            .contains("Difference rural − urban: −12.4\u{a0}pp, Welch p = 0.003, significant"),
        "{}",
        layout.summary
    );
    assert!(layout.summary.contains("78.1%–84.6%"), "{}", layout.summary);
    // Without an org or a level it says what is missing; a wrong `by` is a bad request.
    let r = ViewRequest::from_json(r#"{"kind":"gaps","indicator":"employment_rate"}"#).unwrap();
    assert!(e.chart(&r).unwrap_err().to_string().contains("level"));
    assert!(ViewRequest::from_json(r#"{"kind":"gaps","by":"gender"}"#).is_err());
}

#[test]
fn cohort_flow_chart_carries_the_reconstructed_cohort() {
    // The worked example of docs/methods.md ("Cohort analysis"): grades 1–3 with 100, 95, 90
    // pupils in 2022; 110, 93, 94 in 2023; 4, 3, 5 repeaters in 2023; 80 graduates in 2022.
    let mut b = DatasetBuilder::new(2022, 2023).org("S1", Level::School, "Astana");
    for (year, enrolled, repeaters) in [
        (2022, [100.0, 95.0, 90.0], [0.0, 0.0, 0.0]),
        (2023, [110.0, 93.0, 94.0], [4.0, 3.0, 5.0]),
    ] {
        for g in 0..3 {
            b = b
                .value(
                    "S1",
                    None,
                    year,
                    &format!("students_enrolled.grade_{}", g + 1),
                    enrolled[g],
                )
                .value(
                    "S1",
                    None,
                    year,
                    &format!("repeaters.grade_{}", g + 1),
                    repeaters[g],
                );
        }
    }
    let ds = b.value("S1", None, 2022, "graduates", 80.0).build();
    let report = ds.report().clone();
    let e = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
    let r = ViewRequest::from_json(r#"{"kind":"cohort-flow","org":"S1"}"#).unwrap();
    let ChartInput::CohortFlow(d) = e.chart(&r).unwrap() else {
        panic!("not cohort-flow")
    };
    // By hand, the rates (UNESCO): p = (E_{g+1,t+1} − R_{g+1,t+1}) / E_{g,t}, r = R_{g,t+1} / E_{g,t},
    // p₃ = graduates / E₃.
    let p = [90.0 / 100.0, 89.0 / 95.0, 80.0 / 90.0];
    let rep = [4.0 / 100.0, 3.0 / 95.0, 5.0 / 90.0];
    // Written another way than the engine's attempt-by-attempt flow: with at most 3
    // repetitions, those who go on from a grade are entrants · p · (1 + r + r² + r³), and
    // each entrant spends (1 + r + r² + r³) pupil-years in it on average.
    let attempts = |r: f64| 1.0 + r + r * r + r * r * r;
    let mut entrants = vec![1000.0];
    for g in 0..3 {
        entrants.push(entrants[g] * p[g] * attempts(rep[g]));
    }
    let years: f64 = (0..3).map(|g| entrants[g] * attempts(rep[g])).sum();
    let graduates = entrants[3];
    // The same figures from exact fractions (Python `fractions`), as the docs quote them.
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
    assert!(close(entrants[1], 937.4976) && close(entrants[2], 906.9261241774977));
    assert!(close(graduates, 853.5693974692956) && close(years, 2969.9967833536575));
    assert_eq!(d.year, Some(2022));
    assert_eq!(d.stage, kpi_chart::CohortStage::Grade);
    assert_eq!(d.grades.len(), 3);
    for (g, grade) in d.grades.iter().enumerate() {
        assert_eq!(grade.grade as usize, g + 1);
        assert!(
            close(grade.entrants.unwrap(), entrants[g]),
            "grade {}",
            g + 1
        );
        assert!(close(grade.promotion.unwrap(), p[g]));
        assert!(close(grade.repetition.unwrap(), rep[g]));
        assert!(close(grade.dropout.unwrap(), 1.0 - p[g] - rep[g]));
    }
    assert!(close(d.graduates.unwrap(), graduates));
    let coe = graduates * 3.0 / years;
    assert!(close(d.coefficient_of_efficiency.unwrap(), coe));
    assert!(close(coe, 0.862192244368827));
    assert!(close(
        d.pupil_years_per_graduate.unwrap(),
        years / graduates
    ));
    // Drawn: one point per grade and one for the graduates, reachable in one lane, and
    // the takeaway in each language.
    let draw = |d: &kpi_chart::CohortFlowData, lang: Lang| {
        kpi_chart::layout_chart(
            &ChartInput::CohortFlow(d.clone()),
            kpi_chart::Size::new(640.0, 360.0),
            &kpi_chart::ChartOptions::new(lang, kpi_chart::ThemeName::Light),
        )
        .unwrap()
    };
    let en = draw(&d, Lang::En);
    let ids: Vec<String> = en.hits().points.iter().map(|p| p.id.clone()).collect();
    assert_eq!(ids, ["grade:1", "grade:2", "grade:3", "graduates"]);
    assert_eq!(en.hits().lanes, vec![vec![0, 1, 2, 3]]);
    let grade2 = en.hits().points.get(1).unwrap();
    assert_eq!(grade2.value_text, "93.7%");
    let tip = grade2.tooltip_lines().join(" | ");
    assert!(tip.contains("Of 1,000 entrants: 937"), "{tip}");
    assert!(
        tip.contains("Promoted: 93.7%") && tip.contains("Repeated: 3.2%"),
        "{tip}"
    );
    assert!(tip.contains("Dropped out: 3.2%"), "{tip}");
    let takeaways = [
        (
            Lang::En,
            "Survival to the last year of study: 90.7%; 854 of 1,000 graduate; coefficient of efficiency 0.86",
        ),
        (
            Lang::Ru,
            "До последнего года обучения доходят: 90,7\u{a0}%; выпускников 854 из 1\u{a0}000; коэффициент эффективности 0,86",
        ),
        (
            Lang::Kk,
            "Соңғы оқу жылына жететіндер: 90,7%; 1\u{a0}000 түсушіден 854 түлек; тиімділік коэффициенті 0,86",
        ),
        (
            Lang::Ky,
            "Акыркы окуу жылына жеткендер: 90,7%; 1\u{a0}000 кабыл алынгандан 854 бүтүрүүчү; натыйжалуулук коэффициенти 0,86",
        ),
    ];
    for (lang, sentence) in takeaways {
        let s = draw(&d, lang).summary;
        assert!(s.contains(sentence), "{lang:?}: {s}");
    }
    // Without repeaters by grade the cohort cannot be reconstructed: the chart says why.
    let ds = DatasetBuilder::new(2022, 2023)
        .org("S2", Level::School, "Astana")
        .value("S2", None, 2022, "students_enrolled.grade_1", 100.0)
        .value("S2", None, 2023, "students_enrolled.grade_1", 100.0)
        .value("S2", None, 2022, "graduates", 90.0)
        .build();
    let report = ds.report().clone();
    let e = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
    let r = ViewRequest::from_json(r#"{"kind":"cohort-flow","org":"S2"}"#).unwrap();
    let ChartInput::CohortFlow(d) = e.chart(&r).unwrap() else {
        panic!("not cohort-flow")
    };
    assert!(d.grades.is_empty());
    let en = draw(&d, Lang::En);
    assert!(en.hits().points.is_empty());
    assert!(
        en.summary.ends_with(
            "The cohort cannot be reconstructed: missing data: repeaters.grade_1 in 2023–2024"
        ),
        "{}",
        en.summary
    );
    let drawn: Vec<&str> = en.scene.texts().map(|t| t.text.as_str()).collect();
    assert!(
        drawn.iter().any(|t| t.contains("cannot be reconstructed")),
        "{drawn:?}"
    );
    // Without an org it says so.
    let r = ViewRequest::from_json(r#"{"kind":"cohort-flow"}"#).unwrap();
    assert!(e
        .chart(&r)
        .unwrap_err()
        .to_string()
        .contains("needs an org"));
}

#[test]
fn gaps_by_sex_compare_women_and_men_with_welch_and_the_parity_index() {
    // Employment of women and men in five colleges, from their own counts:
    // women 40/50, 45/60, 36/40, 14/20, 34/40 = 80, 75, 90, 70, 85 %;
    // men 30/50, 28/40, 33/60, 39/60 = 60, 70, 55, 65 % (C5 records no men).
    let rows = [
        ("C1", (50.0, 40.0), Some((50.0, 30.0))),
        ("C2", (60.0, 45.0), Some((40.0, 28.0))),
        ("C3", (40.0, 36.0), Some((60.0, 33.0))),
        ("C4", (20.0, 14.0), Some((60.0, 39.0))),
        ("C5", (40.0, 34.0), None),
    ];
    let mut b = DatasetBuilder::new(2023, 2023);
    for (id, (fg, fe), male) in rows {
        let (mg, me) = male.unwrap_or((0.0, 0.0));
        b = b
            .org(id, Level::College, "Abai")
            .value(id, None, 2023, "graduates", fg + mg)
            .value(id, None, 2023, "graduates_employed", fe + me)
            .value(id, None, 2023, "graduates.female", fg)
            .value(id, None, 2023, "graduates_employed.female", fe);
        if let Some((mg, me)) = male {
            b = b.value(id, None, 2023, "graduates.male", mg).value(
                id,
                None,
                2023,
                "graduates_employed.male",
                me,
            );
        }
    }
    let ds = b.build();
    let report = ds.report().clone();
    let e = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
    let g = e
        .gaps("employment_rate", 2023, Level::College, GapBy::Sex)
        .unwrap();
    let gaps = g.gaps.as_ref().unwrap();
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
    let names: Vec<&str> = gaps.groups.iter().map(|s| s.group.as_str()).collect();
    assert_eq!(names, ["female", "male"]);
    assert_eq!((gaps.groups[0].n, gaps.groups[1].n), (5, 4));
    assert!(close(gaps.groups[0].mean, 80.0) && close(gaps.groups[1].mean, 62.5));
    // scipy.stats.ttest_ind([80, 75, 90, 70, 85], [60, 70, 55, 65], equal_var=False)
    let pair = gaps.pair.as_ref().unwrap();
    assert!(close(pair.mean_difference, 17.5));
    let w = pair.welch.as_ref().unwrap();
    assert!((w.t - 3.6556307750696546).abs() < 1e-9, "{w:?}");
    assert!((w.df - 6.98076923076923).abs() < 1e-9, "{w:?}");
    assert!((w.p_value - 0.008156170828391866).abs() < 1e-8, "{w:?}");
    // GPI 80 / 62.5 = 1.28 > 1, so adjusted 2 − 1/1.28 = 1.21875.
    let parity = g.parity.clone().unwrap().unwrap();
    assert!(close(parity.gpi, 1.28) && close(parity.adjusted, 1.21875));
    assert!(
        g.summary
            .en
            .ends_with("Gender parity index (women / men) 1.28, adjusted 1.22 (1 = parity)."),
        "{}",
        g.summary.en
    );
    // The widget: `by="sex"`, the test and the parity index on the chart's test line.
    let r = ViewRequest::from_json(
        r#"{"kind":"gaps","indicator":"employment_rate","peers":"college","by":"sex"}"#,
    )
    .unwrap();
    let ChartInput::Gaps(d) = e.chart(&r).unwrap() else {
        panic!("not gaps")
    };
    let p = d.parity.unwrap();
    assert!(close(p.index, 1.28) && close(p.adjusted, 1.21875));
    // No counts by sex: not computable, and the summary says what is missing.
    let none = e
        .gaps("dropout_rate", 2023, Level::College, GapBy::Sex)
        .unwrap();
    assert!(none.gaps.is_err() && none.parity.is_none());
    assert!(
        none.summary
            .en
            .contains("missing data: dropout_rate.female / dropout_rate.male"),
        "{}",
        none.summary.en
    );
    for (lang, sentence) in [
        (
            Lang::En,
            "Difference women − men: +17.5\u{a0}pp, Welch p = 0.008, significant; gender parity index 1.28 (adjusted 1.22)",
        ),
        (
            Lang::Ru,
            "Разница женщины − мужчины: +17,5\u{a0}п.п., Уэлч p = 0,008, значим; индекс гендерного паритета 1,28 (скорректированный 1,22)",
        ),
    ] {
        let layout = kpi_chart::layout_chart(
            &ChartInput::Gaps(d.clone()),
            kpi_chart::Size::new(640.0, 320.0),
            &kpi_chart::ChartOptions::new(lang, kpi_chart::ThemeName::Light),
        )
        .unwrap();
        assert!(layout.summary.contains(sentence), "{}", layout.summary);
    }
}

/// The engine builds each explanation when asked (and the whole table on `risk()`); both
/// must be what `kpi_risk::assess` computes in one pass over the same data, for every
/// organisation and year, and the summaries must be `assess_summary`'s.
#[test]
fn lazy_risk_is_the_one_pass_assessment() {
    let e = sample_engine();
    let inputs = IndicatorInputs::new(e.indicators());
    let filter = RiskFilter::default();
    let all = kpi_risk::assess(e.dataset(), &inputs, e.criteria(), &filter);
    assert!(
        all.assessments.len() > 100,
        "the sample has organisations to assess"
    );
    let mut asked = 0;
    for a in &all.assessments {
        assert_eq!(e.assessment(a.org, a.year), Some(a));
        asked += 1;
    }
    assert_eq!(asked, all.assessments.len());
    // Organisations and years without an assessment have none in the engine either.
    let first = e.dataset().years().iter().next().unwrap();
    assert!(e.assessment(OrgIdx(0), first - 1).is_none());
    assert_eq!(e.risk().assessments, all.assessments);
    // Once the whole table exists, a fresh engine answers from it (no second copy).
    let fresh = sample_engine();
    let table = fresh.risk();
    for a in &all.assessments {
        let got = fresh.assessment(a.org, a.year).unwrap();
        assert_eq!(got, a);
        let got: *const _ = got;
        assert!(table.assessments.as_ptr_range().contains(&got));
    }
    assert!(fresh.assessment(OrgIdx(0), first - 1).is_none());
    assert_eq!(
        e.risk_summaries(),
        kpi_risk::assess_summary(e.dataset(), &inputs, e.criteria(), &filter).as_slice()
    );
}

/// Indicators and risk summaries are computed on every thread (kpi-pool; rayon natively):
/// on pools of one, two and three threads the engine has the same indicator table (every
/// cell and its warnings) and the same summaries, and those are what the one-pass scoring
/// of every organisation in turn (`assess_summary`) gives.
#[test]
fn indicators_and_risk_do_not_depend_on_the_number_of_threads() {
    let sample = sample_engine();
    let built_on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let ds = sample.dataset().clone();
            let report = ds.report().clone();
            Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap()
        })
    };
    let cells = |e: &Engine| {
        let t = e.indicators();
        t.iter(&kpi_indicators::Filter::default())
            .map(|c| {
                let warnings = t.warnings(c.indicator, c.unit, c.year).to_vec();
                (c.indicator, c.unit, c.year, c.outcome, warnings)
            })
            .collect::<Vec<_>>()
    };
    // Each engine built once: the one-thread one is the reference, the three-thread one
    // is also checked cell by cell below.
    let engines = [1, 2, 3].map(|threads| (threads, built_on(threads)));
    let one = &engines[0].1;
    let expected_cells = cells(one);
    let inputs = IndicatorInputs::new(one.indicators());
    let in_turn = kpi_risk::assess_summary(
        one.dataset(),
        &inputs,
        one.criteria(),
        &RiskFilter::default(),
    );
    assert!(in_turn.len() > 1000, "{} summaries", in_turn.len());
    assert!(
        expected_cells.iter().any(|c| !c.4.is_empty()),
        "no cell has warnings"
    );
    for (threads, e) in &engines {
        assert!(
            cells(e) == expected_cells,
            "indicators on {threads} threads"
        );
        assert_eq!(
            e.risk_summaries(),
            &in_turn[..],
            "summaries on {threads} threads"
        );
    }
    // Each cell as `explain` evaluates it on its own (the formula traced for that unit and
    // year alone): the same outcome and warnings.
    let three = &engines[2].1;
    for (indicator, unit, year, outcome, warnings) in cells(three) {
        let e = three
            .indicators()
            .explain(three.dataset(), indicator, unit, year)
            .unwrap();
        assert_eq!((e.outcome, e.warnings), (outcome, warnings));
    }
}

/// The ranking reads the summaries computed at load; each row must say what the full
/// one-pass assessment (`kpi_risk::assess`, with its explanation) says of that organisation:
/// score, degree, computable share and top criterion, for every organisation of every level
/// in the latest year, and no organisation without an assessment.
#[test]
fn ranking_rows_agree_with_the_full_assessments() {
    let e = sample_engine();
    let inputs = IndicatorInputs::new(e.indicators());
    let all = kpi_risk::assess(e.dataset(), &inputs, e.criteria(), &RiskFilter::default());
    let rows = e.ranking(&PeerSpec::default(), Lang::Kk);
    let year = e.dataset().years().iter().last().unwrap();
    let expected: Vec<_> = all.assessments.iter().filter(|a| a.year == year).collect();
    assert_eq!(rows.len(), expected.len());
    let mut tops = 0;
    for a in expected {
        let org = e.dataset().org(a.org);
        let row = rows.iter().find(|r| r.org_id == org.id).unwrap();
        let top = a.top_criterion();
        tops += usize::from(top.is_some());
        assert_eq!(
            (row.year, row.score, row.degree.as_str()),
            (a.year, a.score.filter(|s| s.is_finite()), a.degree.code()),
            "{}",
            org.id
        );
        assert_eq!(row.computable_weight_share, a.computable_weight_share);
        assert_eq!(row.top_criterion, top.map(|c| c.id.clone()), "{}", org.id);
        assert_eq!(row.top_criterion_label, top.map(|c| c.labels.clone()));
        assert_eq!(row.name, org.display_name(Lang::Kk));
        assert_eq!(row.region, kpi_model::region_key(&org.region));
    }
    assert!(
        tops > 10,
        "the sample has organisations with a top criterion"
    );
    // Every organisation and year has a summary exactly when it has an assessment.
    for o in 0..e.dataset().organisations().len() as u32 {
        for y in e.dataset().years().iter() {
            let org = OrgIdx(o);
            assert_eq!(
                e.risk_summary(org, y).map(|s| (s.score, s.degree)),
                e.assessment(org, y).map(|a| (a.score, a.degree)),
                "{o} {y}"
            );
        }
    }
}
