//! Werkzeug's `secure_filename`: a client's file name made safe to store.

use unicode_normalization::UnicodeNormalization;

/// Windows' device names, which Werkzeug prefixes with `_` on Windows (the ones
/// with `$` or superscript digits cannot survive the filter below; kept for the
/// record of Werkzeug's list).
const WINDOWS_DEVICE_FILES: [&str; 30] = [
    "AUX", "CON", "CONIN$", "CONOUT$", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹",
    "COM²", "COM³", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
    "NUL", "PRN",
];

/// A version of `filename` that is safe to store and to join to a folder
/// (Werkzeug's `secure_filename`, with the same results): compatibility
/// decomposition (NFKD) folds `ü` to `u`, characters outside ASCII are dropped,
/// path separators and runs of whitespace become one `_`, anything but ASCII
/// letters, digits, `_`, `.` and `-` is dropped, and leading and trailing dots
/// and underscores go.
///
/// ```
/// use phial::files::secure_filename;
///
/// assert_eq!(secure_filename("My cool movie.mov"), "My_cool_movie.mov");
/// assert_eq!(secure_filename("../../../etc/passwd"), "etc_passwd");
/// assert_eq!(secure_filename("i contain cool \u{fc}ml\u{e4}uts.txt"), "i_contain_cool_umlauts.txt");
/// assert_eq!(secure_filename("日本語"), ""); // nothing is left: pick a name yourself
/// ```
///
/// As in Werkzeug, what is a separator depends on the system the app runs on:
/// `/` everywhere, and `\` too on Windows (elsewhere a `\` is dropped:
/// `a/b\c` is `a_bc`), and on Windows only, a Windows device name (`CON`,
/// `nul.txt`, `COM1`, ...) gets a leading `_`. The result may be empty: choose a
/// name of your own then, and make it unique.
pub fn secure_filename(filename: &str) -> String {
    secure_filename_on(filename, cfg!(windows))
}

/// [`secure_filename`] as it runs on Windows (`windows`) or elsewhere.
fn secure_filename_on(filename: &str, windows: bool) -> String {
    let ascii: String = filename.nfkd().filter(char::is_ascii).collect();
    let separated = ascii.replace('/', " ");
    let separated = if windows { separated.replace('\\', " ") } else { separated };
    let joined = separated.split(is_python_space).filter(|word| !word.is_empty()).collect::<Vec<_>>().join("_");
    let kept: String = joined.chars().filter(|&c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')).collect();
    let name = kept.trim_matches(['.', '_']);
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    if windows && !name.is_empty() && WINDOWS_DEVICE_FILES.contains(&stem.as_str()) {
        format!("_{name}")
    } else {
        name.to_string()
    }
}

/// Python's `str.split()` whitespace among ASCII characters: the usual ones and
/// the four information separators `\x1c`..`\x1f`.
fn is_python_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r' | '\x1c'..='\x1f')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Werkzeug 3.1's results with `os` made to look like Windows'
    /// (`tests/flask_vectors/uploads.py`, `secure_filename_windows`).
    #[test]
    fn on_windows_backslashes_separate_and_device_names_get_an_underscore() {
        let cases = [
            ("CON", "_CON"),
            ("con.txt", "_con.txt"),
            ("NUL.tar.gz", "_NUL.tar.gz"),
            ("com1", "_com1"),
            ("LPT9.log", "_LPT9.log"),
            ("CONIN$", "CONIN"),
            ("aux_file.txt", "aux_file.txt"),
            ("a/b\\c", "a_b_c"),
            ("C:\\Users\\me\\photo.jpg", "C_Users_me_photo.jpg"),
            ("../../../etc/passwd", "etc_passwd"),
        ];
        for (name, expected) in cases {
            assert_eq!(secure_filename_on(name, true), expected, "{name:?}");
        }
    }

    #[test]
    fn elsewhere_only_slashes_separate() {
        assert_eq!(secure_filename_on("CON", false), "CON");
        assert_eq!(secure_filename_on("a/b\\c", false), "a_bc");
        assert_eq!(secure_filename_on("C:\\Users\\me\\photo.jpg", false), "CUsersmephoto.jpg");
    }

    proptest::proptest! {
        #[test]
        fn the_result_is_a_plain_name(name in "(?s).{0,40}", windows in proptest::bool::ANY) {
            let secured = secure_filename_on(&name, windows);
            proptest::prop_assert!(secured.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)), "{secured:?}");
            proptest::prop_assert!(!secured.starts_with(['.', '_']) || (windows && secured.starts_with('_')), "{secured:?}");
            proptest::prop_assert!(!secured.ends_with(['.', '_']), "{secured:?}");
        }
    }
}
