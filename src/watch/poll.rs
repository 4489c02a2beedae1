//! Polling, for file systems without events (network file systems,
//! `--poll`, the inotify watch limit reached): every [`POLL_INTERVAL`]
//! the folders are listed again and each file's [`Fingerprint`] (size,
//! times in nanoseconds, inode) compared with the last look, so an edit
//! saved within the same second as the one before is seen (a poller
//! comparing modification times in whole seconds misses it). The paths
//! added, removed or changed go to the daemon as a [`Change::Paths`], as
//! the watcher's batches do: the daemon has one way to learn what changed.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ffi::OsStr;
use std::fs;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::io;
use std::ops::Range;
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use super::{Change, Root};
use crate::content::Fingerprint;
use crate::leftovers::is_ignored_name;

/// How long the poller rests after each look.
pub(super) const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Stops its polling thread when dropped.
pub(super) struct Poller {
    _stop: mpsc::Sender<()>,
}

/// Looks at every folder under `roots` once, before returning (so that
/// what changes from then on is reported), then again every
/// [`POLL_INTERVAL`] on a thread of its own, sending what changed to
/// `changes`. Fails only when the thread cannot start.
pub(super) fn spawn(roots: &[Root], changes: UnboundedSender<Change>) -> io::Result<Poller> {
    let roots = roots.to_vec();
    let (looked, first_look) = mpsc::channel::<()>();
    let (stop, stopped) = mpsc::channel::<()>();
    // The first look is taken on the polling thread too: each thread
    // allocates from an arena of its own, and a table built on one thread
    // and replaced on another would be held twice.
    thread::Builder::new().name("poll".into()).spawn(move || {
        let mut look = Look::first(&roots);
        let _ = looked.send(());
        while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(POLL_INTERVAL) {
            let paths = look.again();
            if !paths.is_empty()
                && changes
                    .send(Change::Paths {
                        paths,
                        whole: BTreeSet::new(),
                    })
                    .is_err()
            {
                return;
            }
        }
    })?;
    // Only a panic on the thread drops the sender unsent: polling then
    // stopped, and the periodic rescan is what is left.
    let _ = first_look.recv();
    Ok(Poller { _stop: stop })
}

/// Every folder under the roots, as the last look saw it.
pub(super) struct Look {
    roots: Vec<Root>,
    /// Ordered so that a folder's subfolders follow it (paths compare by
    /// component): an unreadable folder keeps them with a range.
    folders: BTreeMap<PathBuf, Folder>,
    /// Whether a look was taken: the first one compares with nothing, and
    /// reports nothing (at a million articles, a set of every path would
    /// take 100 MB for a moment).
    looked: bool,
}

/// The files of one folder as a look saw them: their names, sorted and
/// packed into one buffer, each ended by a NUL (which no file name holds),
/// and a hash of each one's fingerprint. The name's length and 9 bytes a
/// file (19 MB for a million articles named like `n000028.md`), where a
/// table of paths and fingerprints takes over 100.
#[derive(Default)]
struct Folder {
    names: Box<[u8]>,
    fingerprints: Box<[u64]>,
    /// It could not be listed; its files are as it last could be.
    unreadable: bool,
}

impl Folder {
    /// The folder as `listing` found it. When no file came or went, the
    /// names are kept and only the fingerprints written over: a look at a
    /// folder where nothing was added allocates nothing that lasts.
    fn update(mut self, listing: &Listing) -> Folder {
        self.unreadable = false;
        let same_names = self.fingerprints.len() == listing.files.len()
            && self
                .files()
                .zip(listing.files())
                .all(|((old, _), (new, _))| old == new);
        if same_names {
            for (slot, (_, fingerprint)) in self.fingerprints.iter_mut().zip(listing.files()) {
                *slot = fingerprint;
            }
            return self;
        }
        let mut names = Vec::with_capacity(listing.bytes.len() + listing.files.len());
        for (name, _) in listing.files() {
            names.extend_from_slice(name.as_bytes());
            names.push(0);
        }
        Folder {
            names: names.into(),
            fingerprints: listing.files().map(|(_, f)| f).collect(),
            unreadable: false,
        }
    }

    fn files(&self) -> impl Iterator<Item = (&OsStr, u64)> {
        self.names
            .split(|byte| *byte == 0)
            .map(OsStr::from_bytes)
            .zip(self.fingerprints.iter().copied())
    }
}

/// One folder's files as just listed: their names in one buffer (no
/// allocation per file), and for each, sorted by name, where its name lies
/// and its fingerprint's hash.
#[derive(Default)]
struct Listing {
    bytes: Vec<u8>,
    files: Vec<(Range<usize>, u64)>,
}

impl Listing {
    fn add(&mut self, name: &OsStr, fingerprint: u64) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(name.as_bytes());
        self.files.push((start..self.bytes.len(), fingerprint));
    }

    fn sort(&mut self) {
        let bytes = &self.bytes;
        self.files
            .sort_unstable_by(|(a, _), (b, _)| bytes[a.clone()].cmp(&bytes[b.clone()]));
    }

    fn files(&self) -> impl Iterator<Item = (&OsStr, u64)> {
        self.files
            .iter()
            .map(|(name, f)| (OsStr::from_bytes(&self.bytes[name.clone()]), *f))
    }
}

