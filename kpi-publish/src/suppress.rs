//! Small-cell suppression: the disclosure rule of a bundle.
//!
//! * **Primary.** A value about persons (an indicator with counts, or read
//!   from person counts) computed from fewer than `k` persons is suppressed;
//!   so is one whose number of persons is not known.
//! * **Secondary.** An organisation's value is its programmes' taken
//!   together: with the organisation's value and `n` and all its
//!   programmes but one published, the missing programme's value and `n`
//!   follow by subtraction. So when programmes of an organisation are
//!   suppressed (for one indicator and year), further programmes are
//!   suppressed, smallest first, until the suppressed ones hold at least
//!   `k` persons together; when no programme is left to add, the
//!   organisation's own value is suppressed too.
//!
//! ```
//! use kpi_publish::suppress::{suppress_group, Slot, Status};
//! // An organisation of 60 graduates: programmes of 3, 20 and 37.
//! let mut org = Slot::measured(Some(80.0), Some(60.0));
//! let mut programmes = [
//!     Slot::measured(Some(66.7), Some(3.0)),
//!     Slot::measured(Some(90.0), Some(20.0)),
//!     Slot::measured(Some(78.4), Some(37.0)),
//! ];
//! suppress_group(&mut org, &mut programmes, 5);
//! assert!(matches!(programmes[0].status, Status::FewPersons));
//! // 60 − 20 − 37 would give the 3 away: the 20 goes too (3 + 20 ≥ 5).
//! assert!(matches!(programmes[1].status, Status::Secondary));
//! assert!(matches!(programmes[2].status, Status::Published));
//! assert!(matches!(org.status, Status::Published));
//! ```

use serde::Serialize;

/// What is published for one cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The value and its `n`.
    Published,
    /// No value: not computable (the reason is the indicator's own).
    NotComputable,
    /// Suppressed: fewer than `k` persons.
    FewPersons,
    /// Suppressed: the number of persons is not known.
    UnknownSize,
    /// Suppressed: it would let a suppressed value be derived.
    Secondary,
}

impl Status {
    /// The status as written in a bundle.
    ///
    /// ```
    /// assert_eq!(kpi_publish::suppress::Status::Secondary.code(), "suppressed_secondary");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Status::Published => "ok",
            Status::NotComputable => "not_computable",
            Status::FewPersons => "suppressed_small",
            Status::UnknownSize => "suppressed_unknown_size",
            Status::Secondary => "suppressed_secondary",
        }
    }

    /// Why a suppressed value is not shown, in every language, with `k`;
    /// `None` for a published or not computable value.
    ///
    /// ```
    /// use kpi_model::i18n::Lang;
    /// use kpi_publish::suppress::Status;
    /// let why = Status::FewPersons.reason(5).unwrap();
    /// assert_eq!(why.get(Lang::En), "suppressed: computed from fewer than 5 persons");
    /// ```
    pub fn reason(self, k: u32) -> Option<kpi_model::i18n::Labels> {
        use kpi_model::i18n::{Labels, Lang};
        let text = |lang: Lang| {
            match (self, lang) {
            (Status::FewPersons, Lang::En) => {
                format!("suppressed: computed from fewer than {k} persons")
            }
            (Status::FewPersons, Lang::Ru) => format!("скрыто: рассчитано менее чем по {k} лицам"),
            (Status::FewPersons, Lang::Ky) => {
                format!("жашырылган: {k} адамдан аз боюнча эсептелген")
            }
            (Status::FewPersons, _) => format!("жасырылған: {k} адамнан аз бойынша есептелген"),
            (Status::UnknownSize, Lang::En) => {
                "suppressed: the number of persons behind it is not known".to_string()
            }
            (Status::UnknownSize, Lang::Ru) => "скрыто: число лиц, по которым рассчитано, неизвестно".to_string(),
            (Status::UnknownSize, Lang::Ky) => {
                "жашырылган: эсептелген адамдардын саны белгисиз".to_string()
            }
            (Status::UnknownSize, _) => "жасырылған: есептелген адамдар саны белгісіз".to_string(),
            (_, Lang::En) => format!(
                "suppressed: with the published totals it would reveal a value of fewer than {k} persons"
            ),
            (_, Lang::Ru) => format!(
                "скрыто: вместе с опубликованными итогами раскрыло бы значение менее чем по {k} лицам"
            ),
            (_, Lang::Ky) => format!(
                "жашырылган: жарыяланган жыйынтыктар менен бирге {k} адамдан аз маанини ачып коймок"
            ),
            (_, _) => format!(
                "жасырылған: жарияланған жиындармен бірге {k} адамнан аз мәнді ашып қояр еді"
            ),
        }
        };
        self.is_suppressed().then(|| Labels::from_fn(text))
    }

    /// Whether the value is withheld by the disclosure rule.
    pub fn is_suppressed(self) -> bool {
        matches!(
            self,
            Status::FewPersons | Status::UnknownSize | Status::Secondary
        )
    }
}

/// One cell before and after suppression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slot {
    /// The value, when computable.
    pub value: Option<f64>,
    /// The number of persons it is computed from, when known.
    pub n: Option<f64>,
    /// Whether the value is about persons (else it is never suppressed).
    pub about_persons: bool,
    /// The outcome.
    pub status: Status,
}

impl Slot {
    /// A value about persons, with its number of persons when known.
    pub fn measured(value: Option<f64>, n: Option<f64>) -> Slot {
        Slot {
            value,
            n,
            about_persons: true,
            status: if value.is_some() {
                Status::Published
            } else {
                Status::NotComputable
            },
        }
    }

