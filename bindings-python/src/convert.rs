//! Python arguments to Rust values: the binding's own type checks (a wrong type is a
//! `TypeError` naming the parameter); every rule about values stays in the core.

use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyFloat, PyInt, PyString};
use zignsec::input::{Number, Span};

use crate::error::{PyZsErr, ZsResult};

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

/// The arguments of one call: the function name, for `TypeError` messages.
#[derive(Clone, Copy)]
pub(crate) struct Args {
    pub func: &'static str,
}

impl Args {
    pub(crate) const fn new(func: &'static str) -> Args {
        Args { func }
    }

    /// A `str` argument. `param` is the Python name, `field` the contract's name
    /// (they differ only for `from_` / `from`). A lone surrogate is the core's
    /// validation error for text that is not Unicode.
    pub(crate) fn text(
        &self,
        obj: &Bound<'_, PyAny>,
        param: &str,
        field: &str,
    ) -> ZsResult<String> {
        let s = obj
            .cast::<PyString>()
            .map_err(|_| type_error(self.func, param, "str", obj))?;
        match s.to_cow() {
            Ok(text) => Ok(text.into_owned()),
            Err(_) => Err(zignsec::input::not_unicode(self.func, field).into()),
        }
    }

    /// An optional `str` argument (`None` = absent).
    pub(crate) fn opt_text(
        &self,
        obj: Option<&Bound<'_, PyAny>>,
        param: &str,
        field: &str,
    ) -> ZsResult<Option<String>> {
        match obj {
            None => Ok(None),
            Some(o) if o.is_none() => Ok(None),
            Some(o) => match self.text(o, param, field) {
                Ok(t) => Ok(Some(t)),
                Err(PyZsErr::Py(e)) => {
                    Err(retype(o.py(), e, self.func, param, "str or None", o).into())
                }
                Err(e) => Err(e),
            },
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

    /// An optional `int` (`None` = absent) for the core's loose intake, saturated
    /// to `i64` (the core range-checks it and shows it as given).
    pub(crate) fn opt_whole(
        &self,
        obj: Option<&Bound<'_, PyAny>>,
        param: &str,
    ) -> PyResult<Option<Number>> {
        match obj.filter(|o| !o.is_none()) {
            None => Ok(None),
            Some(o) => self
                .int(o, param)
                .map(|n| Some(Number::Int(n)))
                .map_err(|e| retype(o.py(), e, self.func, param, "int or None", o)),
        }
    }

    /// A number (`int` or `float`, not `bool`) for the core's loose intake: ints
    /// saturated to `i64`, floats as they are (the core judges fractions, NaN, ±inf).
    pub(crate) fn number(&self, obj: &Bound<'_, PyAny>, param: &str) -> PyResult<Number> {
        if obj.is_instance_of::<PyFloat>() && !obj.is_instance_of::<PyBool>() {
            return Ok(Number::Float(obj.extract::<f64>()?));
        }
        if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
            return Err(type_error(self.func, param, "int or float", obj));
        }
        self.int(obj, param).map(Number::Int)
    }

    /// An optional number (`None` = absent).
    pub(crate) fn opt_number(
        &self,
        obj: Option<&Bound<'_, PyAny>>,
        param: &str,
    ) -> PyResult<Option<Number>> {
        match obj.filter(|o| !o.is_none()) {
            None => Ok(None),
            Some(o) => self
                .number(o, param)
                .map_err(|e| retype(o.py(), e, self.func, param, "int, float or None", o))
                .map(Some),
        }
    }

    /// An optional number of seconds (`None` = absent).
    pub(crate) fn opt_seconds(
        &self,
        obj: Option<&Bound<'_, PyAny>>,
        param: &str,
    ) -> PyResult<Option<Span>> {
        Ok(self.opt_number(obj, param)?.map(Span::Seconds))
    }

    /// A body given as `str` (its UTF-8 bytes) or bytes-like (`bytes`, `bytearray`,
    /// `memoryview`).
    pub(crate) fn body(&self, obj: &Bound<'_, PyAny>, param: &str) -> ZsResult<Vec<u8>> {
        self.bytes(obj, param, "str or bytes")
    }

    /// `str` (its UTF-8 bytes) or bytes-like, `expected` naming them for a `TypeError`.
    pub(crate) fn bytes(
        &self,
        obj: &Bound<'_, PyAny>,
        param: &str,
        expected: &str,
    ) -> ZsResult<Vec<u8>> {
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
        Err(type_error(self.func, param, expected, obj).into())
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
