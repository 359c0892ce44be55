//! Writing a struct: `Serialize` as a map of the fields that are set, with the union tag
//! first for a union member. A derived `Serialize` with `skip_serializing_if` tests every
//! optional field twice (once to count them) and goes through `Option`'s own impl; a
//! `sendMessage` has some fifty optional fields in all, so this is most of what writing
//! one costs beyond the JSON itself.

use super::file::File;
use crate::model::Field;
use crate::text::{field_ident, lit};

/// `impl Serialize for {name}`.
pub(super) fn serialize(name: &str, fields: &[Field], tag: Option<(&str, &str)>, file: &mut File) {
    file.line(&format!("impl Serialize for {name} {{"));
    file.line(
        "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {",
    );
    file.line("use serde::ser::SerializeMap;");
    if fields.is_empty() && tag.is_none() {
        file.line("serializer.serialize_map(Some(0))?.end()\n}\n}\n");
        return;
    }
    file.line("let mut out = serializer.serialize_map(None)?;");
    if let Some((field, value)) = tag {
        file.line(&format!("out.serialize_entry({}, {})?;", lit(field), lit(value)));
    }
    for f in fields {
        let ident = field_ident(&f.name);
        let key = lit(&f.name);
        if f.required {
            file.line(&format!("out.serialize_entry({key}, &self.{ident})?;"));
        } else {
            file.line(&format!(
                "if let Some(value) = &self.{ident} {{\nout.serialize_entry({key}, value)?;\n}}"
            ));
        }
    }
    file.line("out.end()\n}\n}\n");
}
