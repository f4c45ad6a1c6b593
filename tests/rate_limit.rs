//! Rate limits per client address: a blueprint holding the login gets so many
//! requests a minute from one address, the rest a 429 with `Retry-After` and phial's
//! JSON body; other addresses and the rest of the app are not limited. Behind
//! `ProxyFix`, the trusted forwarded address is the key.

#[path = "../examples/rate_limits.rs"]
#[allow(dead_code)]
mod rate_limits;

use phial::layer::ProxyFix;
use phial::prelude::*;
use phial::rate_limit::PerAddress;
use phial::testing::LiveServer;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn app(proxied: bool) -> App {
    let mut auth = Blueprint::new("auth", "/auth");
    auth.route("/login", ["POST"], || async { jsonify!({"msg": "logged in"}) });
    auth.layer(PerAddress::per_minute(3));
    let mut app = App::new("rate-limited");
    app.route("/", ["GET"], || async { "not limited" });
    app.register_blueprint(auth);
    if proxied {
        app.layer(ProxyFix::new());
    }
    app
}

#[tokio::test]
async fn the_fourth_login_in_a_minute_is_a_429_with_retry_after() {
    let client = app(false).test_client();
    for _ in 0..3 {
        assert_eq!(client.post("/auth/login").send().await.status(), 200);
    }
    let refused = client.post("/auth/login").send().await;
    assert_eq!(refused.status(), 429);
    let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=20).contains(&retry), "one more login every 20 s: {retry}");
    let body: Value = refused.json();
    assert!(body["msg"].as_str().unwrap().contains("exceeded an allotted request count"), "{body}");
    assert_eq!(client.get("/").send().await.status(), 200, "routes outside the blueprint are not limited");
}

/// POSTs `/auth/login` over a socket as `X-Forwarded-For: address`; the status.
async fn login_from(server: &LiveServer, address: &str) -> u16 {
    let request = format!(
        "POST /auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\nX-Forwarded-For: {address}\r\n\r\n"
    );
    let mut socket = TcpStream::connect(server.addr()).await.unwrap();
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    socket.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer)[9..12].parse().unwrap()
}

/// POSTs `/auth/login` over a socket from the loopback address `from`; the status.
async fn login_as(server: &LiveServer, from: [u8; 4]) -> u16 {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind((std::net::Ipv4Addr::from(from), 0).into()).unwrap();
    let mut stream = socket.connect(server.addr()).await.unwrap();
    let request = "POST /auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer)[9..12].parse().unwrap()
}

#[tokio::test]
async fn over_a_socket_each_client_address_has_its_own_allowance() {
    // A blueprint's layer sees the client's address, with or without app layers.
    for proxied in [false, true] {
        let server = LiveServer::start(app(proxied)).await.unwrap();
        for _ in 0..3 {
            assert_eq!(login_as(&server, [127, 0, 0, 2]).await, 200);
        }
        assert_eq!(login_as(&server, [127, 0, 0, 2]).await, 429, "proxied: {proxied}");
        assert_eq!(login_as(&server, [127, 0, 0, 3]).await, 200, "proxied: {proxied}: another client is not held back");
    }
}

#[tokio::test]
async fn behind_proxy_fix_each_forwarded_address_has_its_own_allowance() {
    let server = LiveServer::start(app(true)).await.unwrap();
    for _ in 0..3 {
        assert_eq!(login_from(&server, "203.0.113.7").await, 200);
    }
    assert_eq!(login_from(&server, "203.0.113.7").await, 429);
    assert_eq!(login_from(&server, "198.51.100.1").await, 200, "another client is not held back");
}

#[tokio::test]
async fn the_example_limits_the_auth_blueprint_per_address() {
    let client = rate_limits::create_app("a-secret-key-of-at-least-32-bytes!!").test_client();
    let login = || client.post("/auth/login").json(&serde_json::json!({"username": "test", "password": "test"})).send();
    let token = login().await.json::<Value>()["access_token"].as_str().unwrap().to_string();
    assert_eq!(client.get("/protected").bearer(&token).send().await.status(), 200);
    let logout = client.delete("/auth/logout").bearer(&token).send().await;
    assert_eq!(logout.json::<Value>(), serde_json::json!({"msg": "Access token successfully revoked"}));
    assert_eq!(client.get("/protected").bearer(&token).send().await.status(), 401);

    // Login and logout share the blueprint's five a minute from one address.
    for _ in 0..3 {
        assert_eq!(login().await.status(), 200);
    }
    assert_eq!(login().await.status(), 429, "the sixth request to /auth in a minute");
    assert_eq!(client.get("/protected").bearer(&token).send().await.status(), 401, "the rest is not limited");
}
