//! Union types: the enum of variants with `Unknown`, writing each variant as itself, and
//! reading by tag, by presence of fields, by `date`, or by JSON kind.

use super::file::File;
use crate::hand::{self, Untagged};
use crate::model::{Model, Union, UnionKind, Variant};
use crate::text::{doc_url, lit};

/// A union: the enum, its serde impls, conversions from each member, and `HasUploads` when
/// a member can carry a file.
pub(super) fn union_type(model: &Model, u: &Union, file: &mut File) {
    declaration(u, file);
    serialize(u, file);
    deserialize(u, file);
    let rich = is_rich(u).then_some((hand::RICH_TEXT_PLAIN, hand::RICH_TEXT_ARRAY));
    super::write_json::union_writer(model, u, rich, file);
    conversions(u, file);
    if u.uploads {
        has_uploads(model, u, file);
    }
}

/// `RichText`: a string and an array are variants besides the tagged objects.
fn is_rich(u: &Union) -> bool {
    u.kind == UnionKind::Untagged(Untagged::PlainArrayOrTagged)
}

/// The doc line, saying how variants are told apart, and the enum.
fn declaration(u: &Union, file: &mut File) {
    let how = match &u.kind {
        UnionKind::Tagged(field) => format!("told apart by `{field}`"),
        UnionKind::Untagged(Untagged::Presence) => "told apart by their required fields".into(),
        UnionKind::Untagged(Untagged::DateZero) => {
            "told apart by `date` (0 when inaccessible)".into()
        }
        UnionKind::Untagged(Untagged::PlainArrayOrTagged) => {
            "a string, an array, or an object told apart by `type`".into()
        }
    };
    match (&u.anchor, &u.expr) {
        (Some(anchor), _) => file.line(&format!(
            "/// [{}]({}): one of the types below, {how}.",
            u.name,
            doc_url(anchor)
        )),
        (None, Some(expr)) => file.line(&format!("/// `{expr}`: one of these types, {how}.")),
        (None, None) => unreachable!("a union has an anchor or an expression"),
    }
    file.line("#[derive(Debug, Clone, PartialEq)]");
    file.line("#[non_exhaustive]");
    file.line(&format!("pub enum {} {{", u.name));
    file.uses.insert("super::*");
    if is_rich(u) {
        file.line("/// Plain text (a JSON string).");
        file.line(&format!("{}(String),", hand::RICH_TEXT_PLAIN));
        file.line("/// Several rich texts in a row (a JSON array).");
        file.line(&format!("{}(Vec<{}>),", hand::RICH_TEXT_ARRAY, u.name));
    }
    for v in &u.variants {
        if v.tag.is_empty() {
            file.line(&format!("/// `{}`.", v.member));
        } else {
            file.line(&format!("/// `{}`, tagged `\"{}\"`.", v.member, v.tag));
        }
        if v.boxed {
            file.line(&format!("{}(Box<{}>),", v.ident, v.member));
        } else {
            file.line(&format!("{}({}),", v.ident, v.member));
        }
    }
    file.line("/// A variant this library does not know yet, kept as the JSON that came.");
    file.line("Unknown(serde_json::Value),");
    file.line("}\n");
}

/// `Serialize`: each variant writes itself (tag included).
fn serialize(u: &Union, file: &mut File) {
    file.line(&format!("impl Serialize for {} {{", u.name));
    file.line(
        "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {",
    );
    file.line("match self {");
    if is_rich(u) {
        file.line(&format!(
            "Self::{}(v) => v.serialize(serializer),",
            hand::RICH_TEXT_PLAIN
        ));
        file.line(&format!(
            "Self::{}(v) => v.serialize(serializer),",
            hand::RICH_TEXT_ARRAY
        ));
    }
    for v in &u.variants {
        file.line(&format!("Self::{}(v) => v.serialize(serializer),", v.ident));
    }
    file.line("Self::Unknown(v) => v.serialize(serializer),");
    file.line("}\n}\n}\n");
}

/// `Deserialize` through `wire::Union`: find the tag (or the fields, or `date`) while
/// reading the object, then read the variant from the same entries.
fn deserialize(u: &Union, file: &mut File) {
    file.uses.insert("crate::types::wire");
    let what = lit(&format!("a {} object", u.name));
    file.line(&format!("impl<'de> Deserialize<'de> for {} {{", u.name));
    file.line(
        "fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {",
    );
    if is_rich(u) {
        file.line("wire::union::deserialize_text(deserializer)\n}\n}\n");
        file.line(&format!("impl wire::union::TextUnion for {} {{", u.name));
        file.line(&format!(
            "fn plain(text: String) -> Self {{\nSelf::{}(text)\n}}\n",
            hand::RICH_TEXT_PLAIN
        ));
        file.line(&format!(
            "fn concat(items: Vec<Self>) -> Self {{\nSelf::{}(items)\n}}\n}}\n",
            hand::RICH_TEXT_ARRAY
        ));
    } else {
        file.line("wire::union::deserialize(deserializer)\n}\n}\n");
    }
    file.line(&format!("impl wire::Union for {} {{", u.name));
    file.line(&format!("const EXPECTING: &'static str = {what};\n"));
    file.line("fn read<'de, A: serde::de::MapAccess<'de>>(fields: &mut wire::Fields<'de, A>) -> Result<Self, A::Error> {");
    match &u.kind {
        UnionKind::Tagged(field) => tagged_body(u, field, file),
        UnionKind::Untagged(Untagged::Presence) => {
            file.line("fields.read_all()?;");
            file.line("Ok(");
            presence_chain(u.variants.iter().collect(), file, true);
            file.line(")");
        }
        UnionKind::Untagged(Untagged::DateZero) => date_zero_body(u, file),
        UnionKind::Untagged(Untagged::PlainArrayOrTagged) => tagged_body(u, "type", file),
    }
    file.line("}\n}\n");
}

