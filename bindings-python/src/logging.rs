//! Core log records (target `zignsec...`) go to Python's `logging.getLogger("zignsec")`.
//! Records are already redacted by the core (no keys, message text or codes; phone
//! numbers masked). The core logs from inside calls that released the GIL and from
//! its I/O threads. A record takes the GIL only when the `zignsec` logger would keep
//! it: its effective level is cached in an atomic, refreshed from Python threads at
//! each call start (re-read only after Python's own level cache was emptied), so an app logging at WARNING never has the I/O threads wait for
//! the GIL. Nothing is logged once the interpreter has begun to exit.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::lifecycle;

struct PyLogger;

static LOGGER: PyLogger = PyLogger;
/// Whether this bridge is the `log` logger (not the core's stderr one).
static BRIDGE: AtomicBool = AtomicBool::new(false);
/// The lowest Python level the `zignsec` logger keeps (WARNING until the first
/// refresh: a fresh logger under an unconfigured root).
static THRESHOLD: AtomicU32 = AtomicU32::new(30);

fn python_logger(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static PY_LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    PY_LOGGER
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(
                py.import("logging")?
                    .call_method1("getLogger", ("zignsec",))?
                    .unbind(),
            )
        })
        .map(|l| l.bind(py))
}

fn python_level(level: log::Level) -> u32 {
    match level {
        log::Level::Error => 40,
        log::Level::Warn => 30,
        log::Level::Info => 20,
        log::Level::Debug => 10,
        log::Level::Trace => 5,
    }
}

/// The `log` filter that lets through exactly the records Python would keep (so the
/// rest are not even formatted).
fn level_filter(threshold: u32) -> log::LevelFilter {
    match threshold {
        0..=5 => log::LevelFilter::Trace,
        6..=10 => log::LevelFilter::Debug,
        11..=20 => log::LevelFilter::Info,
        21..=30 => log::LevelFilter::Warn,
        31..=40 => log::LevelFilter::Error,
        _ => log::LevelFilter::Off,
    }
}

/// Re-read the `zignsec` logger's effective level (and `logging.disable`). Called
/// from Python threads, with the GIL, when a client is built and at each call start.
pub(crate) fn refresh(py: Python<'_>) {
    if !BRIDGE.load(Ordering::Relaxed) {
        return;
    }
    let Ok(logger) = python_logger(py) else {
        return;
    };
    // Python's own level cache (`Logger._cache`) is emptied by every `setLevel` and
    // `logging.disable`: while it still holds the mark put there by the last read,
    // nothing that decides the level has changed, and a call pays one dict lookup.
    let cache = level_cache(py, logger);
    let mark = pyo3::intern!(py, "zignsec: level read");
    if cache.is_some_and(|c| c.contains(mark).unwrap_or(false)) {
        return;
    }
    if let Some(cache) = cache {
        // Put before the read, so a change made while it runs (another thread,
        // between two bytecodes) clears it again. Logging only looks up levels there.
        let _ = cache.set_item(mark, true);
    }
    let read = || -> PyResult<u32> {
        let effective: i64 = logger.call_method0("getEffectiveLevel")?.extract()?;
        let disabled: i64 = logger.getattr("manager")?.getattr("disable")?.extract()?;
        Ok(u32::try_from(effective.max(disabled.saturating_add(1)).max(0)).unwrap_or(u32::MAX))
    };
    if let Ok(threshold) = read() {
        if THRESHOLD.swap(threshold, Ordering::Relaxed) != threshold {
            log::set_max_level(level_filter(threshold));
        }
    }
}

/// The `zignsec` logger's `_cache` dict, when this Python has one (3.7 and later).
fn level_cache<'py>(
    py: Python<'py>,
    logger: &Bound<'py, PyAny>,
) -> Option<&'py Bound<'py, pyo3::types::PyDict>> {
    static CACHE: PyOnceLock<Option<Py<pyo3::types::PyDict>>> = PyOnceLock::new();
    CACHE
        .get_or_init(py, || {
            logger
                .getattr("_cache")
                .ok()
                .and_then(|c| c.cast_into::<pyo3::types::PyDict>().ok())
                .map(Bound::unbind)
        })
        .as_ref()
        .map(|c| c.bind(py))
}

impl log::Log for PyLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target().starts_with("zignsec")
            && python_level(metadata.level()) >= THRESHOLD.load(Ordering::Relaxed)
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let Some(_inside) = lifecycle::enter() else {
            return;
        };
        let level = python_level(record.level());
        let message = record.args().to_string();
        // try_attach: nothing is logged while the interpreter shuts down.
        let _ = Python::try_attach(|py| -> PyResult<()> {
            let logger = python_logger(py)?;
            // The cache may be a call behind a level change: Python has the last word.
            if logger.call_method1("isEnabledFor", (level,))?.is_truthy()? {
                logger.call_method1("log", (level, "%s", message))?;
            }
            Ok(())
        });
    }

    fn flush(&self) {}
}

/// Install the bridge, unless `ZIGNSEC_LOG` says otherwise. The value is the core's
/// reading (any case; an unknown value warns once on stderr): a level means the
/// core's stderr logger (installed when the first client is built) writes the
/// records; `off` means no records at all; unset or unknown leaves them to Python.
pub(crate) fn install() {
    if zignsec::log_level_from_env().is_some() || env_says_off() {
        return;
    }
    if log::set_logger(&LOGGER).is_ok() {
        BRIDGE.store(true, Ordering::Relaxed);
        log::set_max_level(level_filter(THRESHOLD.load(Ordering::Relaxed)));
    }
}

fn env_says_off() -> bool {
    std::env::var("ZIGNSEC_LOG").is_ok_and(|v| v.trim().eq_ignore_ascii_case("off"))
}
