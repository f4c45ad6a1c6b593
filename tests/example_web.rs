//! `examples/web.rs`, the tutorial web app, driven as issue 16 describes it: its
//! pages, its static files (conditional and range requests, no way out of the
//! folder), its event stream and its upload; in-process and over a real socket.

#[path = "../examples/web.rs"]
#[allow(dead_code)]
mod web;

use phial::testing::{LiveServer, Multipart, TestClient};
use std::path::PathBuf;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A fresh upload folder for one test.
fn upload_folder(test: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("phial-web-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    folder
}

fn client(test: &str) -> TestClient {
    web::create_app(upload_folder(test)).test_client()
}

#[tokio::test]
async fn the_front_page_extends_the_base_template_and_links_the_stylesheet() {
    let response = client("front").get("/").send().await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.header("content-type"), Some("text/html; charset=utf-8"));
    let page = response.text();
    assert!(page.contains(r#"<link rel="stylesheet" href="/static/style.css">"#), "{page}");
    assert!(page.contains("<title>Notes - Phial notes</title>"), "{page}");
    assert!(page.contains("<h2>First Steps</h2>"), "the title filter: {page}");
    assert!(page.contains("&lt;base.html&gt; &amp; link"), "escaped: {page}");
    assert!(page.contains(r#"<article class="odd">"#) && page.contains(r#"<article class="even">"#));
    assert!(page.contains("<footer>Phial notes, 2026</footer>"), "config and a context processor: {page}");
}

#[tokio::test]
async fn a_note_page_and_a_missing_note() {
    let client = client("note");
    let page = client.get("/notes/2").send().await.text();
    assert!(page.contains("<h1>streaming</h1>"), "{page}");
    assert!(page.contains(r#"const note = {"body": "GET /events sends"#), "tojson, keys sorted: {page}");
    assert_eq!(client.get("/notes/9").send().await.status(), 404);
}

#[tokio::test]
async fn the_stylesheet_is_served_with_validators_and_ranges() {
    let client = client("static");
    let css = client.get("/static/style.css").send().await;
    assert_eq!(css.status(), 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(css.header("last-modified").is_some());
    let etag = css.header("etag").unwrap().to_string();

    let again = client.get("/static/style.css").header("If-None-Match", &etag).send().await;
    assert_eq!(again.status(), 304);

    let part = client.get("/static/style.css").header("Range", "bytes=0-9").send().await;
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().len(), 10);
    assert_eq!(part.text(), "body { fon");
}

#[tokio::test]
async fn no_path_climbs_out_of_the_static_folder() {
    let client = client("climb");
    for path in [
        "/static/../../../Cargo.toml",
        "/static/..%2f..%2f..%2fCargo.toml",
        "/static/..%2F..%2F..%2FCargo.toml",
        "/static/%2e%2e/%2e%2e/%2e%2e/Cargo.toml",
        "/static/%2F..%2F..%2F..%2FCargo.toml",
        "/static/..\\..\\..\\Cargo.toml",
    ] {
        // A path with `//` once decoded is first redirected (308) with the slashes
        // merged, as Werkzeug does; where it leads is a 404 all the same.
        let mut response = client.get(path).send().await;
        for _ in 0..3 {
            if response.status() != 308 {
                break;
            }
            let location = response.header("location").unwrap().to_string();
            response = client.get(&location).send().await;
        }
        assert_eq!(response.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn events_stream_three_ticks_and_end() {
    let response = client("events").get("/events").send().await;
    assert_eq!(response.header("content-type"), Some("text/event-stream; charset=utf-8"));
    let text = response.text();
    assert_eq!(text.matches("event: tick\n").count(), 3, "{text}");
    assert!(text.ends_with("data: tick 3\n\n"), "{text}");
}

#[tokio::test]
async fn an_upload_is_saved_under_a_safe_name() {
    let folder = upload_folder("upload");
    let client = web::create_app(folder.clone()).test_client();
    let form = Multipart::new().file("file", "../../My cool résumé.txt", "hello, phial");
    let response = client.post("/upload").multipart(form).send().await;
    assert_eq!(response.status(), 201);
    let body: serde_json::Value = response.json();
    assert_eq!(body, serde_json::json!({"filename": "My_cool_resume.txt", "size": 12}));
    assert_eq!(std::fs::read_to_string(folder.join("My_cool_resume.txt")).unwrap(), "hello, phial");
}

#[tokio::test]
async fn an_upload_without_a_file_or_a_name_is_refused() {
    let client = client("refused");
    let no_file = client.post("/upload").multipart(Multipart::new().text("note", "x")).send().await;
    assert_eq!(no_file.status(), 400);
    assert_eq!(no_file.json::<serde_json::Value>(), serde_json::json!({"msg": "No file part"}));
    let no_name = client.post("/upload").multipart(Multipart::new().file("file", "", "x")).send().await;
    assert_eq!(no_name.status(), 400);
    let not_multipart = client.post("/upload").body("file=x").send().await;
    assert_eq!(not_multipart.status(), 400);
}

#[tokio::test]
async fn an_upload_over_max_content_length_is_a_413_and_writes_nothing() {
    let folder = upload_folder("too-big");
    let client = web::create_app(folder.clone()).test_client();
    let form = Multipart::new().file("file", "big.bin", vec![b'x'; 1024 * 1024 + 1]);
    let response = client.post("/upload").multipart(form).send().await;
    assert_eq!(response.status(), 413);
    assert!(response.json::<serde_json::Value>()["msg"].is_string());
    assert!(!folder.join("big.bin").exists());
}

/// Sends `request` over a socket and reads the whole answer (the server closes).
async fn over_socket(server: &LiveServer, request: &str) -> String {
    let mut socket = TcpStream::connect(server.addr()).await.unwrap();
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    socket.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn over_a_real_socket() {
    let server = LiveServer::start(web::create_app(upload_folder("socket"))).await.unwrap();
    let page = over_socket(&server, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    assert!(page.starts_with("HTTP/1.1 200") && page.contains("/static/style.css"), "{page}");
    let climb =
        over_socket(&server, "GET /static/../../../Cargo.toml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    assert!(climb.starts_with("HTTP/1.1 404"), "{climb}");
    let events = over_socket(&server, "GET /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    assert!(events.to_ascii_lowercase().contains("transfer-encoding: chunked"), "{events}");
    assert_eq!(events.matches("event: tick").count(), 3, "{events}");

    let body =
        "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n\r\nsix by\r\n--b--\r\n";
    let upload = format!(
        "POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let answer = over_socket(&server, &upload).await;
    assert!(
        answer.starts_with("HTTP/1.1 201") && answer.trim_end().ends_with(r#"{"filename":"notes.txt","size":6}"#),
        "{answer}"
    );
    let too_big = "POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 2000000\r\n\r\n";
    assert!(over_socket(&server, too_big).await.starts_with("HTTP/1.1 413"));
}
