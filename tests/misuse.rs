//! Real misuse, each reproduced as an adversarial run found it (issue 18): two saves at once,
//! outputs that are their own inputs, special files, unbalanced quotes, leftovers of killed
//! processes, terminal escapes in a case from outside, and exports cut short by a full disk.
//! Every input is generated here, small, in a temporary folder.

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

// ---- 1. Two saves at once ----------------------------------------------------------------

const SAVER_ENV: &str = "CHOKEPOINT_MISUSE_SAVER";
const ROUNDS: usize = 1_000;

/// In a child: saves version A and version B of the case alternately, ROUNDS times.
#[test]
fn concurrent_saver_child() {
    let Ok(dir) = std::env::var(SAVER_ENV) else {
        return; // Only does work when started by the test below.
    };
    let dir = PathBuf::from(dir);
    let a = std::fs::read(dir.join("a.txt")).expect("version a");
    let b = std::fs::read(dir.join("b.txt")).expect("version b");
    let target = dir.join("case.ron");
    let mut failures = Vec::new();
    for round in 0..ROUNDS {
        let version = if round % 2 == 0 { &a } else { &b };
        if let Err(e) = write_atomic(&target, version) {
            failures.push(format!("round {round}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} saves failed, first {}",
        failures.len(),
        failures[0]
    );
}

/// Two processes saving one case in a loop emptied it (654 times in 70 s) and its backup:
/// every process staged its backup under the same name, and the copy fallback wrote through
/// another process's link to the live case. Now two savers each save 1 000 times while this
/// process watches: the case and its backup are always one complete version, every save
/// succeeds, and nothing is left behind.
#[test]
fn two_processes_saving_at_once_never_leave_a_short_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = case_to_ron(&small_case("Version A")).expect("a");
    let b = case_to_ron(&small_case("Version B, a little longer")).expect("b");
    std::fs::write(dir.path().join("a.txt"), &a).expect("write a");
    std::fs::write(dir.path().join("b.txt"), &b).expect("write b");
    let target = dir.path().join("case.ron");
    write_atomic(&target, a.as_bytes()).expect("first save");
    let versions = [a.as_bytes(), b.as_bytes()];

    let exe = std::env::current_exe().expect("test binary");
    let spawn = || {
        Command::new(&exe)
            .args(["--exact", "concurrent_saver_child", "--test-threads=1"])
            .env(SAVER_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn saver")
    };
    let mut savers = [spawn(), spawn()];
    let mut checks = 0usize;
    let mut short = Vec::new();
    // The first save makes the backup; from then on it must always be there.
    let mut backup_made = false;
    loop {
        for path in [target.clone(), backup_path(&target)] {
            let is_backup = path != target;
            match std::fs::read(&path) {
                Err(e) if is_backup && !backup_made && e.kind() == std::io::ErrorKind::NotFound => {
                }
                Ok(bytes) if versions.contains(&bytes.as_slice()) => backup_made |= is_backup,
                Ok(bytes) => short.push(format!("{}: {} bytes", path.display(), bytes.len())),
                Err(e) => short.push(format!("{}: {e}", path.display())),
            }
        }
        checks += 1;
        if savers
            .iter_mut()
            .all(|c| c.try_wait().expect("poll").is_some())
        {
            break;
        }
    }
    let failed: Vec<String> = savers
        .into_iter()
        .map(|saver| saver.wait_with_output().expect("saver ends"))
        .filter(|out| !out.status.success())
        .map(|out| {
            let text = String::from_utf8_lossy(&out.stdout);
            text.lines()
                .find(|l| l.contains("round"))
                .unwrap_or("a save failed")
                .to_owned()
        })
        .collect();
    assert!(
        short.is_empty() && failed.is_empty(),
        "{} of {checks} checks saw a short or missing file: {:?}; failed savers: {failed:?}",
        short.len(),
        &short[..short.len().min(5)]
    );
    assert!(
        checks > 10,
        "the watcher ran while they saved ({checks} checks)"
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| Path::new(n).extension().is_some_and(|e| e == "tmp"))
        .collect();
    assert!(names.is_empty(), "left behind: {names:?}");
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

// ---- 8. Leftovers of killed processes ----------------------------------------------------

fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().expect("spawn");
    let pid = child.id();
    child.wait().expect("wait");
    pid
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("meta").permissions().mode() & 0o777
}

/// A `kill -9` left `.OUT.cpbundle.PID.tmp` files and `.DIR.PID.0.unbundle.tmp/` folders
/// that nothing removed, one holding the decrypted case of an encrypted bundle, mode 0644.
/// The next save, bundle or unbundle now removes its dead predecessors' leftovers, and what
/// an encrypted bundle unpacks is readable by its owner only.
#[cfg(unix)]
#[test]
fn leftovers_of_killed_runs_are_removed_and_unpacking_is_owner_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let case_path = d.join("case.ron");
    save_case(&case_path, &small_case("Secret")).expect("save");
    let pass = d.join("pass.txt");
    std::fs::write(&pass, "correct horse\n").expect("passphrase");
    let dead = dead_pid();
    // What killed runs of an older version left.
    let stale_bundle = d.join(format!(".out.cpbundle.{dead}.tmp"));
    let stale_save = d.join(format!(".case.ron.{dead}.tmp"));
    let stale_dir = d.join(format!(".unpacked.{dead}.0.unbundle.tmp"));
    std::fs::write(&stale_bundle, "partial").expect("write");
    std::fs::write(&stale_save, "partial").expect("write");
    std::fs::create_dir(&stale_dir).expect("dir");
    std::fs::write(stale_dir.join("case.ron"), "decrypted secrets").expect("write");
    // One of a process that still runs (this one) is left alone.
    let live = d.join(format!(".case.ron.{}.tmp", std::process::id()));
    std::fs::write(&live, "in use").expect("write");

    save_case(&case_path, &small_case("Secret, saved again")).expect("save");
    assert!(
        !stale_save.exists(),
        "the save removed its dead predecessor's temporary"
    );
    assert!(live.exists(), "a live process's temporary stays");

    let bundle = d.join("out.cpbundle");
    let (code, _, err) = run(
        chokepoint::cli::bundle,
        &[
            s(&case_path),
            "-o",
            s(&bundle),
            "--passphrase-file",
            s(&pass),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!stale_bundle.exists());

    let unpacked = d.join("unpacked");
    let (code, _, err) = run(
        chokepoint::cli::unbundle,
        &[
            s(&bundle),
            "-o",
            s(&unpacked),
            "--passphrase-file",
            s(&pass),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!stale_dir.exists(), "the dead unbundle's folder is gone");
    assert_eq!(mode(&unpacked), 0o700, "the unpacked folder is owner-only");
    assert_eq!(
        mode(&unpacked.join("case.ron")),
        0o600,
        "the decrypted case is owner-only"
    );
    let names: Vec<String> = std::fs::read_dir(d)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| Path::new(n).extension().is_some_and(|e| e == "tmp"))
        .collect();
    assert_eq!(names, [format!(".case.ron.{}.tmp", std::process::id())]);
}

/// A save keeps the case's permissions (it used to reset a 0600 case to 0644), and a new
/// case gets what the user's umask gives.
#[cfg(unix)]
#[test]
fn saving_keeps_the_case_files_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.ron");
    save_case(&path, &small_case("A")).expect("save");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    save_case(&path, &small_case("B")).expect("save");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&backup_path(&path)), 0o600);
}

