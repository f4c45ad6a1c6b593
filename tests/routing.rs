//! Flask's routing rules, driven through the test client: converters, precedence,
//! trailing slashes, automatic HEAD and OPTIONS, 405 with `Allow`, registration
//! errors, and `url_for`.

use phial::prelude::*;
use serde_json::{Value, json};

fn echo_args(request: Request) -> Json<Value> {
    let args: serde_json::Map<String, Value> =
        request.view_args().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect();
    Json(json!({"endpoint": request.endpoint(), "args": args}))
}

fn app_with(rules: &[&str]) -> App {
    let mut app = App::new("routing");
    for rule in rules {
        app.register([Route::new(*rule, ["GET"], echo_args).endpoint(*rule)]);
    }
    app
}

async fn endpoint_for(client: &TestClient, path: &str) -> Option<String> {
    let response = client.get(path).send().await;
    (response.status() == 200).then(|| response.json::<Value>()["endpoint"].as_str().unwrap_or_default().to_string())
}

#[tokio::test]
async fn each_converter_accepts_what_flask_accepts() {
    let app = app_with(&[
        "/str/<s>",
        "/int/<int:n>",
        "/signed/<int(signed=True):n>",
        "/float/<float:x>",
        "/path/<path:p>",
        "/uuid/<uuid:u>",
        "/any/<any(about, help):page>",
        "/len/<string(length=2):code>",
    ]);
    let client = app.test_client();
    let accepted = [
        "/str/hello",
        "/str/with%20space",
        "/int/007",
        "/int/123456789012345678901234567890",
        "/signed/-5",
        "/float/1.5",
        "/path/a/b/c",
        "/uuid/12345678-1234-5678-1234-56789ABCDEF0",
        "/any/help",
        "/len/fr",
    ];
    for path in accepted {
        assert!(endpoint_for(&client, path).await.is_some(), "{path} should match");
    }
    let refused = [
        "/str/a%2Fb",
        "/int/-5",
        "/int/+5",
        "/int/5.0",
        "/int/x",
        "/float/1",
        "/float/-1.5",
        "/path/",
        "/uuid/12345678123456781234567812345678",
        "/any/other",
        "/len/fra",
    ];
    for path in refused {
        let response = client.get(path).send().await;
        assert_eq!(response.status(), 404, "{path} should be 404");
        assert_eq!(response.header("content-type"), Some("application/json"));
    }
}

#[tokio::test]
async fn view_args_are_percent_decoded_text() {
    let app = app_with(&["/str/<s>", "/path/<path:p>"]);
    let client = app.test_client();
    let body: Value = client.get("/str/with%20space").send().await.json();
    assert_eq!(body["args"]["s"], "with space");
    let body: Value = client.get("/path/a/b%20c").send().await.json();
    assert_eq!(body["args"]["p"], "a/b c");
}

#[tokio::test]
async fn static_segments_beat_converters_and_narrow_converters_beat_strings() {
    let app = app_with(&["/items/<int:id>", "/items/new", "/u/<name>", "/u/<int:id>", "/f/<path:p>", "/f/<name>"]);
    let client = app.test_client();
    assert_eq!(endpoint_for(&client, "/items/new").await.as_deref(), Some("/items/new"));
    assert_eq!(endpoint_for(&client, "/items/3").await.as_deref(), Some("/items/<int:id>"));
    assert_eq!(endpoint_for(&client, "/u/42").await.as_deref(), Some("/u/<int:id>"));
    assert_eq!(endpoint_for(&client, "/u/ann").await.as_deref(), Some("/u/<name>"));
    assert_eq!(endpoint_for(&client, "/f/one").await.as_deref(), Some("/f/<name>"));
    assert_eq!(endpoint_for(&client, "/f/one/two").await.as_deref(), Some("/f/<path:p>"));
}

