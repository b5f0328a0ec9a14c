//! One attempt on the wire for the blocking client: HTTP/1.1 on the calling
//! thread's own socket, and a pool of idle keep-alive connections. No runtime and
//! no other thread: a call is a write and a read by the thread that makes it, so
//! 64 threads make 64 calls at once on 64 connections.
//!
//! A pooled connection is looked at before reuse without blocking: a close by the
//! gateway while it was idle (a FIN waiting unread) is seen there, and the request
//! goes out once, on a fresh connection, instead of failing with `maybe_sent`.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;
use rustls::pki_types::ServerName;
use url::{Host, Url};

use crate::config::Settings;
use crate::error::{Error, ErrorKind, Result};
use crate::interrupt;
use crate::retry::parse_retry_after;
use crate::transport::{
    root_certificates, Answer, Attempt, Body, TransportFailure, MAX_RESPONSE_BYTES,
    POOL_IDLE_TIMEOUT,
};

/// Idle connections kept at most (the oldest goes first).
const MAX_IDLE: usize = 256;
/// A response head (status line and headers) larger than this is refused.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Headers read from one response head.
const MAX_HEADERS: usize = 64;
/// First size of a connection's read buffer (it grows for a large answer).
const READ_BUFFER: usize = 8 * 1024;

/// Where a connection goes first: the gateway, or the proxy tunnelling to it.
struct Endpoint {
    url: Url,
    /// For `https://`: the TLS settings and the name the certificate must carry.
    tls: Option<(Arc<rustls::ClientConfig>, ServerName<'static>)>,
}

/// The blocking client's connections and what it needs to open one.
pub(crate) struct Pool {
    gateway: Endpoint,
    /// A CONNECT proxy in front of the gateway, and its `Proxy-Authorization`.
    proxy: Option<(Endpoint, Option<String>)>,
    connect_timeout: Duration,
    /// The head lines every request carries (`host`, `user-agent`, `accept`).
    fixed_head: String,
    /// Most recently used last.
    idle: Mutex<Vec<Idle>>,
}

struct Idle {
    conn: Conn,
    since: Instant,
}

enum Stream {
    Tcp(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, Stream>>),
}

impl Stream {
    /// The socket under any TLS layers: timeouts and the idle check act on it.
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Tcp(s) => s,
            Stream::Tls(t) => t.sock.tcp(),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.read(buf),
            Stream::Tls(t) => t.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.write(buf),
            Stream::Tls(t) => t.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => s.flush(),
            Stream::Tls(t) => t.flush(),
        }
    }
}

/// An open connection, its read buffer, and the socket timeouts last set on it.
struct Conn {
    stream: Stream,
    buf: Vec<u8>,
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
}

/// Why an I/O step ended without its result.
enum Stop {
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
enum Phase {
    /// DNS, TCP, proxy CONNECT, TLS handshake: nothing of the request was written.
    Connect,
    /// Writing the request; `true` once any of it was handed to the kernel.
    Write(bool),
    /// The request is out; reading the answer.
    Read,
}

fn failure(phase: Phase, stop: Stop, timeout: Duration) -> TransportFailure {
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

/// A timeout to set on the socket for a wait with `remaining` left: at most the
/// check's slice, and at most `remaining`, but kept when the one already set still
/// ends in time, so a call in the steady state sets none (half of what is left is
/// set, so the next calls find it short enough).
fn timeout_to_set(current: Option<Duration>, remaining: Duration) -> Option<Duration> {
    let limit = interrupt::slice(remaining);
    match current {
        Some(set) if set <= limit && set >= limit / 4 => None,
        _ if limit <= Duration::from_millis(2) => Some(limit),
        _ if limit < remaining => Some(limit),
        _ => Some(limit / 2),
    }
}

/// Retry `op` on `io` across socket timeouts until it succeeds, the deadline
/// passes or the caller's check says stop; `tcp` names the socket under `io`.
fn until<S, T>(
    io: &mut S,
    tcp: fn(&S) -> &TcpStream,
    set: &mut Option<Duration>,
    writing: bool,
    deadline: Instant,
    mut op: impl FnMut(&mut S) -> io::Result<T>,
) -> std::result::Result<T, Stop> {
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(Stop::Deadline);
        }
        if interrupt::fired() {
            return Err(Stop::Interrupted);
        }
        if let Some(t) = timeout_to_set(*set, remaining) {
            if writing {
                tcp(io).set_write_timeout(Some(t))?;
            } else {
                tcp(io).set_read_timeout(Some(t))?;
            }
            *set = Some(t);
        }
        match op(io) {
            Ok(v) => return Ok(v),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if interrupt::asked() {
                    return Err(Stop::Interrupted);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Stop::Io(e)),
        }
    }
}

