//! State that belongs to one process: a client's runtime and connection pool.
//!
//! After `fork()` the child inherits the parent's memory but none of its threads,
//! so a tokio runtime (and every pooled connection registered with its I/O driver)
//! is dead there: using it hangs, and dropping it would join threads that do not
//! exist or deregister sockets the parent still uses. [`PerProcess`] keeps one
//! value per process id: the first use in a new process builds a fresh value, and
//! the parent's is leaked on purpose, never touched.

use std::sync::atomic::{AtomicPtr, Ordering};

use crate::error::Result;

struct Slot<T> {
    pid: u32,
    value: T,
}

/// One `T` for the process that is using it.
pub(crate) struct PerProcess<T> {
    slot: AtomicPtr<Slot<T>>,
}

// SAFETY: the slot is only read through `&T` (so `T: Sync` is needed to share it)
// and dropped by whoever drops the `PerProcess` (so `T: Send`).
unsafe impl<T: Send + Sync> Send for PerProcess<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Sync for PerProcess<T> {}

impl<T> PerProcess<T> {
    /// Holds `value` for the current process.
    pub(crate) fn new(value: T) -> Self {
        let slot = Box::new(Slot {
            pid: std::process::id(),
            value,
        });
        PerProcess {
            slot: AtomicPtr::new(Box::into_raw(slot)),
        }
    }

    /// Nothing yet: the first [`get_or_try_init`](Self::get_or_try_init) builds it.
    pub(crate) fn empty() -> Self {
        PerProcess {
            slot: AtomicPtr::new(std::ptr::null_mut()),
        }
    }

    /// The value of this process; in a forked child, a new one from `make`.
    ///
    /// A slot, once it holds this process's value, is never replaced nor freed
    /// before `self` is dropped, so the reference stays valid for `&self`.
    pub(crate) fn get_or_try_init(&self, make: impl FnOnce() -> Result<T>) -> Result<&T> {
        let pid = std::process::id();
        let current = self.slot.load(Ordering::Acquire);
        // SAFETY: a non-null slot pointer always points at a live, leaked-or-owned Box.
        if let Some(slot) = unsafe { current.as_ref() } {
            if slot.pid == pid {
                return Ok(&slot.value);
            }
        }
        let fresh = Box::into_raw(Box::new(Slot {
            pid,
            value: make()?,
        }));
        match self
            .slot
            .compare_exchange(current, fresh, Ordering::AcqRel, Ordering::Acquire)
        {
            // The parent's slot (if any) is left as it is: leaked, never dropped here.
            // SAFETY: `fresh` came from Box::into_raw just above and is now owned by self.
            Ok(_) => Ok(unsafe { &(*fresh).value }),
            Err(winner) => {
                // Another thread of this process built one first: use it, drop ours.
                // SAFETY: `fresh` was never shared.
                drop(unsafe { Box::from_raw(fresh) });
                // SAFETY: the winner's slot is non-null (it was stored by a CAS) and
                // belongs to this process: only this process's threads can store here.
                Ok(unsafe { &(*winner).value })
            }
        }
    }
}

impl<T> Drop for PerProcess<T> {
    fn drop(&mut self) {
        let ptr = *self.slot.get_mut();
        if ptr.is_null() {
            return;
        }
        // SAFETY: the pointer came from Box::into_raw and `&mut self` means no one
        // else holds a reference into it.
        let slot = unsafe { Box::from_raw(ptr) };
        if slot.pid != std::process::id() {
            // Built by the parent before fork(): its threads and sockets are not ours.
            std::mem::forget(slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_process_keeps_its_value() {
        let cell = PerProcess::new(7u32);
        let mut calls = 0;
        let got = cell.get_or_try_init(|| {
            calls += 1;
            Ok(8)
        });
        assert_eq!(*got.expect("value"), 7);
        assert_eq!(calls, 0);
    }

    #[test]
    fn a_slot_from_another_process_is_replaced_and_leaked() {
        let cell = PerProcess::new(String::from("parent"));
        // Pretend the slot was made by another process (as after fork()).
        // SAFETY: test-only write through the owned pointer.
        unsafe { (*cell.slot.load(Ordering::Acquire)).pid = u32::MAX };
        let got = cell.get_or_try_init(|| Ok(String::from("child")));
        assert_eq!(got.expect("value"), "child");
        let again = cell.get_or_try_init(|| Ok(String::from("never")));
        assert_eq!(again.expect("value"), "child");
    }
}
