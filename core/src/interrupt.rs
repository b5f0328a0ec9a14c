//! Letting the caller of a blocking call stop it (Ctrl-C in Python, `close()`):
//! the caller's check is asked at every wait point of the call on this thread,
//! at least every `every`, while no lock of the client is held.
//!
//! The check lives in a thread-local for the length of one call, so the blocking
//! transport needs no parameter for it and a call without a check pays nothing.

use std::cell::Cell;
use std::time::Duration;

/// The check of the call running on this thread.
#[derive(Clone, Copy)]
struct Check {
    every: Duration,
    /// Valid only inside [`scope`], which removes it before returning.
    ask: *mut (dyn FnMut() -> bool + 'static),
    /// The check said stop: every later wait point stops at once.
    fired: bool,
}

thread_local! {
    static CHECK: Cell<Option<Check>> = const { Cell::new(None) };
}

/// Puts the previous check back, also when `body` unwinds.
struct Restore(Option<Check>);

impl Drop for Restore {
    fn drop(&mut self) {
        CHECK.with(|c| c.set(self.0));
    }
}

/// Run `body` with `ask` as this thread's check, asked at most `every` apart
/// while `body` waits. Returns `body`'s result and whether `ask` said stop.
pub(crate) fn scope<R>(
    every: Duration,
    ask: &mut dyn FnMut() -> bool,
    body: impl FnOnce() -> R,
) -> (R, bool) {
    let ask: *mut (dyn FnMut() -> bool + '_) = ask;
    // SAFETY: only the lifetime changes. The pointer is dereferenced only by
    // `asked`, on this thread, while `body` runs; `Restore` removes it before
    // `ask`'s borrow ends, on return and on unwind.
    let ask: *mut (dyn FnMut() -> bool + 'static) = unsafe { std::mem::transmute(ask) };
    let every = every.max(Duration::from_millis(1));
    let previous = CHECK.with(|c| {
        c.replace(Some(Check {
            every,
            ask,
            fired: false,
        }))
    });
    let restore = Restore(previous);
    let out = body();
    let fired = CHECK.with(|c| c.get()).is_some_and(|c| c.fired);
    drop(restore);
    (out, fired)
}

/// How long one wait may last before the check is asked: `remaining` when no
/// check is set.
pub(crate) fn slice(remaining: Duration) -> Duration {
    CHECK
        .with(|c| c.get())
        .map_or(remaining, |c| remaining.min(c.every))
}

/// Ask the check, if any: true once it has said stop.
pub(crate) fn asked() -> bool {
    let Some(mut check) = CHECK.with(|c| c.get()) else {
        return false;
    };
    if check.fired {
        return true;
    }
    // A call made from inside the check (a signal handler's) runs without it.
    CHECK.with(|c| c.set(None));
    let restore = Restore(Some(check));
    // SAFETY: set by `scope`, which is still running on this thread (see there).
    let stop = unsafe { (*check.ask)() };
    check.fired = stop;
    drop(restore);
    CHECK.with(|c| c.set(Some(check)));
    stop
}

/// Whether the check of the call on this thread has said stop.
pub(crate) fn fired() -> bool {
    CHECK.with(|c| c.get()).is_some_and(|c| c.fired)
}

/// Sleep for `wait`, asking the check (if any) between slices; ends early when it
/// says stop.
pub(crate) fn sleep(wait: Duration) {
    let end = std::time::Instant::now() + wait;
    loop {
        let left = end.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() || fired() {
            return;
        }
        std::thread::sleep(slice(left));
        if asked() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_check_means_never_stopped() {
        assert!(!asked());
        assert!(!fired());
        assert_eq!(slice(Duration::from_secs(5)), Duration::from_secs(5));
    }

    #[test]
    fn a_check_is_asked_until_it_says_stop_then_stays_fired() {
        let mut asks = 0;
        let mut ask = || {
            asks += 1;
            asks == 2
        };
        let ((), fired_at_end) = scope(Duration::from_millis(7), &mut ask, || {
            assert_eq!(slice(Duration::from_secs(1)), Duration::from_millis(7));
            assert!(!asked());
            assert!(asked());
            assert!(asked(), "stays stopped without asking again");
            assert!(fired());
        });
        assert!(fired_at_end);
        assert_eq!(asks, 2);
        assert!(!fired(), "the check is gone after the scope");
    }

    #[test]
    fn a_call_inside_the_check_runs_without_it_and_the_outer_check_comes_back() {
        let mut outer = || {
            // As a signal handler making a call of its own would.
            assert!(!asked(), "inside the check there is no check");
            false
        };
        let ((), fired) = scope(Duration::from_millis(5), &mut outer, || {
            assert!(!asked());
            assert_eq!(slice(Duration::from_secs(1)), Duration::from_millis(5));
        });
        assert!(!fired);
    }

    #[test]
    fn sleep_ends_early_when_stopped() {
        let started = std::time::Instant::now();
        let mut ask = || true;
        scope(Duration::from_millis(10), &mut ask, || {
            sleep(Duration::from_secs(5));
        });
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
