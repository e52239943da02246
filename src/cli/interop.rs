//! `chokepoint import`, `chokepoint merge` and the FtM export: cases in and out of other tools
//! and colleagues' copies.

use crate::io::import::{self, ImportError, ImportSummary, csv::CsvMapping, csv::CsvTable};
use crate::io::{load_case, save_case};
use crate::model::{Case, Timestamp};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const IMPORT_USAGE: &str =
    "usage: chokepoint import csv INPUT.csv --mapping MAP.ron [--into CASE.ron] -o OUT.ron
       chokepoint import csv INPUT.csv --guess-mapping MAP.ron
       chokepoint import ftm INPUT.json [--into CASE.ron] -o OUT.ron";

pub const MERGE_USAGE: &str = "usage: chokepoint merge MINE.ron THEIRS.ron -o OUT.ron [--prefer mine|theirs] [--base BASE.ron]";

pub const MERGE_DRIVER_USAGE: &str = "usage: chokepoint merge-driver BASE MINE THEIRS [PATH]
  a git merge driver: merges THEIRS into MINE, both descended from BASE, and writes the
  result into MINE; exit 0 when everything merged, 1 when items conflict (MINE keeps its own
  version of them and they are listed), 2 when a file cannot be read or written.
  Set up once per repository:
    git config merge.chokepoint.name \"Chokepoint case merge\"
    git config merge.chokepoint.driver \"chokepoint merge-driver %O %A %B %P\"
    echo '*.ron merge=chokepoint' >> .gitattributes";

struct ImportArgs {
    format: String,
    input: PathBuf,
    mapping: Option<PathBuf>,
    guess_mapping: Option<PathBuf>,
    into: Option<PathBuf>,
    output: Option<PathBuf>,
}

fn parse_import_args(args: &[String]) -> Option<ImportArgs> {
    let mut it = args.iter();
    let format = it.next()?.clone();
    let mut input = None;
    let mut mapping = None;
    let mut guess_mapping = None;
    let mut into = None;
    let mut output = None;
    while let Some(arg) = it.next() {
        let slot = match arg.as_str() {
            "--mapping" => &mut mapping,
            "--guess-mapping" => &mut guess_mapping,
            "--into" => &mut into,
            "-o" | "--output" => &mut output,
            other if !other.starts_with('-') && input.is_none() => {
                input = Some(PathBuf::from(other));
                continue;
            }
            _ => return None,
        };
        *slot = Some(PathBuf::from(it.next()?));
    }
    Some(ImportArgs {
        format,
        input: input?,
        mapping,
        guess_mapping,
        into,
        output,
    })
}

