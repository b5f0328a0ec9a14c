//! Client options: explicit values, then `ZIGNSEC_*` environment variables, then defaults.

use std::fmt;
use std::time::Duration;

use url::Url;

use crate::error::{Error, Result};
use crate::{proxy, validate};

/// The test gateway.
pub const TEST_BASE_URL: &str = "https://test-gateway.zignsec.com";
/// The production gateway.
pub const PRODUCTION_BASE_URL: &str = "https://gateway.zignsec.com";
/// Total time for one call, retries included, by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Time to open one connection, by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Retries after the first attempt, by default.
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// Which header carries the API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AuthScheme {
    /// `Authorization: <key>` (the raw key, no `Bearer`): the SMS and phone products' scheme.
    #[default]
    Authorization,
    /// `Zs-Product-Key: <key>`: ZignSec's newer scheme, announced for every product.
    ProductKey,
}

impl AuthScheme {
    /// The option's spelling: `"authorization"` or `"product-key"`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthScheme::Authorization => "authorization",
            AuthScheme::ProductKey => "product-key",
        }
    }

    /// The header the key goes in.
    pub fn header_name(self) -> &'static str {
        match self {
            AuthScheme::Authorization => "authorization",
            AuthScheme::ProductKey => "zs-product-key",
        }
    }

    /// Read the option's spelling (any case); anything else is a config error.
    pub fn parse(text: &str) -> Result<AuthScheme> {
        match text.trim().to_ascii_lowercase().as_str() {
            "authorization" => Ok(AuthScheme::Authorization),
            "product-key" => Ok(AuthScheme::ProductKey),
            _ => Err(Error::config(format!(
                "auth_scheme must be \"authorization\" or \"product-key\", got {:?}",
                text.chars().take(20).collect::<String>()
            ))),
        }
    }
}

/// Builds a [`Client`](crate::Client) or [`AsyncClient`](crate::AsyncClient).
///
/// Options left unset are read from `ZIGNSEC_API_KEY`, `ZIGNSEC_ENVIRONMENT`,
/// `ZIGNSEC_BASE_URL`, `ZIGNSEC_TIMEOUT` (seconds), `ZIGNSEC_MAX_RETRIES`,
/// `ZIGNSEC_AUTH_SCHEME` and `ZIGNSEC_SECONDARY_API_KEY`, then
/// take their defaults. Invalid options are a config error from `build`.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    api_key: Option<String>,
    secondary_api_key: Option<String>,
    auth_scheme: Option<String>,
    environment: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_retries: Option<i64>,
    sdk: Option<(String, String)>,
    root_certificates_pem: Vec<Vec<u8>>,
    proxy: Option<String>,
    ignore_env: bool,
    spelling: OptionSpelling,
}

/// How a language spells the client's option names, so a config error names the
/// option the caller actually wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OptionSpelling {
    /// `connect_timeout` (Rust, Python: durations in seconds).
    #[default]
    Snake,
    /// `connect_timeout_ms` (C: durations in milliseconds).
    SnakeMillis,
    /// `connectTimeoutMs` (Node: camelCase, durations in milliseconds).
    CamelMillis,
}

impl OptionSpelling {
    /// The name of `option` (its snake_case name in Rust) as this language spells it.
    pub fn name(self, option: &str) -> String {
        let millis = self != OptionSpelling::Snake
            && matches!(option, "timeout" | "connect_timeout" | "ttl");
        let snake = if millis {
            format!("{option}_ms")
        } else {
            option.to_string()
        };
        if self == OptionSpelling::CamelMillis {
            camel_case(&snake)
        } else {
            snake
        }
    }
}

