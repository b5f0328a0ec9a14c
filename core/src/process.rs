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

/// This process's id, asked on every call. On Linux it is kept in a page the kernel
/// zeroes in a child at any kind of fork (`MADV_WIPEONFORK`), so a call reads memory
/// instead of making a `getpid` system call; elsewhere, or when that page cannot be
/// set up, the kernel is asked each time.
pub(crate) fn current_pid() -> u32 {
    #[cfg(target_os = "linux")]
    if let Some(cached) = wiped_on_fork() {
        let pid = cached.load(Ordering::Relaxed);
        if pid != 0 {
            return pid;
        }
        let pid = std::process::id();
        cached.store(pid, Ordering::Relaxed);
        return pid;
    }
    std::process::id()
}

/// The word at the start of a page the kernel zeroes in a forked child; `None` when
/// the kernel cannot do that (before Linux 4.14).
#[cfg(target_os = "linux")]
fn wiped_on_fork() -> Option<&'static std::sync::atomic::AtomicU32> {
    use std::sync::atomic::{AtomicU32, AtomicUsize};
    /// The page's address; 0: not set up yet; 1: not available.
    static PAGE: AtomicUsize = AtomicUsize::new(0);
    const UNAVAILABLE: usize = 1;
    let mut addr = PAGE.load(Ordering::Acquire);
    if addr == 0 {
        let made = map_wiped_page().unwrap_or(UNAVAILABLE);
        addr = match PAGE.compare_exchange(0, made, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => made,
            Err(winner) => {
                if made != UNAVAILABLE {
                    // Another thread set one up first (no lock, so a fork never waits on one).
                    // SAFETY: `made` is the page mapped just above, shared with no one.
                    unsafe { libc::munmap(made as *mut libc::c_void, page_size()) };
                }
                winner
            }
        };
    }
    // SAFETY: the page stays mapped for the life of the process (in a child too), is
    // aligned, and zero or a pid written here: always a valid `AtomicU32`.
    (addr != UNAVAILABLE).then(|| unsafe { &*(addr as *const AtomicU32) })
}

#[cfg(target_os = "linux")]
fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096)
}

#[cfg(target_os = "linux")]
fn map_wiped_page() -> Option<usize> {
    let size = page_size();
    // SAFETY: a new private anonymous mapping, not aliased by anything.
    let page = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            size,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if page == libc::MAP_FAILED {
        return None;
    }
    // SAFETY: `page` is the mapping of `size` bytes made above.
    if unsafe { libc::madvise(page, size, libc::MADV_WIPEONFORK) } != 0 {
        // SAFETY: as above; nothing refers to it yet.
        unsafe { libc::munmap(page, size) };
        return None;
    }
    Some(page as usize)
}

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
            pid: current_pid(),
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
        let pid = current_pid();
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
        if slot.pid != current_pid() {
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

    #[cfg(unix)]
    #[test]
    fn the_cached_pid_is_this_process_and_a_forked_child_sees_its_own() {
        let parent = current_pid();
        assert_eq!(parent, std::process::id());
        assert_eq!(current_pid(), parent);
        // SAFETY: the child only reads memory, makes getpid and exits at once.
        let child = unsafe { libc::fork() };
        assert!(child >= 0, "fork failed");
        if child == 0 {
            let ok = current_pid() == std::process::id() && current_pid() != parent;
            // SAFETY: ends the child without running the parent's exit handlers.
            unsafe { libc::_exit(if ok { 0 } else { 1 }) };
        }
        let mut status = 0;
        // SAFETY: `child` is our child; `status` is a valid out-pointer.
        assert_eq!(unsafe { libc::waitpid(child, &mut status, 0) }, child);
        assert!(
            libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
            "the child saw the parent's pid"
        );
        assert_eq!(current_pid(), parent);
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
