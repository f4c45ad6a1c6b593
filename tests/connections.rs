//! A connection's life over a real socket: a client that never completes its first
//! request is closed at `HEADER_READ_TIMEOUT` whatever it sent, so silent sockets
//! cannot lock everyone out; on shutdown, connections with nothing in flight close
//! at once while responses already being sent are finished. On a kept-alive
//! connection every later head has `HEADER_READ_TIMEOUT` too, counted from the end
//! of the previous response, however it trickles in.

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use phial::prelude::*;
use phial::testing::LiveServer;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// The first bytes of a client that stops before its first request is complete:
/// nothing, a first byte, half of the HTTP/2 preface, all of it with no frame after,
/// and half of an HTTP/1.1 head.
const STALLED_STARTS: [&[u8]; 5] =
    [b"", b"P", b"PRI * HTTP/2.0\r\n", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\n"];

const BIG_BODY: usize = 32 * 1024 * 1024;

fn app(header_read_timeout: u64) -> App {
    let mut app = App::new("connections");
    app.config.set("HEADER_READ_TIMEOUT", header_read_timeout).set("SHUTDOWN_TIMEOUT", 10);
    app.route("/", ["GET"], || async { jsonify!({"hello": "world"}) });
    app.route("/big", ["GET"], || async { vec![b'x'; BIG_BODY] });
    app.route("/drip", ["GET"], || async {
        // Five chunks 400 ms apart: two seconds of body, past a one-second timeout.
        let chunks = futures_util::stream::iter(0..5).then(|n| async move {
            tokio::time::sleep(Duration::from_millis(400)).await;
            Ok::<_, std::io::Error>(format!("chunk {n};"))
        });
        phial::response::Body::from_stream(chunks)
    });
    app.route("/slow", ["GET"], || async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        "slow done"
    });
    app
}

/// Waits until the server closes `stream` (or `limit` passes) and says how long it took.
async fn time_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut sink = Vec::new();
    timeout(limit, stream.read_to_end(&mut sink)).await.ok().map(|_| started.elapsed())
}

async fn get_root(server: &LiveServer) -> String {
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_client_that_never_completes_its_first_request_is_closed_at_the_header_read_timeout() {
    let server = LiveServer::start(app(1)).await.unwrap();
    let mut clients = Vec::new();
    for start in STALLED_STARTS {
        let addr = server.addr();
        clients.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            stream.write_all(start).await.unwrap();
            (start, time_until_closed(&mut stream, Duration::from_secs(5)).await)
        }));
    }
    for client in clients {
        let (start, closed_after) = client.await.unwrap();
        let start = String::from_utf8_lossy(start);
        let closed_after = closed_after.unwrap_or_else(|| panic!("{start:?}: still open after 5 s"));
        assert!(closed_after >= Duration::from_millis(900), "{start:?}: closed too early, after {closed_after:?}");
    }
    assert!(get_root(&server).await.starts_with("HTTP/1.1 200"));
}

/// Sends one keep-alive `GET /` on `stream` and reads its whole answer.
async fn kept_alive_get(stream: &mut TcpStream) {
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    while !answer.ends_with(b"\"world\"}\n") {
        let mut buf = [0u8; 512];
        let n = timeout(Duration::from_secs(5), stream.read(&mut buf)).await.unwrap().unwrap();
        assert!(n > 0, "closed while answering: {}", String::from_utf8_lossy(&answer));
        answer.extend_from_slice(&buf[..n]);
    }
    assert!(answer.starts_with(b"HTTP/1.1 200"));
}

#[tokio::test]
async fn a_later_head_is_given_the_header_read_timeout_from_the_last_answer_idle_or_trickling() {
    let server = LiveServer::start(app(1)).await.unwrap();
    for trickle in [&b""[..], b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"] {
        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        // Past the first request's deadline (1 s from accept) only after it is answered.
        tokio::time::sleep(Duration::from_millis(600)).await;
        kept_alive_get(&mut stream).await;
        let answered = Instant::now();
        for byte in trickle {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if stream.write_all(&[*byte]).await.is_err() {
                break;
            }
        }
        let _ = time_until_closed(&mut stream, Duration::from_secs(5)).await.expect("still open after 5 s");
        let closed = answered.elapsed();
        let case = String::from_utf8_lossy(trickle);
        assert!(closed >= Duration::from_millis(900), "{case:?}: closed too early, after {closed:?}");
        assert!(closed < Duration::from_secs(3), "{case:?}: closed after {closed:?}");
    }
}

