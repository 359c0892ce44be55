//! Property tests of the webhook listener's decision and the secret's rules.

use botapi_proto::webhook::{ListenerRules, SECRET_HEADER, WebhookSecret};
use proptest::prelude::*;

const SECRET: &str = "SENTINEL_prop-secret";

fn rules() -> ListenerRules {
    ListenerRules::new(Some(WebhookSecret::new(SECRET).unwrap())).max_body(256)
}

proptest! {
    #[test]
    fn any_request_gets_a_listener_status_and_never_the_secret(
        method in prop::sample::select(vec!["POST", "GET", "PUT", "PATCH", "OPTIONS"]),
        secret in prop::option::of(prop_oneof![Just(SECRET.to_owned()), "[A-Za-z0-9_-]{0,40}"]),
        body in prop::collection::vec(any::<u8>(), 0..400),
        length in prop::option::of(0u64..1000),
    ) {
        let method: http::Method = method.parse().unwrap();
        let mut headers = http::HeaderMap::new();
        if let Some(secret) = &secret {
            headers.insert(SECRET_HEADER, secret.parse().unwrap());
        }
        if let Some(length) = length {
            headers.insert(http::header::CONTENT_LENGTH, length.into());
        }
        let right_secret = secret.as_deref() == Some(SECRET);
        match rules().judge(&method, &headers, &body) {
            Ok(_) => prop_assert!(method == http::Method::POST && right_secret && body.len() <= 256),
            Err(e) => {
                let status = e.status().as_u16();
                let expected = if method != http::Method::POST {
                    405
                } else if !right_secret {
                    401
                } else if body.len() > 256 || length.is_some_and(|n| n > 256) {
                    413
                } else {
                    400
                };
                prop_assert_eq!(status, expected);
                let text = format!("{e} {e:?} {:?}", e.response().body());
                prop_assert!(!text.contains("SENTINEL"));
            }
        }
    }

    #[test]
    fn a_json_object_with_the_right_secret_is_always_accepted(id in any::<i64>(), text in ".*") {
        let mut headers = http::HeaderMap::new();
        headers.insert(SECRET_HEADER, SECRET.parse().unwrap());
        let body = serde_json::to_vec(&serde_json::json!({"update_id": id, "odd": text})).unwrap();
        prop_assume!(body.len() <= 256);
        let update = rules().judge(&http::Method::POST, &headers, &body).unwrap();
        prop_assert_eq!(update.update_id(), Some(id));
    }

    #[test]
    fn secrets_are_exactly_the_allowed_strings(s in ".{0,300}") {
        let allowed = (1..=256).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        prop_assert_eq!(WebhookSecret::new(s.clone()).is_ok(), allowed);
    }

    #[test]
    fn generated_secrets_are_valid(bytes in prop::collection::vec(any::<u8>(), 1..=256)) {
        let secret = WebhookSecret::generate(&bytes).unwrap();
        prop_assert_eq!(secret.expose_secret().len(), bytes.len());
        prop_assert!(WebhookSecret::new(secret.expose_secret()).is_ok());
    }
}

#[cfg(feature = "fuzzing")]
#[test]
fn the_fuzz_seeds_pass_the_fuzz_checks() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fuzz/seeds/webhook_request"
    );
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        botapi_proto::fuzzing::webhook_request(&std::fs::read(entry.unwrap().path()).unwrap());
        seen += 1;
    }
    assert!(seen >= 5);
}
