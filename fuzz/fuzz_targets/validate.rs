//! Every `zignsec::validate` rule on any input: never a panic; an error is a
//! validation error naming its field; what passes really has the promised shape
//! (so nothing can be smuggled into a URL path, a header or the wire).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zignsec::{validate, ErrorKind};

fn named(r: Result<impl Sized, zignsec::Error>, field: &str) -> bool {
    match r {
        Ok(_) => true,
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
            assert_eq!(e.field(), Some(field), "{e}");
            assert!(e.message().contains(field), "{e}");
            false
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let n = i64::from_le_bytes(data[..8].try_into().unwrap_or([0; 8]));
    let f = f64::from_bits(n as u64);
    let s = String::from_utf8_lossy(&data[8..]);
    let s = &*s;

    if named(validate::e164("to", s), "to") {
        let d = s.strip_prefix('+').unwrap_or("");
        assert!(
            (7..=15).contains(&d.len())
                && d.bytes().all(|b| b.is_ascii_digit())
                && !d.starts_with('0'),
            "{s:?}"
        );
    }
    if named(validate::sender("from", s), "from") {
        assert!(
            !s.is_empty()
                && s.len() <= 16
                && s.bytes().all(|b| b == b'+' || b.is_ascii_alphanumeric()),
            "{s:?}"
        );
    }
    if let Ok(v) = validate::max_message_parts(n) {
        assert!((1..=10).contains(&v) && i64::from(v) == n);
    } else {
        assert!(!(1..=10).contains(&n));
        named(validate::max_message_parts(n), "max_message_parts");
    }
    // A part count as JavaScript and C hand it over: a double, through the intake.
    let loose = zignsec::input::SendSmsInput {
        max_message_parts: Some(zignsec::input::Number::Float(f)),
        ..Default::default()
    };
    match loose.into_request() {
        Ok(req) => assert!(req.max_message_parts as f64 == f, "{f}"),
        Err(e) => {
            assert_eq!(e.kind(), zignsec::ErrorKind::Validation);
            assert_eq!(e.field(), Some("max_message_parts"));
        }
    }
    for max in [0u32, 1, 10, u32::MAX] {
        named(validate::message(s, max), "message");
    }
    for field in ["webhook", "redirect_success", "redirect_failure"] {
        if let Ok(url) = validate::callback_url(field, s) {
            assert!(
                url.scheme() == "https" || (url.scheme() == "http" && validate::is_loopback(&url)),
                "{s:?}"
            );
        } else {
            named(validate::callback_url(field, s), field);
        }
    }
    named(validate::relay_state(s), "relay_state");
    named(validate::locale(s), "locale");
    if named(validate::csrf_token(s), "csrf_token") {
        assert!(
            s.bytes().all(|b| b.is_ascii_graphic()) && !s.is_empty(),
            "{s:?}"
        );
    }
    if let Ok(id) = validate::session_id(s) {
        assert_eq!(id.len(), 36, "{s:?}");
        assert!(
            id.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit()),
            "{s:?} -> {id:?}"
        );
        assert_eq!(id, id.to_ascii_lowercase());
    } else {
        named(validate::session_id(s), "session_id");
    }
    if let Ok(d) = validate::seconds("timeout", f) {
        assert!(
            f > 0.0 && f <= 86_400.0 && d.as_secs_f64() <= 86_400.0,
            "{f}"
        );
    } else {
        named(validate::seconds("timeout", f), "timeout");
    }
    let span = zignsec::input::Span::Millis(zignsec::input::Number::Float(f));
    named(zignsec::input::duration("timeout_ms", span), "timeout_ms");
    if let Ok(r) = validate::max_retries(n) {
        assert!(r <= 10);
    } else {
        named(validate::max_retries(n), "max_retries");
    }
    // Masking keeps at most the last 2 alphanumerics of a phone number.
    let masked = validate::mask_phone(s);
    let shown = masked.chars().filter(|c| c.is_ascii_alphanumeric()).count();
    assert!(shown <= 2, "{s:?} -> {masked:?}");
});
