//! The hosted verification pages, phone (`/2fa-ui/2fa/phone/{id}`, the code
//! goes by SMS) and email (`/2fa-ui/2fa/email/{id}`, the code goes by email):
//! send a code, type it, a wrong code offers a new one, cancel; then a 303 to
//! the caller's `redirect_success` / `redirect_failure` (or to a small result
//! page). Both pages have the same forms and fields; only the words differ.
//!
//! Plain HTML forms, no script and no external assets, so a browser and a test
//! doing `application/x-www-form-urlencoded` POSTs drive it the same way.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use rand::Rng;
use serde::Deserialize;

use crate::api::{read_body, Id};
use crate::state::{lock, verification_is_final, App, Kind};

/// What differs between the phone page and the email page.
#[derive(Debug, Clone, Copy)]
struct Words {
    /// How the code travels: "SMS" / "email".
    channel: &'static str,
    /// The page's title and heading.
    title: &'static str,
    /// The `id` of the element showing the masked recipient.
    recipient_id: &'static str,
    verified_title: &'static str,
    verified_text: &'static str,
}

fn words(kind: Kind) -> Words {
    match kind {
        Kind::Email => Words {
            channel: "email",
            title: "Verify your email address",
            recipient_id: "email",
            verified_title: "Email verified",
            verified_text: "Your email address is verified.",
        },
        Kind::Phone | Kind::Sms => Words {
            channel: "SMS",
            title: "Verify your phone number",
            recipient_id: "phone",
            verified_title: "Phone verified",
            verified_text: "Your phone number is verified.",
        },
    }
}

/// The five routes of one kind's page, under `/2fa-ui/2fa/<kind>/{id}`.
pub(crate) fn routes(kind: Kind) -> Router<Arc<App>> {
    let base = format!("/2fa-ui/2fa/{}/{{id}}", kind.as_str());
    Router::new()
        .route(
            &base,
            get(
                move |app: State<Arc<App>>,
                      id: Id,
                      query: Result<Query<PageQuery>, QueryRejection>| {
                    show(kind, app, id, query)
                },
            ),
        )
        .route(
            &format!("{base}/send"),
            post(move |app: State<Arc<App>>, id: Id| send(kind, app, id)),
        )
        .route(
            &format!("{base}/verify"),
            post(
                move |app: State<Arc<App>>, id: Id, headers: HeaderMap, body: Body| {
                    verify(kind, app, id, headers, body)
                },
            ),
        )
        .route(
            &format!("{base}/cancel"),
            post(move |app: State<Arc<App>>, id: Id| cancel(kind, app, id)),
        )
        .route(
            &format!("{base}/result"),
            get(move |app: State<Arc<App>>, id: Id| result(kind, app, id)),
        )
}

