//! Fuzz target: the case loader must never panic on any bytes, and any case it accepts must
//! survive a save/load round trip unchanged.
//!
//! Run from the repository root (see fuzz/README.md):
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run case_loader fuzz/seeds/case_loader -- -max_len=65536

#![no_main]

use chokepoint::io::{case_to_ron, parse_case, parse_case_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Errors are fine; a panic (or abort, overflow, sanitizer report) is a finding.
    let Ok(case) = parse_case_bytes(data) else {
        return;
    };

    // A case that loaded must save ...
    let text = match case_to_ron(&case) {
        Ok(text) => text,
        Err(e) => panic!("a case that loaded could not be encoded: {e}"),
    };
    // ... and load back as the same case.
    let back = match parse_case(&text) {
        Ok(back) => back,
        Err(e) => panic!("a saved case did not load back: {e:?}\n--- saved text ---\n{text}"),
    };
    assert_eq!(back, case, "the case changed in a save/load round trip");

    // Saving is stable: saving the reloaded case gives the same text.
    let again = match case_to_ron(&back) {
        Ok(again) => again,
        Err(e) => panic!("the reloaded case could not be encoded: {e}"),
    };
    assert_eq!(again, text, "saving twice gave different text");
});
