//! Results as frozen classes: each field declared once, on a plain struct built
//! `From` the core's type; `to_dict()` and `__repr__` come from one serialisation
//! (serde → JSON → Python). Statuses are plain strings; `is_final` comes from the core.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3::IntoPyObjectExt;
use serde::Serialize;
use serde_json::Value;

/// JSON as plain Python objects (dict, list, str, int, float, bool, None).
pub(crate) fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_bound_py_any(py)?
            } else if let Some(u) = n.as_u64() {
                u.into_bound_py_any(py)?
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)?
            }
        }
        Value::String(s) => s.as_str().into_bound_py_any(py)?,
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

/// A JSON value held by a result (`raw`): a new `dict` on every access.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Json(pub Value);

/// A session's `raw`, kept as the gateway's text: parsed into a new `dict` on
/// every access, so a call whose `raw` is never read never builds one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct RawJson(pub zignsec::RawJson);

impl<'py> IntoPyObject<'py> for Json {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.0)
    }
}

impl<'py> IntoPyObject<'py> for &Json {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.0)
    }
}

impl<'py> IntoPyObject<'py> for &RawJson {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.0.to_value())
    }
}

/// The one serialisation behind `to_dict()` and `__repr__`.
fn to_json(value: &impl Serialize) -> PyResult<Value> {
    serde_json::to_value(value)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(format!("cannot serialise: {e}")))
}

fn to_dict<'py>(py: Python<'py>, value: &impl Serialize) -> PyResult<Bound<'py, PyAny>> {
    json_to_py(py, &to_json(value)?)
}

/// Keys whose values a `repr` never shows, at any depth (`raw` included): SMS text
/// (it may hold a one-time code) and OTP challenges. `to_dict()` and the attributes
/// keep the real values for the program.
const HIDDEN: &[&str] = &["message", "challenge"];
const HIDDEN_MARK: &str = "<hidden>";

fn hide(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if HIDDEN.contains(&k.as_str()) && !v.is_null() {
                    *v = Value::String(HIDDEN_MARK.to_string());
                } else {
                    hide(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(hide),
        _ => {}
    }
}

/// `Name(field=repr(value), ...)`, with the `HIDDEN` values left out.
fn repr_of(py: Python<'_>, name: &str, value: &impl Serialize) -> PyResult<String> {
    let mut json = to_json(value)?;
    hide(&mut json);
    let Value::Object(map) = json else {
        return Ok(format!("{name}()"));
    };
    let mut parts = Vec::with_capacity(map.len());
    for (k, v) in &map {
        let shown = match v {
            Value::String(s) if s == HIDDEN_MARK => s.clone(),
            _ => json_to_py(py, v)?.repr()?.to_cow()?.into_owned(),
        };
        parts.push(format!("{k}={shown}"));
    }
    Ok(format!("{name}({})", parts.join(", ")))
}

/// `to_dict()` and `__repr__` for each result class.
macro_rules! result_methods {
    ($($ty:ident;)*) => {$(
        #[pymethods]
        impl $ty {
            /// The attributes as a plain ``dict`` (nested results as dicts too).
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                to_dict(py, self)
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                repr_of(py, stringify!($ty), self)
            }
        }
    )*};
}

result_methods! {
    SmsSession;
    PhoneSession;
    EmailSession;
    SmsRequest;
    PhoneRequest;
    EmailRequestData;
    SessionError;
    SmsSessionDetails;
    PhoneSessionDetails;
    EmailSessionDetails;
    SmsParts;
    WebhookEvent;
    OtpCheck;
    OtpSend;
}

/// The answer to ``send_sms``: the new session's ``id`` and ``status``.
#[pyclass(frozen, get_all, eq, module = "zignsec")]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmsSession {
    /// The session id (a UUID).
    id: String,
    /// The status as the gateway spells it (usually ``"pending"``).
    status: Cow<'static, str>,
    /// Whether the status is final (``delivered`` or ``failed``).
    #[serde(skip)]
    is_final: bool,
}

impl From<zignsec::SmsSession> for SmsSession {
    fn from(s: zignsec::SmsSession) -> Self {
        SmsSession {
            is_final: s.status.is_final(),
            status: s.status.into_text(),
            id: s.id,
        }
    }
}