/// Wrong codes after which the session fails.
pub(crate) const MAX_WRONG_CODES: u32 = 3;

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#eef1f5;margin:0;color:#1d2433}\
main{max-width:26rem;margin:3rem auto;background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:2rem}\
h1{font-size:1.4rem;margin:0 0 .5rem}p{line-height:1.45}\
.brand{font-size:.8rem;letter-spacing:.08em;text-transform:uppercase;color:#5b6b82;margin-bottom:1rem}\
.notice{padding:.6rem .8rem;border-radius:8px;margin:1rem 0}.ok{background:#e7f6ec;color:#17642f}.err{background:#fdecec;color:#9b1c1c}\
label{display:block;font-weight:600;margin:1rem 0 .3rem}\
input{font-size:1.5rem;letter-spacing:.4em;width:100%;box-sizing:border-box;padding:.5rem .7rem;border:1px solid #b8c2d1;border-radius:8px}\
button{font-size:1rem;padding:.65rem 1.2rem;border-radius:8px;border:0;cursor:pointer;margin-top:.8rem}\
.primary{background:#2457d6;color:#fff;width:100%}.secondary{background:#e4e9f1;color:#1d2433;width:100%}\
.link{background:none;color:#5b6b82;text-decoration:underline;padding:.3rem 0}\
footer{font-size:.75rem;color:#7a879a;margin-top:1.5rem}";

fn layout(title: &str, inner: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{title}</title><style>{STYLE}</style></head><body><main>\
<div class=\"brand\">ZignSec &middot; offline test gateway</div>{inner}\
<footer>This is zignsec-mock: no SMS or email is really sent. Tests read the code from \
<code>GET /_mock/sessions/&lt;id&gt;</code> (<code>last_code</code>).</footer>\
</main></body></html>",
        title = esc(title)
    )
}

fn page_response(status: StatusCode, title: &str, inner: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Html(layout(title, inner)),
    )
        .into_response()
}

fn not_found_page() -> Response {
    page_response(
        StatusCode::NOT_FOUND,
        "Session not found",
        "<h1 id=\"not-found\">Session not found</h1><p>This verification link is unknown or has expired.</p>",
    )
}

fn see_other(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, location.to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
    )
        .into_response()
}

fn page_path(kind: Kind, id: &str) -> String {
    format!("/2fa-ui/2fa/{}/{id}", kind.as_str())
}

#[derive(Debug, Deserialize)]
pub(crate) struct PageQuery {
    notice: Option<String>,
}

/// `GET /2fa-ui/2fa/<kind>/{id}`
async fn show(
    kind: Kind,
    State(app): State<Arc<App>>,
    Id(id): Id,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Response {
    let notice = query.ok().and_then(|Query(q)| q.notice);
    let snapshot = {
        let sessions = lock(&app.sessions);
        match sessions.get(&id.to_ascii_lowercase()) {
            Some(s) if s.kind == kind => Some((
                s.id.clone(),
                s.status.clone(),
                masked_recipient(s),
                s.codes_sent,
                s.wrong_codes,
            )),
            _ => None,
        }
    };
    let Some((id, status, masked, codes_sent, wrong_codes)) = snapshot else {
        return not_found_page();
    };
    let base = page_path(kind, &id);
    let w = words(kind);
    if verification_is_final(&status) {
        return result_page(kind, &id, &status);
    }
    let masked = esc(&masked);
    let (channel, recipient_id) = (w.channel, w.recipient_id);
    let left = MAX_WRONG_CODES.saturating_sub(wrong_codes);
    let notice_html = match notice.as_deref() {
        Some("sent") => format!(
            "<p id=\"notice\" class=\"notice ok\" role=\"status\">A 5-digit code was sent to {masked}.</p>"
        ),
        Some("wrong") => format!(
            "<p id=\"notice\" class=\"notice err\" role=\"alert\">Wrong code. {left} attempt{} left: \
try again, or send a new code.</p>",
            if left == 1 { "" } else { "s" }
        ),
        Some("no_code") => "<p id=\"notice\" class=\"notice err\" role=\"alert\">Send a code first.</p>"
            .to_string(),
        Some("invalid") => format!(
            "<p id=\"notice\" class=\"notice err\" role=\"alert\">Enter the 5-digit code from the {channel}.</p>"
        ),
        _ => String::new(),
    };
    let send_label = if codes_sent == 0 {
        "Send code"
    } else {
        "Send a new code"
    };
    let send_class = if codes_sent == 0 { "primary" } else { "link" };
    let send_form = format!(
        "<form id=\"send-form\" method=\"post\" action=\"{base}/send\">\
<button id=\"send-code\" class=\"{send_class}\" type=\"submit\">{send_label}</button></form>"
    );
    let code_form = if codes_sent > 0 {
        format!(
            "<form id=\"verify-form\" method=\"post\" action=\"{base}/verify\">\
<label for=\"code\">5-digit code</label>\
<input id=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\" autocomplete=\"one-time-code\" \
maxlength=\"5\" placeholder=\"12345\" required autofocus>\
<button id=\"verify\" class=\"primary\" type=\"submit\">Verify</button></form>"
        )
    } else {
        String::new()
    };
    let intro = if codes_sent == 0 {
        format!(
            "<p>We will send a 5-digit code by {channel} to <strong id=\"{recipient_id}\">{masked}</strong>.</p>"
        )
    } else {
        format!(
            "<p>Enter the 5-digit code we sent to <strong id=\"{recipient_id}\">{masked}</strong>.</p>"
        )
    };
    let cancel_form = format!(
        "<form id=\"cancel-form\" method=\"post\" action=\"{base}/cancel\">\
<button id=\"cancel\" class=\"secondary\" type=\"submit\">Cancel</button></form>"
    );
    let inner = format!(
        "<h1>{title}</h1>{intro}{notice_html}{code_form}{send_form}{cancel_form}",
        title = w.title
    );
    page_response(StatusCode::OK, w.title, &inner)
}

/// The recipient as the page shows it: `+*********67`, `j***@example.com`.
fn masked_recipient(s: &crate::state::Session) -> String {
    match s.kind {
        Kind::Email => crate::email::mask(s.email_address.as_deref().unwrap_or_default()),
        Kind::Phone | Kind::Sms => {
            zignsec::validate::mask_phone(s.phone_number.as_deref().unwrap_or_default())
        }
    }
}

fn result_page(kind: Kind, id: &str, status: &str) -> Response {
    let w = words(kind);
    let (title, text) = match status {
        "finished" | "accepted" => (w.verified_title, w.verified_text),
        "failed" => (
            "Verification failed",
            "Too many wrong codes: the verification failed.",
        ),
        "cancelled" => ("Verification cancelled", "The verification was cancelled."),
        _ => ("Verification ended", "This verification has ended."),
    };
    let inner = format!(
        "<h1 id=\"result\" data-status=\"{status}\">{title}</h1><p>{text}</p>\
<p>Session <code>{id}</code> is <strong id=\"status\">{status}</strong>.</p>",
        status = esc(status),
        id = esc(id),
    );
    page_response(StatusCode::OK, title, &inner)
}

/// `GET /2fa-ui/2fa/<kind>/{id}/result`: where a session without a caller
/// redirect ends.
async fn result(kind: Kind, State(app): State<Arc<App>>, Id(id): Id) -> Response {
    let status = lock(&app.sessions)
        .get(&id.to_ascii_lowercase())
        .filter(|s| s.kind == kind)
        .map(|s| (s.id.clone(), s.status.clone()));
    match status {
        Some((id, status)) => result_page(kind, &id, &status),
        None => not_found_page(),
    }
}

/// Where a finished session sends the user.
fn final_location(base: &str, redirect: Option<&str>) -> String {
    redirect.map_or_else(|| format!("{base}/result"), str::to_string)
}

/// `POST /2fa-ui/2fa/<kind>/{id}/send`: a new random 5-digit code.
async fn send(kind: Kind, State(app): State<Arc<App>>, Id(id): Id) -> Response {
    let code = format!("{:05}", rand::rng().random_range(0..100_000u32));
    let mut sessions = lock(&app.sessions);
    let Some(s) = sessions
        .get_mut(&id.to_ascii_lowercase())
        .filter(|s| s.kind == kind)
    else {
        return not_found_page();
    };
    let base = page_path(kind, &s.id);
    if verification_is_final(&s.status) {
        return see_other(&base);
    }
    s.last_code = Some(code);
    s.codes_sent += 1;
    see_other(&format!("{base}?notice=sent"))
}

/// `POST /2fa-ui/2fa/<kind>/{id}/verify` with form field `code`.
async fn verify(
    kind: Kind,
    State(app): State<Arc<App>>,
    Id(id): Id,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let bytes = match read_body(&headers, body, app.config.body_read_timeout).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let given = form_code(&bytes);
    let mut sessions = lock(&app.sessions);
    let Some(s) = sessions
        .get_mut(&id.to_ascii_lowercase())
        .filter(|s| s.kind == kind)
    else {
        return not_found_page();
    };
    let base = page_path(kind, &s.id);
    if verification_is_final(&s.status) {
        return see_other(&base);
    }
    let Some(expected) = s.last_code.clone() else {
        return see_other(&format!("{base}?notice=no_code"));
    };
    let Some(given) = given.filter(|g| !g.is_empty()) else {
        return see_other(&format!("{base}?notice=invalid"));
    };
    if given == expected {
        s.set_status("finished");
        let to = final_location(&base, s.redirect_success.as_deref());
        return see_other(&to);
    }
    s.wrong_codes += 1;
    if s.wrong_codes >= MAX_WRONG_CODES {
        s.set_status("failed");
        let to = final_location(&base, s.redirect_failure.as_deref());
        return see_other(&to);
    }
    see_other(&format!("{base}?notice=wrong"))
}

/// The trimmed `code` field of a form body (`None` when absent).
fn form_code(body: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.trim().to_string())
}

/// `POST /2fa-ui/2fa/<kind>/{id}/cancel`
async fn cancel(kind: Kind, State(app): State<Arc<App>>, Id(id): Id) -> Response {
    let mut sessions = lock(&app.sessions);
    let Some(s) = sessions
        .get_mut(&id.to_ascii_lowercase())
        .filter(|s| s.kind == kind)
    else {
        return not_found_page();
    };
    let base = page_path(kind, &s.id);
    if verification_is_final(&s.status) {
        return see_other(&base);
    }
    s.set_status("cancelled");
    let to = final_location(&base, s.redirect_failure.as_deref());
    see_other(&to)
}
