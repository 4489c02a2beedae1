//! Errors held back while a file is being written.
//!
//! A writer that pauses mid-save (a slow disk, a large file, a program that
//! writes in pieces) leaves a half file for a moment, and a half file often
//! fails to parse: its front matter never closed, its YAML cut in a string.
//! Reporting that would be a false alarm. So an error found in a file that
//! was modified less than [`QUIET`] ago, and that events do not show
//! finished (closed after writing, or renamed into place), is held back
//! until the file has been quiet for [`QUIET`]; the file is then read again,
//! and only what is still wrong is reported. A good version is published at
//! once, whatever the file's age: only errors wait. The last good version of
//! a held article is served meanwhile, as for any error.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::store::{Entry, Store};
use crate::config::Site;

/// How long a file must have been left alone before an error in it is
/// reported, unless it is known to be finished.
pub const QUIET: Duration = Duration::from_secs(1);

/// How the files a refresh reads were written, as far as anyone knows.
#[derive(Debug, Clone, Copy)]
pub struct Writing<'a> {
    /// The files that may still be being written: named by an event that
    /// was not a close after writing or a rename into place, or by a poller
    /// (which cannot tell).
    pub unfinished: &'a BTreeSet<PathBuf>,
    /// The time of the reading.
    pub now: Timestamp,
}

impl Writing<'_> {
    /// Until when the error of `entry`, just read from `path`, is held
    /// back: never when it has none, when the file is known finished, or
    /// when it has been quiet for [`QUIET`]. A modification time in the
    /// future (a clock set wrong) holds it for [`QUIET`] at most.
    fn hold_until(&self, path: &Path, entry: &Entry) -> Option<Timestamp> {
        if entry.error.is_none() || !self.unfinished.contains(path) {
            return None;
        }
        let quiet = SignedDuration::try_from(QUIET).ok()?;
        let modified =
            Timestamp::from_nanosecond(entry.fingerprint?.modified_nanos().into()).ok()?;
        let until = modified.checked_add(quiet).ok()?;
        let latest = self.now.checked_add(quiet).ok()?;
        (until > self.now).then_some(until.min(latest))
    }
}

impl Store {
    /// Holds back the error just read into the entry at `rel` (from
    /// `path`) as `writing` says, or reports it. Returns whether what
    /// [`Store::diagnostics`] gives changed.
    pub(super) fn hold(&mut self, rel: &str, path: &Path, writing: Writing<'_>) -> bool {
        let until = self
            .entries
            .get(rel)
            .and_then(|entry| writing.hold_until(path, entry));
        match until {
            Some(until) => {
                let name = self.name(rel);
                self.held.insert(name, until).is_none()
            }
            None => self.held.remove(rel).is_some(),
        }
    }

    /// Whether the error of the entry at `rel` is held back now.
    pub(super) fn is_held(&self, rel: &str) -> bool {
        self.held.contains_key(rel)
    }

    /// When the first held-back error is due to be looked at again.
    pub fn next_release(&self) -> Option<Timestamp> {
        self.held.values().min().copied()
    }

