//! Request hooks: Flask's `before_request`, `after_request` and `teardown_request`.
//!
//! For each request, in Flask's order:
//! 1. `before_request` hooks, the app's then the matched blueprint's, in registration
//!    order; the first that returns `Some(response)` answers and the view is skipped.
//!    They run even when no route matched (the 404 comes after them).
//! 2. the view (or the routing error, or the short-circuit response);
//! 3. `after_request` hooks, the blueprint's then the app's, each in reverse
//!    registration order; each receives the response and returns the one to send.
//!    They also run for error responses.
//! 4. `teardown_request` hooks, always, last; they receive the panic the request
//!    ended with, if any.
//!
//! Hooks are plain (synchronous) functions; do async work in a
//! [`Decorator`](crate::Decorator) or a handler.

use std::fmt;
use std::sync::Arc;

use crate::{Request, Response};

pub(crate) type BeforeHook = Arc<dyn Fn(&Request) -> Option<Response> + Send + Sync>;
pub(crate) type AfterHook = Arc<dyn Fn(&Request, Response) -> Response + Send + Sync>;
pub(crate) type TeardownHook = Arc<dyn Fn(&Request, Option<&Unhandled>) + Send + Sync>;

/// The hooks of an app or of a blueprint.
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub(crate) before: Vec<BeforeHook>,
    pub(crate) after: Vec<AfterHook>,
    pub(crate) teardown: Vec<TeardownHook>,
}

/// A panic that ended a request: given to `teardown_request` hooks (Flask passes
/// the unhandled exception).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unhandled {
    message: String,
}

impl Unhandled {
    pub(crate) fn new(message: String) -> Unhandled {
        Unhandled { message }
    }

    /// The panic's message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "handler panicked: {}", self.message)
    }
}
