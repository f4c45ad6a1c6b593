//! The route attributes and decorators, through the test client: parameters of
//! every converter, methods, blueprints, stacked rules, and decorator order.

use phial::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

#[get("/int/<int:n>")]
async fn int_param(n: i64) -> String {
    format!("int {n}")
}

#[get("/small/<int:n>")]
async fn small_int(n: u8) -> String {
    format!("u8 {n}")
}

#[get("/int-as-text/<int:n>")]
fn int_as_text(n: String) -> String {
    format!("text {n}")
}

#[get("/float/<float:x>")]
async fn float_param(x: f64) -> String {
    format!("float {x}")
}

#[get("/path/<path:p>")]
async fn path_param(p: String) -> String {
    format!("path {p}")
}

#[get("/uuid/<uuid:u>")]
async fn uuid_param(u: uuid::Uuid) -> String {
    format!("uuid {u}")
}

#[get("/uuid-text/<uuid:u>")]
async fn uuid_text(u: String) -> String {
    format!("uuid text {u}")
}

#[get("/any/<any(about, help):page>")]
async fn any_param(page: String) -> String {
    format!("page {page}")
}

#[get("/user/<name>/post/<int:id>")]
async fn two_params(id: u32, request: Request, name: String) -> String {
    format!("{name} {id} {}", request.method())
}

#[tokio::test]
async fn parameters_are_taken_by_name_through_their_converter() {
    let mut app = App::new("macros");
    app.register(routes![
        int_param,
        small_int,
        int_as_text,
        float_param,
        path_param,
        uuid_param,
        uuid_text,
        any_param,
        two_params
    ]);
    let client = app.test_client();
    let cases = [
        ("/int/42", "int 42"),
        ("/small/255", "u8 255"),
        ("/int-as-text/007", "text 007"),
        ("/float/2.5", "float 2.5"),
        ("/path/a/b", "path a/b"),
        ("/uuid/12345678-1234-5678-1234-56789ABCDEF0", "uuid 12345678-1234-5678-1234-56789abcdef0"),
        ("/uuid-text/12345678-1234-5678-1234-56789ABCDEF0", "uuid text 12345678-1234-5678-1234-56789abcdef0"),
        ("/any/help", "page help"),
        ("/user/ann/post/3", "ann 3 GET"),
    ];
    for (path, expected) in cases {
        assert_eq!(client.get(path).send().await.text(), expected, "{path}");
    }
    // Out of range for the parameter's type: the rule does not convert, 404.
    assert_eq!(client.get("/small/256").send().await.status(), 404);
    assert_eq!(client.get("/int/x").send().await.status(), 404);
}

#[derive(Deserialize)]
struct Login {
    username: String,
}

#[post("/login")]
async fn login(Json(login): Json<Login>) -> impl IntoResponse {
    jsonify!({"hello": login.username})
}

#[route("/items", methods = ["GET", "post"], endpoint = "items")]
async fn items(request: Request) -> String {
    format!("{} {}", request.method(), request.endpoint().unwrap_or(""))
}

#[put("/item/<int:id>")]
async fn put_item(id: i64) -> String {
    format!("put {id}")
}

#[patch("/item/<int:id>")]
async fn patch_item(id: i64) -> String {
    format!("patch {id}")
}

#[delete("/item/<int:id>")]
fn delete_item(id: i64) -> StatusCode {
    let _ = id;
    StatusCode::NO_CONTENT
}

#[get("/dir/", strict_slashes = false)]
async fn loose_dir() -> &'static str {
    "dir"
}

#[tokio::test]
async fn methods_extractors_and_arguments() {
    let mut app = App::new("macros");
    app.register(routes![login, items, put_item, patch_item, delete_item, loose_dir]);
    let client = app.test_client();

    let response = client.post("/login").json(&json!({"username": "ann"})).send().await;
    assert_eq!(response.json::<Value>(), json!({"hello": "ann"}));
    assert_eq!(client.post("/login").body("x").send().await.status(), 415);
    assert_eq!(client.get("/login").send().await.status(), 405);

    assert_eq!(client.get("/items").send().await.text(), "GET items");
    assert_eq!(client.post("/items").send().await.text(), "POST items");
    assert_eq!(client.put("/item/1").send().await.text(), "put 1");
    assert_eq!(client.patch("/item/1").send().await.text(), "patch 1");
    assert_eq!(client.delete("/item/1").send().await.status(), 204);
    assert_eq!(client.get("/item/1").send().await.header("allow"), Some("DELETE, OPTIONS, PATCH, PUT"));
    assert_eq!(client.get("/dir").send().await.text(), "dir");
    assert_eq!(client.app().url_for("items", Vec::<(&str, &str)>::new()).unwrap(), "/items");
}

#[tokio::test]
async fn attributed_functions_stay_callable() {
    assert_eq!(int_param(3).await, "int 3");
    assert_eq!(int_as_text("7".into()), "text 7");
}

