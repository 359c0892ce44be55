//! Structs read field by field into a value that already exists.
//!
//! A derived `Deserialize` builds a struct from one local per field, then moves the whole
//! value out through every layer of the deserializer and once more into its `Box`. For a
//! `Message` (well over a kilobyte) those moves were a large part of decoding. Here the
//! generated [`Fill::fill`] writes each field into place: a boxed struct is allocated
//! first (holding placeholders) and filled where it will stay.
//!
//! The fields come from a [`Source`]: the live entries of a JSON object, or (for a union
//! member) entries read before the union's tag was found, then the live ones.
//!
//! A generated `fill` is a loop over [`Source::next_field`], which finds each key's field in
//! the struct's [`Keys`] table, skips unknown keys and refuses repeated ones, and a `match`
//! on the field's index that reads its value: per field, one arm with one call. Finding,
//! skipping and the repeat check are compiled once per source rather than into every
//! field. A few structs read in nearly every update match their keys in place instead (see
//! `INLINE_KEYS` in the generator), where the comparisons of a short key cost less than a
//! lookup.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::Key;
pub(crate) use super::keys::Keys;
use crate::held::Held;

/// A struct the generator reads field by field.
pub(crate) trait Fill: Sized {
    /// The type's name, for the deserializer.
    const NAME: &'static str;
    /// What an error says was expected (`struct Message`).
    const EXPECTING: &'static str;
    /// Every field's wire name (a field's index is its place in the struct), a table that
    /// finds a key's field, and the names errors give (see [`Keys`]).
    const KEYS: Keys;

    /// A value to fill: required fields hold cheap placeholders, optional ones `None`.
    fn placeholder() -> Self;

    /// Reads every entry of `src` into `self`; errors name a missing or repeated field.
    fn fill<'de, S: Source<'de>>(&mut self, src: &mut S) -> Result<(), S::Error>;
}

/// Where [`Fill::fill`] reads entries from.
pub(crate) trait Source<'de> {
    /// The deserializer's error.
    type Error: de::Error;

    /// The next key, or `None` at the end of the object.
    fn next_key(&mut self) -> Result<Option<Cow<'de, str>>, Self::Error>;

    /// The value of the key just read.
    fn value<T: DeserializeOwned>(&mut self) -> Result<T, Self::Error>;

    /// The value of the key just read, filled in its box.
    fn boxed<T: Fill>(&mut self) -> Result<Box<T>, Self::Error>;

    /// The value of the key just read, `null` as `None`, else filled in its box.
    fn boxed_option<T: Fill>(&mut self) -> Result<Option<Box<T>>, Self::Error>;

    /// The value of the key just read, an array of structs or unions (see [`ListSeed`]).
    fn list<T: DeserializeOwned>(&mut self) -> Result<Vec<T>, Self::Error>;

    /// The same, `null` as `None`.
    fn list_option<T: DeserializeOwned>(&mut self) -> Result<Option<Vec<T>>, Self::Error>;

    /// Skips the value of the key just read (a field this version does not know).
    fn skip(&mut self) -> Result<(), Self::Error>;

    /// Reads the value of the key just read into `slot`, which holds a placeholder that
    /// owns nothing (see [`put`]).
    ///
    /// This and the two below are out of line, one copy per source and field type, and
    /// write the value where it goes: read in each field's arm, the value was returned on
    /// the stack and copied into the field there, which made the arm several times larger.
    #[inline(never)]
    fn put_value<T: DeserializeOwned>(&mut self, slot: &mut T) -> Result<(), Self::Error> {
        put(slot, self.value()?);
        Ok(())
    }

    /// [`put_value`](Source::put_value) of an optional boxed struct.
    #[inline(never)]
    fn put_boxed_option<T: Fill>(&mut self, slot: &mut Option<Box<T>>) -> Result<(), Self::Error> {
        put(slot, self.boxed_option()?);
        Ok(())
    }

    /// [`put_value`](Source::put_value) of an optional list of structs or unions.
    #[inline(never)]
    fn put_list_option<T: DeserializeOwned>(
        &mut self,
        slot: &mut Option<Vec<T>>,
    ) -> Result<(), Self::Error> {
        put(slot, self.list_option()?);
        Ok(())
    }

    /// The index in `keys` of the next key that names a field, skipping the values of
    /// the others, or `None` at the end of the object. A field already in `seen` is an
    /// error, as with a derived `Deserialize`; one returned is added to it.
    ///
    /// Out of line, and generic only over the source: finding the field, the repeat check
    /// and skipping were compiled into every struct's `fill` when each struct matched its
    /// keys itself.
    #[inline(never)]
    fn next_field(&mut self, keys: Keys, seen: &mut [u64]) -> Result<Option<usize>, Self::Error> {
        while let Some(key) = self.next_key()? {
            let Some(index) = keys.find(&key) else {
                self.skip()?;
                continue;
            };
            first(seen, index, keys)?;
            return Ok(Some(index));
        }
        Ok(None)
    }
}

