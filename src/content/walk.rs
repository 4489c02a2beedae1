//! Walking the content folder: the first scan, rescans, and the folders
//! and files that events name. Each file is read by `read.rs`; what it gave
//! goes into the store's entries.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::Source;
use super::hold::Writing;
use super::read::{
    Depth, Fingerprint, Folder, NOT_FOLLOWED, cannot_read, is_article_name, read_source,
};
use super::store::{Entry, Store};
use crate::config::Site;
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;
use crate::leftovers::is_ignored_name;

/// What walking the folder found at one path.
pub(super) enum Found {
    /// Read now.
    Read(Arc<str>, Box<Entry>),
    /// The same version as before: not read again.
    Same(Arc<str>),
}

impl Store {
    /// Reads every article under `content_dir`.
    pub fn scan(site: &Site, content_dir: &Path, depth: Depth) -> Result<Store, Diagnostic> {
        Store::open(site, content_dir, depth, false)
    }

    /// Reads every article under `content_dir`, keeping the fingerprint of
    /// each file so that later rescans read only what changed.
    pub fn scan_tracked(site: &Site, content_dir: &Path) -> Result<Store, Diagnostic> {
        Store::open(site, content_dir, Depth::Head, true)
    }

    fn open(
        site: &Site,
        content_dir: &Path,
        depth: Depth,
        track: bool,
    ) -> Result<Store, Diagnostic> {
        let meta = fs::metadata(content_dir).map_err(|e| {
            Diagnostic::error(
                content_dir,
                None,
                Message::new("content-folder-unreadable").arg("detail", e.to_string()),
            )
        })?;
        if !meta.is_dir() {
            return Err(Diagnostic::error(
                content_dir,
                None,
                Message::new("content-folder-not-folder"),
            ));
        }
        let mut store = Store {
            content_dir: Arc::from(content_dir),
            indexes: track.then(Default::default),
            depends: Default::default(),
            troubled: BTreeSet::new(),
            language: site.language.clone(),
            entries: Default::default(),
            with_bodies: BTreeSet::new(),
            walk_errors: Vec::new(),
            held: Default::default(),
        };
        let (found, walk_errors) = store.walk(site, content_dir, depth);
        let mut entries: Vec<(Arc<str>, Box<Entry>)> = found
            .into_iter()
            .filter_map(|found| match found {
                Found::Read(rel, entry) => Some((rel, entry)),
                Found::Same(_) => None,
            })
            .collect();
        // Sorted first, so the map is built in one pass, with full nodes.
        entries.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        store.entries = entries.into_iter().collect();
        store.walk_errors = walk_errors;
        if track {
            let read: Vec<(Arc<str>, Arc<super::Article>)> = store
                .entries
                .iter()
                .filter_map(|(rel, e)| Some((rel.clone(), e.article.clone()?)))
                .collect();
            for (rel, article) in read {
                store.track_media(&rel, None, Some(&article));
            }
        }
        store.mark_duplicates();
        Ok(store)
    }

    /// The name of the article at `entry` when its file has the fingerprint
    /// of the version read: its entry's own name, shared, found without
    /// making a new one.
    fn unchanged(&self, entry: &walkdir::DirEntry) -> Option<Arc<str>> {
        // The path inside the folder, `/`-separated as the walk joins it.
        let rel = entry
            .path()
            .strip_prefix(&self.content_dir)
            .ok()?
            .to_str()?;
        let (name, known) = self.entries.get_key_value(rel)?;
        let seen = known.fingerprint?;
        (entry.metadata().ok().map(|m| Fingerprint::of(&m)) == Some(seen)).then(|| Arc::clone(name))
    }

