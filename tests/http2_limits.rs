//! The server's limits hold for HTTP/2 (h2c) too, over real sockets: a client opens
//! at most `HTTP2_MAX_CONCURRENT_STREAMS` streams at once and the rest wait their
//! turn, within the `MAX_BODY_BYTES_IN_FLIGHT` budget; a connection idle for
//! `HTTP2_IDLE_TIMEOUT` is sent GOAWAY and closed even though it keeps pinging; a
//! response its client stops reading for `RESPONSE_WRITE_TIMEOUT` is cancelled (its
//! stream on HTTP/2, its connection on HTTP/1.1); a burst of streams opened and reset
//! at once (CVE-2023-44487) is sent GOAWAY. After each, a normal request is served.

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use futures_util::future::join_all;
use h2::Reason;
use h2::client::SendRequest;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use phial::prelude::*;
use phial::testing::LiveServer;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio::time::timeout;

const BIG_BODY: usize = 4 * 1024 * 1024;
const MEDIUM_BODY: usize = 256 * 1024;

/// How many requests a view is serving at once, and the most it ever served.
#[derive(Default)]
struct Gauge {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Gauge {
    async fn hold(&self, time: Duration) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(time).await;
        self.now.fetch_sub(1, Ordering::SeqCst);
    }

    fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }
}

fn app(gauge: &Arc<Gauge>) -> App {
    let mut app = App::new("http2_limits");
    app.config
        .set("HEADER_READ_TIMEOUT", 5)
        .set("HTTP2_MAX_CONCURRENT_STREAMS", 4)
        .set("HTTP2_IDLE_TIMEOUT", 1)
        .set("RESPONSE_WRITE_TIMEOUT", 0.5)
        .set("MAX_CONTENT_LENGTH", 4096)
        .set("MAX_BODY_BYTES_IN_FLIGHT", 8192)
        .set("BODY_READ_TIMEOUT", 10);
    app.route("/", ["GET"], || async { "hello" });
    app.route("/big", ["GET"], || async { vec![b'x'; BIG_BODY] });
    let held = Arc::clone(gauge);
    app.route("/work", ["GET"], move || {
        let gauge = Arc::clone(&held);
        async move {
            gauge.hold(Duration::from_millis(100)).await;
            "done"
        }
    });
    let held = Arc::clone(gauge);
    app.route("/upload", ["POST"], move |request: Request| {
        let gauge = Arc::clone(&held);
        async move {
            gauge.hold(Duration::from_millis(100)).await;
            format!("{} bytes", request.data().len())
        }
    });
    app.route("/medium", ["GET"], || async { vec![b'x'; MEDIUM_BODY] });
    app.route("/drip", ["GET"], || async {
        // Three chunks 700 ms apart: longer than RESPONSE_WRITE_TIMEOUT each.
        let chunks = futures_util::stream::iter(0..3).then(|n| async move {
            tokio::time::sleep(Duration::from_millis(700)).await;
            Ok::<_, std::io::Error>(format!("chunk {n};"))
        });
        phial::response::Body::from_stream(chunks)
    });
    app.route("/long", ["GET"], || async {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        "long done"
    });
    app
}

async fn start() -> (LiveServer, Arc<Gauge>) {
    let gauge = Arc::new(Gauge::default());
    (LiveServer::start(app(&gauge)).await.unwrap(), gauge)
}

/// An HTTP/2 connection by the `h2` crate, its driver running in a task of its own.
async fn h2_connect(
    server: &LiveServer,
    builder: &h2::client::Builder,
) -> (SendRequest<Bytes>, JoinHandle<Result<(), h2::Error>>) {
    let tcp = TcpStream::connect(server.addr()).await.unwrap();
    let (client, connection) = builder.handshake(tcp).await.unwrap();
    (client, tokio::spawn(connection))
}

fn get(path: &str) -> http::Request<()> {
    http::Request::get(format!("http://localhost{path}")).body(()).unwrap()
}

/// A whole response over `client`: its status and body.
async fn h2_get(client: &SendRequest<Bytes>, path: &str) -> (http::StatusCode, Bytes) {
    let mut client = client.clone().ready().await.unwrap();
    let (response, _) = client.send_request(get(path), true).unwrap();
    let response = timeout(Duration::from_secs(5), response).await.unwrap().unwrap();
    let status = response.status();
    let mut body = response.into_body();
    let mut bytes = BytesMut::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.unwrap();
        let _ = body.flow_control().release_capacity(chunk.len());
        bytes.extend_from_slice(&chunk);
    }
    (status, bytes.freeze())
}

/// A normal request on a new connection, by hyper's client over HTTP/2.
async fn still_served(server: &LiveServer) {
    let client = Client::builder(TokioExecutor::new()).http2_only(true).build_http::<Full<Bytes>>();
    let response = timeout(Duration::from_secs(5), client.get(server.url("/").parse().unwrap())).await.unwrap();
    let response = response.unwrap();
    assert_eq!(response.version(), http::Version::HTTP_2);
    assert_eq!(response.into_body().collect().await.unwrap().to_bytes(), "hello");
}

