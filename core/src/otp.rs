//! One-time codes for SMS two-factor flows: make a code, send it in your own text,
//! check what the user typed, without storing the code anywhere.
//!
//! ```
//! use zignsec::otp::{Otp, OtpOptions, OtpReason};
//!
//! let otp = Otp::new("a server-side secret of 16+ bytes", OtpOptions::default())?;
//! let (code, challenge) = otp.issue("+46701234567")?;
//! // Send `code.expose()` by SMS (or use `Client::send_otp`) and store `challenge`
//! // server-side. When the user types the code:
//! let check = otp.check(&challenge, code.expose(), "+46701234567");
//! assert!(check.ok);
//! assert_eq!(check.reason, OtpReason::Ok);
//! // Always store `check.challenge` back: it counts the attempt and is now spent.
//! let again = otp.check(&check.challenge, code.expose(), "+46701234567");
//! assert_eq!(again.reason, OtpReason::Used);
//! # Ok::<(), zignsec::Error>(())
//! ```
//!
//! # The challenge
//!
//! [`Otp::issue`] returns a code and a *challenge*: 100 URL-safe characters
//! (base64url, no padding) of 75 bytes:
//!
//! | bytes | field |
//! |---|---|
//! | 0 | version, `1` |
//! | 1 | flags: bit 0 = spent; the other bits are 0 |
//! | 2 | attempts made so far |
//! | 3..11 | expiry, unix milliseconds, big-endian |
//! | 11..27 | nonce, 16 random bytes |
//! | 27..43 | code tag: `HMAC-SHA256(k_code, nonce ‖ len(to) ‖ to ‖ code)`, first 16 bytes |
//! | 43..75 | tag: `HMAC-SHA256(k_mac, bytes 0..43 ‖ to)` |
//!
//! `k_mac` and `k_code` are `HMAC-SHA256(secret, label)` with two distinct labels,
//! so the two uses of the secret never mix. The challenge is authenticated, not
//! encrypted: its expiry, attempt count and spent flag can be read by anyone who
//! holds it; the code and the recipient cannot (they are only inside HMACs keyed
//! by the secret). Changing any bit, or checking it for another recipient or
//! with another secret, gives [`OtpReason::Invalid`]. Without the secret, a
//! challenge cannot be forged or edited and the code cannot be searched for
//! offline. See `docs/decisions/0011-otp-challenges.md` for the reasoning and the
//! replay caveat: the app must store back [`OtpCheck::challenge`] after every
//! check.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::TryRngCore;
use sha2::Sha256;

use crate::error::{Error, Result};
use crate::models::SmsSession;
use crate::validate;

type HmacSha256 = Hmac<Sha256>;

/// Digits in a code, by default.
pub const DEFAULT_DIGITS: u32 = 6;
/// Fewest digits a code may have.
pub const MIN_DIGITS: u32 = 4;
/// Most digits a code may have.
pub const MAX_DIGITS: u32 = 10;
/// How long a challenge stays valid, by default.
pub const DEFAULT_TTL: Duration = Duration::from_secs(300);
/// Shortest allowed time to live.
pub const MIN_TTL: Duration = Duration::from_secs(1);
/// Longest allowed time to live (a day).
pub const MAX_TTL: Duration = Duration::from_secs(86_400);
/// Checks allowed per challenge, by default.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;
/// Fewest checks a challenge may allow.
pub const MIN_MAX_ATTEMPTS: u32 = 1;
/// Most checks a challenge may allow.
pub const MAX_MAX_ATTEMPTS: u32 = 20;
/// Shortest secret accepted, in bytes.
pub const MIN_SECRET_BYTES: usize = 16;
/// What a template must contain exactly once; [`render`] replaces it with the code.
pub const CODE_PLACEHOLDER: &str = "{code}";
/// The SMS text [`send_otp`](crate::Client::send_otp) sends when no template is given.
pub const DEFAULT_TEMPLATE: &str = "Your code is {code}";
/// Length of every challenge this version issues, in characters.
pub const CHALLENGE_CHARS: usize = CHALLENGE_BYTES / 3 * 4;

