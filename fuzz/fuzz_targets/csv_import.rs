//! Fuzz target: reading CSV (encoding, delimiter, quotes) and importing it by a mapping guessed
//! from its headers must never panic, and an accepted import must apply to a case.
//!
//! Run from the repository root (see fuzz/README.md):
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run csv_import -- -max_len=65536

#![no_main]

use chokepoint::io::import::csv::{CsvMapping, CsvTable, RowKind, import};
use chokepoint::layout::Progress;
use chokepoint::model::{Case, Timestamp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(table) = CsvTable::read(data, None) else {
        return;
    };
    for rows in [RowKind::Shipments, RowKind::Entities] {
        let mapping = CsvMapping::guess(&table.headers, rows);
        let mut case = Case::new_untitled(Timestamp::default());
        if let Ok((edit, _)) = import(&table, &mapping, &case, &Progress::new()) {
            if let Err(e) = case.apply(edit) {
                panic!("an accepted CSV import did not apply: {e}");
            }
        }
    }
});
