//! # zignsec-mock
//!
//! An offline ZignSec gateway: a real HTTP server that behaves like
//! `test-gateway.zignsec.com` for the two-factor SMS, phone and email APIs,
//! for test suites, benchmarks and demos. It applies the SDK's own validation
//! rules (from [`zignsec::validate`]), walks SMS sessions through
//! `pending → dispatched → delivered` (or `failed` for a recipient ending in
//! `0000`), serves hosted code-entry pages for phone and email verification,
//! POSTs signed webhooks to loopback URLs, and has a test-control API under
//! `/_mock/` (session state, forced statuses, session errors, fault
//! injection, stats). The control API and the hosted pages answer loopback
//! peers only, unless [`MockConfig::allow_remote`] is set.
//!
//! Use it in-process from a plain `#[test]` (it runs on its own thread and
//! runtime, so it also works from inside another tokio runtime):
//!
//! ```no_run
//! let server = zignsec_mock::MockServer::start(zignsec_mock::MockConfig::default())?;
//! println!("gateway at {}", server.url()); // http://127.0.0.1:<port>
//! // ... point a client's base URL at server.url() ...
//! drop(server); // stops it
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! or as the `zignsec-mock` binary, whose first line of stdout is
//! `listening on http://127.0.0.1:<port>`.

mod access;
mod api;
mod auth;
mod control;
mod email;
mod page;
mod server;
mod state;
mod stats;
mod webhook;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::oneshot;

pub use access::is_loopback_host;

/// The webhook secret used when none is configured.
pub const DEFAULT_WEBHOOK_SECRET: &str = "mock-webhook-secret";
/// The time an SMS takes from `pending` to `delivered` when none is configured.
pub const DEFAULT_SMS_DELIVERY: Duration = Duration::from_millis(200);
/// Request bodies larger than this get a 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How long a request body may take to arrive once its headers are in; a
/// body still trickling in after that is answered 408.
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Which request header carries the API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthScheme {
    /// `Authorization: <key>` (the raw key, no `Bearer`): the seeds' scheme.
    Authorization,
    /// `Zs-Product-Key: <key>`: ZignSec's newer products.
    ProductKey,
    /// Either header (the default).
    #[default]
    Any,
}

impl AuthScheme {
    /// The flag spelling: `authorization`, `product-key` or `any`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthScheme::Authorization => "authorization",
            AuthScheme::ProductKey => "product-key",
            AuthScheme::Any => "any",
        }
    }
}

impl std::str::FromStr for AuthScheme {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "authorization" => Ok(AuthScheme::Authorization),
            "product-key" => Ok(AuthScheme::ProductKey),
            "any" => Ok(AuthScheme::Any),
            other => Err(format!(
                "unknown auth scheme {other:?} (authorization, product-key or any)"
            )),
        }
    }
}

/// How a [`MockServer`] behaves.
#[derive(Clone)]
pub struct MockConfig {
    /// The API key accepted. `None` (and no secondary key) accepts any
    /// non-empty key.
    pub api_key: Option<String>,
    /// A second accepted key, as in ZignSec's primary/secondary pairs (for
    /// key-rotation tests): either key passes.
    pub secondary_api_key: Option<String>,
    /// Which header carries the key; with a fixed scheme a key in the other
    /// header is a 401.
    pub auth_scheme: AuthScheme,
    /// The secret webhooks are signed with (`X-ZignSec-Hmac-SHA256`).
    pub webhook_secret: String,
    /// Time from `pending` to the final SMS status; `dispatched` comes at half.
    pub sms_delivery: Duration,
    /// Address to listen on (default `127.0.0.1`).
    pub host: String,
    /// Port to listen on; `0` (the default) picks a free one.
    pub port: u16,
    /// Let non-loopback peers use the control API (`/_mock/…`) and the hosted
    /// pages (`/2fa-ui/…`). Off by default: those need no key and show codes,
    /// phone numbers and email addresses.
    pub allow_remote: bool,
    /// The status a successful create answers (200 by default; the real
    /// gateway may answer 201). Anything outside 200..=299 counts as 200.
    pub create_status: u16,
    /// Time allowed for a request body once its headers are read (408 after).
    pub body_read_timeout: Duration,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            api_key: None,
            secondary_api_key: None,
            auth_scheme: AuthScheme::Any,
            webhook_secret: DEFAULT_WEBHOOK_SECRET.to_string(),
            sms_delivery: DEFAULT_SMS_DELIVERY,
            host: "127.0.0.1".to_string(),
            port: 0,
            allow_remote: false,
            create_status: 200,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
        }
    }
}

impl fmt::Debug for MockConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockConfig")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field(
                "secondary_api_key",
                &self.secondary_api_key.as_ref().map(|_| "<redacted>"),
            )
            .field("auth_scheme", &self.auth_scheme)
            .field("webhook_secret", &"<redacted>")
            .field("sms_delivery", &self.sms_delivery)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("allow_remote", &self.allow_remote)
            .field("create_status", &self.create_status)
            .field("body_read_timeout", &self.body_read_timeout)
            .finish()
    }
}

/// A running offline gateway. It serves on its own background thread and
/// tokio runtime until dropped.
pub struct MockServer {
    addr: SocketAddr,
    url: String,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

fn base_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

impl MockServer {
    /// Bind `config.host:config.port` and start serving in the background.
    ///
    /// Returns once the socket is listening, so requests can be sent at once.
    /// Fails when the address cannot be bound or the runtime cannot start.
    pub fn start(config: MockConfig) -> std::io::Result<MockServer> {
        let std_listener = std::net::TcpListener::bind((config.host.as_str(), config.port))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let url = base_url(addr);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("zignsec-mock-worker")
            .build()?;
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(std_listener)?
        };
        let app = Arc::new(state::App::new(config, url.clone()));
        let (shutdown_tx, shutdown_rx) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("zignsec-mock".to_string())
            .spawn(move || {
                runtime.block_on(server::run(app, listener, shutdown_rx));
                runtime.shutdown_timeout(Duration::from_millis(200));
            })?;
        Ok(MockServer {
            addr,
            url,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for MockServer {
    /// Stops accepting, closes every connection and joins the server thread.
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
