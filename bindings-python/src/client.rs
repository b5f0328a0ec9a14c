//! `zignsec.Client` (blocking) and `zignsec._zignsec._AsyncClient` (the native half
//! of `zignsec.AsyncClient`). Both drive the core's async client on the core
//! `Client`'s own tokio runtime: blocking calls wait with the GIL released (waking
//! every 100 ms to let Ctrl-C and `close()` through), async calls hand their result to
//! an asyncio Future through `loop.call_soon_threadsafe`. Each operation is declared
//! once, in `client_class!`, and emitted for both classes with their runner.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyCFunction;
use pyo3::IntoPyObjectExt;
use zignsec::input::{self, ClientOptions, SendSmsInput};
use zignsec::otp::SendOtp;
use zignsec::{StartEmailVerification, StartPhoneVerification};

use crate::convert::Args;
use crate::error::{self, ZsResult};
use crate::lifecycle::{self, Entry, Slot};
use crate::logging;
use crate::models::{
    EmailSession, EmailSessionDetails, OtpSend, PhoneSession, PhoneSessionDetails, SmsSession,
    SmsSessionDetails,
};
use crate::otp::Otp;

type Arg<'a, 'py> = &'a Bound<'py, PyAny>;
type Opt<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

/// What both clients hold: the core client (absent once closed; the exit hook closes
/// it too) and what `repr` shows. (`Debug` is the core's, which redacts the keys.)
#[derive(Debug)]
struct ClientState {
    client: Arc<Slot>,
    base_url: String,
    timeout: f64,
    max_retries: u32,
    user_agent: String,
}

/// What a call needs once its arguments are converted: the calling thread's
/// permission to run Python code (see `lifecycle`), the core client's async half,
/// its runtime (the current process's: a forked child gets its own) and the slot, so
/// a blocking wait notices `close()`.
struct Ctx {
    inside: Option<Entry>,
    /// A clone of the core client (clones share its pools and runtimes).
    client: zignsec::Client,
    slot: Arc<Slot>,
}

impl ClientState {
    #[allow(clippy::too_many_arguments)]
    fn build(
        py: Python<'_>,
        func: &'static str,
        api_key: Opt<'_, '_>,
        environment: Opt<'_, '_>,
        base_url: Opt<'_, '_>,
        timeout: Opt<'_, '_>,
        connect_timeout: Opt<'_, '_>,
        max_retries: Opt<'_, '_>,
        proxy: Opt<'_, '_>,
        auth_scheme: Opt<'_, '_>,
        secondary_api_key: Opt<'_, '_>,
    ) -> ZsResult<ClientState> {
        let args = Args::new(func);
        // Only what the caller gave is set, so ZIGNSEC_* env vars and the core's
        // defaults fill the rest.
        let options = ClientOptions {
            api_key: args.opt_text(api_key, "api_key", "api_key")?,
            secondary_api_key: args.opt_text(
                secondary_api_key,
                "secondary_api_key",
                "secondary_api_key",
            )?,
            auth_scheme: args.opt_text(auth_scheme, "auth_scheme", "auth_scheme")?,
            environment: args.opt_text(environment, "environment", "environment")?,
            base_url: args.opt_text(base_url, "base_url", "base_url")?,
            proxy: args.opt_text(proxy, "proxy", "proxy")?,
            timeout: args.opt_seconds(timeout, "timeout")?,
            connect_timeout: args.opt_seconds(connect_timeout, "connect_timeout")?,
            max_retries: max_retries
                .filter(|o| !o.is_none())
                .map(|n| args.int(n, "max_retries").map(input::Number::Int))
                .transpose()?,
            spelling: zignsec::OptionSpelling::Snake,
        };
        let client = options
            .into_builder("python", env!("CARGO_PKG_VERSION"))?
            .build()?;
        logging::refresh(py);
        let state = ClientState {
            base_url: client.base_url().to_string(),
            timeout: client.timeout().as_secs_f64(),
            max_retries: client.max_retries(),
            user_agent: client.as_async().user_agent().to_string(),
            client: Arc::new(RwLock::new(Some(client))),
        };
        lifecycle::register(&state.client);
        Ok(state)
    }

