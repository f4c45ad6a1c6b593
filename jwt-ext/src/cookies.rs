//! Setting and clearing the JWT cookies: `set_access_cookies`,
//! `set_refresh_cookies`, `unset_jwt_cookies`, `unset_access_cookies`,
//! `unset_refresh_cookies`, with flask-jwt-extended's names and attributes.
//!
//! The JWT cookie is always `HttpOnly`; its CSRF companion (when
//! `JWT_COOKIE_CSRF_PROTECT` and `JWT_CSRF_IN_COOKIES`) never is, so that the page's
//! JavaScript can read it and echo it in the `X-CSRF-TOKEN` header.
//!
//! ```
//! use phial::prelude::*;
//! use phial_jwt::prelude::*;
//! use phial_jwt::cookies::{set_access_cookies, unset_jwt_cookies};
//!
//! #[post("/login")]
//! async fn login() -> Result<Response, JwtError> {
//!     let mut response = jsonify!({"msg": "login successful"}).into_response();
//!     set_access_cookies(&mut response, &create_access_token("test")?, None)?;
//!     Ok(response)
//! }
//!
//! #[post("/logout")]
//! async fn logout() -> Result<Response, JwtError> {
//!     let mut response = jsonify!({"msg": "logout successful"}).into_response();
//!     unset_jwt_cookies(&mut response, None)?;
//!     Ok(response)
//! }
//! # let mut app = App::new("cookies");
//! # app.register(routes![login, logout]);
//! ```

use phial::Response;
use phial::cookie::time::{Duration as CookieDuration, OffsetDateTime};
use phial::cookie::{Cookie, SameSite as CookieSameSite};
use phial::response::ResponseCookies;
use std::time::Duration;

use crate::config::{CookieNames, SameSite, Settings};
use crate::decode::decode;
use crate::{JWTManager, JwtError};

/// The max age of persistent JWT cookies: 365 days and 4000 seconds, as upstream.
const PERSISTENT_MAX_AGE: Duration = Duration::from_secs(31_540_000);

/// Overrides of the configured cookie attributes (upstream's `max_age=` and
/// `domain=` arguments). `None` converts to the defaults; a `Duration` sets the max
/// age.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CookieOptions {
    /// `Max-Age` (and `Expires`); default: none for session cookies, else 31540000 s.
    pub max_age: Option<Duration>,
    /// `Domain`; default: `JWT_COOKIE_DOMAIN`.
    pub domain: Option<String>,
}

impl From<Option<Duration>> for CookieOptions {
    fn from(max_age: Option<Duration>) -> CookieOptions {
        CookieOptions { max_age, domain: None }
    }
}

impl From<Duration> for CookieOptions {
    fn from(max_age: Duration) -> CookieOptions {
        CookieOptions { max_age: Some(max_age), domain: None }
    }
}

/// Sets the access-token cookie (and its CSRF cookie) on `response`. The token is
/// decoded to read its `csrf` claim, so an invalid or expired token is an error.
pub fn set_access_cookies(
    response: &mut Response,
    access_token: &str,
    options: impl Into<CookieOptions>,
) -> Result<(), JwtError> {
    set_cookies(response, access_token, false, options.into())
}

/// Sets the refresh-token cookie (and its CSRF cookie) on `response`.
pub fn set_refresh_cookies(
    response: &mut Response,
    refresh_token: &str,
    options: impl Into<CookieOptions>,
) -> Result<(), JwtError> {
    set_cookies(response, refresh_token, true, options.into())
}

/// Clears the access and refresh cookies and their CSRF cookies (in that order).
pub fn unset_jwt_cookies(response: &mut Response, domain: Option<&str>) -> Result<(), JwtError> {
    unset_access_cookies(response, domain)?;
    unset_refresh_cookies(response, domain)
}

/// Clears the access cookie and its CSRF cookie.
pub fn unset_access_cookies(response: &mut Response, domain: Option<&str>) -> Result<(), JwtError> {
    unset_cookies(response, false, domain)
}

/// Clears the refresh cookie and its CSRF cookie.
pub fn unset_refresh_cookies(response: &mut Response, domain: Option<&str>) -> Result<(), JwtError> {
    unset_cookies(response, true, domain)
}

