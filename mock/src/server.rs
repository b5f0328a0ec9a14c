//! The accept loop (to count TCP connections), the per-connection HTTP/1.1
//! service, and what wraps every request: the loopback-only rule, stats,
//! faults, `x-request-id`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, Notify};
use tower::ServiceExt;

use crate::access::{self, is_control};
use crate::state::{App, Fault, Kind};
use crate::{api, control, page};

/// Per-connection state.
#[derive(Debug)]
struct Conn {
    /// The client's address (the loopback-only rule looks at it).
    peer: SocketAddr,
    /// Whether this connection has carried a gateway (non-`/_mock`) request.
    api: AtomicBool,
    /// Signalled by a `drop` fault: close the connection without answering.
    drop: Notify,
}

pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(
            "/core/api/sessions/two_factor_auth/sms",
            post(api::create_sms),
        )
        .route(
            "/core/api/sessions/two_factor_auth/phone",
            post(api::create_phone),
        )
        .route(
            "/core/api/sessions/two_factor_auth/email",
            post(api::create_email),
        )
        .route("/core/api/sessions/{session_id}", get(api::get_session))
        .merge(page::routes(Kind::Phone))
        .merge(page::routes(Kind::Email))
        .route("/_mock/health", get(control::health))
        .route("/_mock/sessions", get(control::list_sessions))
        .route("/_mock/sessions/{id}", get(control::get_session))
        .route("/_mock/sessions/{id}/status", post(control::force_status))
        .route("/_mock/sessions/{id}/errors", post(control::set_errors))
        .route(
            "/_mock/faults",
            post(control::add_faults)
                .get(control::list_faults)
                .delete(control::clear_faults),
        )
        .route("/_mock/stats", get(control::stats))
        .route("/_mock/stats/reset", post(control::reset_stats))
        .route("/_mock/reset", post(control::reset))
        .fallback(|| async { api::not_found() })
        .method_not_allowed_fallback(|| async { api::method_not_allowed() })
        .with_state(app)
}

/// Accept connections until `shutdown` fires (or its sender is dropped).
pub(crate) async fn run(app: Arc<App>, listener: TcpListener, mut shutdown: oneshot::Receiver<()>) {
    let router = router(Arc::clone(&app));
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    app.stats.connections.fetch_add(1, Ordering::Relaxed);
                    tokio::spawn(serve_connection(Arc::clone(&app), router.clone(), stream, peer));
                }
                // Out of file descriptors or a connection reset before accept:
                // pause briefly rather than spin, then go on.
                Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            },
        }
    }
}

async fn serve_connection(app: Arc<App>, router: Router, stream: TcpStream, peer: SocketAddr) {
    let _ = stream.set_nodelay(true);
    let conn = Arc::new(Conn {
        peer,
        api: AtomicBool::new(false),
        drop: Notify::new(),
    });
    let service = {
        let conn = Arc::clone(&conn);
        hyper::service::service_fn(move |req: Request<Incoming>| {
            let app = Arc::clone(&app);
            let router = router.clone();
            let conn = Arc::clone(&conn);
            async move { Ok::<_, Infallible>(handle(app, router, conn, req).await) }
        })
    };
    let http = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(30))
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = http => {}
        _ = conn.drop.notified() => {}
    }
}

async fn handle(
    app: Arc<App>,
    router: Router,
    conn: Arc<Conn>,
    req: Request<Incoming>,
) -> Response {
    let path = req.uri().path().to_string();
    let keyless = is_control(&path) || access::is_page(&path);
    let mut response =
        if keyless && !app.config.allow_remote && !access::is_loopback_peer(conn.peer.ip()) {
            access::forbidden(&path)
        } else if is_control(&path) {
            call(router, req).await
        } else {
            let method = req.method().as_str().to_string();
            app.stats.record_request(&method, &path);
            if !conn.api.swap(true, Ordering::Relaxed) {
                app.stats.api_connections.fetch_add(1, Ordering::Relaxed);
            }
            match app.take_fault(&method, &path) {
                None => call(router, req).await,
                Some(fault) if fault.drop || fault.responds() => {
                    // Read the whole request first, as the real gateway would
                    // before failing (and so the client sees the fault, not a
                    // reset while it was still writing).
                    let (parts, body) = req.into_parts();
                    let _ = api::read_body(
                        &parts.headers,
                        Body::new(body),
                        app.config.body_read_timeout,
                    )
                    .await;
                    if let Some(delay) = fault.delay {
                        tokio::time::sleep(delay).await;
                    }
                    if fault.drop {
                        conn.drop.notify_one();
                        return std::future::pending().await;
                    }
                    fault_response(&fault)
                }
                Some(fault) => {
                    if let Some(delay) = fault.delay {
                        tokio::time::sleep(delay).await;
                    }
                    call(router, req).await
                }
            }
        };
    if let Ok(id) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        response.headers_mut().insert("x-request-id", id);
    }
    response
}

async fn call(router: Router, req: Request<Incoming>) -> Response {
    match router.oneshot(req).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// `{"data":{...},"padding":"xxx…"}` of exactly `n` bytes (spaces when `n` is tiny).
fn padded_json(n: usize) -> Vec<u8> {
    let prefix =
        br#"{"data":{"id":"00000000-0000-4000-8000-000000000000","status":"pending"},"padding":""#;
    let suffix = br#""}"#;
    if n < prefix.len() + suffix.len() {
        return vec![b' '; n];
    }
    let mut out = Vec::with_capacity(n);
    out.extend_from_slice(prefix);
    out.resize(n - suffix.len(), b'x');
    out.extend_from_slice(suffix);
    out
}

fn fault_response(fault: &Fault) -> Response {
    let has_body = fault.body.is_some() || fault.body_bytes.is_some();
    let status = fault
        .status
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(if has_body {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        });
    let (body, default_type): (Vec<u8>, &str) = if let Some(n) = fault.body_bytes {
        (padded_json(n), "application/json")
    } else if let Some(b) = &fault.body {
        let kind = if serde_json::from_str::<serde_json::Value>(b).is_ok() {
            "application/json"
        } else {
            "text/plain; charset=utf-8"
        };
        (b.clone().into_bytes(), kind)
    } else if status.is_client_error() || status.is_server_error() {
        let body = serde_json::json!({ "errors": [{
            "code": "mock_fault",
            "description": format!("fault injected by zignsec-mock: {status}"),
        }]});
        (body.to_string().into_bytes(), "application/json")
    } else {
        (Vec::new(), "application/json")
    };
    let mut response = (status, Body::from(body)).into_response();
    let headers = response.headers_mut();
    let content_type = fault.content_type.as_deref().unwrap_or(default_type);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Some(r) = fault
        .retry_after
        .as_deref()
        .and_then(|r| HeaderValue::from_str(r).ok())
    {
        headers.insert(header::RETRY_AFTER, r);
    }
    response
}
