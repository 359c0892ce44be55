//! Struct types: the declaration, constructor and setters, the `Serialize` impl of a union
//! member that writes its tag, reading ([`super::fill`]), and `HasUploads`.

use super::fields::{Attrs, constructor, field_decl, setters, uploads_body};
use super::file::{File, Where};
use crate::model::{Model, Struct};
use crate::text::{doc_url, field_ident, lit};

/// A struct: its declaration, constructor and setters, the `Serialize` that writes its tag,
/// reading, and `HasUploads`.
pub(super) fn struct_type(model: &Model, s: &Struct, file: &mut File) {
    declaration(s, file);
    inherent(s, file);
    if let Some((field, value)) = &s.tag {
        serialize_tagged(s, field, value, file);
    }
    super::fill::fill(model, s, file);
    super::write_json::struct_writer(model, s, file);
    if s.uploads {
        has_uploads(model, s, file);
    }
}

fn has_no_required(s: &Struct) -> bool {
    s.fields.iter().all(|f| !f.required)
}

/// The doc line, derives and fields.
fn declaration(s: &Struct, file: &mut File) {
    let url = doc_url(&s.anchor);
    match &s.tag {
        Some((field, value)) => file.line(&format!(
            "/// [{}]({url}); always sent with `\"{field}\": \"{value}\"`.",
            s.name
        )),
        None => file.line(&format!("/// [{}]({url})", s.name)),
    }
    let mut derives = vec!["Debug", "Clone"];
    if has_no_required(s) {
        derives.push("Default");
    }
    derives.push("PartialEq");
    if s.tag.is_none() {
        derives.push("Serialize");
    }
    file.line(&format!("#[derive({})]", derives.join(", ")));
    file.line("#[non_exhaustive]");
    if s.fields.is_empty() {
        file.line(&format!("pub struct {} {{}}", s.name));
    } else {
        file.line(&format!("pub struct {} {{", s.name));
        let attrs = if s.tag.is_none() {
            Attrs::SerializeOnly
        } else {
            Attrs::None
        };
        for f in &s.fields {
            field_decl(f, file, Where::Types, attrs);
        }
        file.line("}");
    }
    file.line("");
}

/// The constructor, and setters for a type users send.
fn inherent(s: &Struct, file: &mut File) {
    file.line(&format!("impl {} {{", s.name));
    let doc = if has_no_required(s) {
        "An empty value; set fields with the setters or directly."
    } else {
        "A value with the required fields; the optional ones start empty."
    };
    constructor(doc, &s.fields, file, Where::Types);
    if s.sent {
        setters(&s.fields, file, Where::Types);
    }
    file.line("}");
    file.line("");
}

/// The tag is a constant, not a field: it is written here and checked by the union.
fn serialize_tagged(s: &Struct, field: &str, value: &str, file: &mut File) {
    file.line(&format!("impl Serialize for {} {{", s.name));
    file.line(
        "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {",
    );
    file.line("use serde::ser::SerializeStruct;");
    file.line(&format!(
        "let mut out = serializer.serialize_struct({}, {})?;",
        lit(&s.name),
        s.fields.len() + 1
    ));
    file.line(&format!(
        "out.serialize_field({}, {})?;",
        lit(field),
        lit(value)
    ));
    for f in &s.fields {
        let ident = field_ident(&f.name);
        if f.required {
            file.line(&format!(
                "out.serialize_field({}, &self.{ident})?;",
                lit(&f.name)
            ));
        } else {
            file.line(&format!(
                "if self.{ident}.is_some() {{ out.serialize_field({}, &self.{ident})?; }}",
                lit(&f.name)
            ));
        }
    }
    file.line("out.end()\n}\n}\n");
}

/// `HasUploads`: the fields that can carry a file list theirs.
fn has_uploads(model: &Model, s: &Struct, file: &mut File) {
    file.uses.insert("crate::{HasUploads, Upload}");
    file.line(&format!("impl HasUploads for {} {{", s.name));
    file.line("fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {");
    file.code.push_str(&uploads_body(&s.fields, model));
    file.line("}\n}\n");
}
