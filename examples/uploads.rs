//! Flask's "Uploading Files" pattern
//! (<https://flask.palletsprojects.com/en/stable/patterns/fileuploads/>), ported
//! line by line: an HTML form at `GET /`; `POST /` saves the file under its
//! `secure_filename` in `UPLOAD_FOLDER` when its extension is allowed, then
//! redirects to `/uploads/<name>`, which sends it back with `send_from_directory`.
//! `MAX_CONTENT_LENGTH` is 16 MB, as in the pattern's "Improving Uploads": a
//! larger body is a 413 before the view runs, and nothing is written.
//!
//! Where the pattern calls `flash("No file part")` and redirects back to the form,
//! this page answers the form again with the message (400): phial has no sessions
//! (and so no `flash`) yet. `POST /api/upload` is the same upload for a JSON
//! client: 201 and `{"filename": .., "size": ..}`.
//!
//! Run it with `cargo run --example uploads` (it listens on 127.0.0.1:$PORT,
//! default 5000, and saves into $UPLOAD_FOLDER, default `uploads/` in the working
//! directory), open <http://127.0.0.1:5000/>, or:
//!
//! ```text
//! curl -i -F 'file=@Cargo.toml;filename=notes.txt' http://127.0.0.1:5000/
//! curl http://127.0.0.1:5000/uploads/notes.txt
//! curl -i -F 'file=@Cargo.toml;filename=../../My notes.txt' http://127.0.0.1:5000/api/upload
//! ```

use phial::files::secure_filename;
use phial::prelude::*;
use phial::send_from_directory;
use std::path::PathBuf;

/// The extensions the app takes (`ALLOWED_EXTENSIONS`).
pub const ALLOWED_EXTENSIONS: [&str; 6] = ["txt", "pdf", "png", "jpg", "jpeg", "gif"];

const UPLOAD_FORM: &str = r#"
    <!doctype html>
    <title>Upload new File</title>
    <h1>Upload new File</h1>
    <form method=post enctype=multipart/form-data>
      <input type=file name=file>
      <input type=submit value=Upload>
    </form>
    "#;

/// Whether `filename` has an allowed extension (`allowed_file`).
pub fn allowed_file(filename: &str) -> bool {
    filename
        .rsplit_once('.')
        .is_some_and(|(_, extension)| ALLOWED_EXTENSIONS.contains(&extension.to_lowercase().as_str()))
}

/// `app.config["UPLOAD_FOLDER"]`.
fn upload_folder(request: &Request) -> Result<PathBuf, ViewError> {
    let folder = request.config().get_str("UPLOAD_FOLDER")?.ok_or_else(|| abort(500))?;
    Ok(PathBuf::from(folder))
}

/// The form again, with what went wrong (where Flask flashes it).
fn form_with_message(message: &str) -> Response {
    (format!("<p>{message}</p>{UPLOAD_FORM}"), 400).into_response()
}

#[route("/", methods = ["GET", "POST"])]
async fn upload_file(request: Request) -> Result<Response, ViewError> {
    if request.method() == "POST" {
        let files = request.files()?;
        // check if the post request has the file part
        let Some(file) = files.get("file") else {
            return Ok(form_with_message("No file part"));
        };
        // If the user does not select a file, the browser submits an
        // empty file without a filename.
        let filename = file.filename().unwrap_or_default();
        if filename.is_empty() {
            return Ok(form_with_message("No selected file"));
        }
        if allowed_file(filename) {
            let filename = secure_filename(filename);
            file.save(upload_folder(&request)?.join(&filename)).await?;
            let location = url_for("download_file", [("name", filename)])?;
            return Ok(("", 302, [("Location", location)]).into_response());
        }
    }
    Ok(UPLOAD_FORM.into_response())
}

#[get("/uploads/<name>")]
async fn download_file(request: Request, name: String) -> Result<Response, ViewError> {
    send_from_directory(upload_folder(&request)?, &name).await
}

/// The same upload for a JSON client: 201 with the name it was saved under.
#[post("/api/upload")]
async fn api_upload(request: Request) -> Result<Jsonify, ViewError> {
    let files = request.files()?;
    let file = files.get("file").ok_or_else(|| HttpError::with_message(StatusCode::BAD_REQUEST, "No file part"))?;
    let filename = secure_filename(file.filename().unwrap_or_default());
    if !allowed_file(&filename) {
        return Ok(jsonify!({"msg": "File type not allowed"}).status(400));
    }
    file.save(upload_folder(&request)?.join(&filename)).await?;
    Ok(jsonify!({"filename": filename, "size": file.len()}).status(201))
}

/// Builds the app, saving uploads into `upload_folder` (which must exist).
pub fn create_app(upload_folder: &str) -> App {
    let mut app = App::new("uploads");
    app.config.set("UPLOAD_FOLDER", upload_folder);
    app.config.set("MAX_CONTENT_LENGTH", 16 * 1000 * 1000);
    app.register(routes![upload_file, download_file, api_upload]);
    app
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    let folder = std::env::var("UPLOAD_FOLDER").unwrap_or_else(|_| "uploads".to_string());
    tokio::fs::create_dir_all(&folder).await?;
    println!("Open http://127.0.0.1:{port}/ to upload a file into {folder}/, or:");
    println!("  curl -i -F 'file=@Cargo.toml;filename=notes.txt' http://127.0.0.1:{port}/");
    create_app(&folder).run_on(("127.0.0.1", port)).await?;
    Ok(())
}
