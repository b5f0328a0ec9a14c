//! `Client`: the core's `AsyncClient` driven on napi's tokio runtime, so every call
//! is a Promise, the event loop never blocks, and no thread pool caps concurrency.
//! A call's result (or its error, built as a JavaScript error with its fields) is
//! made on the JS thread once the future is done.

use std::future::Future;

use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use napi::Env;
use napi_derive::napi;
use zignsec::input::{self, Number, SendSmsInput, Span};
use zignsec::otp::SendOtp;
use zignsec::{AsyncClient, StartEmailVerification, StartPhoneVerification};

use crate::error::to_js;
use crate::models::{
    ClientOptions, EmailSession, EmailSessionDetails, OtpSend, PhoneSession, PhoneSessionDetails,
    SendOtpParams, SendSmsParams, SmsSession, SmsSessionDetails, StartEmailVerificationParams,
    StartPhoneVerificationParams, WaitOptions,
};
use crate::otp::NativeOtp;

/// The native client. Use the package's `Client` class, which wraps this one with
/// argument checks, error classes and a redacted `inspect`/`toJSON`.
#[napi]
#[derive(Debug)]
pub struct NativeClient {
    inner: AsyncClient,
}

/// Run `fut` on the runtime; its value (through `map`) or its error is made on the
/// JS thread.
fn spawn<'env, T, V, F>(
    env: &'env Env,
    fut: F,
    map: impl FnOnce(T) -> V + 'static,
) -> napi::Result<PromiseRaw<'env, V>>
where
    T: Send + 'static,
    V: ToNapiValue,
    F: Future<Output = zignsec::Result<T>> + Send + 'static,
{
    env.spawn_future_with_callback(async move { Ok(fut.await) }, move |env, result| {
        result.map(map).map_err(|e| to_js(env, &e))
    })
}

/// A promise that rejects at once with `err` (a check that failed before any request).
fn rejected<'env, V: ToNapiValue + Send + 'static>(
    env: &'env Env,
    err: zignsec::Error,
) -> napi::Result<PromiseRaw<'env, V>> {
    spawn(env, async move { Err::<V, _>(err) }, |v| v)
}

fn wait_spans(options: Option<WaitOptions>) -> (Option<Span>, Option<Span>) {
    let o = options.unwrap_or_default();
    (
        o.timeout_ms.map(|ms| Span::Millis(Number::Float(ms))),
        o.poll_interval_ms.map(|ms| Span::Millis(Number::Float(ms))),
    )
}

const WAIT_NAMES: (&str, &str) = ("timeoutMs", "pollIntervalMs");

