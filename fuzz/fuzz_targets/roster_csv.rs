//! Roster CSV files: any bytes, as any kind of file, give lines or problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use minyi::roster::{self, RosterKind};

fuzz_target!(|data: &[u8]| {
    let Some((first, csv)) = data.split_first() else {
        return;
    };
    let kind = match first % 4 {
        0 => RosterKind::Orgs,
        1 => RosterKind::Groups,
        2 => RosterKind::Units,
        _ => RosterKind::People,
    };
    let _ = roster::parse(kind, csv);
});
