//! The dataset under construction: what accepted tables committed so far,
//! and the final assembly (metrics from records, cross-row warnings, the
//! metric store) once every table has been read.

use super::aliases::{AliasBook, MetricIndex};
use super::ids::IdIndex;
use super::kinds::surveys::survey_kind_name;
use super::log::{Finding, IssueLog};
use kpi_model::metrics::{
    student_metrics_each, survey_metrics, yearly_gpa, DerivedValue, MetricId, MetricKind,
    MetricRegistry, SurveyTally, TransferThresholds,
};
use kpi_model::validate::{IssueCode, IssueId, Severity};
use kpi_model::{
    ColumnId, ColumnKey, Dataset, DatasetParts, DegreeCycle, MetricStore, OrgIdx, Organisation,
    Programme, StudentRecord, StudentTable, TermResult, UnitId, Year, YearSpan,
};
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;

/// One value read from an observations table, waiting for the store.
/// Column and year share one word, as in [`cell_key`]: a national table
/// stages millions of cells, and 24 bytes instead of 32 make them quicker
/// to sort and lighter to hold.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StagedCell {
    pub unit: u32,
    /// Column (20 bits) and year from 1900 (12 bits).
    col_year: u32,
    pub table: u32,
    pub row: u32,
    pub value: f64,
}

impl StagedCell {
    pub(crate) fn new(unit: u32, col: u32, year: i32, table: u32, row: u32, value: f64) -> Self {
        StagedCell {
            unit,
            col_year: cell_key(0, col, year) as u32,
            table,
            row,
            value,
        }
    }

    #[inline]
    pub(crate) fn col(&self) -> u32 {
        self.col_year >> 12
    }

    #[inline]
    pub(crate) fn year(&self) -> i32 {
        (self.col_year & 0xFFF) as i32 + 1900
    }

    /// [`cell_key`] of the cell.
    #[inline]
    pub(crate) fn key(&self) -> u64 {
        (u64::from(self.unit) << 32) | u64::from(self.col_year)
    }

    pub(crate) fn set_col(&mut self, col: u32) {
        self.col_year = cell_key(0, col, self.year()) as u32;
    }
}

/// A sortable key of a cell: unit, then column, then year, so the years of
/// one unit's column are adjacent after sorting.
#[inline]
pub(crate) fn cell_key(unit: u32, col: u32, year: i32) -> u64 {
    (u64::from(unit) << 32)
        | (u64::from(col & 0xF_FFFF) << 12)
        | ((year - 1900).clamp(0, 0xFFF) as u64)
}

/// Cells handled per call of a loop's body over all the cells. WebAssembly engines (V8)
/// compile a function with their optimising compiler only once it has run a while, and
/// a call keeps its baseline code until it returns: one call looping over a national
/// load's millions of cells ran in baseline code from start to end on a first load.
/// Called once per chunk, the body is optimised after its first chunks.
const CHUNK_CELLS: usize = 1 << 14;

/// Puts committed cells into the store (one chunk of [`CHUNK_CELLS`]).
#[inline(never)]
fn set_cells(store: &mut MetricStore, cells: &[StagedCell]) {
    for c in cells {
        store.set(ColumnId(c.col()), UnitId(c.unit), c.year(), c.value);
    }
}

/// The pairs of neighbouring cells of `cells` (one unit and column, consecutive years, both
/// positive) whose second is more than 10 times, or less than a tenth of, the first (one
/// chunk of [`CHUNK_CELLS`] of `Builder::check_jumps`).
#[inline(never)]
fn jumps_in(cells: &[StagedCell], found: &mut Vec<(StagedCell, StagedCell)>) {
    for w in cells.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a.unit != b.unit || a.col() != b.col() || b.year() != a.year() + 1 {
            continue;
        }
        if a.value <= 0.0 || b.value <= 0.0 {
            continue;
        }
        let ratio = b.value / a.value;
        if !(0.1..=10.0).contains(&ratio) {
            found.push((a, b));
        }
    }
}

/// The total, female and male cells of one unit's metrics by year, as `Builder::check_breakdowns`
/// gathers them: `unit_map` holds the unit `current`'s, and `flush` gets each unit's once its
/// cells are read (one chunk of [`CHUNK_CELLS`]).
#[inline(never)]
fn parts_in<F: FnMut(u32, &mut FxHashMap<(MetricId, i32), BreakdownParts>)>(
    cells: &[StagedCell],
    role: &[Option<(MetricId, usize)>],
    by_sex: &rustc_hash::FxHashSet<MetricId>,
    current: &mut Option<u32>,
    unit_map: &mut FxHashMap<(MetricId, i32), BreakdownParts>,
    flush: &mut F,
) {
    for c in cells {
        let Some(Some((metric, part))) = role.get(c.col() as usize) else {
            continue;
        };
        if !by_sex.contains(metric) {
            continue;
        }
        if *current != Some(c.unit) {
            if let Some(u) = *current {
                flush(u, unit_map);
            }
            *current = Some(c.unit);
        }
        unit_map.entry((*metric, c.year())).or_insert([None; 3])[*part] = Some(*c);
    }
}

/// A metric's total, female and male cells.
type BreakdownParts = [Option<StagedCell>; 3];

