//! String enums: which fields take one, the values each lists, and `ParseMode`.

use super::*;

/// Which `(owner, field)` takes which string enum.
pub(super) type EnumOf = BTreeMap<(String, String), String>;

/// The string enums of [`hand::STRING_ENUMS`] with the values their fields list, then
/// [`hand::PARSE_MODE`] on every field it applies to.
pub(super) fn string_enums(spec: &Spec) -> Result<(Vec<StrEnum>, EnumOf), String> {
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
pub(super) fn parse_mode(spec: &Spec, enum_of: &mut EnumOf) -> StrEnum {
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

/// Every field typed by a string enum lists the enum's values (for the metadata).
pub(super) fn fill_enum_values(model: &mut Model) {
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
