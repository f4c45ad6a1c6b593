//! Flask's rule syntax: the very file phial parses rules with at run time, compiled
//! here too so that a route attribute refuses a bad rule at compile time with the
//! same message.

#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "../../framework/src/routing/rule.rs"]
mod shared;

pub(crate) use shared::{Converter, Rule};
