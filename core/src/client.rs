//! The clients: [`AsyncClient`] does the work; [`Client`] is its blocking face.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use reqwest::Method;
use serde::de::DeserializeOwned;
use tokio::runtime::Runtime;

use crate::config::{AuthScheme, ClientBuilder, Settings};
use crate::error::{
    parse_gateway_error, truncate_bytes, Error, ErrorKind, Result, WaitDetails, ERROR_BODY_CAP,
};
use crate::models::{
    EmailSession, EmailSessionDetails, Envelope, PhoneSession, PhoneSessionDetails, SendSms,
    SmsSession, SmsSessionDetails, StartEmailVerification, StartPhoneVerification,
};
use crate::process::PerProcess;
use crate::retry::{
    backoff, parse_retry_after, read_status_is_retryable, send_status_is_retryable,
};
use crate::{input, redact, validate};

/// Idle pooled connections are closed after this long: below the 60 s idle timeout
/// of common load balancers, so the gateway side rarely closes one under a send.
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(20);
/// Response bodies are read up to this many bytes; more is a decode error.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;
/// `wait_sms_session` gives up after this long by default.
pub const DEFAULT_SMS_WAIT: Duration = Duration::from_secs(60);
/// `wait_phone_session` gives up after this long by default (a person is typing).
pub const DEFAULT_PHONE_WAIT: Duration = Duration::from_secs(300);
/// `wait_email_session` gives up after this long by default (a person is typing).
pub const DEFAULT_EMAIL_WAIT: Duration = Duration::from_secs(300);
/// Time between polls of a `wait_*`, by default.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(1);

const SMS_PATH: &str = "/core/api/sessions/two_factor_auth/sms";
const PHONE_PATH: &str = "/core/api/sessions/two_factor_auth/phone";
const EMAIL_PATH: &str = "/core/api/sessions/two_factor_auth/email";
const SESSION_PATH: &str = "/core/api/sessions/";

fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    // reqwest is built without a provider: rustls needs one installed process-wide.
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

struct Inner {
    /// The connection pool of the process using the client: rebuilt in a forked child.
    http: PerProcess<reqwest::Client>,
    /// What the pool is built from, for a child's first call.
    settings: Settings,
    keys: Keys,
    base_url: String,
    /// `base_url` parsed once: per call only the path is set, so the host is not
    /// re-parsed (IDNA mapping included) on every request.
    base: url::Url,
    timeout: Duration,
    max_retries: u32,
    user_agent: String,
}

/// The key or keys a client holds, the header they go in, and which one is in use.
struct Keys {
    header: HeaderName,
    /// The primary key, then the secondary one if given.
    values: Vec<HeaderValue>,
    /// The slot that last worked: a 401 moves to the other one for good once it works.
    active: AtomicUsize,
}

impl Keys {
    fn new(scheme: AuthScheme, primary: &str, secondary: Option<&str>) -> Result<Keys> {
        let value = |key: &str| {
            let mut v = HeaderValue::from_str(key)
                .map_err(|_| Error::config("an API key is not a valid header value"))?;
            v.set_sensitive(true);
            Ok::<_, Error>(v)
        };
        let mut values = vec![value(primary)?];
        if let Some(key) = secondary {
            values.push(value(key)?);
        }
        Ok(Keys {
            header: HeaderName::from_static(scheme.header_name()),
            values,
            active: AtomicUsize::new(0),
        })
    }

    fn active(&self) -> usize {
        self.active
            .load(Ordering::Relaxed)
            .min(self.values.len() - 1)
    }

    /// The other slot, when there are two keys.
    fn other(&self, slot: usize) -> Option<usize> {
        (self.values.len() == 2).then_some(1 - slot)
    }

    fn slot_name(slot: usize) -> &'static str {
        if slot == 0 {
            "primary"
        } else {
            "secondary"
        }
    }
}

/// The asynchronous client (tokio). Cheap to clone; clones share one connection pool.
#[derive(Clone)]
pub struct AsyncClient {
    inner: Arc<Inner>,
}

