//! HTTP/1.1 as bytes, with no I/O: what both wires share. The request a call
//! writes, the answer read back from whatever bytes a connection delivers, the
//! CONNECT tunnel's exchange, and what a failure in each phase of an attempt says
//! about whether the request left. (Their idle connections: `pool.rs`.)
//!
//! The blocking wire feeds these from the calling thread's socket, the async wire
//! from a tokio socket; neither knows HTTP beyond calling them.

use std::io;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::header::{HeaderName, HeaderValue};
use http::Method;
use rustls::pki_types::ServerName;
use url::{Host, Url};

use crate::config::Settings;
use crate::error::{Error, ErrorKind, Result};
use crate::retry::parse_retry_after;
use crate::transport::{root_certificates, Answer, Body, TransportFailure, MAX_RESPONSE_BYTES};

/// A response head (status line and headers) larger than this is refused.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Headers read from one response head.
const MAX_HEADERS: usize = 64;
/// First size of a connection's read buffer (it grows for a large answer).
const READ_BUFFER: usize = 8 * 1024;
/// A chunk-size or trailer line longer than this is refused.
const MAX_LINE_BYTES: usize = 4096;

/// Where a connection goes first: the gateway, or the proxy tunnelling to it.
pub(crate) struct Endpoint {
    pub(crate) url: Url,
    /// For `https://`: the TLS settings and the name the certificate must carry.
    pub(crate) tls: Option<(Arc<rustls::ClientConfig>, ServerName<'static>)>,
}

/// One attempt's request, as the call loop hands it to a wire.
pub(crate) struct Outgoing<'a> {
    /// The auth header and the key in it.
    pub(crate) key: (&'a HeaderName, &'a HeaderValue),
    pub(crate) method: &'a Method,
    /// The path (and query) the request line carries.
    pub(crate) target: &'a str,
    pub(crate) body: Option<&'a Body>,
    pub(crate) csrf_token: Option<&'a str>,
}

/// Where a client's connections go and the head lines every request carries.
pub(crate) struct Route {
    pub(crate) gateway: Endpoint,
    /// A CONNECT proxy in front of the gateway, and its `Proxy-Authorization`.
    pub(crate) proxy: Option<(Endpoint, Option<String>)>,
    pub(crate) connect_timeout: Duration,
    /// `host`, `user-agent`, `accept`.
    fixed_head: String,
}

impl Route {
    pub(crate) fn new(settings: &Settings) -> Result<Route> {
        let base = &settings.base_url;
        let needs_tls = base.scheme() == "https"
            || settings
                .proxy
                .as_ref()
                .is_some_and(|p| p.scheme() == "https");
        let tls = if needs_tls {
            Some(tls_config(settings)?)
        } else {
            None
        };
        let gateway = endpoint(base, tls.as_ref())?;
        let proxy = match &settings.proxy {
            Some(url) => Some((endpoint(url, tls.as_ref())?, basic_auth(url))),
            None => None,
        };
        HeaderValue::from_str(&settings.user_agent)
            .map_err(|_| Error::config("the user agent is not a valid header value"))?;
        let fixed_head = format!(
            "host: {}\r\nuser-agent: {}\r\naccept: application/json\r\n",
            authority(base, false),
            settings.user_agent
        );
        Ok(Route {
            gateway,
            proxy,
            connect_timeout: settings.connect_timeout,
            fixed_head,
        })
    }

    /// The endpoint the TCP connection goes to: the proxy if there is one.
    pub(crate) fn first_hop(&self) -> &Endpoint {
        self.proxy.as_ref().map_or(&self.gateway, |(p, _)| p)
    }

    /// The CONNECT request asking the proxy for a tunnel to the gateway.
    pub(crate) fn connect_request(&self, authorization: Option<&str>) -> String {
        let target = authority(&self.gateway.url, true);
        let mut request = format!("CONNECT {target} HTTP/1.1\r\nhost: {target}\r\n");
        if let Some(value) = authorization {
            request.push_str(&format!("proxy-authorization: {value}\r\n"));
        }
        request.push_str("\r\n");
        request
    }

