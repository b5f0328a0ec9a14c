//! Quickstart: send an SMS and follow it to `delivered`; start a phone and an
//! email verification and follow each to `finished`; verify a signed webhook.
//!
//! Against the offline gateway: `scripts/with-mock.sh cargo run -p zignsec --example quickstart`.
//! Against ZignSec's test gateway: set `ZIGNSEC_API_KEY` and run the example.

use std::time::Duration;

use zignsec::{Client, SendSms, StartEmailVerification, StartPhoneVerification};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Key, environment and base URL come from ZIGNSEC_* variables here.
    let client = Client::from_env()?;
    println!("client: {client:?}");

    // 1. An SMS one-time code.
    let mut sms = SendSms::new("+46701234567", "ZignSec", "Your login code is 48213");
    sms.relay_state = Some("user-42".into());
    let session = client.send_sms(&sms)?;
    println!("sms {} is {}", session.id, session.status);
    let done = client.wait_sms_session(&session.id, Some(Duration::from_secs(30)), None)?;
    println!(
        "sms {} is {} ({} part(s))",
        done.id,
        done.status,
        done.number_of_message_parts.unwrap_or(0)
    );

    // 2. A phone verification on ZignSec's hosted page.
    let mut verification = StartPhoneVerification::new("+46703339954");
    verification.locale = Some("En".into());
    verification.redirect_success = Some("https://example.com/verified".into());
    verification.redirect_failure = Some("https://example.com/not-verified".into());
    let phone = client.start_phone_verification(&verification)?;
    println!("send the user to {}", phone.redirect_url);
    if let Ok(mock) = std::env::var("ZIGNSEC_MOCK_URL") {
        play_the_user(&mock, &phone.redirect_url, &phone.id)?;
    }
    let verified = client.wait_phone_session(&phone.id, Some(Duration::from_secs(300)), None)?;
    println!("phone {} is {}", verified.phone_number, verified.status);

    // 3. An email verification: the same hosted flow, the code goes to the inbox.
    let email = client.start_email_verification(&StartEmailVerification::new(
        "jane.doe@example.com",
        "En",
        "https://example.com/verified",
        "https://example.com/not-verified",
    ))?;
    println!("send the user to {}", email.redirect_url);
    if let Ok(mock) = std::env::var("ZIGNSEC_MOCK_URL") {
        play_the_user(&mock, &email.redirect_url, &email.id)?;
    }
    let verified = client.wait_email_session(&email.id, Some(Duration::from_secs(300)), None)?;
    println!(
        "email {} is {}",
        zignsec::mask_email(&verified.request.email_address),
        verified.status
    );

    // 4. A webhook, signed as the gateway signs it, verified as your handler would.
    let secret = std::env::var("ZIGNSEC_WEBHOOK_SECRET").unwrap_or_else(|_| "whsec_demo".into());
    let body = format!(
        r#"{{"event":"status_changed","id":"{}","status":"delivered"}}"#,
        done.id
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let header = zignsec::sign_webhook(body.as_bytes(), &secret, now)?;
    let event = zignsec::verify_webhook(
        body.as_bytes(),
        &header,
        &secret,
        zignsec::DEFAULT_TOLERANCE,
    )?;
    println!("webhook verified: session {} is {}", event.id, event.status);
    Ok(())
}

/// What a person does on the offline gateway's hosted page: ask for a code, read
/// it from the phone (the mock's control API), type it in.
fn play_the_user(
    mock: &str,
    redirect_url: &str,
    id: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // reqwest is built here without a TLS crypto provider of its own choosing.
    let _ = rustls::crypto::ring::default_provider().install_default();
    rt.block_on(async {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let form = "application/x-www-form-urlencoded";
        http.post(format!("{redirect_url}/send"))
            .header("content-type", form)
            .send()
            .await?;
        let state: serde_json::Value = serde_json::from_slice(
            &http
                .get(format!("{mock}/_mock/sessions/{id}"))
                .send()
                .await?
                .bytes()
                .await?,
        )?;
        let code = state["last_code"].as_str().unwrap_or_default().to_string();
        let answer = http
            .post(format!("{redirect_url}/verify"))
            .header("content-type", form)
            .body(format!("code={code}"))
            .send()
            .await?;
        println!(
            "the user typed the code; the page answered {}",
            answer.status()
        );
        Ok(())
    })
}