impl fmt::Debug for AsyncClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncClient")
            .field("api_key", &"<redacted>")
            .field("base_url", &self.inner.base_url)
            .field("timeout", &self.inner.timeout)
            .field("max_retries", &self.inner.max_retries)
            .field("user_agent", &self.inner.user_agent)
            .field(
                "proxy",
                &self
                    .inner
                    .settings
                    .proxy
                    .as_ref()
                    .map(|p| crate::proxy::display(p.as_str())),
            )
            .finish()
    }
}

/// Which call is being made: it decides the retry policy.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CallKind {
    Read,
    Send,
}

/// One call to make: what, how it may be retried, and by when.
struct Call<'a> {
    kind: CallKind,
    method: Method,
    path: &'a str,
    body: Option<bytes_body::Body>,
    csrf_token: Option<&'a str>,
    deadline: Instant,
    /// Texts of this call that gateway text must not echo into an error message.
    private: &'a [&'a str],
}

/// A transport failure of one attempt.
struct TransportFailure {
    kind: ErrorKind,
    /// The request provably never reached the gateway (connect or DNS failure).
    never_left: bool,
    message: String,
}

/// The answer to one attempt.
struct Answer {
    status: u16,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    content_type: Option<String>,
    body: Vec<u8>,
    oversized: bool,
}

enum Attempt {
    Answered(Answer),
    Failed(TransportFailure),
}

fn error_chain(err: &dyn std::error::Error) -> String {
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

fn classify(err: &reqwest::Error) -> TransportFailure {
    let detail = error_chain(err);
    if err.is_connect() {
        TransportFailure {
            kind: ErrorKind::Connection,
            never_left: true,
            message: format!("could not connect to the gateway: {detail}"),
        }
    } else if err.is_timeout() {
        TransportFailure {
            kind: ErrorKind::Timeout,
            never_left: false,
            message: format!("the gateway did not answer in time: {detail}"),
        }
    } else {
        TransportFailure {
            kind: ErrorKind::Connection,
            never_left: false,
            message: format!("the connection failed: {detail}"),
        }
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

/// What gateway text must not carry into an error: the client's secrets (scrubbed
/// from message and body) and this call's private texts (scrubbed from the message).
struct Scrub<'a> {
    secrets: &'a [String],
    private: &'a [&'a str],
}

impl Scrub<'_> {
    fn body(&self, text: &str) -> String {
        redact::secrets(text, self.secrets)
    }

    fn message(&self, text: &str) -> String {
        let mut out = redact::secrets(text, self.secrets);
        for private in self.private.iter().filter(|p| p.chars().count() >= 4) {
            out = out.replace(private, "<message>");
        }
        redact::personal(&out)
    }
}

