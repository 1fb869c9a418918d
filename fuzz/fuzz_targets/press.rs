//! A button's data (Telegram's callback data, WeCom's card key): anything parses or is stale;
//! what parses writes back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use minyi::front::press::Press;

fuzz_target!(|data: &str| {
    if let Some(press) = Press::parse(data)
        && let Some(written) = press.data()
    {
        assert_eq!(Press::parse(&written), Some(press));
    }
});
