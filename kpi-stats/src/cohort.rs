//! Cohort analysis for schools and colleges: the UNESCO reconstructed-cohort
//! method (docs/methods.md, "Cohort analysis").
//!
//! A cohort of entrants (1,000 by default) is followed through grades
//! `1..=G` with each grade's promotion, repetition and dropout rates, which
//! sum to 1. In the last grade, "promotion" is graduation. The method's
//! assumptions (UNESCO): the rates stay constant while the cohort is in
//! school, apply equally to first-time pupils and repeaters, dropouts never
//! return, and no one enters after grade 1. A pupil may repeat a grade at
//! most `max_repetitions` times (3 by default); pupils who would repeat once
//! more leave the cohort and count as dropouts (`forced_dropouts`).
//!
//! **Rates from counts** (UNESCO, see [`CohortCounts::rates`]), with `E` the
//! enrolment, `R` the repeaters and `t` the year of the rates:
//!
//! | rate | formula |
//! |---|---|
//! | promotion, grades `g < G` | `p_g = (E_{g+1,t+1} − R_{g+1,t+1}) / E_{g,t}` |
//! | graduation, grade `G` | `p_G = graduates_t / E_{G,t}` |
//! | repetition | `r_g = R_{g,t+1} / E_{g,t}` |
//! | dropout | `d_g = 1 − p_g − r_g` |
//!
//! **Results**: survival rate to each grade (share of the cohort that
//! reaches it), graduates (by years of study), dropouts by grade, pupil-years
//! spent in total, by graduates, by dropouts and in repeated years,
//! pupil-years per graduate, and the **coefficient of efficiency**
//! `(graduates × G) / pupil-years spent` (1 = no wastage) with its reciprocal,
//! the **input–output ratio**.

use super::computed::{computed_serde, finite, Computed, NotComputable};
use kpi_model::{academic_year_label, BreakdownDimension, ColumnKey, Dataset, UnitId, Year};
use serde::{Deserialize, Serialize};

/// How far grade rates may sum away from 1 before they are rejected; within
/// it they are divided by their sum (rounding in published rates).
pub const RATE_SUM_TOLERANCE: f64 = 1e-3;
/// The most grades (or courses) a cohort may have.
pub const MAX_GRADES: usize = 20;
/// The most repetitions per grade the flow may allow.
pub const MAX_REPETITIONS_LIMIT: u32 = 10;

/// Promotion, repetition and dropout rates of one grade, as shares 0–1.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeRates {
    /// Promoted to the next grade (graduated, in the last grade).
    pub promotion: f64,
    /// Repeating the grade next year.
    pub repetition: f64,
    /// Leaving school.
    pub dropout: f64,
}

impl GradeRates {
    /// Checks the rates of grade `grade` (1-based): each finite in 0–1 and
    /// the sum within [`RATE_SUM_TOLERANCE`] of 1; returns them divided by
    /// their sum.
    fn checked(self, grade: usize) -> Computed<GradeRates> {
        let GradeRates {
            promotion,
            repetition,
            dropout,
        } = self;
        for (name, v) in [
            ("promotion", promotion),
            ("repetition", repetition),
            ("dropout", dropout),
        ] {
            if !v.is_finite() || !(0.0..=1.0).contains(&v) {
                return Err(NotComputable::InvalidGrade {
                    grade,
                    detail: format!("the {name} rate is {v}; expected a share from 0 to 1"),
                });
            }
        }
        let sum = promotion + repetition + dropout;
        if (sum - 1.0).abs() > RATE_SUM_TOLERANCE {
            return Err(NotComputable::InvalidGrade {
                grade,
                detail: format!(
                    "promotion {promotion} + repetition {repetition} + dropout {dropout} = {sum}; the rates must sum to 1"
                ),
            });
        }
        Ok(GradeRates {
            promotion: promotion / sum,
            repetition: repetition / sum,
            dropout: dropout / sum,
        })
    }
}

/// The counts the rates are derived from (one entry per grade, grade 1 first).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortCounts {
    /// The year `t` of the rates.
    pub year: Year,
    /// Grade (or course) names as in the data (`grade_1` …), for messages.
    pub grade_names: Vec<String>,
    /// Enrolment by grade in year `t`, `E_{g,t}`.
    pub enrolment: Vec<f64>,
    /// Enrolment by grade in year `t + 1`, `E_{g,t+1}`.
    pub enrolment_next: Vec<f64>,
    /// Repeaters by grade in year `t + 1`, `R_{g,t+1}`.
    pub repeaters_next: Vec<f64>,
    /// Graduates of the last grade in year `t`.
    pub graduates: f64,
}