const VERSION: u8 = 1;
const FLAG_SPENT: u8 = 0b0000_0001;
const NONCE_BYTES: usize = 16;
const CODE_TAG_BYTES: usize = 16;
const MAC_BYTES: usize = 32;
const OFFSET_FLAGS: usize = 1;
const OFFSET_ATTEMPTS: usize = 2;
const OFFSET_EXPIRY: usize = 3;
const OFFSET_NONCE: usize = 11;
const OFFSET_CODE_TAG: usize = OFFSET_NONCE + NONCE_BYTES;
const OFFSET_MAC: usize = OFFSET_CODE_TAG + CODE_TAG_BYTES;
/// A multiple of 3, so the base64url text has no padding and no spare bits: every
/// character carries data, and a changed character is always a changed byte.
const CHALLENGE_BYTES: usize = OFFSET_MAC + MAC_BYTES;
/// Typed codes longer than this are wrong without being hashed.
const MAX_TYPED_CODE_BYTES: usize = 64;

const LABEL_MAC: &[u8] = b"zignsec otp v1: challenge tag";
const LABEL_CODE: &[u8] = b"zignsec otp v1: code tag";

/// The options of an [`Otp`] issuer. [`Default`] gives 6 digits, 300 s and 5 attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtpOptions {
    /// Digits per code, 4 to 10.
    pub digits: u32,
    /// How long a challenge is valid after it is issued, 1 s to 1 day.
    pub ttl: Duration,
    /// Checks allowed per challenge, 1 to 20; further checks say
    /// [`OtpReason::TooManyAttempts`], even for the right code.
    pub max_attempts: u32,
}

impl Default for OtpOptions {
    fn default() -> Self {
        OtpOptions {
            digits: DEFAULT_DIGITS,
            ttl: DEFAULT_TTL,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }
}

impl OtpOptions {
    /// Check every option against its range; a config error names the first bad one.
    pub fn validate(&self) -> Result<()> {
        if !(MIN_DIGITS..=MAX_DIGITS).contains(&self.digits) {
            return Err(option_error(
                "digits",
                format!(
                    "must be from {MIN_DIGITS} to {MAX_DIGITS}, got {}",
                    self.digits
                ),
            ));
        }
        if !(MIN_TTL..=MAX_TTL).contains(&self.ttl) {
            return Err(option_error(
                "ttl",
                format!(
                    "must be from 1 s to 1 day (86400 s), got {} s",
                    self.ttl.as_secs_f64()
                ),
            ));
        }
        if !(MIN_MAX_ATTEMPTS..=MAX_MAX_ATTEMPTS).contains(&self.max_attempts) {
            return Err(option_error(
                "max_attempts",
                format!(
                    "must be from {MIN_MAX_ATTEMPTS} to {MAX_MAX_ATTEMPTS}, got {}",
                    self.max_attempts
                ),
            ));
        }
        Ok(())
    }
}

/// A config error about one option: the message starts with its name, and
/// [`Error::field`] names it too.
fn option_error(option: &str, message: impl fmt::Display) -> Error {
    Error::config(format!("{option}: {message}")).with_field(option)
}

/// A one-time code. It has no `Display` and its `Debug` is redacted, so it cannot
/// end up in a log line by accident; read it with [`OtpCode::expose`].
#[derive(Clone)]
pub struct OtpCode(String);

impl OtpCode {
    /// The code's digits, for the SMS text.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// How many digits the code has.
    pub fn digits(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Debug for OtpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OtpCode(<redacted, {} digits>)", self.0.len())
    }
}

/// Why a check passed or failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OtpReason {
    /// The right code, in time, within the attempts; the challenge is now spent.
    Ok,
    /// Not the code (also: wrong length, not digits). Counts as an attempt.
    WrongCode,
    /// The challenge's time to live has passed.
    Expired,
    /// Every allowed attempt has been used; even the right code fails now.
    TooManyAttempts,
    /// The challenge already passed a check once.
    Used,
    /// Not a challenge of this issuer for this recipient: malformed, edited,
    /// made with another secret, or checked for another recipient.
    Invalid,
}