fn status_error(answer: &Answer, attempts: u32, scrub: &Scrub<'_>) -> Error {
    let body_text = scrub.body(&String::from_utf8_lossy(&answer.body));
    let parsed = parse_gateway_error(&body_text);
    let kind = ErrorKind::from_status(answer.status);
    let reason = reqwest::StatusCode::from_u16(answer.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut message = format!("the gateway answered {} {reason}", answer.status)
        .trim_end()
        .to_string();
    if let Some(desc) = &parsed.description {
        message.push_str(": ");
        // Many `errors[]` entries must not make a message of a megabyte.
        message.push_str(&crate::error::truncate_chars(&scrub.message(desc), 1000));
    }
    if let Some(code) = &parsed.code {
        message.push_str(&format!(" (code {})", scrub.message(code)));
    }
    if let (ErrorKind::RateLimited, Some(wait)) = (kind, answer.retry_after) {
        message.push_str(&format!("; retry after {:.0} s", wait.as_secs_f64().ceil()));
    }
    let mut err = Error::new(kind, message);
    err.status = Some(answer.status);
    err.code = parsed.code;
    err.body = Some(truncate_bytes(&body_text, ERROR_BODY_CAP));
    err.request_id = answer.request_id.clone();
    err.attempts = attempts;
    err.retry_after = answer.retry_after;
    err
}

fn decode_answer<T: DeserializeOwned>(
    answer: &Answer,
    attempts: u32,
    scrub: &Scrub<'_>,
) -> Result<T> {
    let fail = |why: String| {
        let mut err = Error::decode(format!(
            "the gateway answered {} with a body that is not the documented JSON: {why}",
            answer.status
        ));
        err.status = Some(answer.status);
        err.body = Some(truncate_bytes(
            &scrub.body(&String::from_utf8_lossy(&answer.body)),
            ERROR_BODY_CAP,
        ));
        err.request_id = answer.request_id.clone();
        err.attempts = attempts;
        err
    };
    if answer.oversized {
        return Err(fail(format!("the body is over {MAX_RESPONSE_BYTES} bytes")));
    }
    if let Some(ct) = &answer.content_type {
        let essence = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence != "application/json" && !essence.ends_with("+json") {
            return Err(fail(format!(
                "content type is {ct:?}, not application/json"
            )));
        }
    }
    serde_json::from_slice::<Envelope<T>>(&answer.body)
        .map(|envelope| envelope.data)
        .map_err(|e| fail(scrub.message(&e.to_string())))
}

/// A connection pool for `settings`: the first in the building process, and again
/// on the first call in a forked child.
fn build_http(settings: &Settings) -> Result<reqwest::Client> {
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
    for pem in &settings.root_certificates_pem {
        // reqwest stores PEM text unchecked: parse it here so a wrong file is a
        // config error at build, not a TLS failure on every call.
        use rustls::pki_types::{pem::PemObject, CertificateDer};
        let ders = CertificateDer::pem_slice_iter(pem)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::config(format!("root certificate is not PEM: {e}")))?;
        if ders.is_empty() {
            return Err(Error::config(
                "root certificate PEM holds no -----BEGIN CERTIFICATE----- block",
            ));
        }
        for der in ders {
            let cert = reqwest::Certificate::from_der(&der)
                .map_err(|e| Error::config(format!("root certificate is not valid: {e}")))?;
            http = http.tls_certs_merge([cert]);
        }
    }
    http.build().map_err(|e| {
        Error::config(redact::secrets(
            &format!("could not build the HTTP client: {}", error_chain(&e)),
            &settings.secrets,
        ))
    })
}

impl AsyncClient {
    /// A builder; see [`ClientBuilder`] for the options and their env vars.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client from `ZIGNSEC_*` environment variables alone.
    pub fn from_env() -> Result<AsyncClient> {
        ClientBuilder::new().build_async()
    }

    pub(crate) fn from_settings(settings: Settings) -> Result<AsyncClient> {
        install_crypto_provider();
        crate::logging::init_from_env();
        let keys = Keys::new(
            settings.auth_scheme,
            &settings.api_key,
            settings.secondary_api_key.as_deref(),
        )?;
        let http = PerProcess::new(build_http(&settings)?);
        let base_url = settings.base_url.as_str().trim_end_matches('/').to_string();
        Ok(AsyncClient {
            inner: Arc::new(Inner {
                http,
                keys,
                base_url,
                base: settings.base_url.clone(),
                timeout: settings.timeout,
                max_retries: settings.max_retries,
                user_agent: settings.user_agent.clone(),
                settings,
            }),
        })
    }

