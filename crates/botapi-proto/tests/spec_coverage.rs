//! The generated API covers the whole spec: 185 distinct method names, every 10.3 type, and
//! metadata that agrees with the spec file field by field (read from `../shared/spec` when
//! it exists).

mod support;

use std::collections::BTreeSet;

use botapi_proto::meta::{self, METHODS, TYPES};
use serde_json::Value;

#[test]
fn methods_have_185_distinct_names() {
    let names: BTreeSet<&str> = METHODS.iter().map(|m| m.name).collect();
    assert_eq!(names.len(), METHODS.len(), "a method is listed twice");
    assert_eq!(names.len(), 185);
}

#[test]
fn method_lookup_ignores_case_like_the_server() {
    for m in METHODS {
        assert_eq!(
            meta::method(&m.name.to_uppercase()).map(|f| f.name),
            Some(m.name)
        );
        assert_eq!(
            meta::method(&m.name.to_lowercase()).map(|f| f.name),
            Some(m.name)
        );
    }
    assert!(meta::method("noSuchMethod").is_none());
    assert!(meta::method("").is_none());
}

#[test]
fn every_type_named_in_the_metadata_exists() {
    let mut missing = Vec::new();
    let known = |ty: &str| {
        let base = ty
            .trim_start_matches("Array of ")
            .trim_start_matches("Array of ");
        base.split(" or ")
            .flat_map(|part| part.split(", "))
            .flat_map(|part| part.split(" and "))
            .all(|name| {
                matches!(
                    name,
                    "Integer" | "String" | "Boolean" | "True" | "Float" | "InputFile"
                ) || meta::type_info(name).is_some()
            })
    };
    for m in METHODS {
        for p in m.params.iter().filter(|p| !known(p.ty)) {
            missing.push(format!("{}.{}: {}", m.name, p.name, p.ty));
        }
        if !known(m.returns) {
            missing.push(format!("{} returns {}", m.name, m.returns));
        }
        assert!(m.doc.starts_with("https://core.telegram.org/bots/api#"));
    }
    for t in TYPES {
        for f in t.fields.iter().filter(|f| !known(f.ty)) {
            missing.push(format!("{}.{}: {}", t.name, f.name, f.ty));
        }
        for (_, variant) in t.union.iter().flat_map(|u| u.variants) {
            if !known(variant) {
                missing.push(format!("{} variant {variant}", t.name));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

/// The spec file, read as plain JSON.
fn schema() -> Option<Value> {
    let dir = support::spec_dir()?;
    let text = std::fs::read_to_string(dir.join("aiogram-butcher-schema.json")).unwrap();
    Some(serde_json::from_str(&text).unwrap())
}

fn children(schema: &Value, category: &str) -> Vec<Value> {
    schema["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|section| section["children"].as_array().unwrap())
        .filter(|child| child["category"] == category)
        .cloned()
        .collect()
}

#[test]
fn every_type_of_the_spec_is_in_types_with_its_fields() {
    let Some(schema) = schema() else { return };
    assert_eq!(schema["api"]["version"], "10.3");
    let types = children(&schema, "types");
    assert_eq!(types.len(), 400);
    assert_eq!(TYPES.len(), 400);
    for t in &types {
        let name = t["name"].as_str().unwrap();
        let info = meta::type_info(name).unwrap_or_else(|| panic!("{name} missing from TYPES"));
        let fields: Vec<(&str, &str, bool)> = t["annotations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["name"].as_str().unwrap(),
                    a["type"].as_str().unwrap(),
                    a["required"].as_bool().unwrap(),
                )
            })
            .collect();
        let ours: Vec<(&str, &str, bool)> = info
            .fields
            .iter()
            .map(|f| (f.name, f.ty, f.required))
            .collect();
        assert_eq!(ours, fields, "{name}");
        assert!(
            info.doc
                .ends_with(&format!("#{}", t["anchor"].as_str().unwrap()))
        );
    }
}

#[test]
fn every_method_of_the_spec_is_in_methods_with_its_parameters() {
    let Some(schema) = schema() else { return };
    let methods = children(&schema, "methods");
    assert_eq!(methods.len(), 185);
    for m in &methods {
        let name = m["name"].as_str().unwrap();
        let info = meta::method(name).unwrap_or_else(|| panic!("{name} missing from METHODS"));
        assert_eq!(info.name, name);
        let params: Vec<(&str, &str, bool)> = m["annotations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["name"].as_str().unwrap(),
                    a["type"].as_str().unwrap(),
                    a["required"].as_bool().unwrap(),
                )
            })
            .collect();
        let ours: Vec<(&str, &str, bool)> = info
            .params
            .iter()
            .map(|p| (p.name, p.ty, p.required))
            .collect();
        assert_eq!(ours, params, "{name}");
    }
}

#[test]
fn the_unions_of_the_discriminator_file_are_unions_with_that_field() {
    let Some(dir) = support::spec_dir() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("aiogram-union-discriminators.json")).unwrap();
    let unions: Value = serde_json::from_str(&text).unwrap();
    let unions = unions.as_object().unwrap();
    assert_eq!(unions.len(), 26);
    for (name, entry) in unions {
        let union = meta::type_info(name).and_then(|t| t.union);
        let union = union.unwrap_or_else(|| panic!("{name} is not a union in TYPES"));
        match entry["discriminator"].as_str() {
            Some(field) => assert_eq!(union.discriminator, Some(field), "{name}"),
            // RichText has no field in the file but its object variants carry `type`.
            None if name == "RichText" => assert_eq!(union.discriminator, Some("type")),
            None => assert_eq!(union.discriminator, None, "{name}"),
        }
    }
    let all: usize = TYPES.iter().filter(|t| t.union.is_some()).count();
    assert_eq!(
        all, 26,
        "every union of the spec is in the discriminator file"
    );
}