impl CohortCounts {
    /// The grade rates, the UNESCO way (see the [module documentation](self)).
    /// Fails, naming the grade, when a count is missing, negative or not
    /// finite, when `E_{g,t}` is 0, when repeaters exceed enrolment, or when
    /// promotion and repetition exceed 1 (more pupils in grade `g + 1` than
    /// can have come from grade `g`: new entrants or transfers, which the
    /// method does not allow).
    ///
    /// ```
    /// use kpi_stats::CohortCounts;
    /// let counts = CohortCounts {
    ///     year: 2022,
    ///     grade_names: vec!["grade_1".into(), "grade_2".into()],
    ///     enrolment: vec![100.0, 90.0],
    ///     enrolment_next: vec![105.0, 92.0],
    ///     repeaters_next: vec![5.0, 2.0],
    ///     graduates: 81.0,
    /// };
    /// let r = counts.rates().unwrap();
    /// // p₁ = (92 − 2) / 100, r₁ = 5 / 100, d₁ = 1 − 0.9 − 0.05
    /// assert!((r[0].promotion - 0.90).abs() < 1e-12 && (r[0].dropout - 0.05).abs() < 1e-12);
    /// // p₂ = 81 / 90 (graduation), r₂ = 2 / 90
    /// assert!((r[1].promotion - 0.9).abs() < 1e-12);
    /// ```
    pub fn rates(&self) -> Computed<Vec<GradeRates>> {
        let g = self.enrolment.len();
        if g == 0 {
            return Err(NotComputable::too_few(1, 0));
        }
        if self.enrolment_next.len() != g || self.repeaters_next.len() != g {
            return Err(NotComputable::invalid(
                "grades of next year's enrolment or repeaters",
                self.enrolment_next.len().min(self.repeaters_next.len()) as f64,
                format!("{g} grades, as in year {}", self.year),
            ));
        }
        let name = |i: usize| {
            self.grade_names
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("grade_{}", i + 1))
        };
        let count = |i: usize, what: &str, v: f64| -> Computed<f64> {
            if v.is_finite() && v >= 0.0 {
                Ok(v)
            } else {
                Err(NotComputable::InvalidGrade {
                    grade: i + 1,
                    detail: format!("{what} is {v}; expected a count ≥ 0"),
                })
            }
        };
        let graduates = count(g - 1, "the number of graduates", self.graduates)?;
        let mut rates = Vec::with_capacity(g);
        for i in 0..g {
            let e = count(i, "the enrolment", self.enrolment[i])?;
            if e == 0.0 {
                return Err(NotComputable::InvalidGrade {
                    grade: i + 1,
                    detail: format!(
                        "the enrolment in {} is 0, so no rate can be derived",
                        academic_year_label(self.year)
                    ),
                });
            }
            let r = count(i, "the number of repeaters", self.repeaters_next[i])?;
            count(i, "the enrolment", self.enrolment_next[i])?;
            let promoted = if i + 1 < g {
                let e_next = count(i + 1, "the enrolment", self.enrolment_next[i + 1])?;
                let r_next = count(i + 1, "the number of repeaters", self.repeaters_next[i + 1])?;
                if r_next > e_next {
                    return Err(NotComputable::InvalidGrade {
                        grade: i + 2,
                        detail: format!(
                            "{r_next} repeaters exceed the enrolment of {e_next} in {}",
                            name(i + 1)
                        ),
                    });
                }
                e_next - r_next
            } else {
                graduates
            };
            let p = promoted / e;
            let rr = r / e;
            let mut d = 1.0 - p - rr;
            if d < -1e-9 {
                return Err(NotComputable::InvalidGrade {
                    grade: i + 1,
                    detail: format!(
                        "promotion {p:.4} + repetition {rr:.4} exceed 1: more pupils go on from {} than were enrolled (new entrants or transfers?)",
                        name(i)
                    ),
                });
            }
            d = d.max(0.0);
            rates.push(GradeRates {
                promotion: finite(p)?,
                repetition: finite(rr)?,
                dropout: d,
            });
        }
        Ok(rates)
    }

    /// The counts of one unit for the rates of `year`, from the breakdown
    /// metrics of a dataset: `students_enrolled.grade_k` (or `course_k`) in
    /// `year` and `year + 1`, `repeaters.grade_k` in `year + 1`, and the
    /// graduates of the last grade in `year`: `promoted.<last grade>` if
    /// present, else the bare `graduates`. The grades are those with an
    /// enrolment in `year`; they must be consecutive.
    pub fn from_dataset(dataset: &Dataset, unit: UnitId, year: Year) -> Computed<CohortCounts> {
        let store = dataset.store();
        let metrics = dataset.metrics();
        let next = year.checked_add(1).ok_or(NotComputable::Overflow)?;
        let missing = |what: String, y: Year| NotComputable::MissingData {
            what: format!("{what} in {}", academic_year_label(y)),
        };
        let value = |metric: &str, breakdown: Option<&str>, y: Year| -> Option<f64> {
            let key = ColumnKey {
                metric: metrics.id(metric)?,
                breakdown: match breakdown {
                    Some(b) => Some(store.breakdown(b)?),
                    None => None,
                },
            };
            store.get(store.column(key)?, unit, y)
        };
        let enrolled =
            metrics
                .id("students_enrolled")
                .ok_or_else(|| NotComputable::MissingData {
                    what: "the metric students_enrolled".into(),
                })?;
        let mut grades: Vec<(u8, String)> = store
            .breakdown_columns(enrolled)
            .iter()
            .filter_map(|&col| {
                let b = store.key(col).breakdown?;
                let name = store.breakdown_name(b);
                (BreakdownDimension::of(name) == BreakdownDimension::Grade
                    && store.get(col, unit, year).is_some())
                .then(|| Some((BreakdownDimension::grade_number(name)?, name.to_string())))
                .flatten()
            })
            .collect();
        grades.sort();
        grades.dedup_by_key(|g| g.0);
        if grades.is_empty() {
            return Err(missing(
                "students_enrolled by grade (grade_1 … or course_1 …)".into(),
                year,
            ));
        }
        if grades.len() > MAX_GRADES {
            return Err(NotComputable::TooManyValues {
                max: MAX_GRADES,
                got: grades.len(),
            });
        }
        if let Some(w) = grades.windows(2).find(|w| w[1].0 != w[0].0 + 1) {
            return Err(missing(
                format!(
                    "students_enrolled for the grades between {} and {}",
                    w[0].1, w[1].1
                ),
                year,
            ));
        }
        let mut counts = CohortCounts {
            year,
            grade_names: grades.iter().map(|g| g.1.clone()).collect(),
            enrolment: Vec::with_capacity(grades.len()),
            enrolment_next: Vec::with_capacity(grades.len()),
            repeaters_next: Vec::with_capacity(grades.len()),
            graduates: 0.0,
        };
        for (_, name) in &grades {
            let e = value("students_enrolled", Some(name), year)
                .ok_or_else(|| missing(format!("students_enrolled.{name}"), year))?;
            let e_next = value("students_enrolled", Some(name), next)
                .ok_or_else(|| missing(format!("students_enrolled.{name}"), next))?;
            let r_next = value("repeaters", Some(name), next)
                .ok_or_else(|| missing(format!("repeaters.{name}"), next))?;
            counts.enrolment.push(e);
            counts.enrolment_next.push(e_next);
            counts.repeaters_next.push(r_next);
        }
        let last = grades.last().map(|g| g.1.as_str()).unwrap_or_default();
        counts.graduates = value("promoted", Some(last), year)
            .or_else(|| value("graduates", None, year))
            .ok_or_else(|| missing(format!("promoted.{last} (or graduates)"), year))?;
        Ok(counts)
    }
}

