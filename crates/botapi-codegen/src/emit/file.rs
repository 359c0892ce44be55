//! A generated file being written: its code, the imports it needs, and Rust spellings of
//! the model's types.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::HEADER;
use crate::model::Ty;

/// Which tree a file belongs to, which decides how it imports types.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Where {
    Types,
    Methods,
}

/// A file being written, with the imports its code turned out to need.
#[derive(Default)]
pub(super) struct File {
    pub(super) code: String,
    pub(super) uses: BTreeSet<&'static str>,
}

impl File {
    pub(super) fn finish(self, doc: &str, place: Where) -> String {
        let mut out = format!("{HEADER}//! {doc}\n\n");
        let mut uses = self.uses;
        uses.insert("serde::{Deserialize, Serialize}");
        if place == Where::Methods {
            uses.insert("crate::Method");
        }
        for u in uses {
            let _ = writeln!(out, "use {u};");
        }
        out.push('\n');
        out.push_str(&self.code);
        out
    }

    pub(super) fn line(&mut self, s: &str) {
        self.code.push_str(s);
        self.code.push('\n');
    }
}

/// The Rust type of `ty`, noting the imports it needs.
pub(super) fn rust_ty(ty: &Ty, file: &mut File, place: Where) -> String {
    match ty {
        Ty::Int => "i64".into(),
        Ty::Float => "f64".into(),
        Ty::Bool => "bool".into(),
        Ty::Str => {
            file.uses.insert("crate::SmallString");
            "SmallString".into()
        }
        Ty::File => {
            file.uses.insert("crate::InputFile");
            "InputFile".into()
        }
        Ty::ChatId => {
            if place == Where::Types {
                file.uses.insert("crate::types::ChatId");
            } else {
                file.uses.insert("crate::types::*");
            }
            "ChatId".into()
        }
        Ty::Enum(name) | Ty::Named(name) => {
            file.uses.insert(if place == Where::Types {
                "super::*"
            } else {
                "crate::types::*"
            });
            name.clone()
        }
        Ty::Array(inner) => format!("Vec<{}>", rust_ty(inner, file, place)),
    }
}