/// Sorts cells by [`cell_key`], cells of one key by row (file order).
///
/// A national observations table stages millions of cells, and one
/// comparison sort of all of them was a third of its reading time. The
/// cells are first grouped by unit, then each unit's few hundred cells are
/// sorted by column, year and row: small sorts that stay in cache.
///
/// A table usually lists a unit's rows together, units mostly in order
/// (organisations as in the organisations table, then programmes), so the
/// grouping leaves in place the longest start that is already grouped and
/// in order, and places the rest by unit through a copy of it (a stable
/// counting sort: sequential reads and writes). When that rest is more than
/// half the cells, it is grouped in place instead (an American-flag pass:
/// one swap per misplaced cell, no second buffer), so the copy never holds
/// more than half the cells.
pub(crate) fn sort_cells(cells: &mut [StagedCell]) {
    let by_key = |c: &StagedCell| (c.key(), c.row);
    let Some(max_unit) = cells.iter().map(|c| c.unit).max() else {
        return;
    };
    // Few cells, or units too sparse for a table of counts: one sort.
    if cells.len() < 4096 || max_unit as usize > cells.len() {
        cells.sort_unstable_by_key(by_key);
        return;
    }
    let buckets = max_unit as usize + 1;
    let mut start = vec![0usize; buckets + 1];
    for chunk in cells.chunks(CHUNK_CELLS) {
        count_units(chunk, &mut start);
    }
    for u in 0..buckets {
        start[u + 1] += start[u];
    }
    // The cells already in place: units in order up to the first cell out
    // of order, and below every unit after it.
    let ordered = cells
        .windows(2)
        .position(|w| w[1].unit < w[0].unit)
        .map_or(cells.len(), |i| i + 1);
    let placed = match cells[ordered..].iter().map(|c| c.unit).min() {
        Some(lowest) => cells[..ordered].partition_point(|c| c.unit < lowest),
        None => cells.len(),
    };
    if placed < cells.len() {
        if cells.len() - placed <= cells.len() / 2 {
            place_by_copy(&mut cells[placed..], &start, placed);
        } else {
            place_by_swaps(cells, &start);
        }
    }
    let mut scratch = UnitScratch::default();
    for u in 0..buckets {
        if let Some(bucket) = cells.get_mut(start[u]..start[u + 1]) {
            sort_unit(bucket, &mut scratch);
        }
    }
}

/// Groups `rest` (the cells from `offset` on, every unit of which starts
/// at or after `offset`) by unit, keeping the order of each unit's cells:
/// `start[u]` is where unit `u` starts among all the cells.
fn place_by_copy(rest: &mut [StagedCell], start: &[usize], offset: usize) {
    let copy = rest.to_vec();
    let mut next: Vec<usize> = start.iter().map(|&s| s.saturating_sub(offset)).collect();
    for chunk in copy.chunks(CHUNK_CELLS) {
        place_chunk(chunk, rest, &mut next);
    }
}

/// Counts the cells of each unit into `counts[unit + 1]` (one chunk of [`CHUNK_CELLS`]).
#[inline(never)]
fn count_units(cells: &[StagedCell], counts: &mut [usize]) {
    for c in cells {
        counts[c.unit as usize + 1] += 1;
    }
}

/// Writes each cell of `chunk` to the next free slot of its unit in `rest` (one chunk of
/// [`CHUNK_CELLS`] of [`place_by_copy`]).
#[inline(never)]
fn place_chunk(chunk: &[StagedCell], rest: &mut [StagedCell], next: &mut [usize]) {
    for &c in chunk {
        let slot = &mut next[c.unit as usize];
        rest[*slot] = c;
        *slot += 1;
    }
}

/// Groups all the cells by unit in place, one swap per misplaced cell;
/// `start[u]` is where unit `u` starts.
fn place_by_swaps(cells: &mut [StagedCell], start: &[usize]) {
    let buckets = start.len() - 1;
    // `next[u]`: the first slot of bucket `u` not yet holding one of its cells.
    let mut next = start.to_vec();
    for u in 0..buckets {
        let end = start[u + 1];
        while next[u] < end {
            let i = next[u];
            let home = cells[i].unit as usize;
            if home == u {
                next[u] += 1;
            } else {
                // Move the cell to its own bucket; what comes back is looked at next.
                let j = next[home];
                next[home] += 1;
                cells.swap(i, j);
            }
        }
    }
}

/// Buffers of [`sort_unit`], reused from one unit to the next.
#[derive(Default)]
struct UnitScratch {
    cells: Vec<StagedCell>,
    /// Where each column's cells start.
    counts: Vec<usize>,
    /// Where each column's next cell goes.
    next: Vec<usize>,
}

/// Sorts the cells of one unit by column, year and row. A unit has a few
/// hundred cells over a few dozen columns: they are first placed by
/// column (a counting sort through `scratch`), then each column's cells,
/// one per year or so, are sorted: small sorts instead of one of the
/// whole unit.
#[inline(never)] // see CHUNK_CELLS
fn sort_unit(bucket: &mut [StagedCell], scratch: &mut UnitScratch) {
    // Inside a bucket the unit is the same: column, year and row fit one u64.
    let in_unit = |c: &StagedCell| (u64::from(c.col_year) << 32) | u64::from(c.row);
    let (Some(low), Some(high)) = (
        bucket.iter().map(StagedCell::col).min(),
        bucket.iter().map(StagedCell::col).max(),
    ) else {
        return;
    };
    let span = (high - low) as usize + 1;
    // Few cells, or columns too sparse for a table of counts: one sort.
    if bucket.len() < 16 || span > 2 * bucket.len() {
        bucket.sort_unstable_by_key(in_unit);
        return;
    }
    let UnitScratch {
        cells,
        counts,
        next,
    } = scratch;
    counts.clear();
    counts.resize(span + 1, 0);
    for c in bucket.iter() {
        counts[(c.col() - low) as usize + 1] += 1;
    }
    for k in 0..span {
        counts[k + 1] += counts[k];
    }
    cells.clear();
    cells.extend_from_slice(bucket);
    next.clear();
    next.extend_from_slice(counts);
    for c in cells.iter() {
        let slot = &mut next[(c.col() - low) as usize];
        bucket[*slot] = *c;
        *slot += 1;
    }
    for k in 0..span {
        if let Some(column) = bucket.get_mut(counts[k]..counts[k + 1]) {
            if column.len() > 1 {
                column.sort_unstable_by_key(in_unit);
            }
        }
    }
}

/// A column of the store under construction: metric and interned breakdown.
pub(crate) type ColKey = (MetricId, Option<u32>);

/// Student identifiers first seen in the table being read (committed with
/// it), numbered after the committed ones.
#[derive(Default)]
pub(crate) struct StudentIds {
    index: IdIndex,
    /// The last id looked up and its index: the rows of one student
    /// (a grades table's courses) usually come together.
    last: Option<(String, u32)>,
}