// ---- 9. Terminal injection ----------------------------------------------------------------

const OSC52: &str = "\u{1b}]52;c;Y3VybCBldmlsIHwgc2g=\u{7}";
const CLEAR: &str = "\u{1b}[2J\u{1b}[H";
const BIDI: &str = "\u{202e}gnp.exe";

fn assert_terminal_safe(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| chokepoint::cli::term::is_unsafe(c))
        .collect();
    assert!(bad.is_empty(), "{what}: raw control characters {bad:?}");
    for line in text.lines() {
        assert!(
            line.chars().count() <= chokepoint::cli::term::MAX_LINE_CHARS + 40,
            "{what}: a line of {} characters",
            line.chars().count()
        );
    }
}

/// `findings` and `check` printed names, references and ids raw: a case from outside could
/// set the clipboard (OSC 52), clear the screen or reorder text, and a 1M-character id
/// printed a 1 MB line.
#[test]
fn hostile_text_in_a_case_never_reaches_the_terminal_raw() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut case = small_case(&format!("Case {CLEAR}"));
    for (id, name) in [
        ("e-osc", format!("Osc {OSC52} Trading")),
        ("e-clear", format!("Clear {CLEAR} Ltd")),
        ("e-bidi", format!("Bidi {BIDI} Co")),
    ] {
        let mut e = Entity::new(id, EntityKind::Company, &name);
        e.country = Some("SG".parse().expect("country"));
        case.entities.insert(e.id.clone(), e);
    }
    let mut s1 = chokepoint::model::Shipment {
        id: chokepoint::model::ShipmentId::from("s-1"),
        reference: format!("INV {OSC52}"),
        shipper: Some(chokepoint::model::EntityId::from("e-osc")),
        consignee: Some(chokepoint::model::EntityId::from("e-clear")),
        ..Default::default()
    };
    let place = |name: &str| chokepoint::model::Place {
        name: name.to_owned(),
        ..Default::default()
    };
    s1.legs.push(chokepoint::model::Leg {
        from: place(&format!("Port {OSC52}")),
        to: place("Shenzhen"),
        ..Default::default()
    });
    case.shipments.insert(s1.id.clone(), s1);
    let good = dir.path().join(format!("good{CLEAR}.ron"));
    save_case(&good, &case).expect("save");
    // A link to a 1M-character id: invalid, so `check` reports it.
    let huge_id = "e".repeat(1_000_000);
    let mut bad = case.clone();
    let l = Link::new("l-huge", LinkKind::Associate, "e-osc", huge_id.as_str());
    bad.links.insert(l.id.clone(), l);
    let bad_path = dir.path().join("bad.ron");
    std::fs::write(&bad_path, case_to_ron(&bad).expect("encode")).expect("write");

    let (_, out, err) = check(&[&good, &bad_path]);
    assert_terminal_safe("check", &format!("{out}{err}"));
    assert!(out.contains("\\u{1b}[2J"), "shown, escaped: {out}\n{err}");
    assert!(err.len() < 20_000, "check printed {} bytes", err.len());
    for args in [vec![s(&good)], vec![s(&good), "--json"]] {
        let (code, out, err) = run(chokepoint::cli::findings, &args);
        assert_eq!(code, 0, "{err}");
        assert_terminal_safe("findings", &format!("{out}{err}"));
        if args.len() == 2 {
            let v: serde_json::Value = serde_json::from_str(&out).expect("still JSON");
            assert!(v.get("findings").is_some());
        }
    }
    let (_, out, err) = run(chokepoint::cli::findings, &[s(&bad_path)]);
    assert_terminal_safe("findings on the invalid case", &format!("{out}{err}"));
    let (_, out, err) = run(
        chokepoint::cli::export,
        &[
            "--format",
            "graphml",
            s(&good),
            "-o",
            s(&dir.path().join(format!("o{OSC52}.graphml"))),
        ],
    );
    assert_terminal_safe("export", &format!("{out}{err}"));
}

