//! Refresh-token rotation with tokens in cookies, and with implicit refresh: the
//! refresh cookie is replaced by each refresh, the old one replayed is reuse, and
//! an access token refreshed in `after_request` stays in its login's family.

use phial::prelude::*;
use phial_jwt::blocklist::MemoryBlocklist;
use phial_jwt::prelude::*;
use serde_json::{Value, json};

#[post("/login")]
async fn login() -> Result<Response, JwtError> {
    let mut response = jsonify!({"msg": "login successful"}).into_response();
    set_access_cookies(&mut response, &create_access_token("ann")?, None)?;
    set_refresh_cookies(&mut response, &create_refresh_token("ann")?, None)?;
    Ok(response)
}

#[post("/refresh")]
#[jwt_required(refresh = true)]
async fn refresh() -> Result<Response, JwtError> {
    let identity: String = get_jwt_identity()?;
    let mut response = jsonify!({"refresh": true}).into_response();
    set_access_cookies(&mut response, &create_access_token(identity.clone())?, None)?;
    set_refresh_cookies(&mut response, &create_refresh_token(identity)?, None)?;
    Ok(response)
}

#[get("/protected")]
#[jwt_required]
async fn protected() -> Result<impl IntoResponse, JwtError> {
    Ok(jsonify!({"fam": get_jwt()?["fam"].clone()}))
}

fn client() -> TestClient {
    let mut app = App::new("rotation-cookies");
    app.config.set("JWT_SECRET_KEY", "rotation-cookies-secret-of-32-bytes!!!!");
    app.config.set("JWT_TOKEN_LOCATION", json!(["cookies"]));
    app.config.set("JWT_COOKIE_CSRF_PROTECT", false);
    app.config.set("JWT_REFRESH_TOKEN_ROTATION", true);
    let jwt = JWTManager::new(&mut app);
    jwt.use_blocklist(MemoryBlocklist::new());
    // Implicit refresh, as upstream's example: every answer to a request with an
    // access token carries a new one.
    app.after_request(|_request: &Request, mut response: Response| {
        if let Ok(claims) = get_jwt() {
            if claims.get("type").and_then(Value::as_str) == Some("access") {
                if let Ok(token) = create_access_token("ann") {
                    let _ = set_access_cookies(&mut response, &token, None);
                }
            }
        }
        response
    });
    app.register(routes![login, refresh, protected]);
    app.test_client()
}

fn family_of(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    let claims: Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    claims["fam"].clone()
}

#[tokio::test]
async fn the_refresh_cookie_is_replaced_and_the_old_one_replayed_is_reuse() {
    let client = client();
    assert_eq!(client.post("/login").send().await.status(), 200);
    let first_refresh = client.get_cookie("refresh_token_cookie").unwrap();
    let family = family_of(&first_refresh);

    assert_eq!(client.post("/refresh").send().await.status(), 200);
    let second_refresh = client.get_cookie("refresh_token_cookie").unwrap();
    assert_ne!(second_refresh, first_refresh, "the refresh cookie was replaced");
    assert_eq!(family_of(&second_refresh), family);

    // Implicit refresh keeps the family.
    let protected = client.get("/protected").send().await;
    assert_eq!(protected.json::<Value>(), json!({"fam": family}));
    assert_eq!(family_of(&client.get_cookie("access_token_cookie").unwrap()), family);

    // The old refresh cookie, replayed (a stolen copy): reuse, and the family is gone.
    client.set_cookie("refresh_token_cookie", &first_refresh);
    let replay = client.post("/refresh").send().await;
    assert_eq!(
        (replay.status().as_u16(), replay.json::<Value>()),
        (401, json!({"msg": "Refresh token reuse detected"}))
    );
    let after = client.get("/protected").send().await;
    assert_eq!((after.status().as_u16(), after.json::<Value>()), (401, json!({"msg": "Token has been revoked"})));
}
