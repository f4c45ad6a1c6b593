//! The root package of the phial workspace. It has no code of its own: it owns the
//! runnable examples (`examples/`, e.g. `cargo run --example quickstart`) and the
//! workspace-level integration tests (`tests/`), which drive those examples and the
//! crates `phial`, `phial-macros` and `phial-jwt` together.