// ---- 11. Exports cut short, evidence sizes ----------------------------------------------

/// A disk that fills up after `files_ok` whole files.
struct FillsUp {
    files_ok: std::cell::Cell<usize>,
}

impl io::Disk for FillsUp {
    fn write_synced(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let mut f = std::fs::File::create(path)?;
        if self.files_ok.get() == 0 {
            f.write_all(&bytes[..bytes.len() / 2])?;
            return Err(std::io::ErrorKind::StorageFull.into());
        }
        self.files_ok.set(self.files_ok.get() - 1);
        f.write_all(bytes)?;
        f.sync_all()
    }
}

/// The CSV export on a full disk left two of its three files (reported as written). Now it
/// writes all or none: the old files stay as they were, and no temporary is left.
#[test]
fn a_multi_file_export_writes_all_or_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths: Vec<PathBuf> = ["x_entities.csv", "x_links.csv", "x_shipments.csv"]
        .iter()
        .map(|n| dir.path().join(n))
        .collect();
    for p in &paths {
        std::fs::write(p, "old").expect("write");
    }
    let files: Vec<(&Path, &[u8])> = paths
        .iter()
        .map(|p| (p.as_path(), b"new".as_slice()))
        .collect();
    let disk = FillsUp {
        files_ok: std::cell::Cell::new(2),
    };
    let err = io::write_files_atomic_via(&disk, &files).expect_err("the disk is full");
    assert!(err.to_string().contains("full"), "{err}");
    for p in &paths {
        assert_eq!(std::fs::read(p).expect("read"), b"old", "{}", p.display());
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("list").count(),
        3,
        "no temporary left"
    );
    io::write_files_atomic_via(&io::RealDisk, &files).expect("a disk with room");
    for p in &paths {
        assert_eq!(std::fs::read(p).expect("read"), b"new");
    }
}

