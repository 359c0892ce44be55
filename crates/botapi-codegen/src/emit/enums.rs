//! String enums: the values a field lists, plus `Unknown(String)` for the rest.

use super::file::File;
use crate::model::StrEnum;
use crate::text::{lit, value_variant};

pub(super) fn string_enum(e: &StrEnum, file: &mut File) {
    let places: Vec<String> = e.fields.iter().map(|(o, f)| format!("`{o}.{f}`")).collect();
    let shown = if places.len() > 4 {
        format!("{} and {} more", places[..3].join(", "), places.len() - 3)
    } else {
        places.join(", ")
    };
    file.line(&format!(
        "/// The values of {shown}; values this library does not know are kept."
    ));
    file.line("#[derive(Debug, Clone, PartialEq, Eq, Hash)]");
    file.line("#[non_exhaustive]");
    file.line(&format!("pub enum {} {{", e.name));
    for v in &e.values {
        file.line(&format!("/// `\"{v}\"`"));
        file.line(&format!("{},", value_variant(v)));
    }
    file.line("/// A value this library does not know yet, kept as sent.");
    file.line("Unknown(String),");
    file.line("}\n");

    file.line(&format!("impl {} {{", e.name));
    file.line("/// The value as it appears on the wire.");
    file.line("pub fn as_str(&self) -> &str {\nmatch self {");
    for v in &e.values {
        file.line(&format!("Self::{} => {},", value_variant(v), lit(v)));
    }
    file.line("Self::Unknown(value) => value,\n}\n}\n");
    file.line("fn known(value: &str) -> Option<Self> {\nSome(match value {");
    for v in &e.values {
        file.line(&format!("{} => Self::{},", lit(v), value_variant(v)));
    }
    file.line("_ => return None,\n})\n}\n}\n");
    let n = &e.name;
    file.line(&format!(
        "impl From<&str> for {n} {{\nfn from(value: &str) -> Self {{\nSelf::known(value).unwrap_or_else(|| Self::Unknown(value.to_owned()))\n}}\n}}\n"
    ));
    file.line(&format!(
        "impl From<String> for {n} {{\nfn from(value: String) -> Self {{\nSelf::known(&value).unwrap_or(Self::Unknown(value))\n}}\n}}\n"
    ));
    file.line(&format!(
        "impl std::fmt::Display for {n} {{\nfn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\nf.write_str(self.as_str())\n}}\n}}\n"
    ));
    file.line(&format!(
        "impl Serialize for {n} {{\nfn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{\nserializer.serialize_str(self.as_str())\n}}\n}}\n"
    ));
    file.uses.insert("crate::types::wire");
    file.line(&format!(
        "impl<'de> Deserialize<'de> for {n} {{\nfn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {{\nwire::string_enum(deserializer)\n}}\n}}\n"
    ));
    super::write_json::enum_writer(e, file);
}
