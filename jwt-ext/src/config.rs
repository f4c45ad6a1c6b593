//! The extension's configuration: every `JWT_*` key of flask-jwt-extended, with
//! upstream's defaults, read and checked once when the app starts.
//!
//! A missing secret, a value of the wrong type or an unsupported algorithm stops the
//! app at start with an error that names the key, instead of a 500 on the first
//! request as upstream.

use phial::{Config, Secret};
use serde_json::{Value, json};
use std::time::Duration;

use crate::algorithm::Algorithm;
use crate::keys::DEFAULT_RSA_MIN_BITS;
use crate::locations::location::Location;

/// `SameSite` attribute of the JWT cookies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SameSite {
    /// `SameSite=Lax`.
    Lax,
    /// `SameSite=Strict`.
    Strict,
    /// `SameSite=None` (needs `JWT_COOKIE_SECURE` in browsers).
    None,
}

/// The settings of one cookie and its CSRF companion (access or refresh).
#[derive(Clone, Debug, PartialEq)]
pub struct CookieNames {
    /// The JWT cookie's name (`JWT_ACCESS_COOKIE_NAME`).
    pub cookie_name: String,
    /// The JWT cookie's path (`JWT_ACCESS_COOKIE_PATH`).
    pub cookie_path: String,
    /// The CSRF cookie's name (`JWT_ACCESS_CSRF_COOKIE_NAME`).
    pub csrf_cookie_name: String,
    /// The CSRF cookie's path (`JWT_ACCESS_CSRF_COOKIE_PATH`).
    pub csrf_cookie_path: String,
    /// The header carrying the CSRF value (`JWT_ACCESS_CSRF_HEADER_NAME`).
    pub csrf_header_name: String,
    /// The form field carrying the CSRF value (`JWT_ACCESS_CSRF_FIELD_NAME`).
    pub csrf_field_name: String,
}

/// Every setting the extension reads, typed. Field docs name the config key.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// `JWT_ACCESS_TOKEN_EXPIRES`: `None` means never.
    pub access_expires: Option<Duration>,
    /// `JWT_REFRESH_TOKEN_EXPIRES`: `None` means never.
    pub refresh_expires: Option<Duration>,
    /// `JWT_ALGORITHM`.
    pub algorithm: Algorithm,
    /// `JWT_DECODE_ALGORITHMS` (always contains `algorithm`).
    pub decode_algorithms: Vec<Algorithm>,
    /// `JWT_SECRET_KEY`, else `SECRET_KEY`; `None` only when key loaders replace it.
    /// Printed as `[redacted]`.
    pub secret: Option<Secret>,
    /// `JWT_DECODE_AUDIENCE`.
    pub decode_audience: Option<Vec<String>>,
    /// `JWT_DECODE_ISSUER`.
    pub decode_issuer: Option<Vec<String>>,
    /// `JWT_DECODE_LEEWAY`.
    pub decode_leeway: Duration,
    /// `JWT_ENCODE_AUDIENCE`: a string or a list, as given.
    pub encode_audience: Option<Value>,
    /// `JWT_ENCODE_ISSUER`.
    pub encode_issuer: Option<String>,
    /// `JWT_ENCODE_NBF`.
    pub encode_nbf: bool,
    /// `JWT_VERIFY_SUB`.
    pub verify_sub: bool,
    /// `JWT_ERROR_MESSAGE_KEY`.
    pub error_message_key: String,
    /// `JWT_IDENTITY_CLAIM`.
    pub identity_claim: String,
    /// `JWT_TOKEN_LOCATION`, in order of precedence.
    pub token_location: Vec<Location>,
    /// `JWT_HEADER_NAME`.
    pub header_name: String,
    /// `JWT_HEADER_TYPE` (may be empty).
    pub header_type: String,
    /// `JWT_QUERY_STRING_NAME`.
    pub query_string_name: String,
    /// `JWT_QUERY_STRING_VALUE_PREFIX`.
    pub query_string_value_prefix: String,
    /// `JWT_JSON_KEY`.
    pub json_key: String,
    /// `JWT_REFRESH_JSON_KEY`.
    pub refresh_json_key: String,
    /// The access token's cookies.
    pub access_cookies: CookieNames,
    /// The refresh token's cookies.
    pub refresh_cookies: CookieNames,
    /// `JWT_COOKIE_SECURE`.
    pub cookie_secure: bool,
    /// `JWT_COOKIE_DOMAIN` (a leading `.` removed, as Werkzeug does).
    pub cookie_domain: Option<String>,
    /// `JWT_COOKIE_SAMESITE`.
    pub cookie_samesite: Option<SameSite>,
    /// `JWT_SESSION_COOKIE`.
    pub session_cookie: bool,
    /// `JWT_COOKIE_CSRF_PROTECT`.
    pub csrf_protect: bool,
    /// `JWT_CSRF_METHODS`, uppercase.
    pub csrf_methods: Vec<String>,
    /// `JWT_CSRF_IN_COOKIES`.
    pub csrf_in_cookies: bool,
    /// `JWT_CSRF_CHECK_FORM`.
    pub csrf_check_form: bool,
    /// `JWT_MAX_TOKEN_LENGTH` (phial): longer tokens are refused before decoding.
    pub max_token_length: usize,
    /// `JWT_REQUIRE_STRONG_SECRET` (phial): refuse secrets shorter than the hash.
    pub require_strong_secret: bool,
    /// `JWT_PRIVATE_KEY`: the PEM private key that signs, for asymmetric algorithms.
    pub private_key: Option<Secret>,
    /// `JWT_PUBLIC_KEY`: the PEM or OpenSSH public key that verifies, for
    /// asymmetric algorithms (derived from `JWT_PRIVATE_KEY` when absent).
    pub public_key: Option<String>,
    /// `JWT_RSA_MIN_KEY_BITS` (phial): RSA keys with a shorter modulus are refused
    /// at start (default 2048).
    pub rsa_min_key_bits: usize,
    /// `JWT_REFRESH_TOKEN_ROTATION` (phial): each refresh retires the refresh token
    /// used, and a second use revokes its whole family.
    pub refresh_rotation: bool,
    /// `JWT_REFRESH_TOKEN_REUSE_GRACE` (phial, seconds, default 0): how long after
    /// its first use a retired refresh token may still be used (a client retrying).
    pub refresh_reuse_grace: Duration,
}

