//! Unions read from the entries of their object, without a `serde_json::Value`.
//!
//! The generated [`Union::read`] asks [`Fields`] for the tag; entries that come before it
//! (`ChatMember` sends `user` before `status`) are kept as raw JSON text, and once the tag
//! picks the variant, they are replayed into it, followed by the live entries. An unknown
//! tag turns everything into the `Value` that `Unknown` keeps. Errors inside the variant
//! are raised while the object is being read, so the reader reports them at the place in
//! the text where they happened (or, for an entry read before the tag, at the end of the
//! union's object).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::Key;
use super::fill::{self, BoxSeed, Fill, ListSeed, OptionBoxSeed, OptionListSeed, Source};
use crate::held::Held;
use crate::read::{self, ReadError, Reader};

/// A union the generator reads by its tag (or by presence of fields, or by `date`).
pub(crate) trait Union: Sized {
    /// What an error says was expected (`a ChatMember object`).
    const EXPECTING: &'static str;

    /// Picks the variant and reads it from `fields`.
    fn read<'de, A: MapAccess<'de>>(fields: &mut Fields<'de, A>) -> Result<Self, A::Error>;
}

/// Reads a union from a JSON object.
pub(crate) fn deserialize<'de, D: de::Deserializer<'de>, U: Union>(
    deserializer: D,
) -> Result<U, D::Error> {
    deserializer.deserialize_map(UnionVisitor(PhantomData))
}

struct UnionVisitor<U>(PhantomData<fn() -> U>);

impl<'de, U: Union> Visitor<'de> for UnionVisitor<U> {
    type Value = U;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(U::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<U, A::Error> {
        let mut fields = Fields::new(map);
        let read = U::read(&mut fields);
        fields.finish(read)
    }
}

/// A union that is a string, an array of itself, or an object told apart by its tag
/// (`RichText`).
pub(crate) trait TextUnion: Union {
    /// Plain text.
    fn plain(text: String) -> Self;
    /// Several in a row.
    fn concat(items: Vec<Self>) -> Self;
}

/// Reads a [`TextUnion`] from a string, an array or an object.
pub(crate) fn deserialize_text<'de, D: de::Deserializer<'de>, U: TextUnion + DeserializeOwned>(
    deserializer: D,
) -> Result<U, D::Error> {
    deserializer.deserialize_any(TextUnionVisitor(PhantomData))
}

struct TextUnionVisitor<U>(PhantomData<fn() -> U>);

impl<'de, U: TextUnion + DeserializeOwned> Visitor<'de> for TextUnionVisitor<U> {
    type Value = U;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(U::EXPECTING)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<U, E> {
        Ok(U::plain(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<U, E> {
        Ok(U::plain(v))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<U, A::Error> {
        fill::read_list(seq).map(U::concat)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<U, A::Error> {
        UnionVisitor(PhantomData).visit_map(map)
    }
}

/// The entries of a union's object: the ones read so far, kept as text, and the rest.
pub(crate) struct Fields<'de, A> {
    map: A,
    /// Entries read before the tag, in order.
    early: Early<'de>,
    /// The tag, once read (it is not replayed: a variant writes its tag itself).
    tag: Option<(&'static str, Cow<'de, str>)>,
    /// The live map has ended.
    ended: bool,
    /// A variant failed while its early entries were replayed, before it read live ones.
    failed_early: bool,
}

impl<'de, A: MapAccess<'de>> Fields<'de, A> {
    fn new(map: A) -> Self {
        Fields {
            map,
            early: Early::default(),
            tag: None,
            ended: false,
            failed_early: false,
        }
    }

    /// Reads up to the tag `name`, keeping the entries before it; errors when there is none
    /// or it is not a string.
    pub(crate) fn tag(&mut self, name: &'static str) -> Result<Cow<'de, str>, A::Error> {
        while let Some(key) = self.live_key()? {
            if key == name {
                let tag = self.map.next_value_seed(TagSeed)?;
                self.tag = Some((name, tag.clone()));
                return Ok(tag);
            }
            let raw = self.map.next_value::<Box<RawValue>>()?;
            self.early.push((key, raw));
        }
        Err(de::Error::missing_field(name))
    }

    /// Reads up to the field `name`, keeping it and the entries before it for the variant;
    /// its value when it is an integer (`None` when absent or not an integer).
    pub(crate) fn integer(&mut self, name: &'static str) -> Result<Option<i64>, A::Error> {
        while let Some(key) = self.live_key()? {
            let found = key == name;
            let raw = self.map.next_value::<Box<RawValue>>()?;
            let value = found.then(|| read::from_str::<Value>(raw.get()));
            self.early.push((key, raw));
            if let Some(value) = value {
                return Ok(value.ok().and_then(|v| v.as_i64()));
            }
        }
        Ok(None)
    }

    /// Reads every remaining entry, for a choice by presence of fields.
    pub(crate) fn read_all(&mut self) -> Result<(), A::Error> {
        while let Some(key) = self.live_key()? {
            let raw = self.map.next_value::<Box<RawValue>>()?;
            self.early.push((key, raw));
        }
        Ok(())
    }

    /// Whether every one of `names` was read (after [`Fields::read_all`]) with a value
    /// other than `null`.
    pub(crate) fn has_all(&self, names: &[&str]) -> bool {
        names.iter().all(|name| {
            self.early
                .iter()
                .any(|(key, raw)| key == name && raw.get() != "null")
        })
    }

    /// Reads the variant `T` by value.
    pub(crate) fn member<T: Fill>(&mut self) -> Result<T, A::Error> {
        let mut out = Held::new(T::placeholder());
        self.fill(out.get_mut())?;
        Ok(out.into_inner())
    }

    /// Reads the variant `T` into its box.
    pub(crate) fn boxed<T: Fill>(&mut self) -> Result<Box<T>, A::Error> {
        let mut out = Held::new(Box::write(Box::new_uninit(), T::placeholder()));
        self.fill(&mut **out.get_mut())?;
        Ok(out.into_inner())
    }

    fn fill<T: Fill>(&mut self, out: &mut T) -> Result<(), A::Error> {
        let early = std::mem::take(&mut self.early);
        let mut replay = Replay {
            fields: self,
            early: early.into_iter(),
            pending: None,
            live: false,
        };
        let filled = out.fill(&mut replay);
        if filled.is_err() && !replay.live {
            replay.fields.failed_early = true;
        }
        filled
    }

    /// Everything, as the JSON object `Unknown` keeps.
    pub(crate) fn unknown(&mut self) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        for (key, raw) in std::mem::take(&mut self.early) {
            let value = read::from_str(raw.get()).map_err(de::Error::custom)?;
            object.insert(key.into_owned(), value);
        }
        if let Some((name, tag)) = &self.tag {
            object.insert((*name).to_owned(), Value::String(tag.clone().into_owned()));
        }
        while let Some(key) = self.live_key()? {
            let value = self.map.next_value::<Value>()?;
            object.insert(key.into_owned(), value);
        }
        Ok(Value::Object(object))
    }

    fn live_key(&mut self) -> Result<Option<Cow<'de, str>>, A::Error> {
        if self.ended {
            return Ok(None);
        }
        let key = self.map.next_key::<Key<'de>>()?.map(|key| key.0);
        self.ended = key.is_none();
        Ok(key)
    }

    /// Ends the object. A variant that failed on an entry read before the tag leaves the
    /// rest unread; reading it now makes the reader report the error at the end of the
    /// union, where a path-tracking reader would put it, instead of in the middle.
    fn finish<U>(mut self, read: Result<U, A::Error>) -> Result<U, A::Error> {
        let drain = read.is_ok() || self.failed_early;
        let read = Held::new(read);
        if drain {
            while self.live_key()?.is_some() {
                self.map.next_value::<IgnoredAny>()?;
            }
        }
        read.into_inner()
    }
}

/// A variant's source: the early entries first, then the live ones.
struct Replay<'f, 'de, A> {
    fields: &'f mut Fields<'de, A>,
    early: EarlyIter<'de>,
    /// The value of the early key just handed out.
    pending: Option<Box<RawValue>>,
    /// The variant has read a live key.
    live: bool,
}

impl<'de, A: MapAccess<'de>> Replay<'_, 'de, A> {
    fn replayed<T>(result: Result<T, ReadError>) -> Result<T, A::Error> {
        result.map_err(de::Error::custom)
    }
}

impl<'de, A: MapAccess<'de>> Source<'de> for Replay<'_, 'de, A> {
    type Error = A::Error;

    fn next_key(&mut self) -> Result<Option<Cow<'de, str>>, A::Error> {
        if let Some((key, raw)) = self.early.next() {
            self.pending = Some(raw);
            return Ok(Some(key));
        }
        self.live = true;
        self.fields.live_key()
    }

