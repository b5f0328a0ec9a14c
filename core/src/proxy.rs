//! Which proxy, if any, a client's requests go through.
//!
//! Only `https://` base URLs ever use a proxy, and only as a CONNECT tunnel, so the
//! proxy sees a host name and TLS bytes, never the key. A loopback base URL (the
//! offline gateway, a local TLS sidecar) never goes through a proxy: `HTTP_PROXY`
//! is not read at all. The environment is read the way curl reads it
//! (`https_proxy`/`HTTPS_PROXY`, then `all_proxy`/`ALL_PROXY`, minus `no_proxy`/`NO_PROXY`).

use std::net::IpAddr;

use url::{Host, Url};

use crate::error::{Error, Result};
use crate::validate;

const PROXY_VARS: [&str; 4] = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];
const NO_PROXY_VARS: [&str; 2] = ["no_proxy", "NO_PROXY"];

/// The proxy `base` goes through: `explicit` (a URL, or `"none"`), else the
/// environment read through `env`.
pub(crate) fn resolve(
    explicit: Option<&str>,
    base: &Url,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<Url>> {
    let tunnel_allowed = base.scheme() == "https" && !validate::is_loopback(base);
    if let Some(text) = explicit.map(str::trim) {
        if text.eq_ignore_ascii_case("none") {
            return Ok(None);
        }
        let url = parse(text, "proxy")?;
        return Ok(tunnel_allowed.then_some(url));
    }
    if !tunnel_allowed {
        return Ok(None);
    }
    let Some((name, text)) = PROXY_VARS
        .iter()
        .find_map(|name| env(name).map(|v| (*name, v)))
    else {
        return Ok(None);
    };
    let no_proxy = NO_PROXY_VARS.iter().find_map(|name| env(name));
    if no_proxy.is_some_and(|list| bypasses(&list, base)) {
        return Ok(None);
    }
    parse(text.trim(), name).map(Some)
}

/// A proxy URL: `http://` or `https://` (a bare `host:port` means `http://`).
fn parse(text: &str, source: &str) -> Result<Url> {
    let with_scheme = if text.contains("://") {
        text.to_string()
    } else {
        format!("http://{text}")
    };
    let url = Url::parse(&with_scheme).map_err(|_| {
        Error::config(format!(
            "{source} is not a proxy URL such as http://proxy.example:3128"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::config(format!(
            "{source}: only http:// and https:// proxies are supported, got {}://",
            url.scheme()
        )));
    }
    if url.host().is_none() {
        return Err(Error::config(format!("{source} names no host")));
    }
    Ok(url)
}

/// The proxy's credentials (`user:password` as written), to scrub from any text.
pub(crate) fn credentials(url: &Url) -> Option<String> {
    url.password()
        .map(|p| p.to_string())
        .filter(|p| !p.is_empty())
}

/// A proxy URL for display: scheme, host and port, never credentials.
pub(crate) fn display(text: &str) -> String {
    match Url::parse(text) {
        Ok(url) if url.host().is_some() => {
            let host = url.host_str().unwrap_or_default();
            match url.port() {
                Some(port) => format!("{}://{host}:{port}", url.scheme()),
                None => format!("{}://{host}", url.scheme()),
            }
        }
        _ if text.trim().eq_ignore_ascii_case("none") => "none".to_string(),
        _ => "<set>".to_string(),
    }
}

/// Whether a `no_proxy` list exempts `base`'s host: `*`, a domain (and its
/// subdomains, with or without a leading dot), an IP address or a CIDR block.
pub(crate) fn bypasses(list: &str, base: &Url) -> bool {
    let host = match base.host() {
        Some(Host::Domain(d)) => HostKind::Name(d.trim_end_matches('.').to_ascii_lowercase()),
        Some(Host::Ipv4(ip)) => HostKind::Ip(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => HostKind::Ip(IpAddr::V6(ip)),
        None => return false,
    };
    list.split(',')
        .map(|entry| entry.trim())
        .filter(|entry| !entry.is_empty())
        .any(|entry| entry_matches(entry, &host))
}

enum HostKind {
    Name(String),
    Ip(IpAddr),
}

fn entry_matches(entry: &str, host: &HostKind) -> bool {
    if entry == "*" {
        return true;
    }
    match host {
        HostKind::Ip(ip) => {
            let entry = entry.trim_start_matches('[');
            let (addr, bits) = match entry.split_once('/') {
                Some((addr, bits)) => (addr, bits.parse::<u32>().ok()),
                None => (entry.trim_end_matches(']'), None),
            };
            let Ok(net) = addr.trim_end_matches(']').parse::<IpAddr>() else {
                return false;
            };
            in_block(*ip, net, bits)
        }
        HostKind::Name(name) => {
            let domain = entry
                .trim_start_matches("*.")
                .trim_start_matches('.')
                .trim_end_matches('.')
                .to_ascii_lowercase();
            // A port in the entry (`example.com:443`) is not compared.
            let domain = domain.split(':').next().unwrap_or_default();
            !domain.is_empty()
                && (name == domain
                    || name
                        .strip_suffix(domain)
                        .is_some_and(|rest| rest.ends_with('.')))
        }
    }
}

fn in_block(ip: IpAddr, net: IpAddr, bits: Option<u32>) -> bool {
    match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let bits = bits.unwrap_or(32).min(32);
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let bits = bits.unwrap_or(128).min(128);
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn loopback_and_http_never_use_a_proxy() {
        let env = env_of(&[
            ("HTTPS_PROXY", "http://p:3128"),
            ("ALL_PROXY", "http://p:1"),
        ]);
        for base in [
            "http://127.0.0.1:9",
            "https://localhost:9",
            "https://[::1]:9",
        ] {
            assert_eq!(resolve(None, &url(base), &env).expect("ok"), None, "{base}");
            assert_eq!(
                resolve(Some("http://p:3"), &url(base), &env).expect("ok"),
                None
            );
        }
    }

    #[test]
    fn https_uses_the_environment_unless_told_otherwise() {
        let base = url("https://gateway.zignsec.com");
        let env = env_of(&[("HTTPS_PROXY", "proxy.corp:3128")]);
        let got = resolve(None, &base, &env).expect("ok").expect("a proxy");
        assert_eq!(got.as_str(), "http://proxy.corp:3128/");
        assert_eq!(resolve(Some("none"), &base, &env).expect("ok"), None);
        let all = env_of(&[("ALL_PROXY", "http://a:1")]);
        assert!(resolve(None, &base, &all).expect("ok").is_some());
        let http_only = env_of(&[("HTTP_PROXY", "http://a:1"), ("http_proxy", "http://a:1")]);
        assert_eq!(resolve(None, &base, &http_only).expect("ok"), None);
    }

    #[test]
    fn no_proxy_lists() {
        let base = url("https://api.gateway.zignsec.com");
        assert!(bypasses("zignsec.com", &base));
        assert!(bypasses(".zignsec.com", &base));
        assert!(bypasses("*.zignsec.com", &base));
        assert!(bypasses("foo, *", &base));
        assert!(!bypasses("gnsec.com", &base));
        assert!(bypasses("10.0.0.0/8", &url("https://10.1.2.3")));
        assert!(!bypasses("10.0.0.0/8", &url("https://11.1.2.3")));
        assert!(bypasses("::1", &url("https://[::1]")));
        let env = env_of(&[("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", "zignsec.com")]);
        assert_eq!(resolve(None, &base, &env).expect("ok"), None);
    }

    #[test]
    fn bad_proxies_are_config_errors_and_never_echo_credentials() {
        let base = url("https://gateway.zignsec.com");
        let err = resolve(Some("socks5://u:pw@h:1"), &base, env_of(&[])).expect_err("socks");
        assert!(!err.to_string().contains("pw"));
        assert_eq!(
            display("http://user:secret@proxy:3128"),
            "http://proxy:3128"
        );
        let with_creds = url("http://user:secret@proxy:3128");
        assert_eq!(credentials(&with_creds).as_deref(), Some("secret"));
    }
}
