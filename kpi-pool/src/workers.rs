//! The pool of the WebAssembly engine built with shared memory.
//!
//! WebAssembly has no `std::thread::spawn`: the page starts Web Workers, each instantiates
//! the same module on the same memory and calls [`work`], which runs jobs until the page
//! ends. The engine's own thread (the dataset worker) then splits work with [`join`] and
//! [`map`]; before any worker is announced both run everything in turn on the calling
//! thread. Natively the crate's tests run it on `std` threads.
//!
//! Rayon does the same natively; in WebAssembly its pool (with `wasm-bindgen-rayon`) made
//! the engine module 30 KB larger (gzip), past its 500 KB target.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, OnceLock};

/// A job: a closure whose borrows outlive it (see `spawn`).
type Job = Box<dyn FnOnce() + Send + 'static>;

struct Pool {
    jobs: Mutex<VecDeque<Job>>,
    ready: Condvar,
    /// Workers announced with [`announce`]: jobs are queued for them from then on, and
    /// the waiting thread runs what they have not taken yet.
    workers: Mutex<usize>,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| Pool {
        jobs: Mutex::new(VecDeque::new()),
        ready: Condvar::new(),
        workers: Mutex::new(0),
    })
}

/// The number of threads work is spread over: the calling one and the workers.
pub(crate) fn threads() -> usize {
    1 + pool().workers.lock().map_or(0, |n| *n)
}

/// Announces `workers` pool workers (each will call [`work`]): [`join`] and [`map`] queue
/// work for them from now on. A worker still starting loses nothing: the thread that waits
/// for a job runs it itself when no worker has taken it.
pub(crate) fn announce(workers: usize) {
    if let Ok(mut n) = pool().workers.lock() {
        *n = workers;
    }
}

/// Runs jobs for the pool, forever: a worker's whole life. Call it once per worker, after
/// the worker instantiated the module on the engine's memory.
pub(crate) fn work() -> ! {
    let pool = pool();
    loop {
        // (A lock is poisoned only by a panic, which aborts the whole module.)
        let job = {
            let mut jobs = pool.jobs.lock().unwrap_or_else(|p| p.into_inner());
            loop {
                if let Some(job) = jobs.pop_front() {
                    break job;
                }
                jobs = pool.ready.wait(jobs).unwrap_or_else(|p| p.into_inner());
            }
        };
        job();
    }
}

/// What one spawned closure gives back (or its panic), once it is done.
struct Slot<R> {
    result: Mutex<Option<std::thread::Result<R>>>,
    done: Condvar,
}

impl<R> Slot<R> {
    fn new() -> Arc<Slot<R>> {
        Arc::new(Slot {
            result: Mutex::new(None),
            done: Condvar::new(),
        })
    }

    fn put(&self, r: std::thread::Result<R>) {
        if let Ok(mut result) = self.result.lock() {
            *result = Some(r);
        }
        self.done.notify_all();
    }

    /// Waits for the result; `None` only if a lock was poisoned.
    fn take(&self) -> Option<std::thread::Result<R>> {
        let mut result = self.result.lock().ok()?;
        loop {
            if let Some(r) = result.take() {
                return Some(r);
            }
            result = self.done.wait(result).ok()?;
        }
    }
}

/// Runs `f` on a worker (or here, when no worker is free to take it first) and gives a
/// handle to its result. The handle waits for the job when it is dropped, so `f` never
/// outlives what it borrows, even when the caller unwinds.
fn spawn<'a, R: Send + 'a>(f: impl FnOnce() -> R + Send + 'a) -> Pending<'a, R> {
    let slot = Slot::new();
    let job: Box<dyn FnOnce() + Send + 'a> = {
        let slot = Arc::clone(&slot);
        // A panic is handed to the waiting thread (natively; the engine module aborts).
        Box::new(move || {
            slot.put(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
        })
    };
    // SAFETY: the job borrows only what lives for 'a, and the `Pending` returned below
    // lives no longer than 'a and does not end (`wait`, or its drop when the caller
    // unwinds) before the job has run, here or on a worker. So the job never outlives its
    // borrows.
    let job: Job = unsafe { std::mem::transmute::<Box<dyn FnOnce() + Send + 'a>, Job>(job) };
    let pool = pool();
    let queued = match pool.jobs.lock() {
        Ok(mut jobs) => {
            jobs.push_back(job);
            None
        }
        Err(_) => Some(job),
    };
    match queued {
        // No queue to put it on: run it now.
        Some(job) => job(),
        None => pool.ready.notify_one(),
    }
    Pending {
        slot,
        waited: false,
        _borrows: std::marker::PhantomData,
    }
}

/// A spawned job's result, to wait for. Dropped without [`Pending::wait`] (the caller
/// unwinding), it still waits for the job.
struct Pending<'a, R> {
    slot: Arc<Slot<R>>,
    /// The result was taken by [`Pending::wait`].
    waited: bool,
    _borrows: std::marker::PhantomData<&'a ()>,
}

impl<R> Pending<'_, R> {
    /// The job's result; its panic, if it panicked, is resumed here.
    fn wait(mut self) -> R {
        let result = self.finish();
        self.waited = true;
        match result {
            Some(Ok(r)) => r,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            // Poisoned locks mean a panic while a lock was held, which the pool never does.
            None => panic!("a pool lock was poisoned"),
        }
    }

    /// Waits until the job has run. Meanwhile it runs queued jobs (this one, if no worker
    /// took it yet) rather than sleep, so a pool without free workers never stalls.
    fn finish(&self) -> Option<std::thread::Result<R>> {
        let pool = pool();
        loop {
            if let Ok(result) = self.slot.result.lock() {
                if result.is_some() {
                    break;
                }
            }
            let job = pool.jobs.lock().ok().and_then(|mut jobs| jobs.pop_front());
            match job {
                Some(job) => job(),
                None => break,
            }
        }
        self.slot.take()
    }
}