    /// The base URL calls go to (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
    /// Total time for one call.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }
    /// Retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.inner.max_retries
    }
    /// The `User-Agent` sent.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    #[allow(clippy::too_many_arguments)]
    async fn attempt(
        &self,
        http: &reqwest::Client,
        key_slot: usize,
        method: &Method,
        url: &url::Url,
        body: Option<&bytes_body::Body>,
        csrf_token: Option<&str>,
    ) -> Attempt {
        let mut req = http
            .request(method.clone(), url.clone())
            .header(
                self.inner.keys.header.clone(),
                self.inner.keys.values[key_slot].clone(),
            )
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
            Err(e) => return Attempt::Failed(classify(&e)),
        };
        let status = resp.status().as_u16();
        let headers = resp.headers();
        let request_id = header_text(headers, "x-request-id");
        let retry_after = header_text(headers, RETRY_AFTER)
            .and_then(|v| parse_retry_after(&v, SystemTime::now()));
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
            Err(e) => Attempt::Failed(classify(&e)),
        }
    }

    /// Make one call with the retry policy of its kind, ending by its deadline.
    async fn execute<T: DeserializeOwned>(&self, call: Call<'_>) -> Result<T> {
        let Call {
            kind,
            method,
            path,
            body,
            csrf_token,
            deadline,
            private,
        } = call;
        // The pool of this process (a forked child builds its own on its first call).
        let http = self
            .inner
            .http
            .get_or_try_init(|| build_http(&self.inner.settings))?
            .clone();
        let scrub = Scrub {
            secrets: &self.inner.settings.secrets,
            private,
        };
        let mut url = self.inner.base.clone();
        url.set_path(&format!(
            "{}{path}",
            self.inner.base.path().trim_end_matches('/')
        ));
        let started = Instant::now();
        let mut attempts = 0u32;
        // Whether any attempt so far may have reached the gateway (sends only retry
        // after attempts that provably never left or were answered 429).
        let mut maybe_sent_so_far = false;
        // Key rotation: a 401 to the key in use is retried at once, once, with the
        // other key; that extra attempt does not count against max_retries.
        let mut key_slot = self.inner.keys.active();
        let mut rotated = false;
        let mut free_attempts = 0u32;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                let mut err = Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "{method} {path} timed out after {} ms ({attempts} attempt(s))",
                        started.elapsed().as_millis()
                    ),
                );
                err.attempts = attempts;
                err.maybe_sent = (kind == CallKind::Send).then_some(maybe_sent_so_far);
                return Err(err);
            }
            attempts += 1;
            let attempt_started = Instant::now();
            let outcome = tokio::time::timeout(
                remaining,
                self.attempt(&http, key_slot, &method, &url, body.as_ref(), csrf_token),
            )
            .await
            .unwrap_or_else(|_| {
                Attempt::Failed(TransportFailure {
                    kind: ErrorKind::Timeout,
                    never_left: false,
                    message: format!(
                        "no answer within the call's timeout of {} ms",
                        self.inner.timeout.as_millis()
                    ),
                })
            });
            let elapsed_ms = attempt_started.elapsed().as_millis();
            let slot_name = Keys::slot_name(key_slot);
            let (err, wait) = match outcome {
                Attempt::Answered(answer) if (200..300).contains(&answer.status) => {
                    log::debug!(target: "zignsec", "{method} {path} -> {} (attempt {attempts}, {slot_name} key, {elapsed_ms} ms)", answer.status);
                    if rotated {
                        // The other key worked: keep using it.
                        self.inner.keys.active.store(key_slot, Ordering::Relaxed);
                        log::info!(target: "zignsec", "the {slot_name} API key is now in use");
                    }
                    let mut result = decode_answer::<T>(&answer, attempts, &scrub);
                    if let (Err(e), CallKind::Send) = (&mut result, kind) {
                        e.maybe_sent = Some(true);
                    }
                    return result;
                }
                Attempt::Answered(answer) => {
                    log::debug!(target: "zignsec", "{method} {path} -> {} (attempt {attempts}, {slot_name} key, {elapsed_ms} ms)", answer.status);
                    if answer.status == 401 && !rotated {
                        if let Some(other) = self.inner.keys.other(key_slot) {
                            // A 401 is a refusal, so trying the other key is safe for sends.
                            log::info!(target: "zignsec", "{method} {path}: 401 with the {slot_name} API key; trying the {} key", Keys::slot_name(other));
                            rotated = true;
                            key_slot = other;
                            free_attempts += 1;
                            continue;
                        }
                    }
                    let retryable = match kind {
                        CallKind::Read => read_status_is_retryable(answer.status),
                        CallKind::Send => send_status_is_retryable(answer.status),
                    };
                    let mut err = status_error(&answer, attempts, &scrub);
                    if kind == CallKind::Send {
                        // Only a 4xx is a refusal. A 5xx may have come after the SMS left,
                        // and a 3xx (303 after POST) means the request was processed.
                        err.maybe_sent = Some(!(400..500).contains(&answer.status));
                    }
                    let wait = retryable.then(|| {
                        answer
                            .retry_after
                            .unwrap_or_else(|| backoff(attempts - free_attempts - 1))
                    });
                    (err, wait)
                }
                Attempt::Failed(failure) => {
                    log::debug!(target: "zignsec", "{method} {path} -> {} (attempt {attempts}, {elapsed_ms} ms)", failure.kind);
                    let retryable = match kind {
                        CallKind::Read => true,
                        CallKind::Send => failure.never_left,
                    };
                    let mut err = Error::new(
                        failure.kind,
                        scrub.message(&format!("{method} {path}: {}", failure.message)),
                    );
                    err.attempts = attempts;
                    if kind == CallKind::Send {
                        err.maybe_sent = Some(!failure.never_left);
                    }
                    (
                        err,
                        retryable.then(|| backoff(attempts - free_attempts - 1)),
                    )
                }
            };
            maybe_sent_so_far |= err.maybe_sent == Some(true);
            let Some(wait) = wait else {
                return Err(err);
            };
            if attempts - free_attempts > self.inner.max_retries {
                return Err(err);
            }
            if Instant::now() + wait >= deadline {
                // The next try could not finish in time: report what happened.
                return Err(err);
            }
            log::info!(target: "zignsec", "{method} {path}: {} on attempt {attempts}, retrying in {} ms", err.kind(), wait.as_millis());
            tokio::time::sleep(wait).await;
        }
    }

    fn deadline(&self) -> Instant {
        Instant::now() + self.inner.timeout
    }

    /// Send an SMS. Validated first; retried only when it provably never left or
    /// on 429, so it is never sent twice.
    pub async fn send_sms(&self, request: &SendSms) -> Result<SmsSession> {
        self.send_sms_inner(request)
            .await
            .map_err(input::nothing_sent)
    }

    async fn send_sms_inner(&self, request: &SendSms) -> Result<SmsSession> {
        let body = bytes_body::Body(Arc::new(input::send_sms_body(request)?));
        log::info!(target: "zignsec", "send_sms to={} parts<={}", validate::mask_phone(&request.to), request.max_message_parts);
        let session: SmsSession = self
            .execute(Call {
                kind: CallKind::Send,
                method: Method::POST,
                path: SMS_PATH,
                body: Some(body),
                csrf_token: None,
                deadline: self.deadline(),
                private: &[request.message.as_str()],
            })
            .await?;
        log::info!(target: "zignsec", "send_sms -> session {} {}", session.id, session.status);
        Ok(session)
    }

    /// Start a phone verification; send the user to the returned `redirect_url`.
    pub async fn start_phone_verification(
        &self,
        request: &StartPhoneVerification,
    ) -> Result<PhoneSession> {
        self.start_phone_inner(request)
            .await
            .map_err(input::nothing_sent)
    }

    async fn start_phone_inner(&self, request: &StartPhoneVerification) -> Result<PhoneSession> {
        let body = bytes_body::Body(Arc::new(input::start_phone_body(request)?));
        log::info!(target: "zignsec", "start_phone_verification phone_number={}", validate::mask_phone(&request.phone_number));
        let session: PhoneSession = self
            .execute(Call {
                kind: CallKind::Send,
                method: Method::POST,
                path: PHONE_PATH,
                body: Some(body),
                csrf_token: request.csrf_token.as_deref(),
                deadline: self.deadline(),
                private: &[],
            })
            .await?;
        log::info!(target: "zignsec", "start_phone_verification -> session {} {}", session.id, session.status);
        Ok(session)
    }

    /// Start an email verification; send the user to the returned `redirect_url`.
    /// The locale and both redirects are required for email.
    pub async fn start_email_verification(
        &self,
        request: &StartEmailVerification,
    ) -> Result<EmailSession> {
        self.start_email_inner(request)
            .await
            .map_err(input::nothing_sent)
    }

    async fn start_email_inner(&self, request: &StartEmailVerification) -> Result<EmailSession> {
        let body = bytes_body::Body(Arc::new(input::start_email_body(request)?));
        log::info!(target: "zignsec", "start_email_verification email_address={}", crate::redact::mask_email(&request.email_address));
        let session: EmailSession = self
            .execute(Call {
                kind: CallKind::Send,
                method: Method::POST,
                path: EMAIL_PATH,
                body: Some(body),
                csrf_token: request.csrf_token.as_deref(),
                deadline: self.deadline(),
                private: &[],
            })
            .await?;
        log::info!(target: "zignsec", "start_email_verification -> session {} {}", session.id, session.status);
        Ok(session)
    }

    async fn get_session<T: DeserializeOwned>(
        &self,
        session_id: &str,
        deadline: Instant,
    ) -> Result<T> {
        let id = validate::session_id(session_id)?;
        let path = format!("{SESSION_PATH}{id}");
        self.execute(Call {
            kind: CallKind::Read,
            method: Method::GET,
            path: &path,
            body: None,
            csrf_token: None,
            deadline,
            private: &[],
        })
        .await
    }

    /// Read an SMS session.
    pub async fn get_sms_session(&self, session_id: &str) -> Result<SmsSessionDetails> {
        self.get_session(session_id, self.deadline()).await
    }

    /// Read a phone verification session.
    pub async fn get_phone_session(&self, session_id: &str) -> Result<PhoneSessionDetails> {
        self.get_session(session_id, self.deadline()).await
    }

    /// Read an email verification session.
    pub async fn get_email_session(&self, session_id: &str) -> Result<EmailSessionDetails> {
        self.get_session(session_id, self.deadline()).await
    }

    /// Poll an SMS session until its status is final (`delivered` or `failed`).
    ///
    /// `timeout` defaults to 60 s, `poll_interval` to 1 s. When time runs out the
    /// error is a wait timeout carrying the last details read.
    pub async fn wait_sms_session(
        &self,
        session_id: &str,
        timeout: Option<Duration>,
        poll_interval: Option<Duration>,
    ) -> Result<SmsSessionDetails> {
        self.wait(
            session_id,
            timeout.unwrap_or(DEFAULT_SMS_WAIT),
            poll_interval.unwrap_or(DEFAULT_POLL_INTERVAL),
            |d: &SmsSessionDetails| d.status.is_final(),
            |d: &SmsSessionDetails| d.status.to_string(),
            WaitDetails::Sms,
        )
        .await
    }

    /// Poll a phone session until its status is final (`finished`, `accepted`,
    /// `failed` or `cancelled`). `timeout` defaults to 300 s, `poll_interval` to 1 s.
    pub async fn wait_phone_session(
        &self,
        session_id: &str,
        timeout: Option<Duration>,
        poll_interval: Option<Duration>,
    ) -> Result<PhoneSessionDetails> {
        self.wait(
            session_id,
            timeout.unwrap_or(DEFAULT_PHONE_WAIT),
            poll_interval.unwrap_or(DEFAULT_POLL_INTERVAL),
            |d: &PhoneSessionDetails| d.status.is_final(),
            |d: &PhoneSessionDetails| d.status.to_string(),
            WaitDetails::Phone,
        )
        .await
    }

    /// Poll an email session until its status is final (as for phone).
    /// `timeout` defaults to 300 s, `poll_interval` to 1 s.
    pub async fn wait_email_session(
        &self,
        session_id: &str,
        timeout: Option<Duration>,
        poll_interval: Option<Duration>,
    ) -> Result<EmailSessionDetails> {
        self.wait(
            session_id,
            timeout.unwrap_or(DEFAULT_EMAIL_WAIT),
            poll_interval.unwrap_or(DEFAULT_POLL_INTERVAL),
            |d: &EmailSessionDetails| d.status.is_final(),
            |d: &EmailSessionDetails| d.status.to_string(),
            WaitDetails::Email,
        )
        .await
    }

    async fn wait<T: DeserializeOwned>(
        &self,
        session_id: &str,
        timeout: Duration,
        poll_interval: Duration,
        is_final: impl Fn(&T) -> bool,
        status_of: impl Fn(&T) -> String,
        wrap: impl Fn(T) -> WaitDetails,
    ) -> Result<T> {
        validate::session_id(session_id)?;
        validate::seconds("timeout", timeout.as_secs_f64())?;
        validate::seconds("poll_interval", poll_interval.as_secs_f64())?;
        let started = Instant::now();
        let wait_deadline = started + timeout;
        let mut last: Option<T> = None;
        let mut interval = poll_interval;
        let mut polls = 0u32;
        loop {
            let deadline = wait_deadline.min(self.deadline());
            polls += 1;
            match self.get_session::<T>(session_id, deadline).await {
                Ok(details) if is_final(&details) => return Ok(details),
                Ok(details) => last = Some(details),
                Err(e)
                    if Instant::now() >= wait_deadline
                        && matches!(e.kind(), ErrorKind::Timeout | ErrorKind::Connection) => {}
                Err(e) => return Err(e),
            }
            let now = Instant::now();
            if now >= wait_deadline {
                let status = last.as_ref().map(&status_of);
                let mut err = Error::new(
                    ErrorKind::WaitTimeout,
                    format!(
                        "session {session_id} is still {} after {:.1} s",
                        status.map_or("unread".to_string(), |s| format!("`{s}`")),
                        started.elapsed().as_secs_f64()
                    ),
                );
                err.details = last.map(|d| Box::new(wrap(d)));
                err.attempts = polls;
                return Err(err);
            }
            tokio::time::sleep(interval.min(wait_deadline - now)).await;
            // Poll a little less often as the wait goes on, up to 4× the interval.
            interval = interval.mul_f64(1.5).min(poll_interval * 4);
        }
    }
}

