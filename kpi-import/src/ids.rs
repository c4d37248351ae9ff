//! Identifiers (student ids) numbered in the order first seen.
//!
//! A national students table looks up a million ids in a map of half a
//! million. With the ids as boxed strings, every look-up followed a pointer
//! to the heap to compare the text, and every new id was an allocation.
//! Ids are nearly always short (`ST00000052`, a 12-digit IIN): those of up
//! to 15 bytes are kept inline in two words ([`ShortId`]), compared without
//! leaving the map's own memory; longer ones are boxed as before.
//!
//! Most of the remaining time was cache misses: a new id went to a random
//! slot of a map of tens of megabytes. Ids are usually numbered
//! (`ST00000052`, `ST00000053`, …), and a table lists an organisation's
//! students together, so short ids are hashed by [`ShortId::locality`]:
//! ids that differ only in their last character share a slot group, and
//! new ids fill memory that is already in cache.

use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// An identifier of at most [`ShortId::MAX`] bytes, inline: its bytes, then
/// zeros, with its length in the last byte (so ids that differ only by
/// trailing NUL bytes stay apart).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ShortId([u64; 2]);

impl ShortId {
    /// The longest identifier kept inline, in bytes.
    pub(crate) const MAX: usize = 15;

    #[inline]
    pub(crate) fn new(id: &str) -> Option<ShortId> {
        let bytes = id.as_bytes();
        if bytes.len() > Self::MAX {
            return None;
        }
        let mut buf = [0u8; 16];
        buf[..bytes.len()].copy_from_slice(bytes);
        buf[15] = bytes.len() as u8;
        // Both words at once (bytes 0–7 low, 8–15 high), without a copy per word.
        let both = u128::from_le_bytes(buf);
        Some(ShortId([both as u64, (both >> 64) as u64]))
    }
}

impl ShortId {
    /// The id's hash, keeping numbered ids together: ids that differ only
    /// in their last character (`ST00000050` to `ST00000059`) get the same
    /// bits but the last four, which are those of that character, so they
    /// fall in one slot group of the map, in order. The rest of the id is
    /// mixed, so groups are spread as by any hash; the top seven bits,
    /// which the map compares before the keys, depend on the last
    /// character too.
    #[inline]
    fn locality(&self) -> u64 {
        const TOP: u64 = 0x7F << 57;
        // The finaliser of MurmurHash3: every input bit reaches every output bit.
        let mix = |x: u64| {
            let x = (x ^ (x >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
            let x = (x ^ (x >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
            x ^ (x >> 33)
        };
        let [lo, hi] = self.0;
        // The length is in the last byte: `hi` always tells ids of two lengths apart.
        let len = (hi >> 56) as usize;
        let Some(at) = len.checked_sub(1) else {
            return mix(hi);
        };
        let shift = (at % 8) * 8;
        let (lo, hi, last) = if at < 8 {
            (lo & !(0xFF << shift), hi, (lo >> shift) & 0xFF)
        } else {
            (lo, hi & !(0xFF << shift), (hi >> shift) & 0xFF)
        };
        let group = mix(lo ^ mix(hi));
        let top = (last.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ group) & TOP;
        (group & !TOP & !0xF) | (last & 0xF) | top
    }
}

impl Hash for ShortId {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.locality());
    }
}

/// Passes on the one `u64` a [`ShortId`] hashes to ([`ShortId::locality`]).
#[derive(Default)]
pub(crate) struct Unmixed(u64);

impl Hasher for Unmixed {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        // Not used by `ShortId`; any other key is still hashed (FNV-1a).
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
        }
    }
    #[inline]
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Identifiers numbered from `base` in the order first seen.
#[derive(Default)]
pub(crate) struct IdIndex {
    /// The number of the first identifier.
    base: u32,
    short: HashMap<ShortId, u32, BuildHasherDefault<Unmixed>>,
    long: FxHashMap<Box<str>, u32>,
    /// Every identifier's text, in the order of their numbers, one after
    /// the other (one buffer, not one allocation per identifier).
    texts: String,
    /// Where each identifier's text ends in `texts`.
    ends: Vec<usize>,
}

impl IdIndex {
    /// Identifiers numbered from `base`, with room for `n` of them.
    pub(crate) fn new(base: u32, n: usize) -> IdIndex {
        IdIndex {
            base,
            short: HashMap::with_capacity_and_hasher(n, Default::default()),
            long: FxHashMap::default(),
            texts: String::with_capacity(n * 12),
            ends: Vec::with_capacity(n),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The number of an identifier.
    #[inline]
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        match ShortId::new(id) {
            Some(key) => self.short.get(&key).copied(),
            None => self.long.get(id).copied(),
        }
    }

    /// The number of an identifier, numbered next when it is new (one look-up).
    #[inline]
    pub(crate) fn get_or_add(&mut self, id: &str) -> u32 {
        let next = self.base + self.ends.len() as u32;
        let number = match ShortId::new(id) {
            Some(key) => *self.short.entry(key).or_insert(next),
            None => match self.long.get(id) {
                Some(&i) => i,
                None => {
                    self.long.insert(id.into(), next);
                    next
                }
            },
        };
        if number == next {
            self.texts.push_str(id);
            self.ends.push(self.texts.len());
        }
        number
    }

    /// The identifier of a number, as written.
    pub(crate) fn text(&self, number: u32) -> Option<&str> {
        let k = number.checked_sub(self.base)? as usize;
        let end = *self.ends.get(k)?;
        let start = k.checked_sub(1).map_or(0, |p| self.ends[p]);
        self.texts.get(start..end)
    }

    /// Every identifier, in the order of their numbers.
    pub(crate) fn texts(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.ends.len()).filter_map(|k| self.text(self.base + k as u32))
    }

