//! A client built before `fork()` keeps working in the child: its first call there
//! builds a fresh runtime and pool, every deadline holds, and the parent's client
//! is untouched (prefork servers, gunicorn --preload, Celery, multiprocessing).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::*;

/// Run `child` in a forked child (killed by SIGALRM after `limit_s`); its return
/// value is the exit status. Returns the child's wait status.
fn in_child(limit_s: u32, child: impl FnOnce() -> i32) -> i32 {
    // SAFETY: fork in a test process; the child only runs `child` and _exits.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // SAFETY: alarm and _exit are async-signal-safe.
        unsafe { libc::alarm(limit_s) };
        let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(child)).unwrap_or(99);
        unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    // SAFETY: waiting for our own child.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    status
}

fn exited_ok(status: i32) -> bool {
    libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0
}

fn client(url: &str) -> zignsec::Client {
    zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .base_url(url)
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap()
}

#[test]
fn a_blocking_client_works_in_a_forked_child_within_its_timeout() {
    let gw = gateway();
    let client = client(&gw.server.url());
    // The parent has a live runtime and a pooled connection before the fork.
    let sms = client
        .send_sms(&zignsec::SendSms::new("+46701234567", "ZignSec", "hello"))
        .unwrap();
    let status = in_child(10, || {
        let started = Instant::now();
        let read = client.get_sms_session(&sms.id);
        let sent = client.send_sms(&zignsec::SendSms::new("+46701234568", "ZignSec", "hi"));
        let in_time = started.elapsed() < Duration::from_secs(3);
        i32::from(!(read.is_ok() && sent.is_ok() && in_time))
    });
    assert!(exited_ok(status), "child status {status}");
    // The parent's client is untouched by the child.
    client.get_sms_session(&sms.id).unwrap();
}

#[test]
fn a_child_that_drops_the_parents_client_exits_at_once() {
    let gw = gateway();
    let client = client(&gw.server.url());
    client.get_sms_session(SESSION_ID).unwrap_err();
    let status = in_child(5, move || {
        drop(client);
        0
    });
    assert!(exited_ok(status), "child status {status}");
}

#[test]
fn an_async_client_works_on_a_new_runtime_in_a_forked_child() {
    let gw = gateway();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let client = zignsec::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .base_url(gw.server.url())
        .timeout(Duration::from_secs(3))
        .build_async()
        .unwrap();
    let sms = rt
        .block_on(client.send_sms(&zignsec::SendSms::new("+46701234567", "ZignSec", "hello")))
        .unwrap();
    let status = in_child(10, || {
        let child_rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let read = child_rt.block_on(client.get_sms_session(&sms.id));
        // The parent's runtime is dead here: leak it rather than joining its threads.
        std::mem::forget(child_rt);
        i32::from(read.is_err())
    });
    assert!(exited_ok(status), "child status {status}");
    rt.block_on(client.get_sms_session(&sms.id)).unwrap();
}
