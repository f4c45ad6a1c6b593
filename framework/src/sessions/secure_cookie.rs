//! Flask's default session: the whole session in a signed cookie
//! (`SecureCookieSessionInterface`), with Flask's config keys and rules for when
//! the cookie is sent.

use cookie::time::{Duration as CookieDuration, OffsetDateTime};
use cookie::{Cookie, SameSite};
use http::header::{HeaderValue, SET_COOKIE, VARY};
use std::time::{Duration, SystemTime};

use super::{Session, SessionCodec, SessionInterface, SessionMap};
use crate::{Config, Error, Request, Response};

/// Werkzeug warns about cookies larger than this: browsers drop them.
const MAX_COOKIE_SIZE: usize = 4093;

/// The signed-cookie session, configured by Flask's keys (read when the app starts):
///
/// | key | default |
/// |---|---|
/// | `SECRET_KEY` (signs), `SECRET_KEY_FALLBACKS` (still verify) | none: a null session |
/// | `SESSION_COOKIE_NAME` | `"session"` |
/// | `SESSION_COOKIE_DOMAIN` | none (the cookie is the host's only) |
/// | `SESSION_COOKIE_PATH` | `APPLICATION_ROOT`, `"/"` |
/// | `SESSION_COOKIE_HTTPONLY`, `SESSION_COOKIE_SECURE`, `SESSION_COOKIE_PARTITIONED` | `true`, `false`, `false` |
/// | `SESSION_COOKIE_SAMESITE` | none (`"Lax"`, `"Strict"` or `"None"`) |
/// | `SESSION_REFRESH_EACH_REQUEST` | `true` |
/// | `PERMANENT_SESSION_LIFETIME` | 31 days (seconds) |
///
/// As Flask: a cookie that is tampered with, signed with another key, or older than
/// `PERMANENT_SESSION_LIFETIME` (for every session, permanent or not) reads as an
/// empty session; the cookie is sent when the session changed, or on every
/// response for a permanent session when `SESSION_REFRESH_EACH_REQUEST` is on; an
/// emptied session deletes it; a response whose session was read or written varies
/// with `Cookie`.
#[derive(Debug)]
pub struct SecureCookieSessionInterface {
    codec: Option<SessionCodec>,
    cookie_name: String,
    domain: Option<String>,
    path: String,
    http_only: bool,
    secure: bool,
    partitioned: bool,
    same_site: Option<SameSite>,
    refresh_each_request: bool,
    lifetime: Duration,
}

impl SecureCookieSessionInterface {
    /// Reads Flask's session keys from `config`; an [`Error::Config`] names a key
    /// whose value does not fit.
    pub fn from_config(config: &Config) -> Result<SecureCookieSessionInterface, Error> {
        let flag = |key: &str, default: bool| Ok::<_, Error>(config.get_bool(key)?.unwrap_or(default));
        let secret = config.get_str("SECRET_KEY")?.filter(|secret| !secret.is_empty());
        let fallbacks = config.get_str_list("SECRET_KEY_FALLBACKS")?.unwrap_or_default();
        let codec = secret.map(|secret| SessionCodec::new(secret, &fallbacks)).transpose()?;
        let same_site = match config.get_str("SESSION_COOKIE_SAMESITE")? {
            None => None,
            Some("Lax") => Some(SameSite::Lax),
            Some("Strict") => Some(SameSite::Strict),
            Some("None") => Some(SameSite::None),
            Some(_) => {
                return Err(Error::Config {
                    key: "SESSION_COOKIE_SAMESITE".into(),
                    message: "must be \"Lax\", \"Strict\", \"None\" or null".into(),
                });
            }
        };
        let path = match config.get_str("SESSION_COOKIE_PATH")? {
            Some(path) => path.to_string(),
            None => config.get_str("APPLICATION_ROOT")?.unwrap_or("/").to_string(),
        };
        Ok(SecureCookieSessionInterface {
            codec,
            cookie_name: config.get_str("SESSION_COOKIE_NAME")?.unwrap_or("session").to_string(),
            domain: config.get_str("SESSION_COOKIE_DOMAIN")?.map(str::to_string),
            path,
            http_only: flag("SESSION_COOKIE_HTTPONLY", true)?,
            secure: flag("SESSION_COOKIE_SECURE", false)?,
            partitioned: flag("SESSION_COOKIE_PARTITIONED", false)?,
            same_site,
            refresh_each_request: flag("SESSION_REFRESH_EACH_REQUEST", true)?,
            lifetime: config.get_duration("PERMANENT_SESSION_LIFETIME")?.unwrap_or(Duration::from_secs(31 * 86_400)),
        })
    }

