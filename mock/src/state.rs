//! Shared state: sessions, queued faults and stats. Every lock here is a
//! short `std::sync::Mutex` section, never held across an `.await`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};
use tokio::sync::mpsc;

use crate::stats::Stats;
use crate::MockConfig;

/// Most webhook delivery records kept per session (older ones are dropped).
const MAX_DELIVERY_RECORDS: usize = 200;

/// Lock a mutex, ignoring poisoning (a panicked holder leaves plain data behind).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub(crate) fn now_unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Sms,
    Phone,
    Email,
}

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Sms => "sms",
            Kind::Phone => "phone",
            Kind::Email => "email",
        }
    }

    /// The `integration_id` of this kind's webhook events.
    pub(crate) fn integration_id(self) -> &'static str {
        match self {
            Kind::Sms => "Zignsec.v5.SMS",
            Kind::Phone => "Zignsec.v5.Phone",
            Kind::Email => "Zignsec.v5.Email",
        }
    }

    /// Whether `status` is final for this kind, judged case-insensitively
    /// as the SDK judges it.
    pub(crate) fn is_final(self, status: &str) -> bool {
        match self {
            Kind::Sms => ["delivered", "failed"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(status)),
            Kind::Phone | Kind::Email => verification_is_final(status),
        }
    }
}

/// Final phone and email statuses (after which the hosted page only shows
/// the result).
pub(crate) fn verification_is_final(status: &str) -> bool {
    ["finished", "accepted", "failed", "cancelled"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(status))
}

/// The webhook `event` for a session now in `status`.
fn event_name(kind: Kind, status: &str) -> &'static str {
    if kind.is_final(status) {
        "session_finished"
    } else if status.eq_ignore_ascii_case("created") {
        "session_created"
    } else {
        "session_updated"
    }
}

#[derive(Debug)]
pub(crate) struct Session {
    pub id: String,
    pub kind: Kind,
    pub status: String,
    /// `request_data`: the request as recorded, absent optionals omitted.
    pub request: Value,
    pub number_of_message_parts: Option<u32>,
    pub phone_number: Option<String>,
    pub email_address: Option<String>,
    /// `data.errors` on reads (set through `POST /_mock/sessions/{id}/errors`).
    pub errors: Vec<Value>,
    pub relay_state: Option<String>,
    pub webhook: Option<String>,
    pub redirect_success: Option<String>,
    pub redirect_failure: Option<String>,
    pub redirect_url: Option<String>,
    pub csrf_token: Option<String>,
    pub last_code: Option<String>,
    pub codes_sent: u32,
    pub wrong_codes: u32,
    /// SMS only: still progressing on its own (cleared by a forced status).
    pub auto: bool,
    pub created_at_ms: u64,
    pub deliveries: Vec<Value>,
    /// Events for the webhook worker (loopback webhooks only).
    pub webhook_tx: Option<mpsc::UnboundedSender<Vec<u8>>>,
}

impl Session {
    /// The gateway's `GET /core/api/sessions/{id}` body.
    pub(crate) fn gateway_view(&self) -> Value {
        let mut data = Map::new();
        data.insert("id".into(), json!(self.id));
        data.insert("status".into(), json!(self.status));
        data.insert("request_data".into(), self.request.clone());
        match self.kind {
            Kind::Sms => {
                if let Some(n) = self.number_of_message_parts {
                    data.insert("number_of_message_parts".into(), json!(n));
                }
            }
            Kind::Phone => {
                if let Some(p) = &self.phone_number {
                    data.insert("phone_number".into(), json!(p));
                }
            }
            Kind::Email => {
                if let Some(e) = &self.email_address {
                    data.insert("email_address".into(), json!(e));
                }
            }
        }
        if !self.errors.is_empty() {
            data.insert("errors".into(), json!(self.errors));
        }
        json!({ "data": data })
    }

    /// The control API's `GET /_mock/sessions/{id}` body.
    pub(crate) fn control_view(&self) -> Value {
        let mut v = Map::new();
        v.insert("id".into(), json!(self.id));
        v.insert("kind".into(), json!(self.kind.as_str()));
        v.insert("status".into(), json!(self.status));
        v.insert("last_code".into(), json!(self.last_code));
        v.insert("codes_sent".into(), json!(self.codes_sent));
        v.insert("wrong_codes".into(), json!(self.wrong_codes));
        v.insert("request".into(), self.request.clone());
        v.insert("webhook_deliveries".into(), json!(self.deliveries));
        v.insert("created_at_ms".into(), json!(self.created_at_ms));
        if let Some(n) = self.number_of_message_parts {
            v.insert("number_of_message_parts".into(), json!(n));
        }
        if let Some(p) = &self.phone_number {
            v.insert("phone_number".into(), json!(p));
        }
        if let Some(e) = &self.email_address {
            v.insert("email_address".into(), json!(e));
        }
        if !self.errors.is_empty() {
            v.insert("errors".into(), json!(self.errors));
        }
        if let Some(u) = &self.redirect_url {
            v.insert("redirect_url".into(), json!(u));
        }
        if let Some(t) = &self.csrf_token {
            v.insert("csrf_token".into(), json!(t));
        }
        if self.kind == Kind::Sms {
            v.insert("auto_progress".into(), json!(self.auto));
        }
        Value::Object(v)
    }

