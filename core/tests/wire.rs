//! HTTP/1.1 as gateways and the boxes in front of them really answer, against a
//! scripted server: both wires (the blocking client's, and the async client's on
//! tokio sockets) must read every framing the same way and tell the same errors.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a test failure

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use zignsec::ErrorKind;

const DETAILS: &str = r#"{"data":{"id":"26f5cc23-dbbb-45bb-a210-2818e70637bd","status":"pending","request_data":{"to":"+46701234567","from":"ZignSec","message":"hi","max_message_parts":1}}}"#;

/// A server answering every request with `answer(n)` (n counts requests from 0),
/// written in pieces of `piece` bytes; counts connections.
struct Scripted {
    url: String,
    connections: Arc<AtomicUsize>,
}

fn scripted(piece: usize, answer: fn(usize) -> Vec<u8>) -> Scripted {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&connections);
    let requests = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            counted.fetch_add(1, Ordering::SeqCst);
            let requests = Arc::clone(&requests);
            std::thread::spawn(move || serve(stream, piece, answer, &requests));
        }
    });
    Scripted { url, connections }
}

fn serve(stream: TcpStream, piece: usize, answer: fn(usize) -> Vec<u8>, requests: &AtomicUsize) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            if header == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let n = requests.fetch_add(1, Ordering::SeqCst);
        let bytes = answer(n);
        let close = bytes.is_empty()
            || String::from_utf8_lossy(&bytes)
                .to_ascii_lowercase()
                .contains("connection: close")
            || String::from_utf8_lossy(&bytes).starts_with("HTTP/1.0");
        for chunk in bytes.chunks(piece.max(1)) {
            if stream.write_all(chunk).is_err() {
                return;
            }
            let _ = stream.flush();
            if piece < bytes.len() {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        if close {
            return;
        }
    }
}

fn client(url: &str) -> zignsec::Client {
    zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .base_url(url)
        .timeout(Duration::from_secs(3))
        .max_retries(0)
        .build()
        .unwrap()
}

/// The same read on the blocking wire and on the async face.
fn read_both(c: &zignsec::Client) -> [zignsec::Result<zignsec::SmsSessionDetails>; 2] {
    let blocking = c.get_sms_session(SESSION_ID);
    let handle = c.runtime_handle().unwrap();
    let a = c.as_async().clone();
    let on_async = handle.block_on(async move { a.get_sms_session(SESSION_ID).await });
    [blocking, on_async]
}

fn ok(status_line: &str, headers: &str, body: &str) -> Vec<u8> {
    format!("{status_line}\r\n{headers}\r\n{body}").into_bytes()
}

fn chunked(_: usize) -> Vec<u8> {
    let (a, b) = DETAILS.split_at(40);
    ok(
        "HTTP/1.1 200 OK",
        "content-type: application/json\r\ntransfer-encoding: chunked\r\n",
        &format!(
            "{:x};name=value\r\n{a}\r\n{:X}\r\n{b}\r\n0\r\nx-trailer: 1\r\n\r\n",
            a.len(),
            b.len()
        ),
    )
}

#[test]
fn a_chunked_answer_is_read_and_its_connection_kept() {
    for piece in [usize::MAX, 7] {
        let server = scripted(piece, chunked);
        let c = client(&server.url);
        for _ in 0..3 {
            assert_eq!(c.get_sms_session(SESSION_ID).unwrap().id, SESSION_ID);
        }
        // The blocking wire kept its one connection.
        assert_eq!(
            server.connections.load(Ordering::SeqCst),
            1,
            "piece {piece}"
        );
        // The async face reads it too, and keeps one connection of its own.
        for _ in 0..3 {
            for got in read_both(&c) {
                assert_eq!(got.unwrap().id, SESSION_ID);
            }
        }
        assert_eq!(
            server.connections.load(Ordering::SeqCst),
            2,
            "piece {piece}"
        );
    }
}

fn with_length(_: usize) -> Vec<u8> {
    ok(
        "HTTP/1.1 200 OK",
        &format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\nX-Request-Id: req-7\r\n",
            DETAILS.len()
        ),
        DETAILS,
    )
}

