//! Who may write a case file: an advisory lock on a small lock file beside it,
//! `.NAME.lock`.
//!
//! - A Chokepoint window holds the lock for as long as it has the case open ([`CaseLock::
//!   open_session`]); a second window on the same case is told who holds it and opens the case
//!   read-only.
//! - Every save of a case takes the lock for the moment it writes, unless its own window
//!   already holds it; a save that finds the case open in another window is refused, and one
//!   that finds another save under way waits for it. So two saves never interleave their
//!   backup and rename.
//!
//! The lock is the operating system's (`flock` on Unix, `LockFileEx` on Windows, through
//! `std::fs::File::lock`): it is released when its process ends, however it ends, so a crash
//! never leaves a case locked (a lock *file* holding a pid would have to be guessed stale).
//! The file holds who has it, for the message others show, and is removed when the lock is
//! let go (on Unix; a lock taken on a file that was removed meanwhile is taken again on the
//! new one). The lock is a separate file because a save renames a new file over the case: a
//! lock on the case file itself would be left on the old, replaced file.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Longest a save waits for another save of the same case to finish.
pub const SAVE_WAIT: Duration = Duration::from_secs(30);

/// The lock file of the case at `case_path`.
pub fn lock_path(case_path: &Path) -> PathBuf {
    let name = case_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    case_path.with_file_name(format!(".{name}.lock"))
}

/// What holds a lock: a window with the case open, or a save in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Open,
    Save,
}

impl Role {
    fn word(self) -> &'static str {
        match self {
            Role::Open => "open",
            Role::Save => "save",
        }
    }
}

/// A held lock on a case file; released when dropped.
#[derive(Debug)]
pub struct CaseLock {
    /// Held open: closing it releases the lock.
    file: File,
    case_path: PathBuf,
}

/// Why a lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another window has the case open; `owner` says which, in words.
    Held { owner: String },
    /// The lock file could not be made or locked (a read-only folder, a file system without
    /// locks): the caller decides whether to go on without it.
    Unavailable(io::Error),
}

impl CaseLock {
    /// Takes the lock for a window that opens the case, without waiting.
    pub fn open_session(case_path: &Path) -> Result<CaseLock, LockError> {
        loop {
            let file = open_lock_file(case_path).map_err(LockError::Unavailable)?;
            match file.try_lock() {
                Ok(()) if still_in_place(&file, case_path) => {
                    return Ok(Self::claimed(file, case_path, Role::Open));
                }
                // Its holder removed it as we opened it: take the new one.
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    return Err(LockError::Held {
                        owner: describe_owner(case_path),
                    });
                }
                Err(TryLockError::Error(e)) => return Err(LockError::Unavailable(e)),
            }
        }
    }

    /// Takes the lock for one save: waits (up to `wait`) while another save holds it, and
    /// gives up at once when a window has the case open.
    pub fn for_save(case_path: &Path, wait: Duration) -> Result<CaseLock, LockError> {
        let start = Instant::now();
        let mut pause = Duration::from_micros(200);
        loop {
            let file = open_lock_file(case_path).map_err(LockError::Unavailable)?;
            match file.try_lock() {
                Ok(()) if still_in_place(&file, case_path) => {
                    return Ok(Self::claimed(file, case_path, Role::Save));
                }
                // Its holder removed it as we opened it: try the new one.
                Ok(()) => continue,
                Err(TryLockError::Error(e)) => return Err(LockError::Unavailable(e)),
                Err(TryLockError::WouldBlock) => {}
            }
            // A window holds it: no use waiting. (Read twice over a moment: a save that has
            // just taken the lock has not yet replaced what the last holder wrote.)
            let (role, _) = read_owner(case_path);
            let window = role == Some(Role::Open) && start.elapsed() >= Duration::from_millis(100);
            if window || start.elapsed() >= wait {
                return Err(LockError::Held {
                    owner: describe_owner(case_path),
                });
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(5));
        }
    }

    /// Whether this lock is the one of the case at `case_path`.
    pub fn covers(&self, case_path: &Path) -> bool {
        self.case_path == case_path || super::input::same_file(&self.case_path, case_path)
    }

    pub fn case_path(&self) -> &Path {
        &self.case_path
    }

    fn claimed(mut file: File, case_path: &Path, role: Role) -> CaseLock {
        // Who holds it, for the message another process shows. Best effort: the lock works
        // without it.
        let note = format!(
            "pid={}\nhost={}\nrole={}\n",
            std::process::id(),
            super::temp::host_name(),
            role.word()
        );
        let _ = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(note.as_bytes()));
        CaseLock {
            file,
            case_path: case_path.to_owned(),
        }
    }
}

