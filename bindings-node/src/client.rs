//! `Client`: the core's `AsyncClient` driven on napi's tokio runtime, so every call
//! is a Promise, the event loop never blocks, and no thread pool caps concurrency.

use std::time::Duration;

use napi_derive::napi;
use zignsec::{validate, AsyncClient, ClientBuilder, SendSms, StartPhoneVerification};

use crate::error::{self, to_napi, to_napi_unsent};
use crate::models::{
    ClientOptions, PhoneSession, PhoneSessionDetails, SendSmsParams, SmsSession, SmsSessionDetails,
    StartPhoneVerificationParams, WaitOptions,
};

/// The native client. Use the package's `Client` class, which wraps this one with
/// argument checks, error classes and a redacted `inspect`/`toJSON`.
#[napi]
#[derive(Debug)]
pub struct NativeClient {
    inner: AsyncClient,
}

/// A client option in milliseconds, as the seconds the builder takes; the core's
/// rule decides, and a bad value is a config error that speaks in milliseconds.
fn millis_option(field: &str, ms: f64) -> napi::Result<f64> {
    validate::millis(field, ms)
        .map(|d| d.as_secs_f64())
        .map_err(|e| error::config(e.message()))
}

fn builder_from(options: ClientOptions) -> napi::Result<ClientBuilder> {
    let mut b = ClientBuilder::new().sdk("node", env!("CARGO_PKG_VERSION"));
    if let Some(key) = options.api_key {
        b = b.api_key(key);
    }
    if let Some(env) = options.environment {
        b = b.environment(env);
    }
    if let Some(url) = options.base_url {
        b = b.base_url(url);
    }
    if let Some(ms) = options.timeout_ms {
        b = b.timeout_secs(millis_option("timeoutMs", ms)?);
    }
    if let Some(ms) = options.connect_timeout_ms {
        b = b.connect_timeout_secs(millis_option("connectTimeoutMs", ms)?);
    }
    if let Some(n) = options.max_retries {
        b = b.max_retries_f64(n);
    }
    if let Some(proxy) = options.proxy {
        b = b.proxy(proxy);
    }
    Ok(b)
}

fn wait_durations(
    options: Option<WaitOptions>,
) -> napi::Result<(Option<Duration>, Option<Duration>)> {
    let o = options.unwrap_or_default();
    let timeout = o
        .timeout_ms
        .map(|ms| validate::millis("timeoutMs", ms))
        .transpose()
        .map_err(to_napi)?;
    let poll = o
        .poll_interval_ms
        .map(|ms| validate::millis("pollIntervalMs", ms))
        .transpose()
        .map_err(to_napi)?;
    Ok((timeout, poll))
}

#[napi]
impl NativeClient {
    /// Build a client; bad options are a config error.
    #[napi(constructor)]
    pub fn new(options: Option<ClientOptions>) -> napi::Result<Self> {
        let builder = builder_from(options.unwrap_or_default())?;
        let inner = builder.build_async().map_err(to_napi)?;
        Ok(NativeClient { inner })
    }

    /// The base URL calls go to (no trailing slash).
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_string()
    }

    /// Total time for one call, in milliseconds.
    #[napi(getter)]
    pub fn timeout_ms(&self) -> f64 {
        self.inner.timeout().as_secs_f64() * 1000.0
    }

    /// Retries after the first attempt.
    #[napi(getter)]
    pub fn max_retries(&self) -> u32 {
        self.inner.max_retries()
    }

    /// The `User-Agent` sent (`zignsec-node/<version>`).
    #[napi(getter)]
    pub fn user_agent(&self) -> String {
        self.inner.user_agent().to_string()
    }

    /// Send an SMS (validated first; never sent twice).
    #[napi]
    pub async fn send_sms(&self, params: SendSmsParams) -> napi::Result<SmsSession> {
        let client = self.inner.clone();
        let mut request = SendSms::new(params.to, params.from, params.message);
        if let Some(n) = params.max_message_parts {
            let parts = validate::max_message_parts_from_f64(n).map_err(to_napi_unsent)?;
            request.max_message_parts = i64::from(parts);
        }
        request.relay_state = params.relay_state;
        request.webhook = params.webhook;
        client
            .send_sms(&request)
            .await
            .map(SmsSession::from)
            .map_err(to_napi)
    }

    /// Start a phone verification; send the user to the returned `redirectUrl`.
    #[napi]
    pub async fn start_phone_verification(
        &self,
        params: StartPhoneVerificationParams,
    ) -> napi::Result<PhoneSession> {
        let client = self.inner.clone();
        let mut request = StartPhoneVerification::new(params.phone_number);
        request.locale = params.locale;
        request.redirect_success = params.redirect_success;
        request.redirect_failure = params.redirect_failure;
        request.relay_state = params.relay_state;
        request.webhook = params.webhook;
        request.csrf_token = params.csrf_token;
        client
            .start_phone_verification(&request)
            .await
            .map(PhoneSession::from)
            .map_err(to_napi)
    }

    /// Read an SMS session.
    #[napi]
    pub async fn get_sms_session(&self, id: String) -> napi::Result<SmsSessionDetails> {
        let client = self.inner.clone();
        client
            .get_sms_session(&id)
            .await
            .map(|d| SmsSessionDetails::from(&d))
            .map_err(to_napi)
    }

    /// Read a phone verification session.
    #[napi]
    pub async fn get_phone_session(&self, id: String) -> napi::Result<PhoneSessionDetails> {
        let client = self.inner.clone();
        client
            .get_phone_session(&id)
            .await
            .map(|d| PhoneSessionDetails::from(&d))
            .map_err(to_napi)
    }

    /// Poll an SMS session until its status is final.
    #[napi]
    pub async fn wait_sms_session(
        &self,
        id: String,
        options: Option<WaitOptions>,
    ) -> napi::Result<SmsSessionDetails> {
        let client = self.inner.clone();
        let (timeout, poll) = wait_durations(options)?;
        client
            .wait_sms_session(&id, timeout, poll)
            .await
            .map(|d| SmsSessionDetails::from(&d))
            .map_err(to_napi)
    }

    /// Poll a phone session until its status is final.
    #[napi]
    pub async fn wait_phone_session(
        &self,
        id: String,
        options: Option<WaitOptions>,
    ) -> napi::Result<PhoneSessionDetails> {
        let client = self.inner.clone();
        let (timeout, poll) = wait_durations(options)?;
        client
            .wait_phone_session(&id, timeout, poll)
            .await
            .map(|d| PhoneSessionDetails::from(&d))
            .map_err(to_napi)
    }
}
