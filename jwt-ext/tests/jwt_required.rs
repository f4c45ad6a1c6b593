//! Each option of `#[jwt_required]`, `verify_jwt_in_request` in a custom decorator,
//! and what `get_jwt()` and friends return where.

mod common;

use common::*;
use phial::prelude::*;
use phial_jwt::prelude::*;
use serde_json::{Value, json};

#[tokio::test]
async fn fresh_routes_take_fresh_flags_and_times() {
    let (app, _) = app(&[]);
    let client = app.test_client();
    let cases = [
        (json!(true), 200),
        (json!(false), 401),
        (json!(NOW + 300), 200),
        (json!(NOW as f64 + 0.5), 200),
        (json!(NOW - 60), 401),
        (json!("yes"), 401),
    ];
    for (fresh, status) in cases {
        let token = encode_token(claims_with(json!({"fresh": fresh})), json!({}));
        assert_eq!(get_with(&client, "/fresh_protected", &token).await.0, status, "fresh = {fresh}");
    }
}

#[tokio::test]
async fn refresh_and_verify_type() {
    let (app, _) = app(&[]);
    let client = app.test_client();
    let access = encode_token(access_claims(), json!({}));
    let refresh = encode_token(claims_with(json!({"type": "refresh"})), json!({}));
    assert_eq!(get_with(&client, "/refresh_protected", &refresh).await, (200, json!({"type": "refresh"})));
    assert_eq!(get_with(&client, "/refresh_protected", &access).await, (422, msg("Only refresh tokens are allowed")));
    assert_eq!(get_with(&client, "/protected", &refresh).await, (422, msg("Only non-refresh tokens are allowed")));
    assert_eq!(get_with(&client, "/no_type_check", &refresh).await.0, 200);
    assert_eq!(get_with(&client, "/no_type_check", &access).await.0, 200);
}

#[tokio::test]
async fn optional_routes_accept_no_token_but_not_a_bad_one() {
    let (app, _) = app(&[]);
    let client = app.test_client();
    let anonymous = client.get("/optional_protected").send().await;
    assert_eq!(anonymous.json::<Value>(), json!({"identity": null, "claims": {}, "header": {}, "location": null}));
    // Foreign schemes are "no token" too.
    let basic = client.get("/optional_protected").header("Authorization", "basic creds").send().await;
    assert_eq!(basic.status(), 200);
    let odd = client.get("/optional_protected").header("Authorization", "Foo 1, Bar 2, Baz, 3").send().await;
    assert_eq!(odd.status(), 200);

    for (header, message) in [
        ("Bearer ", "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"),
        ("Bearer xxx", "Not enough segments"),
        ("Foo 1, Bearer, Baz, 3", "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"),
        ("Bearer ,,0", "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"),
    ] {
        let response = client.get("/optional_protected").header("Authorization", header).send().await;
        assert_eq!((response.status().as_u16(), response.json()), (422, msg(message)), "{header}");
    }
    let expired = encode_token(claims_with(json!({"exp": 1})), json!({}));
    assert_eq!(get_with(&client, "/optional_protected", &expired).await, (401, msg("Token has expired")));

    let token = encode_token(access_claims(), json!({}));
    let (status, body) = get_with(&client, "/optional_protected", &token).await;
    assert_eq!((status, &body["identity"], &body["location"]), (200, &json!("username"), &json!("headers")));
    assert_eq!(body["header"], json!({"alg": "HS256", "typ": "JWT"}));
    assert_eq!(body["claims"]["jti"], "jti-1");
}

#[get("/only_headers")]
#[jwt_required(locations = ["headers"])]
async fn only_headers() -> &'static str {
    "headers only"
}

#[tokio::test]
async fn locations_override_the_config_per_route() {
    let (mut app, _) = app(&[("JWT_TOKEN_LOCATION", json!(["query_string"]))]);
    app.register(routes![only_headers]);
    let client = app.test_client();
    let token = encode_token(access_claims(), json!({}));
    // The config says query string...
    let response = client.get("/protected").query([("jwt", token.as_str())]).send().await;
    assert_eq!(response.status(), 200);
    assert_eq!(get_with(&client, "/protected", &token).await, (401, msg("Missing 'jwt' query paramater")));
    // ...the route says headers.
    assert_eq!(get_with(&client, "/only_headers", &token).await.0, 200);
    let response = client.get("/only_headers").query([("jwt", token.as_str())]).send().await;
    assert_eq!((response.status().as_u16(), response.json()), (401, msg("Missing Authorization Header")));
}

#[tokio::test]
async fn an_invalid_location_given_at_run_time_is_a_500() {
    let (mut app, _) = app(&[]);
    app.register([Route::new("/bad", ["GET"], || async { "x" }).decorate(JwtRequired::new().locations(&["INVALID"]))]);
    let client = app.test_client();
    let token = encode_token(access_claims(), json!({}));
    assert_eq!(get_with(&client, "/bad", &token).await.0, 500);
}

