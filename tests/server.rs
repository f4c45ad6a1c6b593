//! The server over a real loopback socket: HTTP/1.1 keep-alive, HTTP/2 prior
//! knowledge, limits answered with JSON, slow clients dropped, panics contained, and
//! graceful shutdown. Every test is bounded in time.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use phial::prelude::*;
use phial::testing::LiveServer;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

fn app() -> App {
    let mut app = App::new("server");
    app.config.set("MAX_CONTENT_LENGTH", 1024).set("HEADER_READ_TIMEOUT", 1).set("SHUTDOWN_TIMEOUT", 5);
    app.route("/", ["GET"], || async { jsonify!({"hello": "world"}) });
    app.route("/echo", ["POST"], |request: Request| async move { request.data().clone() });
    app.route("/boom", ["GET"], || -> &'static str { panic!("boom") });
    app.route("/slow", ["GET"], || async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        "slow done"
    });
    app
}

async fn get(
    client: &Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
    url: &str,
) -> (u16, String) {
    let response = client.get(url.parse().unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Sends raw bytes and returns everything the server answers until it closes or
/// stays quiet for a moment.
async fn raw(server: &LiveServer, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let _ = timeout(Duration::from_secs(3), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn http1_keep_alive_and_http2_prior_knowledge_on_one_port() {
    let server = LiveServer::start(app()).await.unwrap();
    let http1 = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    for _ in 0..3 {
        assert_eq!(get(&http1, &server.url("/")).await, (200, "{\"hello\":\"world\"}\n".to_string()));
    }
    let http2 = Client::builder(TokioExecutor::new()).http2_only(true).build_http::<Full<Bytes>>();
    let response = http2.get(server.url("/").parse().unwrap()).await.unwrap();
    assert_eq!(response.version(), http::Version::HTTP_2);
    assert_eq!(response.status(), 200);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_with_json() {
    let server = LiveServer::start(app()).await.unwrap();
    let declared = raw(&server, b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n").await;
    assert!(declared.starts_with("HTTP/1.1 413"), "{declared}");
    assert!(declared.contains("exceeds the capacity limit"), "{declared}");

    // A chunked body that never says its length is cut at the limit.
    let mut chunked = b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..3 {
        chunked.extend_from_slice(b"400\r\n");
        chunked.extend_from_slice(&[b'a'; 1024]);
        chunked.extend_from_slice(b"\r\n");
    }
    let answer = raw(&server, &chunked).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    let http1 = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    assert_eq!(get(&http1, &server.url("/")).await.0, 200, "the server keeps serving");
}

/// A GET with exactly `count` header fields (Host and Connection: close among them).
fn request_with_headers(count: usize) -> Vec<u8> {
    let mut request = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n".to_vec();
    for i in 2..count {
        request.extend_from_slice(format!("X-Header-{i}: value\r\n").as_bytes());
    }
    request.extend_from_slice(b"\r\n");
    request
}

#[tokio::test]
async fn headers_up_to_the_limit_are_served() {
    let server = LiveServer::start(app()).await.unwrap();
    let answer = raw(&server, &request_with_headers(64)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn too_many_headers_are_a_431_with_json() {
    let server = LiveServer::start(app()).await.unwrap();
    // Default MAX_HEADER_COUNT is 64; hyper itself parses up to 100.
    for count in [65, 100] {
        let answer = raw(&server, &request_with_headers(count)).await;
        assert!(answer.starts_with("HTTP/1.1 431"), "{count} headers: {answer}");
        assert!(answer.contains("\"msg\""), "{count} headers: {answer}");
    }
}

#[tokio::test]
async fn more_headers_than_hyper_parses_are_its_bodiless_431_and_the_server_goes_on() {
    let server = LiveServer::start(app()).await.unwrap();
    let answer = raw(&server, &request_with_headers(101)).await;
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    let http1 = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    assert_eq!(get(&http1, &server.url("/")).await.0, 200, "the server keeps serving");
}

#[tokio::test]
async fn a_raised_header_count_gets_json_431s_above_hyper_default() {
    let mut app = app();
    app.config.set("MAX_HEADER_COUNT", 150);
    let server = LiveServer::start(app).await.unwrap();
    let answer = raw(&server, &request_with_headers(150)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let answer = raw(&server, &request_with_headers(151)).await;
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    assert!(answer.contains("\"msg\""), "{answer}");
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_dropped() {
    let server = LiveServer::start(app()).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.unwrap();
    let mut buf = Vec::new();
    // HEADER_READ_TIMEOUT is 1 s: the server closes well before 5 s.
    let closed = timeout(Duration::from_secs(5), stream.read_to_end(&mut buf)).await;
    assert!(closed.is_ok(), "the slow client was not dropped");
    let http1 = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    assert_eq!(get(&http1, &server.url("/")).await.0, 200);
}

#[tokio::test]
async fn malformed_requests_do_not_stop_the_server() {
    let server = LiveServer::start(app()).await.unwrap();
    for garbage in
        [&b"NOT HTTP AT ALL\r\n\r\n"[..], b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", b"\x00\x01\x02\r\n\r\n"]
    {
        let answer = raw(&server, garbage).await;
        assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 400"), "{answer:?}");
    }
    let answer = raw(&server, b"GET /%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    let http1 = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    assert_eq!(get(&http1, &server.url("/")).await.0, 200);
}

#[tokio::test]
async fn pipelined_requests_are_answered_in_order() {
    let server = LiveServer::start(app()).await.unwrap();
    let answer = raw(
        &server,
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\npingGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    let statuses: Vec<&str> = answer.match_indices("HTTP/1.1 ").map(|(i, _)| &answer[i + 9..i + 12]).collect();
    assert_eq!(statuses, ["200", "200", "404"], "{answer}");
    assert!(answer.contains("ping"));
}

#[tokio::test]
async fn a_panic_is_a_500_and_the_server_keeps_serving() {
    let server = LiveServer::start(app()).await.unwrap();
    let http1 = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let (status, body) = get(&http1, &server.url("/boom")).await;
    assert_eq!(status, 500);
    assert!(!body.contains("boom"));
    assert_eq!(get(&http1, &server.url("/")).await.0, 200);
}

#[tokio::test]
async fn shutdown_lets_in_flight_requests_finish_and_refuses_new_connections() {
    let server = LiveServer::start(app()).await.unwrap();
    let addr = server.addr();
    let url = server.url("/slow");
    let in_flight = tokio::spawn(async move {
        let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
        get(&client, &url).await
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let stopped = tokio::spawn(server.stop());
    assert_eq!(timeout(Duration::from_secs(5), in_flight).await.unwrap().unwrap(), (200, "slow done".to_string()));
    timeout(Duration::from_secs(5), stopped).await.unwrap().unwrap().unwrap();
    assert!(TcpStream::connect(addr).await.is_err(), "the listener is closed");
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_for_a_free_slot() {
    let mut app = app();
    app.config.set("MAX_CONNECTIONS", 1).set("HEADER_READ_TIMEOUT", 10);
    let server = LiveServer::start(app).await.unwrap();
    let request = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    let mut first = TcpStream::connect(server.addr()).await.unwrap();
    first.write_all(request).await.unwrap();
    let mut buf = [0u8; 256];
    let n = first.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));

    // The first connection stays open (keep-alive): the second is not served yet.
    let mut second = TcpStream::connect(server.addr()).await.unwrap();
    second.write_all(request).await.unwrap();
    let waiting = timeout(Duration::from_millis(300), second.read(&mut buf)).await;
    assert!(waiting.is_err(), "a connection beyond MAX_CONNECTIONS was served");

    drop(first);
    let n = timeout(Duration::from_secs(3), second.read(&mut buf)).await.unwrap().unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"), "served once a slot is free");
}