/// `max_message_parts` → `maxMessageParts`: how JavaScript names a field.
pub fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A config error about the client option `option`, named as the language spells it.
pub(crate) fn option_error(spelling: OptionSpelling, option: &str, why: &str) -> Error {
    let name = spelling.name(option);
    Error::config(format!("{name}: {why}")).with_field(&name)
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field(
                "secondary_api_key",
                &self.secondary_api_key.as_ref().map(|_| "<redacted>"),
            )
            .field("auth_scheme", &self.auth_scheme)
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("sdk", &self.sdk)
            .field("proxy", &self.proxy.as_deref().map(proxy::display))
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }
    /// How config errors spell option names (for bindings; Rust's is the default).
    pub fn option_spelling(mut self, spelling: OptionSpelling) -> Self {
        self.spelling = spelling;
        self
    }
    /// The API key, sent as the raw `Authorization` header.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }
    /// A second key, for zero-downtime rotation: a 401 to the key in use is retried
    /// at once, once, with the other key, and the client keeps the key that worked.
    pub fn secondary_api_key(mut self, key: impl Into<String>) -> Self {
        self.secondary_api_key = Some(key.into());
        self
    }
    /// Which header carries the key: `"authorization"` (default) or `"product-key"`.
    pub fn auth_scheme(mut self, scheme: impl Into<String>) -> Self {
        self.auth_scheme = Some(scheme.into());
        self
    }
    /// `"test"` (default) or `"production"`.
    pub fn environment(mut self, environment: impl Into<String>) -> Self {
        self.environment = Some(environment.into());
        self
    }
    /// A base URL that overrides the environment (`http://` only for loopback).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }
    /// Total time for one call, retries and backoff included (default 30 s; above 0
    /// and at most a day, else a config error at build).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
    /// Time to open one connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }
    /// Retries after the first attempt, 0 to 10 (default 2; else a config error at
    /// build). Bindings with loose numbers go through [`crate::input::ClientOptions`].
    pub fn max_retries(mut self, retries: i64) -> Self {
        self.max_retries = Some(retries);
        self
    }
    /// Names the SDK in the `User-Agent` (`zignsec-<name>/<version>`); bindings set
    /// `python`, `node` or `c`.
    pub fn sdk(mut self, name: impl Into<String>, version: impl Into<String>) -> Self {
        self.sdk = Some((name.into(), version.into()));
        self
    }
    /// Trust one more root certificate (PEM), beside the system's.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates_pem.push(pem.into());
        self
    }
    /// The proxy for `https://` base URLs (a CONNECT tunnel, so it never sees the
    /// key): a URL such as `http://proxy.corp:3128`, or `"none"` to ignore the
    /// `HTTPS_PROXY` / `ALL_PROXY` environment. Loopback base URLs never use one.
    pub fn proxy(mut self, proxy: impl Into<String>) -> Self {
        self.proxy = Some(proxy.into());
        self
    }
    /// Do not read environment variables (`ZIGNSEC_*`, and proxies).
    pub fn ignore_env(mut self) -> Self {
        self.ignore_env = true;
        self
    }

    fn env(&self, name: &str) -> Option<String> {
        if self.ignore_env {
            return None;
        }
        std::env::var(name).ok().filter(|v| !v.trim().is_empty())
    }

    pub(crate) fn resolve(&self) -> Result<Settings> {
        // Surrounding whitespace is never part of a key (file-mounted secrets end in a newline).
        let api_key = match self.api_key.clone().or_else(|| self.env("ZIGNSEC_API_KEY")) {
            Some(k) if !k.trim().is_empty() => k.trim().to_string(),
            _ => {
                let name = self.spelling.name("api_key");
                return Err(Error::config(format!(
                    "no API key: pass {name} or set ZIGNSEC_API_KEY"
                ))
                .with_field(&name));
            }
        };
        check_key("the API key", &api_key)?;
        let secondary_api_key = match self
            .secondary_api_key
            .clone()
            .or_else(|| self.env("ZIGNSEC_SECONDARY_API_KEY"))
        {
            Some(k) if !k.trim().is_empty() => {
                let k = k.trim().to_string();
                check_key("the secondary API key", &k)?;
                Some(k)
            }
            _ => None,
        };
        let auth_scheme = match (&self.auth_scheme, self.env("ZIGNSEC_AUTH_SCHEME")) {
            (Some(s), _) => AuthScheme::parse(s).map_err(|e| {
                let name = self.spelling.name("auth_scheme");
                Error::config(e.message().replacen("auth_scheme", &name, 1)).with_field(&name)
            })?,
            (None, Some(s)) => AuthScheme::parse(&s).map_err(|e| {
                Error::config(
                    e.message()
                        .replacen("auth_scheme", "ZIGNSEC_AUTH_SCHEME", 1),
                )
            })?,
            (None, None) => AuthScheme::default(),
        };
        // An explicit option beats every env var: an explicit environment is not
        // overridden by ZIGNSEC_BASE_URL.
        let base = match (&self.base_url, &self.environment) {
            (Some(url), _) => url.clone(),
            (None, Some(env)) => environment_url(env)?,
            (None, None) => match self.env("ZIGNSEC_BASE_URL") {
                Some(url) => url,
                None => environment_url(
                    &self
                        .env("ZIGNSEC_ENVIRONMENT")
                        .unwrap_or_else(|| "test".to_string()),
                )?,
            },
        };
        let base_url = parse_base_url(&base)?;
        let proxy = proxy::resolve(self.proxy.as_deref(), &base_url, |name| {
            if self.ignore_env {
                None
            } else {
                std::env::var(name).ok().filter(|v| !v.trim().is_empty())
            }
        })?;
        let timeout = match self.timeout {
            Some(d) => self.duration_option("timeout", d)?,
            None => match self.env("ZIGNSEC_TIMEOUT") {
                Some(v) => {
                    let s = v.trim().parse::<f64>().map_err(|_| {
                        Error::config(format!("ZIGNSEC_TIMEOUT must be seconds, got {v:?}"))
                    })?;
                    seconds_option("ZIGNSEC_TIMEOUT", s)?
                }
                None => DEFAULT_TIMEOUT,
            },
        };
        let connect_timeout = match self.connect_timeout {
            Some(d) => self.duration_option("connect_timeout", d)?,
            None => DEFAULT_CONNECT_TIMEOUT,
        };
        let max_retries = match self.max_retries {
            Some(n) => validate::max_retries(n).map_err(|_| {
                option_error(
                    self.spelling,
                    "max_retries",
                    &format!("must be a whole number from 0 to 10, got {n}"),
                )
            })?,
            None => match self.env("ZIGNSEC_MAX_RETRIES") {
                Some(v) => {
                    let n = v.trim().parse::<i64>().map_err(|_| {
                        Error::config(format!(
                            "ZIGNSEC_MAX_RETRIES must be a whole number, got {v:?}"
                        ))
                    })?;
                    validate::max_retries(n).map_err(|_| {
                        Error::config(format!(
                            "ZIGNSEC_MAX_RETRIES must be a whole number from 0 to 10, got {n}"
                        ))
                    })?
                }
                None => DEFAULT_MAX_RETRIES,
            },
        };
        let (sdk_name, sdk_version) = self
            .sdk
            .clone()
            .unwrap_or_else(|| ("rust".to_string(), crate::VERSION.to_string()));
        let mut secrets = vec![api_key.clone()];
        secrets.extend(secondary_api_key.clone());
        secrets.extend(proxy.as_ref().and_then(proxy::credentials));
        Ok(Settings {
            secrets,
            proxy,
            api_key,
            secondary_api_key,
            auth_scheme,
            base_url,
            timeout,
            connect_timeout,
            max_retries,
            user_agent: format!("zignsec-{sdk_name}/{sdk_version}"),
            root_certificates_pem: self.root_certificates_pem.clone(),
        })
    }
}

