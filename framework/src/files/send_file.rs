//! `send_file` and `send_from_directory`: a file (or bytes) as a response, with the
//! headers and conditional answers Flask gives it.

use bytes::Bytes;
use futures_util::future::BoxFuture;
use http::header::{
    ACCEPT_RANGES, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE,
    ETAG, EXPIRES, LAST_MODIFIED,
};
use http::{HeaderValue, Method, StatusCode};
use std::future::IntoFuture;
use std::io::SeekFrom;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use super::conditional::{Outcome, Validators, evaluate};
use super::content_type::{guess, with_charset};
use super::disposition::content_disposition;
use super::safe_join::safe_join;
use crate::response::Body;
use crate::{HttpError, Response, ViewError};

/// Chunks a file is streamed in.
const CHUNK: usize = 64 * 1024;

/// Where the bytes of a [`send_file`] come from: a path (`&str`, `String`, `Path`,
/// `PathBuf`) or bytes in memory (`Bytes`, `Vec<u8>`), like Flask's path or file
/// object.
#[derive(Debug, Clone)]
pub enum FileSource {
    /// A file on disk; a relative path is taken from the working directory.
    Path(PathBuf),
    /// Bytes in memory (Flask's `io.BytesIO`).
    Bytes(Bytes),
}

impl From<&str> for FileSource {
    fn from(path: &str) -> FileSource {
        FileSource::Path(PathBuf::from(path))
    }
}

impl From<String> for FileSource {
    fn from(path: String) -> FileSource {
        FileSource::Path(PathBuf::from(path))
    }
}

impl From<&Path> for FileSource {
    fn from(path: &Path) -> FileSource {
        FileSource::Path(path.to_path_buf())
    }
}

impl From<PathBuf> for FileSource {
    fn from(path: PathBuf) -> FileSource {
        FileSource::Path(path)
    }
}

impl From<Bytes> for FileSource {
    fn from(bytes: Bytes) -> FileSource {
        FileSource::Bytes(bytes)
    }
}

impl From<Vec<u8>> for FileSource {
    fn from(bytes: Vec<u8>) -> FileSource {
        FileSource::Bytes(bytes.into())
    }
}

/// Sends a file, or bytes, as Flask's `send_file` does: await it for the response.
///
/// The response carries the type guessed from the name (`; charset=utf-8` for
/// text), `Content-Disposition` (`inline`, or `attachment` with
/// [`as_attachment`](SendFile::as_attachment)), `Content-Length`, `Last-Modified`
/// and an `ETag` for a file, `Cache-Control` from `SEND_FILE_MAX_AGE_DEFAULT`
/// (`no-cache` unless set), and `Accept-Ranges`; inside a request it answers
/// `If-None-Match`, `If-Modified-Since`, `If-Match`, `Range` and `If-Range` as
/// Werkzeug does (304, 412, 206, 416). A file is streamed from disk in 64 KiB
/// chunks, never read whole.
///
/// A file that cannot be read is an error (a 500, logged), as in Flask; use
/// [`send_from_directory`] for a name that comes from the client.
///
/// ```no_run
/// use phial::files::send_file;
/// use phial::prelude::*;
///
/// async fn report() -> Result<Response, ViewError> {
///     send_file("reports/latest.pdf").as_attachment(true).await
/// }
/// ```
pub fn send_file(source: impl Into<FileSource>) -> SendFile {
    SendFile::new(Some(source.into()))
}

/// Sends `path` from inside `directory` (Flask's `send_from_directory`): a path
/// that would leave the directory ([`safe_join`](super::safe_join)), a missing file
/// or a directory is a 404. For names that come from the request.
///
/// ```no_run
/// use phial::files::send_from_directory;
/// use phial::prelude::*;
///
/// async fn download(Path(name): Path<String>) -> Result<Response, ViewError> {
///     send_from_directory("uploads", &name).as_attachment(true).await
/// }
/// ```
pub fn send_from_directory(directory: impl AsRef<Path>, path: &str) -> SendFile {
    SendFile { from_directory: true, ..SendFile::new(safe_join(directory, path).map(FileSource::Path)) }
}

/// A file being sent: set its options, then `.await` it. See [`send_file`].
#[derive(Debug)]
#[must_use = "a SendFile does nothing until awaited"]
pub struct SendFile {
    /// `None`: the path from the client would have left its directory.
    source: Option<FileSource>,
    from_directory: bool,
    mimetype: Option<String>,
    as_attachment: bool,
    download_name: Option<String>,
    conditional: bool,
    etag: bool,
    last_modified: Option<SystemTime>,
    max_age: MaxAge,
}

#[derive(Debug, Clone, Copy)]
enum MaxAge {
    /// `SEND_FILE_MAX_AGE_DEFAULT` of the current app.
    FromConfig,
    Seconds(Option<u64>),
}

