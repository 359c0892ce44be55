//! The reader against serde_json: edge cases of the grammar, arbitrary text, the corpus.

use proptest::prelude::*;
use serde::de::IgnoredAny;
use serde_json::Value;
use serde_json::value::RawValue;

use super::compare::{agree, same};
use super::{ReadErrorKind, from_str};

#[track_caller]
fn agrees(text: &str) {
    if let Err(e) = agree(text) {
        panic!("{text:?}: {e}");
    }
}

#[test]
fn numbers_reach_visitors_as_serde_json_hands_them() {
    for text in [
        "0",
        "-0",
        "7",
        "-7",
        "1.5",
        "-1.5e3",
        "1E2",
        "1e-2",
        "2.5E+2",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "18446744073709551616",
        "123456789012345678901234567890",
        "-123456789012345678901234567890",
        "1e400",
        "-1e400",
        "1e-400",
        "0.1",
        "01",
        "-01",
        "1.",
        "1.e1",
        ".5",
        "-",
        "+1",
        "1e",
        "1e+",
        "--1",
        "0x10",
        "1_000",
        "0.0000000000000000000001",
        "[1,-0,2.5]",
        "{\"id\":-0}",
        "{\"id\":1.0}",
        "{\"id\":99999999999999999999}",
    ] {
        agrees(text);
        same::<i64>(text).unwrap();
        same::<u64>(text).unwrap();
        same::<f64>(text).unwrap();
        same::<i32>(text).unwrap();
        same::<Option<i64>>(text).unwrap();
    }
    // `-0` is a float, as serde_json has it.
    assert!(matches!(from_str::<Value>("-0").unwrap(), Value::Number(n) if n.is_f64()));
}

#[test]
fn strings_and_escapes_read_as_serde_json_reads_them() {
    for text in [
        r#""""#,
        r#""plain""#,
        r#""a\"b""#,
        r#""\\\/\b\f\n\r\t""#,
        r#""\u0041\u00e9\u20ac""#,
        r#""\ud83d\ude00""#,
        r#""\ud83d""#,
        r#""\ude00""#,
        r#""\ud83dx""#,
        r#""\ud83d\u0041""#,
        r#""\ud83d\n""#,
        r#""\u12""#,
        r#""\u12g4""#,
        r#""\x""#,
        "\"tab\there\"",
        "\"nl\nhere\"",
        "\"\u{7f}\"",
        "\"ж€😀\"",
        r#""unterminated"#,
        r#""ends in \"#,
        r#""\u"#,
        "\"a\u{1}b\"",
        r#"{"k\u0065y":1}"#,
        r#"{"a\"b":1}"#,
    ] {
        agrees(text);
        same::<String>(text).unwrap();
        same::<Option<String>>(text).unwrap();
        same::<crate::SmallString>(text).unwrap();
    }
}

#[test]
fn structure_and_whitespace_read_as_serde_json_reads_them() {
    for text in [
        "",
        " ",
        "null",
        "nul",
        "nulls",
        "tru",
        "true",
        "false",
        "falsy",
        " \t\n\r[ 1 , 2 ] \n",
        "[",
        "[1",
        "[1,",
        "[1,]",
        "[,1]",
        "[1 2]",
        "]",
        "{",
        "{\"a\"",
        "{\"a\":",
        "{\"a\":1",
        "{\"a\":1,",
        "{\"a\":1,}",
        "{,}",
        "{1:2}",
        "{\"a\" 1}",
        "{\"a\" \n\t: 1}",
        "{\"a\"  ",
        "{\"a\" \r x}",
        "{\"a\":1,\"b\" }",
        // A repeated key with no colon after it: the repeat is reported first, as serde_json
        // (and a derived `Deserialize`) report it.
        "{\"ok\":true,\"result\":{\"id\":1,\"id\" 2}}",
        "{\"ok\":true,\"result\":{\"id\":1,\"is_bot\" \n: true,\"id\"\t2}}",
        "{\"a\":1}}",
        "[1] x",
        "{} {}",
        "\u{feff}{}",
        "{\"a\":1,\"a\":2}",
        "[[],[[]],{}]",
        "\u{0}",
        "{\"a\":[1,{\"b\":null}]}",
    ] {
        agrees(text);
    }
}

