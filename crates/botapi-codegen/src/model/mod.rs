//! From the spec's facts to what gets generated: Rust types for every field, unions and
//! their tags, string enums, boxes that break recursion, which types users send, which can
//! carry uploads, and the two forms of "Message or True" methods.

use std::collections::{BTreeMap, BTreeSet};

use crate::hand::{self, Lenient, Untagged};
use crate::spec::{Item, Spec, SpecField};
use crate::text;

mod boxing;
mod enums;
mod fields;
mod marks;
mod methods;
mod unions;

use boxing::{box_cycles, box_large};
use enums::{EnumOf, fill_enum_values, string_enums};
use fields::{Mapper, mark_lenient, structs};
use marks::{mark_sent, mark_uploads};
use methods::{classify_calls, find_field, methods};
use unions::{add_inline_unions, move_tags, spec_unions};

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
