//! Sentences for a peer position and a peer distribution.

use super::ky::{with_case, Case};
use super::number::{en_ordinal, format_number, ru_genitive};
use super::subject::Subject;
use kpi_model::i18n::Lang;
use kpi_model::Direction;
use kpi_stats::comparative::{Distribution, GapReference, PeerPosition, UnitPosition};

/// One sentence for a unit's position among `n` peers (itself included):
/// value, rank by direction, percentile rank, and the gap to the peer median
/// (for a target band: the distance outside the band); outliers are named.
///
/// ```
/// use kpi_stats::peer_positions;
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_model::Direction;
/// use kpi_summary::{position_sentence, Subject};
/// let s = Subject::new(Labels::same("Employment rate"), "%");
/// let cmp = peer_positions(&[("a", 74.0), ("b", 68.5), ("c", 61.0), ("d", 70.0)], Direction::Higher).unwrap();
/// // median (68.5 + 70) / 2 = 69.25; gap 74 − 69.25 = 4.75; percentile 100 × 3.5 / 4 = 87.5
/// assert_eq!(position_sentence(&s, cmp.direction, cmp.n, &cmp.reference, &cmp.positions[0], Lang::En),
///     "Employment rate: 74.0%, ranked 1st of 4 (percentile 88), 4.8 percentage points better than the peer median (69.3%).");
/// ```
pub fn position_sentence<Id>(
    subject: &Subject,
    direction: Direction,
    n: usize,
    reference: &GapReference,
    position: &PeerPosition<Id>,
    lang: Lang,
) -> String {
    let name = subject.name(lang);
    let value = subject.value(position.value, lang);
    let r = position.rank;
    let pct = format_number(position.percentile_rank, 0, lang);
    let head = match lang {
        Lang::En => format!(
            "{name}: {value}, ranked {} of {n} (percentile {pct})",
            en_ordinal(r)
        ),
        Lang::Ru => format!("{name}: {value}, {r}-е место из {n} (процентиль {pct})"),
        Lang::Kk => format!("{name}: {value}, {n} ұйымның ішінде {r}-орын (процентиль {pct})"),
        Lang::Ky => format!("{name}: {value}, {n} уюмдун ичинен {r}-орун (процентиль {pct})"),
    };
    let gap = match direction {
        Direction::Target { min, max } => band_clause(subject, min, max, position.value, lang),
        _ => median_clause(subject, reference.median, position.gap_to_median, lang),
    };
    let outlier = if position.outlier {
        match lang {
            Lang::En => "; an outlier",
            Lang::Ru => "; выброс",
            Lang::Kk => "; ерекше мән",
            Lang::Ky => "; өзгөчө маани",
        }
    } else {
        ""
    };
    format!("{head}, {gap}{outlier}.")
}

/// [`position_sentence`] for the result of
/// [`unit_position`](kpi_stats::unit_position).
///
/// ```
/// use kpi_stats::unit_position;
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_model::Direction;
/// use kpi_summary::{unit_position_sentence, Subject};
/// let s = Subject::new(Labels::same("Dropout rate"), "%");
/// let p = unit_position(&[(1, 2.0), (2, 5.0), (3, 3.0)], &2, Direction::Lower).unwrap();
/// assert_eq!(unit_position_sentence(&s, Direction::Lower, &p, Lang::En),
///     "Dropout rate: 5.0%, ranked 3rd of 3 (percentile 83), 2.0 percentage points worse than the peer median (3.0%).");
/// ```
pub fn unit_position_sentence<Id>(
    subject: &Subject,
    direction: Direction,
    position: &UnitPosition<Id>,
    lang: Lang,
) -> String {
    position_sentence(
        subject,
        direction,
        position.n,
        &position.reference,
        &position.position,
        lang,
    )
}