impl SendFile {
    fn new(source: Option<FileSource>) -> SendFile {
        SendFile {
            source,
            from_directory: false,
            mimetype: None,
            as_attachment: false,
            download_name: None,
            conditional: true,
            etag: true,
            last_modified: None,
            max_age: MaxAge::FromConfig,
        }
    }

    /// The `Content-Type` (without a charset: `text/` types get `; charset=utf-8`),
    /// instead of guessing it from the name.
    pub fn mimetype(mut self, mimetype: impl Into<String>) -> SendFile {
        self.mimetype = Some(mimetype.into());
        self
    }

    /// Whether the browser should save the file (`attachment`) rather than show it
    /// (`inline`, the default).
    pub fn as_attachment(mut self, as_attachment: bool) -> SendFile {
        self.as_attachment = as_attachment;
        self
    }

    /// The name the client sees (and the type is guessed from); a path's file
    /// name by default.
    pub fn download_name(mut self, name: impl Into<String>) -> SendFile {
        self.download_name = Some(name.into());
        self
    }

    /// Whether to answer conditional and range requests (on by default).
    pub fn conditional(mut self, conditional: bool) -> SendFile {
        self.conditional = conditional;
        self
    }

    /// Whether a file gets an `ETag` (on by default).
    pub fn etag(mut self, etag: bool) -> SendFile {
        self.etag = etag;
        self
    }

    /// The `Last-Modified` time, instead of the file's.
    pub fn last_modified(mut self, time: SystemTime) -> SendFile {
        self.last_modified = Some(time);
        self
    }

    /// How long clients may cache the file, in seconds (`public, max-age=N` and
    /// `Expires`; `None` is `no-cache`), instead of `SEND_FILE_MAX_AGE_DEFAULT`.
    pub fn max_age(mut self, seconds: impl Into<Option<u64>>) -> SendFile {
        self.max_age = MaxAge::Seconds(seconds.into());
        self
    }

    async fn respond(self) -> Result<Response, ViewError> {
        let (request_method, request_headers) = match crate::request() {
            Ok(request) if self.conditional => (Some(request.method().clone()), request.headers().clone()),
            _ => (None, http::HeaderMap::new()),
        };
        let opened = self.open().await?;
        let name = self.download_name.clone().or(opened.file_name.clone());
        let mut response = Response::new(Body::empty());
        let headers = response.headers_mut();

        let (mimetype, encoding) = match (&self.mimetype, &name) {
            (Some(mimetype), _) => (mimetype.clone(), None),
            (None, Some(name)) => guess(name),
            (None, None) => return Err(ViewError::new(NoName)),
        };
        if let Some(encoding) = encoding.filter(|_| !self.as_attachment) {
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        if let Some(name) = &name {
            headers.insert(CONTENT_DISPOSITION, header_value(content_disposition(self.as_attachment, name))?);
        }
        headers.insert(CONTENT_TYPE, header_value(with_charset(mimetype))?);
        headers.insert(CONTENT_LENGTH, HeaderValue::from(opened.length));
        let last_modified = self.last_modified.or(opened.modified);
        if let Some(time) = last_modified {
            headers.insert(LAST_MODIFIED, header_value(httpdate::fmt_http_date(time))?);
        }
        self.cache_headers(headers)?;
        let etag = opened.etag.clone().filter(|_| self.etag);
        if let Some(etag) = &etag {
            headers.insert(ETAG, header_value(format!("\"{etag}\""))?);
        }

        let Some(method) = request_method else {
            *response.body_mut() = opened.body(0, opened.length, false).await?;
            return Ok(response);
        };
        response.headers_mut().insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
        let validators = Validators { etag: etag.as_deref(), last_modified };
        let head = method == Method::HEAD;
        match evaluate(&method, &request_headers, validators, Some(opened.length)) {
            Outcome::Whole => *response.body_mut() = opened.body(0, opened.length, head).await?,
            Outcome::Part { start, end } => {
                *response.status_mut() = StatusCode::PARTIAL_CONTENT;
                let headers = response.headers_mut();
                headers.insert(CONTENT_LENGTH, HeaderValue::from(end - start));
                headers.insert(CONTENT_RANGE, header_value(format!("bytes {start}-{}/{}", end - 1, opened.length))?);
                *response.body_mut() = opened.body(start, end, head).await?;
            }
            Outcome::NotModified => {
                *response.status_mut() = StatusCode::NOT_MODIFIED;
                for name in [CONTENT_TYPE, CONTENT_LENGTH, LAST_MODIFIED, CONTENT_ENCODING] {
                    response.headers_mut().remove(name);
                }
            }
            Outcome::PreconditionFailed => {
                // Werkzeug changes the status only: the file goes with it.
                *response.status_mut() = StatusCode::PRECONDITION_FAILED;
                *response.body_mut() = opened.body(0, opened.length, head).await?;
            }
            Outcome::NotSatisfiable => {
                let range = header_value(format!("bytes */{}", opened.length))?;
                return Err(HttpError::new(StatusCode::RANGE_NOT_SATISFIABLE).header(CONTENT_RANGE, range).into());
            }
        }
        Ok(response)
    }

    /// `Cache-Control` (and `Expires`) for the max age, as Werkzeug sets them.
    fn cache_headers(&self, headers: &mut http::HeaderMap) -> Result<(), ViewError> {
        let max_age = match self.max_age {
            MaxAge::Seconds(seconds) => seconds,
            MaxAge::FromConfig => crate::current_app()
                .ok()
                .and_then(|app| app.config().get("SEND_FILE_MAX_AGE_DEFAULT").and_then(serde_json::Value::as_u64)),
        };
        let cache_control = match max_age {
            None => "no-cache".to_string(),
            Some(0) => "no-cache, max-age=0".to_string(),
            Some(seconds) => format!("public, max-age={seconds}"),
        };
        headers.insert(CACHE_CONTROL, header_value(cache_control)?);
        if let Some(seconds) = max_age {
            let expires = SystemTime::now() + Duration::from_secs(seconds);
            headers.insert(EXPIRES, header_value(httpdate::fmt_http_date(expires))?);
        }
        Ok(())
    }

    /// The file looked up (or the bytes taken), with what the headers need.
    async fn open(&self) -> Result<Opened, ViewError> {
        let path = match &self.source {
            None => return Err(HttpError::new(StatusCode::NOT_FOUND).into()),
            Some(FileSource::Bytes(bytes)) => {
                return Ok(Opened {
                    source: OpenedSource::Bytes(bytes.clone()),
                    length: bytes.len() as u64,
                    modified: None,
                    etag: None,
                    file_name: None,
                });
            }
            Some(FileSource::Path(path)) => std::path::absolute(path)?,
        };
        let metadata = match tokio::fs::metadata(&path).await {
            Ok(metadata) if metadata.is_file() => metadata,
            // What the client named is not a file here.
            Ok(_) | Err(_) if self.from_directory => return Err(HttpError::new(StatusCode::NOT_FOUND).into()),
            Ok(_) => return Err(ViewError::new(std::io::Error::other(format!("{} is not a file", path.display())))),
            Err(error) => return Err(ViewError::new(error)),
        };
        let modified = metadata.modified().ok();
        let etag = modified.map(|modified| file_etag(&path, modified, metadata.len()));
        Ok(Opened {
            file_name: path.file_name().map(|name| name.to_string_lossy().into_owned()),
            source: OpenedSource::File(path),
            length: metadata.len(),
            modified,
            etag,
        })
    }
}

impl IntoFuture for SendFile {
    type Output = Result<Response, ViewError>;
    type IntoFuture = BoxFuture<'static, Result<Response, ViewError>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.respond())
    }
}

