//! Command-line subcommands that share the library with the GUI: `check`, `generate`,
//! `findings` and `export`.
//! Each returns the process exit code and writes its report to the given streams.

use crate::io::{generate::generate_case, load_case, save_case};
use std::io::Write;
use std::path::{Path, PathBuf};
use term::Terminal;

/// Refuses to write `output` over one of the files the command reads (`inputs`: the case,
/// its evidence, a mapping, ...), however either is spelled (see [`crate::io::input::same_file`]):
/// `export v.ron -o v.ron` used to replace the case with its own export. Prints why and returns
/// the exit code 1 when it refuses.
pub(crate) fn refuse_overwrite(
    command: &str,
    output: &Path,
    inputs: &[&Path],
    err: &mut dyn Write,
) -> Option<i32> {
    let input = inputs
        .iter()
        .find(|i| crate::io::input::same_file(i, output))?;
    let _ = writeln!(
        err,
        "chokepoint {command}: the output {} is the input {}: refused, it would be overwritten; \
         write to another file",
        output.display(),
        input.display()
    );
    Some(1)
}

/// The files a command that loaded `case` from `case_path` must not write over: the case
/// file and every evidence file it names.
pub(crate) fn case_inputs(case_path: &Path, case: &crate::model::Case) -> Vec<PathBuf> {
    let dir = crate::io::evidence::case_folder(case_path);
    std::iter::once(case_path.to_owned())
        .chain(
            case.evidence
                .values()
                .filter_map(crate::model::Evidence::stored_file)
                .map(|f| dir.join(f.path)),
        )
        .collect()
}

mod briefing;
mod bundle;
mod interop;
mod layout;
pub use layout::layout;
pub mod term;
pub use self::bundle::{bundle, unbundle};
pub use briefing::{MAX_PNG_WIDTH, png_from_svg, report};
pub use interop::{import, merge, merge_driver};

/// `chokepoint check [--strict] FILE...`: loads and validates each case, one summary line per
/// file, then verifies each evidence file against its recorded SHA-256, one indented line per
/// file (ok, missing, modified, unsafe path, unreadable). Exit code 0 when every case is valid
/// (with `--strict`, also every evidence file intact), 1 otherwise, 2 for usage errors.
/// The findings count the app's Findings tab shows for `case` with its default settings
/// (built-in rules, the demonstration screening list, dismissed findings left out), computed
/// the same way, so a script can compare.
fn findings_line(case: &crate::model::Case) -> String {
    use crate::analysis::{self, RuleSet, ScreeningList, screening};
    let rules = match RuleSet::builtin() {
        Ok(r) => r,
        Err(e) => return format!("findings: not computed (built-in rules: {e})"),
    };
    let demo = ScreeningList::demo().ok();
    let (findings, _) = analysis::findings_and_hits(
        case,
        &rules,
        demo.as_ref(),
        screening::DEFAULT_THRESHOLD,
        &crate::model::PartialDate::today(),
    );
    let open = analysis::open_count(&findings);
    format!(
        "findings: {open} open, {} dismissed (built-in rules, demonstration screening list, as the Findings tab shows them)",
        findings.len() - open
    )
}

pub fn check(args: &[PathBuf], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (out, err) = (&mut Terminal::text(out), &mut Terminal::text(err));
    let usage = "usage: chokepoint check [--strict] FILE...";
    let strict = args.iter().any(|a| a.as_os_str() == "--strict");
    let files: Vec<&PathBuf> = args
        .iter()
        .filter(|a| a.as_os_str() != "--strict")
        .collect();
    if let Some(bad) = files.iter().find(|f| f.to_string_lossy().starts_with("--")) {
        let _ = writeln!(
            err,
            "chokepoint check: unknown option {}\n{usage}",
            bad.display()
        );
        return 2;
    }
    if files.is_empty() {
        let _ = writeln!(err, "{usage}");
        return 2;
    }
    let mut failed = 0;
    let mut damaged = 0;
    for path in &files {
        match load_case(path) {
            Ok(case) => {
                let _ = writeln!(out, "{}: ok: {}", path.display(), case.counts());
                let _ = writeln!(out, "  {}", findings_line(&case));
                let dir = crate::io::evidence::case_folder(path);
                let reports = crate::io::evidence::verify_case(&case, &dir);
                for r in &reports {
                    let _ = writeln!(
                        out,
                        "  evidence {} ({}): {}",
                        r.evidence,
                        r.path,
                        r.status.label()
                    );
                }
                let problems: Vec<_> = reports.iter().filter(|r| !r.status.is_ok()).collect();
                damaged += problems.len();
                for r in problems {
                    let _ = writeln!(
                        err,
                        "{}: evidence {} ({}): {}: {}",
                        path.display(),
                        r.evidence,
                        dir.join(&r.path).display(),
                        r.status.label(),
                        r.status.explain()
                    );
                }
            }
            Err(e) => {
                failed += 1;
                let _ = writeln!(err, "{e}");
            }
        }
    }
    if failed > 0 {
        let _ = writeln!(err, "{failed} of {} file(s) failed", files.len());
    }
    if damaged > 0 {
        let _ = writeln!(
            err,
            "{damaged} evidence file(s) missing, modified or unsafe{}",
            if strict {
                ""
            } else {
                " (use --strict to fail on this)"
            }
        );
    }
    i32::from(failed > 0 || (strict && damaged > 0))
}

