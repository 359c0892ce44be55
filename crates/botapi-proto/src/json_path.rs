//! Where a position in a JSON text lies, as a path such as `result[3].message.chat`.
//!
//! The reader reports where a value of the wrong shape ended (a byte offset). Walking the
//! text up to that point gives the same path a path-tracking deserializer would, without
//! decoding the whole result a second time through another deserializer type (which would
//! also instantiate every result type once more).

/// The byte offset of serde_json's `line` (from 1) and `column` (bytes into that line).
#[cfg(test)]
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = 0;
    for _ in 1..line {
        match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(newline) => start += newline + 1,
            None => return bytes.len(),
        }
    }
    (start + column).min(bytes.len())
}

/// One level of nesting between the start of the text and the offset.
enum Frame {
    /// An object; `key` is the byte range (quotes included) of the last key read, and
    /// `want_key` says whether the next string is a key.
    Object {
        key: Option<(usize, usize)>,
        want_key: bool,
    },
    /// An array at element `index`.
    Array { index: usize },
}

/// The path to the value being read at byte `offset`: object keys joined by `.`, array
/// indexes as `[i]`; `.` for the top level. The text before `offset` is assumed to be
/// well-formed JSON (it is: the reader got that far).
pub(crate) fn path_at(text: &str, offset: usize) -> String {
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                if let Some(Frame::Object { key, want_key }) = stack.last_mut()
                    && *want_key
                {
                    *key = Some((start, i));
                    *want_key = false;
                }
                continue;
            }
            b'{' => stack.push(Frame::Object {
                key: None,
                want_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { want_key, .. }) => *want_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    render(text, &stack)
}

fn render(text: &str, stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match frame {
            Frame::Object {
                key: Some((start, end)),
                ..
            } => {
                if !out.is_empty() {
                    out.push('.');
                }
                push_key(&mut out, &text[*start..*end]);
            }
            // An object whose first key is not read yet: the path ends at the object.
            Frame::Object { key: None, .. } => break,
            Frame::Array { index } => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// Appends a key given as its JSON string literal (quotes included), unescaped.
fn push_key(out: &mut String, literal: &str) {
    let inner = literal
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(literal);
    if !inner.contains('\\') {
        out.push_str(inner);
        return;
    }
    match serde_json::from_str::<String>(literal) {
        Ok(key) => out.push_str(&key),
        Err(_) => out.push_str(inner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_marker(text_with_marker: &str) -> String {
        let offset = text_with_marker.find('|').unwrap();
        let text = text_with_marker.replace('|', "");
        path_at(&text, offset)
    }

    #[test]
    fn keys_and_indexes() {
        assert_eq!(
            at_marker(r#"{"ok":true,"result":{"id":"x"|}}"#),
            "result.id"
        );
        assert_eq!(
            at_marker(r#"{"result":[{"a":1},{"b":{"c":[1,2,"x"|]}}]}"#),
            "result[1].b.c[2]"
        );
        // After a nested object closes, the path is the key that held it.
        assert_eq!(
            at_marker(r#"{"result":{"chat":{"id":1}|,"x":2}}"#),
            "result.chat"
        );
        // Before a value starts (an object where a string was expected).
        assert_eq!(at_marker(r#"{"result":{"text": |{"a":1}}}"#), "result.text");
        assert_eq!(at_marker(r#"|{"ok":true}"#), ".");
    }

    #[test]
    fn strings_with_brackets_and_escaped_keys() {
        assert_eq!(
            at_marker(r#"{"result":{"t":"a,]}[\"{","k\u0065y":5|}}"#),
            "result.key"
        );
        assert_eq!(at_marker("{\"result\":[\n1,\n\"x\"|]}"), "result[1]");
    }

    #[test]
    fn offsets_follow_serde_json_positions() {
        let text = "{\"a\":\n  {\"b\": 1}\n}";
        // serde_json: line 2, column 3 is the `{` of the inner object.
        assert_eq!(&text[offset_of(text, 2, 2)..][..1], "{");
        assert_eq!(offset_of(text, 9, 0), text.len());
        let err = serde_json::from_str::<std::collections::BTreeMap<String, u8>>(
            "{\"a\": 1,\n \"b\": \"x\"}",
        )
        .unwrap_err();
        let text = "{\"a\": 1,\n \"b\": \"x\"}";
        assert_eq!(
            path_at(text, offset_of(text, err.line(), err.column())),
            "b"
        );
    }
}
