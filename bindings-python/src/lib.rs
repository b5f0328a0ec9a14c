//! The native module `zignsec._zignsec`: the Rust core's types and calls for Python.
//! The public package is `python/zignsec/`, which re-exports what is here.

mod client;
mod convert;
mod error;
mod functions;
mod lifecycle;
mod logging;
mod models;
mod otp;

use pyo3::prelude::*;

/// The native half of the ``zignsec`` package; import ``zignsec`` instead.
#[pymodule]
fn _zignsec(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CORE_VERSION", zignsec::VERSION)?;
    m.add("SIGNATURE_HEADER", zignsec::SIGNATURE_HEADER)?;
    m.add_class::<client::Client>()?;
    m.add_class::<client::AsyncClient>()?;
    m.add_class::<otp::Otp>()?;
    m.add_class::<models::SmsSession>()?;
    m.add_class::<models::PhoneSession>()?;
    m.add_class::<models::EmailSession>()?;
    m.add_class::<models::SmsRequest>()?;
    m.add_class::<models::PhoneRequest>()?;
    m.add_class::<models::EmailRequestData>()?;
    m.add_class::<models::SessionError>()?;
    m.add_class::<models::SmsSessionDetails>()?;
    m.add_class::<models::PhoneSessionDetails>()?;
    m.add_class::<models::EmailSessionDetails>()?;
    m.add_class::<models::SmsParts>()?;
    m.add_class::<models::WebhookEvent>()?;
    m.add_class::<models::OtpCheck>()?;
    m.add_class::<models::OtpSend>()?;
    m.add_function(wrap_pyfunction!(functions::normalize_phone, m)?)?;
    m.add_function(wrap_pyfunction!(functions::sms_parts, m)?)?;
    m.add_function(wrap_pyfunction!(functions::parse_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(functions::verify_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(functions::_verify_webhook_at, m)?)?;
    m.add_function(wrap_pyfunction!(functions::sign_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(error::_error_classes, m)?)?;
    m.add_function(wrap_pyfunction!(lifecycle::_at_exit, m)?)?;
    m.add_function(wrap_pyfunction!(lifecycle::_after_fork_in_child, m)?)?;
    Ok(())
}
