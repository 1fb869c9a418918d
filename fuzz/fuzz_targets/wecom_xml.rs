//! WeCom's XML, as a decrypted callback body: read or refused, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use minyi::wecom::{inbound, xml};

fuzz_target!(|text: &str| {
    if let Ok(fields) = xml::parse(text) {
        let _ = inbound::read(&fields);
    }
});
