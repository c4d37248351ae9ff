//! Layout invariants of every chart kind, hit testing, language formats and hostile inputs.

use super::examples;
use super::*;
use kpi_model::i18n::Lang;
use kpi_model::Direction;

const SIZES: [(f64, f64); 4] = [
    (320.0, 200.0),
    (480.0, 320.0),
    (640.0, 400.0),
    (1280.0, 720.0),
];
const THEMES: [ThemeName; 3] = [ThemeName::Light, ThemeName::Dark, ThemeName::HighContrast];

/// Checks every invariant a laid-out chart must meet; returns the layout.
fn check(
    name: &str,
    input: &ChartInput,
    w: f64,
    h: f64,
    lang: Lang,
    theme: ThemeName,
) -> ChartLayout {
    let ctx = format!("{name} {w}×{h} {lang} {theme:?}");
    let chart = layout_chart(input, Size::new(w, h), &ChartOptions::new(lang, theme))
        .unwrap_or_else(|e| panic!("{ctx}: {e}"));
    let s = &chart.scene;
    let overlaps = s.overlapping_texts(0.5);
    assert!(
        overlaps.is_empty(),
        "{ctx}: overlapping texts {:?}",
        overlaps
            .iter()
            .map(|(a, b)| (&a.text, &b.text))
            .collect::<Vec<_>>()
    );
    // WCAG-minded legibility: no text below 12 CSS px, at any size, in any theme.
    let small: Vec<_> = s
        .texts()
        .filter(|t| t.font_px < 12.0)
        .map(|t| (&t.text, t.font_px))
        .collect();
    assert!(small.is_empty(), "{ctx}: texts under 12 px {small:?}");
    let outside = s.texts_outside(0.5);
    assert!(
        outside.is_empty(),
        "{ctx}: texts outside {:?}",
        outside.iter().map(|t| &t.text).collect::<Vec<_>>()
    );
    assert!(
        s.all_points().iter().all(|p| p.is_finite()),
        "{ctx}: non-finite coordinate"
    );
    // Every shape stays on the canvas (a pixel of slack for strokes).
    let canvas = Rect::new(-2.0, -2.0, w + 4.0, h + 4.0);
    for shape in &s.shapes {
        let inside = match shape {
            Shape::Rect { rect, .. } => canvas.contains_rect(rect, 0.0),
            Shape::Line { from, to, .. } => canvas.contains(*from) && canvas.contains(*to),
            Shape::Polyline { points, .. } | Shape::Polygon { points, .. } => {
                points.iter().all(|p| canvas.contains(*p))
            }
            Shape::Circle { center, radius, .. } => canvas.contains(*center) || *radius < 1.0,
            Shape::Dots { centers, .. } => centers.iter().all(|c| canvas.contains(*c)),
            Shape::Text(_) => true,
        };
        assert!(inside, "{ctx}: shape outside the canvas: {shape:?}");
    }
    // Every data point has a region (or a run's disc: its bounds) and a finite anchor;
    // lanes point at real points.
    let hits = &s.hits;
    for (i, p) in hits.points.iter().enumerate() {
        assert!(
            hits.bounds(i).is_some(),
            "{ctx}: point {} has no region",
            p.id
        );
        assert!(
            hits.anchor(i).is_some_and(|a| a.is_finite()),
            "{ctx}: point {} anchor",
            p.id
        );
    }
    assert!(
        hits.lanes.iter().flatten().all(|&i| i < hits.points.len()),
        "{ctx}: lane index"
    );
    let ids: std::collections::HashSet<String> = hits.points.iter().map(|p| p.id.clone()).collect();
    assert_eq!(ids.len(), hits.points.len(), "{ctx}: duplicate point ids");
    assert!(!chart.summary.is_empty(), "{ctx}: summary");
    chart
}

#[test]
fn every_kind_in_every_language_theme_and_size_meets_the_layout_invariants() {
    for (name, input) in examples::gallery() {
        for lang in Lang::ALL {
            for theme in THEMES {
                for (w, h) in SIZES {
                    check(name, &input, w, h, lang, theme);
                }
            }
        }
    }
}

#[test]
fn every_kind_draws_data_points_with_hit_regions() {
    for (name, input) in examples::gallery() {
        let chart = check(name, &input, 640.0, 400.0, Lang::En, ThemeName::Light);
        assert!(
            !chart.scene.hits.points.is_empty(),
            "{name}: no data points"
        );
        assert!(
            chart.scene.hits.lanes.iter().flatten().count() > 0,
            "{name}: no keyboard lane"
        );
    }
}

/// The texts of a scene.
fn texts(chart: &ChartLayout) -> Vec<String> {
    chart.scene.texts().map(|t| t.text.clone()).collect()
}

#[test]
fn trend_every_year_has_a_point_missing_years_are_gaps() {
    let d = examples::trend();
    let chart = check(
        "trend",
        &ChartInput::Trend(d.clone()),
        640.0,
        400.0,
        Lang::En,
        ThemeName::Light,
    );
    let hits = &chart.scene.hits;
    // 7 years given (2019 not computable), 2020 missing, 8 peer medians, 2 forecasts.
    for year in [2016, 2017, 2018, 2021, 2022, 2023] {
        assert!(
            hits.points.iter().any(|p| p.id == format!("value:{year}")),
            "{year}"
        );
    }
    let nc = hits
        .points
        .iter()
        .find(|p| p.id == "not-computable:2019")
        .expect("2019");
    assert_eq!(
        nc.note.as_deref(),
        d.points[3].reason.as_ref().map(|r| r.get(Lang::En))
    );
    assert!(hits.points.iter().any(|p| p.id == "gap:2020"));
    assert_eq!(
        hits.points
            .iter()
            .filter(|p| p.id.starts_with("median:"))
            .count(),
        8
    );
    let median = hits
        .points
        .iter()
        .find(|p| p.id == "median:2023")
        .expect("median");
    assert_eq!(median.n, Some(137));
    // The unit's line is two paths (2016–2018, 2021–2023): never drawn across the gap.
    let theme = Theme::light();
    let unit_paths = chart
        .scene
        .shapes
        .iter()
        .filter(|s| matches!(s, Shape::Polyline { stroke, .. } if stroke.color == theme.accent && stroke.dash.is_none()))
        .count();
    assert_eq!(unit_paths, 2);
    // Zero-based percentage axis with round 10 pp (or 20 pp) steps, labels as percentages.
    let t = texts(&chart);
    assert!(t.contains(&"0%".to_string()), "{t:?}");
    assert!(t.contains(&"60%".to_string()), "{t:?}");
    assert!(!t.iter().any(|s| s == "0.6" || s == "65%"), "{t:?}");
}

