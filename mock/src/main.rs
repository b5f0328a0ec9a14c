//! `zignsec-mock`: the offline ZignSec gateway as a command.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use zignsec_mock::{MockConfig, MockServer, DEFAULT_WEBHOOK_SECRET};

/// An offline ZignSec gateway for tests and demos.
///
/// Serves the two-factor SMS and phone endpoints (POST
/// /core/api/sessions/two_factor_auth/sms, POST .../phone, GET
/// /core/api/sessions/{id}), the hosted code page /2fa-ui/2fa/phone/{id},
/// signed webhooks to loopback URLs, and the test-control API under /_mock/
/// (sessions, status, faults, stats, reset). The first line on stdout is
/// `listening on http://<host>:<port>`; it runs until SIGINT or SIGTERM.
#[derive(Debug, Parser)]
#[command(name = "zignsec-mock", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,

    /// Port to listen on; 0 picks a free one (read it from the first line of stdout).
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// The only API key accepted (header `Authorization: <key>`). Without it,
    /// any non-empty key is accepted.
    #[arg(long, value_name = "KEY")]
    api_key: Option<String>,

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
    if args.api_key.as_deref().is_some_and(str::is_empty) {
        eprintln!("zignsec-mock: --api-key must not be empty (leave it out to accept any key)");
        return ExitCode::from(2);
    }
    let config = MockConfig {
        api_key: args.api_key,
        webhook_secret: args.webhook_secret,
        sms_delivery: Duration::from_millis(args.sms_delivery_ms),
        host: args.host,
        port: args.port,
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
