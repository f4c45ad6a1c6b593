//! Templates rendered by phial against the bytes Flask 3.1 + Jinja2 render for the
//! same templates and values (`tests/flask_vectors/templates.py`, its output checked
//! in as `templates.json`, the templates beside it).
//!
//! Every case must match byte for byte, except the ones listed in `KNOWN`, where
//! minijinja still differs from Jinja2 (the porting guide lists them): those must
//! still differ, so that the list shrinks as they are fixed and cannot hide a
//! regression elsewhere.

use phial::prelude::*;
use phial::templates::{Value as TemplateValue, markup, render_template, render_template_string};
use serde_json::Value;
use std::sync::Arc;

const VECTORS: &str = include_str!("flask_vectors/templates.json");

/// Cases where phial's render differs from Flask's, and why.
const KNOWN: &[(&str, &str)] = &[
    ("escape.html", "`{{ trusted ~ value }}`: minijinja's `~` drops the safe mark of a Markup operand"),
    ("filters.html", "line 47 below"),
];

/// Lines of `filters.html` (rendered one by one) where minijinja's filters differ.
const KNOWN_LINES: &[(u64, &str)] = &[(47, "minijinja has no tuples: `(\"t\", 1)` is a list, printed `['t', 1]`")];

/// One render to compare: a template by name or a source, with values.
struct Job {
    template: Option<String>,
    source: Option<String>,
    /// The values, their keys in the order Python's dicts keep.
    context: TemplateValue,
    safe_keys: Vec<String>,
}

