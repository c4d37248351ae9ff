//! Comparative statistics against independently computed values.

use super::*;
use crate::test_support::assert_json_finite;
use crate::NotComputable;
use kpi_model::{Direction, Family, Locality};
use proptest::prelude::*;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// Ten colleges' employment rates (%): one tie of three, one high outlier.
const X: [f64; 10] = [61.2, 74.0, 68.5, 70.1, 55.0, 68.5, 90.3, 66.0, 68.5, 72.4];

fn peers() -> Vec<(usize, f64)> {
    X.iter().copied().enumerate().collect()
}

// python3 /tmp/ref/cmp.py, where cmp.py is
//   import numpy as np; from scipy import stats
//   x = np.array([61.2, 74.0, 68.5, 70.1, 55.0, 68.5, 90.3, 66.0, 68.5, 72.4])
//   np.quantile(x, [0, .25, .5, .75, 1], method='linear'); x.mean(); x.std(ddof=1)
//   [stats.percentileofscore(x, v, kind='mean') for v in x]; stats.zscore(x, ddof=1)
//   mad = stats.median_abs_deviation(x); 0.6745*(x-np.median(x))/mad
//   stats.rankdata(-x, method='min'); stats.rankdata(x, method='min')
// ->
//   quantiles [55.0, 66.625, 68.5, 71.825, 90.3]; mean 69.44999999999999; sd 9.165302928860442
//   pct [15, 85, 45, 65, 5, 45, 95, 25, 45, 75]
//   z [-0.9001339141799367, 0.4964374920628763, -0.10365178405708256, 0.07091964172326848,
//      -1.5765981890787997, -0.10365178405708256, 2.2748838922002084, -0.376419636838882,
//      -0.10365178405708256, 0.32186606628252523]
//   mad 3.200000000000003
//   robust z [-1.538703124999998, 1.159296874999999, 0.0, 0.3372499999999985, -2.8455468749999975,
//      0.0, 4.5950312499999955, -0.5269531249999996, 0.0, 0.8220468750000005]
//   rank higher [9, 2, 5, 4, 10, 5, 1, 8, 5, 3]; rank lower [2, 9, 4, 7, 1, 4, 10, 3, 4, 8]
const PCT: [f64; 10] = [15.0, 85.0, 45.0, 65.0, 5.0, 45.0, 95.0, 25.0, 45.0, 75.0];
const Z: [f64; 10] = [
    -0.9001339141799367,
    0.4964374920628763,
    -0.10365178405708256,
    0.07091964172326848,
    -1.5765981890787997,
    -0.10365178405708256,
    2.2748838922002084,
    -0.376419636838882,
    -0.10365178405708256,
    0.32186606628252523,
];
const ROBUST_Z: [f64; 10] = [
    -1.538703124999998,
    1.159296874999999,
    0.0,
    0.3372499999999985,
    -2.8455468749999975,
    0.0,
    4.5950312499999955,
    -0.5269531249999996,
    0.0,
    0.8220468750000005,
];

#[test]
fn distribution_matches_numpy() {
    let d = distribution(&X).unwrap();
    assert_eq!(d.n, 10);
    assert_eq!((d.min, d.median, d.max), (55.0, 68.5, 90.3));
    assert!(close(d.q1, 66.625, 1e-12) && close(d.q3, 71.825, 1e-12));
    assert!(close(d.mean, 69.45, 1e-12));
    assert!(close(*d.sd.as_ref().unwrap(), 9.165302928860442, 1e-12));
    assert!(close(d.mad, 3.2, 1e-12));
}