/// Upstream's defaults (plus phial's own keys), set on the app's config when the
/// manager is created, as `init_app` does with `setdefault`.
pub(crate) fn defaults() -> Vec<(&'static str, Value)> {
    vec![
        ("JWT_ACCESS_TOKEN_EXPIRES", json!(900)),
        ("JWT_REFRESH_TOKEN_EXPIRES", json!(2_592_000)),
        ("JWT_ALGORITHM", json!("HS256")),
        ("JWT_DECODE_ALGORITHMS", Value::Null),
        ("JWT_SECRET_KEY", Value::Null),
        ("JWT_PRIVATE_KEY", Value::Null),
        ("JWT_PUBLIC_KEY", Value::Null),
        ("JWT_DECODE_AUDIENCE", Value::Null),
        ("JWT_DECODE_ISSUER", Value::Null),
        ("JWT_DECODE_LEEWAY", json!(0)),
        ("JWT_ENCODE_AUDIENCE", Value::Null),
        ("JWT_ENCODE_ISSUER", Value::Null),
        ("JWT_ENCODE_NBF", json!(true)),
        ("JWT_VERIFY_SUB", json!(true)),
        ("JWT_ERROR_MESSAGE_KEY", json!("msg")),
        ("JWT_IDENTITY_CLAIM", json!("sub")),
        ("JWT_TOKEN_LOCATION", json!(["headers"])),
        ("JWT_HEADER_NAME", json!("Authorization")),
        ("JWT_HEADER_TYPE", json!("Bearer")),
        ("JWT_QUERY_STRING_NAME", json!("jwt")),
        ("JWT_QUERY_STRING_VALUE_PREFIX", json!("")),
        ("JWT_JSON_KEY", json!("access_token")),
        ("JWT_REFRESH_JSON_KEY", json!("refresh_token")),
        ("JWT_ACCESS_COOKIE_NAME", json!("access_token_cookie")),
        ("JWT_ACCESS_COOKIE_PATH", json!("/")),
        ("JWT_REFRESH_COOKIE_NAME", json!("refresh_token_cookie")),
        ("JWT_REFRESH_COOKIE_PATH", json!("/")),
        ("JWT_COOKIE_SECURE", json!(false)),
        ("JWT_COOKIE_DOMAIN", Value::Null),
        ("JWT_COOKIE_SAMESITE", Value::Null),
        ("JWT_SESSION_COOKIE", json!(true)),
        ("JWT_COOKIE_CSRF_PROTECT", json!(true)),
        ("JWT_CSRF_METHODS", json!(["POST", "PUT", "PATCH", "DELETE"])),
        ("JWT_CSRF_IN_COOKIES", json!(true)),
        ("JWT_CSRF_CHECK_FORM", json!(false)),
        ("JWT_ACCESS_CSRF_COOKIE_NAME", json!("csrf_access_token")),
        ("JWT_ACCESS_CSRF_COOKIE_PATH", json!("/")),
        ("JWT_ACCESS_CSRF_HEADER_NAME", json!("X-CSRF-TOKEN")),
        ("JWT_ACCESS_CSRF_FIELD_NAME", json!("csrf_token")),
        ("JWT_REFRESH_CSRF_COOKIE_NAME", json!("csrf_refresh_token")),
        ("JWT_REFRESH_CSRF_COOKIE_PATH", json!("/")),
        ("JWT_REFRESH_CSRF_HEADER_NAME", json!("X-CSRF-TOKEN")),
        ("JWT_REFRESH_CSRF_FIELD_NAME", json!("csrf_token")),
        ("JWT_MAX_TOKEN_LENGTH", json!(8192)),
        ("JWT_REQUIRE_STRONG_SECRET", json!(false)),
        ("JWT_RSA_MIN_KEY_BITS", json!(DEFAULT_RSA_MIN_BITS)),
        ("JWT_REFRESH_TOKEN_ROTATION", json!(false)),
        ("JWT_REFRESH_TOKEN_REUSE_GRACE", json!(0)),
    ]
}

