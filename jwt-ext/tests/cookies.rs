//! JWTs in cookies: a browser-like flow through the test client's cookie jar, the
//! CSRF double submit, and the exact cookie attributes.

mod common;

use common::*;
use phial::cookie::{Cookie, SameSite};
use phial::prelude::*;
use phial_jwt::prelude::*;
use serde_json::{Value, json};
use std::time::Duration;

#[post("/login")]
async fn login() -> Result<Response, JwtError> {
    let mut response = jsonify!({"msg": "login successful"}).into_response();
    set_access_cookies(&mut response, &create_access_token("username")?, None)?;
    set_refresh_cookies(&mut response, &create_refresh_token("username")?, None)?;
    Ok(response)
}

#[post("/logout")]
async fn logout() -> Result<Response, JwtError> {
    let mut response = jsonify!({"msg": "logout successful"}).into_response();
    unset_jwt_cookies(&mut response, None)?;
    Ok(response)
}

#[route("/post_protected", methods = ["POST"])]
#[jwt_required]
async fn post_protected() -> &'static str {
    "posted"
}

#[post("/refresh")]
#[jwt_required(refresh = true)]
async fn refresh() -> Result<Response, JwtError> {
    let mut response = jsonify!({"refreshed": true}).into_response();
    set_access_cookies(&mut response, &create_access_token(get_jwt_identity::<String>()?)?, None)?;
    Ok(response)
}

fn cookie_app(config: &[(&str, Value)]) -> App {
    let mut config = config.to_vec();
    config.push(("JWT_TOKEN_LOCATION", json!(["cookies"])));
    let (mut app, _) = app(&config);
    app.register(routes![login, logout, post_protected, refresh]);
    app
}

fn parsed(response: &phial::testing::TestResponse) -> Vec<Cookie<'static>> {
    response.set_cookies().iter().map(|c| Cookie::parse(c.to_string()).unwrap()).collect()
}

#[tokio::test]
async fn a_browser_like_session() {
    let app = cookie_app(&[]);
    let client = app.test_client();

    let login = client.post("/login").send().await;
    assert_eq!(login.json::<Value>(), json!({"msg": "login successful"}));
    assert_eq!(login.set_cookies().len(), 4);

    // GET needs no CSRF value.
    assert_eq!(client.get("/protected").send().await.status(), 200);
    // POST does: the header must echo the readable CSRF cookie.
    let missing = client.post("/post_protected").send().await;
    assert_eq!((missing.status().as_u16(), missing.json()), (401, msg("Missing CSRF token")));
    let wrong = client.post("/post_protected").header("X-CSRF-TOKEN", "guess").send().await;
    assert_eq!((wrong.status().as_u16(), wrong.json()), (401, msg("CSRF double submit tokens do not match")));
    let csrf = client.get_cookie("csrf_access_token").unwrap();
    let ok = client.post("/post_protected").header("X-CSRF-TOKEN", &csrf).send().await;
    assert_eq!(ok.text(), "posted");

    // The refresh cookie refreshes, with its own CSRF value.
    let refresh_csrf = client.get_cookie("csrf_refresh_token").unwrap();
    assert_ne!(refresh_csrf, csrf);
    assert_eq!(client.post("/refresh").header("X-CSRF-TOKEN", &csrf).send().await.status(), 401);
    let refreshed = client.post("/refresh").header("X-CSRF-TOKEN", &refresh_csrf).send().await;
    assert_eq!(refreshed.json::<Value>(), json!({"refreshed": true}));
    assert_ne!(client.get_cookie("csrf_access_token").unwrap(), csrf, "a new access cookie pair was set");

    // Logout clears all four cookies; the next request is refused.
    let logout = client.post("/logout").send().await;
    assert_eq!(logout.set_cookies().len(), 4);
    let response = client.get("/protected").send().await;
    assert_eq!((response.status().as_u16(), response.json()), (401, msg("Missing cookie \"access_token_cookie\"")));
}

