//! A Mini App's initData and the Login widget's fields: refused or accepted, never a panic.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use minyi::web::{MAX_AGE, init_data, login};

fuzz_target!(|text: &str| {
    let now = Utc.timestamp_opt(1_767_225_600, 0).unwrap();
    let token = "7000000001:AAFakeTokenForMinyiTests0123456789abcd";
    let _ = init_data::verify(text, token, now, MAX_AGE);
    let _ = login::verify(text, token, now, MAX_AGE);
});
