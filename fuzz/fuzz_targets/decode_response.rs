//! A 2xx body, decoded as the core does (`{"data": ...}`) into each response type:
//! never a panic; a decoded value keeps its status verbatim and its finality
//! agrees with the contract's status lists.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use zignsec::{PhoneSession, PhoneSessionDetails, SmsSession, SmsSessionDetails};

#[derive(Deserialize)]
struct Envelope<T> {
    data: T,
}

const SMS_FINAL: [&str; 2] = ["delivered", "failed"];
const PHONE_FINAL: [&str; 4] = ["finished", "accepted", "failed", "cancelled"];

fuzz_target!(|body: &[u8]| {
    if let Ok(e) = serde_json::from_slice::<Envelope<SmsSession>>(body) {
        let s = e.data.status.as_str();
        assert_eq!(e.data.status.is_final(), SMS_FINAL.contains(&s), "{s:?}");
    }
    if let Ok(e) = serde_json::from_slice::<Envelope<SmsSessionDetails>>(body) {
        let s = e.data.status.as_str();
        assert_eq!(e.data.status.is_final(), SMS_FINAL.contains(&s), "{s:?}");
        let _ = format!("{:?}", e.data);
    }
    if let Ok(e) = serde_json::from_slice::<Envelope<PhoneSession>>(body) {
        let s = e.data.status.as_str();
        assert_eq!(e.data.status.is_final(), PHONE_FINAL.contains(&s), "{s:?}");
    }
    if let Ok(e) = serde_json::from_slice::<Envelope<PhoneSessionDetails>>(body) {
        let s = e.data.status.as_str();
        assert_eq!(e.data.status.is_final(), PHONE_FINAL.contains(&s), "{s:?}");
        let _ = format!("{:?}", e.data);
    }
});
