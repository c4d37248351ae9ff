//! Example inputs of every chart kind, with trilingual labels and realistic values: for
//! galleries, documentation, layout tests and benchmarks. Peer values come from a fixed
//! pseudo-random sequence, so every call returns the same charts.

use super::kinds::cohort_flow::{CohortFlowData, CohortStage};
use super::kinds::compare::{BarSignificance, CompareBar, CompareData, Significance};
use super::kinds::distribution::{DistributionData, DistributionMode};
use super::kinds::gaps::{GapGroup, GapParity, GapTest, GapsData};
use super::kinds::heatmap::{HeatmapCell, HeatmapColumn, HeatmapData, HeatmapRow};
use super::kinds::kpi_card::{KpiCardData, UnavailableYear};
use super::kinds::radar::{FamilyScore, RadarData};
use super::kinds::risk::{RiskBreakdownData, RiskCriterion, RiskGaugeData};
use super::kinds::scatter::{ScatterData, ScatterPoint};
use super::kinds::table::{TableCell, TableColumn, TableData};
use super::kinds::trend::{
    ForecastPoint, PeerBand, Signal, TrendData, TrendPoint, TrendTest, TrendTests,
};
use super::spec::{Assessment, IndicatorInfo, Text, ValueUnit, YearValue};
use super::ChartInput;
use kpi_model::i18n::Labels;
use kpi_model::Degree;
use kpi_model::{Direction, Family};

fn t(kk: &str, ru: &str, en: &str) -> Text {
    Text::Langs(Labels {
        kk: kk.into(),
        ru: ru.into(),
        en: en.into(),
        // No Kyrgyz in the gallery's made-up names: Kyrgyz shows the Russian text.
        ky: String::new(),
    })
}

/// A fixed pseudo-random sequence in `[0, 1)` (SplitMix64), for reproducible peer values.
struct Seq(u64);

impl Seq {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Like [`Seq::normal`], rounded to one decimal as published statistics are.
    fn value(&mut self, m: f64, s: f64) -> f64 {
        (self.normal(m, s) * 10.0).round() / 10.0
    }
    /// Roughly normal (sum of four uniforms), mean `m`, standard deviation about `s`.
    fn normal(&mut self, m: f64, s: f64) -> f64 {
        let u: f64 = (0..4).map(|_| self.next()).sum::<f64>() - 2.0;
        m + s * u * 1.73
    }
}

/// The graduate employment rate (%), higher is better.
pub fn employment_rate() -> IndicatorInfo {
    IndicatorInfo {
        code: "employment_rate".into(),
        label: t(
            "Түлектерді жұмысқа орналастыру үлесі",
            "Доля трудоустроенных выпускников",
            "Graduate employment rate",
        ),
        unit: ValueUnit::Percent,
        direction: Direction::Higher,
        decimals: None,
        formula: Some("employed_graduates / graduates × 100".into()),
    }
}

/// Students per teacher, lower is better.
pub fn student_teacher_ratio() -> IndicatorInfo {
    IndicatorInfo {
        code: "student_teacher_ratio".into(),
        label: t(
            "Бір оқытушыға келетін студенттер саны",
            "Число студентов на одного преподавателя",
            "Students per teacher",
        ),
        unit: ValueUnit::Ratio,
        direction: Direction::Lower,
        decimals: Some(1),
        formula: Some("students_enrolled / teachers_fte".into()),
    }
}

/// The dropout rate (%), lower is better.
pub fn dropout_rate() -> IndicatorInfo {
    IndicatorInfo {
        code: "dropout_rate".into(),
        label: t("Оқудан шығу үлесі", "Доля отчисленных", "Dropout rate"),
        unit: ValueUnit::Percent,
        direction: Direction::Lower,
        decimals: None,
        formula: Some("dropouts / students_enrolled × 100".into()),
    }
}

/// Spending per student (KZT), higher is better.
pub fn spending_per_student() -> IndicatorInfo {
    IndicatorInfo {
        code: "spending_per_student".into(),
        label: t(
            "Бір студентке шаққандағы шығын",
            "Расходы на одного студента",
            "Spending per student",
        ),
        unit: ValueUnit::Kzt,
        direction: Direction::Higher,
        decimals: None,
        formula: Some("expenditure / students_enrolled".into()),
    }
}