/// A config problem, naming the key.
fn invalid(key: &str, message: impl Into<String>) -> phial::Error {
    phial::Error::Config { key: key.to_string(), message: message.into() }
}

fn string(config: &Config, key: &str, default: &str) -> Result<String, phial::Error> {
    Ok(config.get_str(key)?.unwrap_or(default).to_string())
}

fn boolean(config: &Config, key: &str, default: bool) -> Result<bool, phial::Error> {
    Ok(config.get_bool(key)?.unwrap_or(default))
}

/// A string or a list of strings; `None` when absent, null or empty.
fn string_list(config: &Config, key: &str) -> Result<Option<Vec<String>>, phial::Error> {
    Ok(config.get_str_list(key)?.filter(|list| !list.is_empty()))
}

fn cookie_names(config: &Config, kind: &str) -> Result<CookieNames, phial::Error> {
    let key = |suffix: &str| format!("JWT_{kind}_{suffix}");
    let default = |suffix: &str| -> String {
        defaults()
            .into_iter()
            .find(|(k, _)| *k == key(suffix))
            .and_then(|(_, v)| v.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let get = |suffix: &str| string(config, &key(suffix), &default(suffix));
    Ok(CookieNames {
        cookie_name: get("COOKIE_NAME")?,
        cookie_path: get("COOKIE_PATH")?,
        csrf_cookie_name: get("CSRF_COOKIE_NAME")?,
        csrf_cookie_path: get("CSRF_COOKIE_PATH")?,
        csrf_header_name: get("CSRF_HEADER_NAME")?,
        csrf_field_name: get("CSRF_FIELD_NAME")?,
    })
}

fn expiry(config: &Config, key: &str, default: u64) -> Result<Option<Duration>, phial::Error> {
    Ok(config.get_expiry(key)?.unwrap_or(Some(Duration::from_secs(default))))
}

impl Settings {
    /// Reads and checks the settings. `has_key_loaders` tells whether both key
    /// loaders are custom, in which case no secret is needed.
    pub(crate) fn from_config(config: &Config, has_key_loaders: bool) -> Result<Settings, phial::Error> {
        let algorithm_name = string(config, "JWT_ALGORITHM", "HS256")?;
        let algorithm: Algorithm = algorithm_name.parse().map_err(|err| invalid("JWT_ALGORITHM", format!("{err}")))?;
        let mut decode_algorithms = Vec::new();
        for name in string_list(config, "JWT_DECODE_ALGORITHMS")?.unwrap_or_default() {
            let alg: Algorithm = name.parse().map_err(|err| invalid("JWT_DECODE_ALGORITHMS", format!("{err}")))?;
            decode_algorithms.push(alg);
        }
        if !decode_algorithms.contains(&algorithm) {
            decode_algorithms.push(algorithm);
        }

        let secret = match config.get_str("JWT_SECRET_KEY")?.filter(|s| !s.is_empty()) {
            Some(secret) => Some(Secret::new(secret)),
            None => config.get_str("SECRET_KEY")?.filter(|s| !s.is_empty()).map(Secret::new),
        };
        let require_strong_secret = boolean(config, "JWT_REQUIRE_STRONG_SECRET", false)?;
        let private_key = config.get_str("JWT_PRIVATE_KEY")?.filter(|s| !s.is_empty()).map(Secret::new);
        let public_key = config.get_str("JWT_PUBLIC_KEY")?.filter(|s| !s.is_empty()).map(str::to_owned);
        let rsa_min_key_bits = config.get_usize("JWT_RSA_MIN_KEY_BITS")?.unwrap_or(DEFAULT_RSA_MIN_BITS);
        if algorithm.is_hmac() {
            keys::check_secret(secret.as_ref(), algorithm, has_key_loaders, require_strong_secret)?;
        } else if public_key.is_none() && private_key.is_none() && !has_key_loaders {
            return Err(invalid(
                "JWT_PUBLIC_KEY",
                format!("must be set (or JWT_PRIVATE_KEY) when using asymmetric algorithm \"{algorithm}\""),
            ));
        }

        let leeway = config.get_f64("JWT_DECODE_LEEWAY")?.unwrap_or(0.0);
        let leeway = Duration::try_from_secs_f64(leeway.trunc())
            .map_err(|_| invalid("JWT_DECODE_LEEWAY", "must be a non-negative number of seconds"))?;

        let encode_audience = match config.get("JWT_ENCODE_AUDIENCE") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(value @ Value::String(_)) => Some(value.clone()),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                (!items.is_empty()).then(|| Value::Array(items.clone()))
            }
            Some(_) => return Err(invalid("JWT_ENCODE_AUDIENCE", "must be a string or a list of strings")),
        };

        let header_name = string(config, "JWT_HEADER_NAME", "Authorization")?;
        if header_name.is_empty() {
            return Err(invalid("JWT_HEADER_NAME", "cannot be empty"));
        }

        let cookie_samesite = match config.get_str("JWT_COOKIE_SAMESITE")? {
            None => None,
            Some(value) => Some(match value.to_ascii_lowercase().as_str() {
                "lax" => SameSite::Lax,
                "strict" => SameSite::Strict,
                "none" => SameSite::None,
                _ => {
                    return Err(invalid("JWT_COOKIE_SAMESITE", "must be \"Lax\", \"Strict\", \"None\" or null"));
                }
            }),
        };
        let cookie_secure = boolean(config, "JWT_COOKIE_SECURE", false)?;
        if cookie_samesite == Some(SameSite::None) && !cookie_secure {
            tracing::warn!(
                target: "phial_jwt",
                "JWT_COOKIE_SAMESITE is \"None\" but JWT_COOKIE_SECURE is false: browsers refuse such cookies"
            );
        }

        let max_token_length = config.get_usize("JWT_MAX_TOKEN_LENGTH")?.unwrap_or(8192);
        Ok(Settings {
            access_expires: expiry(config, "JWT_ACCESS_TOKEN_EXPIRES", 900)?,
            refresh_expires: expiry(config, "JWT_REFRESH_TOKEN_EXPIRES", 2_592_000)?,
            algorithm,
            decode_algorithms,
            secret,
            private_key,
            public_key,
            rsa_min_key_bits,
            decode_audience: string_list(config, "JWT_DECODE_AUDIENCE")?,
            decode_issuer: string_list(config, "JWT_DECODE_ISSUER")?,
            decode_leeway: leeway,
            encode_audience,
            encode_issuer: config.get_str("JWT_ENCODE_ISSUER")?.filter(|s| !s.is_empty()).map(str::to_string),
            encode_nbf: boolean(config, "JWT_ENCODE_NBF", true)?,
            verify_sub: boolean(config, "JWT_VERIFY_SUB", true)?,
            error_message_key: string(config, "JWT_ERROR_MESSAGE_KEY", "msg")?,
            identity_claim: string(config, "JWT_IDENTITY_CLAIM", "sub")?,
            token_location: token_locations(config)?,
            header_name,
            header_type: string(config, "JWT_HEADER_TYPE", "Bearer")?,
            query_string_name: string(config, "JWT_QUERY_STRING_NAME", "jwt")?,
            query_string_value_prefix: string(config, "JWT_QUERY_STRING_VALUE_PREFIX", "")?,
            json_key: string(config, "JWT_JSON_KEY", "access_token")?,
            refresh_json_key: string(config, "JWT_REFRESH_JSON_KEY", "refresh_token")?,
            access_cookies: cookie_names(config, "ACCESS")?,
            refresh_cookies: cookie_names(config, "REFRESH")?,
            cookie_secure,
            cookie_domain: config.get_str("JWT_COOKIE_DOMAIN")?.map(|d| d.trim_start_matches('.').to_string()),
            cookie_samesite,
            session_cookie: boolean(config, "JWT_SESSION_COOKIE", true)?,
            csrf_protect: boolean(config, "JWT_COOKIE_CSRF_PROTECT", true)?,
            csrf_methods: string_list(config, "JWT_CSRF_METHODS")?
                .unwrap_or_else(|| vec!["POST".into(), "PUT".into(), "PATCH".into(), "DELETE".into()])
                .into_iter()
                .map(|m| m.to_ascii_uppercase())
                .collect(),
            csrf_in_cookies: boolean(config, "JWT_CSRF_IN_COOKIES", true)?,
            csrf_check_form: boolean(config, "JWT_CSRF_CHECK_FORM", false)?,
            max_token_length,
            require_strong_secret,
            refresh_rotation: boolean(config, "JWT_REFRESH_TOKEN_ROTATION", false)?,
            refresh_reuse_grace: Duration::try_from_secs_f64(
                config.get_f64("JWT_REFRESH_TOKEN_REUSE_GRACE")?.unwrap_or(0.0),
            )
            .map_err(|_| invalid("JWT_REFRESH_TOKEN_REUSE_GRACE", "must be a non-negative number of seconds"))?,
        })
    }

    /// The cookie settings for an access (`refresh == false`) or refresh token.
    pub fn cookies(&self, refresh: bool) -> &CookieNames {
        if refresh { &self.refresh_cookies } else { &self.access_cookies }
    }
}