    /// Walks `dir` (the content folder or a folder in it) and reads every
    /// article file in it whose fingerprint differs from the stored one, in
    /// parallel.
    fn walk(&self, site: &Site, dir: &Path, depth: Depth) -> (Vec<Found>, Vec<Diagnostic>) {
        let walker = WalkDir::new(dir)
            .follow_links(site.follow_symlinks)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored_name(e.path()));
        // Walk first (one thread's work, and quick), then read in parallel
        // with an even split of the files between the cores. Files whose
        // fingerprint is unchanged are not opened, nor kept: checking takes
        // one stat each, on this thread, as the walk finds them (spreading
        // stats over the cores costs more processor time than it saves, and
        // a poll does this every half second; a first scan knows nothing:
        // it only reads, in parallel).
        let mut unread = Vec::new();
        let mut results: Vec<Result<Found, Diagnostic>> = Vec::new();
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() && is_article_name(entry.path()) => {
                    match self.unchanged(&entry) {
                        Some(rel) => results.push(Ok(Found::Same(rel))),
                        None => unread.push(entry),
                    }
                }
                // Said, so that an editor who links an article in knows why
                // it is missing; links to anything else are no one's concern.
                Ok(entry)
                    if entry.path_is_symlink()
                        && !site.follow_symlinks
                        && (is_article_name(entry.path()) || entry.path().is_dir()) =>
                {
                    results.push(Err(Diagnostic::warning(
                        entry.path(),
                        None,
                        Message::new(NOT_FOLLOWED),
                    )));
                }
                Ok(_) => {}
                Err(e) if e.loop_ancestor().is_some() => {
                    let path = e.path().unwrap_or(dir);
                    results.push(Err(Diagnostic::warning(
                        path,
                        None,
                        Message::new("content-link-loop"),
                    )));
                }
                Err(e) => {
                    let path = e.path().unwrap_or(dir);
                    // The io error alone: walkdir's own text repeats the path.
                    let reason = e
                        .io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string);
                    results.push(Err(cannot_read(path, reason)));
                }
            }
        }
        results.par_extend(
            unread
                .into_par_iter()
                .map_init(Folder::default, |folder, entry| {
                    let source = Source::within(&self.content_dir, entry.path());
                    let (result, fingerprint) =
                        read_source(site, &source, depth, self.is_tracked(), Some(folder));
                    let mut read = Entry::new(source.clone(), result);
                    read.fingerprint = fingerprint;
                    Ok(Found::Read(source.rel, Box::new(read)))
                }),
        );
        let mut found = Vec::with_capacity(results.len());
        let mut errors = Vec::new();
        for result in results {
            match result {
                Ok(item) => found.push(item),
                Err(error) => errors.push(error),
            }
        }
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        (found, errors)
    }

    /// Takes in what a walk of the folder `rel` (empty for all of it) found:
    /// files read again replace their entries (a failure keeps the last good
    /// article), and entries under `rel` that the walk did not find are
    /// dropped, except under a folder the walk could not read (an
    /// unreadable folder is not an empty one: its articles stay). Returns
    /// whether anything changed.
    pub(super) fn merge(
        &mut self,
        rel: &str,
        found: Vec<Found>,
        unreadable: &[Diagnostic],
    ) -> bool {
        let unreadable: Vec<Arc<str>> = unreadable
            .iter()
            .filter(|d| d.is_error())
            .map(|d| Source::within(&self.content_dir, &d.path).rel)
            .collect();
        let blocked = |r: &str| {
            unreadable.iter().any(|u| {
                u.is_empty()
                    || r == &**u
                    || r.strip_prefix(&**u)
                        .is_some_and(|rest| rest.starts_with('/'))
            })
        };
        let mut seen = std::collections::HashSet::with_capacity(found.len());
        let mut changed = false;
        for item in found {
            match item {
                Found::Same(rel) => {
                    seen.insert(rel);
                }
                Found::Read(rel, entry) => {
                    changed |= self.update(*entry);
                    seen.insert(rel);
                }
            }
        }
        let gone: Vec<String> = self
            .under(rel)
            .filter(|r| !seen.contains(*r) && !blocked(r))
            .map(str::to_owned)
            .collect();
        for rel in gone {
            changed |= self.remove(&rel);
        }
        changed
    }

    /// Reads the whole folder again: files whose fingerprint did not change
    /// are not even opened (without fingerprints, every file is read).
    /// The last good version of an article whose file now fails is kept.
    /// For a missed event, an overflowed event queue, a reload, and the
    /// periodic safety rescan. Returns whether anything changed.
    pub fn rescan(&mut self, site: &Site, depth: Depth) -> Result<bool, Diagnostic> {
        if !self.content_dir.is_dir() {
            return Err(Diagnostic::error(
                &self.content_dir,
                None,
                Message::new("content-folder-gone"),
            ));
        }
        self.follow_language(&site.language);
        let content_dir = self.content_dir.clone();
        let (found, walk_errors) = self.walk(site, &content_dir, depth);
        let mut changed = self.merge("", found, &walk_errors);
        // Media files change without their articles changing.
        let pointing: Vec<PathBuf> = self
            .pointing_at_changed_media()
            .iter()
            .map(|rel| self.content_dir.join(rel))
            .collect();
        if !pointing.is_empty() {
            changed |= self.refresh(site, &pointing);
        }
        if walk_errors != self.walk_errors {
            self.walk_errors = walk_errors;
            changed = true;
        }
        if changed {
            self.mark_duplicates();
        }
        Ok(changed)
    }

    /// Reads again what `paths` name, as file-system events report them: a
    /// file is read again, or dropped when it is gone; a folder is scanned
    /// again (files written before its watch existed are found), and what it
    /// no longer holds is dropped. Paths outside the content folder are
    /// ignored; editor leftovers are for the caller to drop where events
    /// arrive (`leftovers::is_left_behind`). Returns whether
    /// anything changed.
    pub fn refresh(&mut self, site: &Site, paths: &[PathBuf]) -> bool {
        let finished = BTreeSet::new();
        let writing = Writing {
            unfinished: &finished,
            now: jiff::Timestamp::now(),
        };
        self.refresh_written(site, paths, writing)
    }

    /// [`Store::refresh`], holding back the errors of the files `writing`
    /// says may still be being written (see `hold.rs`).
    pub fn refresh_written(
        &mut self,
        site: &Site,
        paths: &[PathBuf],
        writing: Writing<'_>,
    ) -> bool {
        self.follow_language(&site.language);
        let mut changed = false;
        let mut queue: Vec<PathBuf> = paths.to_vec();
        let mut queued: std::collections::HashSet<PathBuf> = paths.iter().cloned().collect();
        let mut next = 0;
        while let Some(path) = queue.get(next).cloned() {
            next += 1;
            let path = &path;
            if !path.starts_with(&self.content_dir) {
                continue;
            }
            let rel = Source::within(&self.content_dir, path).rel;
            for article in self.waiting_on(path, &rel) {
                let article = self.content_dir.join(article);
                if queued.insert(article.clone()) {
                    queue.push(article);
                }
            }
            let metadata = if site.follow_symlinks {
                fs::metadata(path)
            } else {
                fs::symlink_metadata(path)
            };
            match metadata {
                Ok(meta) if meta.is_dir() => changed |= self.refresh_dir(site, path, &rel),
                Ok(meta) if meta.is_file() && is_article_name(path) => {
                    let source = Source::within(&self.content_dir, path);
                    let (result, fingerprint) =
                        read_source(site, &source, Depth::Head, self.is_tracked(), None);
                    let mut entry = Entry::new(source, result);
                    entry.fingerprint = fingerprint;
                    changed |= self.update(entry);
                    changed |= self.hold(&rel, path, writing);
                }
                // A link, not followed: what the walk says of it is said
                // when its event arrives, and what was there before goes.
                Ok(meta) if meta.is_symlink() => {
                    changed |= self.remove_under(&rel);
                    let said = (is_article_name(path) || path.is_dir())
                        .then(|| Diagnostic::warning(path, None, Message::new(NOT_FOLLOWED)));
                    changed |= self.replace_walk_diagnostics(path, said.into_iter().collect());
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    changed |= self.remove_under(&rel);
                    changed |= self.replace_walk_diagnostics(path, Vec::new());
                }
                Err(e) if is_article_name(path) => {
                    let source = Source::within(&self.content_dir, path);
                    let error = cannot_read(path, e);
                    changed |= self.update(Entry::new(source, Err(error)));
                }
                Err(_) => {}
            }
        }
        if changed {
            self.mark_duplicates();
        }
        changed
    }

    /// The articles to read again when the file at `path` (`rel`) changed.
    /// For a media file: the articles pointing at it, and those that have
    /// never read well (one may be waiting for this very file: a picture
    /// uploaded after its article).
    fn waiting_on(&self, path: &Path, rel: &str) -> Vec<String> {
        let mut waiting = self.pointing_at(rel);
        if !is_article_name(path) {
            waiting.extend(
                self.troubled
                    .iter()
                    .filter(|r| {
                        self.entries
                            .get(*r)
                            .is_some_and(|e| e.article.is_none() && e.error.is_some())
                    })
                    .map(|r| r.to_string()),
            );
        }
        waiting
    }

    /// Scans one folder of the content again.
    fn refresh_dir(&mut self, site: &Site, dir: &Path, rel: &str) -> bool {
        let (found, diagnostics) = self.walk(site, dir, Depth::Head);
        let changed = self.merge(rel, found, &diagnostics);
        self.replace_walk_diagnostics(dir, diagnostics) || changed
    }

    /// Replaces what earlier walks said about `dir` and everything in it
    /// (a folder now unreadable, a link) with what the latest walk said, so
    /// a folder's problem is reported when its event arrives and cleared
    /// when it is fixed, not at the next full rescan. Returns whether
    /// anything changed.
    fn replace_walk_diagnostics(&mut self, dir: &Path, latest: Vec<Diagnostic>) -> bool {
        let mut walk_errors: Vec<Diagnostic> = self
            .walk_errors
            .iter()
            .filter(|d| !d.path.starts_with(dir))
            .cloned()
            .chain(latest)
            .collect();
        walk_errors.sort_by(|a, b| a.path.cmp(&b.path));
        if walk_errors == self.walk_errors {
            return false;
        }
        self.walk_errors = walk_errors;
        true
    }

    /// Drops the article at `rel`, or every article under the folder `rel`.
    fn remove_under(&mut self, rel: &str) -> bool {
        let gone: Vec<String> = self.under(rel).map(str::to_owned).collect();
        for rel in &gone {
            self.remove(rel);
        }
        !gone.is_empty()
    }

    /// The paths at `rel` or inside the folder `rel` (everything when empty).
    fn under<'a>(&'a self, rel: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.entries
            .range::<str, _>((std::ops::Bound::Included(rel), std::ops::Bound::Unbounded))
            .map(|(k, _)| &**k)
            // Siblings such as `a b` and `a.md` sort between `a` and `a/`.
            .take_while(move |k| k.starts_with(rel))
            .filter(move |k| {
                rel.is_empty()
                    || *k == rel
                    || k.strip_prefix(rel)
                        .is_some_and(|rest| rest.starts_with('/'))
            })
    }
}
