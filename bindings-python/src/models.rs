//! Results as frozen classes: typed read-only attributes, `__repr__`, `__eq__`,
//! `to_dict()`. Statuses are plain strings; `is_final` comes from the core.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3::IntoPyObjectExt;
use serde_json::Value;

/// Attribute name and value, in declaration order.
type Fields<'py> = Vec<(&'static str, Bound<'py, PyAny>)>;

fn obj<'py, T>(py: Python<'py>, value: T) -> PyResult<Bound<'py, PyAny>>
where
    T: IntoPyObject<'py>,
{
    value.into_bound_py_any(py)
}

fn repr_of(name: &str, fields: &Fields<'_>) -> PyResult<String> {
    let mut parts = Vec::with_capacity(fields.len());
    for (k, v) in fields {
        parts.push(format!("{k}={}", v.repr()?.to_cow()?));
    }
    Ok(format!("{name}({})", parts.join(", ")))
}

fn dict_of<'py>(py: Python<'py>, fields: Fields<'py>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in fields {
        // Nested results become dicts too.
        let v = if v.hasattr("to_dict")? {
            v.call_method0("to_dict")?
        } else {
            v
        };
        d.set_item(k, v)?;
    }
    Ok(d)
}

/// JSON as plain Python objects (dict, list, str, int, float, bool, None).
pub(crate) fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => obj(py, *b)?,
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                obj(py, i)?
            } else if let Some(u) = n.as_u64() {
                obj(py, u)?
            } else {
                obj(py, n.as_f64().unwrap_or(f64::NAN))?
            }
        }
        Value::String(s) => obj(py, s.as_str())?,
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let d = PyDict::new(py);
            for (k, v) in map {
                d.set_item(k, json_to_py(py, v)?)?;
            }
            d.into_any()
        }
    })
}

/// The answer to ``send_sms``: the new session's ``id`` and ``status``.
#[pyclass(frozen, eq, module = "zignsec", name = "SmsSession")]
#[derive(Debug, Clone, PartialEq)]
pub struct SmsSession(pub zignsec::SmsSession);

#[pymethods]
impl SmsSession {
    /// The session id (a UUID).
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    /// The status as the gateway spells it (usually ``"pending"``).
    #[getter]
    fn status(&self) -> &str {
        self.0.status.as_str()
    }
    /// Whether the status is final (``delivered`` or ``failed``).
    #[getter]
    fn is_final(&self) -> bool {
        self.0.status.is_final()
    }

    /// The attributes as a plain ``dict`` (nested results as dicts too).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        dict_of(py, self.fields(py)?)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        repr_of("SmsSession", &self.fields(py)?)
    }
}

impl SmsSession {
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Fields<'py>> {
        Ok(vec![
            ("id", obj(py, self.id())?),
            ("status", obj(py, self.status())?),
        ])
    }
}

/// The answer to ``start_phone_verification``: the session ``id``, the hosted page
/// to send the user to (``redirect_url``) and the ``status``.
#[pyclass(frozen, eq, module = "zignsec", name = "PhoneSession")]
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneSession(pub zignsec::PhoneSession);

#[pymethods]
impl PhoneSession {
    /// The session id (a UUID).
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    /// The hosted page the user verifies their phone on.
    #[getter]
    fn redirect_url(&self) -> &str {
        &self.0.redirect_url
    }
    /// The status as the gateway spells it (usually ``"pending"`` or ``"created"``).
    #[getter]
    fn status(&self) -> &str {
        self.0.status.as_str()
    }
    /// Whether the status is final (``finished``, ``accepted``, ``failed``, ``cancelled``).
    #[getter]
    fn is_final(&self) -> bool {
        self.0.status.is_final()
    }

    /// The attributes as a plain ``dict`` (nested results as dicts too).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        dict_of(py, self.fields(py)?)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        repr_of("PhoneSession", &self.fields(py)?)
    }
}

impl PhoneSession {
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Fields<'py>> {
        Ok(vec![
            ("id", obj(py, self.id())?),
            ("redirect_url", obj(py, self.redirect_url())?),
            ("status", obj(py, self.status())?),
        ])
    }
}

/// What an SMS session was asked to do, as the gateway recorded it.
#[pyclass(frozen, eq, module = "zignsec", name = "SmsRequest")]
#[derive(Debug, Clone, PartialEq)]
pub struct SmsRequest(pub zignsec::SmsRequestData);

#[pymethods]
impl SmsRequest {
    /// The sender (``from`` on the wire).
    #[getter]
    fn from_(&self) -> &str {
        &self.0.from
    }
    /// The recipient.
    #[getter]
    fn to(&self) -> &str {
        &self.0.to
    }
    /// The text.
    #[getter]
    fn message(&self) -> &str {
        &self.0.message
    }
    /// The part limit.
    #[getter]
    fn max_message_parts(&self) -> u32 {
        self.0.max_message_parts
    }
    /// Your own reference, echoed back.
    #[getter]
    fn relay_state(&self) -> Option<&str> {
        self.0.relay_state.as_deref()
    }
    /// The webhook URL.
    #[getter]
    fn webhook(&self) -> Option<&str> {
        self.0.webhook.as_deref()
    }

