//! The test client's cookie jar: keeps what `Set-Cookie` sets, drops what it
//! deletes or lets expire, and sends back what matches a request's path.

use cookie::Cookie;
use cookie::time::OffsetDateTime;

/// Cookies kept between requests, as a browser would.
#[derive(Clone, Debug, Default)]
pub(crate) struct CookieJar {
    cookies: Vec<Cookie<'static>>,
}

impl CookieJar {
    /// Applies one `Set-Cookie` header value.
    pub(crate) fn store(&mut self, header: &str) {
        let Ok(cookie) = Cookie::parse(header.to_string()) else {
            return;
        };
        let path = cookie.path().unwrap_or("/").to_string();
        self.cookies.retain(|c| !(c.name() == cookie.name() && c.path().unwrap_or("/") == path));
        if !is_expired(&cookie) {
            let mut cookie = cookie.into_owned();
            cookie.set_path(path);
            self.cookies.push(cookie);
        }
    }

    /// Sets a cookie directly (path `/`).
    pub(crate) fn set(&mut self, name: &str, value: &str) {
        self.store(&Cookie::build((name.to_string(), value.to_string())).path("/").build().to_string());
    }

    /// Removes every cookie named `name`.
    pub(crate) fn remove(&mut self, name: &str) {
        self.cookies.retain(|c| c.name() != name);
    }

    /// The value of cookie `name` (the most specific path first).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.cookies.iter().filter(|c| c.name() == name).max_by_key(|c| c.path().map_or(0, str::len)).map(Cookie::value)
    }

    /// The `Cookie` header for a request to `path`, or `None` when no cookie matches.
    pub(crate) fn header_for(&self, path: &str) -> Option<String> {
        let mut matching: Vec<&Cookie<'static>> =
            self.cookies.iter().filter(|c| !is_expired(c) && path_matches(c.path().unwrap_or("/"), path)).collect();
        if matching.is_empty() {
            return None;
        }
        // Longer paths first, as browsers send them.
        matching.sort_by_key(|c| std::cmp::Reverse(c.path().map_or(0, str::len)));
        Some(matching.iter().map(|c| format!("{}={}", c.name(), c.value())).collect::<Vec<_>>().join("; "))
    }
}

fn is_expired(cookie: &Cookie<'_>) -> bool {
    if let Some(max_age) = cookie.max_age() {
        return max_age.is_zero() || max_age.is_negative();
    }
    cookie.expires_datetime().is_some_and(|at| at <= OffsetDateTime::now_utc())
}

/// RFC 6265 path matching.
fn path_matches(cookie_path: &str, request_path: &str) -> bool {
    request_path == cookie_path
        || (request_path.starts_with(cookie_path)
            && (cookie_path.ends_with('/') || request_path[cookie_path.len()..].starts_with('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_replace_and_delete() {
        let mut jar = CookieJar::default();
        jar.store("a=1; Path=/; HttpOnly");
        jar.store("b=2; Path=/api");
        assert_eq!(jar.header_for("/").as_deref(), Some("a=1"));
        assert_eq!(jar.header_for("/api/x").as_deref(), Some("b=2; a=1"));
        assert_eq!(jar.header_for("/apix"), Some("a=1".to_string()));
        jar.store("a=3; Path=/");
        assert_eq!(jar.get("a"), Some("3"));
        jar.store("a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/");
        assert_eq!(jar.get("a"), None);
        jar.store("b=; Max-Age=0; Path=/api");
        assert_eq!(jar.header_for("/api/x"), None);
    }
}
