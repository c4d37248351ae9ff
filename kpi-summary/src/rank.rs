//! Sentences for a rate's significance against its peers and for a
//! composite-index rank.

use super::ky::{with_case, Case};
use super::number::{en_ordinal, format_number};
use super::subject::Subject;
use kpi_model::i18n::Lang;
use kpi_stats::comparative::{CompositeEntry, RateSignificance, RateVerdict};

/// One sentence for a rate with its 95% Wilson interval against the peer
/// median. `subject` gives the name and unit of the rate's scale (`%` for
/// [`RateScale::Percent`](kpi_stats::RateScale)).
///
/// ```
/// use kpi_stats::{rate_significance, RateScale};
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_model::Direction;
/// use kpi_summary::{rate_sentence, Subject};
/// let s = Subject::new(Labels::same("Employment rate"), "%");
/// let r = rate_significance(45.0, 60.0, RateScale::Percent, 60.0, Direction::Higher).unwrap();
/// assert_eq!(rate_sentence(&s, &r, Lang::En),
///     "Employment rate: 75.0% (45 of 60; 95% interval 62.8–84.2%), significantly better than the peer median (60.0%).");
/// ```
pub fn rate_sentence(subject: &Subject, r: &RateSignificance, lang: Lang) -> String {
    let name = subject.name(lang);
    let rate = subject.value(r.rate, lang);
    let (s, t) = (
        format_number(r.successes, 0, lang),
        format_number(r.trials, 0, lang),
    );
    let ci = format!(
        "{}–{}",
        format_number(r.interval.lower, subject.decimals, lang),
        subject.value(r.interval.upper, lang)
    );
    let m = subject.value(r.peer_median, lang);
    match lang {
        Lang::En => {
            let v = match r.verdict {
                RateVerdict::SignificantlyBetter => {
                    format!("significantly better than the peer median ({m})")
                }
                RateVerdict::SignificantlyWorse => {
                    format!("significantly worse than the peer median ({m})")
                }
                RateVerdict::NotSignificant => {
                    format!("not significantly different from the peer median ({m})")
                }
            };
            format!("{name}: {rate} ({s} of {t}; 95% interval {ci}), {v}.")
        }
        Lang::Ru => {
            let v = match r.verdict {
                RateVerdict::SignificantlyBetter => format!("значимо лучше медианы группы ({m})"),
                RateVerdict::SignificantlyWorse => format!("значимо хуже медианы группы ({m})"),
                RateVerdict::NotSignificant => {
                    format!("значимо не отличается от медианы группы ({m})")
                }
            };
            format!("{name}: {rate} ({s} из {t}; 95%-й интервал {ci}), {v}.")
        }
        Lang::Kk => {
            let v = match r.verdict {
                RateVerdict::SignificantlyBetter => {
                    format!("топ медианасынан ({m}) айтарлықтай жақсы")
                }
                RateVerdict::SignificantlyWorse => {
                    format!("топ медианасынан ({m}) айтарлықтай нашар")
                }
                RateVerdict::NotSignificant => {
                    format!("топ медианасынан ({m}) айтарлықтай айырмашылығы жоқ")
                }
            };
            format!("{name}: {rate} ({t} ішінен {s}; 95% аралық {ci}), {v}.")
        }
        Lang::Ky => {
            let v = match r.verdict {
                RateVerdict::SignificantlyBetter => {
                    format!("топтун медианасынан ({m}) маанилүү түрдө жакшы")
                }
                RateVerdict::SignificantlyWorse => {
                    format!("топтун медианасынан ({m}) маанилүү түрдө начар")
                }
                RateVerdict::NotSignificant => {
                    format!("топтун медианасынан ({m}) маанилүү айырмасы жок")
                }
            };
            format!("{name}: {rate} ({t} ичинен {s}; 95% аралык {ci}), {v}.")
        }
    }
}

/// One sentence for a unit's composite index: the index 0–100, its rank
/// among the `n_ranked` ranked units, and the share of the weight with data;
/// or why it is not ranked (`min_coverage` as in
/// [`CompositeIndex::min_coverage`](kpi_stats::CompositeIndex)).
///
/// ```
/// use kpi_stats::{composite_index, CompositeIndicator, CompositeOptions};
/// use kpi_model::i18n::Lang;
/// use kpi_model::{Direction, Family};
/// use kpi_summary::composite_sentence;
/// let v = [("a", 80.0), ("b", 60.0), ("c", 70.0)];
/// let ind = [CompositeIndicator { code: "employment_rate", family: Family::Outcome,
///                                 direction: Direction::Higher, values: &v }];
/// let idx = composite_index(&ind, None, &CompositeOptions::default()).unwrap();
/// assert_eq!(composite_sentence(&idx.ranked[1], idx.ranked.len(), idx.min_coverage, Lang::En),
///     "Composite index: 50.0 of 100, ranked 2nd of 3 (data for 100% of the weight).");
/// ```
pub fn composite_sentence<Id>(
    entry: &CompositeEntry<Id>,
    n_ranked: usize,
    min_coverage: f64,
    lang: Lang,
) -> String {
    let head = match lang {
        Lang::En => "Composite index",
        Lang::Ru => "Сводный индекс",
        Lang::Kk => "Жиынтық индекс",
        Lang::Ky => "Жыйынтык индекс",
    };
    let Ok(index) = entry.index else {
        return match lang {
            Lang::En => format!("{head}: not computable (no indicator of the index has a value)."),
            Lang::Ru => {
                format!("{head}: не рассчитывается (нет значений ни одного показателя индекса).")
            }
            Lang::Kk => {
                format!("{head}: есептелмейді (индекс көрсеткіштерінің ешқайсысында мән жоқ).")
            }
            Lang::Ky => {
                format!("{head}: эсептелбейт (индекстин бир да көрсөткүчүндө маани жок).")
            }
        };
    };
    let i = format_number(index, 1, lang);
    let cov = format_number(100.0 * entry.coverage, 0, lang);
    let need = format_number(100.0 * min_coverage, 0, lang);
    match (entry.rank, lang) {
        (Some(r), Lang::En) => format!(
            "{head}: {i} of 100, ranked {} of {n_ranked} (data for {cov}% of the weight).",
            en_ordinal(r)
        ),
        (Some(r), Lang::Ru) => format!(
            "{head}: {i} из 100, {r}-е место из {n_ranked} (данные по {cov}% веса)."
        ),
        (Some(r), Lang::Kk) => format!(
            "{head}: 100-ден {i}, {n_ranked} ұйымның ішінде {r}-орын (деректер салмақтың {cov}%-ын қамтиды)."
        ),
        (None, Lang::En) => format!(
            "{head}: {i} of 100 from {cov}% of the weight; not ranked ({need}% needed)."
        ),
        (None, Lang::Ru) => format!(
            "{head}: {i} из 100 по {cov}% веса; без места в рейтинге (нужно не менее {need}%)."
        ),
        (None, Lang::Kk) => format!(
            "{head}: салмақтың {cov}%-ы бойынша 100-ден {i}; рейтингке енбеді (кемінде {need}% қажет)."
        ),
        (Some(r), Lang::Ky) => format!(
            "{head}: {} {i}, {n_ranked} уюмдун ичинен {r}-орун (маалыматтар салмактын {cov}%-ын камтыйт).",
            with_case("100", Case::Ablative)
        ),
        (None, Lang::Ky) => format!(
            "{head}: салмактын {cov}%-ы боюнча {} {i}; рейтингге кирген жок (кеминде {need}% керек).",
            with_case("100", Case::Ablative)
        ),
    }
}
