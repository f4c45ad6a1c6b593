//! One log line per request, with method, path, status and time; refused input is
//! logged too.

use phial::prelude::*;
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn each_request_is_logged_once_with_its_outcome() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async {
            let mut app = App::new("logging");
            app.route("/login", ["POST"], |Json(body): Json<serde_json::Value>| async move { Json(body) });
            let client = app.test_client();
            client.post("/login").json(&serde_json::json!({"a": 1})).send().await;
            client.post("/login").content_type("application/json").body("{oops").send().await;
            client.get("/nowhere?q=1").send().await;
        });
    });
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    let served: Vec<&str> = log.lines().filter(|line| line.contains("served")).collect();
    assert_eq!(served.len(), 3, "{log}");
    assert!(served[0].contains("method=POST path=/login status=200 elapsed_us="), "{log}");
    assert!(served[1].contains("status=400"), "{log}");
    assert!(served[2].contains("method=GET path=/nowhere status=404"), "{log}");
    assert!(log.contains("malformed JSON body"), "the refused body is logged with its reason: {log}");
}
