//! Tokens in cookies, with the CSRF double-submit value read from a header (or a
//! form field, urlencoded or multipart, with `JWT_CSRF_CHECK_FORM`) on the methods
//! of `JWT_CSRF_METHODS`.

use phial::Request;
use std::borrow::Cow;

use super::Found;
use crate::JwtError;
use crate::config::Settings;

/// The JWT cookie and the CSRF value to check it against, or why there is none.
pub(super) fn extract(request: &Request, settings: &Settings, refresh: bool) -> Result<Found<'static>, JwtError> {
    let names = settings.cookies(refresh);
    let token = match request.cookie(&names.cookie_name) {
        Some(token) if !token.is_empty() => Cow::Owned(token.to_string()),
        _ => {
            return Err(JwtError::NoAuthorization(format!("Missing cookie \"{}\"", names.cookie_name)));
        }
    };
    let csrf_needed = settings.csrf_protect && settings.csrf_methods.iter().any(|m| m == request.method().as_str());
    if !csrf_needed {
        return Ok(Found { token, csrf: None });
    }
    let mut csrf = request.header(names.csrf_header_name.as_str()).filter(|v| !v.is_empty()).map(str::to_string);
    if csrf.is_none() && settings.csrf_check_form {
        csrf = request.form().get(&names.csrf_field_name).filter(|v| !v.is_empty()).map(str::to_string);
    }
    match csrf {
        Some(csrf) => Ok(Found { token, csrf: Some(csrf) }),
        None => Err(JwtError::Csrf("Missing CSRF token".to_string())),
    }
}
