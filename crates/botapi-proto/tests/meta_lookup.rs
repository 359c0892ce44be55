//! `meta::method` and `meta::type_info` find every entry by its name through their sorted
//! indexes, find nothing else, and agree with a plain scan of the tables on any input.

use botapi_proto::meta::{self, METHODS, MethodInfo, TYPES, TypeInfo};
use proptest::prelude::*;

/// What a scan of the table finds: the meaning the indexed lookups must keep.
fn scan_method(name: &str) -> Option<&'static MethodInfo> {
    METHODS.iter().find(|m| m.name.eq_ignore_ascii_case(name))
}

fn scan_type(name: &str) -> Option<&'static TypeInfo> {
    TYPES.iter().find(|t| t.name == name)
}

/// `sendMessage` → `SeNdMeSsAgE`.
fn alternate_case(name: &str) -> String {
    name.chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

#[test]
fn every_method_is_found_by_its_name_in_any_ascii_case() {
    for info in METHODS {
        for spelling in [
            info.name.to_owned(),
            info.name.to_ascii_uppercase(),
            info.name.to_ascii_lowercase(),
            alternate_case(info.name),
        ] {
            let found = meta::method(&spelling).unwrap_or_else(|| panic!("{spelling} not found"));
            assert!(std::ptr::eq(found, info), "{spelling} found {}", found.name);
        }
    }
}

#[test]
fn every_type_is_found_by_its_exact_name_only() {
    for info in TYPES {
        let found = meta::type_info(info.name).unwrap_or_else(|| panic!("{}", info.name));
        assert!(
            std::ptr::eq(found, info),
            "{} found {}",
            info.name,
            found.name
        );
        for other_case in [
            info.name.to_ascii_lowercase(),
            info.name.to_ascii_uppercase(),
        ] {
            if other_case != info.name && scan_type(&other_case).is_none() {
                assert_eq!(meta::type_info(&other_case), None, "{other_case}");
            }
        }
    }
}

#[test]
fn unknown_names_are_not_found() {
    let unknown = [
        "",
        "s",
        "sendMessag",
        "sendMessagee",
        " sendMessage",
        "sendMessage ",
        "sendMessage\0",
        "send_message",
        // U+017F LATIN SMALL LETTER LONG S upper-cases to `S`, but is not ASCII.
        "\u{17f}endMessage",
        "getMe/",
        "zzzzzzzz",
        "aaaaaaaa",
    ];
    for name in unknown {
        assert_eq!(meta::method(name), None, "{name:?}");
    }
    let long = "a".repeat(10_000);
    assert_eq!(meta::method(&long), None);
    for name in [
        "", "message", "MESSAGE", "Messag", "Messages", "Message ", "Zzz",
    ] {
        assert_eq!(meta::type_info(name), None, "{name:?}");
    }
    assert_eq!(meta::type_info(&long), None);
    // A method is not a type and a type is not a method.
    assert_eq!(meta::type_info("sendMessage"), None);
    assert_eq!(meta::method("Message"), None);
}

/// A known name, changed a little: a byte flipped in case, dropped, or added.
fn near_name(names: Vec<&'static str>) -> impl Strategy<Value = String> {
    (
        prop::sample::select(names),
        any::<prop::sample::Index>(),
        0..4u8,
        any::<char>(),
    )
        .prop_map(|(name, at, edit, c)| {
            let mut chars: Vec<char> = name.chars().collect();
            let i = at.index(chars.len());
            match edit {
                0 => chars[i] = chars[i].to_ascii_uppercase(),
                1 => {
                    chars.remove(i);
                }
                2 => chars.insert(i, c),
                _ => {}
            }
            chars.into_iter().collect()
        })
}

proptest! {
    #[test]
    fn method_lookup_agrees_with_a_scan(
        name in prop_oneof![
            near_name(METHODS.iter().map(|m| m.name).collect()),
            "[a-zA-Z]{0,12}",
            any::<String>(),
        ]
    ) {
        let indexed = meta::method(&name).map(|m| m as *const MethodInfo);
        let scanned = scan_method(&name).map(|m| m as *const MethodInfo);
        prop_assert_eq!(indexed, scanned, "{:?}", name);
    }

    #[test]
    fn type_lookup_agrees_with_a_scan(
        name in prop_oneof![
            near_name(TYPES.iter().map(|t| t.name).collect()),
            "[a-zA-Z]{0,12}",
            any::<String>(),
        ]
    ) {
        let indexed = meta::type_info(&name).map(|t| t as *const TypeInfo);
        let scanned = scan_type(&name).map(|t| t as *const TypeInfo);
        prop_assert_eq!(indexed, scanned, "{:?}", name);
    }
}
