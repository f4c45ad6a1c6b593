//! Token locations: the query string, the JSON body, several locations in order,
//! and `get_jwt_request_location()`.

mod common;

use common::*;
use phial::prelude::*;
use phial_jwt::prelude::*;
use serde_json::{Value, json};

#[get("/location")]
#[jwt_required]
async fn location() -> Result<String, JwtError> {
    Ok(get_jwt_request_location().map_or("none".into(), |l| l.to_string()))
}

#[route("/json_protected", methods = ["GET", "POST"])]
#[jwt_required]
async fn json_protected() -> &'static str {
    "json ok"
}

#[post("/json_refresh")]
#[jwt_required(refresh = true)]
async fn json_refresh() -> &'static str {
    "refresh ok"
}

fn located(locations: Value, extra: &[(&str, Value)]) -> TestClient {
    let mut config = vec![("JWT_TOKEN_LOCATION", locations)];
    config.extend(extra.iter().cloned());
    let (mut app, _) = app(&config);
    app.register(routes![location, json_protected, json_refresh]);
    app.test_client()
}

#[tokio::test]
async fn query_string_tokens() {
    let client = located(json!("query_string"), &[]);
    let token = encode_token(access_claims(), json!({}));
    assert_eq!(client.get("/location").query([("jwt", &token)]).send().await.text(), "query_string");
    let response = client.get("/location").bearer(&token).send().await;
    assert_eq!(response.json::<Value>(), msg("Missing 'jwt' query paramater"));
    assert_eq!(client.get("/location?jwt=").send().await.json::<Value>(), msg("Missing 'jwt' query paramater"));

    let client = located(
        json!(["query_string"]),
        &[("JWT_QUERY_STRING_NAME", json!("token")), ("JWT_QUERY_STRING_VALUE_PREFIX", json!("Bearer "))],
    );
    let ok = client.get("/location").query([("token", format!("Bearer {token}"))]).send().await;
    assert_eq!(ok.status(), 200);
    let bad = client.get("/location").query([("token", token.as_str())]).send().await;
    assert_eq!(
        (bad.status().as_u16(), bad.json()),
        (422, msg("Invalid value for query parameter 'token'. Expected the value to start with 'Bearer '"))
    );
}

#[tokio::test]
async fn json_body_tokens() {
    let client = located(json!(["json"]), &[]);
    let token = encode_token(access_claims(), json!({}));
    let refresh = encode_token(claims_with(json!({"type": "refresh"})), json!({}));
    assert_eq!(client.post("/json_protected").json(&json!({"access_token": token})).send().await.text(), "json ok");
    // A GET with a JSON body works too, as upstream.
    assert_eq!(client.get("/json_protected").json(&json!({"access_token": token})).send().await.status(), 200);
    let charset = client
        .post("/json_protected")
        .content_type("application/json;charset=UTF-8")
        .body(serde_json::to_vec(&json!({"access_token": token})).unwrap())
        .send()
        .await;
    assert_eq!(charset.status(), 200);
    assert_eq!(client.post("/json_refresh").json(&json!({"refresh_token": refresh})).send().await.text(), "refresh ok");

    let form = client.post("/json_protected").form([("access_token", token.as_str())]).send().await;
    assert_eq!((form.status().as_u16(), form.json()), (401, msg("Invalid content-type. Must be application/json.")));
    let missing = msg("Missing \"access_token\" key in json data.");
    for body in [json!({}), json!({"access_token": ""}), json!(null), json!([token]), json!("token")] {
        let response = client.post("/json_protected").json(&body).send().await;
        assert_eq!((response.status().as_u16(), response.json()), (401, missing.clone()), "{body}");
    }
    let malformed = client.post("/json_protected").content_type("application/json").body("{oops").send().await;
    assert_eq!(malformed.json::<Value>(), missing);
    let refresh_missing = client.post("/json_refresh").json(&json!({"access_token": refresh})).send().await;
    assert_eq!(refresh_missing.json::<Value>(), msg("Missing \"refresh_token\" key in json data."));

    let client = located(json!(["json"]), &[("JWT_JSON_KEY", json!("jwt"))]);
    assert_eq!(client.post("/json_protected").json(&json!({"jwt": token})).send().await.status(), 200);
}

#[tokio::test]
async fn several_locations_are_tried_in_order() {
    let client = located(json!(["headers", "cookies", "json", "query_string"]), &[]);
    let response = client.get("/location").send().await;
    assert_eq!(
        response.json::<Value>(),
        msg("Missing JWT in headers, cookies, json or query_string (Missing Authorization Header; Missing cookie \
             \"access_token_cookie\"; Invalid content-type. Must be application/json.; Missing 'jwt' query paramater)")
    );
    let token = encode_token(access_claims(), json!({}));
    assert_eq!(client.get("/location").bearer(&token).send().await.text(), "headers");
    client.set_cookie("access_token_cookie", &token);
    assert_eq!(client.get("/location").send().await.text(), "cookies");
    client.delete_cookie("access_token_cookie");
    assert_eq!(client.get("/location").json(&json!({"access_token": token})).send().await.text(), "json");
    assert_eq!(client.get("/location").query([("jwt", &token)]).send().await.text(), "query_string");

    let client = located(json!(["cookies", "headers"]), &[]);
    assert_eq!(
        client.get("/location").send().await.json::<Value>(),
        msg("Missing JWT in cookies or headers (Missing cookie \"access_token_cookie\"; Missing Authorization Header)")
    );
}

#[tokio::test]
async fn the_first_location_with_a_token_decides() {
    let token = encode_token(access_claims(), json!({}));
    // Headers first: an invalid header token is refused even with a valid cookie.
    let client = located(json!(["headers", "cookies"]), &[]);
    client.set_cookie("access_token_cookie", &token);
    let response = client.get("/location").bearer("aaaaa.bbbbb.ccccc").send().await;
    assert_eq!((response.status().as_u16(), response.json()), (422, msg("Invalid header padding")));
    // Cookies first: the valid cookie wins.
    let client = located(json!(["cookies", "headers"]), &[]);
    client.set_cookie("access_token_cookie", &token);
    assert_eq!(client.get("/location").bearer("aaaaa.bbbbb.ccccc").send().await.text(), "cookies");
    // A cookie failing CSRF blocks a valid header token: CSRF errors are not "missing".
    let client = located(json!(["cookies", "headers"]), &[]);
    client.set_cookie("access_token_cookie", &token);
    let response = client.post("/json_protected").bearer(&token).send().await;
    assert_eq!(response.json::<Value>(), msg("Missing CSRF token"));
}