    /// The webhook body for the current status, in the flat v5 shape:
    /// `{"event","id","integration_id","number_of_message_parts"? (SMS),
    /// "relay_state" (null when none),"status","workflow_session_id"}`.
    fn event_body(&self) -> Vec<u8> {
        let mut e = Map::new();
        e.insert("event".into(), json!(event_name(self.kind, &self.status)));
        e.insert("id".into(), json!(self.id));
        e.insert("integration_id".into(), json!(self.kind.integration_id()));
        if self.kind == Kind::Sms {
            if let Some(n) = self.number_of_message_parts {
                e.insert("number_of_message_parts".into(), json!(n));
            }
        }
        e.insert("relay_state".into(), json!(self.relay_state));
        e.insert("status".into(), json!(self.status));
        // The mock's sessions are not part of a larger workflow: the
        // workflow session is the session itself.
        e.insert("workflow_session_id".into(), json!(self.id));
        serde_json::to_vec(&Value::Object(e)).unwrap_or_default()
    }

    pub(crate) fn record_delivery(&mut self, record: Value) {
        if self.deliveries.len() >= MAX_DELIVERY_RECORDS {
            self.deliveries.remove(0);
        }
        self.deliveries.push(record);
    }

    /// Set the status and emit the webhook event (queued for a loopback
    /// target, only recorded for any other).
    pub(crate) fn set_status(&mut self, status: &str) {
        self.status = status.to_string();
        let Some(url) = self.webhook.clone() else {
            return;
        };
        let body = self.event_body();
        match &self.webhook_tx {
            Some(tx) if tx.send(body).is_ok() => {}
            _ => {
                let record = json!({
                    "url": url,
                    "event": event_name(self.kind, status),
                    "event_status": status,
                    "attempt": 0,
                    "status": null,
                    "error": "not called: the mock only calls loopback webhook URLs (127.0.0.0/8, ::1, localhost)",
                    "delivered": false,
                    "at_ms": now_unix_ms(),
                });
                self.record_delivery(record);
            }
        }
    }
}

/// One queued fault (see `POST /_mock/faults`).
#[derive(Debug, Clone)]
pub(crate) struct Fault {
    pub method: Option<String>,
    pub path: Option<String>,
    pub remaining: u32,
    pub status: Option<u16>,
    pub body: Option<String>,
    pub content_type: Option<String>,
    pub retry_after: Option<String>,
    pub delay: Option<Duration>,
    pub drop: bool,
    pub body_bytes: Option<usize>,
}

impl Fault {
    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path.as_deref().is_none_or(|p| path.starts_with(p))
    }

    /// Whether the fault answers by itself (rather than only delaying).
    pub(crate) fn responds(&self) -> bool {
        self.status.is_some()
            || self.body.is_some()
            || self.body_bytes.is_some()
            || self.content_type.is_some()
            || self.retry_after.is_some()
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "method": self.method,
            "path": self.path,
            "remaining": self.remaining,
            "status": self.status,
            "body": self.body,
            "content_type": self.content_type,
            "retry_after": self.retry_after,
            "delay_ms": self.delay.map(|d| d.as_millis() as u64),
            "drop": self.drop,
            "body_bytes": self.body_bytes,
        })
    }
}

#[derive(Debug)]
pub(crate) struct App {
    pub config: MockConfig,
    pub base_url: String,
    pub sessions: Mutex<HashMap<String, Session>>,
    pub faults: Mutex<VecDeque<Fault>>,
    pub stats: Stats,
}

impl App {
    pub(crate) fn new(config: MockConfig, base_url: String) -> App {
        App {
            config,
            base_url,
            sessions: Mutex::new(HashMap::new()),
            faults: Mutex::new(VecDeque::new()),
            stats: Stats::default(),
        }
    }

    /// Take one use of the first queued fault matching this request.
    pub(crate) fn take_fault(&self, method: &str, path: &str) -> Option<Fault> {
        let mut faults = lock(&self.faults);
        let index = faults.iter().position(|f| f.matches(method, path))?;
        let fault = faults.get_mut(index)?;
        fault.remaining = fault.remaining.saturating_sub(1);
        let taken = fault.clone();
        if fault.remaining == 0 {
            faults.remove(index);
        }
        Some(taken)
    }

    pub(crate) fn queued_faults(&self) -> u64 {
        lock(&self.faults)
            .iter()
            .map(|f| u64::from(f.remaining))
            .sum()
    }

    /// Store a new session; starts its webhook worker when the webhook is loopback.
    pub(crate) fn insert_session(self: &Arc<Self>, mut session: Session) {
        if let Some(url) = session
            .webhook
            .as_deref()
            .and_then(|w| url::Url::parse(w).ok())
        {
            if zignsec::validate::is_loopback(&url) {
                let (tx, rx) = mpsc::unbounded_channel();
                session.webhook_tx = Some(tx);
                tokio::spawn(crate::webhook::worker(
                    Arc::clone(self),
                    session.id.clone(),
                    url,
                    rx,
                ));
            }
        }
        lock(&self.sessions).insert(session.id.clone(), session);
    }

    /// Move an SMS on by itself, unless its status was forced meanwhile.
    pub(crate) fn auto_advance(&self, id: &str, status: &str) -> bool {
        let mut sessions = lock(&self.sessions);
        match sessions.get_mut(id) {
            Some(s) if s.auto => {
                s.set_status(status);
                if status == "delivered" || status == "failed" {
                    s.auto = false;
                }
                true
            }
            _ => false,
        }
    }

    pub(crate) fn reset(&self) {
        lock(&self.sessions).clear();
        lock(&self.faults).clear();
        self.stats.reset();
    }
}
