//! The generated JSON writer (`Method::write_json`) against serde: for every method, random
//! parameters built from the metadata (optional fields set or not, every union variant,
//! strings that need escaping, unknown enum values) are read into the method's type and
//! written both ways; the bytes must be the same, and `Client::encode` must send them.

mod support;

use std::fmt::Debug;

use botapi_proto::meta::{METHODS, MethodInfo, MethodVisitor, visit_method};
use botapi_proto::{Client, Method, Token};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// A small deterministic generator (xorshift64*), so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn coin(&mut self) -> bool {
        self.next() & 1 == 1
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces of text: plain, beyond ASCII, and everything JSON escapes.
const PIECES: &[&str] = &[
    "",
    "plain",
    "Привет",
    "✅ done 🚀",
    "quote\"d",
    "back\\slash",
    "line\nbreak\r\n",
    "\u{1}\u{8}\u{c}\u{1f}",
    "tab\tand\u{7f}",
    "/slash/",
];

fn text(rng: &mut Rng) -> String {
    (0..rng.below(4)).map(|_| *rng.pick(PIECES)).collect()
}

const MAX_DEPTH: usize = 5;

fn value(ty: &str, values: &[&str], depth: usize, rng: &mut Rng) -> Value {
    if let Some(inner) = ty.strip_prefix("Array of ") {
        let n = if depth >= MAX_DEPTH { 0 } else { rng.below(3) };
        return Value::Array(
            (0..n)
                .map(|_| value(inner, values, depth + 1, rng))
                .collect(),
        );
    }
    match ty {
        "Integer" => json!(*rng.pick(&[0, 7, -42, 1_234_567_890_123_i64, i64::MIN, i64::MAX])),
        "Float" => json!(*rng.pick(&[0.0, 1.5, -0.25, 1e21, 0.1])),
        "Boolean" => json!(rng.coin()),
        "True" => json!(true),
        "String" if !values.is_empty() && rng.below(5) > 0 => json!(*rng.pick(values)),
        "String" => json!(text(rng)),
        "Integer or String" if rng.coin() => json!(-1_001_234_567_890_i64),
        "Integer or String" => json!(format!("@chan{}", text(rng))),
        "InputFile" | "InputFile or String" => {
            json!(*rng.pick(&["file-id", "https://example.com/a.jpg"]))
        }
        _ if ty.contains(" or ") || ty.contains(", ") => {
            let parts: Vec<&str> = ty
                .split([' ', ','])
                .filter(|p| !p.is_empty() && *p != "or" && *p != "and")
                .collect();
            let part = *rng.pick(&parts);
            value(part, values, depth, rng)
        }
        name => object(name, depth, rng),
    }
}

fn object(name: &str, depth: usize, rng: &mut Rng) -> Value {
    let info = support::type_info(name);
    if let Some(union) = info.union {
        let (_, member) = *rng.pick(union.variants);
        return value(member, &[], depth, rng);
    }
    let mut object = Map::new();
    for f in info.fields {
        if f.required || (depth < MAX_DEPTH && rng.coin()) {
            object.insert(f.name.to_owned(), value(f.ty, f.values, depth + 1, rng));
        }
    }
    if name == "InaccessibleMessage" {
        object.insert("date".to_owned(), json!(0));
    }
    Value::Object(object)
}

/// Parameters for `info`: the required ones, and each optional one half of the time. A
/// "Message or True" method gets the parameters of one of its two forms.
fn params(info: &MethodInfo, rng: &mut Rng) -> Value {
    let inline = info.returns == "Message or True" && rng.coin();
    let form_required = |name: &str| match info.returns {
        "Message or True" if inline => name == "inline_message_id",
        "Message or True" => name == "chat_id" || name == "message_id",
        _ => false,
    };
    let form_excluded = |name: &str| match info.returns {
        "Message or True" if inline => name == "chat_id" || name == "message_id",
        "Message or True" => name == "inline_message_id",
        _ => false,
    };
    let mut params = Map::new();
    for p in info.params {
        if form_excluded(p.name) || !(p.required || form_required(p.name) || rng.coin()) {
            continue;
        }
        params.insert(p.name.to_owned(), value(p.ty, p.values, 0, rng));
    }
    Value::Object(params)
}

/// Reads the method from JSON and writes it both ways.
struct BothWays(Value);

impl MethodVisitor for BothWays {
    type Output = Result<(Vec<u8>, Vec<u8>, Option<Vec<u8>>), String>;

    fn visit<M>(self) -> Self::Output
    where
        M: Method + Serialize + DeserializeOwned + Debug + Clone + 'static,
        M::Response: Serialize + Debug,
    {
        let method: M = serde_json::from_value(self.0).map_err(|e| e.to_string())?;
        let mut written = Vec::new();
        method.write_json(&mut written).unwrap();
        let serialized = serde_json::to_vec(&method).unwrap();
        let client = Client::new(Token::new("4242:writerSECRET").unwrap());
        let body = client.encode(&method).unwrap().body().to_vec();
        Ok((written, serialized, body))
    }
}

#[test]
fn every_method_writes_what_serde_writes() {
    let mut unread = Vec::new();
    for info in METHODS {
        let mut read = 0;
        for seed in 1..=48u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ info.name.len() as u64);
            let params = params(info, &mut rng);
            let Ok((written, serialized, body)) =
                visit_method(info.name, &params, BothWays(params.clone())).unwrap()
            else {
                // Parameters the method's type refuses (a variant told apart by fields the
                // random object lacks, say) are not what this test is about.
                continue;
            };
            read += 1;
            assert_eq!(
                String::from_utf8(written.clone()).unwrap(),
                String::from_utf8(serialized).unwrap(),
                "{} with seed {seed}: {params}",
                info.name
            );
            // No parameters at all is sent as no body.
            let sent = body.expect("a JSON body is in memory");
            if written != b"{}" {
                assert_eq!(sent, written, "{}: the body sent", info.name);
            } else {
                assert!(sent.is_empty(), "{}", info.name);
            }
        }
        if read < 24 {
            unread.push((info.name, read));
        }
    }
    // Most random parameters must be readable, or the comparison above proves little.
    assert!(
        unread.is_empty(),
        "methods read from too few of 48 draws: {unread:?}"
    );
}

#[test]
fn the_draws_reach_escapes_unknown_values_and_nested_arrays() {
    // The generator is not vacuous: over all draws, bodies hold escaped text, values no
    // enum lists, and objects inside arrays inside objects.
    let (mut escaped, mut unknown, mut nested) = (false, false, false);
    for info in METHODS {
        for seed in 1..=8u64 {
            let params = params(info, &mut Rng(seed * 7919 + 1));
            let text = params.to_string();
            escaped |= text.contains("\\u0001") && text.contains("\\\"");
            nested |= text.contains("[{\"") && text.contains("[[{");
            for p in info.params.iter().filter(|p| !p.values.is_empty()) {
                if let Some(Value::String(v)) = params.get(p.name) {
                    unknown |= !p.values.contains(&v.as_str());
                }
            }
        }
    }
    assert!(escaped && unknown && nested, "{escaped} {unknown} {nested}");
}