impl StudentIds {
    /// New ids numbered from `base` (the ids committed), room for `n`.
    pub(crate) fn new(base: usize, n: usize) -> StudentIds {
        StudentIds {
            index: IdIndex::new(base as u32, n),
            last: None,
        }
    }

    /// The index of a student id, adding it to the staging when new.
    pub(crate) fn get_or_add(&mut self, b: &Builder<'_>, sid: &str) -> u32 {
        if let Some((last, i)) = &self.last {
            if super::normalize::same_text(last, sid) {
                return *i;
            }
        }
        // The first students table has no committed ids: skip that lookup.
        let committed = if b.student_index.is_empty() {
            None
        } else {
            b.student_index.get(sid)
        };
        let i = committed.unwrap_or_else(|| self.index.get_or_add(sid));
        match &mut self.last {
            Some((last, li)) => {
                last.clear();
                last.push_str(sid);
                *li = i;
            }
            None => self.last = Some((sid.to_string(), i)),
        }
        i
    }
}

/// Where the indices a table staged while it was read (units of its new
/// programmes, ids of its new students) go once it is committed: tables
/// are read side by side against the dataset as it was before any of them,
/// and committed one after the other in order.
#[derive(Debug)]
pub(crate) struct IndexMap {
    /// Indices below `base` were committed before the table was read: kept.
    base: u32,
    /// The committed index of staged index `base + k`.
    to: Vec<u32>,
    identity: bool,
}

impl IndexMap {
    pub(crate) fn new(base: u32, to: Vec<u32>) -> IndexMap {
        let identity = to.iter().enumerate().all(|(k, &i)| i == base + k as u32);
        IndexMap { base, to, identity }
    }

    /// Whether every index stays as it is (nothing to rewrite).
    pub(crate) fn is_identity(&self) -> bool {
        self.identity
    }

    /// The committed index of a staged one.
    #[inline]
    pub(crate) fn get(&self, i: u32) -> u32 {
        match i.checked_sub(self.base) {
            Some(k) => self.to.get(k as usize).copied().unwrap_or(i),
            None => i,
        }
    }
}

/// `span` with every year of `other`.
pub(crate) fn spanning(span: YearSpan, other: YearSpan) -> YearSpan {
    match (other.iter().next(), other.iter().last()) {
        (Some(first), Some(last)) => span.including(first).including(last),
        _ => span,
    }
}

/// (student, organisation, year, term) of a term sum.
pub(crate) type TermKey = (u32, u32, i32, u8);

/// Sums of one student's graded courses in one term.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TermAcc {
    pub credits: f64,
    pub weighted: f64,
    pub failed: u32,
    pub courses: u32,
    pub credits_passed: f64,
}

impl TermAcc {
    /// Adds one graded course. FX (0.5) and F (0) are failed courses.
    pub(crate) fn add(&mut self, credits: f64, points: f64) {
        self.credits += credits;
        self.weighted += credits * points;
        self.courses += 1;
        if points < 1.0 {
            self.failed += 1;
        } else {
            self.credits_passed += credits;
        }
    }

    pub(crate) fn merge(&mut self, o: &TermAcc) {
        self.credits += o.credits;
        self.weighted += o.weighted;
        self.failed += o.failed;
        self.courses += o.courses;
        self.credits_passed += o.credits_passed;
    }
}

/// Everything committed so far.
pub(crate) struct Builder<'o> {
    pub log: IssueLog,
    pub book: &'o AliasBook,
    pub registry: MetricRegistry,
    pub index: MetricIndex,
    pub thresholds: &'o TransferThresholds,
    /// Threads for the final assembly (see [`LoadOptions::threads`](super::LoadOptions::threads)).
    threads: usize,
    pub orgs: Vec<Organisation>,
    pub org_index: FxHashMap<Box<str>, u32>,
    /// Programmes: (organisation, code).
    pub programmes: Vec<(u32, String)>,
    /// Programmes by organisation and code (nested, so lookups need no allocation).
    pub prog_index: FxHashMap<u32, FxHashMap<Box<str>, u32>>,
    pub columns: Vec<ColKey>,
    column_index: FxHashMap<ColKey, u32>,
    breakdowns: Vec<String>,
    breakdown_index: FxHashMap<String, u32>,
    /// Cells of accepted tables, sorted by [`cell_key`].
    pub cells: Vec<StagedCell>,
    pub flags: Vec<(u32, u32, i32, IssueId)>,
    /// Number of committed student ids (indices `0..student_count`).
    pub student_count: usize,
    student_index: IdIndex,
    pub students: Vec<StudentRecord>,
    /// (student, year) keys of accepted students tables, sorted.
    pub student_years: Vec<u64>,
    pub students_table: Option<u32>,
    /// Term sums of accepted grades tables, keyed (student, org, year,
    /// term); a key given by two tables is summed at the end.
    pub terms: Vec<(TermKey, TermAcc)>,
    pub grades_table: Option<u32>,
    pub surveys: FxHashMap<(u32, i32, u8), SurveyTally>,
    pub surveys_table: Option<u32>,
    /// The years of every committed value and record.
    pub span: YearSpan,
    /// Whether any error rejects its whole table ([`LoadOptions::strict`](super::LoadOptions::strict)).
    pub strict: bool,
    /// Organisations whose row was rejected: id → (table, row), so rows
    /// that refer to them say why they are unknown.
    pub rejected_orgs: FxHashMap<Box<str>, (u32, u64)>,
    /// When every organisations table was rejected: their names (the
    /// other tables are then not read, and say so once).
    pub orgs_rejected: Option<String>,
    /// Regions known to the alias book: the spelling kept for each (the first seen).
    pub region_names: FxHashMap<String, String>,
    /// Values of record tables aggregated elsewhere (`load_with_records`):
    /// unit, year, metric, value and the table, put in after the derived values.
    pub external: Vec<(UnitId, Year, String, f64, Option<u32>)>,
    /// The table numbers of those record tables.
    pub external_tables: Vec<u32>,
}