impl Look {
    /// The first look at `roots`: it reports nothing.
    pub(super) fn first(roots: &[Root]) -> Look {
        let mut look = Look {
            roots: roots.to_vec(),
            folders: BTreeMap::new(),
            looked: false,
        };
        look.again();
        look
    }

    /// Looks again. Returns the paths of the files added, removed or
    /// changed since the last look, and of the folders that appeared,
    /// went, or could or could no longer be listed.
    pub(super) fn again(&mut self) -> BTreeSet<PathBuf> {
        let mut before = std::mem::take(&mut self.folders);
        let mut changed = BTreeSet::new();
        // Folders by device and inode: a linked folder is listed once,
        // and a link to a folder above it is no endless walk.
        let mut listed = HashSet::new();
        let mut pending: Vec<(PathBuf, bool)> = self
            .roots
            .iter()
            .rev()
            .map(|root| (root.path.clone(), root.recursive))
            .collect();
        while let Some((folder, recursive)) = pending.pop() {
            let Ok(meta) = fs::metadata(&folder) else {
                continue;
            };
            if !meta.is_dir() || !listed.insert((meta.dev(), meta.ino())) {
                continue;
            }
            let old = before.remove(&folder);
            match list(&folder, recursive, &mut pending) {
                Ok(listing) if self.looked => {
                    let old = old.unwrap_or_else(|| {
                        changed.insert(folder.clone());
                        Folder::default()
                    });
                    if old.unreadable {
                        changed.insert(folder.clone());
                    }
                    compare(&folder, &old, &listing, &mut changed);
                    self.folders.insert(folder, old.update(&listing));
                }
                Ok(listing) => {
                    let first = Folder::default().update(&listing);
                    self.folders.insert(folder, first);
                }
                Err(_) => {
                    self.keep_unreadable(folder, old, &mut before, &mut changed);
                }
            }
        }
        for (folder, gone) in before {
            changed.extend(gone.files().map(|(name, _)| folder.join(name)));
            changed.insert(folder);
        }
        self.looked = true;
        changed
    }

    /// Keeps a folder that could not be listed, and the folders below it,
    /// as they were: what cannot be seen is not taken as gone. The folder
    /// is reported when it first cannot be listed (the store then says why).
    fn keep_unreadable(
        &mut self,
        folder: PathBuf,
        old: Option<Folder>,
        before: &mut BTreeMap<PathBuf, Folder>,
        changed: &mut BTreeSet<PathBuf>,
    ) {
        let mut kept = old.unwrap_or_default();
        if !kept.unreadable {
            changed.insert(folder.clone());
        }
        kept.unreadable = true;
        let below: Vec<PathBuf> = before
            .range(folder.clone()..)
            .map(|(path, _)| path)
            .take_while(|path| path.starts_with(&folder))
            .cloned()
            .collect();
        for path in below {
            if let Some(inner) = before.remove(&path) {
                self.folders.insert(path, inner);
            }
        }
        self.folders.insert(folder, kept);
    }
}

/// The files of `folder`, sorted by name, each with a hash of its
/// fingerprint; its subfolders are pushed onto `pending` when `recursive`
/// (not those an editor or tool leaves behind, such as `.git`, whose files
/// are not read either).
fn list(folder: &Path, recursive: bool, pending: &mut Vec<(PathBuf, bool)>) -> io::Result<Listing> {
    let mut listing = Listing::default();
    for entry in fs::read_dir(folder)? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name();
        if recursive && is_ignored_name(Path::new(&name)) {
            continue;
        }
        let Ok(own) = entry.metadata() else { continue };
        if own.is_dir() {
            if recursive {
                pending.push((entry.path(), true));
            }
            continue;
        }
        let mut hash = DefaultHasher::new();
        Fingerprint::of(&own).hash(&mut hash);
        // A link is seen as itself (pointed elsewhere) and as what it
        // points to (a file written, or a folder to look in).
        if own.is_symlink() {
            match fs::metadata(entry.path()) {
                Ok(target) if target.is_dir() && recursive => pending.push((entry.path(), true)),
                Ok(target) => Fingerprint::of(&target).hash(&mut hash),
                Err(_) => {}
            }
        }
        listing.add(&name, hash.finish());
    }
    listing.sort();
    Ok(listing)
}

/// Adds to `changed` the paths of the files of `folder` that are in only
/// one of `before` and `now`, or in both with different fingerprints. Both
/// are sorted by name.
fn compare(folder: &Path, before: &Folder, now: &Listing, changed: &mut BTreeSet<PathBuf>) {
    let mut old = before.files().peekable();
    let mut new = now.files().peekable();
    loop {
        let (name, differs) = match (old.peek(), new.peek()) {
            (None, None) => return,
            (Some(&(o, of)), Some(&(n, nf))) => match o.cmp(n) {
                std::cmp::Ordering::Less => (old.next().map(|(o, _)| o), true),
                std::cmp::Ordering::Greater => (new.next().map(|(n, _)| n), true),
                std::cmp::Ordering::Equal => {
                    old.next();
                    (new.next().map(|(n, _)| n), of != nf)
                }
            },
            (Some(_), None) => (old.next().map(|(o, _)| o), true),
            (None, Some(_)) => (new.next().map(|(n, _)| n), true),
        };
        if let (Some(name), true) = (name, differs) {
            changed.insert(folder.join(name));
        }
    }
}

#[cfg(test)]
mod tests;