fn median_clause(subject: &Subject, median: f64, gap: f64, lang: Lang) -> String {
    let m = subject.value(median, lang);
    let shown = format_number(gap.abs(), subject.decimals, lang);
    let level = shown.chars().all(|c| matches!(c, '0' | ',' | '.'));
    let d = subject.difference(gap, lang);
    let better = gap > 0.0;
    match lang {
        Lang::En if level => format!("level with the peer median ({m})"),
        Lang::En => {
            let w = if better { "better" } else { "worse" };
            format!("{d} {w} than the peer median ({m})")
        }
        Lang::Ru if level => format!("на уровне медианы группы ({m})"),
        Lang::Ru => {
            let w = if better { "лучше" } else { "хуже" };
            format!("на {d} {w} медианы группы ({m})")
        }
        Lang::Kk if level => format!("топ медианасы деңгейінде ({m})"),
        Lang::Kk => {
            let w = if better { "жақсы" } else { "нашар" };
            format!("топ медианасынан ({m}) {d} {w}")
        }
        Lang::Ky if level => format!("топтун медианасынын деңгээлинде ({m})"),
        Lang::Ky => {
            let w = if better { "жакшы" } else { "начар" };
            let d = with_case(&d, Case::Dative);
            format!("топтун медианасынан ({m}) {d} {w}")
        }
    }
}

fn band_clause(subject: &Subject, min: f64, max: f64, x: f64, lang: Lang) -> String {
    let band = range(subject, min, max, lang);
    if x < min || x > max {
        let d = subject.difference(if x < min { min - x } else { x - max }, lang);
        let above = x > max;
        match lang {
            Lang::En => {
                let w = if above { "above" } else { "below" };
                format!("{d} {w} the target band ({band})")
            }
            Lang::Ru => {
                let w = if above { "выше" } else { "ниже" };
                format!("на {d} {w} целевого диапазона ({band})")
            }
            Lang::Kk => {
                let w = if above { "жоғары" } else { "төмен" };
                format!("мақсатты аралықтан ({band}) {d} {w}")
            }
            Lang::Ky => {
                let w = if above { "жогору" } else { "төмөн" };
                let d = with_case(&d, Case::Dative);
                format!("максаттуу аралыктан ({band}) {d} {w}")
            }
        }
    } else {
        match lang {
            Lang::En => format!("within the target band ({band})"),
            Lang::Ru => format!("в пределах целевого диапазона ({band})"),
            Lang::Kk => format!("мақсатты аралық ішінде ({band})"),
            Lang::Ky => format!("максаттуу аралыктын ичинде ({band})"),
        }
    }
}

/// `66,6–71,8%`, `1 000–2 000 тенге`: the unit once, after the range.
fn range(subject: &Subject, a: f64, b: f64, lang: Lang) -> String {
    format!(
        "{}–{}",
        format_number(a, subject.decimals, lang),
        subject.value(b, lang)
    )
}

/// One sentence for a peer group's distribution: n, median, the middle half
/// (Q1–Q3) and the range.
///
/// ```
/// use kpi_stats::distribution;
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_summary::{distribution_sentence, Subject};
/// let s = Subject::new(Labels::same("Employment rate"), "%");
/// let d = distribution(&[61.2, 74.0, 68.5, 70.1, 55.0]).unwrap();
/// assert_eq!(distribution_sentence(&s, &d, Lang::En),
///     "Employment rate across 5 organisations: median 68.5%, middle half 61.2–70.1%, range 55.0–74.0%.");
/// ```
pub fn distribution_sentence(subject: &Subject, d: &Distribution, lang: Lang) -> String {
    let name = subject.name(lang);
    let n = d.n;
    let median = subject.value(d.median, lang);
    let mid = range(subject, d.q1, d.q3, lang);
    let all = range(subject, d.min, d.max, lang);
    match lang {
        Lang::En => {
            let orgs = if n == 1 { "organisation" } else { "organisations" };
            format!("{name} across {n} {orgs}: median {median}, middle half {mid}, range {all}.")
        }
        Lang::Ru => {
            let orgs = ru_genitive(n, "организации", "организаций");
            format!("{name} в группе из {n} {orgs}: медиана {median}, средняя половина значений {mid}, размах {all}.")
        }
        Lang::Kk => format!(
            "{name} {n} ұйым бойынша: медиана {median}, мәндердің ортаңғы жартысы {mid}, ауқымы {all}."
        ),
        Lang::Ky => format!(
            "{name} {n} уюм боюнча: медиана {median}, маанилердин ортоңку жарымы {mid}, диапазону {all}."
        ),
    }
}