#[tokio::test]
async fn more_streams_than_the_limit_wait_their_turn_on_one_connection() {
    let (server, gauge) = start().await;
    let client = Client::builder(TokioExecutor::new()).http2_only(true).build_http::<Full<Bytes>>();
    // One request first, so that the client has the server's SETTINGS.
    client.get(server.url("/").parse().unwrap()).await.unwrap();
    let requests = (0..20).map(|_| {
        let request = client.get(server.url("/work").parse().unwrap());
        async move { request.await.unwrap().into_body().collect().await.unwrap().to_bytes() }
    });
    let answers = timeout(Duration::from_secs(5), join_all(requests)).await.unwrap();
    assert!(answers.iter().all(|answer| answer == "done"), "{answers:?}");
    assert!(gauge.most() <= 4, "{} requests served at once on one connection", gauge.most());
    assert!(gauge.most() >= 2, "the streams were served one at a time");
    still_served(&server).await;
}

#[tokio::test]
async fn many_streams_with_bodies_hold_no_more_than_the_body_budget_and_all_are_answered() {
    let (server, gauge) = start().await;
    let client = Client::builder(TokioExecutor::new()).http2_only(true).build_http::<Full<Bytes>>();
    client.get(server.url("/").parse().unwrap()).await.unwrap();
    // Twelve largest bodies; the budget holds two.
    let requests = (0..12).map(|_| {
        let request = http::Request::post(server.url("/upload")).body(Full::new(Bytes::from(vec![b'a'; 4096])));
        let response = client.request(request.unwrap());
        async move {
            let response = response.await.unwrap();
            (response.status(), response.into_body().collect().await.unwrap().to_bytes())
        }
    });
    let answers = timeout(Duration::from_secs(8), join_all(requests)).await.unwrap();
    for (status, body) in &answers {
        assert_eq!((*status, body.as_ref()), (http::StatusCode::OK, &b"4096 bytes"[..]));
    }
    assert!(gauge.most() <= 2, "{} bodies of 4 KiB held at once in a budget of 8 KiB", gauge.most());
    still_served(&server).await;
}

#[tokio::test]
async fn an_idle_connection_that_keeps_pinging_is_sent_goaway_and_closed() {
    let (server, _) = start().await;
    let tcp = TcpStream::connect(server.addr()).await.unwrap();
    let (client, mut connection) = h2::client::Builder::new().handshake::<_, Bytes>(tcp).await.unwrap();
    // The client pings every 200 ms and the server answers: the connection is busy,
    // but no request is in flight.
    let mut pings = connection.ping_pong().expect("the client's pings");
    let connection = tokio::spawn(connection);
    tokio::spawn(async move {
        while pings.ping(h2::Ping::opaque()).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    assert_eq!(h2_get(&client, "/").await.1, "hello");
    let idle = Instant::now();

    let ended = timeout(Duration::from_secs(5), connection).await.expect("an idle connection was left open");
    let closed = idle.elapsed();
    assert!(ended.unwrap().is_ok(), "closed gracefully, with GOAWAY");
    assert!(closed >= Duration::from_millis(900), "closed after {closed:?}, before HTTP2_IDLE_TIMEOUT");
    assert!(closed < Duration::from_secs(3), "closed after {closed:?}");
    still_served(&server).await;
}

#[tokio::test]
async fn a_connection_with_a_request_in_flight_or_used_within_the_timeout_stays_open() {
    let (server, _) = start().await;
    let (client, connection) = h2_connect(&server, &h2::client::Builder::new()).await;
    // A response that takes longer than HTTP2_IDLE_TIMEOUT.
    assert_eq!(h2_get(&client, "/long").await.1, "long done");
    // Requests 600 ms apart: never a second idle.
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert_eq!(h2_get(&client, "/").await.1, "hello");
    }
    assert!(!connection.is_finished());
}

#[tokio::test]
async fn a_client_that_ignores_the_goaway_is_closed_a_timeout_later() {
    let (server, _) = start().await;
    // By hand: the preface, empty SETTINGS, and `GET /` on stream 1 (HPACK's indexed
    // :method GET, :scheme http, :path /); then nothing, not even an answer to the
    // PING that comes with the GOAWAY.
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").await.unwrap();
    stream.write_all(&[0, 0, 0, 4, 0, 0, 0, 0, 0]).await.unwrap();
    stream.write_all(&[0, 0, 3, 1, 5, 0, 0, 0, 1, 0x82, 0x86, 0x84]).await.unwrap();
    let sent = Instant::now();
    let mut sink = Vec::new();
    timeout(Duration::from_secs(5), stream.read_to_end(&mut sink)).await.expect("left open").unwrap();
    let closed = sent.elapsed();
    assert!(closed >= Duration::from_millis(1900), "closed after {closed:?}, before twice HTTP2_IDLE_TIMEOUT");
    assert!(closed < Duration::from_secs(4), "closed after {closed:?}");
    assert!(sink.windows(5).any(|w| w == b"hello"), "the request was answered");
    still_served(&server).await;
}

#[tokio::test]
async fn a_slow_reader_or_a_slow_stream_that_keeps_moving_is_not_cut_short() {
    let (server, _) = start().await;
    let mut builder = h2::client::Builder::new();
    builder.initial_window_size(65_535).initial_connection_window_size(16 * 1024 * 1024);
    let (client, _connection) = h2_connect(&server, &builder).await;
    // The app takes 700 ms for each chunk: its time is not the client's.
    let drip = tokio::spawn({
        let client = client.clone();
        async move { h2_get(&client, "/drip").await.1 }
    });
    // A client that reads a window's worth every 300 ms: 1.2 s in all.
    let (response, _) = client.clone().ready().await.unwrap().send_request(get("/medium"), true).unwrap();
    let mut body = timeout(Duration::from_secs(5), response).await.unwrap().unwrap().into_body();
    let (mut received, mut unreleased) = (0, 0);
    while let Some(chunk) = body.data().await {
        let chunk = chunk.expect("a reader that keeps reading was cut short");
        received += chunk.len();
        unreleased += chunk.len();
        if unreleased >= 60_000 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            body.flow_control().release_capacity(unreleased).unwrap();
            unreleased = 0;
        }
    }
    assert_eq!(received, MEDIUM_BODY);
    assert_eq!(timeout(Duration::from_secs(5), drip).await.unwrap().unwrap(), "chunk 0;chunk 1;chunk 2;");
}