#[test]
fn positions_match_scipy() {
    let cmp = peer_positions(&peers(), Direction::Higher).unwrap();
    assert_eq!(cmp.n, 10);
    for (i, p) in cmp.positions.iter().enumerate() {
        assert_eq!(p.id, i);
        assert!(close(p.percentile_rank, PCT[i], 1e-12), "pct {i}");
        assert!(close(*p.z.as_ref().unwrap(), Z[i], 1e-12), "z {i}");
        assert!(
            close(*p.robust_z.as_ref().unwrap(), ROBUST_Z[i], 1e-12),
            "robust z {i}"
        );
        // only 90.3 has |robust z| > 3.5
        assert_eq!(p.outlier, i == 6, "outlier {i}");
    }
    let ranks: Vec<usize> = cmp.positions.iter().map(|p| p.rank).collect();
    assert_eq!(ranks, [9, 2, 5, 4, 10, 5, 1, 8, 5, 3]);
    // gaps (higher): x − median 68.5 and x − Q3 71.825
    assert!(close(cmp.positions[1].gap_to_median, 5.5, 1e-12));
    assert!(close(cmp.positions[1].gap_to_better_quartile, 2.175, 1e-12));

    let lower = peer_positions(&peers(), Direction::Lower).unwrap();
    let ranks: Vec<usize> = lower.positions.iter().map(|p| p.rank).collect();
    assert_eq!(ranks, [2, 9, 4, 7, 1, 4, 10, 3, 4, 8]);
    // gaps (lower): median − x and Q1 66.625 − x
    assert!(close(lower.positions[4].gap_to_median, 13.5, 1e-12));
    assert!(close(
        lower.positions[4].gap_to_better_quartile,
        11.625,
        1e-12
    ));
    // the percentile rank is of the raw value, whatever the direction
    assert_eq!(lower.positions[4].percentile_rank, 5.0);
}

#[test]
fn unit_position_equals_its_row_of_the_group() {
    let all = peer_positions(&peers(), Direction::Higher).unwrap();
    let one = unit_position(&peers(), &7, Direction::Higher).unwrap();
    assert_eq!(one.position, all.positions[7]);
    assert_eq!(
        unit_position(&peers(), &42, Direction::Higher).unwrap_err(),
        NotComputable::MissingData {
            what: "the unit's value in its peer group".into()
        }
    );
}

#[test]
fn target_band_ranks_by_distance_outside() {
    // band 18–25; distances [3, 0, 2, 5, 0] → ranks by ascending distance, ties min
    let v = [
        ("a", 15.0),
        ("b", 20.0),
        ("c", 27.0),
        ("d", 30.0),
        ("e", 22.0),
    ];
    let cmp = peer_positions(
        &v,
        Direction::Target {
            min: 18.0,
            max: 25.0,
        },
    )
    .unwrap();
    let ranks: Vec<usize> = cmp.positions.iter().map(|p| p.rank).collect();
    assert_eq!(ranks, [4, 1, 3, 5, 1]);
    // sorted distances [0, 0, 2, 3, 5]: median 2, better quartile (Q1) 0
    assert_eq!(
        (cmp.reference.median, cmp.reference.better_quartile),
        (2.0, 0.0)
    );
    assert_eq!(cmp.positions[0].gap_to_median, -1.0); // 2 − 3: one unit worse
    assert_eq!(cmp.positions[1].gap_to_better_quartile, 0.0);
}

#[test]
fn small_and_degenerate_groups_say_why() {
    let one = peer_positions(&[("a", 5.0)], Direction::Higher).unwrap();
    let p = &one.positions[0];
    assert_eq!((p.rank, p.percentile_rank), (1, 50.0));
    assert_eq!(p.z, Err(NotComputable::too_few(2, 1)));
    assert_eq!(p.robust_z, Err(NotComputable::AllValuesEqual));
    let same = peer_positions(&[("a", 5.0), ("b", 5.0)], Direction::Higher).unwrap();
    assert_eq!(same.positions[1].z, Err(NotComputable::AllValuesEqual));
    assert_eq!(same.positions[1].rank, 1);
    let empty: [(&str, f64); 0] = [];
    assert_eq!(
        peer_positions(&empty, Direction::Higher).unwrap_err(),
        NotComputable::too_few(1, 0)
    );
    let skipped = peer_positions(&[("a", f64::NAN), ("b", 1.0)], Direction::Lower).unwrap();
    assert_eq!((skipped.n, skipped.skipped.as_slice()), (1, &["a"][..]));
}

