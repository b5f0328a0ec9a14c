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
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::Method;
use rustls::pki_types::ServerName;
use url::Url;

use crate::config::Settings;
use crate::error::Result;
use crate::http1::{self, failure, AnswerReader, Outgoing, Phase, Route, Stop, Whole};
use crate::interrupt;
use crate::pool::{IdleList, IdleState};
use crate::transport::Attempt;

/// The blocking client's connections and what it needs to open one.
pub(crate) struct Pool {
    route: Route,
    idle: IdleList<Conn>,
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

    fn read_into(&mut self, buf: &mut [u8], deadline: Instant) -> std::result::Result<usize, Stop> {
        until(
            &mut self.stream,
            Stream::tcp,
            &mut self.read_timeout,
            false,
            deadline,
            |s| match s.read(buf) {
                // A TLS peer that closes without close_notify: an end all the same.
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(0),
                other => other,
            },
        )
    }

    /// Read one answer: its head, then its body by its framing.
    fn read_answer(
        &mut self,
        method: &Method,
        deadline: Instant,
    ) -> std::result::Result<Whole, Stop> {
        let mut reader = AnswerReader::new(std::mem::take(&mut self.buf), method);
        let whole = loop {
            let n = match self.read_into(reader.spare(), deadline) {
                Ok(n) => n,
                Err(stop) => break Err(stop),
            };
            match reader.filled(n) {
                Ok(Some(whole)) => break Ok(whole),
                Ok(None) => {}
                Err(e) => break Err(Stop::Io(e)),
            }
        };
        self.buf = reader.into_buffer();
        whole
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
        let tls = matches!(self.stream, Stream::Tls(_));
        IdleState::of(peek_now(self.stream.tcp())).usable(tls, || self.drain_tls())
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
use crate::pool::peek_now;

#[cfg(not(unix))]
fn peek_now(tcp: &TcpStream) -> io::Result<usize> {
    let mut probe = [0u8; 1];
    tcp.set_nonblocking(true)?;
    let got = tcp.peek(&mut probe);
    tcp.set_nonblocking(false)?;
    got
}

impl Pool {
    pub(crate) fn new(settings: &Settings) -> Result<Pool> {
        Ok(Pool {
            route: Route::new(settings)?,
            idle: IdleList::new(),
        })
    }

    fn connect(&self, deadline: Instant) -> std::result::Result<Conn, Stop> {
        let route = &self.route;
        let tcp = connect_tcp(&route.first_hop().url, route.connect_timeout, deadline)?;
        let mut conn = Conn::new(Stream::Tcp(tcp));
        if let Some((proxy, authorization)) = &route.proxy {
            if let Some((config, name)) = &proxy.tls {
                conn = handshake(conn, config, name, deadline)?;
            }
            self.tunnel(&mut conn, authorization.as_deref(), deadline)?;
        }
        if let Some((config, name)) = &route.gateway.tls {
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
        let request = self.route.connect_request(authorization);
        conn.write_all(request.as_bytes(), deadline)
            .map_err(|(_, stop)| stop)?;
        let mut answer = std::mem::take(&mut conn.buf);
        let mut filled = 0;
        let open = loop {
            if filled == answer.len() {
                answer.resize((answer.len() * 2).max(1024), 0);
            }
            let n = conn.read_into(&mut answer[filled..], deadline)?;
            if n == 0 {
                break Err(http1::tunnel_closed());
            }
            filled += n;
            match http1::tunnel_answer(&answer[..filled]) {
                Ok(true) => break Ok(()),
                Ok(false) => {}
                Err(e) => break Err(e),
            }
        };
        conn.buf = answer;
        open.map_err(Stop::Io)
    }

    /// Make one attempt: send the request, read the answer up to the body cap.
    pub(crate) fn send_once(
        &self,
        out: &Outgoing<'_>,
        deadline: Instant,
        timeout: Duration,
    ) -> Attempt {
        let method = out.method;
        let request = self.route.request(out);
        let mut conn = match self.idle.checkout(Conn::usable) {
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
            self.idle.checkin(conn);
        }
        Attempt::Answered(http1::answer(head, read))
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
}
