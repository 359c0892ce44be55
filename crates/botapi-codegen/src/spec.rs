//! Reading the machine-readable Bot API descriptions into plain structs.
//!
//! Only facts are kept: names, anchors, type expressions, optionality, member lists and the
//! HTML of each field (from which [`crate::text`] extracts quoted values). Description prose
//! is read only to check facts and is never written out.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// The three input files, read.
pub(crate) struct Spec {
    /// The Bot API version of the main schema, such as `10.3`.
    pub(crate) version: String,
    /// Its sections in the order of the reference.
    pub(crate) sections: Vec<Section>,
    /// Union name → discriminator field (`None` for the untagged ones).
    pub(crate) discriminators: BTreeMap<String, Option<String>>,
    /// Method name → return type expressions from the structured (older) description.
    pub(crate) returns: BTreeMap<String, Vec<String>>,
}

/// A section of the reference ("Available types", "Stickers", …).
pub(crate) struct Section {
    pub(crate) anchor: String,
    pub(crate) items: Vec<Item>,
}

/// A type or a method.
pub(crate) struct Item {
    pub(crate) is_method: bool,
    pub(crate) name: String,
    pub(crate) anchor: String,
    pub(crate) fields: Vec<SpecField>,
    /// For a type without fields, the types its description lists as its variants.
    pub(crate) members: Vec<String>,
    /// The description text, kept only to check facts (return types); never emitted.
    pub(crate) description: String,
}

/// A field of a type or a parameter of a method.
pub(crate) struct SpecField {
    pub(crate) name: String,
    pub(crate) ty: String,
    pub(crate) required: bool,
    /// The field's HTML description; values quoted in it are facts ([`crate::text`]).
    pub(crate) html: String,
}

pub(crate) const SCHEMA: &str = "aiogram-butcher-schema.json";
pub(crate) const DISCRIMINATORS: &str = "aiogram-union-discriminators.json";
pub(crate) const RETURNS: &str = "paulsonoflars-api.json";

pub(crate) fn load(dir: &Path) -> Result<Spec, String> {
    let schema = read_json(&dir.join(SCHEMA))?;
    let version = str_at(&schema, &["api", "version"])?.to_owned();
    let mut sections = Vec::new();
    for section in array_at(&schema, "items")? {
        let anchor = str_at(section, &["anchor"])?.to_owned();
        let mut items = Vec::new();
        for child in array_at(section, "children")? {
            items.push(item(child)?);
        }
        sections.push(Section { anchor, items });
    }

    let mut discriminators = BTreeMap::new();
    let unions = read_json(&dir.join(DISCRIMINATORS))?;
    let unions = unions
        .as_object()
        .ok_or_else(|| format!("{DISCRIMINATORS}: not an object"))?;
    for (name, entry) in unions {
        let field = entry
            .get("discriminator")
            .and_then(Value::as_str)
            .map(str::to_owned);
        discriminators.insert(name.clone(), field);
    }

    let mut returns = BTreeMap::new();
    let structured = read_json(&dir.join(RETURNS))?;
    let methods = structured
        .get("methods")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{RETURNS}: no methods"))?;
    for (name, method) in methods {
        let list = array_at(method, "returns")?
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| format!("{RETURNS}: {name}: returns are not strings"))?;
        returns.insert(name.clone(), list);
    }

    Ok(Spec {
        version,
        sections,
        discriminators,
        returns,
    })
}

fn item(child: &Value) -> Result<Item, String> {
    let name = str_at(child, &["name"])?.to_owned();
    let category = str_at(child, &["category"])?;
    let is_method = match category {
        "methods" => true,
        "types" => false,
        other => return Err(format!("{name}: unknown category {other:?}")),
    };
    let mut fields = Vec::new();
    for annotation in array_at(child, "annotations")? {
        fields.push(SpecField {
            name: str_at(annotation, &["name"])?.to_owned(),
            ty: str_at(annotation, &["type"])?.to_owned(),
            required: annotation
                .get("required")
                .and_then(Value::as_bool)
                .ok_or_else(|| format!("{name}: a field without `required`"))?,
            html: str_at(annotation, &["html_description"])?.to_owned(),
        });
    }
    let html = str_at(child, &["html_description"])?;
    let members = if fields.is_empty() && !is_method {
        crate::text::listed_links(html)
    } else {
        Vec::new()
    };
    Ok(Item {
        is_method,
        anchor: str_at(child, &["anchor"])?.to_owned(),
        description: str_at(child, &["description"])?.to_owned(),
        name,
        fields,
        members,
    })
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn str_at<'v>(value: &'v Value, path: &[&str]) -> Result<&'v str, String> {
    let mut at = value;
    for key in path {
        at = at
            .get(key)
            .ok_or_else(|| format!("missing `{}`", path.join(".")))?;
    }
    at.as_str()
        .ok_or_else(|| format!("`{}` is not a string", path.join(".")))
}

fn array_at<'v>(value: &'v Value, key: &str) -> Result<&'v Vec<Value>, String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("missing array `{key}`"))
}
