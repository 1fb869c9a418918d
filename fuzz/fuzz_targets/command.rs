//! The command parser: any text, as a person could send it, parses or is refused, never
//! panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = minyi::front::command::parse(text, "minyi_bot");
    let _ = minyi::front::command::parse(text, "");
});
