//! Command-line subcommands that share the library with the GUI: `check` and `generate`.
//! Each returns the process exit code and writes its report to the given streams.

use crate::io::{generate::generate_case, load_case, save_case};
use std::io::Write;
use std::path::{Path, PathBuf};

/// `chokepoint check FILE...`: loads and validates each case; one line per file.
/// Exit code 0 when every file is valid, 1 otherwise, 2 for usage errors.
pub fn check(files: &[PathBuf], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    if files.is_empty() {
        let _ = writeln!(err, "usage: chokepoint check FILE...");
        return 2;
    }
    let mut failed = 0;
    for path in files {
        match load_case(path) {
            Ok(case) => {
                let _ = writeln!(out, "{}: ok: {}", path.display(), case.counts());
            }
            Err(e) => {
                failed += 1;
                let _ = writeln!(err, "{e}");
            }
        }
    }
    if failed > 0 {
        let _ = writeln!(err, "{failed} of {} file(s) failed", files.len());
        1
    } else {
        0
    }
}

/// `chokepoint generate --entities N --seed S -o FILE`.
pub fn generate(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let usage = "usage: chokepoint generate --entities N [--seed S] -o FILE";
    let mut entities: Option<usize> = None;
    let mut seed: u64 = 1;
    let mut output: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = it.next();
        let parsed = match (arg.as_str(), value) {
            ("--entities" | "-n", Some(v)) => v.parse().map(|n| entities = Some(n)).is_ok(),
            ("--seed", Some(v)) => v.parse().map(|s| seed = s).is_ok(),
            ("-o" | "--output", Some(v)) => {
                output = Some(PathBuf::from(v));
                true
            }
            _ => false,
        };
        if !parsed {
            let _ = writeln!(err, "chokepoint generate: bad argument {arg}\n{usage}");
            return 2;
        }
    }
    let (Some(entities), Some(output)) = (entities, output) else {
        let _ = writeln!(err, "{usage}");
        return 2;
    };
    if entities > 2_000_000 {
        let _ = writeln!(err, "chokepoint generate: at most 2000000 entities");
        return 2;
    }
    let case = match generate_case(entities, seed) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "chokepoint generate: {e}");
            return 1;
        }
    };
    match save_case(&output, &case) {
        Ok(()) => {
            let _ = writeln!(out, "{}: {}", output.display(), case.counts());
            0
        }
        Err(e) => {
            let _ = writeln!(err, "chokepoint generate: {e}");
            1
        }
    }
}

/// Parses `WxH` (e.g. `1600x1000`).
pub fn parse_size(text: &str) -> Option<[f32; 2]> {
    let (w, h) = text.split_once(['x', 'X'])?;
    let (w, h): (f32, f32) = (w.trim().parse().ok()?, h.trim().parse().ok()?);
    (w >= 200.0 && h >= 150.0 && w <= 8192.0 && h <= 8192.0).then_some([w, h])
}

/// Whether `path` names an existing case file to open.
pub fn is_case_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}