impl<'o> Builder<'o> {
    /// Whether a table is a record table aggregated elsewhere.
    pub(crate) fn is_external(&self, table: u32) -> bool {
        self.external_tables.contains(&table)
    }

    /// Whether a table is rejected as a whole: by any error when the load
    /// is strict, else only by the errors not contained to a row or a cell.
    pub(crate) fn rejects(&self, table: u32) -> bool {
        if self.strict {
            self.log.errors(table) > 0
        } else {
            self.log.table_errors(table) > 0
        }
    }

    pub(crate) fn new(
        log: IssueLog,
        book: &'o AliasBook,
        registry: MetricRegistry,
        thresholds: &'o TransferThresholds,
        threads: usize,
    ) -> Builder<'o> {
        let index = MetricIndex::new(&registry);
        Builder {
            log,
            book,
            registry,
            index,
            thresholds,
            threads,
            orgs: Vec::new(),
            org_index: FxHashMap::default(),
            programmes: Vec::new(),
            prog_index: FxHashMap::default(),
            columns: Vec::new(),
            column_index: FxHashMap::default(),
            breakdowns: Vec::new(),
            breakdown_index: FxHashMap::default(),
            cells: Vec::new(),
            flags: Vec::new(),
            student_count: 0,
            student_index: IdIndex::new(0, 0),
            students: Vec::new(),
            student_years: Vec::new(),
            students_table: None,
            terms: Vec::new(),
            grades_table: None,
            surveys: FxHashMap::default(),
            surveys_table: None,
            span: YearSpan::empty(),
            strict: false,
            rejected_orgs: FxHashMap::default(),
            orgs_rejected: None,
            region_names: FxHashMap::default(),
            external: Vec::new(),
            external_tables: Vec::new(),
        }
    }

    /// The column of a metric and optional breakdown, added when new.
    pub(crate) fn column(&mut self, metric: MetricId, breakdown: Option<&str>) -> u32 {
        let b = breakdown.map(|name| match self.breakdown_index.get(name) {
            Some(&i) => i,
            None => {
                let i = self.breakdowns.len() as u32;
                self.breakdowns.push(name.to_string());
                self.breakdown_index.insert(name.to_string(), i);
                i
            }
        });
        let key = (metric, b);
        if let Some(&c) = self.column_index.get(&key) {
            return c;
        }
        let c = self.columns.len() as u32;
        self.columns.push(key);
        self.column_index.insert(key, c);
        c
    }

    /// `metric` or `metric.breakdown`, for messages.
    pub(crate) fn column_name(&self, key: ColKey) -> String {
        let code = self.registry.code(key.0);
        match key.1.and_then(|b| self.breakdowns.get(b as usize)) {
            Some(b) => format!("{code}.{b}"),
            None => code.to_string(),
        }
    }

    /// Adds the cells of an accepted table, sorted by [`cell_key`], keeping
    /// every committed cell sorted (no copy for the first table).
    pub(crate) fn commit_cells(&mut self, cells: Vec<StagedCell>) {
        if self.cells.is_empty() {
            self.cells = cells;
            return;
        }
        let key = |c: &StagedCell| c.key();
        let old = std::mem::take(&mut self.cells);
        let mut out = Vec::with_capacity(old.len() + cells.len());
        let (mut a, mut b) = (old.into_iter().peekable(), cells.into_iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if key(x) <= key(y) => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, _) => b.next(),
            };
            match next {
                Some(c) => out.push(c),
                None => break,
            }
        }
        self.cells = out;
    }

    /// Whether a committed table gives the cell of `key` (a [`cell_key`]).
    pub(crate) fn has_cell(&self, key: u64) -> bool {
        self.cells
            .binary_search_by_key(&key, StagedCell::key)
            .is_ok()
    }

    /// The `org_id` and programme code of a unit, for messages (`staged`:
    /// programmes of the table being read).
    pub(crate) fn describe_unit(
        &self,
        unit: u32,
        staged: &[(u32, String)],
    ) -> (String, Option<String>) {
        let n_orgs = self.orgs.len() as u32;
        if unit < n_orgs {
            return (self.orgs[unit as usize].id.clone(), None);
        }
        let p = (unit - n_orgs) as usize;
        let prog = self
            .programmes
            .get(p)
            .or_else(|| staged.get(p.wrapping_sub(self.programmes.len())));
        match prog {
            Some((org, code)) => (
                self.orgs
                    .get(*org as usize)
                    .map(|o| o.id.clone())
                    .unwrap_or_default(),
                Some(code.clone()),
            ),
            None => (String::new(), None),
        }
    }

    /// The index of an organisation's programme.
    #[inline]
    pub(crate) fn programme(&self, org: u32, code: &str) -> Option<u32> {
        self.prog_index.get(&org)?.get(code).copied()
    }

    /// Adds the programmes first seen in an accepted table.
    pub(crate) fn commit_programmes(&mut self, staged: Vec<(u32, String)>) {
        for (org, code) in staged {
            let p = self.programmes.len() as u32;
            self.prog_index
                .entry(org)
                .or_default()
                .insert(code.as_str().into(), p);
            self.programmes.push((org, code));
        }
    }

    /// Places the programmes a table staged (its units numbered from
    /// `n_orgs + base`, `base` being the number of programmes committed when
    /// it was read): each becomes the committed programme of the same
    /// organisation and code, or a new one numbered after the committed
    /// ones. Returns the map of units and the new programmes, in order (to
    /// commit with the table, and to name units in its messages).
    pub(crate) fn place_programmes(
        &self,
        staged: Vec<(u32, String)>,
        base: usize,
    ) -> (IndexMap, Vec<(u32, String)>) {
        let n_orgs = self.orgs.len() as u32;
        let mut to = Vec::with_capacity(staged.len());
        let mut new = Vec::new();
        for (org, code) in staged {
            match self.programme(org, &code) {
                Some(p) => to.push(n_orgs + p),
                None => {
                    to.push(n_orgs + (self.programmes.len() + new.len()) as u32);
                    new.push((org, code));
                }
            }
        }
        (IndexMap::new(n_orgs + base as u32, to), new)
    }

    /// Places the student ids a table staged (numbered from `base`, the
    /// number committed when it was read): an id already committed keeps
    /// its index, a new one is numbered after the committed ones in the
    /// order the table first gave it. Returns the map and the new ids.
    pub(crate) fn place_students(&self, ids: StudentIds, base: usize) -> (IndexMap, StudentIds) {
        let n = ids.index.len();
        if self.student_count == base {
            // Nothing committed since the table was read, and it staged
            // only ids not committed before: every id keeps its number.
            let to = (base as u32..(base + n) as u32).collect();
            return (IndexMap::new(base as u32, to), ids);
        }
        let mut to = Vec::with_capacity(n);
        let mut new = StudentIds::new(self.student_count, 0);
        for id in ids.index.texts() {
            match self.student_index.get(id) {
                Some(i) => to.push(i),
                None => to.push(new.index.get_or_add(id)),
            }
        }
        (IndexMap::new(base as u32, to), new)
    }

    /// Adds the sorted (student, year) keys of an accepted students table.
    pub(crate) fn commit_student_years(&mut self, keys: impl Iterator<Item = u64>) {
        self.student_years.extend(keys);
        // Already sorted for the first table (the common case): a linear check.
        if !self.student_years.is_sorted() {
            self.student_years.sort_unstable();
        }
    }

    /// Adds the student ids first seen in an accepted table.
    pub(crate) fn commit_student_ids(&mut self, ids: StudentIds) {
        let n = ids.index.len();
        // Staged indices already continue the committed ones.
        self.student_index.append(ids.index);
        self.student_count += n;
    }

    /// The ids as written of some students (committed or staged in `ids`).
    pub(crate) fn student_names(
        &self,
        wanted: &FxHashSet<u32>,
        ids: &StudentIds,
    ) -> FxHashMap<u32, String> {
        wanted
            .iter()
            .filter_map(|&i| {
                let id = self.student_index.text(i).or_else(|| ids.index.text(i))?;
                Some((i, id.to_string()))
            })
            .collect()
    }

    /// Orders the organisations by level (the store allocates per block of
    /// units, so grouping levels keeps level-specific metrics compact). Must
    /// run before any table refers to organisation indices.
    pub(crate) fn sort_organisations(&mut self) {
        self.orgs.sort_by_key(|o| o.level);
        // Every organisation is in the index already: only the positions
        // move (no key is allocated or hashed into a new map again).
        for (i, o) in self.orgs.iter().enumerate() {
            if let Some(at) = self.org_index.get_mut(o.id.as_str()) {
                *at = i as u32;
            }
        }
    }

    /// Where a staged cell came from, if it was read from a table.
    fn source_of(&self, unit: u32, col: u32, year: i32) -> Option<(u32, u32)> {
        let key = cell_key(unit, col, year);
        self.cells
            .binary_search_by_key(&key, StagedCell::key)
            .ok()
            .map(|i| (self.cells[i].table, self.cells[i].row))
    }

    fn warn_at(
        &mut self,
        at: Option<(u32, u32)>,
        code: IssueCode,
        column: String,
        f: impl FnOnce() -> Finding,
    ) -> IssueId {
        let table = at.map(|a| a.0);
        let row = at.map(|a| u64::from(a.1));
        self.log.add(table, Severity::Warning, code, || {
            let mut finding = f().column(column);
            finding.row = row;
            finding
        })
    }

    /// Assembles the dataset.
    pub(crate) fn finish(mut self) -> Dataset {
        let n_orgs = self.orgs.len();
        let n_units = n_orgs + self.programmes.len();
        // The store's span covers every value and record (derived values
        // fall in years of the records).
        let span = self.span;
        let cycles: Vec<Option<DegreeCycle>> = self
            .programmes
            .iter()
            .map(|(_, code)| DegreeCycle::from_programme_code(code))
            .collect();
        let term_sums = std::mem::take(&mut self.terms);
        let tallies = std::mem::take(&mut self.surveys);
        let students = std::mem::take(&mut self.students);
        let student_index = std::mem::take(&mut self.student_index);
        let student_count = self.student_count;
        let grades_alone = self.students_table.is_none();
        let thresholds = self.thresholds;
        self.student_years = Vec::new();
        // The store is filled from the cells while the records are summed.
        let (mut store, records) = super::parallel::join(
            self.threads,
            || {
                // Committed cells are sorted by key (`commit_cells`).
                self.check_jumps();
                self.check_breakdowns();
                let mut store = MetricStore::new(span, n_units);
                for &(metric, b) in &self.columns {
                    let breakdown = b.map(|b| store.intern_breakdown(&self.breakdowns[b as usize]));
                    store.add_column(ColumnKey { metric, breakdown });
                }
                for chunk in self.cells.chunks(CHUNK_CELLS) {
                    set_cells(&mut store, chunk);
                }
                for &(unit, col, year, issue) in &self.flags {
                    store.flag(ColumnId(col), UnitId(unit), year, issue);
                }
                let registry = &self.registry;
                store.fill_totals_from_breakdowns(|m| registry.def(m).total);
                store
            },
            move || {
                let mut records = sum_records(
                    term_sums,
                    tallies,
                    students,
                    student_index,
                    student_count,
                    grades_alone,
                );
                // Student metrics, to be put into the store in this order.
                let cycle_of = |u: UnitId| -> Option<DegreeCycle> {
                    cycles
                        .get(u.index().checked_sub(n_orgs)?)
                        .copied()
                        .flatten()
                };
                let values = &mut records.student_values;
                student_metrics_each(&records.students, cycle_of, thresholds, |u, y, m, v| {
                    values.push((u, y, m, v));
                });
                records
            },
        );
        let Records {
            terms,
            students,
            student_ids,
            grade_only,
            survey_values,
            student_values,
        } = records;

        // Derived values: set where no observation gives them; a disagreeing
        // observation wins and the conflict is reported.
        let mut columns_of = FxHashMap::default();
        let records_table = self.students_table;
        for (unit, year, metric, value) in student_values {
            let d = DerivedValue {
                unit,
                year,
                metric: Cow::Borrowed(metric),
                value,
            };
            self.put_derived(&mut store, &mut columns_of, d, records_table);
        }
        let grades_table = self.grades_table;
        for d in grade_only {
            self.put_derived(&mut store, &mut columns_of, d, grades_table);
        }
        let surveys_table = self.surveys_table;
        for d in survey_values {
            self.put_derived(&mut store, &mut columns_of, d, surveys_table);
        }
        for (unit, year, metric, value, table) in std::mem::take(&mut self.external) {
            let d = DerivedValue {
                unit,
                year,
                metric: Cow::Owned(metric),
                value,
            };
            self.put_derived(&mut store, &mut columns_of, d, table);
        }
        self.check_parts(&mut store);

        let organisations = std::mem::take(&mut self.orgs);
        let programmes = std::mem::take(&mut self.programmes)
            .into_iter()
            .map(|(org, code)| Programme {
                org: OrgIdx(org),
                code,
            })
            .collect();
        let report = self.log.finish();
        // Freeing the cells (a national load: over a hundred megabytes)
        // takes the kernel a while: done beside the assembly.
        let cells = std::mem::take(&mut self.cells);
        let ((), ds) = super::parallel::join(
            self.threads,
            move || drop(cells),
            || {
                Dataset::from_parts(DatasetParts {
                    organisations,
                    programmes,
                    metrics: self.registry,
                    store,
                    students: StudentTable {
                        ids: student_ids,
                        records: students,
                    },
                    terms,
                    report,
                })
            },
        );
        ds
    }

    fn put_derived(
        &mut self,
        store: &mut MetricStore,
        columns_of: &mut FxHashMap<String, (MetricId, ColumnId)>,
        d: DerivedValue,
        table: Option<u32>,
    ) {
        let (metric, col) = match columns_of.get(&*d.metric) {
            Some(&mc) => mc,
            None => {
                let metric = self.registry.intern(&d.metric);
                let col = store.add_column(ColumnKey {
                    metric,
                    breakdown: None,
                });
                columns_of.insert(d.metric.to_string(), (metric, col));
                (metric, col)
            }
        };
        match store.get(col, d.unit, d.year) {
            None => store.set(col, d.unit, d.year, d.value),
            Some(given) => {
                let kind = self.registry.def(metric).kind;
                let tolerance = match kind {
                    MetricKind::Count => 0.5,
                    // GPA and scores are usually reported to two decimals.
                    _ => 0.005 + 1e-9,
                };
                if (given - d.value).abs() > tolerance {
                    let at = self.source_of(d.unit.0, col.0, d.year);
                    let (org, prog) = self.describe_unit(d.unit.0, &[]);
                    let code = d.metric.to_string();
                    let programme = prog.map(|p| format!(", programme {p}")).unwrap_or_default();
                    let source = table
                        .and_then(|t| self.log.table_name(t))
                        .map(|n| n.file.clone())
                        .unwrap_or_else(|| "the records".into());
                    let id = self.warn_at(at, IssueCode::DerivedConflict, code.clone(), || {
                        Finding::new(format!(
                            "org `{org}`{programme}, year {}: `{code}` is given as {} but {source} give {}; the given value is used",
                            d.year,
                            super::table::format_number(given),
                            round_for_message(d.value)
                        ))
                        .found(super::table::format_number(given))
                        .expected(format!("{} (from the records)", round_for_message(d.value)))
                    });
                    store.flag(col, d.unit, d.year, id);
                }
            }
        }
    }

    /// Warns about values more than 10 times their previous year's value or
    /// less than a tenth of it (cells are sorted by unit, column, year).
    fn check_jumps(&mut self) {
        let mut found = Vec::new();
        // Chunks that overlap by one cell: every pair of neighbours once.
        for start in (0..self.cells.len()).step_by(CHUNK_CELLS) {
            let end = self.cells.len().min(start + CHUNK_CELLS + 1);
            jumps_in(&self.cells[start..end], &mut found);
        }
        for (a, b) in found {
            let key = self.columns[b.col() as usize];
            if self.registry.def(key.0).kind == MetricKind::Flag {
                continue;
            }
            let name = self.column_name(key);
            let (org, prog) = self.describe_unit(b.unit, &[]);
            let programme = prog.map(|p| format!(", programme {p}")).unwrap_or_default();
            let id = self.warn_at(Some((b.table, b.row)), IssueCode::SuspiciousJump, name.clone(), || {
                Finding::new(format!(
                    "org `{org}`{programme}: `{name}` is {} in {} but {} in {} (more than 10 times, or less than a tenth of, the previous year)",
                    super::table::format_number(b.value),
                    b.year(),
                    super::table::format_number(a.value),
                    a.year()
                ))
                .found(super::table::format_number(b.value))
                .expected(format!(
                    "between {} and {}",
                    round_for_message(a.value / 10.0),
                    round_for_message(a.value * 10.0)
                ))
            });
            self.flags.push((b.unit, b.col(), b.year(), id));
            // The store is built after this check; flags are applied there.
        }
    }

    /// Checks each metric given by sex against its total. A total that
    /// disagrees with female + male is a warning with both numbers (the
    /// total is used); a total missing where only one of the two is given
    /// is a warning too, and no total is made from that part (it would
    /// undercount: see `MetricStore::fill_totals_from_breakdowns`).
    fn check_breakdowns(&mut self) {
        use kpi_model::metrics::BreakdownTotal;
        // Columns of summed metrics: (metric, 0 total / 1 female / 2 male).
        let mut role: Vec<Option<(MetricId, usize)>> = vec![None; self.columns.len()];
        let mut by_sex: rustc_hash::FxHashSet<MetricId> = Default::default();
        for (c, &(metric, b)) in self.columns.iter().enumerate() {
            if self.registry.def(metric).total != BreakdownTotal::Sum {
                continue;
            }
            let part = match b.map(|b| self.breakdowns[b as usize].as_str()) {
                None => 0,
                Some("female") => 1,
                Some("male") => 2,
                Some(_) => continue,
            };
            if part > 0 {
                by_sex.insert(metric);
            }
            role[c] = Some((metric, part));
        }
        if by_sex.is_empty() {
            return;
        }
        // (unit, metric, year) → the total, female and male cells. Cells are
        // sorted by unit first, so each unit's cells are read together.
        let registry = &self.registry;
        // Only the groups that deserve a warning are kept (few), so the
        // hot path is a small map per unit, cleared and reused.
        let worth_a_word = |metric: MetricId, parts: &BreakdownParts| match parts {
            [Some(t), Some(f), Some(m)] => {
                let tolerance = match registry.def(metric).kind {
                    MetricKind::Count => 0.5,
                    _ => 1e-9 * t.value.abs().max(1.0),
                };
                (f.value + m.value - t.value).abs() > tolerance
            }
            [None, Some(_), None] | [None, None, Some(_)] => true,
            _ => false,
        };
        let mut groups: Vec<((u32, MetricId, i32), BreakdownParts)> = Vec::new();
        let mut unit_map: FxHashMap<(MetricId, i32), BreakdownParts> = FxHashMap::default();
        let mut flush = |unit: u32, unit_map: &mut FxHashMap<(MetricId, i32), BreakdownParts>| {
            for (&(metric, year), parts) in unit_map.iter() {
                if worth_a_word(metric, parts) {
                    groups.push(((unit, metric, year), *parts));
                }
            }
            unit_map.clear();
        };
        let mut current: Option<u32> = None;
        for chunk in self.cells.chunks(CHUNK_CELLS) {
            parts_in(
                chunk,
                &role,
                &by_sex,
                &mut current,
                &mut unit_map,
                &mut flush,
            );
        }
        if let Some(u) = current {
            flush(u, &mut unit_map);
        }
        groups.sort_unstable_by_key(|g| (g.0 .0, g.0 .1 .0, g.0 .2));
        let keys: Vec<((u32, MetricId, i32), BreakdownParts)> = groups;
        for (key, [total, female, male]) in keys {
            let (unit, metric, year) = key;
            let code = self.registry.code(metric).to_string();
            let (org, prog) = self.describe_unit(unit, &[]);
            let programme = prog.map(|p| format!(", programme {p}")).unwrap_or_default();
            let fmt = super::table::format_number;
            match (total, female, male) {
                (Some(t), Some(f), Some(m)) => {
                    let sum = f.value + m.value;
                    let tolerance = match self.registry.def(metric).kind {
                        MetricKind::Count => 0.5,
                        _ => 1e-9 * t.value.abs().max(1.0),
                    };
                    if (sum - t.value).abs() > tolerance {
                        let id = self.warn_at(Some((t.table, t.row)), IssueCode::BreakdownMismatch, code.clone(), || {
                            Finding::new(format!(
                                "org `{org}`{programme}, {year}: the total of `{code}` is {} but female {} + male {} = {}; the total is used",
                                fmt(t.value), fmt(f.value), fmt(m.value), fmt(sum)
                            ))
                            .found(fmt(t.value))
                            .expected(format!("{} (female + male)", fmt(sum)))
                        });
                        self.flags.push((unit, t.col(), year, id));
                    }
                }
                (None, Some(part), None) | (None, None, Some(part)) => {
                    let (given, absent) = if female.is_some() {
                        ("female", "male")
                    } else {
                        ("male", "female")
                    };
                    self.warn_at(Some((part.table, part.row)), IssueCode::BreakdownMismatch, code.clone(), || {
                        Finding::new(format!(
                            "org `{org}`{programme}, {year}: only the {given} part of `{code}` is given ({}), with no {absent} part and no total: no total is made from it, so `{code}` is missing (not an undercount)",
                            fmt(part.value)
                        ))
                        .found(format!("{code}.{given}"))
                        .expected(format!("`{code}` itself, or both `{code}.female` and `{code}.male`"))
                    });
                }
                _ => {}
            }
        }
    }

    /// Warns where a part is larger than its whole (`graduates_employed >
    /// graduates`), flagging both cells.
    fn check_parts(&mut self, store: &mut MetricStore) {
        let pairs: Vec<(MetricId, MetricId)> = self
            .registry
            .iter()
            .flat_map(|(id, def)| {
                def.part_of
                    .iter()
                    .filter_map(|w| self.registry.id(w))
                    .map(move |w| (id, w))
                    .collect::<Vec<_>>()
            })
            .collect();
        let span = store.span();
        for (part, whole) in pairs {
            let bare = |m| ColumnKey {
                metric: m,
                breakdown: None,
            };
            let (Some(pc), Some(wc)) = (store.column(bare(part)), store.column(bare(whole))) else {
                continue;
            };
            for u in 0..store.n_units() {
                let unit = UnitId(u as u32);
                for year in span.iter() {
                    let (Some(p), Some(w)) = (store.get(pc, unit, year), store.get(wc, unit, year))
                    else {
                        continue;
                    };
                    if p <= w + 1e-9 {
                        continue;
                    }
                    let (pn, wn) = (
                        self.registry.code(part).to_string(),
                        self.registry.code(whole).to_string(),
                    );
                    let at = self
                        .source_of(unit.0, pc.0, year)
                        .or_else(|| self.source_of(unit.0, wc.0, year));
                    let (org, prog) = self.describe_unit(unit.0, &[]);
                    let programme = prog.map(|p| format!(", programme {p}")).unwrap_or_default();
                    let id = self.warn_at(at, IssueCode::PartExceedsWhole, pn.clone(), || {
                        Finding::new(format!(
                            "org `{org}`{programme}, year {year}: `{pn}` ({}) is larger than `{wn}` ({})",
                            super::table::format_number(p),
                            super::table::format_number(w)
                        ))
                        .found(super::table::format_number(p))
                        .expected(format!("at most `{wn}` = {}", super::table::format_number(w)))
                    });
                    store.flag(pc, unit, year, id);
                    store.flag(wc, unit, year, id);
                }
            }
        }
    }
}