#[tokio::test]
async fn a_rule_with_a_trailing_slash_redirects_the_form_without_it() {
    let app = app_with(&["/slash/", "/noslash"]);
    let client = app.test_client();

    let response = client.get("/slash").query([("x", "1")]).send().await;
    assert_eq!(response.status(), 308);
    assert_eq!(response.header("location"), Some("http://localhost/slash/?x=1"));

    let followed = client.get("/slash").follow_redirects().send().await;
    assert_eq!(followed.status(), 200);

    assert_eq!(client.get("/noslash/").send().await.status(), 404);
    // Flask redirects only when the method would be served.
    assert_eq!(client.post("/slash").send().await.status(), 404);
}

#[tokio::test]
async fn repeated_slashes_redirect_to_the_merged_path() {
    let app = app_with(&["/a/b"]);
    let client = app.test_client();
    let response = client.get("/a//b").send().await;
    assert_eq!(response.status(), 308);
    assert_eq!(response.header("location"), Some("http://localhost/a/b"));
}

#[tokio::test]
async fn encoded_slashes_redirect_to_the_merged_path_never_to_themselves() {
    // `%2F` decodes to `/` (as a WSGI server decodes PATH_INFO). Leading slashes
    // count as one, as in Werkzeug: `/%2Fa/b` is `/a/b`. Inside the path they are
    // merged by a redirect to the merged path, never back to the URL asked for,
    // which would loop (`tests/werkzeug_requests.rs` compares these with Flask).
    let app = app_with(&["/a/b", "/<name>/x"]);
    let client = app.test_client();
    for path in ["/%2Fa/b", "/%2F%2Fa/b"] {
        let response = client.get(path).send().await;
        assert_eq!(response.status(), 200, "{path}");
    }
    for path in ["/a/%2Fb", "/a%2F/b?q=1"] {
        let response = client.get(path).send().await;
        assert_eq!(response.status(), 308, "{path}");
        let query = if path.ends_with("?q=1") { "?q=1" } else { "" };
        assert_eq!(response.header("location"), Some(format!("http://localhost/a/b{query}").as_str()), "{path}");
    }
    // A merged path with characters that need escaping is escaped again.
    let response = client.get("/%2Fsp%20ace//x").send().await;
    assert_eq!(response.header("location"), Some("http://localhost/sp%20ace/x"));
}

#[tokio::test]
async fn strict_slashes_false_serves_both_forms() {
    let mut app = App::new("routing");
    app.register([Route::new("/both/", ["GET"], echo_args).strict_slashes(false)]);
    let client = app.test_client();
    assert_eq!(client.get("/both/").send().await.status(), 200);
    assert_eq!(client.get("/both").send().await.status(), 200);
}

#[tokio::test]
async fn wrong_method_is_405_with_allow() {
    let mut app = App::new("routing");
    app.route("/login", ["POST"], || async { "ok" });
    let client = app.test_client();

    let response = client.get("/login").send().await;
    assert_eq!(response.status(), 405);
    assert_eq!(response.header("allow"), Some("OPTIONS, POST"));
    assert_eq!(response.json::<Value>(), json!({"msg": "The method is not allowed for the requested URL."}));

    let head = client.head("/login").send().await;
    assert_eq!(head.status(), 405);
    assert!(head.bytes().is_empty());
}

#[tokio::test]
async fn head_runs_the_get_view_without_a_body() {
    let mut app = App::new("routing");
    app.route("/page", ["GET"], |request: Request| async move {
        (jsonify!({"method": request.method().as_str()}), 200, [("X-Seen", "yes")])
    });
    let client = app.test_client();
    let response = client.head("/page").send().await;
    assert_eq!(response.status(), 200);
    assert!(response.bytes().is_empty());
    assert_eq!(response.header("x-seen"), Some("yes"));
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.header("content-length"), Some("18"));
}

#[tokio::test]
async fn automatic_options_answers_with_allow() {
    let mut app = App::new("routing");
    app.route("/page", ["GET", "POST"], || async { "page" });
    app.route("/own", ["GET", "OPTIONS"], |request: Request| async move { format!("own {}", request.method()) });
    let client = app.test_client();

    let response = client.options("/page").send().await;
    assert_eq!(response.status(), 200);
    assert!(response.bytes().is_empty());
    assert_eq!(response.header("allow"), Some("GET, HEAD, OPTIONS, POST"));

    let own = client.options("/own").send().await;
    assert_eq!(own.text(), "own OPTIONS");
}

