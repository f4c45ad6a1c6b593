//! Unusual paths and cookies answered as Flask 3.1 on Werkzeug answers them, over a
//! real socket: `flask_vectors/werkzeug_requests.json` holds Flask's answers, made by
//! `flask_vectors/werkzeug_requests.py` with the same app as below.

use phial::cookie::Cookie;
use phial::prelude::*;
use phial::testing::LiveServer;
use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[get("/a/b")]
async fn a_b(request: Request) -> impl IntoResponse {
    jsonify!({"path": request.path()})
}

#[get("/<name>/x")]
async fn named(request: Request, name: String) -> impl IntoResponse {
    jsonify!({"path": request.path(), "name": name})
}

/// Every value of every name, in the order sent (`request.cookies.to_dict(flat=False)`).
#[get("/cookies")]
async fn cookies(request: Request) -> impl IntoResponse {
    let mut all = Map::new();
    for (name, value) in request.cookies() {
        let values = all.entry(name).or_insert_with(|| Value::Array(Vec::new()));
        values.as_array_mut().unwrap().push(Value::from(value));
    }
    jsonify!(all)
}

#[get("/set_cookie")]
async fn set_cookie(request: Request) -> impl IntoResponse {
    let mut response = jsonify!({"msg": "set"}).into_response();
    response.set_cookie(Cookie::new("a", request.args().get("value").unwrap_or_default().to_string()));
    response
}

fn vectors() -> Value {
    let vectors: Value = serde_json::from_str(include_str!("flask_vectors/werkzeug_requests.json")).unwrap();
    assert!(vectors["generator"]["flask"].as_str().unwrap().starts_with("3.1."));
    vectors
}

async fn server() -> LiveServer {
    let mut app = App::new("werkzeug_requests");
    app.register(routes![a_b, named, cookies, set_cookie]);
    LiveServer::start(app).await.unwrap()
}

/// Sends `raw` and reads the answer as the script does: status, Location, the
/// `name=value` of Set-Cookie, JSON body.
async fn send(server: &LiveServer, raw: &[u8]) -> Value {
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(raw).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let (mut location, mut set_cookie) = (Value::Null, Value::Null);
    for line in lines {
        let (name, value) = line.split_once(':').unwrap();
        match name.trim().to_ascii_lowercase().as_str() {
            "location" => location = Value::from(value.trim()),
            "set-cookie" => set_cookie = Value::from(value.trim().split("; ").next().unwrap()),
            _ => {}
        }
    }
    let body = serde_json::from_slice(&answer[split + 4..]).unwrap_or(Value::Null);
    json!({"status": status, "location": location, "set_cookie": set_cookie, "json": body})
}

fn answer_of(vector: &Value) -> Value {
    json!({"status": vector["status"], "location": vector["location"], "set_cookie": vector["set_cookie"], "json": vector["json"]})
}

#[tokio::test]
async fn paths_route_and_redirect_as_in_werkzeug() {
    let server = server().await;
    for vector in vectors()["paths"].as_array().unwrap() {
        let path = vector["path"].as_str().unwrap();
        let raw = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let mut expected = answer_of(vector);
        if expected["status"] == 308 {
            // Flask's redirect body is an HTML page; phial's error and redirect bodies are JSON.
            expected["json"] = json!({"msg": format!("Redirecting to {}", expected["location"].as_str().unwrap())});
        }
        assert_eq!(send(&server, raw.as_bytes()).await, expected, "GET {path}");
    }
}

#[tokio::test]
async fn cookies_are_read_as_werkzeug_reads_them() {
    let server = server().await;
    for vector in vectors()["cookies"].as_array().unwrap() {
        let header = vector["cookie"].as_str().unwrap();
        // The script recorded the header's bytes as Latin-1 text; send those bytes.
        let bytes: Vec<u8> = header.chars().map(|c| u8::try_from(u32::from(c)).unwrap()).collect();
        let mut raw = b"GET /cookies HTTP/1.1\r\nHost: localhost\r\n".to_vec();
        for line in bytes.split(|&b| b == b'\n') {
            raw.extend_from_slice(b"Cookie: ");
            raw.extend_from_slice(line);
            raw.extend_from_slice(b"\r\n");
        }
        raw.extend_from_slice(b"Connection: close\r\n\r\n");
        let mut expected = answer_of(vector);
        if header.contains('\n') {
            // Two Cookie lines: Werkzeug's development server joins them with `,`
            // before Flask sees them (`a=1,b=2; a=3`); phial reads them as one header
            // joined with `;`, as Werkzeug itself does when a server keeps them apart
            // and as HTTP/2 requires.
            expected["json"] = json!({"a": ["1", "3"], "b": ["2"]});
        }
        assert_eq!(send(&server, &raw).await, expected, "Cookie: {header:?}");
    }
}

#[tokio::test]
async fn set_cookie_writes_values_as_werkzeug_does() {
    let server = server().await;
    for vector in vectors()["set_cookie"].as_array().unwrap() {
        let value = vector["value"].as_str().unwrap();
        let query: String = value
            .bytes()
            .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
            .collect();
        let raw = format!("GET /set_cookie?value={query} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assert_eq!(send(&server, raw.as_bytes()).await, answer_of(vector), "set_cookie({value:?})");
    }
}
