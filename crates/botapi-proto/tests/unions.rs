//! Unions, string enums and update kinds, driven by the metadata: every variant round-trips
//! with its tag (inside its union and on its own) and decodes as the right variant; unknown
//! tags, values and kinds round-trip unchanged; a known tag with a broken body is an error.

mod support;

use botapi_proto::meta::TYPES;
use botapi_proto::types::{
    ChatMember, ChatMemberBanned, InputMedia, InputMediaPhoto, InputMessageContent,
    InputTextMessageContent, MessageEntityType, ParseMode, ReactionType, ReactionTypeEmoji,
    ReplyMarkup, RichText, Update, UpdateKind, User,
};
use serde_json::json;
use support::generated::{INLINE_UNIONS, STRING_ENUMS, enum_knows, roundtrip, union_variant};

/// `(name, tag field, [(tag, member)])`.
type Union = (
    &'static str,
    Option<&'static str>,
    &'static [(&'static str, &'static str)],
);

/// Every union: the spec's and the inline ones.
fn unions() -> Vec<Union> {
    let mut all: Vec<Union> = TYPES
        .iter()
        .filter_map(|t| {
            let u = t.union?;
            Some((t.name, u.discriminator, u.variants))
        })
        .collect();
    for u in INLINE_UNIONS {
        all.push((u.name, u.tag, u.variants));
    }
    all
}