/// Options of [`reconstruct_cohort`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortOptions {
    /// Entrants followed (default 1,000).
    pub cohort_size: f64,
    /// The most times a pupil may repeat one grade (default 3).
    pub max_repetitions: u32,
}

impl Default for CohortOptions {
    fn default() -> Self {
        CohortOptions {
            cohort_size: 1000.0,
            max_repetitions: 3,
        }
    }
}

/// The flow of the cohort through one grade.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeFlow {
    /// The grade, 1-based.
    pub grade: usize,
    /// The rates used (divided by their sum).
    pub rates: GradeRates,
    /// Pupils of the cohort who reach the grade.
    pub entrants: f64,
    /// `entrants / cohort size`: the survival rate to this grade, 0–1.
    pub survival_rate: f64,
    /// Pupil-years spent in the grade (first attempts and repetitions).
    pub pupil_years: f64,
    /// Pupil-years spent repeating the grade.
    pub repeated_years: f64,
    /// Pupils promoted from the grade (graduates, in the last grade).
    pub promoted: f64,
    /// Pupils who leave from the grade, forced dropouts included.
    pub dropouts: f64,
    /// Of the dropouts, those who would have repeated beyond the limit.
    pub forced_dropouts: f64,
}

/// Graduates by the years they took.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GraduatesByDuration {
    /// Years of study (the number of grades plus repetitions).
    pub years: usize,
    /// Graduates who took that long.
    pub graduates: f64,
}

