//! Every method of Bot API 10.3 through both adapters: each is built as its typed struct from
//! its required parameters, sent, and its answer decoded into the method's typed result.

use std::fmt::Debug;

use botapi_emulator::plausible;
use botapi_proto::Method;
use botapi_proto::meta::{self, MethodInfo, MethodVisitor, visit_method};
use botapi_tests::{Adapter, Emulator, conformance};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// Builds the typed method from `params`, sends it through the adapter and gives back the
/// typed result as JSON.
struct SendTyped<'a, A> {
    adapter: &'a A,
    params: &'a Value,
}

impl<A: Adapter> MethodVisitor for SendTyped<'_, A> {
    type Output = Result<Value, String>;

    fn visit<M>(self) -> Self::Output
    where
        M: Method + Serialize + DeserializeOwned + Debug + Clone + Send + Sync + 'static,
        M::Response: Serialize + Debug,
    {
        let method = M::deserialize(self.params).map_err(|e| format!("build: {e}"))?;
        let result = self.adapter.send(&method).map_err(|f| f.display)?;
        serde_json::to_value(&result).map_err(|e| e.to_string())
    }
}

/// The required parameters, and for "Message or True" methods both forms.
fn forms(method: &MethodInfo) -> Vec<Map<String, Value>> {
    let required = plausible::required_params(method);
    if method.returns != "Message or True" {
        return vec![required];
    }
    let mut in_chat = required.clone();
    in_chat.insert("chat_id".into(), json!(plausible::CHAT_ID));
    in_chat.insert("message_id".into(), json!(1));
    let mut inline = required;
    inline.insert("inline_message_id".into(), json!("inline-1"));
    vec![in_chat, inline]
}

fn every_method_decodes_typed<A: Adapter>() {
    let mut failures = Vec::new();
    let mut calls = 0;
    for method in meta::METHODS {
        for params in forms(method) {
            // A fresh emulator per call: logOut locks the bot out, setWebhook blocks getUpdates.
            let emulator = Emulator::start().expect("emulator");
            let adapter = A::for_emulator(&emulator);
            let params = Value::Object(params);
            calls += 1;
            let outcome = visit_method(
                method.name,
                &params,
                SendTyped {
                    adapter: &adapter,
                    params: &params,
                },
            )
            .unwrap_or_else(|| Err("unknown to the core".to_owned()));
            match outcome {
                Err(e) => failures.push(format!("{}: {e}", method.name)),
                Ok(result) if result.is_null() => {
                    failures.push(format!("{}: null result", method.name));
                }
                Ok(_) => {}
            }
            let sent = emulator.requests();
            assert_eq!(sent.len(), 1, "{}", method.name);
            assert_eq!(sent[0].method, method.name, "the wire name");
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {calls} calls failed through {}:\n{}",
        failures.len(),
        A::NAME,
        failures.join("\n")
    );
    assert_eq!(meta::METHODS.len(), 185);
    assert!(
        calls > 185,
        "both forms of the Message-or-True methods were called"
    );
}

conformance!(every_method_decodes_typed);
