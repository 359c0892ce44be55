//! Structs and their fields: the spec's types mapped to Rust ones, and which fields are read
//! leniently.

use super::*;

/// A struct for every type with fields (`InputFile` is written by hand in the core).
pub(super) fn structs(
    catalog: &Catalog<'_>,
    mapper: &Mapper<'_>,
) -> Result<BTreeMap<String, Struct>, String> {
    let mut structs = BTreeMap::new();
    for name in &catalog.order {
        let item = catalog.items[name.as_str()];
        if !item.members.is_empty() || name == "InputFile" {
            continue;
        }
        let mut spec_fields = Vec::new();
        for f in &item.fields {
            spec_fields.push(mapper.field(name, f)?);
        }
        structs.insert(
            name.clone(),
            Struct {
                name: name.clone(),
                anchor: item.anchor.clone(),
                fields: spec_fields.clone(),
                spec_fields,
                tag: None,
                sent: false,
                uploads: false,
                member_of: Vec::new(),
            },
        );
    }
    Ok(structs)
}

/// Marks the fields that read payloads leniently: by the rule
/// [`hand::DEFAULT_MISSING_FLAGS_AND_LISTS`], then the list [`hand::LENIENT`].
pub(super) fn mark_lenient(structs: &mut BTreeMap<String, Struct>) -> Result<(), String> {
    if hand::DEFAULT_MISSING_FLAGS_AND_LISTS {
        for s in structs.values_mut() {
            for f in s.fields.iter_mut().filter(|f| f.required) {
                if matches!(f.ty, Ty::Bool | Ty::Array(_)) {
                    f.lenient = Some(Lenient::Default);
                }
            }
        }
    }
    for (owner, field, rule) in hand::LENIENT {
        let f = structs
            .get_mut(*owner)
            .and_then(|s| s.fields.iter_mut().find(|f| f.name == *field))
            .ok_or_else(|| format!("lenient field {owner}.{field} not found"))?;
        if !f.required || f.lenient.is_some() {
            return Err(format!(
                "lenient field {owner}.{field} is optional or covered by the rule"
            ));
        }
        f.lenient = Some(*rule);
    }
    Ok(())
}

pub(super) struct Mapper<'a> {
    pub(super) types: &'a BTreeMap<&'a str, &'a Item>,
    pub(super) enum_of: &'a EnumOf,
    pub(super) inline_union_of: &'a BTreeMap<&'a str, &'a str>,
}

impl Mapper<'_> {
    pub(super) fn field(&self, owner: &str, f: &SpecField) -> Result<Field, String> {
        let ty = self.ty(&f.ty, owner, f)?;
        Ok(Field {
            name: f.name.clone(),
            spec_ty: f.ty.clone(),
            values: Vec::new(),
            ty,
            required: f.required,
            boxed: false,
            lenient: None,
        })
    }

    pub(super) fn ty(&self, expr: &str, owner: &str, f: &SpecField) -> Result<Ty, String> {
        if let Some(inner) = expr.strip_prefix("Array of ") {
            return Ok(Ty::Array(Box::new(self.ty(inner, owner, f)?)));
        }
        Ok(match expr {
            "Integer" => Ty::Int,
            "Float" => Ty::Float,
            "Boolean" | "True" => Ty::Bool,
            "String" => {
                if let Some(name) = self.enum_of.get(&(owner.to_owned(), f.name.clone())) {
                    Ty::Enum(name.clone())
                } else if f.html.contains("attach://") {
                    Ty::File
                } else {
                    Ty::Str
                }
            }
            "InputFile" | "InputFile or String" => Ty::File,
            "Integer or String" => Ty::ChatId,
            _ if expr.contains(" or ") || expr.contains(", ") => {
                let name = self
                    .inline_union_of
                    .get(expr)
                    .ok_or_else(|| format!("{owner}.{}: no name for `{expr}`", f.name))?;
                Ty::Named(name.to_string())
            }
            name if self.types.contains_key(name) => Ty::Named(name.to_owned()),
            other => return Err(format!("{owner}.{}: unknown type `{other}`", f.name)),
        })
    }
}
