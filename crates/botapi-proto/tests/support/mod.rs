//! Helpers shared by the tests over the generated API: where the shared spec and corpus are,
//! plausible values built from the metadata, and a comparison that knows which fields the
//! spec defines.
#![allow(dead_code)] // each test file uses its own part of this module

pub(crate) mod generated;

use std::path::PathBuf;

use botapi_proto::meta::{self, TypeInfo};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// `../shared/corpus` beside the workspace, when it exists.
pub(crate) fn corpus_dir() -> Option<PathBuf> {
    existing(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ))
}

/// `../shared/spec` beside the workspace, when it exists.
pub(crate) fn spec_dir() -> Option<PathBuf> {
    existing(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/spec"))
}

fn existing(path: &str) -> Option<PathBuf> {
    let path = PathBuf::from(path);
    path.is_dir().then_some(path)
}

/// Decodes `value` as `T` and encodes it again.
pub(crate) fn rt<T: Serialize + DeserializeOwned>(value: &Value) -> Result<Value, String> {
    let decoded: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&decoded).map_err(|e| e.to_string())
}

/// Arrays deeper than this are left empty, which ends recursive types.
const MAX_DEPTH: usize = 8;

/// A plausible JSON value of the type expression `ty`, with only the required fields of
/// objects, the tag of every union variant, and the first listed value of string enums.
pub(crate) fn plausible(ty: &str) -> Value {
    value_of(ty, &[], 0)
}

/// A plausible object of the type called `name` (a struct, or a union's first variant).
pub(crate) fn plausible_object(name: &str) -> Value {
    object_of(name, 0)
}

fn value_of(ty: &str, values: &[&str], depth: usize) -> Value {
    if let Some(inner) = ty.strip_prefix("Array of ") {
        if depth >= MAX_DEPTH {
            return json!([]);
        }
        return json!([value_of(inner, values, depth + 1)]);
    }
    match ty {
        "Integer" => json!(7),
        "Float" => json!(1.5),
        "Boolean" | "True" => json!(true),
        "String" => json!(values.first().copied().unwrap_or("text")),
        "Integer or String" => json!(-1_001_234_567_890_i64),
        "InputFile" | "InputFile or String" => json!("file-id"),
        _ if ty.contains(" or ") || ty.contains(", ") => {
            let first = ty.split([' ', ',']).next().unwrap_or(ty);
            object_of(first, depth)
        }
        name => object_of(name, depth),
    }
}

fn object_of(name: &str, depth: usize) -> Value {
    let info = type_info(name);
    if let Some(union) = info.union {
        return value_of(union.variants[0].1, &[], depth);
    }
    let mut object = Map::new();
    for field in info.fields.iter().filter(|f| f.required) {
        object.insert(
            field.name.to_owned(),
            value_of(field.ty, field.values, depth + 1),
        );
    }
    // The one rule the metadata cannot express as a value: inaccessible messages have date 0.
    if name == "InaccessibleMessage" {
        object.insert("date".to_owned(), json!(0));
    }
    Value::Object(object)
}

pub(crate) fn type_info(name: &str) -> &'static TypeInfo {
    meta::type_info(name).unwrap_or_else(|| panic!("no TypeInfo for {name}"))
}

/// A difference between a payload and its re-encoding.
pub(crate) type Mismatch = String;

/// Required fields the generated code reads as a default when missing, besides every
/// required flag and list (see the generator's `hand.rs`); re-encoding writes the default.
pub(crate) const DEFAULTED: &[(&str, &str)] = &[
    ("CallbackQuery", "chat_instance"),
    ("ChatMemberBanned", "until_date"),
    ("ChatFullInfo", "accent_color_id"),
    ("PollOption", "persistent_id"),
    ("UniqueGift", "gift_id"),
    ("Sticker", "type"),
];

/// Whether a missing required field of `owner` is read as a default.
pub(crate) fn defaulted(owner: &str, field: &botapi_proto::meta::FieldInfo) -> bool {
    field.required
        && (matches!(field.ty, "Boolean" | "True")
            || field.ty.starts_with("Array of ")
            || DEFAULTED.contains(&(owner, field.name)))
}