impl OtpReason {
    /// Every reason, in the contract's order.
    pub const ALL: [OtpReason; 6] = [
        OtpReason::Ok,
        OtpReason::WrongCode,
        OtpReason::Expired,
        OtpReason::TooManyAttempts,
        OtpReason::Used,
        OtpReason::Invalid,
    ];

    /// The stable snake_case name (`"wrong_code"`) every language uses.
    pub fn as_str(self) -> &'static str {
        match self {
            OtpReason::Ok => "ok",
            OtpReason::WrongCode => "wrong_code",
            OtpReason::Expired => "expired",
            OtpReason::TooManyAttempts => "too_many_attempts",
            OtpReason::Used => "used",
            OtpReason::Invalid => "invalid",
        }
    }
}

impl fmt::Display for OtpReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of [`Otp::check`].
#[derive(Clone, PartialEq, Eq)]
pub struct OtpCheck {
    /// Whether the code was right (`reason == Ok`).
    pub ok: bool,
    /// Why.
    pub reason: OtpReason,
    /// The challenge to store back in place of the one checked: it counts this
    /// attempt, and after `ok` it is spent. For `invalid`, `expired`, `used` and
    /// `too_many_attempts` it is the checked challenge, unchanged.
    pub challenge: String,
    /// Further checks that could still pass: 0 once the challenge is spent,
    /// expired, out of attempts or invalid.
    pub attempts_left: u32,
}

impl fmt::Debug for OtpCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OtpCheck")
            .field("ok", &self.ok)
            .field("reason", &self.reason)
            .field("challenge", &"<redacted>")
            .field("attempts_left", &self.attempts_left)
            .finish()
    }
}

/// A one-time code to send by SMS with [`send_otp`](crate::Client::send_otp).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendOtp {
    /// Recipient, E.164 (`+46701234567`); the challenge is bound to it.
    pub to: String,
    /// Sender: an E.164 number or 1 to 11 letters and digits.
    pub from: String,
    /// The SMS text, with [`CODE_PLACEHOLDER`] exactly once; `None` is
    /// [`DEFAULT_TEMPLATE`].
    pub template: Option<String>,
    /// From 1 to 10; default 1.
    pub max_message_parts: i64,
    /// Your own reference, echoed back in reads and webhooks.
    pub relay_state: Option<String>,
    /// Where the gateway POSTs status changes (`https://`).
    pub webhook: Option<String>,
}

impl SendOtp {
    /// A code for `to` from `from`, with the default template and one part at most.
    pub fn new(to: impl Into<String>, from: impl Into<String>) -> Self {
        SendOtp {
            to: to.into(),
            from: from.into(),
            template: None,
            max_message_parts: 1,
            relay_state: None,
            webhook: None,
        }
    }
}

/// The answer to [`send_otp`](crate::Client::send_otp): the SMS session and the
/// challenge to store. The code itself is never returned.
#[derive(Clone, PartialEq, Eq)]
pub struct OtpSend {
    /// The SMS session that carries the code.
    pub session: SmsSession,
    /// The challenge to store server-side and pass to [`Otp::check`].
    pub challenge: String,
}

impl fmt::Debug for OtpSend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OtpSend")
            .field("session", &self.session)
            .field("challenge", &"<redacted>")
            .finish()
    }
}

/// Issues and checks one-time codes. Build it once from a server-side secret and
/// share it; it holds only keys derived from the secret.
#[derive(Clone)]
pub struct Otp {
    mac: HmacSha256,
    code: HmacSha256,
    options: OtpOptions,
}

impl fmt::Debug for Otp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Otp")
            .field("secret", &"<redacted>")
            .field("digits", &self.options.digits)
            .field("ttl", &self.options.ttl)
            .field("max_attempts", &self.options.max_attempts)
            .finish()
    }
}

/// What a challenge carries besides its two tags.
struct ChallengeState {
    spent: bool,
    attempts: u8,
    expiry_ms: u64,
    nonce: [u8; NONCE_BYTES],
    code_tag: [u8; CODE_TAG_BYTES],
}

