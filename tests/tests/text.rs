//! Formatted text through a server: the builder's entities, its HTML and its MarkdownV2
//! are sent to the emulator, which parses them as the Bot API does, and must come back as
//! the same text and entities; split parts are accepted within the limits; malformed
//! markup gets the real server's refusal; commands are read from received updates.

#[path = "../../crates/botapi-proto/tests/text_model/mod.rs"]
mod text_model;

use botapi_emulator::Emulator;
use botapi_proto::methods::{GetMe, GetUpdates, SendMessage, SendPhoto};
use botapi_proto::text::{
    BuildError, Command, FormattedRef, FormattedText, MESSAGE_TEXT_LIMIT, Text, escape_html,
    escape_markdown_v2,
};
use botapi_proto::types::{Message, MessageEntity, ParseMode, UpdateKind};
use botapi_proto::{Error, InputFile};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;

const CHAT: i64 = -1_001_234_567_890;

type Client = botapi_ureq::Client;

fn client(emulator: &Emulator) -> Client {
    botapi_ureq::Client::new(emulator.client())
}

/// How a text is sent.
enum Form {
    Entities(Vec<MessageEntity>),
    Html,
    MarkdownV2,
}

fn send(client: &Client, text: String, form: Form) -> Result<Message, botapi_ureq::Error> {
    let method = SendMessage::new(CHAT, text);
    let method = match form {
        Form::Entities(entities) => method.entities(entities),
        Form::Html => method.parse_mode(ParseMode::Html),
        Form::MarkdownV2 => method.parse_mode(ParseMode::MarkdownV2),
    };
    client.send(&method)
}

/// The text and entities of a sent message.
fn received(message: &Message) -> FormattedText {
    FormattedRef::message_text(message)
        .expect("a text message")
        .to_owned()
}