/// `chokepoint generate --entities N --seed S -o FILE`.
pub fn generate(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (out, err) = (&mut Terminal::text(out), &mut Terminal::text(err));
    let usage = "usage: chokepoint generate --entities N [--seed S] -o FILE";
    let mut entities: Option<usize> = None;
    let mut seed: u64 = 1;
    let mut output: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = it.next();
        let parsed = match (arg.as_str(), value) {
            ("--entities" | "-n", Some(v)) => crate::model::parse::count(v)
                .ok()
                .and_then(|n| usize::try_from(n).ok())
                .map(|n| entities = Some(n))
                .is_some(),
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

/// `chokepoint findings FILE [--list CSV]... [--rules RON] [--threshold T] [--json]`: red-flag
/// findings and screening hits for one case, as plain text or JSON. Without `--list` the case
/// is screened against the bundled demonstration list. Exit code 0 whatever is found, 1 when the
/// case, a list or the rules file cannot be read, 2 for usage errors.
pub fn findings(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    use crate::analysis::{ScreeningList, rules::RuleSet, screening};
    let err = &mut Terminal::text(err);
    let usage = "usage: chokepoint findings FILE [--list CSV]... [--rules RULES.ron] [--threshold 0.88] [--json]";
    let mut file: Option<PathBuf> = None;
    let mut lists: Vec<PathBuf> = Vec::new();
    let mut rules_file: Option<PathBuf> = None;
    let mut threshold = screening::DEFAULT_THRESHOLD;
    let mut json = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let ok = match arg.as_str() {
            "--json" => {
                json = true;
                true
            }
            "--list" => it.next().map(|v| lists.push(PathBuf::from(v))).is_some(),
            "--rules" => it
                .next()
                .map(|v| rules_file = Some(PathBuf::from(v)))
                .is_some(),
            "--threshold" => it
                .next()
                .and_then(|v| crate::model::parse::number(v).ok())
                .filter(|t| (0.5..=1.0).contains(t))
                .map(|t| threshold = t)
                .is_some(),
            other if !other.starts_with('-') && file.is_none() => {
                file = Some(PathBuf::from(other));
                true
            }
            _ => false,
        };
        if !ok {
            let _ = writeln!(err, "chokepoint findings: bad argument {arg}\n{usage}");
            return 2;
        }
    }
    let Some(file) = file else {
        let _ = writeln!(err, "{usage}");
        return 2;
    };
    let case = match load_case(&file) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            return 1;
        }
    };
    let mut rules = match RuleSet::builtin() {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "chokepoint findings: built-in rules: {e}");
            return 1;
        }
    };
    if let Some(path) = &rules_file
        && let Err(e) = rules.extend_from_file(path)
    {
        let _ = writeln!(err, "chokepoint findings: {e}");
        return 1;
    }
    let mut loaded = Vec::new();
    if lists.is_empty() {
        match ScreeningList::demo() {
            Ok(l) => loaded.push(l),
            Err(e) => {
                let _ = writeln!(err, "chokepoint findings: {e}");
                return 1;
            }
        }
    }
    for path in &lists {
        match ScreeningList::from_file(path) {
            Ok(l) => loaded.push(l),
            Err(e) => {
                let _ = writeln!(err, "chokepoint findings: {e}");
                return 1;
            }
        }
    }
    // JSON keeps its form (its own escapes, no lines cut); text is made safe and bounded.
    let (mut json_out, mut text_out);
    let out: &mut dyn Write = if json {
        json_out = Terminal::json(out);
        &mut json_out
    } else {
        text_out = Terminal::text(out);
        &mut text_out
    };
    let today = crate::model::PartialDate::today();
    let (found, hits) =
        crate::analysis::findings_and_hits(&case, &rules, &loaded, threshold, &today);
    let written = if json {
        write_findings_json(out, &file, &loaded, &found, &hits)
    } else {
        write_findings_text(out, &case, &file, &loaded, &found, &hits)
    };
    if let Err(e) = written {
        let _ = writeln!(err, "chokepoint findings: could not write the report: {e}");
        return 1;
    }
    0
}

