//! A rate limit per verified identity: each user gets their own allowance, the rest
//! a 429 with `Retry-After`; a request without a token is not limited by it.

mod common;

use common::*;
use phial::prelude::*;
use phial_jwt::prelude::*;
use phial_jwt::rate_limit::PerIdentity;
use serde_json::json;

#[post("/revoke")]
#[jwt_required]
#[decorate(PerIdentity::per_minute(2))]
async fn revoke() -> &'static str {
    "revoked"
}

#[get("/maybe")]
#[jwt_required(optional = true)]
#[decorate(PerIdentity::per_minute(1))]
async fn maybe() -> &'static str {
    "maybe"
}

#[tokio::test]
async fn each_identity_has_its_own_allowance() {
    let (mut app, _) = app(&[]);
    app.register(routes![revoke, maybe]);
    let client = app.test_client();
    let ada = encode_token(claims_with(json!({"sub": "ada"})), json!({}));
    let bob = encode_token(claims_with(json!({"sub": "bob"})), json!({}));
    let post = |token: &str| client.post("/revoke").bearer(token).send();

    assert_eq!(post(&ada).await.status(), 200);
    assert_eq!(post(&ada).await.status(), 200);
    let refused = post(&ada).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.header("retry-after").is_some());
    assert_eq!(post(&bob).await.status(), 200, "another identity is not held back");
    assert_eq!(client.post("/revoke").send().await.status(), 401, "no token: jwt_required answers first");

    for _ in 0..3 {
        assert_eq!(client.get("/maybe").send().await.status(), 200, "anonymous: not limited by identity");
    }
}