    /// The session cookie with the configured attributes.
    fn cookie(&self, value: String) -> Cookie<'static> {
        let mut cookie = Cookie::build((self.cookie_name.clone(), value))
            .path(self.path.clone())
            .http_only(self.http_only)
            .secure(self.secure)
            .partitioned(self.partitioned)
            .build();
        if let Some(domain) = &self.domain {
            cookie.set_domain(domain.clone());
        }
        if let Some(same_site) = self.same_site {
            cookie.set_same_site(same_site);
        }
        cookie
    }
}

impl SessionInterface for SecureCookieSessionInterface {
    fn open(&self, request: &Request) -> Option<SessionMap> {
        let codec = self.codec.as_ref()?;
        let Some(cookie) = request.cookie(&self.cookie_name).filter(|cookie| !cookie.is_empty()) else {
            return Some(SessionMap::new());
        };
        match codec.decode(cookie, self.lifetime, SystemTime::now()) {
            Ok(values) => Some(values),
            Err(error) => {
                tracing::debug!(target: "phial::session", %error, "session cookie refused; an empty session");
                Some(SessionMap::new())
            }
        }
    }

    fn save(&self, _request: &Request, session: &Session, response: &mut Response) {
        let Some(codec) = &self.codec else { return };
        let state = session.state();
        if state.accessed {
            vary_on_cookie(response);
        }
        if state.values.is_empty() {
            if state.modified {
                let mut cookie = self.cookie(String::new());
                cookie.set_expires(OffsetDateTime::UNIX_EPOCH);
                cookie.set_max_age(CookieDuration::ZERO);
                set_cookie(response, &cookie);
                vary_on_cookie(response);
            }
            return;
        }
        let permanent = state.permanent();
        if !(state.modified || (permanent && self.refresh_each_request)) {
            return;
        }
        let now = SystemTime::now();
        let mut cookie = self.cookie(codec.encode(&state.values, now));
        if permanent {
            let seconds = i64::try_from(self.lifetime.as_secs()).unwrap_or(i64::MAX);
            cookie.set_expires(OffsetDateTime::now_utc().saturating_add(CookieDuration::seconds(seconds)));
        }
        set_cookie(response, &cookie);
        vary_on_cookie(response);
    }
}

/// Adds a `Set-Cookie` header; warns, as Werkzeug does, when browsers would drop it.
fn set_cookie(response: &mut Response, cookie: &Cookie<'_>) {
    let text = cookie.to_string();
    if text.len() > MAX_COOKIE_SIZE {
        tracing::warn!(
            target: "phial::session",
            size = text.len(),
            "the session cookie is {} bytes, over the {MAX_COOKIE_SIZE} browsers keep: it may be ignored",
            text.len()
        );
    }
    match HeaderValue::from_str(&text) {
        Ok(value) => {
            response.headers_mut().append(SET_COOKIE, value);
        }
        Err(_) => tracing::error!(target: "phial::session", "the session cookie is not a valid header value; not set"),
    }
}

/// Adds `Cookie` to the response's `Vary` header, once.
fn vary_on_cookie(response: &mut Response) {
    let existing: Vec<String> = response
        .headers()
        .get_all(VARY)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|item| item.trim().to_string())
        .filter(|item| !item.is_empty())
        .collect();
    if existing.iter().any(|item| item.eq_ignore_ascii_case("cookie") || item == "*") {
        return;
    }
    let joined = existing.into_iter().chain(std::iter::once("Cookie".to_string())).collect::<Vec<_>>().join(", ");
    if let Ok(value) = HeaderValue::from_str(&joined) {
        response.headers_mut().insert(VARY, value);
    }
}
