//! The test-control API under `/_mock/` (no key needed).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api::{error, read_body, Id};
use crate::state::{lock, App, Fault, Session};

/// Largest `body_bytes` a fault may ask for.
const MAX_FAULT_BODY_BYTES: usize = 64 * 1024 * 1024;
/// Longest `delay_ms` a fault may ask for (10 minutes).
const MAX_FAULT_DELAY_MS: u64 = 600_000;

fn bad(description: impl Into<String>) -> Response {
    error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

async fn json_body<T: serde::de::DeserializeOwned>(
    app: &App,
    headers: &HeaderMap,
    body: Body,
) -> Result<T, Response> {
    let bytes = read_body(headers, body, app.config.body_read_timeout).await?;
    serde_json::from_slice(&bytes).map_err(|e| bad(format!("invalid JSON body: {e}")))
}

fn unknown_session(id: &str) -> Response {
    let shown: String = id.chars().take(64).collect();
    error(
        StatusCode::NOT_FOUND,
        "session_not_found",
        format!("session {shown:?} does not exist"),
    )
}

/// `GET /_mock/health`
pub(crate) async fn health() -> Response {
    axum::Json(json!({ "ok": true })).into_response()
}

/// `GET /_mock/sessions`: a summary of every session.
pub(crate) async fn list_sessions(State(app): State<Arc<App>>) -> Response {
    let mut items: Vec<(u64, Value)> = lock(&app.sessions)
        .values()
        .map(|s| {
            (
                s.created_at_ms,
                json!({ "id": s.id, "kind": s.kind.as_str(), "status": s.status }),
            )
        })
        .collect();
    items.sort_by_key(|(t, _)| *t);
    let sessions: Vec<Value> = items.into_iter().map(|(_, v)| v).collect();
    axum::Json(json!({ "sessions": sessions })).into_response()
}

/// `GET /_mock/sessions/{id}`
pub(crate) async fn get_session(State(app): State<Arc<App>>, Id(id): Id) -> Response {
    let view = lock(&app.sessions)
        .get(&id.to_ascii_lowercase())
        .map(Session::control_view);
    match view {
        Some(v) => axum::Json(v).into_response(),
        None => unknown_session(&id),
    }
}

#[derive(Deserialize)]
struct ForceStatus {
    status: String,
}

/// `POST /_mock/sessions/{id}/status` with `{"status": "..."}`
pub(crate) async fn force_status(
    State(app): State<Arc<App>>,
    Id(id): Id,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let wanted: ForceStatus = match json_body(&app, &headers, body).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let view = {
        let mut sessions = lock(&app.sessions);
        sessions.get_mut(&id.to_ascii_lowercase()).map(|s| {
            s.auto = false;
            s.set_status(&wanted.status);
            s.control_view()
        })
    };
    match view {
        Some(v) => axum::Json(v).into_response(),
        None => unknown_session(&id),
    }
}

/// Most entries `POST /_mock/sessions/{id}/errors` takes.
const MAX_SESSION_ERRORS: usize = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionErrors {
    errors: Vec<SessionError>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionError {
    code: String,
    description: String,
}

/// `POST /_mock/sessions/{id}/errors` with `{"errors":[{"code","description"}]}`:
/// the session's reads carry them as `data.errors` (an empty list removes it).
pub(crate) async fn set_errors(
    State(app): State<Arc<App>>,
    Id(id): Id,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let wanted: SessionErrors = match json_body(&app, &headers, body).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    if wanted.errors.len() > MAX_SESSION_ERRORS {
        return bad(format!("errors: at most {MAX_SESSION_ERRORS} entries"));
    }
    let errors: Vec<Value> = wanted
        .errors
        .into_iter()
        .map(|e| json!({ "code": e.code, "description": e.description }))
        .collect();
    let view = {
        let mut sessions = lock(&app.sessions);
        sessions.get_mut(&id.to_ascii_lowercase()).map(|s| {
            s.errors = errors;
            s.control_view()
        })
    };
    match view {
        Some(v) => axum::Json(v).into_response(),
        None => unknown_session(&id),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultSpec {
    method: Option<String>,
    path: Option<String>,
    count: Option<u32>,
    status: Option<u16>,
    body: Option<String>,
    content_type: Option<String>,
    retry_after: Option<Value>,
    delay_ms: Option<u64>,
    #[serde(default)]
    drop: bool,
    body_bytes: Option<usize>,
}

fn fault_from(spec: FaultSpec) -> Result<Fault, String> {
    let count = spec.count.unwrap_or(1);
    if count == 0 {
        return Err("count: must be at least 1".into());
    }
    if let Some(s) = spec.status {
        if StatusCode::from_u16(s).is_err() || s < 200 {
            return Err(format!(
                "status: must be an HTTP status from 200 to 999, got {s}"
            ));
        }
    }
    if let Some(m) = &spec.method {
        if m.is_empty() || !m.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(format!(
                "method: must be an HTTP method like GET or POST, got {m:?}"
            ));
        }
    }
    if let Some(ct) = &spec.content_type {
        HeaderValue::from_str(ct).map_err(|_| "content_type: not a valid header value")?;
    }
    let retry_after = match spec.retry_after {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return Err("retry_after: must be a string or a number".into()),
    };
    if let Some(r) = &retry_after {
        HeaderValue::from_str(r).map_err(|_| "retry_after: not a valid header value")?;
    }
    if spec.delay_ms.is_some_and(|d| d > MAX_FAULT_DELAY_MS) {
        return Err(format!("delay_ms: must be at most {MAX_FAULT_DELAY_MS}"));
    }
    if spec.body_bytes.is_some_and(|b| b > MAX_FAULT_BODY_BYTES) {
        return Err(format!(
            "body_bytes: must be at most {MAX_FAULT_BODY_BYTES}"
        ));
    }
    Ok(Fault {
        method: spec.method.map(|m| m.to_ascii_uppercase()),
        path: spec.path.filter(|p| !p.is_empty()),
        remaining: count,
        status: spec.status,
        body: spec.body,
        content_type: spec.content_type,
        retry_after,
        delay: spec.delay_ms.map(Duration::from_millis),
        drop: spec.drop,
        body_bytes: spec.body_bytes,
    })
}

/// `POST /_mock/faults`: queue one fault, or a JSON array of them.
pub(crate) async fn add_faults(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let value: Value = match json_body(&app, &headers, body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let specs = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    let mut faults = Vec::with_capacity(specs.len());
    for spec in specs {
        let spec: FaultSpec = match serde_json::from_value(spec) {
            Ok(s) => s,
            Err(e) => return bad(format!("invalid fault: {e}")),
        };
        match fault_from(spec) {
            Ok(f) => faults.push(f),
            Err(e) => return bad(e),
        }
    }
    lock(&app.faults).extend(faults);
    axum::Json(json!({ "queued": app.queued_faults() })).into_response()
}

/// `GET /_mock/faults`: the queue.
pub(crate) async fn list_faults(State(app): State<Arc<App>>) -> Response {
    let faults: Vec<Value> = lock(&app.faults).iter().map(Fault::to_json).collect();
    axum::Json(json!({ "queued": app.queued_faults(), "faults": faults })).into_response()
}

/// `DELETE /_mock/faults`
pub(crate) async fn clear_faults(State(app): State<Arc<App>>) -> Response {
    lock(&app.faults).clear();
    axum::Json(json!({ "queued": 0 })).into_response()
}

/// `GET /_mock/stats`
pub(crate) async fn stats(State(app): State<Arc<App>>) -> Response {
    axum::Json(app.stats.to_json()).into_response()
}

/// `POST /_mock/stats/reset`
pub(crate) async fn reset_stats(State(app): State<Arc<App>>) -> Response {
    app.stats.reset();
    axum::Json(app.stats.to_json()).into_response()
}

/// `POST /_mock/reset`: forget sessions, faults and stats.
pub(crate) async fn reset(State(app): State<Arc<App>>) -> Response {
    app.reset();
    axum::Json(json!({ "reset": true })).into_response()
}
