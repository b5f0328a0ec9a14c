//! [`AsyncClient`]: the operations, the call loop (one attempt at a time, the
//! retry decision in [`retry::next_step`]), key rotation and waits. The blocking
//! face is in `blocking.rs`, the wires in `async_transport.rs` and
//! `blocking_transport.rs` (HTTP/1.1 itself in `http1.rs`), answers in `response.rs`.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::header::{HeaderName, HeaderValue};
use http::Method;
use serde::de::DeserializeOwned;

use crate::async_transport::AsyncPool;
use crate::blocking_transport::Pool;
use crate::config::{AuthScheme, ClientBuilder, Settings};
use crate::error::{Error, ErrorKind, Result, WaitDetails};
use crate::http1::Outgoing;
use crate::models::{
    EmailSession, EmailSessionDetails, PhoneSession, PhoneSessionDetails, SendSms, SmsSession,
    SmsSessionDetails, StartEmailVerification, StartPhoneVerification,
};
use crate::process::PerProcess;
use crate::response::{decode_answer, status_error, Scrub};
use crate::retry::{self, next_step, CallKind, Outcome, Step};
use crate::transport::{Attempt, Body};
use crate::{input, interrupt, validate};

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

/// How a client's attempts go on the wire: each holds the connection pool of the
/// process using the client (rebuilt in a forked child).
enum Wire {
    /// HTTP/1.1 on tokio sockets of the caller's runtime: the async client.
    Async(PerProcess<AsyncPool>),
    /// HTTP/1.1 on the calling thread: the blocking client. Its futures never wait
    /// on a runtime; each is done in one poll.
    Blocking(PerProcess<Pool>),
}

