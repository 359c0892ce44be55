//! Reading a struct: `wire::Fill` (a placeholder value and a loop that writes each field
//! into place) and the `Deserialize` that drives it. It reads what a derived
//! `Deserialize` would (unknown fields skipped, a repeated field refused, the first
//! missing required field named), plus the lenient rules, without moving the value.

use super::file::File;
use crate::hand::Lenient;
use crate::model::{Field, Model, Struct, Ty};
use crate::text::{field_ident, lit};

/// `impl wire::Fill` and `impl Deserialize` for `s`.
pub(super) fn fill(model: &Model, s: &Struct, file: &mut File) {
    file.uses.insert("crate::types::wire");
    file.line(&format!("impl wire::Fill for {} {{", s.name));
    file.line(&format!("const NAME: &'static str = {};", lit(&s.name)));
    file.line(&format!(
        "const EXPECTING: &'static str = {};",
        lit(&format!("struct {}", s.name))
    ));
    let wire_names: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
    let (seed, bits, slots) = key_table(&wire_names);
    let slots: Vec<String> = slots.iter().map(u8::to_string).collect();
    let ends: Vec<String> = wire_names
        .iter()
        .scan(0, |end, name| {
            *end += name.len();
            Some(end.to_string())
        })
        .collect();
    assert!(wire_names.concat().len() <= usize::from(u16::MAX));
    // The packed length: seed, bits and count, then the slots, the ends and the names (see
    // `Keys` in the crate).
    let packed = 11 + slots.len() + 2 * ends.len() + wire_names.concat().len();
    file.line(&format!(
        "const KEYS: wire::fill::Keys = wire::fill::Keys {{ packed: &wire::fill::Keys::pack::<{packed}>({seed}, {bits}, &[{}], &[{}], {}) }};\n",
        slots.join(", "),
        ends.join(", "),
        lit(&wire_names.concat()),
    ));
    placeholder(model, s, file);
    fill_fn(model, s, file);
    file.line("}\n");
    file.line(&format!("impl<'de> Deserialize<'de> for {} {{", s.name));
    file.line(
        "fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {",
    );
    file.line("wire::fill::deserialize(deserializer)\n}\n}\n");
}

/// For the types' index: every struct's key table, for the test that checks each against
/// the hash the crate computes.
pub(super) fn keys_index(model: &Model) -> String {
    let mut out = String::from(
        "\n/// Every struct's key table, checked by `wire::fill`'s tests.\n#[cfg(test)]\npub(crate) const KEY_TABLES: &[crate::types::wire::fill::Keys] = &[\n",
    );
    for name in model.structs.keys().filter(|name| fills(model, name)) {
        out.push_str(&format!("<{name} as crate::types::wire::Fill>::KEYS,\n"));
    }
    out.push_str("];\n");
    out
}

/// Whether `name` is a struct read through `wire::Fill` (so it can be filled in its box).
fn fills(model: &Model, name: &str) -> bool {
    model.structs.contains_key(name) && name != crate::hand::UPDATE
}

fn placeholder(model: &Model, s: &Struct, file: &mut File) {
    file.line("fn placeholder() -> Self {");
    // A required boxed field's placeholder is allocated before anything else is made, and
    // held until the value is put together: were an allocation to unwind with other parts
    // made, their drop (and that of everything they may hold) would be compiled here.
    let mut inits = Vec::new();
    for f in &s.fields {
        let ident = field_ident(&f.name);
        let value = if !f.required {
            "None".to_owned()
        } else if let (true, Ty::Named(name)) = (f.boxed, &f.ty)
            && fills(model, name)
        {
            file.line(&format!(
                "let {ident} = wire::Held::new(wire::fill::boxed_placeholder::<{name}>());"
            ));
            format!("{ident}.into_inner()")
        } else {
            required_placeholder(model, f)
        };
        inits.push(format!("{ident}: {value}"));
    }
    file.line(&format!("Self {{ {} }}", inits.join(", ")));
    file.line("}\n");
}

/// A value that costs nothing to make; for a lenient field, the value a missing one reads as.
fn required_placeholder(model: &Model, f: &Field) -> String {
    let value = match &f.ty {
        Ty::Int => "0".to_owned(),
        Ty::Float => "0.0".to_owned(),
        Ty::Bool => "false".to_owned(),
        Ty::Str => "SmallString::const_new(\"\")".to_owned(),
        Ty::Array(_) => "Vec::new()".to_owned(),
        Ty::ChatId => "ChatId::Id(0)".to_owned(),
        Ty::File => "InputFile::FileId(String::new())".to_owned(),
        Ty::Enum(name) => format!("{name}::Unknown(String::new())"),
        Ty::Named(name) if fills(model, name) => format!("<{name} as wire::Fill>::placeholder()"),
        Ty::Named(name) => format!("{name}::Unknown(serde_json::Value::Null)"),
    };
    if f.boxed {
        format!("Box::new({value})")
    } else {
        value
    }
}

