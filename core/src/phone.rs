//! `normalize_phone`: a number as people write it, to E.164, judged by
//! libphonenumber's metadata (through the `phonenumber` crate).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::str::FromStr;

use phonenumber::country::Id;
use phonenumber::metadata::DATABASE;
use phonenumber::Mode;

use crate::error::{Error, Result};
use crate::validate;

/// Longest input [`normalize_phone`] reads, in characters; longer is a validation
/// error on `number` without parsing.
pub const MAX_PHONE_INPUT_CHARS: usize = 64;

/// The separators people put between digits; anything else but digits and a
/// leading `+` is refused, so letters are never read as keypad digits.
const SEPARATORS: &[char] = &[' ', '-', '.', '(', ')', '/'];

/// `number` in E.164 (`+46701234567`) when libphonenumber's metadata judges it a
/// valid number, else a validation error on `number` whose message shows only the
/// last 2 characters.
///
/// - International forms start with `+` or `00` (`"+46 70 123 45 67"`,
///   `"0046 70-123 45 67"`); a leading `00` is always read as the international
///   prefix, whatever the region.
/// - National forms (`"070-123 45 67"`) need `default_region`, an ISO 3166-1
///   alpha-2 code known to the metadata (`"SE"`, any letter case); a region it
///   does not know is a validation error on `default_region`. A region is checked
///   even when the number is international, and then does not change the result.
/// - Digits may be separated by spaces, `-`, `.`, `(`, `)` and `/`; surrounding
///   whitespace is ignored. Letters and other characters are refused.
///
/// ```
/// use zignsec::normalize_phone;
/// assert_eq!(normalize_phone("070-123 45 67", Some("SE"))?, "+46701234567");
/// assert_eq!(normalize_phone("+46 70 123 45 67", None)?, "+46701234567");
/// assert!(normalize_phone("070-123 45 67", None).is_err());
/// # Ok::<(), zignsec::Error>(())
/// ```
pub fn normalize_phone(number: &str, default_region: Option<&str>) -> Result<String> {
    let region = default_region.map(region_id).transpose()?;
    if number.chars().count() > MAX_PHONE_INPUT_CHARS {
        return Err(Error::validation(
            "number",
            format!("must be at most {MAX_PHONE_INPUT_CHARS} characters"),
        ));
    }
    let masked = mask(number.trim());
    let invalid = |why: &str| Error::validation("number", format!("{why}, got {masked:?}"));

    let trimmed = number.trim();
    let (international, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || SEPARATORS.contains(&c))
    {
        return Err(invalid(
            "must hold only digits, an optional leading +, and spaces, - . ( ) or / between them",
        ));
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Err(invalid("must contain digits"));
    }
    let (text, parse_region) = if international {
        (format!("+{digits}"), None)
    } else if let Some(after_idd) = digits.strip_prefix("00") {
        (format!("+{after_idd}"), None)
    } else if region.is_some() {
        (digits, region)
    } else {
        return Err(invalid(
            "is not in international form: start it with + or 00, or give default_region (e.g. \"SE\")",
        ));
    };

    // The parser is third-party code fed with user input: a panic in it must
    // become an error here, not a crash in the caller's process.
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        phonenumber::parse(parse_region, &text).map(|n| {
            n.is_valid()
                .then(|| n.format().mode(Mode::E164).to_string())
        })
    }));
    match parsed {
        Ok(Ok(Some(e164))) if validate::e164("number", &e164).is_ok() => Ok(e164),
        Ok(Ok(_)) => Err(invalid("is not a valid phone number")),
        Ok(Err(_)) => Err(invalid("is not a phone number")),
        Err(_) => Err(invalid("could not be parsed")),
    }
}

/// All but the last 2 characters hidden, whatever they are: input that is not a
/// number yet (full-width digits, letters) must not leak either.
fn mask(number: &str) -> String {
    let keep_from = number.chars().count().saturating_sub(2);
    number
        .chars()
        .enumerate()
        .map(|(i, c)| if i < keep_from { '*' } else { c })
        .collect()
}

/// A region code the metadata has data for.
fn region_id(region: &str) -> Result<Id> {
    let bad = || {
        let shown: String = region.chars().take(8).collect();
        Error::validation(
            "default_region",
            format!(
                "must be an ISO 3166-1 alpha-2 region code known to the phone metadata (e.g. \"SE\"), got {shown:?}"
            ),
        )
    };
    if region.len() != 2 || !region.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(bad());
    }
    let upper = region.to_ascii_uppercase();
    let id = Id::from_str(&upper).map_err(|_| bad())?;
    // The parser unwraps this lookup, so only regions with metadata get through.
    if DATABASE.by_id(id.as_ref()).is_none() {
        return Err(bad());
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_examples() {
        assert_eq!(
            normalize_phone("070-123 45 67", Some("SE")).unwrap(),
            "+46701234567"
        );
        assert_eq!(
            normalize_phone("+46 70 123 45 67", None).unwrap(),
            "+46701234567"
        );
    }

    #[test]
    fn every_known_region_parses_without_panicking() {
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let region = String::from_utf8(vec![a, b]).unwrap();
                if region_id(&region).is_ok() {
                    for number in [
                        "0",
                        "00",
                        "000000",
                        "1234567",
                        "0701234567",
                        "99999999999999999",
                    ] {
                        if let Err(e) = normalize_phone(number, Some(&region)) {
                            assert!(
                                !e.message().contains("could not be parsed"),
                                "{region} {number}"
                            );
                        }
                    }
                }
            }
        }
    }
}