fn write_findings_text(
    out: &mut dyn Write,
    case: &crate::model::Case,
    file: &Path,
    lists: &[crate::analysis::ScreeningList],
    found: &[crate::analysis::Finding],
    hits: &[crate::analysis::ScreeningHit],
) -> std::io::Result<()> {
    let open = found.iter().filter(|f| f.dismissed.is_none()).count();
    writeln!(out, "{}: {}", file.display(), case.meta.title)?;
    writeln!(
        out,
        "{} findings ({open} open, {} dismissed); {} screening hits",
        found.len(),
        found.len() - open,
        hits.len()
    )?;
    for l in lists {
        writeln!(
            out,
            "screened against: {} ({} entries, {} names)",
            l.label,
            l.entries.len(),
            l.name_count()
        )?;
    }
    for (i, f) in found.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "{}. [{}] {}{}",
            i + 1,
            f.severity.label().to_uppercase(),
            f.title,
            if f.dismissed.is_some() {
                " (dismissed)"
            } else {
                ""
            }
        )?;
        writeln!(out, "   {}", f.explanation)?;
        let items: Vec<String> = f.items.iter().map(ToString::to_string).collect();
        writeln!(out, "   items: {}", items.join(", "))?;
        if !f.evidence.is_empty() {
            let evidence: Vec<String> = f
                .evidence
                .iter()
                .map(|id| {
                    case.evidence.get(id).map_or_else(
                        || id.to_string(),
                        |e| format!("{} [{}] {}", e.id, e.grade(), e.title),
                    )
                })
                .collect();
            writeln!(out, "   evidence: {}", evidence.join("; "))?;
        }
        if let Some(reason) = &f.dismissed {
            writeln!(out, "   dismissed: {reason}")?;
        }
        writeln!(out, "   key: {}", f.key)?;
    }
    Ok(())
}

fn write_findings_json(
    out: &mut dyn Write,
    file: &Path,
    lists: &[crate::analysis::ScreeningList],
    found: &[crate::analysis::Finding],
    hits: &[crate::analysis::ScreeningHit],
) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct ListInfo<'a> {
        label: &'a str,
        entries: usize,
    }
    #[derive(serde::Serialize)]
    struct Report<'a> {
        file: String,
        lists: Vec<ListInfo<'a>>,
        findings: &'a [crate::analysis::Finding],
        screening_hits: &'a [crate::analysis::ScreeningHit],
    }
    let report = Report {
        file: file.display().to_string(),
        lists: lists
            .iter()
            .map(|l| ListInfo {
                label: &l.label,
                entries: l.entries.len(),
            })
            .collect(),
        findings: found,
        screening_hits: hits,
    };
    serde_json::to_writer_pretty(&mut *out, &report).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// Usage line of [`export`].
pub const EXPORT_USAGE: &str =
    "usage: chokepoint export --format graphml|gexf|dot|ftm|csv|svg|png CASE -o OUT";

/// `chokepoint export --format graphml|gexf|dot|csv CASE -o OUT`: writes the case for other tools.
/// For `csv`, OUT is a prefix: `OUT_entities.csv`, `OUT_links.csv` and `OUT_shipments.csv` are
/// written, all or none (each to a temporary file, renamed into place once all are written).
/// Exit code 0 on success, 1 when the case cannot be read or a file cannot be written, 2 for
/// usage errors (an unknown format among them).
pub fn export(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    use crate::io::export;
    let (out, err) = (&mut Terminal::text(out), &mut Terminal::text(err));
    if let Some(code) = briefing::export_picture(args, out, err) {
        return code;
    }
    if let Some(code) = interop::export_ftm(args, out, err) {
        return code;
    }
    let mut format: Option<String> = None;
    let mut case_path: Option<PathBuf> = None;
    let mut output: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let ok = match arg.as_str() {
            "--format" | "-f" => it.next().map(|v| format = Some(v.clone())).is_some(),
            "-o" | "--output" => it.next().map(|v| output = Some(PathBuf::from(v))).is_some(),
            other if !other.starts_with('-') && case_path.is_none() => {
                case_path = Some(PathBuf::from(other));
                true
            }
            _ => false,
        };
        if !ok {
            let _ = writeln!(err, "chokepoint export: bad argument {arg}\n{EXPORT_USAGE}");
            return 2;
        }
    }
    let (Some(format), Some(case_path), Some(output)) = (format, case_path, output) else {
        let _ = writeln!(err, "{EXPORT_USAGE}");
        return 2;
    };
    let Some(data_format) =
        export::DataFormat::from_name(&format).filter(|f| *f != export::DataFormat::Ftm)
    else {
        let _ = writeln!(
            err,
            "chokepoint export: unknown format \"{format}\" (expected graphml, gexf, dot or csv)\n{EXPORT_USAGE}"
        );
        return 2;
    };
    let case = match load_case(&case_path) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "chokepoint export: {e}");
            return 1;
        }
    };
    let (files, _) = data_format.files(&case, &output);
    let inputs = case_inputs(&case_path, &case);
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    for (path, _) in &files {
        if let Some(code) = refuse_overwrite("export", path, &inputs, err) {
            return code;
        }
    }
    // An export is derived data: no backup of a previous export is kept. The CSV files are
    // written all or none: a full disk must not leave two new files beside an old third.
    let staged: Vec<(&Path, &[u8])> = files
        .iter()
        .map(|(p, t)| (p.as_path(), t.as_bytes()))
        .collect();
    if let Err(e) = crate::io::write_files_atomic_via(&crate::io::RealDisk, &staged) {
        let _ = writeln!(err, "chokepoint export: {e}");
        return 1;
    }
    for (path, _) in &files {
        let _ = writeln!(
            out,
            "{}: {format} export of {}",
            path.display(),
            case.counts()
        );
    }
    0
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