#[test]
fn hit_testing_finds_the_point_under_the_pointer() {
    for (name, input) in examples::gallery() {
        let chart =
            layout_chart(&input, Size::new(640.0, 400.0), &ChartOptions::default()).unwrap();
        let hits = chart.hits();
        for region in &hits.regions {
            // The centre of a region picks a point whose region contains it.
            let c = region.shape.bounds().center();
            let picked = hits.pick(c, 0.0);
            if region.shape.contains(c) {
                let p = picked.unwrap_or_else(|| panic!("{name}: nothing at {c:?}"));
                assert!(
                    hits.regions
                        .iter()
                        .any(|r| r.point == p && r.shape.contains(c)),
                    "{name}"
                );
            }
        }
        assert_eq!(hits.pick(Point::new(-50.0, -50.0), 4.0), None, "{name}");
    }
}

#[test]
fn clicking_a_compare_bar_selects_its_organisation() {
    let d = examples::compare(14, false);
    let chart = layout_chart(
        &ChartInput::Compare(d),
        Size::new(640.0, 400.0),
        &ChartOptions::new(Lang::En, ThemeName::Light),
    )
    .unwrap();
    let me = chart
        .hits()
        .points
        .iter()
        .position(|p| p.org.as_deref() == Some("091140000123"))
        .expect("unit");
    let anchor = chart.hits().anchor(me).unwrap();
    let picked = chart
        .hits()
        .pick(Point::new(anchor.x - 5.0, anchor.y), 2.0)
        .unwrap();
    assert_eq!(picked, me);
    assert!(chart.hits().points.get(me).unwrap().selectable);
    // 14 peers + the unit, one not computable: n = 14; the unit (71.4 %) ranks 4th.
    assert_eq!(chart.hits().points.get(me).unwrap().n, Some(14));
    assert_eq!(
        chart.hits().points.get(me).unwrap().details[0].1,
        "rank 4 of 14"
    );
}

#[test]
fn numbers_follow_the_language() {
    let input = ChartInput::KpiCard(examples::kpi_card());
    let nb = '\u{a0}';
    let ru = texts(
        &layout_chart(
            &input,
            Size::new(300.0, 220.0),
            &ChartOptions::new(Lang::Ru, ThemeName::Light),
        )
        .unwrap(),
    );
    assert!(ru.contains(&format!("71,4{nb}%")), "{ru:?}");
    assert!(
        ru.iter().any(|t| t.contains(&format!("+3,2{nb}п.п."))),
        "{ru:?}"
    );
    // Kazakh writes the percent sign without a space (CLDR kk: 71,4%).
    let kk = texts(
        &layout_chart(
            &input,
            Size::new(300.0, 220.0),
            &ChartOptions::new(Lang::Kk, ThemeName::Light),
        )
        .unwrap(),
    );
    assert!(kk.contains(&"71,4%".to_string()), "{kk:?}");
    let en = texts(
        &layout_chart(
            &input,
            Size::new(300.0, 220.0),
            &ChartOptions::new(Lang::En, ThemeName::Light),
        )
        .unwrap(),
    );
    assert!(en.contains(&"71.4%".to_string()), "{en:?}");
    assert!(
        en.iter()
            .any(|t| t.contains("+3.2") && t.contains("(better)")),
        "{en:?}"
    );
    // Thousands: spending in the heat map tooltip, 710 000 ₸ in ru, 710,000 KZT in en.
    let heat = ChartInput::Heatmap(examples::heatmap(3));
    let ru = layout_chart(
        &heat,
        Size::new(720.0, 400.0),
        &ChartOptions::new(Lang::Ru, ThemeName::Light),
    )
    .unwrap();
    assert!(
        ru.hits()
            .points
            .iter()
            .any(|p| p.value_text == format!("710{nb}тыс.{nb}₸")),
        "{:?}",
        ru.hits()
            .points
            .iter()
            .map(|p| p.value_text.clone())
            .collect::<Vec<_>>()
    );
}

#[test]
fn heat_map_cell_text_is_readable_on_every_colour() {
    for theme in THEMES.map(Theme::named) {
        for p in (0..=20).map(|k| k as f64 * 5.0) {
            let fill = theme.heat_color(p).over(theme.background);
            let text = fill.best_text_on(Color::hex(0x000000), Color::hex(0xffffff));
            assert!(
                fill.contrast_ratio(text) >= 4.5,
                "{} p{p}: {}",
                theme.name,
                fill.contrast_ratio(text)
            );
        }
    }
}

