//! The two SQLite-backed examples, with the sessions of their Python originals.

#[path = "../examples/automatic_user_loading.rs"]
#[allow(dead_code)]
mod automatic_user_loading;

#[path = "../examples/blocklist_database.rs"]
#[allow(dead_code)]
mod blocklist_database;

use serde_json::{Value, json};

fn msg(message: &str) -> Value {
    json!({ "msg": message })
}

#[tokio::test]
async fn automatic_user_loading() {
    let app = automatic_user_loading::create_app(automatic_user_loading::Db::open(None).await.unwrap());
    let client = app.test_client();

    for credentials in
        [json!({"username": "panther", "password": "nope"}), json!({"username": "nobody", "password": "password"})]
    {
        let response = client.post("/login").json(&credentials).send().await;
        assert_eq!((response.status().as_u16(), response.json()), (401, json!("Wrong username or password")));
    }
    let login = client.post("/login").json(&json!({"username": "panther", "password": "password"})).send().await;
    assert_eq!(login.status(), 200);
    let token = login.json::<Value>()["access_token"].as_str().unwrap().to_string();
    let claims = client.app().app_context(|| phial_jwt::decode_token(&token, None, false).unwrap());
    assert_eq!(claims["sub"], "2", "the user's id, as a string");

    let me = client.get("/who_am_i").bearer(&token).send().await;
    assert_eq!(me.json::<Value>(), json!({"full_name": "Ann Takamaki", "id": 2, "username": "panther"}));

    // A token for a user that does not exist (any more).
    let ghost = client.app().app_context(|| phial_jwt::create_access_token("99").unwrap());
    let response = client.get("/who_am_i").bearer(&ghost).send().await;
    assert_eq!((response.status().as_u16(), response.json()), (401, msg("Error loading the user 99")));
}

#[tokio::test]
async fn blocklist_database_revokes_and_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("phial-blocklist-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite:///{}", dir.join("blocklist.db").display());

    let app = blocklist_database::create_app(blocklist_database::Db::open(Some(&url)).await.unwrap());
    let client = app.test_client();
    let token = client.post("/login").send().await.json::<Value>()["access_token"].as_str().unwrap().to_string();
    assert_eq!(client.get("/protected").bearer(&token).send().await.json::<Value>(), json!({"hello": "world"}));
    let logout = client.delete("/logout").bearer(&token).send().await;
    assert_eq!(logout.json::<Value>(), msg("JWT revoked"));
    let revoked = client.get("/protected").bearer(&token).send().await;
    assert_eq!((revoked.status().as_u16(), revoked.json()), (401, msg("Token has been revoked")));

    // A new app on the same file: still revoked; a fresh token still works.
    let restarted = blocklist_database::create_app(blocklist_database::Db::open(Some(&url)).await.unwrap());
    let client = restarted.test_client();
    assert_eq!(client.get("/protected").bearer(&token).send().await.status(), 401);
    let fresh = client.post("/login").send().await.json::<Value>()["access_token"].as_str().unwrap().to_string();
    assert_eq!(client.get("/protected").bearer(&fresh).send().await.status(), 200);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn blocklist_database_refuses_to_revoke_a_token_without_jti() {
    let app = blocklist_database::create_app(blocklist_database::Db::open(None).await.unwrap());
    let client = app.test_client();
    // Signed with the example's secret, but made without a `jti`.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let claims = json!({"sub": "example_user", "type": "access", "fresh": false, "iat": now, "exp": now + 60});
    let key = phial_jwt::jws::SigningKey::new(b"super-secret").unwrap();
    let token =
        phial_jwt::jws::encode(&Default::default(), phial_jwt::algorithm::Algorithm::HS256, &claims, &key).unwrap();
    assert_eq!(client.get("/protected").bearer(&token).send().await.status(), 200);

    let logout = client.delete("/logout").bearer(&token).send().await;
    assert_eq!((logout.status().as_u16(), logout.json()), (422, msg("Missing claim: jti")));
    // Nothing was stored: the token still works, and tokens with an empty jti are not refused.
    assert_eq!(client.get("/protected").bearer(&token).send().await.status(), 200);
    let empty_jti = phial_jwt::jws::encode(
        &Default::default(),
        phial_jwt::algorithm::Algorithm::HS256,
        &json!({"sub": "example_user", "type": "access", "fresh": false, "jti": "", "iat": now, "exp": now + 60}),
        &key,
    )
    .unwrap();
    assert_eq!(client.get("/protected").bearer(&empty_jti).send().await.status(), 200);
}
