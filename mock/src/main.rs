//! `zignsec-mock`: the offline ZignSec gateway as a command.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::{ArgAction, Parser};
use zignsec_mock::{
    is_loopback_host, AuthScheme, MockConfig, MockServer, DEFAULT_BODY_READ_TIMEOUT,
    DEFAULT_WEBHOOK_SECRET,
};

/// An offline ZignSec gateway for tests and demos.
///
/// Serves the two-factor SMS, phone and email endpoints (POST
/// /core/api/sessions/two_factor_auth/sms, POST .../phone, POST .../email, GET
/// /core/api/sessions/{id}), the hosted code pages /2fa-ui/2fa/phone/{id} and
/// /2fa-ui/2fa/email/{id}, signed webhooks to loopback URLs, and the
/// test-control API under /_mock/ (sessions, status, errors, faults, stats,
/// reset). The control API and the hosted pages answer loopback clients only
/// unless --allow-remote is given. The first line on stdout is
/// `listening on http://<host>:<port>`; it runs until SIGINT or SIGTERM.
#[derive(Debug, Parser)]
#[command(name = "zignsec-mock", version)]
struct Args {
    /// Address to listen on. A non-loopback address without --allow-remote
    /// prints a warning: the gateway endpoints (which need the key) are then
    /// reachable from the network, the control API and hosted pages are not.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,

    /// Port to listen on; 0 picks a free one (read it from the first line of stdout).
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// An accepted API key; give it twice for a primary/secondary pair
    /// (either passes, for rotation tests). Without it, any non-empty key is
    /// accepted.
    #[arg(long, value_name = "KEY", action = ArgAction::Append)]
    api_key: Vec<String>,

    /// Which header carries the key: `Authorization: <key>`,
    /// `Zs-Product-Key: <key>`, or either. With a fixed scheme a key in the
    /// other header is a 401.
    #[arg(
        long,
        value_name = "SCHEME",
        default_value = "any",
        value_parser = ["authorization", "product-key", "any"]
    )]
    auth_scheme: String,

    /// Let clients other than loopback use the control API (/_mock/) and the
    /// hosted pages (/2fa-ui/); they need no key and show codes, phone
    /// numbers and email addresses.
    #[arg(long)]
    allow_remote: bool,

    /// The status a successful create (POST .../sms, .../phone, .../email)
    /// answers; the real gateway may answer 201.
    #[arg(long, value_name = "STATUS", default_value_t = 200,
          value_parser = clap::value_parser!(u16).range(200..=202))]
    create_status: u16,

    /// Milliseconds a request body may take to arrive once its headers are
    /// in; a body still trickling after that is answered 408.
    #[arg(long, value_name = "MS", default_value_t = DEFAULT_BODY_READ_TIMEOUT.as_millis() as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    body_read_timeout_ms: u64,

    /// Secret the webhooks' X-ZignSec-Hmac-SHA256 signatures are keyed with.
    #[arg(long, value_name = "SECRET", default_value = DEFAULT_WEBHOOK_SECRET)]
    webhook_secret: String,

    /// Milliseconds an SMS takes from `pending` to `delivered` (or `failed`);
    /// it is `dispatched` at half that time.
    #[arg(long, value_name = "MS", default_value_t = 200)]
    sms_delivery_ms: u64,
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.webhook_secret.is_empty() {
        eprintln!("zignsec-mock: --webhook-secret must not be empty");
        return ExitCode::from(2);
    }
    if args.api_key.iter().any(String::is_empty) {
        eprintln!("zignsec-mock: --api-key must not be empty (leave it out to accept any key)");
        return ExitCode::from(2);
    }
    if args.api_key.len() > 2 {
        eprintln!(
            "zignsec-mock: --api-key may be given at most twice (a primary and a secondary key)"
        );
        return ExitCode::from(2);
    }
    let auth_scheme = match args.auth_scheme.parse::<AuthScheme>() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("zignsec-mock: --auth-scheme: {e}");
            return ExitCode::from(2);
        }
    };
    if !args.allow_remote && !is_loopback_host(&args.host) {
        eprintln!(
            "zignsec-mock: warning: --host {} may be reachable from the network; the gateway \
endpoints answer anyone with the key, while the control API (/_mock/) and the hosted pages \
(/2fa-ui/) answer loopback clients only (pass --allow-remote to open them too)",
            args.host
        );
    }
    let mut keys = args.api_key.into_iter();
    let config = MockConfig {
        api_key: keys.next(),
        secondary_api_key: keys.next(),
        auth_scheme,
        webhook_secret: args.webhook_secret,
        sms_delivery: Duration::from_millis(args.sms_delivery_ms),
        host: args.host,
        port: args.port,
        allow_remote: args.allow_remote,
        create_status: args.create_status,
        body_read_timeout: Duration::from_millis(args.body_read_timeout_ms),
    };
    let signals = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("zignsec-mock: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let server = match MockServer::start(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("zignsec-mock: cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", server.url());
        let _ = out.flush();
    }
    signals.block_on(wait_for_signal());
    drop(server);
    ExitCode::SUCCESS
}
