//! Input rules, checked before anything is sent. Each failure is a validation
//! error naming the field; the mock gateway applies the same rules.

use std::net::IpAddr;
use std::time::Duration;

use url::{Host, Url};

use crate::error::{Error, Result};
use crate::sms::count_parts;

/// Longest `relay_state` accepted, in characters.
pub const MAX_RELAY_STATE_CHARS: usize = 1024;
/// Longest URL accepted, in bytes.
pub const MAX_URL_BYTES: usize = 2048;
/// Longest message accepted before part counting, in bytes (10 parts of UCS-2
/// are far below this; it only stops a huge string from being scanned).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Highest `max_message_parts`.
pub const MAX_MESSAGE_PARTS: i64 = 10;

/// A phone number as an error may show it: masked to its last 2 digits, so a
/// logged validation error never carries a full number.
fn describe_phone(value: &str) -> String {
    // Only the first characters are shown: a huge value is not masked whole.
    let head: String = value.chars().take(SHOWN_CHARS + 3).collect();
    describe(&mask_phone(if head.len() < value.len() {
        &head
    } else {
        value
    }))
}

/// A URL as an error may show it: scheme and host only (paths and queries may
/// carry tokens).
fn describe_url(value: &str) -> String {
    match Url::parse(value) {
        Ok(url) => match url.host_str() {
            Some(host) => format!("a URL of {}://{host}", url.scheme()),
            None => format!("a {}: URL", url.scheme()),
        },
        Err(_) => format!("{} characters that are not a URL", value.chars().count()),
    }
}

/// How many characters of a bad value an error shows.
const SHOWN_CHARS: usize = 40;

fn describe(value: &str) -> String {
    let shown: String = value.chars().take(SHOWN_CHARS).collect();
    if shown.len() < value.len() {
        format!("{shown:?}…")
    } else {
        format!("{shown:?}")
    }
}

/// `+` then 7 to 15 digits, the first not 0.
pub fn e164(field: &str, value: &str) -> Result<()> {
    let digits = value.strip_prefix('+').unwrap_or("");
    let ok = value.starts_with('+')
        && (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            field,
            format!(
                "must be an E.164 phone number (`+` then 7 to 15 digits, no leading 0, e.g. +46701234567), got {}",
                describe_phone(value)
            ),
        ))
    }
}

/// An E.164 number or 1 to 11 ASCII letters and digits (an alphanumeric sender id).
pub fn sender(field: &str, value: &str) -> Result<()> {
    if value.starts_with('+') {
        return e164(field, value);
    }
    let ok = (1..=11).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            field,
            format!(
                "must be an E.164 number or 1 to 11 letters and digits (e.g. \"ZignSec\"), got {}",
                describe_phone(value)
            ),
        ))
    }
}

/// `max_message_parts` from 1 to 10.
pub fn max_message_parts(value: i64) -> Result<u32> {
    if (1..=MAX_MESSAGE_PARTS).contains(&value) {
        Ok(value as u32)
    } else {
        Err(Error::validation(
            "max_message_parts",
            format!("must be from 1 to {MAX_MESSAGE_PARTS}, got {value}"),
        ))
    }
}

fn no_nul(field: &str, value: &str) -> Result<()> {
    if value.contains('\0') {
        Err(Error::validation(field, "must not contain NUL characters"))
    } else {
        Ok(())
    }
}

/// A non-empty message that fits in `max_parts` parts.
pub fn message(value: &str, max_parts: u32) -> Result<()> {
    if value.is_empty() {
        return Err(Error::validation("message", "must not be empty"));
    }
    no_nul("message", value)?;
    if value.len() > MAX_MESSAGE_BYTES {
        return Err(Error::validation(
            "message",
            format!(
                "is {} bytes, far more than {max_parts} SMS part(s) can carry",
                value.len()
            ),
        ));
    }
    let parts = count_parts(value);
    if parts.parts > max_parts {
        return Err(Error::validation(
            "message",
            format!(
                "needs {} SMS parts ({} {} units) but max_message_parts is {max_parts}; shorten it or raise max_message_parts (at most {MAX_MESSAGE_PARTS})",
                parts.parts, parts.units, parts.encoding
            ),
        ));
    }
    Ok(())
}

