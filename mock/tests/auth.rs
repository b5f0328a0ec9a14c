//! API keys: a primary/secondary pair, and which header carries the key
//! (`--auth-scheme authorization|product-key|any`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use zignsec_mock::{AuthScheme, MockConfig};

const READ: &str = "/core/api/sessions/26f5cc23-dbbb-45bb-a210-2818e70637bd";

fn with(
    scheme: AuthScheme,
    primary: Option<&str>,
    secondary: Option<&str>,
) -> zignsec_mock::MockServer {
    start_with(MockConfig {
        api_key: primary.map(str::to_string),
        secondary_api_key: secondary.map(str::to_string),
        auth_scheme: scheme,
        ..MockConfig::default()
    })
}

/// Status of an SMS send with these headers (besides Content-Type).
fn send(base: &str, headers: &[(&str, &str)]) -> Resp {
    let mut all = vec![JSON];
    all.extend_from_slice(headers);
    req(
        base,
        "POST",
        SMS_PATH,
        &all,
        sms_body("+46701234567").to_string().as_bytes(),
    )
}

fn read(base: &str, headers: &[(&str, &str)]) -> u16 {
    req(base, "GET", READ, headers, b"").status
}

fn assert_401(r: &Resp, needle: &str) {
    assert_eq!(r.status, 401, "{}", r.text());
    let v = r.json();
    assert_eq!(v["errors"][0]["code"], "unauthorized", "{v}");
    assert!(r.error_description().contains(needle), "{v}");
}

#[test]
fn either_key_of_a_pair_passes() {
    let m = with(AuthScheme::Any, Some("primary-key"), Some("secondary-key"));
    let base = m.url();
    for key in ["primary-key", "secondary-key"] {
        assert_eq!(send(&base, &[("Authorization", key)]).status, 200, "{key}");
        assert_eq!(send(&base, &[("Zs-Product-Key", key)]).status, 200, "{key}");
        // 404: the key passed, the session is unknown.
        assert_eq!(read(&base, &[("Authorization", key)]), 404, "{key}");
    }
    for bad in [
        "other",
        "primary-keysecondary-key",
        "Bearer primary-key",
        "",
    ] {
        let r = send(&base, &[("Authorization", bad)]);
        assert_eq!(r.status, 401, "{bad:?}");
        assert!(!r.text().contains("primary-key") && !r.text().contains("secondary-key"));
    }
    // A secondary key alone is a key too.
    let m = with(AuthScheme::Any, None, Some("only-secondary"));
    assert_eq!(
        send(&m.url(), &[("Authorization", "only-secondary")]).status,
        200
    );
    assert_eq!(send(&m.url(), &[("Authorization", "anything")]).status, 401);
}

#[test]
fn any_scheme_takes_either_header() {
    let m = with(AuthScheme::Any, Some("k1"), None);
    let base = m.url();
    assert_eq!(send(&base, &[("Authorization", "k1")]).status, 200);
    assert_eq!(send(&base, &[("Zs-Product-Key", "k1")]).status, 200);
    assert_eq!(send(&base, &[("zs-product-key", "k1")]).status, 200);
    // A wrong key in one header does not spoil the right one in the other.
    assert_eq!(
        send(
            &base,
            &[("Authorization", "nope"), ("Zs-Product-Key", "k1")]
        )
        .status,
        200
    );
    assert_401(&send(&base, &[]), "missing API key");
    assert_401(
        &send(&base, &[("Zs-Product-Key", "nope")]),
        "invalid API key",
    );
    // Without a configured key any non-empty key passes in either header.
    let open = with(AuthScheme::Any, None, None);
    assert_eq!(send(&open.url(), &[("Zs-Product-Key", "x")]).status, 200);
    assert_eq!(send(&open.url(), &[("Authorization", "x")]).status, 200);
    assert_eq!(send(&open.url(), &[("Zs-Product-Key", " ")]).status, 401);
}

#[test]
fn a_fixed_scheme_refuses_the_other_header() {
    let m = with(AuthScheme::ProductKey, Some("pk"), Some("pk2"));
    let base = m.url();
    assert_eq!(send(&base, &[("Zs-Product-Key", "pk")]).status, 200);
    assert_eq!(send(&base, &[("Zs-Product-Key", "pk2")]).status, 200);
    assert_eq!(read(&base, &[("Zs-Product-Key", "pk")]), 404);
    assert_401(
        &send(&base, &[("Authorization", "pk")]),
        "in the Zs-Product-Key header, not Authorization",
    );
    assert_eq!(read(&base, &[("Authorization", "pk")]), 401);
    assert_401(&send(&base, &[]), "Zs-Product-Key");
    assert_401(
        &send(&base, &[("Zs-Product-Key", "wrong")]),
        "invalid API key",
    );
    // The right header wins even with the other one present.
    assert_eq!(
        send(
            &base,
            &[("Authorization", "junk"), ("Zs-Product-Key", "pk")]
        )
        .status,
        200
    );

    let m = with(AuthScheme::Authorization, Some("ak"), None);
    let base = m.url();
    assert_eq!(send(&base, &[("Authorization", "ak")]).status, 200);
    assert_401(
        &send(&base, &[("Zs-Product-Key", "ak")]),
        "in the Authorization header, not Zs-Product-Key",
    );
    assert_401(&send(&base, &[]), "Authorization");

    // Fixed scheme without a configured key: any key, but only in its header.
    let m = with(AuthScheme::ProductKey, None, None);
    assert_eq!(send(&m.url(), &[("Zs-Product-Key", "x")]).status, 200);
    assert_eq!(send(&m.url(), &[("Authorization", "x")]).status, 401);
}

#[test]
fn the_binary_takes_two_keys_and_a_scheme() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let spawn = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_zignsec-mock"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut child = spawn(&[
        "--port",
        "0",
        "--api-key",
        "one",
        "--api-key",
        "two",
        "--auth-scheme",
        "product-key",
    ]);
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    assert_eq!(send(&url, &[("Zs-Product-Key", "one")]).status, 200);
    assert_eq!(send(&url, &[("Zs-Product-Key", "two")]).status, 200);
    assert_eq!(send(&url, &[("Authorization", "one")]).status, 401);
    child.kill().unwrap();
    child.wait().unwrap();

    for bad in [
        vec!["--api-key", "a", "--api-key", "b", "--api-key", "c"],
        vec!["--auth-scheme", "bearer"],
        vec!["--api-key", ""],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_zignsec-mock"))
            .args(&bad)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(out.stdout.is_empty(), "{bad:?}");
    }
}
