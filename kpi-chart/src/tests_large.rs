//! Long series (uPlot's benchmark size is 166,650 points): drawing reduces them per device
//! pixel, while every point keeps its tooltip, keyboard stop and table row.

use super::*;
use kpi_model::i18n::Lang;
use proptest::prelude::*;
use std::collections::{BTreeMap, HashSet};

/// Per pixel column (`floor(x)`): the first, lowest, highest and last y of the vertices in
/// it, by brute force over every vertex.
fn columns(pts: &[(f64, f64)]) -> BTreeMap<i64, (f64, f64, f64, f64)> {
    let mut out: BTreeMap<i64, (f64, f64, f64, f64)> = BTreeMap::new();
    for &(x, y) in pts {
        let c = x.floor() as i64;
        let e = out.entry(c).or_insert((y, y, y, y));
        e.1 = e.1.min(y);
        e.2 = e.2.max(y);
        e.3 = y;
    }
    out
}

proptest! {
    /// The reduced line covers exactly the pixel columns of the full one, with the same
    /// lowest and highest value in each, and enters and leaves each column at the same
    /// vertex (so the segments between columns are the full line's).
    #[test]
    fn m4_keeps_every_column_extent(
        steps in prop::collection::vec((0.0f64..0.7, -50.0f64..50.0), 1..3000),
    ) {
        let mut x = 0.0;
        let pts: Vec<(f64, f64)> = steps
            .iter()
            .map(|&(dx, y)| {
                x += dx;
                (x, y)
            })
            .collect();
        let kept = m4(&pts, 1.0);
        prop_assert!(kept.windows(2).all(|w| w[0] < w[1]), "original order, no repeats");
        let reduced: Vec<(f64, f64)> = kept.iter().map(|&i| pts[i]).collect();
        prop_assert_eq!(columns(&reduced), columns(&pts));
        prop_assert!(reduced.len() <= 4 * columns(&pts).len());
    }
}

const N: usize = 166_650;

fn walk(n: usize) -> Vec<f64> {
    let mut state: u64 = 18;
    let mut v = 60.0f64;
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            v = (v + ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 2.0).clamp(0.0, 100.0);
            (v * 100.0).round() / 100.0
        })
        .collect()
}

fn percent() -> IndicatorInfo {
    IndicatorInfo {
        code: "employment_rate".into(),
        unit: ValueUnit::Percent,
        ..Default::default()
    }
}

