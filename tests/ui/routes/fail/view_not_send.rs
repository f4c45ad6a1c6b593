use phial::prelude::*;
use std::rc::Rc;
use std::sync::Mutex;

static COUNTER: Mutex<u32> = Mutex::new(0);

#[get("/count")]
async fn count() -> String {
    let guard = COUNTER.lock().unwrap();
    tokio::task::yield_now().await;
    guard.to_string()
}

#[get("/shared")]
async fn shared() -> String {
    let text = Rc::new(String::from("shared"));
    tokio::task::yield_now().await;
    text.to_string()
}

fn main() {}
