//! `zignsec.Client` (blocking) and `zignsec._zignsec._AsyncClient` (the native half
//! of `zignsec.AsyncClient`). Both drive the core's async client on the core
//! `Client`'s own tokio runtime: blocking calls wait with the GIL released (waking
//! every 100 ms to let Ctrl-C through), async calls hand their result to an asyncio
//! Future through `loop.call_soon_threadsafe`.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyCFunction;
use tokio::runtime::Handle;
use zignsec::{SendSms, StartPhoneVerification};

use crate::convert::Call;
use crate::error;
use crate::lifecycle::{self, Entry, Slot};
use crate::logging;
use crate::models::{PhoneSession, PhoneSessionDetails, SmsSession, SmsSessionDetails};

/// What both clients hold: the core client (absent once closed; the exit hook closes
/// it too) and what `repr` shows. (`Debug` is the core's, which redacts the key.)
#[derive(Debug)]
struct Shared {
    client: Arc<Slot>,
    base_url: String,
    timeout: f64,
    max_retries: u32,
    user_agent: String,
}

impl Shared {
    #[allow(clippy::too_many_arguments)]
    fn build(
        py: Python<'_>,
        func: &'static str,
        api_key: Option<&Bound<'_, PyAny>>,
        environment: Option<&Bound<'_, PyAny>>,
        base_url: Option<&Bound<'_, PyAny>>,
        timeout: Option<&Bound<'_, PyAny>>,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        max_retries: Option<&Bound<'_, PyAny>>,
        proxy: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Shared> {
        let call = Call::new(func);
        // Only what the caller gave reaches the builder, so ZIGNSEC_* env vars fill the rest.
        let mut builder = zignsec::Client::builder().sdk("python", env!("CARGO_PKG_VERSION"));
        if let Some(key) = call.opt_text(api_key, "api_key", "api_key")? {
            builder = builder.api_key(key);
        }
        if let Some(env) = call.opt_text(environment, "environment", "environment")? {
            builder = builder.environment(env);
        }
        if let Some(url) = call.opt_text(base_url, "base_url", "base_url")? {
            builder = builder.base_url(url);
        }
        if let Some(t) = call.opt_seconds(timeout, "timeout")? {
            builder = builder.timeout_secs(t);
        }
        if let Some(t) = call.opt_seconds(connect_timeout, "connect_timeout")? {
            builder = builder.connect_timeout_secs(t);
        }
        if let Some(n) = max_retries.filter(|o| !o.is_none()) {
            builder = builder.max_retries(call.int(n, "max_retries")?);
        }
        if let Some(p) = call.opt_text(proxy, "proxy", "proxy")? {
            builder = builder.proxy(p);
        }
        let client = error::check(py, builder.build())?;
        logging::refresh(py);
        let shared = Shared {
            base_url: client.base_url().to_string(),
            timeout: client.timeout().as_secs_f64(),
            max_retries: client.max_retries(),
            user_agent: client.as_async().user_agent().to_string(),
            client: Arc::new(RwLock::new(Some(client))),
        };
        lifecycle::register(&shared.client);
        Ok(shared)
    }

    /// At the start of a call: the core client (a clone: clones share one pool and
    /// runtime, and each keeps the runtime alive), its async half, and its runtime (the
    /// current process's: a forked child gets its own). `send` marks a closed-client
    /// error `maybe_sent=False`. First of all the calling thread's permission to run
    /// Python code from here (see `lifecycle`); held until the call returns.
    fn get(
        &self,
        py: Python<'_>,
        send: bool,
    ) -> PyResult<(Option<Entry>, zignsec::Client, zignsec::AsyncClient, Handle)> {
        let inside = lifecycle::enter_py(py);
        logging::refresh(py);
        // The lock is let go before any Python code runs (building an exception may
        // switch threads, and the exit hook takes this lock with the GIL).
        let found = {
            let guard = self.client.read().unwrap_or_else(|e| e.into_inner());
            guard.as_ref().map(|c| (c.clone(), c.runtime_handle()))
        };
        let (client, handle) =
            found.ok_or_else(|| error::config(py, "the client is closed", send))?;
        let handle =
            handle.ok_or_else(|| error::config(py, "the client's runtime is gone", send))?;
        let core_async = client.as_async().clone();
        Ok((inside, client, core_async, handle))
    }

    fn close(&self, py: Python<'_>) {
        let taken = self
            .client
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        // Dropping the last handle shuts the runtime down; blocking calls in flight on
        // other threads keep it alive until they finish.
        if let Some(client) = taken {
            let ((), _inside) = lifecycle::detach(py, move || drop(client));
        }
    }

    fn closed(&self) -> bool {
        self.client
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
    }

    fn repr(&self, py: Python<'_>, class: &str) -> PyResult<String> {
        // Never the key: only what was resolved besides it.
        let text = |s: &str| -> PyResult<String> {
            Ok(pyo3::types::PyString::new(py, s)
                .repr()?
                .to_cow()?
                .into_owned())
        };
        Ok(format!(
            "{class}(base_url={}, timeout={:?}, max_retries={}, user_agent={}{})",
            text(&self.base_url)?,
            self.timeout,
            self.max_retries,
            text(&self.user_agent)?,
            if self.closed() { ", closed=True" } else { "" }
        ))
    }
}

// ---- the arguments of each operation ----

#[allow(clippy::too_many_arguments)]
fn send_sms_request(
    func: &'static str,
    to: &Bound<'_, PyAny>,
    message: &Bound<'_, PyAny>,
    from_: &Bound<'_, PyAny>,
    max_message_parts: Option<&Bound<'_, PyAny>>,
    relay_state: Option<&Bound<'_, PyAny>>,
    webhook: Option<&Bound<'_, PyAny>>,
) -> PyResult<SendSms> {
    let call = Call::send(func);
    let mut req = SendSms::new(
        call.text(to, "to", "to")?,
        call.text(from_, "from_", "from")?,
        call.text(message, "message", "message")?,
    );
    if let Some(n) = max_message_parts.filter(|o| !o.is_none()) {
        req.max_message_parts = call.parts(n, "max_message_parts")?;
    }
    req.relay_state = call.opt_text(relay_state, "relay_state", "relay_state")?;
    req.webhook = call.opt_text(webhook, "webhook", "webhook")?;
    Ok(req)
}

#[allow(clippy::too_many_arguments)]
fn phone_request(
    func: &'static str,
    phone_number: &Bound<'_, PyAny>,
    locale: Option<&Bound<'_, PyAny>>,
    redirect_success: Option<&Bound<'_, PyAny>>,
    redirect_failure: Option<&Bound<'_, PyAny>>,
    relay_state: Option<&Bound<'_, PyAny>>,
    webhook: Option<&Bound<'_, PyAny>>,
    csrf_token: Option<&Bound<'_, PyAny>>,
) -> PyResult<StartPhoneVerification> {
    let call = Call::send(func);
    let mut req =
        StartPhoneVerification::new(call.text(phone_number, "phone_number", "phone_number")?);
    req.locale = call.opt_text(locale, "locale", "locale")?;
    req.redirect_success =
        call.opt_text(redirect_success, "redirect_success", "redirect_success")?;
    req.redirect_failure =
        call.opt_text(redirect_failure, "redirect_failure", "redirect_failure")?;
    req.relay_state = call.opt_text(relay_state, "relay_state", "relay_state")?;
    req.webhook = call.opt_text(webhook, "webhook", "webhook")?;
    req.csrf_token = call.opt_text(csrf_token, "csrf_token", "csrf_token")?;
    Ok(req)
}

/// `wait_*` arguments: the session id, and the optional timeout and poll interval
/// checked by the core's seconds rule.
fn wait_args(
    func: &'static str,
    session_id: &Bound<'_, PyAny>,
    timeout: Option<&Bound<'_, PyAny>>,
    poll_interval: Option<&Bound<'_, PyAny>>,
) -> PyResult<(String, Option<Duration>, Option<Duration>)> {
    let call = Call::new(func);
    let id = call.text(session_id, "session_id", "session_id")?;
    let timeout = match timeout.filter(|o| !o.is_none()) {
        Some(t) => Some(call.wait_duration(t, "timeout")?),
        None => None,
    };
    let poll = match poll_interval.filter(|o| !o.is_none()) {
        Some(p) => Some(call.wait_duration(p, "poll_interval")?),
        None => None,
    };
    Ok((id, timeout, poll))
}

// ---- running a core future ----

/// What a call's task and its waiter share.
#[derive(Debug, Default)]
struct CallState {
    /// The task has been polled: from then on a send may have left.
    started: AtomicBool,
    /// The asyncio future was cancelled: nobody waits for the result any more.
    cancelled: AtomicBool,
}

/// Run `fut` on the client's runtime and wait for it with the GIL released. `owner`
/// keeps the runtime alive until the call is over, so `close()` lets a blocking call
/// finish (its thread is waiting for it anyway). `send` says whether the call is a
/// send, for the error if the task ends without an answer.
fn block_on<T, Fut>(
    py: Python<'_>,
    inside: Option<Entry>,
    owner: zignsec::Client,
    handle: &Handle,
    send: bool,
    fut: Fut,
) -> PyResult<T>
where
    T: Send + 'static,
    Fut: Future<Output = zignsec::Result<T>> + Send + 'static,
{
    let (tx, rx) = mpsc::sync_channel(1);
    let state = Arc::new(CallState::default());
    let task_state = Arc::clone(&state);
    let task = handle.spawn(async move {
        task_state.started.store(true, Ordering::SeqCst);
        let _ = tx.send(fut.await);
    });
    let mut rx = rx;
    let mut inside = inside;
    let _owner = owner;
    loop {
        // Not inside Python while waiting; once the interpreter exits, a daemon thread
        // never comes back from this wait (re-taking the GIL would abort the process).
        drop(inside.take());
        // The receiver moves into the GIL-free closure and back (it is not `Sync`).
        let ((received, back), entry) = lifecycle::detach(py, move || {
            (rx.recv_timeout(Duration::from_millis(100)), rx)
        });
        inside = entry;
        rx = back;
        match received {
            Ok(result) => return error::check(py, result),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // Ctrl-C (or any signal handler that raises) ends the wait.
                if let Err(e) = py.check_signals() {
                    task.abort();
                    return Err(e);
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let started = state.started.load(Ordering::SeqCst);
                return Err(PyErr::from_value(error::interrupted(py, send, started)));
            }
        }
    }
}

/// Settles a Python future from a Rust task (`fut.done()` is checked on the loop's
/// own thread, so a cancelled future is left alone).
#[pyfunction]
fn _settle(fut: &Bound<'_, PyAny>, failed: bool, value: &Bound<'_, PyAny>) -> PyResult<()> {
    if fut.call_method0("done")?.is_truthy()? {
        return Ok(());
    }
    if failed {
        fut.call_method1("set_exception", (value,))?;
    } else {
        fut.call_method1("set_result", (value,))?;
    }
    Ok(())
}

fn settle_fn(py: Python<'_>) -> PyResult<&Bound<'_, PyCFunction>> {
    static SETTLE: PyOnceLock<Py<PyCFunction>> = PyOnceLock::new();
    SETTLE
        .get_or_try_init(py, || wrap_pyfunction!(_settle, py).map(Bound::unbind))
        .map(|f| f.bind(py))
}

/// The asyncio side of one call. If the task is dropped unfinished (its client was
/// closed), the future still gets an error instead of hanging. Nothing reaches
/// Python for a cancelled future, or once the interpreter has begun to exit.
struct Completion {
    event_loop: Option<Py<PyAny>>,
    future: Option<Py<PyAny>>,
    state: Arc<CallState>,
    send: bool,
}

impl Completion {
    fn settle(&mut self, make: impl for<'py> FnOnce(Python<'py>) -> (bool, Bound<'py, PyAny>)) {
        // Without the GIL these references go to pyo3's pool, to be released later.
        let (Some(event_loop), Some(future)) = (self.event_loop.take(), self.future.take()) else {
            return;
        };
        if self.state.cancelled.load(Ordering::SeqCst) {
            return;
        }
        let Some(_inside) = lifecycle::enter() else {
            return;
        };
        // The GIL is taken only to hand the result over; if the interpreter is
        // shutting down there is nobody left to tell.
        let _ = Python::try_attach(|py| {
            let (failed, value) = make(py);
            let sent = settle_fn(py).and_then(|settle| {
                event_loop.call_method1(py, "call_soon_threadsafe", (settle, future, failed, value))
            });
            if let Err(e) = sent {
                // The loop is closed: the caller is gone.
                log::debug!(target: "zignsec::python", "could not hand a result to asyncio: {e}");
            }
        });
    }
}

impl Drop for Completion {
    fn drop(&mut self) {
        let (send, started) = (self.send, self.state.started.load(Ordering::SeqCst));
        self.settle(|py| (true, error::interrupted(py, send, started)));
    }
}

/// Cancels the tokio task when its asyncio future is cancelled (marking the call
/// first, so the task's end never touches the future).
#[pyclass(frozen)]
#[derive(Debug)]
struct CancelTask {
    task: tokio::task::AbortHandle,
    state: Arc<CallState>,
}

#[pymethods]
impl CancelTask {
    fn __call__(&self, fut: &Bound<'_, PyAny>) -> PyResult<()> {
        if fut.call_method0("cancelled")?.is_truthy()? {
            self.state.cancelled.store(true, Ordering::SeqCst);
            self.task.abort();
        }
        Ok(())
    }
}

/// Start `fut` on the client's runtime; return an asyncio Future of its result.
///
/// The task does not hold the owning core client: `close()` (and the exit hook)
/// drops the last one, which shuts the runtime down and ends the calls in flight at
/// once, rather than waiting up to a whole timeout for a slow gateway. Each dropped
/// task settles its future with `APIConnectionError`; `send` and whether the task had
/// started decide `maybe_sent` (True once it may have left, never unknown).
fn spawn<'py, T, Fut>(
    py: Python<'py>,
    handle: &Handle,
    send: bool,
    fut: Fut,
    to_py: fn(Python<'_>, T) -> PyResult<Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyAny>>
where
    T: Send + 'static,
    Fut: Future<Output = zignsec::Result<T>> + Send + 'static,
{
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let future = event_loop.call_method0("create_future")?;
    let state = Arc::new(CallState::default());
    let mut completion = Completion {
        event_loop: Some(event_loop.unbind()),
        future: Some(future.clone().unbind()),
        state: Arc::clone(&state),
        send,
    };
    let task = handle.spawn(async move {
        completion.state.started.store(true, Ordering::SeqCst);
        let result = fut.await;
        completion.settle(|py| {
            let converted = match result {
                Ok(v) => to_py(py, v).map(|v| (false, v)),
                Err(e) => error::to_exception(py, &e).map(|v| (true, v)),
            };
            converted.unwrap_or_else(|e| (true, e.into_value(py).into_bound(py).into_any()))
        });
    });
    let cancel = CancelTask {
        task: task.abort_handle(),
        state,
    };
    future.call_method1("add_done_callback", (cancel,))?;
    Ok(future)
}

fn sms_session_py(py: Python<'_>, v: zignsec::SmsSession) -> PyResult<Bound<'_, PyAny>> {
    Ok(Bound::new(py, SmsSession(v))?.into_any())
}
fn phone_session_py(py: Python<'_>, v: zignsec::PhoneSession) -> PyResult<Bound<'_, PyAny>> {
    Ok(Bound::new(py, PhoneSession(v))?.into_any())
}
fn sms_details_py(py: Python<'_>, v: zignsec::SmsSessionDetails) -> PyResult<Bound<'_, PyAny>> {
    Ok(Bound::new(py, SmsSessionDetails(v))?.into_any())
}
fn phone_details_py(py: Python<'_>, v: zignsec::PhoneSessionDetails) -> PyResult<Bound<'_, PyAny>> {
    Ok(Bound::new(py, PhoneSessionDetails(v))?.into_any())
}

// ---- zignsec.Client ----

/// The blocking ZignSec client. Thread-safe: build it once and share it; every call
/// releases the GIL while it waits for the gateway.
///
/// Options left as ``None`` come from the ``ZIGNSEC_*`` environment variables, then
/// the defaults: ``api_key`` (``ZIGNSEC_API_KEY``, required), ``environment``
/// (``ZIGNSEC_ENVIRONMENT``, ``"test"`` or ``"production"``; default ``"test"``),
/// ``base_url`` (``ZIGNSEC_BASE_URL``; overrides ``environment``; ``http://`` only
/// for loopback hosts), ``timeout`` (``ZIGNSEC_TIMEOUT``; seconds for one call,
/// retries included; default 30), ``connect_timeout`` (seconds per connection;
/// default 5), ``max_retries`` (``ZIGNSEC_MAX_RETRIES``; 0 to 10; default 2),
/// ``proxy`` (for ``https://`` base URLs only, as a CONNECT tunnel: a proxy URL, or
/// ``"none"`` to ignore ``HTTPS_PROXY``/``ALL_PROXY``; loopback never uses one).
/// A bad option raises ``ConfigError``.
///
/// Use it as a context manager (``with zignsec.Client() as client: ...``) or call
/// ``close()`` when done.
#[pyclass(frozen, module = "zignsec", name = "Client")]
#[derive(Debug)]
pub struct Client(Shared);

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (api_key=None, *, environment=None, base_url=None, timeout=None, connect_timeout=None, max_retries=None, proxy=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: Option<&Bound<'_, PyAny>>,
        environment: Option<&Bound<'_, PyAny>>,
        base_url: Option<&Bound<'_, PyAny>>,
        timeout: Option<&Bound<'_, PyAny>>,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        max_retries: Option<&Bound<'_, PyAny>>,
        proxy: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        Shared::build(
            py,
            "Client",
            api_key,
            environment,
            base_url,
            timeout,
            connect_timeout,
            max_retries,
            proxy,
        )
        .map(Client)
    }

    /// The base URL calls go to (no trailing slash).
    #[getter]
    fn base_url(&self) -> &str {
        &self.0.base_url
    }
    /// Seconds one call may take, retries included.
    #[getter]
    fn timeout(&self) -> f64 {
        self.0.timeout
    }
    /// Retries after the first attempt.
    #[getter]
    fn max_retries(&self) -> u32 {
        self.0.max_retries
    }
    /// The ``User-Agent`` sent with every request (``zignsec-python/<version>``).
    #[getter]
    fn user_agent(&self) -> &str {
        &self.0.user_agent
    }
    /// Whether ``close()`` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.0.closed()
    }

    /// Release the connection pool and I/O threads. Calls after this raise
    /// ``ConfigError``; calls already running finish first. Idempotent.
    fn close(&self, py: Python<'_>) {
        self.0.close(py)
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.0.close(py);
        false
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.0.repr(py, "Client")
    }

    /// Send an SMS. ``to`` is E.164 (``"+46701234567"``), ``from_`` an E.164 number
    /// or 1 to 11 letters and digits, ``message`` must fit in ``max_message_parts``
    /// parts (1 to 10). Returns the new ``SmsSession``. Never retried once it may have
    /// reached the gateway: no SMS goes out twice.
    #[pyo3(signature = (to, message, from_, max_message_parts=None, relay_state=None, webhook=None))]
    #[pyo3(
        text_signature = "(self, to, message, from_, max_message_parts=1, relay_state=None, webhook=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn send_sms(
        &self,
        py: Python<'_>,
        to: &Bound<'_, PyAny>,
        message: &Bound<'_, PyAny>,
        from_: &Bound<'_, PyAny>,
        max_message_parts: Option<&Bound<'_, PyAny>>,
        relay_state: Option<&Bound<'_, PyAny>>,
        webhook: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<SmsSession> {
        let req = send_sms_request(
            "send_sms",
            to,
            message,
            from_,
            max_message_parts,
            relay_state,
            webhook,
        )?;
        let (inside, owner, client, handle) = self.0.get(py, true)?;
        block_on(py, inside, owner, &handle, true, async move {
            client.send_sms(&req).await
        })
        .map(SmsSession)
    }

    /// Start a phone verification: send the user to the returned ``redirect_url``,
    /// where they receive a 5-digit code by SMS and type it in.
    #[pyo3(signature = (phone_number, *, locale=None, redirect_success=None, redirect_failure=None, relay_state=None, webhook=None, csrf_token=None))]
    #[allow(clippy::too_many_arguments)]
    fn start_phone_verification(
        &self,
        py: Python<'_>,
        phone_number: &Bound<'_, PyAny>,
        locale: Option<&Bound<'_, PyAny>>,
        redirect_success: Option<&Bound<'_, PyAny>>,
        redirect_failure: Option<&Bound<'_, PyAny>>,
        relay_state: Option<&Bound<'_, PyAny>>,
        webhook: Option<&Bound<'_, PyAny>>,
        csrf_token: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PhoneSession> {
        let req = phone_request(
            "start_phone_verification",
            phone_number,
            locale,
            redirect_success,
            redirect_failure,
            relay_state,
            webhook,
            csrf_token,
        )?;
        let (inside, owner, client, handle) = self.0.get(py, true)?;
        block_on(py, inside, owner, &handle, true, async move {
            client.start_phone_verification(&req).await
        })
        .map(PhoneSession)
    }

    /// Read an SMS session.
    fn get_sms_session(
        &self,
        py: Python<'_>,
        session_id: &Bound<'_, PyAny>,
    ) -> PyResult<SmsSessionDetails> {
        let id = Call::new("get_sms_session").text(session_id, "session_id", "session_id")?;
        let (inside, owner, client, handle) = self.0.get(py, false)?;
        block_on(py, inside, owner, &handle, false, async move {
            client.get_sms_session(&id).await
        })
        .map(SmsSessionDetails)
    }

    /// Read a phone verification session.
    fn get_phone_session(
        &self,
        py: Python<'_>,
        session_id: &Bound<'_, PyAny>,
    ) -> PyResult<PhoneSessionDetails> {
        let id = Call::new("get_phone_session").text(session_id, "session_id", "session_id")?;
        let (inside, owner, client, handle) = self.0.get(py, false)?;
        block_on(py, inside, owner, &handle, false, async move {
            client.get_phone_session(&id).await
        })
        .map(PhoneSessionDetails)
    }

    /// Poll an SMS session until its status is final (``delivered`` or ``failed``);
    /// after ``timeout`` seconds raise ``WaitTimeoutError`` (its ``details`` is the
    /// last read).
    #[pyo3(signature = (session_id, *, timeout=None, poll_interval=None))]
    #[pyo3(text_signature = "(self, session_id, *, timeout=60.0, poll_interval=1.0)")]
    fn wait_sms_session(
        &self,
        py: Python<'_>,
        session_id: &Bound<'_, PyAny>,
        timeout: Option<&Bound<'_, PyAny>>,
        poll_interval: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<SmsSessionDetails> {
        let (id, timeout, poll) =
            wait_args("wait_sms_session", session_id, timeout, poll_interval)?;
        let (inside, owner, client, handle) = self.0.get(py, false)?;
        block_on(py, inside, owner, &handle, false, async move {
            client.wait_sms_session(&id, timeout, poll).await
        })
        .map(SmsSessionDetails)
    }

    /// Poll a phone session until its status is final (``finished``, ``accepted``,
    /// ``failed`` or ``cancelled``); after ``timeout`` seconds raise ``WaitTimeoutError``.
    #[pyo3(signature = (session_id, *, timeout=None, poll_interval=None))]
    #[pyo3(text_signature = "(self, session_id, *, timeout=300.0, poll_interval=1.0)")]
    fn wait_phone_session(
        &self,
        py: Python<'_>,
        session_id: &Bound<'_, PyAny>,
        timeout: Option<&Bound<'_, PyAny>>,
        poll_interval: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PhoneSessionDetails> {
        let (id, timeout, poll) =
            wait_args("wait_phone_session", session_id, timeout, poll_interval)?;
        let (inside, owner, client, handle) = self.0.get(py, false)?;
        block_on(py, inside, owner, &handle, false, async move {
            client.wait_phone_session(&id, timeout, poll).await
        })
        .map(PhoneSessionDetails)
    }
}

// ---- the native half of zignsec.AsyncClient ----

/// The native half of ``zignsec.AsyncClient``: each method starts the call on the
/// client's I/O runtime at once and returns an ``asyncio.Future``. Use
/// ``zignsec.AsyncClient``, whose methods are coroutines.
#[pyclass(frozen, module = "zignsec._zignsec", name = "_AsyncClient")]
#[derive(Debug)]
pub struct AsyncClient(Shared);

#[pymethods]
impl AsyncClient {
    #[new]
    #[pyo3(signature = (api_key=None, *, environment=None, base_url=None, timeout=None, connect_timeout=None, max_retries=None, proxy=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: Option<&Bound<'_, PyAny>>,
        environment: Option<&Bound<'_, PyAny>>,
        base_url: Option<&Bound<'_, PyAny>>,
        timeout: Option<&Bound<'_, PyAny>>,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        max_retries: Option<&Bound<'_, PyAny>>,
        proxy: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        Shared::build(
            py,
            "AsyncClient",
            api_key,
            environment,
            base_url,
            timeout,
            connect_timeout,
            max_retries,
            proxy,
        )
        .map(AsyncClient)
    }

    /// The base URL calls go to.
    #[getter]
    fn base_url(&self) -> &str {
        &self.0.base_url
    }
    /// Seconds one call may take, retries included.
    #[getter]
    fn timeout(&self) -> f64 {
        self.0.timeout
    }
    /// Retries after the first attempt.
    #[getter]
    fn max_retries(&self) -> u32 {
        self.0.max_retries
    }
    /// The ``User-Agent`` sent with every request.
    #[getter]
    fn user_agent(&self) -> &str {
        &self.0.user_agent
    }
    /// Whether ``close()`` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.0.closed()
    }

    /// Release the pool and I/O threads; calls still running fail with
    /// ``APIConnectionError``.
    fn close(&self, py: Python<'_>) {
        self.0.close(py)
    }

    /// The text of ``repr(zignsec.AsyncClient)``.
    fn describe(&self, py: Python<'_>) -> PyResult<String> {
        self.0.repr(py, "AsyncClient")
    }

    /// See ``Client.send_sms``; returns an ``asyncio.Future``.
    #[pyo3(signature = (to, message, from_, max_message_parts=None, relay_state=None, webhook=None))]
    #[allow(clippy::too_many_arguments)]
    fn send_sms<'py>(
        &self,
        py: Python<'py>,
        to: &Bound<'py, PyAny>,
        message: &Bound<'py, PyAny>,
        from_: &Bound<'py, PyAny>,
        max_message_parts: Option<&Bound<'py, PyAny>>,
        relay_state: Option<&Bound<'py, PyAny>>,
        webhook: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let req = send_sms_request(
            "send_sms",
            to,
            message,
            from_,
            max_message_parts,
            relay_state,
            webhook,
        )?;
        let (_inside, _, client, handle) = self.0.get(py, true)?;
        spawn(
            py,
            &handle,
            true,
            async move { client.send_sms(&req).await },
            sms_session_py,
        )
    }

    /// See ``Client.start_phone_verification``; returns an ``asyncio.Future``.
    #[pyo3(signature = (phone_number, *, locale=None, redirect_success=None, redirect_failure=None, relay_state=None, webhook=None, csrf_token=None))]
    #[allow(clippy::too_many_arguments)]
    fn start_phone_verification<'py>(
        &self,
        py: Python<'py>,
        phone_number: &Bound<'py, PyAny>,
        locale: Option<&Bound<'py, PyAny>>,
        redirect_success: Option<&Bound<'py, PyAny>>,
        redirect_failure: Option<&Bound<'py, PyAny>>,
        relay_state: Option<&Bound<'py, PyAny>>,
        webhook: Option<&Bound<'py, PyAny>>,
        csrf_token: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let req = phone_request(
            "start_phone_verification",
            phone_number,
            locale,
            redirect_success,
            redirect_failure,
            relay_state,
            webhook,
            csrf_token,
        )?;
        let (_inside, _, client, handle) = self.0.get(py, true)?;
        spawn(
            py,
            &handle,
            true,
            async move { client.start_phone_verification(&req).await },
            phone_session_py,
        )
    }

    /// See ``Client.get_sms_session``; returns an ``asyncio.Future``.
    fn get_sms_session<'py>(
        &self,
        py: Python<'py>,
        session_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id = Call::new("get_sms_session").text(session_id, "session_id", "session_id")?;
        let (_inside, _, client, handle) = self.0.get(py, false)?;
        spawn(
            py,
            &handle,
            false,
            async move { client.get_sms_session(&id).await },
            sms_details_py,
        )
    }

    /// See ``Client.get_phone_session``; returns an ``asyncio.Future``.
    fn get_phone_session<'py>(
        &self,
        py: Python<'py>,
        session_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id = Call::new("get_phone_session").text(session_id, "session_id", "session_id")?;
        let (_inside, _, client, handle) = self.0.get(py, false)?;
        spawn(
            py,
            &handle,
            false,
            async move { client.get_phone_session(&id).await },
            phone_details_py,
        )
    }

    /// See ``Client.wait_sms_session``; returns an ``asyncio.Future``.
    #[pyo3(signature = (session_id, *, timeout=None, poll_interval=None))]
    fn wait_sms_session<'py>(
        &self,
        py: Python<'py>,
        session_id: &Bound<'py, PyAny>,
        timeout: Option<&Bound<'py, PyAny>>,
        poll_interval: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (id, timeout, poll) =
            wait_args("wait_sms_session", session_id, timeout, poll_interval)?;
        let (_inside, _, client, handle) = self.0.get(py, false)?;
        spawn(
            py,
            &handle,
            false,
            async move { client.wait_sms_session(&id, timeout, poll).await },
            sms_details_py,
        )
    }

    /// See ``Client.wait_phone_session``; returns an ``asyncio.Future``.
    #[pyo3(signature = (session_id, *, timeout=None, poll_interval=None))]
    fn wait_phone_session<'py>(
        &self,
        py: Python<'py>,
        session_id: &Bound<'py, PyAny>,
        timeout: Option<&Bound<'py, PyAny>>,
        poll_interval: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (id, timeout, poll) =
            wait_args("wait_phone_session", session_id, timeout, poll_interval)?;
        let (_inside, _, client, handle) = self.0.get(py, false)?;
        spawn(
            py,
            &handle,
            false,
            async move { client.wait_phone_session(&id, timeout, poll).await },
            phone_details_py,
        )
    }
}
