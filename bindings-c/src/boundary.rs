//! The FFI boundary: one helper every exported function runs inside, plus the
//! argument checks (NULL pointers, UTF-8).

use std::any::Any;
use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use crate::error::{Fail, ZsError, ZsErrorCode};

/// Run `body` as one exported call: clear `*err`, catch any panic, and hand an
/// error (if any) to the caller through `err` (which may be NULL).
pub(crate) fn call(err: *mut *mut ZsError, body: impl FnOnce() -> Result<(), Fail>) -> ZsErrorCode {
    if !err.is_null() {
        // SAFETY: a non-NULL `err` points to writable storage for one pointer
        // (the documented contract of every `ZsError **err` parameter).
        unsafe { *err = ptr::null_mut() };
    }
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return ZsErrorCode::ZS_OK,
        Ok(Err(e)) => e,
        Err(payload) => {
            let what = panic_text(&*payload);
            drop_quietly(payload);
            match catch_unwind(|| ZsError::internal(&what)) {
                Ok(e) => e,
                Err(p) => {
                    drop_quietly(p);
                    return ZsErrorCode::ZS_ERR_INTERNAL;
                }
            }
        }
    };
    let code = failure.code;
    if err.is_null() {
        drop_quietly(failure);
    } else {
        // SAFETY: as above.
        unsafe { *err = Box::into_raw(failure) };
    }
    code
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic".to_string()
    }
}

/// Run an accessor on a possibly-NULL error inside a panic boundary (accessors
/// only read fields, but nothing may unwind into C).
pub(crate) fn read<T>(err: *const ZsError, fallback: T, f: impl FnOnce(&ZsError) -> T) -> T {
    // SAFETY: the caller promises `err` is NULL or a live ZsError from this library.
    match unsafe { err.as_ref() } {
        None => fallback,
        Some(e) => match catch_unwind(AssertUnwindSafe(|| f(e))) {
            Ok(v) => v,
            Err(p) => {
                drop_quietly(p);
                fallback
            }
        },
    }
}

/// Drop a value, swallowing a panic from its destructor.
pub(crate) fn drop_quietly<T>(value: T) {
    if let Err(p) = catch_unwind(AssertUnwindSafe(move || drop(value))) {
        std::mem::forget(p);
    }
}

/// A required string argument: not NULL, valid UTF-8.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn text<'a>(p: *const c_char, name: &str) -> Result<&'a str, Fail> {
    if p.is_null() {
        return Err(ZsError::invalid_argument(name, "must not be NULL"));
    }
    // SAFETY: non-NULL and NUL-terminated (the caller's promise).
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| ZsError::invalid_argument(name, "is not valid UTF-8"))
}

/// An optional string argument: NULL means absent; otherwise valid UTF-8.
///
/// # Safety
/// As [`text`].
pub(crate) unsafe fn opt_text<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>, Fail> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded.
        unsafe { text(p, name) }.map(Some)
    }
}

/// A byte buffer argument (`ptr`, `len`): `ptr` must not be NULL, even for `len` 0.
///
/// # Safety
/// A non-NULL `p` points to `len` readable bytes that outlive `'a`.
pub(crate) unsafe fn bytes<'a>(p: *const c_char, len: usize, name: &str) -> Result<&'a [u8], Fail> {
    if p.is_null() {
        return Err(ZsError::invalid_argument(name, "must not be NULL"));
    }
    if len > isize::MAX as usize {
        return Err(ZsError::invalid_argument(name, "length is too large"));
    }
    // SAFETY: the caller promises `len` readable bytes at `p`.
    Ok(unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) })
}

/// A required pointer to a struct the caller owns.
///
/// # Safety
/// `p` is NULL or points to a valid `T` that outlives `'a`.
pub(crate) unsafe fn reference<'a, T>(p: *const T, name: &str) -> Result<&'a T, Fail> {
    // SAFETY: the caller's promise.
    unsafe { p.as_ref() }.ok_or_else(|| ZsError::invalid_argument(name, "must not be NULL"))
}

/// An out-parameter: must not be NULL; cleared to NULL at once, so it is NULL on
/// every error path. Returns a writer for the success path.
///
/// # Safety
/// `out` is NULL or points to writable storage for one `*mut T`.
pub(crate) unsafe fn out_ptr<T>(out: *mut *mut T, name: &str) -> Result<OutPtr<T>, Fail> {
    if out.is_null() {
        return Err(ZsError::invalid_argument(name, "must not be NULL"));
    }
    // SAFETY: non-NULL and writable (the caller's promise).
    unsafe { *out = ptr::null_mut() };
    Ok(OutPtr(out))
}

/// A checked, cleared out-parameter.
pub(crate) struct OutPtr<T>(*mut *mut T);

impl<T> OutPtr<T> {
    /// Hand `value` to the caller, who now owns it.
    pub(crate) fn set(self, value: Box<T>) {
        // SAFETY: checked non-NULL and writable in `out_ptr`.
        self.set_raw(Box::into_raw(value));
    }

    /// Hand a raw pointer the caller now owns (e.g. from `CString::into_raw`).
    pub(crate) fn set_raw(self, value: *mut T) {
        // SAFETY: checked non-NULL and writable in `out_ptr`.
        unsafe { *self.0 = value };
    }
}

/// Free a boxed result made by this library, never letting a panic out.
///
/// # Safety
/// `p` is NULL or came from `Box::into_raw` in this library, freed at most once.
pub(crate) unsafe fn free_box<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: the caller's promise.
        drop_quietly(unsafe { Box::from_raw(p) });
    }
}
