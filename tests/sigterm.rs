//! SIGTERM on a real server process: in-flight requests complete, new connections
//! are refused, and the process exits with 0.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// The example binary cargo built next to this test (`target/<profile>/examples/`).
fn example(name: &str) -> PathBuf {
    let test_binary = std::env::current_exe().unwrap();
    let profile_dir = test_binary.parent().and_then(|deps| deps.parent()).unwrap();
    profile_dir.join("examples").join(name)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn wait_until_listening(port: u16) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_finishes_in_flight_requests_and_exits_zero() {
    let binary = example("graceful_shutdown");
    assert!(
        binary.exists(),
        "{} is missing: `cargo test --workspace` builds it; for this test alone run `cargo build --example graceful_shutdown` first",
        binary.display()
    );
    let port = free_port();
    let mut server = Command::new(&binary)
        .env("PORT", port.to_string())
        .env("RUST_LOG", "off")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until_listening(port).await;

    let mut in_flight = Vec::new();
    for _ in 0..3 {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        stream.write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        in_flight.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let status = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(status.success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err(), "new connections are refused during shutdown");

    for mut stream in in_flight {
        let mut answer = Vec::new();
        timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await.unwrap().unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 200") && answer.contains("finished"), "{answer}");
    }
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = server.try_wait().unwrap() {
            break exit;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "the server did not exit");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "exit status {exit}");
}

/// The quickstart logs each request at `info` through a background writer
/// (`phial::logging`); after SIGTERM every line is on standard output, the last
/// ones included: nothing is lost when the writer's buffer is flushed at exit;
/// each line names its client, two of them taking turns.
#[cfg(unix)]
#[tokio::test]
async fn the_access_log_is_flushed_on_sigterm() {
    let binary = example("quickstart");
    assert!(binary.exists(), "{} is missing: `cargo build --example quickstart`", binary.display());
    let port = free_port();
    let server = Command::new(&binary)
        .env("PORT", port.to_string())
        .env("JWT_SECRET_KEY", "sigterm-log-test-secret-of-32-bytes!!!!")
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until_listening(port).await;

    const REQUESTS: usize = 200;
    // Two clients, taking turns: each line names its own.
    let mut streams = Vec::new();
    for client in ["127.0.0.1", "127.0.0.2"] {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind((client.parse::<std::net::IpAddr>().unwrap(), 0).into()).unwrap();
        streams.push(socket.connect(([127, 0, 0, 1], port).into()).await.unwrap());
    }
    for n in 0..REQUESTS {
        let stream = &mut streams[n % 2];
        let request = format!("GET /protected?n={n} HTTP/1.1\r\nHost: x\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        // Read the whole 401 answer (head and its JSON body) before the next request.
        let mut answer = Vec::new();
        while !answer.ends_with(b"}\n") {
            let mut chunk = [0u8; 1024];
            let read = stream.read(&mut chunk).await.unwrap();
            assert!(read > 0, "the server closed the connection");
            answer.extend_from_slice(&chunk[..read]);
        }
    }
    drop(streams);
    let status = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(status.success());
    let output = server.wait_with_output().unwrap();
    assert!(output.status.success(), "{:?}", output.status);
    let log = String::from_utf8_lossy(&output.stdout);
    let served: Vec<&str> = log.lines().filter(|line| line.contains("served")).collect();
    assert_eq!(served.len(), REQUESTS, "every request's line is written:\n{log}");
    // Each line in tracing-subscriber's text: `2026-12-01T02:48:35.123456Z  INFO
    // phial::request: served client=127.0.0.1 method=GET path=/protected status=401 elapsed_us=57`.
    for (n, line) in served.into_iter().enumerate() {
        let (stamp, rest) = line.split_at(28);
        let shape: String = stamp.chars().map(|c| if c.is_ascii_digit() { '9' } else { c }).collect();
        assert_eq!(shape, "9999-99-99T99:99:99.999999Z ", "{line}");
        let expected = format!(
            " INFO phial::request: served client=127.0.0.{} method=GET path=/protected status=401 elapsed_us=",
            1 + n % 2
        );
        let elapsed = rest.strip_prefix(&expected).unwrap_or_else(|| panic!("{line}"));
        assert!(elapsed.parse::<u64>().is_ok(), "{line}");
    }
}
