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
        Ty::Str => "SmallString::const_new(\"\")".to_owned(),
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

/// Whether the placeholder of `f` owns no memory: `None`, an empty string or list, a number,
/// or a struct whose own placeholders own nothing. A boxed required field's does (its box).
fn owns_nothing(model: &Model, f: &Field) -> bool {
    if !f.required {
        return true;
    }
    if f.boxed {
        return false;
    }
    match &f.ty {
        Ty::Named(name) if fills(model, name) => model.structs[name]
            .fields
            .iter()
            .all(|g| owns_nothing(model, g)),
        _ => true,
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
        // A placeholder that owns nothing is overwritten without being dropped: the drop
        // of the old value would be dead code, and for a field holding a `Message` it
        // pulls the whole drop glue of one into this function's codegen unit.
        let write = if owns_nothing(model, f) {
            format!(
                "wire::fill::put(&mut self.{}, {});",
                field_ident(&f.name),
                read(model, f)
            )
        } else {
            format!("self.{} = {};", field_ident(&f.name), read(model, f))
        };
        file.line(&format!(
            "{name} => {{\nseen.first({i}, {name})?;\n{write}\n}}"
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
        // A list of structs or unions is read with its partial list held (see `ListSeed`).
        Ty::Array(item) if matches!(**item, Ty::Named(_)) => {
            if f.required {
                "src.list()?".to_owned()
            } else {
                "src.list_option()?".to_owned()
            }
        }
        _ => "src.value()?".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, ty: Ty, required: bool, boxed: bool) -> Field {
        Field {
            name: name.to_owned(),
            spec_ty: String::new(),
            ty,
            required,
            boxed,
            lenient: None,
            values: Vec::new(),
        }
    }

    fn strukt(name: &str, fields: Vec<Field>) -> (String, Struct) {
        let s = Struct {
            name: name.to_owned(),
            anchor: String::new(),
            fields,
            spec_fields: Vec::new(),
            tag: None,
            sent: false,
            uploads: false,
            member_of: Vec::new(),
        };
        (name.to_owned(), s)
    }

    /// Only a placeholder with no box anywhere inside is overwritten without a drop: a
    /// boxed required field, directly or in a struct held by value, would leak its box.
    #[test]
    fn a_placeholder_owns_nothing_unless_it_holds_a_box() {
        let boxed = field("photo", Ty::Named("Photo".into()), true, true);
        let model = Model {
            version: String::new(),
            type_order: Vec::new(),
            type_anchors: Default::default(),
            structs: [
                strukt("Photo", vec![field("id", Ty::Int, true, false)]),
                strukt("Holder", vec![boxed.clone()]),
                strukt("Plain", vec![field("name", Ty::Str, true, false)]),
            ]
            .into_iter()
            .collect(),
            unions: Default::default(),
            inline_unions: Vec::new(),
            enums: Vec::new(),
            methods: Vec::new(),
            sections: Vec::new(),
        };
        let by_value = |name: &str| field("x", Ty::Named(name.into()), true, false);
        assert!(!owns_nothing(&model, &boxed));
        assert!(!owns_nothing(&model, &by_value("Holder")));
        assert!(owns_nothing(&model, &by_value("Plain")));
        assert!(owns_nothing(
            &model,
            &field("maybe", Ty::Named("Holder".into()), false, true)
        ));
        assert!(owns_nothing(
            &model,
            &field("list", Ty::Array(Box::new(Ty::Str)), true, false)
        ));
        assert!(owns_nothing(
            &model,
            &field("kind", Ty::Enum("Kind".into()), true, false)
        ));
    }
}
