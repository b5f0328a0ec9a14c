//! Webhooks: `parse_webhook` and `verify_webhook_at` on any body and header never
//! panic; a body signed with `sign_webhook` verifies exactly when it parses; a
//! forged header (any bytes) or a stale timestamp never verifies.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use zignsec::ErrorKind;

const SECRET: &str = "whsec_fuzz";

fuzz_target!(|data: &[u8]| {
    // data = [ts: 8][split: 2][header bytes][body bytes]
    if data.len() < 10 {
        return;
    }
    let ts = i64::from_le_bytes(data[..8].try_into().unwrap_or([0; 8]));
    let split = usize::from(u16::from_le_bytes([data[8], data[9]]));
    let rest = &data[10..];
    let split = split.min(rest.len());
    let (header, body) = rest.split_at(split);
    let header = String::from_utf8_lossy(header);

    let parsed = zignsec::parse_webhook(body);
    if let Ok(ev) = &parsed {
        assert!(!ev.id.is_empty() || ev.raw.get("id").is_some());
    }
    // A forged header: must never verify (except by forging the HMAC).
    if let Ok(ev) = zignsec::verify_webhook_at(body, &header, SECRET, Duration::from_secs(300), ts)
    {
        let real = zignsec::sign_webhook(body, SECRET, ts).ok();
        assert!(
            real.is_some_and(|r| header.contains(r.split_once(",v1=").map_or("", |x| x.1))),
            "a forged header verified: {header:?} -> {}",
            ev.id
        );
    }
    // Any tolerance, any clock: never a panic.
    let _ = zignsec::verify_webhook_at(
        body,
        &header,
        SECRET,
        Duration::from_secs(u64::MAX),
        i64::MIN,
    );
    let _ = zignsec::verify_webhook_at(body, &header, SECRET, Duration::ZERO, i64::MAX);

    // Signed for real: verifies iff the body is an event.
    let Ok(signed) = zignsec::sign_webhook(body, SECRET, ts) else {
        return;
    };
    let verified = zignsec::verify_webhook_at(body, &signed, SECRET, Duration::from_secs(300), ts);
    match (&parsed, &verified) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(_), Err(e)) => assert_eq!(e.kind(), ErrorKind::Decode, "{e}"),
        (Ok(_), Err(e)) => panic!("a signed event was refused: {e}"),
        (Err(e), Ok(_)) => panic!("a body parse_webhook refuses verified: {e}"),
    }
    // The same signature with another secret, or 301 s later: refused.
    let wrong = zignsec::verify_webhook_at(body, &signed, "other", Duration::from_secs(300), ts);
    assert_eq!(
        wrong.map(|_| ()).unwrap_err().kind(),
        ErrorKind::WebhookSignature
    );
    if let Some(later) = ts.checked_add(301) {
        let stale =
            zignsec::verify_webhook_at(body, &signed, SECRET, Duration::from_secs(300), later);
        assert_eq!(
            stale.map(|_| ()).unwrap_err().kind(),
            ErrorKind::WebhookSignature
        );
    }
});
