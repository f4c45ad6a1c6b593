//! Streamed responses: Flask's generator responses and `stream_with_context`, and
//! server-sent events. Over a real socket: chunked transfer on HTTP/1.1, a client
//! that does not read slows the stream down (it is asked for chunks only as they
//! can be sent), and a client that goes away ends the stream.

use futures_util::StreamExt;
use phial::prelude::*;
use phial::response::sse::{Event, event_stream};
use phial::response::{stream, stream_with_context};
use phial::testing::LiveServer;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CHUNK: usize = 64 * 1024;

/// How far the endless stream got, and whether it was dropped.
#[derive(Default)]
struct Progress {
    chunks: AtomicUsize,
    dropped: AtomicBool,
}

/// Marks the stream dropped when the response (and the stream in it) goes away.
struct DropFlag(Arc<Progress>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.dropped.store(true, Ordering::SeqCst);
    }
}

fn app(progress: Arc<Progress>) -> App {
    let mut app = App::new("streaming");
    app.route("/csv", ["GET"], || async {
        let rows = futures_util::stream::iter(["id,name\n", "1,ada\n", "2,grace\n"]).map(Ok::<_, std::io::Error>);
        stream(rows).mimetype("text/csv")
    });
    app.route("/greeting", ["GET"], || async {
        // The stream reads the request after the view has returned.
        let parts = futures_util::stream::iter(0..2).map(|part| {
            let request = phial::request().map_err(|error| error.to_string())?;
            let name = request.args().get("name").unwrap_or("nobody").to_string();
            Ok::<_, String>(if part == 0 { "Hello ".to_string() } else { format!("{name}!") })
        });
        Ok::<_, ViewError>(stream(stream_with_context(parts)?))
    });
    app.route("/events", ["GET"], || async {
        let events = futures_util::stream::iter(1..=3).then(|n| async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            Ok::<_, std::convert::Infallible>(Event::new().event("tick").id(n.to_string()).data(format!("tick {n}")))
        });
        event_stream(events)
    });
    app.route("/endless", ["GET"], move || {
        let progress = progress.clone();
        async move {
            let guard = DropFlag(progress.clone());
            let chunks = futures_util::stream::repeat_with(move || {
                let _ = &guard;
                progress.chunks.fetch_add(1, Ordering::SeqCst);
                Ok::<_, std::io::Error>(vec![b'x'; CHUNK])
            });
            stream(chunks).mimetype("application/octet-stream")
        }
    });
    app
}

#[tokio::test]
async fn a_generator_response_sends_every_chunk_as_text_html_unless_told_otherwise() {
    let client = app(Arc::default()).test_client();
    let response = client.get("/csv").send().await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(response.text(), "id,name\n1,ada\n2,grace\n");
}

#[tokio::test]
async fn stream_with_context_keeps_the_request_for_the_stream() {
    let client = app(Arc::default()).test_client();
    let response = client.get("/greeting?name=Ada").send().await;
    assert_eq!(response.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(response.text(), "Hello Ada!");
}

#[test]
fn stream_with_context_outside_a_request_is_an_error() {
    let error = stream_with_context(futures_util::stream::empty::<()>()).err().unwrap();
    assert!(error.to_string().contains("request"), "{error}");
}

#[tokio::test]
async fn server_sent_events_arrive_as_an_event_stream() {
    let response = app(Arc::default()).test_client().get("/events").send().await;
    assert_eq!(response.header("content-type"), Some("text/event-stream; charset=utf-8"));
    let expected: String =
        (1..=3).map(|n| format!("event: tick\nid: {n}\ndata: tick {n}\n\n")).collect::<Vec<_>>().concat();
    assert_eq!(response.text(), expected);
}

#[tokio::test]
async fn over_http_1_1_a_stream_is_sent_chunked() {
    let server = LiveServer::start(app(Arc::default())).await.unwrap();
    let mut socket = TcpStream::connect(server.addr()).await.unwrap();
    socket.write_all(b"GET /csv HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    socket.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8(answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.to_ascii_lowercase().contains("transfer-encoding: chunked"), "{head}");
    assert!(body.contains("8\r\nid,name\n\r\n") && body.ends_with("0\r\n\r\n"), "{body:?}");
}

#[tokio::test]
async fn a_client_that_reads_nothing_holds_the_stream_back_and_one_that_leaves_ends_it() {
    let progress = Arc::new(Progress::default());
    let server = LiveServer::start(app(progress.clone())).await.unwrap();
    let mut socket = TcpStream::connect(server.addr()).await.unwrap();
    socket.write_all(b"GET /endless HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut head = [0u8; 512];
    let read = socket.read(&mut head).await.unwrap();
    assert!(String::from_utf8_lossy(&head[..read]).starts_with("HTTP/1.1 200"));

    // The client reads no more: once the socket's buffers are full, the stream is
    // not asked for more chunks.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let first_look = progress.chunks.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let second_look = progress.chunks.load(Ordering::SeqCst);
    assert_eq!(first_look, second_look, "the stream went on while nothing was read");
    assert!(second_look * CHUNK < 64 * 1024 * 1024, "{second_look} chunks made for a client that read none");

    drop(socket);
    for _ in 0..100 {
        if progress.dropped.load(Ordering::SeqCst) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the stream was not dropped after the client left");
}

/// A view that counts the body's bytes as they come, and says how many chunks
/// they came in; `request.data()` stays empty for it.
#[post("/count")]
async fn count(request: Request, mut body: phial::extract::BodyStream) -> Result<Jsonify, ViewError> {
    let (mut bytes, mut chunks) = (0, 0);
    while let Some(chunk) = body.next().await {
        bytes += chunk?.len();
        chunks += 1;
    }
    Ok(jsonify!({"bytes": bytes, "chunks": chunks, "data": request.data().len()}))
}

fn counting_app(max_content_length: usize) -> App {
    let mut app = App::new("request-streams");
    app.config.set("MAX_CONTENT_LENGTH", max_content_length);
    app.register(routes![count]);
    app
}

/// Sends a chunked body of `chunks` chunks of `size` bytes, 20 ms apart, and
/// returns the answer.
async fn send_chunked(server: &LiveServer, chunks: usize, size: usize) -> String {
    let mut socket = TcpStream::connect(server.addr()).await.unwrap();
    socket
        .write_all(b"POST /count HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n")
        .await
        .unwrap();
    for _ in 0..chunks {
        let chunk = format!("{size:x}\r\n{}\r\n", "y".repeat(size));
        if socket.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = socket.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = socket.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_body_stream_view_reads_the_body_as_it_arrives() {
    let server = LiveServer::start(counting_app(1024 * 1024)).await.unwrap();
    let answer = send_chunked(&server, 5, 1000).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let body: serde_json::Value = serde_json::from_str(answer.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(body["bytes"], 5000);
    assert_eq!(body["data"], 0, "the server did not read the body first");
    assert!(body["chunks"].as_u64().unwrap() >= 2, "it came in pieces: {body}");
}

#[tokio::test]
async fn a_body_stream_still_stops_at_max_content_length() {
    let server = LiveServer::start(counting_app(3000)).await.unwrap();
    let answer = send_chunked(&server, 5, 1000).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains(r#"{"msg":"#), "a JSON body: {answer}");
}

#[tokio::test]
async fn behind_the_test_client_the_body_stream_yields_the_body_read_already() {
    let client = counting_app(1024).test_client();
    let body: serde_json::Value = client.post("/count").body("hello").send().await.json();
    assert_eq!(body, serde_json::json!({"bytes": 5, "chunks": 1, "data": 5}));
}
