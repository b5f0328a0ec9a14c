//! Who may use the parts of the mock that need no key: the control API
//! (`/_mock/…`, which shows one-time codes, phone numbers and email addresses)
//! and the hosted pages (`/2fa-ui/…`, which finish a verification). They answer
//! loopback peers only, unless the mock was started with `allow_remote`.

use std::net::IpAddr;

use axum::http::StatusCode;
use axum::response::Response;

use crate::api::error;

/// Whether `path` belongs to the test-control API.
pub(crate) fn is_control(path: &str) -> bool {
    path == "/_mock" || path.starts_with("/_mock/")
}

/// Whether `path` belongs to the hosted verification pages.
pub(crate) fn is_page(path: &str) -> bool {
    path == "/2fa-ui" || path.starts_with("/2fa-ui/")
}

/// A loopback peer, also as an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`,
/// what a dual-stack `::` listener reports for IPv4 clients).
pub(crate) fn is_loopback_peer(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

/// Whether a `--host` value only listens on loopback (`127.0.0.0/8`, `::1`,
/// `localhost`); anything else (`0.0.0.0`, a LAN address, a host name) may be
/// reachable from the network.
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => is_loopback_peer(ip),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

/// The answer to a non-loopback peer on a loopback-only path.
pub(crate) fn forbidden(path: &str) -> Response {
    let what = if is_control(path) {
        "the test-control API (/_mock/)"
    } else {
        "the hosted verification pages (/2fa-ui/)"
    };
    error(
        StatusCode::FORBIDDEN,
        "forbidden",
        format!(
            "{what} answers loopback clients only; start zignsec-mock with --allow-remote to open it to the network"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_and_peers() {
        for host in [
            "127.0.0.1",
            "127.3.4.5",
            "::1",
            "[::1]",
            "localhost",
            "LOCALHOST",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in ["0.0.0.0", "::", "192.168.1.2", "example.com", "10.0.0.1"] {
            assert!(!is_loopback_host(host), "{host}");
        }
        assert!(is_loopback_peer("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!is_loopback_peer("::ffff:10.1.2.3".parse().unwrap()));
    }
}