fn hostile_inputs() -> Vec<(&'static str, ChartInput)> {
    let long: String = "Очень длинное название организации ".repeat(15);
    let long = long.chars().take(500).collect::<String>();
    let mut out: Vec<(&'static str, ChartInput)> = vec![
        ("empty kpi", ChartInput::KpiCard(KpiCardData::default())),
        ("empty trend", ChartInput::Trend(TrendData::default())),
        ("empty compare", ChartInput::Compare(CompareData::default())),
        (
            "empty distribution",
            ChartInput::Distribution(DistributionData::default()),
        ),
        ("empty scatter", ChartInput::Scatter(ScatterData::default())),
        ("empty heatmap", ChartInput::Heatmap(HeatmapData::default())),
        (
            "empty gauge",
            ChartInput::RiskGauge(RiskGaugeData::default()),
        ),
        (
            "empty breakdown",
            ChartInput::RiskBreakdown(RiskBreakdownData::default()),
        ),
        ("empty radar", ChartInput::Radar(RadarData::default())),
        ("empty gaps", ChartInput::Gaps(GapsData::default())),
        (
            "empty cohort-flow",
            ChartInput::CohortFlow(CohortFlowData::default()),
        ),
        ("empty table", ChartInput::Table(TableData::default())),
    ];
    // NaN, infinities and negative values everywhere.
    let mut trend = examples::trend();
    trend.points[0].value = Some(f64::NAN);
    trend.points[1].value = Some(-40.0);
    trend.peers[2].q1 = Some(f64::INFINITY);
    trend.forecast[0].upper = f64::NAN;
    trend.unit_name = long.clone().into();
    out.push(("nan trend", ChartInput::Trend(trend)));
    // 10,000 years of a series (reduced per pixel column before drawing).
    let big = TrendData {
        points: (0..10_000)
            .map(|i| TrendPoint {
                year: i,
                value: Some(((i as f64) * 0.37).sin() * 50.0 + 50.0),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    out.push(("10k trend", ChartInput::Trend(big)));
    let mut cmp = examples::compare(10_000, false);
    cmp.bars[3].value = Some(-25.0);
    cmp.bars[4].value = Some(f64::NEG_INFINITY);
    cmp.bars[5].name = long.clone().into();
    cmp.bars[5].highlight = true;
    out.push(("10k compare", ChartInput::Compare(cmp)));
    let mut cmp = examples::compare(8, false);
    for b in &mut cmp.bars {
        b.name = long.clone().into();
        b.value = b.value.map(|v| -v);
    }
    out.push(("negative long compare", ChartInput::Compare(cmp)));
    let mut dist = examples::distribution(10_000, DistributionMode::Histogram);
    dist.values.push(f64::NAN);
    dist.values.push(-1e12);
    dist.bins = Some(100_000);
    out.push(("huge histogram", ChartInput::Distribution(dist)));
    out.push((
        "one value box",
        ChartInput::Distribution(DistributionData {
            values: vec![5.0],
            unit_value: Some(f64::NAN),
            mode: DistributionMode::BoxPlot,
            ..Default::default()
        }),
    ));
    let mut sc = examples::scatter(10_000);
    sc.points[0].x = Some(f64::NAN);
    sc.points[1].name = long.clone().into();
    sc.points[1].highlight = true;
    out.push(("10k scatter", ChartInput::Scatter(sc)));
    let mut heat = examples::heatmap(2_000);
    heat.rows[0].name = long.clone().into();
    heat.rows[1].cells.truncate(1);
    heat.columns[0].indicator.label = long.clone().into();
    heat.sort_by = Some(99);
    out.push(("big heatmap", ChartInput::Heatmap(heat)));
    out.push((
        "gauge out of range",
        ChartInput::RiskGauge(RiskGaugeData {
            score: Some(250.0),
            low_max: f64::NAN,
            medium_max: -5.0,
            weight_coverage: Some(f64::INFINITY),
            unit_name: long.clone().into(),
            ..Default::default()
        }),
    ));
    let mut br = examples::risk_breakdown();
    br.criteria.extend((0..200).map(|i| RiskCriterion {
        code: format!("c{i}"),
        label: long.clone().into(),
        contribution: if i % 2 == 0 {
            Some(-3.0)
        } else {
            Some(f64::NAN)
        },
        ..Default::default()
    }));
    out.push(("long breakdown", ChartInput::RiskBreakdown(br)));
    let mut radar = examples::radar();
    radar.families[0].score = Some(-50.0);
    radar.families[1].score = Some(f64::INFINITY);
    radar.families[2].label = Some(long.clone().into());
    out.push(("broken radar", ChartInput::Radar(radar)));
    let mut gaps = examples::gaps(false);
    gaps.groups[0].mean = Some(f64::NAN);
    gaps.groups[1].ci_low = Some(f64::INFINITY);
    gaps.groups[1].ci_high = Some(-5.0);
    gaps.overall = Some(f64::NAN);
    if let Some(t) = gaps.test.as_mut() {
        t.p_value = Some(f64::NAN);
        t.difference = f64::NEG_INFINITY;
    }
    out.push(("broken gaps", ChartInput::Gaps(gaps)));
    let mut cohort = examples::cohort_flow();
    cohort.grades[0].entrants = Some(f64::NAN);
    cohort.grades[1].dropout = Some(f64::INFINITY);
    cohort.grades[2].entrants = Some(-5.0);
    cohort.graduates = Some(f64::INFINITY);
    cohort.coefficient_of_efficiency = Some(f64::NAN);
    out.push(("broken cohort-flow", ChartInput::CohortFlow(cohort.clone())));
    cohort.cohort_size = 0.0;
    out.push(("cohort-flow of no entrants", ChartInput::CohortFlow(cohort)));
    let mut table = examples::table(5_000);
    table.columns[0].label = long.clone().into();
    table.rows[0].truncate(0);
    out.push(("big table", ChartInput::Table(table)));
    let mut card = examples::kpi_card();
    card.value = Some(f64::NAN);
    card.reason = Some(long.clone().into());
    card.history.push(YearValue {
        year: 2024,
        value: f64::INFINITY,
    });
    card.indicator.direction = Direction::Target {
        min: f64::NAN,
        max: 3.0,
    };
    out.push(("broken card", ChartInput::KpiCard(card)));
    out
}

#[test]
fn hostile_inputs_never_panic_and_keep_the_invariants() {
    for (name, input) in hostile_inputs() {
        for lang in [Lang::Kk, Lang::En] {
            for (w, h) in [(320.0, 200.0), (640.0, 400.0)] {
                let chart = check(name, &input, w, h, lang, ThemeName::Light);
                let svg = scene_to_svg(&chart.scene, 2.0).unwrap();
                assert!(svg.len() < 8_000_000, "{name}: {} bytes of SVG", svg.len());
            }
        }
    }
}

#[test]
fn many_points_are_reduced_before_drawing() {
    let inputs = hostile_inputs();
    let find = |n: &str| {
        inputs
            .iter()
            .find(|(k, _)| *k == n)
            .map(|(_, i)| i.clone())
            .unwrap()
    };
    let chart = layout_chart(
        &find("10k trend"),
        Size::new(640.0, 400.0),
        &ChartOptions::default(),
    )
    .unwrap();
    let theme = Theme::light();
    let line_points: usize = chart
        .scene
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Polyline { points, stroke } if stroke.color == theme.accent => {
                Some(points.len())
            }
            _ => None,
        })
        .sum();
    // One path through every point in the scene (tooltips and keyboard need them all)…
    assert_eq!(line_points, 10_000);
    // …drawn with at most four vertices (first, lowest, highest, last) per device-pixel
    // column of the ~600 px plot.
    let svg = scene_to_svg(&chart.scene, 1.0).unwrap();
    let drawn = svg
        .split("<polyline")
        .skip(1)
        .map(|p| {
            p.split("points=\"")
                .nth(1)
                .and_then(|p| p.split('"').next())
                .map_or(0, |p| p.split_whitespace().count())
        })
        .max()
        .unwrap_or(0);
    assert!(drawn > 100 && drawn <= 4 * 640, "{drawn}");
    // A 10,000-bar compare is drawn as a few polygons, not 10,000 rectangles.
    let chart = layout_chart(
        &find("10k compare"),
        Size::new(640.0, 400.0),
        &ChartOptions::default(),
    )
    .unwrap();
    let rects = chart
        .scene
        .shapes
        .iter()
        .filter(|s| matches!(s, Shape::Rect { .. }))
        .count();
    assert!(rects < 50, "{rects} rectangles");
    assert!(chart.hits().points.len() > 9_000);
}

#[test]
fn too_small_and_json_errors_are_reported() {
    let input = ChartInput::RiskGauge(RiskGaugeData::default());
    assert!(matches!(
        layout_chart(&input, Size::new(10.0, 400.0), &ChartOptions::default()),
        Err(ChartError::TooSmall { .. })
    ));
    assert!(matches!(
        layout_chart(&input, Size::new(f64::NAN, 400.0), &ChartOptions::default()),
        Err(ChartError::TooSmall { .. })
    ));
    let err = ChartInput::from_json(r#"{"kind":"pie"}"#).unwrap_err();
    assert!(err.to_string().contains("pie"), "{err}");
}

#[test]
fn inputs_round_trip_through_json() {
    for (name, input) in examples::gallery() {
        let json = serde_json::to_string(&input).unwrap();
        let back = ChartInput::from_json(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            back == input,
            "{name}: {}",
            first_difference(&json, &serde_json::to_string(&back).unwrap())
        );
    }
    // A minimal JSON as JavaScript would send it.
    let input = ChartInput::from_json(
        r#"{"kind":"trend","indicator":{"code":"employment_rate","label":{"kk":"Жұмысқа орналасу","ru":"Трудоустройство","en":"Employment"},"unit":"%","direction":{"kind":"higher"}},
            "points":[{"year":2022,"value":61.5},{"year":2023,"value":null,"reason":"graduates = 0"}]}"#,
    )
    .unwrap();
    let chart = layout_chart(
        &input,
        Size::new(480.0, 300.0),
        &ChartOptions::new(Lang::Ru, ThemeName::Dark),
    )
    .unwrap();
    assert_eq!(chart.scene.title, "Трудоустройство");
    let nc = chart
        .hits()
        .points
        .iter()
        .find(|p| p.year == Some(2023))
        .unwrap();
    assert_eq!(nc.value_text, "Невозможно вычислить");
    assert_eq!(nc.note.as_deref(), Some("graduates = 0"));
}

#[test]
fn every_chart_exports_the_data_it_shows() {
    let chart = layout_chart(
        &ChartInput::Trend(examples::trend()),
        Size::new(640.0, 400.0),
        &ChartOptions::new(Lang::En, ThemeName::Light),
    )
    .unwrap();
    assert_eq!(chart.table().rows.len(), chart.hits().points.len());
    let csv = chart.table().to_csv();
    assert!(csv.starts_with("label,series,year,value,"), "{csv}");
    // Full precision, machine decimal point.
    assert!(csv.contains(",71.4,"), "{csv}");
    assert!(csv.contains("graduates = 0"), "{csv}");
}

#[test]
fn svg_contains_texts_with_font_and_size() {
    let svg = render_svg(
        &ChartInput::Trend(examples::trend()),
        Size::new(640.0, 400.0),
        &ChartOptions::new(Lang::Kk, ThemeName::HighContrast),
    )
    .unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("Түлектерді жұмысқа орналастыру үлесі"));
    assert!(svg.contains("DejaVu Sans"));
    assert!(
        svg.contains("#000000") || svg.contains("#000"),
        "high-contrast background"
    );
}

