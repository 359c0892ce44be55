//! Method types: the struct, its constructor and setters, and its `Method` impl; and the
//! names the trait reserves.

use super::fields::{Attrs, constructor, field_decl, setter_fields, setters, uploads_body};
use super::file::{File, Where, rust_ty};
use crate::hand;
use crate::model::{Form, Method, Model};
use crate::text::{doc_url, field_ident, lit};

/// The methods of the `Method` trait (`crates/botapi-proto/src/method.rs`). An inherent
/// method of the same name on a generated method type would hide the trait's: `m.uploads()`
/// would call the inherent one, and the trait's could only be reached as `Method::uploads(&m)`.
pub(crate) const METHOD_TRAIT_FNS: &[&str] = &[
    "method_name",
    "static_name",
    "timeout_hint",
    "uploads",
    "is_read_only",
    "outgoing",
    "write_json",
    "response_reader",
];

/// The names of the inherent methods generated for a method type: `new` and one setter per
/// optional parameter.
fn inherent_fns(form: &Form) -> impl Iterator<Item = &str> {
    std::iter::once("new").chain(setter_fields(&form.params).map(|f| f.name.as_str()))
}

/// Refuses a method type whose inherent methods would hide a method of the `Method` trait.
pub(super) fn refuse_shadowing(form: &Form) -> Result<(), String> {
    match inherent_fns(form).find(|name| METHOD_TRAIT_FNS.contains(name)) {
        Some(name) => Err(format!(
            "{}: the generated inherent method `{name}` would shadow the trait method \
             `Method::{name}` (calling `.{name}()` on a {} would reach the inherent one); \
             the generator needs another name for it",
            form.rust, form.rust
        )),
        None => Ok(()),
    }
}

/// One Rust form of a method: the struct, its constants, constructor and setters, and its
/// `Method` impl.
pub(super) fn method(model: &Model, m: &Method, form: &Form, file: &mut File) {
    declaration(m, form, file);
    inherent(m, form, file);
    method_impl(model, m, form, file);
}

fn has_no_required(form: &Form) -> bool {
    form.params.iter().all(|p| !p.required)
}

/// The doc line (with what it returns), derives and fields.
fn declaration(m: &Method, form: &Form, file: &mut File) {
    let url = doc_url(&m.anchor);
    let returns = match form.inline {
        None => format!("Returns `{}`.", m.returns),
        Some(false) => {
            "For a message in a chat (`chat_id`, `message_id`); returns the `Message`.".into()
        }
        Some(true) => "For an inline message (`inline_message_id`); returns `true`.".into(),
    };
    file.line(&format!("/// [{}]({url}). {returns}", m.name));
    let mut derives = vec!["Debug", "Clone"];
    if has_no_required(form) {
        derives.push("Default");
    }
    derives.extend(["PartialEq", "Serialize", "Deserialize"]);
    file.line(&format!("#[derive({})]", derives.join(", ")));
    file.line("#[serde(deny_unknown_fields)]\n#[must_use]\n#[non_exhaustive]");
    if form.params.is_empty() {
        file.line(&format!("pub struct {} {{}}\n", form.rust));
    } else {
        file.line(&format!("pub struct {} {{", form.rust));
        for p in &form.params {
            field_decl(p, file, Where::Methods, Attrs::Derived);
        }
        file.line("}\n");
    }
}

/// `NAME`, the constructor and a setter per optional parameter.
fn inherent(m: &Method, form: &Form, file: &mut File) {
    file.line(&format!("impl {} {{", form.rust));
    file.line("/// The method name in the URL.");
    file.line(&format!(
        "pub const NAME: &'static str = {};\n",
        lit(&m.name)
    ));
    constructor(
        if has_no_required(form) {
            "The method without parameters; set them with the setters."
        } else {
            "The method with its required parameters; the optional ones start unset."
        },
        &form.params,
        file,
        Where::Methods,
    );
    setters(&form.params, file, Where::Methods);
    file.line("}\n");
}

/// `Method::outgoing` of a method that posts a message: its chat, and whether it asked for a
/// paid broadcast.
fn outgoing(form: &Form, file: &mut File) {
    file.uses.insert("crate::Outgoing");
    let chat = field_ident(hand::OUTGOING_CHAT);
    let paid = match form.params.iter().find(|p| p.name == hand::PAID_BROADCAST) {
        Some(p) if p.required => format!("self.{}", field_ident(&p.name)),
        Some(p) => format!("self.{} == Some(true)", field_ident(&p.name)),
        None => "false".to_owned(),
    };
    file.line(&format!(
        "fn outgoing(&self) -> Option<Outgoing<'_>> {{\nSome(Outgoing::new(&self.{chat}, {paid}))\n}}"
    ));
}