    fn value<T: DeserializeOwned>(&mut self) -> Result<T, A::Error> {
        match self.pending.take() {
            Some(raw) => Self::replayed(read::from_str(raw.get())),
            None => self.fields.map.next_value(),
        }
    }

    fn boxed<T: Fill>(&mut self) -> Result<Box<T>, A::Error> {
        match self.pending.take() {
            Some(raw) => Self::replayed(fill::boxed(&mut Reader::new(raw.get()))),
            None => self.fields.map.next_value_seed(BoxSeed::new()),
        }
    }

    fn boxed_option<T: Fill>(&mut self) -> Result<Option<Box<T>>, A::Error> {
        match self.pending.take() {
            Some(raw) => {
                Self::replayed(OptionBoxSeed::new().deserialize(&mut Reader::new(raw.get())))
            }
            None => self.fields.map.next_value_seed(OptionBoxSeed::new()),
        }
    }

    fn list<T: DeserializeOwned>(&mut self) -> Result<Vec<T>, A::Error> {
        match self.pending.take() {
            Some(raw) => Self::replayed(ListSeed::new().deserialize(&mut Reader::new(raw.get()))),
            None => self.fields.map.next_value_seed(ListSeed::new()),
        }
    }

    fn list_option<T: DeserializeOwned>(&mut self) -> Result<Option<Vec<T>>, A::Error> {
        match self.pending.take() {
            Some(raw) => {
                Self::replayed(OptionListSeed::new().deserialize(&mut Reader::new(raw.get())))
            }
            None => self.fields.map.next_value_seed(OptionListSeed::new()),
        }
    }

