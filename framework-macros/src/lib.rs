//! Route attributes and decorators for phial (see the `phial` crate).
