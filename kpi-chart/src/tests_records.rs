//! Records built on demand equal the records the layout used to build for every point: the
//! expected records here are written out from the input as the eager layout made them
//! (before the records became lazy), not through the lazy builders.

use super::*;
use kpi_model::i18n::{format_academic_year, Lang};
use std::collections::HashMap;

const LANGS: [Lang; 4] = [Lang::Kk, Lang::Ru, Lang::En, Lang::Ky];

/// A trend with everything a value's record carries: org and programme, warnings, signals,
/// a not-computable year, a gap, a repeated year (the first one counts) and unsorted input.
fn busy_trend(n: i32) -> TrendData {
    let mut d = examples::trend();
    d.programme = Some("6B01101".into());
    d.points = (0..n)
        .rev()
        .filter(|i| i % 97 != 5) // gaps
        .map(|i| TrendPoint {
            year: 1900 + i,
            value: (i % 53 != 7).then_some(f64::from(i % 1000) / 7.0),
            reason: (i % 53 == 7).then(|| Box::new("n = 0".into())),
            warnings: if i % 11 == 0 {
                vec![format!("warning {i}"), "second".into()]
            } else {
                Vec::new()
            },
            signal: (i % 17 == 3).then(|| {
                Box::new(Signal {
                    assessment: Assessment::Better,
                    text: Text::Plain(format!("rise {i}")),
                })
            }),
        })
        .collect();
    // A repeated year: the layout keeps the first.
    d.points.push(TrendPoint {
        year: 1900 + n - 1,
        value: Some(-1.0),
        ..Default::default()
    });
    d
}

/// A value's record as the eager trend layout built it.
fn eager_value(d: &TrendData, p: &TrendPoint, lang: Lang) -> DataPoint {
    let strings = ChartStrings::builtin();
    let v = p.value.unwrap_or(f64::NAN);
    DataPoint {
        id: format!("value:{}", p.year),
        org: d.org.clone(),
        programme: d.programme.clone(),
        label: d.unit_name.get(lang).to_string(),
        value: Some(v),
        value_text: d.indicator.format(v, lang, strings),
        unit: d.indicator.unit.label(lang, strings),
        year: Some(p.year),
        warnings: p.warnings.clone(),
        note: p
            .signal
            .as_ref()
            .map(|s| format!("{}: {}", strings.get(Msg::Signal, lang), s.text.get(lang))),
        ..Default::default()
    }
}

#[test]
fn every_lazy_trend_record_equals_the_eager_one() {
    let d = busy_trend(3_000);
    let input = ChartInput::Trend(d.clone());
    for lang in LANGS {
        let options = ChartOptions {
            lang,
            ..Default::default()
        };
        // Both entries: the caller's shared input, and a copy kept by the layout (with
        // strings that are not the built-in instance).
        let shared = std::sync::Arc::new(input.clone());
        let own_strings = ChartStrings::builtin().clone();
        let charts = [
            layout_chart_shared(
                &shared,
                Size::new(900.0, 400.0),
                &options,
                &EstimatingMeasurer,
                ChartStrings::builtin_shared(),
            )
            .unwrap(),
            layout_chart_with(
                &input,
                Size::new(900.0, 400.0),
                &options,
                &EstimatingMeasurer,
                &own_strings,
            )
            .unwrap(),
        ];
        for chart in charts {
            let points = &chart.hits().points;
            let mut values = 0;
            for (i, p) in points.iter().enumerate() {
                let Some(year) = p.id.strip_prefix("value:") else {
                    continue;
                };
                let year: i32 = year.parse().unwrap();
                // The first input point of that year (the layout drops later repeats).
                let source = d.points.iter().find(|q| q.year == year).unwrap();
                assert_eq!(*p, eager_value(&d, source, lang), "{lang:?} point {i}");
                values += 1;
            }
            let expected = d
                .points
                .iter()
                .filter(|p| p.year < 1900 + 3_000 - 1 || p.value != Some(-1.0))
                .filter(|p| p.value.is_some())
                .count();
            assert_eq!(
                values, expected,
                "{lang:?}: every finite value has a record"
            );
            assert_ids_match(points);
        }
    }
}

