//! The app's static folder, `send_file` and `send_from_directory`, against what
//! Flask 3.1 answers for the same files and requests
//! (`tests/flask_vectors/static_files.py`, its output checked in as
//! `static_files.json`): statuses, the file headers (type, disposition, length,
//! validators, caching, ranges) and bodies.
//!
//! Flask's error pages are HTML where phial's are JSON, so for an error status only
//! the status and the headers that carry meaning (`Content-Range`, `Location`,
//! `Allow`) are compared. The `ETag` holds an Adler-32 of the file's absolute path,
//! and this test's files are not where Flask's were: that part is recomputed here
//! for our path, the rest compared as it is.

use phial::prelude::*;
use phial::{send_file, send_from_directory};
use serde_json::Value;
use std::future::IntoFuture;
use std::path::{Path as FsPath, PathBuf};
use std::time::{Duration, SystemTime};

const VECTORS: &str = include_str!("flask_vectors/static_files.json");

/// The headers a file response may carry, compared present-or-absent.
const FILE_HEADERS: [&str; 10] = [
    "content-disposition",
    "content-type",
    "content-length",
    "last-modified",
    "cache-control",
    "expires",
    "etag",
    "accept-ranges",
    "content-range",
    "content-encoding",
];

/// The vectors' files, written under a fresh directory with their modification times.
fn build_tree(vectors: &Value) -> PathBuf {
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos();
    let root = std::env::temp_dir().join(format!("phial-static-{}-{nanos}", std::process::id())).join("app");
    for (relative, file) in vectors["files"].as_object().unwrap() {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let bytes = base64_decode(file["base64"].as_str().unwrap());
        std::fs::write(&path, bytes).unwrap();
        let mtime = file["mtime"].as_f64().unwrap();
        let nanos = ((mtime - mtime.trunc()) * 1e9).round() as u64;
        let modified = SystemTime::UNIX_EPOCH + Duration::from_secs(mtime.trunc() as u64) + Duration::from_nanos(nanos);
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(modified).unwrap();
    }
    root
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|&byte| byte != b'=') {
        bits = (bits << 6) | ALPHABET.iter().position(|&a| a == byte).unwrap() as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

/// Adler-32, written out here so that the library's is checked, not trusted.
fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// Flask's app, route for route (see `static_files.py`).
fn app(root: &FsPath) -> App {
    let statics = root.join("static");
    let mut app = App::new("static_files");
    app.static_folder(&statics);
    let directory = statics.clone();
    app.route("/download/<path:name>", ["GET"], move |Path(name): Path<String>| {
        let directory = directory.clone();
        async move { send_from_directory(directory, &name).await }
    });
    let hello = statics.join("hello.txt");
    let file = hello.clone();
    app.route("/attachment", ["GET"], move || send_file(file.clone()).as_attachment(true).into_future());
    let file = hello.clone();
    app.route("/attachment-named", ["GET"], move || {
        send_file(file.clone()).as_attachment(true).download_name("résumé file.txt").into_future()
    });
    let file = hello.clone();
    app.route("/inline-named", ["GET"], move || {
        send_file(file.clone()).download_name("quote\"and;semi.txt").into_future()
    });
    app.route("/bytes", ["GET"], || {
        send_file(b"some bytes".to_vec()).mimetype("application/octet-stream").download_name("b.bin").into_future()
    });
    app.route("/bytes-gz", ["GET"], || send_file(b"not really gzip".to_vec()).download_name("a.tar.gz").into_future());
    let css = statics.join("style.css");
    let file = css.clone();
    app.route("/maxage", ["GET"], move || send_file(file.clone()).max_age(60).into_future());
    let file = css.clone();
    app.route("/maxage0", ["GET"], move || send_file(file.clone()).max_age(0).into_future());
    app
}

/// What our ETag should be, given Flask's for the same file: the path's checksum
/// recomputed for where our file is.
fn our_etag(flask_etag: &str, file: &FsPath) -> String {
    let (prefix, _) = flask_etag.trim_matches('"').rsplit_once('-').unwrap();
    format!("\"{prefix}-{}\"", adler32(file.as_os_str().as_encoded_bytes()))
}

/// The file a case's ETag is for: the last path segment, under `static/`.
fn served_file(root: &FsPath, case: &Value) -> PathBuf {
    let path = case["path"].as_str().unwrap();
    let path = path.split('?').next().unwrap().trim_end_matches('/');
    let name = match path {
        "/attachment" | "/attachment-named" | "/inline-named" => "hello.txt".to_string(),
        "/maxage" | "/maxage0" => "style.css".to_string(),
        other => {
            let relative = other.trim_start_matches("/static/").trim_start_matches("/download/");
            let relative = relative.replace("%20", " ").replace("%C3%A9", "é");
            // `img/../style.css` and `./style.css` are style.css.
            relative.rsplit('/').next().unwrap().to_string()
        }
    };
    if name == "x.svg" { root.join("static/img").join(name) } else { root.join("static").join(name) }
}

#[tokio::test]
async fn static_files_and_send_file_answer_as_flask_does() {
    let vectors: Value = serde_json::from_str(VECTORS).unwrap();
    let root = build_tree(&vectors);
    let client = app(&root).test_client();
    let flask_root = vectors["generator"]["app_root"].as_str().unwrap();
    let mut failures = Vec::new();
    for case in vectors["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let method = http::Method::from_bytes(case["method"].as_str().unwrap().as_bytes()).unwrap();
        let is_options = method == http::Method::OPTIONS;
        let mut request = client.request(method, case["path"].as_str().unwrap());
        // Entity tags the client sends are Flask's: made ours for the same file.
        let file = served_file(&root, case);
        let flask_file = file.strip_prefix(&root).map(|relative| FsPath::new(flask_root).join(relative)).unwrap();
        let flask_checksum = adler32(flask_file.as_os_str().as_encoded_bytes()).to_string();
        let our_checksum = adler32(file.as_os_str().as_encoded_bytes()).to_string();
        for (header, value) in case["request_headers"].as_object().unwrap() {
            request = request.header(header, &value.as_str().unwrap().replace(&flask_checksum, &our_checksum));
        }
        let response = request.send().await;
        let status = case["status"].as_u64().unwrap();
        if u64::from(response.status().as_u16()) != status {
            failures.push(format!("{name}: status {} where Flask answers {status}", response.status()));
            continue;
        }
        let expected: Vec<(String, String)> = case["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| (pair[0].as_str().unwrap().to_string(), pair[1].as_str().unwrap().to_string()))
            .collect();
        let flask = |header: &str| expected.iter().find(|(name, _)| name == header).map(|(_, value)| value.as_str());
        let is_error = status >= 300 && status != 304 && status != 412;
        // An automatic OPTIONS answer is Flask's (and phial's) own, not a file's.
        let compared: &[&str] =
            if is_error || is_options { &["content-range", "location", "allow"] } else { &FILE_HEADERS };
        for header in compared.iter().chain(if is_error { [].iter() } else { ["allow"].iter() }) {
            let ours = response.header(header);
            let theirs = flask(header);
            let agrees = match (*header, ours, theirs) {
                (_, None, None) => true,
                ("etag", Some(ours), Some(theirs)) => ours == our_etag(theirs, &served_file(&root, case)),
                ("expires", Some(ours), Some(theirs)) => {
                    let seconds: u64 = theirs.trim_start_matches("<now+").trim_end_matches('>').parse().unwrap();
                    let ours = httpdate::parse_http_date(ours).unwrap();
                    let expected = SystemTime::now() + Duration::from_secs(seconds);
                    ours <= expected + Duration::from_secs(2) && ours + Duration::from_secs(5) >= expected
                }
                ("location", Some(ours), Some(theirs)) => theirs.ends_with(ours.trim_start_matches("http://localhost")),
                ("allow", Some(ours), Some(theirs)) => {
                    let mut ours: Vec<&str> = ours.split(", ").collect();
                    ours.sort_unstable();
                    ours.join(", ") == theirs
                }
                (_, Some(ours), Some(theirs)) => ours == theirs,
                _ => false,
            };
            if !agrees {
                failures.push(format!("{name}: {header}: ours {ours:?}, Flask's {theirs:?}"));
            }
        }
        if !is_error {
            let body = match (case.get("body_text"), case.get("body_base64")) {
                (Some(Value::String(text)), _) => text.as_bytes().to_vec(),
                (_, Some(Value::String(encoded))) => base64_decode(encoded),
                _ => Vec::new(),
            };
            if response.bytes().as_ref() != body.as_slice() {
                failures.push(format!("{name}: body differs ({} bytes, Flask {})", response.bytes().len(), body.len()));
            }
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}

/// A view that builds `url_for("static", ..)` from the arguments it is sent, as
/// `[name, value]` pairs in Flask's order: a list repeated, `None` left out.
async fn build_url(request: Request) -> String {
    let args: Vec<(String, Value)> = request.get_json().unwrap();
    let mut values: Vec<(String, String)> = Vec::new();
    for (name, value) in args {
        match value {
            Value::Null => {}
            Value::Array(items) => {
                values.extend(items.iter().map(|item| (name.clone(), item.as_str().unwrap().to_string())))
            }
            Value::String(text) => values.push((name, text)),
            other => values.push((name, other.to_string())),
        }
    }
    match phial::url_for("static", values) {
        Ok(url) => url,
        Err(error) => format!("error: {error}"),
    }
}

#[tokio::test]
async fn url_for_static_builds_what_werkzeug_builds() {
    let vectors: Value = serde_json::from_str(VECTORS).unwrap();
    let mut app = App::new("urls");
    app.route("/build", ["POST"], build_url);
    let client = app.test_client();
    let mut failures = Vec::new();
    for case in vectors["url_for"].as_array().unwrap() {
        let built = client.post("/build").json(&case["pairs"]).send().await.text();
        match (case.get("url"), case.get("error")) {
            (Some(Value::String(url)), _) if &built == url => {}
            (_, Some(Value::String(_))) if built.starts_with("error: ") => {}
            _ => failures.push(format!(
                "{}: ours {built:?}, Flask's {:?}",
                case["args"],
                case.get("url").or(case.get("error"))
            )),
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}