impl Otp {
    /// An issuer keyed by `secret` (at least 16 bytes; use 32 random bytes). A short
    /// secret or an option out of range is a config error naming it.
    pub fn new(secret: impl AsRef<[u8]>, options: OtpOptions) -> Result<Otp> {
        let secret = secret.as_ref();
        if secret.len() < MIN_SECRET_BYTES {
            return Err(option_error(
                "secret",
                format!(
                    "must be at least {MIN_SECRET_BYTES} bytes, got {}",
                    secret.len()
                ),
            ));
        }
        options.validate()?;
        Ok(Otp {
            mac: derive_key(secret, LABEL_MAC)?,
            code: derive_key(secret, LABEL_CODE)?,
            options,
        })
    }

    /// The options this issuer was built with.
    pub fn options(&self) -> OtpOptions {
        self.options
    }

    /// A new code for `to` (E.164, else a validation error on `to`) and its
    /// challenge, valid for the issuer's `ttl` from now.
    pub fn issue(&self, to: &str) -> Result<(OtpCode, String)> {
        self.issue_at(to, SystemTime::now())
    }

    /// [`issue`](Otp::issue) with the clock set to `now`.
    pub fn issue_at(&self, to: &str, now: SystemTime) -> Result<(OtpCode, String)> {
        validate::e164("to", to)?;
        let code = random_code(self.options.digits)?;
        let mut nonce = [0u8; NONCE_BYTES];
        fill_random(&mut nonce)?;
        let state = ChallengeState {
            spent: false,
            attempts: 0,
            expiry_ms: unix_millis(now).saturating_add(duration_millis(self.options.ttl)),
            code_tag: self.code_tag(&nonce, to, code.expose().as_bytes()),
            nonce,
        };
        Ok((code, self.seal(&state, to)))
    }

    /// Check the code the user typed against a challenge for recipient `to`. Never
    /// fails: every outcome is an [`OtpReason`]. Store `check.challenge` back.
    ///
    /// Spaces and hyphens in `code` are ignored. In order: a challenge that does
    /// not verify is `invalid`; a spent one `used`; one at or past its expiry
    /// `expired`; one whose attempts are all used `too_many_attempts`; otherwise
    /// the attempt is counted and the code compared in constant time.
    pub fn check(&self, challenge: &str, code: &str, to: &str) -> OtpCheck {
        self.check_at(challenge, code, to, SystemTime::now())
    }

    /// [`check`](Otp::check) with the clock set to `now`. A challenge issued at `t`
    /// passes while `now < t + ttl` and is `expired` from `t + ttl` on.
    pub fn check_at(&self, challenge: &str, code: &str, to: &str, now: SystemTime) -> OtpCheck {
        let refuse = |reason| OtpCheck {
            ok: false,
            reason,
            challenge: challenge.to_string(),
            attempts_left: 0,
        };
        let Some(mut state) = self.open(challenge, to) else {
            return refuse(OtpReason::Invalid);
        };
        if state.spent {
            return refuse(OtpReason::Used);
        }
        if unix_millis(now) >= state.expiry_ms {
            return refuse(OtpReason::Expired);
        }
        let max_attempts = self.options.max_attempts;
        if u32::from(state.attempts) >= max_attempts {
            return refuse(OtpReason::TooManyAttempts);
        }
        state.attempts += 1;
        let right = self.code_matches(&state, to, code);
        state.spent = right;
        OtpCheck {
            ok: right,
            reason: if right {
                OtpReason::Ok
            } else {
                OtpReason::WrongCode
            },
            challenge: self.seal(&state, to),
            attempts_left: if right {
                0
            } else {
                max_attempts.saturating_sub(u32::from(state.attempts))
            },
        }
    }

    fn code_tag(&self, nonce: &[u8; NONCE_BYTES], to: &str, code: &[u8]) -> [u8; CODE_TAG_BYTES] {
        let full = self.code_mac(nonce, to, code).finalize().into_bytes();
        let mut tag = [0u8; CODE_TAG_BYTES];
        tag.copy_from_slice(&full[..CODE_TAG_BYTES]);
        tag
    }

