//! Temporary files and folders beside a target (saves, exports, bundles, unbundling), named so
//! that no two writers ever share one and so that the leftovers of a killed process can be
//! recognised and removed.
//!
//! A temporary for `NAME` is `.NAME.<pid>-<host>-<n>-<random><suffix>`: the process id, a
//! hash of the host name, a counter within the process and a random number. It is created
//! new (never an existing file, so never written through someone else's link) and readable by
//! its owner only (0600, folders 0700): a decrypted bundle being unpacked, or a case being
//! saved, is not readable by other users while it is on the way, nor after a `kill -9` left
//! it behind. [`remove_stale`] deletes temporaries for `NAME` whose process no longer runs on
//! this host (and the older `.NAME.<pid>.tmp` and `.NAME.<pid>.<n>.unbundle.tmp` names).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Suffix of temporary files (saves, exports, bundles, the backup being staged).
pub const FILE_SUFFIX: &str = ".tmp";
/// Suffix of the temporary folder a bundle is unpacked into.
pub const UNBUNDLE_SUFFIX: &str = ".unbundle.tmp";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A short, stable hash of this machine's name, so temporaries made on another machine (a
/// shared folder) are never taken for dead ones of ours.
fn host_tag() -> u32 {
    static TAG: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *TAG.get_or_init(|| {
        // FNV-1a: the same name must give the same tag in every process.
        let mut hash: u32 = 0x811c_9dc5;
        for b in host_name().bytes() {
            hash ^= u32::from(b);
            hash = hash.wrapping_mul(0x0100_0193);
        }
        hash
    })
}

/// This machine's name, as well as it can be found without a system call.
pub fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            let name = text.trim();
            (!name.is_empty()).then(|| name.to_owned())
        })
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "unknown-host".to_owned())
}

fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.load(Ordering::Relaxed));
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(d.as_nanos());
    }
    hasher.finish()
}

/// A fresh temporary name for `base` in `dir` (not created).
pub fn temp_path(dir: &Path, base: &str, suffix: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(
        ".{base}.{}-{:08x}-{n}-{:016x}{suffix}",
        std::process::id(),
        host_tag(),
        random()
    ))
}

