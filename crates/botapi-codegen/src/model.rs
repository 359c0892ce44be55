//! From the spec's facts to what gets generated: Rust types for every field, unions and
//! their tags, string enums, boxes that break recursion, which types users send, which can
//! carry uploads, and the two forms of "Message or True" methods.

use std::collections::{BTreeMap, BTreeSet};

use crate::hand::{self, Lenient, Untagged};
use crate::spec::{Item, Spec, SpecField};
use crate::text;

/// A field's type, as Rust will hold it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum Ty {
    Int,
    Float,
    Bool,
    Str,
    /// `InputFile`, `InputFile or String`, or a `String` that takes `attach://`.
    File,
    /// `Integer or String`.
    ChatId,
    /// A string enum by name.
    Enum(String),
    /// A struct or union by name.
    Named(String),
    Array(Box<Ty>),
}

impl Ty {
    /// The struct or union this type names, looking through arrays.
    pub(crate) fn named(&self) -> Option<&str> {
        match self {
            Ty::Named(name) => Some(name),
            Ty::Array(inner) => inner.named(),
            _ => None,
        }
    }

    pub(crate) fn is_array(&self) -> bool {
        matches!(self, Ty::Array(_))
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) spec_ty: String,
    pub(crate) ty: Ty,
    pub(crate) required: bool,
    pub(crate) boxed: bool,
    pub(crate) lenient: Option<Lenient>,
    /// Values listed for a string enum field, or the one value of a union tag.
    pub(crate) values: Vec<String>,
}

pub(crate) struct Struct {
    pub(crate) name: String,
    pub(crate) anchor: String,
    /// The Rust fields: the spec's, without the union tag.
    pub(crate) fields: Vec<Field>,
    /// The spec's fields, tag included (for the metadata).
    pub(crate) spec_fields: Vec<Field>,
    /// `(field, value)` when this is a variant of a tagged union.
    pub(crate) tag: Option<(String, String)>,
    /// Reachable from a method parameter: gets setters.
    pub(crate) sent: bool,
    pub(crate) uploads: bool,
    /// The unions it is a variant of.
    pub(crate) member_of: Vec<String>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum UnionKind {
    Tagged(String),
    Untagged(Untagged),
}

pub(crate) struct Variant {
    pub(crate) ident: String,
    /// Held in a `Box` because the member is large.
    pub(crate) boxed: bool,
    pub(crate) member: String,
    /// The tag value; empty for untagged unions.
    pub(crate) tag: String,
    /// Required fields besides the tag, for telling variants apart by presence.
    pub(crate) required: Vec<String>,
}

pub(crate) struct Union {
    pub(crate) name: String,
    /// The reference anchor; `None` for unions the reference writes inline.
    pub(crate) anchor: Option<String>,
    /// For inline unions, the type expression they stand for.
    pub(crate) expr: Option<String>,
    pub(crate) kind: UnionKind,
    pub(crate) variants: Vec<Variant>,
    pub(crate) uploads: bool,
}

impl Union {
    /// The field holding the tag, for unions whose objects carry one.
    pub(crate) fn tag_field(&self) -> Option<&str> {
        match &self.kind {
            UnionKind::Tagged(field) => Some(field),
            UnionKind::Untagged(Untagged::PlainArrayOrTagged) => Some("type"),
            UnionKind::Untagged(_) => None,
        }
    }
}

pub(crate) struct StrEnum {
    pub(crate) name: String,
    pub(crate) values: Vec<String>,
    pub(crate) fields: Vec<(String, String)>,
}

/// One of the Rust types of a method: the method itself, or one of the two forms of a
/// "Message or True" method.
pub(crate) struct Form {
    pub(crate) rust: String,
    pub(crate) params: Vec<Field>,
    pub(crate) response: Ty,
    /// `None` for a plain method; `Some(false)` for the chat form, `Some(true)` for the
    /// inline form.
    pub(crate) inline: Option<bool>,
    pub(crate) uploads: bool,
}

pub(crate) struct Method {
    pub(crate) name: String,
    pub(crate) anchor: String,
    pub(crate) params: Vec<Field>,
    /// The return type expression, such as `Message` or `Message or True`.
    pub(crate) returns: String,
    pub(crate) uploads: bool,
    /// Changes nothing on the server ([`hand::READ_ONLY_PREFIX`]).
    pub(crate) read_only: bool,
    /// Posts a message to its `chat_id` ([`hand::SENDS_MESSAGE_PREFIX`]).
    pub(crate) sends_message: bool,
    pub(crate) forms: Vec<Form>,
}

/// A section of the reference and the names of its items, in order.
pub(crate) struct Section {
    pub(crate) anchor: String,
    /// Its types, `InputFile` included.
    pub(crate) types: Vec<String>,
    pub(crate) methods: Vec<String>,
}

pub(crate) struct Model {
    pub(crate) version: String,
    /// Every spec type name, in the order of the reference.
    pub(crate) type_order: Vec<String>,
    pub(crate) type_anchors: BTreeMap<String, String>,
    pub(crate) structs: BTreeMap<String, Struct>,
    pub(crate) unions: BTreeMap<String, Union>,
    /// Unions the reference writes inline, in the order of [`hand::INLINE_UNIONS`].
    pub(crate) inline_unions: Vec<String>,
    pub(crate) enums: Vec<StrEnum>,
    pub(crate) methods: Vec<Method>,
    /// The sections of the reference, for laying items out in files.
    pub(crate) sections: Vec<Section>,
}

impl Model {
    pub(crate) fn method_form_names(&self) -> impl Iterator<Item = &str> {
        self.methods
            .iter()
            .flat_map(|m| m.forms.iter().map(|f| f.rust.as_str()))
    }