/// The answer to ``start_phone_verification``: the session ``id``, the hosted page
/// to send the user to (``redirect_url``) and the ``status``.
#[pyclass(frozen, get_all, eq, module = "zignsec")]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhoneSession {
    /// The session id (a UUID).
    id: String,
    /// The hosted page the user verifies their phone on.
    redirect_url: String,
    /// The status as the gateway spells it (usually ``"pending"`` or ``"created"``).
    status: Cow<'static, str>,
    /// Whether the status is final (``finished``, ``accepted``, ``failed``, ``cancelled``).
    #[serde(skip)]
    is_final: bool,
}

impl From<zignsec::PhoneSession> for PhoneSession {
    fn from(s: zignsec::PhoneSession) -> Self {
        PhoneSession {
            is_final: s.status.is_final(),
            status: s.status.into_text(),
            id: s.id,
            redirect_url: s.redirect_url,
        }
    }
}

/// The answer to ``start_email_verification``: the session ``id``, the hosted page
/// to send the user to (``redirect_url``) and the ``status``.
#[pyclass(frozen, get_all, eq, module = "zignsec")]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmailSession {
    /// The session id (a UUID).
    id: String,
    /// The hosted page the user verifies their address on.
    redirect_url: String,
    /// The status as the gateway spells it (usually ``"pending"`` or ``"created"``).
    status: Cow<'static, str>,
    /// Whether the status is final (``finished``, ``accepted``, ``failed``, ``cancelled``).
    #[serde(skip)]
    is_final: bool,
}

impl From<zignsec::EmailSession> for EmailSession {
    fn from(s: zignsec::EmailSession) -> Self {
        EmailSession {
            is_final: s.status.is_final(),
            status: s.status.into_text(),
            id: s.id,
            redirect_url: s.redirect_url,
        }
    }
}

/// What an SMS session was asked to do, as the gateway recorded it.
#[pyclass(frozen, get_all, eq, module = "zignsec")]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmsRequest {
    /// The sender (``from`` on the wire).
    from_: String,
    /// The recipient.
    to: String,
    /// The text.
    message: String,
    /// The part limit.
    max_message_parts: u32,
    /// Your own reference, echoed back.
    relay_state: Option<String>,
    /// The webhook URL.
    webhook: Option<String>,
}

impl From<zignsec::SmsRequestData> for SmsRequest {
    fn from(r: zignsec::SmsRequestData) -> Self {
        SmsRequest {
            from_: r.from,
            to: r.to,
            message: r.message,
            max_message_parts: r.max_message_parts,
            relay_state: r.relay_state,
            webhook: r.webhook,
        }
    }
}

/// What a phone verification was asked to do, as the gateway recorded it.
#[pyclass(frozen, get_all, eq, module = "zignsec")]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhoneRequest {
    /// The phone being verified.
    phone_number: String,
    /// The hosted page's language.
    locale: Option<String>,
    /// Where the user lands after success.
    redirect_success: Option<String>,
    /// Where the user lands after failure or cancel.
    redirect_failure: Option<String>,
    /// Your own reference, echoed back.
    relay_state: Option<String>,
    /// The webhook URL.
    webhook: Option<String>,
}

impl From<zignsec::PhoneRequestData> for PhoneRequest {
    fn from(r: zignsec::PhoneRequestData) -> Self {
        PhoneRequest {
            phone_number: r.phone_number,
            locale: r.locale,
            redirect_success: r.redirect_success,
            redirect_failure: r.redirect_failure,
            relay_state: r.relay_state,
            webhook: r.webhook,
        }
    }
}

/// What an email verification was asked to do, as the gateway recorded it.
#[pyclass(frozen, get_all, eq, module = "zignsec")]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmailRequestData {
    /// The address being verified.
    email_address: String,
    /// The hosted page's language.
    locale: Option<String>,
    /// Where the user lands after success.
    redirect_success: Option<String>,
    /// Where the user lands after failure or cancel.
    redirect_failure: Option<String>,
    /// Your own reference, echoed back.
    relay_state: Option<String>,
    /// The webhook URL.
    webhook: Option<String>,
}

impl From<zignsec::EmailRequestData> for EmailRequestData {
    fn from(r: zignsec::EmailRequestData) -> Self {
        EmailRequestData {
            email_address: r.email_address,
            locale: r.locale,
            redirect_success: r.redirect_success,
            redirect_failure: r.redirect_failure,
            relay_state: r.relay_state,
            webhook: r.webhook,
        }
    }
}

/// One reason a session reports in ``data.errors``: ``code`` and ``description``
/// (each ``""`` when the gateway left it out).
#[pyclass(frozen, get_all, eq, module = "zignsec")]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionError {
    /// The gateway's code.
    code: String,
    /// Its description.
    description: String,
}

