//! The direct JSON writer (`crates/botapi-proto/src/encode/json.rs`) for everything a method
//! sends: each key is spelled out here, already in its JSON form with the comma before it,
//! so the generated code copies it instead of escaping it; optional fields are written only
//! when set, in the order `Serialize` writes them, so both give the same bytes.

use super::file::File;
use crate::model::{Field, Model, StrEnum, Struct, Ty, Union};
use crate::text::{field_ident, lit};

/// Whether values of `ty` have a generated writer; the others (floats, files) are written
/// through their `Serialize`.
fn writes(model: &Model, ty: &Ty) -> bool {
    match ty {
        Ty::Int | Ty::Bool | Ty::Str | Ty::ChatId | Ty::Enum(_) => true,
        Ty::Float | Ty::File => false,
        Ty::Array(inner) => writes(model, inner),
        Ty::Named(name) => writes_named(model, name),
    }
}

fn writes_named(model: &Model, name: &str) -> bool {
    match (model.structs.get(name), model.unions.get(name)) {
        (Some(s), _) => s.sent,
        (None, Some(u)) => union_writes(model, u),
        (None, None) => false,
    }
}

/// A union has a writer when each of its members has one.
fn union_writes(model: &Model, u: &Union) -> bool {
    u.variants
        .iter()
        .all(|v| model.structs.get(&v.member).is_some_and(|s| s.sent))
}

/// `text` as a JSON string.
fn json_str(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

/// The Rust literal of a field's key as the writer copies it: `,"name":`.
fn key(name: &str) -> String {
    lit(&format!(",{}:", json_str(name)))
}

/// The statements that write `fields` (and a constant tag first) as an object into `out`:
/// one call per field, so the generated code stays small and quick to compile.
fn object_body(model: &Model, fields: &[Field], tag: Option<(&str, &str)>, file: &mut File) {
    file.uses.insert("crate::encode::json::Object");
    if fields.is_empty() && tag.is_none() {
        file.line("Object::open(out).close()");
        return;
    }
    file.line("let mut object = Object::open(out);");
    if let Some((field, value)) = tag {
        file.line(&format!(
            "object.constant({});",
            lit(&format!(",{}:{}", json_str(field), json_str(value)))
        ));
    }
    for f in fields {
        let call = match (writes(model, &f.ty), f.required) {
            (true, true) => "field",
            (true, false) => "optional",
            (false, true) => "serde_field",
            (false, false) => "serde_optional",
        };
        file.line(&format!(
            "object.{call}({}, &self.{});",
            key(&f.name),
            field_ident(&f.name)
        ));
    }
    file.line("object.close()");
}

/// `impl WriteJson` for a struct users send (a union member writes its tag first).
pub(super) fn struct_writer(model: &Model, s: &Struct, file: &mut File) {
    if !s.sent {
        return;
    }
    file.uses.insert("crate::encode::json::WriteJson");
    file.line(&format!("impl WriteJson for {} {{", s.name));
    file.line("fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {");
    let tag = s.tag.as_ref().map(|(f, v)| (f.as_str(), v.as_str()));
    object_body(model, &s.fields, tag, file);
    file.line("}\n}\n");
}

/// `Method::write_json` of a method: its parameters as an object.
pub(super) fn method_writer(model: &Model, params: &[Field], file: &mut File) {
    file.line("fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {");
    object_body(model, params, None, file);
    file.line("}");
}

/// `impl WriteJson` for a union whose members are all sent: each variant writes itself.
pub(super) fn union_writer(model: &Model, u: &Union, rich: Option<(&str, &str)>, file: &mut File) {
    if !union_writes(model, u) {
        return;
    }
    file.uses.insert("crate::encode::json::WriteJson");
    file.line(&format!("impl WriteJson for {} {{", u.name));
    file.line("fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {");
    file.line("match self {");
    let idents = rich
        .into_iter()
        .flat_map(|(plain, array)| [plain, array])
        .chain(u.variants.iter().map(|v| v.ident.as_str()));
    for ident in idents {
        file.line(&format!("Self::{ident}(v) => v.write_json(out),"));
    }
    file.line("Self::Unknown(v) => v.write_json(out),");
    file.line("}\n}\n}\n");
}

/// `impl WriteJson` for a string enum: a known value is a constant.
pub(super) fn enum_writer(e: &StrEnum, file: &mut File) {
    file.uses.insert("crate::encode::json::WriteJson");
    file.line(&format!("impl WriteJson for {} {{", e.name));
    file.line("fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {");
    file.line("match self {");
    for v in &e.values {
        file.line(&format!(
            "Self::{} => out.extend_from_slice({}.as_bytes()),",
            crate::text::value_variant(v),
            lit(&json_str(v))
        ));
    }
    file.line("Self::Unknown(value) => return value.write_json(out),");
    file.line("}\nOk(())\n}\n}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_json_with_the_comma_first() {
        assert_eq!(key("chat_id"), r#"",\"chat_id\":""#);
    }

    #[test]
    fn floats_and_files_go_through_serde() {
        let model = Model {
            version: String::new(),
            type_order: Vec::new(),
            type_anchors: Default::default(),
            structs: Default::default(),
            unions: Default::default(),
            inline_unions: Vec::new(),
            enums: Vec::new(),
            methods: Vec::new(),
            sections: Vec::new(),
        };
        assert!(writes(&model, &Ty::Array(Box::new(Ty::Int))));
        assert!(!writes(&model, &Ty::Array(Box::new(Ty::Float))));
        assert!(!writes(&model, &Ty::File));
        assert!(!writes(&model, &Ty::Named("Unheard".into())));
    }
}
