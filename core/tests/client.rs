//! The core client against a real offline gateway: every operation, error kind and
//! retry rule of API.md.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use zignsec::{ErrorKind, PhoneStatus, SendSms, SmsStatus, StartPhoneVerification, WaitDetails};

const SMS: &str = "POST /core/api/sessions/two_factor_auth/sms";
const PHONE: &str = "POST /core/api/sessions/two_factor_auth/phone";

fn sms() -> SendSms {
    SendSms::new("+46701234567", "ZignSec", "Your code is 12345")
}

#[test]
fn send_sms_then_wait_until_delivered() {
    let gw = gateway();
    let client = gw.client();
    let mut req = sms();
    req.relay_state = Some("user-42".into());
    req.webhook = Some("https://example.com/hooks/zignsec".into());
    let session = client.send_sms(&req).unwrap();
    assert_eq!(session.status, SmsStatus::Pending);
    assert_eq!(session.id.len(), 36);
    let details = client.get_sms_session(&session.id).unwrap();
    assert_eq!(details.id, session.id);
    assert_eq!(details.request.to, "+46701234567");
    assert_eq!(details.request.from, "ZignSec");
    assert_eq!(details.request.message, "Your code is 12345");
    assert_eq!(details.request.max_message_parts, 1);
    assert_eq!(details.request.relay_state.as_deref(), Some("user-42"));
    assert_eq!(
        details.request.webhook.as_deref(),
        Some("https://example.com/hooks/zignsec")
    );
    let done = client
        .wait_sms_session(
            &session.id,
            Some(Duration::from_secs(10)),
            Some(Duration::from_millis(50)),
        )
        .unwrap();
    assert_eq!(done.status, SmsStatus::Delivered);
    assert!(done.status.is_final());
    assert_eq!(done.number_of_message_parts, Some(1));
}

#[test]
fn a_recipient_ending_in_0000_fails() {
    let gw = gateway();
    let client = gw.client();
    let mut req = sms();
    req.to = "+46701230000".into();
    let session = client.send_sms(&req).unwrap();
    let done = client
        .wait_sms_session(
            &session.id,
            Some(Duration::from_secs(10)),
            Some(Duration::from_millis(50)),
        )
        .unwrap();
    assert_eq!(done.status, SmsStatus::Failed);
}

#[test]
fn multipart_message_reports_its_parts() {
    let gw = gateway();
    let client = gw.client();
    let mut req = sms();
    req.message = "a".repeat(200);
    req.max_message_parts = 2;
    let session = client.send_sms(&req).unwrap();
    let done = client
        .wait_sms_session(
            &session.id,
            Some(Duration::from_secs(10)),
            Some(Duration::from_millis(50)),
        )
        .unwrap();
    assert_eq!(done.number_of_message_parts, Some(2));
    assert_eq!(done.request.max_message_parts, 2);
}

#[test]
fn phone_verification_walks_to_finished() {
    let gw = gateway();
    let client = gw.client();
    let mut req = StartPhoneVerification::new("+46703339954");
    req.locale = Some("En".into());
    req.redirect_success = Some("https://my-success.example/ok".into());
    req.redirect_failure = Some("https://my-failure.example/no".into());
    req.relay_state = Some("signup-7".into());
    req.csrf_token = Some("XAoXAwglHykhAEkcUGp0T0A_BAgnUgMvoSUgkouQSjzof3Y87HcYu8lb".into());
    let session = client.start_phone_verification(&req).unwrap();
    assert!(session
        .redirect_url
        .ends_with(&format!("/2fa-ui/2fa/phone/{}", session.id)));
    assert!(!session.status.is_final());
    assert_eq!(
        gw.session(&session.id)["csrf_token"],
        json!("XAoXAwglHykhAEkcUGp0T0A_BAgnUgMvoSUgkouQSjzof3Y87HcYu8lb")
    );

    assert!(gw.hosted_page(&session.redirect_url, "send", None).status < 400);
    let reply = gw.hosted_page(&session.redirect_url, "verify", None);
    assert_eq!(reply.status, 303);
    assert_eq!(
        reply.header("location").as_deref(),
        Some("https://my-success.example/ok")
    );

    let done = client
        .wait_phone_session(
            &session.id,
            Some(Duration::from_secs(5)),
            Some(Duration::from_millis(50)),
        )
        .unwrap();
    assert_eq!(done.status, PhoneStatus::Finished);
    assert_eq!(done.phone_number, "+46703339954");
    assert_eq!(done.request.locale.as_deref(), Some("En"));
    assert_eq!(done.request.relay_state.as_deref(), Some("signup-7"));
    assert_eq!(
        done.request.redirect_failure.as_deref(),
        Some("https://my-failure.example/no")
    );
}

