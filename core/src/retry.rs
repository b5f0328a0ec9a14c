//! The retry policy: which failures are retried, and how long to wait between tries.

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
}