/// The reconstructed cohort.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortFlow {
    /// Grades, `G` (the normative years of study).
    pub grades: usize,
    /// Entrants followed.
    pub cohort_size: f64,
    /// Repetitions allowed per grade.
    pub max_repetitions: u32,
    /// The flow through each grade.
    pub by_grade: Vec<GradeFlow>,
    /// Share of the cohort reaching the last grade, 0–1.
    pub survival_to_last_grade: f64,
    /// Expected graduates.
    pub graduates: f64,
    /// `graduates / cohort size`, 0–1.
    pub completion_rate: f64,
    /// Graduates by years of study, from `G` years on (durations with none are left out).
    pub graduates_by_duration: Vec<GraduatesByDuration>,
    /// All dropouts (`cohort size − graduates`).
    pub dropouts: f64,
    /// Pupil-years spent by the whole cohort.
    pub pupil_years: f64,
    /// Pupil-years spent by the graduates.
    pub pupil_years_graduates: f64,
    /// Pupil-years spent by the dropouts.
    pub pupil_years_dropouts: f64,
    /// Pupil-years spent repeating grades.
    pub pupil_years_repeated: f64,
    /// `pupil_years / graduates`; not computable without graduates.
    #[serde(with = "computed_serde")]
    pub pupil_years_per_graduate: Computed<f64>,
    /// `pupil_years_graduates / graduates`: the average duration of study of a graduate.
    #[serde(with = "computed_serde")]
    pub average_years_to_graduate: Computed<f64>,
    /// `(graduates × G) / pupil_years`, 0–1 (1 = no wastage).
    #[serde(with = "computed_serde")]
    pub coefficient_of_efficiency: Computed<f64>,
    /// `pupil_years / (graduates × G)`, the reciprocal (≥ 1).
    #[serde(with = "computed_serde")]
    pub input_output_ratio: Computed<f64>,
}

