//! Flask's URL rule syntax: the [`phial_rule`] crate, which the route attributes
//! also run at compile time.

pub use phial_rule::*;
