//! Form bodies and uploads against what Flask 3.1 reads from the same bytes
//! (`tests/flask_vectors/uploads.py`, its output checked in as `uploads.json`):
//! `request.form` and `request.files` (names, file names, types, headers,
//! contents), Flask's form limits, malformed bodies, the test client's multipart
//! bodies, and Werkzeug's `secure_filename`.
//!
//! Each raw body goes to two views. `/echo` reads the form the way a ported view
//! does, `request.try_form()?` and `request.files()?`, and must answer Flask's
//! status and JSON, except that a body Werkzeug's parser refuses (a `ValueError`
//! that Flask swallows, leaving an empty form) is a 400 here. `/lenient` reads
//! `request.form()`, which never fails, and must see what Flask's view saw.
//! [`DIFFERENCES`] lists, with the reason, each body phial answers otherwise.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use phial::files::secure_filename;
use phial::prelude::*;
use phial::request::{FileStorage, Files, MultiDict};
use phial::testing::Multipart;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

const VECTORS: &str = include_str!("flask_vectors/uploads.json");

/// Bodies phial's strict view (`/echo`) answers otherwise than Flask, with the
/// status it gives and why (the porting guide lists them too).
const DIFFERENCES: &[(&str, u16, &str)] = &[
    ("LF line breaks instead of CRLF", 400, "multer reads CRLF line breaks only, as RFC 7578 requires"),
    (
        "an empty value without its CRLF (as Werkzeug's test client writes it)",
        400,
        "multer would read the next parts as this one's content: refused instead",
    ),
    ("33 headers in a part", 400, "multer reads at most 32 headers in a part"),
    ("epilogue over MAX_FORM_MEMORY_SIZE", 200, "phial does not buffer what follows the closing boundary"),
    (
        "a text field over the limit with no closing boundary",
        400,
        "multer stops at the missing boundary before the field's size is known",
    ),
];

/// A string as the Flask view summarises it (lengths in characters, as Python's).
fn summary(text: &str) -> Value {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 64 {
        return json!(text);
    }
    let head: String = chars[..16].iter().collect();
    let tail: String = chars[chars.len() - 16..].iter().collect();
    json!({"len": chars.len(), "head": head, "tail": tail})
}

fn file_json(file: &FileStorage) -> Value {
    let data = file.bytes();
    let headers: Vec<Value> = file
        .headers()
        .iter()
        .map(|(name, value)| json!([name.as_str(), String::from_utf8_lossy(value.as_bytes())]))
        .collect();
    json!({
        "name": file.name(),
        "filename": file.filename(),
        "content_type": file.content_type(),
        "mimetype": file.mimetype(),
        "mimetype_params": file.mimetype_params(),
        "headers": headers,
        "data": {"len": data.len(), "base64": STANDARD.encode(&data[..data.len().min(48)])},
    })
}

/// Pairs in the order Werkzeug's `MultiDict.items(multi=True)` gives them: keys in
/// the order they first came, each with all its values (phial's `MultiDict` and
/// `Files` keep the order sent: `a=1&b=2&a=3` iterates `a, b, a` there and `a, a, b`
/// in Werkzeug).
fn grouped<'a, T>(pairs: impl Iterator<Item = (&'a str, T)>) -> Vec<(&'a str, T)> {
    let mut groups: Vec<(&str, Vec<T>)> = Vec::new();
    for (key, value) in pairs {
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) => values.push(value),
            None => groups.push((key, vec![value])),
        }
    }
    groups.into_iter().flat_map(|(key, values)| values.into_iter().map(move |v| (key, v))).collect()
}

/// What the Flask view returns, built from phial's form and files.
fn describe(form: &MultiDict, files: &Files) -> Value {
    let fields: Vec<Value> = grouped(form.iter()).into_iter().take(40).map(|(k, v)| json!([k, summary(v)])).collect();
    let files: Vec<Value> =
        grouped(files.iter().map(|f| (f.name(), f))).into_iter().map(|(k, f)| json!([k, file_json(f)])).collect();
    json!({"form_len": form.len(), "form": fields, "files": files})
}

/// Flask's JSON without the parts that have no name (Werkzeug keeps them under
/// the key `None`, where no view can ask for them; phial leaves them out).
fn without_nameless(mut flask: Value) -> Value {
    let form = flask["form"].as_array().unwrap().iter().filter(|pair| !pair[0].is_null()).cloned().collect::<Vec<_>>();
    let dropped = flask["form"].as_array().unwrap().len() - form.len();
    flask["form"] = Value::Array(form);
    flask["form_len"] = json!(flask["form_len"].as_u64().unwrap() - dropped as u64);
    flask
}

