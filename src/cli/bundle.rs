//! `chokepoint bundle` and `chokepoint unbundle`: a case and its evidence as one file for a
//! colleague, optionally encrypted, and back.
//!
//! A passphrase is never taken on the command line (it would show in the process list and the
//! shell history): it is the first line of a file named with `--passphrase-file`.

use crate::io::bundle::{BundleError, open_bundle, write_bundle};
use crate::io::load_case;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub const BUNDLE_USAGE: &str =
    "usage: chokepoint bundle CASE.ron -o OUT.cpbundle [--passphrase-file FILE]";

pub const UNBUNDLE_USAGE: &str =
    "usage: chokepoint unbundle BUNDLE.cpbundle -o DIR [--passphrase-file FILE]";

/// Longest passphrase file we read; a passphrase is one line.
const MAX_PASSPHRASE_FILE_BYTES: u64 = 64 << 10;

struct Args {
    input: PathBuf,
    output: PathBuf,
    passphrase_file: Option<PathBuf>,
}

fn parse_args(args: &[String]) -> Option<Args> {
    let mut input = None;
    let mut output = None;
    let mut passphrase_file = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let slot = match arg.as_str() {
            "-o" | "--output" => &mut output,
            "--passphrase-file" => &mut passphrase_file,
            other if !other.starts_with('-') && input.is_none() => {
                input = Some(PathBuf::from(other));
                continue;
            }
            _ => return None,
        };
        if slot.is_some() {
            return None;
        }
        *slot = Some(PathBuf::from(it.next()?));
    }
    Some(Args {
        input: input?,
        output: output?,
        passphrase_file,
    })
}

/// The passphrase: the first line of `path` (without its line ending).
fn read_passphrase(path: &Path) -> Result<String, String> {
    let file = crate::io::input::open_regular(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_PASSPHRASE_FILE_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {}", path.display(), crate::io::describe_io_error(&e)))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| format!("{}: the passphrase file is not UTF-8 text", path.display()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let line = text.lines().next().unwrap_or("");
    if line.is_empty() {
        return Err(format!(
            "{}: the first line of the passphrase file is empty; it must hold the passphrase",
            path.display()
        ));
    }
    Ok(line.to_owned())
}

fn kib(bytes: u64) -> String {
    if bytes >= 10 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

/// `chokepoint bundle CASE.ron -o OUT.cpbundle [--passphrase-file FILE]`: writes the case and
/// every evidence file it names into one bundle. Exit 0 on success, 1 when the case cannot be
/// read, an evidence file is missing or changed, or the bundle cannot be written, 2 for usage
/// errors.
pub fn bundle(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (out, err) = (
        &mut super::Terminal::text(out),
        &mut super::Terminal::text(err),
    );
    let Some(a) = parse_args(args) else {
        let _ = writeln!(err, "{BUNDLE_USAGE}");
        return 2;
    };
    let fail = |err: &mut dyn Write, message: &dyn std::fmt::Display| {
        let _ = writeln!(err, "chokepoint bundle: {message}");
        1
    };
    let inputs: Vec<&Path> = std::iter::once(a.input.as_path())
        .chain(a.passphrase_file.as_deref())
        .collect();
    if let Some(code) = super::refuse_overwrite("bundle", &a.output, &inputs, err) {
        return code;
    }
    let passphrase = match a.passphrase_file.as_deref().map(read_passphrase) {
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => return fail(err, &e),
        None => None,
    };
    let case = match load_case(&a.input) {
        Ok(case) => case,
        Err(e) => return fail(err, &e),
    };
    match write_bundle(&a.input, &case, &a.output, passphrase.as_deref()) {
        Ok(summary) => {
            let _ = writeln!(
                out,
                "{}: bundled \"{}\" with {} evidence file(s) ({}); {}, {}",
                summary.path.display(),
                case.meta.title,
                summary.evidence_files,
                kib(summary.evidence_bytes),
                if summary.encrypted {
                    "encrypted with the passphrase"
                } else {
                    "not encrypted"
                },
                kib(summary.bundle_bytes)
            );
            0
        }
        Err(e) => fail(err, &e),
    }
}

/// `chokepoint unbundle BUNDLE.cpbundle -o DIR [--passphrase-file FILE]`: extracts a bundle
/// into the new folder DIR after checking it, and prints what it holds. Exit 0 on success, 1
/// when the bundle is refused (nothing is left in DIR's place), 2 for usage errors.
pub fn unbundle(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (out, err) = (
        &mut super::Terminal::text(out),
        &mut super::Terminal::text(err),
    );
    let Some(a) = parse_args(args) else {
        let _ = writeln!(err, "{UNBUNDLE_USAGE}");
        return 2;
    };
    let fail = |err: &mut dyn Write, message: &dyn std::fmt::Display| {
        let _ = writeln!(err, "chokepoint unbundle: {message}");
        1
    };
    let inputs: Vec<&Path> = std::iter::once(a.input.as_path())
        .chain(a.passphrase_file.as_deref())
        .collect();
    if let Some(code) = super::refuse_overwrite("unbundle", &a.output, &inputs, err) {
        return code;
    }
    let passphrase = match a.passphrase_file.as_deref().map(read_passphrase) {
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => return fail(err, &e),
        None => None,
    };
    match open_bundle(&a.input, &a.output, passphrase.as_deref()) {
        Ok(opened) => {
            let _ = writeln!(
                out,
                "{}: \"{}\": {}",
                opened.case_path.display(),
                opened.case.meta.title,
                opened.case.counts()
            );
            let _ = writeln!(
                out,
                "  {} evidence file(s) ({}) match their SHA-256{}",
                opened.evidence_files,
                kib(opened.evidence_bytes),
                if opened.encrypted {
                    "; the bundle was encrypted"
                } else {
                    ""
                }
            );
            if passphrase.is_some() && !opened.encrypted {
                let _ = writeln!(
                    out,
                    "  note: the bundle was not encrypted; the passphrase was not needed"
                );
            }
            for path in &opened.unreferenced_files {
                let _ = writeln!(
                    out,
                    "  note: {path} is not named by the case (extracted, not checked)"
                );
            }
            0
        }
        Err(e @ BundleError::NeedsPassphrase { .. }) => fail(
            err,
            &format!("{e} (put it on the first line of a file and add --passphrase-file FILE)"),
        ),
        Err(e) => fail(err, &e),
    }
}
