//! Splitting then joining gives back the original text and entities; every part fits the
//! limit, holds the entities of its stretch clipped to it, and is cut at the best place
//! available, never inside a code point or one of the hard grapheme clusters.

mod text_model;

use botapi_proto::text::{
    BuildError, CAPTION_LIMIT, EntityTexts, FormattedText, MESSAGE_TEXT_LIMIT, SplitError, Text,
    bold, custom_emoji, plain,
};
use botapi_proto::types::{MessageEntity, MessageEntityType as T};
use proptest::prelude::*;
use text_model::{CLUSTERS, FRAGMENTS, document, utf16_slice};

fn built_document() -> impl Strategy<Value = FormattedText> {
    document().prop_filter_map("a quote ending inside a styled piece", |nodes| {
        match text_model::text(&nodes).build() {
            Err(BuildError::QuoteEndsMidLine { .. }) => None,
            built => Some(built.expect("the generator keeps to the rules")),
        }
    })
}

/// Checks the parts of `original` against everything splitting promises.
fn check_parts(
    original: &FormattedText,
    limit: usize,
) -> Result<Vec<FormattedText>, TestCaseError> {
    let parts = original.split(limit).unwrap();
    prop_assert_eq!(&parts.join(), original);
    let mut offset = 0;
    for part in &parts {
        prop_assert!(
            part.char_count() <= limit,
            "{} > {limit}",
            part.char_count()
        );
        prop_assert!(!part.text.is_empty());
        let len = part.text.encode_utf16().count();
        // Each entity reads back as the same stretch of the original, and is one of the
        // original's entities clipped to the part.
        for item in EntityTexts::new(&part.text, &part.entities) {
            let (entity, covered) = item.unwrap();
            prop_assert!(entity.length > 0);
            let (start, end) = (
                offset + entity.offset as usize,
                offset + (entity.offset + entity.length) as usize,
            );
            prop_assert_eq!(covered, utf16_slice(&original.text, start, end));
            let source = original.entities.iter().any(|o| {
                let (o_start, o_end) = (o.offset as usize, (o.offset + o.length) as usize);
                let mut clipped = o.clone();
                clipped.offset = entity.offset;
                clipped.length = entity.length;
                &clipped == entity && start == o_start.max(offset) && end == o_end.min(offset + len)
            });
            prop_assert!(source, "{entity:?} is not an original entity clipped");
        }
        // Every original entity that reaches into the part is there.
        let reaching = original
            .entities
            .iter()
            .filter(|o| {
                (o.offset as usize) < offset + len && ((o.offset + o.length) as usize) > offset
            })
            .count();
        prop_assert_eq!(part.entities.len(), reaching);
        offset += len;
    }
    Ok(parts.into_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn split_then_join_gives_the_original(original in built_document(), limit in 1_usize..60) {
        check_parts(&original, limit)?;
    }

    #[test]
    fn cuts_prefer_paragraphs_then_lines_then_words(
        words in prop::collection::vec(prop::sample::select(&["alpha", "β", "日本", "😀😀", "e\u{301}"][..]), 1..200),
        seps in prop::collection::vec(prop::sample::select(&[" ", " ", " ", "\n", "\n\n"][..]), 200),
        limit in 20_usize..120,
    ) {
        let mut text = String::new();
        for (word, sep) in words.iter().zip(&seps) {
            text.push_str(word);
            text.push_str(sep);
        }
        let original = FormattedText::plain(text);
        let parts = check_parts(&original, limit)?;
        for pair in parts.windows(2) {
            let (head, tail) = (&pair[0].text, &pair[1].text);
            // The best kind of break in the second half of the part was taken.
            let window: String = head.chars().chain(tail.chars()).take(limit).collect();
            // (A break counts from the character before the cut.)
            let second_half: String = window.chars().skip(limit.div_ceil(2) - 1).collect();
            if second_half.contains("\n\n") {
                prop_assert!(head.ends_with("\n\n"), "{head:?} | {tail:?}");
            } else if second_half.contains('\n') {
                prop_assert!(head.ends_with('\n'), "{head:?} | {tail:?}");
            } else if second_half.contains(' ') {
                prop_assert!(head.ends_with(' '), "{head:?} | {tail:?}");
            }
        }
    }

    #[test]
    fn cuts_never_split_a_grapheme_cluster(
        atoms in prop::collection::vec(prop::sample::select(FRAGMENTS), 1..120),
        limit in 8_usize..40,
    ) {
        let text = atoms.concat();
        // Bold over everything, so cuts also clip an entity.
        let original = Text::new().push(bold(plain(text.clone()))).build().unwrap_or_default();
        let parts = check_parts(&original, limit)?;
        let mut at = 0;
        for part in &parts[..parts.len() - 1] {
            at += part.text.len();
            for cluster in CLUSTERS {
                for (start, _) in text.match_indices(cluster) {
                    prop_assert!(
                        !(start < at && at < start + cluster.len()),
                        "cut at byte {at} inside {cluster:?} in {text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn limits_count_code_points(emoji in 1_usize..3 * MESSAGE_TEXT_LIMIT) {
        let original = FormattedText::plain("😀".repeat(emoji));
        let parts = original.split(MESSAGE_TEXT_LIMIT).unwrap();
        prop_assert_eq!(parts.len(), emoji.div_ceil(MESSAGE_TEXT_LIMIT));
        prop_assert!(parts.iter().all(|p| p.char_count() <= MESSAGE_TEXT_LIMIT));
    }
}

#[test]
fn entities_that_must_stay_whole_are_not_cut() {
    // A custom emoji (two code points here) is never cut, even when the limit falls on it.
    let original = Text::new()
        .plain("abc")
        .push(custom_emoji("👍🏽", "5368324170671202286"))
        .plain("def")
        .build()
        .unwrap();
    for limit in 2..original.char_count() {
        let parts = original.split(limit).unwrap();
        for part in &parts {
            for e in &part.entities {
                assert_eq!(e.length, 4, "limit {limit}: {parts:?}");
            }
        }
        assert_eq!(parts.join(), original);
    }
    // One longer than a part is cut, since nothing else can be.
    let url = "https://example.com/a/very/long/path";
    let long = FormattedText::new(url, vec![MessageEntity::new(T::Url, 0, url.len() as i64)]);
    let parts = long.split(10).unwrap();
    assert_eq!(parts.len(), 4);
    assert_eq!(parts.join(), long);
}

#[test]
fn parts_keep_entity_data_and_captions_have_their_own_limit() {
    let original = Text::new()
        .pre("x".repeat(3000), Some("rust"))
        .build()
        .unwrap();
    let parts = original.split(CAPTION_LIMIT).unwrap();
    assert_eq!(parts.len(), 3);
    for part in &parts {
        assert_eq!(part.entities.len(), 1);
        assert_eq!(part.entities[0].language.as_deref(), Some("rust"));
    }
}

#[test]
fn bad_input_is_an_error() {
    let text = FormattedText::new("ab", vec![MessageEntity::new(T::Bold, 1, 5)]);
    assert!(matches!(
        text.split(10),
        Err(SplitError::Entity { index: 0, .. })
    ));
    assert_eq!(
        FormattedText::plain("ab").split(0),
        Err(SplitError::ZeroLimit)
    );
    let empty = FormattedText::default().split(5).unwrap();
    assert_eq!(empty.len(), 1);
    assert_eq!(empty.join(), FormattedText::default());
    // Entities of length zero cover nothing and are dropped.
    let zero = FormattedText::new("ab", vec![MessageEntity::new(T::Bold, 1, 0)]);
    assert_eq!(zero.split(1).unwrap().join(), FormattedText::plain("ab"));
}