    fn code_mac(&self, nonce: &[u8; NONCE_BYTES], to: &str, code: &[u8]) -> HmacSha256 {
        let mut mac = self.code.clone();
        mac.update(nonce);
        // `to` is at most 16 bytes once it passed the E.164 check; its length
        // prefix keeps the boundary between `to` and the code unambiguous.
        mac.update(&[u8::try_from(to.len()).unwrap_or(u8::MAX)]);
        mac.update(to.as_bytes());
        mac.update(code);
        mac
    }

    fn code_matches(&self, state: &ChallengeState, to: &str, typed: &str) -> bool {
        if typed.len() > MAX_TYPED_CODE_BYTES {
            return false;
        }
        let cleaned: Vec<u8> = typed.bytes().filter(|b| *b != b' ' && *b != b'-').collect();
        if cleaned.is_empty() || !cleaned.iter().all(u8::is_ascii_digit) {
            return false;
        }
        // Compares in constant time.
        self.code_mac(&state.nonce, to, &cleaned)
            .verify_truncated_left(&state.code_tag)
            .is_ok()
    }

    fn challenge_mac(&self, body: &[u8], to: &str) -> HmacSha256 {
        let mut mac = self.mac.clone();
        mac.update(body);
        mac.update(to.as_bytes());
        mac
    }

    fn seal(&self, state: &ChallengeState, to: &str) -> String {
        let mut bytes = [0u8; CHALLENGE_BYTES];
        bytes[0] = VERSION;
        bytes[OFFSET_FLAGS] = if state.spent { FLAG_SPENT } else { 0 };
        bytes[OFFSET_ATTEMPTS] = state.attempts;
        bytes[OFFSET_EXPIRY..OFFSET_NONCE].copy_from_slice(&state.expiry_ms.to_be_bytes());
        bytes[OFFSET_NONCE..OFFSET_CODE_TAG].copy_from_slice(&state.nonce);
        bytes[OFFSET_CODE_TAG..OFFSET_MAC].copy_from_slice(&state.code_tag);
        let tag = self
            .challenge_mac(&bytes[..OFFSET_MAC], to)
            .finalize()
            .into_bytes();
        bytes[OFFSET_MAC..].copy_from_slice(&tag);
        base64url_encode(&bytes)
    }

    /// The state of a challenge whose tag verifies for `to`, else `None`.
    fn open(&self, challenge: &str, to: &str) -> Option<ChallengeState> {
        if challenge.len() != CHALLENGE_CHARS {
            return None;
        }
        let bytes = base64url_decode(challenge)?;
        if bytes.len() != CHALLENGE_BYTES || bytes[0] != VERSION {
            return None;
        }
        // Compares in constant time.
        self.challenge_mac(&bytes[..OFFSET_MAC], to)
            .verify_slice(&bytes[OFFSET_MAC..])
            .ok()?;
        // Only reached for challenges this issuer sealed, so the rest is trusted;
        // still, refuse anything this version never writes.
        let flags = bytes[OFFSET_FLAGS];
        if flags & !FLAG_SPENT != 0 {
            return None;
        }
        let mut expiry = [0u8; 8];
        expiry.copy_from_slice(&bytes[OFFSET_EXPIRY..OFFSET_NONCE]);
        let mut nonce = [0u8; NONCE_BYTES];
        nonce.copy_from_slice(&bytes[OFFSET_NONCE..OFFSET_CODE_TAG]);
        let mut code_tag = [0u8; CODE_TAG_BYTES];
        code_tag.copy_from_slice(&bytes[OFFSET_CODE_TAG..OFFSET_MAC]);
        Some(ChallengeState {
            spent: flags & FLAG_SPENT != 0,
            attempts: bytes[OFFSET_ATTEMPTS],
            expiry_ms: u64::from_be_bytes(expiry),
            nonce,
            code_tag,
        })
    }
}

