//! The open decorator protocol at run time: `#[roles_required]`, a decorator
//! attribute from another crate (`tests/third_party/`), stacks with
//! `#[jwt_required]` in both orders, with `#[decorate]` and with other attribute
//! macros, and every decorator runs in the order it is written.

use phial::prelude::*;
use phial_jwt::prelude::*;
use phial_roles::roles_required;
use serde_json::{Value, json};
use std::sync::Mutex;

const SECRET: &str = "decorators-test-secret-of-32-bytes!!";

/// The decorators that ran, in order.
static LOG: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

struct Trace(&'static str);

impl Decorator for Trace {
    async fn before(&self, _request: &Request) -> Result<(), ViewError> {
        LOG.lock().unwrap().push(self.0);
        Ok(())
    }
}

#[get("/jwt_first")]
#[jwt_required]
#[roles_required("admin")]
async fn jwt_first() -> &'static str {
    "jwt first"
}

/// The roles check verifies the token itself; `jwt_required` then asks for a fresh one.
#[get("/roles_first")]
#[roles_required("admin")]
#[jwt_required(fresh = true)]
async fn roles_first() -> &'static str {
    "roles first"
}

#[get("/ordered")]
#[decorate(Trace("outer"))]
#[tracing::instrument]
#[roles_required("admin")]
#[decorate(Trace("inner"))]
async fn ordered() -> &'static str {
    LOG.lock().unwrap().push("view");
    "ordered"
}

fn app() -> App {
    let mut app = App::new("decorators");
    app.config.set("JWT_SECRET_KEY", SECRET);
    JWTManager::new(&mut app);
    app.register(routes![jwt_first, roles_first, ordered]);
    app
}

fn token(app: &AppHandle, roles: &[&str], fresh: bool) -> String {
    app.app_context(|| access_token("ann").fresh(fresh).additional_claims(json!({"roles": roles})).create()).unwrap()
}

async fn get(client: &phial::testing::TestClient, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = client.get(path);
    if let Some(token) = token {
        request = request.bearer(token);
    }
    let response = request.send().await;
    (response.status().as_u16(), response.try_json().unwrap_or_else(|_| Value::String(response.text())))
}

#[tokio::test]
async fn a_third_party_decorator_stacks_with_jwt_required_in_both_orders() {
    let app = app();
    let client = app.test_client();
    let admin = token(client.app(), &["admin"], true);
    let stale_admin = token(client.app(), &["admin"], false);
    let guest = token(client.app(), &["guest"], true);

    for path in ["/jwt_first", "/roles_first"] {
        assert_eq!(get(&client, path, Some(&admin)).await.0, 200, "{path}");
        assert_eq!(get(&client, path, Some(&guest)).await, (403, json!({"msg": "Roles required: admin"})), "{path}");
        assert_eq!(get(&client, path, None).await, (401, json!({"msg": "Missing Authorization Header"})), "{path}");
    }
    // Each decorator keeps its own options: only roles_first wants a fresh token.
    assert_eq!(get(&client, "/jwt_first", Some(&stale_admin)).await.0, 200);
    assert_eq!(get(&client, "/roles_first", Some(&stale_admin)).await, (401, json!({"msg": "Fresh token required"})));
}

#[tokio::test]
async fn decorators_from_any_crate_run_in_written_order() {
    let app = app();
    let client = app.test_client();
    let admin = token(client.app(), &["admin"], true);
    let guest = token(client.app(), &["guest"], true);

    assert_eq!(get(&client, "/ordered", Some(&admin)).await, (200, json!("ordered")));
    assert_eq!(std::mem::take(&mut *LOG.lock().unwrap()), ["outer", "inner", "view"]);
    // The roles check, written between the two, stops the request before the inner one.
    assert_eq!(get(&client, "/ordered", Some(&guest)).await.0, 403);
    assert_eq!(std::mem::take(&mut *LOG.lock().unwrap()), ["outer"]);
}