mod bytes_body {
    //! A request body that can be re-sent on retry without copying.

    #[derive(Clone)]
    pub(super) struct Body(pub(super) std::sync::Arc<Vec<u8>>);

    impl Body {
        pub(super) fn into_reqwest(self) -> reqwest::Body {
            reqwest::Body::from(std::sync::Arc::unwrap_or_clone(self.0))
        }
    }
}

/// The runtime a blocking [`Client`] runs on, one per process (see [`PerProcess`]).
struct RuntimeOwner(PerProcess<IoRuntime>);

/// A tokio runtime that, when dropped outside any runtime, waits briefly for its
/// threads to end (joined, not detached: a detached thread still running when the
/// process exits or the library is unloaded is a crash risk).
struct IoRuntime(Option<Runtime>);

/// How long dropping the last handle of a blocking client waits for its I/O threads.
const RUNTIME_SHUTDOWN_WAIT: Duration = Duration::from_millis(500);

impl IoRuntime {
    fn start() -> Result<IoRuntime> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("zignsec-io")
            .enable_all()
            .build()
            .map(|rt| IoRuntime(Some(rt)))
            .map_err(|e| Error::config(format!("could not start the I/O runtime: {e}")))
    }
}

impl Drop for IoRuntime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                // Blocking is not allowed on a runtime's thread (the last handle may go
                // away in a task); the threads end on their own.
                rt.shutdown_background();
            } else {
                rt.shutdown_timeout(RUNTIME_SHUTDOWN_WAIT);
            }
        }
    }
}

