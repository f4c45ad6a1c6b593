//! `Multipart`: a `multipart/form-data` body for the test client, as a browser
//! sends a form with file inputs.

use bytes::{BufMut, Bytes, BytesMut};

use crate::files::content_type;

/// The fields and files of a form, sent as `multipart/form-data` by
/// [`TestRequest::multipart`](super::TestRequest::multipart): Flask's
/// `client.post("/", data={"title": "x", "file": (io.BytesIO(b"..."), "a.txt")})`.
///
/// ```
/// use phial::prelude::*;
/// use phial::testing::Multipart;
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let mut app = App::new("demo");
/// app.route("/", ["POST"], |request: Request| async move {
///     let files = request.files()?;
///     let file = files.get("file").ok_or_else(|| abort(400))?;
///     Ok::<_, HttpError>(format!("{} {:?} {}", request.form().get("title").unwrap_or(""), file.filename(), file.len()))
/// });
/// let client = app.test_client();
/// let form = Multipart::new().text("title", "Holiday").file("file", "beach.png", b"PNG...".to_vec());
/// let response = client.post("/").multipart(form).send().await;
/// assert_eq!(response.text(), "Holiday Some(\"beach.png\") 6");
/// # });
/// ```
///
/// Parts are sent in the order they were added. A file's type is guessed from its
/// name as Werkzeug's test client guesses it (`application/octet-stream` when the
/// name says nothing), unless [`file_with_type`](Multipart::file_with_type) gives
/// one. Names and file names are written as browsers write them: UTF-8, with `"`,
/// CR and LF as `%22`, `%0D` and `%0A`.
#[derive(Clone, Debug, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Clone, Debug)]
struct Part {
    name: String,
    file: Option<(String, String)>,
    data: Bytes,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Multipart {
        Multipart::default()
    }

    /// Adds a text field (Flask's `data={"name": "value"}`).
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Multipart {
        self.parts.push(Part { name: name.into(), file: None, data: Bytes::from(value.into()) });
        self
    }

    /// Adds a file, its type guessed from `filename` (Flask's
    /// `data={"name": (io.BytesIO(data), filename)}`). An empty `filename` is what
    /// a browser sends for a file input left empty.
    pub fn file(self, name: impl Into<String>, filename: impl Into<String>, data: impl Into<Bytes>) -> Multipart {
        let filename = filename.into();
        let guessed =
            if filename.is_empty() { "application/octet-stream".to_string() } else { content_type::guess(&filename).0 };
        self.file_with_type(name, filename, &guessed, data)
    }

    /// Adds a file with its `Content-Type` (Flask's
    /// `data={"name": (io.BytesIO(data), filename, content_type)}`).
    pub fn file_with_type(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: &str,
        data: impl Into<Bytes>,
    ) -> Multipart {
        self.parts.push(Part {
            name: name.into(),
            file: Some((filename.into(), content_type.to_string())),
            data: data.into(),
        });
        self
    }

    /// The `Content-Type` (with its boundary) and the body.
    pub(crate) fn encode(&self) -> (String, Bytes) {
        let boundary = self.boundary();
        let mut body = BytesMut::new();
        for part in &self.parts {
            body.put_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", escape(&part.name)).as_bytes(),
            );
            if let Some((filename, content_type)) = &part.file {
                body.put_slice(
                    format!("; filename=\"{}\"\r\nContent-Type: {content_type}", escape(filename)).as_bytes(),
                );
            }
            body.put_slice(b"\r\n\r\n");
            body.put_slice(&part.data);
            body.put_slice(b"\r\n");
        }
        body.put_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body.freeze())
    }

    /// A boundary found in no part's content.
    fn boundary(&self) -> String {
        loop {
            let boundary = format!("phial-test-boundary-{}", uuid::Uuid::new_v4().simple());
            let found = |data: &[u8]| data.windows(boundary.len()).any(|w| w == boundary.as_bytes());
            if !self.parts.iter().any(|part| found(&part.data)) {
                return boundary;
            }
        }
    }
}

/// A name in a quoted string, as the HTML standard writes it.
fn escape(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_a_browser() {
        let form = Multipart::new().text("say \"hi\"", "v").file("f", "a.txt", "x").file("g", "", "");
        let (content_type, body) = form.encode();
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"say %22hi%22\"\r\n\r\nv\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nx\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"g\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n\
             --{boundary}--\r\n"
        );
        assert_eq!(String::from_utf8(body.to_vec()).unwrap(), expected);
    }
}