    pub(crate) fn uploads(&self, name: &str) -> bool {
        self.structs
            .get(name)
            .map(|s| s.uploads)
            .or_else(|| self.unions.get(name).map(|u| u.uploads))
            .unwrap_or(false)
    }

    pub(crate) fn ty_uploads(&self, ty: &Ty) -> bool {
        match ty {
            Ty::File => true,
            Ty::Array(inner) => self.ty_uploads(inner),
            Ty::Named(name) => self.uploads(name),
            _ => false,
        }
    }
}

/// Names that would shadow the prelude or clash with hand-written items.
const RESERVED: &[&str] = &[
    "Option",
    "Result",
    "Vec",
    "String",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Clone",
    "Copy",
    "Default",
    "Debug",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Hash",
    "From",
    "Into",
    "Iterator",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "ToString",
    "ToOwned",
    "AsRef",
    "Serialize",
    "Deserialize",
    "Value",
    "ChatId",
    "InputFile",
    "Upload",
    "HasUploads",
    "Method",
    "UpdateKind",
    "Call",
    "Client",
    "Token",
    "Error",
];

pub(crate) fn build(spec: &Spec) -> Result<Model, String> {
    let catalog = Catalog::read(spec)?;
    let (enums, enum_of) = string_enums(spec)?;
    let inline_union_of: BTreeMap<&str, &str> = hand::INLINE_UNIONS.iter().copied().collect();
    let mapper = Mapper {
        types: &catalog.items,
        enum_of: &enum_of,
        inline_union_of: &inline_union_of,
    };
    let mut unions = spec_unions(spec, &catalog)?;
    let inline_unions = add_inline_unions(&catalog, &mut unions)?;
    let mut structs = structs(&catalog, &mapper)?;
    move_tags(&unions, &mut structs)?;
    mark_lenient(&mut structs)?;
    let mut methods = methods(spec, &mapper)?;
    classify_calls(&mut methods)?;

    let mut model = Model {
        version: spec.version.clone(),
        type_order: catalog.order,
        type_anchors: catalog.anchors,
        structs,
        unions,
        inline_unions,
        enums,
        methods,
        sections: sections(spec),
    };
    fill_enum_values(&mut model);
    check_names(&model)?;
    box_cycles(&mut model);
    box_large(&mut model);
    mark_sent(&mut model);
    mark_uploads(&mut model);
    Ok(model)
}

/// Every type of the spec by name, and the order of the reference.
struct Catalog<'s> {
    items: BTreeMap<&'s str, &'s Item>,
    order: Vec<String>,
    anchors: BTreeMap<String, String>,
}

