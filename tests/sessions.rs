//! Flask's session, as a view and a browser see it: the cookie is sent when the
//! session changed (or is permanent and refreshed), deleted when emptied, varied on,
//! refused quietly when tampered or too old; no `SECRET_KEY` is an empty session
//! that cannot be written; `flash` messages show once. The cookie format itself is
//! checked against Flask in `tests/session_cookies.rs`.

#[path = "../examples/sessions.rs"]
#[allow(dead_code)]
mod sessions;

use phial::prelude::*;
use phial::sessions::{SessionCodec, SessionMap, flash_category, get_flashed_messages_with_categories};
use phial::testing::TestClient;
use serde_json::{Value, json};
use std::time::{Duration, SystemTime};

const SECRET: &str = "phial-and-flask-share-this-key";

/// The `session=` cookie a response sets, as sent.
fn session_cookie(response: &phial::testing::TestResponse) -> Option<String> {
    response.set_cookies().into_iter().find(|cookie| cookie.starts_with("session=")).map(str::to_string)
}

#[tokio::test]
async fn a_changed_session_is_sent_signed_and_read_back() {
    let client = sessions::create_app(SECRET).test_client();
    let stored = client.post("/session").json(&json!({"user": "ada", "visits": 1})).send().await;
    assert_eq!(stored.json::<Value>(), json!({"user": "ada", "visits": 1}));
    let cookie = session_cookie(&stored).expect("the changed session is sent");
    assert!(cookie.contains("HttpOnly") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Expires"), "not permanent: a browser-session cookie: {cookie}");
    assert_eq!(stored.header("vary"), Some("Cookie"));

    // The client's jar sends it back.
    let read = client.get("/session").send().await;
    assert_eq!(read.json::<Value>(), json!({"user": "ada", "visits": 1}));
    assert_eq!(session_cookie(&read), None, "an unchanged session is not sent again");
    assert_eq!(read.header("vary"), Some("Cookie"), "it was read, so the answer varies with the cookie");
}

#[tokio::test]
async fn a_cookie_from_flask_reads_as_flask_wrote_it() {
    // Written by Flask 3.1 (tests/flask_vectors/session_cookies.json) in 2023: a long
    // lifetime keeps it valid for this test.
    let mut app = sessions::create_app(SECRET);
    app.config.set("PERMANENT_SESSION_LIFETIME", 100 * 365 * 86_400_u64);
    let client = app.test_client();
    let flask_cookie = "eyJ1c2VyIjoiYWxpY2UifQ.ZVPxAA.x8z2qyOZM9iQtlPgZTymregdj70";
    let read = client.get("/session").header("Cookie", &format!("session={flask_cookie}")).send().await;
    assert_eq!(read.json::<Value>(), json!({"user": "alice"}));
}

#[tokio::test]
async fn tampered_foreign_and_expired_cookies_are_empty_sessions() {
    let client = sessions::create_app(SECRET).test_client();
    let codec = |key: &str| SessionCodec::new(key, Vec::<&str>::new()).unwrap();
    let mut values = SessionMap::new();
    values.insert("user".into(), "mallory".into());
    let now = SystemTime::now();
    let good = codec(SECRET).encode(&values, now);
    let cases = [
        ("tampered", good.replacen('e', "f", 1)),
        ("truncated", good[..good.len() - 5].to_string()),
        ("another key", codec("not-our-key").encode(&values, now)),
        ("32 days old", codec(SECRET).encode(&values, now - Duration::from_secs(32 * 86_400))),
        ("garbage", "%%%;;;".to_string()),
    ];
    for (name, cookie) in cases {
        let read = client.get("/session").header("Cookie", &format!("session={cookie}")).send().await;
        assert_eq!((read.status().as_u16(), read.json::<Value>()), (200, json!({})), "{name}");
    }
}

#[tokio::test]
async fn fallback_keys_still_read_old_cookies_and_the_new_key_signs() {
    let mut app = sessions::create_app("the-new-key");
    app.config.set("SECRET_KEY_FALLBACKS", vec![SECRET]);
    let client = app.test_client();
    let mut values = SessionMap::new();
    values.insert("user".into(), "ada".into());
    let old = SessionCodec::new(SECRET, Vec::<&str>::new()).unwrap().encode(&values, SystemTime::now());
    let read = client.post("/session").header("Cookie", &format!("session={old}")).json(&json!({"n": 1})).send().await;
    assert_eq!(read.json::<Value>(), json!({"n": 1, "user": "ada"}));
    let new = session_cookie(&read).unwrap();
    let value = new.trim_start_matches("session=").split(';').next().unwrap();
    let only_new = SessionCodec::new("the-new-key", Vec::<&str>::new()).unwrap();
    assert!(only_new.decode(value, Duration::from_secs(60), SystemTime::now()).is_ok(), "signed with the new key");
}

fn app_with_views(config: &[(&str, Value)]) -> TestClient {
    let mut app = App::new("session-views");
    for (key, value) in config {
        app.config.set(*key, value.clone());
    }
    app.route("/login", ["POST"], |request: Request| async move {
        let session = request.session();
        session.set("user", "ada")?;
        session.set_permanent(true)?;
        Ok::<_, ViewError>("in")
    });
    app.route("/logout", ["POST"], |request: Request| async move {
        request.session().clear()?;
        Ok::<_, ViewError>("out")
    });
    app.route("/peek", ["GET"], |request: Request| async move { format!("{:?}", request.session().get("user")) });
    app.route("/plain", ["GET"], || async { "no session here" });
    app.route("/flash", ["POST"], || async {
        phial::flash("Saved")?;
        flash_category("Disk almost full", "warning")?;
        Ok::<_, ViewError>("flashed")
    });
    app.route("/messages", ["GET"], || async {
        Ok::<_, ViewError>(jsonify!({
            "all": get_flashed_messages_with_categories(&[])?,
            "again": phial::get_flashed_messages()?,
        }))
    });
    app.route("/page", ["GET"], || async {
        let page = phial::render_template_string(
            "{% for category, message in get_flashed_messages(with_categories=true) %}[{{ category }}: {{ message }}]{% endfor %} user={{ session.user }}",
            (),
        )?;
        Ok::<_, ViewError>(page)
    });
    app.test_client()
}

#[tokio::test]
async fn a_permanent_session_is_refreshed_on_every_request_and_deleted_when_emptied() {
    let client = app_with_views(&[("SECRET_KEY", json!(SECRET)), ("PERMANENT_SESSION_LIFETIME", json!(3600))]);
    let login = client.post("/login").send().await;
    let cookie = session_cookie(&login).unwrap();
    assert!(cookie.contains("Expires="), "permanent: it expires with PERMANENT_SESSION_LIFETIME: {cookie}");

    let peek = client.get("/peek").send().await;
    assert_eq!(peek.text(), r#"Some(String("ada"))"#);
    assert!(session_cookie(&peek).is_some(), "SESSION_REFRESH_EACH_REQUEST: sent again");

    let untouched = client.get("/plain").send().await;
    assert_eq!(session_cookie(&untouched), None);
    assert_eq!(untouched.header("vary"), None, "a request that never touched the session does not vary");

    let logout = client.post("/logout").send().await;
    let deleted = session_cookie(&logout).unwrap();
    assert!(deleted.starts_with("session=;") && deleted.contains("Max-Age=0"), "{deleted}");
    assert_eq!(client.get("/peek").send().await.text(), "None");
}

#[tokio::test]
async fn without_refresh_each_request_a_permanent_session_is_sent_only_when_changed() {
    let client = app_with_views(&[("SECRET_KEY", json!(SECRET)), ("SESSION_REFRESH_EACH_REQUEST", json!(false))]);
    assert!(session_cookie(&client.post("/login").send().await).is_some());
    assert_eq!(session_cookie(&client.get("/peek").send().await), None);
}

#[tokio::test]
async fn the_cookie_takes_flasks_attributes_from_the_config() {
    let client = app_with_views(&[
        ("SECRET_KEY", json!(SECRET)),
        ("SESSION_COOKIE_NAME", json!("sid")),
        ("SESSION_COOKIE_DOMAIN", json!("example.com")),
        ("SESSION_COOKIE_PATH", json!("/app")),
        ("SESSION_COOKIE_SECURE", json!(true)),
        ("SESSION_COOKIE_SAMESITE", json!("Lax")),
        ("SESSION_COOKIE_HTTPONLY", json!(false)),
    ]);
    let login = client.post("/login").send().await;
    let cookie = login.set_cookies().into_iter().find(|c| c.starts_with("sid=")).unwrap().to_string();
    for attribute in ["Domain=example.com", "Path=/app", "Secure", "SameSite=Lax"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("HttpOnly"), "{cookie}");
}

#[tokio::test]
async fn without_a_secret_key_the_session_reads_empty_and_cannot_be_written() {
    let client = app_with_views(&[]);
    let peek = client.get("/peek").send().await;
    assert_eq!((peek.status().as_u16(), peek.text()), (200, "None".to_string()));
    let login = client.post("/login").send().await;
    assert_eq!(login.status(), 500);
    assert!(!login.text().contains("SECRET_KEY"), "the 500 says nothing");
    assert_eq!(session_cookie(&login), None);
}

#[tokio::test]
async fn flashed_messages_show_once() {
    let client = app_with_views(&[("SECRET_KEY", json!(SECRET))]);
    client.post("/flash").send().await;
    let messages = client.get("/messages").send().await.json::<Value>();
    assert_eq!(
        messages,
        json!({"all": [["message", "Saved"], ["warning", "Disk almost full"]], "again": ["Saved", "Disk almost full"]})
    );
    let gone = client.get("/messages").send().await.json::<Value>();
    assert_eq!(gone, json!({"all": [], "again": []}));

    client.post("/login").send().await;
    client.post("/flash").send().await;
    let page = client.get("/page").send().await.text();
    assert_eq!(page, "[message: Saved][warning: Disk almost full] user=ada");
    assert_eq!(client.get("/page").send().await.text(), " user=ada");
}

#[tokio::test]
async fn a_bad_samesite_value_stops_the_app_from_starting() {
    let mut app = App::new("bad");
    app.config.set("SESSION_COOKIE_SAMESITE", "sometimes");
    let error = app.finalize().unwrap_err().to_string();
    assert!(error.contains("SESSION_COOKIE_SAMESITE"), "{error}");
}
