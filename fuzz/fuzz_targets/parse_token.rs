//! Any text as a bot token: an accepted token round-trips and prints redacted.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| botapi_proto::fuzzing::parse_token(data));
