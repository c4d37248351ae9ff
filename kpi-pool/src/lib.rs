//! Work spread over threads, the same way on every target the engine is built for:
//!
//! - natively, on rayon's global pool;
//! - in the WebAssembly engine built with shared memory, on the pool workers the page
//!   started and announced (`announce` and `work`, in that build only: a Web Worker each, on the
//!   module's memory);
//! - in the plain WebAssembly engine, in turn on the calling thread.
//!
//! Results never depend on the number of threads: [`map`] gives them in the order of its
//! items, [`join`] both halves.
//!
//! ```
//! let (a, b) = kpi_pool::join(|| 1 + 1, || "two");
//! assert_eq!((a, b), (2, "two"));
//! let squares = kpi_pool::map(vec![1, 2, 3], |x| x * x);
//! assert_eq!(squares, [1, 4, 9]);
//! ```

#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

#[cfg(any(test, all(target_arch = "wasm32", target_feature = "atomics")))]
mod workers;

/// The number of threads [`join`] and [`map`] spread work over: rayon's natively; in
/// WebAssembly the calling thread and the pool workers announced.
///
/// ```
/// assert!(kpi_pool::threads() >= 1);
/// ```
pub fn threads() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    let n = rayon::current_num_threads();
    #[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
    let n = workers::threads();
    #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
    let n = 1;
    n
}

/// Runs `a` and `b`, at the same time when another thread is free, and gives both results.
///
/// ```
/// let v = vec![1, 2, 3];
/// let (sum, max) = kpi_pool::join(|| v.iter().sum::<i32>(), || v.iter().max().copied());
/// assert_eq!((sum, max), (6, Some(3)));
/// ```
pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    #[cfg(not(target_arch = "wasm32"))]
    let both = rayon::join(a, b);
    #[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
    let both = workers::join(a, b);
    #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
    let both = (a(), b());
    both
}

/// `f` of every item, spread over the threads, in the order of `items`.
///
/// ```
/// let names = vec!["a", "bb", "ccc"];
/// assert_eq!(kpi_pool::map(names, |s| s.len()), [1, 2, 3]);
/// ```
pub fn map<T, R, F>(items: Vec<T>, f: F) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    // Each item is its own task: the items are few and costly (tables, indicators,
    // blocks of organisations), not many and cheap.
    #[cfg(not(target_arch = "wasm32"))]
    let results = {
        use rayon::prelude::*;
        items.into_par_iter().with_max_len(1).map(&f).collect()
    };
    #[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
    let results = workers::map(items, f);
    #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
    let results = items.into_iter().map(f).collect();
    results
}

/// Announces `workers` pool workers (each will call [`work`]): [`join`] and [`map`] queue
/// work for them from now on. A worker still starting loses nothing: the thread that waits
/// for a job runs it itself when no worker has taken it. Only in WebAssembly built with
/// shared memory.
///
/// ```ignore
/// // In the dataset worker, once it started three pool workers on the module's memory:
/// kpi_pool::announce(3);
/// assert_eq!(kpi_pool::threads(), 4);
/// ```
#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
pub fn announce(workers: usize) {
    workers::announce(workers);
}

/// Runs jobs for the pool, forever: a pool worker's whole life. Call it once per worker,
/// after the worker instantiated the module on the engine's memory. Only in WebAssembly
/// built with shared memory.
///
/// ```ignore
/// // In a pool worker (a Web Worker), with the module instantiated on the shared memory:
/// kpi_pool::work();
/// ```
#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
pub fn work() -> ! {
    workers::work()
}

#[cfg(test)]
mod tests {
    #[test]
    fn map_keeps_the_order_and_join_gives_both_halves() {
        let items: Vec<u64> = (0..200).map(|i| (i * 37) % 200).collect();
        let squares = super::map(items.clone(), |x| x * x);
        assert_eq!(squares, items.iter().map(|x| x * x).collect::<Vec<_>>());
        let (a, b) = super::join(|| items.iter().sum::<u64>(), || items.len());
        assert_eq!((a, b), ((0..200).sum::<u64>(), 200));
    }
}