#[test]
fn an_answer_in_one_byte_pieces_is_read_whole() {
    let server = scripted(1, with_length);
    let c = client(&server.url);
    for got in read_both(&c) {
        assert_eq!(got.unwrap().id, SESSION_ID);
    }
}

fn close_after(_: usize) -> Vec<u8> {
    ok(
        "HTTP/1.1 200 OK",
        &format!(
            "content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
            DETAILS.len()
        ),
        DETAILS,
    )
}

#[test]
fn connection_close_means_a_fresh_connection_for_the_next_call() {
    let server = scripted(usize::MAX, close_after);
    let c = client(&server.url);
    for _ in 0..3 {
        assert_eq!(c.get_sms_session(SESSION_ID).unwrap().id, SESSION_ID);
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 3);
}

fn http10_until_close(_: usize) -> Vec<u8> {
    ok(
        "HTTP/1.0 200 OK",
        "content-type: application/json\r\n",
        DETAILS,
    )
}

#[test]
fn an_answer_without_length_ends_with_the_connection() {
    let server = scripted(usize::MAX, http10_until_close);
    let c = client(&server.url);
    for _ in 0..2 {
        for got in read_both(&c) {
            assert_eq!(got.unwrap().id, SESSION_ID);
        }
    }
}

fn continue_first(n: usize) -> Vec<u8> {
    let mut out = b"HTTP/1.1 100 Continue\r\n\r\n".to_vec();
    out.extend(with_length(n));
    out
}

#[test]
fn an_interim_100_continue_is_skipped() {
    let server = scripted(usize::MAX, continue_first);
    let c = client(&server.url);
    for got in read_both(&c) {
        assert_eq!(got.unwrap().id, SESSION_ID);
    }
}

fn not_http(_: usize) -> Vec<u8> {
    b"SSH-2.0-OpenSSH_9.2\r\n\r\n".to_vec()
}

fn cut_short(_: usize) -> Vec<u8> {
    ok(
        "HTTP/1.1 200 OK",
        "content-type: application/json\r\ncontent-length: 500\r\nconnection: close\r\n",
        &DETAILS[..30],
    )
}

fn no_answer(_: usize) -> Vec<u8> {
    Vec::new()
}

#[test]
fn broken_answers_are_connection_errors_and_a_send_may_have_gone_out() {
    for (name, answer) in [
        ("not http", not_http as fn(usize) -> Vec<u8>),
        ("cut short", cut_short),
        ("closed without answering", no_answer),
    ] {
        let server = scripted(usize::MAX, answer);
        let c = client(&server.url);
        for got in read_both(&c) {
            let err = got.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Connection, "{name}: {err}");
            assert!(!err.to_string().contains(KEY));
        }
        let err = c
            .send_sms(&zignsec::SendSms::new("+46701234567", "ZignSec", "hi"))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connection, "{name}: {err}");
        assert_eq!(err.maybe_sent(), Some(true), "{name}");
    }
}

fn huge_chunks(_: usize) -> Vec<u8> {
    let chunk = "x".repeat(600 * 1024);
    ok(
        "HTTP/1.1 200 OK",
        "content-type: application/json\r\ntransfer-encoding: chunked\r\n",
        &format!(
            "{:x}\r\n{chunk}\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
            chunk.len(),
            chunk.len()
        ),
    )
}

#[test]
fn a_chunked_answer_over_the_cap_is_a_decode_error() {
    let server = scripted(usize::MAX, huge_chunks);
    let c = client(&server.url);
    for got in read_both(&c) {
        assert_eq!(got.unwrap_err().kind(), ErrorKind::Decode);
    }
}

#[test]
fn a_trickling_answer_ends_by_the_call_timeout() {
    let server = scripted(1, with_length);
    // 1 ms per byte: the answer takes far longer than 150 ms.
    let c = zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .base_url(&server.url)
        .timeout(Duration::from_millis(150))
        .max_retries(0)
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = c.get_sms_session(SESSION_ID).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(
        started.elapsed() < Duration::from_millis(600),
        "{:?}",
        started.elapsed()
    );
}
