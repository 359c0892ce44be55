//! A struct's key table: which field a JSON key names, found with one hash and one
//! comparison, in a table that holds no pointer (see [`Keys`]).

/// A struct's field names and a table that finds a key's field with one hash and one
/// comparison. The generator picks, per struct, a seed and a table size (a power of two,
/// at least twice the number of fields) under which every name lands in a slot of its
/// own, so any key is looked up in one slot: its field, or no field.
///
/// All of it is one byte string, packed by [`Keys::pack`] at compile time: the seed (eight
/// bytes, little-endian), the table's `bits`, the number of fields (two bytes), one byte
/// per slot (0 for none, else one more than the index of the name that lands there), where
/// each name ends (two bytes each), then the names one after the other. In a
/// position-independent binary every pointer stored in a table costs a relocation at load
/// (24 bytes, and the table's own 8); a table that is only bytes costs none, and the one
/// pointer to it is made by the code that passes it.
#[derive(Clone, Copy)]
pub(crate) struct Keys {
    pub(crate) packed: &'static [u8],
}

/// Where `bits` and the field count lie in [`Keys::packed`], after the seed, and where
/// the slots begin.
const BITS: usize = 8;
const COUNT: usize = 9;
const SLOTS: usize = 11;

impl Keys {
    /// The packed table of `N` bytes (see [`Keys`]); the generator computes `N`, and a
    /// wrong one fails the build.
    pub(crate) const fn pack<const N: usize>(
        seed: u64,
        bits: u32,
        slots: &[u8],
        ends: &[u16],
        names: &str,
    ) -> [u8; N] {
        assert!(
            N == SLOTS + slots.len() + 2 * ends.len() + names.len(),
            "a key table's length is not the one the generator gave"
        );
        // `hash` shifts by `64 - bits`; the count is two bytes.
        assert!(bits >= 1 && bits < 16 && slots.len() == 1 << bits);
        assert!(ends.len() <= u16::MAX as usize);
        let mut out = [0u8; N];
        let seed = seed.to_le_bytes();
        let mut i = 0;
        while i < seed.len() {
            out[i] = seed[i];
            i += 1;
        }
        out[BITS] = bits as u8;
        let count = (ends.len() as u16).to_le_bytes();
        out[COUNT] = count[0];
        out[COUNT + 1] = count[1];
        let mut at = SLOTS;
        i = 0;
        while i < slots.len() {
            out[at] = slots[i];
            at += 1;
            i += 1;
        }
        i = 0;
        while i < ends.len() {
            let end = ends[i].to_le_bytes();
            out[at] = end[0];
            out[at + 1] = end[1];
            at += 2;
            i += 1;
        }
        let names = names.as_bytes();
        i = 0;
        while i < names.len() {
            out[at] = names[i];
            at += 1;
            i += 1;
        }
        out
    }

    /// The index of the field named `key`.
    #[inline]
    pub(crate) fn find(self, key: &str) -> Option<usize> {
        let key = key.as_bytes();
        let words = words(key);
        let slot = *self
            .slots()
            .get(hash(key.len(), words, self.seed(), self.bits()))?;
        let index = usize::from(slot).checked_sub(1)?;
        let name = self.name_bytes(index)?;
        // The windows cover a name of up to 24 bytes: longer ones are compared in full.
        let same = name.len() == key.len()
            && self::words(name) == words
            && (key.len() <= 24 || name == key);
        same.then_some(index)
    }

    /// The name of field `index`.
    pub(crate) fn name(self, index: usize) -> Option<&'static str> {
        std::str::from_utf8(self.name_bytes(index)?).ok()
    }

    /// How many fields there are.
    pub(crate) fn len(self) -> usize {
        self.packed.get(COUNT..SLOTS).map_or(0, |count| {
            usize::from(u16::from_le_bytes([count[0], count[1]]))
        })
    }

    #[inline(always)]
    fn seed(self) -> u64 {
        self.packed
            .first_chunk()
            .map_or(0, |&seed| u64::from_le_bytes(seed))
    }

    #[inline(always)]
    fn bits(self) -> u32 {
        // At least 1, as `pack` makes it, whatever the bytes say: `hash` shifts by `64 - bits`.
        self.packed
            .get(BITS)
            .map_or(1, |&bits| u32::from(bits).max(1))
    }

    #[inline(always)]
    fn slots(self) -> &'static [u8] {
        self.packed
            .get(SLOTS..SLOTS + (1 << self.bits()))
            .unwrap_or_default()
    }

    /// Where the names begin.
    #[inline(always)]
    fn names_start(self) -> usize {
        SLOTS + (1 << self.bits()) + 2 * self.len()
    }

    /// Where name `index` ends, counted from the start of the names.
    #[inline(always)]
    fn end(self, index: usize) -> Option<usize> {
        let at = SLOTS + (1 << self.bits()) + 2 * index;
        let end = self.packed.get(at..at + 2)?;
        Some(usize::from(u16::from_le_bytes([end[0], end[1]])))
    }

    fn name_bytes(self, index: usize) -> Option<&'static [u8]> {
        if index >= self.len() {
            return None;
        }
        let start = match index {
            0 => 0,
            _ => self.end(index - 1)?,
        };
        let names = self.names_start();
        self.packed.get(names + start..names + self.end(index)?)
    }
}

