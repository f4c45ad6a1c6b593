//! Hostile HTTP over a real loopback socket: each case is bounded in time and ends
//! with a normal request still being served.

use phial::prelude::*;
use phial::testing::LiveServer;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

fn app() -> App {
    let mut app = App::new("hardening");
    app.config.set("HEADER_READ_TIMEOUT", 1).set("MAX_CONTENT_LENGTH", 64 * 1024);
    app.route("/", ["GET"], || async { "ok" });
    app.route("/big", ["GET"], || async { "x".repeat(8 * 1024 * 1024) });
    app.route("/header", ["GET"], |request: Request| async move {
        format!("{:?}", request.headers().get("x-data").map(|v| v.as_bytes().to_vec()))
    });
    app.before_request(|request: &Request| -> Option<Response> {
        if request.path() == "/panic-before" {
            panic!("before_request bug");
        }
        None
    });
    app.after_request(|request: &Request, response: Response| {
        if request.path() == "/panic-after" {
            panic!("after_request bug");
        }
        response
    });
    app
}

/// Sends `request` on a fresh connection and reads the whole answer (bounded).
async fn exchange(server: &LiveServer, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let _ = timeout(Duration::from_secs(3), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

/// A normal request still succeeds.
async fn still_serving(server: &LiveServer) {
    let answer = exchange(server, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("ok"), "{answer}");
}

#[tokio::test]
async fn a_client_that_disconnects_mid_response() {
    let server = LiveServer::start(app()).await.unwrap();
    for _ in 0..5 {
        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        stream.write_all(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let mut first = [0u8; 1024];
        let _ = stream.read(&mut first).await.unwrap();
        drop(stream); // gone with megabytes still to send
    }
    still_serving(&server).await;
}

#[tokio::test]
async fn panics_in_hooks_over_the_socket() {
    let server = LiveServer::start(app()).await.unwrap();
    for path in ["/panic-before", "/panic-after"] {
        let answer =
            exchange(&server, format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes()).await;
        assert!(answer.starts_with("HTTP/1.1 500"), "{answer}");
        assert!(!answer.contains("bug"), "the panic message does not leak: {answer}");
    }
    still_serving(&server).await;
}

#[tokio::test]
async fn invalid_utf8_and_odd_bytes_in_headers_and_paths() {
    let server = LiveServer::start(app()).await.unwrap();
    let answer =
        exchange(&server, b"GET /header HTTP/1.1\r\nHost: x\r\nX-Data: caf\xe9\xff\r\nConnection: close\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "non-UTF-8 header values reach the app as bytes: {answer}");
    let answer = exchange(&server, b"GET /%C3%28 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("not valid UTF-8"), "{answer}");
    let answer = exchange(&server, b"GET /%%%% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 404") || answer.starts_with("HTTP/1.1 400"), "{answer}");
    still_serving(&server).await;
}

#[tokio::test]
async fn an_enormous_request_line_is_refused() {
    let server = LiveServer::start(app()).await.unwrap();
    let request = format!("GET /{} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "a".repeat(100_000));
    let answer = exchange(&server, request.as_bytes()).await;
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 4"), "{}", &answer[..answer.len().min(200)]);
    let request = format!("GET /{} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "a".repeat(20_000));
    let answer = exchange(&server, request.as_bytes()).await;
    assert!(
        answer.starts_with("HTTP/1.1 431"),
        "a long target counts against MAX_HEADER_SIZE: {}",
        &answer[..answer.len().min(200)]
    );
    still_serving(&server).await;
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed() {
    let server = LiveServer::start(app()).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut buf = [0u8; 512];
    let n = stream.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    // The connection now idles; HEADER_READ_TIMEOUT (1 s) also bounds idleness.
    let started = Instant::now();
    let closed = timeout(Duration::from_secs(5), stream.read(&mut buf)).await;
    assert!(matches!(closed, Ok(Ok(0)) | Ok(Err(_))), "the idle connection was not closed");
    assert!(started.elapsed() < Duration::from_secs(4));
    still_serving(&server).await;
}

#[tokio::test]
async fn a_body_that_trickles_in_too_slowly_is_a_408() {
    let mut app = app();
    app.config.set("BODY_READ_TIMEOUT", 1);
    app.route("/upload", ["POST"], |request: Request| async move { request.data().len().to_string() });
    let server = LiveServer::start(app).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc").await.unwrap();
    let mut answer = Vec::new();
    timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await.unwrap().unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    still_serving(&server).await;
}
