//! Unions: the spec's "one of" types and the inline ones, how each tells its variants
//! apart, and the tags moved from member structs onto the union.

use super::*;

/// The unions the spec lists (types without fields whose description lists members), each
/// with its discriminator or its rule from [`hand::UNTAGGED`].
pub(super) fn spec_unions(
    spec: &Spec,
    catalog: &Catalog<'_>,
) -> Result<BTreeMap<String, Union>, String> {
    let types = &catalog.items;
    let union_names: Vec<&str> = catalog
        .order
        .iter()
        .map(String::as_str)
        .filter(|n| !types[n].members.is_empty())
        .collect();
    for name in spec.discriminators.keys() {
        if !union_names.contains(&name.as_str()) {
            return Err(format!(
                "discriminator file names {name}, which has no members"
            ));
        }
    }
    let mut unions = BTreeMap::new();
    for name in &union_names {
        let item = types[name];
        let kind = match spec.discriminators.get(*name) {
            Some(Some(field)) => UnionKind::Tagged(field.clone()),
            Some(None) => {
                let rule = hand::UNTAGGED
                    .iter()
                    .find(|(n, _)| n == name)
                    .ok_or_else(|| format!("untagged union {name} has no rule in hand.rs"))?;
                UnionKind::Untagged(rule.1)
            }
            None => return Err(format!("union {name} is not in the discriminator file")),
        };
        let union = make_union(
            name,
            Some(item.anchor.clone()),
            None,
            kind,
            &item.members,
            types,
        )?;
        unions.insert(name.to_string(), union);
    }
    Ok(unions)
}

/// Adds the unions of [`hand::INLINE_UNIONS`]: tagged by `type` when every member has a
/// one-valued `type`, told apart by presence otherwise. Returns their names in that order.
pub(super) fn add_inline_unions(
    catalog: &Catalog<'_>,
    unions: &mut BTreeMap<String, Union>,
) -> Result<Vec<String>, String> {
    let types = &catalog.items;
    let mut inline_unions = Vec::new();
    for (expr, name) in hand::INLINE_UNIONS {
        let members: Vec<String> = split_union_expr(expr);
        let mut tag_field = Some("type");
        for m in &members {
            let item = types
                .get(m.as_str())
                .ok_or_else(|| format!("{name}: unknown member {m}"))?;
            let one_valued = item
                .fields
                .iter()
                .find(|f| f.name == "type")
                .is_some_and(|f| f.required && text::tag_value(&f.html).is_ok());
            if !one_valued {
                tag_field = None;
            }
        }
        let kind = match tag_field {
            Some(field) => UnionKind::Tagged(field.to_owned()),
            None => UnionKind::Untagged(Untagged::Presence),
        };
        let union = make_union(name, None, Some(expr.to_string()), kind, &members, types)?;
        unions.insert(name.to_string(), union);
        inline_unions.push(name.to_string());
    }
    Ok(inline_unions)
}

/// Tags move from the member structs' fields into their Serialize impls; a struct in two
/// unions must have the same tag in both.
pub(super) fn move_tags(
    unions: &BTreeMap<String, Union>,
    structs: &mut BTreeMap<String, Struct>,
) -> Result<(), String> {
    for union in unions.values() {
        for v in &union.variants {
            let s = structs
                .get_mut(&v.member)
                .ok_or_else(|| format!("{}: member {} is not a struct", union.name, v.member))?;
            s.member_of.push(union.name.clone());
            if let Some(field) = union.tag_field() {
                let tag = (field.to_owned(), v.tag.clone());
                match &s.tag {
                    Some(existing) if *existing != tag => {
                        return Err(format!(
                            "{} has tag {existing:?} in one union and {tag:?} in {}",
                            s.name, union.name
                        ));
                    }
                    _ => s.tag = Some(tag),
                }
            }
        }
    }
    for s in structs.values_mut() {
        if let Some((field, value)) = &s.tag {
            s.fields.retain(|f| &f.name != field);
            for f in s.spec_fields.iter_mut().filter(|f| &f.name == field) {
                f.values = vec![value.clone()];
            }
        }
    }
    Ok(())
}

pub(super) fn split_union_expr(expr: &str) -> Vec<String> {
    expr.replace(" and ", ", ")
        .replace(" or ", ", ")
        .split(", ")
        .map(str::to_owned)
        .collect()
}

pub(super) fn make_union(
    name: &str,
    anchor: Option<String>,
    expr: Option<String>,
    kind: UnionKind,
    members: &[String],
    types: &BTreeMap<&str, &Item>,
) -> Result<Union, String> {
    let idents = variant_idents(name, members);
    let tag_field = match &kind {
        UnionKind::Tagged(field) => Some(field.as_str()),
        UnionKind::Untagged(Untagged::PlainArrayOrTagged) => Some("type"),
        UnionKind::Untagged(_) => None,
    };
    let mut variants = Vec::new();
    for (member, ident) in members.iter().zip(idents) {
        let item = types
            .get(member.as_str())
            .ok_or_else(|| format!("{name}: unknown member {member}"))?;
        let tag = match tag_field {
            Some(field) => {
                let f = item
                    .fields
                    .iter()
                    .find(|f| f.name == field)
                    .ok_or_else(|| format!("{member} has no `{field}` tag"))?;
                text::tag_value(&f.html).map_err(|e| format!("{member}.{field}: {e}"))?
            }
            None => String::new(),
        };
        let required = item
            .fields
            .iter()
            .filter(|f| f.required && Some(f.name.as_str()) != tag_field)
            .map(|f| f.name.clone())
            .collect();
        if ident == "Unknown" {
            return Err(format!("{name}: a variant is called Unknown"));
        }
        variants.push(Variant {
            ident,
            boxed: false,
            member: member.clone(),
            tag,
            required,
        });
    }
    Ok(Union {
        name: name.to_owned(),
        anchor,
        expr,
        kind,
        variants,
        uploads: false,
    })
}

/// Variant names: the member minus the union's name (`ChatMemberOwner` → `Owner`), or else
/// minus the words all members share at the start and end (`InputTextMessageContent` →
/// `Text`), or else the member's own name.
pub(super) fn variant_idents(union: &str, members: &[String]) -> Vec<String> {
    if members
        .iter()
        .all(|m| m.len() > union.len() && m.starts_with(union))
    {
        return members
            .iter()
            .map(|m| m[union.len()..].to_owned())
            .collect();
    }
    let split: Vec<Vec<&str>> = members.iter().map(|m| text::words(m)).collect();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    let mut prefix = 0;
    while prefix < shortest && split.iter().all(|w| w[prefix] == split[0][prefix]) {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < shortest - prefix
        && split
            .iter()
            .all(|w| w[w.len() - 1 - suffix] == split[0][split[0].len() - 1 - suffix])
    {
        suffix += 1;
    }
    if prefix + suffix >= shortest {
        return members.to_vec();
    }
    split
        .iter()
        .map(|w| w[prefix..w.len() - suffix].concat())
        .collect()
}