    /// The attributes as a plain ``dict`` (nested results as dicts too).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        dict_of(py, self.fields(py)?)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        repr_of("SmsRequest", &self.fields(py)?)
    }
}

impl SmsRequest {
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Fields<'py>> {
        Ok(vec![
            ("from_", obj(py, self.from_())?),
            ("to", obj(py, self.to())?),
            ("message", obj(py, self.message())?),
            ("max_message_parts", obj(py, self.max_message_parts())?),
            ("relay_state", obj(py, self.relay_state())?),
            ("webhook", obj(py, self.webhook())?),
        ])
    }
}

/// An SMS session read back: ``id``, ``status``, ``number_of_message_parts`` (once
/// known) and the original ``request``.
#[pyclass(frozen, eq, module = "zignsec", name = "SmsSessionDetails")]
#[derive(Debug, Clone, PartialEq)]
pub struct SmsSessionDetails(pub zignsec::SmsSessionDetails);

impl From<zignsec::SmsSessionDetails> for SmsSessionDetails {
    fn from(d: zignsec::SmsSessionDetails) -> Self {
        SmsSessionDetails(d)
    }
}

#[pymethods]
impl SmsSessionDetails {
    /// The session id.
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    /// The current status (``pending``, ``dispatched``, ``delivered``, ``failed``, or
    /// a newer one kept verbatim).
    #[getter]
    fn status(&self) -> &str {
        self.0.status.as_str()
    }
    /// Whether the status is final (``delivered`` or ``failed``).
    #[getter]
    fn is_final(&self) -> bool {
        self.0.status.is_final()
    }
    /// The parts the message went out in, once known.
    #[getter]
    fn number_of_message_parts(&self) -> Option<u32> {
        self.0.number_of_message_parts
    }
    /// The original request.
    #[getter]
    fn request(&self) -> SmsRequest {
        SmsRequest(self.0.request.clone())
    }

    /// The attributes as a plain ``dict`` (nested results as dicts too).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        dict_of(py, self.fields(py)?)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        repr_of("SmsSessionDetails", &self.fields(py)?)
    }
}

impl SmsSessionDetails {
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Fields<'py>> {
        Ok(vec![
            ("id", obj(py, self.id())?),
            ("status", obj(py, self.status())?),
            (
                "number_of_message_parts",
                obj(py, self.number_of_message_parts())?,
            ),
            ("request", Bound::new(py, self.request())?.into_any()),
        ])
    }
}

/// What a phone verification was asked to do, as the gateway recorded it.
#[pyclass(frozen, eq, module = "zignsec", name = "PhoneRequest")]
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneRequest(pub zignsec::PhoneRequestData);

#[pymethods]
impl PhoneRequest {
    /// The phone being verified.
    #[getter]
    fn phone_number(&self) -> &str {
        &self.0.phone_number
    }
    /// The hosted page's language.
    #[getter]
    fn locale(&self) -> Option<&str> {
        self.0.locale.as_deref()
    }
    /// Where the user lands after success.
    #[getter]
    fn redirect_success(&self) -> Option<&str> {
        self.0.redirect_success.as_deref()
    }
    /// Where the user lands after failure or cancel.
    #[getter]
    fn redirect_failure(&self) -> Option<&str> {
        self.0.redirect_failure.as_deref()
    }
    /// Your own reference, echoed back.
    #[getter]
    fn relay_state(&self) -> Option<&str> {
        self.0.relay_state.as_deref()
    }
    /// The webhook URL.
    #[getter]
    fn webhook(&self) -> Option<&str> {
        self.0.webhook.as_deref()
    }

    /// The attributes as a plain ``dict`` (nested results as dicts too).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        dict_of(py, self.fields(py)?)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        repr_of("PhoneRequest", &self.fields(py)?)
    }
}

impl PhoneRequest {
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Fields<'py>> {
        Ok(vec![
            ("phone_number", obj(py, self.phone_number())?),
            ("locale", obj(py, self.locale())?),
            ("redirect_success", obj(py, self.redirect_success())?),
            ("redirect_failure", obj(py, self.redirect_failure())?),
            ("relay_state", obj(py, self.relay_state())?),
            ("webhook", obj(py, self.webhook())?),
        ])
    }
}

/// A phone verification read back: ``id``, ``status``, ``phone_number`` and the
/// original ``request``.
#[pyclass(frozen, eq, module = "zignsec", name = "PhoneSessionDetails")]
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneSessionDetails(pub zignsec::PhoneSessionDetails);

impl From<zignsec::PhoneSessionDetails> for PhoneSessionDetails {
    fn from(d: zignsec::PhoneSessionDetails) -> Self {
        PhoneSessionDetails(d)
    }
}

