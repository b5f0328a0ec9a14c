//! Interpreter exit and `fork()`.
//!
//! On CPython up to 3.13 a thread that takes the GIL once finalisation has begun is
//! ended with `pthread_exit()`; the forced unwind cannot pass the Rust frames between
//! it and the thread's start, so glibc aborts the whole process. The SDK's I/O threads
//! call into Python to settle asyncio futures and to log; blocking calls re-take the
//! GIL when their answer arrives, and Python threads run Python code from inside the
//! SDK's Rust frames (building exceptions, reading the log level). So every such
//! stretch holds an [`Entry`], and `zignsec`'s `atexit` hook ([`_at_exit`], which runs
//! before finalisation) closes the gate, waits for the threads already inside to
//! leave, and closes every live client. After that an I/O thread drops what it would
//! have handed to Python, and a Python thread other than the exiting one gives up the
//! GIL for good (as CPython 3.14 does with daemon threads) instead of re-entering.
//!
//! The gate is two atomics rather than a lock, so a child forked while an I/O thread
//! was inside Python starts with a usable gate ([`_after_fork_in_child`]).

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock, Weak};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use pyo3::prelude::*;

/// Where a Python client keeps its core client (`None` once closed).
pub(crate) type Slot = RwLock<Option<zignsec::Client>>;

static STOPPED: AtomicBool = AtomicBool::new(false);
static INSIDE: AtomicUsize = AtomicUsize::new(0);
static EXITING_THREAD: OnceLock<ThreadId> = OnceLock::new();
/// Every client's slot, so the exit hook can close them. Only touched with the GIL
/// held, so no other thread holds it when the interpreter forks.
static LIVE: Mutex<Vec<Weak<Slot>>> = Mutex::new(Vec::new());
/// How long the exit hook waits for threads inside Python (each holds the GIL for
/// microseconds; a log handler that blocks must not hang the exit).
const EXIT_WAIT: Duration = Duration::from_secs(2);

/// A thread's permission to be in Python; the exit hook waits until none is held.
pub(crate) struct Entry(());

thread_local! {
    /// Entries this thread holds (a nested one is always granted: the hook is
    /// waiting for the outer one anyway).
    static HELD: Cell<usize> = const { Cell::new(0) };
}

impl Drop for Entry {
    fn drop(&mut self) {
        HELD.with(|h| h.set(h.get().saturating_sub(1)));
        INSIDE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Permission to call into Python from an SDK thread; `None` once exit has begun.
/// (Counted first, checked second: with the hook storing first and reading second,
/// either the hook sees this thread or this thread sees the hook.)
pub(crate) fn enter() -> Option<Entry> {
    INSIDE.fetch_add(1, Ordering::SeqCst);
    if STOPPED.load(Ordering::SeqCst) && HELD.with(Cell::get) == 0 {
        INSIDE.fetch_sub(1, Ordering::SeqCst);
        return None;
    }
    HELD.with(|h| h.set(h.get() + 1));
    Some(Entry(()))
}

/// A thread that must never take the GIL again (the interpreter is exiting) waits
/// here for the process to end.
fn park_forever() -> ! {
    loop {
        std::thread::park();
    }
}

/// Whether this is the thread that ran the exit hook (the one that finalises: it
/// keeps the GIL, so it may go on; later calls find its clients closed).
fn is_exiting_thread() -> bool {
    EXITING_THREAD.get() == Some(&std::thread::current().id())
}

/// For a Python thread (GIL held) entering the SDK, before it runs any Python code
/// from Rust: its permission, or, once exit has begun, the GIL released for good
/// (another thread would be ended by CPython mid-Rust-frame, which aborts the process).
pub(crate) fn enter_py(py: Python<'_>) -> Option<Entry> {
    match enter() {
        Some(entry) => Some(entry),
        None if is_exiting_thread() => None,
        None => py.detach(|| park_forever()),
    }
}

/// `py.detach(f)` for a Python thread that must not re-take the GIL once exit has
/// begun: then it stays detached for good. Returns `f`'s result and the permission
/// to run Python code again.
pub(crate) fn detach<T: Send>(py: Python<'_>, f: impl Send + FnOnce() -> T) -> (T, Option<Entry>) {
    py.detach(move || {
        let value = f();
        match enter() {
            Some(entry) => (value, Some(entry)),
            None if is_exiting_thread() => (value, None),
            None => park_forever(),
        }
    })
}

/// Remember a new client's slot for the exit hook.
pub(crate) fn register(slot: &Arc<Slot>) {
    let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    live.retain(|w| w.strong_count() > 0);
    live.push(Arc::downgrade(slot));
}

/// The `atexit` hook `zignsec` registers at import: from now on no SDK thread calls
/// into Python (results and log records are dropped); wait for those inside to leave;
/// close every live client and let its runtime shut down, all with the GIL released.
#[pyfunction]
pub(crate) fn _at_exit(py: Python<'_>) {
    let _ = EXITING_THREAD.set(std::thread::current().id());
    STOPPED.store(true, Ordering::SeqCst);
    let clients: Vec<zignsec::Client> = {
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        live.drain(..)
            .filter_map(|w| w.upgrade())
            .filter_map(|slot| slot.write().unwrap_or_else(|e| e.into_inner()).take())
            .collect()
    };
    py.detach(move || {
        let deadline = Instant::now() + EXIT_WAIT;
        while INSIDE.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        // The last handle of a client shuts its runtime down. Calls still running on
        // daemon threads keep theirs alive; those threads never re-enter Python.
        drop(clients);
    });
}

/// `os.register_at_fork(after_in_child=...)`: the parent's threads that were inside
/// Python do not exist in the child.
#[pyfunction]
pub(crate) fn _after_fork_in_child() {
    INSIDE.store(0, Ordering::SeqCst);
}