#[tokio::test]
async fn default_cookie_attributes() {
    let app = cookie_app(&[]);
    let client = app.test_client();
    let cookies = parsed(&client.post("/login").send().await);
    let names: Vec<&str> = cookies.iter().map(Cookie::name).collect();
    assert_eq!(names, ["access_token_cookie", "csrf_access_token", "refresh_token_cookie", "csrf_refresh_token"]);
    for cookie in &cookies {
        let is_jwt = cookie.name().ends_with("_cookie");
        assert_eq!(cookie.http_only(), Some(is_jwt).filter(|&h| h), "{cookie}");
        assert_eq!(cookie.path(), Some("/"));
        assert_eq!((cookie.secure(), cookie.same_site(), cookie.domain()), (None, None, None), "{cookie}");
        assert_eq!((cookie.max_age(), cookie.expires()), (None, None), "session cookies by default: {cookie}");
    }
    let csrf_claim = client.app().app_context(|| get_jwt_csrf(cookies[0].value()));
    assert_eq!(cookies[1].value(), csrf_claim, "the CSRF cookie carries the token's csrf claim");

    let unset = parsed(&client.post("/logout").send().await);
    for cookie in &unset {
        assert_eq!(cookie.value(), "");
        assert_eq!(cookie.expires_datetime().map(|t| t.unix_timestamp()), Some(0), "{cookie}");
        assert_eq!(cookie.max_age(), None);
    }
}

fn get_jwt_csrf(token: &str) -> String {
    phial_jwt::get_csrf_token(token).unwrap()
}

#[tokio::test]
async fn configured_cookie_attributes() {
    let app = cookie_app(&[
        ("JWT_SESSION_COOKIE", json!(false)),
        ("JWT_COOKIE_SECURE", json!(true)),
        ("JWT_COOKIE_DOMAIN", json!(".example.com")),
        ("JWT_COOKIE_SAMESITE", json!("Lax")),
        ("JWT_ACCESS_COOKIE_NAME", json!("access")),
        ("JWT_ACCESS_COOKIE_PATH", json!("/api/")),
        ("JWT_ACCESS_CSRF_COOKIE_NAME", json!("x_csrf")),
        ("JWT_ACCESS_CSRF_COOKIE_PATH", json!("/x/")),
    ]);
    let client = app.test_client();
    let cookies = parsed(&client.post("/login").send().await);
    let access = &cookies[0];
    assert_eq!((access.name(), access.path(), access.domain()), ("access", Some("/api/"), Some("example.com")));
    assert_eq!((access.secure(), access.same_site()), (Some(true), Some(SameSite::Lax)));
    assert_eq!(access.max_age().map(|d| d.whole_seconds()), Some(31_540_000));
    let expires = access.expires_datetime().unwrap().unix_timestamp();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!((expires - now - 31_540_000).abs() < 5, "Expires matches Max-Age");
    assert_eq!((cookies[1].name(), cookies[1].path(), cookies[1].http_only()), ("x_csrf", Some("/x/"), None));
}

#[tokio::test]
async fn samesite_none_is_emitted_without_adding_secure() {
    let app = cookie_app(&[("JWT_COOKIE_SAMESITE", json!("None"))]);
    let client = app.test_client();
    let cookies = parsed(&client.post("/login").send().await);
    assert_eq!(cookies[0].same_site(), Some(SameSite::None));
    assert_ne!(cookies[0].secure(), Some(true), "phial never adds Secure on its own");
}

#[tokio::test]
async fn max_age_and_domain_arguments_override_the_config() {
    let (mut app, _) = app(&[("JWT_COOKIE_DOMAIN", json!("config.com"))]);
    app.route("/set", ["POST"], || async {
        let mut response = "set".into_response();
        let options = phial_jwt::CookieOptions { max_age: Some(Duration::from_secs(60)), domain: Some("x.com".into()) };
        set_access_cookies(&mut response, &create_access_token("u")?, options)?;
        Ok::<_, JwtError>(response)
    });
    app.route("/unset", ["POST"], || async {
        let mut response = "unset".into_response();
        unset_access_cookies(&mut response, Some("x.com"))?;
        Ok::<_, JwtError>(response)
    });
    let client = app.test_client();
    let cookies = parsed(&client.post("/set").send().await);
    assert_eq!((cookies[0].domain(), cookies[0].max_age().map(|d| d.whole_seconds())), (Some("x.com"), Some(60)));
    let unset = parsed(&client.post("/unset").send().await);
    assert_eq!(unset.len(), 2);
    assert!(unset.iter().all(|c| c.domain() == Some("x.com")));
}

#[tokio::test]
async fn one_cookie_without_csrf_in_cookies_or_protection() {
    for key in ["JWT_CSRF_IN_COOKIES", "JWT_COOKIE_CSRF_PROTECT"] {
        let app = cookie_app(&[(key, json!(false))]);
        let client = app.test_client();
        assert_eq!(client.post("/login").send().await.set_cookies().len(), 2, "{key}");
        assert_eq!(client.post("/logout").send().await.set_cookies().len(), 2, "{key}");
    }
    // Without CSRF protection, a cookie POST needs no header.
    let app = cookie_app(&[("JWT_COOKIE_CSRF_PROTECT", json!(false))]);
    let client = app.test_client();
    client.post("/login").send().await;
    assert_eq!(client.post("/post_protected").send().await.status(), 200);
}