    fn skip(&mut self) -> Result<(), A::Error> {
        match self.pending.take() {
            Some(_) => Ok(()),
            None => self.fields.map.next_value::<IgnoredAny>().map(drop),
        }
    }
}

/// An entry read before the tag.
type Entry<'de> = (Cow<'de, str>, Box<RawValue>);

/// The entries read before the tag: a few in place (telling a variant apart rarely needs
/// more than the three `MaybeInaccessibleMessage` reads before `date`), the rest in a `Vec`.
#[derive(Default)]
struct Early<'de> {
    first: [Option<Entry<'de>>; 4],
    rest: Vec<Entry<'de>>,
}

impl<'de> Early<'de> {
    fn push(&mut self, entry: Entry<'de>) {
        match self.first.iter_mut().find(|slot| slot.is_none()) {
            Some(slot) => *slot = Some(entry),
            None => self.rest.push(entry),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &Entry<'de>> {
        self.first.iter().flatten().chain(&self.rest)
    }
}

impl<'de> IntoIterator for Early<'de> {
    type Item = Entry<'de>;
    type IntoIter = EarlyIter<'de>;

    fn into_iter(self) -> EarlyIter<'de> {
        self.first.into_iter().flatten().chain(self.rest)
    }
}

type EarlyIter<'de> = std::iter::Chain<
    std::iter::Flatten<std::array::IntoIter<Option<Entry<'de>>, 4>>,
    std::vec::IntoIter<Entry<'de>>,
>;

struct TagSeed;

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        super::tag(deserializer)
    }
}