/// Whether the placeholder of `f` owns no memory: `None`, an empty string or list, a number,
/// or a struct whose own placeholders own nothing. A boxed required field's does (its box).
fn owns_nothing(model: &Model, f: &Field) -> bool {
    if !f.required {
        return true;
    }
    if f.boxed {
        return false;
    }
    match &f.ty {
        Ty::Named(name) if fills(model, name) => model.structs[name]
            .fields
            .iter()
            .all(|g| owns_nothing(model, g)),
        _ => true,
    }
}

fn fill_fn(model: &Model, s: &Struct, file: &mut File) {
    file.line(
        "fn fill<'de, S: wire::Source<'de>>(&mut self, src: &mut S) -> Result<(), S::Error> {",
    );
    if s.fields.is_empty() {
        file.line("while src.next_key()?.is_some() {\nsrc.skip()?;\n}\nOk(())\n}");
        return;
    }
    let words = s.fields.len().div_ceil(64);
    file.line(&format!("let mut seen = [0u64; {words}];"));
    let inline = crate::hand::INLINE_KEYS.contains(&s.name.as_str());
    // With one field, the only index `next_field` returns is 0.
    let single = !inline && s.fields.len() == 1;
    if inline {
        file.line("while let Some(key) = src.next_key()? {\nmatch &*key {");
    } else if single {
        file.line("while src.next_field(Self::KEYS, &mut seen)?.is_some() {");
    } else {
        file.line(
            "while let Some(field) = src.next_field(Self::KEYS, &mut seen)? {\nmatch field {",
        );
    }
    for (i, f) in s.fields.iter().enumerate() {
        let read_expr = read(model, f);
        // Outside the structs whose keys are matched in place (where a call per field
        // would cost too much), the usual reads write into the field themselves (see
        // `Source::put_value`).
        let put = match read_expr.as_str() {
            "src.value()?" => Some("put_value"),
            "src.boxed_option()?" => Some("put_boxed_option"),
            "src.list_option()?" => Some("put_list_option"),
            _ => None,
        };
        let write = if let (Some(put), false, true) = (put, inline, owns_nothing(model, f)) {
            format!("src.{put}(&mut self.{})?;", field_ident(&f.name))
        } else if owns_nothing(model, f) {
            // A placeholder that owns nothing is overwritten without being dropped: the
            // drop of the old value would be dead code, and for a field holding a
            // `Message` it pulls the whole drop glue of one into this function's unit.
            format!(
                "wire::fill::put(&mut self.{}, {read_expr});",
                field_ident(&f.name)
            )
        } else {
            // The placeholder replaced is dropped out of line (see `wire::fill::replace`).
            format!(
                "wire::fill::replace(&mut self.{}, {read_expr});",
                field_ident(&f.name)
            )
        };
        if inline {
            file.line(&format!(
                "{} => {{\nwire::fill::first(&mut seen, {i}, Self::KEYS)?;\n{write}\n}}",
                lit(&f.name)
            ));
        } else if single {
            file.line(&write);
        } else {
            file.line(&format!("{i} => {{\n{write}\n}}"));
        }
    }
    if inline {
        file.line("_ => src.skip()?,\n}\n}");
    } else if single {
        file.line("}");
    } else {
        // `next_field` returns only indices of the struct's fields.
        file.line("_ => {}\n}\n}");
    }
    let mut required = vec![0u64; words];
    for (i, f) in s.fields.iter().enumerate() {
        if f.required && f.lenient.is_none() {
            required[i / 64] |= 1 << (i % 64);
        }
    }
    if required.iter().any(|&w| w != 0) {
        let words: Vec<String> = required.iter().map(|w| format!("{w:#x}")).collect();
        file.line(&format!(
            "wire::fill::require(&seen, &[{}], Self::KEYS)\n}}",
            words.join(", ")
        ));
    } else {
        file.line("Ok(())\n}");
    }
}

/// A seed and a table size under which each of `names` has a slot of its own, and the
/// table: per slot, 0 or one more than the index of the name there. The table has at
/// least twice as many slots as names, so that a seed that works is found quickly.
fn key_table(names: &[&str]) -> (u64, u32, Vec<u8>) {
    assert!(names.len() < 255, "a slot holds a field's index in a byte");
    let mut bits = (usize::BITS - names.len().saturating_sub(1).leading_zeros()).max(1) + 1;
    loop {
        'seeds: for seed in 0..20_000u64 {
            let mut slots = vec![0u8; 1 << bits];
            for (i, name) in names.iter().enumerate() {
                let at = slot(name.as_bytes(), seed, bits);
                if slots[at] != 0 {
                    continue 'seeds;
                }
                slots[at] = i as u8 + 1;
            }
            return (seed, bits, slots);
        }
        bits += 1;
    }
}