/// `MaybeInaccessibleMessage`: `date` 0 is the inaccessible message.
fn date_zero_body(u: &Union, file: &mut File) {
    let [message, inaccessible] = ["Message", "InaccessibleMessage"].map(|m| {
        u.variants
            .iter()
            .find(|v| v.member == m)
            .map(read)
            .expect("MaybeInaccessibleMessage has both variants")
    });
    file.line("Ok(match fields.integer(\"date\")? {");
    file.line(&format!("Some(0) => {inaccessible},"));
    file.line(&format!("Some(_) => {message},"));
    file.line("None => Self::Unknown(fields.unknown()?),");
    file.line("})");
}

/// `From` each member (and, for `RichText`, from text).
fn conversions(u: &Union, file: &mut File) {
    for v in &u.variants {
        let value = if v.boxed { "Box::new(value)" } else { "value" };
        file.line(&format!(
            "impl From<{m}> for {u} {{\nfn from(value: {m}) -> Self {{\nSelf::{i}({value})\n}}\n}}\n",
            m = v.member,
            u = u.name,
            i = v.ident
        ));
    }
    if is_rich(u) {
        for (ty, conv) in [("String", "value"), ("&str", "value.to_owned()")] {
            file.line(&format!(
                "impl From<{ty}> for {u} {{\nfn from(value: {ty}) -> Self {{\nSelf::{p}({conv})\n}}\n}}\n",
                u = u.name,
                p = hand::RICH_TEXT_PLAIN
            ));
        }
    }
}

/// `HasUploads`: the variants that can carry a file list theirs.
fn has_uploads(model: &Model, u: &Union, file: &mut File) {
    file.uses.insert("crate::{HasUploads, Upload}");
    file.line(&format!("impl HasUploads for {} {{", u.name));
    file.line("fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {");
    let arms: Vec<_> = u
        .variants
        .iter()
        .filter(|v| model.uploads(&v.member))
        .collect();
    if let [only] = arms.as_slice() {
        file.line(&format!(
            "if let Self::{}(v) = self {{\nv.uploads(out);\n}}",
            only.ident
        ));
    } else {
        file.line("match self {");
        for v in arms {
            file.line(&format!("Self::{}(v) => v.uploads(out),", v.ident));
        }
        file.line("_ => {}");
        file.line("}");
    }
    file.line("}\n}\n");
}

fn tagged_body(u: &Union, field: &str, file: &mut File) {
    file.line(&format!("Ok(match &*fields.tag({})? {{", lit(field)));
    let mut tags: Vec<&str> = Vec::new();
    for v in &u.variants {
        if !tags.contains(&v.tag.as_str()) {
            tags.push(&v.tag);
        }
    }
    for tag in tags {
        let same: Vec<_> = u.variants.iter().filter(|v| v.tag == tag).collect();
        if let [only] = same.as_slice() {
            file.line(&format!("{} => {},", lit(tag), read(only)));
        } else {
            file.line(&format!("{} => {{\nfields.read_all()?;", lit(tag)));
            presence_chain(same, file, false);
            file.line("}");
        }
    }
    file.line("_ => Self::Unknown(fields.unknown()?),");
    file.line("})");
}

/// Picks among variants by required fields (read by `fields.read_all()` before): most
/// required fields first. With `unknown`, no match gives `Unknown`; without, the last
/// candidate is read (and its error names what is missing). An expression.
fn presence_chain(mut candidates: Vec<&Variant>, file: &mut File, unknown: bool) {
    candidates.sort_by_key(|v| std::cmp::Reverse(v.required.len()));
    let last = candidates.len() - 1;
    for (i, v) in candidates.iter().enumerate() {
        if i == last && !unknown {
            file.line(&format!("{{\n{}\n}}", read(v)));
        } else {
            let fields: Vec<String> = v.required.iter().map(|f| lit(f)).collect();
            file.line(&format!(
                "if fields.has_all(&[{}]) {{\n{}\n}} else",
                fields.join(", "),
                read(v)
            ));
        }
    }
    if unknown {
        file.line("{\nSelf::Unknown(fields.unknown()?)\n}");
    }
}

/// The expression that reads variant `v` from `fields`: by value, or into its box.
fn read(v: &Variant) -> String {
    if v.boxed {
        format!("Self::{}(fields.boxed()?)", v.ident)
    } else {
        format!("Self::{}(fields.member()?)", v.ident)
    }
}
