//! Behind a proxy: `ProxyFix` with Werkzeug's trusted counts makes the client's
//! address, the scheme, the host, the prefix, `url_for(_external)` and the
//! trailing-slash redirect what Flask + Werkzeug's `ProxyFix` make them, over a real
//! socket (`tests/flask_vectors/proxy_fix.py`); without it, forwarded headers
//! change nothing.

use phial::layer::ProxyFix;
use phial::prelude::*;
use phial::testing::LiveServer;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const VECTORS: &str = include_str!("flask_vectors/proxy_fix.json");

fn app(fix: Option<ProxyFix>) -> App {
    let mut app = App::new("proxied");
    let info = Route::new("/info", ["GET"], |request: Request| async move {
        Ok::<_, ViewError>(jsonify!({
            "remote_addr": request.remote_addr().map(|addr| addr.ip().to_string()),
            "scheme": request.scheme(),
            "host": request.host(),
            "script_root": request.script_root(),
            "url": request.url(),
            "external": url_for("info", [("_external", "true")])?,
            "relative": url_for("info", Vec::<(&str, &str)>::new())?,
        }))
    });
    app.register([info.endpoint("info")]);
    app.route("/slash/", ["GET"], || async { "slash" });
    if let Some(fix) = fix {
        app.layer(fix);
    }
    app
}

/// GET `path` over a socket with `Host: localhost` and `headers`; status, the
/// `Location` header, and the body.
async fn get(
    server: &LiveServer,
    path: &str,
    headers: &serde_json::Map<String, Value>,
) -> (u16, Option<String>, String) {
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {}\r\n", value.as_str().unwrap()));
    }
    request.push_str("\r\n");
    let mut socket = TcpStream::connect(server.addr()).await.unwrap();
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    socket.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8(answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let status = head[9..12].parse().unwrap();
    let location = head
        .lines()
        .find_map(|line| line.to_ascii_lowercase().starts_with("location:").then(|| line[9..].trim().to_string()));
    (status, location, body.to_string())
}

#[tokio::test]
async fn forwarded_headers_read_as_werkzeugs_proxy_fix_reads_them() {
    let vectors: Value = serde_json::from_str(VECTORS).unwrap();
    for case in vectors["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let count = |key: &str| case["settings"][key].as_u64().unwrap() as usize;
        let fix = ProxyFix::new()
            .x_for(count("x_for"))
            .x_proto(count("x_proto"))
            .x_host(count("x_host"))
            .x_port(count("x_port"))
            .x_prefix(count("x_prefix"));
        let server = LiveServer::start(app(Some(fix))).await.unwrap();
        let headers = case["headers"].as_object().unwrap();
        let (status, _, body) = get(&server, "/info?q=1", headers).await;
        assert_eq!(status, 200, "{name}: {body}");
        assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), case["info"], "{name}");
        let (status, location, _) = get(&server, "/slash", headers).await;
        assert_eq!(status, case["redirect_status"].as_u64().unwrap() as u16, "{name}");
        assert_eq!(location.as_deref(), case["redirect_location"].as_str(), "{name}");
    }
}

#[tokio::test]
async fn without_proxy_fix_forwarded_headers_change_nothing() {
    let server = LiveServer::start(app(None)).await.unwrap();
    let headers: serde_json::Map<String, Value> = serde_json::from_value(serde_json::json!({
        "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "evil.example", "X-Forwarded-Prefix": "/evil"
    }))
    .unwrap();
    let (_, _, body) = get(&server, "/info?q=1", &headers).await;
    let info: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(info["remote_addr"], "127.0.0.1");
    assert_eq!((info["scheme"].as_str(), info["host"].as_str()), (Some("http"), Some("localhost")));
    assert_eq!(info["external"], "http://localhost/info");
    let (_, location, _) = get(&server, "/slash", &headers).await;
    assert_eq!(location.as_deref(), Some("http://localhost/slash/"));
}
