//! Python arguments to Rust values: the binding's own type checks (a wrong type is a
//! `TypeError` naming the parameter); every rule about values stays in the core.

use std::time::Duration;

use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyFloat, PyInt, PyString};

use crate::error;

/// The Python type name of `obj`, for messages.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_string())
}

fn type_error(func: &str, param: &str, expected: &str, obj: &Bound<'_, PyAny>) -> PyErr {
    PyTypeError::new_err(format!(
        "{func}() argument '{param}' must be {expected}, not {}",
        type_name(obj)
    ))
}

/// The arguments of one call: the function name for messages, and whether it sends
/// (validation errors of sends carry `maybe_sent=False`).
#[derive(Clone, Copy)]
pub(crate) struct Call {
    pub func: &'static str,
    pub send: bool,
}

impl Call {
    pub(crate) const fn new(func: &'static str) -> Call {
        Call { func, send: false }
    }
    pub(crate) const fn send(func: &'static str) -> Call {
        Call { func, send: true }
    }

    /// A `str` argument. `param` is the Python name, `field` the contract's name
    /// (they differ only for `from_` / `from`). A lone surrogate is a validation error.
    pub(crate) fn text(
        &self,
        obj: &Bound<'_, PyAny>,
        param: &str,
        field: &str,
    ) -> PyResult<String> {
        let s = obj
            .cast::<PyString>()
            .map_err(|_| type_error(self.func, param, "str", obj))?;
        match s.to_cow() {
            Ok(text) => Ok(text.into_owned()),
            Err(_) => Err(error::validation(
                obj.py(),
                field,
                "is not valid Unicode text (it holds a lone surrogate)",
                self.send,
            )),
        }
    }

    /// An optional `str` argument (`None` = absent).
    pub(crate) fn opt_text(
        &self,
        obj: Option<&Bound<'_, PyAny>>,
        param: &str,
        field: &str,
    ) -> PyResult<Option<String>> {
        match obj {
            None => Ok(None),
            Some(o) if o.is_none() => Ok(None),
            Some(o) => self
                .text(o, param, field)
                .map_err(|e| retype(o.py(), e, self.func, param, "str or None", o))
                .map(Some),
        }
    }

    /// An `int` argument (not `bool`), saturated to the `i64` range so the core's own
    /// range check rejects huge values.
    pub(crate) fn int(&self, obj: &Bound<'_, PyAny>, param: &str) -> PyResult<i64> {
        if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
            return Err(type_error(self.func, param, "int", obj));
        }
        match obj.extract::<i64>() {
            Ok(v) => Ok(v),
            Err(e) if e.is_instance_of::<PyOverflowError>(obj.py()) => {
                if obj.gt(0)? {
                    Ok(i64::MAX)
                } else {
                    Ok(i64::MIN)
                }
            }
            Err(e) => Err(e),
        }
    }

    /// `max_message_parts`: an `int` (saturated like [`Call::int`]), or a `float` checked
    /// by the core's rule for fractional input (`2.0` is 2, `1.5` a validation error).
    pub(crate) fn parts(&self, obj: &Bound<'_, PyAny>, param: &str) -> PyResult<i64> {
        if obj.is_instance_of::<PyFloat>() {
            let value = obj.extract::<f64>()?;
            return match zignsec::validate::max_message_parts_from_f64(value) {
                Ok(n) => Ok(i64::from(n)),
                Err(e) => Err(error::validation_of(obj.py(), &e, self.send)),
            };
        }
        if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
            return Err(type_error(self.func, param, "int", obj));
        }
        self.int(obj, param)
    }

    /// A number of seconds (`int` or `float`, not `bool`), as an `f64`; ints too large
    /// for a float become infinite, which the core then rejects.
    pub(crate) fn seconds(&self, obj: &Bound<'_, PyAny>, param: &str) -> PyResult<f64> {
        if obj.is_instance_of::<PyBool>()
            || !(obj.is_instance_of::<PyFloat>() || obj.is_instance_of::<PyInt>())
        {
            return Err(type_error(self.func, param, "int or float", obj));
        }
        match obj.extract::<f64>() {
            Ok(v) => Ok(v),
            Err(e) if e.is_instance_of::<PyOverflowError>(obj.py()) => {
                if obj.gt(0)? {
                    Ok(f64::INFINITY)
                } else {
                    Ok(f64::NEG_INFINITY)
                }
            }
            Err(e) => Err(e),
        }
    }

    /// An optional number of seconds (`None` = absent).
    pub(crate) fn opt_seconds(
        &self,
        obj: Option<&Bound<'_, PyAny>>,
        param: &str,
    ) -> PyResult<Option<f64>> {
        match obj {
            None => Ok(None),
            Some(o) if o.is_none() => Ok(None),
            Some(o) => self
                .seconds(o, param)
                .map_err(|e| retype(o.py(), e, self.func, param, "int, float or None", o))
                .map(Some),
        }
    }

    /// A `wait_*` duration: checked by the core's rule (a validation error naming `param`).
    pub(crate) fn wait_duration(&self, obj: &Bound<'_, PyAny>, param: &str) -> PyResult<Duration> {
        let secs = self.seconds(obj, param)?;
        error::check(obj.py(), zignsec::validate::seconds(param, secs))
    }

    /// A body given as `str` (its UTF-8 bytes) or bytes-like (`bytes`, `bytearray`,
    /// `memoryview`).
    pub(crate) fn body(&self, obj: &Bound<'_, PyAny>, param: &str) -> PyResult<Vec<u8>> {
        if obj.is_instance_of::<PyString>() {
            return self.text(obj, param, param).map(String::into_bytes);
        }
        if let Ok(b) = obj.cast::<PyBytes>() {
            return Ok(b.as_bytes().to_vec());
        }
        if let Ok(b) = obj.cast::<PyByteArray>() {
            return Ok(b.to_vec());
        }
        if obj.hasattr("__buffer__").unwrap_or(false) || type_name(obj) == "memoryview" {
            let bytes = obj.py().get_type::<PyBytes>().call1((obj,))?;
            if let Ok(b) = bytes.cast::<PyBytes>() {
                return Ok(b.as_bytes().to_vec());
            }
        }
        Err(type_error(self.func, param, "str or bytes", obj))
    }
}

/// Widen a `TypeError`'s expected-type wording for optional parameters; other
/// errors pass through.
fn retype(
    py: Python<'_>,
    err: PyErr,
    func: &str,
    param: &str,
    expected: &str,
    obj: &Bound<'_, PyAny>,
) -> PyErr {
    if err.is_instance_of::<PyTypeError>(py) {
        type_error(func, param, expected, obj)
    } else {
        err
    }
}
