//! `sms_parts` against an independent oracle (GSM 03.38 tables, greedy packing
//! that never splits an escape or surrogate pair), plus the invariants
//! parts >= ceil(units / units_per_part), units <= 2 x chars, units >= chars.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zignsec::SmsEncoding;

const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const EXT: &str = "\u{c}^{}\\[~]|€";

fn oracle(message: &str) -> (&'static str, u64, u64, u64) {
    let gsm: Option<Vec<u64>> = message
        .chars()
        .map(|c| {
            if BASIC.contains(c) {
                Some(1)
            } else if EXT.contains(c) {
                Some(2)
            } else {
                None
            }
        })
        .collect();
    let (enc, sizes, single, multi) = match gsm {
        Some(s) => ("gsm7", s, 160, 153),
        None => (
            "ucs2",
            message.chars().map(|c| c.len_utf16() as u64).collect(),
            70,
            67,
        ),
    };
    let units: u64 = sizes.iter().sum();
    if units == 0 {
        return (enc, 0, 0, single);
    }
    if units <= single {
        return (enc, 1, units, single);
    }
    let (mut parts, mut fill) = (1, 0);
    for s in sizes {
        if fill + s > multi {
            parts += 1;
            fill = 0;
        }
        fill += s;
    }
    (enc, parts, units, multi)
}

fuzz_target!(|message: &str| {
    let Ok(p) = zignsec::sms_parts(message) else {
        assert!(message.len() > zignsec::validate::MAX_MESSAGE_BYTES);
        return;
    };
    let chars = message.chars().count() as u64;
    let (parts, units, upp) = (
        u64::from(p.parts),
        u64::from(p.units),
        u64::from(p.units_per_part),
    );
    let enc = match p.encoding {
        SmsEncoding::Gsm7 => "gsm7",
        SmsEncoding::Ucs2 => "ucs2",
    };
    assert_eq!(enc, p.encoding.as_str());
    assert_eq!((enc, parts, units, upp), oracle(message), "{message:?}");
    assert!(units <= 2 * chars && units >= chars, "{message:?}");
    assert!(upp > 0 && parts >= units.div_ceil(upp), "{message:?}");
    // A pair moved whole wastes at most one unit per part.
    assert!(
        parts <= units.div_ceil(upp - 1).max(u64::from(units > 0)),
        "{message:?}"
    );
    match (enc, parts) {
        ("gsm7", 0 | 1) => assert_eq!(upp, 160),
        ("gsm7", _) => assert_eq!(upp, 153),
        ("ucs2", 0 | 1) => assert_eq!(upp, 70),
        _ => assert_eq!(upp, 67),
    }
    if enc == "ucs2" {
        assert_eq!(units, message.encode_utf16().count() as u64);
    }
    // validate::message agrees with sms_parts for every max_message_parts (the
    // core also refuses NUL, which C strings cannot carry; inputs here stay far
    // below its byte cap).
    for max in [1u32, 2, 10] {
        let ok = zignsec::validate::message(message, max).is_ok();
        let want = !message.is_empty() && !message.contains('\0') && parts <= u64::from(max);
        assert_eq!(ok, want, "{message:?} max {max}");
    }
});
