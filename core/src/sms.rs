//! SMS length arithmetic: how many parts a message needs on the wire.
//!
//! GSM-7 messages carry 160 septets in one part and 153 per part once split (the
//! rest is the concatenation header); extension-table characters cost two septets
//! (escape + character) and are never split across parts. Anything outside GSM-7
//! goes as UCS-2: 70 UTF-16 units in one part, 67 per part once split, and a
//! surrogate pair is never split.

use serde::Serialize;

/// The character set a message is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsEncoding {
    /// The GSM 03.38 7-bit default alphabet (with its extension table).
    Gsm7,
    /// UTF-16 code units, used when any character is outside GSM-7.
    Ucs2,
}

impl SmsEncoding {
    /// The name used on every surface: `"gsm7"` or `"ucs2"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SmsEncoding::Gsm7 => "gsm7",
            SmsEncoding::Ucs2 => "ucs2",
        }
    }
}

impl std::fmt::Display for SmsEncoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a message splits into SMS parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct SmsParts {
    /// The encoding the message needs.
    pub encoding: SmsEncoding,
    /// Parts on the wire; 0 for an empty message.
    pub parts: u32,
    /// Septets (GSM-7) or UTF-16 units (UCS-2) in the whole message.
    pub units: u32,
    /// Capacity of one part: 160 or 153 (GSM-7), 70 or 67 (UCS-2).
    pub units_per_part: u32,
}

const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION: &str = "\u{c}^{}\\[~]|€";

/// The ASCII characters of a GSM-7 table as a bitmap (bit n set: byte n is in it).
const fn ascii_bits(table: &str) -> u128 {
    let bytes = table.as_bytes();
    let mut bits = 0u128;
    let mut i = 0;
    while i < bytes.len() {
        // Bytes of non-ASCII characters are all 0x80 or above.
        if bytes[i] < 0x80 {
            bits |= 1u128 << bytes[i];
        }
        i += 1;
    }
    bits
}

const GSM7_BASIC_ASCII: u128 = ascii_bits(GSM7_BASIC);
const GSM7_EXTENSION_ASCII: u128 = ascii_bits(GSM7_EXTENSION);

/// Septets one character costs in GSM-7, or `None` when it is not in GSM-7.
fn gsm7_septets(c: char) -> Option<u32> {
    if c.is_ascii() {
        // Most texts are ASCII: a bit test instead of a scan of the tables.
        let bit = 1u128 << (c as u32);
        return if GSM7_BASIC_ASCII & bit != 0 {
            Some(1)
        } else if GSM7_EXTENSION_ASCII & bit != 0 {
            Some(2)
        } else {
            None
        };
    }
    if GSM7_BASIC.contains(c) {
        Some(1)
    } else if GSM7_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Count the parts of `units`, packed greedily so that no unit group is split.
fn pack(groups: impl Iterator<Item = u32>, single: u32, multi: u32) -> (u32, u32, u32) {
    let mut total = 0u32;
    let mut parts = 1u32;
    let mut in_part = 0u32;
    for size in groups {
        total = total.saturating_add(size);
        if in_part + size > multi {
            parts += 1;
            in_part = 0;
        }
        in_part += size;
    }
    if total == 0 {
        (0, 0, single)
    } else if total <= single {
        (1, total, single)
    } else {
        (parts, total, multi)
    }
}

/// How many parts `message` needs, and in which encoding.
///
/// Input over 64 KiB (far beyond 10 parts) is a validation error about `message`,
/// as for a send.
///
/// ```
/// let p = zignsec::sms_parts("Your code is 12345")?;
/// assert_eq!((p.encoding.as_str(), p.parts, p.units), ("gsm7", 1, 18));
/// # Ok::<(), zignsec::Error>(())
/// ```
pub fn sms_parts(message: &str) -> crate::Result<SmsParts> {
    if message.len() > crate::validate::MAX_MESSAGE_BYTES {
        return Err(crate::Error::validation(
            "message",
            format!(
                "is {} bytes; sms_parts counts at most {} bytes",
                message.len(),
                crate::validate::MAX_MESSAGE_BYTES
            ),
        ));
    }
    Ok(count_parts(message))
}

/// [`sms_parts`] without the size cap. Two passes over the text, no allocation.
pub(crate) fn count_parts(message: &str) -> SmsParts {
    let all_gsm7 = message.chars().all(|c| gsm7_septets(c).is_some());
    let (encoding, (parts, units, units_per_part)) = if all_gsm7 {
        (
            SmsEncoding::Gsm7,
            pack(message.chars().filter_map(gsm7_septets), 160, 153),
        )
    } else {
        (
            SmsEncoding::Ucs2,
            pack(message.chars().map(|c| c.len_utf16() as u32), 70, 67),
        )
    };
    SmsParts {
        encoding,
        parts,
        units,
        units_per_part,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sms_parts(m: &str) -> SmsParts {
        count_parts(m)
    }

    #[test]
    fn the_ascii_bitmaps_agree_with_the_tables() {
        for b in 0u8..0x80 {
            let c = char::from(b);
            let scanned = if GSM7_BASIC.contains(c) {
                Some(1)
            } else if GSM7_EXTENSION.contains(c) {
                Some(2)
            } else {
                None
            };
            assert_eq!(gsm7_septets(c), scanned, "{b:#x}");
        }
    }

    #[test]
    fn gsm7_edges() {
        assert_eq!(sms_parts(&"a".repeat(160)).parts, 1);
        assert_eq!(sms_parts(&"a".repeat(161)).parts, 2);
        assert_eq!(sms_parts(&"a".repeat(306)).parts, 2);
        assert_eq!(sms_parts(&"a".repeat(307)).parts, 3);
        assert_eq!(sms_parts("").parts, 0);
    }

    #[test]
    fn extension_pair_is_never_split() {
        // 152 septets then a 2-septet '€' would straddle 153: it moves to part two.
        let msg = format!("{}€{}", "a".repeat(152), "a".repeat(10));
        let p = sms_parts(&msg);
        assert_eq!((p.units, p.parts), (164, 2));
        let msg = format!("{}€{}", "a".repeat(152), "a".repeat(152));
        assert_eq!(sms_parts(&msg).parts, 3);
    }

    #[test]
    fn ucs2_surrogates() {
        assert_eq!(sms_parts(&"😀".repeat(35)).parts, 1);
        let p = sms_parts(&"😀".repeat(36));
        assert_eq!((p.encoding, p.units, p.parts), (SmsEncoding::Ucs2, 72, 2));
        // 66 units then a pair: the pair opens part two.
        let msg = format!("{}😀", "ж".repeat(66));
        assert_eq!(sms_parts(&(msg + "ж".repeat(3).as_str())).parts, 2);
    }
}

#[cfg(test)]
mod cap_tests {
    #[test]
    fn huge_input_is_refused_without_counting() {
        let big = "a".repeat(crate::validate::MAX_MESSAGE_BYTES + 1);
        let err = super::sms_parts(&big).expect_err("over the cap");
        assert_eq!(err.field(), Some("message"));
        assert!(super::sms_parts(&"a".repeat(crate::validate::MAX_MESSAGE_BYTES)).is_ok());
    }
}
