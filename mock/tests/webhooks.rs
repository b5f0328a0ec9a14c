//! Signed webhooks: delivered to loopback listeners, verified with the core,
//! retried on failure, recorded (only) for other hosts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;

#[test]
fn sms_status_changes_are_posted_signed_and_in_order() {
    let m = start();
    let base = m.url();
    let hook = Listener::start(vec![200]);
    let mut body = sms_body("+46701234567");
    body["webhook"] = json!(hook.url("/hooks/zignsec?src=mock"));
    body["relay_state"] = json!("user-42");
    let id = new_sms(&base, &body);
    let got = wait_for(Duration::from_secs(5), || {
        let r = hook.received();
        (r.len() >= 2).then_some(r)
    });
    let statuses: Vec<(String, String)> = got
        .iter()
        .map(|c| {
            let sig = c.header(zignsec::SIGNATURE_HEADER).expect("signed");
            let event =
                zignsec::verify_webhook(&c.body, sig, SECRET, zignsec::DEFAULT_TOLERANCE).unwrap();
            assert_eq!(event.id, id);
            assert_eq!(event.integration_id.as_deref(), Some("Zignsec.v5.SMS"));
            assert_eq!(event.raw["workflow_session_id"], id.as_str());
            assert_eq!(event.relay_state.as_deref(), Some("user-42"));
            assert_eq!(event.number_of_message_parts, Some(1));
            assert!(zignsec::verify_webhook(
                &c.body,
                sig,
                "other-secret",
                zignsec::DEFAULT_TOLERANCE
            )
            .is_err());
            assert_eq!(c.path, "/hooks/zignsec?src=mock");
            assert_eq!(c.header("content-type"), Some("application/json"));
            (event.event, event.status)
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("session_updated".to_string(), "dispatched".to_string()),
            ("session_finished".to_string(), "delivered".to_string())
        ]
    );
    let deliveries = deliveries(&base, &id, 2, Duration::from_secs(5));
    assert_eq!(deliveries.len(), 2);
    assert_eq!(deliveries[0]["status"], 200);
    assert_eq!(deliveries[0]["delivered"], true);
    assert_eq!(deliveries[0]["url"], hook.url("/hooks/zignsec?src=mock"));
}

#[test]
fn failed_deliveries_are_retried_and_each_attempt_recorded() {
    let m = start();
    let base = m.url();
    let hook = Listener::start(vec![500, 503, 200]);
    let (id, _) = new_phone(
        &base,
        &json!({"metadata": {"phone_number": "+46701234567"}, "webhook": hook.url("/h")}),
    );
    let r = post_form(&base, &format!("/2fa-ui/2fa/phone/{id}/cancel"), "");
    assert_eq!(r.status, 303);
    let deliveries = deliveries(&base, &id, 3, Duration::from_secs(5));
    let codes: Vec<u64> = deliveries
        .iter()
        .map(|d| d["status"].as_u64().unwrap())
        .collect();
    assert_eq!(codes, [500, 503, 200]);
    assert_eq!(deliveries[2]["attempt"], 3);
    assert_eq!(deliveries[2]["event_status"], "cancelled");
    let got = hook.received();
    assert_eq!(got.len(), 3);
    for c in &got {
        let e = zignsec::verify_webhook(
            &c.body,
            c.header(zignsec::SIGNATURE_HEADER).unwrap(),
            SECRET,
            zignsec::DEFAULT_TOLERANCE,
        )
        .unwrap();
        assert_eq!(e.status, "cancelled");
        assert_eq!(e.event, "session_finished");
        assert_eq!(e.integration_id.as_deref(), Some("Zignsec.v5.Phone"));
        assert_eq!(e.number_of_message_parts, None);
        assert!(e.raw.get("number_of_message_parts").is_none());
        assert!(e.raw["relay_state"].is_null());
        assert_eq!(e.relay_state, None);
    }
}

#[test]
fn unreachable_webhooks_record_errors_and_give_up() {
    let m = start();
    let base = m.url();
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut body = sms_body("+46701234567");
    body["webhook"] = json!(format!("http://127.0.0.1:{port}/h"));
    let id = new_sms(&base, &body);
    let deliveries = deliveries(&base, &id, 8, Duration::from_secs(10));
    assert!(deliveries
        .iter()
        .all(|d| d["error"].is_string() && d["status"].is_null()));
    assert_eq!(deliveries.iter().filter(|d| d["attempt"] == 4).count(), 2);
    assert_eq!(
        get(&base, &format!("/core/api/sessions/{id}")).json()["data"]["status"],
        "delivered"
    );
}

#[test]
fn non_loopback_webhooks_are_only_recorded() {
    let m = start();
    let base = m.url();
    let mut body = sms_body("+46701234567");
    body["webhook"] = json!("https://webhook.site/zignsec");
    let id = new_sms(&base, &body);
    let d = deliveries(&base, &id, 2, Duration::from_secs(5));
    assert_eq!(d[0]["url"], "https://webhook.site/zignsec");
    assert_eq!(d[0]["delivered"], false);
    assert!(d[0]["error"].as_str().unwrap().contains("loopback"));
}

#[test]
fn a_forced_status_fires_the_webhook_and_stops_sms_progress() {
    let m = start_with(zignsec_mock::MockConfig {
        webhook_secret: SECRET.into(),
        sms_delivery: Duration::from_millis(300),
        ..zignsec_mock::MockConfig::default()
    });
    let base = m.url();
    let hook = Listener::start(vec![204]);
    let mut body = sms_body("+46701234567");
    body["webhook"] = json!(hook.url("/h"));
    let id = new_sms(&base, &body);
    let r = req(
        &base,
        "POST",
        &format!("/_mock/sessions/{id}/status"),
        &[JSON],
        br#"{"status":"weird_new_status"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "weird_new_status");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        get(&base, &format!("/core/api/sessions/{id}")).json()["data"]["status"],
        "weird_new_status"
    );
    let got = wait_for(Duration::from_secs(5), || {
        let r = hook.received();
        (!r.is_empty()).then_some(r)
    });
    assert_eq!(got.len(), 1);
    let e = zignsec::parse_webhook(&got[0].body).unwrap();
    assert_eq!(e.status, "weird_new_status");
}