fn long_trend(values: &[f64]) -> ChartInput {
    ChartInput::Trend(TrendData {
        indicator: percent(),
        unit_name: Text::Plain("College".into()),
        points: values
            .iter()
            .enumerate()
            .map(|(i, &v)| TrendPoint {
                year: 1 + i as i32,
                value: Some(v),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
}

/// [`long_trend`] laid out at 640 × 360 CSS px, in English, light theme.
fn long_trend_chart(values: &[f64]) -> ChartLayout {
    layout_chart(
        &long_trend(values),
        Size::new(640.0, 360.0),
        &ChartOptions::new(Lang::En, ThemeName::Light),
    )
    .unwrap()
}

#[test]
fn a_long_trend_keeps_every_point_for_keyboard_summary_and_table() {
    let values = walk(N);
    let chart = long_trend_chart(&values);
    let hits = &chart.scene.hits;
    // Every point is a keyboard stop, once, with its own value.
    assert_eq!(hits.points.len(), N);
    let order = hits.keyboard_order();
    assert_eq!(order.len(), N);
    let mut seen = vec![false; N];
    for &i in &order {
        assert!(!std::mem::replace(&mut seen[i], true), "point {i} twice");
    }
    for (k, p) in hits.points.iter().enumerate().step_by(997) {
        let year = p.year.expect("a year");
        assert_eq!(p.value, Some(values[(year - 1) as usize]), "point {k}");
    }
    assert_eq!(hits.navigate(None, NavKey::End), order.last().copied());
    // The table has one row per year, in order, with the exact value of each.
    let table = chart.table();
    assert_eq!(table.rows.len(), N);
    let value_col = table.keys.iter().position(|k| k == "value").unwrap();
    for r in (0..N).step_by(1009).chain([N - 1]) {
        assert_eq!(table.values[r][value_col], Some(values[r]), "row {r}");
    }
    // The summary names the latest value: the last of all points, not of a drawn subset.
    let last = format!("{:.1}", values[N - 1]);
    assert!(chart.summary.contains(&last), "{} / {last}", chart.summary);
    // The scene holds one line through every point.
    let line = chart.scene.shapes.iter().find_map(|s| match s {
        Shape::Polyline { points, .. } if points.len() == N => Some(points.len()),
        _ => None,
    });
    assert_eq!(line, Some(N));
    // Drawn, the line has at most four vertices per device-pixel column.
    let svg = scene_to_svg(&chart.scene, 1.0).unwrap();
    let path = svg
        .split("<polyline")
        .skip(1)
        .map(|p| {
            p.split("points=\"")
                .nth(1)
                .unwrap_or("")
                .split('"')
                .next()
                .unwrap_or("")
        })
        .map(|p| p.split_whitespace().count())
        .max()
        .unwrap_or(0);
    assert!(path > 100 && path <= 4 * 640, "{path} vertices drawn");
}

#[test]
fn a_large_scatter_draws_each_device_pixel_once_and_keeps_every_point() {
    let n = 40_000;
    let xs = walk(n);
    let ys: Vec<f64> = walk(2 * n).into_iter().skip(n).collect();
    let input = ChartInput::Scatter(ScatterData {
        x: percent(),
        y: percent(),
        points: (0..n)
            .map(|i| ScatterPoint {
                id: i.to_string(),
                name: Text::Plain(format!("Unit {i}")),
                x: Some(xs[i]),
                y: Some(ys[i]),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    });
    let chart = layout_chart(
        &input,
        Size::new(640.0, 400.0),
        &ChartOptions::new(Lang::En, ThemeName::Dark),
    )
    .unwrap();
    assert_eq!(chart.scene.hits.points.len(), n);
    assert_eq!(chart.scene.hits.keyboard_order().len(), n);
    assert_eq!(chart.table().rows.len(), n, "one row per unit");
    let centers = chart
        .scene
        .shapes
        .iter()
        .find_map(|s| match s {
            Shape::Dots { centers, .. } => Some(centers.clone()),
            _ => None,
        })
        .expect("the dots");
    assert_eq!(centers.len(), n);
    // Each dot is drawn at a whole device pixel: at scale 2, one circle per distinct pixel.
    let distinct: HashSet<(i64, i64)> = centers
        .iter()
        .map(|c| ((c.x * 2.0).round() as i64, (c.y * 2.0).round() as i64))
        .collect();
    assert!(distinct.len() < n, "the test data overlap");
    let svg = scene_to_svg(&chart.scene, 2.0).unwrap();
    let peer = chart.scene.shapes.iter().find_map(|s| match s {
        Shape::Dots { fill, .. } => Some(*fill),
        _ => None,
    });
    let fill = peer.map(|c| format!("fill=\"#{:02X}{:02X}{:02X}\"", c.r, c.g, c.b));
    let circles = |svg: &str| {
        svg.split("<circle")
            .filter(|c| fill.as_deref().is_some_and(|f| c.contains(f)))
            .count()
    };
    // The same scene without the dots: the legend's swatch has their colour too.
    let mut bare = chart.scene.clone();
    bare.shapes.retain(|s| !matches!(s, Shape::Dots { .. }));
    let others = circles(&scene_to_svg(&bare, 2.0).unwrap());
    assert_eq!(circles(&svg) - others, distinct.len());
}

/// A long trend's values are one run of points, without a region each: a pointer finds the
/// point a brute-force search over every vertex of the drawn line finds (the nearest whose
/// disc holds the pointer, else the nearest within the tolerance), and keyboard stop k is
/// year k's point with its own value.
#[test]
fn a_long_trend_picks_the_nearest_point_and_keyboard_stop_k_is_point_k() {
    let values = walk(N);
    let chart = long_trend_chart(&values);
    let hits = &chart.scene.hits;
    assert!(hits.regions.is_empty(), "no region per value");
    assert_eq!(hits.runs.len(), 1);
    let radius = hits.runs[0].radius;
    // The vertices of the line through every value, as drawn.
    let line: Vec<Point> = chart
        .scene
        .shapes
        .iter()
        .find_map(|s| match s {
            Shape::Polyline { points, .. } if points.len() == N => Some(points.clone()),
            _ => None,
        })
        .expect("the line");
    // Brute force: the vertex nearest to `p` (the later one on a tie), if its disc holds
    // `p` or lies within `tolerance` of it.
    let brute = |p: Point, tolerance: f64| -> Option<usize> {
        let mut best: Option<(f64, usize)> = None;
        for (k, v) in line.iter().enumerate() {
            let d = (v.x - p.x).hypot(v.y - p.y);
            if best.is_none_or(|(bd, _)| d <= bd) {
                best = Some((d, k));
            }
        }
        best.filter(|&(d, _)| d <= radius + tolerance)
            .map(|(_, k)| k)
    };
    let index_of_year = |i: usize| -> usize {
        let year = hits.points.get(i).and_then(|p| p.year).expect("a year");
        usize::try_from(year - 1).unwrap()
    };
    let mut state: u64 = 7;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut inside, mut near, mut none) = (0, 0, 0);
    for k in (0..N).step_by(4999).chain([N - 1]) {
        for _ in 0..6 {
            let v = line[k];
            let p = Point::new(v.x + (next() - 0.5) * 40.0, v.y + (next() - 0.5) * 60.0);
            let want = brute(p, 8.0);
            let got = hits.pick(p, 8.0);
            assert_eq!(got.map(index_of_year), want, "pick at {p:?}");
            // Picked point i is drawn at vertex i of the line, and its tooltip anchor is there.
            if let Some(i) = got {
                assert_eq!(hits.anchor(i), line.get(index_of_year(i)).copied());
            }
            match brute(p, 0.0) {
                Some(_) => inside += 1,
                None if want.is_some() => near += 1,
                None => none += 1,
            }
            assert_eq!(hits.hit_test(p).map(index_of_year), brute(p, 0.0), "{p:?}");
        }
    }
    assert!(
        inside > 10 && near > 5 && none > 5,
        "{inside} {near} {none}"
    );
    // Keyboard stop k is the point of year k + 1, with its own value, and the arrow keys
    // step through the stops.
    let order = hits.keyboard_order();
    assert_eq!(order.len(), N);
    assert_eq!(hits.navigate(None, NavKey::Home), order.first().copied());
    for k in (0..N - 1).step_by(7919).chain([N - 2]) {
        let p = hits.points.get(order[k]).unwrap();
        assert_eq!(p.id, format!("value:{}", k + 1));
        assert_eq!(p.value, Some(values[k]));
        assert_eq!(
            hits.navigate(Some(order[k]), NavKey::Right),
            Some(order[k + 1])
        );
        assert!(hits.bounds(order[k]).is_some_and(|b| b.contains(line[k])));
    }
}