fn college() -> Text {
    t(
        "Алматы мемлекеттік политехникалық колледжі",
        "Алматинский государственный политехнический колледж",
        "Almaty State Polytechnic College",
    )
}

fn peer_group() -> Text {
    t(
        "Алматы қаласының колледждері",
        "Колледжи города Алматы",
        "Colleges of Almaty",
    )
}

/// Names of `n` peer colleges.
fn peer_names(n: usize) -> Vec<Text> {
    let stems = [
        (
            "Құрылыс және технология колледжі",
            "Колледж строительства и технологий",
            "College of Construction and Technology",
        ),
        (
            "Медициналық колледж",
            "Медицинский колледж",
            "Medical College",
        ),
        (
            "Педагогикалық колледж",
            "Педагогический колледж",
            "Teacher Training College",
        ),
        (
            "Көлік және коммуникация колледжі",
            "Колледж транспорта и коммуникаций",
            "College of Transport and Communications",
        ),
        (
            "Қызмет көрсету саласы колледжі",
            "Колледж сферы обслуживания",
            "Service Industry College",
        ),
        (
            "Бизнес және құқық колледжі",
            "Колледж бизнеса и права",
            "College of Business and Law",
        ),
    ];
    (0..n)
        .map(|i| {
            let (kk, ru, en) = stems[i % stems.len()];
            let k = i / stems.len() + 1;
            t(
                &format!("№{k} {kk}"),
                &format!("{ru} №{k}"),
                &format!("{en} No. {k}"),
            )
        })
        .collect()
}

/// A `kpi-card`.
pub fn kpi_card() -> KpiCardData {
    KpiCardData {
        indicator: employment_rate(),
        unit_name: college(),
        org: Some("091140000123".into()),
        year: Some(2023),
        value: Some(71.4),
        previous: Some(68.2),
        history: [
            (2018, 63.0),
            (2019, 65.5),
            (2020, 58.1),
            (2022, 68.2),
            (2023, 71.4),
        ]
        .into_iter()
        .map(|(year, value)| YearValue { year, value })
        .collect(),
        peer_percentile: Some(72.0),
        peer_n: Some(134),
        peer_median: Some(66.0),
        ..Default::default()
    }
}

/// A `kpi-card` that falls back to 2022 because 2023 has no value, and says why.
pub fn kpi_card_fallback() -> KpiCardData {
    let mut card = kpi_card();
    card.year = Some(2022);
    card.value = Some(68.2);
    card.previous = None;
    card.history.retain(|h| h.year <= 2022);
    card.unavailable = Some(UnavailableYear {
        year: 2023,
        reason: Some(t(
            "2023 жылы graduates_employed деректері жоқ",
            "нет данных graduates_employed за 2023 год",
            "missing graduates_employed in 2023",
        )),
    });
    card
}

/// A `trend` with a missing year, a not-computable year, peers, trend line, forecast and
/// a signal.
pub fn trend() -> TrendData {
    let values = [
        (2016, Some(61.0)),
        (2017, Some(63.2)),
        (2018, Some(62.5)),
        (2019, None),
        (2021, Some(58.1)),
        (2022, Some(68.2)),
        (2023, Some(71.4)),
    ];
    TrendData {
        indicator: employment_rate(),
        unit_name: college(),
        org: Some("091140000123".into()),
        points: values
            .iter()
            .map(|&(year, value)| TrendPoint {
                year,
                value,
                reason: value
                    .is_none()
                    .then(|| Box::new("graduates = 0: деление на ноль / нөлге бөлу".into())),
                signal: (year == 2021).then(|| {
                    Box::new(Signal {
                        assessment: Assessment::Worse,
                        text: t("Күрт төмендеу", "Резкое снижение", "Sharp fall"),
                    })
                }),
                ..Default::default()
            })
            .collect(),
        trend: vec![
            YearValue {
                year: 2016,
                value: 60.4,
            },
            YearValue {
                year: 2023,
                value: 69.0,
            },
        ],
        forecast: vec![
            ForecastPoint {
                year: 2024,
                value: 72.3,
                lower: 64.0,
                upper: 80.6,
            },
            ForecastPoint {
                year: 2025,
                value: 73.5,
                lower: 62.9,
                upper: 84.1,
            },
        ],
        peers: (2016..=2023)
            .map(|year| {
                let m = 60.0 + f64::from(year - 2016) * 0.8;
                PeerBand {
                    year,
                    median: Some(m),
                    q1: Some(m - 7.5),
                    q3: Some(m + 6.0),
                    n: 130 + (year - 2016) as u32,
                }
            })
            .collect(),
        // The two tests of these six values (OLS t = 1.51 with 4 df; Mann–Kendall S = 7).
        tests: TrendTests {
            ols: Some(TrendTest {
                slope: 1.019,
                p_value: 0.206,
            }),
            mann_kendall: Some(TrendTest {
                slope: 1.367,
                p_value: 0.260,
            }),
            alpha: None,
        },
        ..Default::default()
    }
}

