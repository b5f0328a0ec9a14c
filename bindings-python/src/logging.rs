//! Core log records (target `zignsec...`) go to Python's `logging.getLogger("zignsec")`.
//! Records are already redacted by the core (no keys, message text or codes; phone
//! numbers masked). The core logs from inside calls that released the GIL and from
//! its I/O threads; each record takes the GIL only briefly, and only after the
//! message is formatted, so it never waits on anything that waits on it.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

struct PyLogger;

static LOGGER: PyLogger = PyLogger;

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

impl log::Log for PyLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target().starts_with("zignsec")
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let level = python_level(record.level());
        let message = record.args().to_string();
        // try_attach: nothing is logged while the interpreter shuts down.
        let _ = Python::try_attach(|py| -> PyResult<()> {
            let logger = python_logger(py)?;
            // The cheap check first: most records are debug and most apps log at WARNING.
            if logger.call_method1("isEnabledFor", (level,))?.is_truthy()? {
                logger.call_method1("log", (level, "%s", message))?;
            }
            Ok(())
        });
    }

    fn flush(&self) {}
}

/// Install the bridge, unless `ZIGNSEC_LOG` is set: then the core's own stderr
/// logger (installed when the first client is built) is used instead.
pub(crate) fn install() {
    let env_logging = std::env::var("ZIGNSEC_LOG")
        .map(|v| !v.trim().is_empty())
        .unwrap_or(false);
    if env_logging {
        return;
    }
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Debug);
    }
}
