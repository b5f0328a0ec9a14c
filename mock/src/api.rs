//! The gateway's own endpoints, with its validation, status codes and error bodies.

// Helpers return `Err(Response)` so handlers can answer an error as it is found;
// the size of `Response` does not matter on this path.
#![allow(clippy::result_large_err)]

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::auth;
use crate::state::{now_unix_ms, App, Kind, Session};
use crate::MAX_BODY_BYTES;

/// A gateway error body: `{"errors":[{"code","description"}]}`.
pub(crate) fn error(status: StatusCode, code: &str, description: impl Into<String>) -> Response {
    errors(status, code, vec![description.into()])
}

/// One error entry per description, all with the same code.
pub(crate) fn errors(status: StatusCode, code: &str, descriptions: Vec<String>) -> Response {
    let items: Vec<Value> = descriptions
        .into_iter()
        .map(|d| json!({ "code": code, "description": d }))
        .collect();
    (status, axum::Json(json!({ "errors": items }))).into_response()
}

pub(crate) fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such resource on this gateway",
    )
}

pub(crate) fn method_not_allowed() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this method is not allowed on this path",
    )
}

fn session_not_found(id: &str) -> Response {
    let shown: String = id.chars().take(64).collect();
    error(
        StatusCode::NOT_FOUND,
        "session_not_found",
        format!("session {shown:?} does not exist"),
    )
}

/// The `{id}` path segment, percent-decoded; empty when it cannot be decoded
/// (so it matches no session and the handler answers its own 404, never
/// axum's plain-text rejection).
#[derive(Debug)]
pub(crate) struct Id(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let id = Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| id)
            .unwrap_or_default();
        Ok(Id(id))
    }
}

/// Bodies over the limit are still read (and thrown away) up to this size
/// before the 413, so a client that writes its whole body before reading sees
/// the 413 rather than a reset connection.
const DRAIN_LIMIT: u64 = 16 * 1024 * 1024;

/// Read a request body, up to [`MAX_BODY_BYTES`] (413 beyond), within
/// `deadline` (408 after, so a client trickling its body cannot hold a task
/// and a socket forever).
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Body,
    deadline: Duration,
) -> Result<Bytes, Response> {
    match tokio::time::timeout(deadline, read_all(headers, body)).await {
        Ok(result) => result,
        Err(_) => Err(body_timeout(deadline)),
    }
}

fn body_timeout(deadline: Duration) -> Response {
    let mut response = error(
        StatusCode::REQUEST_TIMEOUT,
        "request_timeout",
        format!(
            "the request body did not arrive within {} ms",
            deadline.as_millis()
        ),
    );
    // The rest of the body may still be on its way: never reuse this connection.
    response.headers_mut().insert(
        header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    response
}

async fn read_all(headers: &HeaderMap, mut body: Body) -> Result<Bytes, Response> {
    use hyper::body::Body as _;
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("request body is larger than {MAX_BODY_BYTES} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > DRAIN_LIMIT) {
        return Err(too_large());
    }
    let mut kept = Vec::new();
    let mut total: u64 = 0;
    loop {
        let frame = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await;
        let Some(frame) = frame else { break };
        let Ok(frame) = frame else {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "the request body could not be read",
            ));
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        total += data.len() as u64;
        if total > DRAIN_LIMIT {
            return Err(too_large());
        }
        if total <= MAX_BODY_BYTES as u64 {
            kept.extend_from_slice(&data);
        }
    }
    if total > MAX_BODY_BYTES as u64 {
        return Err(too_large());
    }
    Ok(Bytes::from(kept))
}