impl Conn {
    fn new(stream: Stream) -> Conn {
        Conn {
            stream,
            buf: Vec::new(),
            read_timeout: None,
            write_timeout: None,
        }
    }

    fn read_some(&mut self, at: usize, deadline: Instant) -> std::result::Result<usize, Stop> {
        let Conn {
            stream,
            buf,
            read_timeout,
            ..
        } = self;
        if buf.len() == at {
            let grown = (buf.len() * 2).max(READ_BUFFER);
            buf.resize(grown, 0);
        }
        until(stream, Stream::tcp, read_timeout, false, deadline, |s| {
            match s.read(&mut buf[at..]) {
                // A TLS peer that closes without close_notify: an end all the same.
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(0),
                other => other,
            }
        })
    }

    fn write_all(
        &mut self,
        bytes: &[u8],
        deadline: Instant,
    ) -> std::result::Result<(), (bool, Stop)> {
        let Conn {
            stream,
            write_timeout,
            ..
        } = self;
        let mut written = 0;
        while written < bytes.len() {
            let n = until(stream, Stream::tcp, write_timeout, true, deadline, |s| {
                s.write(&bytes[written..])
            })
            .map_err(|stop| (written > 0, stop))?;
            if n == 0 {
                return Err((written > 0, Stop::Io(io::ErrorKind::WriteZero.into())));
            }
            written += n;
        }
        until(stream, Stream::tcp, write_timeout, true, deadline, |s| {
            s.flush()
        })
        .map_err(|stop| (true, stop))
    }

    /// Whether an idle connection can carry a request: the gateway has not closed
    /// it and sent nothing on it. Never blocks.
    fn usable(&mut self) -> bool {
        let mut probe = [0u8; 1];
        match peek_now(self.stream.tcp(), &mut probe) {
            // Nothing waiting: open and quiet.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => true,
            // Bytes waiting on TLS may be the server's session tickets, read here.
            Ok(n) if n > 0 => matches!(self.stream, Stream::Tls(_)) && self.drain_tls(),
            // 0: closed by the gateway; an error: reset.
            _ => false,
        }
    }

    /// Read what TLS bytes wait on an idle connection without blocking: usable
    /// when they held no data and no close.
    fn drain_tls(&mut self) -> bool {
        let tcp = self.stream.tcp();
        if tcp.set_nonblocking(true).is_err() {
            return false;
        }
        let mut probe = [0u8; 1];
        let quiet = matches!(
            self.stream.read(&mut probe),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock
        );
        self.stream.tcp().set_nonblocking(false).is_ok() && quiet
    }
}