#[tokio::test]
async fn same_rule_different_methods_on_different_views() {
    let mut app = App::new("routing");
    app.route("/thing", ["GET"], || async { "read" });
    app.route("/thing", ["DELETE"], || async { "deleted" });
    let client = app.test_client();
    assert_eq!(client.get("/thing").send().await.text(), "read");
    assert_eq!(client.delete("/thing").send().await.text(), "deleted");
    assert_eq!(client.put("/thing").send().await.header("allow"), Some("DELETE, GET, HEAD, OPTIONS"));
}

#[test]
fn conflicting_and_invalid_rules_fail_at_startup_with_their_location() {
    let mut app = App::new("routing");
    app.route("/x", ["GET"], || async { "a" });
    app.route("/x", ["GET", "POST"], || async { "b" });
    app.route("/bad/<integer:id>", ["GET"], || async { "c" });
    app.route("/m", ["GE T"], || async { "d" });
    let err = app.finalize().unwrap_err().to_string();
    assert!(err.contains("3 problems"), "{err}");
    assert!(err.contains("\"/x\" already has a view for GET"), "{err}");
    assert!(err.contains("unknown converter \"integer\""), "{err}");
    assert!(err.contains("\"GE T\" is not a valid HTTP method"), "{err}");
    assert!(err.contains("tests/routing.rs:"), "the error says where the route was registered: {err}");
}

#[test]
fn an_endpoint_name_belongs_to_one_view() {
    async fn first() -> &'static str {
        "1"
    }
    async fn second() -> &'static str {
        "2"
    }
    let mut app = App::new("routing");
    app.register([
        Route::new("/a", ["GET"], first).endpoint("same"),
        Route::new("/b", ["GET"], second).endpoint("same"),
    ]);
    let err = app.finalize().unwrap_err().to_string();
    assert!(err.contains("endpoint \"same\" is already used by another view"), "{err}");

    // The same view may serve several rules under its name.
    let mut app = App::new("routing");
    app.register([Route::new("/a", ["GET"], first), Route::new("/a2", ["GET"], first)]);
    assert!(app.finalize().is_ok());
}

#[tokio::test]
async fn url_for_builds_urls_from_endpoint_names() {
    async fn user() -> String {
        phial::url_for("user", [("id", "7"), ("tab", "a b")]).unwrap()
    }
    let mut app = App::new("routing");
    app.register([Route::new("/user/<int:id>", ["GET"], user)]);
    let mut bp = Blueprint::new("admin", "/admin");
    bp.register([Route::new("/panel", ["GET"], || async {
        phial::url_for(".panel", Vec::<(&str, &str)>::new()).unwrap()
    })
    .endpoint("panel")]);
    app.register_blueprint(bp);
    let client = app.test_client();
    assert_eq!(client.get("/user/1").send().await.text(), "/user/7?tab=a+b");
    assert_eq!(client.get("/admin/panel").send().await.text(), "/admin/panel");
    assert!(client.app().url_for("user", [("id", "x")]).is_err());
}

#[tokio::test]
async fn path_extractor_parses_variables_into_types() {
    #[derive(serde::Deserialize)]
    struct Ids {
        user: String,
        post: u32,
    }
    let mut app = App::new("routing");
    app.route("/one/<int:id>", ["GET"], |Path(id): Path<u8>| async move { id.to_string() });
    app.route("/two/<user>/<int:post>", ["GET"], |Path((user, post)): Path<(String, u32)>| async move {
        format!("{user}:{post}")
    });
    app.route("/named/<user>/<int:post>", ["GET"], |Path(ids): Path<Ids>| async move {
        format!("{}:{}", ids.user, ids.post)
    });
    let client = app.test_client();
    assert_eq!(client.get("/one/7").send().await.text(), "7");
    // 300 does not fit a u8: the rule does not convert, as in Flask: 404.
    assert_eq!(client.get("/one/300").send().await.status(), 404);
    assert_eq!(client.get("/two/ann/3").send().await.text(), "ann:3");
    assert_eq!(client.get("/named/ann/3").send().await.text(), "ann:3");
}
