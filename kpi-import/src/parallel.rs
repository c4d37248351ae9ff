//! Work spread over threads (natively), or done in turn (WebAssembly, or
//! one thread asked for). Results never depend on the number of threads:
//! every helper gives back results in the order of its inputs.

/// The number of threads for a request: 0 means one per core.
pub(crate) fn threads(requested: usize) -> usize {
    if cfg!(target_arch = "wasm32") {
        return 1;
    }
    match requested {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// Runs `a` and `b`, at the same time when `threads` > 1.
pub(crate) fn join<A, B, RA, RB>(threads: usize, a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 {
        return std::thread::scope(|scope| {
            let other = scope.spawn(b);
            let ra = a();
            match other.join() {
                Ok(rb) => (ra, rb),
                // The other closure panicked: so does this call, as it
                // would have running it in turn.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        });
    }
    let _ = threads;
    (a(), b())
}

/// Applies `f` to every item on up to `threads` threads, each taking the
/// costliest item not yet taken; `wait` runs on the calling thread now and
/// then until all are done (progress). Results are in the order of `items`.
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
        return map_on_threads(items, threads, cost, f, wait);
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

#[cfg(not(target_arch = "wasm32"))]
fn map_on_threads<T, R, F>(
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
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let n = items.len();
    let mut order: Vec<usize> = (0..n).collect();
    // Cached: a cost may need I/O (a file's size), once per item is enough.
    order.sort_by_cached_key(|&i| std::cmp::Reverse(cost(&items[i])));
    let queue: Vec<Mutex<Option<T>>> = items.into_iter().map(|x| Mutex::new(Some(x))).collect();
    let results: Vec<Mutex<Option<R>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let caller = std::thread::current();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(n))
            .map(|_| {
                scope.spawn(|| {
                    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let item = queue[i].lock().ok().and_then(|mut q| q.take());
                        if let Some(item) = item {
                            let r = f(item);
                            if let Ok(mut slot) = results[i].lock() {
                                *slot = Some(r);
                            }
                        }
                        caller.unpark();
                    }
                })
            })
            .collect();
        while !workers.iter().all(|w| w.is_finished()) {
            wait();
            std::thread::park_timeout(std::time::Duration::from_millis(100));
        }
        // A worker that panicked: the same panic here, as in turn.
        for w in workers {
            if let Err(panic) = w.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    results
        .into_iter()
        .filter_map(|m| m.into_inner().ok().flatten())
        .collect()
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
