//! tower layers: app layers run before routing, blueprint layers after it (around
//! the blueprint's automatic OPTIONS/HEAD answers and hooks too), the last added
//! outermost; a layer's body and errors become phial responses; the test client and
//! the server both go through them; a streaming body reaches the client.

use phial::prelude::*;
use phial::response::Body;
use phial::testing::LiveServer;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;

type Log = Arc<Mutex<Vec<String>>>;

/// Adds `name` to the response's `x-layers` header, so that the order shows.
fn mark(name: &'static str) -> SetResponseHeaderLayer<http::HeaderValue> {
    SetResponseHeaderLayer::appending(http::HeaderName::from_static("x-layers"), http::HeaderValue::from_static(name))
}

fn layers_of(response: &phial::testing::TestResponse) -> Vec<&str> {
    response.headers().get_all("x-layers").iter().map(|v| v.to_str().unwrap()).collect()
}

fn app(log: &Log) -> App {
    let mut app = App::new("layers");
    app.route("/", ["GET"], || async { "x".repeat(2000) });
    app.route("/slow", ["GET"], || async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        "slow"
    });
    app.route("/stream", ["GET"], || async {
        let chunks = futures_util::stream::iter(["one ", "two ", "three"].map(Ok::<_, std::io::Error>));
        Body::from_stream(chunks)
    });
    let mut api = Blueprint::new("api", "/api");
    api.route("/items", ["GET"], || async { jsonify!({"items": []}) });
    let before_log = log.clone();
    api.before_request(move |request: &Request| {
        before_log.lock().unwrap().push(format!("api before {}", request.method()));
    });
    api.layer(mark("api"));
    app.register_blueprint(api);
    app.layer(mark("inner"));
    app.layer(mark("outer"));
    app
}

#[tokio::test]
async fn app_layers_wrap_everything_and_the_last_added_is_outermost() {
    let log = Log::default();
    let client = app(&log).test_client();
    let root = client.get("/").send().await;
    assert_eq!(layers_of(&root), ["inner", "outer"], "a response header set by the inner layer comes first");
    // Before routing: a 404 goes through them too.
    assert_eq!(layers_of(&client.get("/nowhere").send().await), ["inner", "outer"]);
}

#[tokio::test]
async fn blueprint_layers_and_hooks_apply_to_its_routes_and_their_automatic_answers() {
    let log = Log::default();
    let client = app(&log).test_client();
    assert_eq!(layers_of(&client.get("/api/items").send().await), ["api", "inner", "outer"]);
    assert_eq!(layers_of(&client.get("/").send().await), ["inner", "outer"], "not on the app's own routes");
    assert_eq!(std::mem::take(&mut *log.lock().unwrap()), ["api before GET"]);

    // Automatic OPTIONS and HEAD of the blueprint's route: its layers and its hooks run.
    let options = client.request(http::Method::OPTIONS, "/api/items").send().await;
    assert_eq!(options.status(), 200);
    assert_eq!(options.header("allow"), Some("GET, HEAD, OPTIONS"));
    assert_eq!(layers_of(&options), ["api", "inner", "outer"]);
    let head = client.request(http::Method::HEAD, "/api/items").send().await;
    assert_eq!(layers_of(&head), ["api", "inner", "outer"]);
    assert_eq!(std::mem::take(&mut *log.lock().unwrap()), ["api before OPTIONS", "api before HEAD"]);
}

#[tokio::test]
async fn tower_http_layers_work_as_in_axum() {
    let mut app = App::new("layers");
    app.route("/", ["GET"], || async { "x".repeat(2000) });
    app.layer(CompressionLayer::new());
    app.layer(PropagateRequestIdLayer::x_request_id());
    app.layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
    let client = app.test_client();
    let response = client.get("/").header("Accept-Encoding", "gzip").send().await;
    assert_eq!(response.header("content-encoding"), Some("gzip"));
    assert!(response.bytes().len() < 2000, "compressed");
    assert_eq!(response.header("x-request-id").map(str::len), Some(36), "a UUID, set and sent back");
}

