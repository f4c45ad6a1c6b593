//! `examples/browser_login.rs` in a real browser: headless Chromium, driven through
//! chromedriver, logs in through the form, sees the flashed message once, calls the
//! protected API from the page's script with the CSRF double submit, is refused
//! without it, cannot read the HttpOnly access cookie, and logs out.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them).
//! Without them the test says so and passes, except under `CI=true`, where it fails.

#[path = "../examples/browser_login.rs"]
#[allow(dead_code)]
mod browser_login;

use fantoccini::{Client, ClientBuilder, Locator};
use phial::testing::LiveServer;
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Option<Driver> {
    let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    Some(Driver { child, port })
}

async fn connect(driver: &Driver) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_string(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"]
        }),
    );
    let url = format!("http://127.0.0.1:{}", driver.port);
    for _ in 0..50 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector).capabilities(capabilities.clone()).connect(&url).await {
            Ok(client) => return client,
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    panic!("chromedriver on port {} did not answer", driver.port);
}

/// The text of the element `css`, once it is there (the page may still be loading)
/// and not empty.
async fn text_of(browser: &Client, css: &str) -> String {
    for _ in 0..50 {
        let text = match browser.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if !text.is_empty() {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    String::new()
}

/// Calls the API from the page, with or without the CSRF header; its status and body.
async fn whoami_from_page(browser: &Client, with_csrf: bool) -> Value {
    let script = r#"
        const [withCsrf, done] = arguments;
        const csrf = document.cookie.split("; ").find((c) => c.startsWith("csrf_access_token="));
        const headers = withCsrf && csrf ? { "X-CSRF-TOKEN": csrf.split("=")[1] } : {};
        fetch("/api/whoami", { method: "POST", credentials: "same-origin", headers })
            .then(async (r) => done({ status: r.status, body: await r.json() }));
    "#;
    browser.execute_async(script, vec![json!(with_csrf)]).await.unwrap()
}

#[tokio::test]
async fn a_browser_logs_in_calls_the_api_with_csrf_and_logs_out() {
    if Command::new("chromedriver").arg("--version").output().is_err() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true: chromium-driver must be installed");
        eprintln!("skipped: chromedriver is not installed (apt-get install chromium chromium-driver)");
        return;
    }
    let server = LiveServer::start(browser_login::create_app("session-secret", "a-jwt-secret-of-32-bytes-or-more!"))
        .await
        .unwrap();
    let driver = start_driver().expect("chromedriver starts");
    let browser = connect(&driver).await;
    let page = server.url("/");

    browser.goto(&page).await.unwrap();
    browser.find(Locator::Css("#username")).await.unwrap().send_keys("test").await.unwrap();
    browser.find(Locator::Css("#password")).await.unwrap().send_keys("test").await.unwrap();
    browser.find(Locator::Css("#login-button")).await.unwrap().click().await.unwrap();
    assert_eq!(text_of(&browser, "#flashes").await, "Logged in", "the flashed message shows");
    browser.refresh().await.unwrap();
    let flashes = browser.find(Locator::Css("#flashes")).await.unwrap().text().await.unwrap();
    assert_eq!(flashes, "", "and only once");

    browser.find(Locator::Css("#whoami-button")).await.unwrap().click().await.unwrap();
    assert_eq!(text_of(&browser, "#whoami").await, "test", "the page's script called the API");
    let screenshot = browser.screenshot().await.unwrap();
    let shot = std::env::temp_dir().join("phial-browser-login.png");
    std::fs::write(&shot, screenshot).unwrap();
    eprintln!("screenshot of the logged-in page: {}", shot.display());

    let without_csrf = whoami_from_page(&browser, false).await;
    assert_eq!(without_csrf, json!({"status": 401, "body": {"msg": "Missing CSRF token"}}));
    let visible: String = browser.execute("return document.cookie", vec![]).await.unwrap().as_str().unwrap().into();
    assert!(visible.contains("csrf_access_token="), "{visible}");
    assert!(!visible.contains("access_token_cookie"), "the access cookie is HttpOnly: {visible}");

    browser.find(Locator::Css("#logout-button")).await.unwrap().click().await.unwrap();
    assert_eq!(text_of(&browser, "#flashes").await, "Logged out");
    let after: String = browser.execute("return document.cookie", vec![]).await.unwrap().as_str().unwrap().into();
    assert!(!after.contains("csrf_access_token"), "{after}");
    let refused = whoami_from_page(&browser, true).await;
    assert_eq!(refused["status"], 401, "{refused}");

    browser.close().await.unwrap();
}

/// The same flow in-process, for machines without a browser.
#[tokio::test]
async fn the_flow_through_the_test_client() {
    let client = browser_login::create_app("session-secret", "a-jwt-secret-of-32-bytes-or-more!").test_client();
    let refused = client.post("/login").form([("username", "test"), ("password", "nope")]).send().await;
    assert_eq!((refused.status().as_u16(), refused.header("location")), (302, Some("/")));
    assert!(client.get("/").send().await.text().contains(r#"<li class="error">Bad username or password</li>"#));

    let login = client.post("/login").form([("username", "test"), ("password", "test")]).send().await;
    assert_eq!(login.status(), 302);
    assert!(login.set_cookies().iter().any(|cookie| cookie.starts_with("access_token_cookie=")));
    assert!(client.get("/").send().await.text().contains(r#"<li class="message">Logged in</li>"#));

    let no_csrf = client.post("/api/whoami").send().await;
    assert_eq!((no_csrf.status().as_u16(), no_csrf.json::<Value>()), (401, json!({"msg": "Missing CSRF token"})));
    let csrf = client.get_cookie("csrf_access_token").unwrap();
    let whoami = client.post("/api/whoami").header("X-CSRF-TOKEN", &csrf).send().await;
    assert_eq!(whoami.json::<Value>(), json!({"user": "test"}));

    client.post("/logout").send().await;
    assert!(client.get_cookie("csrf_access_token").is_none());
    assert!(client.get("/").send().await.text().contains("Logged out"));
}
