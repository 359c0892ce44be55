//! `Update`: `update_id` plus an `UpdateKind` enum of the one optional field it carries,
//! with hand-written serde impls that keep unknown kinds.

use super::fields::field_doc;
use super::file::{File, Where, rust_ty};
use crate::model::{Field, Struct};
use crate::text::{doc_url, field_ident, lit, upper_camel};

/// `Update`: `update_id` plus the one optional field it carries, as an enum.
pub(super) fn update(s: &Struct, file: &mut File) {
    let u = Parts::of(s);
    file.uses.insert("super::*");
    update_struct(&u, file);
    kind_enum(&u, file);
    kind_names(&u, file);
    serialize(&u, file);
    deserialize(&u, file);
}

/// The spec's `Update` seen as its id and its kinds.
struct Parts<'s> {
    s: &'s Struct,
    /// The one required field, `update_id`.
    id: &'s Field,
    /// The optional fields: one kind each.
    kinds: Vec<&'s Field>,
}

impl<'s> Parts<'s> {
    fn of(s: &'s Struct) -> Self {
        let id = s
            .fields
            .iter()
            .find(|f| f.required)
            .expect("Update has a required id");
        let kinds = s.fields.iter().filter(|f| !f.required).collect();
        Parts { s, id, kinds }
    }
}

/// The struct and its constructor.
fn update_struct(u: &Parts<'_>, file: &mut File) {
    let id = field_ident(&u.id.name);
    let url = doc_url(&u.s.anchor);
    file.line(&format!(
        "/// [{}]({url}): `{}` and the one kind of update it carries.",
        u.s.name, u.id.name
    ));
    file.line("#[derive(Debug, Clone, PartialEq)]\n#[non_exhaustive]");
    file.line(&format!("pub struct {} {{", u.s.name));
    file.line(&field_doc(u.id));
    file.line(&format!("pub {id}: i64,"));
    file.line("/// The kind of update: the one optional field that is present.");
    file.line("pub kind: UpdateKind,\n}\n");
    file.line(&format!("impl {} {{", u.s.name));
    file.line("/// An update of the given kind.");
    file.line(&format!(
        "pub fn new({id}: i64, kind: UpdateKind) -> Self {{\nSelf {{ {id}, kind }}\n}}\n}}\n"
    ));
}

/// `UpdateKind`: a variant per kind, `Empty`, and `Unknown` with the field as sent.
fn kind_enum(u: &Parts<'_>, file: &mut File) {
    file.line("/// The kinds of [`Update`]: one variant per optional field of `Update`.");
    file.line("#[derive(Debug, Clone, PartialEq)]\n#[non_exhaustive]");
    file.line("pub enum UpdateKind {");
    for k in &u.kinds {
        file.line(&format!("/// `{}`: `{}`.", k.name, k.spec_ty));
        let ty = rust_ty(&k.ty, file, Where::Types);
        let ty = if k.boxed { format!("Box<{ty}>") } else { ty };
        file.line(&format!("{}({ty}),", upper_camel(&k.name)));
    }
    file.line(
        "/// No kind at all: the reference allows at most one optional field, so none is valid.",
    );
    file.line("Empty,");
    file.line("/// A kind this library does not know yet: its field name and its JSON, as sent.");
    file.line("Unknown {\n/// The field name.\nname: String,\n/// The value.\nvalue: serde_json::Value,\n},\n}\n");
}

/// `UpdateKind::NAMES` and `UpdateKind::name`.
fn kind_names(u: &Parts<'_>, file: &mut File) {
    file.line("impl UpdateKind {");
    file.line("/// The field names of every kind this library knows, which are also the values `allowed_updates` takes.");
    let names: Vec<String> = u.kinds.iter().map(|k| lit(&k.name)).collect();
    file.line(&format!(
        "pub const NAMES: &'static [&'static str] = &[{}];\n",
        names.join(", ")
    ));
    file.line("/// The field name of this kind, such as `message` (empty for `Empty`).");
    file.line("pub fn name(&self) -> &str {\nmatch self {");
    for k in &u.kinds {
        file.line(&format!(
            "Self::{}(_) => {},",
            upper_camel(&k.name),
            lit(&k.name)
        ));
    }
    file.line("Self::Empty => \"\",");
    file.line("Self::Unknown { name, .. } => name,\n}\n}\n}\n");
}