impl From<zignsec::SessionError> for SessionError {
    fn from(e: zignsec::SessionError) -> Self {
        SessionError {
            code: e.code,
            description: e.description,
        }
    }
}

fn errors_of(errors: Vec<zignsec::SessionError>) -> Vec<SessionError> {
    errors.into_iter().map(SessionError::from).collect()
}

/// An SMS session read back: ``id``, ``status``, ``number_of_message_parts`` (once
/// known), the original ``request``, ``errors`` (``data.errors``) and ``raw`` (the
/// whole ``data`` object).
#[pyclass(frozen, get_all, eq, module = "zignsec")]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmsSessionDetails {
    /// The session id.
    id: String,
    /// The current status (``pending``, ``dispatched``, ``delivered``, ``failed``, or
    /// a newer one kept verbatim).
    status: Cow<'static, str>,
    /// The parts the message went out in, once known.
    number_of_message_parts: Option<u32>,
    /// The original request.
    request: SmsRequest,
    /// A failed session's reasons (empty when the gateway gave none).
    errors: Vec<SessionError>,
    /// The whole ``data`` object as the gateway sent it (a new ``dict`` on every access).
    raw: RawJson,
    /// Whether the status is final (``delivered`` or ``failed``).
    #[serde(skip)]
    is_final: bool,
}

impl From<zignsec::SmsSessionDetails> for SmsSessionDetails {
    fn from(d: zignsec::SmsSessionDetails) -> Self {
        SmsSessionDetails {
            is_final: d.status.is_final(),
            status: d.status.into_text(),
            id: d.id,
            number_of_message_parts: d.number_of_message_parts,
            request: d.request.into(),
            errors: errors_of(d.errors),
            raw: RawJson(d.raw),
        }
    }
}

/// A phone verification read back: ``id``, ``status``, ``phone_number``, the
/// original ``request``, ``errors`` and ``raw``.
#[pyclass(frozen, get_all, eq, module = "zignsec")]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhoneSessionDetails {
    /// The session id.
    id: String,
    /// The current status (``created``, ``pending``, ``finished``, ``accepted``,
    /// ``failed``, ``cancelled``, or a newer one kept verbatim).
    status: Cow<'static, str>,
    /// The phone being verified.
    phone_number: String,
    /// The original request.
    request: PhoneRequest,
    /// A failed session's reasons (empty when the gateway gave none).
    errors: Vec<SessionError>,
    /// The whole ``data`` object as the gateway sent it (a new ``dict`` on every access).
    raw: RawJson,
    /// Whether the status is final (``finished``, ``accepted``, ``failed``, ``cancelled``).
    #[serde(skip)]
    is_final: bool,
}

impl From<zignsec::PhoneSessionDetails> for PhoneSessionDetails {
    fn from(d: zignsec::PhoneSessionDetails) -> Self {
        PhoneSessionDetails {
            is_final: d.status.is_final(),
            status: d.status.into_text(),
            id: d.id,
            phone_number: d.phone_number,
            request: d.request.into(),
            errors: errors_of(d.errors),
            raw: RawJson(d.raw),
        }
    }
}

/// An email verification read back: ``id``, ``status``, ``email_address`` (when the
/// gateway names it), the original ``request``, ``errors`` and ``raw``.
#[pyclass(frozen, get_all, eq, module = "zignsec")]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmailSessionDetails {
    /// The session id.
    id: String,
    /// The current status (the phone flow's statuses, or a newer one kept verbatim).
    status: Cow<'static, str>,
    /// The address being verified, when the gateway names it.
    email_address: Option<String>,
    /// The original request.
    request: EmailRequestData,
    /// A failed session's reasons (empty when the gateway gave none).
    errors: Vec<SessionError>,
    /// The whole ``data`` object as the gateway sent it (a new ``dict`` on every access).
    raw: RawJson,
    /// Whether the status is final (``finished``, ``accepted``, ``failed``, ``cancelled``).
    #[serde(skip)]
    is_final: bool,
}

impl From<zignsec::EmailSessionDetails> for EmailSessionDetails {
    fn from(d: zignsec::EmailSessionDetails) -> Self {
        EmailSessionDetails {
            is_final: d.status.is_final(),
            status: d.status.into_text(),
            id: d.id,
            email_address: d.email_address,
            request: d.request.into(),
            errors: errors_of(d.errors),
            raw: RawJson(d.raw),
        }
    }
}

