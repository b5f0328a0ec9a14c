//! What may be shown of a value in an error, a `Debug` or a log line.
//!
//! Errors are meant to be logged, so their text never carries a key, message
//! text, a code, or a full phone number or email address. The structured fields
//! (`body`, `details`) keep the real values for the program.

use crate::validate::mask_phone;

/// Secrets shorter than this are not searched for in gateway text: a short test
/// key would otherwise mangle every word that contains it.
const MIN_SECRET_LEN: usize = 6;

/// `text` with every secret in `secrets` replaced by `<redacted>`.
pub(crate) fn secrets(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for secret in secrets.iter().filter(|s| s.len() >= MIN_SECRET_LEN) {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), "<redacted>");
        }
    }
    out
}

/// `text` with phone numbers (`+` and 7 to 15 digits) masked to their last two
/// digits and email addresses to `j***@example.com`.
pub(crate) fn personal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut token = String::new();
    for c in text.chars() {
        if is_token_char(c) {
            token.push(c);
        } else {
            out.push_str(&mask_token(&token));
            token.clear();
            out.push(c);
        }
    }
    out.push_str(&mask_token(&token));
    out
}

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '+' | '@' | '.' | '_' | '-' | '%')
}

fn mask_token(token: &str) -> String {
    if let Some((local, domain)) = token.rsplit_once('@') {
        if !local.is_empty() && domain.contains('.') {
            return mask_email(token);
        }
    }
    let digits = token.trim_start_matches('+');
    if token.starts_with('+')
        && (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        return mask_phone(token);
    }
    token.to_string()
}

/// `jane@example.com` → `j***@example.com`.
pub fn mask_email(value: &str) -> String {
    match value.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_string(),
    }
}

/// A message text for `Debug`: its length only.
pub(crate) fn text_len(text: &str) -> String {
    format!("<{} characters>", text.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_numbers_and_addresses_in_text() {
        assert_eq!(
            personal("number +46701234567 is barred; mail jane.doe@example.com."),
            "number +*********67 is barred; mail j***@example.com."
        );
        assert_eq!(personal("code 12345 (+12)"), "code 12345 (+12)");
    }

    #[test]
    fn scrubs_secrets() {
        let keys = vec!["sk_live_SECRET".to_string(), "k".to_string()];
        assert_eq!(
            secrets("key sk_live_SECRET is not valid", &keys),
            "key <redacted> is not valid"
        );
    }
}
