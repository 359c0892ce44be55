//! Methods: their parameters, what they return, their forms ("Message or True"), and the
//! read-only and sends-a-message decisions.

use super::*;

/// Every method in the order of the reference, with its return type and its Rust forms.
pub(super) fn methods(spec: &Spec, mapper: &Mapper<'_>) -> Result<Vec<Method>, String> {
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
pub(super) fn classify_calls(methods: &mut [Method]) -> Result<(), String> {
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
pub(super) fn decide(name: &str, prefix: &str, decisions: &[(&str, bool, &str)]) -> bool {
    match decisions.iter().find(|(n, _, _)| *n == name) {
        Some((_, decided, _)) => *decided,
        None => name.starts_with(prefix),
    }
}

pub(super) fn find_field<'s>(
    spec: &'s Spec,
    owner: &str,
    field: &str,
) -> Result<&'s SpecField, String> {
    spec.sections
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.name == owner)
        .and_then(|i| i.fields.iter().find(|f| f.name == field))
        .ok_or_else(|| format!("{owner}.{field} not found in the spec"))
}

pub(super) fn method_returns(
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

pub(super) fn mentions(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

pub(super) fn response_ty(expr: &str, mapper: &Mapper<'_>) -> Result<Ty, String> {
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

pub(super) fn forms(
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