fn empty_form() -> Value {
    json!({"form_len": 0, "form": [], "files": []})
}

fn client(config: Option<&Value>) -> TestClient {
    let mut app = App::new("uploads");
    for (key, value) in config.and_then(Value::as_object).into_iter().flatten() {
        app.config.set(key.as_str(), value.clone());
    }
    app.route("/echo", ["POST"], |request: Request| async move {
        let form = request.try_form()?;
        let files = request.files()?;
        Ok::<_, HttpError>(Json(describe(form, files)))
    });
    app.route("/lenient", ["POST"], |request: Request| async move {
        let files = request.files().cloned().unwrap_or_default();
        Json(describe(request.form(), &files))
    });
    app.test_client()
}

fn body(segments: &Value) -> Vec<u8> {
    let mut body = Vec::new();
    for segment in segments.as_array().unwrap() {
        if let Some(text) = segment["text"].as_str() {
            body.extend_from_slice(text.as_bytes());
        } else if let Some(encoded) = segment["base64"].as_str() {
            body.extend(STANDARD.decode(encoded).unwrap());
        } else {
            let repeated = segment["repeat"].as_str().unwrap().repeat(segment["count"].as_u64().unwrap() as usize);
            body.extend_from_slice(repeated.as_bytes());
        }
    }
    body
}

