//! Why a form body could not be read, and the HTTP error that answers it.

use http::StatusCode;
use std::fmt;

use crate::HttpError;

/// A form body phial refuses: over Flask's form limits (413, as Werkzeug's
/// `RequestEntityTooLarge`) or not a readable `multipart/form-data` body (400).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FormError {
    /// A text field, or the bytes before the first boundary, longer than
    /// `MAX_FORM_MEMORY_SIZE`.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// More parts than `MAX_FORM_PARTS`.
    TooManyParts {
        /// The limit.
        limit: usize,
    },
    /// A body that is not valid multipart data: what is wrong with it.
    Malformed(String),
}

impl FormError {
    pub(crate) fn malformed(reason: impl fmt::Display) -> FormError {
        FormError::Malformed(reason.to_string())
    }

    /// multer's error, with its cause (`failed to read headers: too many headers`).
    pub(crate) fn from_multer(error: &multer::Error) -> FormError {
        match std::error::Error::source(error) {
            Some(cause) => FormError::Malformed(format!("{error}: {cause}")),
            None => FormError::malformed(error),
        }
    }

    /// The error a view raises for it (a 413 or a 400 with a JSON body).
    pub(crate) fn to_http_error(&self) -> HttpError {
        match self {
            FormError::TooLarge { limit } => HttpError::with_message(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The form data exceeds MAX_FORM_MEMORY_SIZE ({limit} bytes)."),
            ),
            FormError::TooManyParts { limit } => HttpError::with_message(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The form has more parts than MAX_FORM_PARTS ({limit})."),
            ),
            FormError::Malformed(reason) => {
                HttpError::with_message(StatusCode::BAD_REQUEST, format!("Invalid multipart form body: {reason}."))
            }
        }
    }
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.to_http_error().message())
    }
}