/// A `compare` of `n` units with the unit highlighted (top/bottom N when `top_bottom`).
pub fn compare(n: usize, top_bottom: bool) -> CompareData {
    let mut seq = Seq(7);
    let names = peer_names(n);
    let mut bars: Vec<CompareBar> = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| CompareBar {
            id: format!("org{i}"),
            org: Some(format!("0911400{i:05}")),
            name,
            value: if i % 17 == 5 {
                None
            } else {
                Some(seq.value(65.0, 10.0).clamp(0.0, 100.0))
            },
            reason: (i % 17 == 5).then(|| "graduates = 0".into()),
            ..Default::default()
        })
        .collect();
    bars.push(CompareBar {
        id: "me".into(),
        org: Some("091140000123".into()),
        name: college(),
        value: Some(71.4),
        highlight: true,
        ..Default::default()
    });
    CompareData {
        indicator: employment_rate(),
        year: Some(2023),
        bars,
        top: top_bottom.then_some(5),
        bottom: top_bottom.then_some(3),
        peer_group: Some(peer_group()),
        ..Default::default()
    }
}

/// A `compare` of 14 colleges whose employment rates carry their 95% Wilson intervals
/// (from 40 to 300 graduates each) and the verdict against the peer median.
pub fn compare_significance() -> CompareData {
    let mut d = compare(14, false);
    let values: Vec<f64> = d.bars.iter().filter_map(|b| b.value).collect();
    let median =
        kpi_stats::order::median_sorted(&kpi_stats::order::sorted_finite(values.iter().copied()));
    for (i, bar) in d.bars.iter_mut().enumerate() {
        let (Some(v), Some(m)) = (bar.value, median) else {
            continue;
        };
        let trials = 40.0 + (i as f64 * 37.0) % 260.0;
        let successes = (v / 100.0 * trials).round();
        let Some(w) = kpi_stats::wilson_interval(successes, trials, kpi_stats::Z_95) else {
            continue;
        };
        // Rounded to 0.01 points, as an input written by hand would be.
        let round = |x: f64| (x * 1e4).round() / 100.0;
        let (lower, upper) = (round(w.lower), round(w.upper));
        bar.significance = Some(BarSignificance {
            lower,
            upper,
            verdict: if lower > m {
                Significance::Better
            } else if upper < m {
                Significance::Worse
            } else {
                Significance::NotSignificant
            },
        });
    }
    d
}

/// A `distribution` of `n` peers.
pub fn distribution(n: usize, mode: DistributionMode) -> DistributionData {
    let mut seq = Seq(11);
    DistributionData {
        indicator: employment_rate(),
        year: Some(2023),
        values: (0..n)
            .map(|_| seq.value(64.0, 11.0).clamp(0.0, 100.0))
            .chain([12.0])
            .collect(),
        unit_value: Some(71.4),
        unit_name: college(),
        org: Some("091140000123".into()),
        mode,
        peer_group: Some(peer_group()),
        ..Default::default()
    }
}