#[tokio::test]
async fn options_requests_pass_head_requests_do_not() {
    let (mut app, _) = app(&[]);
    app.register([Route::new("/options", ["GET", "OPTIONS"], || async { "ok" }).decorate(jwt_required())]);
    let client = app.test_client();
    let options = client.options("/options").send().await;
    assert_eq!((options.status().as_u16(), options.text()), (200, "ok".to_string()));
    // Automatic OPTIONS never reaches the view.
    assert_eq!(client.options("/protected").send().await.status(), 200);
    let head = client.head("/protected").send().await;
    assert_eq!(head.status(), 401);
    assert!(head.bytes().is_empty());
}

/// flask-jwt-extended's `admin_required` pattern, written with phial's Decorator.
struct RoleRequired(&'static str);

impl Decorator for RoleRequired {
    async fn before(&self, _request: &Request) -> Result<(), ViewError> {
        let verified = verify_jwt_in_request(&JwtRequired::new()).await?;
        let claims = get_jwt()?;
        assert_eq!(verified.map(|t| t.claims().clone()), Some(claims.clone()), "verify returns what get_jwt reads");
        match claims.get("role").and_then(Value::as_str) == Some(self.0) {
            true => Ok(()),
            false => Err(jsonify!({"msg": format!("{}s only!", self.0)}).status(403).into()),
        }
    }
}

#[get("/admin")]
#[decorate(RoleRequired("admin"))]
async fn admin() -> &'static str {
    "welcome"
}

#[tokio::test]
async fn custom_decorators_use_verify_jwt_in_request() {
    let (mut app, _) = app(&[]);
    app.register(routes![admin]);
    let client = app.test_client();
    let admin_token = encode_token(claims_with(json!({"role": "admin"})), json!({}));
    let user_token = encode_token(claims_with(json!({"role": "user"})), json!({}));
    assert_eq!(get_with(&client, "/admin", &admin_token).await, (200, json!("welcome")));
    assert_eq!(get_with(&client, "/admin", &user_token).await, (403, msg("admins only!")));
    let response = client.get("/admin").send().await;
    assert_eq!((response.status().as_u16(), response.json()), (401, msg("Missing Authorization Header")));
}

#[tokio::test]
async fn the_verified_token_is_readable_in_after_request_hooks() {
    let (mut app, _) = app(&[]);
    app.after_request(|_request: &Request, mut response: Response| {
        if let Ok(claims) = get_jwt() {
            response.headers_mut().insert("x-sub", claims["sub"].as_str().unwrap_or("-").parse().unwrap());
        }
        response
    });
    let client = app.test_client();
    let token = encode_token(access_claims(), json!({}));
    assert_eq!(client.get("/protected").bearer(&token).send().await.header("x-sub"), Some("username"));
    assert_eq!(client.get("/protected").send().await.header("x-sub"), None);
}

#[get("/unprotected")]
async fn unprotected() -> impl IntoResponse {
    let outcome = |r: Result<std::sync::Arc<phial_jwt::JsonObject>, JwtError>| r.map(|_| ()).map_err(|e| e.to_string());
    jsonify!({
        "get_jwt": outcome(get_jwt()).unwrap_err(),
        "get_jwt_header": outcome(get_jwt_header()).unwrap_err(),
        "get_jwt_identity": get_jwt_identity::<Value>().unwrap_err().to_string(),
        "location": get_jwt_request_location().map(|l| l.as_str()),
    })
}

#[tokio::test]
async fn outside_a_protected_request_the_getters_explain_themselves() {
    let (mut app, _) = app(&[]);
    app.register(routes![unprotected]);
    let client = app.test_client();
    let body: Value = client.get("/unprotected").send().await.json();
    let expected = "You must call `@jwt_required()` or `verify_jwt_in_request()` before using this method";
    assert_eq!(
        body,
        json!({"get_jwt": expected, "get_jwt_header": expected, "get_jwt_identity": expected, "location": null})
    );
    // Outside any request: errors, never panics.
    assert!(get_jwt().is_err());
    assert!(create_access_token("x").unwrap_err().to_string().contains("working outside"));
}

#[tokio::test]
async fn decode_token_errors_in_a_plain_route_go_through_the_callbacks() {
    let (mut app, jwt) = app(&[]);
    jwt.expired_token_loader(|_, _| (jsonify!({"custom": "expired"}), 401));
    app.route("/decode", ["GET"], |request: Request| async move {
        let token = request.args().get("t").unwrap_or_default().to_string();
        decode_token(&token, None, false).map(|claims| jsonify!({"sub": claims["sub"]}))
    });
    let client = app.test_client();
    let expired = encode_token(claims_with(json!({"exp": 1})), json!({}));
    let response = client.get("/decode").query([("t", expired.as_str())]).send().await;
    assert_eq!((response.status().as_u16(), response.json()), (401, json!({"custom": "expired"})));
    let response = client.get("/decode").query([("t", "bad")]).send().await;
    assert_eq!((response.status().as_u16(), response.json()), (422, msg("Not enough segments")));
}