/// The description of a refusal.
fn refusal<T: std::fmt::Debug>(result: Result<T, botapi_ureq::Error>) -> String {
    match result {
        Err(Error::Api(e)) => {
            assert_eq!(e.code(), 400, "{e:?}");
            e.description
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// What Telegram keeps of a text: no spaces or line breaks at the end (entities clipped),
/// nor at the start before the first entity. Entities are listed in a fixed order.
fn as_stored(text: &FormattedText) -> FormattedText {
    let blank = |c: char| c == ' ' || c == '\n';
    let kept = text.text.trim_end_matches(blank);
    let end = kept.encode_utf16().count() as i64;
    let mut entities: Vec<MessageEntity> = text
        .entities
        .iter()
        .filter(|e| e.offset < end)
        .cloned()
        .map(|mut e| {
            e.length = e.length.min(end - e.offset);
            e
        })
        .collect();
    let first = entities.iter().map(|e| e.offset).min().unwrap_or(end);
    let lead = kept.len() - kept.trim_start_matches(blank).len();
    let lead = lead.min(first as usize);
    for e in &mut entities {
        e.offset -= lead as i64;
    }
    in_fixed_order(FormattedText::new(&kept[lead..], entities))
}

fn in_fixed_order(mut text: FormattedText) -> FormattedText {
    text.entities.sort_by_key(|e| {
        (
            e.offset,
            -e.length,
            e.r#type.as_str().to_owned(),
            serde_json::to_string(e).unwrap(),
        )
    });
    text
}

#[test]
fn html_and_markdown_v2_parse_to_the_builders_entities() {
    let emulator = Emulator::start().unwrap();
    let client = client(&emulator);
    let mut runner = TestRunner::new(Config::with_cases(256));
    runner
        .run(&text_model::document(), |nodes| {
            let text = text_model::text(&nodes);
            let built = match text.build() {
                Err(BuildError::QuoteEndsMidLine { .. }) => return Ok(()),
                built => built.expect("the generator keeps to the rules"),
            };
            let stored = as_stored(&built);
            if stored.text.is_empty() {
                // Telegram refuses a text of nothing but white space, in every form.
                let refused = refusal(send(&client, built.text.clone(), Form::Html));
                prop_assert_eq!(refused, "Bad Request: message text is empty");
                return Ok(());
            }
            let html = text.to_html().unwrap();
            let markdown = text.to_markdown_v2().unwrap();
            let direct = send(
                &client,
                built.text.clone(),
                Form::Entities(built.entities.clone()),
            )
            .map_err(|e| TestCaseError::fail(format!("entities: {e}")))?;
            let via_html = send(&client, html.clone(), Form::Html)
                .map_err(|e| TestCaseError::fail(format!("{html:?}: {e}")))?;
            let via_markdown = send(&client, markdown.clone(), Form::MarkdownV2)
                .map_err(|e| TestCaseError::fail(format!("{markdown:?}: {e}")))?;
            let direct = received(&direct);
            // The server's three answers agree exactly, order of entities included...
            prop_assert_eq!(&received(&via_html), &direct, "HTML {:?}", html);
            prop_assert_eq!(
                &received(&via_markdown),
                &direct,
                "MarkdownV2 {:?}",
                markdown
            );
            // ... and with what the builder made, once trimmed as Telegram trims.
            prop_assert_eq!(in_fixed_order(direct.clone()), stored);
            // Every entity the server sent reads back.
            prop_assert!(direct.entity_texts().all(|item| item.is_ok()));
            Ok(())
        })
        .unwrap();
}

#[test]
fn escaped_plain_text_comes_back_unchanged() {
    let emulator = Emulator::start().unwrap();
    let client = client(&emulator);
    let strings = prop_oneof![
        text_model::fragment_text(),
        "[^\0]{0,40}".prop_map(|s: String| s),
    ];
    let mut runner = TestRunner::new(Config::with_cases(256));
    runner
        .run(&strings, |s| {
            let stored = s.trim_matches(|c| c == ' ' || c == '\n');
            for (form, sent) in [
                (Form::MarkdownV2, escape_markdown_v2(&s).into_owned()),
                (Form::Html, escape_html(&s).into_owned()),
            ] {
                match send(&client, sent.clone(), form) {
                    Ok(message) => {
                        prop_assert_eq!(received(&message), FormattedText::plain(stored));
                    }
                    Err(e) => {
                        prop_assert!(stored.is_empty(), "{sent:?}: {e}");
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn split_parts_are_accepted_and_render_as_the_original() {
    let emulator = Emulator::start().unwrap();
    let client = client(&emulator);
    let mut runner = TestRunner::new(Config::with_cases(24));
    let long = prop::collection::vec(text_model::document(), 20..80);
    runner
        .run(&long, |documents| {
            let mut nodes = Vec::new();
            for document in documents {
                nodes.extend(document);
                nodes.push(text_model::Node::Plain("\n\n".into()));
            }
            let Ok(built) = text_model::text(&nodes).build() else {
                return Ok(());
            };
            // Long enough to need parts at a small limit, and at Telegram's for some.
            for limit in [MESSAGE_TEXT_LIMIT, 700] {
                let parts = built.split(limit).unwrap();
                prop_assert_eq!(&parts.join(), &built);
                for part in &parts {
                    let stored = as_stored(part);
                    if stored.text.is_empty() {
                        continue;
                    }
                    let sent = send(
                        &client,
                        part.text.clone(),
                        Form::Entities(part.entities.clone()),
                    )
                    .map_err(|e| TestCaseError::fail(format!("a part was refused: {e}")))?;
                    prop_assert_eq!(in_fixed_order(received(&sent)), stored);
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn limits_are_counted_in_code_points_after_parsing() {
    let emulator = Emulator::start().unwrap();
    let client = client(&emulator);
    // 4,096 emoji are 8,192 UTF-16 code units, and are accepted.
    let emoji = Text::new()
        .bold("😀".repeat(MESSAGE_TEXT_LIMIT))
        .build()
        .unwrap();
    let sent = send(
        &client,
        emoji.text.clone(),
        Form::Entities(emoji.entities.clone()),
    )
    .unwrap();
    assert_eq!(received(&sent), emoji);
    assert_eq!(received(&sent).entities[0].length, 8192);
    // Markup does not count, the text after parsing does.
    let html = format!("<b>{}</b>", "x".repeat(MESSAGE_TEXT_LIMIT));
    assert!(send(&client, html, Form::Html).is_ok());
    let over = "x".repeat(MESSAGE_TEXT_LIMIT + 1);
    assert_eq!(
        refusal(send(&client, over.clone(), Form::Entities(Vec::new()))),
        "Bad Request: message is too long"
    );
    let parts = FormattedText::plain(over)
        .split(MESSAGE_TEXT_LIMIT)
        .unwrap();
    assert_eq!(parts.len(), 2);
    for part in parts {
        assert!(send(&client, part.text, Form::Entities(part.entities)).is_ok());
    }
}

#[test]
fn captions_are_formatted_too() {
    let emulator = Emulator::start().unwrap();
    let client = client(&emulator);
    let caption = Text::new()
        .plain("Photo by ")
        .bold("Ann 📷")
        .build()
        .unwrap();
    let photo = || SendPhoto::new(CHAT, InputFile::file_id("AgACAgIAAxkBAAI"));
    let via_entities = client
        .send(
            &photo()
                .caption(caption.text.clone())
                .caption_entities(caption.entities.clone()),
        )
        .unwrap();
    let via_html = client
        .send(
            &photo()
                .caption("Photo by <b>Ann 📷</b>")
                .parse_mode(ParseMode::Html),
        )
        .unwrap();
    for message in [&via_entities, &via_html] {
        let got = FormattedRef::message_caption(message).unwrap().to_owned();
        assert_eq!(got, caption);
        assert_eq!(FormattedRef::message(message).unwrap().to_owned(), caption);
    }
    let long = "y".repeat(1025);
    let refused = refusal(client.send(&photo().caption(long)));
    assert_eq!(refused, "Bad Request: message caption is too long");
}

#[test]
fn malformed_markup_gets_the_real_servers_refusal() {
    let emulator = Emulator::start().unwrap();
    let client = client(&emulator);
    let cases = [
        (
            "Price: 1.5",
            Form::MarkdownV2,
            "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
        ),
        (
            "*bold",
            Form::MarkdownV2,
            "Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 0",
        ),
        (
            "a <x>b</x>",
            Form::Html,
            "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 2",
        ),
        (
            "<b>x",
            Form::Html,
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"",
        ),
        (
            "a😀b",
            Form::Entities(vec![MessageEntity::new(
                botapi_proto::types::MessageEntityType::Bold,
                0,
                2,
            )]),
            "Bad Request: entity beginning at UTF-16 offset 0 ends in a middle of a UTF-16 symbol at byte offset 5",
        ),
    ];
    for (text, form, description) in cases {
        assert_eq!(
            refusal(send(&client, text.into(), form)),
            description,
            "{text:?}"
        );
    }
}

#[test]
fn commands_in_received_updates() {
    let emulator = Emulator::start().unwrap();
    let client = client(&emulator);
    let me = client.send(&GetMe::new()).unwrap();
    let username = me.username.clone().unwrap();
    let shouted = username.to_uppercase();
    let texts = [
        format!("/start@{shouted} ref-42"),
        "/start@other_bot ref-1".to_owned(),
        "/help".to_owned(),
        "see /help".to_owned(),
    ];
    for (i, text) in texts.iter().enumerate() {
        let command_len = text.split(' ').next().unwrap().len();
        let entity = if text.starts_with('/') {
            json!([{"type": "bot_command", "offset": 0, "length": command_len}])
        } else {
            json!([{"type": "bot_command", "offset": 4, "length": 5}])
        };
        emulator.push_update(json!({"message": {
            "message_id": i + 1, "date": 1, "chat": {"id": CHAT, "type": "supergroup"},
            "text": text, "entities": entity,
        }}));
    }
    let updates = client.send(&GetUpdates::new().timeout(0)).unwrap();
    let commands: Vec<Option<(String, Option<String>)>> = updates
        .iter()
        .map(|update| match &update.kind {
            UpdateKind::Message(message) => Command::from_message_for(message, &username)
                .map(|c| (c.name().to_owned(), c.start_payload().map(str::to_owned))),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        commands,
        [
            Some(("start".to_owned(), Some("ref-42".to_owned()))),
            None,
            Some(("help".to_owned(), None)),
            None,
        ]
    );
}

#[test]
fn refusals_of_text_never_show_the_token() {
    const SECRET: &str = "SENTINEL-secret_Tx7q";
    let token = format!("4243:{SECRET}");
    let emulator = Emulator::builder()
        .bot(
            token.parse().unwrap(),
            botapi_proto::types::User::new(4243, true, "Sentinel"),
        )
        .start()
        .unwrap();
    let client = client(&emulator);
    let attempts = [
        send(&client, "a.b".into(), Form::MarkdownV2),
        send(&client, "<b>x".into(), Form::Html),
        send(&client, "x".repeat(MESSAGE_TEXT_LIMIT + 1), Form::Html),
        send(&client, " ".into(), Form::Html),
        send(
            &client,
            "ab".into(),
            Form::Entities(vec![MessageEntity::new(
                botapi_proto::types::MessageEntityType::Bold,
                1,
                9,
            )]),
        ),
    ];
    for attempt in attempts {
        let error = attempt.unwrap_err();
        for shown in [
            format!("{error}"),
            format!("{error:?}"),
            format!("{error:#?}"),
        ] {
            assert!(!shown.contains(SECRET), "{shown}");
        }
    }
}