#[test]
fn phone_verification_cancelled_and_failed() {
    let gw = gateway();
    let client = gw.client();
    let mut req = StartPhoneVerification::new("+46703339954");
    req.redirect_failure = Some("https://my-failure.example/no".into());
    let s = client.start_phone_verification(&req).unwrap();
    let reply = gw.hosted_page(&s.redirect_url, "cancel", None);
    assert_eq!(
        reply.header("location").as_deref(),
        Some("https://my-failure.example/no")
    );
    assert_eq!(
        client.get_phone_session(&s.id).unwrap().status,
        PhoneStatus::Cancelled
    );

    let s = client.start_phone_verification(&req).unwrap();
    for _ in 0..3 {
        gw.hosted_page(&s.redirect_url, "send", None);
        let right = gw.session(&s.id)["last_code"].as_str().unwrap().to_string();
        let wrong = if right == "00000" { "11111" } else { "00000" };
        gw.hosted_page(&s.redirect_url, "verify", Some(wrong));
    }
    let done = client
        .wait_phone_session(
            &s.id,
            Some(Duration::from_secs(5)),
            Some(Duration::from_millis(50)),
        )
        .unwrap();
    assert_eq!(done.status, PhoneStatus::Failed);
}

#[test]
fn unknown_statuses_are_kept_and_not_final() {
    let gw = gateway();
    let client = gw.client();
    let s = client.send_sms(&sms()).unwrap();
    gw.force_status(&s.id, "queued_at_operator");
    let d = client.get_sms_session(&s.id).unwrap();
    assert_eq!(d.status, SmsStatus::Other("queued_at_operator".into()));
    assert_eq!(d.status.as_str(), "queued_at_operator");
    assert!(!d.status.is_final());
}

#[test]
fn wait_times_out_with_the_last_details() {
    let gw = gateway_with(Duration::from_secs(60));
    let client = gw.client();
    let s = client.send_sms(&sms()).unwrap();
    let started = Instant::now();
    let err = client
        .wait_sms_session(
            &s.id,
            Some(Duration::from_millis(400)),
            Some(Duration::from_millis(50)),
        )
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(err.kind(), ErrorKind::WaitTimeout);
    match err.wait_details() {
        Some(WaitDetails::Sms(d)) => {
            assert_eq!(d.id, s.id);
            assert!(!d.status.is_final());
        }
        other => panic!("expected sms details, got {other:?}"),
    }
    assert!(err.message().contains(&s.id));
}

#[test]
fn validation_errors_name_the_field_and_send_nothing() {
    let gw = gateway();
    let client = gw.client();
    let cases: Vec<(SendSms, &str)> = vec![
        (
            SendSms {
                to: "0701234567".into(),
                ..sms()
            },
            "to",
        ),
        (
            SendSms {
                from: "".into(),
                ..sms()
            },
            "from",
        ),
        (
            SendSms {
                message: "".into(),
                ..sms()
            },
            "message",
        ),
        (
            SendSms {
                message: "a".repeat(161),
                ..sms()
            },
            "message",
        ),
        (
            SendSms {
                max_message_parts: 0,
                ..sms()
            },
            "max_message_parts",
        ),
        (
            SendSms {
                max_message_parts: 11,
                ..sms()
            },
            "max_message_parts",
        ),
        (
            SendSms {
                webhook: Some("http://example.com/hook".into()),
                ..sms()
            },
            "webhook",
        ),
        (
            SendSms {
                relay_state: Some("".into()),
                ..sms()
            },
            "relay_state",
        ),
    ];
    for (req, field) in cases {
        let err = client.send_sms(&req).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{field}: {err}");
        assert_eq!(err.field(), Some(field));
        assert_eq!(err.maybe_sent(), Some(false));
        assert_eq!(err.attempts(), 0);
    }
    let mut phone = StartPhoneVerification::new("+46701234567");
    phone.redirect_success = Some("javascript:alert(1)".into());
    let err = client.start_phone_verification(&phone).unwrap_err();
    assert_eq!(err.field(), Some("redirect_success"));
    for id in [
        "../../etc/passwd",
        "",
        "26f5cc23-dbbb-45bb-a210-2818e70637bd/..",
        "%2e%2e",
    ] {
        let err = client.get_sms_session(id).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert_eq!(err.field(), Some("session_id"));
    }
    assert_eq!(gw.total(), 0, "no request may reach the gateway");
}

