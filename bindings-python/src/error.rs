//! The one place core errors become Python exceptions (the classes live in
//! `python/zignsec/errors.py`).

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};
use zignsec::{ErrorKind, WaitDetails};

use crate::models::{EmailSessionDetails, PhoneSessionDetails, SmsSessionDetails};

/// The Python class (in `zignsec.errors`) for each kind of the contract: an
/// exhaustive match, so a new core kind does not compile until it is mapped here.
pub(crate) fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Validation => "ValidationError",
        ErrorKind::Config => "ConfigError",
        ErrorKind::BadRequest => "BadRequestError",
        ErrorKind::Authentication => "AuthenticationError",
        ErrorKind::PermissionDenied => "PermissionDeniedError",
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::RateLimited => "RateLimitError",
        ErrorKind::Server => "ServerError",
        ErrorKind::HttpStatus => "APIStatusError",
        ErrorKind::Connection => "APIConnectionError",
        ErrorKind::Timeout => "APITimeoutError",
        ErrorKind::Decode => "ResponseDecodeError",
        ErrorKind::WaitTimeout => "WaitTimeoutError",
        ErrorKind::WebhookSignature => "WebhookSignatureError",
    }
}

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    MODULE
        .get_or_try_init(py, || py.import("zignsec.errors").map(Bound::unbind))
        .map(|m| m.bind(py))
}

fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    errors_module(py)?.getattr(name)
}

/// The exception object for a core error (to raise, or to hand to a Future).
pub(crate) fn to_exception<'py>(
    py: Python<'py>,
    err: &zignsec::Error,
) -> PyResult<Bound<'py, PyAny>> {
    // The classes' `__init__` is Python code, run from a Rust frame.
    let _inside = crate::lifecycle::enter_py(py);
    let kwargs = PyDict::new(py);
    kwargs.set_item("status", err.status())?;
    kwargs.set_item("code", err.gateway_code())?;
    kwargs.set_item("body", err.body())?;
    kwargs.set_item("request_id", err.request_id())?;
    kwargs.set_item("attempts", err.attempts())?;
    kwargs.set_item("maybe_sent", err.maybe_sent())?;
    match err.kind() {
        ErrorKind::Validation | ErrorKind::Config => kwargs.set_item("field", err.field())?,
        ErrorKind::RateLimited => {
            kwargs.set_item("retry_after", err.retry_after().map(|d| d.as_secs_f64()))?
        }
        ErrorKind::WaitTimeout => {
            let details = match err.wait_details() {
                Some(WaitDetails::Sms(d)) => {
                    Some(Bound::new(py, SmsSessionDetails::from(d.clone()))?.into_any())
                }
                Some(WaitDetails::Phone(d)) => {
                    Some(Bound::new(py, PhoneSessionDetails::from(d.clone()))?.into_any())
                }
                Some(WaitDetails::Email(d)) => {
                    Some(Bound::new(py, EmailSessionDetails::from(d.clone()))?.into_any())
                }
                None => None,
            };
            kwargs.set_item("details", details)?
        }
        _ => {}
    }
    class(py, class_name(err.kind()))?.call((err.message(),), Some(&kwargs))
}

/// A core error on its way to Python, or a Python error already made (a wrong
/// type): functions return `Result<T, PyZsErr>` so `?` maps both.
pub(crate) enum PyZsErr {
    Core(zignsec::Error),
    Py(PyErr),
}

impl From<zignsec::Error> for PyZsErr {
    fn from(e: zignsec::Error) -> Self {
        PyZsErr::Core(e)
    }
}

impl From<PyErr> for PyZsErr {
    fn from(e: PyErr) -> Self {
        PyZsErr::Py(e)
    }
}

impl From<PyZsErr> for PyErr {
    fn from(e: PyZsErr) -> PyErr {
        match e {
            PyZsErr::Py(e) => e,
            // Raised from a `#[pyfunction]`/`#[pymethods]` body: the thread is attached.
            PyZsErr::Core(e) => Python::attach(|py| to_pyerr(py, &e)),
        }
    }
}

/// A result whose error is either kind.
pub(crate) type ZsResult<T> = Result<T, PyZsErr>;

/// A core error as a `PyErr`, ready to raise.
pub(crate) fn to_pyerr(py: Python<'_>, err: &zignsec::Error) -> PyErr {
    match to_exception(py, err) {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// A `ConfigError` raised by the binding itself (a closed client): nothing was sent,
/// so a send says `maybe_sent=False`.
pub(crate) fn config(py: Python<'_>, message: &str, send: bool) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("attempts", 0)?;
        if send {
            kwargs.set_item("maybe_sent", false)?;
        }
        Ok(PyErr::from_value(
            class(py, "ConfigError")?.call((message,), Some(&kwargs))?,
        ))
    };
    make().unwrap_or_else(|e| e)
}

/// An `APIConnectionError` for a call whose task ended without an answer (its
/// client was closed while it ran). A send says `maybe_sent=True` once its task has
/// started (the request may be out), `False` with `attempts=0` if it never ran.
pub(crate) fn interrupted(py: Python<'_>, send: bool, started: bool) -> Bound<'_, PyAny> {
    let make = || -> PyResult<Bound<'_, PyAny>> {
        let kwargs = PyDict::new(py);
        if !started {
            kwargs.set_item("attempts", 0)?;
        }
        if send {
            kwargs.set_item("maybe_sent", started)?;
        }
        class(py, "APIConnectionError")?.call(
            ("the call ended without an answer: its client was closed while it ran",),
            Some(&kwargs),
        )
    };
    make().unwrap_or_else(|e| e.into_value(py).into_bound(py).into_any())
}

/// For the test suite: every core kind with its snake_case name and class name.
#[pyfunction]
pub(crate) fn _error_classes() -> Vec<(&'static str, &'static str)> {
    ErrorKind::ALL
        .iter()
        .map(|k| (k.as_str(), class_name(*k)))
        .collect()
}
