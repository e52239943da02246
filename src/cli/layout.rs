//! `chokepoint layout`: an automatic layout of a case from the command line, so imports can be
//! laid out in scripts and the legibility of each layout measured in CI.

use super::term::Terminal;
use crate::io::{load_case, save_case};
use crate::layout::{LayoutGraph, LayoutKind, Progress};
use std::io::Write;
use std::path::PathBuf;

const USAGE: &str = "usage: chokepoint layout --algorithm layered|force|circular|grid|geographic \
                     CASE.ron -o OUT.ron [--report]";

/// The layout named on the command line.
pub fn algorithm(name: &str) -> Option<LayoutKind> {
    Some(match name {
        "layered" => LayoutKind::Layered,
        "force" => LayoutKind::Force,
        "circular" => LayoutKind::Circular,
        "grid" => LayoutKind::GridByKind,
        "geographic" => LayoutKind::Geographic,
        _ => return None,
    })
}

/// The legibility of the case's picture (the SVG export at its default size), as
/// `legibility.py` counts it.
fn picture_legibility(case: &crate::model::Case) -> crate::layout::legibility::Legibility {
    use crate::io::export::svg;
    svg::legibility(case, &svg::SvgOptions::default())
}

/// `chokepoint layout --algorithm A CASE -o OUT [--report]`: lays out every entity that is not
/// pinned and saves the case as OUT; with `--report`, prints the picture's legibility before
/// and after. Exit 0 on success, 1 when the case cannot be read or written, 2 on bad usage.
pub fn layout(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (out, err) = (&mut Terminal::text(out), &mut Terminal::text(err));
    let mut kind: Option<LayoutKind> = None;
    let mut case_path: Option<PathBuf> = None;
    let mut output: Option<PathBuf> = None;
    let mut report = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let ok = match arg.as_str() {
            "--algorithm" | "-a" => {
                let Some(name) = it.next() else {
                    let _ = writeln!(err, "chokepoint layout: --algorithm needs a name\n{USAGE}");
                    return 2;
                };
                let Some(k) = algorithm(name) else {
                    let _ = writeln!(
                        err,
                        "chokepoint layout: unknown algorithm \"{name}\" (expected layered, \
                         force, circular, grid or geographic)"
                    );
                    return 2;
                };
                kind = Some(k);
                true
            }
            "-o" | "--output" => it.next().map(|v| output = Some(PathBuf::from(v))).is_some(),
            "--report" => {
                report = true;
                true
            }
            other if !other.starts_with('-') && case_path.is_none() => {
                case_path = Some(PathBuf::from(other));
                true
            }
            _ => false,
        };
        if !ok {
            let _ = writeln!(err, "chokepoint layout: bad argument {arg}\n{USAGE}");
            return 2;
        }
    }
    let (Some(kind), Some(case_path), Some(output)) = (kind, case_path, output) else {
        let _ = writeln!(err, "{USAGE}");
        return 2;
    };
    let mut case = match load_case(&case_path) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "chokepoint layout: {e}");
            return 1;
        }
    };
    let inputs = super::case_inputs(&case_path, &case);
    let inputs: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
    if let Some(code) = super::refuse_overwrite("layout", &output, &inputs, err) {
        return code;
    }
    let before = report.then(|| picture_legibility(&case));
    let graph = LayoutGraph::from_case(&case, None);
    let moves = match crate::layout::compute(kind, &graph, &Progress::new()) {
        Ok(m) => m,
        Err(e) => {
            let _ = writeln!(err, "chokepoint layout: {e}");
            return 1;
        }
    };
    let moved = moves.len();
    if let Some(edit) = crate::layout::positions_edit(&case, &moves)
        && let Err(e) = case.apply(edit)
    {
        let _ = writeln!(err, "chokepoint layout: {e}");
        return 1;
    }
    if let Err(e) = save_case(&output, &case) {
        let _ = writeln!(err, "chokepoint layout: {e}");
        return 1;
    }
    let _ = writeln!(
        out,
        "{}: {} layout of {} ({moved} entities placed, pinned ones kept)",
        output.display(),
        kind.label(),
        case.counts()
    );
    if let Some(before) = before {
        let _ = writeln!(out, "before: {before}");
        let _ = writeln!(out, "after:  {}", picture_legibility(&case));
    }
    0
}
