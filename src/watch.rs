//! File-system events, turned into batches of paths to read again.
//!
//! Events are hints, never facts: a batch only says which paths to look at,
//! and the store reads what is there now. Events within `watch.debounce_ms`
//! of each other make one batch, so an editor's save (often a write, a
//! rename and an attribute change) is read once. When the kernel's event
//! queue overflowed, or the watcher reports an error, the batch asks for a
//! full rescan instead. Without file-system events (a network file system,
//! `--poll`, or when the inotify watch limit is reached) the daemon is
//! asked to poll instead, behind the same interface: it compares every
//! file's full metadata with what it read, so an edit saved within the
//! same second as the one before is seen (a poller comparing modification
//! times in whole seconds misses it).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use tokio::sync::mpsc::UnboundedSender;

/// What changed, as far as the events tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// These paths (files or folders, existing or not) may have changed.
    Paths(BTreeSet<PathBuf>),
    /// Events were lost: read everything again.
    Rescan,
    /// Polling, nothing is known to be lost: look at everything and read
    /// what changed.
    Poll(Polled),
}

/// Held while a poll is handled: the poller waits for it to be dropped
/// before it starts the next interval, so polling takes at most its share
/// of a core however large the site is.
#[derive(Debug, Clone)]
pub struct Polled(#[allow(dead_code)] mpsc::SyncSender<()>);

/// Every poll is the same request.
impl PartialEq for Polled {
    fn eq(&self, _: &Polled) -> bool {
        true
    }
}

impl Eq for Polled {}

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

/// A folder or file to watch, and whether to watch below it.
#[derive(Debug, Clone)]
pub struct Root {
    /// The folder (or file) to watch.
    pub path: PathBuf,
    /// Whether its subfolders are watched too.
    pub recursive: bool,
}

/// How often to look when polling.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Watches `roots` and sends batches of changes to `changes`.
pub fn watch(
    roots: &[Root],
    debounce: Duration,
    poll: bool,
    changes: UnboundedSender<Change>,
) -> Result<Watcher, notify::Error> {
    if !poll {
        let (events, received) = mpsc::channel::<notify::Result<notify::Event>>();
        spawn_debouncer(received, debounce, changes.clone());
        match RecommendedWatcher::new(move |e| drop(events.send(e)), notify::Config::default())
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
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::clone(&stop);
    thread::Builder::new()
        .name("poll".into())
        .spawn(move || {
            loop {
                thread::sleep(POLL_INTERVAL);
                let (handled, wait) = mpsc::sync_channel(0);
                if stopped.load(Ordering::Relaxed)
                    || changes.send(Change::Poll(Polled(handled))).is_err()
                {
                    return;
                }
                // Returns when the daemon drops the request.
                let _ = wait.recv();
            }
        })
        .map_err(notify::Error::io)?;
    Ok(Watcher {
        _inner: Box::new(Poller { stop }),
        polling: true,
    })
}

/// Stops its polling thread when dropped.
struct Poller {
    stop: Arc<AtomicBool>,
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
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

/// Gathers events into batches: a batch closes when no event has come for
/// `quiet`, or at the latest `20 × quiet` after it opened, so a long burst
/// of writes is still published as it goes.
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
                loop {
                    let left = (opened + quiet * 20).saturating_duration_since(Instant::now());
                    match events.recv_timeout(quiet.min(left)) {
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

#[derive(Default)]
struct Batch {
    paths: BTreeSet<PathBuf>,
    rescan: bool,
}

impl Batch {
    fn add(&mut self, event: notify::Result<notify::Event>) {
        match event {
            Ok(event) if event.need_rescan() => self.rescan = true,
            // Reading a file or folder (our own scans included) changes
            // nothing; closing a file written to does.
            Ok(notify::Event {
                kind: EventKind::Access(access),
                ..
            }) if access != AccessKind::Close(AccessMode::Write) => {}
            Ok(event) => self.paths.extend(event.paths),
            Err(error) => {
                tracing::warn!(%error, "file watching reported an error; rescanning");
                self.rescan = true;
            }
        }
    }

    /// The batch as changes: its paths, and a rescan if events were lost
    /// (the paths still count: the config file is not part of a rescan).
    fn into_changes(self) -> Vec<Change> {
        let mut changes = Vec::with_capacity(2);
        if !self.paths.is_empty() {
            changes.push(Change::Paths(self.paths));
        }
        if self.rescan {
            changes.push(Change::Rescan);
        }
        changes
    }
}