    /// The request's bytes: head and body in one buffer, written at once.
    pub(crate) fn request(&self, out: &Outgoing<'_>) -> Vec<u8> {
        let Outgoing {
            key,
            method,
            target,
            body,
            csrf_token,
        } = *out;
        let body_len = body.map_or(0, |b| b.0.len());
        let mut out = Vec::with_capacity(256 + self.fixed_head.len() + body_len);
        out.extend_from_slice(method.as_str().as_bytes());
        out.push(b' ');
        out.extend_from_slice(target.as_bytes());
        out.extend_from_slice(b" HTTP/1.1\r\n");
        out.extend_from_slice(self.fixed_head.as_bytes());
        out.extend_from_slice(key.0.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(key.1.as_bytes());
        out.extend_from_slice(b"\r\n");
        if let Some(token) = csrf_token {
            // Checked before the call (`validate::csrf_token`: visible ASCII only), so
            // it cannot end the header line.
            out.extend_from_slice(b"x-csrf-token: ");
            out.extend_from_slice(token.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        if let Some(body) = body {
            out.extend_from_slice(b"content-type: application/json\r\ncontent-length: ");
            out.extend_from_slice(body_len.to_string().as_bytes());
            out.extend_from_slice(b"\r\n\r\n");
            out.extend_from_slice(&body.0);
        } else {
            out.extend_from_slice(b"\r\n");
        }
        out
    }
}

/// The proxy's answer to CONNECT so far: `Ok(true)` once a 2xx head is complete
/// (and nothing after it), `Ok(false)` while more is needed.
pub(crate) fn tunnel_answer(bytes: &[u8]) -> io::Result<bool> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut resp = httparse::Response::new(&mut headers);
    match resp.parse(bytes) {
        Ok(httparse::Status::Complete(len)) => {
            let status = resp.code.unwrap_or(0);
            if !(200..300).contains(&status) || len != bytes.len() {
                return Err(invalid(&format!(
                    "the proxy refused the tunnel with status {status}"
                )));
            }
            Ok(true)
        }
        Ok(httparse::Status::Partial) if bytes.len() < MAX_HEAD_BYTES => Ok(false),
        _ => Err(invalid("the proxy's answer to CONNECT is not HTTP")),
    }
}

/// The proxy closed the connection before the tunnel was open.
pub(crate) fn tunnel_closed() -> io::Error {
    invalid("the proxy closed the connection during CONNECT")
}

fn endpoint(url: &Url, tls: Option<&Arc<rustls::ClientConfig>>) -> Result<Endpoint> {
    let tls = match (url.scheme(), tls) {
        ("https", Some(config)) => {
            let name = match url.host() {
                Some(Host::Domain(d)) => ServerName::try_from(d.to_string())
                    .map_err(|_| Error::config("the host is not a valid TLS server name"))?,
                Some(Host::Ipv4(ip)) => ServerName::IpAddress(std::net::IpAddr::V4(ip).into()),
                Some(Host::Ipv6(ip)) => ServerName::IpAddress(std::net::IpAddr::V6(ip).into()),
                None => return Err(Error::config("the URL names no host")),
            };
            Some((Arc::clone(config), name))
        }
        _ => None,
    };
    Ok(Endpoint {
        url: url.clone(),
        tls,
    })
}

/// `host[:port]` for a Host header or a CONNECT line (the port only when not the
/// scheme's default, as browsers and curl send it).
fn authority(url: &Url, with_port: bool) -> String {
    let host = url.host_str().unwrap_or_default();
    match (url.port(), with_port) {
        (Some(p), _) => format!("{host}:{p}"),
        (None, true) => format!("{host}:{}", url.port_or_known_default().unwrap_or(443)),
        (None, false) => host.to_string(),
    }
}

fn tls_config(settings: &Settings) -> Result<Arc<rustls::ClientConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = root_certificates(settings)?;
    let verifier = if roots.is_empty() {
        rustls_platform_verifier::Verifier::new(Arc::clone(&provider))
    } else {
        rustls_platform_verifier::Verifier::new_with_extra_roots(roots, Arc::clone(&provider))
    }
    .map_err(|e| Error::config(format!("could not load the TLS roots: {e}")))?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::config(format!("could not set up TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn basic_auth(url: &Url) -> Option<String> {
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let mut pair = percent_decoded(url.username());
    pair.push(b':');
    pair.extend(percent_decoded(url.password().unwrap_or("")));
    Some(format!("Basic {}", base64(&pair)))
}

/// A URL's userinfo as the bytes it stands for (`%40` is `@`).
fn percent_decoded(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Why an I/O step of an attempt ended without its result.
pub(crate) enum Stop {
    /// The call's deadline passed.
    Deadline,
    /// The caller's check said stop.
    Interrupted,
    Io(io::Error),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Stop {
        Stop::Io(e)
    }
}

/// Which part of the attempt a failure happened in: it decides whether the
/// request can have reached the gateway.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Phase {
    /// DNS, TCP, proxy CONNECT, TLS handshake: nothing of the request was written.
    Connect,
    /// Writing the request; `true` once any of it was handed to the kernel.
    Write(bool),
    /// The request is out; reading the answer.
    Read,
}

/// The failure of an attempt that stopped in `phase`.
pub(crate) fn failure(phase: Phase, stop: Stop, timeout: Duration) -> TransportFailure {
    let never_left = matches!(phase, Phase::Connect | Phase::Write(false));
    match stop {
        Stop::Deadline => TransportFailure {
            kind: ErrorKind::Timeout,
            never_left,
            message: format!(
                "no answer within the call's timeout of {} ms",
                timeout.as_millis()
            ),
            source: None,
        },
        Stop::Interrupted => TransportFailure {
            kind: ErrorKind::Connection,
            never_left,
            message: "the call was stopped by its caller".to_string(),
            source: None,
        },
        Stop::Io(e) => {
            let prefix = match phase {
                Phase::Connect => "could not connect to the gateway",
                Phase::Write(_) | Phase::Read => "the connection failed",
            };
            let kind = if phase == Phase::Connect || e.kind() != io::ErrorKind::TimedOut {
                ErrorKind::Connection
            } else {
                ErrorKind::Timeout
            };
            TransportFailure {
                kind,
                never_left,
                message: format!("{prefix}: {e}"),
                source: Some(Arc::new(e)),
            }
        }
    }
}

/// What the head of an answer says.
pub(crate) struct Head {
    status: u16,
    pub(crate) keep_alive: bool,
    framing: Framing,
    request_id: Option<String>,
    retry_after: Option<String>,
    content_type: Option<String>,
    /// Bytes of the buffer the head took.
    len: usize,
}

enum Framing {
    Empty,
    Length(usize),
    Chunked,
    UntilClose,
}

/// The connection ended before the answer did.
fn cut_short() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the gateway closed the connection in the middle of its answer",
    )
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

fn parse_head(bytes: &[u8], bodiless: bool) -> io::Result<Option<Head>> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut resp = httparse::Response::new(&mut headers);
    let len = match resp.parse(bytes) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(invalid(&format!("the answer is not HTTP/1.1: {e}"))),
    };
    let status = resp.code.unwrap_or(0);
    let mut head = Head {
        status,
        keep_alive: resp.version == Some(1),
        framing: Framing::UntilClose,
        request_id: None,
        retry_after: None,
        content_type: None,
        len,
    };
    let text = |v: &[u8]| std::str::from_utf8(v).ok().map(|s| s.trim().to_string());
    let mut length: Option<usize> = None;
    let mut chunked = false;
    for h in resp.headers.iter() {
        let name = h.name;
        if name.eq_ignore_ascii_case("content-length") {
            let n = text(h.value)
                .and_then(|s| s.parse::<usize>().ok())
                .ok_or_else(|| invalid("the answer's content-length is not a number"))?;
            if length.is_some_and(|l| l != n) {
                return Err(invalid("the answer has two content-lengths"));
            }
            length = Some(n);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = text(h.value).is_some_and(|v| {
                v.rsplit(',')
                    .next()
                    .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"))
            });
        } else if name.eq_ignore_ascii_case("connection") {
            if text(h.value)
                .is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close")))
            {
                head.keep_alive = false;
            }
        } else if name.eq_ignore_ascii_case("x-request-id") {
            head.request_id = text(h.value);
        } else if name.eq_ignore_ascii_case("retry-after") {
            head.retry_after = text(h.value);
        } else if name.eq_ignore_ascii_case("content-type") {
            head.content_type = text(h.value);
        }
    }
    head.framing = if bodiless || matches!(status, 100..=199 | 204 | 304) {
        Framing::Empty
    } else if chunked {
        Framing::Chunked
    } else if let Some(n) = length {
        Framing::Length(n)
    } else {
        head.keep_alive = false;
        Framing::UntilClose
    };
    Ok(Some(head))
}

