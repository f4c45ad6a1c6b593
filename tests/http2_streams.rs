//! How the streams of one HTTP/2 connection are served, over a real socket: those
//! the app answers at once are answered in the connection's own task, those that
//! wait get a task of their own, so a stream that waits never holds the others;
//! a stream that panics while its response is sent is reset, and its connection
//! serves on.

use bytes::{Bytes, BytesMut};
use futures_util::future::join_all;
use h2::client::SendRequest;
use phial::prelude::*;
use phial::response::Body;
use phial::testing::LiveServer;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::time::timeout;

fn app(gate: &Arc<Notify>) -> App {
    let mut app = App::new("h2-streams");
    app.route("/now", ["GET"], || async { "now" });
    let gate = gate.clone();
    app.route("/later", ["GET"], move || {
        let gate = gate.clone();
        async move {
            gate.notified().await;
            "later"
        }
    });
    app.route("/boom", ["GET"], || async {
        let chunks = futures_util::stream::poll_fn(|_| -> std::task::Poll<Option<Result<Bytes, std::io::Error>>> {
            panic!("the body's source failed")
        });
        Body::from_stream(chunks)
    });
    app
}

/// An HTTP/2 connection by the `h2` crate, its driver running in a task of its own.
async fn connect(server: &LiveServer) -> SendRequest<Bytes> {
    let tcp = TcpStream::connect(server.addr()).await.unwrap();
    let (client, connection) = h2::client::handshake(tcp).await.unwrap();
    tokio::spawn(connection);
    client
}

/// The status and body of GET `path` over `client`, or h2's error (a reset stream).
async fn get(client: &SendRequest<Bytes>, path: &str) -> Result<(http::StatusCode, Bytes), h2::Error> {
    let mut client = client.clone().ready().await?;
    let request = http::Request::get(format!("http://localhost{path}")).body(()).unwrap();
    let (response, _) = client.send_request(request, true)?;
    let response = response.await?;
    let status = response.status();
    let mut body = response.into_body();
    let mut bytes = BytesMut::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk?;
        let _ = body.flow_control().release_capacity(chunk.len());
        bytes.extend_from_slice(&chunk);
    }
    Ok((status, bytes.freeze()))
}

#[tokio::test]
async fn a_stream_that_waits_does_not_hold_the_others_on_its_connection() {
    let gate = Arc::new(Notify::new());
    let server = LiveServer::start(app(&gate)).await.unwrap();
    let client = connect(&server).await;

    let waiting = tokio::spawn({
        let client = client.clone();
        async move { get(&client, "/later").await }
    });
    // Twenty streams opened after it, on the same connection, are all answered
    // while it waits.
    let answered = timeout(Duration::from_secs(5), join_all((0..20).map(|_| get(&client, "/now")))).await;
    for answer in answered.expect("streams answered while another waits") {
        assert_eq!(answer.unwrap(), (http::StatusCode::OK, Bytes::from("now")));
    }
    assert!(!waiting.is_finished());

    // Then the one that waited is answered too, once what it waits for comes.
    gate.notify_one();
    let later = timeout(Duration::from_secs(5), waiting).await.expect("answered once its gate opens");
    assert_eq!(later.unwrap().unwrap(), (http::StatusCode::OK, Bytes::from("later")));
}

#[tokio::test]
async fn a_stream_that_panics_is_reset_and_its_connection_serves_on() {
    let server = LiveServer::start(app(&Arc::new(Notify::new()))).await.unwrap();
    let client = connect(&server).await;

    let (boom, now) = tokio::join!(get(&client, "/boom"), get(&client, "/now"));
    let error = boom.expect_err("the panicking stream is reset");
    assert!(error.is_reset() || error.is_remote(), "{error}");
    assert_eq!(now.unwrap(), (http::StatusCode::OK, Bytes::from("now")));

    // The same connection, afterwards.
    for _ in 0..3 {
        assert_eq!(get(&client, "/now").await.unwrap(), (http::StatusCode::OK, Bytes::from("now")));
    }
}
