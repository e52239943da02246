//! The `chokepoint` binary: the GUI, and the CLI subcommands beside it.

use chokepoint::model::{Case, Timestamp};
use chokepoint::ui::theme::{DrawingChoice, ThemeChoice};
use chokepoint::ui::{ChokepointApp, RightTab, Startup};
use std::path::PathBuf;

const HELP: &str = "Chokepoint: an offline investigation workbench for export-control cases.

usage:
  chokepoint [FILE.ron]                          open the GUI (on the bundled seed case by default)
  chokepoint FILE.csv | FILE.ftm.json            open the GUI and import the file (CSV mapping dialog)
  chokepoint FILE.cpbundle                       open the GUI and unpack the case bundle
  chokepoint --screenshot OUT.png [--size WxH] [--theme light|dark] [--drawing auto|detailed|picture] [--canvas-only] [--tab findings|flows|evidence|views] [--present]
                    [--timeline] [--window FROM..TO] [--palette TEXT]
                    [--select ID] [FILE.ron]
                                                 render the GUI, save a PNG of the window, exit
  chokepoint check [--strict] FILE...            validate case files (exit 1 if any is invalid) and
                                                 verify evidence files against their SHA-256
                                                 (ok, missing, modified); with --strict any
                                                 evidence problem also exits 1
  chokepoint generate --entities N [--seed S] -o FILE
                                                 write a synthetic case for benchmarks
  chokepoint findings FILE [--list CSV]... [--rules RULES.ron] [--threshold T] [--json]
                                                 print red-flag findings and screening hits
                                                 (screens against the demonstration list
                                                 unless --list is given)
  chokepoint export --format graphml|gexf|ftm|csv FILE -o OUT
                                                 export the case for Gephi, yEd, networkx or a
                                                 spreadsheet; for csv, OUT is a prefix and
                                                 OUT_entities.csv, OUT_links.csv and
                                                 OUT_shipments.csv are written
  chokepoint export --format svg|png [--view NAME] [--width W] FILE -o OUT
                                                 a picture of the whole case or of one saved
                                                 view (PNG up to 3840 pixels wide, 4K)
  chokepoint layout --algorithm layered|force|circular|grid|geographic FILE -o OUT.ron [--report]
                                                 lay out every entity that is not pinned and save
                                                 the case as OUT; --report prints the picture's
                                                 legibility (overlapping labels, labels on nodes,
                                                 edges through nodes, crossings) before and after
  chokepoint report FILE -o OUT.html [--no-findings]
                                                 the case report: one self-contained HTML file
                                                 (views, entities, shipments, evidence, findings)
  chokepoint import csv INPUT.csv --mapping MAP.ron [--into CASE.ron] -o OUT.ron
  chokepoint import csv INPUT.csv --guess-mapping MAP.ron
  chokepoint import ftm INPUT.json [--into CASE.ron] -o OUT.ron
                                                 import trade records (CSV, by a column
                                                 mapping) or FollowTheMoney entities, resolving
                                                 duplicates; prints what was imported
  chokepoint merge MINE.ron THEIRS.ron -o OUT.ron [--prefer mine|theirs] [--base BASE.ron]
                                                 bring a colleague's copy into mine; prints the
                                                 conflicts and how they were settled; with the
                                                 copies' common ancestor, three-way: one-sided
                                                 edits and deletions are taken, only items both
                                                 changed conflict
  chokepoint merge-driver BASE MINE THEIRS [PATH]
                                                 the same as a git merge driver (see README):
                                                 writes into MINE, exit 1 on conflicts
  chokepoint bundle CASE.ron -o OUT.cpbundle [--passphrase-file FILE]
                                                 the case and its evidence files as one file for
                                                 a colleague; encrypted (age) with the passphrase
                                                 on the first line of FILE
  chokepoint unbundle BUNDLE.cpbundle -o DIR [--passphrase-file FILE]
                                                 extract a bundle into the new folder DIR after
                                                 checking names, sizes and evidence hashes
";