fn check_key(what: &str, key: &str) -> Result<()> {
    if key.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        Ok(())
    } else {
        Err(Error::config(format!(
            "{what} has characters an HTTP header cannot carry"
        )))
    }
}

fn environment_url(name: &str) -> Result<String> {
    match name.trim() {
        "test" => Ok(TEST_BASE_URL.to_string()),
        "production" => Ok(PRODUCTION_BASE_URL.to_string()),
        other => Err(Error::config(format!(
            "environment must be \"test\" or \"production\", got {other:?}"
        ))),
    }
}

impl ClientBuilder {
    /// A duration option set in code, in the unit the language gives it.
    fn duration_option(&self, option: &str, value: Duration) -> Result<Duration> {
        use crate::input::{Number, Span};
        let secs = value.as_secs_f64();
        let span = if self.spelling == OptionSpelling::Snake {
            Span::Seconds(Number::Float(secs))
        } else {
            Span::Millis(Number::Float(secs * 1000.0))
        };
        duration_option(self.spelling, option, span)
    }
}

/// A duration option: `input::duration`'s rule, as a config error naming the
/// option as the language spells it.
pub(crate) fn duration_option(
    spelling: OptionSpelling,
    option: &str,
    span: crate::input::Span,
) -> Result<Duration> {
    let name = spelling.name(option);
    crate::input::duration(&name, span)
        .map_err(|e| Error::config(e.message().to_string()).with_field(&name))
}

fn seconds_option(field: &str, value: f64) -> Result<Duration> {
    validate::seconds(field, value).map_err(|e| Error::config(e.message().to_string()))
}

/// Parse and check a base URL: `https://`, or `http://` for loopback hosts only.
fn parse_base_url(text: &str) -> Result<Url> {
    let url = Url::parse(text.trim())
        .map_err(|e| Error::config(format!("base URL {text:?} is not a URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if validate::is_loopback(&url) => {}
        "http" => {
            return Err(Error::config(format!(
                "base URL {text:?} uses http:// for a non-loopback host; use https:// so the API key never travels in clear text"
            )))
        }
        other => {
            return Err(Error::config(format!(
                "base URL must be https:// (or http:// on loopback), got scheme {other:?}"
            )))
        }
    }
    if url.host().is_none() || url.cannot_be_a_base() {
        return Err(Error::config(format!("base URL {text:?} has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config("base URL must not carry credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config("base URL must not carry a query or fragment"));
    }
    Ok(url)
}

/// Resolved options.
#[derive(Clone)]
pub(crate) struct Settings {
    pub api_key: String,
    pub secondary_api_key: Option<String>,
    pub auth_scheme: AuthScheme,
    pub base_url: Url,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_retries: u32,
    pub user_agent: String,
    pub root_certificates_pem: Vec<Vec<u8>>,
    /// The proxy the base URL goes through (only ever for `https://`, non-loopback).
    pub proxy: Option<Url>,
    /// Every secret to scrub from text the gateway echoes (keys, proxy credentials).
    pub secrets: Vec<String>,
}
