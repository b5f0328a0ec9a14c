//! Key rotation without downtime: the client holds the old key as primary and the
//! new one as secondary. A 401 to the key in use is retried at once, once, with the
//! other key, and the client keeps the key that worked.
//!
//! Against the offline gateway: `scripts/with-mock.sh cargo run -p zignsec --example key_rotation`
//! (the gateway knows only `ZIGNSEC_API_KEY`, so the "old" key below is refused).

use zignsec::{Client, SendSms};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let new_key = std::env::var("ZIGNSEC_API_KEY")?;
    let client = Client::builder()
        .api_key("sk_test_revoked_old_key") // the primary: already revoked
        .secondary_api_key(new_key) // the secondary: the key that works now
        .auth_scheme("authorization") // or "product-key" (Zs-Product-Key header)
        .build()?;
    for n in 1..=2 {
        let sms = client.send_sms(&SendSms::new(
            "+46701234567",
            "ZignSec",
            "Your code is 48213",
        ))?;
        println!("send {n}: session {} is {}", sms.id, sms.status);
    }
    println!("the first send took one extra request; the second went straight to the new key");
    Ok(())
}
