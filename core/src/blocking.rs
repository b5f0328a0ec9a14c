//! The blocking client: the async client driven on a runtime of its own, one per
//! process.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::runtime::Runtime;

use crate::client::AsyncClient;
use crate::config::ClientBuilder;
use crate::error::{Error, Result};
use crate::models::{
    EmailSession, EmailSessionDetails, PhoneSession, PhoneSessionDetails, SendSms, SmsSession,
    SmsSessionDetails, StartEmailVerification, StartPhoneVerification,
};
use crate::process::PerProcess;

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
            .field("base_url", &self.inner.base_url())
            .field("timeout", &self.inner.timeout())
            .field("max_retries", &self.inner.max_retries())
            .field("user_agent", &self.inner.user_agent())
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
