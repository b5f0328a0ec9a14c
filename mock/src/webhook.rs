//! Webhook delivery: one worker per session with a loopback webhook, so events
//! arrive in order; each event is retried with backoff and every attempt is
//! recorded in the session state.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::{header, Request};
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use url::{Host, Url};

use crate::state::{lock, now_unix_ms, App};

/// Attempts per event (the first try and its retries).
const ATTEMPTS: u32 = 4;
/// Backoff before the first retry; doubled each time.
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
/// Time allowed for one attempt (connect, send, read the status).
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) async fn worker(
    app: Arc<App>,
    id: String,
    url: Url,
    mut rx: mpsc::UnboundedReceiver<Vec<u8>>,
) {
    while let Some(body) = rx.recv().await {
        let event = serde_json::from_slice::<serde_json::Value>(&body).unwrap_or_default();
        let event_status = event.get("status").cloned().unwrap_or_default();
        let event_name = event.get("event").cloned().unwrap_or_default();
        let mut backoff = FIRST_BACKOFF;
        for attempt in 1..=ATTEMPTS {
            let timestamp = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            let result = match zignsec::sign_webhook(&body, &app.config.webhook_secret, timestamp) {
                Ok(signature) => {
                    match tokio::time::timeout(
                        ATTEMPT_TIMEOUT,
                        post(&url, body.clone(), &signature),
                    )
                    .await
                    {
                        Ok(r) => r,
                        Err(_) => Err(format!("timed out after {} s", ATTEMPT_TIMEOUT.as_secs())),
                    }
                }
                Err(e) => Err(format!("could not sign: {}", e.message())),
            };
            let delivered = matches!(result, Ok(code) if (200..300).contains(&code));
            let record = json!({
                "url": url.as_str(),
                "event": event_name,
                "event_status": event_status,
                "attempt": attempt,
                "status": result.as_ref().ok(),
                "error": result.as_ref().err(),
                "delivered": delivered,
                "at_ms": now_unix_ms(),
            });
            {
                let mut sessions = lock(&app.sessions);
                match sessions.get_mut(&id) {
                    Some(s) => s.record_delivery(record),
                    // The session was forgotten (reset): stop delivering.
                    None => return,
                }
            }
            if delivered || attempt == ATTEMPTS {
                break;
            }
            tokio::time::sleep(backoff).await;
            backoff *= 2;
        }
    }
}

/// POST `body` to `url` over plain HTTP/1.1; the response status.
async fn post(url: &Url, body: Vec<u8>, signature: &str) -> Result<u16, String> {
    if url.scheme() != "http" {
        return Err(format!(
            "not called: the mock only speaks http:// to webhooks, not {}://",
            url.scheme()
        ));
    }
    let port = url.port_or_known_default().unwrap_or(80);
    let stream = match url.host() {
        Some(Host::Domain(d)) => TcpStream::connect((d, port)).await,
        Some(Host::Ipv4(ip)) => TcpStream::connect((ip, port)).await,
        Some(Host::Ipv6(ip)) => TcpStream::connect((ip, port)).await,
        None => return Err("webhook URL has no host".to_string()),
    }
    .map_err(|e| format!("connect: {e}"))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    };
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let request = Request::post(path)
        .header(header::HOST, host)
        .header(header::CONTENT_TYPE, "application/json")
        .header(
            header::USER_AGENT,
            concat!("zignsec-mock/", env!("CARGO_PKG_VERSION")),
        )
        .header(zignsec::SIGNATURE_HEADER, signature)
        .header(header::CONNECTION, "close")
        .body(Body::from(body))
        .map_err(|e| format!("request: {e}"))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("send: {e}"))?;
    Ok(response.status().as_u16())
}