/// The answer's body as far as the cap, and whether the connection can be reused.
pub(crate) struct ReadBody {
    body: Vec<u8>,
    oversized: bool,
    pub(crate) reusable: bool,
}

/// The attempt's answer from its head and body.
pub(crate) fn answer(head: Head, read: ReadBody) -> Answer {
    Answer {
        status: head.status,
        request_id: head.request_id,
        retry_after: head
            .retry_after
            .and_then(|v| parse_retry_after(&v, SystemTime::now())),
        content_type: head.content_type,
        body: read.body,
        oversized: read.oversized,
    }
}

/// Where in the answer the reader is.
#[derive(Clone, Copy)]
enum Part {
    Head,
    Length(usize),
    UntilClose,
    ChunkSize,
    ChunkData(usize),
    /// The CRLF after a chunk's data.
    ChunkEnd,
    Trailers,
}

/// Reads one answer from the bytes its connection delivers, in any pieces: the
/// wire reads into [`AnswerReader::spare`] and reports how many bytes came with
/// [`AnswerReader::filled`] (0 for the end of the connection) until the answer
/// is whole.
pub(crate) struct AnswerReader {
    /// The connection's read buffer, lent for this answer.
    buf: Vec<u8>,
    /// Bytes of `buf` holding data, and where the unread part of them starts.
    filled: usize,
    pos: usize,
    bodiless: bool,
    part: Part,
    head: Option<Head>,
    body: Vec<u8>,
}

