//! File-system events, turned into batches of paths to read again.
//!
//! Events are hints, never facts: a batch only says which paths to look at,
//! and the store reads what is there now. Events within `watch.debounce_ms`
//! of each other make one batch, so an editor's save (often a write, a
//! rename and an attribute change) is read once. A batch whose every path
//! has settled waits only 1 ms for more: a file closed after writing, or
//! renamed into place, is whole, so a save is served without the debounce
//! delay; an article removed or renamed away, or a write not yet closed,
//! waits for the quiet, in case the editor puts the file back. When the kernel's event
//! queue overflowed, or the watcher reports an error, the batch asks for a
//! full rescan instead. Without file-system events (a network file system,
//! `--poll`, or when the inotify watch limit is reached) a poller looks at
//! the folders instead and sends the paths that changed the same way
//! (`watch/poll.rs`).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

mod poll;

use poll::POLL_INTERVAL;

use crate::content::is_article_name;
use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use tokio::sync::mpsc::UnboundedSender;

/// What changed, as far as the events tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// These paths (files or folders, existing or not) may have changed.
    Paths {
        /// Every path named.
        paths: BTreeSet<PathBuf>,
        /// Those of `paths` known to be finished with: closed after
        /// writing (inotify(7) IN_CLOSE_WRITE) or renamed into place. The
        /// others may still be being written, or be gone; a poller cannot
        /// tell, and knows none.
        whole: BTreeSet<PathBuf>,
    },
    /// Events were lost: read everything again.
    Rescan,
}

/// A running watcher; dropping it stops the events.
pub struct Watcher {
    _inner: Box<dyn Send>,
    /// Whether it polls rather than receiving events.
    pub polling: bool,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("polling", &self.polling)
            .finish()
    }
}

impl Watcher {
    /// A watcher that watches nothing: what is left when watching failed,
    /// and changes are found by the periodic rescan only.
    pub fn inert() -> Watcher {
        Watcher {
            _inner: Box::new(()),
            polling: false,
        }
    }
}

/// A folder or file to watch, and whether to watch below it.
#[derive(Debug, Clone)]
pub struct Root {
    /// The folder (or file) to watch.
    pub path: PathBuf,
    /// Whether its subfolders are watched too.
    pub recursive: bool,
}

/// Watches `roots` and sends batches of changes to `changes`. When
/// polling (`poll`, or events are not available), the folders have been
/// looked at once when this returns. Fails only when no thread can start.
pub fn watch(
    roots: &[Root],
    debounce: Duration,
    poll: bool,
    changes: UnboundedSender<Change>,
) -> Result<Watcher, notify::Error> {
    if !poll {
        let (events, received) = mpsc::channel::<notify::Result<notify::Event>>();
        spawn_debouncer(received, debounce, changes.clone());
        // Our own reads are events too (inotify(7) reports every open): a
        // first scan of a million files makes a million of them. They are
        // dropped here, on the watcher's thread, rather than woken for.
        let send = move |event| {
            if !is_read(&event) {
                drop(events.send(event));
            }
        };
        match RecommendedWatcher::new(send, notify::Config::default())
            .and_then(|mut watcher| add_roots(&mut watcher, roots).map(|()| watcher))
        {
            Ok(watcher) => {
                return Ok(Watcher {
                    _inner: Box::new(watcher),
                    polling: false,
                });
            }
            Err(error) if matches!(error.kind, notify::ErrorKind::MaxFilesWatch) => {
                tracing::warn!(
                    "the inotify watch limit is reached; polling every {} ms instead. Raise fs.inotify.max_user_watches (sysctl fs.inotify.max_user_watches=524288) for immediate updates",
                    POLL_INTERVAL.as_millis()
                );
            }
            Err(error) => {
                tracing::warn!(%error, "file-system events are not available; polling instead");
            }
        }
    }
    let poller = poll::spawn(roots, changes).map_err(notify::Error::io)?;
    Ok(Watcher {
        _inner: Box::new(poller),
        polling: true,
    })
}

