//! `session` in a view: Flask's dict-like session of the current request.
//!
//! The session is opened the first time a view (or a template, or `flash`) touches
//! it, from the request's cookie, and saved into the response after the
//! `after_request` hooks, as Flask saves it; a request that never touches it costs
//! nothing.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::{SessionMap, SessionValue};
use crate::{Error, Request};

/// The key Flask keeps `session.permanent` under.
pub(crate) const PERMANENT: &str = "_permanent";

/// The session of one request (Flask's `session`): string keys, [`SessionValue`]s.
/// Cheap to clone; clones are the same session.
///
/// ```
/// use phial::prelude::*;
///
/// async fn login(request: Request) -> Result<&'static str, ViewError> {
///     let session = request.session();
///     session.set("user_id", 42)?;
///     session.set_permanent(true)?;
///     Ok("logged in")
/// }
///
/// async fn whoami() -> Result<String, ViewError> {
///     let user = phial::session()?.get("user_id").and_then(|id| id.as_i64());
///     Ok(format!("{user:?}"))
/// }
/// # let mut app = App::new("demo");
/// # app.route("/login", ["POST"], login);
/// # app.route("/me", ["GET"], whoami);
/// ```
///
/// Reading works whatever the app's config; writing needs `SECRET_KEY` (as in
/// Flask, whose null session raises): without one, [`set`](Session::set),
/// [`remove`](Session::remove), [`clear`](Session::clear) and
/// [`set_permanent`](Session::set_permanent) return an [`Error::Config`] naming
/// `SECRET_KEY`, which a view answers with a 500.
#[derive(Clone)]
pub struct Session {
    state: Arc<Mutex<SessionState>>,
}

/// What the session holds, and what happened to it during the request.
#[derive(Debug, Default)]
pub struct SessionState {
    /// The values.
    pub values: SessionMap,
    /// Changed during the request (Flask's `session.modified`).
    pub modified: bool,
    /// Read or changed during the request (Flask's `session.accessed`): the
    /// response then varies with the `Cookie` header.
    pub accessed: bool,
    /// No session can be kept (no `SECRET_KEY`): Flask's null session.
    pub null: bool,
}

impl SessionState {
    /// Whether `session.permanent` is set (the `_permanent` key, as Flask keeps it).
    pub fn permanent(&self) -> bool {
        self.values.get(PERMANENT).and_then(SessionValue::as_bool).unwrap_or(false)
    }
}

impl Session {
    /// The session of `values` (`None`: a null session).
    pub(crate) fn opened(values: Option<SessionMap>) -> Session {
        let state = match values {
            Some(values) => SessionState { values, ..SessionState::default() },
            None => SessionState { null: true, ..SessionState::default() },
        };
        Session { state: Arc::new(Mutex::new(state)) }
    }

    fn lock(&self) -> MutexGuard<'_, SessionState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The state, locked for reading, marking it accessed.
    fn read(&self) -> MutexGuard<'_, SessionState> {
        let mut state = self.lock();
        state.accessed = true;
        state
    }

    /// The state, locked for writing, marking it accessed and modified; an error for
    /// a null session.
    fn write(&self) -> Result<MutexGuard<'_, SessionState>, Error> {
        let mut state = self.read();
        if state.null {
            return Err(Error::Config {
                key: "SECRET_KEY".to_string(),
                message: "must be set to keep a session: the session is unavailable because no secret key was \
                          set (set SECRET_KEY to something unique and secret)"
                    .to_string(),
            });
        }
        state.modified = true;
        Ok(state)
    }

    /// The value at `key` (`session.get(key)`).
    pub fn get(&self, key: &str) -> Option<SessionValue> {
        self.read().values.get(key).cloned()
    }

    /// Whether `key` is set (`key in session`).
    pub fn contains_key(&self, key: &str) -> bool {
        self.read().values.contains_key(key)
    }

    /// The keys, sorted.
    pub fn keys(&self) -> Vec<String> {
        self.read().values.keys().cloned().collect()
    }

    /// How many keys it holds.
    pub fn len(&self) -> usize {
        self.read().values.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.read().values.is_empty()
    }

    /// All of it (`dict(session)`).
    pub fn to_map(&self) -> SessionMap {
        self.read().values.clone()
    }

    /// Sets `key` (`session[key] = value`).
    pub fn set(&self, key: impl Into<String>, value: impl Into<SessionValue>) -> Result<(), Error> {
        self.write()?.values.insert(key.into(), value.into());
        Ok(())
    }

    /// Removes `key` and gives its value (`session.pop(key, None)`).
    pub fn remove(&self, key: &str) -> Result<Option<SessionValue>, Error> {
        Ok(self.write()?.values.remove(key))
    }

    /// Removes everything (`session.clear()`); an emptied session deletes its cookie.
    pub fn clear(&self) -> Result<(), Error> {
        self.write()?.values.clear();
        Ok(())
    }

    /// Whether the session outlives the browser (`session.permanent`).
    pub fn permanent(&self) -> bool {
        self.read().permanent()
    }

    /// Makes the session last `PERMANENT_SESSION_LIFETIME` instead of until the
    /// browser closes (`session.permanent = True`).
    pub fn set_permanent(&self, permanent: bool) -> Result<(), Error> {
        self.write()?.values.insert(PERMANENT.to_string(), SessionValue::Bool(permanent));
        Ok(())
    }

    /// Whether it changed during this request (`session.modified`).
    pub fn modified(&self) -> bool {
        self.lock().modified
    }

    /// Marks it changed, so that it is saved (`session.modified = True`, for a
    /// change made inside a value).
    pub fn mark_modified(&self) {
        self.lock().modified = true;
    }

    /// The state as it stands, for a [`SessionInterface`](super::SessionInterface)
    /// saving it.
    pub fn state(&self) -> MutexGuard<'_, SessionState> {
        self.lock()
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        f.debug_struct("Session").field("keys", &state.values.keys().collect::<Vec<_>>()).finish_non_exhaustive()
    }
}

/// The current request's session (Flask's `session`); an error outside a request.
pub fn session() -> Result<Session, Error> {
    Ok(crate::request()?.session())
}

impl Request {
    /// This request's session (Flask's `session`), opened from its cookie the
    /// first time it is asked for; see [`Session`].
    pub fn session(&self) -> Session {
        self.session_slot().get_or_init(|| Session::opened(self.app().core().sessions.open(self))).clone()
    }

    /// The session, if this request opened it.
    pub(crate) fn opened_session(&self) -> Option<&Session> {
        self.session_slot().get()
    }
}

/// Saves the session into the response, when the request opened it (Flask saves it
/// after the `after_request` hooks, before the teardown ones). A panicking
/// [`SessionInterface`](super::SessionInterface) is logged; the response goes out
/// without the session.
#[inline]
pub(crate) fn save(app: &crate::AppHandle, request: &Request, response: &mut crate::Response) {
    let Some(session) = request.opened_session() else { return };
    let saved =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| app.core().sessions.save(request, session, response)));
    if saved.is_err() {
        tracing::error!(target: "phial::error", "saving the session panicked; the response goes out without it");
    }
}