#[tokio::test]
async fn csrf_methods_header_names_and_form_fields() {
    let app = cookie_app(&[
        ("JWT_CSRF_METHODS", json!(["GET"])),
        ("JWT_ACCESS_CSRF_HEADER_NAME", json!("X-My-Csrf")),
        ("JWT_CSRF_CHECK_FORM", json!(true)),
        ("JWT_ACCESS_CSRF_FIELD_NAME", json!("my_csrf")),
    ]);
    let client = app.test_client();
    client.post("/login").send().await;
    let csrf = client.get_cookie("csrf_access_token").unwrap();
    // GET is now checked; POST is not.
    assert_eq!(client.get("/protected").send().await.json::<Value>(), msg("Missing CSRF token"));
    assert_eq!(client.post("/post_protected").send().await.status(), 200);
    assert_eq!(client.get("/protected").header("X-My-Csrf", &csrf).send().await.status(), 200);
    // The form field stands in for the header when JWT_CSRF_CHECK_FORM is on.
    let app = cookie_app(&[("JWT_CSRF_CHECK_FORM", json!(true))]);
    let client = app.test_client();
    client.post("/login").send().await;
    let csrf = client.get_cookie("csrf_access_token").unwrap();
    let form = client.post("/post_protected").form([("csrf_token", csrf.as_str())]).send().await;
    assert_eq!(form.status(), 200);
    let wrong = client.post("/post_protected").form([("csrf_token", "no")]).send().await;
    assert_eq!(wrong.json::<Value>(), msg("CSRF double submit tokens do not match"));
    // A multipart form (an upload) carries it the same way.
    let upload = phial::testing::Multipart::new().text("csrf_token", csrf.as_str()).file("f", "a.txt", "x");
    assert_eq!(client.post("/post_protected").multipart(upload).send().await.status(), 200);
}

#[tokio::test]
async fn the_csrf_cookie_alone_is_not_the_double_submit_value() {
    let app = cookie_app(&[]);
    let client = app.test_client();
    client.post("/login").send().await;
    let response = client.post("/post_protected").send().await;
    assert_eq!(response.json::<Value>(), msg("Missing CSRF token"));
}

#[tokio::test]
async fn optional_routes_still_check_csrf_when_a_cookie_is_present() {
    let (mut app, _) = app(&[("JWT_TOKEN_LOCATION", json!(["cookies"]))]);
    app.register(routes![login]);
    app.register([
        Route::new("/optional_post", ["POST"], || async { "anonymous ok" }).decorate(JwtRequired::new().optional(true))
    ]);
    let client = app.test_client();
    assert_eq!(client.post("/optional_post").send().await.text(), "anonymous ok");
    client.post("/login").send().await;
    assert_eq!(client.post("/optional_post").send().await.json::<Value>(), msg("Missing CSRF token"));
}

#[tokio::test]
async fn setting_cookies_for_an_invalid_token_is_an_error() {
    let (mut app, _) = app(&[]);
    app.route("/bad", ["POST"], || async {
        let mut response = "x".into_response();
        set_access_cookies(&mut response, "not.a.token", None)?;
        Ok::<_, JwtError>(response)
    });
    let client = app.test_client();
    let response = client.post("/bad").send().await;
    assert_eq!((response.status().as_u16(), response.json()), (422, msg("Invalid header padding")));
}

#[tokio::test]
async fn cookie_values_are_read_as_werkzeug_reads_them() {
    let app = cookie_app(&[]);
    let client = app.test_client();
    let token = client.app().app_context(|| create_access_token("username")).unwrap();
    let get_with_cookie = |header: String| client.get("/protected").header("Cookie", &header).send();

    // Werkzeug strips the double quotes around a value, and so does phial.
    let response = get_with_cookie(format!("access_token_cookie=\"{token}\"")).await;
    assert_eq!(response.status(), 200, "{:?}", response.text());

    // Werkzeug does not percent-decode: `%2E` is not a dot, so this is not a JWT.
    let encoded = token.replacen('.', "%2E", 1);
    let response = get_with_cookie(format!("access_token_cookie={encoded}")).await;
    assert_eq!((response.status().as_u16(), response.json()), (422, msg("Not enough segments")));
}
