//! `RemoteKeySet` over HTTPS (phial-jwt's `remote-jwks-https` feature): a JWKS
//! served with TLS by a loopback server whose certificate a test CA signed
//! (`tests/fixtures/tls/`). Trusted through `with_root_certificate`, the set is
//! fetched and tokens verify; without that root the certificate is refused, and
//! the app fails closed (503).

use http_body_util::Full;
use hyper::service::service_fn;
use phial::prelude::*;
use phial_jwt::JsonObject;
use phial_jwt::algorithm::Algorithm;
use phial_jwt::jws;
use phial_jwt::key_sets::remote::RemoteKeySet;
use phial_jwt::keys::{KeySet, SigningKey};
use phial_jwt::prelude::*;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::{Value, json};
use std::sync::Arc;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/tls/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn signing_key() -> SigningKey {
    let path = format!("{}/jwt-ext/tests/keys/p256_private.pem", env!("CARGO_MANIFEST_DIR"));
    SigningKey::from_pem(std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Serves `document` at any path over TLS on a loopback port; returns the port.
async fn serve_tls(document: Value) -> u16 {
    let certs =
        CertificateDer::pem_slice_iter(fixture("server.pem").as_bytes()).collect::<Result<Vec<_>, _>>().unwrap();
    let key = PrivateKeyDer::from_pem_slice(fixture("server.key").as_bytes()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let body = bytes::Bytes::from(document.to_string());
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let (acceptor, body) = (acceptor.clone(), body.clone());
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: not an error here.
                let Ok(tls) = acceptor.accept(stream).await else { return };
                let service = service_fn(move |_request| {
                    let body = body.clone();
                    async move {
                        let response = hyper::Response::builder()
                            .header("content-type", "application/json")
                            .header("cache-control", "max-age=300")
                            .body(Full::new(body))
                            .unwrap();
                        Ok::<_, std::convert::Infallible>(response)
                    }
                });
                let io = hyper_util::rt::TokioIo::new(tls);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
            });
        }
    });
    port
}

#[get("/protected")]
#[jwt_required]
async fn protected() -> Result<impl IntoResponse, JwtError> {
    Ok(jsonify!({"logged_in_as": get_jwt_identity::<String>()?}))
}

fn app(keys: RemoteKeySet) -> phial::testing::TestClient {
    let mut app = App::new("https-jwks");
    app.config.set("JWT_ALGORITHM", "ES256");
    let jwt = JWTManager::new(&mut app);
    jwt.use_remote_key_set(keys);
    app.register(routes![protected]);
    app.test_client()
}

fn token(key: &SigningKey) -> String {
    let header = JsonObject::from_iter([("kid".to_owned(), json!("tls-key"))]);
    jws::encode(&header, Algorithm::ES256, &json!({"sub": "alice"}), key).unwrap()
}

#[tokio::test]
async fn a_jwks_over_https_from_a_trusted_root_verifies_tokens() {
    let key = signing_key();
    let set = KeySet::new().with_signing_key("tls-key", Algorithm::ES256, key.clone()).unwrap();
    let port = serve_tls(set.jwks()).await;
    let keys = RemoteKeySet::new(&format!("https://localhost:{port}/.well-known/jwks.json"))
        .unwrap()
        .with_root_certificate(&fixture("ca.pem"));
    keys.fetch_now().await.unwrap();
    let client = app(keys);
    let response = client.get("/protected").bearer(&token(&key)).send().await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"logged_in_as": "alice"}));
}

#[tokio::test]
async fn a_certificate_from_an_unknown_root_is_refused_and_the_app_fails_closed() {
    let key = signing_key();
    let set = KeySet::new().with_signing_key("tls-key", Algorithm::ES256, key.clone()).unwrap();
    let port = serve_tls(set.jwks()).await;
    let keys = RemoteKeySet::new(&format!("https://localhost:{port}/.well-known/jwks.json")).unwrap();
    let err = keys.fetch_now().await.unwrap_err().to_string();
    assert!(err.contains("UnknownIssuer"), "{err}");
    let response = app(keys).get("/protected").bearer(&token(&key)).send().await;
    assert_eq!(response.status(), 503);
}