/// `JWT_TOKEN_LOCATION` with upstream's messages for its mistakes.
fn token_locations(config: &Config) -> Result<Vec<Location>, phial::Error> {
    const KEY: &str = "JWT_TOKEN_LOCATION";
    let names = match config.get(KEY) {
        None | Some(Value::Null) => vec!["headers".to_string()],
        Some(Value::String(name)) => vec![name.clone()],
        Some(Value::Array(items)) => {
            items.iter().map(|item| item.as_str().map(str::to_string)).collect::<Option<Vec<_>>>().ok_or_else(|| {
                invalid(KEY, "can only contain \"headers\", \"cookies\", \"query_string\", or \"json\"")
            })?
        }
        Some(_) => return Err(invalid(KEY, "must be a sequence or a set")),
    };
    if names.is_empty() {
        return Err(invalid(
            KEY,
            "must contain at least one of \"headers\", \"cookies\", \"query_string\", or \"json\"",
        ));
    }
    let mut locations = Vec::with_capacity(names.len());
    for name in names {
        let location: Location = name
            .parse()
            .map_err(|_| invalid(KEY, "can only contain \"headers\", \"cookies\", \"query_string\", or \"json\""))?;
        if !locations.contains(&location) {
            locations.push(location);
        }
    }
    Ok(locations)
}

mod keys;
pub(crate) use keys::ConfiguredKeys;

#[cfg(test)]
mod tests;