    /// A value not about persons (a flag, an amount per unit of area …).
    pub fn unmeasured(value: Option<f64>) -> Slot {
        Slot {
            about_persons: false,
            ..Slot::measured(value, None)
        }
    }

    /// Applies the primary rule.
    fn primary(&mut self, k: f64) {
        if self.status != Status::Published || !self.about_persons {
            return;
        }
        self.status = match self.n {
            None => Status::UnknownSize,
            Some(n) if n < k => Status::FewPersons,
            Some(_) => Status::Published,
        };
    }
}

/// How many values a bundle withholds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Values published.
    pub published: u64,
    /// Suppressed for fewer than `k` persons, or an unknown number.
    pub primary: u64,
    /// Suppressed so that those cannot be derived.
    pub secondary: u64,
}

impl Counts {
    /// Counts the outcome of a group.
    pub fn add(&mut self, slots: impl IntoIterator<Item = Slot>) {
        for s in slots {
            match s.status {
                Status::Published => self.published += 1,
                Status::FewPersons | Status::UnknownSize => self.primary += 1,
                Status::Secondary => self.secondary += 1,
                Status::NotComputable => {}
            }
        }
    }
}

/// Applies both rules to an organisation's cell and its programmes' cells
/// (one indicator, one year), with `k` persons at least.
pub fn suppress_group(org: &mut Slot, programmes: &mut [Slot], k: u32) {
    let k = f64::from(k);
    org.primary(k);
    for p in programmes.iter_mut() {
        p.primary(k);
    }
    let hidden = |ps: &[Slot]| -> f64 {
        ps.iter()
            .filter(|p| p.status.is_suppressed())
            .map(|p| p.n.unwrap_or(0.0))
            .sum()
    };
    if !programmes.iter().any(|p| p.status.is_suppressed()) {
        return;
    }
    // Nothing to subtract from when the organisation's own value is not out.
    if org.status != Status::Published {
        return;
    }
    while hidden(programmes) < k {
        let next = programmes
            .iter_mut()
            .filter(|p| p.status == Status::Published && p.about_persons)
            .min_by(|a, b| {
                a.n.unwrap_or(f64::INFINITY)
                    .total_cmp(&b.n.unwrap_or(f64::INFINITY))
            });
        match next {
            Some(p) => p.status = Status::Secondary,
            None => {
                org.status = Status::Secondary;
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enough_persons_everywhere_hides_nothing() {
        let mut org = Slot::measured(Some(50.0), Some(100.0));
        let mut ps = [
            Slot::measured(Some(40.0), Some(50.0)),
            Slot::measured(Some(60.0), Some(50.0)),
        ];
        suppress_group(&mut org, &mut ps, 5);
        assert!(ps.iter().all(|p| p.status == Status::Published));
        assert_eq!(org.status, Status::Published);
    }

    #[test]
    fn one_small_programme_takes_the_next_smallest_with_it() {
        let mut org = Slot::measured(Some(50.0), Some(100.0));
        let mut ps = [
            Slot::measured(Some(40.0), Some(60.0)),
            Slot::measured(Some(60.0), Some(2.0)),
            Slot::measured(Some(55.0), Some(38.0)),
        ];
        suppress_group(&mut org, &mut ps, 5);
        let st: Vec<Status> = ps.iter().map(|p| p.status).collect();
        assert_eq!(
            st,
            [Status::Published, Status::FewPersons, Status::Secondary]
        );
        assert_eq!(org.status, Status::Published);
    }

    #[test]
    fn two_small_programmes_together_still_under_k_take_a_third() {
        let mut org = Slot::measured(Some(50.0), Some(30.0));
        let mut ps = [
            Slot::measured(Some(50.0), Some(2.0)),
            Slot::measured(Some(50.0), Some(2.0)),
            Slot::measured(Some(50.0), Some(26.0)),
        ];
        suppress_group(&mut org, &mut ps, 5);
        // 2 + 2 < 5: the 26 goes too; with nothing left to add the sum is 30 ≥ 5.
        assert_eq!(ps[2].status, Status::Secondary);
        assert_eq!(org.status, Status::Published);
    }

    #[test]
    fn a_single_programme_hides_its_organisation() {
        let mut org = Slot::measured(Some(50.0), Some(4.0));
        let mut ps = [Slot::measured(Some(50.0), Some(4.0))];
        suppress_group(&mut org, &mut ps, 5);
        assert_eq!(org.status, Status::FewPersons);
        assert_eq!(ps[0].status, Status::FewPersons);
        let mut org = Slot::measured(Some(50.0), Some(9.0));
        let mut ps = [Slot::measured(Some(50.0), Some(3.0))];
        suppress_group(&mut org, &mut ps, 5);
        // The organisation's 9 with its only programme's 3 hidden: 9 − 3 = 6
        // students outside programmes is not the programme, but nothing is
        // left to add, so the organisation goes too.
        assert_eq!(org.status, Status::Secondary);
    }

    #[test]
    fn unknown_sizes_and_values_not_about_persons() {
        let mut org = Slot::measured(Some(1.0), None);
        suppress_group(&mut org, &mut [], 5);
        assert_eq!(org.status, Status::UnknownSize);
        let mut flag = Slot::unmeasured(Some(1.0));
        suppress_group(&mut flag, &mut [], 5);
        assert_eq!(flag.status, Status::Published);
        let mut missing = Slot::measured(None, Some(2.0));
        suppress_group(&mut missing, &mut [], 5);
        assert_eq!(missing.status, Status::NotComputable);
    }
}
