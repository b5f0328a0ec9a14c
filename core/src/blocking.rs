//! The blocking client: each call runs on the calling thread, on the blocking wire
//! (`blocking_transport.rs`: HTTP/1.1 on the thread's own socket, a pool of its
//! own), with no runtime at all; the async face (`as_async`, `runtime_handle`)
//! keeps a multi-thread runtime and its own pool.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use tokio::runtime::Runtime;

use crate::client::AsyncClient;
use crate::config::ClientBuilder;
use crate::error::{Error, Result};
use crate::interrupt;
use crate::models::{
    EmailSession, EmailSessionDetails, PhoneSession, PhoneSessionDetails, SendSms, SmsSession,
    SmsSessionDetails, StartEmailVerification, StartPhoneVerification,
};
use crate::process::PerProcess;

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

    fn runtime(&self) -> Result<&Runtime> {
        self.0
            .as_ref()
            .ok_or_else(|| Error::config("the client's runtime is gone"))
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

/// Run a call of the blocking wire to its end on this thread. Such a call never
/// waits on a runtime (its I/O blocks in place), so it is done in its first poll;
/// the loop is only for a future that waits on something else.
fn run_here<F: Future>(call: F) -> F::Output {
    let mut call = std::pin::pin!(call);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = call.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::park_timeout(Duration::from_millis(1));
    }
}

/// The blocking client: every call waits for its answer. Thread-safe and cheap to
/// clone; clones share one connection pool. Build it once and share it. Calls run
/// on the calling thread, each on a connection of its own from the pool, so calls
/// from many threads at once go out at once.
#[derive(Clone)]
pub struct Client {
    /// The async face, on the multi-thread runtime.
    inner: AsyncClient,
    /// The same client on the blocking wire.
    direct: AsyncClient,
    /// The async face's runtime in this process, started on first use.
    io: Arc<PerProcess<IoRuntime>>,
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
        // The pool built (and its options checked) here is the blocking calls' one.
        let direct = AsyncClient::blocking_from_settings(self.resolve()?)?;
        let inner = direct.async_sibling();
        Ok(Client {
            inner,
            direct,
            io: Arc::new(PerProcess::empty()),
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

    /// The asynchronous face of this client: same options and keys, run on
    /// [`runtime_handle`](Self::runtime_handle). It has a pool of its own (a
    /// connection belongs to the runtime that opened it), built on its first call.
    pub fn as_async(&self) -> &AsyncClient {
        &self.inner
    }

    /// The multi-thread runtime of the async face ([`as_async`](Self::as_async)) in
    /// this process, for bindings that bridge to their own event loops: tasks
    /// spawned on it run on its own threads. Started on first use; in a forked child
    /// it is a fresh runtime. The blocking methods do not use it.
    pub fn runtime_handle(&self) -> Option<tokio::runtime::Handle> {
        self.io
            .get_or_try_init(IoRuntime::start)
            .and_then(IoRuntime::runtime)
            .ok()
            .map(|rt| rt.handle().clone())
    }

    /// Run a call of the blocking wire on the calling thread.
    fn run<T>(&self, call: impl Future<Output = Result<T>>) -> Result<T> {
        refuse_inside_runtime()?;
        run_here(call)
    }

    /// Run one call the way the blocking methods do (on the calling thread, with
    /// this client's blocking pool), asking `interrupted` at least every `every`
    /// while the call waits whether to give up; for bindings whose callers must be
    /// able to interrupt a wait (Ctrl-C in Python).
    ///
    /// `call` gets the client to call (the blocking face, as an [`AsyncClient`]
    /// whose futures do their I/O in place) and returns the call's future, e.g.
    /// `|c| async move { c.get_sms_session(&id).await }`; it must await only that
    /// client's calls. `interrupted` runs on the calling thread between two
    /// stretches of waiting, with no lock of the client held; when it returns
    /// `Err(e)` the call ends at once (its connection is closed, no further attempt
    /// is made) and `Err(e)` is returned. Otherwise the call's own result comes
    /// back as `Ok(result)`.
    pub fn block_on_interruptible<T, E, F, Fut>(
        &self,
        call: F,
        every: Duration,
        mut interrupted: impl FnMut() -> std::result::Result<(), E>,
    ) -> std::result::Result<Result<T>, E>
    where
        F: FnOnce(AsyncClient) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        if let Err(e) = refuse_inside_runtime() {
            return Ok(Err(e));
        }
        let mut stopped = None;
        let mut ask = || match interrupted() {
            Ok(()) => false,
            Err(e) => {
                stopped = Some(e);
                true
            }
        };
        let direct = self.direct.clone();
        let (result, _) = interrupt::scope(every, &mut ask, || run_here(call(direct)));
        match stopped {
            Some(e) => Err(e),
            None => Ok(result),
        }
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
        self.run(self.direct.send_sms(request))
    }
    /// See [`AsyncClient::start_phone_verification`].
    pub fn start_phone_verification(
        &self,
        request: &StartPhoneVerification,
    ) -> Result<PhoneSession> {
        self.run(self.direct.start_phone_verification(request))
    }
    /// See [`AsyncClient::start_email_verification`].
    pub fn start_email_verification(
        &self,
        request: &StartEmailVerification,
    ) -> Result<EmailSession> {
        self.run(self.direct.start_email_verification(request))
    }
    /// See [`AsyncClient::get_email_session`].
    pub fn get_email_session(&self, session_id: &str) -> Result<EmailSessionDetails> {
        self.run(self.direct.get_email_session(session_id))
    }
    /// See [`AsyncClient::wait_email_session`].
    pub fn wait_email_session(
        &self,
        session_id: &str,
        timeout: Option<Duration>,
        poll_interval: Option<Duration>,
    ) -> Result<EmailSessionDetails> {
        self.run(
            self.direct
                .wait_email_session(session_id, timeout, poll_interval),
        )
    }
    /// See [`AsyncClient::get_sms_session`].
    pub fn get_sms_session(&self, session_id: &str) -> Result<SmsSessionDetails> {
        self.run(self.direct.get_sms_session(session_id))
    }
    /// See [`AsyncClient::get_phone_session`].
    pub fn get_phone_session(&self, session_id: &str) -> Result<PhoneSessionDetails> {
        self.run(self.direct.get_phone_session(session_id))
    }
    /// See [`AsyncClient::wait_sms_session`].
    pub fn wait_sms_session(
        &self,
        session_id: &str,
        timeout: Option<Duration>,
        poll_interval: Option<Duration>,
    ) -> Result<SmsSessionDetails> {
        self.run(
            self.direct
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
        self.run(
            self.direct
                .wait_phone_session(session_id, timeout, poll_interval),
        )
    }
}

/// A blocking call inside an async runtime would stall that runtime's thread.
fn refuse_inside_runtime() -> Result<()> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::config(
            "the blocking zignsec::Client was called inside an async runtime; use zignsec::AsyncClient there",
        ));
    }
    Ok(())
}
