//! Where sessions are kept: Flask's `SessionInterface`, with the signed cookie as
//! the default ([`SecureCookieSessionInterface`](super::SecureCookieSessionInterface)).

use super::{Session, SessionMap};
use crate::{Request, Response};

/// Opens a request's session and saves it into the response (Flask's
/// `SessionInterface`). Replace the default signed cookie with
/// [`App::session_interface`](crate::App::session_interface), to keep sessions on
/// the server, say.
///
/// ```
/// use phial::prelude::*;
/// use phial::sessions::{Session, SessionInterface, SessionMap};
///
/// /// Every request starts with the same session, and nothing is saved.
/// struct Fixed(SessionMap);
///
/// impl SessionInterface for Fixed {
///     fn open(&self, _request: &Request) -> Option<SessionMap> {
///         Some(self.0.clone())
///     }
///     fn save(&self, _request: &Request, _session: &Session, _response: &mut Response) {}
/// }
///
/// let mut app = App::new("demo");
/// app.session_interface(Fixed(SessionMap::new()));
/// ```
pub trait SessionInterface: Send + Sync + 'static {
    /// The session the request brings (Flask's `open_session`): its values, or
    /// `None` when no session can be kept (Flask's null session: reads see it
    /// empty, writes are errors). A session that cannot be read (tampered,
    /// expired) is an empty one, not an error.
    fn open(&self, request: &Request) -> Option<SessionMap>;

    /// Saves the session into the response (Flask's `save_session`). Called after
    /// the `after_request` hooks, only for a request that opened its session.
    fn save(&self, request: &Request, session: &Session, response: &mut Response);
}