/// A finished answer: its head and body.
pub(crate) type Whole = (Head, ReadBody);

impl AnswerReader {
    /// A reader for the answer to a request with `method`, using `buf` (the
    /// connection's buffer, given back by [`AnswerReader::into_buffer`]).
    pub(crate) fn new(buf: Vec<u8>, method: &Method) -> AnswerReader {
        AnswerReader {
            buf,
            filled: 0,
            pos: 0,
            bodiless: *method == Method::HEAD,
            part: Part::Head,
            head: None,
            body: Vec::new(),
        }
    }

    /// Where the next read goes (the buffer grows when full).
    pub(crate) fn spare(&mut self) -> &mut [u8] {
        if self.filled == self.buf.len() {
            let grown = (self.buf.len() * 2).max(READ_BUFFER);
            self.buf.resize(grown, 0);
        }
        &mut self.buf[self.filled..]
    }

    /// `n` bytes were read into [`AnswerReader::spare`] (0: the connection
    /// ended): the whole answer once it is, `None` while more is needed.
    pub(crate) fn filled(&mut self, n: usize) -> io::Result<Option<Whole>> {
        self.filled += n;
        let done = self.advance(n == 0)?;
        if done.is_none() && self.pos > 0 {
            // Keep the buffer from growing with the answer: what is read is moved out.
            self.buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.pos = 0;
        }
        Ok(done)
    }

    /// The connection's buffer, to keep for its next answer.
    pub(crate) fn into_buffer(self) -> Vec<u8> {
        self.buf
    }

    fn unread(&self) -> &[u8] {
        &self.buf[self.pos..self.filled]
    }

