//! The `Content-Type` (and, for compressed files, `Content-Encoding`) of a file,
//! guessed from its name as Python's `mimetypes` does for Flask's `send_file`.

/// The type and encoding a file name suggests: `a.css` is `text/css`; `a.tar.gz` is
/// `application/x-tar` encoded with `gzip` (Python's `mimetypes.guess_type`), and
/// an unknown name `application/octet-stream`.
///
/// The table is `mime_guess`'s, which agrees with Python's for the files web apps
/// serve; Python also reads the machine's `/etc/mime.types`, so its answer for a
/// rarer extension varies from machine to machine where phial's does not.
pub(crate) fn guess(name: &str) -> (String, Option<&'static str>) {
    let (stem, encoding) = split_encoding(name);
    let mime = mime_guess::from_path(stem.as_ref()).first_raw().unwrap_or("application/octet-stream");
    (mime.to_string(), encoding)
}

/// `text/*`, `*+xml` and a few `application/*` types are sent with
/// `; charset=utf-8`, as Werkzeug does.
pub(crate) fn with_charset(mime: String) -> String {
    const TEXT_APPLICATIONS: [&str; 6] = [
        "application/ecmascript",
        "application/javascript",
        "application/sql",
        "application/xml",
        "application/xml-dtd",
        "application/xml-external-parsed-entity",
    ];
    if mime.starts_with("text/") || mime.ends_with("+xml") || TEXT_APPLICATIONS.contains(&mime.as_str()) {
        mime + "; charset=utf-8"
    } else {
        mime
    }
}

/// The name without its compression suffix, and the encoding that suffix names
/// (Python's `suffix_map` and `encodings_map`: `x.tgz` is `x.tar` in gzip).
fn split_encoding(name: &str) -> (std::borrow::Cow<'_, str>, Option<&'static str>) {
    const SUFFIXES: [(&str, &str); 6] = [
        (".svgz", ".svg.gz"),
        (".tgz", ".tar.gz"),
        (".taz", ".tar.gz"),
        (".tz", ".tar.gz"),
        (".tbz2", ".tar.bz2"),
        (".txz", ".tar.xz"),
    ];
    const ENCODINGS: [(&str, &str); 5] =
        [(".gz", "gzip"), (".Z", "compress"), (".bz2", "bzip2"), (".xz", "xz"), (".br", "br")];
    let mut name = std::borrow::Cow::Borrowed(name);
    if let Some((suffix, expanded)) = SUFFIXES.iter().find(|(suffix, _)| name.ends_with(suffix)) {
        name = format!("{}{expanded}", &name[..name.len() - suffix.len()]).into();
    }
    for (suffix, encoding) in ENCODINGS {
        let lower = name.to_ascii_lowercase();
        let matches = if suffix == ".Z" { name.ends_with(suffix) } else { lower.ends_with(suffix) };
        if matches {
            let stem = name[..name.len() - suffix.len()].to_string();
            return (stem.into(), Some(encoding));
        }
    }
    (name, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_name_with_werkzeugs_charset() {
        let typed = |name: &str| with_charset(guess(name).0);
        assert_eq!(typed("style.css"), "text/css; charset=utf-8");
        assert_eq!(typed("hello.txt"), "text/plain; charset=utf-8");
        assert_eq!(typed("img/x.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(typed("data.bin"), "application/octet-stream");
        assert_eq!(typed("a.json"), "application/json");
        assert_eq!(typed("photo.PNG"), "image/png");
        assert_eq!(typed("no-extension"), "application/octet-stream");
    }

    #[test]
    fn a_compression_suffix_is_an_encoding_of_the_inner_type() {
        assert_eq!(guess("b.tar.gz"), ("application/x-tar".to_string(), Some("gzip")));
        assert_eq!(guess("b.tgz"), ("application/x-tar".to_string(), Some("gzip")));
        assert_eq!(guess("notes.txt.bz2"), ("text/plain".to_string(), Some("bzip2")));
        assert_eq!(guess("x.Z").1, Some("compress"));
        assert_eq!(guess("x.z").1, None);
    }
}
