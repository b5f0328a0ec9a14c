//! One attempt on the wire: the connection pool, the request, the answer read up to
//! the body cap, and what a transport failure says about whether the request left.

use std::sync::Once;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use reqwest::Method;

use crate::config::Settings;
use crate::error::{Error, ErrorKind, Result};
use crate::redact;
use crate::retry::parse_retry_after;

/// Idle pooled connections are closed after this long: below the 60 s idle timeout
/// of common load balancers, so the gateway side rarely closes one under a send.
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(20);
/// Response bodies are read up to this many bytes; more is a decode error.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

pub(crate) fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    // reqwest is built without a provider: rustls needs one installed process-wide.
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A request body that can be re-sent on retry without copying (a clone shares
/// the bytes; reqwest takes them as they are).
#[derive(Clone)]
pub(crate) struct Body(pub(crate) bytes::Bytes);

impl Body {
    pub(crate) fn new(bytes: Vec<u8>) -> Body {
        Body(bytes::Bytes::from(bytes))
    }

    pub(crate) fn into_reqwest(self) -> reqwest::Body {
        reqwest::Body::from(self.0)
    }
}

/// A transport failure of one attempt.
pub(crate) struct TransportFailure {
    pub(crate) kind: ErrorKind,
    /// The request provably never reached the gateway (connect or DNS failure).
    pub(crate) never_left: bool,
    pub(crate) message: String,
    /// The transport error itself, kept as the error's `source()`.
    pub(crate) source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
}

/// The answer to one attempt.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Vec<u8>,
    pub(crate) oversized: bool,
}

pub(crate) enum Attempt {
    Answered(Answer),
    Failed(TransportFailure),
}

pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

fn classify(err: reqwest::Error) -> TransportFailure {
    let detail = error_chain(&err);
    let (kind, never_left, message) = if err.is_connect() {
        // DNS, TCP, TLS handshake or proxy CONNECT: nothing of the request was written.
        (
            ErrorKind::Connection,
            true,
            format!("could not connect to the gateway: {detail}"),
        )
    } else if err.is_timeout() {
        (
            ErrorKind::Timeout,
            false,
            format!("the gateway did not answer in time: {detail}"),
        )
    } else {
        (
            ErrorKind::Connection,
            false,
            format!("the connection failed: {detail}"),
        )
    };
    TransportFailure {
        kind,
        never_left,
        message,
        source: Some(std::sync::Arc::new(err)),
    }
}

async fn read_capped(mut resp: reqwest::Response) -> reqwest::Result<(Vec<u8>, bool)> {
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

fn header_text(headers: &HeaderMap, name: impl reqwest::header::AsHeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.to_string())
}

/// The extra root certificates of `settings`, parsed here so a wrong file is a
/// config error at build, not a TLS failure on every call.
pub(crate) fn root_certificates(
    settings: &Settings,
) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let mut all = Vec::new();
    for pem in &settings.root_certificates_pem {
        let ders = CertificateDer::pem_slice_iter(pem)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::config(format!("root certificate is not PEM: {e}")))?;
        if ders.is_empty() {
            return Err(Error::config(
                "root certificate PEM holds no -----BEGIN CERTIFICATE----- block",
            ));
        }
        all.extend(ders);
    }
    Ok(all)
}

/// A connection pool for `settings`: the first in the building process, and again
/// on the first call in a forked child.
pub(crate) fn build_http(settings: &Settings) -> Result<reqwest::Client> {
    let mut http = reqwest::Client::builder()
        .user_agent(settings.user_agent.clone())
        .connect_timeout(settings.connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .tcp_nodelay(true)
        // No proxy from the environment or the system unless decided below, so a
        // loopback or http:// base URL can never be sent through one.
        .no_proxy();
    if let Some(proxy) = &settings.proxy {
        let proxy = reqwest::Proxy::https(proxy.as_str())
            .map_err(|_| Error::config("the proxy URL is not usable"))?;
        http = http.proxy(proxy);
    }
    for der in root_certificates(settings)? {
        let cert = reqwest::Certificate::from_der(&der)
            .map_err(|e| Error::config(format!("root certificate is not valid: {e}")))?;
        http = http.tls_certs_merge([cert]);
    }
    http.build().map_err(|e| {
        Error::config(redact::secrets(
            &format!("could not build the HTTP client: {}", error_chain(&e)),
            &settings.secrets,
        ))
    })
}

/// Make one attempt: send the request, read the answer up to the body cap.
pub(crate) async fn send_once(
    http: &reqwest::Client,
    key: (&HeaderName, &HeaderValue),
    method: &Method,
    url: &mut url::Url,
    target: &str,
    body: Option<&Body>,
    csrf_token: Option<&str>,
) -> Attempt {
    if url.path() != target {
        url.set_path(target);
    }
    let mut req = http
        .request(method.clone(), url.clone())
        .header(key.0.clone(), key.1.clone())
        .header(ACCEPT, "application/json");
    if let Some(body) = body {
        req = req
            .header(CONTENT_TYPE, "application/json")
            .body(body.clone().into_reqwest());
    }
    if let Some(token) = csrf_token {
        req = req.header("x-csrf-token", token);
    }
    let resp = match req.send().await {
        Ok(resp) => resp,
        Err(e) => return Attempt::Failed(classify(e)),
    };
    let status = resp.status().as_u16();
    let headers = resp.headers();
    let request_id = header_text(headers, "x-request-id");
    let retry_after =
        header_text(headers, RETRY_AFTER).and_then(|v| parse_retry_after(&v, SystemTime::now()));
    let content_type = header_text(headers, CONTENT_TYPE);
    match read_capped(resp).await {
        Ok((body, oversized)) => Attempt::Answered(Answer {
            status,
            request_id,
            retry_after,
            content_type,
            body,
            oversized,
        }),
        Err(e) => Attempt::Failed(classify(e)),
    }
}