/// Creates a new temporary file for `base` in `dir`, owner-only, and opens it for writing.
pub fn create_file(dir: &Path, base: &str) -> io::Result<(PathBuf, File)> {
    let mut last = io::Error::from(io::ErrorKind::AlreadyExists);
    for _ in 0..16 {
        let path = temp_path(dir, base, FILE_SUFFIX);
        match owner_only_new_file(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// Creates `path`, which must not exist (not even as a link), readable by its owner only.
pub fn owner_only_new_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Creates a new temporary folder for `base` in `dir`, owner-only.
pub fn create_dir(dir: &Path, base: &str, suffix: &str) -> io::Result<PathBuf> {
    let mut last = io::Error::from(io::ErrorKind::AlreadyExists);
    for _ in 0..16 {
        let path = temp_path(dir, base, suffix);
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        match builder.create(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// The permissions a finished file should get before it is renamed over `target`: those of
/// the file it replaces, or for a new file what the user's umask gives any new file.
#[cfg(unix)]
pub fn finished_mode(target: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(target) {
        Ok(m) if m.is_file() => m.permissions().mode() & 0o7777,
        _ => 0o666 & !umask(),
    }
}

/// Gives the temporary `file` its finished permissions (see [`finished_mode`]).
pub fn finish_permissions(file: &Path, target: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(finished_mode(target)))
    }
    #[cfg(not(unix))]
    {
        let _ = (file, target);
        Ok(())
    }
}

/// The process's umask, read from `/proc` (there is no way to read it without changing it);
/// the usual 022 where that is not available.
#[cfg(unix)]
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

/// Whether process `pid` still runs on this machine. Without `/proc` nobody can tell, and a
/// temporary that might be in use is never removed.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

/// The owning process of a temporary named for `base`, when the name is one of ours and was
/// made on this host.
fn owner_pid(name: &str, base: &str) -> Option<u32> {
    let rest = name
        .strip_prefix('.')?
        .strip_prefix(base)?
        .strip_prefix('.')?;
    let stamp = rest
        .strip_suffix(UNBUNDLE_SUFFIX)
        .or_else(|| rest.strip_suffix(FILE_SUFFIX))?;
    let parts: Vec<&str> = stamp.split('-').collect();
    match parts.as_slice() {
        // Ours today: pid-host-n-random.
        [pid, host, n, random]
            if u32::from_str_radix(host, 16).ok() == Some(host_tag())
                && n.bytes().all(|b| b.is_ascii_digit())
                && random.len() == 16
                && random.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            pid.parse().ok()
        }
        // Older versions: `.NAME.pid.tmp` and `.NAME.pid.n.unbundle.tmp`.
        [old] => {
            let (pid, n) = old.split_once('.').unwrap_or((old, "0"));
            if n.bytes().all(|b| b.is_ascii_digit()) {
                pid.parse().ok()
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Removes the temporaries for `base` in `dir` that a process which no longer runs left
/// behind (killed while saving or unpacking). Best effort: what cannot be removed stays.
/// Returns how many were removed.
pub fn remove_stale(dir: &Path, base: &str) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let me = std::process::id();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let Some(pid) = owner_pid(name, base) else {
            continue;
        };
        if pid == me || process_alive(pid) {
            continue;
        }
        let path = entry.path();
        let gone = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(&path).is_ok(),
            Ok(_) => std::fs::remove_file(&path).is_ok(),
            Err(_) => false,
        };
        removed += usize::from(gone);
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let pid = child.id();
        child.wait().expect("wait");
        pid
    }

    #[test]
    fn names_are_unique_and_recognised() {
        let dir = Path::new("/x");
        let a = temp_path(dir, "case.ron", FILE_SUFFIX);
        let b = temp_path(dir, "case.ron", FILE_SUFFIX);
        assert_ne!(a, b);
        let name = a.file_name().and_then(|n| n.to_str()).expect("name");
        assert_eq!(owner_pid(name, "case.ron"), Some(std::process::id()));
        assert_eq!(owner_pid(name, "case"), None);
        assert_eq!(owner_pid(".case.ron.123.tmp", "case.ron"), Some(123));
        assert_eq!(owner_pid(".out.123.0.unbundle.tmp", "out"), Some(123));
        assert_eq!(owner_pid(".case.ron.recovery", "case.ron"), None);
        assert_eq!(owner_pid(".case.ron.notes.tmp", "case.ron"), None);
        let foreign = format!(".case.ron.55-{:08x}-0-{:016x}.tmp", host_tag() ^ 1, 7);
        assert_eq!(
            owner_pid(&foreign, "case.ron"),
            None,
            "made on another host"
        );
    }

    #[cfg(unix)]
    #[test]
    fn temporaries_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let (path, _file) = create_file(dir.path(), "a.ron").expect("file");
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let folder = create_dir(dir.path(), "out", UNBUNDLE_SUFFIX).expect("folder");
        let mode = std::fs::metadata(&folder)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn only_dead_processes_leftovers_are_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dead = dead_pid();
        let stale_file = dir.path().join(format!(
            ".case.ron.{dead}-{:08x}-3-{:016x}.tmp",
            host_tag(),
            42
        ));
        let stale_old = dir.path().join(format!(".case.ron.{dead}.tmp"));
        let stale_dir = dir.path().join(format!(".case.ron.{dead}.0.unbundle.tmp"));
        let live = temp_path(dir.path(), "case.ron", FILE_SUFFIX);
        let other = dir.path().join(format!(".other.ron.{dead}.tmp"));
        let user = dir.path().join("case.ron.tmp");
        for f in [&stale_file, &stale_old, &live, &other, &user] {
            std::fs::write(f, "x").expect("write");
        }
        std::fs::create_dir(&stale_dir).expect("dir");
        std::fs::write(stale_dir.join("case.ron"), "secret").expect("write");
        assert_eq!(remove_stale(dir.path(), "case.ron"), 3);
        assert!(!stale_file.exists() && !stale_old.exists() && !stale_dir.exists());
        assert!(live.exists(), "this process's own temporary stays");
        assert!(other.exists() && user.exists(), "other names stay");
    }
}