/// A file found (or bytes), ready to become a body.
struct Opened {
    source: OpenedSource,
    length: u64,
    modified: Option<SystemTime>,
    etag: Option<String>,
    file_name: Option<String>,
}

enum OpenedSource {
    File(PathBuf),
    Bytes(Bytes),
}

impl Opened {
    /// Bytes `start..end` as a body (none for a `HEAD`, whose length is in the
    /// headers).
    async fn body(&self, start: u64, end: u64, head: bool) -> Result<Body, ViewError> {
        if head || start == end {
            return Ok(Body::empty());
        }
        match &self.source {
            OpenedSource::Bytes(bytes) => Ok(Body::from(bytes.slice(start as usize..end as usize))),
            OpenedSource::File(path) => {
                let mut file = tokio::fs::File::open(path).await?;
                if start > 0 {
                    file.seek(SeekFrom::Start(start)).await?;
                }
                let reader = file.take(end - start);
                Ok(Body::from_stream(tokio_util::io::ReaderStream::with_capacity(reader, CHUNK)))
            }
        }
    }
}

/// Werkzeug's entity tag for a file: its modification time (as Python prints the
/// float), its size and the Adler-32 of its absolute path.
fn file_etag(path: &Path, modified: SystemTime, length: u64) -> String {
    let since = modified.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    let seconds = since.as_secs() as f64 + f64::from(since.subsec_nanos()) * 1e-9;
    let mut mtime = Vec::new();
    // Writing a float into a Vec cannot fail.
    let _ = crate::python_json::to_writer(&mut mtime, &seconds);
    let mut adler = adler2::Adler32::new();
    adler.write_slice(path.as_os_str().as_encoded_bytes());
    format!("{}-{length}-{}", String::from_utf8_lossy(&mtime), adler.checksum())
}

fn header_value(text: String) -> Result<HeaderValue, ViewError> {
    HeaderValue::try_from(text).map_err(ViewError::new)
}

/// Bytes with neither a name nor a type: nothing to say what they are.
#[derive(Debug)]
struct NoName;

impl std::fmt::Display for NoName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "send_file cannot tell the type of bytes without a name: \
             set .download_name(..) or .mimetype(..)",
        )
    }
}

impl std::error::Error for NoName {}
