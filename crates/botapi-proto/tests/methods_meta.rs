//! Every method, driven by its metadata: built from JSON of plausible required parameters
//! through `visit_method`, encoded by a client, its body checked field by field; refused
//! without each required parameter and with an unknown one (serde naming the field); and
//! its Rust result type matching the spec's return type.

mod support;

use std::fmt::Debug;

use botapi_proto::meta::{self, METHODS, MethodInfo, MethodVisitor, visit_method};
use botapi_proto::types::ChatId;
use botapi_proto::{Client, Method, Outgoing, Token};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

fn client() -> Client {
    Client::new(Token::new("4242:metaSECRET").unwrap())
}

/// The parameters each Rust form of a method requires: the spec's required ones, plus
/// `chat_id` and `message_id` for the chat form of a "Message or True" method, or
/// `inline_message_id` for its inline form.
fn forms(info: &MethodInfo) -> Vec<Vec<&'static str>> {
    let required: Vec<&'static str> = info.required_params().map(|p| p.name).collect();
    if info.returns == "Message or True" {
        let mut chat = required.clone();
        chat.extend(["chat_id", "message_id"]);
        let mut inline = required;
        inline.push("inline_message_id");
        vec![chat, inline]
    } else {
        vec![required]
    }
}

fn params_for(info: &MethodInfo, names: &[&str]) -> Value {
    let mut params = Map::new();
    for p in info.params.iter().filter(|p| names.contains(&p.name)) {
        let value = match p.values.first() {
            Some(first) => json!(first),
            None => support::plausible(p.ty),
        };
        params.insert(p.name.to_owned(), value);
    }
    Value::Object(params)
}

/// What the visit learned about the method's Rust type.
struct Encoded {
    name: String,
    body: Value,
    response: &'static str,
    read_only: bool,
    /// `Method::outgoing`, owned.
    outgoing: Option<(ChatId, bool)>,
}

/// Builds the method from JSON, encodes it, and reads the JSON body back.
struct Encode(Value);

impl MethodVisitor for Encode {
    type Output = Result<Encoded, String>;

    fn visit<M>(self) -> Self::Output
    where
        M: Method + Serialize + DeserializeOwned + Debug + Clone + 'static,
        M::Response: Serialize + Debug,
    {
        let method: M = serde_json::from_value(self.0).map_err(|e| e.to_string())?;
        let request = client().encode(&method).map_err(|e| e.to_string())?;
        let bytes = request.body().to_vec().ok_or("a JSON body is in memory")?;
        let body = if bytes.is_empty() {
            json!({})
        } else {
            assert_eq!(request.headers()["content-type"], "application/json");
            serde_json::from_slice(&bytes).map_err(|e| e.to_string())?
        };
        Ok(Encoded {
            name: request.method_name().to_owned(),
            body,
            response: std::any::type_name::<M::Response>(),
            read_only: method.is_read_only(),
            outgoing: method
                .outgoing()
                .map(|o| (o.chat.clone(), o.paid_broadcast)),
        })
    }
}

/// The Rust result type the spec's return type expression should become, without paths.
fn expected_response(expr: &str, inline: bool) -> String {
    if expr == "Message or True" {
        return expected_response(if inline { "True" } else { "Message" }, false);
    }
    if let Some(inner) = expr.strip_prefix("Array of ") {
        return format!("Vec<{}>", expected_response(inner, false));
    }
    match expr {
        "True" => "bool".into(),
        "Integer" => "i64".into(),
        "String" => "SmallString".into(),
        name => name.into(),
    }
}

/// `alloc::vec::Vec<botapi_proto::…::Update>` → `Vec<Update>`.
fn without_paths(type_name: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    for c in type_name.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            word.push(c);
        } else {
            out.push_str(word.rsplit("::").next().unwrap_or(""));
            word.clear();
            out.push(c);
        }
    }
    out.trim_end().to_owned()
}