/// Adds field `index` to `seen`; a second time is an error, as with a derived
/// `Deserialize`.
#[inline(always)]
pub(crate) fn first<E: de::Error>(seen: &mut [u64], index: usize, keys: Keys) -> Result<(), E> {
    if let Some(word) = seen.get_mut(index / 64) {
        let bit = 1u64 << (index % 64);
        if *word & bit != 0 {
            return Err(duplicate(keys.name(index).unwrap_or_default()));
        }
        *word |= bit;
    }
    Ok(())
}

/// What [`deserialize`] and [`boxed`] tell the deserializer a struct's fields are. JSON
/// readers (this crate's, serde_json's, and `serde_json::Value`) do not look at the list,
/// and the names are in [`Fill::KEYS`]: a list of `&str` would cost two words and a
/// relocation per field wherever the call is not inlined.
const NO_FIELDS: &[&str] = &[];

/// Reads `T` the way a derived `Deserialize` would: from a JSON object.
pub(crate) fn deserialize<'de, D: de::Deserializer<'de>, T: Fill>(
    deserializer: D,
) -> Result<T, D::Error> {
    let mut out = Held::new(T::placeholder());
    deserializer.deserialize_struct(T::NAME, NO_FIELDS, FillVisitor(out.get_mut()))?;
    Ok(out.into_inner())
}

/// Reads `T` straight into its box.
pub(crate) fn boxed<'de, D: de::Deserializer<'de>, T: Fill>(
    deserializer: D,
) -> Result<Box<T>, D::Error> {
    let mut out = Held::new(Box::write(Box::new_uninit(), T::placeholder()));
    deserializer.deserialize_struct(T::NAME, NO_FIELDS, FillVisitor(&mut **out.get_mut()))?;
    Ok(out.into_inner())
}

/// Fills the value it holds from a map.
pub(crate) struct FillVisitor<'a, T>(pub(crate) &'a mut T);

impl<'de, T: Fill> Visitor<'de> for FillVisitor<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.0.fill(&mut Live(map))
    }

    // A JSON reader offers a struct an array too (serde_json's and the crate's). Refuse it, after reading it to its end so the
    // error is placed at the array as a whole.
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        refuse_seq(seq, T::EXPECTING)
    }
}

// Out of line and not generic over the struct: inlined, the skipping loop was compiled into
// the read of every struct.
#[cold]
#[inline(never)]
fn refuse_seq<'de, A: de::SeqAccess<'de>>(seq: A, expecting: &'static str) -> Result<(), A::Error> {
    IgnoredAny.visit_seq(seq)?;
    Err(de::Error::invalid_type(de::Unexpected::Seq, &expecting))
}

/// [`boxed`] as a seed, for values read through a `MapAccess`.
pub(crate) struct BoxSeed<T>(PhantomData<fn() -> T>);

impl<T> BoxSeed<T> {
    pub(crate) fn new() -> Self {
        BoxSeed(PhantomData)
    }
}

impl<'de, T: Fill> DeserializeSeed<'de> for BoxSeed<T> {
    type Value = Box<T>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Box<T>, D::Error> {
        boxed(deserializer)
    }
}

/// An optional [`BoxSeed`]: `null` is `None`.
pub(crate) struct OptionBoxSeed<T>(PhantomData<fn() -> T>);

impl<T> OptionBoxSeed<T> {
    pub(crate) fn new() -> Self {
        OptionBoxSeed(PhantomData)
    }
}

impl<'de, T: Fill> DeserializeSeed<'de> for OptionBoxSeed<T> {
    type Value = Option<Box<T>>;

    // Out of line: a union member's field is read from the live entries or from an entry
    // kept before the tag, both through `&mut Reader`, and inlined, each of the two held
    // its own copy of this read.
    #[inline(never)]
    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, T: Fill> Visitor<'de> for OptionBoxSeed<T> {
    type Value = Option<Box<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        boxed(deserializer).map(Some)
    }
}

/// An array read as serde reads a `Vec`, but the partly read list is [`Held`]: its drop
/// glue, and that of every struct in it, is compiled once in `discard` and not into each
/// reader of a list.
pub(crate) struct ListSeed<T>(PhantomData<fn() -> T>);

