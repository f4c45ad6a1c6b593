//! Message flashing: `flash` stores a message for the next request that shows it,
//! and `get_flashed_messages` takes them out, once. Kept in the session under
//! Flask's `_flashes` key as `(category, message)` tuples, so that a Flask service
//! and a phial service sharing the session see each other's messages.
//!
//! ```
//! use phial::prelude::*;
//! use phial::sessions::{flash, flash_category, get_flashed_messages};
//!
//! async fn save() -> Result<&'static str, ViewError> {
//!     flash("Saved")?;
//!     flash_category("Disk almost full", "warning")?;
//!     Ok("ok")
//! }
//!
//! async fn next_page() -> Result<String, ViewError> {
//!     Ok(get_flashed_messages()?.join("; ")) // "Saved; Disk almost full", then never again
//! }
//! # let mut app = App::new("demo");
//! # app.route("/save", ["POST"], save);
//! # app.route("/next", ["GET"], next_page);
//! ```

use super::SessionValue;
use crate::{Error, Request};

/// The session key Flask keeps flashed messages under.
const FLASHES: &str = "_flashes";

/// The messages this request took out of the session (taken once per request, as
/// Flask caches them in the request context).
#[derive(Clone)]
struct Taken(Vec<(String, String)>);

/// Flashes `message` in the category `"message"` (Flask's `flash(message)`).
pub fn flash(message: impl Into<String>) -> Result<(), Error> {
    flash_category(message, "message")
}

/// Flashes `message` in `category` (Flask's `flash(message, category)`).
pub fn flash_category(message: impl Into<String>, category: impl Into<String>) -> Result<(), Error> {
    let session = crate::request()?.session();
    let mut flashes = match session.get(FLASHES) {
        Some(SessionValue::List(flashes)) => flashes,
        _ => Vec::new(),
    };
    flashes
        .push(SessionValue::Tuple(vec![SessionValue::String(category.into()), SessionValue::String(message.into())]));
    session.set(FLASHES, SessionValue::List(flashes))
}

/// The flashed messages, taken out of the session the first time a request asks
/// (Flask's `get_flashed_messages()`).
pub fn get_flashed_messages() -> Result<Vec<String>, Error> {
    Ok(taken(&crate::request()?)?.into_iter().map(|(_, message)| message).collect())
}

/// The flashed messages with their categories, only those in `category_filter`
/// when it is not empty (Flask's `get_flashed_messages(with_categories=True,
/// category_filter=..)`).
pub fn get_flashed_messages_with_categories(category_filter: &[&str]) -> Result<Vec<(String, String)>, Error> {
    let flashes = taken(&crate::request()?)?;
    Ok(flashes
        .into_iter()
        .filter(|(category, _)| category_filter.is_empty() || category_filter.contains(&category.as_str()))
        .collect())
}

/// The request's flashed messages: popped from the session once, then kept.
pub(crate) fn taken(request: &Request) -> Result<Vec<(String, String)>, Error> {
    if let Some(Taken(flashes)) = request.g().get::<Taken>() {
        return Ok(flashes);
    }
    let session = request.session();
    let flashes = if session.contains_key(FLASHES) { session.remove(FLASHES)? } else { None };
    let flashes: Vec<(String, String)> = match flashes {
        Some(SessionValue::List(items)) => items.iter().filter_map(pair).collect(),
        _ => Vec::new(),
    };
    request.g().insert(Taken(flashes.clone()));
    Ok(flashes)
}

/// A `(category, message)` entry, as Flask writes it (a tuple) or as a list.
fn pair(entry: &SessionValue) -> Option<(String, String)> {
    match entry {
        SessionValue::Tuple(items) | SessionValue::List(items) => match items.as_slice() {
            [category, message] => Some((text(category)?, text(message)?)),
            _ => None,
        },
        _ => None,
    }
}

fn text(value: &SessionValue) -> Option<String> {
    match value {
        SessionValue::String(text) | SessionValue::Markup(text) => Some(text.clone()),
        _ => None,
    }
}
