//! The retry policy: which failures are retried, how long to wait between tries,
//! and what a failure says about whether a send may have reached the gateway. The
//! decision after each attempt is [`next_step`], readable (and tested) on its own.

use std::time::{Duration, SystemTime};

/// `Retry-After` values above this are capped.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const BACKOFF_BASE: Duration = Duration::from_millis(500);
const BACKOFF_CAP: Duration = Duration::from_secs(8);

/// Statuses a read (`GET`) is retried on.
pub fn read_status_is_retryable(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// Statuses a send (`POST`) is retried on: only 429, which says nothing was done.
/// After a 5xx the SMS may already be out, so a send is never retried on one.
pub fn send_status_is_retryable(status: u16) -> bool {
    status == 429
}

/// Backoff before retry `n` (0-based): `min(0.5 s × 2^n, 8 s)` less up to 25 % jitter.
pub fn backoff(n: u32) -> Duration {
    let full = BACKOFF_BASE
        .checked_mul(1u32.checked_shl(n.min(16)).unwrap_or(u32::MAX))
        .unwrap_or(BACKOFF_CAP)
        .min(BACKOFF_CAP);
    let jitter: f64 = rand::random::<f64>() * 0.25;
    full.mul_f64(1.0 - jitter)
}

/// Parse a `Retry-After` header: delay seconds or an HTTP date, capped at 60 s.
/// Dates in the past mean "now" (zero); garbage is `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let secs = value.parse::<f64>().ok()?;
        if !secs.is_finite() || secs < 0.0 {
            return None;
        }
        return Some(Duration::from_secs_f64(
            secs.min(MAX_RETRY_AFTER.as_secs_f64()),
        ));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(MAX_RETRY_AFTER),
    )
}

/// Which call is being made: it decides the retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallKind {
    /// A `GET`: safe to repeat.
    Read,
    /// A `POST` that may send an SMS or start a session: never repeated unless it
    /// provably never left or was refused with 429.
    Send,
}

/// How one attempt that did not succeed ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The gateway answered with a non-2xx status.
    Status {
        /// The HTTP status.
        status: u16,
        /// Its `Retry-After`, parsed and capped.
        retry_after: Option<Duration>,
    },
    /// No answer: refused, reset, dropped, TLS, DNS, or out of time.
    Transport {
        /// The request provably never reached the gateway (connect or DNS failure).
        never_left: bool,
    },
}

/// What to do after an attempt that did not succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Try again after this wait.
    Retry(Duration),
    /// Report the failure; for sends, whether the request may have been sent.
    GiveUp {
        /// `None` for reads.
        maybe_sent: Option<bool>,
    },
}

/// Whether a send that ended with `outcome` may have reached the gateway: only a
/// 4xx is a refusal (a 5xx may come after the SMS left; a 303 after POST means it
/// was processed), and only a connect failure provably never left.
pub(crate) fn maybe_sent(kind: CallKind, outcome: Outcome) -> Option<bool> {
    match (kind, outcome) {
        (CallKind::Read, _) => None,
        (CallKind::Send, Outcome::Status { status, .. }) => Some(!(400..500).contains(&status)),
        (CallKind::Send, Outcome::Transport { never_left }) => Some(!never_left),
    }
}

/// The decision after a failed attempt: retry (after how long) or give up.
/// `retries_used` counts retries already made (key rotation is not one), and
/// `time_left` is what remains of the call's deadline.
pub(crate) fn next_step(
    kind: CallKind,
    outcome: Outcome,
    retries_used: u32,
    max_retries: u32,
    time_left: Duration,
) -> Step {
    let give_up = Step::GiveUp {
        maybe_sent: maybe_sent(kind, outcome),
    };
    let retryable = match (kind, outcome) {
        (CallKind::Read, Outcome::Status { status, .. }) => read_status_is_retryable(status),
        (CallKind::Send, Outcome::Status { status, .. }) => send_status_is_retryable(status),
        (CallKind::Read, Outcome::Transport { .. }) => true,
        (CallKind::Send, Outcome::Transport { never_left }) => never_left,
    };
    if !retryable || retries_used >= max_retries {
        return give_up;
    }
    let wait = match outcome {
        Outcome::Status {
            retry_after: Some(wait),
            ..
        } => wait,
        _ => backoff(retries_used),
    };
    // A wait that would end past the deadline ends the call now, with what happened.
    if wait >= time_left {
        return give_up;
    }
    Step::Retry(wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        for n in 0..20 {
            let b = backoff(n);
            let full = (0.5 * 2f64.powi(n as i32)).min(8.0);
            assert!(b.as_secs_f64() <= full + 1e-9, "n={n} b={b:?}");
            assert!(b.as_secs_f64() >= full * 0.75 - 1e-9, "n={n} b={b:?}");
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(parse_retry_after("3600", now), Some(MAX_RETRY_AFTER));
        assert_eq!(parse_retry_after("soon", now), None);
        let later = httpdate::fmt_http_date(now + Duration::from_secs(5));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(5)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(5));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
    }

    const LOTS: Duration = Duration::from_secs(30);

    fn status(status: u16) -> Outcome {
        Outcome::Status {
            status,
            retry_after: None,
        }
    }

    #[test]
    fn sends_retry_only_when_nothing_was_done() {
        use CallKind::Send;
        for code in [500, 502, 503, 504, 303, 307, 200] {
            assert_eq!(
                next_step(Send, status(code), 0, 2, LOTS),
                Step::GiveUp {
                    maybe_sent: Some(true)
                },
                "{code}"
            );
        }
        for code in [400, 401, 404, 408, 413] {
            assert_eq!(
                next_step(Send, status(code), 0, 2, LOTS),
                Step::GiveUp {
                    maybe_sent: Some(false)
                },
                "{code}"
            );
        }
        let dropped = Outcome::Transport { never_left: false };
        assert_eq!(
            next_step(Send, dropped, 0, 2, LOTS),
            Step::GiveUp {
                maybe_sent: Some(true)
            }
        );
        let refused = Outcome::Transport { never_left: true };
        assert!(matches!(
            next_step(Send, refused, 0, 2, LOTS),
            Step::Retry(_)
        ));
        assert!(matches!(
            next_step(Send, status(429), 1, 2, LOTS),
            Step::Retry(_)
        ));
        assert_eq!(
            next_step(Send, status(429), 2, 2, LOTS),
            Step::GiveUp {
                maybe_sent: Some(false)
            }
        );
    }

    #[test]
    fn reads_retry_on_transient_failures_within_the_deadline() {
        use CallKind::Read;
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(
                matches!(next_step(Read, status(code), 0, 2, LOTS), Step::Retry(_)),
                "{code}"
            );
        }
        for code in [400, 401, 403, 404, 501] {
            assert_eq!(
                next_step(Read, status(code), 0, 2, LOTS),
                Step::GiveUp { maybe_sent: None },
                "{code}"
            );
        }
        let wait = Outcome::Status {
            status: 503,
            retry_after: Some(Duration::from_secs(5)),
        };
        assert_eq!(
            next_step(Read, wait, 0, 2, LOTS),
            Step::Retry(Duration::from_secs(5))
        );
        assert_eq!(
            next_step(Read, wait, 0, 2, Duration::from_secs(5)),
            Step::GiveUp { maybe_sent: None }
        );
        let reset = Outcome::Transport { never_left: false };
        assert!(matches!(next_step(Read, reset, 1, 2, LOTS), Step::Retry(_)));
        assert_eq!(
            next_step(Read, reset, 2, 2, LOTS),
            Step::GiveUp { maybe_sent: None }
        );
    }
}