fn main() {
    chokepoint::alloc::tune();
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
        Some("layout") => chokepoint::cli::layout(&args[1..], &mut out, &mut err),
        Some("report") => chokepoint::cli::report(&args[1..], &mut out, &mut err),
        Some("import") => chokepoint::cli::import(&args[1..], &mut out, &mut err),
        Some("merge") => chokepoint::cli::merge(&args[1..], &mut out, &mut err),
        Some("merge-driver") => chokepoint::cli::merge_driver(&args[1..], &mut out, &mut err),
        Some("bundle") => chokepoint::cli::bundle(&args[1..], &mut out, &mut err),
        Some("unbundle") => chokepoint::cli::unbundle(&args[1..], &mut out, &mut err),
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
    let mut drawing = None;
    let mut select = None;
    let mut canvas_only = false;
    let mut present = false;
    let mut tab = None;
    let mut timeline = false;
    let mut palette = None;
    let mut window = None;
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
            "--drawing" => match it.next().map(String::as_str) {
                Some("auto") => drawing = Some(DrawingChoice::Automatic),
                Some("detailed") => drawing = Some(DrawingChoice::Detailed),
                Some("picture") => drawing = Some(DrawingChoice::Picture),
                _ => return usage_error("--drawing needs auto, detailed or picture"),
            },
            "--canvas-only" => canvas_only = true,
            "--present" => present = true,
            "--timeline" => timeline = true,
            "--palette" => match it.next() {
                Some(q) => palette = Some(q.clone()),
                None => return usage_error("--palette needs the text to type, e.g. \"\""),
            },
            "--window" => match it.next().and_then(|w| parse_window(w)) {
                Some(w) => window = Some(w),
                None => return usage_error("--window needs FROM..TO dates, e.g. 2024-03..2024-05"),
            },
            "--tab" => match it.next().map(String::as_str) {
                Some("inspector") => tab = Some(RightTab::Inspector),
                Some("findings") => tab = Some(RightTab::Findings),
                Some("flows") => tab = Some(RightTab::Flows),
                Some("views") => tab = Some(RightTab::Views),
                Some("evidence") => tab = Some(RightTab::Evidence),
                _ => {
                    return usage_error(
                        "--tab needs inspector, findings, flows, evidence or views",
                    );
                }
            },
            other if other.starts_with('-') => {
                return usage_error(&format!(
                    "unknown option {}",
                    chokepoint::cli::term::escape(other, 200)
                ));
            }
            other => file = Some(PathBuf::from(other)),
        }
    }

    let mut startup = Startup {
        screenshot,
        theme,
        drawing,
        select,
        canvas_only,
        tab,
        present,
        timeline,
        window,
        palette,
        ..Startup::for_case(Case::new_untitled(Timestamp::now()))
    };
    // A CSV or FollowTheMoney file opens the import dialog on the sample case.
    let import_kind =
        file.as_ref().and_then(
            |p| match p.extension()?.to_str()?.to_ascii_lowercase().as_str() {
                "csv" | "tsv" => Some(chokepoint::ui::ImportKind::Csv),
                "json" | "ftm" | "ndjson" | "jsonl" => Some(chokepoint::ui::ImportKind::Ftm),
                _ => None,
            },
        );
    if let Some(kind) = import_kind {
        startup.import = file.take().map(|p| (kind, p));
    }
    // A case bundle opens the sample case and asks where to unpack the bundle.
    if file
        .as_ref()
        .and_then(|p| p.extension())
        .is_some_and(|e| e.eq_ignore_ascii_case("cpbundle"))
    {
        startup.bundle = file.take();
    }
    match file {
        Some(path) => match chokepoint::io::load_case_stamped(&path) {
            Ok((case, stamp)) => {
                startup.case = case;
                startup.path = Some(path);
                startup.stamp = stamp;
            }
            Err(e) => {
                eprintln!(
                    "{}",
                    chokepoint::cli::term::escape(
                        &e.to_string(),
                        chokepoint::cli::term::MAX_LINE_CHARS
                    )
                );
                startup.error = Some(format!("Could not open {e}"));
            }
        },
        None => match chokepoint::seed_case() {
            Ok(case) => {
                startup.case = case;
                // Cases opened before: the start page lists them instead.
                startup.start_page = true;
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

    // A screenshot run is a throwaway: it must not change the user's saved window, zoom,
    // recent files or settings.
    let persist = startup.screenshot.is_none();
    let options = eframe::NativeOptions {
        persist_window: persist,
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

/// `2024-03..2024-05`: from the first day of the first date to the last day of the second.
fn parse_window(text: &str) -> Option<chokepoint::analysis::timeline::TimeWindow> {
    use chokepoint::analysis::timeline::{TimeWindow, last_day};
    use chokepoint::model::parse;
    let (from, to) = text.split_once("..")?;
    let from = parse::date(from, parse::DateOrder::Unknown).ok()?;
    let to = parse::date(to, parse::DateOrder::Unknown).ok()?;
    Some(TimeWindow::between(from.days_since_epoch(), last_day(&to)))
}
