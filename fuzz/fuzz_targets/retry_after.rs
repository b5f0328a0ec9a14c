//! `parse_retry_after` on any header text and any clock: never a panic, never more
//! than 60 s; whole seconds are read as such.
#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 5 {
        return;
    }
    // A clock anywhere from 1970 to ~2106.
    let secs = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
    let now = UNIX_EPOCH + Duration::from_secs(u64::from(secs));
    let text = String::from_utf8_lossy(&data[4..]);
    for t in [&*text, text.trim()] {
        if let Some(d) = zignsec::parse_retry_after(t, now) {
            assert!(d <= zignsec::MAX_RETRY_AFTER, "{t:?} -> {d:?}");
            assert!(d <= Duration::from_secs(60), "{t:?} -> {d:?}");
        }
        let _ = zignsec::parse_retry_after(t, SystemTime::now());
    }
    if let Ok(n) = text.trim().parse::<u64>() {
        if !text.trim().starts_with('+') {
            assert_eq!(
                zignsec::parse_retry_after(&text, now),
                Some(Duration::from_secs(n.min(60))),
                "{text:?}"
            );
        }
    }
});
