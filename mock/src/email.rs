//! Email addresses as the gateway takes them, and their masked form for the
//! hosted page.
//!
//! The mock keeps its own rule rather than calling the core's: it plays the
//! gateway, which judges requests by itself, so a rule shared with the SDK
//! would agree with any mistake the SDK's check makes and the SDK's
//! validation would never be tested against an independent reading of the
//! contract.

use url::Host;

/// Longest address accepted, in characters.
pub(crate) const MAX_ADDRESS_CHARS: usize = 254;
/// Longest local part accepted, in characters.
pub(crate) const MAX_LOCAL_CHARS: usize = 64;
/// Longest DNS label, in ASCII (after IDNA) characters.
const MAX_LABEL_CHARS: usize = 63;

/// `local@domain`: at most 254 characters; a local part of 1 to 64
/// characters without spaces, double quotes or control characters and with
/// no leading, trailing or doubled dot; a domain of at least two DNS labels,
/// internationalized (IDNA) names accepted. The error says what is wrong,
/// prefixed with the field name as the core's validation errors are.
pub(crate) fn check_address(value: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("email_address: {why}"));
    if value.chars().count() > MAX_ADDRESS_CHARS {
        return bad(&format!("must be at most {MAX_ADDRESS_CHARS} characters"));
    }
    let Some((local, domain)) = value.split_once('@') else {
        return bad("must look like local@domain");
    };
    if domain.contains('@') {
        return bad("must contain exactly one @");
    }
    let local_chars = local.chars().count();
    if local_chars == 0 || local_chars > MAX_LOCAL_CHARS {
        return bad(&format!(
            "the part before @ must be 1 to {MAX_LOCAL_CHARS} characters"
        ));
    }
    // Apostrophes stay allowed (o'brien@example.com is a real address);
    // double quotes would start RFC 5322's quoted form, which is not taken.
    if local
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"')
    {
        return bad("the part before @ must not contain spaces, quotes or control characters");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return bad("the part before @ must not start or end with a dot or have two dots in a row");
    }
    check_domain(domain).or_else(|why| bad(&why))
}

fn check_domain(domain: &str) -> Result<(), String> {
    // `Host::parse` percent-decodes; an address never carries `%` escapes.
    if domain.is_empty() || domain.contains('%') || domain.chars().any(char::is_whitespace) {
        return Err("the domain must be a host name like example.com".to_string());
    }
    let ascii = match Host::parse(domain) {
        Ok(Host::Domain(d)) => d,
        Ok(_) => return Err("the domain must be a host name, not an IP address".to_string()),
        Err(_) => return Err("the domain is not a valid (IDNA) host name".to_string()),
    };
    let labels: Vec<&str> = ascii.split('.').collect();
    if labels.len() < 2 {
        return Err("the domain must have at least one dot (example.com)".to_string());
    }
    for label in labels {
        let ok = !label.is_empty()
            && label.len() <= MAX_LABEL_CHARS
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return Err(format!(
                "the domain's labels must be 1 to {MAX_LABEL_CHARS} letters, digits or inner hyphens"
            ));
        }
    }
    Ok(())
}

/// `jane@example.com` → `j***@example.com`, as the SDK masks addresses.
pub(crate) fn mask(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_and_international_addresses() {
        for ok in [
            "jane@example.com",
            "jane.doe+tag@sub.example.co.uk",
            "o'brien@example.ie",
            "x@a.io",
            "jöns@exämple.se",
            "user@xn--exmple-cua.se",
            "a-b_c@my-host.example",
        ] {
            assert_eq!(check_address(ok), Ok(()), "{ok}");
        }
        let local = "a".repeat(64);
        assert_eq!(check_address(&format!("{local}@example.com")), Ok(()));
    }

    #[test]
    fn refuses_what_the_contract_refuses() {
        let long_local = format!("{}@example.com", "a".repeat(65));
        let long = format!("a@{}.com", "b".repeat(250));
        for bad in [
            "",
            "jane",
            "@example.com",
            "jane@",
            "jane@example",
            "jane@@example.com",
            "ja@ne@example.com",
            "ja ne@example.com",
            "\"jane\"@example.com",
            "ja\u{7}ne@example.com",
            ".jane@example.com",
            "jane.@example.com",
            "ja..ne@example.com",
            "jane@exa mple.com",
            "jane@example..com",
            "jane@.example.com",
            "jane@example.com.",
            "jane@-example.com",
            "jane@example-.com",
            "jane@127.0.0.1",
            "jane@[::1]",
            "jane@exa%6dple.com",
            "jane@exa_mple.com",
            long_local.as_str(),
            long.as_str(),
        ] {
            assert!(check_address(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn masks_all_but_the_first_character_and_the_domain() {
        assert_eq!(mask("jane@example.com"), "j***@example.com");
        assert_eq!(mask("öst@example.se"), "ö***@example.se");
        assert_eq!(mask("nope"), "***");
    }
}
