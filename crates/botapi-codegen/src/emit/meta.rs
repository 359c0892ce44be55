//! The metadata tables behind `botapi_proto::meta`, the typed dispatch by method name, and
//! the by-name lookup the round-trip tests use.

use std::fmt::Write as _;

use super::HEADER;
use crate::model::{Field, Model, UnionKind};
use crate::text::{doc_url, lit};

fn values(f: &Field) -> String {
    let list: Vec<String> = f.values.iter().map(|v| lit(v)).collect();
    format!("&[{}]", list.join(", "))
}

/// A sorted table of `(key, position in the list)` for a binary search by name; an error when
/// two entries have the same key (the search could find only one of them).
fn sorted_index(
    table: &str,
    doc: &str,
    keys: impl Iterator<Item = String>,
) -> Result<String, String> {
    let mut index: Vec<(String, usize)> = keys.enumerate().map(|(at, key)| (key, at)).collect();
    if u16::try_from(index.len()).is_err() {
        return Err(format!("{table}: {} entries do not fit a u16", index.len()));
    }
    // The order of `str`'s `Ord`, which is the order the lookup compares in: by bytes.
    index.sort();
    if let Some(pair) = index.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        return Err(format!("{table}: two entries are called {:?}", pair[0].0));
    }
    let mut out = format!("{doc}\npub(crate) static {table}: &[(&str, u16)] = &[\n");
    for (key, at) in index {
        let _ = writeln!(out, "({}, {at}),", lit(&key));
    }
    out.push_str("];\n\n");
    Ok(out)
}

/// `generated/meta.rs`: the method table, its index by name, and the dispatch.
pub(super) fn methods(model: &Model) -> Result<String, String> {
    let mut out = format!(
        "{HEADER}//! The method table behind [`crate::meta`] and the dispatch behind \
         [`crate::meta::visit_method`].\n\n\
         use crate::meta::{{MethodInfo, MethodVisitor, ParamInfo}};\n\n\
         const fn p(name: &'static str, ty: &'static str, required: bool, file: bool, \
         values: &'static [&'static str]) -> ParamInfo {{\n\
         ParamInfo {{ name, ty, required, file, values }}\n}}\n\n"
    );
    let _ = writeln!(
        out,
        "/// Every method of Bot API {}, in the order of the reference.",
        model.version
    );
    out.push_str("pub static METHODS: &[MethodInfo] = &[\n");
    for m in &model.methods {
        let _ = writeln!(out, "MethodInfo {{ name: {}, params: &[", lit(&m.name));
        for p in &m.params {
            let _ = writeln!(
                out,
                "p({}, {}, {}, {}, {}),",
                lit(&p.name),
                lit(&p.spec_ty),
                p.required,
                model.ty_uploads(&p.ty),
                values(p)
            );
        }
        let _ = writeln!(
            out,
            "], returns: {}, uploads: {}, read_only: {}, sends_message: {}, doc: {} }},",
            lit(&m.returns),
            m.uploads,
            m.read_only,
            m.sends_message,
            lit(&doc_url(&m.anchor))
        );
    }
    out.push_str("];\n\n");
    out.push_str(&sorted_index(
        "METHODS_BY_NAME",
        "/// `(name in ASCII lower case, position in [`METHODS`])`, sorted by name: the server\n\
         /// reads method names without regard to ASCII case, and so does the lookup.",
        model.methods.iter().map(|m| m.name.to_ascii_lowercase()),
    )?);

    out.push_str(
        "/// Calls `visitor` with the type of the method called exactly `name`; for a \"Message \
         or True\"\n/// method, the inline form when `inline`.\n\
         pub(crate) fn dispatch<V: MethodVisitor>(name: &str, inline: bool, visitor: V) -> \
         Option<V::Output> {\nuse crate::methods::*;\nSome(match name {\n",
    );
    for m in &model.methods {
        // The guarded inline form must come before the chat form.
        for form in m.forms.iter().rev() {
            let guard = if form.inline == Some(true) {
                " if inline"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "{}{guard} => visitor.visit::<{}>(),",
                lit(&m.name),
                form.rust
            );
        }
    }
    out.push_str("_ => return None,\n})\n}\n");
    Ok(out)
}

