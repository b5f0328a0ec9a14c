//! The blocking client: each call runs on the calling thread, on a current-thread
//! runtime of the client's (one per process), with a pool of its own; the async face
//! (`as_async`, `runtime_handle`) keeps a multi-thread runtime and its own pool.

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

/// A blocking [`Client`]'s two runtimes, one of each per process (see [`PerProcess`]).
struct Runtimes {
    /// Current-thread: driven by whichever calling thread is inside a call, so a
    /// sequential caller does its own I/O with no thread hop.
    caller: PerProcess<IoRuntime>,
    /// Multi-thread, for the async face; started on first use.
    io: PerProcess<IoRuntime>,
}

/// A tokio runtime that, when dropped outside any runtime, waits briefly for its
/// threads to end (joined, not detached: a detached thread still running when the
/// process exits or the library is unloaded is a crash risk).
struct IoRuntime(Option<Runtime>);

/// How long dropping the last handle of a blocking client waits for its I/O threads.
const RUNTIME_SHUTDOWN_WAIT: Duration = Duration::from_millis(500);

impl IoRuntime {
    fn start_multi_thread() -> Result<IoRuntime> {
        Self::start(
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("zignsec-io"),
        )
    }

    fn start_current_thread() -> Result<IoRuntime> {
        Self::start(tokio::runtime::Builder::new_current_thread().thread_name("zignsec-io"))
    }