/// Whether `url`'s host is loopback: `localhost`, 127.0.0.0/8 or `::1`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// An absolute `https://` URL (`http://` only for loopback hosts), without credentials.
pub fn callback_url(field: &str, value: &str) -> Result<Url> {
    let bad = |why: &str| Error::validation(field, format!("{why}, got {}", describe_url(value)));
    if value.len() > MAX_URL_BYTES {
        // Not parsed: its length is all the error needs.
        return Err(Error::validation(
            field,
            format!(
                "must be at most {MAX_URL_BYTES} bytes, got {} bytes",
                value.len()
            ),
        ));
    }
    if value.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(bad("must not contain spaces or control characters"));
    }
    let url = Url::parse(value).map_err(|_| bad("must be an absolute https:// URL"))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => return Err(bad("must use https:// (http:// only for loopback hosts)")),
        _ => return Err(bad("must be an absolute https:// URL")),
    }
    if url.host().is_none() {
        return Err(bad("must name a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not carry credentials"));
    }
    Ok(url)
}

/// Longest email address accepted, in characters.
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest local part (before the `@`), in characters.
pub const MAX_EMAIL_LOCAL_CHARS: usize = 64;

/// An email address: `local@domain`, at most 254 characters; a local part of 1 to 64
/// characters without spaces, quotes (`"`), control characters or the specials
/// `(),:;<>[\]`, and with no leading, trailing or doubled dot; a domain of DNS labels
/// (internationalized names allowed) with at least one dot. The message never shows
/// the address (at most `j***@domain`).
pub fn email_address(field: &str, value: &str) -> Result<()> {
    let bad = |why: &str| {
        Error::validation(
            field,
            format!("must be an email address like jane@example.com: {why}"),
        )
    };
    let chars = value.chars().count();
    if chars > MAX_EMAIL_CHARS {
        return Err(bad(&format!(
            "it is {chars} characters, more than {MAX_EMAIL_CHARS}"
        )));
    }
    let Some((local, domain)) = value.rsplit_once('@') else {
        return Err(bad("there is no `@`"));
    };
    let local_chars = local.chars().count();
    if !(1..=MAX_EMAIL_LOCAL_CHARS).contains(&local_chars) {
        return Err(bad(&format!(
            "the part before `@` must be 1 to {MAX_EMAIL_LOCAL_CHARS} characters"
        )));
    }
    if local
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\"(),:;<>[\\]@".contains(c))
    {
        return Err(bad(
            "the part before `@` has a space, a quote, a control character or one of (),:;<>[\\]@",
        ));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(bad(
            "the part before `@` starts or ends with a dot, or has two in a row",
        ));
    }
    if !valid_domain(domain) {
        return Err(bad("the part after `@` is not a domain name with a dot"));
    }
    Ok(())
}

fn valid_domain(domain: &str) -> bool {
    if domain.is_empty() || domain.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    // IDNA: an internationalized name is checked in its ASCII (punycode) form.
    let Ok(Host::Domain(ascii)) = Host::parse(domain) else {
        return false;
    };
    let labels: Vec<&str> = ascii.split('.').collect();
    ascii.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// A field an operation requires: present and not empty.
pub fn required(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        Err(Error::validation(field, "is required"))
    } else {
        Ok(())
    }
}

/// Optional free text echoed back by the gateway: 1 to 1024 characters, no NUL.
pub fn relay_state(value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::validation(
            "relay_state",
            "must not be empty when given",
        ));
    }
    no_nul("relay_state", value)?;
    let chars = value.chars().count();
    if chars > MAX_RELAY_STATE_CHARS {
        return Err(Error::validation(
            "relay_state",
            format!("must be at most {MAX_RELAY_STATE_CHARS} characters, got {chars}"),
        ));
    }
    Ok(())
}

