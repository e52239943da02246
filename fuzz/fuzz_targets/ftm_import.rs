//! Fuzz target: the FollowTheMoney importer must never panic on any bytes, and any import it
//! accepts must apply to a case (its edit passed validation on a copy first).
//!
//! Run from the repository root (see fuzz/README.md):
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run ftm_import -- -max_len=65536

#![no_main]

use chokepoint::io::import::ftm;
use chokepoint::io::tabular::decode;
use chokepoint::model::{Case, Timestamp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = decode(data);
    let mut case = Case::new_untitled(Timestamp::default());
    if let Ok((edit, _summary)) = ftm::import(&text, &case) {
        if let Err(e) = case.apply(edit) {
            panic!("an accepted FtM import did not apply: {e}");
        }
    }
});