#[test]
fn nesting_stops_where_serde_json_stops() {
    for depth in [1, 127, 128, 129, 2_000] {
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        agrees(&text);
        let text = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        agrees(&text);
    }
    // A value ignored is not limited, and deep text does not exhaust the stack.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(from_str::<IgnoredAny>(&deep).is_ok());
    assert_eq!(
        from_str::<Value>(&deep).unwrap_err().kind(),
        ReadErrorKind::Syntax
    );
}

#[test]
fn a_raw_value_holds_the_text_as_sent() {
    let text = r#"{"a": [1, {"b" : "\u00e9"}] , "c":2}"#;
    #[derive(serde::Deserialize)]
    struct Holder {
        a: Box<RawValue>,
    }
    let holder: Holder = from_str(text).unwrap();
    assert_eq!(holder.a.get(), r#"[1, {"b" : "\u00e9"}]"#);
}

#[test]
fn errors_of_the_wrong_type_say_what_serde_json_says() {
    for (text, expected) in [
        ("\"x\"", "invalid type: string \"x\", expected i64"),
        ("1.5", "invalid type: floating point `1.5`, expected i64"),
        ("true", "invalid type: boolean `true`, expected i64"),
        ("null", "invalid type: null, expected i64"),
        ("[1]", "invalid type: sequence, expected i64"),
        ("{}", "invalid type: map, expected i64"),
        ("-5", "invalid value: integer `-5`, expected u64"),
    ] {
        let target_is_u64 = text == "-5";
        let ours = if target_is_u64 {
            from_str::<u64>(text).unwrap_err()
        } else {
            from_str::<i64>(text).unwrap_err()
        };
        assert_eq!(ours.message(), expected);
        assert_eq!(ours.kind(), ReadErrorKind::Data);
        // Placed after the value, where serde_json places it.
        let theirs = if target_is_u64 {
            serde_json::from_str::<u64>(text).unwrap_err()
        } else {
            serde_json::from_str::<i64>(text).unwrap_err()
        };
        assert_eq!(
            ours.line_column(text),
            Some((theirs.line(), theirs.column())),
            "{text}"
        );
    }
}

/// Pieces JSON is made of, and some it must refuse.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\"a\"",
        "\"update_id\"",
        "\"message\"",
        "\"chat\"",
        "\"type\"",
        "\"private\"",
        "\"status\"",
        "\"member\"",
        "\"user\"",
        "\"id\"",
        "\"date\"",
        "\"text\"",
        "\"ok\"",
        "\"result\"",
        "1",
        "-1",
        "0",
        "-0",
        "1.5",
        "1e3",
        "12345678901234567890",
        "true",
        "false",
        "null",
        " ",
        "\n",
        "\\u00e9",
        "\\ud83d",
        "\\ude00",
        "\\n",
        "é",
        "\u{1}",
        "x",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn arbitrary_pieces_read_alike(pieces in prop::collection::vec(piece(), 0..40)) {
        let text: String = pieces.concat();
        prop_assert!(agree(&text).is_ok(), "{:?}: {:?}", text, agree(&text));
    }

    #[test]
    fn arbitrary_values_read_alike(value in any_json(), cut in any::<prop::sample::Index>()) {
        let text = serde_json::to_string(&value).unwrap();
        prop_assert!(agree(&text).is_ok(), "{:?}: {:?}", text, agree(&text));
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        prop_assert!(agree(&pretty).is_ok(), "{:?}: {:?}", pretty, agree(&pretty));
        // Cut anywhere on a character boundary: truncated text must be refused alike.
        let mut at = cut.index(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let cut_text = &text[..at];
        prop_assert!(agree(cut_text).is_ok(), "{:?}: {:?}", cut_text, agree(cut_text));
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn typed_updates_from_the_wild_read_alike() {
    // An update of each shape the readers treat differently: a union read before its tag,
    // boxed messages, string enums known and unknown, an unknown kind.
    for text in [
        r#"{"update_id":1,"message":{"message_id":2,"date":3,"chat":{"id":-100,"type":"supergroup","title":"t"},"from":{"id":4,"is_bot":false,"first_name":"A"},"text":"hi\nthere","entities":[{"type":"bold","offset":0,"length":2},{"type":"future","offset":0,"length":1}]}}"#,
        r#"{"update_id":1,"chat_member":{"chat":{"id":5,"type":"private"},"from":{"id":4,"is_bot":false,"first_name":"A"},"date":1,"old_chat_member":{"user":{"id":4,"is_bot":false,"first_name":"A"},"status":"member"},"new_chat_member":{"user":{"id":4,"is_bot":false,"first_name":"A"},"status":"kicked","until_date":0}}}"#,
        r#"{"update_id":1,"callback_query":{"id":"q","from":{"id":4,"is_bot":false,"first_name":"A"},"chat_instance":"c","message":{"chat":{"id":5,"type":"private"},"message_id":9,"date":0}}}"#,
        r#"{"update_id":1,"kind_from_the_future":{"x":[1,2,{"y":null}]}}"#,
        r#"{"update_id":1,"message":{"message_id":"2","date":3,"chat":{"id":5,"type":"private"}}}"#,
        r#"{"update_id":1,"message":{"message_id":2,"date":3,"chat":{"id":5,"type":"private"},"location":{"latitude":51.5073509,"longitude":-0.1277583}}}"#,
    ] {
        agrees(text);
        same::<Update>(text).unwrap();
    }
}

use crate::types::Update;

/// A key without its `:` is reported where serde_json reports it, whatever reads next: a
/// known field of any type, an unknown one, a union's entries before its tag, a repeat (whose
/// error comes first), or the end of the text. The reader keeps the error and ends its text
/// at the key, so this checks that every way on from there gives back that error.
#[test]
fn a_missing_colon_is_reported_where_serde_json_reports_it() {
    use crate::types::{ChatMember, Message, Update, User};
    fn check<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) {
        let ours = from_str::<T>(text).expect_err(text);
        let theirs = serde_json::from_str::<T>(text).expect_err(text);
        let data = ours.kind() == ReadErrorKind::Data;
        assert_eq!(
            data,
            theirs.classify() == serde_json::error::Category::Data,
            "{text}: {ours:?} / {theirs}"
        );
        assert_eq!(
            ours.line_column(text),
            Some((theirs.line(), theirs.column())),
            "{text}: {ours:?} / {theirs}"
        );
        if !data {
            assert!(
                theirs.to_string().starts_with(ours.message()),
                "{text}: {ours:?} / {theirs}"
            );
        }
    }
    let user = r#"{"id":1,"is_bot":false,"first_name":"a""#;
    for tail in [
        r#","last_name" "b"}"#,
        r#","last_name"  }"#,
        r#","last_name" "#,
        r#","last_name""#,
        r#","is_premium" true}"#,
        r#","zzz" 5,"username":"u"}"#,
        r#","id" 2}"#,
        r#","id"
 2}"#,
    ] {
        check::<User>(&format!("{user}{tail}"));
    }
    let message = r#"{"message_id":1,"date":2,"chat":{"id":3,"type":"private"}"#;
    for tail in [
        r#","from" {"id":1}}"#,
        r#","from":{"id" 1}}"#,
        r#","entities":[{"type" "bold","offset":0,"length":1}]}"#,
        r#","reply_to_message":{"message_id" 1}}"#,
        r#","pinned_message":{"chat":{"id":1,"type":"group"},"message_id" 1,"date":0}}"#,
        r#","forward_origin":{"date" 1,"type":"hidden_user"}}"#,
        r#","reactions" "x"}"#,
    ] {
        check::<Message>(&format!("{message}{tail}"));
    }
    check::<ChatMember>(r#"{"user" {"id":1},"status":"member"}"#);
    check::<ChatMember>(r#"{"user":{"id":1,"is_bot":true,"first_name":"x"},"status" "member"}"#);
    check::<ChatMember>(r#"{"status":"member","user" {}}"#);
    check::<Update>(r#"{"update_id":1,"message" {}}"#);
    check::<Update>(r#"{"update_id" 1}"#);
    check::<Update>(r#"{"update_id":1,"something_new" {"a":1}}"#);
}