/// The neighbourhood of the first differing character of two strings.
fn first_difference(a: &str, b: &str) -> String {
    let i = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let near = |s: &str| {
        s.chars()
            .skip(i.saturating_sub(60))
            .take(120)
            .collect::<String>()
    };
    format!("{} ≠ {}", near(a), near(b))
}

#[test]
fn summary_sentence_names_the_key_numbers() {
    let opts = ChartOptions::new(Lang::Ru, ThemeName::Light);
    let trend = layout_chart(
        &ChartInput::Trend(examples::trend()),
        Size::new(640.0, 400.0),
        &opts,
    )
    .unwrap();
    // Chart type and title, the direction of the trend line, the latest value (71,4 % in
    // 2023–2024), the peer median with n, and the last forecast.
    assert!(
        trend
            .summary
            .starts_with("Линейный график по годам: Доля трудоустроенных выпускников. "),
        "{}",
        trend.summary
    );
    let line = examples::trend().trend;
    let (a, b) = (line.first().unwrap(), line.last().unwrap());
    let slope = (b.value - a.value) / f64::from(b.year - a.year);
    assert!(slope > 0.0);
    let per_year = kpi_model::i18n::format_number(slope, 1, Lang::Ru);
    assert!(
        trend
            .summary
            .contains(&format!("Тренд: рост, {per_year}\u{a0}п.п. в год")),
        "{per_year}: {}",
        trend.summary
    );
    assert!(trend.summary.contains("Прогноз"), "{}", trend.summary);
    assert!(
        trend.summary.contains("71,4\u{a0}% · 2023–2024"),
        "{}",
        trend.summary
    );
    assert!(trend.summary.contains("n = 137"), "{}", trend.summary);
    let opts = ChartOptions::new(Lang::En, ThemeName::Light);
    let cmp = layout_chart(
        &ChartInput::Compare(examples::compare(14, false)),
        Size::new(640.0, 400.0),
        &opts,
    )
    .unwrap();
    assert!(
        cmp.summary.contains("Almaty State Polytechnic College"),
        "{}",
        cmp.summary
    );
    assert!(cmp.summary.contains("rank 4 of 14"), "{}", cmp.summary);
}