fn add_roots(watcher: &mut dyn notify::Watcher, roots: &[Root]) -> notify::Result<()> {
    for root in roots {
        let mode = if root.recursive {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        watcher.watch(&root.path, mode)?;
    }
    Ok(())
}

/// How long a batch whose paths have all settled waits for more events:
/// the steps of one save (a chmod after the close, the rename after a
/// temporary file is written, vim's removal of its backup) come within
/// microseconds of each other, and are read once.
const SETTLED: Duration = Duration::from_millis(1);

/// Gathers events into batches: a batch closes when no event has come for
/// `quiet` ([`SETTLED`] once every path it names has settled), or at the
/// latest `20 × quiet` after it opened, so a long burst of writes is still
/// published as it goes.
fn spawn_debouncer(
    events: mpsc::Receiver<notify::Result<notify::Event>>,
    quiet: Duration,
    changes: UnboundedSender<Change>,
) {
    thread::Builder::new()
        .name("watch".into())
        .spawn(move || {
            while let Ok(first) = events.recv() {
                let opened = Instant::now();
                let mut batch = Batch::default();
                batch.add(first);
                // Reads (ours included) open no batch and start no wait.
                if batch.is_empty() {
                    continue;
                }
                loop {
                    let left = (opened + quiet * 20).saturating_duration_since(Instant::now());
                    let wait = if batch.settled() {
                        quiet.min(SETTLED)
                    } else {
                        quiet
                    };
                    match events.recv_timeout(wait.min(left)) {
                        Ok(event) => batch.add(event),
                        Err(mpsc::RecvTimeoutError::Timeout) => break,
                        Err(mpsc::RecvTimeoutError::Disconnected) => {
                            for change in batch.into_changes() {
                                let _ = changes.send(change);
                            }
                            return;
                        }
                    }
                    if left.is_zero() {
                        break;
                    }
                }
                for change in batch.into_changes() {
                    if changes.send(change).is_err() {
                        return;
                    }
                }
            }
        })
        .map(drop)
        .unwrap_or_else(|error| tracing::error!(%error, "cannot start the watch thread"));
}

/// Whether `event` only says a file or folder was read (our own scans
/// included), which changes nothing; closing a file written to does.
fn is_read(event: &notify::Result<notify::Event>) -> bool {
    matches!(
        event,
        Ok(notify::Event { kind: EventKind::Access(access), .. })
            if *access != AccessKind::Close(AccessMode::Write)
    ) && !event.as_ref().is_ok_and(notify::Event::need_rescan)
}

#[derive(Default)]
struct Batch {
    paths: BTreeSet<PathBuf>,
    /// The paths whose last event leaves them unfinished: being written,
    /// or gone (an editor may be about to put them back).
    unsettled: BTreeSet<PathBuf>,
    /// The paths created within this batch: their going again (a
    /// temporary file renamed into place) leaves nothing unfinished.
    created: BTreeSet<PathBuf>,
    rescan: bool,
}

impl Batch {
    fn add(&mut self, event: notify::Result<notify::Event>) {
        match event {
            Ok(event) if event.need_rescan() => self.rescan = true,
            event if is_read(&event) => {}
            Ok(event) => {
                self.settle(event.kind, &event.paths);
                self.paths.extend(event.paths);
            }
            Err(error) => {
                tracing::warn!(%error, "file watching reported an error; rescanning");
                self.rescan = true;
            }
        }
    }

    /// Notes, for each of the `paths` of an event of `kind`, whether it is
    /// finished with (inotify(7): closed after writing, IN_CLOSE_WRITE, or
    /// renamed into place, IN_MOVED_TO) or not (being written, or gone).
    fn settle(&mut self, kind: EventKind, paths: &[PathBuf]) {
        for (i, path) in paths.iter().enumerate() {
            // Names editors leave behind are never read: they hold nothing up.
            if crate::leftovers::is_ignored_name(path) {
                self.unsettled.remove(path);
                continue;
            }
            // An article renamed away (vim's and emacs's `x.md~`, JetBrains'
            // `x.md___jb_old___`) or removed may be about to be put back:
            // it is finished only if it was created within the batch (a
            // temporary). Any other name going away takes no article with it.
            let gone = |path: &PathBuf| self.created.contains(path) || !is_article_name(path);
            let finished = match kind {
                EventKind::Access(_) | EventKind::Modify(ModifyKind::Name(RenameMode::To)) => true,
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => i > 0 || gone(path),
                EventKind::Modify(ModifyKind::Name(_)) | EventKind::Remove(_) => gone(path),
                // An attribute change alone is whole; after a write, the
                // write decides.
                EventKind::Modify(ModifyKind::Metadata(_)) => continue,
                EventKind::Create(_) => {
                    self.created.insert(path.clone());
                    false
                }
                _ => false,
            };
            if finished {
                self.unsettled.remove(path);
            } else {
                self.unsettled.insert(path.clone());
            }
        }
    }

    /// Whether the batch holds nothing to look at.
    fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }

    /// Whether every path the batch names is finished with, so that it can
    /// be read now rather than after the quiet.
    fn settled(&self) -> bool {
        !self.rescan && !self.paths.is_empty() && self.unsettled.is_empty()
    }

    /// The batch as changes: its paths, and a rescan if events were lost
    /// (the paths still count: the config file is not part of a rescan).
    fn into_changes(self) -> Vec<Change> {
        let mut changes = Vec::with_capacity(2);
        if !self.paths.is_empty() {
            let whole = self.paths.difference(&self.unsettled).cloned().collect();
            changes.push(Change::Paths {
                paths: self.paths,
                whole,
            });
        }
        if self.rescan {
            changes.push(Change::Rescan);
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use notify::event::{CreateKind, DataChange, MetadataKind, RemoveKind};

    use super::*;

    fn event(kind: EventKind, paths: &[&str]) -> notify::Result<notify::Event> {
        let mut event = notify::Event::new(kind);
        for path in paths {
            event = event.add_path(PathBuf::from(path));
        }
        Ok(event)
    }

    fn write() -> EventKind {
        EventKind::Modify(ModifyKind::Data(DataChange::Any))
    }
    fn closed() -> EventKind {
        EventKind::Access(AccessKind::Close(AccessMode::Write))
    }
    fn renamed(mode: RenameMode) -> EventKind {
        EventKind::Modify(ModifyKind::Name(mode))
    }

    /// Feeds `events` to a new batch, returning whether it was settled
    /// after each.
    fn settled_after(events: Vec<notify::Result<notify::Event>>) -> Vec<bool> {
        let mut batch = Batch::default();
        events
            .into_iter()
            .map(|e| {
                batch.add(e);
                batch.settled()
            })
            .collect()
    }

    #[test]
    fn a_save_in_place_settles_when_the_file_is_closed() {
        let a = "/c/a.md";
        assert_eq!(
            settled_after(vec![
                event(write(), &[a]),
                event(write(), &[a]),
                event(closed(), &[a]),
            ]),
            [false, false, true]
        );
    }

    #[test]
    fn a_temporary_renamed_into_place_settles_at_the_rename() {
        let (tmp, a) = ("/c/sedx1Y2", "/c/a.md");
        assert_eq!(
            settled_after(vec![
                event(EventKind::Create(CreateKind::File), &[tmp]),
                event(write(), &[tmp]),
                event(closed(), &[tmp]),
                event(renamed(RenameMode::From), &[tmp]),
                event(renamed(RenameMode::To), &[a]),
                event(renamed(RenameMode::Both), &[tmp, a]),
            ]),
            [false, false, true, true, true, true]
        );
        // The rename alone, in a batch of its own: a name that is no
        // article going away takes nothing with it.
        assert_eq!(
            settled_after(vec![
                event(renamed(RenameMode::From), &[tmp]),
                event(renamed(RenameMode::To), &[a]),
                event(renamed(RenameMode::Both), &[tmp, a]),
            ]),
            [true, true, true]
        );
    }

    #[test]
    fn a_jetbrains_safe_write_waits_until_the_article_is_back() {
        // The new text goes to a temporary, the article is renamed away,
        // the temporary is renamed into its place.
        let (tmp, a, old) = ("/c/a.md___jb_tmp___", "/c/a.md", "/c/a.md___jb_old___");
        assert_eq!(
            settled_after(vec![
                event(EventKind::Create(CreateKind::File), &[tmp]),
                event(closed(), &[tmp]),
                event(renamed(RenameMode::From), &[a]),
                event(renamed(RenameMode::To), &[old]),
                event(renamed(RenameMode::Both), &[a, old]),
                event(renamed(RenameMode::From), &[tmp]),
                event(renamed(RenameMode::To), &[a]),
                event(renamed(RenameMode::Both), &[tmp, a]),
                event(EventKind::Remove(RemoveKind::File), &[old]),
            ]),
            [false, true, false, false, false, false, true, true, true]
        );
    }

    #[test]
    fn an_article_renamed_waits_for_the_quiet() {
        let (a, b) = ("/c/a.md", "/c/b.md");
        assert_eq!(
            settled_after(vec![
                event(renamed(RenameMode::From), &[a]),
                event(renamed(RenameMode::To), &[b]),
                event(renamed(RenameMode::Both), &[a, b]),
            ]),
            [false, false, false]
        );
    }

    #[test]
    fn a_file_renamed_to_a_backup_waits_until_written_again() {
        // vim's and emacs's save: the file becomes `a.md~`, a new `a.md` is
        // written, closed, and its mode set.
        let (a, backup) = ("/c/a.md", "/c/a.md~");
        assert_eq!(
            settled_after(vec![
                event(renamed(RenameMode::From), &[a]),
                event(renamed(RenameMode::To), &[backup]),
                event(renamed(RenameMode::Both), &[a, backup]),
                event(EventKind::Create(CreateKind::File), &[a]),
                event(write(), &[a]),
                event(closed(), &[a]),
                event(
                    EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)),
                    &[a]
                ),
            ]),
            [false, false, false, false, false, true, true]
        );
    }

    #[test]
    fn a_removal_waits_for_the_quiet() {
        let a = "/c/a.md";
        assert_eq!(
            settled_after(vec![event(EventKind::Remove(RemoveKind::File), &[a])]),
            [false]
        );
        // Gone, then put back whole.
        assert_eq!(
            settled_after(vec![
                event(EventKind::Remove(RemoveKind::File), &[a]),
                event(EventKind::Create(CreateKind::File), &[a]),
                event(closed(), &[a]),
            ]),
            [false, false, true]
        );
    }

    #[test]
    fn one_unfinished_file_holds_the_batch() {
        let (a, b) = ("/c/a.md", "/c/b.md");
        assert_eq!(
            settled_after(vec![
                event(write(), &[a]),
                event(write(), &[b]),
                event(closed(), &[a]),
                event(closed(), &[b]),
            ]),
            [false, false, false, true]
        );
    }

    #[test]
    fn a_batch_says_which_files_were_finished_with() {
        let (a, b, gone) = ("/c/a.md", "/c/b.md", "/c/c.md");
        let mut batch = Batch::default();
        for e in [
            event(write(), &[a]),
            event(closed(), &[a]),
            event(write(), &[b]),
            event(EventKind::Remove(RemoveKind::File), &[gone]),
        ] {
            batch.add(e);
        }
        let set = |paths: &[&str]| paths.iter().map(PathBuf::from).collect();
        assert_eq!(
            batch.into_changes(),
            [Change::Paths {
                paths: set(&[a, b, gone]),
                whole: set(&[a]),
            }]
        );
    }

    #[test]
    fn leftovers_never_hold_a_batch_and_reads_are_no_change() {
        // A swap file being written is never waited for.
        assert_eq!(
            settled_after(vec![event(write(), &["/c/.a.md.swp"])]),
            [true]
        );
        // Opening a file (inotify(7) IN_OPEN, our own reads too) is no
        // change at all: the batch stays empty.
        let read = EventKind::Access(AccessKind::Open(AccessMode::Any));
        assert!(is_read(&event(read, &["/c/a.md"])));
        assert_eq!(settled_after(vec![event(read, &["/c/a.md"])]), [false]);
        // A lost event queue always waits for the quiet, then rescans.
        let mut batch = Batch::default();
        batch.add(event(closed(), &["/c/a.md"]));
        batch.add(Ok(
            notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan)
        ));
        assert!(!batch.settled());
    }
}
