//! TLS and base-URL safety: TLS is always verified (an unknown CA or a wrong host
//! name is a connection error, and nothing is sent), a CA added with
//! `add_root_certificate_pem` is trusted, and `http://` to a non-loopback host is
//! refused when the client is built, before any connection.
//!
//! The server is a few lines of rustls (ring) on a std thread; its certificate
//! comes from a throwaway CA made with the `openssl` CLI for this run.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a test failure

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use zignsec::{ErrorKind, SendSms};

const SESSION: &str = "26f5cc23-dbbb-45bb-a210-2818e70637bd";

struct Pki {
    ca_pem: Vec<u8>,
    leaf_pem: Vec<u8>,
    leaf_key_pem: Vec<u8>,
    /// A second CA, never used to sign anything we serve.
    other_ca_pem: Vec<u8>,
}

fn openssl(dir: &PathBuf, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl CLI is needed for this test (apt-get install openssl)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA, and a leaf for `localhost` only (no IP SAN) signed by it.
fn make_pki() -> Pki {
    let dir = std::env::temp_dir().join(format!("zignsec-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    for ca in ["ca", "other"] {
        let (key, crt, subj) = (
            format!("{ca}.key"),
            format!("{ca}.pem"),
            format!("/CN=zignsec test {ca} CA"),
        );
        let mut args = vec!["req", "-x509"];
        args.extend(ec);
        args.extend(["-keyout", &key, "-out", &crt, "-days", "2", "-subj", &subj]);
        openssl(&dir, &args);
    }
    let mut args = vec!["req", "-new"];
    args.extend(ec);
    args.extend([
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=localhost",
    ]);
    openssl(&dir, &args);
    std::fs::write(
        dir.join("leaf.ext"),
        "basicConstraints=critical,CA:FALSE\nsubjectAltName=DNS:localhost,DNS:gateway.test\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n",
    )
    .unwrap();
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "leaf.pem",
            "-days",
            "2",
            "-extfile",
            "leaf.ext",
        ],
    );
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    let pki = Pki {
        ca_pem: read("ca.pem"),
        leaf_pem: read("leaf.pem"),
        leaf_key_pem: read("leaf.key"),
        other_ca_pem: read("other.pem"),
    };
    let _ = std::fs::remove_dir_all(&dir);
    pki
}

/// A one-route HTTPS server: answers every request with an SMS session.
struct TlsServer {
    port: u16,
    /// TCP connections accepted.
    connections: Arc<AtomicUsize>,
    /// Request heads read after a completed handshake.
    requests: Arc<Mutex<Vec<String>>>,
}

fn tls_server(pki: &Pki) -> TlsServer {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pki.leaf_pem)
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(&pki.leaf_key_pem).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let (c2, r2) = (Arc::clone(&connections), Arc::clone(&requests));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            c2.fetch_add(1, Ordering::SeqCst);
            let config = Arc::clone(&config);
            let requests = Arc::clone(&r2);
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let conn = rustls::ServerConnection::new(config).unwrap();
                let mut tls = rustls::StreamOwned::new(conn, stream);
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                // The handshake runs inside the first read; a client that refuses the
                // certificate ends it here, and no request is ever read.
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                requests
                    .lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&head).to_string());
                let body = format!(
                    r#"{{"data":{{"id":"{SESSION}","status":"delivered","number_of_message_parts":1,"request_data":{{"metadata":{{"from":"ZignSec","to":"+46701234567","message":"hi","max_message_parts":1}}}}}}}}"#
                );
                let resp = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(resp.as_bytes());
                let _ = tls.flush();
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    TlsServer {
        port,
        connections,
        requests,
    }
}

/// A builder for `url` trusting `roots` besides the system's (either client's).
fn builder(url: &str, roots: &[&[u8]]) -> zignsec::ClientBuilder {
    let mut b = zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .base_url(url)
        .max_retries(0)
        .timeout(Duration::from_secs(5));
    for pem in roots {
        b = b.add_root_certificate_pem(pem.to_vec());
    }
    b
}

fn client(url: &str, roots: &[&[u8]]) -> zignsec::Client {
    builder(url, roots).build().unwrap()
}