#[test]
fn config_errors() {
    let no_key = zignsec::Client::builder().ignore_env().build().unwrap_err();
    assert_eq!(no_key.kind(), ErrorKind::Config);
    for url in [
        "http://example.com",
        "ftp://127.0.0.1",
        "not a url",
        "https://user:pw@example.com",
    ] {
        let err = zignsec::Client::builder()
            .ignore_env()
            .api_key(KEY)
            .base_url(url)
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{url}");
    }
    let err = zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .environment("staging")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    let err = zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    let err = zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .max_retries(-1)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);

    let prod = zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .environment("production")
        .build()
        .unwrap();
    assert_eq!(prod.base_url(), "https://gateway.zignsec.com");
    let test = zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .build()
        .unwrap();
    assert_eq!(test.base_url(), "https://test-gateway.zignsec.com");
    assert_eq!(test.timeout(), Duration::from_secs(30));
    assert_eq!(test.max_retries(), 2);
    for url in ["http://localhost:1", "http://127.0.0.2:1", "http://[::1]:1"] {
        zignsec::Client::builder()
            .ignore_env()
            .api_key(KEY)
            .base_url(url)
            .build()
            .unwrap();
    }
}

#[test]
fn status_errors_carry_the_gateway_details() {
    let gw = gateway();
    let client = gw.builder().max_retries(0).build().unwrap();
    let cases = [
        (400, ErrorKind::BadRequest),
        (403, ErrorKind::PermissionDenied),
        (404, ErrorKind::NotFound),
        (418, ErrorKind::HttpStatus),
        (500, ErrorKind::Server),
        (503, ErrorKind::Server),
    ];
    for (status, kind) in cases {
        gw.fault(json!({"method": "GET", "status": status, "body": r#"{"errors":[{"code":"E_TEST","description":"something specific"}]}"#, "content_type": "application/json"}));
        let err = client.get_sms_session(SESSION_ID).unwrap_err();
        assert_eq!(err.kind(), kind, "{status}");
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.gateway_code(), Some("E_TEST"));
        assert!(err.message().contains("something specific"), "{err}");
        assert!(err.body().unwrap().contains("E_TEST"));
        assert!(err.request_id().is_some_and(|r| !r.is_empty()));
        assert_eq!(err.attempts(), 1);
        assert_eq!(err.maybe_sent(), None);
    }
    gw.fault(json!({"method": "GET", "status": 500, "body": r#"{"error":{"type":"internal","message":"db down"}}"#}));
    let err = client.get_sms_session(SESSION_ID).unwrap_err();
    assert_eq!(err.gateway_code(), Some("internal"));
    assert!(err.message().contains("db down"));
}

#[test]
fn unknown_session_and_wrong_key() {
    let gw = gateway();
    let err = gw.client().get_sms_session(SESSION_ID).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let wrong = zignsec::Client::builder()
        .ignore_env()
        .api_key("wrong-key")
        .base_url(gw.url())
        .build()
        .unwrap();
    let err = wrong.send_sms(&sms()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.maybe_sent(), Some(false));
    assert!(!err.message().contains("wrong-key"));
}

#[test]
fn a_read_retries_503_twice_then_succeeds() {
    let gw = gateway();
    let client = gw.client();
    let s = client.send_sms(&sms()).unwrap();
    let path = format!("/core/api/sessions/{}", s.id);
    gw.fault(json!({"method": "GET", "path": path, "count": 2, "status": 503}));
    let started = Instant::now();
    let d = client.get_sms_session(&s.id).unwrap();
    assert_eq!(d.id, s.id);
    assert_eq!(gw.count(&format!("GET {path}")), 3);
    // two backoffs: 0.5 s and 1 s, less up to 25 % jitter
    assert!(
        started.elapsed() >= Duration::from_millis(1100),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_read_gives_up_after_max_retries() {
    let gw = gateway();
    let client = gw.builder().max_retries(1).build().unwrap();
    gw.fault(json!({"method": "GET", "count": 5, "status": 502}));
    let err = client.get_sms_session(SESSION_ID).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.attempts(), 2);
    assert_eq!(gw.count(&format!("GET /core/api/sessions/{SESSION_ID}")), 2);
}

#[test]
fn a_send_is_never_retried_after_a_5xx() {
    let gw = gateway();
    let client = gw.client();
    gw.fault(json!({"method": "POST", "status": 500}));
    let err = client.send_sms(&sms()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.maybe_sent(), Some(true));
    assert_eq!(err.attempts(), 1);
    assert_eq!(gw.count(SMS), 1);
}

#[test]
fn a_send_is_never_retried_after_a_timeout() {
    let gw = gateway();
    let client = gw
        .builder()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    gw.fault(json!({"method": "POST", "delay_ms": 3000}));
    let started = Instant::now();
    let err = client
        .start_phone_verification(&StartPhoneVerification::new("+46701234567"))
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(800));
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(err.maybe_sent(), Some(true));
    assert_eq!(gw.count(PHONE), 1);
}

#[test]
fn a_send_is_never_retried_after_a_dropped_connection() {
    let gw = gateway();
    let client = gw.client();
    gw.fault(json!({"method": "POST", "drop": true}));
    let err = client.send_sms(&sms()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection);
    assert_eq!(err.maybe_sent(), Some(true));
    assert_eq!(gw.count(SMS), 1);
}

#[test]
fn a_read_is_retried_after_a_dropped_connection() {
    let gw = gateway();
    let client = gw.client();
    let s = client.send_sms(&sms()).unwrap();
    gw.fault(json!({"method": "GET", "drop": true}));
    assert_eq!(client.get_sms_session(&s.id).unwrap().id, s.id);
}

#[test]
fn a_refused_send_is_retried_because_it_never_left() {
    let client = zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .base_url(closed_port_url())
        .max_retries(2)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.send_sms(&sms()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection);
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.maybe_sent(), Some(false));
    assert!(started.elapsed() >= Duration::from_millis(1100));
}

#[test]
fn a_send_is_retried_on_429_after_retry_after() {
    let gw = gateway();
    let client = gw.client();
    gw.fault(json!({"method": "POST", "status": 429, "retry_after": "1"}));
    let started = Instant::now();
    let s = client.send_sms(&sms()).unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(950) && waited < Duration::from_millis(2000),
        "{waited:?}"
    );
    assert_eq!(gw.count(SMS), 2);
    assert_eq!(s.status, SmsStatus::Pending);
}

#[test]
fn rate_limit_error_carries_retry_after() {
    let gw = gateway();
    let client = gw.builder().max_retries(0).build().unwrap();
    let date = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(30));
    gw.fault(json!({"method": "POST", "status": 429, "retry_after": date}));
    let err = client.send_sms(&sms()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    let ra = err.retry_after().unwrap();
    assert!(
        ra > Duration::from_secs(25) && ra <= Duration::from_secs(30),
        "{ra:?}"
    );
    assert_eq!(err.maybe_sent(), Some(false));
}

#[test]
fn the_timeout_bounds_the_whole_call() {
    let gw = gateway();
    let client = gw
        .builder()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    gw.fault(json!({"method": "GET", "delay_ms": 10000, "count": 5}));
    let started = Instant::now();
    let err = client.get_sms_session(SESSION_ID).unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(
        took < Duration::from_millis(2200) && took >= Duration::from_millis(1900),
        "{took:?}"
    );
    assert_eq!(err.maybe_sent(), None);
}

#[test]
fn decode_errors() {
    let gw = gateway();
    let client = gw.builder().max_retries(0).build().unwrap();
    let bodies = [
        json!({"method": "GET", "status": 200, "body": "{not json", "content_type": "application/json"}),
        json!({"method": "GET", "status": 200, "body": "<html><body>oops</body></html>", "content_type": "text/html"}),
        json!({"method": "GET", "status": 200, "body": "", "content_type": "application/json"}),
        json!({"method": "GET", "status": 200, "body": r#"{"data":{"id":"x"}}"#, "content_type": "application/json"}),
        json!({"method": "GET", "status": 200, "body_bytes": 2_000_000}),
    ];
    for fault in bodies {
        gw.fault(fault.clone());
        let err = client.get_sms_session(SESSION_ID).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{fault}: {err}");
        assert_eq!(err.status(), Some(200));
    }
    gw.fault(
        json!({"method": "POST", "status": 200, "body": "{}", "content_type": "application/json"}),
    );
    let err = client.send_sms(&sms()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(
        err.maybe_sent(),
        Some(true),
        "a 2xx means the gateway took the SMS"
    );
}

#[test]
fn connection_error_on_a_read() {
    let client = zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .base_url(closed_port_url())
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.get_sms_session(SESSION_ID).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection);
    assert_eq!(err.attempts(), 1);
}

#[test]
fn one_connection_for_many_sequential_calls() {
    let gw = gateway();
    let client = gw.client();
    let s = client.send_sms(&sms()).unwrap();
    for _ in 0..50 {
        client.get_sms_session(&s.id).unwrap();
    }
    // The calls run on the calling thread: the connection is back in the pool before
    // the next call checks one out.
    let conns = gw.stats()["api_connections"].as_u64().unwrap();
    assert_eq!(conns, 1, "{conns} connections for 51 sequential calls");
}

#[test]
fn one_connection_for_many_sequential_async_calls() {
    let gw = gateway();
    let client = gw.builder().build_async().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let s = client.send_sms(&sms()).await.unwrap();
        for _ in 0..50 {
            client.get_sms_session(&s.id).await.unwrap();
        }
    });
    // The task that read the answer put the connection back before its next call.
    let conns = gw.stats()["api_connections"].as_u64().unwrap();
    assert_eq!(conns, 1, "{conns} connections for 51 sequential calls");
}

/// A client kept across runtimes (as in a test suite whose tests each run their
/// own): a pooled connection of a runtime that is gone takes no request; the call
/// goes out once, on a fresh connection, even with no retries allowed.
#[test]
fn an_async_client_outlives_the_runtime_its_connections_were_opened_on() {
    let gw = gateway();
    let client = gw.builder().max_retries(0).build_async().unwrap();
    for _ in 0..3 {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let s = runtime.block_on(client.send_sms(&sms())).unwrap();
        runtime.block_on(client.get_sms_session(&s.id)).unwrap();
    }
    assert_eq!(gw.count(SMS), 3);
    let conns = gw.stats()["api_connections"].as_u64().unwrap();
    assert_eq!(conns, 3, "one connection per runtime");
}

#[test]
fn one_client_shared_by_threads() {
    let gw = gateway();
    let client = gw.client();
    let handles: Vec<_> = (0..16)
        .map(|_| {
            let c = client.clone();
            std::thread::spawn(move || {
                for _ in 0..10 {
                    let s = c.send_sms(&sms()).unwrap();
                    c.get_sms_session(&s.id).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(gw.count(SMS), 160);
}

#[test]
fn async_client_runs_calls_at_once() {
    let gw = gateway();
    let client = gw.builder().build_async().unwrap();
    gw.fault(json!({"method": "GET", "delay_ms": 300, "count": 64}));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let results = rt.block_on(async {
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let c = client.clone();
                tokio::spawn(async move { c.get_sms_session(SESSION_ID).await })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(results
        .iter()
        .all(|r| r.as_ref().unwrap_err().kind() == ErrorKind::NotFound));
}

#[test]
fn blocking_client_refuses_to_run_inside_a_runtime() {
    let gw = gateway();
    let client = gw.client();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let err = rt
        .block_on(async { client.get_sms_session(SESSION_ID) })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
}

#[test]
fn seed_request_bodies_are_accepted() {
    // The seeds' examples, through the SDK: from "+123456789", relay state, webhook.
    let gw = gateway();
    let client = gw.client();
    let req = SendSms {
        to: "+46701234567".into(),
        from: "+123456789".into(),
        message: "ZignSec Testing".into(),
        max_message_parts: 1,
        relay_state: Some("my-internal-user-id".into()),
        webhook: Some("https://webhook.site/".into()),
    };
    let s = client.send_sms(&req).unwrap();
    let recorded = &gw.session(&s.id)["request"];
    assert_eq!(
        recorded,
        &json!({"metadata": {"from": "+123456789", "max_message_parts": 1, "message": "ZignSec Testing", "to": "+46701234567"},
                "relay_state": "my-internal-user-id", "webhook": "https://webhook.site/"})
    );
    let p = client
        .start_phone_verification(&StartPhoneVerification::new("+46703339954"))
        .unwrap();
    assert_eq!(
        gw.session(&p.id)["request"],
        json!({"metadata": {"phone_number": "+46703339954"}})
    );
}

/// A gateway that closes each keep-alive connection after one answer, while the
/// client is idle: the next send must go out once, on a new connection, and succeed.
/// (It fails if the blocking client's connections are driven only inside calls, as on
/// a current-thread runtime: the stale connection is then picked and the send errs.)
#[test]
fn a_send_after_the_gateway_closed_an_idle_connection_goes_out_once() {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for _ in 0..2 {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            seen.push(request_line.trim().to_string());
            let answer = format!(r#"{{"data":{{"id":"{SESSION_ID}","status":"pending"}}}}"#);
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}",
                answer.len()
            )
            .unwrap();
            stream.flush().unwrap();
            // Keep-alive was offered; close it anyway once the client is idle.
            std::thread::sleep(Duration::from_millis(50));
            drop(stream);
        }
        seen
    });
    let client = zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .base_url(url)
        .build()
        .unwrap();
    client.send_sms(&sms()).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let second = client.send_sms(&sms()).unwrap();
    assert_eq!(second.id, SESSION_ID);
    let seen = server.join().unwrap();
    assert_eq!(seen, vec![format!("{SMS} HTTP/1.1"); 2]);
}

#[test]
fn blocking_client_runs_64_calls_at_once_from_64_threads() {
    let gw = gateway();
    let client = gw.client();
    gw.fault(json!({"method": "GET", "delay_ms": 300, "count": 64}));
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(64));
    let handles: Vec<_> = (0..64)
        .map(|_| {
            let c = client.clone();
            let b = barrier.clone();
            std::thread::spawn(move || {
                b.wait();
                let started = Instant::now();
                let r = c.get_sms_session(SESSION_ID);
                (started.elapsed(), r.unwrap_err().kind())
            })
        })
        .collect();
    for h in handles {
        let (took, kind) = h.join().unwrap();
        assert_eq!(kind, ErrorKind::NotFound);
        assert!(took < Duration::from_secs(2), "{took:?}");
    }
}

/// A keep-alive server that closes a connection once it has been idle for 50 ms;
/// it records the request lines it answered.
#[allow(clippy::unwrap_used)] // test helper
fn closing_server() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let stream = stream.unwrap();
            let log = log.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut stream = stream;
                loop {
                    let mut request_line = String::new();
                    match reader.read_line(&mut request_line) {
                        // Idle for 50 ms (or closed by the client): close it.
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let mut length = 0usize;
                    loop {
                        let mut line = String::new();
                        reader.read_line(&mut line).unwrap();
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap();
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let mut body = vec![0; length];
                    reader.read_exact(&mut body).unwrap();
                    log.lock().unwrap().push(request_line.trim().to_string());
                    let answer =
                        format!(r#"{{"data":{{"id":"{SESSION_ID}","status":"pending"}}}}"#);
                    write!(
                        stream,
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}",
                        answer.len()
                    )
                    .unwrap();
                    stream.flush().unwrap();
                    stream
                        .set_read_timeout(Some(Duration::from_millis(50)))
                        .unwrap();
                }
            });
        }
    });
    (url, seen)
}

#[test]
fn sends_from_many_threads_after_the_gateway_closed_idle_connections_go_out_once() {
    const THREADS: usize = 8;
    let (url, seen) = closing_server();
    let client = zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .base_url(url)
        .build()
        .unwrap();
    for round in 0..2 {
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(THREADS));
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                let c = client.clone();
                let b = barrier.clone();
                std::thread::spawn(move || {
                    b.wait();
                    c.send_sms(&sms())
                })
            })
            .collect();
        for h in handles {
            let r = h.join().unwrap();
            assert_eq!(r.unwrap().id, SESSION_ID, "round {round}");
        }
        // Every connection is closed by the gateway while the client is idle.
        std::thread::sleep(Duration::from_millis(300));
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen, vec![format!("{SMS} HTTP/1.1"); 2 * THREADS]);
}