#[napi]
impl NativeClient {
    /// Build a client; bad options are a config error.
    #[napi(constructor)]
    pub fn new(env: Env, options: Option<ClientOptions>) -> napi::Result<Self> {
        let options: input::ClientOptions = options.unwrap_or_default().into();
        let inner = options
            .into_builder("node", env!("CARGO_PKG_VERSION"))
            .and_then(|b| b.build_async())
            .map_err(|e| to_js(&env, &e))?;
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
    #[napi(ts_return_type = "Promise<SmsSession>")]
    pub fn send_sms<'env>(
        &self,
        env: &'env Env,
        params: SendSmsParams,
    ) -> napi::Result<PromiseRaw<'env, SmsSession>> {
        let input = SendSmsInput {
            to: params.to,
            from: params.from,
            message: params.message,
            max_message_parts: params.max_message_parts.map(Number::Float),
            relay_state: params.relay_state,
            webhook: params.webhook,
        };
        let request = match input.into_request() {
            Ok(r) => r,
            Err(e) => return rejected(env, e),
        };
        let client = self.inner.clone();
        spawn(
            env,
            async move { client.send_sms(&request).await },
            SmsSession::from,
        )
    }

    /// Issue a one-time code with `otp`, send it in `params.template`, and return the
    /// SMS session with the challenge to store (never the code).
    #[napi(ts_return_type = "Promise<OtpSend>")]
    pub fn send_otp<'env>(
        &self,
        env: &'env Env,
        params: SendOtpParams,
        otp: &NativeOtp,
    ) -> napi::Result<PromiseRaw<'env, OtpSend>> {
        // The part count goes through the same intake as sendSms.
        let parts = SendSmsInput {
            max_message_parts: params.max_message_parts.map(Number::Float),
            ..SendSmsInput::default()
        }
        .into_request();
        let parts = match parts {
            Ok(r) => r.max_message_parts,
            Err(e) => return rejected(env, e),
        };
        let request = SendOtp {
            to: params.to,
            from: params.from,
            template: params.template,
            max_message_parts: parts,
            relay_state: params.relay_state,
            webhook: params.webhook,
        };
        let client = self.inner.clone();
        let otp = otp.shared();
        spawn(
            env,
            async move { client.send_otp(&request, &otp).await },
            |s| OtpSend {
                session: SmsSession::from(s.session),
                challenge: s.challenge,
            },
        )
    }

    /// Start a phone verification; send the user to the returned `redirectUrl`.
    #[napi(ts_return_type = "Promise<PhoneSession>")]
    pub fn start_phone_verification<'env>(
        &self,
        env: &'env Env,
        params: StartPhoneVerificationParams,
    ) -> napi::Result<PromiseRaw<'env, PhoneSession>> {
        let mut request = StartPhoneVerification::new(params.phone_number);
        request.locale = params.locale;
        request.redirect_success = params.redirect_success;
        request.redirect_failure = params.redirect_failure;
        request.relay_state = params.relay_state;
        request.webhook = params.webhook;
        request.csrf_token = params.csrf_token;
        let client = self.inner.clone();
        spawn(
            env,
            async move { client.start_phone_verification(&request).await },
            PhoneSession::from,
        )
    }

    /// Start an email verification; send the user to the returned `redirectUrl`.
    #[napi(ts_return_type = "Promise<EmailSession>")]
    pub fn start_email_verification<'env>(
        &self,
        env: &'env Env,
        params: StartEmailVerificationParams,
    ) -> napi::Result<PromiseRaw<'env, EmailSession>> {
        let mut request = StartEmailVerification::new(
            params.email_address,
            params.locale,
            params.redirect_success,
            params.redirect_failure,
        );
        request.relay_state = params.relay_state;
        request.webhook = params.webhook;
        request.csrf_token = params.csrf_token;
        let client = self.inner.clone();
        spawn(
            env,
            async move { client.start_email_verification(&request).await },
            EmailSession::from,
        )
    }

    /// Read an SMS session.
    #[napi(ts_return_type = "Promise<SmsSessionDetails>")]
    pub fn get_sms_session<'env>(
        &self,
        env: &'env Env,
        id: String,
    ) -> napi::Result<PromiseRaw<'env, SmsSessionDetails>> {
        let client = self.inner.clone();
        spawn(env, async move { client.get_sms_session(&id).await }, |d| {
            SmsSessionDetails::from(&d)
        })
    }

    /// Read a phone verification session.
    #[napi(ts_return_type = "Promise<PhoneSessionDetails>")]
    pub fn get_phone_session<'env>(
        &self,
        env: &'env Env,
        id: String,
    ) -> napi::Result<PromiseRaw<'env, PhoneSessionDetails>> {
        let client = self.inner.clone();
        spawn(
            env,
            async move { client.get_phone_session(&id).await },
            |d| PhoneSessionDetails::from(&d),
        )
    }

    /// Read an email verification session.
    #[napi(ts_return_type = "Promise<EmailSessionDetails>")]
    pub fn get_email_session<'env>(
        &self,
        env: &'env Env,
        id: String,
    ) -> napi::Result<PromiseRaw<'env, EmailSessionDetails>> {
        let client = self.inner.clone();
        spawn(
            env,
            async move { client.get_email_session(&id).await },
            |d| EmailSessionDetails::from(&d),
        )
    }

    /// Poll an SMS session until its status is final.
    #[napi(ts_return_type = "Promise<SmsSessionDetails>")]
    pub fn wait_sms_session<'env>(
        &self,
        env: &'env Env,
        id: String,
        options: Option<WaitOptions>,
    ) -> napi::Result<PromiseRaw<'env, SmsSessionDetails>> {
        let (t, p) = wait_spans(options);
        let (timeout, poll) = match input::wait_durations(t, p, WAIT_NAMES) {
            Ok(d) => d,
            Err(e) => return rejected(env, e),
        };
        let client = self.inner.clone();
        spawn(
            env,
            async move { client.wait_sms_session(&id, timeout, poll).await },
            |d| SmsSessionDetails::from(&d),
        )
    }

    /// Poll a phone session until its status is final.
    #[napi(ts_return_type = "Promise<PhoneSessionDetails>")]
    pub fn wait_phone_session<'env>(
        &self,
        env: &'env Env,
        id: String,
        options: Option<WaitOptions>,
    ) -> napi::Result<PromiseRaw<'env, PhoneSessionDetails>> {
        let (t, p) = wait_spans(options);
        let (timeout, poll) = match input::wait_durations(t, p, WAIT_NAMES) {
            Ok(d) => d,
            Err(e) => return rejected(env, e),
        };
        let client = self.inner.clone();
        spawn(
            env,
            async move { client.wait_phone_session(&id, timeout, poll).await },
            |d| PhoneSessionDetails::from(&d),
        )
    }

    /// Poll an email session until its status is final.
    #[napi(ts_return_type = "Promise<EmailSessionDetails>")]
    pub fn wait_email_session<'env>(
        &self,
        env: &'env Env,
        id: String,
        options: Option<WaitOptions>,
    ) -> napi::Result<PromiseRaw<'env, EmailSessionDetails>> {
        let (t, p) = wait_spans(options);
        let (timeout, poll) = match input::wait_durations(t, p, WAIT_NAMES) {
            Ok(d) => d,
            Err(e) => return rejected(env, e),
        };
        let client = self.inner.clone();
        spawn(
            env,
            async move { client.wait_email_session(&id, timeout, poll).await },
            |d| EmailSessionDetails::from(&d),
        )
    }
}