/// A `scatter` of `n` peers: employment rate against students per teacher.
pub fn scatter(n: usize) -> ScatterData {
    let mut seq = Seq(13);
    let mut points: Vec<ScatterPoint> = peer_names(n)
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let x = seq.value(14.0, 3.0).max(4.0);
            ScatterPoint {
                id: format!("org{i}"),
                org: Some(format!("0911400{i:05}")),
                name,
                x: Some(x),
                y: Some(((seq.value(80.0, 8.0) - x).clamp(0.0, 100.0) * 10.0).round() / 10.0),
                ..Default::default()
            }
        })
        .collect();
    points.push(ScatterPoint {
        id: "me".into(),
        org: Some("091140000123".into()),
        name: college(),
        x: Some(11.2),
        y: Some(71.4),
        highlight: true,
        ..Default::default()
    });
    ScatterData {
        x: student_teacher_ratio(),
        y: employment_rate(),
        year: Some(2023),
        points,
        peer_group: Some(peer_group()),
        ..Default::default()
    }
}

/// A `heatmap` of `n` units × four indicators.
pub fn heatmap(n: usize) -> HeatmapData {
    let mut seq = Seq(17);
    let columns = vec![
        employment_rate(),
        dropout_rate(),
        student_teacher_ratio(),
        spending_per_student(),
    ];
    let mut rows: Vec<HeatmapRow> = peer_names(n)
        .into_iter()
        .enumerate()
        .map(|(i, name)| HeatmapRow {
            id: format!("org{i}"),
            org: Some(format!("0911400{i:05}")),
            name,
            cells: vec![
                HeatmapCell {
                    value: Some(seq.value(65.0, 10.0).clamp(0.0, 100.0)),
                    ..Default::default()
                },
                HeatmapCell {
                    value: Some(seq.value(6.0, 2.5).max(0.0)),
                    ..Default::default()
                },
                if i % 9 == 4 {
                    HeatmapCell {
                        reason: Some("teachers_fte = 0".into()),
                        ..Default::default()
                    }
                } else {
                    HeatmapCell {
                        value: Some(seq.value(14.0, 3.0).max(4.0)),
                        ..Default::default()
                    }
                },
                HeatmapCell {
                    value: Some(seq.value(620_000.0, 150_000.0).max(100_000.0)),
                    ..Default::default()
                },
            ],
            ..Default::default()
        })
        .collect();
    rows.push(HeatmapRow {
        id: "me".into(),
        org: Some("091140000123".into()),
        name: college(),
        highlight: true,
        cells: [71.4, 4.1, 11.2, 710_000.0]
            .into_iter()
            .map(|v| HeatmapCell {
                value: Some(v),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    });
    HeatmapData {
        columns: columns
            .into_iter()
            .map(|indicator| HeatmapColumn {
                indicator,
                short_label: None,
            })
            .collect(),
        rows,
        year: Some(2023),
        title: Some(t(
            "Индикаторлар жылу картасы",
            "Тепловая карта индикаторов",
            "Indicator heat map",
        )),
        ..Default::default()
    }
}

/// A `risk-gauge`.
pub fn risk_gauge() -> RiskGaugeData {
    RiskGaugeData {
        score: Some(42.0),
        weight_coverage: Some(0.85),
        previous_score: Some(35.5),
        rising: true,
        unit_name: college(),
        org: Some("091140000123".into()),
        year: Some(2023),
        ..Default::default()
    }
}

/// A `risk-breakdown` with one gross and two not-computable criteria.
pub fn risk_breakdown() -> RiskBreakdownData {
    let c =
        |code: &str, label: Text, contribution: Option<f64>, reason: Option<&str>| RiskCriterion {
            code: code.into(),
            label,
            contribution,
            weight: Some(0.15),
            reason: reason.map(Text::from),
            ..Default::default()
        };
    RiskBreakdownData {
        criteria: vec![
            c("employment_rate", employment_rate().label, Some(6.5), None),
            c("dropout_rate", dropout_rate().label, Some(14.0), None),
            c(
                "student_teacher_ratio",
                student_teacher_ratio().label,
                Some(9.0),
                None,
            ),
            RiskCriterion {
                gross: true,
                crossed: false,
                ..c(
                    "licence",
                    t(
                        "Лицензия талаптарына сәйкестік",
                        "Соответствие лицензионным требованиям",
                        "Compliance with licence requirements",
                    ),
                    Some(0.0),
                    None,
                )
            },
            c(
                "survey_satisfaction",
                t(
                    "Студенттердің қанағаттануы",
                    "Удовлетворённость студентов",
                    "Student satisfaction",
                ),
                None,
                Some("no survey responses / нет ответов на анкету"),
            ),
            c(
                "qualified_teachers",
                t(
                    "Біліктілігі жоғары оқытушылар үлесі",
                    "Доля преподавателей высшей категории",
                    "Share of highly qualified teachers",
                ),
                None,
                Some("teachers_fte = 0"),
            ),
            c(
                "spending_per_student",
                spending_per_student().label,
                Some(12.5),
                None,
            ),
        ],
        score: Some(42.0),
        degree: Some(Degree::Medium),
        unit_name: college(),
        org: Some("091140000123".into()),
        year: Some(2023),
        ..Default::default()
    }
}

/// A `radar` with one family not computable.
pub fn radar() -> RadarData {
    let f = |family, score: Option<f64>, median| FamilyScore {
        family,
        score,
        peer_median: Some(median),
        reason: score
            .is_none()
            .then(|| "2 of 5 indicators computable / вычислимо 2 из 5".into()),
        indicators: Some(5),
        ..Default::default()
    };
    RadarData {
        families: vec![
            f(Family::Input, Some(64.0), 55.0),
            f(Family::Process, Some(48.0), 52.0),
            f(Family::Outcome, Some(71.0), 58.0),
            f(Family::Efficiency, None, 50.0),
        ],
        unit_name: college(),
        org: Some("091140000123".into()),
        year: Some(2023),
        peer_n: Some(134),
        ..Default::default()
    }
}

/// A `gaps` chart of colleges by locality (two groups, with Welch's test), or by
/// region (`regions`: one row per region).
///
/// ```
/// let d = kpi_chart::examples::gaps(false);
/// assert_eq!(d.groups.len(), 2);
/// assert!(d.test.unwrap().p_value.unwrap() < 0.05);
/// ```
pub fn gaps(regions: bool) -> GapsData {
    // (id, kk, ru, en, n, mean, sd)
    let rows: &[(&str, &str, &str, &str, u32, f64, f64)] = if regions {
        &[
            ("Abai", "Абай", "Абай", "Abai", 38, 71.4, 9.2),
            ("Akmola", "Ақмола", "Акмола", "Akmola", 41, 68.9, 10.4),
            (
                "Almaty",
                "Алматы қ.",
                "г. Алматы",
                "Almaty city",
                112,
                79.8,
                7.1,
            ),
            (
                "Astana",
                "Астана қ.",
                "г. Астана",
                "Astana city",
                86,
                81.2,
                6.5,
            ),
            ("Atyrau", "Атырау", "Атырау", "Atyrau", 27, 74.1, 8.8),
            (
                "Kyzylorda",
                "Қызылорда",
                "Кызылорда",
                "Kyzylorda",
                33,
                66.3,
                11.9,
            ),
            (
                "Turkistan",
                "Түркістан",
                "Туркестан",
                "Turkistan",
                64,
                64.8,
                12.6,
            ),
            ("Ulytau", "Ұлытау", "Улытау", "Ulytau", 9, 70.2, 14.8),
        ]
    } else {
        &[
            ("rural", "ауылдық", "сельские", "rural", 96, 67.6, 11.8),
            ("urban", "қалалық", "городские", "urban", 314, 76.9, 8.9),
        ]
    };
    // t₀.₉₇₅ for these sample sizes is close to 2 (1.98–2.31).
    let groups: Vec<GapGroup> = rows
        .iter()
        .map(|&(id, kk, ru, en, n, mean, sd)| {
            let half = if n < 10 { 2.31 } else { 1.98 } * sd / f64::from(n).sqrt();
            GapGroup {
                id: id.into(),
                name: t(kk, ru, en),
                n,
                mean: Some(mean),
                median: Some(mean + 0.8),
                sd: Some(sd),
                ci_low: Some(mean - half),
                ci_high: Some(mean + half),
            }
        })
        .collect();
    let n: u32 = groups.iter().map(|g| g.n).sum();
    let overall = groups
        .iter()
        .filter_map(|g| g.mean.map(|m| m * f64::from(g.n)))
        .sum::<f64>()
        / f64::from(n);
    let (best, worst) = if regions {
        ("Astana", "Turkistan")
    } else {
        ("urban", "rural")
    };
    let value = |id: &str| {
        groups
            .iter()
            .find(|g| g.id == id)
            .and_then(|g| g.mean)
            .unwrap_or(0.0)
    };
    GapsData {
        indicator: employment_rate(),
        year: Some(2023),
        population: Some(if regions {
            t(
                "Колледждер · өңір бойынша",
                "Колледжи · по регионам",
                "Colleges · by region",
            )
        } else {
            t(
                "Колледждер · елді мекен түрі бойынша",
                "Колледжи · по типу местности",
                "Colleges · by locality",
            )
        }),
        overall: Some(overall),
        best: Some(best.into()),
        worst: Some(worst.into()),
        best_minus_worst: Some(value(best) - value(worst)),
        test: (!regions).then(|| GapTest {
            difference: value("rural") - value("urban"),
            t: Some(-7.07),
            df: Some(128.6),
            p_value: Some(8.9e-11),
            reason: None,
        }),
        groups,
        ..Default::default()
    }
}

/// A `gaps` chart of women and men (`by="sex"`): graduate employment of colleges from each
/// sex's own counts, Welch's test and the gender parity index of the two means.
///
/// ```
/// let d = kpi_chart::examples::gaps_sex();
/// let p = d.parity.unwrap();
/// assert!((p.index - 71.9 / 74.6).abs() < 1e-12 && p.adjusted == p.index); // below 1: as is
/// ```
pub fn gaps_sex() -> GapsData {
    let mut d = gaps(false);
    let rows = [
        ("female", "әйелдер", "женщины", "women", 388, 71.9, 12.1),
        ("male", "ерлер", "мужчины", "men", 402, 74.6, 11.4),
    ];
    d.groups = rows
        .iter()
        .map(|&(id, kk, ru, en, n, mean, sd)| {
            let half = 1.97 * sd / f64::from(n).sqrt();
            GapGroup {
                id: id.into(),
                name: t(kk, ru, en),
                n,
                mean: Some(mean),
                median: Some(mean + 1.1),
                sd: Some(sd),
                ci_low: Some(mean - half),
                ci_high: Some(mean + half),
            }
        })
        .collect();
    d.population = Some(t(
        "Колледждер · жынысы бойынша",
        "Колледжи · по полу",
        "Colleges · by sex",
    ));
    d.overall = Some((71.9 * 388.0 + 74.6 * 402.0) / 790.0);
    d.best = Some("male".into());
    d.worst = Some("female".into());
    d.best_minus_worst = Some(74.6 - 71.9);
    d.test = Some(GapTest {
        difference: 71.9 - 74.6,
        t: Some(-3.22),
        df: Some(783.4),
        p_value: Some(0.0013),
        reason: None,
    });
    d.parity = Some(GapParity {
        index: 71.9 / 74.6,
        adjusted: 71.9 / 74.6,
    });
    d
}

/// A `cohort-flow` chart of a school with eleven grades: the UNESCO reconstructed cohort
/// ([`kpi_stats::reconstruct_cohort`]) with made-up but typical rates: 1–3% repetition,
/// dropout rising with the grade, and many pupils leaving for college after grade 9.
///
/// ```
/// let d = kpi_chart::examples::cohort_flow();
/// assert_eq!(d.grades.len(), 11);
/// // Nobody leaves before grade 1: the whole cohort enters it.
/// assert_eq!(d.grades[0].entrants, Some(1000.0));
/// assert!(d.coefficient_of_efficiency.unwrap() < 1.0);
/// ```
pub fn cohort_flow() -> CohortFlowData {
    use kpi_stats::{reconstruct_cohort, CohortOptions, GradeRates};
    let rates: Vec<GradeRates> = (1..=11u32)
        .map(|g| {
            let repetition = 0.01 + 0.005 * f64::from(g % 4);
            let dropout = match g {
                9 => 0.32,
                _ => 0.002 * f64::from(g),
            };
            GradeRates {
                promotion: 1.0 - repetition - dropout,
                repetition,
                dropout,
            }
        })
        .collect();
    let school = t(
        "№ 12 мектеп-гимназия",
        "Школа-гимназия № 12",
        "School-gymnasium No. 12",
    );
    let mut data = CohortFlowData {
        unit: Some(school),
        year: Some(2023),
        stage: CohortStage::Grade,
        ..Default::default()
    };
    // Rounded as published figures are (and so that they survive a trip through JSON).
    let r = |x: f64| (x * 1e4).round() / 1e4;
    match reconstruct_cohort(&rates, &CohortOptions::default()) {
        Ok(flow) => data.set_flow(&flow, r),
        Err(e) => data.reason = Some(Text::Plain(e.to_string())),
    }
    data
}

/// A `table` of the compare example.
pub fn table(n: usize) -> TableData {
    let cmp = compare(n, false);
    TableData {
        columns: vec![
            TableColumn {
                key: "org".into(),
                label: t("Ұйым", "Организация", "Organisation"),
                ..Default::default()
            },
            TableColumn {
                key: "employment_rate".into(),
                label: employment_rate().label,
                unit: Some(ValueUnit::Percent),
                decimals: None,
            },
        ],
        rows: cmp
            .bars
            .iter()
            .map(|b| {
                vec![
                    TableCell::text(b.name.clone()),
                    TableCell {
                        value: b.value,
                        reason: b.reason.clone(),
                        ..Default::default()
                    },
                ]
            })
            .collect(),
        sort_by: Some(1),
        descending: true,
        title: Some(employment_rate().label),
        caption: Some(t(
            "Дереккөз: ҰБДҚ, 2023–2024",
            "Источник: НОБД, 2023–2024",
            "Source: NEDB, 2023–2024",
        )),
    }
}

/// One example of every kind (compare and distribution also in their dense forms), named.
///
/// ```
/// let all = kpi_chart::examples::gallery();
/// let kinds: std::collections::BTreeSet<&str> = all.iter().map(|(_, i)| i.kind().code()).collect();
/// assert_eq!(kinds.len(), 12);
/// ```
pub fn gallery() -> Vec<(&'static str, ChartInput)> {
    vec![
        ("kpi-card", ChartInput::KpiCard(kpi_card())),
        (
            "kpi-card-fallback",
            ChartInput::KpiCard(kpi_card_fallback()),
        ),
        ("trend", ChartInput::Trend(trend())),
        ("compare", ChartInput::Compare(compare(14, false))),
        (
            "compare-significance",
            ChartInput::Compare(compare_significance()),
        ),
        (
            "compare-top-bottom",
            ChartInput::Compare(compare(120, true)),
        ),
        ("compare-1000", ChartInput::Compare(compare(1000, false))),
        (
            "distribution-box",
            ChartInput::Distribution(distribution(25, DistributionMode::Auto)),
        ),
        (
            "distribution-histogram",
            ChartInput::Distribution(distribution(400, DistributionMode::Auto)),
        ),
        ("scatter", ChartInput::Scatter(scatter(80))),
        ("heatmap", ChartInput::Heatmap(heatmap(12))),
        ("risk-gauge", ChartInput::RiskGauge(risk_gauge())),
        (
            "risk-breakdown",
            ChartInput::RiskBreakdown(risk_breakdown()),
        ),
        ("radar", ChartInput::Radar(radar())),
        ("gaps", ChartInput::Gaps(gaps(false))),
        ("gaps-regions", ChartInput::Gaps(gaps(true))),
        ("gaps-sex", ChartInput::Gaps(gaps_sex())),
        ("cohort-flow", ChartInput::CohortFlow(cohort_flow())),
        ("table", ChartInput::Table(table(12))),
    ]
}