/// `HMAC-SHA256(secret, label)` as the key of a new HMAC.
fn derive_key(secret: &[u8], label: &[u8]) -> Result<HmacSha256> {
    let mut kdf = HmacSha256::new_from_slice(secret)
        .map_err(|_| Error::config("secret: cannot key HMAC-SHA256"))?;
    kdf.update(label);
    let key = kdf.finalize().into_bytes();
    HmacSha256::new_from_slice(&key).map_err(|_| Error::config("secret: cannot key HMAC-SHA256"))
}

/// A code of `digits` decimal digits (4 to 10, else a config error on `digits`),
/// each uniform over 0-9 and independent, from the operating system's random
/// source. Leading zeros are kept.
///
/// Bytes are drawn from the OS on every call (not from a user-space generator
/// that a `fork()` would duplicate), and each digit is a byte below 250 taken
/// mod 10: 250 is a multiple of 10, so no digit is more likely than another.
pub fn random_code(digits: u32) -> Result<OtpCode> {
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits) {
        return Err(option_error(
            "digits",
            format!("must be from {MIN_DIGITS} to {MAX_DIGITS}, got {digits}"),
        ));
    }
    let wanted = digits as usize;
    let mut code = String::with_capacity(wanted);
    // 16 bytes give 10 digits with probability above 0.99; otherwise draw again.
    let mut pool = [0u8; 16];
    while code.len() < wanted {
        fill_random(&mut pool)?;
        for byte in pool {
            if code.len() == wanted {
                break;
            }
            if byte < 250 {
                code.push(char::from(b'0' + byte % 10));
            }
        }
    }
    pool.fill(0);
    Ok(OtpCode(code))
}

fn fill_random(buf: &mut [u8]) -> Result<()> {
    OsRng
        .try_fill_bytes(buf)
        .map_err(|e| Error::config(format!("the operating system's random source failed: {e}")))
}

/// Put the code into a template: `template` must contain [`CODE_PLACEHOLDER`]
/// (`{code}`) exactly once, else a validation error on `template`. There is no
/// escape syntax: `{{code}}` holds one placeholder and renders as `{123456}`.
pub fn render(template: &str, code: &str) -> Result<String> {
    let found = template.matches(CODE_PLACEHOLDER).count();
    if found != 1 {
        return Err(Error::validation(
            "template",
            format!("must contain {CODE_PLACEHOLDER} exactly once, found it {found} times"),
        ));
    }
    Ok(template.replacen(CODE_PLACEHOLDER, code, 1))
}

fn unix_millis(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(duration_millis)
        .unwrap_or(0)
}

fn duration_millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding, for inputs whose length is a multiple of 3.
fn base64url_encode(bytes: &[u8]) -> String {
    debug_assert_eq!(bytes.len() % 3, 0);
    let mut out = String::with_capacity(bytes.len() / 3 * 4);
    for group in bytes.chunks_exact(3) {
        let n = u32::from(group[0]) << 16 | u32::from(group[1]) << 8 | u32::from(group[2]);
        for shift in [18, 12, 6, 0] {
            out.push(char::from(BASE64URL[(n >> shift & 63) as usize]));
        }
    }
    out
}

/// The inverse of [`base64url_encode`]: whole groups of 4 characters only, so each
/// text has exactly one decoding.
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if text.len() % 4 != 0 {
        return None;
    }
    let value = |c: u8| -> Option<u32> {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        Some(u32::from(v))
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for group in text.chunks_exact(4) {
        let mut n = 0u32;
        for &c in group {
            n = n << 6 | value(c)?;
        }
        out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trip() {
        let bytes: Vec<u8> = (0..=255u8).chain(0..=1).collect();
        assert_eq!(bytes.len() % 3, 0);
        let text = base64url_encode(&bytes);
        assert!(text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(base64url_decode(&text).as_deref(), Some(&bytes[..]));
        assert_eq!(base64url_decode("AAA"), None);
        assert_eq!(base64url_decode("AA=="), None);
        assert_eq!(base64url_decode("AA+/"), None);
    }

    #[test]
    fn layout_is_padding_free() {
        assert_eq!(CHALLENGE_BYTES, 75);
        assert_eq!(CHALLENGE_BYTES % 3, 0);
        assert_eq!(CHALLENGE_CHARS, 100);
    }
}
