//! Serves the peer on 127.0.0.1:$PORT (default 5000) with `JWT_SECRET_KEY`, or
//! with RS256 and the PEM files `JWT_PRIVATE_KEY_FILE` / `JWT_PUBLIC_KEY_FILE`.

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // As examples/quickstart.rs does: the two servers carry the same logger, so
    // that their memory and speed differ by the framework only.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    let mut app = match (std::env::var("JWT_PRIVATE_KEY_FILE"), std::env::var("JWT_PUBLIC_KEY_FILE")) {
        (Ok(private), Ok(public)) => axum_peer::app_rs256(&std::fs::read(private)?, &std::fs::read(public)?)?,
        _ => axum_peer::app(&std::env::var("JWT_SECRET_KEY").map_err(|_| "set JWT_SECRET_KEY")?)?,
    };
    if std::env::var("CORS").is_ok_and(|v| !v.is_empty()) {
        app = app.layer(axum_peer::cors_like_flask_cors());
    }
    // STATIC_FILE (bench/http.sh static): that file at /static/<its name>, by
    // tower-http's ServeFile (phial's examples/web.rs serves it from its static folder).
    if let Ok(file) = std::env::var("STATIC_FILE") {
        let name = std::path::Path::new(&file).file_name().ok_or("STATIC_FILE has no name")?.to_string_lossy();
        app = app.route_service(&format!("/static/{name}"), tower_http::services::ServeFile::new(&file));
    }
    // TRACE=1 (bench/http.sh's axum-traced): tower-http's TraceLayer, a span and a
    // line per request at info, as an axum app logs its requests; the peer of
    // phial's default access log.
    if std::env::var("TRACE").is_ok_and(|v| !v.is_empty()) {
        use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
        app = app.layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        );
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    // NODELAY=1 (bench/http.sh's axum-nodelay): TCP_NODELAY on every connection, as
    // phial sets it (axum 0.8 leaves it off unless asked, as here).
    if std::env::var("NODELAY").is_ok_and(|v| !v.is_empty()) {
        use axum::serve::ListenerExt;
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        axum::serve(listener, app).with_graceful_shutdown(shutdown).await?;
    } else {
        axum::serve(listener, app).with_graceful_shutdown(shutdown).await?;
    }
    Ok(())
}
