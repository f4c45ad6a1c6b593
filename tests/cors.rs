//! The CORS example (`examples/cors.rs`: tower-http's `CorsLayer` behind
//! `FlaskCors`) against flask-cors: `flask_vectors/cors.json` holds flask-cors 6.0's
//! answers to the same requests, made by `flask_vectors/cors.py`.

#[path = "../examples/cors.rs"]
#[allow(dead_code)]
mod cors;

use phial::testing::{TestClient, TestResponse};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

const SECRET: &str = "cors-test-secret-that-is-32-bytes-long";
const OTHER: &str = "http://evil.example";

fn client() -> TestClient {
    cors::create_app(SECRET).test_client()
}

async fn token(client: &TestClient) -> String {
    let login = client.post("/login").json(&json!({"username": "test", "password": "test"})).send().await;
    login.json::<Value>()["access_token"].as_str().unwrap().to_string()
}

/// The headers CORS concerns, lowercased, list values as sets.
fn cors_headers(response: &TestResponse) -> Map<String, Value> {
    let mut headers = Map::new();
    for (name, value) in response.headers() {
        let name = name.as_str().to_ascii_lowercase();
        if name.starts_with("access-control-") || name == "allow" || name == "vary" {
            headers.insert(name, normalise(value.to_str().unwrap()));
        }
    }
    headers
}

/// A header value as a set of comma-separated items (order and case do not matter
/// for `Allow`, methods and header names).
fn normalise(value: &str) -> Value {
    let items: BTreeSet<String> = value.split(',').map(|item| item.trim().to_ascii_lowercase()).collect();
    Value::from(items.into_iter().collect::<Vec<_>>())
}

#[tokio::test]
async fn preflight_and_requests_from_the_front_end_get_its_cors_headers() {
    let client = client();
    let token = token(&client).await;
    let preflight = client
        .request(phial::http::Method::OPTIONS, "/protected")
        .header("Origin", cors::FRONT_END)
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await;
    assert_eq!(preflight.status(), 200);
    assert_eq!(preflight.header("access-control-allow-origin"), Some(cors::FRONT_END));
    assert_eq!(preflight.header("access-control-allow-credentials"), Some("true"));
    assert!(preflight.header("access-control-allow-methods").unwrap().contains("GET"));
    assert_eq!(preflight.header("access-control-allow-headers"), Some("authorization"));

    let get = client.get("/protected").header("Origin", cors::FRONT_END).bearer(&token).send().await;
    assert_eq!(get.json::<Value>(), json!({"logged_in_as": "test"}));
    assert_eq!(get.header("access-control-allow-origin"), Some(cors::FRONT_END));

    let other = client.get("/protected").header("Origin", OTHER).bearer(&token).send().await;
    assert_eq!(other.status(), 200);
    assert_eq!(other.header("access-control-allow-origin"), None);
    assert_eq!(other.header("access-control-allow-credentials"), None, "credentials only for the front end");

    // A plain OPTIONS keeps Flask's automatic answer.
    let plain = client.request(phial::http::Method::OPTIONS, "/protected").send().await;
    assert_eq!((plain.status().as_u16(), plain.header("allow")), (200, Some("GET, HEAD, OPTIONS")));
}

#[tokio::test]
async fn answers_match_flask_cors_but_for_the_documented_differences() {
    let vectors: Value = serde_json::from_str(include_str!("flask_vectors/cors.json")).unwrap();
    assert!(vectors["generator"]["flask-cors"].as_str().unwrap().starts_with("6."));
    let client = client();
    let token = token(&client).await;
    for case in vectors["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let method: phial::http::Method = case["method"].as_str().unwrap().parse().unwrap();
        let mut request = client.request(method, case["path"].as_str().unwrap());
        let sent = case["headers"].as_object().unwrap();
        for (header, value) in sent {
            request = request.header(header, value.as_str().unwrap());
        }
        if case["authorized"] == true {
            request = request.bearer(&token);
        }
        let response = request.send().await;
        assert_eq!(response.status().as_u16(), case["status"].as_u64().unwrap() as u16, "{name}");

        let mut expected: Map<String, Value> = case["cors"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), normalise(v.as_str().unwrap())))
            .collect();
        let mut actual = cors_headers(&response);
        let has_origin = sent.contains_key("Origin");
        let preflight = has_origin && sent.contains_key("Access-Control-Request-Method");
        // tower-http names the request headers its answer depends on, on every answer
        // it makes (a plain OPTIONS goes past it, to Flask's automatic answer).
        let through_cors = case["method"] != "OPTIONS" || preflight;
        assert_eq!(actual.remove("vary").is_some(), through_cors, "{name}: Vary");
        if preflight {
            // tower-http's preflight answer has no Allow (flask-cors merges Flask's).
            expected.remove("allow");
            if sent["Origin"] != cors::FRONT_END {
                // To another origin tower-http still lists methods and headers (no
                // Allow-Origin, so the browser refuses anyway); flask-cors sends none.
                assert!(actual.remove("access-control-allow-methods").is_some(), "{name}");
                assert!(actual.remove("access-control-allow-headers").is_some(), "{name}");
            }
        }
        if !has_origin || !through_cors {
            // flask-cors with a single origin sends it even to requests without
            // Origin; and an OPTIONS that is no preflight gets Flask's automatic
            // answer from phial, without CORS headers.
            expected.remove("access-control-allow-origin");
            expected.remove("access-control-allow-credentials");
        }
        assert_eq!(Value::Object(actual), Value::Object(expected), "{name}");
    }
}