impl RuntimeOwner {
    /// This process's runtime: the one built with the client, or in a forked child
    /// a new one (the parent's threads do not exist there).
    fn runtime(&self) -> Result<&Runtime> {
        self.0
            .get_or_try_init(IoRuntime::start)?
            .0
            .as_ref()
            .ok_or_else(|| Error::config("the client's runtime is gone"))
    }
}

/// The blocking client: every call waits for its answer. Thread-safe and cheap to
/// clone; clones share one connection pool and one I/O runtime. Build it once and
/// share it.
#[derive(Clone)]
pub struct Client {
    inner: AsyncClient,
    runtime: Arc<RuntimeOwner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_key", &"<redacted>")
            .field("base_url", &self.inner.inner.base_url)
            .field("timeout", &self.inner.inner.timeout)
            .field("max_retries", &self.inner.inner.max_retries)
            .field("user_agent", &self.inner.inner.user_agent)
            .finish()
    }
}

impl ClientBuilder {
    /// Build a blocking [`Client`].
    pub fn build(self) -> Result<Client> {
        let inner = AsyncClient::from_settings(self.resolve()?)?;
        let runtime = IoRuntime::start()?;
        Ok(Client {
            inner,
            runtime: Arc::new(RuntimeOwner(PerProcess::new(runtime))),
        })
    }