#[test]
fn upload_flags_follow_the_parameters() {
    for m in METHODS {
        assert_eq!(m.uploads, m.params.iter().any(|p| p.file), "{}", m.name);
    }
    let flagged = |name: &str| meta::method(name).unwrap().uploads;
    for name in [
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "editMessageMedia",
        "sendPaidMedia",
        "setWebhook",
        "setChatPhoto",
        "uploadStickerFile",
        "createNewStickerSet",
        "addStickerToSet",
        "postStory",
    ] {
        assert!(flagged(name), "{name} takes files");
    }
    for name in [
        "getMe",
        "sendMessage",
        "getUpdates",
        "deleteWebhook",
        "sendLocation",
    ] {
        assert!(!flagged(name), "{name} takes no files");
    }
}

#[test]
fn string_parameters_with_listed_values_say_so() {
    let action = meta::method("sendChatAction")
        .unwrap()
        .param("action")
        .unwrap();
    assert!(action.values.contains(&"typing"));
    assert!(action.values.contains(&"upload_video_note"));
    let parse_mode = meta::method("sendMessage")
        .unwrap()
        .param("parse_mode")
        .unwrap();
    assert_eq!(parse_mode.values, ["HTML", "MarkdownV2", "Markdown"]);
    let chat_type = meta::type_info("Chat").unwrap().field("type").unwrap();
    assert_eq!(
        chat_type.values,
        ["private", "group", "supergroup", "channel"]
    );
    let tag = meta::type_info("ChatMemberBanned")
        .unwrap()
        .field("status")
        .unwrap();
    assert_eq!(tag.values, ["kicked"]);
    let text = meta::method("sendMessage").unwrap().param("text").unwrap();
    assert!(text.values.is_empty());
}

#[test]
fn call_flags_follow_the_documented_rules() {
    for m in METHODS {
        // Bot API 10.3 has no exception to the name rule for reads.
        assert_eq!(m.read_only, m.name.starts_with("get"), "{}", m.name);
        assert!(!(m.read_only && m.sends_message), "{}", m.name);
        if m.sends_message {
            let chat = m.param("chat_id").unwrap_or_else(|| panic!("{}", m.name));
            assert!(
                chat.required && chat.ty == "Integer or String",
                "{}",
                m.name
            );
            assert!(!m.name.starts_with("edit"), "{}", m.name);
        }
    }
    let not_sending = [
        "sendChatAction",
        "sendMessageDraft",
        "sendRichMessageDraft",
        "sendChatJoinRequestWebApp",
        "sendGift",
    ];
    for m in METHODS.iter().filter(|m| m.name.starts_with("send")) {
        assert_eq!(
            m.sends_message,
            !not_sending.contains(&m.name),
            "{}",
            m.name
        );
    }
    for name in [
        "forwardMessage",
        "forwardMessages",
        "copyMessage",
        "copyMessages",
    ] {
        assert!(meta::method(name).unwrap().sends_message, "{name}");
    }
}