#[test]
fn tls_is_verified_and_added_roots_are_trusted() {
    let pki = make_pki();
    let server = tls_server(&pki);
    let url = format!("https://localhost:{}", server.port);

    // Unknown CA (system roots only): a connection error, and no request read.
    let err = client(&url, &[]).get_sms_session(SESSION).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "untrusted CA: {err}");
    assert!(!err.message().contains(KEY));
    // A send refused at the handshake provably never left.
    let err = client(&url, &[])
        .send_sms(&SendSms::new("+46701234567", "ZignSec", "hi"))
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Connection,
        "untrusted CA (send): {err}"
    );
    assert_eq!(err.maybe_sent(), Some(false), "{err}");
    // Some other CA trusted: still refused.
    let err = client(&url, &[&pki.other_ca_pem])
        .get_sms_session(SESSION)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "other CA: {err}");
    assert!(
        server.connections.load(Ordering::SeqCst) >= 3,
        "the refusals must come from the TLS handshake, not from no connection"
    );
    assert!(
        server.requests.lock().unwrap().is_empty(),
        "a request was read over an unverified connection"
    );

    // The right CA, but a name the certificate does not cover (127.0.0.1): refused.
    let by_ip = format!("https://127.0.0.1:{}", server.port);
    let err = client(&by_ip, &[&pki.ca_pem])
        .get_sms_session(SESSION)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "wrong host name: {err}");
    assert!(server.requests.lock().unwrap().is_empty());

    // Trusted through add_root_certificate_pem: the handshake completes and the call works.
    let details = client(&url, &[&pki.ca_pem])
        .get_sms_session(SESSION)
        .expect("trusted CA");
    assert_eq!(details.id, SESSION);
    let requests = server.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert!(requests[0].starts_with(&format!("GET /core/api/sessions/{SESSION} ")));
    assert!(
        requests[0].contains(&format!("authorization: {KEY}"))
            || requests[0].contains(&format!("Authorization: {KEY}")),
        "{}",
        requests[0]
    );
}

/// Text holding no certificate would add no root, silently: the core parses a PEM
/// root when the client is built, so the mistake is a config error.
#[test]
fn a_root_certificate_that_is_not_pem_is_a_config_error() {
    for pem in [
        &b"not a certificate"[..],
        b"",
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ] {
        let err = zignsec::Client::builder()
            .ignore_env()
            .api_key(KEY)
            .base_url("https://localhost:1")
            .add_root_certificate_pem(pem.to_vec())
            .build()
            .map(|_| ())
            .expect_err(&String::from_utf8_lossy(pem));
        assert_eq!(err.kind(), ErrorKind::Config, "{err}");
    }
}

#[test]
fn https_to_a_plain_http_server_is_a_connection_error() {
    let gw = gateway();
    let url = gw.url().replace("http://", "https://");
    let err = client(&url, &[]).get_sms_session(SESSION).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert_eq!(gw.total(), 0, "the plain server must not see a request");
}

#[test]
fn http_is_refused_for_non_loopback_hosts_at_build_time() {
    // A listener on a non-loopback address of this machine, if it has one: proves
    // that nothing connects there, not just that build() said no.
    let probe = TcpListener::bind("0.0.0.0:0").unwrap();
    probe.set_nonblocking(true).unwrap();
    let port = probe.local_addr().unwrap().port();
    let mut refused = vec![
        "http://example.com".to_string(),
        "http://gateway.zignsec.com/".to_string(),
        "http://10.0.0.1:8080".to_string(),
        "http://192.168.1.1".to_string(),
        "http://0.0.0.0:1".to_string(),
        "http://localhost.evil.example".to_string(),
        "http://127.0.0.1.nip.io".to_string(),
        "http://[::ffff:10.0.0.1]".to_string(),
        "http://[2001:db8::1]".to_string(),
        "ftp://127.0.0.1".to_string(),
        "file:///etc/passwd".to_string(),
        "ws://127.0.0.1:1".to_string(),
        "https://user:pass@gateway.zignsec.com".to_string(),
        "https://".to_string(),
        "not a url".to_string(),
        String::new(),
    ];
    if let Some(ip) = non_loopback_ip() {
        refused.push(format!("http://{ip}:{port}"));
    }
    for url in &refused {
        let err = zignsec::Client::builder()
            .ignore_env()
            .api_key(KEY)
            .base_url(url.as_str())
            .build()
            .map(|_| ())
            .expect_err(url);
        assert_eq!(err.kind(), ErrorKind::Config, "{url}: {err}");
        assert!(!err.message().contains(KEY), "{url}: {err}");
    }
    assert!(
        probe.accept().is_err(),
        "something connected to the non-loopback listener"
    );

    // Loopback http:// is fine (the mock, local tests).
    let gw = gateway();
    let port = gw.url().rsplit(':').next().unwrap().to_string();
    for host in ["127.0.0.1", "localhost", "127.1.2.3", "[::1]"] {
        let url = format!("http://{host}:{port}");
        zignsec::Client::builder()
            .ignore_env()
            .api_key(KEY)
            .base_url(url.as_str())
            .build()
            .unwrap_or_else(|e| panic!("{url}: {e}"));
    }
}