fn set_cookies(response: &mut Response, token: &str, refresh: bool, options: CookieOptions) -> Result<(), JwtError> {
    let manager = JWTManager::current()?;
    let runtime = manager.runtime()?;
    let settings = &runtime.settings;
    let names = settings.cookies(refresh);
    let max_age = options.max_age.filter(|age| !age.is_zero()).or(if settings.session_cookie {
        None
    } else {
        Some(PERSISTENT_MAX_AGE)
    });
    let domain = options.domain.or_else(|| settings.cookie_domain.clone());
    let lifetime = Lifetime::from(max_age);

    let csrf = if settings.csrf_protect && settings.csrf_in_cookies {
        let decoded = decode(runtime, token, None, false)?;
        match decoded.claim("csrf").and_then(|value| value.as_str()) {
            Some(csrf) => Some(csrf.to_string()),
            None => return Err(JwtError::decode("Missing claim: csrf")),
        }
    } else {
        None
    };
    response.set_cookie(build(settings, names, Jar::Jwt, token, domain.as_deref(), lifetime));
    if let Some(csrf) = csrf {
        response.set_cookie(build(settings, names, Jar::Csrf, &csrf, domain.as_deref(), lifetime));
    }
    Ok(())
}

fn unset_cookies(response: &mut Response, refresh: bool, domain: Option<&str>) -> Result<(), JwtError> {
    let manager = JWTManager::current()?;
    let settings = manager.settings()?;
    let names = settings.cookies(refresh);
    let domain = domain.map(str::to_string).or_else(|| settings.cookie_domain.clone());
    response.set_cookie(build(settings, names, Jar::Jwt, "", domain.as_deref(), Lifetime::Expired));
    if settings.csrf_protect && settings.csrf_in_cookies {
        response.set_cookie(build(settings, names, Jar::Csrf, "", domain.as_deref(), Lifetime::Expired));
    }
    Ok(())
}

/// Which of the two cookies.
#[derive(Clone, Copy)]
enum Jar {
    Jwt,
    Csrf,
}

/// How long a cookie lives.
#[derive(Clone, Copy)]
enum Lifetime {
    /// Until the browser closes: no `Max-Age`, no `Expires`.
    Session,
    /// `Max-Age` and the matching `Expires`.
    For(Duration),
    /// `Expires` in 1970: deletes the cookie.
    Expired,
}

impl From<Option<Duration>> for Lifetime {
    fn from(max_age: Option<Duration>) -> Lifetime {
        max_age.map_or(Lifetime::Session, Lifetime::For)
    }
}

fn build(
    settings: &Settings,
    names: &CookieNames,
    jar: Jar,
    value: &str,
    domain: Option<&str>,
    lifetime: Lifetime,
) -> Cookie<'static> {
    let (name, path, http_only) = match jar {
        Jar::Jwt => (&names.cookie_name, &names.cookie_path, true),
        Jar::Csrf => (&names.csrf_cookie_name, &names.csrf_cookie_path, false),
    };
    // `secure` is always set explicitly: the cookie crate would otherwise add
    // `Secure` to `SameSite=None` cookies, and phial emits exactly what is configured.
    let mut cookie = Cookie::build((name.clone(), value.to_string()))
        .path(path.clone())
        .http_only(http_only)
        .secure(settings.cookie_secure)
        .build();
    if let Some(domain) = domain {
        cookie.set_domain(domain.trim_start_matches('.').to_string());
    }
    if let Some(same_site) = settings.cookie_samesite {
        cookie.set_same_site(match same_site {
            SameSite::Lax => CookieSameSite::Lax,
            SameSite::Strict => CookieSameSite::Strict,
            SameSite::None => CookieSameSite::None,
        });
    }
    match lifetime {
        Lifetime::Session => {}
        Lifetime::For(max_age) => {
            let seconds = i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX);
            cookie.set_max_age(CookieDuration::seconds(seconds));
            cookie.set_expires(OffsetDateTime::now_utc().saturating_add(CookieDuration::seconds(seconds)));
        }
        Lifetime::Expired => cookie.set_expires(OffsetDateTime::UNIX_EPOCH),
    }
    cookie
}
