//! Reading a struct: `wire::Fill` (a placeholder value and a loop that writes each field
//! into place) and the `Deserialize` that drives it. It reads what a derived
//! `Deserialize` would (unknown fields skipped, a repeated field refused, the first
//! missing required field named), plus the lenient rules, without moving the value.

use super::file::File;
use crate::hand::Lenient;
use crate::model::{Field, Model, Struct, Ty};
use crate::text::{field_ident, lit};

/// `impl wire::Fill` and `impl Deserialize` for `s`.
pub(super) fn fill(model: &Model, s: &Struct, file: &mut File) {
    file.uses.insert("crate::types::wire");
    let names: Vec<String> = s.fields.iter().map(|f| lit(&f.name)).collect();
    file.line(&format!("impl wire::Fill for {} {{", s.name));
    file.line(&format!("const NAME: &'static str = {};", lit(&s.name)));
    file.line(&format!(
        "const EXPECTING: &'static str = {};",
        lit(&format!("struct {}", s.name))
    ));
    file.line(&format!(
        "const FIELDS: &'static [&'static str] = &[{}];\n",
        names.join(", ")
    ));
    placeholder(model, s, file);
    fill_fn(model, s, file);
    file.line("}\n");
    file.line(&format!("impl<'de> Deserialize<'de> for {} {{", s.name));
    file.line(
        "fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {",
    );
    file.line("wire::fill::deserialize(deserializer)\n}\n}\n");
}

/// Whether `name` is a struct read through `wire::Fill` (so it can be filled in its box).
fn fills(model: &Model, name: &str) -> bool {
    model.structs.contains_key(name) && name != crate::hand::UPDATE
}

fn placeholder(model: &Model, s: &Struct, file: &mut File) {
    let inits: Vec<String> = s
        .fields
        .iter()
        .map(|f| {
            let value = if f.required {
                required_placeholder(model, f)
            } else {
                "None".to_owned()
            };
            format!("{}: {value}", field_ident(&f.name))
        })
        .collect();
    file.line("fn placeholder() -> Self {");
    file.line(&format!("Self {{ {} }}", inits.join(", ")));
    file.line("}\n");
}

/// A value that costs nothing to make; for a lenient field, the value a missing one reads as.
fn required_placeholder(model: &Model, f: &Field) -> String {
    let value = match &f.ty {
        Ty::Int => "0".to_owned(),
        Ty::Float => "0.0".to_owned(),
        Ty::Bool => "false".to_owned(),
        Ty::Str => "CompactString::const_new(\"\")".to_owned(),
        Ty::Array(_) => "Vec::new()".to_owned(),
        Ty::ChatId => "ChatId::Id(0)".to_owned(),
        Ty::File => "InputFile::FileId(String::new())".to_owned(),
        Ty::Enum(name) => format!("{name}::Unknown(String::new())"),
        Ty::Named(name) if fills(model, name) => format!("<{name} as wire::Fill>::placeholder()"),
        Ty::Named(name) => format!("{name}::Unknown(serde_json::Value::Null)"),
    };
    if f.boxed {
        format!("Box::new({value})")
    } else {
        value
    }
}

fn fill_fn(model: &Model, s: &Struct, file: &mut File) {
    file.line(
        "fn fill<'de, S: wire::Source<'de>>(&mut self, src: &mut S) -> Result<(), S::Error> {",
    );
    if s.fields.is_empty() {
        file.line("while src.next_key()?.is_some() {\nsrc.skip()?;\n}\nOk(())\n}");
        return;
    }
    file.line(&format!(
        "let mut seen = wire::fill::Seen::<{}>::new();",
        s.fields.len().div_ceil(64)
    ));
    file.line("while let Some(key) = src.next_key()? {\nmatch &*key {");
    for (i, f) in s.fields.iter().enumerate() {
        let name = lit(&f.name);
        file.line(&format!(
            "{name} => {{\nseen.first({i}, {name})?;\nself.{} = {};\n}}",
            field_ident(&f.name),
            read(model, f)
        ));
    }
    file.line("_ => src.skip()?,\n}\n}");
    for (i, f) in s.fields.iter().enumerate() {
        if f.required && f.lenient.is_none() {
            file.line(&format!("seen.require({i}, {})?;", lit(&f.name)));
        }
    }
    file.line("Ok(())\n}");
}

/// The expression that reads field `f`'s value from `src`.
fn read(model: &Model, f: &Field) -> String {
    if f.lenient == Some(Lenient::StringOrNumber) {
        return "src.value::<wire::StringOrNumber>()?.0".to_owned();
    }
    match &f.ty {
        Ty::Named(name) if f.boxed && fills(model, name) => {
            if f.required {
                "src.boxed()?".to_owned()
            } else {
                "src.boxed_option()?".to_owned()
            }
        }
        _ => "src.value()?".to_owned(),
    }
}
