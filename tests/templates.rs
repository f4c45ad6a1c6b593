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
    ("filters.html", "a filter argument minijinja does not take (see the lines below) fails the whole template"),
];

/// Lines of `filters.html` (rendered one by one) where minijinja's filters differ.
const KNOWN_LINES: &[(u64, &str)] = &[
    (2, "title: minijinja capitalises after an apostrophe and an underscore"),
    (7, "join(attribute=..) is not taken"),
    (8, "replace(old, new, count) is not taken"),
    (9, "truncate is not a minijinja filter"),
    (10, "round: minijinja rounds half away from zero, and takes no method"),
    (11, "int: a string that is not an integer is an error, not 0"),
    (12, "float: the same, and minijinja spells floats its own way"),
    (17, "a list prints with double quotes where Python's repr uses single ones"),
    (18, "striptags is not a minijinja filter"),
    (19, "wordcount is not a minijinja filter"),
    (21, "center is not a minijinja filter"),
    (22, "indent(first=.., blank=..) and a string width are not taken"),
    (23, "urlencode: a space is %20 where Python writes +"),
    (33, "sum(attribute=.., start=..) is not taken"),
    (41, "cycler is not a minijinja global"),
    (47, "literals print as JSON, a dict sorted and a tuple as a list"),
];

/// One render to compare: a template by name or a source, with values.
struct Job {
    template: Option<String>,
    source: Option<String>,
    context: Value,
    safe_keys: Vec<String>,
}

impl Job {
    fn of_case(case: &Value) -> Job {
        Job {
            template: case["template"].as_str().map(str::to_string),
            source: case["source"].as_str().map(str::to_string),
            context: case["context"].clone(),
            safe_keys: case["safe_keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|key| key.as_str().unwrap().to_string())
                .collect(),
        }
    }

    fn render(&self) -> String {
        let context: std::collections::BTreeMap<String, TemplateValue> = self
            .context
            .as_object()
            .unwrap()
            .iter()
            .map(|(key, value)| {
                let value = match value.as_str() {
                    Some(text) if self.safe_keys.contains(key) => markup(text),
                    _ => TemplateValue::from_serialize(value),
                };
                (key.clone(), value)
            })
            .collect();
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

#[tokio::test]
async fn templates_render_the_bytes_flask_renders() {
    let vectors: Value = serde_json::from_str(VECTORS).unwrap();
    let cases = vectors["cases"].as_array().unwrap();
    let filters = cases.iter().find(|case| case["template"] == "filters.html").unwrap();
    let lines = vectors["filters_by_line"].as_array().unwrap();
    let mut jobs: Vec<Job> = cases.iter().map(Job::of_case).collect();
    jobs.extend(lines.iter().map(|line| Job {
        template: None,
        source: Some(line["source"].as_str().unwrap().to_string()),
        ..Job::of_case(filters)
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