    /// Adds the identifiers of `next`, numbered after these.
    pub(crate) fn append(&mut self, next: IdIndex) {
        debug_assert_eq!(next.base, self.base + self.len() as u32);
        if self.is_empty() {
            let base = self.base;
            *self = next;
            self.base = base;
            return;
        }
        let offset = self.texts.len();
        self.short.extend(next.short);
        self.long.extend(next.long);
        self.texts.push_str(&next.texts);
        self.ends.extend(next.ends.iter().map(|e| e + offset));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_ids_are_equal_only_for_the_same_text() {
        let ids = [
            "",
            "a",
            "b",
            "ab",
            "ST00000052",
            "ST00000053",
            "010340731756",
            "ұйым-1",
            "123456789012345",
        ];
        for a in ids {
            for b in ids {
                assert_eq!(ShortId::new(a) == ShortId::new(b), a == b, "{a} {b}");
            }
        }
        assert!(ShortId::new("1234567890123456").is_none());
        // A trailing NUL is part of the id: not the id without it.
        assert_ne!(ShortId::new("a\0"), ShortId::new("a"));
        assert_ne!(ShortId::new("\0"), ShortId::new(""));
    }

    #[test]
    fn ids_differing_in_the_last_character_share_a_slot_group_in_order() {
        let hash = |id: &str| ShortId::new(id).map(|k| k.locality()).unwrap_or_default();
        // Without the top seven bits (compared before the keys) and the last four.
        let group = |h: u64| h & !(0x7F << 57) & !0xF;
        let first = hash("ST00000050");
        for n in 50..60u64 {
            let h = hash(&format!("ST{n:08}"));
            assert_eq!(group(h), group(first), "{n}");
            // '0' to '9' are 0x30 to 0x39.
            assert_eq!(h & 0xF, n % 10, "{n}");
        }
        // The next ten, another prefix or another length: another group.
        for other in [
            "ST00000060",
            "SX00000050",
            "ST0000050",
            "ST000000050",
            "ST00000050x",
        ] {
            assert_ne!(group(hash(other)), group(first), "{other}");
        }
        // The top bits differ within a group, so the map rarely compares keys.
        let tops: std::collections::HashSet<u64> =
            (50..60).map(|n| hash(&format!("ST{n:08}")) >> 57).collect();
        assert!(tops.len() > 6, "{tops:?}");
        // Ids of eight bytes or more keep their last character's bits too.
        assert_eq!(hash("ABCDEFG7") & 0xF, 7);
        assert_eq!(hash("123456789012345") & 0xF, 5);
        assert_ne!(
            group(hash("123456789012345")),
            group(hash("123456789012355"))
        );
    }

    proptest! {
        /// Numbers ids as a plain map of strings does, whatever the mix
        /// of short and long ids, NUL bytes and non-ASCII text, and gives
        /// each id back by its number, also across two indices appended.
        #[test]
        fn numbers_ids_as_a_map_of_strings_does(
            ids in proptest::collection::vec("[a\\x00ұ0-9]{0,20}", 0..200),
            split in 0usize..200,
        ) {
            let split = split.min(ids.len());
            let mut first = IdIndex::new(0, 4);
            let mut plain: std::collections::HashMap<String, u32> = Default::default();
            let mut in_order: Vec<String> = Vec::new();
            for id in &ids[..split] {
                let next = plain.len() as u32;
                let want = *plain.entry(id.clone()).or_insert_with(|| { in_order.push(id.clone()); next });
                prop_assert_eq!(first.get_or_add(id), want);
                prop_assert_eq!(first.get(id), Some(want));
            }
            // A second index staged against the first, then appended.
            let mut second = IdIndex::new(first.len() as u32, 0);
            for id in &ids[split..] {
                let next = plain.len() as u32;
                let want = *plain.entry(id.clone()).or_insert_with(|| { in_order.push(id.clone()); next });
                let got = first.get(id).unwrap_or_else(|| second.get_or_add(id));
                prop_assert_eq!(got, want);
            }
            first.append(second);
            prop_assert_eq!(first.len(), plain.len());
            for (id, &n) in &plain {
                prop_assert_eq!(first.get(id), Some(n));
                prop_assert_eq!(first.text(n), Some(id.as_str()));
            }
            let texts: Vec<&str> = first.texts().collect();
            prop_assert_eq!(texts, in_order.iter().map(String::as_str).collect::<Vec<_>>());
            prop_assert_eq!(first.text(plain.len() as u32), None);
        }
    }
}