impl<'s> Catalog<'s> {
    fn read(spec: &'s Spec) -> Result<Self, String> {
        let mut catalog = Catalog {
            items: BTreeMap::new(),
            order: Vec::new(),
            anchors: BTreeMap::new(),
        };
        for section in &spec.sections {
            for item in section.items.iter().filter(|i| !i.is_method) {
                if catalog.items.insert(&item.name, item).is_some() {
                    return Err(format!("type {} appears twice", item.name));
                }
                catalog.order.push(item.name.clone());
                catalog
                    .anchors
                    .insert(item.name.clone(), item.anchor.clone());
            }
        }
        Ok(catalog)
    }
}

/// Which `(owner, field)` takes which string enum.
type EnumOf = BTreeMap<(String, String), String>;

/// The string enums of [`hand::STRING_ENUMS`] with the values their fields list, then
/// [`hand::PARSE_MODE`] on every field it applies to.
fn string_enums(spec: &Spec) -> Result<(Vec<StrEnum>, EnumOf), String> {
    let mut enum_of = EnumOf::new();
    let mut enums = Vec::new();
    for (name, fields) in hand::STRING_ENUMS {
        let mut values: Vec<String> = Vec::new();
        for (owner, field) in *fields {
            let f = find_field(spec, owner, field)?;
            if f.ty != "String" {
                return Err(format!("{owner}.{field} is {}, not String", f.ty));
            }
            let mut found = text::quoted_values(&f.html);
            if found.is_empty() {
                found = text::emphasized_values(&f.html);
            }
            for v in found {
                if !values.contains(&v) {
                    values.push(v);
                }
            }
            enum_of.insert((owner.to_string(), field.to_string()), name.to_string());
        }
        if values.len() < 2 {
            return Err(format!("{name}: found values {values:?}"));
        }
        enums.push(StrEnum {
            name: name.to_string(),
            values,
            fields: fields
                .iter()
                .map(|(o, f)| (o.to_string(), f.to_string()))
                .collect(),
        });
    }
    enums.push(parse_mode(spec, &mut enum_of));
    Ok((enums, enum_of))
}

/// The parse-mode enum, applied to every `String` field called `parse_mode` or `*_parse_mode`.
fn parse_mode(spec: &Spec, enum_of: &mut EnumOf) -> StrEnum {
    let mut fields = Vec::new();
    for section in &spec.sections {
        for item in &section.items {
            for f in &item.fields {
                if f.ty == "String" && (f.name == "parse_mode" || f.name.ends_with("_parse_mode")) {
                    fields.push((item.name.clone(), f.name.clone()));
                    enum_of.insert(
                        (item.name.clone(), f.name.clone()),
                        hand::PARSE_MODE.0.to_owned(),
                    );
                }
            }
        }
    }
    StrEnum {
        name: hand::PARSE_MODE.0.to_owned(),
        values: hand::PARSE_MODE.1.iter().map(|s| s.to_string()).collect(),
        fields,
    }
}