/// A 20 GiB sparse evidence file whose size already differed was hashed in full (19.5 s).
/// The size alone now says it changed; this 64 GiB one would take minutes to read.
#[test]
fn evidence_of_another_size_is_modified_without_reading_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("evidence")).expect("folder");
    let path = dir.path().join("evidence/video.mp4");
    let file = std::fs::File::create(&path).expect("create");
    if file.set_len(64 << 30).is_err() {
        eprintln!("skipped: the file system has no sparse files");
        return;
    }
    drop(file);
    let status = io::evidence::verify_file(dir.path(), "evidence/video.mp4", &"0".repeat(64), 5);
    assert_eq!(
        status,
        io::evidence::Integrity::Modified {
            sha256: None,
            size_bytes: 64 << 30
        }
    );
}

// ---- 1. Two windows on one case -----------------------------------------------------------

/// A second window on a case another window has open is told so and opens it read-only:
/// Save refuses to write over it, Save as… writes elsewhere (and that file is then its own).
#[test]
fn a_second_window_opens_the_case_read_only() {
    use chokepoint::ui::Startup;
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.ron");
    save_case(&path, &small_case("Shared")).expect("save");
    let original = std::fs::read(&path).expect("read");
    let open = |path: &Path| {
        let (case, stamp) = io::load_case_stamped(path).expect("loads");
        common::realtime_harness_with(Startup {
            path: Some(path.to_owned()),
            stamp,
            ..Startup::for_case(case)
        })
    };
    let mut first = open(&path);
    first.run();
    assert!(!first.state().is_read_only());
    let mut second = open(&path);
    second.run();
    assert!(second.state().is_read_only());
    assert!(second.query_by_label("Opened read-only").is_some());
    assert!(second.state().window_title().contains("(read-only)"));

    // An edit, then Save: refused, the file unchanged.
    let e = Entity::new("e-new", EntityKind::Person, "New Person");
    assert!(
        second
            .state_mut()
            .apply_edit("Add", chokepoint::edit::Edit::Insert(e.into()))
    );
    assert!(!second.state_mut().save());
    assert_eq!(std::fs::read(&path).expect("read"), original);
    second.run();
    assert!(second.query_by_label("Read-only: not saved").is_some());
    // A command-line save is refused too while a window has it open.
    let err = save_case(&path, &small_case("Overwritten")).expect_err("open in a window");
    assert!(
        err.to_string()
            .contains("open in another Chokepoint window"),
        "{err}"
    );

    // Save as… elsewhere works, and that file is then this window's.
    let other = dir.path().join("mine.ron");
    assert!(second.state_mut().save_to(&other));
    assert!(!second.state().is_read_only());
    assert!(
        load_case(&other)
            .expect("loads")
            .entities
            .contains_key(&e_new())
    );

    // Once the first window closes, the case can be opened for writing again.
    drop(first);
    let third = open(&path);
    assert!(!third.state().is_read_only());
}