#[tokio::test]
async fn a_layers_error_is_a_json_response() {
    let mut app = App::new("layers");
    app.route("/slow", ["GET"], || async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        "slow"
    });
    // tower's Timeout fails with an error (tower-http's answers 408 itself).
    app.layer(tower::timeout::TimeoutLayer::new(Duration::from_millis(50)));
    let response = app.test_client().get("/slow").send().await;
    assert_eq!(response.status(), 503);
    assert!(response.json::<serde_json::Value>()["msg"].is_string());
}

#[tokio::test]
async fn a_layered_app_over_a_socket_keeps_its_limits_and_streams_bodies() {
    let log = Log::default();
    let mut app = app(&log);
    app.config.set("MAX_CONTENT_LENGTH", 10);
    let server = LiveServer::start(app).await.unwrap();
    let addr = server.addr();
    let exchange = |request: &'static [u8]| async move {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(request).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        String::from_utf8_lossy(&answer).into_owned()
    };
    let streamed = exchange(b"GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    assert!(streamed.starts_with("HTTP/1.1 200"), "{streamed}");
    assert!(streamed.contains("transfer-encoding: chunked"), "a stream has no known length: {streamed}");
    assert!(streamed.contains("one ") && streamed.contains("three"), "{streamed}");
    assert!(streamed.contains("x-layers: inner"), "{streamed}");

    let too_big = exchange(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n01234567890").await;
    assert!(too_big.starts_with("HTTP/1.1 413"), "{too_big}");
}

/// A layer that calls the app on a task of its own, as tower's `Buffer` does.
#[derive(Clone)]
struct OnAnotherTask<S>(S);

impl<S> tower::Service<http::Request<Body>> for OnAnotherTask<S>
where
    S: tower::Service<http::Request<Body>, Response = phial::Response> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Send + 'static,
{
    type Response = phial::Response;
    type Error = S::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<phial::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let mut inner = self.0.clone();
        Box::pin(async move { tokio::spawn(async move { inner.call(request).await }).await.expect("the task ran") })
    }
}

#[tokio::test]
async fn the_clients_address_reaches_the_view_through_any_layer() {
    for layered in [false, true] {
        let mut app = App::new("remote");
        app.route("/whoami", ["GET"], |request: Request| async move {
            request.remote_addr().map(|addr| addr.ip().to_string()).unwrap_or_default()
        });
        if layered {
            app.layer(tower::layer::layer_fn(OnAnotherTask));
        }
        let server = LiveServer::start(app).await.unwrap();
        let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
        stream.write_all(b"GET /whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.ends_with("\r\n\r\n127.0.0.1"), "layered: {layered}: {answer}");
    }
}

/// Sends `requests` pipelined on one connection to `addr` and reads until it closes.
async fn pipelined(addr: std::net::SocketAddr, requests: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(requests.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_layer_that_is_not_ready_makes_requests_wait_their_turn() {
    // A concurrency limit of one is not ready while a request is in flight: the
    // others wait for it, from other connections and after each other on one.
    let mut app = App::new("limited");
    app.route("/slow", ["GET"], || async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        "done"
    });
    app.layer(tower::limit::ConcurrencyLimitLayer::new(1));
    let server = LiveServer::start(app).await.unwrap();
    let addr = server.addr();
    let two_requests =
        "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let clients: Vec<_> = (0..3).map(|_| tokio::spawn(pipelined(addr, two_requests))).collect();
    let all = tokio::time::timeout(Duration::from_secs(20), futures_util::future::join_all(clients))
        .await
        .expect("every request is answered in turn");
    for answer in all {
        let answer = answer.unwrap();
        assert_eq!(answer.matches("HTTP/1.1 200 OK").count(), 2, "{answer}");
        assert_eq!(answer.matches("done").count(), 2, "{answer}");
    }
}