/// The unions the spec lists (types without fields whose description lists members), each
/// with its discriminator or its rule from [`hand::UNTAGGED`].
fn spec_unions(spec: &Spec, catalog: &Catalog<'_>) -> Result<BTreeMap<String, Union>, String> {
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
fn add_inline_unions(
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

/// A struct for every type with fields (`InputFile` is written by hand in the core).
fn structs(catalog: &Catalog<'_>, mapper: &Mapper<'_>) -> Result<BTreeMap<String, Struct>, String> {
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

/// Tags move from the member structs' fields into their Serialize impls; a struct in two
/// unions must have the same tag in both.
fn move_tags(
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

/// Marks the fields that read payloads leniently: by the rule
/// [`hand::DEFAULT_MISSING_FLAGS_AND_LISTS`], then the list [`hand::LENIENT`].
fn mark_lenient(structs: &mut BTreeMap<String, Struct>) -> Result<(), String> {
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

/// Every method in the order of the reference, with its return type and its Rust forms.
fn methods(spec: &Spec, mapper: &Mapper<'_>) -> Result<Vec<Method>, String> {
    let hand_returns: BTreeMap<&str, &str> = hand::HAND_RETURNS.iter().copied().collect();
    let mut methods = Vec::new();
    for section in &spec.sections {
        for item in section.items.iter().filter(|i| i.is_method) {
            let mut params = Vec::new();
            for f in &item.fields {
                params.push(mapper.field(&item.name, f)?);
            }
            let returns = method_returns(spec, item, &hand_returns)?;
            methods.push(Method {
                name: item.name.clone(),
                anchor: item.anchor.clone(),
                forms: forms(&item.name, &params, &returns, mapper)?,
                params,
                returns,
                uploads: false,
                read_only: false,
                sends_message: false,
            });
        }
    }
    for (name, _) in hand::HAND_RETURNS {
        if spec.returns.contains_key(*name) {
            return Err(format!("hand return for {name}, which the spec covers"));
        }
    }
    Ok(methods)
}

/// Marks which methods only read and which post a message: by the name rules in `hand.rs`,
/// then its lists of decisions. A method that posts a message must name its chat in a
/// required `Integer or String` parameter, which is what flood control is keyed by.
fn classify_calls(methods: &mut [Method]) -> Result<(), String> {
    for (name, _, _) in hand::READ_ONLY_DECISIONS
        .iter()
        .chain(hand::SENDS_MESSAGE_DECISIONS)
    {
        if !methods.iter().any(|m| m.name == *name) {
            return Err(format!(
                "hand.rs decides about {name}, which is not a method"
            ));
        }
    }
    for m in methods.iter_mut() {
        m.read_only = decide(&m.name, hand::READ_ONLY_PREFIX, hand::READ_ONLY_DECISIONS);
        m.sends_message = decide(
            &m.name,
            hand::SENDS_MESSAGE_PREFIX,
            hand::SENDS_MESSAGE_DECISIONS,
        );
        if m.read_only && m.sends_message {
            return Err(format!("{}: read-only and sends a message", m.name));
        }
        if !m.sends_message {
            continue;
        }
        for form in &m.forms {
            let chat = form.params.iter().find(|p| p.name == hand::OUTGOING_CHAT);
            if !chat.is_some_and(|p| p.required && p.ty == Ty::ChatId) {
                return Err(format!(
                    "{}: sends a message but has no required `Integer or String` {}; decide \
                     in hand.rs (SENDS_MESSAGE_DECISIONS)",
                    form.rust,
                    hand::OUTGOING_CHAT
                ));
            }
            let paid = form.params.iter().find(|p| p.name == hand::PAID_BROADCAST);
            if paid.is_some_and(|p| p.ty != Ty::Bool) {
                return Err(format!(
                    "{}: {} is not a Boolean",
                    form.rust,
                    hand::PAID_BROADCAST
                ));
            }
        }
    }
    Ok(())
}

/// The hand decision for `name` if there is one, else whether it starts with `prefix`.
fn decide(name: &str, prefix: &str, decisions: &[(&str, bool, &str)]) -> bool {
    match decisions.iter().find(|(n, _, _)| *n == name) {
        Some((_, decided, _)) => *decided,
        None => name.starts_with(prefix),
    }
}

fn find_field<'s>(spec: &'s Spec, owner: &str, field: &str) -> Result<&'s SpecField, String> {
    spec.sections
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.name == owner)
        .and_then(|i| i.fields.iter().find(|f| f.name == field))
        .ok_or_else(|| format!("{owner}.{field} not found in the spec"))
}

struct Mapper<'a> {
    types: &'a BTreeMap<&'a str, &'a Item>,
    enum_of: &'a EnumOf,
    inline_union_of: &'a BTreeMap<&'a str, &'a str>,
}

impl Mapper<'_> {
    fn field(&self, owner: &str, f: &SpecField) -> Result<Field, String> {
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

    fn ty(&self, expr: &str, owner: &str, f: &SpecField) -> Result<Ty, String> {
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

fn split_union_expr(expr: &str) -> Vec<String> {
    expr.replace(" and ", ", ")
        .replace(" or ", ", ")
        .split(", ")
        .map(str::to_owned)
        .collect()
}

fn make_union(
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
fn variant_idents(union: &str, members: &[String]) -> Vec<String> {
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

fn method_returns(
    spec: &Spec,
    item: &Item,
    hand_returns: &BTreeMap<&str, &str>,
) -> Result<String, String> {
    let returns = match (
        spec.returns.get(&item.name),
        hand_returns.get(item.name.as_str()),
    ) {
        (Some(list), None) => match list.as_slice() {
            [one] if one == "Boolean" => "True".to_owned(),
            [one] => one.clone(),
            [a, b] if a == "Message" && b == "Boolean" => "Message or True".to_owned(),
            other => return Err(format!("{}: unexpected returns {other:?}", item.name)),
        },
        (None, Some(hand)) => hand.to_string(),
        (Some(_), Some(_)) => {
            return Err(format!("{}: hand return for a covered method", item.name));
        }
        (None, None) => {
            return Err(format!(
                "{}: no return type; add it to HAND_RETURNS",
                item.name
            ));
        }
    };
    // The 10.3 entry must name every type the method returns.
    for part in returns.split(" or ") {
        let base = part.trim_start_matches("Array of ");
        if !mentions(&item.description, base) {
            return Err(format!(
                "{}: the 10.3 entry does not mention `{base}`; check its return type",
                item.name
            ));
        }
    }
    Ok(returns)
}

fn mentions(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn response_ty(expr: &str, mapper: &Mapper<'_>) -> Result<Ty, String> {
    if let Some(inner) = expr.strip_prefix("Array of ") {
        return Ok(Ty::Array(Box::new(response_ty(inner, mapper)?)));
    }
    Ok(match expr {
        "True" | "Boolean" => Ty::Bool,
        "Integer" => Ty::Int,
        "String" => Ty::Str,
        "Float" => Ty::Float,
        name if mapper.types.contains_key(name) => Ty::Named(name.to_owned()),
        other => return Err(format!("unknown return type `{other}`")),
    })
}

fn forms(
    name: &str,
    params: &[Field],
    returns: &str,
    mapper: &Mapper<'_>,
) -> Result<Vec<Form>, String> {
    let rust = text::upper_camel(name);
    if returns != "Message or True" {
        return Ok(vec![Form {
            rust,
            params: params.to_vec(),
            response: response_ty(returns, mapper).map_err(|e| format!("{name}: {e}"))?,
            inline: None,
            uploads: false,
        }]);
    }
    for needed in ["chat_id", "message_id", "inline_message_id"] {
        if !params.iter().any(|p| p.name == needed && !p.required) {
            return Err(format!(
                "{name}: Message or True without optional `{needed}`"
            ));
        }
    }
    let chat = params
        .iter()
        .filter(|p| p.name != "inline_message_id")
        .cloned()
        .map(|mut p| {
            if p.name == "chat_id" || p.name == "message_id" {
                p.required = true;
            }
            p
        })
        .collect();
    let inline = params
        .iter()
        .filter(|p| p.name != "chat_id" && p.name != "message_id")
        .cloned()
        .map(|mut p| {
            if p.name == "inline_message_id" {
                p.required = true;
            }
            p
        })
        .collect();
    Ok(vec![
        Form {
            rust: rust.clone(),
            params: chat,
            response: Ty::Named("Message".to_owned()),
            inline: Some(false),
            uploads: false,
        },
        Form {
            rust: format!("{rust}{}", hand::INLINE_SUFFIX),
            params: inline,
            response: Ty::Bool,
            inline: Some(true),
            uploads: false,
        },
    ])
}

/// Every field typed by a string enum lists the enum's values (for the metadata).
fn fill_enum_values(model: &mut Model) {
    let values: BTreeMap<String, Vec<String>> = model
        .enums
        .iter()
        .map(|e| (e.name.clone(), e.values.clone()))
        .collect();
    let fill = |f: &mut Field| {
        if let Ty::Enum(name) = &f.ty {
            f.values = values[name].clone();
        }
    };
    for s in model.structs.values_mut() {
        s.fields.iter_mut().for_each(fill);
        s.spec_fields.iter_mut().for_each(fill);
    }
    for m in &mut model.methods {
        m.params.iter_mut().for_each(fill);
        for form in &mut m.forms {
            form.params.iter_mut().for_each(fill);
        }
    }
}

fn check_names(model: &Model) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    let all = model
        .structs
        .keys()
        .map(String::as_str)
        .chain(model.unions.keys().map(String::as_str))
        .chain(model.enums.iter().map(|e| e.name.as_str()))
        .chain(model.method_form_names());
    for name in all {
        if RESERVED.contains(&name) {
            return Err(format!("generated name {name} is reserved"));
        }
        if !seen.insert(name) {
            return Err(format!("generated name {name} is used twice"));
        }
    }
    for e in &model.enums {
        let mut variants = BTreeSet::new();
        for v in &e.values {
            let ident = text::value_variant(v);
            if ident == "Unknown" || !variants.insert(ident.clone()) {
                return Err(format!("{}: variant {ident} clashes", e.name));
            }
        }
    }
    Ok(())
}

/// Boxes every struct field that leads back to its own struct without passing through an
/// array: those are the fields that would make the type infinitely large.
fn box_cycles(model: &mut Model) {
    let mut nodes: Vec<String> = model.structs.keys().cloned().collect();
    nodes.extend(model.unions.keys().cloned());
    let index: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut edges = vec![Vec::new(); nodes.len()];
    for (i, name) in nodes.iter().enumerate() {
        if let Some(s) = model.structs.get(name) {
            for f in s.fields.iter().filter(|f| !f.ty.is_array()) {
                if let Some(target) = f.ty.named() {
                    edges[i].push(index[target]);
                }
            }
        } else if let Some(u) = model.unions.get(name) {
            for v in &u.variants {
                edges[i].push(index[v.member.as_str()]);
            }
        }
    }
    let component = tarjan(&edges);
    for s in model.structs.values_mut() {
        let own = component[index[s.name.as_str()]];
        for f in s.fields.iter_mut().filter(|f| !f.ty.is_array()) {
            if f.ty
                .named()
                .is_some_and(|target| component[index[target]] == own)
            {
                f.boxed = true;
            }
        }
    }
}

/// Boxes fields and variants whose types are large ([`hand::BOX_FIELD_ABOVE`],
/// [`hand::BOX_VARIANT_ABOVE`]); the kinds of `Update` count as variants.
fn box_large(model: &mut Model) {
    let mut sizes = BTreeMap::new();
    let names: Vec<String> = model
        .structs
        .keys()
        .chain(model.unions.keys())
        .cloned()
        .collect();
    for name in &names {
        estimate(model, name, &mut sizes);
    }
    for s in model.structs.values_mut() {
        let limit = if s.name == hand::UPDATE {
            hand::BOX_VARIANT_ABOVE
        } else {
            hand::BOX_FIELD_ABOVE
        };
        let compact = hand::COMPACT_TYPES
            .iter()
            .find(|(name, _)| *name == s.name)
            .map(|(_, limit)| *limit);
        for f in s.fields.iter_mut().filter(|f| !f.ty.is_array()) {
            let keep = hand::KEEP_INLINE.contains(&(s.name.as_str(), f.name.as_str()));
            let limit = match compact {
                Some(compact) if !f.required && !keep => compact,
                _ => limit,
            };
            if f.ty.named().is_some_and(|target| sizes[target] > limit) {
                f.boxed = true;
            }
        }
    }
    for u in model.unions.values_mut() {
        for v in &mut u.variants {
            v.boxed = sizes[&v.member] > hand::BOX_VARIANT_ABOVE;
        }
    }
}

/// A rough size in bytes of a struct or union held inline, given the boxing rules: an
/// upper estimate that ignores niche optimizations.
fn estimate(model: &Model, name: &str, sizes: &mut BTreeMap<String, usize>) -> usize {
    if let Some(size) = sizes.get(name) {
        return *size;
    }
    let size = if let Some(s) = model.structs.get(name) {
        let limit = if s.name == hand::UPDATE {
            hand::BOX_VARIANT_ABOVE
        } else {
            hand::BOX_FIELD_ABOVE
        };
        let mut total = 0;
        for f in &s.fields {
            let inner = match &f.ty {
                Ty::Named(target) if !f.boxed => {
                    let size = estimate(model, target, sizes);
                    if size > limit { 8 } else { size }
                }
                Ty::Named(_) => 8,
                Ty::Int | Ty::Float => 8,
                Ty::Bool => 1,
                Ty::Str | Ty::Array(_) | Ty::ChatId | Ty::Enum(_) => 24,
                Ty::File => 80,
            };
            // `Option` costs nothing where the type has a spare bit pattern (a pointer, a
            // `bool`), and a tag word otherwise.
            let niche = f.boxed
                || matches!(
                    f.ty,
                    Ty::Bool | Ty::Str | Ty::Array(_) | Ty::ChatId | Ty::Enum(_)
                )
                || inner == 8 && matches!(f.ty, Ty::Named(_));
            total += if f.required || niche {
                inner
            } else {
                inner + 8
            };
        }
        total.div_ceil(8) * 8
    } else if let Some(u) = model.unions.get(name) {
        let mut largest = 32; // `Unknown(serde_json::Value)`
        for v in &u.variants {
            let size = estimate(model, &v.member, sizes);
            largest = largest.max(if size > hand::BOX_VARIANT_ABOVE {
                8
            } else {
                size
            });
        }
        largest + 8
    } else {
        0
    };
    sizes.insert(name.to_owned(), size);
    size
}

/// Strongly connected components (Tarjan), as a component number per node.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    struct State<'e> {
        edges: &'e [Vec<usize>],
        next: usize,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        stack: Vec<usize>,
        on_stack: Vec<bool>,
        component: Vec<usize>,
        components: usize,
    }
    fn visit(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in &s.edges[v] {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                s.component[w] = s.components;
                if w == v {
                    break;
                }
            }
            s.components += 1;
        }
    }
    let n = edges.len();
    let mut s = State {
        edges,
        next: 0,
        index: vec![None; n],
        low: vec![0; n],
        stack: Vec::new(),
        on_stack: vec![false; n],
        component: vec![0; n],
        components: 0,
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.component
}

/// Types reachable from a method parameter are the ones users build: they get setters.
fn mark_sent(model: &mut Model) {
    let mut queue: Vec<String> = model
        .methods
        .iter()
        .flat_map(|m| &m.params)
        .filter_map(|p| p.ty.named().map(str::to_owned))
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(name) = queue.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(s) = model.structs.get(&name) {
            queue.extend(
                s.fields
                    .iter()
                    .filter_map(|f| f.ty.named().map(str::to_owned)),
            );
        }
        if let Some(u) = model.unions.get(&name) {
            queue.extend(u.variants.iter().map(|v| v.member.clone()));
        }
    }
    for name in seen {
        if let Some(s) = model.structs.get_mut(&name) {
            s.sent = true;
        }
    }
}

/// A type can carry an upload when a field is a file or a type that can carry one.
fn mark_uploads(model: &mut Model) {
    loop {
        let mut changed = false;
        let names: Vec<String> = model.structs.keys().cloned().collect();
        for name in names {
            let any = model.structs[&name]
                .fields
                .iter()
                .any(|f| model.ty_uploads(&f.ty));
            if any && !model.structs[&name].uploads {
                if let Some(s) = model.structs.get_mut(&name) {
                    s.uploads = true;
                }
                changed = true;
            }
        }
        let names: Vec<String> = model.unions.keys().cloned().collect();
        for name in names {
            let any = model.unions[&name]
                .variants
                .iter()
                .any(|v| model.uploads(&v.member));
            if any && !model.unions[&name].uploads {
                if let Some(u) = model.unions.get_mut(&name) {
                    u.uploads = true;
                }
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut methods = std::mem::take(&mut model.methods);
    for m in &mut methods {
        m.uploads = m.params.iter().any(|p| model.ty_uploads(&p.ty));
        for form in &mut m.forms {
            form.uploads = form.params.iter().any(|p| model.ty_uploads(&p.ty));
        }
    }
    model.methods = methods;
}

/// The names in each section of the reference.
fn sections(spec: &Spec) -> Vec<Section> {
    spec.sections
        .iter()
        .map(|section| {
            let names = |methods: bool| {
                section
                    .items
                    .iter()
                    .filter(|i| i.is_method == methods)
                    .map(|i| i.name.clone())
                    .collect()
            };
            Section {
                anchor: section.anchor.clone(),
                types: names(false),
                methods: names(true),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_wins_over_the_name_rule() {
        let decisions = [("getLost", false, "why"), ("forwardIt", true, "why")];
        assert!(decide("getMe", "get", &decisions));
        assert!(!decide("getLost", "get", &decisions));
        assert!(decide("forwardIt", "get", &decisions));
        assert!(!decide("setMe", "get", &decisions));
    }
}
