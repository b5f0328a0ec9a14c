//! What the wires share with the call loop: the request body, an attempt's
//! answer or failure, and the root certificates a client trusts besides the
//! system's.

use std::time::Duration;

use crate::config::Settings;
use crate::error::{Error, ErrorKind, Result};

pub use crate::pool::POOL_IDLE_TIMEOUT;
/// Response bodies are read up to this many bytes; more is a decode error.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// A request body that can be re-sent on retry without copying (a clone shares
/// the bytes).
#[derive(Clone)]
pub(crate) struct Body(pub(crate) bytes::Bytes);

impl Body {
    pub(crate) fn new(bytes: Vec<u8>) -> Body {
        Body(bytes::Bytes::from(bytes))
    }
}

/// A transport failure of one attempt.
pub(crate) struct TransportFailure {
    pub(crate) kind: ErrorKind,
    /// The request provably never reached the gateway (connect or DNS failure).
    pub(crate) never_left: bool,
    pub(crate) message: String,
    /// The transport error itself, kept as the error's `source()`.
    pub(crate) source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
}

/// The answer to one attempt.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Vec<u8>,
    pub(crate) oversized: bool,
}

pub(crate) enum Attempt {
    Answered(Answer),
    Failed(TransportFailure),
}

/// The extra root certificates of `settings`, parsed here so a wrong file is a
/// config error at build, not a TLS failure on every call.
pub(crate) fn root_certificates(
    settings: &Settings,
) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let mut all = Vec::new();
    for pem in &settings.root_certificates_pem {
        let ders = CertificateDer::pem_slice_iter(pem)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::config(format!("root certificate is not PEM: {e}")))?;
        if ders.is_empty() {
            return Err(Error::config(
                "root certificate PEM holds no -----BEGIN CERTIFICATE----- block",
            ));
        }
        all.extend(ders);
    }
    Ok(all)
}