#[pymethods]
impl PhoneSessionDetails {
    /// The session id.
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    /// The current status (``created``, ``pending``, ``finished``, ``accepted``,
    /// ``failed``, ``cancelled``, or a newer one kept verbatim).
    #[getter]
    fn status(&self) -> &str {
        self.0.status.as_str()
    }
    /// Whether the status is final (``finished``, ``accepted``, ``failed``, ``cancelled``).
    #[getter]
    fn is_final(&self) -> bool {
        self.0.status.is_final()
    }
    /// The phone being verified.
    #[getter]
    fn phone_number(&self) -> &str {
        &self.0.phone_number
    }
    /// The original request.
    #[getter]
    fn request(&self) -> PhoneRequest {
        PhoneRequest(self.0.request.clone())
    }

    /// The attributes as a plain ``dict`` (nested results as dicts too).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        dict_of(py, self.fields(py)?)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        repr_of("PhoneSessionDetails", &self.fields(py)?)
    }
}

impl PhoneSessionDetails {
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Fields<'py>> {
        Ok(vec![
            ("id", obj(py, self.id())?),
            ("status", obj(py, self.status())?),
            ("phone_number", obj(py, self.phone_number())?),
            ("request", Bound::new(py, self.request())?.into_any()),
        ])
    }
}

/// How a message splits into SMS parts: ``encoding`` (``"gsm7"`` or ``"ucs2"``),
/// ``parts``, ``units`` (septets or UTF-16 units) and ``units_per_part``.
#[pyclass(frozen, eq, module = "zignsec", name = "SmsParts")]
#[derive(Debug, Clone, PartialEq)]
pub struct SmsParts(pub zignsec::SmsParts);

#[pymethods]
impl SmsParts {
    /// ``"gsm7"`` or ``"ucs2"``.
    #[getter]
    fn encoding(&self) -> &'static str {
        self.0.encoding.as_str()
    }
    /// Parts on the wire (0 for an empty message).
    #[getter]
    fn parts(&self) -> u32 {
        self.0.parts
    }
    /// Septets (GSM-7) or UTF-16 units (UCS-2) in the whole message.
    #[getter]
    fn units(&self) -> u32 {
        self.0.units
    }
    /// The capacity of one part: 160 or 153 (GSM-7), 70 or 67 (UCS-2).
    #[getter]
    fn units_per_part(&self) -> u32 {
        self.0.units_per_part
    }

    /// The attributes as a plain ``dict`` (nested results as dicts too).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        dict_of(py, self.fields(py)?)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        repr_of("SmsParts", &self.fields(py)?)
    }
}

impl SmsParts {
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Fields<'py>> {
        Ok(vec![
            ("encoding", obj(py, self.encoding())?),
            ("parts", obj(py, self.parts())?),
            ("units", obj(py, self.units())?),
            ("units_per_part", obj(py, self.units_per_part())?),
        ])
    }
}

/// A session status change the gateway POSTed to your webhook: ``event``, ``id``,
/// ``integration_id``, ``relay_state``, ``status``, ``number_of_message_parts`` and
/// the whole body as ``raw``.
#[pyclass(frozen, eq, module = "zignsec", name = "WebhookEvent")]
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent(pub zignsec::WebhookEvent);

#[pymethods]
impl WebhookEvent {
    /// The event name (``"status_changed"``; empty when the body has none).
    #[getter]
    fn event(&self) -> &str {
        &self.0.event
    }
    /// The session id.
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    /// The integration the session belongs to.
    #[getter]
    fn integration_id(&self) -> Option<&str> {
        self.0.integration_id.as_deref()
    }
    /// Your ``relay_state``, echoed.
    #[getter]
    fn relay_state(&self) -> Option<&str> {
        self.0.relay_state.as_deref()
    }
    /// The session status (read from ``status`` or ``result.status``).
    #[getter]
    fn status(&self) -> &str {
        &self.0.status
    }
    /// For SMS sessions: the parts the message went out in.
    #[getter]
    fn number_of_message_parts(&self) -> Option<u32> {
        self.0.number_of_message_parts
    }
    /// The whole body, parsed from JSON (a new ``dict`` on every access).
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.0.raw)
    }

    /// The attributes as a plain ``dict`` (nested results as dicts too).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        dict_of(py, self.fields(py)?)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        repr_of("WebhookEvent", &self.fields(py)?)
    }
}

impl WebhookEvent {
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Fields<'py>> {
        Ok(vec![
            ("event", obj(py, self.event())?),
            ("id", obj(py, self.id())?),
            ("integration_id", obj(py, self.integration_id())?),
            ("relay_state", obj(py, self.relay_state())?),
            ("status", obj(py, self.status())?),
            (
                "number_of_message_parts",
                obj(py, self.number_of_message_parts())?,
            ),
            ("raw", self.raw(py)?),
        ])
    }
}
