//! Commands: `/name@bot args` read from text and from a message's `bot_command` entity,
//! other bots' commands refused whatever the case, commands not at the start ignored,
//! and `/start` deep-link payloads.

use botapi_proto::text::{Command, FormattedRef};
use botapi_proto::types::{Message, MessageEntity, MessageEntityType as T};
use proptest::prelude::*;

fn message(text: &str, entities: Vec<MessageEntity>) -> Message {
    serde_json::from_value(serde_json::json!({
        "message_id": 1, "date": 0, "chat": {"id": -100123, "type": "supergroup"},
        "text": text, "entities": entities,
    }))
    .unwrap()
}

fn command_entity(length: usize) -> MessageEntity {
    MessageEntity::new(T::BotCommand, 0, length as i64)
}

/// `s` with the case of each ASCII letter flipped where `flips` says.
fn recase(s: &str, flips: &[bool]) -> String {
    s.chars()
        .zip(flips.iter().cycle())
        .map(|(c, &flip)| {
            if flip {
                if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            } else {
                c
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn commands_read_back_from_text_and_messages(
        name in "[a-zA-Z0-9_]{1,64}",
        bot in prop::option::of("[a-zA-Z0-9_]{3,32}"),
        args in prop::option::of("[ \n]{1,2}[^ \n][^\n]{0,20}"),
        flips in prop::collection::vec(any::<bool>(), 1..8),
    ) {
        let head = match &bot {
            Some(bot) => format!("/{name}@{bot}"),
            None => format!("/{name}"),
        };
        let text = format!("{head}{}", args.clone().unwrap_or_default());
        let want_args = args.as_deref().unwrap_or_default().trim();

        let command = Command::parse(&text).unwrap();
        prop_assert_eq!(command.name(), name.as_str());
        prop_assert_eq!(command.bot(), bot.as_deref());
        prop_assert_eq!(command.args(), want_args);
        prop_assert!(command.is(&recase(&name, &flips)));

        let received = message(&text, vec![command_entity(head.encode_utf16().count())]);
        prop_assert_eq!(Command::from_message(&received), Some(command));
        prop_assert_eq!(FormattedRef::message(&received).unwrap().command(), Some(command));

        match &bot {
            Some(bot) => {
                // Ours in any case, with or without the @; another bot's is refused.
                let ours = recase(bot, &flips);
                prop_assert!(command.is_for(&ours));
                let with_at = format!("@{ours}");
                prop_assert!(command.is_for(&with_at));
                prop_assert!(Command::parse_for(&text, &ours).is_some());
                prop_assert!(Command::from_message_for(&received, &ours).is_some());
                let other = format!("{bot}x");
                prop_assert!(!command.is_for(&other));
                prop_assert!(Command::parse_for(&text, &other).is_none());
                prop_assert!(Command::from_message_for(&received, &other).is_none());
            }
            // A command that names no bot is for every bot.
            None => prop_assert!(command.is_for("any_bot")),
        }

        // Not at the start: not a command.
        let later = format!("hello {text}");
        prop_assert!(Command::parse(&later).is_none());
        let offset = "hello ".len() as i64;
        let mut entity = command_entity(head.len());
        entity.offset = offset;
        prop_assert!(Command::from_message(&message(&later, vec![entity])).is_none());
    }

    #[test]
    fn deep_link_payloads(payload in "[A-Za-z0-9_-]{1,64}", bot in prop::option::of("[a-z_]{3,10}")) {
        let head = match &bot {
            Some(bot) => format!("/start@{bot}"),
            None => "/start".to_owned(),
        };
        let text = format!("{head} {payload}");
        prop_assert_eq!(Command::parse(&text).unwrap().start_payload(), Some(payload.as_str()));
        let received = message(&text, vec![command_entity(head.len())]);
        prop_assert_eq!(Command::from_message(&received).unwrap().start_payload(), Some(payload.as_str()));
        let other = format!("/help {payload}");
        prop_assert_eq!(Command::parse(&other).unwrap().start_payload(), None);
    }

    #[test]
    fn parsing_never_panics(text in any::<String>(), length in any::<i64>(), offset in -3_i64..3) {
        let _ = Command::parse(&text);
        let mut entity = command_entity(0);
        entity.length = length;
        entity.offset = offset;
        let _ = Command::from_message(&message(&text, vec![entity]));
    }
}

#[test]
fn a_text_that_only_looks_like_a_command() {
    // Telegram marked no command (it was inside a code entity, say): none is read.
    let received = message("/start", vec![MessageEntity::new(T::Code, 0, 6)]);
    assert_eq!(Command::from_message(&received), None);
    // A caption's command counts when there is no text.
    let photo: Message = serde_json::from_value(serde_json::json!({
        "message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"},
        "caption": "/scan@Photo_Bot now",
        "caption_entities": [{"type": "bot_command", "offset": 0, "length": 15}],
    }))
    .unwrap();
    let command = Command::from_message_for(&photo, "photo_bot").unwrap();
    assert_eq!((command.name(), command.args()), ("scan", "now"));
}