/// How a message splits into SMS parts: ``encoding`` (``"gsm7"`` or ``"ucs2"``),
/// ``parts``, ``units`` (septets or UTF-16 units) and ``units_per_part``.
#[pyclass(frozen, get_all, eq, module = "zignsec")]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmsParts {
    /// ``"gsm7"`` or ``"ucs2"``.
    encoding: &'static str,
    /// Parts on the wire (0 for an empty message).
    parts: u32,
    /// Septets (GSM-7) or UTF-16 units (UCS-2) in the whole message.
    units: u32,
    /// The capacity of one part: 160 or 153 (GSM-7), 70 or 67 (UCS-2).
    units_per_part: u32,
}

impl From<zignsec::SmsParts> for SmsParts {
    fn from(p: zignsec::SmsParts) -> Self {
        SmsParts {
            encoding: p.encoding.as_str(),
            parts: p.parts,
            units: p.units,
            units_per_part: p.units_per_part,
        }
    }
}

/// A session status change the gateway POSTed to your webhook: ``event``, ``id``,
/// ``integration_id``, ``relay_state``, ``status``, ``number_of_message_parts`` and
/// the whole body as ``raw``.
#[pyclass(frozen, get_all, eq, module = "zignsec")]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebhookEvent {
    /// The event name as sent (``"session_finished"``; empty when the body has none).
    event: String,
    /// The session id.
    id: String,
    /// The integration the session belongs to (``"Zignsec.v5.SMS"``).
    integration_id: Option<String>,
    /// Your ``relay_state``, echoed.
    relay_state: Option<String>,
    /// The session status (read from ``status`` or ``result.status``).
    status: String,
    /// For SMS sessions: the parts the message went out in.
    number_of_message_parts: Option<u32>,
    /// The whole body, parsed from JSON (a new ``dict`` on every access).
    raw: Json,
}

impl From<zignsec::WebhookEvent> for WebhookEvent {
    fn from(e: zignsec::WebhookEvent) -> Self {
        WebhookEvent {
            event: e.event,
            id: e.id,
            integration_id: e.integration_id,
            relay_state: e.relay_state,
            status: e.status,
            number_of_message_parts: e.number_of_message_parts,
            raw: Json(e.raw),
        }
    }
}

/// The outcome of ``Otp.check``: ``ok``, ``reason`` (``"ok"``, ``"wrong_code"``,
/// ``"expired"``, ``"too_many_attempts"``, ``"used"`` or ``"invalid"``), the
/// ``challenge`` to store back in place of the one checked, and ``attempts_left``.
/// Its ``repr`` hides the challenge.
#[pyclass(frozen, get_all, eq, module = "zignsec")]
#[derive(Clone, PartialEq, Serialize)]
pub struct OtpCheck {
    /// Whether the code was right.
    ok: bool,
    /// Why: one of the six reasons.
    reason: &'static str,
    /// The challenge to store back: it counts this attempt, and after ``ok`` it is spent.
    challenge: String,
    /// Further checks that could still pass.
    attempts_left: u32,
}

impl From<zignsec::otp::OtpCheck> for OtpCheck {
    fn from(c: zignsec::otp::OtpCheck) -> Self {
        OtpCheck {
            ok: c.ok,
            reason: c.reason.as_str(),
            challenge: c.challenge,
            attempts_left: c.attempts_left,
        }
    }
}

/// The answer to ``send_otp``: the SMS ``session`` that carries the code and the
/// ``challenge`` to store server-side for ``Otp.check``. The code itself is never
/// returned; the ``repr`` hides the challenge.
#[pyclass(frozen, get_all, eq, module = "zignsec")]
#[derive(Clone, PartialEq, Serialize)]
pub struct OtpSend {
    /// The SMS session.
    session: SmsSession,
    /// The challenge to store.
    challenge: String,
}

impl From<zignsec::otp::OtpSend> for OtpSend {
    fn from(s: zignsec::otp::OtpSend) -> Self {
        OtpSend {
            session: s.session.into(),
            challenge: s.challenge,
        }
    }
}

// Debug (for Rust-side logs) never shows a challenge either.
impl std::fmt::Debug for OtpCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtpCheck")
            .field("ok", &self.ok)
            .field("reason", &self.reason)
            .field("attempts_left", &self.attempts_left)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for OtpSend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtpSend")
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}
