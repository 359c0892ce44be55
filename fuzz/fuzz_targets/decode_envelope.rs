//! Any bytes as the answer to several methods: no panic, no secret in an error.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| botapi_proto::fuzzing::decode_envelope(data));
