//! Remembering the top-level keys of a payload, to refuse one that repeats,
//! without allocating for the usual dozen. A registered claim (usually every
//! key) is remembered by its slot, one bit each; only the other keys are kept
//! and compared as strings.

use std::borrow::Cow;
use std::collections::BTreeSet;

/// Keys compared one by one before the set takes over; a token made by
/// flask-jwt-extended has 7 to 9 claims.
const INLINE: usize = 16;

/// The keys seen so far: the first [`INLINE`] in an array, the rest in a
/// `BTreeSet`, so a hostile payload of many keys costs `O(n log n)`, not `O(n²)`.
pub(super) struct SeenKeys<'de> {
    /// Bit `n`: the registered claim of slot `n` was seen.
    registered: u32,
    inline: [Option<Cow<'de, str>>; INLINE],
    len: usize,
    more: BTreeSet<Cow<'de, str>>,
}

impl<'de> SeenKeys<'de> {
    /// No key seen yet (allocates nothing).
    pub(super) fn new() -> SeenKeys<'de> {
        SeenKeys { registered: 0, inline: [const { None }; INLINE], len: 0, more: BTreeSet::new() }
    }

    /// Remembers `key`, whose registered-claim slot is `slot`
    /// (`RegisteredClaims::slot`); gives it back when it was seen before.
    pub(super) fn insert(&mut self, key: Cow<'de, str>, slot: Option<usize>) -> Result<(), Cow<'de, str>> {
        if let Some(slot) = slot {
            let bit = 1 << slot;
            if self.registered & bit != 0 {
                return Err(key);
            }
            self.registered |= bit;
            return Ok(());
        }
        let seen_inline = self.inline[..self.len].iter().flatten().any(|seen| *seen == key);
        if seen_inline || self.more.contains(&key) {
            return Err(key);
        }
        if self.len < INLINE {
            self.inline[self.len] = Some(key);
            self.len += 1;
        } else {
            self.more.insert(key);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_refused_the_second_time_inline_or_beyond() {
        let names: Vec<String> = (0..40).map(|i| format!("claim{i}")).collect();
        let mut seen = SeenKeys::new();
        for name in &names {
            assert_eq!(seen.insert(Cow::Borrowed(name), None), Ok(()), "{name}");
        }
        for name in [&names[0], &names[15], &names[16], &names[39]] {
            assert_eq!(seen.insert(Cow::Owned(name.clone()), None), Err(Cow::Borrowed(name.as_str())), "{name}");
        }
        assert_eq!(seen.insert(Cow::Borrowed("claim40"), None), Ok(()));
    }

    #[test]
    fn registered_claims_are_told_apart_by_slot() {
        let mut seen = SeenKeys::new();
        assert_eq!(seen.insert(Cow::Borrowed("sub"), Some(5)), Ok(()));
        assert_eq!(seen.insert(Cow::Borrowed("exp"), Some(2)), Ok(()));
        assert_eq!(seen.insert(Cow::Borrowed("sub"), Some(5)), Err(Cow::Borrowed("sub")));
        assert_eq!(seen.insert(Cow::Borrowed("other"), None), Ok(()));
    }
}