/// The value a defaulted field re-encodes as.
fn is_default(value: &Value) -> bool {
    match value {
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_i64() == Some(0),
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// Checks that `actual` (a re-encoding) keeps every field of `expected` (a payload) that the
/// spec knows for type `ty`, with the same value; numbers compare exactly as integers when
/// both are integers. Fields the spec does not know may be dropped; `actual` may add only the
/// defaults of lenient fields. Returns every difference found.
pub(crate) fn compare(ty: &str, expected: &Value, actual: &Value) -> Vec<Mismatch> {
    let mut out = Vec::new();
    walk(ty, expected, actual, "$", &mut out);
    out
}

fn walk(ty: &str, expected: &Value, actual: &Value, path: &str, out: &mut Vec<Mismatch>) {
    if let Some(inner) = ty.strip_prefix("Array of ") {
        match (expected, actual) {
            (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
                for (i, (e, a)) in e.iter().zip(a).enumerate() {
                    walk(inner, e, a, &format!("{path}[{i}]"), out);
                }
            }
            _ => out.push(format!("{path}: {expected} became {actual}")),
        }
        return;
    }
    match ty {
        "Integer"
        | "Float"
        | "Boolean"
        | "True"
        | "String"
        | "Integer or String"
        | "InputFile"
        | "InputFile or String" => {
            if !same_scalar(expected, actual) {
                out.push(format!("{path}: {expected} became {actual}"));
            }
        }
        "Update" => walk_update(expected, actual, path, out),
        _ if ty.contains(" or ") || ty.contains(", ") => match inline_member(ty, expected) {
            Some(member) => walk(member, expected, actual, path, out),
            None => out.push(format!("{path}: {expected} fits no type of `{ty}`")),
        },
        name => match meta::type_info(name) {
            Some(info) if info.union.is_some() => walk_union(info, expected, actual, path, out),
            Some(info) => walk_struct(info, expected, actual, path, out),
            None => out.push(format!("{path}: unknown type {name}")),
        },
    }
}

/// The member of an inline union (`A or B or C`) that `value` is: by its `type` tag when the
/// members have one, else the member with the most required fields all present.
fn inline_member(ty: &str, value: &Value) -> Option<&'static str> {
    let members: Vec<&'static TypeInfo> = ty
        .split(" or ")
        .flat_map(|p| p.split(", "))
        .flat_map(|p| p.split(" and "))
        .map(type_info)
        .collect();
    if let Some(tag) = value.get("type").and_then(Value::as_str) {
        let tagged = members
            .iter()
            .find(|m| m.field("type").is_some_and(|f| f.values == [tag]));
        if let Some(member) = tagged {
            return Some(member.name);
        }
    }
    members
        .iter()
        .filter(|m| {
            m.fields
                .iter()
                .filter(|f| f.required)
                .all(|f| value.get(f.name).is_some())
        })
        .max_by_key(|m| m.fields.iter().filter(|f| f.required).count())
        .map(|m| m.name)
}

fn same_scalar(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Number(e), Value::Number(a)) => match (e.as_i64(), a.as_i64()) {
            (Some(e), Some(a)) => e == a,
            _ => e.as_f64() == a.as_f64(),
        },
        _ => expected == actual,
    }
}

fn walk_struct(
    info: &TypeInfo,
    expected: &Value,
    actual: &Value,
    path: &str,
    out: &mut Vec<Mismatch>,
) {
    let (Value::Object(e), Value::Object(a)) = (expected, actual) else {
        out.push(format!("{path}: {expected} became {actual}"));
        return;
    };
    for field in info.fields {
        let here = format!("{path}.{}", field.name);
        match (e.get(field.name), a.get(field.name)) {
            (None | Some(Value::Null), None) => {}
            (None | Some(Value::Null), Some(av)) => {
                if !(defaulted(info.name, field) && is_default(av)) {
                    out.push(format!("{here}: absent became {av}"));
                }
            }
            (Some(ev), Some(av)) => {
                // A legacy payload sends this id as a number; it is kept as its text.
                let legacy_id = info.name == "InlineQuery"
                    && field.name == "id"
                    && ev
                        .as_i64()
                        .is_some_and(|n| av.as_str() == Some(&n.to_string()));
                if !legacy_id {
                    walk(field.ty, ev, av, &here, out);
                }
            }
            (Some(ev), None) => out.push(format!("{here}: {ev} was dropped")),
        }
    }
    for key in a.keys() {
        if info.field(key).is_none() {
            out.push(format!(
                "{path}.{key}: appeared, but the spec does not know it"
            ));
        }
    }
}

fn walk_union(
    info: &TypeInfo,
    expected: &Value,
    actual: &Value,
    path: &str,
    out: &mut Vec<Mismatch>,
) {
    let union = info.union.expect("a union");
    let member = match union.discriminator {
        _ if expected.is_string() => Some("String"),
        _ if expected.is_array() => union
            .variants
            .iter()
            .find(|(_, ty)| ty.starts_with("Array of "))
            .map(|(_, ty)| *ty),
        Some(field) => {
            let tag = expected.get(field).and_then(Value::as_str);
            union
                .variants
                .iter()
                .find(|(t, _)| Some(*t) == tag)
                .map(|(_, ty)| *ty)
        }
        None if info.name == "MaybeInaccessibleMessage" => {
            match expected.get("date").and_then(Value::as_i64) {
                Some(0) => Some("InaccessibleMessage"),
                Some(_) => Some("Message"),
                None => None,
            }
        }
        None => None,
    };
    match member {
        Some(member) => walk(member, expected, actual, path, out),
        // A variant the spec does not know is kept whole.
        None => {
            if expected != actual {
                out.push(format!(
                    "{path}: unknown variant {expected} became {actual}"
                ));
            }
        }
    }
}

fn walk_update(expected: &Value, actual: &Value, path: &str, out: &mut Vec<Mismatch>) {
    let info = type_info("Update");
    let (Value::Object(e), Value::Object(a)) = (expected, actual) else {
        out.push(format!("{path}: {expected} became {actual}"));
        return;
    };
    let known = e
        .keys()
        .any(|k| k != "update_id" && info.field(k).is_some());
    for (key, ev) in e {
        let here = format!("{path}.{key}");
        match (info.field(key), a.get(key)) {
            (Some(field), Some(av)) => walk(field.ty, ev, av, &here, out),
            // An unknown kind is kept as sent when it is the only kind.
            (None, Some(av)) if !known => {
                if ev != av {
                    out.push(format!("{here}: unknown kind {ev} became {av}"));
                }
            }
            (None, _) if known => {}
            (_, None) => out.push(format!("{here}: {ev} was dropped")),
            (None, Some(_)) => unreachable!("covered above"),
        }
    }
    for key in a.keys() {
        if !e.contains_key(key) {
            out.push(format!("{path}.{key}: appeared"));
        }
    }
}