    /// Read what the buffer holds; `ended`: no more will come.
    fn advance(&mut self, ended: bool) -> io::Result<Option<Whole>> {
        loop {
            match self.part {
                Part::Head => {
                    let Some(head) = (if self.unread().is_empty() {
                        None
                    } else {
                        parse_head(self.unread(), self.bodiless)?
                    }) else {
                        if self.unread().len() >= MAX_HEAD_BYTES {
                            return Err(invalid("the answer's head is too large"));
                        }
                        if ended {
                            return Err(if self.unread().is_empty() {
                                io::Error::new(
                                    io::ErrorKind::UnexpectedEof,
                                    "the gateway closed the connection without answering",
                                )
                            } else {
                                cut_short()
                            });
                        }
                        return Ok(None);
                    };
                    self.pos += head.len;
                    if (100..200).contains(&head.status) && head.status != 101 {
                        // An interim answer (100 Continue): the real one follows.
                        continue;
                    }
                    self.part = match head.framing {
                        Framing::Empty => {
                            let reusable = self.unread().is_empty();
                            return Ok(Some(self.finish(head, false, reusable)));
                        }
                        Framing::Length(n) if n > MAX_RESPONSE_BYTES => {
                            // Refused unread: the connection goes with it.
                            let keep = self.unread().len().min(MAX_RESPONSE_BYTES);
                            self.body = self.buf[self.pos..self.pos + keep].to_vec();
                            return Ok(Some(self.finish(head, true, false)));
                        }
                        Framing::Length(n) => {
                            self.body.reserve_exact(n);
                            Part::Length(n)
                        }
                        Framing::Chunked => Part::ChunkSize,
                        Framing::UntilClose => Part::UntilClose,
                    };
                    self.head = Some(head);
                }
                Part::Length(n) => {
                    let take = (n - self.body.len()).min(self.unread().len());
                    self.take_body(take);
                    if self.body.len() == n {
                        // Bytes after the body: not an answer to anything we sent.
                        let reusable = self.unread().is_empty();
                        return Ok(self.finish_read(false, reusable));
                    }
                    if ended {
                        return Err(cut_short());
                    }
                    return Ok(None);
                }
                Part::UntilClose => {
                    self.take_body(self.unread().len());
                    if self.body.len() > MAX_RESPONSE_BYTES {
                        self.body.truncate(MAX_RESPONSE_BYTES);
                        return Ok(self.finish_read(true, false));
                    }
                    if ended {
                        return Ok(self.finish_read(false, false));
                    }
                    return Ok(None);
                }
                Part::ChunkSize => {
                    let Some(end) = self.line(ended)? else {
                        return Ok(None);
                    };
                    let size = std::str::from_utf8(&self.buf[self.pos..end])
                        .ok()
                        .and_then(|l| l.split(';').next())
                        .map(str::trim)
                        .and_then(|s| usize::from_str_radix(s, 16).ok())
                        .ok_or_else(|| invalid("a chunk size of the answer is not hex"))?;
                    self.pos = self.next_line(end);
                    self.part = if size == 0 {
                        Part::Trailers
                    } else if size > MAX_RESPONSE_BYTES - self.body.len() {
                        // (Subtracted, not added: a size near usize::MAX must not wrap.)
                        return Ok(self.finish_read(true, false));
                    } else {
                        Part::ChunkData(size)
                    };
                }
                Part::ChunkData(left) => {
                    let take = left.min(self.unread().len());
                    self.take_body(take);
                    if take < left {
                        if ended {
                            return Err(cut_short());
                        }
                        self.part = Part::ChunkData(left - take);
                        return Ok(None);
                    }
                    self.part = Part::ChunkEnd;
                }
                Part::ChunkEnd => {
                    let Some(end) = self.line(ended)? else {
                        return Ok(None);
                    };
                    if end != self.pos {
                        return Err(invalid("a chunk of the answer is longer than its size"));
                    }
                    self.pos = self.next_line(end);
                    self.part = Part::ChunkSize;
                }
                Part::Trailers => {
                    let Some(end) = self.line(ended)? else {
                        return Ok(None);
                    };
                    let empty = end == self.pos;
                    self.pos = self.next_line(end);
                    if empty {
                        let reusable = self.unread().is_empty();
                        return Ok(self.finish_read(false, reusable));
                    }
                }
            }
        }
    }