/// The slot `botapi_proto::types::wire::fill` finds for `key` (its `words` and `hash`); the
/// two must agree, and a test in botapi-proto checks every generated table against its own.
fn slot(key: &[u8], seed: u64, bits: u32) -> usize {
    const MIX: u64 = 0x9e37_79b9_7f4a_7c15;
    let n = key.len();
    let w64 = |at: usize| u64::from_le_bytes(key[at..at + 8].try_into().expect("eight bytes"));
    let w32 = |at: usize| {
        u64::from(u32::from_le_bytes(
            key[at..at + 4].try_into().expect("four bytes"),
        ))
    };
    let byte = |at: usize| u64::from(key[at]);
    let (first, middle, last) = match n {
        8.. => (w64(0), w64(n / 2 - 4), w64(n - 8)),
        4..8 => (w32(0) | w32(n - 4) << 32, 0, 0),
        1..4 => (byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16, 0, 0),
        0 => (0, 0, 0),
    };
    let mut h = seed ^ n as u64;
    h = (h ^ first).wrapping_mul(MIX);
    h = (h ^ middle).wrapping_mul(MIX);
    h = (h ^ last).wrapping_mul(MIX);
    (h >> (64 - bits)) as usize
}

/// The expression that reads field `f`'s value from `src`.
fn read(model: &Model, f: &Field) -> String {
    if f.lenient == Some(Lenient::StringOrNumber) {
        return "src.value::<wire::StringOrNumber>()?.0".to_owned();
    }
    match &f.ty {
        Ty::Named(name) if f.boxed && fills(model, name) => {
            if f.required {
                "src.boxed()?".to_owned()
            } else {
                "src.boxed_option()?".to_owned()
            }
        }
        // Any other boxed value (a union) gets its box before it is read (see `wire::Boxed`).
        Ty::Named(_) if f.boxed => {
            if f.required {
                "src.value::<wire::Boxed<_>>()?.0".to_owned()
            } else {
                "src.value::<Option<wire::Boxed<_>>>()?.map(|boxed| boxed.0)".to_owned()
            }
        }
        // A list of structs or unions is read with its partial list held (see `ListSeed`).
        Ty::Array(item) if matches!(**item, Ty::Named(_)) => {
            if f.required {
                "src.list()?".to_owned()
            } else {
                "src.list_option()?".to_owned()
            }
        }
        _ => "src.value()?".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, ty: Ty, required: bool, boxed: bool) -> Field {
        Field {
            name: name.to_owned(),
            spec_ty: String::new(),
            ty,
            required,
            boxed,
            lenient: None,
            values: Vec::new(),
        }
    }

    fn strukt(name: &str, fields: Vec<Field>) -> (String, Struct) {
        let s = Struct {
            name: name.to_owned(),
            anchor: String::new(),
            fields,
            spec_fields: Vec::new(),
            tag: None,
            sent: false,
            uploads: false,
            member_of: Vec::new(),
        };
        (name.to_owned(), s)
    }

    /// Each name gets a slot of its own, in a table at least twice as large as the names,
    /// for a struct of one field as for one of a hundred.
    #[test]
    fn key_tables_give_each_name_its_own_slot() {
        let many: Vec<String> = (0..120).map(|i| format!("field_number_{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        for names in [&["id"][..], &["id", "is_bot", "first_name"], &many] {
            let (seed, bits, slots) = key_table(names);
            assert_eq!(slots.len(), 1 << bits);
            assert!(slots.len() >= 2 * names.len());
            for (i, name) in names.iter().enumerate() {
                assert_eq!(usize::from(slots[slot(name.as_bytes(), seed, bits)]), i + 1);
            }
            assert_eq!(slots.iter().filter(|&&s| s != 0).count(), names.len());
        }
    }

    /// Only a placeholder with no box anywhere inside is overwritten without a drop: a
    /// boxed required field, directly or in a struct held by value, would leak its box.
    #[test]
    fn a_placeholder_owns_nothing_unless_it_holds_a_box() {
        let boxed = field("photo", Ty::Named("Photo".into()), true, true);
        let model = Model {
            version: String::new(),
            type_order: Vec::new(),
            type_anchors: Default::default(),
            structs: [
                strukt("Photo", vec![field("id", Ty::Int, true, false)]),
                strukt("Holder", vec![boxed.clone()]),
                strukt("Plain", vec![field("name", Ty::Str, true, false)]),
            ]
            .into_iter()
            .collect(),
            unions: Default::default(),
            inline_unions: Vec::new(),
            enums: Vec::new(),
            methods: Vec::new(),
            sections: Vec::new(),
        };
        let by_value = |name: &str| field("x", Ty::Named(name.into()), true, false);
        assert!(!owns_nothing(&model, &boxed));
        assert!(!owns_nothing(&model, &by_value("Holder")));
        assert!(owns_nothing(&model, &by_value("Plain")));
        assert!(owns_nothing(
            &model,
            &field("maybe", Ty::Named("Holder".into()), false, true)
        ));
        assert!(owns_nothing(
            &model,
            &field("list", Ty::Array(Box::new(Ty::Str)), true, false)
        ));
        assert!(owns_nothing(
            &model,
            &field("kind", Ty::Enum("Kind".into()), true, false)
        ));
    }
}