/// The first non-loopback IPv4 address this machine routes from, if any.
fn non_loopback_ip() -> Option<std::net::IpAddr> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("192.0.2.1:9").ok()?; // TEST-NET-1: nothing is sent by connect()
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// A host that never answers the TCP handshake (TEST-NET-1, RFC 5737): the call
/// still ends by its timeout, a read and a send alike, and the send is not retried
/// into a second attempt past the deadline.
#[test]
fn an_unreachable_host_ends_by_the_timeout() {
    let client = zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .base_url("https://192.0.2.1:9")
        .timeout(Duration::from_millis(1000))
        .connect_timeout(Duration::from_millis(5000))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.get_sms_session(SESSION).unwrap_err();
    let read_ms = started.elapsed().as_millis();
    assert!(
        matches!(err.kind(), ErrorKind::Timeout | ErrorKind::Connection),
        "{err}"
    );
    assert!(read_ms <= 1200, "read took {read_ms} ms: {err}");
    let started = std::time::Instant::now();
    let err = client
        .send_sms(&SendSms::new("+46701234567", "ZignSec", "hi"))
        .unwrap_err();
    let send_ms = started.elapsed().as_millis();
    assert!(
        matches!(err.kind(), ErrorKind::Timeout | ErrorKind::Connection),
        "{err}"
    );
    assert!(send_ms <= 1200, "send took {send_ms} ms: {err}");
    eprintln!(
        "unreachable: read {read_ms} ms, send {send_ms} ms: {} attempts={} maybe_sent={:?}",
        err.kind(),
        err.attempts(),
        err.maybe_sent()
    );
}

/// A recording HTTP proxy: it accepts CONNECT (tunnelling every host to the TLS
/// server on loopback, as a corporate proxy would to the real gateway) and records
/// every byte it is sent in clear text.
struct RecordingProxy {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
}

fn recording_proxy(tunnel_to: u16) -> RecordingProxy {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut client) = stream else { continue };
            let seen = Arc::clone(&seen2);
            std::thread::spawn(move || {
                let _ = client.set_read_timeout(Some(Duration::from_secs(5)));
                let mut head = Vec::new();
                let mut buf = [0u8; 1];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match client.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(_) => head.push(buf[0]),
                    }
                }
                let text = String::from_utf8_lossy(&head).to_string();
                seen.lock().unwrap().push(text.clone());
                if !text.starts_with("CONNECT ") {
                    let _ =
                        client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
                    return;
                }
                let Ok(upstream) = std::net::TcpStream::connect(("127.0.0.1", tunnel_to)) else {
                    return;
                };
                let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                let (mut c_read, mut u_write) =
                    (client.try_clone().unwrap(), upstream.try_clone().unwrap());
                let (mut u_read, mut c_write) = (upstream, client);
                let _ = c_read.set_read_timeout(None);
                let _ = u_read.set_read_timeout(None);
                let up = std::thread::spawn(move || {
                    let _ = std::io::copy(&mut c_read, &mut u_write);
                    let _ = u_write.shutdown(std::net::Shutdown::Write);
                });
                let _ = std::io::copy(&mut u_read, &mut c_write);
                let _ = c_write.shutdown(std::net::Shutdown::Write);
                let _ = up.join();
            });
        }
    });
    RecordingProxy { port, seen }
}