/// Check the key, then the JSON content type, and parse the body as a JSON
/// object. The body is read (bounded) even when the request is refused, so the
/// client always gets to read the answer on an intact connection.
async fn authorized_json(
    app: &App,
    headers: &HeaderMap,
    body: Body,
) -> Result<Map<String, Value>, Response> {
    let auth = auth::check(app, headers);
    let bytes = read_body(headers, body, app.config.body_read_timeout).await;
    auth?;
    let bytes = bytes?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime != "application/json" {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "unsupported_content_type",
            format!("Content-Type must be application/json, got {content_type:?}"),
        ));
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "request body must be a JSON object",
        )),
        Err(e) => Err(error(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("request body is not valid JSON: {e}"),
        )),
    }
}

/// Collects validation failures and the request as recorded.
struct Check {
    errors: Vec<String>,
}

impl Check {
    fn fail(&mut self, e: zignsec::Error) {
        self.errors.push(e.message().to_string());
    }

    /// A string field: `Ok(None)` when absent or null.
    fn string<'a>(
        &mut self,
        obj: &'a Map<String, Value>,
        key: &str,
        field: &str,
        required: bool,
    ) -> Option<&'a str> {
        match obj.get(key) {
            Some(Value::String(s)) => Some(s),
            None | Some(Value::Null) => {
                if required {
                    self.errors.push(format!("{field}: is required"));
                }
                None
            }
            Some(_) => {
                self.errors.push(format!("{field}: must be a string"));
                None
            }
        }
    }

    fn metadata<'a>(&mut self, body: &'a Map<String, Value>) -> Option<&'a Map<String, Value>> {
        match body.get("metadata") {
            Some(Value::Object(m)) => Some(m),
            None | Some(Value::Null) => {
                self.errors.push("metadata: is required".to_string());
                None
            }
            Some(_) => {
                self.errors.push("metadata: must be an object".to_string());
                None
            }
        }
    }

    /// `relay_state` and `webhook`, recorded into `out` when given.
    fn common(&mut self, body: &Map<String, Value>, out: &mut Map<String, Value>) {
        if let Some(r) = self.string(body, "relay_state", "relay_state", false) {
            match zignsec::validate::relay_state(r) {
                Ok(()) => {
                    out.insert("relay_state".into(), json!(r));
                }
                Err(e) => self.fail(e),
            }
        }
        self.url(body, "webhook", false, out);
    }

    /// The optional `x-csrf-token` header, checked.
    fn csrf_token(&mut self, headers: &HeaderMap) -> Option<String> {
        match headers.get("x-csrf-token").map(|v| v.to_str()) {
            None => None,
            Some(Ok(t)) => match zignsec::validate::csrf_token(t) {
                Ok(()) => Some(t.to_string()),
                Err(e) => {
                    self.fail(e);
                    None
                }
            },
            Some(Err(_)) => {
                self.errors
                    .push("csrf_token: must be visible ASCII characters".into());
                None
            }
        }
    }

    fn locale(&mut self, body: &Map<String, Value>, required: bool, out: &mut Map<String, Value>) {
        if let Some(locale) = self.string(body, "locale", "locale", required) {
            match zignsec::validate::locale(locale) {
                Ok(()) => {
                    out.insert("locale".into(), json!(locale));
                }
                Err(e) => self.fail(e),
            }
        }
    }

    fn url(
        &mut self,
        body: &Map<String, Value>,
        key: &str,
        required: bool,
        out: &mut Map<String, Value>,
    ) {
        if let Some(u) = self.string(body, key, key, required) {
            match zignsec::validate::callback_url(key, u) {
                Ok(_) => {
                    out.insert(key.into(), json!(u));
                }
                Err(e) => self.fail(e),
            }
        }
    }

    fn result(self) -> Result<(), Response> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(errors(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                self.errors,
            ))
        }
    }
}

