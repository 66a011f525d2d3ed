//! The whole generator on arbitrary input: it must return a tree or diagnostics, never
//! panic, and never fail with an internal error (a spec that validation let through but
//! the later stages cannot handle).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(codegen::Error::Internal(message)) = codegen::generate_from_bytes(data, "fuzz.yaml") {
        panic!("internal error: {message}");
    }
});
