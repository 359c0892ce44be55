//! Fields and what is built from them: declarations with their docs and serde attributes,
//! constructors, setters, and the body that lists uploads.

use std::fmt::Write as _;

use super::file::{File, Where, rust_ty};
use crate::hand::Lenient;
use crate::model::{Field, Model, Ty};
use crate::text::field_ident;

pub(super) fn field_ty(f: &Field, file: &mut File, place: Where) -> String {
    let inner = rust_ty(&f.ty, file, place);
    let inner = if f.boxed {
        format!("Box<{inner}>")
    } else {
        inner
    };
    if f.required {
        inner
    } else {
        format!("Option<{inner}>")
    }
}

pub(super) fn is_plain(ty: &Ty) -> bool {
    matches!(ty, Ty::Int | Ty::Float | Ty::Bool)
}

/// `(parameter declaration, field initializer)` for a constructor argument.
pub(super) fn ctor_arg(f: &Field, file: &mut File, place: Where) -> (String, String) {
    let ident = field_ident(&f.name);
    let ty = rust_ty(&f.ty, file, place);
    if is_plain(&f.ty) && !f.boxed {
        (format!("{ident}: {ty}"), ident)
    } else if f.boxed {
        (
            format!("{ident}: impl Into<{ty}>"),
            format!("{ident}: Box::new({ident}.into())"),
        )
    } else {
        (
            format!("{ident}: impl Into<{ty}>"),
            format!("{ident}: {ident}.into()"),
        )
    }
}

pub(super) fn field_doc(f: &Field) -> String {
    let presence = match (f.required, f.lenient, &f.ty) {
        (false, _, _) => "Optional",
        (true, Some(Lenient::Default), Ty::Bool) => "Required (`false` when missing)",
        (true, Some(Lenient::Default), Ty::Int) => "Required (0 when missing)",
        (true, Some(Lenient::Default), _) => "Required (empty when missing)",
        (true, Some(Lenient::StringOrNumber), _) => "Required (a number is read as its text)",
        (true, None, _) => "Required",
    };
    match &f.ty {
        Ty::Enum(name) => format!("/// {presence}. `{}`, as a `{name}`.", f.spec_ty),
        _ => format!("/// {presence}. `{}`.", f.spec_ty),
    }
}

/// Which serde attributes a field declaration carries. Lenient reading (defaults for
/// missing fields, numbers as text) only concerns received types, whose reading is
/// generated, so no attribute carries it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Attrs {
    /// Derived `Serialize` and `Deserialize` (method parameters).
    Derived,
    /// Derived `Serialize` only; reading is generated ([`super::fill`]).
    SerializeOnly,
    /// Nothing derived (a union member, which writes its tag itself).
    None,
}

pub(super) fn field_decl(f: &Field, file: &mut File, place: Where, attrs: Attrs) {
    file.line(&field_doc(f));
    if !f.required && attrs != Attrs::None {
        if attrs == Attrs::Derived {
            file.line("#[serde(default, skip_serializing_if = \"Option::is_none\")]");
        } else {
            file.line("#[serde(skip_serializing_if = \"Option::is_none\")]");
        }
    }
    let ty = field_ty(f, file, place);
    file.line(&format!("pub {}: {ty},", field_ident(&f.name)));
}

pub(super) fn constructor(name_doc: &str, fields: &[Field], file: &mut File, place: Where) {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    file.line(&format!("/// {name_doc}"));
    if required.is_empty() {
        file.line("pub fn new() -> Self {\nSelf::default()\n}\n");
        return;
    }
    if required.len() > 7 {
        file.line("#[allow(clippy::too_many_arguments)]");
    }
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for f in fields {
        if f.required {
            let (arg, init) = ctor_arg(f, file, place);
            args.push(arg);
            inits.push(init);
        } else {
            inits.push(format!("{}: None", field_ident(&f.name)));
        }
    }
    file.line(&format!(
        "pub fn new({}) -> Self {{\nSelf {{ {} }}\n}}\n",
        args.join(", "),
        inits.join(", ")
    ));
}

/// The fields that get a setter: the optional ones (the required ones are constructor
/// arguments).
pub(super) fn setter_fields(fields: &[Field]) -> impl Iterator<Item = &Field> {
    fields.iter().filter(|f| !f.required)
}

pub(super) fn setters(fields: &[Field], file: &mut File, place: Where) {
    for f in setter_fields(fields) {
        let ident = field_ident(&f.name);
        let ty = rust_ty(&f.ty, file, place);
        file.line(&format!("/// Sets `{}`.", f.name));
        if ["is_", "to_", "as_", "into_", "from_"]
            .iter()
            .any(|p| f.name.starts_with(p))
        {
            file.line("#[allow(clippy::wrong_self_convention)]");
        }
        let (param, value) = if is_plain(&f.ty) && !f.boxed {
            (format!("{ident}: {ty}"), ident.clone())
        } else if f.boxed {
            (
                format!("{ident}: impl Into<{ty}>"),
                format!("Box::new({ident}.into())"),
            )
        } else {
            (
                format!("{ident}: impl Into<{ty}>"),
                format!("{ident}.into()"),
            )
        };
        file.line(&format!(
            "pub fn {ident}(mut self, {param}) -> Self {{\nself.{ident} = Some({value});\nself\n}}\n"
        ));
    }
}

pub(super) fn uploads_body(fields: &[Field], model: &Model) -> String {
    let mut body = String::new();
    for f in fields.iter().filter(|f| model.ty_uploads(&f.ty)) {
        let _ = writeln!(body, "self.{}.uploads(out);", field_ident(&f.name));
    }
    body
}