    /// Reports the errors held back until `now` or before, reading their
    /// files again first: one written again meanwhile is held anew, one
    /// fixed meanwhile is gone. Returns whether any was due.
    pub fn release_due(&mut self, site: &Site, now: Timestamp) -> bool {
        let due: BTreeSet<PathBuf> = self
            .held
            .iter()
            .filter(|(_, until)| **until <= now)
            .map(|(rel, _)| self.content_dir.join(&**rel))
            .collect();
        if due.is_empty() {
            return false;
        }
        // Released before the reading, whatever it finds: a file that is
        // no longer an article (a folder now, or unreadable) is never held
        // again, and never looked at again for its hold.
        self.held.retain(|_, until| *until > now);
        let paths: Vec<PathBuf> = due.iter().cloned().collect();
        let writing = Writing {
            unfinished: &due,
            now,
        };
        self.refresh_written(site, &paths, writing);
        true
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::config::Config;

    fn site() -> Site {
        let config = "[site]\ntitle = \"T\"\nbase_url = \"https://news.example/\"\n";
        Config::parse(Path::new("syndicated.toml"), config)
            .unwrap()
            .site
    }

    const GOOD: &str = "---\ntitle: Good\ndate: 2024-06-28\n---\ntext\n";
    const HALF: &str = "---\ntitle: Ha";

    fn errors(store: &Store) -> usize {
        store.diagnostics().iter().filter(|d| d.is_error()).count()
    }

    fn titles(store: &Store) -> Vec<String> {
        store
            .articles()
            .iter()
            .map(|a| a.title.to_string())
            .collect()
    }

    #[test]
    fn a_half_written_file_is_reported_only_once_quiet() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        fs::write(&a, GOOD).unwrap();
        let site = site();
        let mut store = Store::scan_tracked(&site, dir.path()).unwrap();
        let unfinished = BTreeSet::from([a.clone()]);
        let paths = [a.clone()];

        // Read mid-write: the error waits, the last good version stays.
        fs::write(&a, HALF).unwrap();
        let now = Timestamp::now();
        let writing = Writing {
            unfinished: &unfinished,
            now,
        };
        assert!(store.refresh_written(&site, &paths, writing));
        assert_eq!(errors(&store), 0);
        assert_eq!(titles(&store), ["Good"]);
        let due = store.next_release().expect("held");
        assert!(due > now && due <= now + QUIET, "{due} after {now}");
        assert!(!store.release_due(&site, now), "not due yet");

        // Quiet since: read again and reported.
        assert!(store.release_due(&site, due));
        assert_eq!(errors(&store), 1);
        assert_eq!(store.next_release(), None);
        assert_eq!(titles(&store), ["Good"], "still the last good version");
    }

    #[test]
    fn a_file_finished_or_quiet_is_reported_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        fs::write(&a, HALF).unwrap();
        let site = site();
        let mut store = Store::scan_tracked(&site, dir.path()).unwrap();
        assert_eq!(errors(&store), 1, "a scan holds nothing back");

        // Closed after writing: not among the unfinished.
        let none = BTreeSet::new();
        let finished = Writing {
            unfinished: &none,
            now: Timestamp::now(),
        };
        store.refresh_written(&site, std::slice::from_ref(&a), finished);
        assert_eq!((errors(&store), store.next_release()), (1, None));

        // Not known finished, but written more than a second ago.
        let unfinished = BTreeSet::from([a.clone()]);
        let later = Writing {
            unfinished: &unfinished,
            now: Timestamp::now() + QUIET * 2,
        };
        store.refresh_written(&site, std::slice::from_ref(&a), later);
        assert_eq!((errors(&store), store.next_release()), (1, None));
    }

    #[test]
    fn a_file_finished_well_while_held_has_nothing_to_report() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        fs::write(&a, HALF).unwrap();
        let site = site();
        let mut store = Store::scan_tracked(&site, dir.path()).unwrap();
        let unfinished = BTreeSet::from([a.clone()]);
        let now = Timestamp::now();
        let writing = Writing {
            unfinished: &unfinished,
            now,
        };
        store.refresh_written(&site, std::slice::from_ref(&a), writing);
        assert_eq!(errors(&store), 0);

        fs::write(&a, GOOD).unwrap();
        store.refresh_written(&site, std::slice::from_ref(&a), writing);
        assert_eq!((errors(&store), titles(&store)), (0, vec!["Good".into()]));
        assert_eq!(store.next_release(), None);
        assert!(!store.release_due(&site, now + QUIET * 2));
    }

    #[test]
    fn a_modification_time_in_the_future_holds_no_longer_than_a_second() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        fs::write(&a, HALF).unwrap();
        let future = std::time::SystemTime::now() + Duration::from_secs(86_400);
        let file = fs::File::options().write(true).open(&a).unwrap();
        file.set_modified(future).unwrap();
        let site = site();
        let mut store = Store::scan_tracked(&site, dir.path()).unwrap();
        let unfinished = BTreeSet::from([a.clone()]);
        let now = Timestamp::now();
        let writing = Writing {
            unfinished: &unfinished,
            now,
        };
        store.refresh_written(&site, std::slice::from_ref(&a), writing);
        assert_eq!(store.next_release(), Some(now + QUIET));
    }
}
