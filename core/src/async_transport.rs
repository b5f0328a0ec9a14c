//! One attempt on the wire for the async client: HTTP/1.1 on a tokio socket that
//! the calling task itself writes and reads (no connection task, no channel to
//! one), and a pool of idle keep-alive connections shared by the client's tasks.
//!
//! As on the blocking wire, a pooled connection is looked at before reuse without
//! waiting: a close by the gateway while it was idle is seen there, and the
//! request goes out once, on a fresh connection, instead of failing with
//! `maybe_sent`.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http::Method;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use url::{Host, Url};

use crate::config::Settings;
use crate::error::Result;
use crate::http1::{self, failure, AnswerReader, Outgoing, Phase, Route, Stop, Whole};
use crate::pool::{IdleList, IdleState};
use crate::transport::Attempt;

/// The async client's connections and what it needs to open one.
pub(crate) struct AsyncPool {
    route: Route,
    idle: IdleList<Conn>,
}

enum Stream {
    Tcp(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<Stream>>),
}

impl Stream {
    /// The socket under any TLS layers: the idle check looks at it.
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Tcp(s) => s,
            Stream::Tls(t) => t.get_ref().0.tcp(),
        }
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(t) => Pin::new(t.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(t) => Pin::new(t.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(t) => Pin::new(t.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(t) => Pin::new(t.as_mut()).poll_shutdown(cx),
        }
    }
}

/// An open connection and its read buffer.
struct Conn {
    stream: Stream,
    buf: Vec<u8>,
}

impl Conn {
    /// Whether an idle connection can carry a request: the gateway has not closed
    /// it and sent nothing on it. Never waits.
    fn usable(&mut self) -> bool {
        let tls = matches!(self.stream, Stream::Tls(_));
        IdleState::of(peek_now(self.stream.tcp())).usable(tls, || self.drain_tls())
    }

    /// Let TLS read the records waiting on an idle connection, without waiting:
    /// usable when they held no data and no close and nothing is left unread.
    fn drain_tls(&mut self) -> bool {
        let mut probe = [0u8; 1];
        let mut buf = ReadBuf::new(&mut probe);
        let mut cx = Context::from_waker(std::task::Waker::noop());
        match Pin::new(&mut self.stream).poll_read(&mut cx, &mut buf) {
            // Read to the socket's end for now, or not read at all (the runtime
            // had not seen the socket readable): the socket itself says which.
            Poll::Pending => IdleState::of(peek_now(self.stream.tcp())) == IdleState::Quiet,
            // Data, a close, or an error: not a connection to send on.
            Poll::Ready(_) => false,
        }
    }

    async fn read_answer(&mut self, method: &Method) -> io::Result<Whole> {
        let mut reader = AnswerReader::new(std::mem::take(&mut self.buf), method);
        let whole = loop {
            let n = match self.stream.read(reader.spare()).await {
                Ok(n) => n,
                // A TLS peer that closes without close_notify: an end all the same.
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => 0,
                Err(e) => break Err(e),
            };
            if let Some(whole) = reader.filled(n).transpose() {
                break whole;
            }
        };
        self.buf = reader.into_buffer();
        whole
    }

    /// Write `bytes`; `phase` says whether any of them went out.
    async fn write_all(&mut self, bytes: &[u8], phase: &mut Phase) -> io::Result<()> {
        let mut written = 0;
        while written < bytes.len() {
            let n = self.stream.write(&bytes[written..]).await?;
            if n == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            written += n;
            *phase = Phase::Write(true);
        }
        self.stream.flush().await
    }
}

#[cfg(unix)]
use crate::pool::peek_now;

#[cfg(not(unix))]
fn peek_now(_: &TcpStream) -> io::Result<usize> {
    // No non-blocking peek here: a close while idle shows on the send.
    Err(io::ErrorKind::WouldBlock.into())
}

impl AsyncPool {
    pub(crate) fn new(settings: &Settings) -> Result<AsyncPool> {
        Ok(AsyncPool {
            route: Route::new(settings)?,
            idle: IdleList::new(),
        })
    }

    /// Make one attempt: send the request, read the answer up to the body cap,
    /// all by `deadline`.
    pub(crate) async fn send_once(
        &self,
        out: &Outgoing<'_>,
        deadline: Instant,
        timeout: Duration,
    ) -> Attempt {
        let method = out.method;
        let request = self.route.request(out);
        let mut phase = Phase::Connect;
        let exchange = self.exchange(&request, method, &mut phase);
        match tokio::time::timeout_at(deadline.into(), exchange).await {
            Ok(Ok((head, read))) => Attempt::Answered(http1::answer(head, read)),
            Ok(Err(e)) => Attempt::Failed(failure(phase, Stop::Io(e), timeout)),
            Err(_) => Attempt::Failed(failure(phase, Stop::Deadline, timeout)),
        }
    }

