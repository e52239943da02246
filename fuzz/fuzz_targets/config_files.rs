//! Fuzz target: the files users write by hand besides cases — CSV column mappings and
//! red-flag rules files — must never make Chokepoint panic. The first byte chooses which one
//! the rest is read as. An accepted mapping survives a save/read round trip; accepted rules
//! are evaluated on the seed case (with their groups, classes and conditions) without a panic.
//!
//! Run from the repository root (see fuzz/README.md):
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run config_files fuzz/seeds/config_files \
//!       -- -dict=fuzz/dicts/config.dict -max_len=65536

#![no_main]

use chokepoint::analysis::{RuleSet, all_findings};
use chokepoint::io::import::csv::CsvMapping;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn seed() -> &'static chokepoint::model::Case {
    static SEED: OnceLock<chokepoint::model::Case> = OnceLock::new();
    SEED.get_or_init(|| chokepoint::seed_case().expect("the seed case loads"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if which % 2 == 0 {
        if let Ok(mapping) = CsvMapping::from_ron(text) {
            let again = CsvMapping::from_ron(&mapping.to_ron())
                .unwrap_or_else(|e| panic!("a saved mapping does not read back: {e}"));
            assert_eq!(again, mapping, "a mapping changed on a round trip");
        }
    } else {
        let Ok(mut rules) = RuleSet::builtin() else {
            panic!("the built-in rules must load");
        };
        if rules.extend_from_ron(text, "fuzz").is_ok() {
            // A fixed "today", so a run is repeatable.
            let today = chokepoint::model::PartialDate::ymd(2026, 12, 2);
            let _ = all_findings(seed(), &rules, &[], &today);
        }
    }
});
