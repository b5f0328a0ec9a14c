//! `normalize_phone` against the shared vectors in `tests/vectors/phone_numbers.json`
//! (written by the independent Python oracle), plus the rules the vectors cannot
//! state on their own.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use zignsec::{normalize_phone, ErrorKind, MAX_PHONE_INPUT_CHARS};

fn load() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/phone_numbers.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn phone_number_vectors() {
    let doc = load();
    assert_eq!(
        doc["max_input_chars"].as_u64().unwrap() as usize,
        MAX_PHONE_INPUT_CHARS
    );
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 200);
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let number = case["number"].as_str().unwrap();
        let region = case["default_region"].as_str();
        let got = normalize_phone(number, region);
        match (case["expect"].as_str().unwrap(), got) {
            ("ok", Ok(e164)) if case["e164"] == e164.as_str() => {}
            ("ok", Ok(e164)) => failures.push(format!("{name}: want {}, got {e164}", case["e164"])),
            ("ok", Err(e)) => {
                failures.push(format!("{name}: want {}, got error {e}", case["e164"]))
            }
            ("validation", Ok(e164)) => failures.push(format!("{name}: want an error, got {e164}")),
            ("validation", Err(e)) => {
                let field = case["field"].as_str().unwrap();
                if e.kind() != ErrorKind::Validation || e.field() != Some(field) {
                    failures.push(format!(
                        "{name}: want validation on {field}, got {:?} on {:?}: {e}",
                        e.kind(),
                        e.field()
                    ));
                }
                let trimmed = number.trim();
                if trimmed.chars().count() > 4 && e.message().contains(trimmed) {
                    failures.push(format!("{name}: the message echoes the number: {e}"));
                }
            }
            (other, _) => failures.push(format!("{name}: unknown expect {other}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n  {}",
        failures.len(),
        cases.len(),
        failures.join("\n  ")
    );
}

#[test]
fn errors_show_only_the_last_two_digits() {
    for (number, region) in [
        ("070-123 4", Some("SE")),
        ("071-123 45 60", Some("SE")),
        ("+46 71 123 45 78", None),
        ("0701234599", None),
        ("070-ABC 45 67", Some("SE")),
    ] {
        let err = normalize_phone(number, region).unwrap_err();
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        // The hint text may name "00"; what matters is the echoed input after "got".
        let echoed = err.message().rsplit("got ").next().unwrap();
        let shown: String = echoed.chars().filter(char::is_ascii_digit).collect();
        assert!(
            shown.len() <= 2 && digits.ends_with(&shown),
            "{number}: message shows {shown:?}: {err}"
        );
        assert!(!format!("{err:?}").contains(&digits[..digits.len() - 2]));
    }
}

#[test]
fn results_pass_the_send_check() {
    for (number, region) in [("070-123 45 67", Some("SE")), ("+358 40 123 4567", None)] {
        let e164 = normalize_phone(number, region).unwrap();
        zignsec::validate::e164("to", &e164).unwrap();
    }
}

#[test]
fn arbitrary_digit_strings_never_panic() {
    // A cheap sweep over every region the metadata knows: the parser must answer,
    // never panic (a caught panic would say "could not be parsed").
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for region in [
        "SE", "NO", "DK", "FI", "US", "GB", "DE", "IT", "AR", "MX", "CN", "IN",
    ] {
        for _ in 0..150 {
            let len = 1 + (next() % 20) as usize;
            let digits: String = (0..len)
                .map(|_| char::from(b'0' + (next() % 10) as u8))
                .collect();
            for input in [digits.clone(), format!("+{digits}"), format!("00{digits}")] {
                if let Err(e) = normalize_phone(&input, Some(region)) {
                    assert!(
                        !e.message().contains("could not be parsed"),
                        "{region} {input}"
                    );
                }
            }
        }
    }
}