fn new_session(kind: Kind, status: &str, request: Map<String, Value>) -> Session {
    let str_of = |k: &str| request.get(k).and_then(Value::as_str).map(str::to_string);
    Session {
        id: uuid::Uuid::new_v4().to_string(),
        kind,
        status: status.to_string(),
        relay_state: str_of("relay_state"),
        webhook: str_of("webhook"),
        redirect_success: str_of("redirect_success"),
        redirect_failure: str_of("redirect_failure"),
        request: Value::Object(request),
        number_of_message_parts: None,
        phone_number: None,
        email_address: None,
        errors: Vec::new(),
        redirect_url: None,
        csrf_token: None,
        last_code: None,
        codes_sent: 0,
        wrong_codes: 0,
        auto: false,
        created_at_ms: now_unix_ms(),
        deliveries: Vec::new(),
        webhook_tx: None,
    }
}

/// `POST /core/api/sessions/two_factor_auth/sms`
pub(crate) async fn create_sms(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = match authorized_json(&app, &headers, body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut check = Check { errors: Vec::new() };
    let mut request = Map::new();
    let mut metadata_out = Map::new();
    let mut parts = None;
    let mut to_out = None;
    if let Some(metadata) = check.metadata(&body) {
        let from = check.string(metadata, "from", "from", true);
        let to = check.string(metadata, "to", "to", true);
        let message = check.string(metadata, "message", "message", true);
        let max_parts = match metadata.get("max_message_parts") {
            None | Some(Value::Null) => {
                check.errors.push("max_message_parts: is required".into());
                None
            }
            Some(Value::Number(n)) => {
                // A JSON number that is not an i64 (a fraction, or huge) is never a
                // whole part count.
                let whole = n.as_i64().or_else(|| {
                    zignsec::input::Number::Float(n.as_f64().unwrap_or(f64::NAN)).whole()
                });
                let r = match whole {
                    Some(i) => zignsec::validate::max_message_parts(i),
                    None => Err(zignsec::Error::validation(
                        "max_message_parts",
                        format!(
                            "must be a whole number from 1 to {}",
                            zignsec::validate::MAX_MESSAGE_PARTS
                        ),
                    )),
                };
                r.map_err(|e| check.fail(e)).ok()
            }
            Some(_) => {
                check
                    .errors
                    .push("max_message_parts: must be an integer from 1 to 10".into());
                None
            }
        };
        if let Some(from) = from {
            match zignsec::validate::sender("from", from) {
                Ok(()) => {
                    metadata_out.insert("from".into(), json!(from));
                }
                Err(e) => check.fail(e),
            }
        }
        if let Some(to) = to {
            match zignsec::validate::e164("to", to) {
                Ok(()) => {
                    metadata_out.insert("to".into(), json!(to));
                    to_out = Some(to.to_string());
                }
                Err(e) => check.fail(e),
            }
        }
        if let Some(message) = message {
            let limit = max_parts.unwrap_or(zignsec::validate::MAX_MESSAGE_PARTS as u32);
            match zignsec::validate::message(message, limit) {
                Ok(()) => {
                    metadata_out.insert("message".into(), json!(message));
                    parts = zignsec::sms_parts(message).ok().map(|p| p.parts);
                }
                Err(e) => check.fail(e),
            }
        }
        if let Some(m) = max_parts {
            metadata_out.insert("max_message_parts".into(), json!(m));
        }
    }
    request.insert("metadata".into(), Value::Object(metadata_out));
    check.common(&body, &mut request);
    if let Err(r) = check.result() {
        return r;
    }
    let mut session = new_session(Kind::Sms, "pending", request);
    session.number_of_message_parts = parts;
    session.auto = true;
    let fails = to_out.as_deref().is_some_and(|t| t.ends_with("0000"));
    let id = session.id.clone();
    app.insert_session(session);
    spawn_sms_progress(Arc::clone(&app), id.clone(), fails);
    created(&app, json!({ "data": { "id": id, "status": "pending" } }))
}

fn spawn_sms_progress(app: Arc<App>, id: String, fails: bool) {
    let total = app.config.sms_delivery;
    let half = total / 2;
    tokio::spawn(async move {
        tokio::time::sleep(half).await;
        if !app.auto_advance(&id, "dispatched") {
            return;
        }
        tokio::time::sleep(total.saturating_sub(half)).await;
        app.auto_advance(&id, if fails { "failed" } else { "delivered" });
    });
}

/// `POST /core/api/sessions/two_factor_auth/phone`
pub(crate) async fn create_phone(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = match authorized_json(&app, &headers, body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut check = Check { errors: Vec::new() };
    let csrf = check.csrf_token(&headers);
    let mut request = Map::new();
    check.locale(&body, false, &mut request);
    let mut phone = None;
    let mut metadata_out = Map::new();
    if let Some(metadata) = check.metadata(&body) {
        if let Some(p) = check.string(metadata, "phone_number", "phone_number", true) {
            match zignsec::validate::e164("phone_number", p) {
                Ok(()) => {
                    metadata_out.insert("phone_number".into(), json!(p));
                    phone = Some(p.to_string());
                }
                Err(e) => check.fail(e),
            }
        }
    }
    request.insert("metadata".into(), Value::Object(metadata_out));
    check.url(&body, "redirect_success", false, &mut request);
    check.url(&body, "redirect_failure", false, &mut request);
    check.common(&body, &mut request);
    if let Err(r) = check.result() {
        return r;
    }
    let mut session = new_session(Kind::Phone, "pending", request);
    session.phone_number = phone;
    start_verification(&app, session, csrf)
}

/// `POST /core/api/sessions/two_factor_auth/email`: as phone, but `locale`
/// and both redirects are required.
pub(crate) async fn create_email(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = match authorized_json(&app, &headers, body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut check = Check { errors: Vec::new() };
    let csrf = check.csrf_token(&headers);
    let mut request = Map::new();
    check.locale(&body, true, &mut request);
    let mut address = None;
    let mut metadata_out = Map::new();
    if let Some(metadata) = check.metadata(&body) {
        if let Some(a) = check.string(metadata, "email_address", "email_address", true) {
            match crate::email::check_address(a) {
                Ok(()) => {
                    metadata_out.insert("email_address".into(), json!(a));
                    address = Some(a.to_string());
                }
                Err(e) => check.errors.push(e),
            }
        }
    }
    request.insert("metadata".into(), Value::Object(metadata_out));
    check.url(&body, "redirect_success", true, &mut request);
    check.url(&body, "redirect_failure", true, &mut request);
    check.common(&body, &mut request);
    if let Err(r) = check.result() {
        return r;
    }
    let mut session = new_session(Kind::Email, "pending", request);
    session.email_address = address;
    start_verification(&app, session, csrf)
}

/// Store a phone or email session and answer with its hosted page.
fn start_verification(app: &Arc<App>, mut session: Session, csrf: Option<String>) -> Response {
    let redirect_url = format!(
        "{}/2fa-ui/2fa/{}/{}",
        app.base_url,
        session.kind.as_str(),
        session.id
    );
    session.csrf_token = csrf;
    session.redirect_url = Some(redirect_url.clone());
    let id = session.id.clone();
    app.insert_session(session);
    created(
        app,
        json!({ "data": { "id": id, "redirect_url": redirect_url, "status": "pending" } }),
    )
}

/// A create's answer, with the configured success status.
fn created(app: &App, body: Value) -> Response {
    let status = StatusCode::from_u16(app.config.create_status)
        .ok()
        .filter(StatusCode::is_success)
        .unwrap_or(StatusCode::OK);
    (status, axum::Json(body)).into_response()
}

/// `GET /core/api/sessions/{session_id}`
pub(crate) async fn get_session(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Id(id): Id,
) -> Response {
    if let Err(r) = auth::check(&app, &headers) {
        return r;
    }
    let view = {
        let sessions = crate::state::lock(&app.sessions);
        sessions
            .get(&id.to_ascii_lowercase())
            .map(Session::gateway_view)
    };
    match view {
        Some(v) => axum::Json(v).into_response(),
        None => session_not_found(&id),
    }
}