/// `Serialize`: the id, then the kind's field.
fn serialize(u: &Parts<'_>, file: &mut File) {
    let id = field_ident(&u.id.name);
    file.line(&format!("impl Serialize for {} {{", u.s.name));
    file.line(
        "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {",
    );
    file.line("use serde::ser::SerializeMap;");
    file.line("let mut out = serializer.serialize_map(None)?;");
    file.line(&format!(
        "out.serialize_entry({}, &self.{id})?;",
        lit(&u.id.name)
    ));
    file.line("match &self.kind {");
    for k in &u.kinds {
        file.line(&format!(
            "UpdateKind::{}(v) => out.serialize_entry({}, v)?,",
            upper_camel(&k.name),
            lit(&k.name)
        ));
    }
    file.line("UpdateKind::Empty => {}");
    file.line("UpdateKind::Unknown { name, value } => out.serialize_entry(name, value)?,");
    file.line("}\nout.end()\n}\n}\n");
}

/// `Deserialize`: a map visitor that takes the first kind it knows, else the first unknown
/// one, and ignores any further kinds.
fn deserialize(u: &Parts<'_>, file: &mut File) {
    file.uses.insert("crate::types::wire");
    let id = field_ident(&u.id.name);
    file.line(&format!("impl<'de> Deserialize<'de> for {} {{", u.s.name));
    file.line(
        "fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {",
    );
    file.line("deserializer.deserialize_map(UpdateVisitor)\n}\n}\n");
    file.line("struct UpdateVisitor;\n");
    file.line("impl<'de> serde::de::Visitor<'de> for UpdateVisitor {");
    file.line(&format!("type Value = {};", u.s.name));
    file.line("fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\nf.write_str(\"an Update object\")\n}\n");
    file.line("fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {");
    file.line("use serde::de::Error as _;");
    file.line(&format!("let mut {id} = None;"));
    // Held: an update read before a later error is dropped out of line, so the drop glue
    // of every kind stays out of this visitor.
    file.line("let mut kind = wire::Held::empty();");
    file.line("let mut unknown = wire::Held::empty();");
    file.line("while let Some(wire::Key(key)) = map.next_key::<wire::Key<'de>>()? {");
    file.line(&format!(
        "if key == {} {{\n{id} = Some(map.next_value()?);\ncontinue;\n}}",
        lit(&u.id.name)
    ));
    file.line(
        "if kind.slot().is_some() {\nmap.next_value::<serde::de::IgnoredAny>()?;\ncontinue;\n}",
    );
    file.line("wire::fill::put(kind.slot(), Some(match &*key {");
    for k in &u.kinds {
        // A boxed kind is read straight into its box.
        let read = if k.boxed {
            "map.next_value_seed(wire::fill::BoxSeed::new())?"
        } else {
            "map.next_value()?"
        };
        file.line(&format!(
            "{} => UpdateKind::{}({read}),",
            lit(&k.name),
            upper_camel(&k.name)
        ));
    }
    file.line("_ => {\nlet value = map.next_value()?;\nif unknown.slot().is_none() {\nwire::fill::put(unknown.slot(), Some(UpdateKind::Unknown { name: key.into_owned(), value }));\n}\ncontinue;\n}");
    file.line("}));\n}");
    file.line(&format!(
        "let {id} = {id}.ok_or_else(|| A::Error::missing_field({}))?;",
        lit(&u.id.name)
    ));
    file.line("let kind = match kind.take() {\nSome(kind) => kind,\nNone => unknown.take().unwrap_or_else(|| UpdateKind::Empty),\n};");
    file.line(&format!("Ok({} {{ {id}, kind }})\n}}\n}}\n", u.s.name));
}