#[tokio::test]
async fn a_response_longer_than_the_header_read_timeout_is_not_cut_short() {
    let server = LiveServer::start(app(1)).await.unwrap();
    // A streamed body that takes two seconds.
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(b"GET /drip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&answer).contains("chunk 4;"), "{}", String::from_utf8_lossy(&answer));
    // A big body its client starts reading only after two seconds.
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(b"GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut answer = Vec::new();
    timeout(Duration::from_secs(20), stream.read_to_end(&mut answer)).await.unwrap().unwrap();
    assert!(answer.len() > BIG_BODY, "{} bytes of {BIG_BODY}", answer.len());
}

#[tokio::test]
async fn a_kept_alive_connection_used_within_the_timeout_stays_open() {
    let server = LiveServer::start(app(1)).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    // Six requests 600 ms apart: 3.6 s in all, never 1 s idle.
    for _ in 0..6 {
        kept_alive_get(&mut stream).await;
        tokio::time::sleep(Duration::from_millis(600)).await;
    }
    kept_alive_get(&mut stream).await;
}

#[tokio::test]
async fn silent_connections_cannot_lock_out_a_normal_request() {
    let mut app = app(1);
    app.config.set("MAX_CONNECTIONS", 8);
    let server = LiveServer::start(app).await.unwrap();
    // Twice the cap: eight hold every permit, eight more wait in the backlog.
    let mut silent = Vec::new();
    for _ in 0..16 {
        silent.push(TcpStream::connect(server.addr()).await.unwrap());
    }
    let answer = timeout(Duration::from_secs(10), get_root(&server)).await.expect("locked out by silent sockets");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(silent);
}

#[tokio::test]
async fn shutdown_closes_connections_without_a_request_in_flight_at_once() {
    // A long header timeout, so that only shutdown can close these quickly.
    let server = LiveServer::start(app(30)).await.unwrap();
    let mut half_head = TcpStream::connect(server.addr()).await.unwrap();
    half_head.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut silent = TcpStream::connect(server.addr()).await.unwrap();
    let mut idle = TcpStream::connect(server.addr()).await.unwrap();
    idle.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut answer = [0u8; 512];
    let n = idle.read(&mut answer).await.unwrap();
    assert!(answer[..n].starts_with(b"HTTP/1.1 200"));
    tokio::time::sleep(Duration::from_millis(200)).await;

    let started = Instant::now();
    timeout(Duration::from_secs(8), server.stop()).await.expect("shutdown waited for a half-sent head").unwrap();
    assert!(started.elapsed() < Duration::from_secs(2), "shutdown took {:?}", started.elapsed());
    for stream in [&mut half_head, &mut silent, &mut idle] {
        assert!(time_until_closed(stream, Duration::from_secs(1)).await.is_some(), "a connection was left open");
    }
}

#[tokio::test]
async fn shutdown_finishes_a_response_the_client_is_still_reading() {
    let server = LiveServer::start(app(30)).await.unwrap();
    let mut reader = TcpStream::connect(server.addr()).await.unwrap();
    reader.write_all(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    // The client does not read yet: the response fills the socket buffers and waits.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stopped = tokio::spawn(server.stop());
    tokio::time::sleep(Duration::from_millis(200)).await;

    let mut answer = Vec::new();
    timeout(Duration::from_secs(8), reader.read_to_end(&mut answer)).await.unwrap().unwrap();
    let head_end = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head") + 4;
    assert!(answer.starts_with(b"HTTP/1.1 200"));
    assert_eq!(answer.len() - head_end, BIG_BODY, "the response was cut short by shutdown");
    timeout(Duration::from_secs(5), stopped).await.unwrap().unwrap().unwrap();
}

#[tokio::test]
async fn shutdown_finishes_an_http2_request_in_flight() {
    let server = LiveServer::start(app(30)).await.unwrap();
    let client = Client::builder(TokioExecutor::new()).http2_only(true).build_http::<Full<Bytes>>();
    let request = client.get(server.url("/slow").parse().unwrap());
    let in_flight = tokio::spawn(async move {
        let response = request.await.unwrap();
        assert_eq!(response.version(), http::Version::HTTP_2);
        response.into_body().collect().await.unwrap().to_bytes()
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let stopped = tokio::spawn(server.stop());
    assert_eq!(timeout(Duration::from_secs(5), in_flight).await.unwrap().unwrap(), "slow done");
    timeout(Duration::from_secs(5), stopped).await.unwrap().unwrap().unwrap();
}