/// A scatter with units without an id (their position among the drawn points is their
/// id), units without a value (not drawn, so later positions shift), warnings, a
/// programme and the highlighted unit.
fn busy_scatter() -> ScatterData {
    let mut d = examples::scatter(1_500);
    for (i, p) in d.points.iter_mut().enumerate() {
        if i % 7 == 0 {
            p.id = String::new();
        }
        if i % 13 == 0 {
            p.y = None;
        }
        if i % 9 == 0 {
            p.warnings = vec![format!("warning {i}")];
        }
        if i % 5 == 0 {
            p.org = None;
            p.programme = (i % 10 == 0).then(|| format!("6B{i:05}"));
        }
    }
    d
}

/// Every drawn unit's record as the eager scatter layout built it, by id.
fn eager_scatter(d: &ScatterData, lang: Lang) -> HashMap<String, DataPoint> {
    let strings = ChartStrings::builtin();
    let drawn: Vec<&ScatterPoint> = d
        .points
        .iter()
        .filter(|p| p.x.is_some_and(f64::is_finite) && p.y.is_some_and(f64::is_finite))
        .collect();
    let n = drawn.len() as u32;
    drawn
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (x, y) = (p.x.unwrap(), p.y.unwrap());
            let y_text = d.y.format(y, lang, strings);
            let id = format!(
                "point:{}",
                if p.id.is_empty() {
                    i.to_string()
                } else {
                    p.id.clone()
                }
            );
            let record = DataPoint {
                id: id.clone(),
                org: p.org.clone(),
                programme: p.programme.clone(),
                label: p.name.get(lang).to_string(),
                value: Some(y),
                value_text: y_text.clone(),
                unit: d.y.unit.label(lang, strings),
                year: d.year,
                n: Some(n),
                details: vec![
                    (d.x.name(lang).to_string(), d.x.format(x, lang, strings)),
                    (d.y.name(lang).to_string(), y_text),
                ],
                warnings: p.warnings.clone(),
                selectable: p.org.is_some() || p.programme.is_some(),
                ..Default::default()
            };
            (id, record)
        })
        .collect()
}

#[test]
fn every_lazy_scatter_record_equals_the_eager_one() {
    let d = busy_scatter();
    let input = ChartInput::Scatter(d.clone());
    for lang in LANGS {
        let options = ChartOptions {
            lang,
            ..Default::default()
        };
        let chart = layout_chart(&input, Size::new(800.0, 500.0), &options).unwrap();
        let mut expected = eager_scatter(&d, lang);
        let points = &chart.hits().points;
        assert_eq!(points.len(), expected.len());
        for (i, p) in points.iter().enumerate() {
            let want = expected.remove(&p.id);
            assert_eq!(Some(&*p), want.as_ref(), "{lang:?} point {i}");
        }
        assert!(expected.is_empty(), "every drawn unit has its record once");
        assert_ids_match(points);
        // The highlighted unit is found by its id without building every record.
        let me = points.iter().position(|p| p.id == "point:me").unwrap();
        assert_eq!(chart.hits().own, vec![me]);
    }
}

/// `id_matches` answers as the built record's id does, for exact ids and prefixes.
fn assert_ids_match(points: &PointRecords) {
    let probes = [
        "value:",
        "value:2",
        "value:1901",
        "point:",
        "point:me",
        "point:14",
        "point:org1",
        "median:",
        "p",
        "",
    ];
    for (i, p) in points.iter().enumerate() {
        for want in probes.iter().copied().chain([p.id.as_str()]) {
            assert_eq!(
                points.id_matches(i, want, true),
                p.id.starts_with(want),
                "point {i} ({}) prefix {want:?}",
                p.id
            );
            assert_eq!(
                points.id_matches(i, want, false),
                p.id == want,
                "point {i} ({}) id {want:?}",
                p.id
            );
        }
    }
}

#[test]
fn the_summary_and_table_read_the_lazy_records() {
    let d = busy_trend(400);
    let chart = layout_chart(
        &ChartInput::Trend(d.clone()),
        Size::new(640.0, 360.0),
        &ChartOptions {
            lang: Lang::En,
            ..Default::default()
        },
    )
    .unwrap();
    // The latest value (year 1900 + 399 = 2299/2300, the repeat dropped).
    let last = d.points.iter().find(|p| p.year == 2299).unwrap();
    let text = eager_value(&d, last, Lang::En).value_text;
    assert!(
        chart
            .summary
            .contains(&format!("{text} · {}", format_academic_year(2299))),
        "{}",
        chart.summary
    );
    let table = chart.data_table();
    let row = table
        .rows
        .iter()
        .find(|r| r.first().is_some_and(|c| *c == format_academic_year(2299)))
        .unwrap();
    assert!(row.contains(&text), "{row:?}");
}