/// `generated/meta_types.rs`: the type table and its index by name.
pub(super) fn types(model: &Model) -> Result<String, String> {
    let mut out = format!(
        "{HEADER}//! The type table behind [`crate::meta`].\n\n\
         use crate::meta::{{FieldInfo, TypeInfo, UnionInfo}};\n\n\
         const fn f(name: &'static str, ty: &'static str, required: bool, \
         values: &'static [&'static str]) -> FieldInfo {{\n\
         FieldInfo {{ name, ty, required, values }}\n}}\n\n"
    );
    let _ = writeln!(
        out,
        "/// Every type of Bot API {}, in the order of the reference.",
        model.version
    );
    out.push_str("pub static TYPES: &[TypeInfo] = &[\n");
    for name in &model.type_order {
        let doc = lit(&doc_url(&model.type_anchors[name]));
        let _ = write!(out, "TypeInfo {{ name: {}, fields: &[", lit(name));
        if let Some(s) = model.structs.get(name) {
            out.push('\n');
            for f in &s.spec_fields {
                let _ = writeln!(
                    out,
                    "f({}, {}, {}, {}),",
                    lit(&f.name),
                    lit(&f.spec_ty),
                    f.required,
                    values(f)
                );
            }
        }
        out.push_str("], union: ");
        match model.unions.get(name) {
            Some(u) => {
                let discriminator = match &u.kind {
                    UnionKind::Tagged(field) => format!("Some({})", lit(field)),
                    UnionKind::Untagged(crate::hand::Untagged::PlainArrayOrTagged) => {
                        "Some(\"type\")".to_owned()
                    }
                    UnionKind::Untagged(_) => "None".to_owned(),
                };
                let mut variants: Vec<String> = Vec::new();
                if u.kind == UnionKind::Untagged(crate::hand::Untagged::PlainArrayOrTagged) {
                    // A plain string and an array are variants too; listing the string first
                    // gives value builders a way out of `RichTextBold { text: RichText }`.
                    variants.push("(\"\", \"String\")".to_owned());
                    variants.push(format!("(\"\", {})", lit(&format!("Array of {name}"))));
                }
                variants.extend(
                    u.variants
                        .iter()
                        .map(|v| format!("({}, {})", lit(&v.tag), lit(&v.member))),
                );
                let _ = write!(
                    out,
                    "Some(UnionInfo {{ discriminator: {discriminator}, variants: &[{}] }})",
                    variants.join(", ")
                );
            }
            None => out.push_str("None"),
        }
        let _ = writeln!(out, ", doc: {doc} }},");
    }
    out.push_str("];\n\n");
    out.push_str(&sorted_index(
        "TYPES_BY_NAME",
        "/// `(name, position in [`TYPES`])`, sorted by name.",
        model.type_order.iter().cloned(),
    )?);
    Ok(out)
}

