//! `parse_gateway_error` on any body: never a panic, never fails; a description
//! from a body that is not JSON is the trimmed raw text, capped at 200 characters.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let text = String::from_utf8_lossy(body);
    let parsed = zignsec::parse_gateway_error(&text);
    if serde_json::from_str::<serde_json::Value>(&text).is_err() {
        assert!(parsed.code.is_none(), "{parsed:?}");
        let trimmed = text.trim();
        match &parsed.description {
            None => assert!(trimmed.is_empty()),
            Some(d) => {
                assert!(d.chars().count() <= 201, "{} chars", d.chars().count());
                assert!(trimmed.starts_with(d.trim_end_matches('…')), "{d:?}");
            }
        }
    }
});
