//! Request and connection counts for `GET /_mock/stats`.
//!
//! Keys stay `"<METHOD> <path>"`, but the map is bounded: a path with an id
//! in it (`/core/api/sessions/{id}`, the hosted pages) is counted under its
//! own path only while the id is a UUID and fewer than [`MAX_EXACT_KEYS`]
//! such paths are known, and under its route template
//! (`GET /core/api/sessions/{id}`) otherwise; unknown paths and methods all
//! land in one `other` bucket. So random paths or endless session ids cannot
//! grow the map without bound, while tests can still count the reads of one
//! session by its path.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde_json::{json, Map, Value};

use crate::state::lock;

/// Most paths with an id counted under their own key.
pub(crate) const MAX_EXACT_KEYS: usize = 4096;
/// The bucket for every request that matches no gateway route.
pub(crate) const OTHER: &str = "other";

/// Fixed gateway paths, counted as they are.
const FIXED_PATHS: &[&str] = &[
    "/core/api/sessions/two_factor_auth/sms",
    "/core/api/sessions/two_factor_auth/phone",
    "/core/api/sessions/two_factor_auth/email",
];

/// What may follow `/2fa-ui/2fa/<kind>/{id}` on a hosted page.
const PAGE_ACTIONS: &[&str] = &["", "/send", "/verify", "/cancel", "/result"];

/// How a request is counted: under a fixed key, or under its own path when
/// there is room (else its template).
enum Route {
    Fixed(String),
    WithId { exact: String, template: String },
}

fn standard_method(method: &str) -> bool {
    matches!(
        method,
        "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS" | "CONNECT" | "TRACE"
    )
}

/// A canonical hyphenated UUID (what the gateway hands out).
fn is_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
}

fn route(method: &str, path: &str) -> Route {
    if !standard_method(method) {
        return Route::Fixed(OTHER.to_string());
    }
    if FIXED_PATHS.contains(&path) {
        return Route::Fixed(format!("{method} {path}"));
    }
    let with_id = |id: &str, template: String| {
        if is_uuid(id) {
            Route::WithId {
                exact: format!("{method} {path}"),
                template,
            }
        } else {
            Route::Fixed(template)
        }
    };
    if let Some(id) = path.strip_prefix("/core/api/sessions/") {
        if !id.is_empty() && !id.contains('/') {
            return with_id(id, format!("{method} /core/api/sessions/{{id}}"));
        }
    }
    for kind in ["phone", "email"] {
        let prefix = format!("/2fa-ui/2fa/{kind}/");
        let Some(rest) = path.strip_prefix(prefix.as_str()) else {
            continue;
        };
        let (id, action) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if !id.is_empty() && PAGE_ACTIONS.contains(&action) {
            return with_id(id, format!("{method} {prefix}{{id}}{action}"));
        }
    }
    Route::Fixed(OTHER.to_string())
}

#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub connections: AtomicU64,
    pub api_connections: AtomicU64,
    pub requests_total: AtomicU64,
    requests: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    by_key: HashMap<String, u64>,
    /// How many keys in `by_key` are exact paths with an id.
    exact_keys: usize,
}

impl Stats {
    pub(crate) fn record_request(&self, method: &str, path: &str) {
        self.requests_total.fetch_add(1, Ordering::Relaxed);
        let mut counts = lock(&self.requests);
        let key = match route(method, path) {
            Route::Fixed(key) => key,
            Route::WithId { exact, template } => {
                if counts.by_key.contains_key(&exact) {
                    exact
                } else if counts.exact_keys < MAX_EXACT_KEYS {
                    counts.exact_keys += 1;
                    exact
                } else {
                    template
                }
            }
        };
        *counts.by_key.entry(key).or_insert(0) += 1;
    }

    pub(crate) fn to_json(&self) -> Value {
        let requests: Map<String, Value> = lock(&self.requests)
            .by_key
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        json!({
            "connections": self.connections.load(Ordering::Relaxed),
            "api_connections": self.api_connections.load(Ordering::Relaxed),
            "requests": requests,
            "requests_total": self.requests_total.load(Ordering::Relaxed),
        })
    }

    pub(crate) fn reset(&self) {
        self.connections.store(0, Ordering::Relaxed);
        self.api_connections.store(0, Ordering::Relaxed);
        self.requests_total.store(0, Ordering::Relaxed);
        *lock(&self.requests) = Counts::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "26f5cc23-dbbb-45bb-a210-2818e70637bd";

    fn key(method: &str, path: &str) -> String {
        match route(method, path) {
            Route::Fixed(k) => k,
            Route::WithId { exact, .. } => exact,
        }
    }

    #[test]
    fn keys_by_route() {
        let sms = "/core/api/sessions/two_factor_auth/sms";
        assert_eq!(key("POST", sms), format!("POST {sms}"));
        assert_eq!(key("GET", sms), format!("GET {sms}"));
        let read = format!("/core/api/sessions/{ID}");
        assert_eq!(key("GET", &read), format!("GET {read}"));
        assert_eq!(
            key("GET", "/core/api/sessions/not-a-uuid"),
            "GET /core/api/sessions/{id}"
        );
        let page = format!("/2fa-ui/2fa/email/{ID}/verify");
        assert_eq!(key("POST", &page), format!("POST {page}"));
        assert_eq!(
            key("GET", "/2fa-ui/2fa/phone/x/result"),
            "GET /2fa-ui/2fa/phone/{id}/result"
        );
        for other in [
            "/",
            "/nope",
            "/core/api/sessions/",
            "/core/api/sessions/a/b",
            "/2fa-ui/2fa/phone/x/other",
        ] {
            assert_eq!(key("GET", other), OTHER, "{other}");
        }
        assert_eq!(key("BREW", &read), OTHER);
    }
}