/// The async client's pool is looked at the same way before reuse, also on a
/// current-thread runtime, which runs nothing between the calls.
#[test]
fn async_sends_after_the_gateway_closed_idle_connections_go_out_once() {
    const TASKS: usize = 8;
    for multi_thread in [false, true] {
        let (url, seen) = closing_server();
        let runtime = if multi_thread {
            tokio::runtime::Builder::new_multi_thread()
        } else {
            tokio::runtime::Builder::new_current_thread()
        }
        .enable_all()
        .build()
        .unwrap();
        let client = zignsec::AsyncClient::builder()
            .ignore_env()
            .api_key(KEY)
            .base_url(url)
            .build_async()
            .unwrap();
        for round in 0..2 {
            let sends: Vec<_> = (0..TASKS)
                .map(|_| {
                    let c = client.clone();
                    runtime.spawn(async move { c.send_sms(&sms()).await })
                })
                .collect();
            for send in sends {
                let r = runtime.block_on(send).unwrap();
                assert_eq!(r.unwrap().id, SESSION_ID, "round {round}, {multi_thread}");
            }
            // Every connection is closed by the gateway while the client is idle.
            std::thread::sleep(Duration::from_millis(300));
        }
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen, vec![format!("{SMS} HTTP/1.1"); 2 * TASKS]);
    }
}

