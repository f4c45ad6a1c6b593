//! Request hooks in Flask's order: before_request (app, then blueprint), the view,
//! after_request (blueprint, then app, each reversed), teardown_request last.

use phial::prelude::*;
use std::sync::{Arc, Mutex};

type Log = Arc<Mutex<Vec<String>>>;

fn logger(log: &Log, entry: &'static str) -> impl Fn() + Send + Sync + 'static {
    let log = log.clone();
    move || log.lock().unwrap().push(entry.to_string())
}

fn app_with_hooks(log: &Log) -> App {
    let mut app = App::new("hooks");
    for name in ["before1", "before2"] {
        let push = logger(log, name);
        app.before_request(move |_: &Request| {
            push();
            None::<Response>
        });
    }
    for name in ["after1", "after2"] {
        let push = logger(log, name);
        app.after_request(move |_: &Request, response: Response| {
            push();
            response
        });
    }
    let teardown_log = log.clone();
    app.teardown_request(move |_: &Request, unhandled: Option<&Unhandled>| {
        teardown_log
            .lock()
            .unwrap()
            .push(format!("teardown:{}", unhandled.map_or("None".into(), |u| u.message().to_string())));
    });
    let view_log = log.clone();
    app.route("/", ["GET"], move || {
        view_log.lock().unwrap().push("view".into());
        "ok"
    });

    let mut bp = Blueprint::new("bp", "/bp");
    let push = logger(log, "bp_before");
    bp.before_request(move |_: &Request| {
        push();
        None::<Response>
    });
    let push = logger(log, "bp_after");
    bp.after_request(move |_: &Request, response: Response| {
        push();
        response
    });
    let view_log = log.clone();
    bp.route("/x", ["GET"], move || {
        view_log.lock().unwrap().push("bp_view".into());
        "bp"
    });
    app.register_blueprint(bp);
    app
}

fn take(log: &Log) -> Vec<String> {
    std::mem::take(&mut *log.lock().unwrap())
}

#[tokio::test]
async fn hooks_run_in_flask_order() {
    let log = Log::default();
    let app = app_with_hooks(&log);
    let client = app.test_client();

    client.get("/").send().await;
    assert_eq!(take(&log), ["before1", "before2", "view", "after2", "after1", "teardown:None"]);

    client.get("/bp/x").send().await;
    assert_eq!(
        take(&log),
        ["before1", "before2", "bp_before", "bp_view", "bp_after", "after2", "after1", "teardown:None"]
    );

    // before_request runs even when no route matches; the 404 comes after it.
    let missing = client.get("/missing").send().await;
    assert_eq!(missing.status(), 404);
    assert_eq!(take(&log), ["before1", "before2", "after2", "after1", "teardown:None"]);
}

#[tokio::test]
async fn a_before_request_response_skips_the_view() {
    let log = Log::default();
    let mut app = app_with_hooks(&log);
    app.before_request(|request: &Request| request.header("x-stop").map(|_| (jsonify!({"msg": "stopped"}), 403)));
    let client = app.test_client();
    let response = client.get("/").header("X-Stop", "1").send().await;
    assert_eq!(response.status(), 403);
    assert_eq!(take(&log), ["before1", "before2", "after2", "after1", "teardown:None"]);
}

#[tokio::test]
async fn after_request_can_change_every_response() {
    let mut app = App::new("hooks");
    app.route("/", ["GET"], || async { "ok" });
    app.after_request(|_: &Request, mut response: Response| {
        response.headers_mut().insert("x-frame-options", "DENY".parse().unwrap());
        response
    });
    let client = app.test_client();
    assert_eq!(client.get("/").send().await.header("x-frame-options"), Some("DENY"));
    assert_eq!(client.get("/missing").send().await.header("x-frame-options"), Some("DENY"));
}

#[tokio::test]
async fn panics_reach_teardown_and_hooks_panics_are_contained() {
    let log = Log::default();
    let mut app = app_with_hooks(&log);
    app.route("/boom", ["GET"], || -> &'static str { panic!("view failed") });
    let client = app.test_client();
    let response = client.get("/boom").send().await;
    assert_eq!(response.status(), 500);
    assert_eq!(take(&log), ["before1", "before2", "after2", "after1", "teardown:view failed"]);

    let mut app = App::new("hooks");
    app.before_request(|request: &Request| -> Option<Response> {
        if request.path() == "/bad-before" {
            panic!("before failed");
        }
        None
    });
    app.after_request(|request: &Request, response: Response| {
        if request.path() == "/bad-after" {
            panic!("after failed");
        }
        response
    });
    app.teardown_request(|_: &Request, _: Option<&Unhandled>| panic!("teardown failed"));
    app.route("/<name>", ["GET"], |Path(name): Path<String>| async move { name });
    let client = app.test_client();
    assert_eq!(client.get("/bad-before").send().await.status(), 500);
    assert_eq!(client.get("/bad-after").send().await.status(), 500);
    assert_eq!(client.get("/fine").send().await.text(), "fine");
}

/// A user as a `before_request` hook loads it from storage.
#[derive(Clone, Debug, PartialEq)]
struct User(String);

/// Storage that answers after an await, and fails for the name "broken".
async fn load_user(name: &str) -> Result<Option<User>, std::io::Error> {
    tokio::task::yield_now().await;
    match name {
        "broken" => Err(std::io::Error::other("storage is down")),
        "" => Ok(None),
        name => Ok(Some(User(name.to_string()))),
    }
}

#[tokio::test]
async fn hooks_may_be_async_and_may_fail_with_question_mark() {
    let audit = Log::default();
    let mut app = App::new("hooks");
    // Flask's `g.user = load_user(...)` in a before_request hook, with an await and `?`.
    app.before_request(|request: Request| async move {
        let name = request.header("x-user").unwrap_or_default().to_string();
        match load_user(&name).await? {
            Some(user) => {
                request.g().insert(user);
                // An async block's `?` needs its error type named once.
                Ok::<_, ViewError>(None)
            }
            None => Ok(Some(jsonify!({"msg": "who are you?"}).status(401))),
        }
    });
    let audit_log = audit.clone();
    app.after_request(move |request: Request, mut response: Response| {
        let audit_log = audit_log.clone();
        async move {
            tokio::task::yield_now().await;
            audit_log.lock().unwrap().push(format!("{} {}", request.path(), response.status().as_u16()));
            response.headers_mut().insert("x-audited", "yes".parse().unwrap());
            response
        }
    });
    let teardown_log = audit.clone();
    app.teardown_request(move |_: Request, error: Option<Unhandled>| {
        let teardown_log = teardown_log.clone();
        async move {
            teardown_log.lock().unwrap().push(format!("teardown {}", error.map_or("ok".into(), |e| e.to_string())));
        }
    });
    app.errorhandler_for(|error: &std::io::Error| jsonify!({"msg": format!("storage: {error}")}).status(503));
    app.route("/me", ["GET"], |Stashed(user): Stashed<User>| async move { user.0 });
    let client = app.test_client();

    let me = client.get("/me").header("X-User", "ann").send().await;
    assert_eq!((me.text(), me.header("x-audited")), ("ann".to_string(), Some("yes")));
    let nobody = client.get("/me").send().await;
    assert_eq!((nobody.status().as_u16(), nobody.json()), (401, serde_json::json!({"msg": "who are you?"})));
    let broken = client.get("/me").header("X-User", "broken").send().await;
    assert_eq!(broken.status(), 503, "the hook's error went to the error handler for its type");
    assert_eq!(broken.header("x-audited"), Some("yes"), "after_request hooks run on error responses");
    assert_eq!(take(&audit), ["/me 200", "teardown ok", "/me 401", "teardown ok", "/me 503", "teardown ok"]);
}