    async fn exchange(
        &self,
        request: &[u8],
        method: &Method,
        phase: &mut Phase,
    ) -> io::Result<Whole> {
        let mut conn = match self.idle.checkout(Conn::usable) {
            Some(mut pooled) => {
                *phase = Phase::Write(false);
                match pooled.write_all(request, phase).await {
                    Ok(()) => pooled,
                    // Nothing of it went out (the runtime the connection was opened
                    // on is gone, say): the request goes on a fresh one instead.
                    Err(_) if *phase == Phase::Write(false) => {
                        *phase = Phase::Connect;
                        self.connect_and_write(request, phase).await?
                    }
                    Err(e) => return Err(e),
                }
            }
            None => self.connect_and_write(request, phase).await?,
        };
        *phase = Phase::Read;
        let whole = conn.read_answer(method).await?;
        if whole.0.keep_alive && whole.1.reusable {
            self.idle.checkin(conn);
        }
        Ok(whole)
    }

    async fn connect_and_write(&self, request: &[u8], phase: &mut Phase) -> io::Result<Conn> {
        let mut conn = self.connect().await?;
        *phase = Phase::Write(false);
        conn.write_all(request, phase).await?;
        Ok(conn)
    }

    async fn connect(&self) -> io::Result<Conn> {
        let route = &self.route;
        let tcp = connect_tcp(&route.first_hop().url, route.connect_timeout).await?;
        let mut conn = Conn {
            stream: Stream::Tcp(tcp),
            buf: Vec::new(),
        };
        if let Some((proxy, authorization)) = &route.proxy {
            if let Some((config, name)) = &proxy.tls {
                conn = handshake(conn, config, name).await?;
            }
            self.tunnel(&mut conn, authorization.as_deref()).await?;
        }
        if let Some((config, name)) = &route.gateway.tls {
            conn = handshake(conn, config, name).await?;
        }
        Ok(conn)
    }

    /// Ask the proxy for a tunnel to the gateway (CONNECT); only a 2xx opens it.
    async fn tunnel(&self, conn: &mut Conn, authorization: Option<&str>) -> io::Result<()> {
        let request = self.route.connect_request(authorization);
        conn.stream.write_all(request.as_bytes()).await?;
        conn.stream.flush().await?;
        let mut answer = Vec::new();
        loop {
            if answer.len() == answer.capacity() {
                answer.reserve(1024);
            }
            if conn.stream.read_buf(&mut answer).await? == 0 {
                return Err(http1::tunnel_closed());
            }
            if http1::tunnel_answer(&answer)? {
                return Ok(());
            }
        }
    }
}

async fn connect_tcp(url: &Url, connect_timeout: Duration) -> io::Result<TcpStream> {
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = match url.host() {
        Some(Host::Ipv4(ip)) => vec![(ip, port).into()],
        Some(Host::Ipv6(ip)) => vec![(ip, port).into()],
        // Name resolution on the runtime's blocking pool (getaddrinfo).
        Some(Host::Domain(name)) => tokio::net::lookup_host((name, port)).await?.collect(),
        None => return Err(io::Error::new(io::ErrorKind::InvalidInput, "no host")),
    };
    let mut last = io::Error::new(io::ErrorKind::NotFound, "the host has no address");
    for addr in addrs {
        match tokio::time::timeout(connect_timeout, TcpStream::connect(addr)).await {
            Ok(Ok(tcp)) => {
                tcp.set_nodelay(true)?;
                return Ok(tcp);
            }
            Ok(Err(e)) => last = e,
            Err(_) => {
                last = io::Error::new(io::ErrorKind::TimedOut, "connection timed out");
            }
        }
    }
    Err(last)
}

async fn handshake(
    conn: Conn,
    config: &Arc<rustls::ClientConfig>,
    name: &ServerName<'static>,
) -> io::Result<Conn> {
    let connector = tokio_rustls::TlsConnector::from(Arc::clone(config));
    let tls = connector.connect(name.clone(), conn.stream).await?;
    Ok(Conn {
        stream: Stream::Tls(Box::new(tls)),
        buf: conn.buf,
    })
}