#[test]
fn rate_axes_start_at_zero_with_round_steps_in_every_kind() {
    // Employment rates 40–87 %: every value axis of a rate shows 0 % and steps of 10 or
    // 20 percentage points, never a decimal share.
    let opts = ChartOptions::new(Lang::En, ThemeName::Light);
    for (name, input) in examples::gallery() {
        if !matches!(
            input.kind().code(),
            "trend" | "compare" | "distribution" | "scatter"
        ) {
            continue;
        }
        let chart = layout_chart(&input, Size::new(640.0, 400.0), &opts).unwrap();
        let ticks: Vec<f64> = chart
            .scene
            .texts()
            // Tick labels are whole percentages without decimals; value labels have one.
            .filter(|t| !t.text.contains('.'))
            .filter_map(|t| t.text.strip_suffix('%')?.parse::<f64>().ok())
            .collect();
        assert!(ticks.contains(&0.0), "{name}: {ticks:?}");
        let mut steps: Vec<f64> = ticks
            .windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .filter(|d| *d > 0.0)
            .collect();
        steps.dedup();
        assert!(
            steps.iter().all(|s| [10.0, 20.0].contains(s)),
            "{name}: {ticks:?}"
        );
    }
}

/// WCAG 2.1 relative luminance of an sRGB colour, written from the specification
/// (independently of `Color::luminance`): linearise each channel, then weight.
fn wcag_luminance(c: Color) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
}

/// WCAG contrast ratio, unrounded; a translucent foreground is composited over `bg` first.
fn wcag_contrast(fg: Color, bg: Color) -> f64 {
    let a = fg.a.clamp(0.0, 1.0);
    let blend = |f: u8, b: u8| (f64::from(b) + (f64::from(f) - f64::from(b)) * a).round() as u8;
    let shown = Color::rgb(blend(fg.r, bg.r), blend(fg.g, bg.g), blend(fg.b, bg.b));
    let (l1, l2) = (wcag_luminance(shown), wcag_luminance(bg));
    (l1.max(l2) + 0.05) / (l1.min(l2) + 0.05)
}

#[test]
fn independent_contrast_formula_matches_known_values() {
    // Reference values: black/white 21:1; #767676 on white 4.54:1; #777777 4.48:1.
    let white = Color::hex(0xffffff);
    assert!((wcag_contrast(Color::hex(0x000000), white) - 21.0).abs() < 1e-9);
    assert!((wcag_contrast(Color::hex(0x767676), white) - 4.54).abs() < 0.005);
    assert!((wcag_contrast(Color::hex(0x777777), white) - 4.48).abs() < 0.005);
}

