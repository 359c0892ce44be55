//! Any bytes as a webhook request (method, headers, body): the listener's answer is always
//! one of its statuses, only a right request is accepted, and the secret never shows.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| botapi_proto::fuzzing::webhook_request(data));
