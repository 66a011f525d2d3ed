//! The whole generator on arbitrary input: it must return a tree or diagnostics, never
//! panic, and never fail with an internal error (a spec that validation let through but
//! the later stages cannot handle).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The generator reads specs as UTF-8 text; other bytes never get past reading the file.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(codegen::Error::Internal(message)) = codegen::generate_from_str(text, "fuzz.yaml") {
        panic!("internal error: {message}");
    }
});
