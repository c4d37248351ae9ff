//! Academic years. A year is written by its first calendar year: `2023` is 2023–2024.

use serde::{Deserialize, Serialize};

/// An academic year, by its first calendar year (`2023` = 2023–2024).
pub type Year = i32;

/// The earliest year accepted by validation (docs/data.md).
pub const MIN_YEAR: Year = 1990;
/// The latest year accepted by validation (docs/data.md).
pub const MAX_YEAR: Year = 2100;

/// A contiguous range of years, `first..=last`.
///
/// ```
/// use kpi_model::YearSpan;
/// let span = YearSpan::new(2019, 2023);
/// assert_eq!(span.len(), 5);
/// assert_eq!(span.offset(2021), Some(2));
/// assert_eq!(span.offset(2024), None);
/// assert_eq!(span.iter().collect::<Vec<_>>(), vec![2019, 2020, 2021, 2022, 2023]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearSpan {
    /// First year.
    pub first: Year,
    /// Last year (inclusive).
    pub last: Year,
}

impl YearSpan {
    /// A span from `first` to `last` inclusive; an empty span when `last < first`.
    pub fn new(first: Year, last: Year) -> Self {
        YearSpan { first, last }
    }

    /// The empty span.
    pub fn empty() -> Self {
        YearSpan { first: 0, last: -1 }
    }

    /// Number of years.
    pub fn len(&self) -> usize {
        if self.last < self.first {
            0
        } else {
            (self.last - self.first + 1) as usize
        }
    }

    /// Whether the span holds no year.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `year` lies inside.
    pub fn contains(&self, year: Year) -> bool {
        year >= self.first && year <= self.last
    }

    /// Position of `year` in the span.
    pub fn offset(&self, year: Year) -> Option<usize> {
        self.contains(year).then(|| (year - self.first) as usize)
    }

    /// The years in order.
    pub fn iter(&self) -> impl Iterator<Item = Year> + Clone {
        self.first..=self.last
    }

    /// The smallest span holding both this span and `year`.
    pub fn including(self, year: Year) -> Self {
        if self.is_empty() {
            YearSpan::new(year, year)
        } else {
            YearSpan::new(self.first.min(year), self.last.max(year))
        }
    }
}

/// Formats a year as the academic-year label `2023–2024`.
///
/// ```
/// assert_eq!(kpi_model::academic_year_label(2023), "2023–2024");
/// ```
pub fn academic_year_label(year: Year) -> String {
    format!("{}–{}", year, year + 1)
}
