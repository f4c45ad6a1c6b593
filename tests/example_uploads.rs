//! `examples/uploads.rs`, Flask's "Uploading Files" pattern, driven as a browser
//! and curl would drive it: through the test client, and once over a real socket.

#[path = "../examples/uploads.rs"]
#[allow(dead_code)]
mod uploads;

use phial::testing::{LiveServer, Multipart, TestClient};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A fresh upload folder and a client of the example saving into it.
fn setup(test: &str) -> (PathBuf, TestClient) {
    let folder = std::env::temp_dir().join(format!("phial-example-uploads-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let client = uploads::create_app(folder.to_str().unwrap()).test_client();
    (folder, client)
}

#[tokio::test]
async fn the_form_saves_an_allowed_file_and_sends_it_back() {
    let (folder, client) = setup("form");
    let page = client.get("/").send().await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(page.text().contains("<form method=post enctype=multipart/form-data>"));

    let form = Multipart::new().file("file", "../../My cool notes.txt", "hello, uploads\n");
    let response = client.post("/").multipart(form).send().await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.header("location"), Some("/uploads/My_cool_notes.txt"));
    assert_eq!(std::fs::read(folder.join("My_cool_notes.txt")).unwrap(), b"hello, uploads\n");

    let download = client.get("/uploads/My_cool_notes.txt").send().await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.text(), "hello, uploads\n");
    assert_eq!(download.header("content-type"), Some("text/plain; charset=utf-8"));
    assert_eq!(client.get("/uploads/..%2f..%2fCargo.toml").send().await.status(), 404);
    std::fs::remove_dir_all(&folder).unwrap();
}

#[tokio::test]
async fn the_pattern_refuses_what_flask_refuses() {
    let (folder, client) = setup("refusals");
    // No file part, and an empty file input (what a browser sends when no file is chosen).
    let response = client.post("/").multipart(Multipart::new().text("other", "x")).send().await;
    assert_eq!((response.status().as_u16(), response.text().contains("No file part")), (400, true));
    let response = client.post("/").multipart(Multipart::new().file("file", "", "")).send().await;
    assert_eq!((response.status().as_u16(), response.text().contains("No selected file")), (400, true));
    // An extension not allowed: the form again, nothing saved (Flask falls through to it).
    let response = client.post("/").multipart(Multipart::new().file("file", "run.sh", "#!/bin/sh")).send().await;
    assert_eq!(response.status(), 200);
    assert!(response.text().contains("<h1>Upload new File</h1>"));
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    // Over MAX_CONTENT_LENGTH (16 MB): 413 before the view runs.
    let big = Multipart::new().file("file", "big.png", vec![0u8; 16 * 1000 * 1000 + 1]);
    let response = client.post("/").multipart(big).send().await;
    assert_eq!(response.status(), 413);
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    std::fs::remove_dir_all(&folder).unwrap();
}

#[tokio::test]
async fn the_json_upload_answers_201_with_the_secure_name() {
    let (folder, client) = setup("api");
    let form = Multipart::new().file("file", "r\u{e9}sum\u{e9} 2024.PDF", b"%PDF-1.7".to_vec());
    let response = client.post("/api/upload").multipart(form).send().await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.json::<Value>(), json!({"filename": "resume_2024.PDF", "size": 8}));
    assert!(folder.join("resume_2024.PDF").exists());
    let response = client.post("/api/upload").multipart(Multipart::new().text("file", "not a file")).send().await;
    assert_eq!(response.json::<Value>(), json!({"msg": "No file part"}));
    let response =
        client.post("/api/upload").content_type("multipart/form-data; boundary=x").body("--x\r\nbroken").send().await;
    assert_eq!(response.status(), 400);
    std::fs::remove_dir_all(&folder).unwrap();
}

#[tokio::test]
async fn a_browser_upload_over_a_socket() {
    let folder = std::env::temp_dir().join(format!("phial-example-uploads-socket-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let server = LiveServer::start(uploads::create_app(folder.to_str().unwrap())).await.unwrap();
    // What Chromium sends for the form with a file chosen.
    let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.png\"\r\n\
         Content-Type: image/png\r\n\r\n\u{89}PNG\r\n\r\n--{boundary}--\r\n"
    );
    let request = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await.unwrap().unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 302 Found\r\n"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("location: /uploads/photo.png\r\n"), "{answer}");
    assert_eq!(std::fs::read(folder.join("photo.png")).unwrap(), "\u{89}PNG\r\n".as_bytes());
    server.stop().await.unwrap();
    std::fs::remove_dir_all(&folder).unwrap();
}