/// `chokepoint import csv|ftm INPUT [--mapping MAP.ron] [--into CASE] -o OUT`: reads the
/// input into a new case (or into CASE), resolving entities, and saves the result to OUT.
/// Prints the import summary. Exit 0 on success, 1 when a file cannot be read or written or
/// the input is malformed, 2 for usage errors.
pub fn import(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (out, err) = (
        &mut super::Terminal::text(out),
        &mut super::Terminal::text(err),
    );
    let Some(a) = parse_import_args(args) else {
        let _ = writeln!(err, "{IMPORT_USAGE}");
        return 2;
    };
    let fail = |err: &mut dyn Write, message: &dyn std::fmt::Display| {
        let _ = writeln!(err, "chokepoint import: {message}");
        1
    };
    let inputs: Vec<&Path> = [
        Some(a.input.as_path()),
        a.mapping.as_deref(),
        a.into.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    for output in [a.output.as_deref(), a.guess_mapping.as_deref()]
        .into_iter()
        .flatten()
    {
        if let Some(code) = super::refuse_overwrite("import", output, &inputs, err) {
            return code;
        }
    }
    let bytes = match import::read_import_file(&a.input) {
        Ok(b) => b,
        Err(e) => return fail(err, &e),
    };
    if a.format == "csv"
        && let Some(path) = &a.guess_mapping
    {
        let table = match CsvTable::read(&bytes, None) {
            Ok(t) => t,
            Err(e) => return fail(err, &e),
        };
        let mapping = CsvMapping::guess(&table.headers, import::csv::RowKind::Shipments);
        if let Err(e) = crate::io::write_atomic(path, mapping.to_ron().as_bytes()) {
            return fail(err, &e);
        }
        let _ = writeln!(
            out,
            "{}: {} columns, {} mapped by their headers; edit the mapping, then import with \
             --mapping {}",
            path.display(),
            table.headers.len(),
            mapping.columns.len(),
            path.display()
        );
        return 0;
    }
    let Some(output) = &a.output else {
        let _ = writeln!(err, "chokepoint import: -o OUT is needed\n{IMPORT_USAGE}");
        return 2;
    };
    let mut case = if let Some(path) = &a.into {
        match load_case(path) {
            Ok(c) => c,
            Err(e) => return fail(err, &e),
        }
    } else {
        let mut c = Case::new_untitled(Timestamp::now());
        c.meta.title = a.input.file_stem().map_or_else(
            || "Imported".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        );
        c
    };
    let result: Result<(crate::edit::Edit, ImportSummary), ImportError> = match a.format.as_str() {
        "ftm" => {
            let (text, _) = crate::io::tabular::decode(&bytes);
            import::ftm::import(&text, &case)
        }
        "csv" => {
            let Some(mapping_path) = &a.mapping else {
                let _ = writeln!(
                    err,
                    "chokepoint import: csv needs --mapping MAP.ron (write a first guess \
                         with --guess-mapping MAP.ron)\n{IMPORT_USAGE}"
                );
                return 2;
            };
            let mapping = match CsvMapping::from_file(mapping_path) {
                Ok(m) => m,
                Err(e) => return fail(err, &e),
            };
            let table = CsvTable::read(&bytes, mapping.delimiter);
            // The table holds the text; the file's bytes are not needed any more.
            drop(bytes);
            table.and_then(|table| {
                import::csv::import(&table, &mapping, &case, &crate::layout::Progress::new())
            })
        }
        other => {
            let _ = writeln!(
                err,
                "chokepoint import: unknown format \"{other}\" (expected csv or ftm)\n{IMPORT_USAGE}"
            );
            return 2;
        }
    };
    let (edit, summary) = match result {
        Ok(r) => r,
        Err(e) => return fail(err, &format!("{}: {e}", a.input.display())),
    };
    if let Err(e) = case.apply(edit) {
        return fail(err, &e);
    }
    if let Err(e) = save_case(output, &case) {
        return fail(err, &e);
    }
    let _ = writeln!(out, "{}: {}", output.display(), summary.report());
    for d in &summary.possible_duplicates {
        let name = |id| case.entities.get(id).map_or("?", |e| e.name.as_str());
        let _ = writeln!(
            out,
            "  possible duplicate: {} \"{}\" ~ {} \"{}\" ({})",
            d.incoming,
            name(&d.incoming),
            d.existing,
            name(&d.existing),
            d.reason
        );
    }
    0
}

/// `chokepoint export --format ftm CASE -o OUT`, when the arguments ask for FtM; None
/// otherwise, so the other formats are handled by the caller.
pub fn export_ftm(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Option<i32> {
    let pos = args.iter().position(|a| a == "--format" || a == "-f")?;
    if args.get(pos + 1).map(String::as_str) != Some("ftm") {
        return None;
    }
    let mut case_path: Option<&Path> = None;
    let mut output: Option<&Path> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--format" | "-f" => i += 1,
            "-o" | "--output" => {
                output = args.get(i + 1).map(Path::new);
                i += 1;
            }
            other if !other.starts_with('-') && case_path.is_none() => {
                case_path = Some(Path::new(other));
            }
            other => {
                let _ = writeln!(err, "chokepoint export: bad argument {other}");
                return Some(2);
            }
        }
        i += 1;
    }
    let (Some(case_path), Some(output)) = (case_path, output) else {
        let _ = writeln!(
            err,
            "usage: chokepoint export --format ftm CASE -o OUT.json"
        );
        return Some(2);
    };
    let case = match load_case(case_path) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "chokepoint export: {e}");
            return Some(1);
        }
    };
    let inputs = super::case_inputs(case_path, &case);
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    if let Some(code) = super::refuse_overwrite("export", output, &inputs, err) {
        return Some(code);
    }
    let export = crate::io::export::ftm::write(&case);
    if let Err(e) =
        crate::io::write_atomic_via(&crate::io::RealDisk, output, export.text.as_bytes(), false)
    {
        let _ = writeln!(err, "chokepoint export: {e}");
        return Some(1);
    }
    let _ = writeln!(
        out,
        "{}: ftm export of {} ({} FtM entities)",
        output.display(),
        case_path.display(),
        export.entities
    );
    for note in &export.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    Some(0)
}

