//! A page rendered from a template that extends a base template (a 20-row table,
//! values to escape, a `url_for`): by phial's `render_template`, and by minijinja
//! alone with the same templates and values, so that phial's own cost shows.
//!
//! `cargo bench --bench templates`
//!
//! - `minijinja_alone`: an `Environment` with a path loader and a `url_for`
//!   function that formats the static URL; minijinja's own escaping.
//! - `phial_render_template`: `render_template` inside a request (Flask's escaping,
//!   Python's number printing, the context with `request`, `g` and `config`, the
//!   real `url_for`), the view's work only.
//! - `phial_get_page`: the whole `GET /page`, routing and response included.

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use phial::prelude::*;
use phial::templates::{Value, context, minijinja, render_template};
use std::hint::black_box;

const FOLDER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/templates");

/// The page's values: a title and 20 rows, some with characters to escape.
fn values() -> Value {
    let rows: Vec<Value> = (0..20)
        .map(|id| context! { id => id, name => format!("user {id}"), note => "<b>bold</b> & \"quoted\"" })
        .collect();
    context! { title => "Report", rows => rows, site_name => "Phial", year => 2026 }
}

fn minijinja_alone() -> minijinja::Environment<'static> {
    let mut environment = minijinja::Environment::new();
    environment.set_loader(minijinja::path_loader(FOLDER));
    environment.add_function("url_for", |endpoint: String, kwargs: minijinja::value::Kwargs| {
        let filename: String = kwargs.get("filename")?;
        Ok::<_, minijinja::Error>(format!("/{endpoint}/{filename}"))
    });
    environment
}

fn app() -> phial::AppHandle {
    let mut app = App::new("templates-bench");
    app.template_folder(FOLDER);
    app.route("/page", ["GET"], || async { Ok::<_, ViewError>(render_template("page.html", values())?) });
    app.finalize().expect("the app starts")
}

fn render(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let environment = minijinja_alone();
    let app = app();
    let get_page = || http::Request::get("/page").body(Bytes::new()).expect("a valid request");
    // The view's work alone: render_template where a view would call it.
    let mut render_only = App::new("templates-bench-view");
    render_only.template_folder(FOLDER);
    let view_values = values();
    render_only.route("/page", ["GET"], move || {
        let view_values = view_values.clone();
        async move {
            let started = std::time::Instant::now();
            let page = render_template("page.html", view_values).expect("renders");
            let elapsed = started.elapsed().as_nanos().to_string();
            let mut response = page.into_response();
            response.headers_mut().insert("x-render-ns", elapsed.parse().expect("digits"));
            response
        }
    });
    let render_only = render_only.finalize().expect("the app starts");

    let mut group = c.benchmark_group("templates");
    let page_values = values();
    group.bench_function("minijinja_alone", |b| {
        b.iter(|| {
            let values = black_box(page_values.clone());
            environment.get_template("page.html").and_then(|t| t.render(values)).expect("renders")
        })
    });
    group.bench_function("phial_render_template", |b| {
        b.iter_custom(|iterations| {
            let mut total = std::time::Duration::ZERO;
            for _ in 0..iterations {
                let response = runtime.block_on(render_only.handle(get_page()));
                let nanos: u64 =
                    response.headers()["x-render-ns"].to_str().ok().and_then(|n| n.parse().ok()).unwrap_or(0);
                total += std::time::Duration::from_nanos(nanos);
            }
            total
        })
    });
    group.bench_function("phial_get_page", |b| b.iter(|| runtime.block_on(app.handle(get_page()))));
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
