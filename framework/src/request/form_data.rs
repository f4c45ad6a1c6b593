//! `request.form` and `request.files`: the body read by its content type, once.

use bytes::Bytes;

use super::file_storage::Files;
use super::form_error::FormError;
use super::multidict::MultiDict;
use super::multipart::{self, FormLimits};
use super::options_header::parse_options_header;

/// The fields and files of a request body.
#[derive(Debug, Default)]
pub(crate) struct FormData {
    pub(crate) form: MultiDict,
    pub(crate) files: Files,
}

/// Reads `body` as Werkzeug's form parser does: `application/x-www-form-urlencoded`
/// into fields, `multipart/form-data` into fields and files, anything else into
/// nothing. `mimetype` is the request's, lowercased and without parameters.
pub(crate) fn load(
    mimetype: &str,
    content_type: Option<&str>,
    body: &Bytes,
    limits: FormLimits,
) -> Result<FormData, FormError> {
    match mimetype {
        "application/x-www-form-urlencoded" => Ok(FormData { form: MultiDict::parse(body), files: Files::new() }),
        "multipart/form-data" => {
            let (_, params) = parse_options_header(content_type.unwrap_or(""));
            let boundary = params.get("boundary").unwrap_or("");
            if boundary.is_empty() {
                return Err(FormError::malformed("the Content-Type has no boundary"));
            }
            if !boundary.is_ascii() {
                return Err(FormError::malformed("the boundary is not ASCII"));
            }
            let (form, files) = multipart::parse(body, boundary, limits)?;
            Ok(FormData { form, files })
        }
        _ => Ok(FormData::default()),
    }
}
