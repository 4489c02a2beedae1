//! What the daemon remembers across restarts: for every served document,
//! when its current bytes were first served ([`Dating`]), so that a restart
//! that publishes the same bytes gives the same `Last-Modified`, and new
//! bytes are dated after everything served before them.
//!
//! It lives in one small file, `last-modified`, in the state folder the
//! operator names (`--state`, `paths.state`, or systemd's `StateDirectory=`
//! through `$STATE_DIRECTORY`): one line per document, `NAME HASH LENGTH
//! LAST_MODIFIED FLOOR`, tab-separated, in name order. It is rewritten
//! atomically after a publication that changed a date, and a file that
//! cannot be read or parsed costs only the dates (a restart then dates every
//! document at its first publication, as without a state folder).
//!
//! The archive pages a change replaced are kept beside it
//! ([`ReplacedPages`], in `replaced-pages/`).

mod replaced;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::snapshot::{Dating, Snapshot};
use crate::write::write_atomically;
pub use replaced::ReplacedPages;

/// The file in the state folder.
const FILE: &str = "last-modified";

/// The datings of the documents last published, and where they are kept.
#[derive(Debug, Default)]
pub struct Remembered {
    file: Option<PathBuf>,
    datings: BTreeMap<String, Dating>,
    /// Whether `datings` are those of a publication of this run (after the
    /// first [`Remembered::keep_changes`]), not those read at start.
    current: bool,
}

impl Remembered {
    /// Reads what the state folder `dir` remembers; `None` remembers nothing
    /// and keeps nothing. Returns a problem to log, if the file exists and
    /// could not be read.
    pub fn open(dir: Option<&Path>) -> (Remembered, Option<String>) {
        let Some(dir) = dir else {
            return (Remembered::default(), None);
        };
        let file = dir.join(FILE);
        let (datings, problem) = match fs::read_to_string(&file) {
            Ok(text) => match parse(&text) {
                Ok(datings) => (datings, None),
                Err(line) => (
                    BTreeMap::new(),
                    Some(format!(
                        "{}:{line}: not a line this daemon wrote; starting without remembered dates",
                        file.display()
                    )),
                ),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (BTreeMap::new(), None),
            Err(e) => (
                BTreeMap::new(),
                Some(format!(
                    "{}: cannot read ({e}); starting without remembered dates",
                    file.display()
                )),
            ),
        };
        (
            Remembered {
                file: Some(file),
                datings,
                current: false,
            },
            problem,
        )
    }

    /// The dating remembered for the document `name`.
    pub fn get(&self, name: &str) -> Option<Dating> {
        self.datings.get(name).copied()
    }

    /// Remembers how `snapshot` dates its documents, given what changed
    /// since the snapshot remembered before: the documents whose bytes
    /// changed (`changed`) and those no longer served (`gone`). The first
    /// time, every document of `snapshot` replaces what was read at start.
    /// Writes the file if anything differs. Returns the error message of a
    /// failed write.
    pub fn keep_changes(
        &mut self,
        snapshot: &Snapshot,
        changed: &[String],
        gone: &[String],
    ) -> Result<(), String> {
        if !self.current {
            self.current = true;
            return self.keep(snapshot.datings());
        }
        let mut moved = false;
        for name in changed {
            if let Some(resource) = snapshot.get(name) {
                moved |=
                    self.datings.insert(name.clone(), resource.dating) != Some(resource.dating);
            }
        }
        for name in gone {
            moved |= self.datings.remove(name).is_some();
        }
        if moved { self.write() } else { Ok(()) }
    }

    /// Remembers `datings` (every document now published, by name) and
    /// writes them if they differ from what is kept. Returns the error
    /// message of a failed write.
    pub fn keep(&mut self, datings: BTreeMap<String, Dating>) -> Result<(), String> {
        if datings == self.datings {
            return Ok(());
        }
        self.datings = datings;
        self.write()
    }

    /// Writes what is remembered to the file, if there is one.
    fn write(&self) -> Result<(), String> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let write = || {
            if let Some(dir) = file.parent() {
                fs::create_dir_all(dir)?;
            }
            write_atomically(file, format(&self.datings).as_bytes())
        };
        write().map_err(|e| format!("{}: cannot write: {e}", file.display()))
    }
}

fn format(datings: &BTreeMap<String, Dating>) -> String {
    let mut text = String::new();
    for (name, d) in datings {
        let _ = writeln!(
            text,
            "{name}\t{:016x}\t{}\t{}\t{}",
            d.hash, d.len, d.last_modified, d.floor
        );
    }
    text
}

/// The datings in `text`, or the 1-based line that is not one.
fn parse(text: &str) -> Result<BTreeMap<String, Dating>, usize> {
    let mut datings = BTreeMap::new();
    for (n, line) in (1..).zip(text.lines()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [name, hash, len, last_modified, floor] = fields[..] else {
            return Err(n);
        };
        let dating = (|| {
            Some(Dating {
                hash: u64::from_str_radix(hash, 16).ok()?,
                len: len.parse().ok()?,
                last_modified: last_modified.parse().ok()?,
                floor: floor.parse().ok()?,
            })
        })()
        .ok_or(n)?;
        datings.insert(name.to_owned(), dating);
    }
    Ok(datings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dating(last_modified: i64) -> Dating {
        Dating {
            hash: 0xabc,
            len: 12,
            last_modified,
            floor: i64::MIN,
        }
    }

    #[test]
    fn what_is_kept_is_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let (mut state, problem) = Remembered::open(Some(dir.path()));
        assert_eq!(problem, None);
        let datings = BTreeMap::from([
            ("all.rss".to_owned(), dating(1_000)),
            ("index.html".to_owned(), dating(2_000)),
        ]);
        state.keep(datings.clone()).unwrap();
        let (again, problem) = Remembered::open(Some(dir.path()));
        assert_eq!(problem, None);
        assert_eq!(again.get("all.rss"), Some(dating(1_000)));
        assert_eq!(again.datings, datings);
    }

    #[test]
    fn a_damaged_file_costs_only_the_dates() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(FILE), "all.rss\tzz\n").unwrap();
        let (state, problem) = Remembered::open(Some(dir.path()));
        assert_eq!(state.get("all.rss"), None);
        assert!(problem.unwrap().ends_with(
            "last-modified:1: not a line this daemon wrote; starting without remembered dates"
        ));
    }
}
