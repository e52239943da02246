//! Real misuse, each reproduced as an adversarial run found it (issue 18): two saves at once,
//! outputs that are their own inputs, special files, unbalanced quotes, leftovers of killed
//! processes, terminal escapes in a case from outside, and exports cut short by a full disk.
//! Every input is generated here, small, in a temporary folder.

#![allow(unused_imports, dead_code)] // until every section is in

use chokepoint::io::{self, backup_path, case_to_ron, load_case, save_case, write_atomic};
use chokepoint::model::{Case, Entity, EntityKind, Link, LinkKind};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

mod common;

type Command3 = fn(&[String], &mut dyn Write, &mut dyn Write) -> i32;

/// Runs a CLI command as `main` does, returning its exit code, stdout and stderr.
fn run(command: Command3, args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = command(&args, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).expect("utf-8 out"),
        String::from_utf8(err).expect("utf-8 err"),
    )
}

fn check(files: &[&Path]) -> (i32, String, String) {
    let files: Vec<PathBuf> = files.iter().map(|f| f.to_path_buf()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = chokepoint::cli::check(&files, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).expect("utf-8 out"),
        String::from_utf8(err).expect("utf-8 err"),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn small_case(title: &str) -> Case {
    let mut case = Case::default();
    case.meta.title = title.to_owned();
    for (id, name) in [("e-acme", "Acme Trading"), ("e-bolt", "Bolt Ltd")] {
        let e = Entity::new(id, EntityKind::Company, name);
        case.entities.insert(e.id.clone(), e);
    }
    let l = Link::new("l-1", LinkKind::SuppliesTo, "e-acme", "e-bolt");
    case.links.insert(l.id.clone(), l);
    case
}

// ---- 2. An output that is its own input ---------------------------------------------------

/// `export --format graphml v.ron -o v.ron` exited 0 and left GraphML in v.ron; so did every
/// other command that writes. Each is now refused, however the same file is spelled.
#[test]
fn no_command_writes_over_its_own_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let case_path = d.join("v.ron");
    let mut case = small_case("Mine");
    std::fs::create_dir(d.join("evidence")).expect("evidence folder");
    std::fs::write(d.join("evidence/photo.png"), b"not really a png").expect("evidence");
    let attached = chokepoint::io::evidence::attach_file(
        &case,
        d,
        &d.join("evidence/photo.png"),
        "tester",
        chokepoint::model::Timestamp::from_unix(1_700_000_000),
    )
    .expect("attach");
    case.apply(attached.edit()).expect("applies");
    save_case(&case_path, &case).expect("save");
    let original = std::fs::read(&case_path).expect("read");
    let evidence = attached.stored.clone();
    let evidence_bytes = std::fs::read(&evidence).expect("read");
    // The same file, spelled another way and through a hard link.
    let spelled = d.join(".").join("v.ron");
    let linked = d.join("linked.ron");
    std::fs::hard_link(&case_path, &linked).expect("hard link");
    std::fs::write(d.join("in.csv"), "Shipper,Consignee\nAcme,Bolt\n").expect("csv");
    std::fs::write(
        d.join("map.ron"),
        "(columns: {\"Shipper\": Shipper, \"Consignee\": Consignee})",
    )
    .expect("mapping");
    std::fs::write(d.join("pass.txt"), "a passphrase\n").expect("passphrase");
    let csv = d.join("in.csv");
    let map = d.join("map.ron");
    let pass = d.join("pass.txt");
    let (c, sp, ln, ev) = (s(&case_path), s(&spelled), s(&linked), s(&evidence));
    let cases: Vec<(&str, Command3, Vec<&str>)> = vec![
        (
            "graphml",
            chokepoint::cli::export,
            vec!["--format", "graphml", c, "-o", sp],
        ),
        (
            "gexf",
            chokepoint::cli::export,
            vec!["--format", "gexf", c, "-o", ln],
        ),
        (
            "ftm",
            chokepoint::cli::export,
            vec!["--format", "ftm", c, "-o", sp],
        ),
        (
            "svg",
            chokepoint::cli::export,
            vec!["--format", "svg", c, "-o", ln],
        ),
        (
            "png",
            chokepoint::cli::export,
            vec!["--format", "png", c, "-o", sp],
        ),
        (
            "png over evidence",
            chokepoint::cli::export,
            vec!["--format", "png", c, "-o", ev],
        ),
        ("report", chokepoint::cli::report, vec![c, "-o", sp]),
        (
            "import -o input",
            chokepoint::cli::import,
            vec!["csv", s(&csv), "--mapping", s(&map), "-o", s(&csv)],
        ),
        (
            "import -o mapping",
            chokepoint::cli::import,
            vec!["csv", s(&csv), "--mapping", s(&map), "-o", s(&map)],
        ),
        (
            "import --into X -o X",
            chokepoint::cli::import,
            vec!["csv", s(&csv), "--mapping", s(&map), "--into", c, "-o", ln],
        ),
        (
            "guess-mapping over input",
            chokepoint::cli::import,
            vec!["csv", s(&csv), "--guess-mapping", s(&csv)],
        ),
        (
            "import ftm",
            chokepoint::cli::import,
            vec!["ftm", c, "-o", sp],
        ),
        ("merge", chokepoint::cli::merge, vec![c, ln, "-o", sp]),
        (
            "bundle over case",
            chokepoint::cli::bundle,
            vec![c, "-o", ln],
        ),
        (
            "bundle over evidence",
            chokepoint::cli::bundle,
            vec![c, "-o", ev],
        ),
        (
            "bundle over passphrase",
            chokepoint::cli::bundle,
            vec![c, "-o", s(&pass), "--passphrase-file", s(&pass)],
        ),
        ("unbundle", chokepoint::cli::unbundle, vec![c, "-o", ln]),
    ];
    for (what, command, args) in cases {
        let (code, out, err) = run(command, &args);
        assert_eq!(code, 1, "{what}: exit code\n{out}\n{err}");
        assert!(
            err.contains("refused") || err.contains("overwrite"),
            "{what}: {err}"
        );
        assert_eq!(std::fs::read(&case_path).expect("read"), original, "{what}");
        assert_eq!(
            std::fs::read(&evidence).expect("read"),
            evidence_bytes,
            "{what}"
        );
    }
    // The CSV export writes three files from a prefix: one of them may not be the case.
    let prefixed = d.join("x_entities.csv");
    std::fs::copy(&case_path, &prefixed).expect("copy");
    let (code, _, err) = run(
        chokepoint::cli::export,
        &["--format", "csv", s(&prefixed), "-o", s(&d.join("x"))],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(std::fs::read(&prefixed).expect("read"), original);
    assert!(!d.join("x_links.csv").exists(), "nothing written");
    // And a different output still works.
    let (code, _, err) = run(
        chokepoint::cli::export,
        &["--format", "graphml", c, "-o", s(&d.join("v.graphml"))],
    );
    assert_eq!(code, 0, "{err}");
}

// ---- 5, 7, 11. CSV: unbalanced quotes, CR-only lines, streaming -------------------------

/// Six rows read as "1 records read", the shipper's name holding the other rows. Now the
/// import is refused with the line where the quote opens, and nothing is written.
#[test]
fn an_unbalanced_quote_is_refused_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "Shipper,Consignee\nAcme,Bolt\nCobalt,Delta\n\"Echo Trading,Fox\nGolf,Hotel\nIndia,Juliet\nKilo,Lima\n",
    )
    .expect("csv");
    let map = dir.path().join("map.ron");
    std::fs::write(
        &map,
        "(columns: {\"Shipper\": Shipper, \"Consignee\": Consignee})",
    )
    .expect("mapping");
    let out = dir.path().join("out.ron");
    let (code, stdout, err) = run(
        chokepoint::cli::import,
        &["csv", s(&csv), "--mapping", s(&map), "-o", s(&out)],
    );
    assert_eq!(code, 1, "{stdout}{err}");
    assert!(err.contains("line 4"), "{err}");
    assert!(err.contains("never closed"), "{err}");
    assert!(!out.exists(), "nothing written");
}