#[test]
fn every_variant_round_trips_with_its_tag() {
    let mut checked = 0;
    for (union, discriminator, variants) in unions() {
        for &(tag, member) in variants {
            let value = support::plausible(member);
            if let (Some(field), false) = (discriminator, tag.is_empty()) {
                assert_eq!(value[field], tag, "{union}: {member} built without its tag");
            }
            let again = roundtrip(union, &value).unwrap();
            assert_eq!(again.as_ref(), Ok(&value), "{union} as {member}");
            let picked = union_variant(union, &value).unwrap();
            assert_eq!(picked, Ok(member), "{union}: {value}");
            // The member struct on its own writes the tag too.
            if meta_is_struct(member) {
                let alone = roundtrip(member, &value).unwrap();
                assert_eq!(alone.as_ref(), Ok(&value), "{member} alone");
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} variants");
}

fn meta_is_struct(name: &str) -> bool {
    botapi_proto::meta::type_info(name).is_some_and(|t| t.union.is_none())
}

#[test]
fn unknown_tags_are_kept_whole() {
    for (union, discriminator, _) in unions() {
        let Some(field) = discriminator else { continue };
        let value =
            json!({field: "from_a_future_version", "extra": {"n": 1}, "id": 9007199254740993_i64});
        assert_eq!(
            union_variant(union, &value).unwrap(),
            Ok("Unknown"),
            "{union}"
        );
        assert_eq!(roundtrip(union, &value).unwrap(), Ok(value), "{union}");
    }
    // Untagged unions keep what fits no variant.
    for union in ["InputMessageContent", "ReplyMarkup"] {
        let value = json!({"something_new": true});
        assert_eq!(
            union_variant(union, &value).unwrap(),
            Ok("Unknown"),
            "{union}"
        );
        assert_eq!(roundtrip(union, &value).unwrap(), Ok(value));
    }
    let dateless = json!({"chat": {"id": 1, "type": "private"}, "message_id": 3});
    assert_eq!(
        union_variant("MaybeInaccessibleMessage", &dateless).unwrap(),
        Ok("Unknown")
    );
}

#[test]
fn a_known_tag_with_a_broken_body_is_an_error() {
    let mut checked = 0;
    for (union, discriminator, variants) in unions() {
        if discriminator.is_none() {
            continue;
        }
        for &(_, member) in variants {
            let Some(info) = botapi_proto::meta::type_info(member) else {
                continue;
            };
            let Some(field) = info.fields.iter().find(|f| {
                Some(f.name) != discriminator && f.required && !support::defaulted(member, f)
            }) else {
                continue;
            };
            let mut value = support::plausible(member);
            value.as_object_mut().unwrap().remove(field.name);
            let err = union_variant(union, &value).unwrap().unwrap_err();
            assert!(err.contains(field.name), "{union}/{member}: {err}");
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} checked");
    // Not an object at all.
    assert!(
        union_variant("ChatMember", &json!("creator"))
            .unwrap()
            .is_err()
    );
    assert!(
        union_variant("ChatMember", &json!({"status": 5}))
            .unwrap()
            .is_err()
    );
    assert!(
        union_variant("ChatMember", &json!({"user": {}}))
            .unwrap()
            .is_err()
    );
}

#[test]
fn untagged_unions_pick_by_the_facts() {
    let venue = json!({"latitude": 1.5, "longitude": 2.5, "title": "t", "address": "a"});
    let location = json!({"latitude": 1.5, "longitude": 2.5});
    assert_eq!(
        union_variant("InputMessageContent", &venue).unwrap(),
        Ok("InputVenueMessageContent")
    );
    assert_eq!(
        union_variant("InputMessageContent", &location).unwrap(),
        Ok("InputLocationMessageContent")
    );
    let inaccessible = json!({"chat": {"id": 1, "type": "private"}, "message_id": 3, "date": 0});
    assert_eq!(
        union_variant("MaybeInaccessibleMessage", &inaccessible).unwrap(),
        Ok("InaccessibleMessage")
    );
    let mut message = inaccessible.clone();
    message["date"] = json!(1_700_000_000);
    assert_eq!(
        union_variant("MaybeInaccessibleMessage", &message).unwrap(),
        Ok("Message")
    );
    // Inline query results share tags between cached and linked files.
    let cached = json!({"type": "photo", "id": "1", "photo_file_id": "f"});
    let linked = json!({"type": "photo", "id": "1", "photo_url": "u", "thumbnail_url": "t"});
    assert_eq!(
        union_variant("InlineQueryResult", &cached).unwrap(),
        Ok("InlineQueryResultCachedPhoto")
    );
    assert_eq!(
        union_variant("InlineQueryResult", &linked).unwrap(),
        Ok("InlineQueryResultPhoto")
    );
    // Rich text: a string, an array, or a tagged object, nested.
    let rich = json!(["plain", {"type": "bold", "text": ["x", {"type": "italic", "text": "y"}]}]);
    assert_eq!(
        union_variant("RichText", &rich).unwrap(),
        Ok("Array of RichText")
    );
    assert_eq!(roundtrip("RichText", &rich).unwrap(), Ok(rich));
    assert_eq!(RichText::from("hi"), RichText::Plain("hi".into()));
}

#[test]
fn member_structs_write_their_tag_when_built_in_code() {
    let photo = InputMediaPhoto::new(botapi_proto::InputFile::file_id("abc")).caption("c");
    let value = serde_json::to_value(&photo).unwrap();
    assert_eq!(
        value,
        json!({"type": "photo", "media": "abc", "caption": "c"})
    );
    let as_union = serde_json::to_value(InputMedia::from(photo)).unwrap();
    assert_eq!(as_union, value);

    let emoji = ReactionType::from(ReactionTypeEmoji::new("👍"));
    assert_eq!(
        serde_json::to_value(&emoji).unwrap(),
        json!({"type": "emoji", "emoji": "👍"})
    );
    let banned = ChatMember::from(ChatMemberBanned::new(User::new(1, false, "A"), 0));
    assert_eq!(
        serde_json::to_value(&banned).unwrap(),
        json!({"status": "kicked", "user": {"id": 1, "is_bot": false, "first_name": "A"}, "until_date": 0})
    );
    let text = InputMessageContent::from(InputTextMessageContent::new("hello"));
    assert_eq!(
        serde_json::to_value(&text).unwrap(),
        json!({"message_text": "hello"})
    );
    let markup = ReplyMarkup::from(botapi_proto::types::ReplyKeyboardRemove::new(true));
    assert_eq!(
        serde_json::to_value(&markup).unwrap(),
        json!({"remove_keyboard": true})
    );
}

#[test]
fn string_enums_keep_known_and_unknown_values() {
    assert!(STRING_ENUMS.len() >= 20);
    for (name, values) in STRING_ENUMS {
        for value in *values {
            assert_eq!(enum_knows(name, value), Some(true), "{name}: {value}");
            let json = json!(value);
            assert_eq!(roundtrip(name, &json).unwrap(), Ok(json.clone()));
        }
        let new = json!("value_from_a_future_version");
        assert_eq!(enum_knows(name, "value_from_a_future_version"), Some(false));
        assert_eq!(roundtrip(name, &new).unwrap(), Ok(new.clone()), "{name}");
        assert!(
            roundtrip(name, &json!(1)).unwrap().is_err(),
            "{name} took a number"
        );
    }
    assert_eq!(ParseMode::Html.as_str(), "HTML");
    assert_eq!(ParseMode::from("MarkdownV2"), ParseMode::MarkdownV2);
    assert_eq!(
        MessageEntityType::from("spoiler_2"),
        MessageEntityType::Unknown("spoiler_2".into())
    );
    assert_eq!(MessageEntityType::BotCommand.to_string(), "bot_command");
}

fn update_field_type(kind: &str) -> &'static str {
    support::type_info("Update").field(kind).unwrap().ty
}

#[test]
fn every_update_kind_round_trips() {
    let info = support::type_info("Update");
    assert_eq!(UpdateKind::NAMES.len(), info.fields.len() - 1);
    for kind in UpdateKind::NAMES {
        let value =
            json!({"update_id": 123456789, *kind: support::plausible(update_field_type(kind))});
        let update: Update = serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("{kind}: {e}\n{value}"));
        assert_eq!(update.update_id, 123456789);
        assert_eq!(update.kind.name(), *kind);
        assert!(!matches!(update.kind, UpdateKind::Unknown { .. }), "{kind}");
        assert_eq!(serde_json::to_value(&update).unwrap(), value, "{kind}");
    }
}

#[test]
fn unknown_update_kinds_are_kept_whole() {
    let value = json!({"update_id": 5, "brand_new_kind": {"deep": [1, {"x": null}]}});
    let update: Update = serde_json::from_value(value.clone()).unwrap();
    match &update.kind {
        UpdateKind::Unknown { name, value } => {
            assert_eq!(name, "brand_new_kind");
            assert_eq!(value, &json!({"deep": [1, {"x": null}]}));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(serde_json::to_value(&update).unwrap(), value);
    // A known kind wins over an unknown field beside it, in any order.
    let both =
        json!({"new_thing": 1, "update_id": 6, "poll_answer": support::plausible("PollAnswer")});
    let update: Update = serde_json::from_value(both).unwrap();
    assert_eq!(update.kind.name(), "poll_answer");
    // No id is an error that says so; no kind at all is allowed ("at most one").
    let err = serde_json::from_value::<Update>(json!({"message_x": {}})).unwrap_err();
    assert!(err.to_string().contains("update_id"), "{err}");
    let bare = json!({"update_id": 1});
    let update: Update = serde_json::from_value(bare.clone()).unwrap();
    assert_eq!(update.kind, UpdateKind::Empty);
    assert_eq!(serde_json::to_value(&update).unwrap(), bare);
    // A known kind whose body is broken is an error, naming the field.
    let err = serde_json::from_value::<Update>(json!({"update_id": 2, "message": {"date": 1}}))
        .unwrap_err();
    assert!(err.to_string().contains("message_id"), "{err}");
}

#[test]
fn every_type_round_trips_its_plausible_value() {
    let mut checked = 0;
    for t in TYPES.iter().filter(|t| t.name != "InputFile") {
        let value = support::plausible_object(t.name);
        let again = roundtrip(t.name, &value).unwrap_or_else(|| panic!("{} not generated", t.name));
        let again = again.unwrap_or_else(|e| panic!("{}: {e}\n{value}", t.name));
        let diff = support::compare(t.name, &value, &again);
        assert!(diff.is_empty(), "{}: {diff:#?}", t.name);
        checked += 1;
    }
    assert_eq!(checked, 399);
}

#[test]
fn ids_round_trip_exactly() {
    let big = -1_009_007_199_254_740_993_i64; // beyond f64's exact integers
    let value = json!({"id": big, "type": "supergroup"});
    assert_eq!(roundtrip("Chat", &value).unwrap(), Ok(value));
    let value = json!({"message_id": 9_007_199_254_740_993_i64, "date": 0, "chat": {"id": big, "type": "channel"}});
    assert_eq!(roundtrip("InaccessibleMessage", &value).unwrap(), Ok(value));
}

#[test]
fn unknown_fields_are_ignored() {
    let value = json!({"id": 1, "is_bot": false, "first_name": "A", "added_in_2030": {"x": 1}});
    let user: User = serde_json::from_value(value).unwrap();
    assert_eq!(
        serde_json::to_value(user).unwrap(),
        json!({"id": 1, "is_bot": false, "first_name": "A"})
    );
}
