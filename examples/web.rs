//! A small web app as Flask's tutorial builds one: pages rendered from Jinja2
//! templates that extend a base template, a stylesheet from `static/`, a live
//! event stream and a file upload. Its files are in `examples/web/` (`templates/`,
//! `static/`).
//!
//! Run `cargo run --example web` (it listens on 127.0.0.1:$PORT, default 5000), open
//! <http://127.0.0.1:5000/>, or:
//!
//! ```text
//! curl -i http://127.0.0.1:5000/static/style.css -H 'Range: bytes=0-9'
//! curl -N http://127.0.0.1:5000/events
//! curl -i -F file=@Cargo.toml http://127.0.0.1:5000/upload
//! ```

use futures_util::StreamExt;
use phial::files::secure_filename;
use phial::prelude::*;
use phial::response::sse::{Event, event_stream};
use phial::templates::{context, render_template};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

/// A note shown on the front page.
#[derive(Clone, Serialize)]
struct Note {
    id: i64,
    title: String,
    body: String,
}

/// The app's notes (a database in a real app).
#[derive(Clone)]
struct Notes(std::sync::Arc<Vec<Note>>);

/// Where uploads are saved.
#[derive(Clone)]
struct UploadFolder(PathBuf);

#[get("/")]
async fn index(Extension(notes): Extension<Notes>) -> Result<String, ViewError> {
    Ok(render_template("index.html", context! { notes => &*notes.0 })?)
}

#[get("/notes/<int:id>")]
async fn note(id: i64, Extension(notes): Extension<Notes>) -> Result<String, ViewError> {
    let note = notes.0.iter().find(|note| note.id == id).ok_or_else(|| abort(404))?;
    Ok(render_template("note.html", context! { note => note })?)
}

/// Three server-sent events, a tenth of a second apart, then the stream ends.
#[get("/events")]
async fn events() -> impl IntoResponse {
    let ticks = futures_util::stream::iter(1..=3).then(|n| async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        Ok::<_, std::convert::Infallible>(Event::new().event("tick").id(n.to_string()).data(format!("tick {n}")))
    });
    event_stream(ticks)
}

#[get("/upload")]
async fn upload_form() -> Result<String, ViewError> {
    Ok(render_template("upload.html", ())?)
}

/// Saves the file sent as `file` under a safe name: `201` with its name and size.
#[post("/upload")]
async fn upload(request: Request, Extension(folder): Extension<UploadFolder>) -> Result<impl IntoResponse, ViewError> {
    let files = request.files()?;
    let file = files.get("file").ok_or_else(|| HttpError::with_message(StatusCode::BAD_REQUEST, "No file part"))?;
    let filename = secure_filename(file.filename().unwrap_or_default());
    if filename.is_empty() {
        return Err(HttpError::with_message(StatusCode::BAD_REQUEST, "No selected file").into());
    }
    tokio::fs::create_dir_all(&folder.0).await?;
    file.save(folder.0.join(&filename)).await?;
    Ok((jsonify!({"filename": filename, "size": file.len()}), 201))
}

/// Builds the app; `main` serves it and the tests drive it in-process.
pub fn create_app(upload_folder: PathBuf) -> App {
    let mut app = App::new("web");
    let here = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/web");
    app.template_folder(format!("{here}/templates"));
    app.static_folder(format!("{here}/static"));
    app.config.set("SITE_NAME", "Phial notes").set("MAX_CONTENT_LENGTH", 1024 * 1024);
    app.context_processor(|| context! { year => 2026 });
    app.extensions.insert(Notes(std::sync::Arc::new(vec![
        Note {
            id: 1,
            title: "first steps".into(),
            body: "Templates extend <base.html> & link their stylesheet.".into(),
        },
        Note { id: 2, title: "streaming".into(), body: "GET /events sends three server-sent events.".into() },
    ])));
    app.extensions.insert(UploadFolder(upload_folder));
    app.register(routes![index, note, events, upload_form, upload]);
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    let uploads = std::env::temp_dir().join("phial-web-uploads");
    println!("Open http://127.0.0.1:{port}/ (uploads go to {})", uploads.display());
    let mut app = create_app(uploads);
    // Another folder behind /static (bench/http.sh serves a large file from one).
    if let Ok(folder) = std::env::var("STATIC_FOLDER") {
        app.static_folder(folder).static_url_path("/static");
    }
    app.run_on(("127.0.0.1", port)).await
}