/// Reads a merge's base: an empty file (git gives one when both sides added the file) is an
/// empty case.
fn load_base(path: &Path) -> Result<Case, String> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == 0 => Ok(Case::default()),
        _ => load_case(path).map_err(|e| e.to_string()),
    }
}

/// Prints the conflicts of a three-way merge, one per line.
fn print_conflicts(out: &mut dyn Write, conflicts: &[crate::edit::MergeConflict]) {
    for c in conflicts {
        let _ = writeln!(
            out,
            "  conflict: {} ({}): {}; this copy's version kept",
            c.item, c.label, c.why
        );
    }
}

/// `chokepoint merge-driver BASE MINE THEIRS [PATH]`: a git merge driver. Merges THEIRS into
/// MINE three-way against BASE ([`crate::edit::merge_cases`]: one-sided edits and deletions
/// taken, items changed on both sides kept as MINE has them and listed) and writes the result
/// into MINE, atomically and without a backup file (git's working copy is not cluttered).
/// Exit 0 when clean, 1 when there are conflicts, 2 when a file cannot be read or written
/// (MINE is then untouched); git reads anything but 0 as a conflict.
pub fn merge_driver(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (out, err) = (
        &mut super::Terminal::text(out),
        &mut super::Terminal::text(err),
    );
    if args.iter().any(|a| a.starts_with('-')) || !(3..=4).contains(&args.len()) {
        let _ = writeln!(err, "{MERGE_DRIVER_USAGE}");
        return 2;
    }
    let (base_path, mine_path, theirs_path) = (
        PathBuf::from(&args[0]),
        PathBuf::from(&args[1]),
        PathBuf::from(&args[2]),
    );
    let shown = args.get(3).map_or_else(|| args[1].clone(), Clone::clone);
    let loaded = (
        load_base(&base_path),
        load_case(&mine_path).map_err(|e| e.to_string()),
        load_case(&theirs_path).map_err(|e| e.to_string()),
    );
    let (base, mine, theirs) = match loaded {
        (Ok(b), Ok(m), Ok(t)) => (b, m, t),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            let _ = writeln!(err, "chokepoint merge-driver: {shown}: {e}");
            return 2;
        }
    };
    let merged = crate::edit::merge_cases(&base, &mine, &theirs);
    let written = crate::io::case_to_ron(&merged.case).and_then(|text| {
        crate::io::case_file::write_atomic_via(
            &crate::io::case_file::RealDisk,
            &mine_path,
            text.as_bytes(),
            false,
        )
    });
    if let Err(e) = written {
        let _ = writeln!(err, "chokepoint merge-driver: {shown}: {e}");
        return 2;
    }
    let _ = writeln!(
        out,
        "chokepoint merge-driver: {shown}: {} change(s) taken from theirs, {} conflict(s)",
        merged.taken_from_theirs,
        merged.conflicts.len()
    );
    print_conflicts(out, &merged.conflicts);
    i32::from(!merged.conflicts.is_empty())
}