    /// At the start of a call (after its arguments are converted). `send` marks a
    /// closed-client error `maybe_sent=False`. The permission to run Python code is
    /// taken first and held until the call returns.
    fn get(&self, py: Python<'_>, send: bool) -> PyResult<Ctx> {
        let inside = lifecycle::enter_py(py);
        logging::refresh(py);
        // The lock is let go before any Python code runs (building an exception may
        // switch threads, and the exit hook takes this lock with the GIL).
        let found = {
            let guard = self.client.read().unwrap_or_else(|e| e.into_inner());
            guard.as_ref().cloned()
        };
        let client = found.ok_or_else(|| error::config(py, "the client is closed", send))?;
        Ok(Ctx {
            inside,
            client,
            slot: Arc::clone(&self.client),
        })
    }

    fn close(&self, py: Python<'_>) {
        let taken = self
            .client
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        // Dropping the last handle shuts the runtime down, which ends the calls in
        // flight (blocking waits also notice the empty slot).
        if let Some(client) = taken {
            let ((), _inside) = lifecycle::detach(py, move || drop(client));
        }
    }

    fn closed(&self) -> bool {
        slot_closed(&self.client)
    }

    fn repr(&self, py: Python<'_>, class: &str) -> PyResult<String> {
        // Never a key: only what was resolved besides them.
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

fn slot_closed(slot: &Slot) -> bool {
    slot.read().unwrap_or_else(|e| e.into_inner()).is_none()
}

// ---- the arguments of each operation, converted once for both clients ----

#[allow(clippy::too_many_arguments)]
fn send_sms_args(
    to: Arg<'_, '_>,
    message: Arg<'_, '_>,
    from_: Arg<'_, '_>,
    max_message_parts: Opt<'_, '_>,
    relay_state: Opt<'_, '_>,
    webhook: Opt<'_, '_>,
) -> ZsResult<zignsec::SendSms> {
    let args = Args::new("send_sms");
    Ok(SendSmsInput {
        to: args.text(to, "to", "to")?,
        from: args.text(from_, "from_", "from")?,
        message: args.text(message, "message", "message")?,
        max_message_parts: args.opt_number(max_message_parts, "max_message_parts")?,
        relay_state: args.opt_text(relay_state, "relay_state", "relay_state")?,
        webhook: args.opt_text(webhook, "webhook", "webhook")?,
    }
    .into_request()?)
}

#[allow(clippy::too_many_arguments)]
fn send_otp_args(
    to: Arg<'_, '_>,
    from_: Arg<'_, '_>,
    otp: Arg<'_, '_>,
    template: Opt<'_, '_>,
    max_message_parts: Opt<'_, '_>,
    relay_state: Opt<'_, '_>,
    webhook: Opt<'_, '_>,
) -> ZsResult<(SendOtp, zignsec::otp::Otp)> {
    let args = Args::new("send_otp");
    let issuer = otp.cast::<Otp>().map_err(|_| {
        pyo3::exceptions::PyTypeError::new_err(format!(
            "send_otp() argument 'otp' must be zignsec.Otp, not {}",
            otp.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })?;
    // The part count goes through the send's own intake rule.
    let sms = SendSmsInput {
        to: args.text(to, "to", "to")?,
        from: args.text(from_, "from_", "from")?,
        max_message_parts: args.opt_number(max_message_parts, "max_message_parts")?,
        relay_state: args.opt_text(relay_state, "relay_state", "relay_state")?,
        webhook: args.opt_text(webhook, "webhook", "webhook")?,
        ..SendSmsInput::default()
    }
    .into_request()?;
    let request = SendOtp {
        to: sms.to,
        from: sms.from,
        template: args.opt_text(template, "template", "template")?,
        max_message_parts: sms.max_message_parts,
        relay_state: sms.relay_state,
        webhook: sms.webhook,
    };
    Ok((request, issuer.get().0.clone()))
}

#[allow(clippy::too_many_arguments)]
fn phone_args(
    phone_number: Arg<'_, '_>,
    locale: Opt<'_, '_>,
    redirect_success: Opt<'_, '_>,
    redirect_failure: Opt<'_, '_>,
    relay_state: Opt<'_, '_>,
    webhook: Opt<'_, '_>,
    csrf_token: Opt<'_, '_>,
) -> ZsResult<StartPhoneVerification> {
    let args = Args::new("start_phone_verification");
    Ok(StartPhoneVerification {
        phone_number: args.text(phone_number, "phone_number", "phone_number")?,
        locale: args.opt_text(locale, "locale", "locale")?,
        redirect_success: args.opt_text(
            redirect_success,
            "redirect_success",
            "redirect_success",
        )?,
        redirect_failure: args.opt_text(
            redirect_failure,
            "redirect_failure",
            "redirect_failure",
        )?,
        relay_state: args.opt_text(relay_state, "relay_state", "relay_state")?,
        webhook: args.opt_text(webhook, "webhook", "webhook")?,
        csrf_token: args.opt_text(csrf_token, "csrf_token", "csrf_token")?,
    })
}

#[allow(clippy::too_many_arguments)]
fn email_args(
    email_address: Arg<'_, '_>,
    locale: Arg<'_, '_>,
    redirect_success: Arg<'_, '_>,
    redirect_failure: Arg<'_, '_>,
    relay_state: Opt<'_, '_>,
    webhook: Opt<'_, '_>,
    csrf_token: Opt<'_, '_>,
) -> ZsResult<StartEmailVerification> {
    let args = Args::new("start_email_verification");
    Ok(StartEmailVerification {
        email_address: args.text(email_address, "email_address", "email_address")?,
        locale: args.text(locale, "locale", "locale")?,
        redirect_success: args.text(redirect_success, "redirect_success", "redirect_success")?,
        redirect_failure: args.text(redirect_failure, "redirect_failure", "redirect_failure")?,
        relay_state: args.opt_text(relay_state, "relay_state", "relay_state")?,
        webhook: args.opt_text(webhook, "webhook", "webhook")?,
        csrf_token: args.opt_text(csrf_token, "csrf_token", "csrf_token")?,
    })
}

fn session_id_arg(func: &'static str, session_id: Arg<'_, '_>) -> ZsResult<String> {
    Args::new(func).text(session_id, "session_id", "session_id")
}

/// `wait_*` arguments: the session id, and the optional timeout and poll interval
/// checked by the core (`None` = the operation's default).
type WaitArgs = (String, Option<Duration>, Option<Duration>);

fn wait_args(
    func: &'static str,
    session_id: Arg<'_, '_>,
    timeout: Opt<'_, '_>,
    poll_interval: Opt<'_, '_>,
) -> ZsResult<WaitArgs> {
    let args = Args::new(func);
    let id = args.text(session_id, "session_id", "session_id")?;
    let (timeout, poll) = input::wait_durations(
        args.opt_seconds(timeout, "timeout")?,
        args.opt_seconds(poll_interval, "poll_interval")?,
        ("timeout", "poll_interval"),
    )?;
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

/// How a blocking call's wait was cut short.
enum Interrupt {
    /// A signal handler raised (Ctrl-C).
    Signal(PyErr),
    /// `close()` (or the exit hook) took the client.
    Closed,
}

/// Run the call on the calling thread, as the core's blocking client does (no hop to
/// an I/O thread), with the GIL released. Every 100 ms, between two stretches of the
/// call, the wait checks for Ctrl-C and for `close()`: either ends the call (dropped,
/// as a cancelled async call is), and after `close()` the caller gets
/// `APIConnectionError` whose `maybe_sent` is True once a send may have left, never
/// unknown. Once the interpreter exits, this thread never re-takes the GIL.
fn block<T, P, F, Fut>(
    py: Python<'_>,
    ctx: Ctx,
    send: bool,
    make: F,
    to_py: fn(T) -> P,
) -> PyResult<Py<PyAny>>
where
    T: Send + 'static,
    P: for<'py> IntoPyObject<'py> + 'static,
    F: FnOnce(zignsec::AsyncClient) -> Fut + Send,
    Fut: Future<Output = zignsec::Result<T>> + Send + 'static,
{
    let Ctx {
        inside,
        client,
        slot,
    } = ctx;
    // The call runs on this thread, polled as soon as it is made (the interruption
    // check is asked only while it waits): its flag can live on this stack and be set
    // when the call is made, with no wrapper around the call's future.
    let started = AtomicBool::new(false);
    let call_started = &started;
    // Not inside Python while the call runs.
    drop(inside);
    let (outcome, _entry) = lifecycle::detach(py, move || {
        client.block_on_interruptible(
            move |c| {
                call_started.store(true, Ordering::SeqCst);
                make(c)
            },
            Duration::from_millis(100),
            || {
                if slot_closed(&slot) {
                    return Err(Interrupt::Closed);
                }
                // Signal handlers need the GIL; once exit has begun it is not taken.
                match lifecycle::enter() {
                    Some(_entry) => {
                        Python::attach(|py| py.check_signals()).map_err(Interrupt::Signal)
                    }
                    None => Ok(()),
                }
            },
        )
    });
    match outcome {
        Ok(Ok(value)) => to_py(value).into_py_any(py),
        Ok(Err(e)) => Err(error::to_pyerr(py, &e)),
        Err(Interrupt::Signal(e)) => Err(e),
        Err(Interrupt::Closed) => {
            let started = started.load(Ordering::SeqCst);
            Err(PyErr::from_value(error::interrupted(py, send, started)))
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
fn spawn<T, P, F, Fut>(
    py: Python<'_>,
    ctx: Ctx,
    send: bool,
    make: F,
    to_py: fn(T) -> P,
) -> PyResult<Py<PyAny>>
where
    T: Send + 'static,
    P: for<'py> IntoPyObject<'py> + 'static,
    F: FnOnce(zignsec::AsyncClient) -> Fut,
    Fut: Future<Output = zignsec::Result<T>> + Send + 'static,
{
    let Ctx {
        inside: _inside,
        client,
        ..
    } = ctx;
    let handle = client
        .runtime_handle()
        .ok_or_else(|| error::config(py, "the client's runtime is gone", send))?;
    let fut = make(client.as_async().clone());
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
                Ok(v) => to_py(v).into_bound_py_any(py).map(|v| (false, v)),
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
    Ok(future.unbind())
}

// ---- both classes, from one table ----

/// Emits a client class: the constructor, the properties and every operation, each
/// declared once; `$run` is the class's runner (`block` or `spawn`) and `$extra` its
/// own methods.
macro_rules! client_class {
    ($ty:ident, $name:literal, $run:ident, { $($extra:tt)* }) => {
        #[pymethods]
        impl $ty {
            #[new]
            #[pyo3(signature = (api_key=None, *, environment=None, base_url=None, timeout=None, connect_timeout=None, max_retries=None, proxy=None, auth_scheme=None, secondary_api_key=None))]
            #[allow(clippy::too_many_arguments)]
            fn new(
                py: Python<'_>,
                api_key: Opt<'_, '_>,
                environment: Opt<'_, '_>,
                base_url: Opt<'_, '_>,
                timeout: Opt<'_, '_>,
                connect_timeout: Opt<'_, '_>,
                max_retries: Opt<'_, '_>,
                proxy: Opt<'_, '_>,
                auth_scheme: Opt<'_, '_>,
                secondary_api_key: Opt<'_, '_>,
            ) -> ZsResult<Self> {
                ClientState::build(
                    py, $name, api_key, environment, base_url, timeout, connect_timeout,
                    max_retries, proxy, auth_scheme, secondary_api_key,
                )
                .map($ty)
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

            /// Release the connection pool and I/O threads; idempotent. Calls still
            /// running end with ``APIConnectionError`` (a send says ``maybe_sent=True``
            /// unless it provably never left); later calls raise ``ConfigError``.
            fn close(&self, py: Python<'_>) {
                self.0.close(py)
            }

            /// Send an SMS. ``to`` is E.164 (``"+46701234567"``), ``from_`` an E.164
            /// number or 1 to 11 letters and digits, ``message`` must fit in
            /// ``max_message_parts`` parts (1 to 10; default 1). Returns the new
            /// ``SmsSession``. Never retried once it may have reached the gateway: no
            /// SMS goes out twice.
            #[pyo3(signature = (to, message, from_, max_message_parts=None, relay_state=None, webhook=None))]
            #[allow(clippy::too_many_arguments)]
            fn send_sms(
                &self,
                py: Python<'_>,
                to: Arg<'_, '_>,
                message: Arg<'_, '_>,
                from_: Arg<'_, '_>,
                max_message_parts: Opt<'_, '_>,
                relay_state: Opt<'_, '_>,
                webhook: Opt<'_, '_>,
            ) -> ZsResult<Py<PyAny>> {
                let req = send_sms_args(to, message, from_, max_message_parts, relay_state, webhook)?;
                let ctx = self.0.get(py, true)?;
                Ok($run(py, ctx, true, move |c| async move { c.send_sms(&req).await }, SmsSession::from)?)
            }

            /// Issue a one-time code for ``to`` with ``otp`` and send it by SMS in
            /// ``template`` (must contain ``{code}`` once; default
            /// ``"Your code is {code}"``). Returns ``OtpSend(session, challenge)``:
            /// store the challenge server-side for ``otp.check``. The code itself is
            /// never returned, logged or put in an error.
            #[pyo3(signature = (to, from_, otp, *, template=None, max_message_parts=None, relay_state=None, webhook=None))]
            #[allow(clippy::too_many_arguments)]
            fn send_otp(
                &self,
                py: Python<'_>,
                to: Arg<'_, '_>,
                from_: Arg<'_, '_>,
                otp: Arg<'_, '_>,
                template: Opt<'_, '_>,
                max_message_parts: Opt<'_, '_>,
                relay_state: Opt<'_, '_>,
                webhook: Opt<'_, '_>,
            ) -> ZsResult<Py<PyAny>> {
                let (req, issuer) =
                    send_otp_args(to, from_, otp, template, max_message_parts, relay_state, webhook)?;
                let ctx = self.0.get(py, true)?;
                Ok($run(py, ctx, true, move |c| async move { c.send_otp(&req, &issuer).await }, OtpSend::from)?)
            }

            /// Start a phone verification: send the user to the returned
            /// ``redirect_url``, where they receive a 5-digit code by SMS and type it in.
            #[pyo3(signature = (phone_number, *, locale=None, redirect_success=None, redirect_failure=None, relay_state=None, webhook=None, csrf_token=None))]
            #[allow(clippy::too_many_arguments)]
            fn start_phone_verification(
                &self,
                py: Python<'_>,
                phone_number: Arg<'_, '_>,
                locale: Opt<'_, '_>,
                redirect_success: Opt<'_, '_>,
                redirect_failure: Opt<'_, '_>,
                relay_state: Opt<'_, '_>,
                webhook: Opt<'_, '_>,
                csrf_token: Opt<'_, '_>,
            ) -> ZsResult<Py<PyAny>> {
                let req = phone_args(phone_number, locale, redirect_success, redirect_failure, relay_state, webhook, csrf_token)?;
                let ctx = self.0.get(py, true)?;
                Ok($run(py, ctx, true, move |c| async move { c.start_phone_verification(&req).await }, PhoneSession::from)?)
            }

            /// Start an email verification: send the user to the returned
            /// ``redirect_url``, where they receive a 5-digit code by email and type it
            /// in. ``locale`` and both redirects are required.
            #[pyo3(signature = (email_address, locale, redirect_success, redirect_failure, *, relay_state=None, webhook=None, csrf_token=None))]
            #[allow(clippy::too_many_arguments)]
            fn start_email_verification(
                &self,
                py: Python<'_>,
                email_address: Arg<'_, '_>,
                locale: Arg<'_, '_>,
                redirect_success: Arg<'_, '_>,
                redirect_failure: Arg<'_, '_>,
                relay_state: Opt<'_, '_>,
                webhook: Opt<'_, '_>,
                csrf_token: Opt<'_, '_>,
            ) -> ZsResult<Py<PyAny>> {
                let req = email_args(email_address, locale, redirect_success, redirect_failure, relay_state, webhook, csrf_token)?;
                let ctx = self.0.get(py, true)?;
                Ok($run(py, ctx, true, move |c| async move { c.start_email_verification(&req).await }, EmailSession::from)?)
            }

            /// Read an SMS session.
            fn get_sms_session(&self, py: Python<'_>, session_id: Arg<'_, '_>) -> ZsResult<Py<PyAny>> {
                let id = session_id_arg("get_sms_session", session_id)?;
                let ctx = self.0.get(py, false)?;
                Ok($run(py, ctx, false, move |c| async move { c.get_sms_session(&id).await }, SmsSessionDetails::from)?)
            }

            /// Read a phone verification session.
            fn get_phone_session(&self, py: Python<'_>, session_id: Arg<'_, '_>) -> ZsResult<Py<PyAny>> {
                let id = session_id_arg("get_phone_session", session_id)?;
                let ctx = self.0.get(py, false)?;
                Ok($run(py, ctx, false, move |c| async move { c.get_phone_session(&id).await }, PhoneSessionDetails::from)?)
            }

            /// Read an email verification session.
            fn get_email_session(&self, py: Python<'_>, session_id: Arg<'_, '_>) -> ZsResult<Py<PyAny>> {
                let id = session_id_arg("get_email_session", session_id)?;
                let ctx = self.0.get(py, false)?;
                Ok($run(py, ctx, false, move |c| async move { c.get_email_session(&id).await }, EmailSessionDetails::from)?)
            }

            /// Poll an SMS session until its status is final (``delivered`` or
            /// ``failed``); after ``timeout`` seconds (default 60; poll every
            /// ``poll_interval``, default 1) raise ``WaitTimeoutError`` whose
            /// ``details`` is the last read.
            #[pyo3(signature = (session_id, *, timeout=None, poll_interval=None))]
            fn wait_sms_session(&self, py: Python<'_>, session_id: Arg<'_, '_>, timeout: Opt<'_, '_>, poll_interval: Opt<'_, '_>) -> ZsResult<Py<PyAny>> {
                let (id, timeout, poll) = wait_args("wait_sms_session", session_id, timeout, poll_interval)?;
                let ctx = self.0.get(py, false)?;
                Ok($run(py, ctx, false, move |c| async move { c.wait_sms_session(&id, timeout, poll).await }, SmsSessionDetails::from)?)
            }

            /// Poll a phone session until its status is final (``finished``,
            /// ``accepted``, ``failed`` or ``cancelled``); after ``timeout`` seconds
            /// (default 300) raise ``WaitTimeoutError``.
            #[pyo3(signature = (session_id, *, timeout=None, poll_interval=None))]
            fn wait_phone_session(&self, py: Python<'_>, session_id: Arg<'_, '_>, timeout: Opt<'_, '_>, poll_interval: Opt<'_, '_>) -> ZsResult<Py<PyAny>> {
                let (id, timeout, poll) = wait_args("wait_phone_session", session_id, timeout, poll_interval)?;
                let ctx = self.0.get(py, false)?;
                Ok($run(py, ctx, false, move |c| async move { c.wait_phone_session(&id, timeout, poll).await }, PhoneSessionDetails::from)?)
            }

            /// Poll an email session until its status is final (as for phone); after
            /// ``timeout`` seconds (default 300) raise ``WaitTimeoutError``.
            #[pyo3(signature = (session_id, *, timeout=None, poll_interval=None))]
            fn wait_email_session(&self, py: Python<'_>, session_id: Arg<'_, '_>, timeout: Opt<'_, '_>, poll_interval: Opt<'_, '_>) -> ZsResult<Py<PyAny>> {
                let (id, timeout, poll) = wait_args("wait_email_session", session_id, timeout, poll_interval)?;
                let ctx = self.0.get(py, false)?;
                Ok($run(py, ctx, false, move |c| async move { c.wait_email_session(&id, timeout, poll).await }, EmailSessionDetails::from)?)
            }

            $($extra)*
        }
    };
}

/// The blocking ZignSec client. Thread-safe: build it once and share it; every call
/// releases the GIL while it waits for the gateway.
///
/// Options left as ``None`` come from the ``ZIGNSEC_*`` environment variables, then
/// the core's defaults: ``api_key`` (``ZIGNSEC_API_KEY``, required),
/// ``secondary_api_key`` (``ZIGNSEC_SECONDARY_API_KEY``; on a 401 the other key is
/// tried once, and kept when it works), ``auth_scheme`` (``ZIGNSEC_AUTH_SCHEME``:
/// ``"authorization"``, the default, or ``"product-key"``), ``environment``
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
pub struct Client(ClientState);

client_class!(Client, "Client", block, {
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
});

/// The native half of ``zignsec.AsyncClient``: each method starts the call on the
/// client's I/O runtime at once and returns an ``asyncio.Future``. Use
/// ``zignsec.AsyncClient``, whose methods are coroutines.
#[pyclass(frozen, module = "zignsec._zignsec", name = "_AsyncClient")]
#[derive(Debug)]
pub struct AsyncClient(ClientState);

client_class!(AsyncClient, "AsyncClient", spawn, {
    /// The text of ``repr(zignsec.AsyncClient)``.
    fn describe(&self, py: Python<'_>) -> PyResult<String> {
        self.0.repr(py, "AsyncClient")
    }
});