#[test]
fn mad_zero_falls_back_to_mean_absolute_deviation() {
    // [5, 5, 5, 5, 9]: median 5, MAD 0; deviations [0,0,0,0,4] → MeanAD 0.8
    // robust z of 9 = 4 / (1.253314 × 0.8) = 3.9894…
    let v = [(1, 5.0), (2, 5.0), (3, 5.0), (4, 5.0), (5, 9.0)];
    let cmp = peer_positions(&v, Direction::Higher).unwrap();
    let rz = *cmp.positions[4].robust_z.as_ref().unwrap();
    assert!(close(rz, 4.0 / (1.253314 * 0.8), 1e-12), "{rz}");
    assert!(cmp.positions[4].outlier);
}

#[test]
fn wilson_significance_matches_statsmodels() {
    // python3 -c "from statsmodels.stats.proportion import proportion_confint as c;
    //   print(c(45, 60, method='wilson'), c(12, 80, method='wilson'))"
    // -> (0.6276792992295218, 0.8422347746994333) (0.08794040506163546, 0.24413228561323347)
    let r = rate_significance(45.0, 60.0, RateScale::Percent, 60.0, Direction::Higher).unwrap();
    assert!(close(r.interval.lower, 62.76792992295218, 1e-9));
    assert!(close(r.interval.upper, 84.22347746994333, 1e-9));
    assert_eq!(r.verdict, RateVerdict::SignificantlyBetter);
    // dropout 12 of 80 = 15 %: the interval 8.8–24.4 % excludes a median of 30 % → better
    let d = rate_significance(12.0, 80.0, RateScale::Share, 0.30, Direction::Lower).unwrap();
    assert!(close(d.interval.lower, 0.08794040506163546, 1e-12));
    assert_eq!(d.verdict, RateVerdict::SignificantlyBetter);
    let d = rate_significance(12.0, 80.0, RateScale::Share, 0.05, Direction::Lower).unwrap();
    assert_eq!(d.verdict, RateVerdict::SignificantlyWorse);
    let d = rate_significance(12.0, 80.0, RateScale::Share, 0.20, Direction::Lower).unwrap();
    assert_eq!(d.verdict, RateVerdict::NotSignificant);
    // a median on the wrong scale and impossible counts are refused
    assert!(rate_significance(12.0, 80.0, RateScale::Share, 20.0, Direction::Lower).is_err());
    assert!(rate_significance(81.0, 80.0, RateScale::Share, 0.2, Direction::Lower).is_err());
    assert!(rate_significance(0.0, 0.0, RateScale::Share, 0.2, Direction::Lower).is_err());
}