    fn start(builder: &mut tokio::runtime::Builder) -> Result<IoRuntime> {
        builder
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

impl Runtimes {
    /// This process's runtime for blocking calls (in a forked child, a new one).
    fn caller(&self) -> Result<&Runtime> {
        self.caller
            .get_or_try_init(IoRuntime::start_current_thread)?
            .runtime()
    }

    /// This process's runtime for the async face (in a forked child, a new one).
    fn io(&self) -> Result<&Runtime> {
        self.io
            .get_or_try_init(IoRuntime::start_multi_thread)?
            .runtime()
    }
}

/// A call as the runtime runs it: first let the runtime take in the socket events
/// that arrived while no thread was driving it, then the call.
///
/// On a current-thread runtime nothing polls an idle pooled connection between
/// calls, so a close by the gateway (a FIN) waits, unread, in the kernel. Without
/// this step the call would check that connection out, write its request onto it
/// and only then read the EOF: a send that fails with `maybe_sent`. The call runs
/// as a task, so on the thread that drives the runtime; there tokio defers a
/// `yield_now` wake-up until after the driver's next poll for events, and the
/// connection tasks those events wake are queued ahead of it. A connection task
/// polls its read side before it takes a request, so it sees the EOF and closes;
/// the pool then skips it, and a request already handed to it comes back unsent
/// and is retried on a fresh connection.
async fn settled<F: Future>(call: F) -> F::Output {
    tokio::task::yield_now().await;
    call.await
}

/// The result of a call's task: a panic in the call goes on in the caller.
fn joined<T>(outcome: std::result::Result<Result<T>, tokio::task::JoinError>) -> Result<T> {
    match outcome {
        Ok(result) => result,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => Err(Error::config(
            "the call was cancelled: the client's runtime shut down",
        )),
    }
}

/// The blocking client: every call waits for its answer. Thread-safe and cheap to
/// clone; clones share one connection pool and one runtime. Build it once and
/// share it. Calls run on the calling thread; calls from many threads at once take
/// turns driving the I/O of all of them.
#[derive(Clone)]
pub struct Client {
    /// The async face, on the multi-thread runtime.
    inner: AsyncClient,
    /// The same client with its own pool, used only on the current-thread runtime.
    direct: AsyncClient,
    runtimes: Arc<Runtimes>,
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
        let direct = AsyncClient::from_settings(self.resolve()?)?;
        let inner = direct.sibling();
        let caller = IoRuntime::start_current_thread()?;
        Ok(Client {
            inner,
            direct,
            runtimes: Arc::new(Runtimes {
                caller: PerProcess::new(caller),
                io: PerProcess::empty(),
            }),
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
        self.runtimes.io().ok().map(|rt| rt.handle().clone())
    }

    /// Run `call` on this process's current-thread runtime, from the calling thread.
    ///
    /// The call is a task of the runtime: the thread that drives the runtime (the
    /// caller itself, unless another thread's call is already driving it) runs it
    /// next to the connection tasks, so a call does its own I/O without waking any
    /// other thread, and calls from many threads share one driver instead of handing
    /// every wake-up across threads.
    fn run<T: Send + 'static>(
        &self,
        call: impl Future<Output = Result<T>> + Send + 'static,
    ) -> Result<T> {
        let rt = self.caller_runtime()?;
        // Spawned inside `block_on`: on the driving thread it goes on the local queue.
        joined(rt.block_on(async { tokio::spawn(settled(call)).await }))
    }

    fn caller_runtime(&self) -> Result<&Runtime> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::config(
                "the blocking zignsec::Client was called inside an async runtime; use zignsec::AsyncClient there",
            ));
        }
        self.runtimes.caller()
    }

    /// Run one call the way the blocking methods do (on the calling thread, with
    /// this client's blocking pool), asking `interrupted` every `every` whether to
    /// give up; for bindings whose callers must be able to interrupt a wait (Ctrl-C
    /// in Python).
    ///
    /// `call` gets the client to call (a cheap clone of the blocking face) and
    /// returns the call's future, e.g. `|c| async move { c.get_sms_session(&id).await }`.
    /// `interrupted` runs on the calling thread between two stretches of the call,
    /// while no runtime is being driven by it; when it returns `Err(e)` the call is
    /// dropped (cancelled, as an async call is) and `Err(e)` returned. Otherwise the
    /// call's own result comes back as `Ok(result)`.
    pub fn block_on_interruptible<T, E, F, Fut>(
        &self,
        call: F,
        every: Duration,
        mut interrupted: impl FnMut() -> std::result::Result<(), E>,
    ) -> std::result::Result<Result<T>, E>
    where
        T: Send + 'static,
        F: FnOnce(AsyncClient) -> Fut,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        let rt = match self.caller_runtime() {
            Ok(rt) => rt,
            Err(e) => return Ok(Err(e)),
        };
        let mut pending = Some(call(self.direct.clone()));
        let mut task: Option<tokio::task::JoinHandle<Result<T>>> = None;
        loop {
            let stretch = rt.block_on(async {
                if let Some(call) = pending.take() {
                    task = Some(tokio::spawn(settled(call)));
                }
                match task.as_mut() {
                    Some(t) => tokio::time::timeout(every, t).await.ok(),
                    None => Some(Ok(Err(Error::config("the call was not started")))),
                }
            });
            match stretch {
                Some(outcome) => return Ok(joined(outcome)),
                // Out of the runtime: another thread can drive it while we check.
                None => {
                    if let Err(e) = interrupted() {
                        if let Some(t) = task.take() {
                            t.abort();
                            // Drive it to its end, so the call's connection is let go now.
                            let _ = rt.block_on(t);
                        }
                        return Err(e);
                    }
                }
            }
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
        let (c, request) = (self.direct.clone(), request.clone());
        self.run(async move { c.send_sms(&request).await })
    }
    /// See [`AsyncClient::start_phone_verification`].
    pub fn start_phone_verification(
        &self,
        request: &StartPhoneVerification,
    ) -> Result<PhoneSession> {
        let (c, request) = (self.direct.clone(), request.clone());
        self.run(async move { c.start_phone_verification(&request).await })
    }
    /// See [`AsyncClient::start_email_verification`].
    pub fn start_email_verification(
        &self,
        request: &StartEmailVerification,
    ) -> Result<EmailSession> {
        let (c, request) = (self.direct.clone(), request.clone());
        self.run(async move { c.start_email_verification(&request).await })
    }
    /// See [`AsyncClient::get_email_session`].
    pub fn get_email_session(&self, session_id: &str) -> Result<EmailSessionDetails> {
        let (c, id) = (self.direct.clone(), session_id.to_owned());
        self.run(async move { c.get_email_session(&id).await })
    }
    /// See [`AsyncClient::wait_email_session`].
    pub fn wait_email_session(
        &self,
        session_id: &str,
        timeout: Option<Duration>,
        poll_interval: Option<Duration>,
    ) -> Result<EmailSessionDetails> {
        let (c, id) = (self.direct.clone(), session_id.to_owned());
        self.run(async move { c.wait_email_session(&id, timeout, poll_interval).await })
    }
    /// See [`AsyncClient::get_sms_session`].
    pub fn get_sms_session(&self, session_id: &str) -> Result<SmsSessionDetails> {
        let (c, id) = (self.direct.clone(), session_id.to_owned());
        self.run(async move { c.get_sms_session(&id).await })
    }
    /// See [`AsyncClient::get_phone_session`].
    pub fn get_phone_session(&self, session_id: &str) -> Result<PhoneSessionDetails> {
        let (c, id) = (self.direct.clone(), session_id.to_owned());
        self.run(async move { c.get_phone_session(&id).await })
    }
    /// See [`AsyncClient::wait_sms_session`].
    pub fn wait_sms_session(
        &self,
        session_id: &str,
        timeout: Option<Duration>,
        poll_interval: Option<Duration>,
    ) -> Result<SmsSessionDetails> {
        let (c, id) = (self.direct.clone(), session_id.to_owned());
        self.run(async move { c.wait_sms_session(&id, timeout, poll_interval).await })
    }
    /// See [`AsyncClient::wait_phone_session`].
    pub fn wait_phone_session(
        &self,
        session_id: &str,
        timeout: Option<Duration>,
        poll_interval: Option<Duration>,
    ) -> Result<PhoneSessionDetails> {
        let (c, id) = (self.direct.clone(), session_id.to_owned());
        self.run(async move { c.wait_phone_session(&id, timeout, poll_interval).await })
    }
}
