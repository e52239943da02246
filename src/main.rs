//! The `chokepoint` binary: the GUI, and the CLI subcommands beside it.

use chokepoint::model::{Case, Timestamp};
use chokepoint::ui::theme::ThemeChoice;
use chokepoint::ui::{ChokepointApp, RightTab, Startup};
use std::path::PathBuf;

const HELP: &str = "Chokepoint: an offline investigation workbench for export-control cases.

usage:
  chokepoint [FILE.ron]                          open the GUI (on the bundled seed case by default)
  chokepoint --screenshot OUT.png [--size WxH] [--theme light|dark] [--canvas-only] [--tab findings|flows]
                    [--select ID] [FILE.ron]
                                                 render the GUI, save a PNG of the window, exit
  chokepoint check FILE...                       validate case files (exit 1 if any is invalid)
  chokepoint generate --entities N [--seed S] -o FILE
                                                 write a synthetic case for benchmarks
  chokepoint findings FILE [--list CSV]... [--rules RULES.ron] [--threshold T] [--json]
                                                 print red-flag findings and screening hits
                                                 (screens against the demonstration list
                                                 unless --list is given)
  chokepoint export --format graphml|gexf|csv FILE -o OUT
                                                 export the case for Gephi, yEd, networkx or a
                                                 spreadsheet; for csv, OUT is a prefix and
                                                 OUT_entities.csv, OUT_links.csv and
                                                 OUT_shipments.csv are written
";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    let code = match args.first().map(String::as_str) {
        Some("check") => {
            let files: Vec<PathBuf> = args[1..].iter().map(PathBuf::from).collect();
            chokepoint::cli::check(&files, &mut out, &mut err)
        }
        Some("generate") => chokepoint::cli::generate(&args[1..], &mut out, &mut err),
        Some("findings") => chokepoint::cli::findings(&args[1..], &mut out, &mut err),
        Some("export") => chokepoint::cli::export(&args[1..], &mut out, &mut err),
        Some("-h" | "--help" | "help") => {
            print!("{HELP}");
            0
        }
        _ => run_gui(&args),
    };
    std::process::exit(code);
}

fn run_gui(args: &[String]) -> i32 {
    let mut screenshot = None;
    let mut size = [1440.0, 900.0];
    let mut file = None;
    let mut theme = None;
    let mut select = None;
    let mut canvas_only = false;
    let mut tab = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--screenshot" => match it.next() {
                Some(p) => screenshot = Some(PathBuf::from(p)),
                None => return usage_error("--screenshot needs a file name"),
            },
            "--size" => match it.next().and_then(|s| chokepoint::cli::parse_size(s)) {
                Some(s) => size = s,
                None => return usage_error("--size needs WxH, e.g. 1600x1000"),
            },
            "--select" => match it.next() {
                Some(id) => select = Some(id.clone()),
                None => return usage_error("--select needs an item id"),
            },
            "--theme" => match it.next().map(String::as_str) {
                Some("light") => theme = Some(ThemeChoice::Light),
                Some("dark") => theme = Some(ThemeChoice::Dark),
                _ => return usage_error("--theme needs light or dark"),
            },
            "--canvas-only" => canvas_only = true,
            "--tab" => match it.next().map(String::as_str) {
                Some("inspector") => tab = Some(RightTab::Inspector),
                Some("findings") => tab = Some(RightTab::Findings),
                Some("flows") => tab = Some(RightTab::Flows),
                _ => return usage_error("--tab needs inspector, findings or flows"),
            },
            other if other.starts_with('-') => {
                return usage_error(&format!("unknown option {other}"));
            }
            other => file = Some(PathBuf::from(other)),
        }
    }

    let mut startup = Startup {
        screenshot,
        theme,
        select,
        canvas_only,
        tab,
        ..Startup::for_case(Case::new_untitled(Timestamp::now()))
    };
    match file {
        Some(path) => match chokepoint::io::load_case_stamped(&path) {
            Ok((case, stamp)) => {
                startup.case = case;
                startup.path = Some(path);
                startup.stamp = stamp;
            }
            Err(e) => {
                eprintln!("{e}");
                startup.error = Some(format!("Could not open {e}"));
            }
        },
        None => match chokepoint::seed_case() {
            Ok(case) => {
                startup.case = case;
                startup.message = Some(
                    "Opened the bundled sample case: use Save as… to keep your changes".to_owned(),
                );
            }
            Err(e) => {
                startup.error = Some(format!(
                    "The bundled sample case could not be read: {}",
                    e.message
                ));
            }
        },
    }

    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Chokepoint")
            .with_app_id("chokepoint")
            .with_inner_size(size)
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true),
        // Our own font discovery handles CJK names and tells the user when none is found.
        system_font_fallback: false,
        ..Default::default()
    };
    match eframe::run_native(
        "Chokepoint",
        options,
        Box::new(|cc| Ok(Box::new(ChokepointApp::from_creation_context(cc, startup)))),
    ) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("chokepoint: could not open a window: {e}");
            1
        }
    }
}

fn usage_error(message: &str) -> i32 {
    eprintln!("chokepoint: {message}\n\n{HELP}");
    2
}
