//! Reading entities back never panics, whatever offsets a server sends, and reads exactly
//! what an independent UTF-16 decoding reads.

mod text_model;

use botapi_proto::text::{EntityTexts, FormattedRef, RangeProblem, entity_range};
use botapi_proto::types::{Message, MessageEntity, MessageEntityType as T};
use proptest::prelude::*;

/// Offsets and lengths near the text's edges and anywhere in `i64`.
fn position() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => -2_i64..40,
        1 => any::<i64>(),
        1 => Just(i64::MAX),
        1 => Just(i64::MIN),
    ]
}

fn entity() -> impl Strategy<Value = MessageEntity> {
    let kind = prop::sample::select(vec![
        T::Bold,
        T::Url,
        T::BotCommand,
        T::Unknown("future".into()),
    ]);
    (kind, position(), position()).prop_map(|(k, o, l)| MessageEntity::new(k, o, l))
}

/// What reading `offset` and `length` must give, worked out on the UTF-16 code units.
fn oracle(text: &str, offset: i64, length: i64) -> Result<String, RangeProblem> {
    let units: Vec<u16> = text.encode_utf16().collect();
    if offset < 0 || length < 0 {
        return Err(RangeProblem::Negative);
    }
    let end = offset
        .checked_add(length)
        .filter(|&e| e as u128 <= units.len() as u128);
    let Some(end) = end else {
        return Err(RangeProblem::PastEnd {
            text_len: units.len(),
        });
    };
    let low = |i: usize| i > 0 && i < units.len() && (0xDC00..0xE000).contains(&units[i]);
    for at in [offset as usize, end as usize] {
        if low(at) {
            return Err(RangeProblem::InsideSurrogatePair { at });
        }
    }
    Ok(String::from_utf16(&units[offset as usize..end as usize]).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn arbitrary_offsets_are_read_or_reported(
        text in text_model::fragment_text(),
        entities in prop::collection::vec(entity(), 0..12),
    ) {
        let read: Vec<_> = EntityTexts::new(&text, &entities).collect();
        prop_assert_eq!(read.len(), entities.len());
        for (item, entity) in read.into_iter().zip(&entities) {
            let want = oracle(&text, entity.offset, entity.length);
            match item {
                Ok((e, covered)) => {
                    prop_assert_eq!(e, entity);
                    prop_assert_eq!(Ok(covered.to_owned()), want);
                }
                Err(error) => {
                    prop_assert_eq!((error.offset, error.length), (entity.offset, entity.length));
                    prop_assert_eq!(Err(error.problem), want);
                    prop_assert!(!error.to_string().is_empty());
                }
            }
            // The single-entity helper agrees.
            prop_assert_eq!(
                entity_range(&text, entity).map(|r| text[r].to_owned()).map_err(|e| e.problem),
                oracle(&text, entity.offset, entity.length)
            );
        }
    }

    #[test]
    fn messages_from_the_network_never_panic(
        text in prop::option::of(text_model::fragment_text()),
        caption in prop::option::of(text_model::fragment_text()),
        entities in prop::collection::vec(entity(), 0..6),
    ) {
        let message: Message = serde_json::from_value(serde_json::json!({
            "message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"},
            "text": text, "entities": entities,
            "caption": caption, "caption_entities": entities,
        })).unwrap();
        if let Some(formatted) = FormattedRef::message(&message) {
            prop_assert_eq!(Some(formatted.text), text.as_deref().or(caption.as_deref()));
            prop_assert_eq!(formatted.entity_texts().count(), entities.len());
            let _ = formatted.command();
            let _ = formatted.split(7).map(|parts| parts.join());
        }
    }
}
