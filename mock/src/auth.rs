//! The API key check: which header carries the key (`Authorization` or
//! `Zs-Product-Key`, see [`AuthScheme`]) and which keys pass (one or two, for
//! rotation tests; any non-empty key when none is configured).

// Handlers answer `Err(Response)` as soon as the check fails.
#![allow(clippy::result_large_err)]

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;

use crate::api::error;
use crate::state::App;
use crate::AuthScheme;

/// The header ZignSec's newer products take the key in.
pub(crate) const PRODUCT_KEY_HEADER: &str = "zs-product-key";

/// A header's value, empty when absent.
fn value<'a>(headers: &'a HeaderMap, name: &str) -> &'a [u8] {
    headers.get(name).map(|v| v.as_bytes()).unwrap_or_default()
}

fn is_blank(key: &[u8]) -> bool {
    key.iter().all(u8::is_ascii_whitespace)
}

fn accepted(app: &App, given: &[u8]) -> bool {
    let keys: Vec<&str> = [&app.config.api_key, &app.config.secondary_api_key]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if keys.is_empty() {
        !is_blank(given)
    } else {
        keys.iter().any(|k| given == k.as_bytes())
    }
}

fn unauthorized(description: &str) -> Response {
    error(StatusCode::UNAUTHORIZED, "unauthorized", description)
}

/// 401 unless the scheme's header carries an accepted key.
pub(crate) fn check(app: &App, headers: &HeaderMap) -> Result<(), Response> {
    let authorization = value(headers, header::AUTHORIZATION.as_str());
    let product_key = value(headers, PRODUCT_KEY_HEADER);
    let (carriers, wrong_header): (Vec<&[u8]>, Option<&str>) = match app.config.auth_scheme {
        AuthScheme::Authorization => (
            vec![authorization],
            (is_blank(authorization) && !is_blank(product_key)).then_some(
                "this gateway takes the API key in the Authorization header, not Zs-Product-Key",
            ),
        ),
        AuthScheme::ProductKey => (
            vec![product_key],
            (is_blank(product_key) && !is_blank(authorization)).then_some(
                "this gateway takes the API key in the Zs-Product-Key header, not Authorization",
            ),
        ),
        AuthScheme::Any => (vec![authorization, product_key], None),
    };
    if carriers.iter().any(|k| !k.is_empty() && accepted(app, k)) {
        return Ok(());
    }
    if let Some(why) = wrong_header {
        return Err(unauthorized(why));
    }
    let missing = carriers.iter().all(|k| k.is_empty());
    Err(unauthorized(match (app.config.auth_scheme, missing) {
        (AuthScheme::ProductKey, true) => {
            "missing API key: send it as the raw value of the Zs-Product-Key header"
        }
        (AuthScheme::ProductKey, false) => {
            "invalid API key (send the raw key in the Zs-Product-Key header)"
        }
        (_, true) => "missing API key: send it as the raw value of the Authorization header",
        (_, false) => {
            "invalid API key (send the raw key in the Authorization header, without `Bearer`)"
        }
    }))
}
