//! The server's budget of request-body bytes in flight (`MAX_BODY_BYTES_IN_FLIGHT`),
//! over a real socket: stalled bodies hold only what they reserved, a body that
//! finds the budget spent waits for it, and one that waits past its
//! `BODY_READ_TIMEOUT` gets a JSON 503; requests without a body never wait.

use phial::prelude::*;
use phial::testing::LiveServer;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// A budget of one largest body (4 KiB).
fn app() -> App {
    let mut app = App::new("body_budget");
    app.config
        .set("MAX_CONTENT_LENGTH", 4096)
        .set("MAX_BODY_BYTES_IN_FLIGHT", 4096)
        .set("BODY_READ_TIMEOUT", 1)
        .set("HEADER_READ_TIMEOUT", 10);
    app.route("/", ["GET"], || async { "hello" });
    app.route("/upload", ["POST"], |request: Request| async move { format!("{} bytes", request.data().len()) });
    app.route("/slow_upload", ["POST"], |request: Request| async move {
        tokio::time::sleep(Duration::from_millis(2500)).await;
        format!("{} bytes", request.data().len())
    });
    app
}

fn post(path: &str, body: &[u8]) -> Vec<u8> {
    let mut request = format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
    request.extend_from_slice(body);
    request
}

/// Opens a connection, sends `request`, and returns the whole answer (the server
/// closes after a refusal; `Connection: close` is added otherwise).
async fn exchange(server: &LiveServer, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await.unwrap().unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

fn closing(mut request: Vec<u8>) -> Vec<u8> {
    let at = request.windows(2).position(|w| w == b"\r\n").unwrap() + 2;
    request.splice(at..at, b"Connection: close\r\n".iter().copied());
    request
}

#[tokio::test]
async fn a_body_waits_for_bytes_a_stalled_body_held_and_is_read_once_they_come_back() {
    let server = LiveServer::start(app()).await.unwrap();
    // Declares the whole budget, sends ten bytes, stalls.
    let mut stalled = TcpStream::connect(server.addr()).await.unwrap();
    stalled.write_all(b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n0123456789").await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let started = Instant::now();
    let waiting = tokio::spawn({
        let request = closing(post("/upload", &[b'a'; 100]));
        let addr = server.addr();
        async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            stream.write_all(&request).await.unwrap();
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer).await.unwrap();
            String::from_utf8_lossy(&answer).into_owned()
        }
    });
    // The stalled body times out (408) and gives its reservation back.
    let mut refused = Vec::new();
    timeout(Duration::from_secs(5), stalled.read_to_end(&mut refused)).await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&refused).starts_with("HTTP/1.1 408"));
    let answer = timeout(Duration::from_secs(5), waiting).await.unwrap().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("100 bytes"), "{answer}");
    assert!(started.elapsed() >= Duration::from_millis(500), "it waited for the stalled body's bytes");
}

#[tokio::test]
async fn a_body_that_waits_past_its_timeout_gets_a_json_503_and_others_go_on() {
    let server = LiveServer::start(app()).await.unwrap();
    // A whole-budget body, read at once, held while its handler works (2.5 s).
    let holder = tokio::spawn({
        let request = closing(post("/slow_upload", &[b'a'; 4096]));
        let addr = server.addr();
        async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            stream.write_all(&request).await.unwrap();
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer).await.unwrap();
            String::from_utf8_lossy(&answer).into_owned()
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;

    let refused = exchange(&server, &post("/upload", b"small")).await;
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.contains("retry-after: 1") && refused.contains("\"msg\""), "{refused}");
    // A chunked body draws as it arrives, and waits the same way.
    let chunked = b"POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nsmall\r\n0\r\n\r\n";
    assert!(exchange(&server, chunked).await.starts_with("HTTP/1.1 503"));
    // Requests without a body never wait for the budget.
    let get = exchange(&server, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    assert!(get.starts_with("HTTP/1.1 200"), "{get}");

    let held = timeout(Duration::from_secs(5), holder).await.unwrap().unwrap();
    assert!(held.ends_with("4096 bytes"), "{held}");
    let after = exchange(&server, &closing(post("/upload", b"small"))).await;
    assert!(after.starts_with("HTTP/1.1 200") && after.ends_with("5 bytes"), "{after}");
}
