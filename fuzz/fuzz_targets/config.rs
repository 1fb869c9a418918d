//! The configuration: any text loads or says what is wrong, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = minyi::config::Config::from_toml_str(text, &|_| None);
});
