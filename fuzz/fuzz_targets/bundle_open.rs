//! Fuzz target: opening any bytes as a case bundle must never panic, and a bundle that is
//! refused must leave nothing behind (no destination folder, no temporary folder).
//!
//! Run from the repository root (see fuzz/README.md):
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run bundle_open fuzz/seeds/bundle_open -- -max_len=65536

#![no_main]

use chokepoint::io::bundle::open_bundle;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// One scratch folder per fuzzing process, reused by every run.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("chokepoint-fuzz-bundle-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        if let Err(e) = std::fs::create_dir_all(&dir) {
            panic!("cannot create the scratch folder {}: {e}", dir.display());
        }
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = scratch();
    let input = dir.join("input.cpbundle");
    let dest = dir.join("opened");
    if let Err(e) = std::fs::write(&input, data) {
        panic!("cannot write the input: {e}");
    }
    // Without a passphrase an encrypted input stops at NeedsPassphrase; the zip, the limits,
    // the name checks, the case loader and the evidence checks are what is fuzzed here.
    match open_bundle(&input, &dest, None) {
        Ok(opened) => {
            assert!(
                opened.case_path.is_file(),
                "an opened bundle has its case.ron"
            );
            let _ = std::fs::remove_dir_all(&dest);
        }
        Err(_) => {
            assert!(
                !dest.exists(),
                "a refused bundle left its destination behind"
            );
        }
    }
    // Nothing but the input may remain: no temporary extraction folder.
    let leftovers: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .filter(|n| n != "input.cpbundle")
            .collect(),
        Err(e) => panic!("cannot list the scratch folder: {e}"),
    };
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
});