fn e_new() -> chokepoint::model::EntityId {
    chokepoint::model::EntityId::from("e-new")
}

// ---- Soak: edit, save, reload, undo -------------------------------------------------------

/// Rounds of the soak test; see the README (Never losing work) for its time in CI.
const SOAK_ROUNDS: usize = 1_000;

/// 1 000 rounds of random edits (rename, add, remove, move, through the one edit path with
/// undo), undo, redo, save and reload on a 10 000-entity case, in one process: after every
/// save the file on disk loads and equals what was saved; every reload gives the last saved
/// state; a failed edit changes nothing. Saves and reloads are 1 round in 40 and 1 in 50: a
/// save and its check take about 4 s of a debug build at this size (0.4 s in release).
#[test]
fn soak_edit_save_reload_undo_on_a_large_case() {
    use chokepoint::edit::{Edit, History, Item};
    use chokepoint::io::generate::{Rng, generate_case};
    use chokepoint::model::{EntityId, ItemRef, NodePosition};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("soak.ron");
    let mut case = generate_case(10_000, 7).expect("generate");
    save_case(&path, &case).expect("first save");
    let mut saved = case.clone();
    let mut history = History::default();
    let mut rng = Rng::new(0x50AC);
    let (mut saves, mut reloads, mut failed, mut undone) = (0, 0, 0, 0);
    for round in 0..SOAK_ROUNDS {
        let pick = |rng: &mut Rng, case: &Case| -> EntityId {
            let n = rng.below(case.entities.len());
            case.entities.keys().nth(n).expect("an entity").clone()
        };
        let edit = match rng.below(200) {
            0..=59 => {
                let mut e = case.entities[&pick(&mut rng, &case)].clone();
                e.name = format!("Renamed {round}");
                Some(Edit::Replace(Item::from(e)))
            }
            60..=79 => {
                let id = case.fresh_entity_id(&format!("Soak {}", rng.below(20)));
                Some(Edit::Insert(
                    Entity::new(id, EntityKind::Person, "Soak").into(),
                ))
            }
            80..=94 => Some(Edit::remove_entity_cascade(&case, &pick(&mut rng, &case))),
            95..=109 => {
                let link = case.links.keys().nth(rng.below(case.links.len().max(1)));
                link.map(|l| Edit::Remove(ItemRef::Link(l.clone())))
            }
            110..=134 => Some(Edit::SetPositions(vec![(
                pick(&mut rng, &case),
                Some(NodePosition {
                    x: rng.below(1000) as f32,
                    y: rng.below(1000) as f32,
                    pinned: false,
                }),
            )])),
            135..=164 => {
                undone += usize::from(history.undo(&mut case).expect("undo").is_some());
                None
            }
            165..=190 => {
                history.redo(&mut case).expect("redo");
                None
            }
            191..=195 => {
                // Save, then the file must load as exactly what was saved.
                save_case(&path, &case).expect("save");
                saved = case.clone();
                saves += 1;
                assert_eq!(load_case(&path).expect("loads"), saved, "round {round}");
                None
            }
            _ => {
                assert_eq!(load_case(&path).expect("reloads"), saved, "round {round}");
                reloads += 1;
                None
            }
        };
        if let Some(edit) = edit {
            let revision = history.revision();
            // A full comparison costs a copy of the case: one edit in ten.
            let before = (rng.below(10) == 0).then(|| case.clone());
            if history.apply(&mut case, "soak", edit).is_err() {
                failed += 1;
                assert_eq!(history.revision(), revision, "round {round}");
                if let Some(before) = before {
                    assert_eq!(
                        case, before,
                        "round {round}: a failed edit changed the case"
                    );
                }
            }
        }
    }
    assert!(
        saves >= 15 && reloads >= 10,
        "{saves} saves, {reloads} reloads"
    );
    assert!(undone > 50, "{undone} undos");
    assert!(failed < SOAK_ROUNDS / 4, "{failed} failed edits");
    // The end state saved and loaded once more.
    save_case(&path, &case).expect("last save");
    assert_eq!(load_case(&path).expect("loads"), case);
}
