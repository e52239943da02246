//! `chokepoint export --format svg|png [--view NAME] [--width W]` and `chokepoint report`:
//! pictures of a case or of one saved view, and the self-contained HTML case report.

use crate::io::export::svg;
use crate::io::{RealDisk, load_case, write_atomic_via};
use crate::model::Case;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const PICTURE_USAGE: &str =
    "usage: chokepoint export --format svg|png [--view NAME] [--width W] CASE -o OUT";
pub const REPORT_USAGE: &str = "usage: chokepoint report CASE -o OUT.html [--no-findings]";

/// Largest PNG width offered: 4K UHD.
pub const MAX_PNG_WIDTH: u32 = 3840;

/// Handles `export` when the format is a picture (svg or png); `None` for other formats.
pub fn export_picture(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Option<i32> {
    let format = args
        .windows(2)
        .find(|w| w[0] == "--format" || w[0] == "-f")
        .map(|w| w[1].as_str())?;
    if !matches!(format, "svg" | "png") {
        return None;
    }
    let (out, err) = (
        &mut super::Terminal::text(out),
        &mut super::Terminal::text(err),
    );
    let mut case_path: Option<PathBuf> = None;
    let mut output: Option<PathBuf> = None;
    let mut view: Option<String> = None;
    let mut width: Option<u32> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let ok = match arg.as_str() {
            "--format" | "-f" => it.next().is_some(),
            "-o" | "--output" => it.next().map(|v| output = Some(PathBuf::from(v))).is_some(),
            "--view" => it.next().map(|v| view = Some(v.clone())).is_some(),
            "--width" => it
                .next()
                .and_then(|v| v.parse::<u32>().ok())
                .filter(|w| (64..=MAX_PNG_WIDTH).contains(w))
                .map(|w| width = Some(w))
                .is_some(),
            other if !other.starts_with('-') && case_path.is_none() => {
                case_path = Some(PathBuf::from(other));
                true
            }
            _ => false,
        };
        if !ok {
            let _ = writeln!(
                err,
                "chokepoint export: bad argument {arg} (--width takes 64 to {MAX_PNG_WIDTH} pixels)\n{PICTURE_USAGE}"
            );
            return Some(2);
        }
    }
    let (Some(case_path), Some(output)) = (case_path, output) else {
        let _ = writeln!(err, "{PICTURE_USAGE}");
        return Some(2);
    };
    let case = match load_case(&case_path) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "chokepoint export: {e}");
            return Some(1);
        }
    };
    let inputs = super::case_inputs(&case_path, &case);
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    if let Some(code) = super::refuse_overwrite("export", &output, &inputs, err) {
        return Some(code);
    }
    let chosen = match &view {
        Some(name) => {
            if let Some(v) = svg::find_view(&case, name) {
                Some(v)
            } else {
                let names: Vec<&str> = case.views.iter().map(|v| v.name.as_str()).collect();
                let _ = writeln!(
                    err,
                    "chokepoint export: the case has no view named \"{name}\" (views: {})",
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    }
                );
                return Some(1);
            }
        }
        None => None,
    };
    let options = svg::SvgOptions {
        view: chosen,
        width_px: width.unwrap_or(if format == "png" {
            1920
        } else {
            svg::DEFAULT_WIDTH_PX
        }),
        marking: true,
        legend: true,
    };
    let picture = svg::write_with(&case, &options);
    let bytes = if format == "png" {
        match png_from_svg(&picture) {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(err, "chokepoint export: could not draw the PNG: {e}");
                return Some(1);
            }
        }
    } else {
        picture.into_bytes()
    };
    Some(write_file(
        &output,
        &bytes,
        out,
        err,
        &case,
        format,
        chosen.map(|v| v.name.as_str()),
    ))
}

fn write_file(
    path: &Path,
    bytes: &[u8],
    out: &mut dyn Write,
    err: &mut dyn Write,
    case: &Case,
    what: &str,
    view: Option<&str>,
) -> i32 {
    // An export is derived data: no backup of a previous export is kept.
    if let Err(e) = write_atomic_via(&RealDisk, path, bytes, false) {
        let _ = writeln!(err, "chokepoint: {e}");
        return 1;
    }
    let _ = writeln!(
        out,
        "{}: {what} of {}{}",
        path.display(),
        view.map_or_else(|| "the whole case".to_owned(), |v| format!("view \"{v}\"")),
        if what == "report" {
            format!(" ({})", case.counts())
        } else {
            String::new()
        }
    );
    0
}

/// Rasterises an SVG picture of ours to PNG bytes.
pub fn png_from_svg(svg_text: &str) -> Result<Vec<u8>, String> {
    crate::io::export::png::render(svg_text)
}

/// `chokepoint report CASE -o OUT.html`: the self-contained HTML case report.
pub fn report(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (out, err) = (
        &mut super::Terminal::text(out),
        &mut super::Terminal::text(err),
    );
    let mut case_path: Option<PathBuf> = None;
    let mut output: Option<PathBuf> = None;
    let mut findings = true;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let ok = match arg.as_str() {
            "-o" | "--output" => it.next().map(|v| output = Some(PathBuf::from(v))).is_some(),
            "--no-findings" => {
                findings = false;
                true
            }
            other if !other.starts_with('-') && case_path.is_none() => {
                case_path = Some(PathBuf::from(other));
                true
            }
            _ => false,
        };
        if !ok {
            let _ = writeln!(err, "chokepoint report: bad argument {arg}\n{REPORT_USAGE}");
            return 2;
        }
    }
    let (Some(case_path), Some(output)) = (case_path, output) else {
        let _ = writeln!(err, "{REPORT_USAGE}");
        return 2;
    };
    let case = match load_case(&case_path) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "chokepoint report: {e}");
            return 1;
        }
    };
    let inputs = super::case_inputs(&case_path, &case);
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    if let Some(code) = super::refuse_overwrite("report", &output, &inputs, err) {
        return code;
    }
    let html = crate::io::report::write(
        &case,
        &crate::io::report::ReportOptions {
            findings,
            ..crate::io::report::ReportOptions::default()
        },
    );
    write_file(&output, html.as_bytes(), out, err, &case, "report", None)
}