/// `impl Method`: the response type, the name, and what differs from the trait's defaults.
fn method_impl(model: &Model, m: &Method, form: &Form, file: &mut File) {
    let response = rust_ty(&form.response, file, Where::Methods);
    file.line(&format!("impl Method for {} {{", form.rust));
    file.line(&format!("type Response = {response};"));
    file.line("fn method_name(&self) -> &str {\nSelf::NAME\n}");
    file.line("fn static_name(&self) -> Option<&'static str> {\nSome(Self::NAME)\n}");
    if m.name == hand::LONG_POLL.0 {
        // Long polling: the server may hold the request for `timeout` seconds.
        let timeout = field_ident(hand::LONG_POLL.1);
        file.line(&format!(
            "fn timeout_hint(&self) -> Option<std::time::Duration> {{\nself.{timeout}.map(|seconds| std::time::Duration::from_secs(seconds.max(0).unsigned_abs()))\n}}"
        ));
    }
    // The trait's defaults say "changes something" and "posts nothing": only the other
    // answers are written out.
    if m.read_only {
        file.line("fn is_read_only(&self) -> bool {\ntrue\n}");
    }
    if m.sends_message {
        outgoing(form, file);
    }
    if form.uploads {
        file.uses.insert("crate::{HasUploads, Upload}");
        file.line("fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {");
        file.code.push_str(&uploads_body(&form.params, model));
        file.line("}");
    }
    super::write_json::method_writer(model, &form.params, file);
    // The reader is taken here, in this crate, so that every crate sending the method calls
    // the one compiled copy of its result's decoder instead of compiling its own. Never
    // inlined: an inlined body would make the caller's crate compile the decoder again.
    file.uses.insert("crate::ResponseReader");
    file.line(
        "#[inline(never)]\nfn response_reader(&self) -> ResponseReader<Self::Response> {\nResponseReader::new()\n}",
    );
    file.line("}\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, Ty};

    fn param(name: &str, required: bool) -> Field {
        Field {
            name: name.to_owned(),
            spec_ty: "Integer".to_owned(),
            ty: Ty::Int,
            required,
            boxed: false,
            lenient: None,
            values: Vec::new(),
        }
    }

    fn form(params: Vec<Field>) -> Form {
        Form {
            rust: "DoThing".to_owned(),
            params,
            response: Ty::Bool,
            inline: None,
            uploads: false,
        }
    }

    #[test]
    fn a_setter_named_like_a_trait_method_is_refused() {
        for name in METHOD_TRAIT_FNS {
            let err = refuse_shadowing(&form(vec![param("chat_id", true), param(name, false)]))
                .unwrap_err();
            assert!(err.contains(&format!("`Method::{name}`")), "{err}");
            assert!(err.starts_with("DoThing: "), "{err}");
        }
    }

    #[test]
    fn other_names_and_required_parameters_pass() {
        // `name` is a parameter of six methods; a required parameter gets no setter.
        let ok = form(vec![param("name", false), param("uploads", true)]);
        assert_eq!(refuse_shadowing(&ok), Ok(()));
        assert_eq!(inherent_fns(&ok).collect::<Vec<_>>(), ["new", "name"]);
    }

    /// The list above is the trait's: every `fn` declared in `pub trait Method`.
    #[test]
    fn the_list_matches_the_trait() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../botapi-proto/src/method.rs");
        let source = std::fs::read_to_string(path).unwrap();
        let start = source.find("pub trait Method").expect("the trait");
        let body = &source[start..];
        let body = &body[..body.find("\n}\n").expect("the end of the trait")];
        let declared: Vec<&str> = body
            .match_indices("    fn ")
            .map(|(at, _)| {
                let rest = &body[at + "    fn ".len()..];
                &rest[..rest.find(['(', '<']).unwrap()]
            })
            .collect();
        assert_eq!(declared, METHOD_TRAIT_FNS);
    }

    /// Every generated method names its reader, never inlined: a method left on the trait's
    /// default would have its result's decoder compiled again in each crate that sends it.
    #[test]
    fn every_generated_method_names_its_compiled_reader() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../botapi-proto/src/generated/methods"
        );
        let (mut impls, mut readers) = (0, 0);
        for entry in std::fs::read_dir(dir).unwrap() {
            let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            impls += source.matches("\nimpl Method for ").count();
            readers += source
                .matches("#[inline(never)]\n    fn response_reader(&self)")
                .count();
        }
        assert!(impls > 150, "{impls} methods");
        assert_eq!(readers, impls);
    }
}