/// A CR-only file (an old Mac export) read as one row.
#[test]
fn cr_only_csv_reads_every_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "Shipper,Consignee\rAcme,Bolt\rCobalt,Delta\rEcho,Fox\r",
    )
    .expect("csv");
    let map = dir.path().join("map.ron");
    std::fs::write(
        &map,
        "(columns: {\"Shipper\": Shipper, \"Consignee\": Consignee})",
    )
    .expect("mapping");
    let out = dir.path().join("out.ron");
    let (code, stdout, err) = run(
        chokepoint::cli::import,
        &["csv", s(&csv), "--mapping", s(&map), "-o", s(&out)],
    );
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("3 records read"), "{stdout}");
    assert_eq!(load_case(&out).expect("loads").shipments.len(), 3);
}

// ---- 6. Special files ---------------------------------------------------------------------

/// Runs `f` on a thread and fails the test if it has not returned within a minute (a read
/// from a named pipe blocks forever).
fn within_a_minute<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_mins(1))
        .unwrap_or_else(|_| panic!("{what}: still blocked after a minute"))
}

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// Opening a named pipe hung forever (check, import, --mapping, findings --rules, unbundle,
/// the GUI); `/dev/zero` was read until memory ran out (import, screening lists, rules,
/// mappings). Every input is refused unless it is a regular file.
#[cfg(unix)]
#[test]
fn special_files_are_refused_without_hanging() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_owned();
    let fifo = d.join("pipe");
    if !mkfifo(&fifo) {
        assert!(std::env::var_os("CI").is_none(), "mkfifo is needed in CI");
        eprintln!("skipped: no mkfifo");
        return;
    }
    let case_path = d.join("v.ron");
    save_case(&case_path, &small_case("Case")).expect("save");
    let csv = d.join("in.csv");
    std::fs::write(&csv, "Shipper,Consignee\nAcme,Bolt\n").expect("csv");
    let map = d.join("map.ron");
    std::fs::write(&map, "(columns: {\"Shipper\": Shipper})").expect("mapping");
    for special in [fifo.clone(), PathBuf::from("/dev/zero")] {
        let sp = s(&special).to_owned();
        let (c, cv, mp, o) = (
            s(&case_path).to_owned(),
            s(&csv).to_owned(),
            s(&map).to_owned(),
            s(&d.join("out.ron")).to_owned(),
        );
        let runs: Vec<(&str, Command3, Vec<String>)> = vec![
            (
                "import csv",
                chokepoint::cli::import,
                vec![
                    "csv".into(),
                    sp.clone(),
                    "--mapping".into(),
                    mp.clone(),
                    "-o".into(),
                    o.clone(),
                ],
            ),
            (
                "import ftm",
                chokepoint::cli::import,
                vec!["ftm".into(), sp.clone(), "-o".into(), o.clone()],
            ),
            (
                "--mapping",
                chokepoint::cli::import,
                vec![
                    "csv".into(),
                    cv.clone(),
                    "--mapping".into(),
                    sp.clone(),
                    "-o".into(),
                    o.clone(),
                ],
            ),
            (
                "--into",
                chokepoint::cli::import,
                vec![
                    "csv".into(),
                    cv.clone(),
                    "--mapping".into(),
                    mp.clone(),
                    "--into".into(),
                    sp.clone(),
                    "-o".into(),
                    o.clone(),
                ],
            ),
            (
                "findings --rules",
                chokepoint::cli::findings,
                vec![c.clone(), "--rules".into(), sp.clone()],
            ),
            (
                "findings --list",
                chokepoint::cli::findings,
                vec![c.clone(), "--list".into(), sp.clone()],
            ),
            ("findings", chokepoint::cli::findings, vec![sp.clone()]),
            (
                "export",
                chokepoint::cli::export,
                vec![
                    "--format".into(),
                    "graphml".into(),
                    sp.clone(),
                    "-o".into(),
                    o.clone(),
                ],
            ),
            (
                "unbundle",
                chokepoint::cli::unbundle,
                vec![sp.clone(), "-o".into(), s(&d.join("unpacked")).to_owned()],
            ),
            (
                "bundle --passphrase-file",
                chokepoint::cli::bundle,
                vec![
                    c.clone(),
                    "-o".into(),
                    s(&d.join("b.cpbundle")).to_owned(),
                    "--passphrase-file".into(),
                    sp.clone(),
                ],
            ),
        ];
        for (what, command, args) in runs {
            let label = format!("{what} {sp}");
            let (code, out, err) = within_a_minute(&label.clone(), move || {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                run(command, &args)
            });
            assert_eq!(code, 1, "{label}: {out}{err}");
            assert!(err.contains("not a regular file"), "{label}: {err}");
        }
        let special_path = special.clone();
        let (code, _, err) = within_a_minute("check", move || check(&[&special_path]));
        assert_eq!(code, 1);
        assert!(err.contains("not a regular file"), "check: {err}");
        // The GUI opens cases through the same loader, and the import window through the
        // same reader.
        let special_path = special.clone();
        let opened = within_a_minute("GUI open", move || {
            io::load_case_stamped(&special_path).map(|_| ())
        });
        assert!(
            opened
                .expect_err("refused")
                .to_string()
                .contains("not a regular file")
        );
        let special_path = special.clone();
        let read = within_a_minute("import window", move || {
            io::import::read_import_file(&special_path).map(|_| ())
        });
        assert!(
            read.expect_err("refused")
                .to_string()
                .contains("not a regular file")
        );
        // Evidence: attaching it, and a case whose evidence file was swapped for it.
        let (case_dir, special_path) = (d.clone(), special.clone());
        let attached = within_a_minute("evidence add", move || {
            io::evidence::attach_file(
                &Case::default(),
                &case_dir,
                &special_path,
                "tester",
                chokepoint::model::Timestamp::from_unix(0),
            )
            .map(|_| ())
        });
        assert!(attached.is_err());
    }
    assert!(!d.join("out.ron").exists() && !d.join("unpacked").exists());
}
