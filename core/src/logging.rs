//! `ZIGNSEC_LOG=debug|info` turns on a small stderr logger for this crate's records.
//! Records never carry keys, message text or codes; phone numbers are masked.

use std::io::Write;
use std::sync::Once;

struct StderrLogger;

impl log::Log for StderrLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target().starts_with("zignsec") && metadata.level() <= log::max_level()
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            let _ = writeln!(
                std::io::stderr().lock(),
                "[zignsec {}] {}",
                record.level(),
                record.args()
            );
        }
    }

    fn flush(&self) {}
}

static LOGGER: StderrLogger = StderrLogger;
static INIT: Once = Once::new();

/// Install the stderr logger if `ZIGNSEC_LOG` asks for one and no other logger is set.
pub(crate) fn init_from_env() {
    INIT.call_once(|| {
        let level = match std::env::var("ZIGNSEC_LOG").ok().as_deref().map(str::trim) {
            Some("trace") => log::LevelFilter::Trace,
            Some("debug") => log::LevelFilter::Debug,
            Some("info") => log::LevelFilter::Info,
            Some("warn") => log::LevelFilter::Warn,
            Some("error") => log::LevelFilter::Error,
            _ => return,
        };
        if log::set_logger(&LOGGER).is_ok() {
            log::set_max_level(level);
        }
    });
}
