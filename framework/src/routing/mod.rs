//! Routing: Flask's URL rules, matched with matchit.
//!
//! Rules are written as in Flask: `/user/<int:id>`, `<string:s>` (the default for
//! `<s>`), `<float:x>`, `<path:p>`, `<uuid:u>`, `<any(a, b):v>`, and converter
//! arguments such as `<int(signed=True):n>`. A path whose text does not convert is a
//! 404, as in Flask. Trailing slashes, automatic `HEAD` and `OPTIONS`, and 405 with
//! `Allow` follow Flask too.
//!
//! How matching works: each rule becomes a matchit pattern in which variables are
//! renamed by position (`/user/<int:id>` becomes `/user/{p0}`), so rules differing
//! only in their converters (`/u/<int:id>` and `/u/<name>`) share one pattern and
//! are tried in Flask's precedence: narrow converters (int, float, uuid, any) before
//! `string`, then registration order. Rules ending in a `<path:...>` variable live
//! in a second tree, tried after the first. Static segments beat variables, as
//! matchit guarantees. One known difference from Werkzeug: when a static rule
//! matches the path but not the method, phial answers 405 instead of trying a
//! variable rule of the same shape.
//!
//! Two rules phial cannot represent are refused at registration with a message:
//! two variables in one path segment (`/<a>-<b>`), and a `<path:...>` variable that
//! is not at the end of its rule.

pub mod methods;
mod route;
pub(crate) mod router;
pub mod rule;
pub(crate) mod url_for;

pub use methods::IntoMethods;
pub(crate) use route::RouteSpec;
pub use route::{IntoRoutes, Route};
