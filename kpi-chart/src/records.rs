//! The data points of a hit map. Most are built while the layout places them; the points
//! of a long series (a trend's values, a scatter's units) are built only when something
//! asks for one (a tooltip, a point button, the data table, the summary), from the point's
//! index into the chart's input, so that laying out 166,650 points formats no text.

use crate::hit::DataPoint;
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::sync::Arc;

/// Builds the record of a point from its row (its index into the chart's input), when
/// asked for: the same record the layout would have built.
pub trait LazyRecords: Send + Sync {
    /// The record of row `row`.
    fn record(&self, row: usize) -> DataPoint;
    /// How every id of these records begins (`value:`).
    fn id_prefix(&self) -> &'static str;
    /// Whether the id of row `row` is `want` (or starts with it, when `prefix`), when
    /// [`LazyRecords::id_prefix`] cannot tell: from the built record unless overridden.
    fn id_matches(&self, row: usize, want: &str, prefix: bool) -> bool {
        let id = self.record(row).id;
        if prefix {
            id.starts_with(want)
        } else {
            id == want
        }
    }
}

/// Where a point's record is.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Slot {
    /// Built: an index into `eager`.
    Built(usize),
    /// Built when asked for, from this row.
    Lazy(usize),
}

/// The data points of a chart, by index: each one built by the layout or on demand.
///
/// ```
/// use kpi_chart::{DataPoint, PointRecords};
/// let mut points = PointRecords::default();
/// let i = points.push(DataPoint { id: "a".into(), ..Default::default() });
/// assert_eq!(points.get(i).unwrap().id, "a");
/// assert!(points.id_matches(i, "a", false));
/// assert_eq!(points.iter().count(), 1);
/// ```
#[derive(Clone, Default)]
pub struct PointRecords {
    slots: Vec<Slot>,
    built: Vec<DataPoint>,
    lazy: Option<Arc<dyn LazyRecords>>,
    /// The lazy records' [`LazyRecords::id_prefix`].
    lazy_prefix: &'static str,
}

impl PointRecords {
    /// Number of points.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The first point.
    pub fn first(&self) -> Option<Cow<'_, DataPoint>> {
        self.get(0)
    }

    /// Point `i`: borrowed when the layout built it, else built now.
    pub fn get(&self, i: usize) -> Option<Cow<'_, DataPoint>> {
        match *self.slots.get(i)? {
            Slot::Built(k) => self.built.get(k).map(Cow::Borrowed),
            Slot::Lazy(row) => self.lazy.as_ref().map(|l| Cow::Owned(l.record(row))),
        }
    }

    /// Every point in index order (the lazy ones built one by one).
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            records: self,
            next: 0,
        }
    }

    /// Whether point `i`'s id is `want` (or starts with it, when `prefix`), without
    /// building a lazy record.
    pub fn id_matches(&self, i: usize, want: &str, prefix: bool) -> bool {
        match self.slots.get(i) {
            Some(&Slot::Built(k)) => self.built.get(k).is_some_and(|p| {
                if prefix {
                    p.id.starts_with(want)
                } else {
                    p.id == want
                }
            }),
            // Most questions are answered by the prefix every lazy id shares.
            Some(_) if prefix && self.lazy_prefix.starts_with(want) => true,
            Some(_) if !want.starts_with(self.lazy_prefix) => false,
            Some(&Slot::Lazy(row)) => self
                .lazy
                .as_ref()
                .is_some_and(|l| l.id_matches(row, want, prefix)),
            None => false,
        }
    }

    /// Adds a built point, returning its index.
    pub fn push(&mut self, point: DataPoint) -> usize {
        self.built.push(point);
        self.slots.push(Slot::Built(self.built.len() - 1));
        self.slots.len() - 1
    }

    /// Makes room for `n` more points.
    pub fn reserve(&mut self, n: usize) {
        self.slots.reserve(n);
    }

    /// Sets the builder of the lazy points (one per chart).
    pub(crate) fn set_lazy(&mut self, records: Arc<dyn LazyRecords>) {
        self.lazy_prefix = records.id_prefix();
        self.lazy = Some(records);
    }

    /// Adds `n` points built on demand from rows `row..row + n`, returning the index of
    /// the first.
    pub(crate) fn push_lazy(&mut self, row: usize, n: usize) -> usize {
        let first = self.slots.len();
        self.slots.extend((row..row + n).map(Slot::Lazy));
        first
    }
}

/// The points of a [`PointRecords`] in index order.
pub struct Iter<'a> {
    records: &'a PointRecords,
    next: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = Cow<'a, DataPoint>;
    fn next(&mut self) -> Option<Self::Item> {
        let p = self.records.get(self.next)?;
        self.next += 1;
        Some(p)
    }
}

impl<'a> IntoIterator for &'a PointRecords {
    type Item = Cow<'a, DataPoint>;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl std::fmt::Debug for PointRecords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Equal when every point's record is.
impl PartialEq for PointRecords {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// Serialised as the list of records, as when every point was built by the layout.
impl Serialize for PointRecords {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}
