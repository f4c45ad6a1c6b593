//! `Form<T>`: a form body (urlencoded or multipart) parsed into a type.

use http::StatusCode;
use serde::de::DeserializeOwned;

use super::FromRequest;
use crate::{HttpError, Request, ViewError};

/// The fields of a form body parsed into `T`: an
/// `application/x-www-form-urlencoded` body, or the text fields of a
/// `multipart/form-data` body (its files are in [`Request::files`]).
///
/// Another content type is a 415; a missing or malformed field a 400 that says
/// which; a multipart body over Flask's form limits a 413, a malformed one a 400
/// (as [`Request::try_form`]). For the raw fields use [`Request::form`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Form<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Form<T> {
    fn from_request(request: &Request) -> Result<Self, ViewError> {
        let parsed = match request.mimetype().as_str() {
            "application/x-www-form-urlencoded" => serde_urlencoded::from_bytes(request.data()),
            "multipart/form-data" => {
                let fields = request.try_form()?;
                let mut encoded = form_urlencoded::Serializer::new(String::new());
                encoded.extend_pairs(fields.iter());
                serde_urlencoded::from_str(&encoded.finish())
            }
            _ => {
                return Err(HttpError::with_message(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "Expected a form body with Content-Type 'application/x-www-form-urlencoded' or \
                     'multipart/form-data'.",
                )
                .into());
            }
        };
        parsed.map(Form).map_err(|err| {
            tracing::debug!(target: "phial::request", error = %err, "bad form body");
            HttpError::with_message(StatusCode::BAD_REQUEST, format!("Invalid form body: {err}")).into()
        })
    }
}