/// A language tag such as `En` or `sv-SE`: 2 to 35 ASCII letters, digits, `-` or `_`.
pub fn locale(value: &str) -> Result<()> {
    let ok = (2..=35).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            "locale",
            format!(
                "must be a language tag like \"En\" or \"sv-SE\", got {}",
                describe(value)
            ),
        ))
    }
}

/// A CSRF token sent as a header: 1 to 4096 visible ASCII characters.
pub fn csrf_token(value: &str) -> Result<()> {
    let ok = (1..=4096).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            "csrf_token",
            "must be 1 to 4096 visible ASCII characters",
        ))
    }
}

/// A session id: a UUID in its hyphenated form, so nothing can be smuggled into
/// the URL path. Returns it lower-cased.
pub fn session_id(value: &str) -> Result<String> {
    let parsed = (value.len() == 36)
        .then(|| uuid::Uuid::try_parse(value).ok())
        .flatten();
    match parsed {
        Some(id) => Ok(id.hyphenated().to_string()),
        None => Err(Error::validation(
            "session_id",
            format!(
                "must be a UUID like 26f5cc23-dbbb-45bb-a210-2818e70637bd, got {}",
                describe(value)
            ),
        )),
    }
}

/// A duration given in (fractional) seconds: finite, positive, at most a day.
pub fn seconds(field: &str, value: f64) -> Result<Duration> {
    if value.is_finite() && value > 0.0 && value <= 86_400.0 {
        Ok(Duration::from_secs_f64(value))
    } else {
        Err(Error::validation(
            field,
            format!("must be a number of seconds above 0 and at most 86400, got {value}"),
        ))
    }
}

/// `max_retries` from 0 to 10.
pub fn max_retries(value: i64) -> Result<u32> {
    if (0..=10).contains(&value) {
        Ok(value as u32)
    } else {
        Err(Error::validation(
            "max_retries",
            format!("must be from 0 to 10, got {value}"),
        ))
    }
}

/// Mask a phone number for logs: all but the last 2 digits hidden.
pub fn mask_phone(value: &str) -> String {
    let n = value.chars().count();
    value
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i + 2 < n && c.is_ascii_alphanumeric() {
                '*'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_value_is_shown_as_a_short_one_would_be() {
        for value in ["+4670123456789012345678901234567890123456789012", "+46abc"] {
            let long = format!("{value}{}", "7".repeat(100_000));
            for v in [value, long.as_str()] {
                assert_eq!(describe_phone(v), describe(&mask_phone(v)));
            }
        }
        let e = callback_url(
            "webhook",
            &format!("https://h/{}", "a".repeat(MAX_URL_BYTES)),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains(&format!("got {} bytes", MAX_URL_BYTES + 10)),
            "{e}"
        );
    }

    #[test]
    fn rules() {
        assert!(e164("to", "+46701234567").is_ok());
        assert!(e164("to", "+0701234567").is_err());
        assert!(e164("to", "46701234567").is_err());
        assert!(e164("to", "+123456").is_err());
        assert!(sender("from", "ZignSec").is_ok());
        assert!(sender("from", "ZignSecLongName").is_err());
        assert!(callback_url("webhook", "http://127.0.0.1:9/x").is_ok());
        assert!(callback_url("webhook", "http://example.com/x").is_err());
        assert!(callback_url("webhook", "javascript:alert(1)").is_err());
        assert!(session_id("../../etc/passwd").is_err());
        assert_eq!(mask_phone("+46701234567"), "+*********67");
        assert!(email_address("email_address", "a@b.se").is_ok());
        assert!(email_address("email_address", "jane@räksmörgås.se").is_ok());
        assert!(email_address("email_address", "o'brien@example.ie").is_ok());
        assert!(email_address("email_address", "a..b@x.se").is_err());
        assert!(email_address("email_address", "a b@x.se").is_err());
        assert!(email_address("email_address", "\"a\"@x.se").is_err());
        assert!(email_address("email_address", "a@localhost").is_err());
        assert!(email_address("email_address", &format!("{}@x.se", "a".repeat(65))).is_err());
        assert!(!email_address("email_address", "secret.person@x")
            .unwrap_err()
            .to_string()
            .contains("secret"));
    }
}