#[test]
fn https_goes_through_a_proxy_only_as_a_connect_tunnel() {
    let pki = make_pki();
    let server = tls_server(&pki);
    let proxy = recording_proxy(server.port);
    let client = zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .base_url(format!("https://gateway.test:{}", server.port))
        .proxy(format!("http://user:proxysecret@127.0.0.1:{}", proxy.port))
        .add_root_certificate_pem(pki.ca_pem.clone())
        .max_retries(0)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("proxysecret"));
    let details = client.get_sms_session(SESSION).unwrap();
    assert_eq!(details.id, SESSION);
    let seen = proxy.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "one tunnel: {seen:?}");
    assert!(
        seen[0].starts_with(&format!("CONNECT gateway.test:{} HTTP/1.1", server.port)),
        "{seen:?}"
    );
    assert!(!seen[0].contains(KEY), "the proxy saw the key: {seen:?}");
    // The request itself went through the tunnel, encrypted.
    assert!(server.requests.lock().unwrap()[0].contains(&format!("/core/api/sessions/{SESSION}")));
}

#[test]
fn a_loopback_base_url_never_uses_a_proxy() {
    let gw = gateway();
    let proxy = recording_proxy(1);
    for base in [
        gw.server.url(),
        gw.server.url().replace("127.0.0.1", "localhost"),
    ] {
        let client = zignsec::Client::builder()
            .ignore_env()
            .api_key(KEY)
            .base_url(base)
            .proxy(format!("http://127.0.0.1:{}", proxy.port))
            .max_retries(0)
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let err = client.get_sms_session(SESSION).unwrap_err();
        assert_eq!(err.kind(), zignsec::ErrorKind::NotFound, "{err}");
    }
    assert!(proxy.seen.lock().unwrap().is_empty());
}

#[test]
fn a_proxy_that_is_not_a_url_is_a_config_error() {
    for bad in ["socks5://127.0.0.1:1080", "http://", "ftp://p:1"] {
        let err = zignsec::Client::builder()
            .ignore_env()
            .api_key(KEY)
            .proxy(bad)
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), zignsec::ErrorKind::Config, "{bad}: {err}");
    }
}

/// The async client's wire: the same verification, the same tunnel.
#[test]
fn the_async_client_verifies_tls_and_tunnels_through_a_proxy_too() {
    let pki = make_pki();
    let server = tls_server(&pki);
    let proxy = recording_proxy(server.port);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let build = |base: String, roots: &[&[u8]], proxy: Option<String>| {
        let mut b = builder(&base, roots);
        if let Some(p) = proxy {
            b = b.proxy(p);
        }
        b.build_async().unwrap()
    };
    let url = format!("https://localhost:{}", server.port);
    runtime.block_on(async {
        let untrusted = build(url.clone(), &[], None);
        let err = untrusted.get_sms_session(SESSION).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connection, "untrusted CA: {err}");
        let err = untrusted
            .send_sms(&SendSms::new("+46701234567", "ZignSec", "hi"))
            .await
            .unwrap_err();
        assert_eq!(err.maybe_sent(), Some(false), "{err}");
        let by_ip = build(
            format!("https://127.0.0.1:{}", server.port),
            &[&pki.ca_pem],
            None,
        );
        let err = by_ip.get_sms_session(SESSION).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connection, "wrong host name: {err}");
        assert!(server.requests.lock().unwrap().is_empty());

        let trusted = build(url.clone(), &[&pki.ca_pem], None);
        for _ in 0..2 {
            // The server closes after each answer: the second call sees it and
            // opens a fresh connection.
            assert_eq!(trusted.get_sms_session(SESSION).await.unwrap().id, SESSION);
        }
        assert_eq!(server.requests.lock().unwrap().len(), 2);

        let tunnelled = build(
            format!("https://gateway.test:{}", server.port),
            &[&pki.ca_pem],
            Some(format!("http://user:proxysecret@127.0.0.1:{}", proxy.port)),
        );
        assert_eq!(
            tunnelled.get_sms_session(SESSION).await.unwrap().id,
            SESSION
        );
    });
    let seen = proxy.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "one tunnel: {seen:?}");
    assert!(
        seen[0].starts_with(&format!("CONNECT gateway.test:{} HTTP/1.1", server.port)),
        "{seen:?}"
    );
    assert!(seen[0].contains("proxy-authorization: Basic "), "{seen:?}");
    assert!(!seen[0].contains(KEY), "the proxy saw the key: {seen:?}");
}