/// A [`Wire`]'s pool for this process's calls.
enum Ready<'a> {
    Async(&'a AsyncPool),
    Blocking(&'a Pool),
}

struct Inner {
    wire: Wire,
    /// What the pool is built from, for a child's first call.
    settings: Settings,
    /// Shared with a sibling client (the blocking client's other face), so a key
    /// rotation holds for both.
    keys: Arc<Keys>,
    base_url: String,
    /// `base_url` parsed once: the request target is its path and the call's.
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

/// One call to make: what, how it may be retried, and by when.
struct Call<'a> {
    kind: CallKind,
    method: Method,
    path: &'a str,
    body: Option<Body>,
    csrf_token: Option<&'a str>,
    deadline: Instant,
    /// Texts of this call that gateway text must not echo into an error message.
    private: &'a [&'a str],
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
        let pool = AsyncPool::new(&settings)?;
        Self::with_wire(settings, Wire::Async(PerProcess::new(pool)))
    }

    /// The blocking client's face: the same calls on the blocking wire.
    pub(crate) fn blocking_from_settings(settings: Settings) -> Result<AsyncClient> {
        let pool = Pool::new(&settings)?;
        Self::with_wire(settings, Wire::Blocking(PerProcess::new(pool)))
    }

    fn with_wire(settings: Settings, wire: Wire) -> Result<AsyncClient> {
        crate::logging::init_from_env();
        let keys = Keys::new(
            settings.auth_scheme,
            &settings.api_key,
            settings.secondary_api_key.as_deref(),
        )?;
        let base_url = settings.base_url.as_str().trim_end_matches('/').to_string();
        Ok(AsyncClient {
            inner: Arc::new(Inner {
                wire,
                keys: Arc::new(keys),
                base_url,
                base: settings.base_url.clone(),
                timeout: settings.timeout,
                max_retries: settings.max_retries,
                user_agent: settings.user_agent.clone(),
                settings,
            }),
        })
    }

    /// An async client with the same options and keys (rotation included) but a
    /// pool of its own, built on its first call: the blocking client's async face.
    pub(crate) fn async_sibling(&self) -> AsyncClient {
        let inner = &self.inner;
        AsyncClient {
            inner: Arc::new(Inner {
                wire: Wire::Async(PerProcess::empty()),
                settings: inner.settings.clone(),
                keys: Arc::clone(&inner.keys),
                base_url: inner.base_url.clone(),
                base: inner.base.clone(),
                timeout: inner.timeout,
                max_retries: inner.max_retries,
                user_agent: inner.user_agent.clone(),
            }),
        }
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
        let settings = &self.inner.settings;
        let wire = match &self.inner.wire {
            Wire::Async(pool) => Ready::Async(pool.get_or_try_init(|| AsyncPool::new(settings))?),
            Wire::Blocking(pool) => Ready::Blocking(pool.get_or_try_init(|| Pool::new(settings))?),
        };
        let scrub = Scrub {
            secrets: &self.inner.settings.secrets,
            private,
        };
        // `concat`, not `format!`: one exact allocation, no formatting machinery (this
        // runs on every call).
        let target = [self.inner.base.path().trim_end_matches('/'), path].concat();
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
            if interrupt::fired() {
                // The caller of a blocking call asked it to stop: no further attempt.
                let mut err = Error::new(
                    ErrorKind::Connection,
                    format!("{method} {path} was stopped by its caller ({attempts} attempt(s))"),
                )
                .with_attempts(attempts);
                err.set_maybe_sent(
                    (kind == CallKind::Send).then_some(maybe_sent_so_far || attempts > 0),
                );
                return Err(err);
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                let err = Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "{method} {path} timed out after {} ms ({attempts} attempt(s))",
                        started.elapsed().as_millis()
                    ),
                );
                let mut err = err.with_attempts(attempts);
                err.set_maybe_sent((kind == CallKind::Send).then_some(maybe_sent_so_far));
                return Err(err);
            }
            attempts += 1;
            let attempt_started = Instant::now();
            let outgoing = Outgoing {
                key: (&self.inner.keys.header, &self.inner.keys.values[key_slot]),
                method: &method,
                target: &target,
                body: body.as_ref(),
                csrf_token,
            };
            let outcome = match wire {
                Ready::Async(pool) => {
                    pool.send_once(&outgoing, deadline, self.inner.timeout)
                        .await
                }
                Ready::Blocking(pool) => pool.send_once(&outgoing, deadline, self.inner.timeout),
            };
            let elapsed_ms = attempt_started.elapsed().as_millis();
            let slot_name = Keys::slot_name(key_slot);
            let (mut err, outcome) = match outcome {
                Attempt::Answered(answer) if (200..300).contains(&answer.status) => {
                    log::debug!(target: "zignsec", "{method} {path} -> {} (attempt {attempts}, {slot_name} key, {elapsed_ms} ms)", answer.status);
                    if rotated {
                        // The other key worked: keep using it.
                        self.inner.keys.active.store(key_slot, Ordering::Relaxed);
                        log::info!(target: "zignsec", "the {slot_name} API key is now in use");
                    }
                    let mut result = decode_answer::<T>(&answer, attempts, &scrub);
                    if let (Err(e), CallKind::Send) = (&mut result, kind) {
                        // The gateway answered 2xx: the request was processed.
                        e.set_maybe_sent(Some(true));
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
                    let outcome = Outcome::Status {
                        status: answer.status,
                        retry_after: answer.retry_after,
                    };
                    (status_error(&answer, attempts, &scrub), outcome)
                }
                Attempt::Failed(failure) => {
                    log::debug!(target: "zignsec", "{method} {path} -> {} (attempt {attempts}, {elapsed_ms} ms)", failure.kind);
                    let err = Error::new(
                        failure.kind,
                        scrub.message(&format!("{method} {path}: {}", failure.message)),
                    )
                    .with_attempts(attempts)
                    .with_source(failure.source);
                    let outcome = Outcome::Transport {
                        never_left: failure.never_left,
                    };
                    (err, outcome)
                }
            };
            let step = next_step(
                kind,
                outcome,
                attempts - free_attempts - 1,
                self.inner.max_retries,
                deadline.saturating_duration_since(Instant::now()),
            );
            let wait = match step {
                Step::Retry(wait) => wait,
                Step::GiveUp { maybe_sent } => {
                    err.set_maybe_sent(maybe_sent);
                    return Err(err);
                }
            };
            // Only outcomes that say "nothing was done" are retried, so nothing so far
            // may have reached the gateway (kept explicit for the timeout below).
            maybe_sent_so_far |= retry::maybe_sent(kind, outcome) == Some(true);
            log::info!(target: "zignsec", "{method} {path}: {} on attempt {attempts}, retrying in {} ms", err.kind(), wait.as_millis());
            self.pause(wait).await;
        }
    }

    /// A wait between polls, on this client's wire.
    async fn pause(&self, wait: Duration) {
        match &self.inner.wire {
            Wire::Async(_) => tokio::time::sleep(wait).await,
            Wire::Blocking(_) => interrupt::sleep(wait),
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
        let body = Body::new(input::send_sms_body(request)?);
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
        let body = Body::new(input::start_phone_body(request)?);
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
        let body = Body::new(input::start_email_body(request)?);
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
        let path = [SESSION_PATH, &id].concat();
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
                let err = Error::new(
                    ErrorKind::WaitTimeout,
                    format!(
                        "session {session_id} is still {} after {:.1} s",
                        status.map_or("unread".to_string(), |s| format!("`{s}`")),
                        started.elapsed().as_secs_f64()
                    ),
                );
                return Err(err.with_details(last.map(wrap)).with_attempts(polls));
            }
            self.pause(interval.min(wait_deadline - now)).await;
            // Poll a little less often as the wait goes on, up to 4× the interval.
            interval = interval.mul_f64(1.5).min(poll_interval * 4);
        }
    }
}