#[tokio::test]
async fn a_stream_whose_client_stops_reading_is_reset_and_the_connection_serves_on() {
    let (server, _) = start().await;
    // A stream window of 64 KiB that the client never gives back; the connection's
    // is large, so that other streams are not held up by the unread one.
    let mut builder = h2::client::Builder::new();
    builder.initial_window_size(65_535).initial_connection_window_size(16 * 1024 * 1024);
    let (client, _connection) = h2_connect(&server, &builder).await;
    let (response, _) = client.clone().ready().await.unwrap().send_request(get("/big"), true).unwrap();
    let response = timeout(Duration::from_secs(5), response).await.unwrap().unwrap();
    assert_eq!(response.status(), 200);

    // Meanwhile, and after RESPONSE_WRITE_TIMEOUT, the connection serves other streams.
    assert_eq!(h2_get(&client, "/").await.1, "hello");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(h2_get(&client, "/").await.1, "hello");

    let mut body = response.into_body();
    let mut received = 0;
    let error = loop {
        match timeout(Duration::from_secs(5), body.data()).await.expect("the unread stream was never reset") {
            Some(Ok(chunk)) => received += chunk.len(),
            Some(Err(error)) => break error,
            None => panic!("all {received} bytes sent: the stream was not reset"),
        }
    };
    assert_eq!(error.reason(), Some(Reason::CANCEL), "{error}");
    assert!(received < BIG_BODY, "{received}");
    still_served(&server).await;
}

#[tokio::test]
async fn an_http1_response_the_client_does_not_read_closes_its_connection_after_the_write_timeout() {
    let (server, _) = start().await;
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    // The response fills the socket buffers and waits, past RESPONSE_WRITE_TIMEOUT.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut received = Vec::new();
    let read = timeout(Duration::from_secs(5), stream.read_to_end(&mut received)).await;
    // Closed: the rest of what the kernel buffered, then the end (or a reset).
    let _end_or_reset = read.expect("the connection was left open");
    assert!(received.starts_with(b"HTTP/1.1 200"));
    assert!(received.len() < BIG_BODY, "the whole response was sent: {} bytes", received.len());
    still_served(&server).await;
}

#[tokio::test]
async fn a_rapid_reset_burst_is_sent_goaway_and_other_clients_are_served() {
    let (server, _) = start().await;
    let (client, connection) = h2_connect(&server, &h2::client::Builder::new()).await;
    assert_eq!(h2_get(&client, "/").await.1, "hello");
    // Open and cancel streams as fast as the client can (CVE-2023-44487), in
    // bursts of 50 that its connection task sends between them.
    let mut opened = 0;
    for _ in 0..5000 {
        let Ok(mut ready) = client.clone().ready().await else { break };
        let Ok((_, mut stream)) = ready.send_request(get("/work"), false) else { break };
        stream.send_reset(Reason::CANCEL);
        opened += 1;
        if opened % 50 == 0 {
            tokio::task::yield_now().await;
        }
    }
    // The server sends GOAWAY (ENHANCE_YOUR_CALM) once 20 streams are reset before
    // it could serve them, and closes the connection: the client reads the GOAWAY,
    // or, still writing its burst, finds the connection closed.
    let ended = timeout(Duration::from_secs(5), connection).await.expect("the burst's connection was left open");
    let error = ended.unwrap().expect_err("the burst was not refused");
    assert!(error.reason() == Some(Reason::ENHANCE_YOUR_CALM) || error.is_io(), "{error} after {opened}");
    assert!(opened < 5000, "all 5000 streams were opened and reset");
    still_served(&server).await;
}