impl<R> Drop for Pending<'_, R> {
    fn drop(&mut self) {
        // A handle its caller did not wait for (the caller unwinding): the job may still
        // borrow the caller's frame, so it must have run before the frame goes.
        if !self.waited {
            let _ = self.finish();
        }
    }
}

/// Runs `a` and `b`, `b` on a worker when one is free, and gives both results.
pub(crate) fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    if threads() == 1 {
        return (a(), b());
    }
    let pending = spawn(b);
    let ra = a();
    (ra, pending.wait())
}

/// `f` of every item, spread over the workers, in the order of `items`.
pub(crate) fn map<T, R, F>(items: Vec<T>, f: F) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    if threads() == 1 || items.len() < 2 {
        return items.into_iter().map(f).collect();
    }
    let f = &f;
    let pending: Vec<Pending<'_, R>> = items
        .into_iter()
        .map(|item| spawn(move || f(item)))
        .collect();
    pending.into_iter().map(Pending::wait).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread::ThreadId;

    /// One test, as the pool is global: workers announced before they start, then started
    /// (natively as threads, as the page starts Web Workers).
    #[test]
    fn join_and_map_use_the_workers_and_keep_the_order() {
        // Announced but not started: the calling thread runs the queued jobs itself.
        announce(2);
        assert_eq!(threads(), 3);
        let (a, b) = join(|| 40, || 2);
        assert_eq!(a + b, 42);
        let squares = map((0..100u64).collect(), |x| x * x);
        assert_eq!(squares, (0..100u64).map(|x| x * x).collect::<Vec<_>>());

        for _ in 0..2 {
            std::thread::spawn(|| work());
        }
        // Borrowed data, results in order, and the jobs run on more than one thread.
        let words: Vec<String> = (0..2000).map(|i| format!("w{i}")).collect();
        let seen = Mutex::new(HashSet::<ThreadId>::new());
        let lens = map(words.iter().collect(), |w: &String| {
            // Long enough for the workers to take jobs.
            std::thread::sleep(std::time::Duration::from_micros(200));
            seen.lock().unwrap().insert(std::thread::current().id());
            w.len()
        });
        let want: Vec<usize> = words.iter().map(String::len).collect();
        assert_eq!(lens, want);
        assert!(
            seen.lock().unwrap().len() > 1,
            "every job ran on the calling thread"
        );

        // Nested: a join inside mapped jobs inside a join completes (waiting threads help).
        let total = AtomicUsize::new(0);
        let (left, right) = join(
            || {
                map((1..=50usize).collect(), |i| {
                    let (x, y) = join(|| i, || 2 * i);
                    total.fetch_add(x + y, Ordering::Relaxed);
                    x + y
                })
                .iter()
                .sum::<usize>()
            },
            || (1..=50usize).sum::<usize>(),
        );
        // Σ 3i for i = 1..50 = 3 × 1275.
        assert_eq!((left, right), (3825, 1275));
        assert_eq!(total.load(Ordering::Relaxed), 3825);

        // A panic in the calling thread's half still waits for the other half, which
        // borrows the caller's data; a panic in a job reaches the caller, and the worker
        // that ran it goes on.
        let done = AtomicUsize::new(0);
        let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            join(
                || panic!("left half"),
                || {
                    // Longer than the panic takes to unwind (a backtrace may be captured).
                    std::thread::sleep(std::time::Duration::from_millis(500));
                    done.fetch_add(1, Ordering::SeqCst);
                },
            )
        }));
        assert!(unwound.is_err());
        assert_eq!(
            done.load(Ordering::SeqCst),
            1,
            "join unwound before its job ran"
        );
        let failed = std::panic::catch_unwind(|| {
            map(vec![1, 2, 3, 4], |x: i32| {
                assert!(x != 3, "job three");
                x
            })
        });
        assert!(failed.is_err());
        assert_eq!(
            map((0..64).collect(), |x: i32| x + 1),
            (1..65).collect::<Vec<_>>()
        );
    }
}