impl Job {
    fn of_case(case: &Value, context: &TemplateValue) -> Job {
        Job {
            template: case["template"].as_str().map(str::to_string),
            source: case["source"].as_str().map(str::to_string),
            context: context.clone(),
            safe_keys: case["safe_keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|key| key.as_str().unwrap().to_string())
                .collect(),
        }
    }

    fn render(&self) -> String {
        let context: Vec<(String, TemplateValue)> = self
            .context
            .try_iter()
            .unwrap()
            .map(|key| {
                let value = self.context.get_item(&key).unwrap();
                let key = key.as_str().unwrap().to_string();
                let value = match value.as_str() {
                    Some(text) if self.safe_keys.contains(&key) => markup(text),
                    _ => value,
                };
                (key, value)
            })
            .collect();
        let context = TemplateValue::from_iter(context);
        let rendered = match (&self.template, &self.source) {
            (Some(name), _) => render_template(name, context),
            (None, Some(source)) => render_template_string(source, context),
            (None, None) => unreachable!("a job has a template or a source"),
        };
        match rendered {
            Ok(page) => page,
            Err(error) => format!("ERROR line {:?}: {error}", error.line()),
        }
    }
}

/// Flask's app of the vectors, route for route; `/page` renders the job numbered
/// in its `X-Job` header as Flask's script renders it (the request is
/// `GET /page?q=hello+world` with `g.user = "ada"`).
fn app(jobs: Arc<Vec<Job>>) -> App {
    let mut app = App::new("templates");
    app.template_folder(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/flask_vectors/templates"));
    app.config.set("SITE_NAME", "Phial & Co <test>");
    app.register([
        Route::new("/", ["GET"], || async { "index" }).endpoint("index"),
        Route::new("/user/<int:id>", ["GET"], |Path(id): Path<i64>| async move { format!("user {id}") })
            .endpoint("user"),
    ]);
    app.context_processor(|| phial::templates::context! { site_year => 2024 });
    app.template_filter("reverse_words", |text: String| text.split_whitespace().rev().collect::<Vec<_>>().join(" "));
    app.template_global("greet", |name: String| format!("Hello, {name}!"));
    app.route("/page", ["GET"], move |request: Request| {
        let jobs = jobs.clone();
        async move {
            request.g().set("user", "ada");
            let index: usize = request.header("x-job").unwrap().parse().unwrap();
            jobs[index].render()
        }
    });
    app
}

/// Each case's values read as minijinja values, which keep the keys' order (a
/// `serde_json::Value` would sort them, where Python prints a dict in its order).
fn ordered_contexts() -> Vec<TemplateValue> {
    #[derive(serde::Deserialize)]
    struct Vectors {
        cases: Vec<Case>,
    }
    #[derive(serde::Deserialize)]
    struct Case {
        context: TemplateValue,
    }
    let vectors: Vectors = serde_json::from_str(VECTORS).unwrap();
    vectors.cases.into_iter().map(|case| case.context).collect()
}

#[tokio::test]
async fn templates_render_the_bytes_flask_renders() {
    let vectors: Value = serde_json::from_str(VECTORS).unwrap();
    let cases = vectors["cases"].as_array().unwrap();
    let contexts = ordered_contexts();
    let filters = cases.iter().position(|case| case["template"] == "filters.html").unwrap();
    let lines = vectors["filters_by_line"].as_array().unwrap();
    let mut jobs: Vec<Job> = cases.iter().zip(&contexts).map(|(case, context)| Job::of_case(case, context)).collect();
    jobs.extend(lines.iter().map(|line| Job {
        template: None,
        source: Some(line["source"].as_str().unwrap().to_string()),
        ..Job::of_case(&cases[filters], &contexts[filters])
    }));
    let client = app(Arc::new(jobs)).test_client();
    let mut failures = Vec::new();
    let expected = cases.iter().map(|case| {
        (case["name"].as_str().unwrap().to_string(), case.clone(), KNOWN.iter().any(|(name, _)| *name == case["name"]))
    });
    let expected = expected.chain(lines.iter().map(|line| {
        let number = line["line"].as_u64().unwrap();
        (format!("filters.html line {number}"), line.clone(), KNOWN_LINES.iter().any(|(known, _)| *known == number))
    }));
    for (index, (name, case, known)) in expected.enumerate() {
        let response = client.get("/page?q=hello+world").header("x-job", &index.to_string()).send().await;
        let ours = response.text();
        let agrees = match (case.get("output"), case.get("error")) {
            (Some(Value::String(output)), _) => &ours == output,
            (_, Some(error)) => {
                ours.starts_with(&format!("ERROR line {:?}", error["lineno"].as_u64().map(|line| line as usize)))
            }
            _ => false,
        };
        match (agrees, known) {
            (true, true) => failures.push(format!("{name}: now matches Flask: take it off the known differences")),
            (false, false) => failures.push(format!(
                "{name}:\n--- ours\n{ours}\n--- Flask\n{}",
                case.get("output").or(case.get("error")).unwrap()
            )),
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}

/// An app whose one view renders `broken.html` (an `{% if %}` never closed).
fn broken_page_app(debug: bool) -> App {
    let mut app = App::new("broken");
    app.config.set("DEBUG", debug);
    app.template_folder(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/flask_vectors/templates"));
    app.route("/", ["GET"], || async { Ok::<_, ViewError>(render_template("broken.html", ())?) });
    app
}

#[tokio::test]
async fn a_template_error_is_a_500_that_names_nothing_unless_debug_is_on() {
    let response = broken_page_app(false).test_client().get("/").send().await;
    assert_eq!(response.status(), 500);
    let body = response.text();
    assert!(!body.contains("broken.html") && body.contains("internal error"), "{body}");

    let response = broken_page_app(true).test_client().get("/").send().await;
    assert_eq!(response.status(), 500);
    let body: Value = response.json();
    let error = body["error"].as_str().unwrap();
    assert!(error.contains("broken.html:2") && error.contains("unexpected end of input"), "{body}");
}

#[tokio::test]
async fn a_missing_template_is_a_500_naming_it_in_debug() {
    let mut app = App::new("missing");
    app.config.set("DEBUG", true);
    app.route("/", ["GET"], || async { Ok::<_, ViewError>(render_template("nowhere.html", ())?) });
    let response = app.test_client().get("/").send().await;
    assert_eq!(response.status(), 500);
    assert!(response.text().contains("nowhere.html"));
}

#[tokio::test]
async fn blueprints_bring_their_templates_and_static_files() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/admin");
    let mut admin = Blueprint::new("admin", "/admin");
    admin.template_folder(format!("{fixtures}/templates"));
    admin.static_folder(format!("{fixtures}/static"));
    admin.route("/", ["GET"], || async {
        Ok::<_, ViewError>(render_template("admin/panel.html", phial::templates::context! { user => "<ada>" })?)
    });
    admin.route("/page", ["GET"], || async { Ok::<_, ViewError>(render_template("page.html", ())?) });
    admin.route("/css", ["GET"], || async {
        Ok::<_, ViewError>(phial::url_for("admin.static", [("filename", "admin.css")])?)
    });
    let mut app = App::new("site");
    app.template_folder(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/flask_vectors/templates"));
    app.register_blueprint(admin);
    let client = app.test_client();

    assert_eq!(client.get("/admin/").send().await.text(), "<p>admin panel for &lt;ada&gt;</p>");
    let page = client.get("/admin/page").send().await.text();
    assert!(!page.contains("must not win"), "the app's folder is searched first, as in Flask: {page}");
    assert_eq!(client.get("/admin/css").send().await.text(), "/admin/static/admin.css");
    let css = client.get("/admin/static/admin.css").send().await;
    assert_eq!(css.status(), 200);
    assert_eq!(css.text(), "body { color: teal; }\n");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
}
