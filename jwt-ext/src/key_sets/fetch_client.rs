//! The HTTP client a [`RemoteKeySet`](super::remote::RemoteKeySet) fetches with:
//! hyper's, plain HTTP with the `remote-jwks` feature, and HTTPS too with
//! `remote-jwks-https` (rustls, Mozilla's roots plus any the app adds).

use crate::JwtError;
use bytes::Bytes;
use http_body_util::Empty;
use hyper::Uri;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::{Client, ResponseFuture};
use hyper_util::rt::TokioExecutor;

#[cfg(not(feature = "remote-jwks-https"))]
type Connector = HttpConnector;
#[cfg(feature = "remote-jwks-https")]
type Connector = hyper_rustls::HttpsConnector<HttpConnector>;

/// Extra trusted roots, as PEM certificates (HTTPS only).
#[derive(Clone, Debug, Default)]
pub(crate) struct Roots {
    #[cfg(feature = "remote-jwks-https")]
    pub(crate) pem: Vec<String>,
}

/// A GET-only client for key sets.
#[derive(Clone)]
pub(crate) struct FetchClient {
    client: Client<Connector, Empty<Bytes>>,
}

impl FetchClient {
    /// The client; with HTTPS, trusting Mozilla's roots and `roots`.
    pub(crate) fn new(roots: &Roots) -> Result<FetchClient, JwtError> {
        let connector = connector(roots)?;
        Ok(FetchClient { client: Client::builder(TokioExecutor::new()).build(connector) })
    }

    /// `GET uri`.
    pub(crate) fn get(&self, uri: Uri) -> ResponseFuture {
        self.client.get(uri)
    }
}

/// Whether `uri`'s scheme can be fetched with the features built in.
pub(crate) fn check_scheme(uri: &Uri) -> Result<(), JwtError> {
    match uri.scheme_str() {
        Some("http") => Ok(()),
        Some("https") if cfg!(feature = "remote-jwks-https") => Ok(()),
        Some("https") => Err(JwtError::Setup(
            "https JWKS URLs need phial-jwt's `remote-jwks-https` feature (rustls; compiles C)".into(),
        )),
        _ => Err(JwtError::Setup(format!("the JWKS URL {uri} must start with http:// or https://"))),
    }
}

#[cfg(not(feature = "remote-jwks-https"))]
fn connector(_roots: &Roots) -> Result<Connector, JwtError> {
    Ok(HttpConnector::new())
}

#[cfg(feature = "remote-jwks-https")]
fn connector(roots: &Roots) -> Result<Connector, JwtError> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    use std::sync::Arc;

    let mut store = rustls::RootCertStore::empty();
    store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for pem in &roots.pem {
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            let cert = cert.map_err(|err| JwtError::Setup(format!("a root certificate cannot be read: {err}")))?;
            store.add(cert).map_err(|err| JwtError::Setup(format!("a root certificate cannot be used: {err}")))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| JwtError::Setup(format!("TLS cannot be set up: {err}")))?
        .with_root_certificates(store)
        .with_no_client_auth();
    Ok(hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(config).https_or_http().enable_http1().build())
}