    fn take_body(&mut self, n: usize) {
        self.body
            .extend_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
    }

    /// The end (before its CRLF or LF) of the line starting at `pos`, once whole.
    fn line(&self, ended: bool) -> io::Result<Option<usize>> {
        match self.unread().iter().position(|&b| b == b'\n') {
            Some(i) => {
                let end = self.pos + i;
                Ok(Some(if end > self.pos && self.buf[end - 1] == b'\r' {
                    end - 1
                } else {
                    end
                }))
            }
            None if self.unread().len() > MAX_LINE_BYTES => {
                Err(invalid("a chunk line of the answer is too long"))
            }
            None if ended => Err(cut_short()),
            None => Ok(None),
        }
    }

    /// Where the line after one ending at `end` starts.
    fn next_line(&self, end: usize) -> usize {
        if self.buf.get(end) == Some(&b'\r') {
            end + 2
        } else {
            end + 1
        }
    }

    fn finish_read(&mut self, oversized: bool, reusable: bool) -> Option<Whole> {
        let head = self.head.take()?;
        Some(self.finish(head, oversized, reusable))
    }

    fn finish(&mut self, head: Head, oversized: bool, reusable: bool) -> Whole {
        let body = ReadBody {
            body: std::mem::take(&mut self.body),
            oversized,
            reusable,
        };
        (head, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }

    #[test]
    fn proxy_credentials_are_percent_decoded_before_encoding() {
        let url = Url::parse("http://us%40er:p%3Ass@proxy.example:3128").expect("url");
        assert_eq!(
            basic_auth(&url).as_deref(),
            Some(format!("Basic {}", base64(b"us@er:p:ss")).as_str())
        );
        assert_eq!(
            basic_auth(&Url::parse("http://proxy.example:3128").expect("url")),
            None
        );
    }

    fn head(text: &str) -> Head {
        match parse_head(text.as_bytes(), false) {
            Ok(Some(h)) => h,
            _ => panic!("no head in {text:?}"),
        }
    }

    #[test]
    fn framing_and_keep_alive_follow_the_head() {
        let h = head("HTTP/1.1 200 OK\r\nContent-Length: 12\r\nX-Request-Id: r1\r\n\r\n");
        assert!(matches!(h.framing, Framing::Length(12)));
        assert!(h.keep_alive);
        assert_eq!(h.request_id.as_deref(), Some("r1"));
        let h = head("HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\n");
        assert!(matches!(h.framing, Framing::Chunked));
        let h = head("HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 1\r\n\r\n");
        assert!(!h.keep_alive);
        let h = head("HTTP/1.0 200 OK\r\ncontent-length: 1\r\n\r\n");
        assert!(!h.keep_alive);
        let h = head("HTTP/1.1 200 OK\r\n\r\n");
        assert!(matches!(h.framing, Framing::UntilClose));
        assert!(!h.keep_alive);
        let h = head("HTTP/1.1 204 No Content\r\n\r\n");
        assert!(matches!(h.framing, Framing::Empty));
        assert!(
            parse_head(b"HTTP/1.1 200 OK\r\ncontent-length: 1\r\n", false)
                .is_ok_and(|h| h.is_none())
        );
        assert!(parse_head(
            b"HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\n",
            false
        )
        .is_err());
        assert!(parse_head(b"SSH-2.0-OpenSSH\r\n\r\n", false).is_err());
    }

    /// Feed `bytes` to a reader in pieces of `piece` bytes, then the end.
    fn read_in_pieces(bytes: &[u8], piece: usize) -> io::Result<Whole> {
        let mut reader = AnswerReader::new(Vec::new(), &Method::GET);
        let mut at = 0;
        loop {
            let spare = reader.spare();
            let n = piece.min(spare.len()).min(bytes.len() - at);
            spare[..n].copy_from_slice(&bytes[at..at + n]);
            at += n;
            if let Some(whole) = reader.filled(n)? {
                return Ok(whole);
            }
        }
    }

    #[test]
    fn an_answer_is_the_same_whatever_pieces_it_comes_in() {
        let answers: [(&str, &[u8], bool); 4] = [
            (
                "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello",
                b"hello",
                true,
            ),
            (
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi",
                b"hi",
                true,
            ),
            (
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nt: 1\r\n\r\n",
                b"abcde",
                true,
            ),
            ("HTTP/1.0 200 OK\r\n\r\nto the end", b"to the end", false),
        ];
        for (text, body, reusable) in answers {
            for piece in [1, 2, 7, 4096] {
                let (head, read) = read_in_pieces(text.as_bytes(), piece).expect(text);
                assert_eq!(head.status, 200, "{text:?} in pieces of {piece}");
                assert_eq!(read.body, body, "{text:?} in pieces of {piece}");
                assert_eq!(read.reusable, reusable, "{text:?} in pieces of {piece}");
                assert!(!read.oversized);
            }
        }
        // Bytes after the answer, read with it: no request of ours is waiting for
        // them, so the connection is not reused. (Read later, the idle check sees them.)
        let (_, read) =
            read_in_pieces(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhiEXTRA", 4096)
                .expect("answer");
        assert_eq!(read.body, b"hi");
        assert!(!read.reusable);
    }

    #[test]
    fn an_answer_cut_short_or_malformed_is_an_error() {
        for text in [
            "",
            "HTTP/1.1 200 OK\r\ncontent-le",
            "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhel",
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nab",
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\nabc\r\n0\r\n\r\n",
        ] {
            for piece in [1, 4096] {
                assert!(read_in_pieces(text.as_bytes(), piece).is_err(), "{text:?}");
            }
        }
    }

    /// What a read comes to, without `reusable` (that one depends on whether
    /// bytes after the answer came with it).
    fn outcome(got: io::Result<Whole>) -> std::result::Result<(u16, Vec<u8>, bool), String> {
        got.map(|(head, read)| (head.status, read.body, read.oversized))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn any_bytes_in_any_pieces_read_the_same_and_never_panic() {
        use rand::{Rng, SeedableRng};
        let seeds: [&[u8]; 5] = [
            b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nx-request-id: r\r\n\r\nhello",
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\nhi",
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nt: 1\r\n\r\n",
            b"HTTP/1.0 200 OK\r\n\r\nto the end",
            b"HTTP/1.1 204 No Content\r\n\r\n",
        ];
        let mut rng = rand::rngs::StdRng::seed_from_u64(0x2f5);
        for _ in 0..5000 {
            let mut bytes = seeds[rng.random_range(0..seeds.len())].to_vec();
            for _ in 0..rng.random_range(0..4) {
                let at = rng.random_range(0..=bytes.len());
                let byte = *b"\r\n:;0aF \x00\xff"
                    .get(rng.random_range(0..11))
                    .unwrap_or(&b'x');
                match rng.random_range(0..3) {
                    0 if at < bytes.len() => bytes[at] = byte,
                    1 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => bytes.insert(at, byte),
                }
            }
            let whole = outcome(read_in_pieces(&bytes, 4096));
            let piece = rng.random_range(1..9);
            assert_eq!(
                outcome(read_in_pieces(&bytes, piece)),
                whole,
                "{:?} in pieces of {piece}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }

    #[test]
    fn a_body_over_the_cap_is_cut_at_it() {
        let big = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n",
            MAX_RESPONSE_BYTES + 1
        );
        let (_, read) = read_in_pieces(big.as_bytes(), 4096).expect("head");
        assert!(read.oversized && !read.reusable);
        let mut until_close = b"HTTP/1.0 200 OK\r\n\r\n".to_vec();
        until_close.resize(until_close.len() + MAX_RESPONSE_BYTES + 10, b'x');
        let (_, read) = read_in_pieces(&until_close, 65536).expect("answer");
        assert!(read.oversized && !read.reusable);
        assert_eq!(read.body.len(), MAX_RESPONSE_BYTES);
        // A chunk size that would wrap the body's length past the cap.
        let wrapping =
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\na\r\nffffffffffffffff\r\n";
        let (_, read) = read_in_pieces(wrapping, 4096).expect("answer");
        assert!(read.oversized && !read.reusable);
    }
}