#[test]
fn every_method_encodes_its_required_parameters() {
    let mut checked = 0;
    for info in METHODS {
        for (n, names) in forms(info).iter().enumerate() {
            let params = params_for(info, names);
            let encoded = visit_method(info.name, &params, Encode(params.clone()))
                .expect("a known method")
                .unwrap_or_else(|e| panic!("{}: {e}\nparams: {params}", info.name));
            assert_eq!(encoded.name, info.name);
            // Every field sent comes back unchanged, tags of nested unions included.
            assert_eq!(encoded.body, params, "{}", info.name);
            let expected = expected_response(info.returns, n == 1);
            assert_eq!(
                without_paths(encoded.response),
                expected,
                "{}: the spec says {}",
                info.name,
                info.returns
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 185 + 7, "seven methods have a second, inline form");
}

#[test]
fn every_required_parameter_is_required() {
    for info in METHODS {
        for names in forms(info) {
            for missing in &names {
                let mut params = params_for(info, &names);
                params.as_object_mut().unwrap().remove(*missing);
                let err = visit_method(info.name, &params, Encode(params.clone()))
                    .unwrap()
                    .err()
                    .unwrap_or_else(|| panic!("{} built without {missing}", info.name));
                // Without `inline_message_id` the chat form is picked, which then misses
                // its own `chat_id`.
                let named = if *missing == "inline_message_id" {
                    "chat_id"
                } else {
                    missing
                };
                assert!(
                    err.contains(&format!("missing field `{named}`")),
                    "{}: {err}",
                    info.name
                );
            }
        }
    }
}

#[test]
fn an_unknown_parameter_is_refused_by_name() {
    for info in METHODS {
        for names in forms(info) {
            let mut params = params_for(info, &names);
            params["chatid_typo"] = json!(1);
            let err = visit_method(info.name, &params, Encode(params.clone()))
                .unwrap()
                .err()
                .unwrap_or_else(|| panic!("{} accepted a typo", info.name));
            assert!(
                err.contains("unknown field `chatid_typo`"),
                "{}: {err}",
                info.name
            );
        }
    }
}

#[test]
fn optional_parameters_are_optional_and_kept() {
    // Every parameter at once (the plausible value of each): all encode and come back.
    for info in METHODS {
        for names in forms(info) {
            let all: Vec<&str> = info
                .params
                .iter()
                .map(|p| p.name)
                .filter(|name| match names.contains(&"inline_message_id") {
                    true => *name != "chat_id" && *name != "message_id",
                    false => info.returns != "Message or True" || *name != "inline_message_id",
                })
                .collect();
            let params = params_for(info, &all);
            let encoded = visit_method(info.name, &params, Encode(params.clone()))
                .unwrap()
                .unwrap_or_else(|e| panic!("{}: {e}", info.name));
            assert_eq!(encoded.body, params, "{}", info.name);
        }
    }
}

#[test]
fn unknown_method_names_are_not_visited() {
    assert!(visit_method("sendTelepathy", &json!({}), Encode(json!({}))).is_none());
}

#[test]
fn get_updates_hints_its_own_timeout() {
    use botapi_proto::methods::GetUpdates;
    use std::time::Duration;
    assert_eq!(GetUpdates::new().timeout_hint(), None);
    let poll = GetUpdates::new().timeout(50).offset(10);
    assert_eq!(poll.timeout_hint(), Some(Duration::from_secs(50)));
    let request = client().encode(&poll).unwrap();
    assert_eq!(request.timeout_hint(), Some(Duration::from_secs(50)));
    assert_eq!(
        GetUpdates::new().timeout(-5).timeout_hint(),
        Some(Duration::ZERO)
    );
}

#[test]
fn message_or_true_methods_have_two_forms() {
    use botapi_proto::methods::{EditMessageText, EditMessageTextInline, SetGameScore};
    use botapi_proto::types::Message;
    let chat = EditMessageText::new(-100123, 5).text("new");
    let inline = EditMessageTextInline::new("inline-id").text("new");
    assert_eq!(chat.method_name(), inline.method_name());
    let body = |m: &dyn Fn() -> Vec<u8>| serde_json::from_slice::<Value>(&m()).unwrap();
    let c = client();
    let chat_body = body(&|| c.encode(&chat).unwrap().body().to_vec().unwrap());
    assert_eq!(
        chat_body,
        json!({"chat_id": -100123, "message_id": 5, "text": "new"})
    );
    let inline_body = body(&|| c.encode(&inline).unwrap().body().to_vec().unwrap());
    assert_eq!(
        inline_body,
        json!({"inline_message_id": "inline-id", "text": "new"})
    );
    let _typed: Option<Message> = None::<<EditMessageText as Method>::Response>;
    let err = serde_json::from_value::<EditMessageTextInline>(json!({"text": "x"})).unwrap_err();
    assert!(
        err.to_string()
            .contains("missing field `inline_message_id`"),
        "{err}"
    );
    let ok = c.decode(
        &inline,
        http::StatusCode::OK,
        br#"{"ok":true,"result":true}"#,
    );
    assert!(ok.unwrap());
    // setGameScore's chat form takes an integer chat id.
    let score = SetGameScore::new(1, 100, 42, 7);
    let sent = body(&|| c.encode(&score).unwrap().body().to_vec().unwrap());
    assert_eq!(
        sent,
        json!({"user_id": 1, "score": 100, "chat_id": 42, "message_id": 7})
    );
}

/// The six methods with a parameter called `name` have a setter `name`; the trait's
/// `method_name` still reads as a plain method call on each concrete type.
#[test]
fn method_name_is_never_shadowed_by_a_setter() {
    use botapi_proto::methods::{
        CreateChatInviteLink, CreateChatSubscriptionInviteLink, EditChatInviteLink,
        EditChatSubscriptionInviteLink, EditForumTopic, SetMyName,
    };
    assert_eq!(SetMyName::new().name("x").method_name(), "setMyName");
    assert_eq!(
        CreateChatInviteLink::new(1).name("x").method_name(),
        "createChatInviteLink"
    );
    assert_eq!(
        EditChatInviteLink::new(1, "l").name("x").method_name(),
        "editChatInviteLink"
    );
    assert_eq!(
        CreateChatSubscriptionInviteLink::new(1, 30, 1)
            .name("x")
            .method_name(),
        "createChatSubscriptionInviteLink"
    );
    assert_eq!(
        EditChatSubscriptionInviteLink::new(1, "l")
            .name("x")
            .method_name(),
        "editChatSubscriptionInviteLink"
    );
    assert_eq!(
        EditForumTopic::new(1, 2).name("x").method_name(),
        "editForumTopic"
    );
}

/// The typed methods answer `is_read_only` and `outgoing` as the metadata says, for every
/// form of every method; a message goes to the `chat_id` it was given.
#[test]
fn call_flags_agree_with_the_metadata() {
    let (mut read_only, mut sending) = (0, 0);
    for info in METHODS {
        for names in forms(info) {
            let params = params_for(info, &names);
            let encoded = visit_method(info.name, &params, Encode(params.clone()))
                .unwrap()
                .unwrap_or_else(|e| panic!("{}: {e}", info.name));
            assert_eq!(encoded.read_only, info.read_only, "{}", info.name);
            assert_eq!(
                encoded.outgoing.is_some(),
                info.sends_message,
                "{}",
                info.name
            );
            if let Some((chat, paid)) = &encoded.outgoing {
                let sent: ChatId = serde_json::from_value(params["chat_id"].clone()).unwrap();
                assert_eq!(*chat, sent, "{}", info.name);
                assert!(!paid, "{}: paid without asking", info.name);
            }
            read_only += usize::from(encoded.read_only);
            sending += usize::from(encoded.outgoing.is_some());
        }
    }
    // Every `get*` method of 10.3; every `send*` but five, plus forward and copy.
    assert_eq!(read_only, 32);
    assert_eq!(sending, 25);
}

/// A paid broadcast shows in `outgoing` exactly when `allow_paid_broadcast` is `true`.
#[test]
fn paid_broadcast_follows_its_parameter() {
    let mut checked = 0;
    for info in METHODS
        .iter()
        .filter(|m| m.param("allow_paid_broadcast").is_some())
    {
        assert!(info.sends_message, "{}", info.name);
        let required: Vec<&str> = info.required_params().map(|p| p.name).collect();
        for (value, expected) in [(json!(true), true), (json!(false), false)] {
            let mut params = params_for(info, &required);
            params["allow_paid_broadcast"] = value;
            let encoded = visit_method(info.name, &params, Encode(params.clone()))
                .unwrap()
                .unwrap_or_else(|e| panic!("{}: {e}", info.name));
            assert_eq!(
                encoded.outgoing.map(|o| o.1),
                Some(expected),
                "{}",
                info.name
            );
        }
        checked += 1;
    }
    assert!(checked >= 20, "{checked} methods take allow_paid_broadcast");
}

#[test]
fn named_flags() {
    use botapi_proto::methods::{
        CopyMessage, EditMessageText, EditMessageTextInline, ForwardMessage, GetMe, GetUpdates,
        SendChatAction, SendMessage, SetMyName,
    };
    use botapi_proto::types::ChatAction;

    assert!(GetMe::new().is_read_only());
    assert!(GetUpdates::new().offset(10).is_read_only());
    assert!(!SendMessage::new(1, "x").is_read_only());
    assert!(!SetMyName::new().name("x").is_read_only());

    let chat = ChatId::from(-1001234567890);
    let send = SendMessage::new(-1001234567890, "hi");
    assert_eq!(send.outgoing(), Some(Outgoing::new(&chat, false)));
    let paid = send.clone().allow_paid_broadcast(true);
    assert_eq!(paid.outgoing().map(|o| o.paid_broadcast), Some(true));
    let unpaid = send.allow_paid_broadcast(false);
    assert_eq!(unpaid.outgoing().map(|o| o.paid_broadcast), Some(false));
    let channel = ChatId::from("@channel");
    assert_eq!(
        SendMessage::new("@channel", "hi")
            .outgoing()
            .map(|o| o.chat),
        Some(&channel)
    );
    // Forwarding and copying post to `chat_id`, not to the chat they copy from.
    assert_eq!(
        ForwardMessage::new(5, 7, 1).outgoing().map(|o| o.chat),
        Some(&ChatId::from(5))
    );
    assert_eq!(
        CopyMessage::new(5, 7, 1).outgoing().map(|o| o.chat),
        Some(&ChatId::from(5))
    );

    assert_eq!(SendChatAction::new(1, ChatAction::Typing).outgoing(), None);
    assert_eq!(EditMessageText::new(1, 2).text("x").outgoing(), None);
    assert_eq!(EditMessageTextInline::new("id").outgoing(), None);
    assert_eq!(GetMe::new().outgoing(), None);

    // Through `&M`, as adapters take methods.
    fn flags<M: Method>(m: M) -> (bool, Option<ChatId>) {
        (m.is_read_only(), m.outgoing().map(|o| o.chat.clone()))
    }
    let send = SendMessage::new(9, "x");
    let send_ref: &SendMessage = &send;
    assert_eq!(flags(send_ref), (false, Some(ChatId::from(9))));
    let me = GetMe::new();
    let me_ref: &&GetMe = &&me;
    assert_eq!(flags(me_ref), (true, None));

    // Raw calls know nothing about their method, so they take the safe answers.
    let raw = botapi_proto::Call::new("getMe");
    assert!(!raw.is_read_only());
    assert_eq!(raw.outgoing(), None);

    let info = |name| meta::method(name).unwrap();
    assert!(info("getMe").read_only && !info("getMe").sends_message);
    assert!(!info("sendMessage").read_only && info("sendMessage").sends_message);
    assert!(!info("sendChatAction").sends_message);
    assert!(!info("editMessageText").sends_message);
}
