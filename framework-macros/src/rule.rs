//! Flask's rule syntax: the `phial-rule` crate phial parses rules with at run time,
//! run here too so that a route attribute refuses a bad rule at compile time with
//! the same message.

pub(crate) use phial_rule::{Converter, Rule};