/// `tests/support/generated.rs`: every type, inline union and string enum by name.
pub(super) fn test_support(model: &Model) -> String {
    let mut out = format!(
        "{HEADER}//! Every type, inline union and string enum by name, for the round-trip tests.\n\n\
         use botapi_proto::types::*;\nuse serde_json::Value;\n\nuse super::rt;\n\n\
         /// Decodes `value` as the type called `name` and encodes it again; `None` for a name\n\
         /// that is not generated.\n\
         pub(crate) fn roundtrip(name: &str, value: &Value) -> Option<Result<Value, String>> {{\n\
         Some(match name {{\n"
    );
    let mut names: Vec<&str> = model
        .type_order
        .iter()
        .map(String::as_str)
        .filter(|n| *n != "InputFile")
        .collect();
    names.extend(model.inline_unions.iter().map(String::as_str));
    names.extend(model.enums.iter().map(|e| e.name.as_str()));
    for name in names {
        let _ = writeln!(out, "{} => rt::<{name}>(value),", lit(name));
    }
    out.push_str("_ => return None,\n})\n}\n\n");

    out.push_str(
        "/// Decodes `value` as the union called `name` and names the type of the variant it\n\
         /// gave (`Unknown` for the unknown variant); `None` for a name that is not a union.\n\
         pub(crate) fn union_variant(name: &str, value: &Value) -> Option<Result<&'static str, String>> {\n\
         Some(match name {\n",
    );
    let unions = model
        .type_order
        .iter()
        .filter(|n| model.unions.contains_key(*n))
        .chain(&model.inline_unions);
    for name in unions {
        let u = &model.unions[name];
        let _ = writeln!(
            out,
            "{} => serde_json::from_value::<{name}>(value.clone()).map(|v| match v {{",
            lit(name)
        );
        if u.kind == UnionKind::Untagged(crate::hand::Untagged::PlainArrayOrTagged) {
            let _ = writeln!(
                out,
                "{name}::{}(_) => \"String\",\n{name}::{}(_) => \"Array of {name}\",",
                crate::hand::RICH_TEXT_PLAIN,
                crate::hand::RICH_TEXT_ARRAY
            );
        }
        for v in &u.variants {
            let _ = writeln!(out, "{name}::{}(_) => {},", v.ident, lit(&v.member));
        }
        let _ = writeln!(out, "_ => \"Unknown\",\n}}).map_err(|e| e.to_string()),");
    }
    out.push_str("_ => return None,\n})\n}\n\n");

    out.push_str(
        "/// Whether `value` is a value the string enum called `name` knows (not `Unknown`);\n\
         /// `None` for a name that is not a string enum.\n\
         pub(crate) fn enum_knows(name: &str, value: &str) -> Option<bool> {\n\
         Some(match name {\n",
    );
    for e in &model.enums {
        let _ = writeln!(
            out,
            "{} => !matches!({}::from(value), {}::Unknown(_)),",
            lit(&e.name),
            e.name,
            e.name
        );
    }
    out.push_str("_ => return None,\n})\n}\n\n");

    out.push_str("/// Every string enum: its name and the values it knows.\n");
    out.push_str("pub(crate) const STRING_ENUMS: &[(&str, &[&str])] = &[\n");
    for e in &model.enums {
        let vals: Vec<String> = e.values.iter().map(|v| lit(v)).collect();
        let _ = writeln!(out, "({}, &[{}]),", lit(&e.name), vals.join(", "));
    }
    out.push_str("];\n\n");

    out.push_str(
        "/// A union the reference writes inline in a field's type.\n\
         pub(crate) struct InlineUnion {\n\
         /// The name the generator gave it.\npub(crate) name: &'static str,\n\
         /// The field that tags its variants, if any.\npub(crate) tag: Option<&'static str>,\n\
         /// `(tag, member type)` for each variant.\n\
         pub(crate) variants: &'static [(&'static str, &'static str)],\n}\n\n\
         /// Every union the reference writes inline.\n\
         pub(crate) const INLINE_UNIONS: &[InlineUnion] = &[\n",
    );
    for name in &model.inline_unions {
        let u = &model.unions[name];
        let tag = match &u.kind {
            UnionKind::Tagged(field) => format!("Some({})", lit(field)),
            UnionKind::Untagged(_) => "None".to_owned(),
        };
        let variants: Vec<String> = u
            .variants
            .iter()
            .map(|v| format!("({}, {})", lit(&v.tag), lit(&v.member)))
            .collect();
        let _ = writeln!(
            out,
            "InlineUnion {{ name: {}, tag: {tag}, variants: &[{}] }},",
            lit(name),
            variants.join(", ")
        );
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_is_sorted_by_bytes_and_points_back() {
        let names = ["sendmessage", "getme", "answerinlinequery"];
        let table = sorted_index("T", "/// doc", names.iter().map(|n| n.to_string())).unwrap();
        assert_eq!(
            table,
            "/// doc\npub(crate) static T: &[(&str, u16)] = &[\n\
             (\"answerinlinequery\", 2),\n(\"getme\", 1),\n(\"sendmessage\", 0),\n];\n\n"
        );
    }

    #[test]
    fn a_key_used_twice_is_refused() {
        let keys = ["getme", "sendmessage", "getme"].map(str::to_owned);
        let err = sorted_index("T", "", keys.into_iter()).unwrap_err();
        assert_eq!(err, "T: two entries are called \"getme\"");
    }
}
