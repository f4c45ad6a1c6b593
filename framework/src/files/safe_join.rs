//! `safe_join`: a path from a request joined under a directory, or nothing when it
//! would leave the directory (Werkzeug's `safe_join`, on a POSIX system).

use std::path::{Path, PathBuf};

/// Joins `untrusted` (a path from a URL) under `directory`, or `None` when it would
/// climb out of it.
///
/// As Werkzeug: the path is first normalised lexically (`.` segments and repeated
/// or trailing slashes dropped, `a/..` folded away), then refused when it is
/// absolute, is `..` or starts with `../`. Nothing on disk is looked at, so a
/// symbolic link inside `directory` is followed, as in Flask. A backslash is an
/// ordinary character (as on Linux: `..\x` is a file name, not a way out), and an
/// empty path joins as `directory` itself.
///
/// ```
/// use phial::files::safe_join;
/// use std::path::Path;
///
/// assert_eq!(safe_join("static", "img/../style.css"), Some(Path::new("static/style.css").to_path_buf()));
/// assert_eq!(safe_join("static", "img/../../secret.txt"), None);
/// assert_eq!(safe_join("static", "/etc/passwd"), None);
/// ```
pub fn safe_join(directory: impl AsRef<Path>, untrusted: &str) -> Option<PathBuf> {
    let directory = directory.as_ref();
    let directory = if directory.as_os_str().is_empty() { Path::new(".") } else { directory };
    if untrusted.is_empty() {
        return Some(directory.to_path_buf());
    }
    let normalised = normalise(untrusted);
    if normalised.starts_with('/') || normalised == ".." || normalised.starts_with("../") {
        return None;
    }
    Some(directory.join(normalised))
}

/// Python's `posixpath.normpath`: `.` and empty segments dropped, `x/..` folded,
/// `..` kept at the start of a relative path, one leading slash kept (two when
/// there were exactly two, as POSIX allows), `.` for nothing.
fn normalise(path: &str) -> String {
    let leading = if path.starts_with("//") && !path.starts_with("///") {
        "//"
    } else if path.starts_with('/') {
        "/"
    } else {
        ""
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." if segments.last().is_some_and(|last| *last != "..") => {
                segments.pop();
            }
            // Above the root there is nothing to climb to.
            ".." if !leading.is_empty() => {}
            other => segments.push(other),
        }
    }
    let joined = segments.join("/");
    match (leading, joined.is_empty()) {
        ("", true) => ".".to_string(),
        _ => format!("{leading}{joined}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_as_posixpath_normpath() {
        for (path, expected) in [
            ("style.css", "style.css"),
            ("a/./b", "a/b"),
            ("a//b", "a/b"),
            ("x/", "x"),
            ("img/../style.css", "style.css"),
            ("img/../../s", "../s"),
            ("../../a", "../../a"),
            ("/a/../../b", "/b"),
            ("//x", "//x"),
            ("///x", "/x"),
            (".", "."),
            ("a/..", "."),
        ] {
            assert_eq!(normalise(path), expected, "{path:?}");
        }
    }

    #[test]
    fn a_path_that_leaves_the_directory_is_refused() {
        for path in ["..", "../x", "a/../../x", "/etc/passwd", "//x", "./../x"] {
            assert_eq!(safe_join("static", path), None, "{path:?}");
        }
    }

    #[test]
    fn anything_else_is_joined_normalised() {
        assert_eq!(safe_join("static", "img//x.svg"), Some(PathBuf::from("static/img/x.svg")));
        assert_eq!(safe_join("static", "style.css/"), Some(PathBuf::from("static/style.css")));
        assert_eq!(safe_join("static", "..\\secret.txt"), Some(PathBuf::from("static/..\\secret.txt")));
        assert_eq!(safe_join("", "a"), Some(PathBuf::from("./a")));
        assert_eq!(safe_join("static", ""), Some(PathBuf::from("static")));
    }
}