/// Follows a cohort through the grades with the given rates (grade 1 first;
/// needs 1 grade, at most [`MAX_GRADES`]). Rates of each grade must be
/// shares that sum to 1 (within [`RATE_SUM_TOLERANCE`]); the error names the
/// grade that breaks this.
///
/// ```
/// use kpi_stats::{reconstruct_cohort, CohortOptions, GradeRates};
/// let rates = [GradeRates { promotion: 0.9, repetition: 0.0, dropout: 0.1 }; 2];
/// let flow = reconstruct_cohort(&rates, &CohortOptions::default()).unwrap();
/// // 1000 → 900 reach grade 2 → 810 graduate; pupil-years 1000 + 900
/// assert!((flow.graduates - 810.0).abs() < 1e-9);
/// assert!((flow.pupil_years - 1900.0).abs() < 1e-9);
/// // (810 × 2) / 1900
/// assert!((flow.coefficient_of_efficiency.unwrap() - 1620.0 / 1900.0).abs() < 1e-12);
/// ```
pub fn reconstruct_cohort(rates: &[GradeRates], options: &CohortOptions) -> Computed<CohortFlow> {
    let g = rates.len();
    if g == 0 {
        return Err(NotComputable::too_few(1, 0));
    }
    if g > MAX_GRADES {
        return Err(NotComputable::TooManyValues {
            max: MAX_GRADES,
            got: g,
        });
    }
    let cohort = options.cohort_size;
    if !cohort.is_finite() || cohort <= 0.0 {
        return Err(NotComputable::invalid(
            "cohort size",
            cohort,
            "a positive number",
        ));
    }
    let max_rep = options.max_repetitions;
    if max_rep > MAX_REPETITIONS_LIMIT {
        return Err(NotComputable::invalid(
            "repetitions allowed per grade",
            max_rep as f64,
            "0 to 10",
        ));
    }
    let rates = rates
        .iter()
        .enumerate()
        .map(|(i, r)| r.checked(i + 1))
        .collect::<Computed<Vec<_>>>()?;

    // arrivals[d]: pupils reaching the current grade after d repetitions in earlier grades.
    let max_delay = max_rep as usize * g;
    let mut arrivals = vec![0.0; max_delay + 1];
    arrivals[0] = cohort;
    let mut by_grade = Vec::with_capacity(g);
    for (i, r) in rates.iter().enumerate() {
        let entrants: f64 = arrivals.iter().sum();
        let mut current = arrivals.clone();
        let mut promoted = vec![0.0; max_delay + 1];
        let (mut years, mut repeated, mut dropouts, mut forced) = (0.0, 0.0, 0.0, 0.0);
        for attempt in 0..=max_rep {
            let in_grade: f64 = current.iter().sum();
            years += in_grade;
            if attempt > 0 {
                repeated += in_grade;
            }
            let mut repeating = vec![0.0; max_delay + 1];
            for (d, &c) in current.iter().enumerate() {
                if let Some(slot) = promoted.get_mut(d) {
                    *slot += r.promotion * c;
                }
                dropouts += r.dropout * c;
                match repeating.get_mut(d + 1) {
                    Some(slot) if attempt < max_rep => *slot += r.repetition * c,
                    _ => {
                        dropouts += r.repetition * c;
                        forced += r.repetition * c;
                    }
                }
            }
            current = repeating;
        }
        by_grade.push(GradeFlow {
            grade: i + 1,
            rates: *r,
            entrants,
            survival_rate: entrants / cohort,
            pupil_years: years,
            repeated_years: repeated,
            promoted: promoted.iter().sum(),
            dropouts,
            forced_dropouts: forced,
        });
        arrivals = promoted;
    }
    // After the last grade, `arrivals` holds the graduates by delay.
    let graduates: f64 = arrivals.iter().sum();
    let graduates_by_duration = arrivals
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0.0)
        .map(|(d, &n)| GraduatesByDuration {
            years: g + d,
            graduates: n,
        })
        .collect();
    let pupil_years_graduates: f64 = arrivals
        .iter()
        .enumerate()
        .map(|(d, &n)| n * (g + d) as f64)
        .sum();
    let pupil_years: f64 = by_grade.iter().map(|f| f.pupil_years).sum();
    let per_graduate = |x: f64| {
        if graduates > 0.0 {
            finite(x / graduates)
        } else {
            Err(NotComputable::ZeroDenominator {
                what: "no pupil of the cohort graduates".into(),
            })
        }
    };
    let normative = graduates * g as f64;
    Ok(CohortFlow {
        grades: g,
        cohort_size: cohort,
        max_repetitions: max_rep,
        survival_to_last_grade: by_grade.last().map_or(0.0, |f| f.survival_rate),
        graduates,
        completion_rate: graduates / cohort,
        graduates_by_duration,
        dropouts: by_grade.iter().map(|f| f.dropouts).sum(),
        pupil_years_graduates,
        pupil_years_dropouts: (pupil_years - pupil_years_graduates).max(0.0),
        pupil_years_repeated: by_grade.iter().map(|f| f.repeated_years).sum(),
        pupil_years_per_graduate: per_graduate(pupil_years),
        average_years_to_graduate: per_graduate(pupil_years_graduates),
        coefficient_of_efficiency: if graduates > 0.0 {
            finite((normative / pupil_years).min(1.0))
        } else {
            Err(NotComputable::ZeroDenominator {
                what: "no pupil of the cohort graduates".into(),
            })
        },
        input_output_ratio: per_graduate(pupil_years / g as f64),
        pupil_years,
        by_grade,
    })
}

#[cfg(test)]
mod tests;
