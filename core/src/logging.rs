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

/// The level `ZIGNSEC_LOG` asks for (`error|warn|info|debug|trace|off`, any case),
/// or `None` when it is unset, `off`, or not one of those (which prints one warning
/// line to stderr). Bindings that bridge to their own logging read it here.
pub fn log_level_from_env() -> Option<log::LevelFilter> {
    let value = std::env::var("ZIGNSEC_LOG").ok()?;
    let value = value.trim();
    match parse_level(value) {
        Ok(level) => level,
        Err(()) => {
            static WARNED: Once = Once::new();
            WARNED.call_once(|| {
                let shown: String = value.chars().take(20).collect();
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "[zignsec] ZIGNSEC_LOG={shown:?} is not one of error, warn, info, debug, trace, off: it is ignored"
                );
            });
            None
        }
    }
}

fn parse_level(value: &str) -> Result<Option<log::LevelFilter>, ()> {
    Ok(Some(match value.to_ascii_lowercase().as_str() {
        "" | "off" => return Ok(None),
        "trace" => log::LevelFilter::Trace,
        "debug" => log::LevelFilter::Debug,
        "info" => log::LevelFilter::Info,
        "warn" | "warning" => log::LevelFilter::Warn,
        "error" => log::LevelFilter::Error,
        _ => return Err(()),
    }))
}

/// Install the stderr logger if `ZIGNSEC_LOG` asks for one and no other logger is set.
pub(crate) fn init_from_env() {
    INIT.call_once(|| {
        if let Some(level) = log_level_from_env() {
            if log::set_logger(&LOGGER).is_ok() {
                log::set_max_level(level);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::parse_level;

    #[test]
    fn levels_in_any_case() {
        assert_eq!(parse_level("DEBUG"), Ok(Some(log::LevelFilter::Debug)));
        assert_eq!(parse_level("Info"), Ok(Some(log::LevelFilter::Info)));
        assert_eq!(parse_level("OFF"), Ok(None));
        assert_eq!(parse_level("1"), Err(()));
        assert_eq!(parse_level("true"), Err(()));
    }
}