    /// Build an [`AsyncClient`] (its calls run on the caller's tokio runtime).
    pub fn build_async(self) -> Result<AsyncClient> {
        AsyncClient::from_settings(self.resolve()?)
    }
}

impl Client {
    /// A builder; see [`ClientBuilder`] for the options and their env vars.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client from `ZIGNSEC_*` environment variables alone.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::new().build()
    }

    /// The asynchronous client this one drives (same pool, same options).
    pub fn as_async(&self) -> &AsyncClient {
        &self.inner
    }

    /// The runtime this client's I/O runs on in this process, for bindings that
    /// bridge to their own event loops. In a forked child it is a fresh runtime.
    pub fn runtime_handle(&self) -> Option<tokio::runtime::Handle> {
        self.runtime.runtime().ok().map(|rt| rt.handle().clone())
    }

    fn block_on<T>(&self, future: impl Future<Output = Result<T>>) -> Result<T> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::config(
                "the blocking zignsec::Client was called inside an async runtime; use zignsec::AsyncClient there",
            ));
        }
        self.runtime.runtime()?.block_on(future)
    }

    /// The base URL calls go to (no trailing slash).
    pub fn base_url(&self) -> &str {
        self.inner.base_url()
    }
    /// Total time for one call.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout()
    }
    /// Retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.inner.max_retries()
    }

    /// See [`AsyncClient::send_sms`].
    pub fn send_sms(&self, request: &SendSms) -> Result<SmsSession> {
        self.block_on(self.inner.send_sms(request))
    }
    /// See [`AsyncClient::start_phone_verification`].
    pub fn start_phone_verification(
        &self,
        request: &StartPhoneVerification,
    ) -> Result<PhoneSession> {
        self.block_on(self.inner.start_phone_verification(request))
    }
    /// See [`AsyncClient::start_email_verification`].
    pub fn start_email_verification(
        &self,
        request: &StartEmailVerification,
    ) -> Result<EmailSession> {
        self.block_on(self.inner.start_email_verification(request))
    }
    /// See [`AsyncClient::get_email_session`].
    pub fn get_email_session(&self, session_id: &str) -> Result<EmailSessionDetails> {
        self.block_on(self.inner.get_email_session(session_id))
    }
    /// See [`AsyncClient::wait_email_session`].
    pub fn wait_email_session(
        &self,
        session_id: &str,
        timeout: Option<Duration>,
        poll_interval: Option<Duration>,
    ) -> Result<EmailSessionDetails> {
        self.block_on(
            self.inner
                .wait_email_session(session_id, timeout, poll_interval),
        )
    }
    /// See [`AsyncClient::get_sms_session`].
    pub fn get_sms_session(&self, session_id: &str) -> Result<SmsSessionDetails> {
        self.block_on(self.inner.get_sms_session(session_id))
    }
    /// See [`AsyncClient::get_phone_session`].
    pub fn get_phone_session(&self, session_id: &str) -> Result<PhoneSessionDetails> {
        self.block_on(self.inner.get_phone_session(session_id))
    }
    /// See [`AsyncClient::wait_sms_session`].
    pub fn wait_sms_session(
        &self,
        session_id: &str,
        timeout: Option<Duration>,
        poll_interval: Option<Duration>,
    ) -> Result<SmsSessionDetails> {
        self.block_on(
            self.inner
                .wait_sms_session(session_id, timeout, poll_interval),
        )
    }
    /// See [`AsyncClient::wait_phone_session`].
    pub fn wait_phone_session(
        &self,
        session_id: &str,
        timeout: Option<Duration>,
        poll_interval: Option<Duration>,
    ) -> Result<PhoneSessionDetails> {
        self.block_on(
            self.inner
                .wait_phone_session(session_id, timeout, poll_interval),
        )
    }
}
