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
    use crate::content::store::tests::{site, titles};

    const GOOD: &str = "---\ntitle: Good\ndate: 2024-06-28\n---\ntext\n";
    const HALF: &str = "---\ntitle: Ha";

    /// One article, `a.md`, written with `text`, in a tracked store.
    struct Site1 {
        _dir: tempfile::TempDir,
        a: PathBuf,
        site: Site,
        store: Store,
    }

    impl Site1 {
        fn with(text: &str) -> Site1 {
            let dir = tempfile::tempdir().unwrap();
            let a = dir.path().join("a.md");
            fs::write(&a, text).unwrap();
            let site = site();
            let store = Store::scan_tracked(&site, dir.path()).unwrap();
            Site1 {
                _dir: dir,
                a,
                site,
                store,
            }
        }

        /// Reads `a.md` again at `now`, as a file that may be `unfinished`.
        fn read(&mut self, unfinished: bool, now: Timestamp) -> bool {
            let named = BTreeSet::from([self.a.clone()]);
            let none = BTreeSet::new();
            let writing = Writing {
                unfinished: if unfinished { &named } else { &none },
                now,
            };
            let paths = std::slice::from_ref(&self.a);
            self.store.refresh_written(&self.site, paths, writing)
        }

        fn errors(&self) -> usize {
            let diagnostics = self.store.diagnostics();
            diagnostics.iter().filter(|d| d.is_error()).count()
        }
    }

    #[test]
    fn a_half_written_file_is_reported_only_once_quiet() {
        let mut one = Site1::with(GOOD);
        // Read mid-write: the error waits, the last good version stays.
        fs::write(&one.a, HALF).unwrap();
        let now = Timestamp::now();
        assert!(one.read(true, now));
        assert_eq!(one.errors(), 0);
        assert_eq!(titles(&one.store), ["Good"]);
        let due = one.store.next_release().expect("held");
        assert!(due > now && due <= now + QUIET, "{due} after {now}");
        assert!(!one.store.release_due(&one.site, now), "not due yet");

        // Quiet since: read again and reported.
        assert!(one.store.release_due(&one.site, due));
        assert_eq!(one.errors(), 1);
        assert_eq!(one.store.next_release(), None);
        assert_eq!(titles(&one.store), ["Good"], "still the last good version");
    }

    #[test]
    fn a_file_finished_or_quiet_is_reported_at_once() {
        let mut one = Site1::with(HALF);
        assert_eq!(one.errors(), 1, "a scan holds nothing back");
        // Closed after writing: not among the unfinished.
        one.read(false, Timestamp::now());
        assert_eq!((one.errors(), one.store.next_release()), (1, None));
        // Not known finished, but written more than a second ago.
        one.read(true, Timestamp::now() + QUIET * 2);
        assert_eq!((one.errors(), one.store.next_release()), (1, None));
    }

    #[test]
    fn a_file_finished_well_while_held_has_nothing_to_report() {
        let mut one = Site1::with(HALF);
        let now = Timestamp::now();
        one.read(true, now);
        assert_eq!(one.errors(), 0);

        fs::write(&one.a, GOOD).unwrap();
        one.read(true, now);
        assert_eq!((one.errors(), titles(&one.store)), (0, vec!["Good".into()]));
        assert_eq!(one.store.next_release(), None);
        assert!(!one.store.release_due(&one.site, now + QUIET * 2));
    }

    #[test]
    fn a_modification_time_in_the_future_holds_no_longer_than_a_second() {
        let mut one = Site1::with(HALF);
        let future = std::time::SystemTime::now() + Duration::from_secs(86_400);
        let file = fs::File::options().write(true).open(&one.a).unwrap();
        file.set_modified(future).unwrap();
        let now = Timestamp::now();
        one.read(true, now);
        assert_eq!(one.store.next_release(), Some(now + QUIET));
    }
}
