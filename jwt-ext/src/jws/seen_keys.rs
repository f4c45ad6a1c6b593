//! Remembering the top-level keys of a payload, to refuse one that repeats,
//! without allocating for the usual dozen.

use std::borrow::Cow;
use std::collections::BTreeSet;

/// Keys compared one by one before the set takes over; a token made by
/// flask-jwt-extended has 7 to 9 claims.
const INLINE: usize = 16;

/// The keys seen so far: the first [`INLINE`] in an array, the rest in a
/// `BTreeSet`, so a hostile payload of many keys costs `O(n log n)`, not `O(n²)`.
pub(super) struct SeenKeys<'de> {
    inline: [Option<Cow<'de, str>>; INLINE],
    len: usize,
    more: BTreeSet<Cow<'de, str>>,
}

impl<'de> SeenKeys<'de> {
    /// No key seen yet (allocates nothing).
    pub(super) fn new() -> SeenKeys<'de> {
        SeenKeys { inline: [const { None }; INLINE], len: 0, more: BTreeSet::new() }
    }

    /// Remembers `key`; gives it back when it was seen before.
    pub(super) fn insert(&mut self, key: Cow<'de, str>) -> Result<(), Cow<'de, str>> {
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
            assert_eq!(seen.insert(Cow::Borrowed(name)), Ok(()), "{name}");
        }
        for name in [&names[0], &names[15], &names[16], &names[39]] {
            assert_eq!(seen.insert(Cow::Owned(name.clone())), Err(Cow::Borrowed(name.as_str())), "{name}");
        }
        assert_eq!(seen.insert(Cow::Borrowed("claim40")), Ok(()));
    }
}
