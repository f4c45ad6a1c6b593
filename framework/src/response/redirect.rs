//! `redirect(location)`: Flask's (Werkzeug's) redirect response.

use http::header::{CONTENT_TYPE, LOCATION};
use http::{HeaderValue, StatusCode};

use super::Response;
use crate::templates::escape_html;

/// A `302 Found` to `location`, with the small HTML page Werkzeug sends (Flask's
/// `redirect(location)`); [`redirect_with`] takes another status (301, 303, 307,
/// 308).
///
/// ```
/// use phial::prelude::*;
///
/// async fn old_page() -> Response {
///     phial::redirect("/new")
/// }
/// let response = phial::redirect("/new");
/// assert_eq!(response.status(), 302);
/// assert_eq!(response.headers()["location"], "/new");
/// ```
pub fn redirect(location: &str) -> Response {
    redirect_with(location, StatusCode::FOUND)
}

/// A redirect to `location` with `status` (Flask's `redirect(location, code)`).
pub fn redirect_with(location: &str, status: StatusCode) -> Response {
    let escaped = escape_html(location);
    let body = format!(
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be \
         redirected automatically to the target URL: <a href=\"{escaped}\">{escaped}</a>. If not, click the link.\n"
    );
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    match HeaderValue::from_str(location) {
        Ok(value) => {
            response.headers_mut().insert(LOCATION, value);
        }
        Err(_) => tracing::error!(target: "phial::error", "redirect location is not a valid header value"),
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_body_is_werkzeugs() {
        let response = redirect("/a?b=<c>&d");
        let body = response.into_body().to_bytes().await.unwrap();
        // werkzeug.utils.redirect("/a?b=<c>&d").get_data(as_text=True), Werkzeug 3.1.
        let expected = "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You \
                        should be redirected automatically to the target URL: <a href=\"/a?b=&lt;c&gt;&amp;d\">/a?b=&lt;c\
                        &gt;&amp;d</a>. If not, click the link.\n";
        assert_eq!(body, expected);
    }
}