#[cfg(unix)]
fn peek_now(tcp: &TcpStream, buf: &mut [u8]) -> io::Result<usize> {
    use std::os::fd::AsRawFd;
    // SAFETY: a valid socket and a buffer of `buf.len()` writable bytes.
    let n = unsafe {
        libc::recv(
            tcp.as_raw_fd(),
            buf.as_mut_ptr().cast(),
            buf.len(),
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

#[cfg(not(unix))]
fn peek_now(tcp: &TcpStream, buf: &mut [u8]) -> io::Result<usize> {
    tcp.set_nonblocking(true)?;
    let got = tcp.peek(buf);
    tcp.set_nonblocking(false)?;
    got
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
/// scheme's default, as browsers and reqwest send it).
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

/// What the head of an answer says.
struct Head {
    status: u16,
    keep_alive: bool,
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
fn cut_short() -> Stop {
    Stop::Io(io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the gateway closed the connection in the middle of its answer",
    ))
}

fn invalid(what: &str) -> Stop {
    Stop::Io(io::Error::new(io::ErrorKind::InvalidData, what.to_string()))
}

fn parse_head(bytes: &[u8], method: &Method) -> std::result::Result<Option<Head>, Stop> {
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
    head.framing = if *method == Method::HEAD || matches!(status, 100..=199 | 204 | 304) {
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
struct ReadBody {
    body: Vec<u8>,
    oversized: bool,
    reusable: bool,
}

impl Conn {
    /// Read one answer: its head, then its body by its framing.
    fn read_answer(
        &mut self,
        method: &Method,
        deadline: Instant,
    ) -> std::result::Result<(Head, ReadBody), Stop> {
        let mut filled = 0;
        let head = loop {
            if filled > 0 {
                if let Some(head) = parse_head(&self.buf[..filled], method)? {
                    if (100..200).contains(&head.status) && head.status != 101 {
                        // An interim answer (100 Continue): the real one follows.
                        self.buf.copy_within(head.len..filled, 0);
                        filled -= head.len;
                        continue;
                    }
                    break head;
                }
            }
            if filled >= MAX_HEAD_BYTES {
                return Err(invalid("the answer's head is too large"));
            }
            let n = self.read_some(filled, deadline)?;
            if n == 0 {
                return Err(if filled == 0 {
                    Stop::Io(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the gateway closed the connection without answering",
                    ))
                } else {
                    cut_short()
                });
            }
            filled += n;
        };
        let start = head.len;
        let body = match head.framing {
            Framing::Empty => ReadBody {
                body: Vec::new(),
                oversized: false,
                reusable: filled == start,
            },
            Framing::Length(n) => self.read_length(start, filled, n, deadline)?,
            Framing::Chunked => self.read_chunked(start, filled, deadline)?,
            Framing::UntilClose => self.read_to_close(start, filled, deadline)?,
        };
        Ok((head, body))
    }

    fn read_length(
        &mut self,
        start: usize,
        filled: usize,
        n: usize,
        deadline: Instant,
    ) -> std::result::Result<ReadBody, Stop> {
        let have = filled - start;
        if n > MAX_RESPONSE_BYTES {
            // Refused unread: the connection goes with it.
            let keep = have.min(MAX_RESPONSE_BYTES);
            return Ok(ReadBody {
                body: self.buf[start..start + keep].to_vec(),
                oversized: true,
                reusable: false,
            });
        }
        let mut body = Vec::with_capacity(n);
        body.extend_from_slice(&self.buf[start..start + have.min(n)]);
        let reusable = have <= n;
        while body.len() < n {
            let at = body.len();
            body.resize(n, 0);
            let got = {
                let Conn {
                    stream,
                    read_timeout,
                    ..
                } = self;
                until(stream, Stream::tcp, read_timeout, false, deadline, |s| {
                    s.read(&mut body[at..])
                })?
            };
            if got == 0 {
                return Err(cut_short());
            }
            body.truncate(at + got);
        }
        Ok(ReadBody {
            body,
            oversized: false,
            reusable,
        })
    }

    fn read_to_close(
        &mut self,
        start: usize,
        mut filled: usize,
        deadline: Instant,
    ) -> std::result::Result<ReadBody, Stop> {
        loop {
            if filled - start > MAX_RESPONSE_BYTES {
                break;
            }
            let n = self.read_some(filled, deadline)?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        let oversized = filled - start > MAX_RESPONSE_BYTES;
        let end = filled.min(start + MAX_RESPONSE_BYTES);
        Ok(ReadBody {
            body: self.buf[start..end].to_vec(),
            oversized,
            reusable: false,
        })
    }

    /// A line ending in CRLF from `*pos`, reading more as needed; returns the
    /// line's end (before the CRLF).
    fn line(
        &mut self,
        pos: usize,
        filled: &mut usize,
        deadline: Instant,
    ) -> std::result::Result<usize, Stop> {
        let mut from = pos;
        loop {
            if let Some(i) = self.buf[from..*filled].iter().position(|&b| b == b'\n') {
                let end = from + i;
                return Ok(if end > pos && self.buf[end - 1] == b'\r' {
                    end - 1
                } else {
                    end
                });
            }
            from = *filled;
            if *filled - pos > 4096 {
                return Err(invalid("a chunk line of the answer is too long"));
            }
            let n = self.read_some(*filled, deadline)?;
            if n == 0 {
                return Err(cut_short());
            }
            *filled += n;
        }
    }

    fn read_chunked(
        &mut self,
        start: usize,
        mut filled: usize,
        deadline: Instant,
    ) -> std::result::Result<ReadBody, Stop> {
        let mut body = Vec::new();
        let mut pos = start;
        loop {
            // Keep the buffer from growing with the body: what is read is moved out.
            if pos > READ_BUFFER && pos == filled {
                pos = 0;
                filled = 0;
            }
            let end = self.line(pos, &mut filled, deadline)?;
            let size_text = std::str::from_utf8(&self.buf[pos..end])
                .ok()
                .and_then(|l| l.split(';').next())
                .map(str::trim)
                .unwrap_or("");
            let size = usize::from_str_radix(size_text, 16)
                .map_err(|_| invalid("a chunk size of the answer is not hex"))?;
            pos = next_line(&self.buf, end);
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    let end = self.line(pos, &mut filled, deadline)?;
                    let empty = end == pos;
                    pos = next_line(&self.buf, end);
                    if empty {
                        break;
                    }
                }
                return Ok(ReadBody {
                    body,
                    oversized: false,
                    reusable: pos == filled,
                });
            }
            if body.len() + size > MAX_RESPONSE_BYTES {
                return Ok(ReadBody {
                    body,
                    oversized: true,
                    reusable: false,
                });
            }
            let mut left = size;
            while left > 0 {
                if pos == filled {
                    pos = 0;
                    let n = self.read_some(0, deadline)?;
                    if n == 0 {
                        return Err(cut_short());
                    }
                    filled = n;
                }
                let take = left.min(filled - pos);
                body.extend_from_slice(&self.buf[pos..pos + take]);
                pos += take;
                left -= take;
            }
            // The CRLF after the chunk's data.
            let end = self.line(pos, &mut filled, deadline)?;
            if end != pos {
                return Err(invalid("a chunk of the answer is longer than its size"));
            }
            pos = next_line(&self.buf, end);
        }
    }
}

/// Where the line after one ending at `end` (before its CRLF or LF) starts.
fn next_line(buf: &[u8], end: usize) -> usize {
    if buf.get(end) == Some(&b'\r') {
        end + 2
    } else {
        end + 1
    }
}

impl Pool {
    pub(crate) fn new(settings: &Settings) -> Result<Pool> {
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
        Ok(Pool {
            gateway,
            proxy,
            connect_timeout: settings.connect_timeout,
            fixed_head,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// A usable idle connection, most recently used first; stale ones are closed.
    fn checkout(&self) -> Option<Conn> {
        let now = Instant::now();
        loop {
            let candidate = {
                let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
                let expired = idle
                    .iter()
                    .take_while(|i| now.duration_since(i.since) >= POOL_IDLE_TIMEOUT)
                    .count();
                // Closed outside the lock (dropped with the drained items below).
                let stale: Vec<Idle> = idle.drain(..expired).collect();
                let candidate = idle.pop();
                drop(idle);
                drop(stale);
                candidate
            }?;
            let mut conn = candidate.conn;
            if conn.usable() {
                return Some(conn);
            }
        }
    }

    fn checkin(&self, conn: Conn) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let oldest = (idle.len() >= MAX_IDLE).then(|| idle.remove(0));
        idle.push(Idle {
            conn,
            since: Instant::now(),
        });
        drop(idle);
        drop(oldest);
    }

    fn connect(&self, deadline: Instant) -> std::result::Result<Conn, Stop> {
        let first = self.proxy.as_ref().map_or(&self.gateway, |(p, _)| p);
        let tcp = connect_tcp(&first.url, self.connect_timeout, deadline)?;
        let mut conn = Conn::new(Stream::Tcp(tcp));
        if let Some((proxy, authorization)) = &self.proxy {
            if let Some((config, name)) = &proxy.tls {
                conn = handshake(conn, config, name, deadline)?;
            }
            self.tunnel(&mut conn, authorization.as_deref(), deadline)?;
        }
        if let Some((config, name)) = &self.gateway.tls {
            conn = handshake(conn, config, name, deadline)?;
        }
        Ok(conn)
    }

    /// Ask the proxy for a tunnel to the gateway (CONNECT); only a 2xx opens it.
    fn tunnel(
        &self,
        conn: &mut Conn,
        authorization: Option<&str>,
        deadline: Instant,
    ) -> std::result::Result<(), Stop> {
        let target = authority(&self.gateway.url, true);
        let mut request = format!("CONNECT {target} HTTP/1.1\r\nhost: {target}\r\n");
        if let Some(value) = authorization {
            request.push_str(&format!("proxy-authorization: {value}\r\n"));
        }
        request.push_str("\r\n");
        conn.write_all(request.as_bytes(), deadline)
            .map_err(|(_, stop)| stop)?;
        let mut filled = 0;
        loop {
            let n = conn.read_some(filled, deadline)?;
            if n == 0 {
                return Err(invalid("the proxy closed the connection during CONNECT"));
            }
            filled += n;
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut resp = httparse::Response::new(&mut headers);
            match resp.parse(&conn.buf[..filled]) {
                Ok(httparse::Status::Complete(len)) => {
                    let status = resp.code.unwrap_or(0);
                    if !(200..300).contains(&status) || len != filled {
                        return Err(invalid(&format!(
                            "the proxy refused the tunnel with status {status}"
                        )));
                    }
                    return Ok(());
                }
                Ok(httparse::Status::Partial) if filled < MAX_HEAD_BYTES => {}
                _ => return Err(invalid("the proxy's answer to CONNECT is not HTTP")),
            }
        }
    }

    /// Make one attempt: send the request, read the answer up to the body cap.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn send_once(
        &self,
        key: (&HeaderName, &HeaderValue),
        method: &Method,
        target: &str,
        body: Option<&Body>,
        csrf_token: Option<&str>,
        deadline: Instant,
        timeout: Duration,
    ) -> Attempt {
        let request = match self.request(key, method, target, body, csrf_token) {
            Ok(r) => r,
            Err(stop) => return Attempt::Failed(failure(Phase::Connect, stop, timeout)),
        };
        let mut conn = match self.checkout() {
            Some(conn) => conn,
            None => match self.connect(deadline) {
                Ok(conn) => conn,
                Err(stop) => return Attempt::Failed(failure(Phase::Connect, stop, timeout)),
            },
        };
        if let Err((some_written, stop)) = conn.write_all(&request, deadline) {
            return Attempt::Failed(failure(Phase::Write(some_written), stop, timeout));
        }
        let (head, read) = match conn.read_answer(method, deadline) {
            Ok(answer) => answer,
            Err(stop) => return Attempt::Failed(failure(Phase::Read, stop, timeout)),
        };
        if head.keep_alive && read.reusable {
            self.checkin(conn);
        }
        Attempt::Answered(Answer {
            status: head.status,
            request_id: head.request_id,
            retry_after: head
                .retry_after
                .and_then(|v| parse_retry_after(&v, SystemTime::now())),
            content_type: head.content_type,
            body: read.body,
            oversized: read.oversized,
        })
    }

    /// The request's bytes: head and body in one buffer, written at once.
    fn request(
        &self,
        key: (&HeaderName, &HeaderValue),
        method: &Method,
        target: &str,
        body: Option<&Body>,
        csrf_token: Option<&str>,
    ) -> std::result::Result<Vec<u8>, Stop> {
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
            let value = HeaderValue::from_str(token)
                .map_err(|_| invalid("the csrf token is not a valid header value"))?;
            out.extend_from_slice(b"x-csrf-token: ");
            out.extend_from_slice(value.as_bytes());
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
        Ok(out)
    }
}

fn connect_tcp(
    url: &Url,
    connect_timeout: Duration,
    deadline: Instant,
) -> std::result::Result<TcpStream, Stop> {
    // Name resolution blocks the calling thread (getaddrinfo), as the OS does.
    let addrs = url.socket_addrs(|| None)?;
    let mut last = io::Error::new(io::ErrorKind::NotFound, "the host has no address");
    for addr in addrs {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(Stop::Deadline);
        }
        if interrupt::fired() {
            return Err(Stop::Interrupted);
        }
        match TcpStream::connect_timeout(&addr, connect_timeout.min(remaining)) {
            Ok(tcp) => {
                tcp.set_nodelay(true)?;
                return Ok(tcp);
            }
            Err(e) => last = e,
        }
    }
    if deadline <= Instant::now() {
        return Err(Stop::Deadline);
    }
    Err(Stop::Io(last))
}

fn handshake(
    conn: Conn,
    config: &Arc<rustls::ClientConfig>,
    name: &ServerName<'static>,
    deadline: Instant,
) -> std::result::Result<Conn, Stop> {
    let tls = rustls::ClientConnection::new(Arc::clone(config), name.clone())
        .map_err(|e| Stop::Io(io::Error::other(e)))?;
    let mut stream = rustls::StreamOwned::new(tls, conn.stream);
    let mut read_timeout = conn.read_timeout;
    while stream.conn.is_handshaking() {
        until(
            &mut stream,
            |s| s.sock.tcp(),
            &mut read_timeout,
            false,
            deadline,
            |s| s.conn.complete_io(&mut s.sock).map(|_| ()),
        )?;
    }
    Ok(Conn {
        stream: Stream::Tls(Box::new(stream)),
        buf: conn.buf,
        read_timeout,
        write_timeout: conn.write_timeout,
    })
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

    #[test]
    fn a_socket_timeout_is_set_only_when_the_one_set_would_end_too_late() {
        let s = Duration::from_secs;
        // Nothing set yet: half of what is left.
        assert_eq!(timeout_to_set(None, s(30)), Some(s(15)));
        // The next call (almost 30 s left) keeps it.
        assert_eq!(timeout_to_set(Some(s(15)), s(30)), None);
        // Near the deadline it shrinks.
        assert_eq!(timeout_to_set(Some(s(15)), s(10)), Some(s(5)));
        assert_eq!(
            timeout_to_set(Some(s(1)), Duration::from_millis(2)),
            Some(Duration::from_millis(2))
        );
    }

    fn head(text: &str) -> Head {
        match parse_head(text.as_bytes(), &Method::GET) {
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
            parse_head(b"HTTP/1.1 200 OK\r\ncontent-length: 1\r\n", &Method::GET)
                .is_ok_and(|h| h.is_none())
        );
        assert!(parse_head(
            b"HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\n",
            &Method::GET
        )
        .is_err());
        assert!(parse_head(b"SSH-2.0-OpenSSH\r\n\r\n", &Method::GET).is_err());
    }
}