/// `chokepoint merge MINE THEIRS -o OUT [--prefer mine|theirs]`: brings a colleague's copy of
/// a case into mine. Items are matched by their stable ids; what only one side has is kept;
/// an item both sides hold differently is a conflict, settled by `--prefer` (mine by
/// default) and listed; entities their side added under other ids that resolve to one of
/// mine (same normalised name and country, or a shared identifier) are merged into mine.
/// Exit 0 on success (conflicts or not), 1 when a case cannot be read or written, 2 for
/// usage errors.
pub fn merge(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (out, err) = (
        &mut super::Terminal::text(out),
        &mut super::Terminal::text(err),
    );
    let mut files = Vec::new();
    let mut output = None;
    let mut prefer_theirs = false;
    let mut base: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-o" | "--output" => output = it.next().map(PathBuf::from),
            "--base" => base = it.next().map(PathBuf::from),
            "--prefer" => match it.next().map(String::as_str) {
                Some("mine") => prefer_theirs = false,
                Some("theirs") => prefer_theirs = true,
                _ => {
                    let _ = writeln!(err, "--prefer needs mine or theirs\n{MERGE_USAGE}");
                    return 2;
                }
            },
            other if !other.starts_with('-') => files.push(PathBuf::from(other)),
            _ => {
                let _ = writeln!(err, "chokepoint merge: bad argument {arg}\n{MERGE_USAGE}");
                return 2;
            }
        }
    }
    let ([mine_path, theirs_path], Some(output)) = (files.as_slice(), output) else {
        let _ = writeln!(err, "{MERGE_USAGE}");
        return 2;
    };
    if let Some(code) = super::refuse_overwrite(
        "merge",
        &output,
        &[mine_path.as_path(), theirs_path.as_path()],
        err,
    ) {
        return code;
    }
    let load = |p: &PathBuf| load_case(p);
    let (mine, theirs) = match (load(mine_path), load(theirs_path)) {
        (Ok(m), Ok(t)) => (m, t),
        (Err(e), _) | (_, Err(e)) => {
            let _ = writeln!(err, "chokepoint merge: {e}");
            return 1;
        }
    };
    if let Some(base_path) = base {
        // With the copies' common ancestor: three-way, so one-sided edits and deletions are
        // taken without asking and only real conflicts remain.
        let base = match load_base(&base_path) {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(err, "chokepoint merge: {e}");
                return 1;
            }
        };
        let merged = crate::edit::merge_cases(&base, &mine, &theirs);
        if let Err(e) = save_case(&output, &merged.case) {
            let _ = writeln!(err, "chokepoint merge: {e}");
            return 1;
        }
        let _ = writeln!(
            out,
            "{}: {} change(s) taken from {} against the base {}, {} conflict(s) (kept mine)",
            output.display(),
            merged.taken_from_theirs,
            theirs_path.display(),
            base_path.display(),
            merged.conflicts.len()
        );
        print_conflicts(out, &merged.conflicts);
        return 0;
    }
    let report = match import::merge_copies(&mine, &theirs, prefer_theirs) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "chokepoint merge: {e}");
            return 1;
        }
    };
    if let Err(e) = save_case(&output, &report.merged) {
        let _ = writeln!(err, "chokepoint merge: {e}");
        return 1;
    }
    let _ = writeln!(
        out,
        "{}: {} items added from {}, {} entities matched by identity, {} conflicts (kept {})",
        output.display(),
        report.taken_from_theirs,
        theirs_path.display(),
        report.identity_merges.len(),
        report.conflicts.len(),
        if prefer_theirs { "theirs" } else { "mine" }
    );
    for c in &report.conflicts {
        let fields: Vec<&str> = c.fields.iter().map(|f| f.field.as_str()).collect();
        let _ = writeln!(
            out,
            "  conflict: {} ({}): {}",
            c.item,
            c.label,
            fields.join(", ")
        );
    }
    for (keep, absorbed, why) in &report.identity_merges {
        let _ = writeln!(
            out,
            "  same entity: their {absorbed} merged into my {keep} ({why})"
        );
    }
    for (mine, theirs, why) in &report.possible_matches {
        let _ = writeln!(
            out,
            "  possibly the same, kept apart: their {theirs} and my {mine} ({why}); merge them \
             in the app's review if they are one party"
        );
    }
    0
}