#[test]
fn theme_tokens_meet_wcag_text_and_non_text_contrast() {
    let mut failures = Vec::new();
    for theme in THEMES.map(Theme::named) {
        for (what, fg, bg) in theme.text_pairs() {
            let r = wcag_contrast(fg, bg);
            if r < 4.5 {
                failures.push(format!("{} text {what}: {r:.2}", theme.name));
            }
        }
        for (what, fg, bg) in theme.mark_pairs() {
            let r = wcag_contrast(fg, bg);
            if r < 3.0 {
                failures.push(format!("{} mark {what}: {r:.2}", theme.name));
            }
        }
        // The legend and the gauge put text on the surface too, and heat-map cells carry
        // black or white text on every colour of the scale.
        for p in (0..=100).map(f64::from) {
            let fill = theme.heat_color(p).over(theme.background);
            let text = fill.best_text_on(Color::hex(0x000000), Color::hex(0xffffff));
            let r = wcag_contrast(text, fill);
            if r < 4.5 {
                failures.push(format!("{} heat text at p{p}: {r:.2}", theme.name));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn translucent_bands_and_pale_cells_are_outlined_at_3_to_1() {
    // Every chart that draws a fill under 3:1 against the background (quartile and forecast
    // bands, heat-map cells near the median, the box of a box plot) also draws an outline or
    // edge line of 3:1 or more: the scene holds at least one such stroke per pale fill.
    for (name, input) in examples::gallery() {
        for theme in THEMES {
            let chart = check(name, &input, 640.0, 400.0, Lang::En, theme);
            let s = &chart.scene;
            let bg = s.background;
            let pale_fills = s
                .shapes
                .iter()
                .filter(|sh| match sh {
                    Shape::Polygon { fill, .. } => wcag_contrast(*fill, bg) < 3.0,
                    _ => false,
                })
                .count();
            let strong_edges = s
                .shapes
                .iter()
                .filter(|sh| match sh {
                    Shape::Polyline { stroke, .. } | Shape::Line { stroke, .. } => {
                        wcag_contrast(stroke.color, bg) >= 3.0
                    }
                    Shape::Rect {
                        stroke: Some(st), ..
                    } => wcag_contrast(st.color, bg) >= 3.0,
                    _ => false,
                })
                .count();
            assert!(
                pale_fills == 0 || strong_edges >= 2 * pale_fills,
                "{name} {theme:?}: {pale_fills} pale polygons, {strong_edges} strong edges"
            );
            if name.starts_with("heatmap") {
                // Each pale cell rectangle has an outline of the same rectangle at 3:1.
                for sh in &s.shapes {
                    if let Shape::Rect {
                        rect,
                        fill: Some(f),
                        stroke: None,
                    } = sh
                    {
                        if wcag_contrast(*f, bg) >= 3.0 {
                            continue;
                        }
                        let outlined = s.shapes.iter().any(|o| {
                            matches!(o, Shape::Rect { rect: r, fill: None, stroke: Some(st) }
                                if r.contains_rect(rect, 1.0) && wcag_contrast(st.color, bg) >= 3.0)
                        });
                        assert!(
                            outlined,
                            "{name} {theme:?}: pale cell {rect:?} not outlined"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn heat_map_cells_carry_a_glyph_and_a_number_even_when_narrow() {
    let input = ChartInput::Heatmap(examples::heatmap(6));
    for (w, h, lang) in [320.0_f64, 640.0]
        .into_iter()
        .flat_map(|w| Lang::ALL.map(|l| (w, w.min(400.0), l)))
    {
        let chart = check("heatmap", &input, w, h, lang, ThemeName::Light);
        let texts = texts(&chart);
        assert!(
            texts.iter().any(|t| t.starts_with('▲')),
            "{w} {lang}: {texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.starts_with('▼')),
            "{w} {lang}: {texts:?}"
        );
        // Every cell with a value has a number drawn at its centre (the glyph alone is the
        // last resort, which this example never needs).
        let hits = chart.hits();
        let cells: Vec<usize> = (0..hits.points.len())
            .filter(|&i| hits.points.get(i).unwrap().value.is_some())
            .collect();
        let numbers = cells
            .iter()
            .filter(|&&i| {
                let anchor = hits.anchor(i).unwrap();
                chart
                    .scene
                    .texts()
                    .any(|t| t.pos == anchor && t.text.chars().any(|c| c.is_ascii_digit()))
            })
            .count();
        let cells = cells.len();
        assert!(cells >= 20, "{w}×{h} {lang}: only {cells} cells");
        // Every cell has a number at its centre, except narrow cells of long values in kk/ru
        // (tenge amounts): those keep a glyph (▲, ▼, or • in the middle half): colour is
        // never the only cue.
        let with_cue = (0..hits.points.len())
            .filter(|&i| hits.points.get(i).unwrap().value.is_some())
            .filter(|&i| {
                let anchor = hits.anchor(i).unwrap();
                chart.scene.texts().any(|t| {
                    t.pos == anchor
                        && t.text
                            .chars()
                            .any(|c| c.is_ascii_digit() || matches!(c, '▲' | '▼' | '•'))
                })
            })
            .count();
        assert_eq!(with_cue, cells, "{w}×{h} {lang}: {texts:?}");
        if w >= 640.0 || lang == Lang::En {
            assert_eq!(numbers, cells, "{w}×{h} {lang}: {texts:?}");
        }
    }
}

#[test]
fn keyboard_reaches_every_point_including_reference_points() {
    let keys = [
        NavKey::Left,
        NavKey::Right,
        NavKey::Up,
        NavKey::Down,
        NavKey::Home,
        NavKey::End,
        NavKey::PageBack,
        NavKey::PageForward,
        NavKey::Own,
    ];
    for (name, input) in examples::gallery() {
        let chart = check(name, &input, 640.0, 400.0, Lang::En, ThemeName::Light);
        let hits = chart.hits();
        let n = hits.points.len();
        let mut seen = vec![false; n];
        let mut queue: Vec<usize> = keys
            .iter()
            .filter_map(|&k| hits.navigate(None, k))
            .collect();
        while let Some(i) = queue.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            queue.extend(keys.iter().filter_map(|&k| hits.navigate(Some(i), k)));
        }
        let missed: Vec<String> = (0..n)
            .filter(|&i| !seen[i])
            .map(|i| hits.points.get(i).unwrap().id.clone())
            .collect();
        assert!(missed.is_empty(), "{name}: unreachable {missed:?}");
    }
}

#[test]
fn the_own_key_jumps_to_the_highlighted_unit() {
    let input = ChartInput::Compare(examples::compare(40, false));
    let ChartInput::Compare(d) = &input else {
        unreachable!()
    };
    let own = d.bars.iter().find(|b| b.highlight).unwrap();
    let chart = check("compare", &input, 640.0, 1200.0, Lang::En, ThemeName::Light);
    let hits = chart.hits();
    let i = hits.navigate(None, NavKey::Own).unwrap();
    assert_eq!(hits.points.get(i).unwrap().id, format!("bar:{}", own.id));
    assert_eq!(hits.points.get(i).unwrap().org, own.org);
    // The peer median (drawn above the bars) is in the keyboard order: Home reaches it.
    let first = hits.navigate(Some(i), NavKey::Home).unwrap();
    assert_eq!(hits.points.get(first).unwrap().id, "median");
    // PageDown moves ten places down the ranking (the median first, then the bars).
    let tenth = hits.navigate(Some(first), NavKey::PageForward).unwrap();
    let lane = &hits.lanes[0];
    assert_eq!(lane.iter().position(|&p| p == tenth), Some(10));
    assert_eq!(
        hits.navigate(Some(tenth), NavKey::PageBack),
        Some(first),
        "PageUp goes back ten places"
    );
}

#[test]
fn summaries_say_where_the_unit_sits_and_its_best_and_worst_cells() {
    let opts = ChartOptions::new(Lang::En, ThemeName::Light);
    let d = examples::distribution(60, DistributionMode::Histogram);
    let u = d.unit_value.unwrap();
    let below = d.values.iter().filter(|&&v| v < u).count();
    let share = (100.0 * below as f64 / d.values.len() as f64).round();
    let chart = layout_chart(&ChartInput::Distribution(d), Size::new(640.0, 400.0), &opts).unwrap();
    assert!(
        chart
            .summary
            .contains(&format!("{share}% of the group are below it")),
        "{share}: {}",
        chart.summary
    );
    assert!(chart.summary.starts_with("Distribution chart: "));

    let h = examples::heatmap(12);
    let r = h.rows.iter().position(|r| r.highlight).unwrap();
    // Percentile in direction of the unit in each column, computed here by counting.
    let pct = |c: usize| -> Option<f64> {
        let col = &h.columns[c];
        let good = |v: f64| match col.indicator.direction {
            Direction::Lower => -v,
            _ => v,
        };
        let mine = good(h.rows[r].cells.get(c)?.value?);
        let all: Vec<f64> = h
            .rows
            .iter()
            .filter_map(|row| row.cells.get(c)?.value)
            .map(good)
            .collect();
        let lower = all.iter().filter(|&&v| v < mine).count() as f64;
        let equal = all.iter().filter(|&&v| v == mine).count() as f64;
        Some(100.0 * (lower + 0.5 * equal) / all.len() as f64)
    };
    let scored: Vec<(usize, f64)> = (0..h.columns.len())
        .filter_map(|c| pct(c).map(|p| (c, p)))
        .collect();
    let best = scored.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap().0;
    let worst = scored.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap().0;
    let name = |c: usize| h.columns[c].indicator.name(Lang::En).to_string();
    let (best_name, worst_name) = (name(best), name(worst));
    let chart = layout_chart(&ChartInput::Heatmap(h), Size::new(640.0, 400.0), &opts).unwrap();
    assert!(
        chart.summary.contains(&format!("Best: {best_name} ")),
        "{best_name}: {}",
        chart.summary
    );
    assert!(
        chart.summary.contains(&format!("Worst: {worst_name} ")),
        "{worst_name}: {}",
        chart.summary
    );
}

#[test]
fn table_and_trend_summaries_name_rows_and_signals() {
    let opts = ChartOptions::new(Lang::En, ThemeName::Light);
    let d = examples::table(12);
    let model = kinds::table::model(&d, Lang::En, ChartStrings::builtin());
    let chart = layout_chart(&ChartInput::Table(d), Size::new(640.0, 400.0), &opts).unwrap();
    assert!(chart.summary.starts_with("Table: "), "{}", chart.summary);
    // The first and last rows as shown, each with its first cell under its header.
    let first = format!("First row: {}: {}", model.headers[0], model.rows[0][0]);
    let last_row = model.rows.last().unwrap();
    let last = format!("Last row: {}: {}", model.headers[0], last_row[0]);
    assert!(chart.summary.contains(&first), "{first}: {}", chart.summary);
    assert!(chart.summary.contains(&last), "{last}: {}", chart.summary);

    let t = examples::trend();
    let signalled: Vec<_> = t.points.iter().filter(|p| p.signal.is_some()).collect();
    let chart = layout_chart(
        &ChartInput::Trend(t.clone()),
        Size::new(640.0, 400.0),
        &opts,
    )
    .unwrap();
    for p in signalled.iter().rev().take(2) {
        let year = kpi_model::i18n::format_academic_year(p.year);
        assert!(
            chart.summary.contains(&format!("Signal {year}")),
            "{year}: {}",
            chart.summary
        );
    }
    assert!(!signalled.is_empty(), "the example has a signal");
}

#[test]
fn trend_summary_and_table_give_the_significance_of_both_tests() {
    let at = |t: &TrendData, lang: Lang| {
        layout_chart(
            &ChartInput::Trend(t.clone()),
            Size::new(640.0, 400.0),
            &ChartOptions::new(lang, ThemeName::Light),
        )
        .unwrap()
    };
    // The gallery's series: both tests find no significant trend.
    let mut t = examples::trend();
    let chart = at(&t, Lang::En);
    assert!(
        chart
            .summary
            .contains("not statistically significant (OLS p = 0.21; Mann–Kendall p = 0.26)"),
        "{}",
        chart.summary
    );
    let notes = chart.table().notes;
    assert!(
        notes.contains(&"OLS: +1.0\u{a0}pp a year, p = 0.21, not significant".to_string()),
        "{notes:?}"
    );
    assert!(
        notes.contains(&"Mann–Kendall: +1.4\u{a0}pp a year, p = 0.26, not significant".to_string()),
        "{notes:?}"
    );
    // Both significant, in Russian with a decimal comma and "<" for tiny p-values.
    t.tests.ols = Some(TrendTest {
        slope: 1.0,
        p_value: 0.0004,
    });
    t.tests.mann_kendall = Some(TrendTest {
        slope: 1.2,
        p_value: 0.004,
    });
    let s = at(&t, Lang::Ru).summary;
    assert!(
        s.contains("статистически значим (МНК p < 0,001; Манн–Кендалл p = 0,004)"),
        "{s}"
    );
    // The tests disagree: each verdict is named, and the table says so too.
    t.tests.mann_kendall = Some(TrendTest {
        slope: 0.4,
        p_value: 0.12,
    });
    let chart = at(&t, Lang::Kk);
    assert!(
        chart.summary.contains(
            "сынақтар келіспейді: ЕКӘ p < 0,001, маңызды; Манн–Кендалл p = 0,12, маңызды емес"
        ),
        "{}",
        chart.summary
    );
    assert!(chart
        .table()
        .notes
        .iter()
        .any(|n| n.starts_with("сынақтар келіспейді")));
    // An input without tests (older engines) says nothing of significance.
    t.tests = TrendTests::default();
    let s = at(&t, Lang::En).summary;
    assert!(!s.contains("significant"), "{s}");
    let old: TrendData = serde_json::from_str(r#"{"points":[{"year":2020,"value":1}]}"#).unwrap();
    assert_eq!(old.tests, TrendTests::default());
}

#[test]
fn every_kind_has_its_own_data_table() {
    // The expected English column headers of each kind's table, in order.
    let want: &[(&str, &[&str])] = &[
        (
            "kpi-card",
            &[
                "Academic year",
                "Value",
                "Change",
                "Peer percentile",
                "Peer median",
                "n",
            ],
        ),
        (
            "trend",
            &[
                "Academic year",
                "Value",
                "Peer median",
                "Q1–Q3",
                "n",
                "Forecast (95% forecast interval)",
                "Signal",
                "Note",
            ],
        ),
        ("compare", &["Rank", "Organisation", "Value"]),
        (
            "compare-significance",
            &["Rank", "Organisation", "Value", "Significance"],
        ),
        ("distribution-box", &["Statistic", "Value"]),
        (
            "distribution-histogram",
            &["Value range", "Number of organisations"],
        ),
        (
            "scatter",
            &[
                "Organisation",
                "Students per teacher",
                "Graduate employment rate",
            ],
        ),
        (
            "risk-breakdown",
            &["Criterion", "Weight", "Contribution to risk score", "Note"],
        ),
        (
            "gaps",
            &[
                "Group",
                "Mean",
                "95% confidence interval",
                "Difference from overall value (Mean)",
                "n",
                "Note",
            ],
        ),
        (
            "gaps-regions",
            &[
                "Group",
                "Mean",
                "95% confidence interval",
                "Difference from overall value (Mean)",
                "n",
                "Note",
            ],
        ),
        (
            "cohort-flow",
            &[
                "Grade / year of study",
                "Share of entrants",
                "Of 1,000 entrants",
                "Promoted",
                "Repeated",
                "Dropped out",
                "Graduated",
                "Pupil-years per graduate",
                "Coefficient of efficiency",
            ],
        ),
        (
            "radar",
            &[
                "Family",
                "Family score (0–100)",
                "Peer median",
                "Indicators",
                "Note",
            ],
        ),
    ];
    for (name, input) in examples::gallery() {
        for lang in Lang::ALL {
            let opts = ChartOptions {
                lang,
                ..Default::default()
            };
            let c = layout_chart(&input, Size::new(640.0, 360.0), &opts).unwrap();
            let t = c.data_table();
            let ncol = t.headers.len();
            assert!(!t.title.is_empty(), "{name} {lang:?}: a caption");
            if name == "heatmap" || name == "table" {
                continue;
            }
            assert_eq!(t.keys.len(), ncol, "{name}");
            assert_eq!(t.numeric.len(), ncol, "{name}");
            let distinct: std::collections::HashSet<_> = t.headers.iter().collect();
            assert_eq!(
                distinct.len(),
                ncol,
                "{name} {lang:?}: distinct headers {:?}",
                t.headers
            );
            assert!(
                t.headers.iter().all(|h| !h.trim().is_empty() && h != "…"),
                "{name}"
            );
            for (r, row) in t.rows.iter().enumerate() {
                assert_eq!(row.len(), ncol, "{name} row {r}");
                assert_eq!(t.values[r].len(), ncol, "{name} row {r}");
            }
            assert_eq!(
                t.row_header,
                Some(usize::from(name.starts_with("compare"))),
                "{name}"
            );
            for c in 0..ncol {
                assert!(
                    t.rows.iter().any(|r| !r[c].is_empty()),
                    "{name}: column {c} is empty"
                );
            }
            // Row headers tell the rows apart.
            let heads: std::collections::HashSet<_> = t
                .rows
                .iter()
                .map(|r| &r[t.row_header.unwrap_or(0)])
                .collect();
            assert_eq!(
                heads.len(),
                t.rows.len(),
                "{name} {lang:?}: duplicate row headers"
            );
            // Years ascend, whatever the order of the points (a card's own year first).
            if t.headers[0] == ChartStrings::builtin().get(strings::Msg::AcademicYear, lang) {
                let years: Vec<&String> = t.rows.iter().map(|r| &r[0]).collect();
                assert!(years.windows(2).all(|w| w[0] < w[1]), "{name}: {years:?}");
            }
            if lang == Lang::En {
                if let Some((_, w)) = want.iter().find(|(n, _)| *n == name) {
                    assert_eq!(t.headers, *w, "{name}");
                }
            }
        }
    }
    // A not-computable year says why, in the row of its year.
    let c = layout_chart(
        &ChartInput::Trend(examples::trend()),
        Size::new(640.0, 360.0),
        &ChartOptions {
            lang: Lang::En,
            ..Default::default()
        },
    )
    .unwrap();
    let t = c.data_table();
    let note = t.headers.iter().position(|h| h == "Note").unwrap();
    let row = t.rows.iter().find(|r| r[1] == "Not computable").unwrap();
    assert!(row[note].contains("graduates = 0"), "{row:?}");
    // The rank is the rank, in every language (kk and ky put the group size first).
    for lang in Lang::ALL {
        let c = layout_chart(
            &ChartInput::Compare(examples::compare(14, false)),
            Size::new(640.0, 360.0),
            &ChartOptions {
                lang,
                ..Default::default()
            },
        )
        .unwrap();
        let t = c.data_table();
        let ranks: Vec<&str> = t.rows.iter().take(3).map(|r| r[0].as_str()).collect();
        assert_eq!(ranks, ["1", "2", "3"], "{lang:?}");
    }
    // The CSV keeps one row per data point.
    assert_eq!(c.table().keys[0], "label");
}

#[test]
fn gaps_table_rows_match_hand_computed_intervals() {
    let c = layout_chart(
        &ChartInput::Gaps(examples::gaps(false)),
        Size::new(640.0, 360.0),
        &ChartOptions {
            lang: Lang::En,
            ..Default::default()
        },
    )
    .unwrap();
    let t = c.data_table();
    // urban: 76.9 ± 1.98 · 8.9 / √314 = ± 0.99 → 75.9–77.9; overall 74.7 → +2.2 pp.
    assert_eq!(
        t.rows[1],
        [
            "urban",
            "76.9%",
            "75.9%–77.9%",
            "+2.2\u{a0}pp",
            "314",
            "Best group"
        ]
    );
    // rural: 67.6 ± 1.98 · 11.8 / √96 = ± 2.39 → 65.2–70.0; 67.6 − 74.7 = −7.1 pp.
    assert_eq!(
        t.rows[0],
        [
            "rural",
            "67.6%",
            "65.2%–70.0%",
            "−7.1\u{a0}pp",
            "96",
            "Worst group"
        ]
    );
    assert_eq!(t.values[1][1], Some(76.9));
    assert_eq!(t.notes[0], "Overall mean: 74.7%");
    assert!(t.notes[1].contains("Welch p < 0.001"), "{:?}", t.notes);
}

#[test]
fn gaps_keeps_the_test_whole_and_names_best_and_worst_on_their_rows() {
    let input = ChartInput::Gaps(examples::gaps(false));
    for width in [320.0, 640.0] {
        for lang in [Lang::En, Lang::Ru] {
            let chart = layout_chart(
                &input,
                Size::new(width, 340.0),
                &ChartOptions::new(lang, ThemeName::Light),
            )
            .unwrap();
            let texts: Vec<&str> = chart.scene.texts().map(|t| t.text.as_str()).collect();
            // The test sentence, wrapped onto lines of its own, is whole: its words in
            // order end with the verdict, and none of its lines is cut with "…".
            let (start, verdict) = match lang {
                Lang::Ru => ("Разница", "значим"),
                _ => ("Difference", "significant"),
            };
            let first = texts.iter().position(|t| t.starts_with(start)).unwrap();
            let lines = if texts[first].ends_with(verdict) {
                1
            } else {
                2
            };
            let joined = texts[first..first + lines].join(" ");
            assert!(
                joined.contains(" p < 0") && joined.ends_with(verdict),
                "{joined}"
            );
            assert!(!joined.contains('…'), "{joined}");
            // Lower case inside the reference label, and best / worst as words on the rows.
            let (overall, best, worst) = match lang {
                Lang::Ru => ("Общее среднее: ", "лучшая", "худшая"),
                _ => ("Overall mean: ", "best", "worst"),
            };
            assert!(texts.iter().any(|t| t.starts_with(overall)), "{texts:?}");
            assert!(texts.contains(&best) && texts.contains(&worst), "{texts:?}");
        }
    }
}

/// The breakdown's subtitle names the degree in lower case in every language: lowered a
/// character at a time, it is what `str::to_lowercase` makes of the built-in label.
#[test]
fn breakdown_subtitle_names_the_degree_in_lower_case() {
    use kpi_model::Degree;
    let strings = ChartStrings::builtin();
    let mut d = examples::risk_breakdown();
    d.score = Some(72.5);
    d.unit_name = "C1".into();
    for (degree, msg) in [
        (Degree::Low, Msg::RiskLow),
        (Degree::Medium, Msg::RiskMedium),
        (Degree::High, Msg::RiskHigh),
        (Degree::InsufficientData, Msg::InsufficientData),
    ] {
        d.degree = Some(degree);
        for lang in [Lang::Kk, Lang::Ru, Lang::En, Lang::Ky] {
            let chart = check(
                "breakdown",
                &ChartInput::RiskBreakdown(d.clone()),
                900.0,
                400.0,
                lang,
                ThemeName::Light,
            );
            let expected = format!("({})", strings.get(msg, lang).to_lowercase());
            assert!(
                texts(&chart).iter().any(|t| t.ends_with(&expected)),
                "{lang:?}: no {expected}"
            );
        }
    }
}