fn composite_inputs() -> [Vec<(&'static str, f64)>; 3] {
    [
        vec![("u1", 80.0), ("u2", 60.0), ("u3", 70.0), ("u4", 90.0)],
        vec![
            ("u1", 3.5),
            ("u2", 4.0),
            ("u3", 3.0),
            ("u4", 3.0),
            ("u5", 4.5),
        ],
        vec![("u1", 5.0), ("u2", 2.0), ("u3", 8.0)],
    ]
}

// python3 /tmp/ref/comp.py, where comp.py is
//   import numpy as np; nan = np.nan
//   V = np.array([[80,3.5,5],[60,4.0,2],[70,3.0,8],[90,3.0,nan],[nan,4.5,nan]], float)
//   G = V * np.array([1, 1, -1]); lo, hi = np.nanmin(G, 0), np.nanmax(G, 0); S = (G - lo)/(hi - lo)
//   def run(w): w = np.array(w, float)/sum(w); cov = (~np.isnan(S) * w).sum(1)
//               print(cov, 100 * np.nansum(S * w, 1) / cov)
//   run([0.25, 0.25, 0.5]); run([2, 1, 1])
// -> coverage [1, 1, 1, 0.5, 0.25]   index [50.0, 66.66666666666666, 8.333333333333332, 50.0, 100.0]
// -> coverage [1, 1, 1, 0.75, 0.25]  index [54.166666666666664, 41.666666666666664, 16.666666666666664,
//                                          66.66666666666667, 100.0]
#[test]
fn composite_ranks_match_numpy_with_default_and_file_weights() {
    let v = composite_inputs();
    let inds = [
        CompositeIndicator {
            code: "employment_rate",
            family: Family::Outcome,
            direction: Direction::Higher,
            values: &v[0],
        },
        CompositeIndicator {
            code: "student_satisfaction",
            family: Family::Outcome,
            direction: Direction::Higher,
            values: &v[1],
        },
        CompositeIndicator {
            code: "dropout_rate",
            family: Family::Process,
            direction: Direction::Lower,
            values: &v[2],
        },
    ];
    let idx = composite_index(&inds, None, &CompositeOptions::default()).unwrap();
    let weights: Vec<f64> = idx.components.iter().map(|c| c.weight).collect();
    assert_eq!(weights, [0.25, 0.25, 0.5]);
    let ranked: Vec<(&str, usize, f64)> = idx
        .ranked
        .iter()
        .map(|e| (e.id, e.rank.unwrap(), *e.index.as_ref().unwrap()))
        .collect();
    assert_eq!(ranked.len(), 3);
    assert_eq!((ranked[0].0, ranked[0].1), ("u2", 1));
    assert!(close(ranked[0].2, 66.66666666666666, 1e-9));
    assert_eq!((ranked[1].0, ranked[1].1, ranked[1].2), ("u1", 2, 50.0));
    assert!(close(ranked[2].2, 8.333333333333332, 1e-9));
    let unranked: Vec<(&str, f64)> = idx.unranked.iter().map(|e| (e.id, e.coverage)).collect();
    assert_eq!(unranked, [("u4", 0.5), ("u5", 0.25)]);

    let w = parse_weights(
        "employment_rate = 2\nstudent_satisfaction = 1\ndropout_rate = 1\nsalary = 3\n",
        "weights.toml",
    )
    .unwrap();
    let idx = composite_index(&inds, Some(&w), &CompositeOptions::default()).unwrap();
    let ranked: Vec<(&str, usize)> = idx.ranked.iter().map(|e| (e.id, e.rank.unwrap())).collect();
    assert_eq!(ranked, [("u4", 1), ("u1", 2), ("u2", 3), ("u3", 4)]);
    let by_id = |id| idx.ranked.iter().find(|e| e.id == id).unwrap();
    assert!(close(
        *by_id("u4").index.as_ref().unwrap(),
        66.66666666666667,
        1e-9
    ));
    assert!(close(
        *by_id("u1").index.as_ref().unwrap(),
        54.166666666666664,
        1e-9
    ));
    assert!(close(by_id("u4").coverage, 0.75, 1e-12));
    assert_eq!(idx.unused_weights, ["salary"]);
}

#[test]
fn composite_ties_share_the_smallest_rank_and_flat_indicators_are_excluded() {
    let a = [("x", 1.0), ("y", 3.0), ("z", 3.0), ("w", 2.0)];
    let flat = [("x", 7.0), ("y", 7.0), ("z", 7.0), ("w", 7.0)];
    let inds = [
        CompositeIndicator {
            code: "a",
            family: Family::Input,
            direction: Direction::Higher,
            values: &a,
        },
        CompositeIndicator {
            code: "flat",
            family: Family::Efficiency,
            direction: Direction::Higher,
            values: &flat,
        },
    ];
    let idx = composite_index(&inds, None, &CompositeOptions::default()).unwrap();
    assert_eq!(idx.components[1].excluded, Some(Exclusion::AllValuesEqual));
    let ranked: Vec<(&str, usize)> = idx.ranked.iter().map(|e| (e.id, e.rank.unwrap())).collect();
    assert_eq!(ranked, [("y", 1), ("z", 1), ("w", 3), ("x", 4)]);
    let dup = [("x", 1.0), ("x", 2.0)];
    let bad = [CompositeIndicator {
        code: "a",
        family: Family::Input,
        direction: Direction::Higher,
        values: &dup,
    }];
    assert_eq!(
        composite_index(&bad, None, &CompositeOptions::default()).unwrap_err(),
        NotComputable::DuplicateUnit {
            indicator: "a".into()
        }
    );
}

#[test]
fn group_gaps_with_welch_match_scipy() {
    // python3 -c "from scipy import stats; r = stats.ttest_ind([80,84,82,79.5],[70,66,71], equal_var=False);
    //   print(r.statistic, r.pvalue, r.df)"
    // -> 6.720557909691094 0.003314207918689675 3.7146743020758763
    let v = [
        (Locality::Urban, 80.0),
        (Locality::Rural, 70.0),
        (Locality::Urban, 84.0),
        (Locality::Rural, 66.0),
        (Locality::Urban, 82.0),
        (Locality::Rural, 71.0),
        (Locality::Urban, 79.5),
    ];
    let g = group_gaps(&v, Direction::Higher).unwrap();
    assert_eq!((g.best, g.worst), (Locality::Urban, Locality::Rural));
    let pair = g.pair.unwrap();
    // 81.375 − 69
    assert!(close(pair.mean_difference, 12.375, 1e-12));
    let w = pair.welch.unwrap();
    assert!(close(w.t, 6.720557909691094, 1e-9));
    assert!(close(w.df, 3.7146743020758763, 1e-9));
    assert!(close(w.p_value, 0.003314207918689675, 1e-8));
    assert_eq!(
        group_gaps(&[(Locality::Urban, 1.0)], Direction::Higher).unwrap_err(),
        NotComputable::TooFewGroups { needed: 2, got: 1 }
    );
}

#[test]
fn adjusted_parity_by_hand() {
    // UIS: GPI 0.8 stays 0.8; GPI 1.25 → 2 − 1/1.25 = 1.2 (mirror of 0.8)
    assert_eq!(adjusted_parity(40.0, 50.0), Ok(0.8));
    assert!(close(adjusted_parity(50.0, 40.0).unwrap(), 1.2, 1e-12));
    assert_eq!(adjusted_parity(0.0, 10.0), Ok(0.0));
    assert!(adjusted_parity(10.0, 0.0).is_err());
    assert!(adjusted_parity(-1.0, 10.0).is_err());
}

fn arb_values() -> impl Strategy<Value = Vec<f64>> {
    // Small integers make ties common; occasional non-finite and huge values.
    let value = prop_oneof![
        8 => (0i32..12).prop_map(f64::from),
        4 => -1e6f64..1e6,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => prop_oneof![Just(f64::MAX), Just(-f64::MAX), Just(1e-300)],
    ];
    prop::collection::vec(value, 0..40)
}

fn arb_direction() -> impl Strategy<Value = Direction> {
    prop_oneof![
        Just(Direction::Higher),
        Just(Direction::Lower),
        (0i32..10, 0i32..5).prop_map(|(a, w)| Direction::Target {
            min: f64::from(a),
            max: f64::from(a + w)
        }),
    ]
}

proptest! {
    #[test]
    fn prop_percentiles_in_range_and_ranks_are_a_tied_permutation(
        values in arb_values(), direction in arb_direction()
    ) {
        let peers: Vec<(usize, f64)> = values.iter().copied().enumerate().collect();
        match peer_positions(&peers, direction) {
            // no finite value, or sums beyond f64 (values near f64::MAX) said as such
            Err(NotComputable::Overflow) => {
                prop_assert!(values.iter().any(|v| v.is_finite() && v.abs() > 1e300))
            }
            Err(e) => prop_assert!(values.iter().all(|v| !v.is_finite()), "{e}"),
            Ok(cmp) => {
                assert_json_finite(&cmp);
                let n = cmp.n;
                prop_assert_eq!(cmp.positions.len() + cmp.skipped.len(), values.len());
                let mut ranks: Vec<usize> = Vec::new();
                for p in &cmp.positions {
                    prop_assert!((0.0..=100.0).contains(&p.percentile_rank));
                    prop_assert!(p.rank >= 1 && p.rank <= n);
                    // the rank is 1 + the number of strictly better peers
                    let better = cmp
                        .positions
                        .iter()
                        .filter(|q| direction.is_better(q.value, p.value))
                        .count();
                    prop_assert_eq!(p.rank, 1 + better);
                    // percentile rank by brute force: 100 × (below + ½ equal) / n
                    let below = cmp.positions.iter().filter(|q| q.value < p.value).count();
                    let equal = cmp.positions.iter().filter(|q| q.value == p.value).count();
                    let expected = 100.0 * (below as f64 + 0.5 * equal as f64) / n as f64;
                    prop_assert_eq!(p.percentile_rank, expected);
                    // the whole-group positions equal the one-unit ones
                    let one = unit_position(&peers, &p.id, direction).unwrap();
                    prop_assert_eq!(&one.position, p);
                    ranks.push(p.rank);
                }
                // competition ranking: with ties opened up it is a permutation of 1..=n
                ranks.sort_unstable();
                for (i, r) in ranks.iter().enumerate() {
                    prop_assert!(*r <= i + 1);
                    if i > 0 && *r != ranks[i - 1] {
                        prop_assert_eq!(*r, i + 1);
                    }
                }
                prop_assert!(ranks.first().is_none_or(|&r| r == 1));
            }
        }
    }

    #[test]
    fn prop_adjusted_parity_within_0_2_and_mirrored(f in 0.0f64..1e6, m in 1e-3f64..1e6) {
        let a = adjusted_parity(f, m).unwrap();
        prop_assert!((0.0..=2.0).contains(&a));
        if f > 0.0 {
            let b = adjusted_parity(m, f).unwrap();
            // 1/x mirrored around 1
            prop_assert!((a + b - 2.0).abs() < 1e-9, "{a} + {b}");
        }
    }

    #[test]
    fn prop_no_nan_or_infinity_anywhere(
        a in arb_values(), b in arb_values(), direction in arb_direction(), p in -0.5f64..1.5
    ) {
        if let Ok(d) = distribution(&a) { assert_json_finite(&d); }
        if let Ok(q) = quantile(&a, p) { prop_assert!(q.is_finite()); }
        if let Some(&x) = a.first() {
            if let Ok(r) = percentile_rank(&a, x) { prop_assert!((0.0..=100.0).contains(&r)); }
        }
        let av: Vec<(usize, f64)> = a.iter().copied().enumerate().collect();
        let bv: Vec<(usize, f64)> = b.iter().copied().enumerate().collect();
        let inds = [
            CompositeIndicator { code: "a", family: Family::Input, direction, values: &av },
            CompositeIndicator { code: "b", family: Family::Outcome, direction: Direction::Higher, values: &bv },
        ];
        if let Ok(idx) = composite_index(&inds, None, &CompositeOptions::default()) {
            assert_json_finite(&idx);
            for e in idx.ranked.iter().chain(&idx.unranked) {
                if let Ok(i) = e.index { prop_assert!((0.0..=100.0).contains(&i)); }
            }
        }
        let groups: Vec<(bool, f64)> = a.iter().map(|&v| (v > 5.0, v)).collect();
        if let Ok(g) = group_gaps(&groups, direction) { assert_json_finite(&g); }
        if let Ok(g) = sex_gap(&a, &b, direction) { assert_json_finite(&g); }
    }
}

mod peer_groups {
    use super::super::*;
    use kpi_model::metrics::MetricRegistry;
    use kpi_model::{
        Dataset, DatasetParts, Direction, Level, Locality, MetricStore, OrgIdx, Organisation,
        Ownership, YearSpan,
    };

    fn org(id: &str, level: Level, region: &str, own: Option<Ownership>) -> Organisation {
        Organisation {
            id: id.into(),
            name: id.into(),
            name_kk: None,
            name_ru: None,
            name_en: None,
            level,
            region: region.into(),
            ownership: own,
            locality: Some(Locality::Urban),
        }
    }

    fn dataset() -> Dataset {
        use Level::*;
        use Ownership::*;
        let organisations = vec![
            org("s1", School, "Astana", Some(State)),
            org("s2", School, "ASTANA ", Some(Private)),
            org("s3", School, "Almaty", Some(State)),
            org("s4", School, "Astana", None),
            org("c1", College, "Astana", Some(State)),
        ];
        let n = organisations.len();
        Dataset::from_parts(DatasetParts {
            organisations,
            programmes: vec![],
            metrics: MetricRegistry::builtin(),
            store: MetricStore::new(YearSpan::new(2023, 2023), n),
            students: Default::default(),
            terms: vec![],
            report: Default::default(),
        })
    }

    fn ids(ds: &Dataset, orgs: &[OrgIdx]) -> Vec<String> {
        orgs.iter().map(|&o| ds.org(o).id.clone()).collect()
    }

    #[test]
    fn members_by_attribute_and_list() {
        let ds = dataset();
        let s1 = ds.org_by_id("s1").unwrap();
        let m = |g: &str| {
            ids(
                &ds,
                &g.parse::<PeerGroup>().unwrap().members(&ds, s1).unwrap(),
            )
        };
        assert_eq!(m("level"), ["s1", "s2", "s3", "s4"]);
        // regions compare case- and space-insensitively: "ASTANA " is Astana
        assert_eq!(m("region"), ["s1", "s2", "s4"]);
        // s4 has no known ownership: not a "same ownership" peer
        assert_eq!(m("ownership"), ["s1", "s3"]);
        assert_eq!(m("region+ownership"), ["s1"]);
        assert_eq!(m("list:c1, s3"), ["s1", "s3", "c1"]);
        let s4 = ds.org_by_id("s4").unwrap();
        let alone = PeerGroup::same_level_and(&[PeerAttribute::Ownership])
            .members(&ds, s4)
            .unwrap();
        assert_eq!(ids(&ds, &alone), ["s4"]);
        assert_eq!(
            PeerGroup::explicit(["s1", "nope"]).members(&ds, s1),
            Err(PeerGroupError::UnknownOrganisations {
                ids: vec!["nope".into()]
            })
        );
    }

    #[test]
    fn partition_and_compare_every_organisation() {
        let ds = dataset();
        let values: Vec<(OrgIdx, f64)> = [
            ("s1", 70.0),
            ("s2", 80.0),
            ("s3", 60.0),
            ("s4", 90.0),
            ("c1", 50.0),
        ]
        .iter()
        .map(|&(id, v)| (ds.org_by_id(id).unwrap(), v))
        .collect();
        let g = PeerGroup::same_level_and(&[PeerAttribute::Ownership]);
        let (groups, unassigned) =
            compare_in_peer_groups(&ds, &g, &values, Direction::Higher).unwrap();
        assert_eq!(
            unassigned,
            [(ds.org_by_id("s4").unwrap(), PeerAttribute::Ownership)]
        );
        // keys ordered: (school, state), (school, private), (college, state)
        let sizes: Vec<usize> = groups
            .iter()
            .map(|g| g.comparison.as_ref().unwrap().n)
            .collect();
        assert_eq!(sizes, [2, 1, 1]);
        let state_schools = groups[0].comparison.as_ref().unwrap();
        assert_eq!(ids(&ds, &[state_schools.positions[0].id]), ["s1"]);
        assert_eq!(state_schools.positions[0].rank, 1); // 70 beats 60
        let json = serde_json::to_string(&groups[0].key).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"attributes","level":"school","region":null,"ownership":"state","locality":null}"#
        );
        let list = PeerGroup::explicit(["s2", "s3"]);
        let part = list.partition(&ds, &values).unwrap();
        assert_eq!(part.groups.len(), 1);
        assert_eq!(part.groups[0].values.len(), 2);
    }
}
