//! Files as responses: [`send_file`], [`send_from_directory`] and [`safe_join`],
//! as Flask and Werkzeug have them, and the app's `static/` folder served at
//! `/static/<path:filename>` (see [`App::static_folder`](crate::App::static_folder));
//! and for uploads ([`Request::files`](crate::Request::files)), Werkzeug's
//! [`secure_filename`].
//!
//! ```no_run
//! use phial::prelude::*;
//!
//! let mut app = App::new("site");
//! // `static/` (from the working directory) is served at /static/ already.
//! app.route("/report", ["GET"], || async { phial::send_file("reports/latest.pdf").as_attachment(true).await });
//! ```
//!
//! Headers and statuses follow Flask 3.1 (checked against it:
//! `tests/flask_vectors/static_files.py`): the type from the name with `;
//! charset=utf-8` for text, `Content-Disposition` always, an `ETag` and
//! `Last-Modified` for a file, `Cache-Control: no-cache` unless
//! `SEND_FILE_MAX_AGE_DEFAULT` (or [`SendFile::max_age`]) says otherwise, and
//! conditional and range requests answered as Werkzeug answers them. Error
//! statuses (404, 416) have phial's JSON body where Flask sends HTML.

mod conditional;
pub(crate) mod content_type;
mod disposition;
mod range;
mod safe_join;
mod secure_filename;
mod send_file;
pub(crate) mod static_folder;

pub(crate) use content_type::with_charset;
pub use safe_join::safe_join;
pub use secure_filename::secure_filename;
pub use send_file::{FileSource, SendFile, send_file, send_from_directory};
