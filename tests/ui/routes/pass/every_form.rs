//! Every form of route attribute that must compile.
use phial::prelude::*;

#[derive(serde::Deserialize)]
struct Body {
    name: String,
}

#[get("/")]
async fn index() -> &'static str {
    "index"
}

#[get("/plain")]
fn plain() -> String {
    String::from("plain fns work")
}

#[post("/json")]
async fn json(Json(body): Json<Body>) -> impl IntoResponse {
    jsonify!({"name": body.name})
}

#[route("/multi", methods = ["GET", "POST", "delete"], endpoint = "multi_endpoint", strict_slashes = false)]
async fn multi(request: Request) -> String {
    request.method().to_string()
}

#[put("/user/<int:id>/<name>/<float:score>/<path:rest>")]
async fn many(name: String, id: u64, score: f32, rest: String, headers: phial::http::HeaderMap) -> String {
    format!("{id} {name} {score} {rest} {}", headers.len())
}

#[patch("/u/<uuid:u>/<any(a, b):which>")]
async fn uuid_and_any(u: uuid::Uuid, which: String) -> Result<String, HttpError> {
    Ok(format!("{u} {which}"))
}

#[delete("/int-into-text/<int:n>")]
async fn int_into_text(n: String, cookies: Cookies, query: Option<Query<std::collections::HashMap<String, String>>>) -> StatusCode {
    let _ = (n, cookies, query);
    StatusCode::NO_CONTENT
}

struct Noop;

impl Decorator for Noop {
    async fn before(&self, _request: &Request) -> Result<(), ViewError> {
        Ok(())
    }
}

#[get("/a")]
#[get("/b")]
#[phial::decorate(Noop)]
#[decorate(Noop)]
async fn stacked() -> &'static str {
    "stacked"
}

mod nested {
    use phial::prelude::*;

    #[get("/nested")]
    pub async fn inside() -> &'static str {
        "nested"
    }
}

fn main() {
    let mut app = App::new("pass");
    app.register(routes![index, plain, json, multi, many, uuid_and_any, int_into_text, stacked, nested::inside]);
    app.finalize().expect("every route registers");
    // The functions are still plain functions.
    assert_eq!(plain(), "plain fns work");
}