/// The slot of `key` in a table of `1 << bits` slots (`bits` from 1 to 63).
#[cfg(test)]
fn slot(key: &[u8], seed: u64, bits: u32) -> usize {
    hash(key.len(), words(key), seed, bits)
}

/// Up to three words that, with the length, tell apart any two texts of up to 24 bytes:
/// eight-byte windows at the start, the middle and the end; for shorter texts, four-byte
/// windows at each end, or the first, middle and last bytes. They cover every byte, and
/// are read without a copy or a call.
#[inline(always)]
fn words(b: &[u8]) -> (u64, u64, u64) {
    let n = b.len();
    let w64 = |at: usize| {
        b.get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map_or(0, u64::from_le_bytes)
    };
    let w32 = |at: usize| {
        b.get(at..at + 4)
            .and_then(|w| <[u8; 4]>::try_from(w).ok())
            .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
    };
    let byte = |at: usize| b.get(at).map_or(0, |&b| u64::from(b));
    match n {
        8.. => (w64(0), w64(n / 2 - 4), w64(n - 8)),
        4..8 => (w32(0) | w32(n - 4) << 32, 0, 0),
        1..4 => (byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16, 0, 0),
        0 => (0, 0, 0),
    }
}

/// The slot of a text of length `n` with [`words`] `w`. The generator computes the same
/// function to lay out the tables (`botapi-codegen`, `emit/fill.rs`); a test here checks
/// every generated table against this one.
#[inline(always)]
fn hash(n: usize, (first, middle, last): (u64, u64, u64), seed: u64, bits: u32) -> usize {
    const MIX: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = seed ^ n as u64;
    h = (h ^ first).wrapping_mul(MIX);
    h = (h ^ middle).wrapping_mul(MIX);
    h = (h ^ last).wrapping_mul(MIX);
    (h >> (64 - bits)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::types::KEY_TABLES;
    use crate::types::wire::fill::Fill;

    /// Every generated table sends each of its names to its own field under the hash
    /// computed here, so the generator's copy of the hash agrees with this one.
    #[test]
    fn every_table_finds_each_of_its_fields() {
        assert!(KEY_TABLES.len() > 300, "{} tables", KEY_TABLES.len());
        for &keys in KEY_TABLES {
            let names = String::from_utf8_lossy(&keys.packed[keys.names_start()..]);
            assert_eq!(keys.slots().len(), 1 << keys.bits());
            assert!(keys.slots().len() >= 2 * keys.len());
            let last_end = keys
                .len()
                .checked_sub(1)
                .map_or(Some(0), |last| keys.end(last));
            assert_eq!(last_end, Some(names.len()), "{names}");
            for i in 0..keys.len() {
                let name = keys.name(i).unwrap();
                assert!(!name.is_empty(), "{names}");
                assert_eq!(keys.find(name), Some(i), "{name} in {names}");
            }
            assert_eq!(keys.name(keys.len()), None);
            let filled = keys.slots().iter().filter(|&&s| s != 0).count();
            assert_eq!(filled, keys.len());
        }
    }

    /// A packed table of another length than the generator said is refused (at compile
    /// time for the generated ones).
    #[test]
    #[should_panic(expected = "length")]
    fn a_table_of_the_wrong_length_is_refused() {
        let _ = Keys::pack::<14>(0, 1, &[1, 0], &[1], "a");
    }

    /// A key that is no field's name finds nothing, also where it shares a slot, a length
    /// or a prefix with a field's.
    #[test]
    fn other_keys_find_nothing() {
        let user = <crate::types::User as Fill>::KEYS;
        for key in [
            "",
            "i",
            "idd",
            "ID",
            "first_nam",
            "first_namex",
            "is_bot\0",
            "usernamf",
        ] {
            assert_eq!(user.find(key), None, "{key:?}");
        }
        // Every slot is tried: a key for each one that is not a name.
        let mut tried = vec![false; user.slots().len()];
        for n in 0..100_000u32 {
            let key = format!("k{n}");
            tried[slot(key.as_bytes(), user.seed(), user.bits())] = true;
            assert_eq!(user.find(&key), None);
        }
        assert!(tried.iter().all(|&t| t));
    }

    /// Keys longer than the three windows still find their field, and a key that differs
    /// from a name only between the windows finds nothing.
    #[test]
    fn long_keys_compare_in_full() {
        const NAMES: &[&str] = &["a_name_well_past_twenty_four_bytes_long", "short"];
        let (seed, bits) = (0..)
            .map(|seed| (seed, 2))
            .find(|&(seed, bits)| {
                slot(NAMES[0].as_bytes(), seed, bits) != slot(NAMES[1].as_bytes(), seed, bits)
            })
            .unwrap();
        let mut slots = [0u8; 4];
        for (i, name) in NAMES.iter().enumerate() {
            slots[slot(name.as_bytes(), seed, bits)] = i as u8 + 1;
        }
        let packed = Keys::pack::<63>(
            seed,
            bits,
            &slots,
            &[39, 44],
            "a_name_well_past_twenty_four_bytes_longshort",
        );
        let keys = Keys {
            packed: Vec::leak(packed.to_vec()),
        };
        assert_eq!(keys.find(NAMES[0]), Some(0));
        assert_eq!(keys.find("short"), Some(1));
        // Same length, start, middle and end windows; one byte differs in a gap.
        let twin = "a_name_wexl_past_twenty_four_bytes_long";
        assert_eq!(twin.len(), NAMES[0].len());
        assert_eq!(keys.find(twin), None);
    }
}