/// What the records give once summed: term results, students with their
/// GPA (from grades where the students table has none), the ids by index,
/// and the values derived from grades alone and from survey tallies.
struct Records {
    terms: Vec<TermResult>,
    students: Vec<StudentRecord>,
    student_ids: Vec<String>,
    grade_only: Vec<DerivedValue>,
    survey_values: Vec<DerivedValue>,
    /// Metrics from student records: unit, year, metric, value.
    student_values: Vec<(UnitId, Year, &'static str, f64)>,
}

fn sum_records(
    mut term_sums: Vec<(TermKey, TermAcc)>,
    tallies: FxHashMap<(u32, i32, u8), SurveyTally>,
    mut students: Vec<StudentRecord>,
    student_index: IdIndex,
    student_count: usize,
    grades_alone: bool,
) -> Records {
    // Terms, and each student's GPA per year from grades.
    term_sums.sort_unstable_by_key(|&((student, org, year, term), _)| (student, year, term, org));
    // A key given by two grades tables: one term, summed.
    let mut merged: Vec<(TermKey, TermAcc)> = Vec::with_capacity(term_sums.len());
    for (key, acc) in term_sums {
        match merged.last_mut() {
            Some((last, sum)) if *last == key => sum.merge(&acc),
            _ => merged.push((key, acc)),
        }
    }
    let terms: Vec<TermResult> = merged
        .into_iter()
        .map(|((student, org, year, term), a)| TermResult {
            student,
            org: OrgIdx(org),
            year,
            term,
            credits: a.credits,
            weighted_points: a.weighted,
            failed_courses: a.failed,
            courses: a.courses,
            credits_passed: a.credits_passed,
        })
        .collect();
    let gpa_from_grades = yearly_gpa(&terms);
    for r in &mut students {
        if r.gpa.is_none() {
            r.gpa = gpa_from_grades.get(&(r.student, r.year)).copied();
        }
    }
    let grade_only = if grades_alone && !gpa_from_grades.is_empty() {
        grade_only_gpa(&terms, &gpa_from_grades)
    } else {
        Vec::new()
    };
    drop(gpa_from_grades);
    let mut survey_keys: Vec<_> = tallies.keys().copied().collect();
    survey_keys.sort_unstable();
    let mut survey_values = Vec::new();
    for k in survey_keys {
        if let (Some(t), Some(kind)) = (tallies.get(&k), survey_kind_name(k.2)) {
            survey_values.extend(survey_metrics(UnitId(k.0), k.1, kind, t));
        }
    }
    // Student ids by index.
    let mut student_ids: Vec<String> = student_index.texts().map(str::to_string).collect();
    student_ids.resize(student_count, String::new());
    Records {
        terms,
        students,
        student_ids,
        grade_only,
        survey_values,
        student_values: Vec::new(),
    }
}

/// `gpa_mean` per organisation and year from grades alone (no students
/// table): the mean of the students' yearly GPAs.
fn grade_only_gpa(
    terms: &[TermResult],
    gpa: &std::collections::HashMap<(u32, Year), f64>,
) -> Vec<DerivedValue> {
    let mut seen: FxHashSet<(u32, Year)> = FxHashSet::default();
    let mut acc: FxHashMap<(u32, Year), (f64, u64)> = FxHashMap::default();
    for t in terms {
        if !seen.insert((t.student, t.year)) {
            continue;
        }
        if let Some(g) = gpa.get(&(t.student, t.year)) {
            let e = acc.entry((t.org.0, t.year)).or_default();
            e.0 += g;
            e.1 += 1;
        }
    }
    let mut keys: Vec<_> = acc.keys().copied().collect();
    keys.sort_unstable();
    keys.into_iter()
        .map(|k| DerivedValue {
            unit: UnitId(k.0),
            year: k.1,
            metric: "gpa_mean".into(),
            value: acc[&k].0 / acc[&k].1 as f64,
        })
        .collect()
}

/// A number for a message: at most four decimals.
fn round_for_message(v: f64) -> String {
    super::table::format_number((v * 10_000.0).round() / 10_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cell(unit: u32, col: u32, year: i32, row: u32) -> StagedCell {
        StagedCell::new(unit, col, year, 0, row, f64::from(row))
    }

    proptest! {
        /// The bucket sort orders cells exactly as one comparison sort by
        /// (key, row) does, dense or sparse units, below and above the
        /// size where buckets are used, with or without a start already
        /// grouped by unit (short or long: placed by copy or by swaps).
        #[test]
        fn sort_cells_matches_a_plain_sort(
            raw in proptest::collection::vec((0u32..300, 0u32..40, 2015i32..2025), 0..9000),
            sparse in any::<bool>(),
            few_units in any::<bool>(),
            wide in any::<bool>(),
            grouped in 0usize..10_000,
            rest_after in any::<bool>(),
        ) {
            // Few units: a few hundred cells each, placed by column first
            // (unless the columns are too far apart: `wide`).
            let mut cells: Vec<StagedCell> = raw
                .iter()
                .enumerate()
                .map(|(i, &(u, c, y))| {
                    let u = if few_units { u % 20 } else { u };
                    let c = if wide { c * 1000 } else { c };
                    cell(if sparse { u * 1000 } else { u }, c, y, i as u32)
                })
                .collect();
            // A start grouped by unit, in order, as a table usually lists
            // its units: left in place, the rest placed through a copy.
            let grouped = grouped.min(cells.len());
            cells[..grouped].sort_by_key(|c| c.unit);
            if rest_after {
                // The rest's units all after the start's (programmes after organisations).
                for c in &mut cells[grouped..] {
                    c.unit += 300;
                }
            }
            let mut expected = cells.clone();
            expected.sort_by_key(|c| (cell_key(c.unit, c.col(), c.year()), c.row));
            sort_cells(&mut cells);
            let got: Vec<_> = cells.iter().map(|c| (c.unit, c.col(), c.year(), c.row)).collect();
            let want: Vec<_> = expected.iter().map(|c| (c.unit, c.col(), c.year(), c.row)).collect();
            prop_assert_eq!(got, want);
        }
    }
}
