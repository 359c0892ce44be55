//! A quick reader for the layout the Bot API server gives its errors, tried before
//! `serde_json` on answers whose HTTP status is not a success.
//!
//! The server writes its errors in one layout, as its source shows (the corpus keeps
//! payloads taken from it): `{"ok":false,"error_code":N,"description":"…"}`, with
//! `,"parameters":{…}` before the closing brace when it has a `retry_after` or a
//! `migrate_to_chat_id` to give.
//! Matching that layout costs a fraction of a general JSON pass. Anything else (another
//! order, whitespace, an escape in the description, another field, a number that is not a
//! plain integer, invalid UTF-8) makes it give up, and the full decoder reads the answer as
//! before. So it only ever gives what the full decoder would give; the tests and the
//! `decode_envelope` fuzz target check that.

use crate::error::ResponseParameters;

/// The fields of an error in the server's layout.
pub(super) struct UsualError<'a> {
    pub(super) error_code: i64,
    pub(super) description: &'a str,
    pub(super) parameters: ResponseParameters,
}

/// Reads `body` if it is an error in the server's layout; `None` otherwise.
pub(super) fn read(body: &[u8]) -> Option<UsualError<'_>> {
    let rest = body.strip_prefix(br#"{"ok":false,"error_code":"#)?;
    let (error_code, rest) = integer(rest)?;
    let rest = rest.strip_prefix(br#","description":""#)?;
    let (description, rest) = rest.split_at(plain_len(rest));
    let mut rest = rest.strip_prefix(b"\"")?;
    let description = std::str::from_utf8(description).ok()?;
    let mut parameters = ResponseParameters::default();
    if let Some(inner) = rest.strip_prefix(br#","parameters":{"#) {
        let (slot, inner) = if let Some(inner) = inner.strip_prefix(br#""retry_after":"#) {
            (&mut parameters.retry_after, inner)
        } else {
            let inner = inner.strip_prefix(br#""migrate_to_chat_id":"#)?;
            (&mut parameters.migrate_to_chat_id, inner)
        };
        let (value, inner) = integer(inner)?;
        *slot = Some(value);
        rest = inner.strip_prefix(b"}")?;
    }
    (rest == b"}").then_some(UsualError {
        error_code,
        description,
        parameters,
    })
}

/// A JSON integer that fits an `i64` at the start of `text`, and what follows it. No leading
/// zero (not JSON), and not `-0`, which `serde_json` reads as a float; what may follow is
/// left to the caller, which expects a `,` or a `}`.
fn integer(text: &[u8]) -> Option<(i64, &[u8])> {
    let (negative, digits) = match text.strip_prefix(b"-") {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    let len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    let (number, rest) = digits.split_at(len);
    match number {
        [] => return None,
        [b'0', _, ..] => return None,
        [b'0'] if negative => return None,
        _ => {}
    }
    let mut value: i64 = 0;
    for &digit in number {
        let digit = i64::from(digit - b'0');
        value = value.checked_mul(10)?;
        value = if negative {
            value.checked_sub(digit)?
        } else {
            value.checked_add(digit)?
        };
    }
    Some((value, rest))
}

/// How many bytes of `text` come before the first `"`, `\` or control character, eight at a
/// time: error texts are long enough for this to matter.
fn plain_len(text: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    // The high bit of each byte of `x` that is zero; exact up to the first such byte.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut chunks = text.chunks_exact(8);
    let mut len = 0;
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().expect("chunks of eight"));
        let stop = zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')))
            | (x.wrapping_sub(ONES * 0x20) & !x & HIGH);
        if stop != 0 {
            return len + stop.trailing_zeros() as usize / 8;
        }
        len += 8;
    }
    let rest = chunks.remainder();
    len + rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{plain_len, read};
    use crate::decode::usual_error_agrees;

    #[test]
    fn plain_text_stops_at_the_first_quote_backslash_or_control_character() {
        for text in [
            "",
            "abc",
            "abcdefgh",
            "abcdefghijklmnopq",
            "déjà vu — ünïcode",
        ] {
            assert_eq!(plain_len(text.as_bytes()), text.len(), "{text}");
            for stop in ["\"", "\\", "\n", "\u{1f}", "\0"] {
                for at in 0..=text.len() {
                    if !text.is_char_boundary(at) {
                        continue;
                    }
                    let probe = format!("{}{stop}{}\"", &text[..at], &text[at..]);
                    assert_eq!(plain_len(probe.as_bytes()), at, "{probe:?}");
                }
            }
        }
        // Bytes at and above the stop do not matter, nor do high bytes before it.
        assert_eq!(
            plain_len(b"\x7f\xff\x20!\x1f\x00\x00\x00\x00\x00\x00\x00"),
            4
        );
    }

    #[test]
    fn the_servers_layout_is_read() {
        let e = read(br#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}"#).unwrap();
        assert_eq!(e.error_code, 429);
        assert_eq!(e.description, "Too Many Requests: retry after 35");
        assert_eq!(e.parameters.retry_after, Some(35));
        assert_eq!(e.parameters.migrate_to_chat_id, None);
        assert!(e.parameters.other.is_empty());

        let e = read(
            r#"{"ok":false,"error_code":400,"description":"Bad Request: upgraded — déjà","parameters":{"migrate_to_chat_id":-1009223372036854775}}"#
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(e.error_code, 400);
        assert_eq!(e.description, "Bad Request: upgraded — déjà");
        assert_eq!(
            e.parameters.migrate_to_chat_id,
            Some(-1_009_223_372_036_854_775)
        );
        assert_eq!(e.parameters.retry_after, None);

        let e = read(br#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#).unwrap();
        assert_eq!((e.error_code, e.description), (401, "Unauthorized"));
        assert!(e.parameters.is_empty());

        let e =
            read(br#"{"ok":false,"error_code":-9223372036854775808,"description":""}"#).unwrap();
        assert_eq!((e.error_code, e.description), (i64::MIN, ""));
        let e =
            read(br#"{"ok":false,"error_code":9223372036854775807,"description":"0"}"#).unwrap();
        assert_eq!(e.error_code, i64::MAX);
        let e = read(
            br#"{"ok":false,"error_code":0,"description":"x","parameters":{"retry_after":-1}}"#,
        )
        .unwrap();
        assert_eq!((e.error_code, e.parameters.retry_after), (0, Some(-1)));
    }

    #[test]
    fn anything_unusual_is_left_to_the_full_decoder() {
        let unusual: &[&[u8]] = &[
            b"",
            b"   ",
            br#"{"ok":false}"#,
            br#"{"ok":false,"error_code":400}"#,
            br#"{"ok":false,"description":"x"}"#,
            br#"{"error_code":400,"ok":false,"description":"x"}"#,
            br#"{"description":"x","error_code":400,"ok":false}"#,
            br#"{ "ok":false,"error_code":400,"description":"x"}"#,
            br#"{"ok": false,"error_code":400,"description":"x"}"#,
            br#"{"ok":false,"error_code":400,"description":"x"} "#,
            b"{\"ok\":false,\"error_code\":400,\"description\":\"x\"}\n",
            br#"{"ok":false,"error_code":400,"description":"x","parameters":{}}"#,
            br#"{"ok":false,"error_code":400,"description":"x","parameters":{"retry_after":1,"migrate_to_chat_id":2}}"#,
            br#"{"ok":false,"error_code":400,"description":"x","parameters":{"retry_after":1}"#,
            br#"{"ok":false,"error_code":400,"description":"x","parameters":{"retry_after":1}}}"#,
            br#"{"ok":false,"error_code":400,"description":"x","parameters":{"retry_after":1.5}}"#,
            br#"{"ok":false,"error_code":400,"description":"x","parameters":{"retry_after":-0}}"#,
            br#"{"ok":false,"error_code":400,"description":"x","parameters":{"retry_after":00}}"#,
            br#"{"ok":false,"error_code":400,"description":"x","extra":1}"#,
            br#"{"ok":false,"error_code":400,"description":"x","result":true}"#,
            br#"{"ok":false,"error_code":400,"description":"x\"}"#,
            br#"{"ok":false,"error_code":400,"description":"x"#,
            b"{\"ok\":false,\"error_code\":400,\"description\":\"\xc3\"}",
            br#"{"ok":false,"error_code":400,"description":"x","description":"y"}"#,
            br#"{}"#,
            br#"{"ok":true,"result":true}"#,
            br#"{"result":null,"ok":false}"#,
            br#"{"ok":false,"ok":false}"#,
            br#"{"ok":false,"error_code":1,"error_code":2}"#,
            br#"{"ok":false,"description":"a","description":"b"}"#,
            br#"{"ok":false,"parameters":{},"parameters":{}}"#,
            br#"{"ok":false,"parameters":{"retry_after":1,"retry_after":2}}"#,
            br#"{"ok":false,"parameters":{"flood_wait":1}}"#,
            br#"{"ok":false,"parameters":{"retry_after":"1"}}"#,
            br#"{"ok":false,"parameters":[]}"#,
            br#"{"ok":false,"parameters":null}"#,
            br#"{"ok":false,"extra":1}"#,
            br#"{"ok":false,"description":"say \"hi\""}"#,
            br#"{"ok":false,"description":"tab	in"}"#,
            b"{\"ok\":false,\"description\":\"\xff\"}",
            br#"{"ok":false,"description":null}"#,
            br#"{"ok":false,"description":7}"#,
            br#"{"ok":false,"error_code":-0}"#,
            br#"{"ok":false,"error_code":01}"#,
            br#"{"ok":false,"error_code":1.0}"#,
            br#"{"ok":false,"error_code":1e3}"#,
            br#"{"ok":false,"error_code":-}"#,
            br#"{"ok":false,"error_code":9223372036854775808}"#,
            br#"{"ok":false,"error_code":-9223372036854775809}"#,
            br#"{"ok":false,"error_code":"429"}"#,
            br#"{"ok":falsey}"#,
            br#"{"ok":fals}"#,
            br#"{"ok":false,}"#,
            br#"{"ok":false"#,
            br#"{"ok":false} x"#,
            br#"{"ok":false}}"#,
            br#"{"o\u006b":false}"#,
            br#"{ok:false}"#,
            br#"["ok",false]"#,
        ];
        for body in unusual {
            assert!(read(body).is_none(), "{}", String::from_utf8_lossy(body));
            assert!(usual_error_agrees(body));
        }
    }

    #[test]
    fn the_full_decoder_agrees_on_the_usual_errors() {
        let usual: &[&[u8]] = &[
            br#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}"#,
            br#"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001234567890123}}"#,
            br#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#,
            br#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#,
            br#"{"ok":false,"error_code":400,"description":"token 1:quickcheck echoed"}"#,
        ];
        for body in usual {
            assert!(read(body).is_some(), "{}", String::from_utf8_lossy(body));
            assert!(
                usual_error_agrees(body),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    fn number() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => any::<i64>().prop_map(|n| n.to_string()),
            2 => (-1000_i64..1000).prop_map(|n| n.to_string()),
            1 => any::<u64>().prop_map(|n| n.to_string()),
            3 => prop_oneof![
                Just("-0"),
                Just("007"),
                Just("1.5"),
                Just("2e2"),
                Just("-"),
                Just("\"12\""),
                Just("null"),
                Just("99999999999999999999"),
            ]
            .prop_map(str::to_owned),
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            8 => "[a-zA-Z0-9 :.é—]{0,16}".prop_map(|s| format!("\"{s}\"")),
            1 => prop_oneof![
                Just(r#""esc\"aped""#),
                Just(r#""\u00e9""#),
                Just("null"),
                Just("[1]"),
                Just("\"1:quickcheck\""),
            ]
            .prop_map(str::to_owned),
        ]
    }

    /// `parameters`: mostly one known key, now and then none, two, or another key.
    fn parameters() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            4 => Just("retry_after"),
            4 => Just("migrate_to_chat_id"),
            1 => Just("other"),
        ];
        let count = prop_oneof![1 => Just(0_usize), 8 => Just(1), 1 => Just(2)];
        let entry = (key, number().boxed());
        count
            .prop_flat_map(move |n| prop::collection::vec(entry.clone(), n))
            .prop_map(|ps| {
                let ps: Vec<_> = ps.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", ps.join(","))
            })
    }

    /// An envelope: mostly an error in the server's layout, now and then with odd values,
    /// odd fields, its fields in another order, or whitespace.
    fn envelope() -> impl Strategy<Value = String> {
        let ok = prop_oneof![8 => Just("false"), 1 => Just("true"), 1 => Just("0")];
        let optional = |p: f64, s: BoxedStrategy<String>| prop::option::weighted(p, s);
        let odd = prop_oneof![
            Just("\"result\":true"),
            Just("\"ok\":false"),
            Just("\"x\":1")
        ];
        (
            prop::option::weighted(0.97, ok),
            optional(0.97, number().boxed()),
            optional(0.97, text().boxed()),
            optional(0.7, parameters().boxed()),
            prop::option::weighted(0.05, odd),
            prop::bool::weighted(0.1),
            prop_oneof![8 => Just(""), 1 => Just(" "), 1 => Just("\n\t ")],
        )
            .prop_flat_map(
                |(ok, code, description, parameters, extra, shuffle, space)| {
                    let mut fields: Vec<String> = Vec::new();
                    fields.extend(ok.map(|v| format!("\"ok\":{v}")));
                    fields.extend(code.map(|v| format!("\"error_code\":{v}")));
                    fields.extend(description.map(|v| format!("\"description\":{v}")));
                    fields.extend(parameters.map(|v| format!("\"parameters\":{v}")));
                    fields.extend(extra.map(str::to_owned));
                    let fields = if shuffle {
                        Just(fields).prop_shuffle().boxed()
                    } else {
                        Just(fields).boxed()
                    };
                    (fields, Just(space))
                },
            )
            .prop_map(|(fields, space)| {
                let comma = format!("{space},{space}");
                format!("{space}{{{space}{}{space}}}{space}", fields.join(&comma))
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn whatever_the_quick_reader_reads_the_full_decoder_reads_alike(body in envelope()) {
            prop_assert!(usual_error_agrees(body.as_bytes()), "{}", body);
        }
    }

    #[test]
    fn the_generated_envelopes_are_mostly_usual() {
        // Without this the property above could pass by the quick reader refusing everything.
        let read_quickly =
            crate::decode::count_drawn(envelope(), 1000, |body| read(body.as_bytes()).is_some());
        assert!(read_quickly > 150, "{read_quickly}");
    }
}
