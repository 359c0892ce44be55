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

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::Key;
use crate::held::Held;

/// A struct the generator reads field by field.
pub(crate) trait Fill: Sized {
    /// The type's name, for the deserializer.
    const NAME: &'static str;
    /// What an error says was expected (`struct Message`).
    const EXPECTING: &'static str;
    /// Every field's wire name.
    const FIELDS: &'static [&'static str];

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
}

/// Reads `T` the way a derived `Deserialize` would: from a JSON object.
pub(crate) fn deserialize<'de, D: de::Deserializer<'de>, T: Fill>(
    deserializer: D,
) -> Result<T, D::Error> {
    let mut out = Held::new(T::placeholder());
    deserializer.deserialize_struct(T::NAME, T::FIELDS, FillVisitor(out.get_mut()))?;
    Ok(out.into_inner())
}

/// Reads `T` straight into its box.
pub(crate) fn boxed<'de, D: de::Deserializer<'de>, T: Fill>(
    deserializer: D,
) -> Result<Box<T>, D::Error> {
    let mut out = Held::new(Box::write(Box::new_uninit(), T::placeholder()));
    deserializer.deserialize_struct(T::NAME, T::FIELDS, FillVisitor(&mut **out.get_mut()))?;
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

/// Writes `value` over a field that still holds its placeholder, without dropping the
/// placeholder. The generator writes this only for fields whose placeholder owns no memory
/// (see `owns_nothing` in the generator), so nothing leaks; skipping the drop keeps the
/// dead drop code of each field, and the drop glue of what it holds, out of every `fill`.
#[inline(always)]
pub(crate) fn put<T>(slot: &mut T, value: T) {
    std::mem::forget(std::mem::replace(slot, value));
}

/// Which fields a [`Fill::fill`] has read, to refuse a repeated one and name a missing one.
pub(crate) struct Seen<const WORDS: usize>([u64; WORDS]);

impl<const WORDS: usize> Seen<WORDS> {
    pub(crate) fn new() -> Self {
        Seen([0; WORDS])
    }

    /// Records field `index`; a second time is an error, as with a derived `Deserialize`.
    pub(crate) fn first<E: de::Error>(
        &mut self,
        index: usize,
        name: &'static str,
    ) -> Result<(), E> {
        let (word, bit) = (index / 64, 1u64 << (index % 64));
        if self.0[word] & bit != 0 {
            return Err(duplicate(name));
        }
        self.0[word] |= bit;
        Ok(())
    }

    /// Errors when required field `index` was not read.
    pub(crate) fn require<E: de::Error>(&self, index: usize, name: &'static str) -> Result<(), E> {
        if self.0[index / 64] & (1u64 << (index % 64)) == 0 {
            return Err(missing(name));
        }
        Ok(())
    }
}

// The two errors out of line: inlined, each field of each generated `fill` carried its own
// copy of the message's formatting.
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