impl Drop for CaseLock {
    fn drop(&mut self) {
        // Removed while still held, so nobody can take it in between; whoever waits on the
        // removed file sees that it is gone and takes a new one. The operating system releases
        // the lock itself when the file is closed.
        let _ = self.file.set_len(0);
        #[cfg(unix)]
        let _ = std::fs::remove_file(lock_path(&self.case_path));
    }
}

/// Whether the locked `file` is still the one at the lock path (not removed by the holder it
/// waited for).
fn still_in_place(file: &File, case_path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (
            file.metadata(),
            std::fs::symlink_metadata(lock_path(case_path)),
        ) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, case_path);
        true
    }
}

/// Opens (creating if needed) the lock file, never following a link planted in its place.
fn open_lock_file(case_path: &Path) -> io::Result<File> {
    let path = lock_path(case_path);
    if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a regular file", path.display()),
        ));
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// The role and the words naming the holder, as its lock file says.
fn read_owner(case_path: &Path) -> (Option<Role>, String) {
    let mut text = String::new();
    let read =
        File::open(lock_path(case_path)).and_then(|f| f.take(4096).read_to_string(&mut text));
    if read.is_err() {
        return (None, "another Chokepoint".to_owned());
    }
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .map(|v| {
                v.chars()
                    .filter(|c| !c.is_control())
                    .take(100)
                    .collect::<String>()
            })
    };
    let role = match field("role").as_deref() {
        Some("open") => Some(Role::Open),
        Some("save") => Some(Role::Save),
        _ => None,
    };
    let who = match (field("pid"), field("host")) {
        (Some(pid), Some(host)) => format!("Chokepoint process {pid} on {host}"),
        _ => "another Chokepoint".to_owned(),
    };
    (role, who)
}

fn describe_owner(case_path: &Path) -> String {
    match read_owner(case_path) {
        (Some(Role::Save), who) => format!("{who}, saving it"),
        (_, who) => who,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_session_is_told_who_holds_the_case() {
        let dir = tempfile::tempdir().expect("tempdir");
        let case = dir.path().join("case.ron");
        let first = CaseLock::open_session(&case).expect("first");
        assert!(first.covers(&case));
        match CaseLock::open_session(&case) {
            Err(LockError::Held { owner }) => {
                assert!(
                    owner.contains(&format!("process {}", std::process::id())),
                    "{owner}"
                );
            }
            other => panic!("expected held, got {other:?}"),
        }
        // A save does not wait for a window: it is refused at once.
        let start = Instant::now();
        assert!(matches!(
            CaseLock::for_save(&case, SAVE_WAIT),
            Err(LockError::Held { .. })
        ));
        assert!(start.elapsed() < SAVE_WAIT);
        drop(first);
        let again = CaseLock::open_session(&case).expect("free after the first closed");
        drop(again);
        let save = CaseLock::for_save(&case, SAVE_WAIT).expect("save");
        assert!(lock_path(&case).exists());
        drop(save);
        assert!(
            !lock_path(&case).exists(),
            "nothing is left beside the case"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_is_not_followed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let case = dir.path().join("case.ron");
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "keep me").expect("write");
        std::os::unix::fs::symlink(&victim, lock_path(&case)).expect("symlink");
        assert!(matches!(
            CaseLock::open_session(&case),
            Err(LockError::Unavailable(_))
        ));
        assert_eq!(std::fs::read_to_string(&victim).expect("read"), "keep me");
    }
}