#[test]
fn an_interruptible_call_returns_its_result_or_stops_when_asked() {
    let gw = gateway();
    let client = gw.client();
    let session = client.send_sms(&sms()).unwrap();
    let id = session.id.clone();
    let mut checks = 0;
    let got = client
        .block_on_interruptible(
            move |c| async move { c.get_sms_session(&id).await },
            Duration::from_millis(10),
            || {
                checks += 1;
                Ok::<(), ()>(())
            },
        )
        .unwrap()
        .unwrap();
    assert_eq!(got.id, session.id);

    gw.fault(json!({"method": "GET", "delay_ms": 2000, "count": 1}));
    let started = Instant::now();
    let mut checks = 0;
    let id = session.id.clone();
    let stopped = client.block_on_interruptible(
        move |c| async move { c.get_sms_session(&id).await },
        Duration::from_millis(20),
        || {
            checks += 1;
            if checks == 3 {
                Err("interrupted")
            } else {
                Ok(())
            }
        },
    );
    assert_eq!(stopped.unwrap_err(), "interrupted");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // The client is still usable afterwards.
    assert_eq!(client.get_sms_session(&session.id).unwrap().id, session.id);
}

#[test]
fn the_async_face_runs_tasks_on_its_own_threads() {
    let gw = gateway();
    let client = gw.client();
    let session = client.send_sms(&sms()).unwrap();
    let handle = client.runtime_handle().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let c = client.as_async().clone();
    let id = session.id.clone();
    // No blocking call is running: the task must make progress on its own.
    handle.spawn(async move {
        let _ = tx.send(c.get_sms_session(&id).await);
    });
    let got = rx.recv_timeout(Duration::from_secs(5)).unwrap().unwrap();
    assert_eq!(got.id, session.id);
    // And the blocking face still works next to it.
    assert_eq!(client.get_sms_session(&session.id).unwrap().id, session.id);
}
