//! Fields and files carved from the input, encoded as multipart and parsed back unchanged.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| botapi_proto::fuzzing::multipart_roundtrip(data));
