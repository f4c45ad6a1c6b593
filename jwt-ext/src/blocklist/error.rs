//! `BlocklistError`: why a store could not answer.

use std::fmt;

use crate::JwtError;

/// Why a [`Blocklist`](super::Blocklist) could not record or check a token.
///
/// Either way the manager answers 503 (or, for a check while failing open, lets the
/// token through): it converts into [`JwtError::BlocklistUnavailable`], whose
/// message is logged, never sent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BlocklistError {
    /// The store cannot be reached or answered with an error (the message says which).
    Unavailable(String),
    /// The store cannot do what was asked (a custom store without identity cut-offs).
    Unsupported(String),
    /// The store is full of revoked tokens that still work: nothing can be dropped
    /// without un-revoking one ([`MemoryBlocklist`](super::MemoryBlocklist)).
    Full {
        /// How many tokens the store holds at most.
        capacity: usize,
    },
}

impl BlocklistError {
    /// An [`Unavailable`](BlocklistError::Unavailable) error naming the store and the cause.
    pub fn unavailable(store: &str, cause: impl fmt::Display) -> BlocklistError {
        BlocklistError::Unavailable(format!("{store}: {cause}"))
    }
}

impl fmt::Display for BlocklistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BlocklistError::Unavailable(message) => write!(f, "blocklist store unavailable: {message}"),
            BlocklistError::Unsupported(message) => write!(f, "blocklist store cannot do this: {message}"),
            BlocklistError::Full { capacity } => write!(
                f,
                "blocklist full: {capacity} revoked tokens have not expired yet; raise the capacity or shorten token lifetimes"
            ),
        }
    }
}

impl std::error::Error for BlocklistError {}

impl From<BlocklistError> for JwtError {
    /// A store that cannot do what was asked is the app's mistake (a 500); any
    /// other failure is the store's (a 503).
    fn from(error: BlocklistError) -> JwtError {
        match error {
            BlocklistError::Unsupported(_) => JwtError::Setup(error.to_string()),
            other => JwtError::BlocklistUnavailable(other.to_string()),
        }
    }
}
