//! The request object and extractors, as Flask's `request`: JSON with `get_json`'s
//! rules, query arguments, forms, headers, cookies, `g`, and the request context.

use phial::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize, serde::Serialize)]
struct Login {
    username: String,
    password: String,
}

fn json_app() -> App {
    let mut app = App::new("requests");
    app.route("/login", ["POST"], |Json(login): Json<Login>| async move { jsonify!({"user": login.username}) });
    app.route("/any", ["POST"], |request: Request| async move {
        match request.get_json::<Value>() {
            Ok(value) => Json(json!({"got": value})).into_response(),
            Err(err) => err.into_response(),
        }
    });
    app
}

#[tokio::test]
async fn json_bodies_follow_flask_get_json() {
    let app = json_app();
    let client = app.test_client();

    let ok = client.post("/login").json(&json!({"username": "ann", "password": "x"})).send().await;
    assert_eq!(ok.json::<Value>(), json!({"user": "ann"}));

    let with_charset = client
        .post("/login")
        .content_type("application/json; charset=utf-8")
        .body(r#"{"username": "ann", "password": "x"}"#)
        .send()
        .await;
    assert_eq!(with_charset.status(), 200);

    let vendor_type = client.post("/any").content_type("application/vnd.api+json").body("[1]").send().await;
    assert_eq!(vendor_type.json::<Value>(), json!({"got": [1]}));

    let no_type = client.post("/login").body(r#"{"username": "ann", "password": "x"}"#).send().await;
    assert_eq!(no_type.status(), 415);
    assert_eq!(
        no_type.json::<Value>()["msg"],
        "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."
    );

    let form_type = client.post("/login").form([("username", "ann")]).send().await;
    assert_eq!(form_type.status(), 415);

    // Malformed JSON: Werkzeug's plain 400 (the parser's detail only in debug, below).
    let malformed = client.post("/login").content_type("application/json").body("{\"username\":").send().await;
    assert_eq!(malformed.status(), 400);
    assert_eq!(
        malformed.json::<Value>()["msg"],
        "The browser (or proxy) sent a request that this server could not understand."
    );

    let empty = client.post("/login").content_type("application/json").send().await;
    assert_eq!(empty.status(), 400);

    let wrong_field = client.post("/login").json(&json!({"username": 5, "password": "x"})).send().await;
    assert_eq!(wrong_field.status(), 400);
    assert_eq!(
        wrong_field.json::<Value>()["msg"],
        "Invalid JSON body at 'username': invalid type: integer `5`, expected a string"
    );

    let missing_field = client.post("/login").json(&json!({"username": "ann"})).send().await;
    assert_eq!(missing_field.json::<Value>()["msg"], "Invalid JSON body: missing field `password`");

    let not_an_object = client.post("/login").json(&json!("ann")).send().await;
    assert_eq!(not_an_object.status(), 400);
}

/// JSON that Python's `json.loads` (so Flask's `get_json`) accepts and phial refuses
/// with a 400, as the porting guide's "stricter" section lists.
#[tokio::test]
async fn malformed_json_says_why_in_debug_as_flask_does() {
    let mut app = json_app();
    app.config.set("DEBUG", true);
    let client = app.test_client();
    let malformed = client.post("/login").content_type("application/json").body("{\"username\":").send().await;
    assert_eq!(malformed.status(), 400);
    assert!(malformed.json::<Value>()["msg"].as_str().unwrap().starts_with("Failed to decode JSON object: EOF"));
}

#[tokio::test]
async fn json_python_accepts_and_phial_refuses_is_a_400() {
    let mut app = json_app();
    // In debug the message names the parser's reason.
    app.config.set("DEBUG", true);
    let client = app.test_client();
    let utf16: Vec<u8> = "\u{feff}[1]".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let cases: [(&str, Vec<u8>); 7] = [
        ("a UTF-8 byte order mark", b"\xef\xbb\xbf[1]".to_vec()),
        ("UTF-16", utf16),
        ("a number past f64 (Python: inf)", b"[1e400]".to_vec()),
        ("a lone surrogate escape", br#"["\ud800"]"#.to_vec()),
        ("NaN", b"[NaN]".to_vec()),
        ("Infinity", b"[-Infinity]".to_vec()),
        (
            "nesting deeper than 128 (Python: 500, RecursionError at about 1000)",
            [&[b'['; 200][..], &[b']'; 200]].concat(),
        ),
    ];
    for (what, body) in cases {
        let response = client.post("/any").content_type("application/json").body(body).send().await;
        assert_eq!(response.status(), 400, "{what}");
        assert!(
            response.json::<Value>()["msg"].as_str().unwrap().starts_with("Failed to decode JSON object"),
            "{what}"
        );
    }
    // Duplicate keys are accepted, the last one winning, as in Python.
    let duplicate = client.post("/any").content_type("application/json").body(r#"{"a": 1, "a": 2}"#).send().await;
    assert_eq!(duplicate.json::<Value>(), json!({"got": {"a": 2}}));
}

#[tokio::test]
async fn query_arguments_like_request_args() {
    #[derive(Deserialize)]
    struct Page {
        page: u32,
        q: Option<String>,
    }
    let mut app = App::new("requests");
    app.route("/args", ["GET"], |request: Request| async move {
        let args = request.args();
        jsonify!({
            "tag": args.get("tag"),
            "tags": args.get_all("tag").collect::<Vec<_>>(),
            "n": args.get_as::<i32>("n"),
            "missing": args.get("missing"),
        })
    });
    app.route("/page", ["GET"], |Query(page): Query<Page>| async move { jsonify!({"page": page.page, "q": page.q}) });
    let client = app.test_client();

    let body: Value = client.get("/args?tag=a&tag=b&n=x").send().await.json();
    assert_eq!(body, json!({"tag": "a", "tags": ["a", "b"], "n": null, "missing": null}));

    let body: Value = client.get("/page").query([("page", "2"), ("q", "a b")]).send().await.json();
    assert_eq!(body, json!({"page": 2, "q": "a b"}));

    let bad = client.get("/page?page=two").send().await;
    assert_eq!(bad.status(), 400);
    assert!(bad.json::<Value>()["msg"].as_str().unwrap().starts_with("Invalid query string"));
}

#[tokio::test]
async fn forms_headers_and_cookies() {
    #[derive(Deserialize)]
    struct Comment {
        text: String,
    }
    let mut app = App::new("requests");
    app.route("/form", ["POST"], |Form(comment): Form<Comment>| async move { comment.text });
    app.route("/raw-form", ["POST"], |request: Request| async move {
        request.form().get("text").unwrap_or("none").to_string()
    });
    app.route("/headers", ["GET"], |request: Request, cookies: Cookies| async move {
        jsonify!({
            "agent": request.header("user-agent"),
            "cookie": request.cookie("flavour"),
            "from_extractor": cookies.get("flavour"),
            "host": request.host(),
            "url": request.url(),
        })
    });
    let client = app.test_client();

    assert_eq!(client.post("/form").form([("text", "hi there")]).send().await.text(), "hi there");
    assert_eq!(client.post("/form").json(&json!({"text": "x"})).send().await.status(), 415);
    assert_eq!(client.post("/raw-form").json(&json!({"text": "x"})).send().await.text(), "none");

    client.set_cookie("flavour", "oat");
    let body: Value = client.get("/headers?a=1").header("User-Agent", "tests").send().await.json();
    assert_eq!(
        body,
        json!({"agent": "tests", "cookie": "oat", "from_extractor": "oat", "host": "localhost", "url": "http://localhost/headers?a=1"})
    );
}

#[tokio::test]
async fn g_is_shared_by_hooks_and_handler_for_one_request() {
    #[derive(Clone)]
    struct Visits(u32);
    let mut app = App::new("requests");
    app.before_request(|request: &Request| {
        request.g().insert(Visits(1));
        None::<Response>
    });
    app.route("/", ["GET"], |request: Request| async move {
        let visits = request.g().get::<Visits>().map_or(0, |v| v.0);
        request.g().insert(Visits(visits + 1));
        visits.to_string()
    });
    app.after_request(|request: &Request, mut response: Response| {
        let visits = request.g().get::<Visits>().map_or(0, |v| v.0);
        response.headers_mut().insert("x-visits", visits.into());
        response
    });
    let client = app.test_client();
    let response = client.get("/").send().await;
    assert_eq!(response.text(), "1");
    assert_eq!(response.header("x-visits"), Some("2"));
    // A new request starts with an empty g.
    assert_eq!(client.get("/").send().await.text(), "1");
}

#[tokio::test]
async fn request_and_current_app_are_reachable_deep_in_a_handler() {
    fn deep_helper() -> String {
        let request = phial::request().unwrap();
        let app = phial::current_app().unwrap();
        format!("{} {} in {}", request.method(), request.path(), app.name())
    }
    let mut app = App::new("contexts");
    app.route("/deep", ["GET"], || async { deep_helper() });
    let client = app.test_client();
    assert_eq!(client.get("/deep").send().await.text(), "GET /deep in contexts");

    // Outside a request: a clear error, no panic.
    let err = phial::request().unwrap_err().to_string();
    assert!(err.contains("working outside of a request"), "{err}");
    let handle = client.app().clone();
    assert_eq!(handle.app_context(|| phial::current_app().unwrap().name().to_string()), "contexts");
    assert!(handle.app_context(phial::request).is_err());
}

#[tokio::test]
async fn extensions_are_reachable_from_requests() {
    #[derive(Clone)]
    struct Greeter(&'static str);
    let mut app = App::new("requests");
    app.extensions.insert(Greeter("hello"));
    app.route("/", ["GET"], |Extension(greeter): Extension<Greeter>| async move { greeter.0 });
    app.route("/missing", ["GET"], |Extension(n): Extension<u64>| async move { n.to_string() });
    let client = app.test_client();
    assert_eq!(client.get("/").send().await.text(), "hello");
    // An extension the app lacks is the app's mistake: 500.
    assert_eq!(client.get("/missing").send().await.status(), 500);
}

#[tokio::test]
async fn invalid_utf8_in_the_path_is_a_400() {
    let mut app = App::new("requests");
    app.route("/<name>", ["GET"], |Path(name): Path<String>| async move { name });
    let client = app.test_client();
    let response = client.get("/%FF").send().await;
    assert_eq!(response.status(), 400);
    assert_eq!(response.json::<Value>()["msg"], "The request path is not valid UTF-8 once percent-decoded.");
    assert_eq!(client.get("/%C3%A9").send().await.text(), "é");
}

#[tokio::test]
async fn oversized_heads_and_bodies_are_refused_with_json() {
    let mut app = App::new("limits");
    app.config.set("MAX_CONTENT_LENGTH", 10).set("MAX_HEADER_COUNT", 5).set("MAX_HEADER_SIZE", 200);
    app.route("/", ["POST"], || async { "ok" });
    let client = app.test_client();
    assert_eq!(client.post("/").body("short").send().await.status(), 200);

    let big = client.post("/").body("0123456789ABC").send().await;
    assert_eq!(big.status(), 413);
    assert_eq!(big.json::<Value>()["msg"], "The data value transmitted exceeds the capacity limit.");

    let mut many = client.post("/");
    for i in 0..6 {
        many = many.header(&format!("x-h{i}"), "v");
    }
    assert_eq!(many.send().await.status(), 431);

    let long = client.post("/").header("x-long", &"a".repeat(300)).send().await;
    assert_eq!(long.status(), 431);
    assert_eq!(long.json::<Value>()["msg"], "One or more header fields exceeds the maximum size.");
}

#[test]
fn a_config_value_of_the_wrong_type_stops_the_app_naming_the_key() {
    let mut app = App::new("config");
    app.config.set("MAX_CONTENT_LENGTH", "big");
    let err = app.finalize().unwrap_err().to_string();
    assert!(err.contains("MAX_CONTENT_LENGTH") && err.contains("non-negative integer"), "{err}");
}
