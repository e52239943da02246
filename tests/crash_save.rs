//! Crash-safe saving, proven: a child process saves a large case over and over and is killed at
//! random moments; after every kill the case file on disk must be exactly the complete old
//! version or the complete new one, and the backup must be a complete version too.

use chokepoint::io::generate::{Rng, generate_case};
use chokepoint::io::{backup_path, case_to_ron, parse_case, write_atomic};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_ENV: &str = "CHOKEPOINT_CRASH_SAVE_CHILD";
const TRIALS: usize = 200;

/// In the child: save version A and version B alternately until killed (or 10 s pass).
#[test]
fn crash_save_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return; // Only does work when started by the harness below.
    };
    let dir = PathBuf::from(dir);
    let a = std::fs::read(dir.join("a.txt")).expect("version a");
    let b = std::fs::read(dir.join("b.txt")).expect("version b");
    let target = dir.join("case.ron");
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        for version in [&a, &b] {
            write_atomic(&target, version).expect("save");
        }
    }
}

fn is_complete_version(path: &Path, versions: &[&[u8]]) -> bool {
    std::fs::read(path).is_ok_and(|bytes| versions.contains(&bytes.as_slice()))
}

#[test]
fn killing_a_save_at_random_moments_never_corrupts_the_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = case_to_ron(&generate_case(4000, 1).expect("case a")).expect("encode a");
    let b = case_to_ron(&generate_case(4000, 2).expect("case b")).expect("encode b");
    assert_ne!(a, b);
    std::fs::write(dir.path().join("a.txt"), &a).expect("write a");
    std::fs::write(dir.path().join("b.txt"), &b).expect("write b");
    let target = dir.path().join("case.ron");
    write_atomic(&target, a.as_bytes()).expect("initial save");
    let versions: [&[u8]; 2] = [a.as_bytes(), b.as_bytes()];

    let exe = std::env::current_exe().expect("test binary");
    let mut rng = Rng::new(0x5EED);
    let mut killed_while_running = 0;
    for trial in 0..TRIALS {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_save_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        std::thread::sleep(Duration::from_micros(2_000 + rng.below(60_000) as u64));
        if child.try_wait().expect("poll").is_none() {
            killed_while_running += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            is_complete_version(&target, &versions),
            "trial {trial}: the case file is not a complete version"
        );
        let backup = backup_path(&target);
        assert!(
            !backup.exists() || is_complete_version(&backup, &versions),
            "trial {trial}: the backup is not a complete version"
        );
    }
    assert!(
        killed_while_running > TRIALS / 2,
        "most kills must land while the child is saving ({killed_while_running} of {TRIALS})"
    );
    // And the survivor parses as a case.
    let text = std::fs::read_to_string(&target).expect("read");
    parse_case(&text).expect("the surviving file is a valid case");
}