#[get("/")]
#[get("/index")]
async fn index() -> &'static str {
    "index"
}

#[tokio::test]
async fn stacked_route_attributes_serve_several_rules_under_one_endpoint() {
    let mut app = App::new("macros");
    app.register(routes![index]);
    let client = app.test_client();
    assert_eq!(client.get("/").send().await.text(), "index");
    assert_eq!(client.get("/index").send().await.text(), "index");
    assert_eq!(client.app().url_for("index", Vec::<(&str, &str)>::new()).unwrap(), "/");
}

#[tokio::test]
async fn blueprints_take_routes_from_attributes() {
    let mut api = Blueprint::new("api", "/api/v1");
    api.register(routes![int_param, login]);
    let mut app = App::new("macros");
    app.register_blueprint(api);
    let client = app.test_client();
    assert_eq!(client.get("/api/v1/int/5").send().await.text(), "int 5");
    assert_eq!(client.app().url_for("api.int_param", [("n", "9")]).unwrap(), "/api/v1/int/9");
    assert_eq!(client.get("/int/5").send().await.status(), 404);
}

/// The blueprint's url_prefix itself (`@bp.route("")` in Flask).
#[get("")]
async fn items_index() -> &'static str {
    "all items"
}

/// A rule without a leading slash, joined as prefix + "/" + rule.
#[get("<int:item_id>")]
async fn item(item_id: i64) -> String {
    format!("item {item_id}")
}

#[tokio::test]
async fn blueprint_rules_join_the_url_prefix_as_flask_joins_them() {
    let mut items = Blueprint::new("items", "/items");
    items.register(routes![items_index, item]);
    let mut app = App::new("macros");
    app.register_blueprint(items);
    let client = app.test_client();
    assert_eq!(client.get("/items").send().await.text(), "all items");
    assert_eq!(client.get("/items/7").send().await.text(), "item 7");
    assert_eq!(client.app().url_for("items.item", [("item_id", "8")]).unwrap(), "/items/8");
}

#[test]
fn on_the_app_itself_a_rule_without_a_slash_is_refused_naming_the_rule() {
    for (routes, rule) in [(routes![item], "<int:item_id>"), (routes![items_index], "")] {
        let mut app = App::new("macros");
        app.register(routes);
        let error = app.finalize().unwrap_err().to_string();
        assert!(error.contains(&format!("cannot register rule {rule:?}")), "{error}");
        assert!(error.contains("must start with a slash"), "{error}");
    }
}

/// A decorator that records when it runs, and can refuse or change the response.
struct Trace {
    name: &'static str,
    log: Arc<Mutex<Vec<String>>>,
}

impl Decorator for Trace {
    async fn before(&self, request: &Request) -> Result<(), ViewError> {
        self.log.lock().unwrap().push(format!("{} before", self.name));
        if request.header("x-refuse").is_some_and(|who| who == self.name) {
            return Err(jsonify!({"refused_by": self.name}).status(403).into());
        }
        request.g().insert(self.name);
        Ok(())
    }

    async fn after(&self, _request: &Request, mut response: Response) -> Response {
        self.log.lock().unwrap().push(format!("{} after", self.name));
        response.headers_mut().append("x-trace", self.name.parse().unwrap());
        response
    }
}

static LOG: Mutex<Option<Arc<Mutex<Vec<String>>>>> = Mutex::new(None);

fn log() -> Arc<Mutex<Vec<String>>> {
    LOG.lock().unwrap().get_or_insert_with(Default::default).clone()
}

#[get("/decorated")]
#[decorate(Trace { name: "outer", log: log() })]
#[decorate(Trace { name: "inner", log: log() })]
async fn decorated(Stashed(last): Stashed<&'static str>) -> String {
    log().lock().unwrap().push("view".into());
    format!("last decorator before the view: {last}")
}

#[tokio::test]
async fn decorators_run_in_written_order_and_may_short_circuit() {
    let mut app = App::new("macros");
    app.register(routes![decorated]);
    let client = app.test_client();

    let response = client.get("/decorated").send().await;
    assert_eq!(response.text(), "last decorator before the view: inner");
    let traces: Vec<&str> = response.headers().get_all("x-trace").iter().map(|v| v.to_str().unwrap()).collect();
    assert_eq!(traces, ["inner", "outer"]);
    assert_eq!(
        std::mem::take(&mut *log().lock().unwrap()),
        ["outer before", "inner before", "view", "inner after", "outer after"]
    );

    let refused = client.get("/decorated").header("X-Refuse", "inner").send().await;
    assert_eq!(refused.status(), 403);
    assert_eq!(refused.json::<Value>(), json!({"refused_by": "inner"}));
    // A refusal is raised, as a Python decorator's exception: the outer decorator's
    // `after` does not run for it.
    assert_eq!(std::mem::take(&mut *log().lock().unwrap()), ["outer before", "inner before"]);
}