impl<T> ListSeed<T> {
    pub(crate) fn new() -> Self {
        ListSeed(PhantomData)
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ListSeed<T> {
    type Value = Vec<T>;

    // Out of line, as `OptionBoxSeed`'s.
    #[inline(never)]
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListSeed<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
        read_list(seq)
    }
}

/// The elements of `seq`, kept in a [`Held`] list while they are read.
pub(crate) fn read_list<'de, T: Deserialize<'de>, A: de::SeqAccess<'de>>(
    mut seq: A,
) -> Result<Vec<T>, A::Error> {
    let mut items = Held::new(Vec::new());
    while let Some(item) = seq.next_element()? {
        items.get_mut().push(item);
    }
    Ok(items.into_inner())
}

/// An optional [`ListSeed`]: `null` is `None`.
pub(crate) struct OptionListSeed<T>(PhantomData<fn() -> T>);

impl<T> OptionListSeed<T> {
    pub(crate) fn new() -> Self {
        OptionListSeed(PhantomData)
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for OptionListSeed<T> {
    type Value = Option<Vec<T>>;

    // Out of line, as `OptionBoxSeed`'s.
    #[inline(never)]
    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for OptionListSeed<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        ListSeed::new().deserialize(deserializer).map(Some)
    }
}

/// The live entries of an object.
pub(crate) struct Live<A>(pub(crate) A);

impl<'de, A: MapAccess<'de>> Source<'de> for Live<A> {
    type Error = A::Error;

    fn next_key(&mut self) -> Result<Option<Cow<'de, str>>, A::Error> {
        Ok(self.0.next_key::<Key<'de>>()?.map(|key| key.0))
    }

    fn value<T: DeserializeOwned>(&mut self) -> Result<T, A::Error> {
        self.0.next_value()
    }

    fn boxed<T: Fill>(&mut self) -> Result<Box<T>, A::Error> {
        self.0.next_value_seed(BoxSeed::new())
    }

    fn boxed_option<T: Fill>(&mut self) -> Result<Option<Box<T>>, A::Error> {
        self.0.next_value_seed(OptionBoxSeed::new())
    }

    fn list<T: DeserializeOwned>(&mut self) -> Result<Vec<T>, A::Error> {
        self.0.next_value_seed(ListSeed::new())
    }

    fn list_option<T: DeserializeOwned>(&mut self) -> Result<Option<Vec<T>>, A::Error> {
        self.0.next_value_seed(OptionListSeed::new())
    }

    fn skip(&mut self) -> Result<(), A::Error> {
        self.0.next_value::<IgnoredAny>().map(drop)
    }
}

/// A placeholder in its box: the box is allocated first, so that an allocation that
/// unwinds leaves no value behind to drop (as `Box::new` of a value made first would).
#[inline(always)]
pub(crate) fn boxed_placeholder<T: Fill>() -> Box<T> {
    Box::write(Box::new_uninit(), T::placeholder())
}

/// Writes `value` over a field whose placeholder owns memory (a box), dropping the
/// placeholder out of line, in [`crate::held::discard`]: dropped here, it would compile the
/// drop code of the field's type, and of all it may hold, into this `fill`.
#[inline(always)]
pub(crate) fn replace<T>(slot: &mut T, value: T) {
    crate::held::discard(std::mem::replace(slot, value));
}

/// Writes `value` over a field that still holds its placeholder, without dropping the
/// placeholder. The generator writes this only for fields whose placeholder owns no memory
/// (see `owns_nothing` in the generator), so nothing leaks; skipping the drop keeps the
/// dead drop code of each field, and the drop glue of what it holds, out of every `fill`.
#[inline(always)]
pub(crate) fn put<T>(slot: &mut T, value: T) {
    std::mem::forget(std::mem::replace(slot, value));
}

/// Errors, naming the first missing field in the struct's order, unless every field
/// marked in `required` is in `seen`. One test per struct, not one per required field.
#[inline]
pub(crate) fn require<E: de::Error, const WORDS: usize>(
    seen: &[u64; WORDS],
    required: &[u64; WORDS],
    keys: Keys,
) -> Result<(), E> {
    if seen
        .iter()
        .zip(required)
        .all(|(seen, required)| seen & required == *required)
    {
        return Ok(());
    }
    Err(first_missing(seen, required, keys))
}

#[cold]
#[inline(never)]
fn first_missing<E: de::Error>(seen: &[u64], required: &[u64], keys: Keys) -> E {
    let marked =
        |bits: &[u64], i: usize| bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0);
    match (0..keys.len()).find(|&i| marked(required, i) && !marked(seen, i)) {
        Some(i) => missing(keys.name(i).unwrap_or_default()),
        None => E::custom("a required field is missing"),
    }
}

// The two errors out of line: inlined, each caller carried its own copy of the message's
// formatting.
#[cold]
#[inline(never)]
fn duplicate<E: de::Error>(name: &'static str) -> E {
    E::duplicate_field(name)
}

#[cold]
#[inline(never)]
fn missing<E: de::Error>(name: &'static str) -> E {
    E::missing_field(name)
}
