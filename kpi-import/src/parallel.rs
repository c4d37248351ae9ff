//! Work spread over threads (natively on rayon's pool; in the threaded WebAssembly
//! build on kpi-pool's workers), or done in turn (the plain WebAssembly build, or one
//! thread asked for). Results never depend on the number of threads: every helper gives
//! back results in the order of its inputs.

/// The number of threads for a request: 0 means one per core.
pub(crate) fn threads(requested: usize) -> usize {
    // WebAssembly: the calling thread and the workers the page started for the module
    // built with shared memory; none in the plain build.
    #[cfg(target_arch = "wasm32")]
    let cores = kpi_pool::threads();
    #[cfg(not(target_arch = "wasm32"))]
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match requested {
        0 => cores,
        // Natively, threads beyond the cores may be asked for; WebAssembly has no more.
        n if cfg!(target_arch = "wasm32") => n.min(cores),
        n => n,
    }
}

/// Runs `a` and `b`, at the same time (on rayon's pool, or kpi-pool's) when `threads` > 1.
pub(crate) fn join<A, B, RA, RB>(threads: usize, a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    if threads > 1 {
        kpi_pool::join(a, b)
    } else {
        (a(), b())
    }
}

/// Applies `f` to every item on up to `threads` threads; `wait` runs on the
/// calling thread now and then until all are done (progress). Results are in
/// the order of `items`.
///
/// Items are started costliest first, each on the first free thread (a
/// FIFO rayon scope), so that a large table does not start last and keep
/// one core busy alone at the end.
pub(crate) fn map<T, R, F>(
    items: Vec<T>,
    threads: usize,
    cost: impl Fn(&T) -> u64,
    f: F,
    wait: &mut dyn FnMut(),
) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 && items.len() > 1 {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.min(items.len()))
            .build();
        // A pool that cannot be built (no threads left): the items in turn.
        if let Ok(pool) = pool {
            return map_on_pool(&pool, items, cost, f, wait);
        }
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
    if threads > 1 && items.len() > 1 {
        // Costliest first, as on rayon's pool; results in the order of the items.
        let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
        let done = kpi_pool::map(costliest_first(items, cost), |(i, item)| (i, f(item)));
        for (i, r) in done {
            results[i] = Some(r);
        }
        wait();
        return results.into_iter().flatten().collect();
    }
    let _ = (threads, cost);
    items
        .into_iter()
        .map(|item| {
            let r = f(item);
            wait();
            r
        })
        .collect()
}

/// The items with their places, costliest first: started first, so that threads finish
/// together.
#[cfg(any(not(target_arch = "wasm32"), target_feature = "atomics"))]
fn costliest_first<T>(items: Vec<T>, cost: impl Fn(&T) -> u64) -> Vec<(usize, T)> {
    let mut indexed: Vec<(usize, T)> = items.into_iter().enumerate().collect();
    // Cached: a cost may need I/O (a file's size), once per item is enough.
    indexed.sort_by_cached_key(|(_, item)| std::cmp::Reverse(cost(item)));
    indexed
}

#[cfg(not(target_arch = "wasm32"))]
fn map_on_pool<T, R, F>(
    pool: &rayon::ThreadPool,
    items: Vec<T>,
    cost: impl Fn(&T) -> u64,
    f: F,
    wait: &mut dyn FnMut(),
) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    use std::sync::mpsc;
    use std::time::Duration;
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    let indexed = costliest_first(items, cost);
    let f = &f;
    // The calling thread stays outside the pool and reports progress; a job
    // that panicked makes the scope panic the same way at its end.
    pool.in_place_scope_fifo(|scope| {
        let (done, finished) = mpsc::channel();
        for (i, item) in indexed {
            let done = done.clone();
            scope.spawn_fifo(move |_| {
                let _ = done.send((i, f(item)));
            });
        }
        drop(done);
        loop {
            match finished.recv_timeout(Duration::from_millis(100)) {
                Ok((i, r)) => {
                    results[i] = Some(r);
                    wait();
                }
                Err(mpsc::RecvTimeoutError::Timeout) => wait(),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
    });
    results.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_keeps_the_order_of_the_items_whatever_the_threads() {
        let items: Vec<u64> = (0..50).map(|i| (i * 37) % 50).collect();
        let expected: Vec<u64> = items.iter().map(|x| x * x).collect();
        for threads in [1, 2, 3, 8] {
            let mut waits = 0;
            let got = map(items.clone(), threads, |&x| x, |x| x * x, &mut || {
                waits += 1
            });
            assert_eq!(got, expected, "{threads} threads");
            assert!(waits >= 1);
        }
    }

    #[test]
    fn join_runs_both() {
        for threads in [1, 2] {
            assert_eq!(join(threads, || 2 + 2, || "four"), (4, "four"));
        }
    }
}
