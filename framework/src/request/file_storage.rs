//! `FileStorage` and `Files`: the uploaded files of a request, as Werkzeug's
//! `FileStorage` and `request.files`.

use bytes::Bytes;
use http::HeaderMap;
use std::io::Cursor;
use std::path::Path;

use super::options_header::parse_options_header;

/// One uploaded file: a part of a `multipart/form-data` body whose
/// `Content-Disposition` has a `filename` (Werkzeug's `FileStorage`).
///
/// The content is in memory (the body was read within `MAX_CONTENT_LENGTH`);
/// [`bytes`](FileStorage::bytes) shares it without copying.
///
/// ```no_run
/// use phial::prelude::*;
/// use phial::files::secure_filename;
///
/// async fn upload(request: Request) -> Result<String, ViewError> {
///     let files = request.files()?; // 413 or 400 for a body Flask would refuse
///     let Some(file) = files.get("file") else { return Err(abort(400).into()) };
///     let name = secure_filename(file.filename().unwrap_or_default());
///     file.save(std::path::Path::new("uploads").join(&name)).await?;
///     Ok(format!("saved {name} ({} bytes)", file.len()))
/// }
/// ```
#[derive(Clone, Debug)]
pub struct FileStorage {
    name: String,
    filename: Option<String>,
    headers: HeaderMap,
    data: Bytes,
}

impl FileStorage {
    /// A file as a part of a form carries it: the form field `name`, the client's
    /// `filename`, the part's headers and its content.
    pub fn new(name: impl Into<String>, filename: Option<String>, headers: HeaderMap, data: Bytes) -> FileStorage {
        FileStorage { name: name.into(), filename, headers, data }
    }

    /// The name of the form field (`file.name`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file name the client sent (`file.filename`), decoded as Werkzeug
    /// decodes it (quoted, RFC 2231 `filename*=`, raw UTF-8). An empty file input
    /// sends `Some("")`. Never trust it as a path: pass it through
    /// [`secure_filename`](crate::files::secure_filename).
    pub fn filename(&self) -> Option<&str> {
        self.filename.as_deref()
    }

    /// The part's `Content-Type` as sent (`file.content_type`), parameters included.
    pub fn content_type(&self) -> Option<&str> {
        let value = self.headers.get(http::header::CONTENT_TYPE)?;
        std::str::from_utf8(value.as_bytes()).ok()
    }

    /// The content type without parameters, lowercased (`file.mimetype`); empty
    /// when the part has none.
    pub fn mimetype(&self) -> String {
        self.content_type().map(|ct| parse_options_header(ct).0.to_lowercase()).unwrap_or_default()
    }

    /// The content type's parameters (`file.mimetype_params`), keys lowercased,
    /// in order: `text/csv; charset=latin-1` has `[("charset", "latin-1")]`.
    pub fn mimetype_params(&self) -> Vec<(String, String)> {
        self.content_type().map(|ct| parse_options_header(ct).1.into_pairs()).unwrap_or_default()
    }

    /// The part's headers (`file.headers`).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The content (`file.read()`), shared with the request body's buffer.
    pub fn bytes(&self) -> &Bytes {
        &self.data
    }

    /// The content as a reader (`file.stream`): `std::io::Read`, `BufRead` and
    /// `Seek`, and tokio's `AsyncRead`.
    pub fn stream(&self) -> Cursor<Bytes> {
        Cursor::new(self.data.clone())
    }

    /// The size of the content in bytes (`len(file.read())`; Werkzeug's
    /// `content_length` is the part's `Content-Length` header, rarely sent).
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the content is empty (an empty file input sends an empty part).
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Writes the content to `path`, creating or truncating the file
    /// (`file.save(path)`), without blocking the server's threads.
    pub async fn save(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        tokio::fs::write(path, &self.data).await
    }
}

/// The uploaded files of a request by field name, in the order sent
/// (`request.files`, a Werkzeug `MultiDict` of `FileStorage`).
#[derive(Clone, Debug, Default)]
pub struct Files {
    files: Vec<FileStorage>,
}

impl Files {
    /// No files.
    pub const fn new() -> Files {
        Files { files: Vec::new() }
    }

    /// The first file of field `name` (`request.files.get(name)`).
    pub fn get(&self, name: &str) -> Option<&FileStorage> {
        self.files.iter().find(|f| f.name == name)
    }

    /// Every file of field `name`, in order (`request.files.getlist(name)`), as a
    /// file input with `multiple` sends them.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a FileStorage> + 'a {
        self.files.iter().filter(move |f| f.name == name)
    }

    /// Whether field `name` has a file (`name in request.files`).
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Every file, in order (`request.files.items(multi=True)`, by [`FileStorage::name`]).
    pub fn iter(&self) -> impl Iterator<Item = &FileStorage> {
        self.files.iter()
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl FromIterator<FileStorage> for Files {
    fn from_iter<I: IntoIterator<Item = FileStorage>>(iter: I) -> Self {
        Files { files: iter.into_iter().collect() }
    }
}

impl<'a> IntoIterator for &'a Files {
    type Item = &'a FileStorage;
    type IntoIter = std::slice::Iter<'a, FileStorage>;

    fn into_iter(self) -> Self::IntoIter {
        self.files.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn file(name: &str, filename: &str, content_type: Option<&'static str>, data: &'static [u8]) -> FileStorage {
        let mut headers = HeaderMap::new();
        if let Some(ct) = content_type {
            headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        FileStorage::new(name, Some(filename.to_string()), headers, Bytes::from_static(data))
    }

    #[test]
    fn content_type_mimetype_and_params() {
        let f = file("a", "a.csv", Some("Text/CSV; charset=\"latin-1\"; header=present"), b"x,y");
        assert_eq!(f.content_type(), Some("Text/CSV; charset=\"latin-1\"; header=present"));
        assert_eq!(f.mimetype(), "text/csv");
        assert_eq!(
            f.mimetype_params(),
            [("charset".to_string(), "latin-1".to_string()), ("header".to_string(), "present".to_string())]
        );
        let bare = file("b", "b", None, b"");
        assert_eq!((bare.content_type(), bare.mimetype(), bare.is_empty()), (None, String::new(), true));
    }

    #[test]
    fn several_files_under_one_name() {
        let files: Files =
            [file("docs", "a.txt", None, b"1"), file("x", "x", None, b""), file("docs", "b.txt", None, b"2")]
                .into_iter()
                .collect();
        assert_eq!(files.get("docs").and_then(FileStorage::filename), Some("a.txt"));
        assert_eq!(files.get_all("docs").map(|f| f.bytes().as_ref()).collect::<Vec<_>>(), [b"1", b"2"]);
        assert!(files.contains_key("x") && !files.contains_key("y"));
        assert_eq!(files.len(), 3);
    }

    #[test]
    fn stream_reads_the_content() {
        use std::io::Read;
        let mut text = String::new();
        file("a", "a.txt", None, b"hello").stream().read_to_string(&mut text).unwrap();
        assert_eq!(text, "hello");
    }
}