#[tokio::test]
async fn raw_bodies_read_as_flask_reads_them() {
    let vectors: Value = serde_json::from_str(VECTORS).unwrap();
    let mut clients: HashMap<String, TestClient> = HashMap::new();
    let mut failures = Vec::new();
    let mut differences_seen = 0;
    for case in vectors["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let config = case.get("config");
        let client =
            clients.entry(config.map(Value::to_string).unwrap_or_default()).or_insert_with(|| client(config)).clone();
        let content_type = case["content_type"].as_str().unwrap();
        let body = body(&case["segments"]);
        assert_eq!(body.len() as u64, case["body_len"].as_u64().unwrap(), "{name}: the body is rebuilt");
        let strict = client.post("/echo").content_type(content_type).body(body.clone()).send().await;
        let lenient = client.post("/lenient").content_type(content_type).body(body).send().await;
        let flask_status = case["status"].as_u64().unwrap() as u16;
        let refused_by_werkzeug = case["werkzeug_error"].as_str().is_some_and(|e| e != "RequestEntityTooLarge");

        let (expected_status, expected_json) = match DIFFERENCES.iter().find(|(n, _, _)| *n == name) {
            Some((_, status, _)) => {
                differences_seen += 1;
                (*status, None)
            }
            None if flask_status == 413 => (413, None),
            None if refused_by_werkzeug => (400, None),
            None => (flask_status, Some(without_nameless(case["json"].clone()))),
        };
        if strict.status() != expected_status {
            failures.push(format!(
                "{name}: status {} (expected {expected_status}): {}",
                strict.status(),
                strict.text()
            ));
            continue;
        }
        if let Some(expected) = &expected_json {
            let ours: Value = strict.json();
            if &ours != expected {
                failures.push(format!("{name}:\n  phial {ours}\n  flask {expected}"));
            }
        } else if expected_status != 200 {
            let message = strict.json::<Value>()["msg"].as_str().unwrap_or_default().to_string();
            let wanted = if expected_status == 413 { "MAX_FORM_" } else { "Invalid multipart form body: " };
            if !message.contains(wanted) {
                failures.push(format!("{name}: message {message:?} does not say {wanted:?}"));
            }
        }
        // The lenient view sees Flask's form, or an empty one where phial refused the body.
        let lenient_expected = match (&expected_json, expected_status) {
            (Some(expected), _) => expected.clone(),
            (None, 200) => strict.json(),
            (None, _) if refused_by_werkzeug => without_nameless(case["json"].clone()),
            (None, _) => empty_form(),
        };
        if lenient.status() != 200 || lenient.json::<Value>() != lenient_expected {
            failures.push(format!(
                "{name} (form()): {} {}\n  expected {lenient_expected}",
                lenient.status(),
                lenient.text()
            ));
        }
    }
    assert_eq!(differences_seen, DIFFERENCES.len(), "every listed difference has its case");
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        vectors["cases"].as_array().unwrap().len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn the_form_limits_default_to_flasks() {
    let vectors: Value = serde_json::from_str(VECTORS).unwrap();
    let app = App::new("defaults");
    for key in ["MAX_FORM_MEMORY_SIZE", "MAX_FORM_PARTS"] {
        assert_eq!(app.config.get(key), Some(&vectors["config"][key]), "{key}");
    }
}

#[tokio::test]
async fn test_client_multipart_bodies_read_as_flasks_test_client_bodies() {
    let vectors: Value = serde_json::from_str(VECTORS).unwrap();
    let client = client(None);
    for case in vectors["client_cases"].as_array().unwrap() {
        let mut form = Multipart::new();
        for entry in case["data"].as_array().unwrap() {
            let field = |i: usize| entry[i].as_str().unwrap().to_string();
            form = match (field(0).as_str(), entry[3].as_str()) {
                ("text", _) => form.text(field(1), field(2)),
                (_, None) => form.file(field(1), field(2), field(4)),
                (_, Some(content_type)) => form.file_with_type(field(1), field(2), content_type, field(4)),
            };
        }
        let response = client.post("/echo").multipart(form).send().await;
        assert_eq!(response.status(), 200, "{}", case["name"]);
        assert_eq!(response.json::<Value>(), case["json"], "{}", case["name"]);
    }
}

#[test]
fn secure_filename_gives_werkzeugs_results() {
    let vectors: Value = serde_json::from_str(VECTORS).unwrap();
    // Werkzeug decides by the system it runs on; so does phial.
    let key = if cfg!(windows) { "secure_filename_windows" } else { "secure_filename" };
    for pair in vectors[key].as_array().unwrap() {
        let (name, expected) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        assert_eq!(secure_filename(name), expected, "secure_filename({name:?})");
    }
}

#[derive(Debug, Deserialize, PartialEq)]
struct Post {
    title: String,
    tag: String,
    draft: Option<bool>,
}

#[tokio::test]
async fn form_extractor_reads_multipart_text_fields() {
    let mut app = App::new("form");
    app.route("/post", ["POST"], |Form(post): Form<Post>| async move { format!("{post:?}") });
    let client = app.test_client();
    let form = Multipart::new().text("title", "Hi").file("cover", "c.png", "png");
    let response = client.post("/post").multipart(form).send().await;
    assert_eq!(response.status(), 400, "tag is missing: {}", response.text());
    let form = Multipart::new().text("title", "Hi").text("tag", "a").text("draft", "true");
    let response = client.post("/post").multipart(form).send().await;
    assert_eq!(response.text(), r#"Post { title: "Hi", tag: "a", draft: Some(true) }"#);
    let response = client.post("/post").content_type("multipart/form-data").body("x").send().await;
    assert_eq!(response.status(), 400);
    let response = client.post("/post").content_type("text/plain").body("title=x").send().await;
    assert_eq!(response.status(), 415);
}

#[tokio::test]
async fn save_writes_the_upload_and_max_content_length_still_applies() {
    let dir = std::env::temp_dir().join(format!("phial-uploads-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut app = App::new("save");
    app.config.set("MAX_CONTENT_LENGTH", 1024);
    let folder = dir.clone();
    app.route("/upload", ["POST"], move |request: Request| {
        let folder = folder.clone();
        async move {
            let files = request.files()?;
            let file = files.get("file").ok_or_else(|| abort(400))?;
            let name = secure_filename(file.filename().unwrap_or_default());
            file.save(folder.join(&name)).await?;
            Ok::<_, ViewError>((jsonify!({"filename": name, "size": file.len()}), 201))
        }
    });
    let client = app.test_client();
    let form = Multipart::new().file("file", "../../My notes.txt", "hello, world");
    let response = client.post("/upload").multipart(form).send().await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.json::<Value>(), json!({"filename": "My_notes.txt", "size": 12}));
    assert_eq!(std::fs::read(dir.join("My_notes.txt")).unwrap(), b"hello, world");

    let form = Multipart::new().file("file", "big.bin", vec![b'x'; 2000]);
    let response = client.post("/upload").multipart(form).send().await;
    assert_eq!(response.status(), 413);
    assert!(!dir.join("big.bin").exists(), "nothing past MAX_CONTENT_LENGTH is written");
    std::fs::remove_dir_all(&dir).unwrap();
}
