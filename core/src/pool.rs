//! A pool of idle keep-alive connections, shared by both wires: most recently used
//! first, closed after [`POOL_IDLE_TIMEOUT`], and each looked at without blocking
//! before reuse, so a close by the gateway while it sat idle is seen there and not
//! on a send.

use std::io;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Idle pooled connections are closed after this long: below the 60 s idle timeout
/// of common load balancers, so the gateway side rarely closes one under a send.
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(20);
/// Idle connections kept at most (the oldest goes first).
const MAX_IDLE: usize = 256;

/// A pool's idle keep-alive connections, most recently used last.
pub(crate) struct IdleList<C> {
    idle: Mutex<Vec<(C, Instant)>>,
}

impl<C> IdleList<C> {
    pub(crate) fn new() -> IdleList<C> {
        IdleList {
            idle: Mutex::new(Vec::new()),
        }
    }

    /// A usable idle connection, most recently used first; stale ones and those
    /// `usable` refuses are closed.
    pub(crate) fn checkout(&self, mut usable: impl FnMut(&mut C) -> bool) -> Option<C> {
        let now = Instant::now();
        loop {
            let candidate = {
                let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
                let expired = idle
                    .iter()
                    .take_while(|(_, since)| now.duration_since(*since) >= POOL_IDLE_TIMEOUT)
                    .count();
                // Closed outside the lock (dropped with the drained items below).
                let stale: Vec<(C, Instant)> = idle.drain(..expired).collect();
                let candidate = idle.pop();
                drop(idle);
                drop(stale);
                candidate
            }?;
            let mut conn = candidate.0;
            if usable(&mut conn) {
                return Some(conn);
            }
        }
    }

    pub(crate) fn checkin(&self, conn: C) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let oldest = (idle.len() >= MAX_IDLE).then(|| idle.remove(0));
        idle.push((conn, Instant::now()));
        drop(idle);
        drop(oldest);
    }
}

/// What an idle connection's socket holds, looked at without blocking.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum IdleState {
    /// Nothing waiting: open and quiet.
    Quiet,
    /// Bytes waiting (TLS records, or a stray answer).
    Bytes,
    /// Closed by the gateway, or reset.
    Closed,
}

impl IdleState {
    /// The state a non-blocking one-byte peek at the socket shows.
    pub(crate) fn of(peeked: io::Result<usize>) -> IdleState {
        match peeked {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => IdleState::Quiet,
            Ok(n) if n > 0 => IdleState::Bytes,
            // 0: closed by the gateway; an error: reset.
            _ => IdleState::Closed,
        }
    }

    /// Whether an idle connection in this state can carry a request. Bytes waiting
    /// on TLS may be the server's session tickets: `drain_tls` reads them without
    /// waiting and says whether they held no data and no close.
    pub(crate) fn usable(self, tls: bool, drain_tls: impl FnOnce() -> bool) -> bool {
        match self {
            IdleState::Quiet => true,
            IdleState::Bytes => tls && drain_tls(),
            IdleState::Closed => false,
        }
    }
}

/// Peek at a socket without blocking: what waits there stays unread.
#[cfg(unix)]
pub(crate) fn peek_now(socket: &impl std::os::fd::AsRawFd) -> io::Result<usize> {
    let mut probe = [0u8; 1];
    // SAFETY: a valid socket and a buffer of one writable byte.
    let n = unsafe {
        libc::recv(
            socket.as_raw_fd(),
            probe.as_mut_ptr().cast(),
            probe.len(),
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkout_takes_the_most_recent_usable_connection_and_closes_refused_ones() {
        let list = IdleList::new();
        for n in 0..3 {
            list.checkin(n);
        }
        let mut looked = Vec::new();
        let got = list.checkout(|c| {
            looked.push(*c);
            *c != 2
        });
        assert_eq!(got, Some(1));
        assert_eq!(looked, [2, 1]);
        // The refused one is gone; the next is the oldest.
        assert_eq!(list.checkout(|_| true), Some(0));
        assert_eq!(list.checkout(|_| true), None);
    }

    #[test]
    fn at_most_max_idle_are_kept_the_oldest_going_first() {
        let list = IdleList::new();
        for n in 0..MAX_IDLE + 2 {
            list.checkin(n);
        }
        let mut all = Vec::new();
        while let Some(c) = list.checkout(|_| true) {
            all.push(c);
        }
        assert_eq!(all.len(), MAX_IDLE);
        assert_eq!(all.first(), Some(&(MAX_IDLE + 1)));
        assert_eq!(all.last(), Some(&2));
    }

    #[test]
    fn a_peek_says_quiet_bytes_or_closed() {
        let would_block = || Err(io::Error::from(io::ErrorKind::WouldBlock));
        assert!(IdleState::of(would_block()) == IdleState::Quiet);
        assert!(IdleState::of(Ok(1)) == IdleState::Bytes);
        assert!(IdleState::of(Ok(0)) == IdleState::Closed);
        let reset = Err(io::Error::from(io::ErrorKind::ConnectionReset));
        assert!(IdleState::of(reset) == IdleState::Closed);
        // Bytes are usable only on TLS, and only when TLS read them all as its own.
        assert!(IdleState::Quiet.usable(false, || unreachable!()));
        assert!(!IdleState::Bytes.usable(false, || true));
        assert!(IdleState::Bytes.usable(true, || true));
        assert!(!IdleState::Bytes.usable(true, || false));
        assert!(!IdleState::Closed.usable(true, || true));
    }
}
