//! The [`Store`]: every article file of the site, by its path inside the
//! content folder, with the last good version of each.
//!
//! A scan reads and parses every file in parallel, normally only as far as
//! the end of the front matter (see [`Depth`]). Only metadata is kept (what
//! selecting and ordering items needs), never bodies, so memory grows with the
//! number of articles and not with their length. When a file that parsed
//! before fails to parse now, its last good article stays and the error is
//! recorded beside it: an editor's mistake never makes an article vanish.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap, hash_map};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;
use walkdir::WalkDir;

use super::read::{Depth, Fingerprint, NOT_FOLLOWED, cannot_read, is_article_name, read_source};
use super::{Article, Parsed, Source};
use crate::config::Site;
use crate::diagnostic::Diagnostic;
use crate::leftovers::is_ignored_name;

/// One article file and what reading it gave.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Where the file is.
    pub source: Source,
    /// The last version that parsed, which is what gets published.
    pub article: Option<Arc<Article>>,
    /// Why the current version of the file is not published, if it is not.
    pub error: Option<Diagnostic>,
    /// The warnings of the current version of the file.
    pub warnings: Vec<Diagnostic>,
    /// The file of an earlier article (in path order) with the same id; this
    /// one is then not published, so ids stay unique.
    pub duplicate_of: Option<PathBuf>,
    /// The file's size, times and inode when it was read, if the store
    /// tracks them: a rescan reads again only files whose fingerprint moved.
    fingerprint: Option<Fingerprint>,
}

/// What walking the folder found at one path.
enum Found {
    /// Read now.
    Read(String, Box<Entry>),
    /// The same version as before: not read again.
    Same(String),
}

impl Entry {
    fn new(source: Source, result: Result<Parsed<Article>, Diagnostic>) -> Entry {
        let (article, error, warnings) = match result {
            Ok(parsed) => (Some(Arc::new(parsed.value)), None, parsed.warnings),
            Err(error) => (None, Some(error), Vec::new()),
        };
        Entry {
            source,
            article,
            error,
            warnings,
            duplicate_of: None,
            fingerprint: None,
        }
    }
}

/// Counts for a summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Articles published now.
    pub published: usize,
    /// Drafts, never published.
    pub drafts: usize,
    /// Dated in the future: published when their time comes.
    pub scheduled: usize,
    /// Files with an error.
    pub errors: usize,
    /// Warnings, all files together.
    pub warnings: usize,
}

/// Every article of a site.
#[derive(Debug, Clone)]
pub struct Store {
    content_dir: PathBuf,
    /// Whether entries keep a fingerprint and the store keeps an index of
    /// ids (the daemon's store does; a one-shot build has no use for them).
    track: bool,
    /// With `track`: the paths having each id, in path order, so that one
    /// change re-checks only its own ids instead of every article's.
    ids: HashMap<String, BTreeSet<String>>,
    /// With `track`: every article, newest first (ties by id), so that a
    /// feed's newest items are found without looking at every article.
    order: BTreeSet<(Reverse<Timestamp>, String, String)>,
    entries: BTreeMap<String, Entry>,
    /// Problems walking the folder itself (an unreadable directory, say).
    walk_errors: Vec<Diagnostic>,
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
                format!("cannot read the content folder: {e}"),
            )
        })?;
        if !meta.is_dir() {
            return Err(Diagnostic::error(
                content_dir,
                None,
                "the content folder is not a folder",
            ));
        }
        let mut store = Store {
            content_dir: content_dir.to_path_buf(),
            track,
            ids: HashMap::new(),
            order: BTreeSet::new(),
            entries: BTreeMap::new(),
            walk_errors: Vec::new(),
        };
        let (found, walk_errors) = store.walk(site, content_dir, depth);
        let mut entries: Vec<(String, Entry)> = found
            .into_iter()
            .filter_map(|found| match found {
                Found::Read(rel, entry) => Some((rel, *entry)),
                Found::Same(_) => None,
            })
            .collect();
        // Sorted first, so the map is built in one pass.
        entries.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        store.entries = entries.into_iter().collect();
        store.walk_errors = walk_errors;
        store.mark_duplicates();
        Ok(store)
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
        // with an even split of the files between the cores.
        let mut files = Vec::new();
        let mut results: Vec<Result<Found, Diagnostic>> = Vec::new();
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() && is_article_name(entry.path()) => {
                    files.push(entry);
                }
                // Said, so that an editor who links an article in knows why
                // it is missing; links to anything else are no one's concern.
                Ok(entry)
                    if entry.path_is_symlink()
                        && !site.follow_symlinks
                        && (is_article_name(entry.path()) || entry.path().is_dir()) =>
                {
                    results.push(Err(Diagnostic::warning(entry.path(), None, NOT_FOLLOWED)));
                }
                Ok(_) => {}
                Err(e) if e.loop_ancestor().is_some() => {
                    let path = e.path().unwrap_or(dir);
                    results.push(Err(Diagnostic::warning(
                        path,
                        None,
                        "a symbolic link to a folder that contains it, not followed",
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
        // Files whose fingerprint is unchanged are not opened. Checking
        // takes one stat each, on this thread: spreading stats over the
        // cores costs more processor time than it saves, and a poll does
        // this every half second. (A first scan knows nothing: it only
        // reads, in parallel.)
        let mut unread = Vec::with_capacity(files.len());
        for entry in files {
            if !self.entries.is_empty() {
                let source = Source::new(&self.content_dir, entry.path().to_path_buf());
                let known = self.entries.get(&source.rel).and_then(|e| e.fingerprint);
                if known.is_some() && entry.metadata().ok().map(|m| Fingerprint::of(&m)) == known {
                    results.push(Ok(Found::Same(source.rel)));
                    continue;
                }
            }
            unread.push(entry);
        }
        results.par_extend(unread.into_par_iter().map(|entry| {
            let source = Source::new(&self.content_dir, entry.path().to_path_buf());
            let (result, fingerprint) = read_source(site, &source, depth, self.track);
            let mut read = Entry::new(source.clone(), result);
            read.fingerprint = fingerprint;
            Ok(Found::Read(source.rel, Box::new(read)))
        }));
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
    fn merge(&mut self, rel: &str, found: Vec<Found>, unreadable: &[Diagnostic]) -> bool {
        let unreadable: Vec<String> = unreadable
            .iter()
            .filter(|d| d.is_error())
            .map(|d| Source::new(&self.content_dir, d.path.clone()).rel)
            .collect();
        let blocked = |r: &str| {
            unreadable.iter().any(|u| {
                u.is_empty()
                    || r == u
                    || r.strip_prefix(u.as_str())
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
                "cannot read the content folder",
            ));
        }
        let content_dir = self.content_dir.clone();
        let (found, walk_errors) = self.walk(site, &content_dir, depth);
        let mut changed = self.merge("", found, &walk_errors);
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
    /// no longer holds is dropped. Paths outside the content folder, hidden
    /// ones and editor leftovers are ignored. Returns whether anything changed.
    pub fn refresh(&mut self, site: &Site, paths: &[PathBuf]) -> bool {
        let mut changed = false;
        for path in paths {
            let Ok(inside) = path.strip_prefix(&self.content_dir) else {
                continue;
            };
            if inside
                .components()
                .any(|c| is_ignored_name(Path::new(c.as_os_str())))
            {
                continue;
            }
            let rel = Source::new(&self.content_dir, path.clone()).rel;
            let metadata = if site.follow_symlinks {
                fs::metadata(path)
            } else {
                fs::symlink_metadata(path)
            };
            match metadata {
                Ok(meta) if meta.is_dir() => changed |= self.refresh_dir(site, path, &rel),
                Ok(meta) if meta.is_file() && is_article_name(path) => {
                    let source = Source::new(&self.content_dir, path.clone());
                    let (result, fingerprint) = read_source(site, &source, Depth::Head, self.track);
                    let mut entry = Entry::new(source, result);
                    entry.fingerprint = fingerprint;
                    changed |= self.update(entry);
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    changed |= self.remove_under(&rel);
                    changed |= self.replace_walk_diagnostics(path, Vec::new());
                }
                Err(e) if is_article_name(path) => {
                    let source = Source::new(&self.content_dir, path.clone());
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

    /// Records what reading one file gave. A failure keeps the last good
    /// article beside the error. A file read successfully always counts as
    /// changed, even when its metadata is the same: its body, which the scan
    /// does not read, may be what changed, and a new article value makes the
    /// publisher render it again.
    fn update(&mut self, fresh: Entry) -> bool {
        let rel = fresh.source.rel.clone();
        let new_id = fresh.article.as_ref().map(|a| a.id.clone());
        let old_id = match self.entries.get_mut(&rel) {
            Some(entry) => {
                if fresh.article.is_none()
                    && entry.error == fresh.error
                    && entry.warnings == fresh.warnings
                {
                    entry.fingerprint = fresh.fingerprint;
                    return false;
                }
                let old_id = entry.article.as_ref().map(|a| a.id.clone());
                if let Some(article) = fresh.article {
                    if self.track {
                        if let Some(old) = &entry.article {
                            self.order.remove(&order_key(old));
                        }
                        self.order.insert(order_key(&article));
                    }
                    entry.article = Some(article);
                }
                entry.error = fresh.error;
                entry.warnings = fresh.warnings;
                entry.fingerprint = fresh.fingerprint;
                old_id
            }
            None => {
                if let (true, Some(article)) = (self.track, &fresh.article) {
                    self.order.insert(order_key(article));
                }
                self.entries.insert(rel.clone(), fresh);
                None
            }
        };
        if new_id.is_some() {
            self.index_id(&rel, old_id, new_id);
        }
        true
    }

    /// Drops the entry at `rel`.
    fn remove(&mut self, rel: &str) -> bool {
        match self.entries.remove(rel) {
            Some(entry) => {
                if let (true, Some(article)) = (self.track, &entry.article) {
                    self.order.remove(&order_key(article));
                }
                self.index_id(rel, entry.article.map(|a| a.id.clone()), None);
                true
            }
            None => false,
        }
    }

    /// Moves `rel` from `old` to `new` in the id index and marks the
    /// duplicates of both ids again.
    fn index_id(&mut self, rel: &str, old: Option<String>, new: Option<String>) {
        if !self.track || old == new {
            return;
        }
        if let Some(old) = &old {
            if let Some(rels) = self.ids.get_mut(old) {
                rels.remove(rel);
                if rels.is_empty() {
                    self.ids.remove(old);
                }
            }
        }
        if let Some(new) = &new {
            self.ids
                .entry(new.clone())
                .or_default()
                .insert(rel.to_owned());
        }
        for id in [old, new].into_iter().flatten() {
            self.mark_id(&id);
        }
    }

    /// Marks every article with `id` a duplicate but its owner: the first in
    /// path order that is not a draft.
    fn mark_id(&mut self, id: &str) {
        let Some(rels) = self.ids.get(id) else { return };
        let is_draft = |rel: &String| {
            self.entries
                .get(rel)
                .and_then(|e| e.article.as_ref())
                .is_some_and(|a| a.draft)
        };
        // The owner is the first that is not a draft, else the first.
        let Some(owner) = rels
            .iter()
            .find(|r| !is_draft(r))
            .or_else(|| rels.iter().next())
            .cloned()
        else {
            return;
        };
        let others: Vec<String> = rels.iter().filter(|r| **r != owner).cloned().collect();
        let owner_file = self.entries.get(&owner).map(|e| e.source.file.clone());
        if let Some(entry) = self.entries.get_mut(&owner) {
            entry.duplicate_of = None;
        }
        for rel in others {
            if let Some(entry) = self.entries.get_mut(&rel) {
                entry.duplicate_of = owner_file.clone();
            }
        }
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
            .map(|(k, _)| k.as_str())
            // Siblings such as `a b` and `a.md` sort between `a` and `a/`.
            .take_while(move |k| k.starts_with(rel))
            .filter(move |k| {
                rel.is_empty()
                    || *k == rel
                    || k.strip_prefix(rel)
                        .is_some_and(|rest| rest.starts_with('/'))
            })
    }

    /// Marks every article whose id an earlier one (in path order, drafts
    /// last) has. A
    /// tracked store keeps its marks current change by change instead, and
    /// builds its id index here once.
    fn mark_duplicates(&mut self) {
        if self.track {
            if self.ids.is_empty() {
                let mut ids: HashMap<String, BTreeSet<String>> =
                    HashMap::with_capacity(self.entries.len());
                for (rel, entry) in &self.entries {
                    if let Some(article) = &entry.article {
                        ids.entry(article.id.clone())
                            .or_default()
                            .insert(rel.clone());
                    }
                }
                let shared: Vec<String> = ids
                    .iter()
                    .filter(|(_, r)| r.len() > 1)
                    .map(|(id, _)| id.clone())
                    .collect();
                self.ids = ids;
                self.order = self
                    .entries
                    .values()
                    .filter_map(|e| e.article.as_deref())
                    .map(order_key)
                    .collect();
                for id in shared {
                    self.mark_id(&id);
                }
            }
            return;
        }
        let mut first_with_id: HashMap<&str, &Path> = HashMap::with_capacity(self.entries.len());
        let mut duplicates = Vec::new();
        // Articles that are not drafts claim their ids first, in path
        // order; drafts come after, so a draft copy never hides the original.
        let (published, drafts): (Vec<_>, Vec<_>) = self
            .entries
            .iter()
            .partition(|(_, e)| !e.article.as_ref().is_some_and(|a| a.draft));
        for (rel, entry) in published.into_iter().chain(drafts) {
            if let Some(article) = &entry.article {
                match first_with_id.entry(&article.id) {
                    hash_map::Entry::Occupied(first) => {
                        duplicates.push((rel.clone(), first.get().to_path_buf()));
                    }
                    hash_map::Entry::Vacant(slot) => {
                        slot.insert(&entry.source.file);
                    }
                }
            }
        }
        for entry in self.entries.values_mut() {
            entry.duplicate_of = None;
        }
        for (rel, first) in duplicates {
            if let Some(entry) = self.entries.get_mut(&rel) {
                entry.duplicate_of = Some(first);
            }
        }
    }

    /// The content folder the store reads.
    pub fn content_dir(&self) -> &Path {
        &self.content_dir
    }

    /// Every file the store knows, in path order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    /// The articles that may be published (drafts and future ones included;
    /// the caller decides by date), in path order. Of two articles with the
    /// same id, only the first in path order is here; [`Store::diagnostics`]
    /// names the other.
    pub fn articles(&self) -> Vec<&Article> {
        self.entries
            .values()
            .filter(|e| e.duplicate_of.is_none())
            .filter_map(|e| e.article.as_deref())
            .collect()
    }

    /// Makes the next rescan read every file again (after a config change
    /// that changes what reading a file gives).
    pub fn forget_fingerprints(&mut self) {
        for entry in self.entries.values_mut() {
            entry.fingerprint = None;
        }
    }

    /// With a tracked store, every article that may be published, newest
    /// first (ties by id), as [`Store::articles`] filters them; `None` for a
    /// store that keeps no order (a build sorts what it selects instead).
    pub fn newest_first(&self) -> Option<impl Iterator<Item = &Article>> {
        if !self.track {
            return None;
        }
        Some(self.order.iter().filter_map(|(_, _, rel)| {
            let entry = self.entries.get(rel)?;
            if entry.duplicate_of.is_some() {
                return None;
            }
            entry.article.as_deref()
        }))
    }

    /// The current article at `rel` (its path inside the content folder).
    pub fn article(&self, rel: &str) -> Option<&Arc<Article>> {
        self.entries.get(rel).and_then(|e| e.article.as_ref())
    }

    /// Every error and warning, in path order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut out = self.walk_errors.clone();
        for entry in self.entries.values() {
            if let Some(error) = &entry.error {
                out.push(error.clone());
            }
            out.extend(entry.warnings.iter().cloned());
            if let (Some(article), Some(first)) = (&entry.article, &entry.duplicate_of) {
                out.push(Diagnostic::error(
                    &entry.source.file,
                    None,
                    format!(
                        "id \"{}\" is already used by {}; set a different `id` in one of them, or rename one",
                        article.id,
                        first.display()
                    ),
                ));
            }
        }
        out
    }

    /// Counts of what the store holds at `now`.
    pub fn totals(&self, now: Timestamp) -> Totals {
        let mut totals = Totals::default();
        for article in self.articles() {
            if article.draft {
                totals.drafts += 1;
            } else if article.date > now {
                totals.scheduled += 1;
            } else {
                totals.published += 1;
            }
        }
        for d in self.diagnostics() {
            if d.is_error() {
                totals.errors += 1;
            } else {
                totals.warnings += 1;
            }
        }
        totals
    }
}

fn order_key(article: &Article) -> (Reverse<Timestamp>, String, String) {
    (
        Reverse(article.date),
        article.id.clone(),
        article.source.rel.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, SummaryLimits};
    use crate::content::render_body;

    fn site() -> Site {
        Config::parse(
            Path::new("syndicated.toml"),
            "[site]\ntitle = \"T\"\nbase_url = \"https://news.example/\"\n",
        )
        .unwrap()
        .site
    }

    fn article(title: &str) -> String {
        format!("---\ntitle: {title}\ndate: 2024-06-28\n---\ntext\n")
    }

    fn titles(store: &Store) -> Vec<String> {
        store.articles().iter().map(|a| a.title.clone()).collect()
    }

    /// A file swapped for a symbolic link after the scan saw a regular
    /// file: rendering its body refuses the link unless links are followed.
    #[test]
    fn a_file_swapped_for_a_link_after_the_scan_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        fs::create_dir_all(&root).unwrap();
        fs::write(root.join("a.md"), article("a")).unwrap();
        fs::write(dir.path().join("secret.md"), article("secret")).unwrap();
        let mut site = site();
        let store = Store::scan(&site, &root, Depth::Head).unwrap();
        fs::remove_file(root.join("a.md")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.md"), root.join("a.md")).unwrap();
        let scanned = store.articles()[0];
        let limits = SummaryLimits::default();

        let refused = render_body(&site, limits, scanned).unwrap_err();
        assert!(
            refused.message.starts_with("a symbolic link, not followed"),
            "{refused}"
        );

        site.follow_symlinks = true;
        let followed = render_body(&site, limits, scanned).unwrap();
        assert_eq!(followed.value.0.title, "secret");
    }

    #[test]
    fn refresh_follows_edits_removals_and_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        fs::create_dir_all(root.join("a")).unwrap();
        fs::write(root.join("a/one.md"), article("one")).unwrap();
        fs::write(root.join("a b.md"), article("sibling")).unwrap();
        let site = site();
        let mut store = Store::scan(&site, &root, Depth::Head).unwrap();
        assert_eq!(titles(&store), ["sibling", "one"]);

        fs::write(root.join("a/one.md"), article("one, edited")).unwrap();
        assert!(store.refresh(&site, &[root.join("a/one.md")]));
        assert!(
            !store.refresh(&site, &[root.join("missing.md")]),
            "nothing there"
        );
        assert_eq!(titles(&store), ["sibling", "one, edited"]);

        // A bad edit keeps the last good version, with the error beside it.
        fs::write(root.join("a/one.md"), "---\ntitle: [\n---\n").unwrap();
        assert!(store.refresh(&site, &[root.join("a/one.md")]));
        assert_eq!(titles(&store), ["sibling", "one, edited"]);
        assert_eq!(store.diagnostics().len(), 1);

        // A folder renamed: the old path is gone, the new one is scanned.
        fs::rename(root.join("a"), root.join("c")).unwrap();
        fs::write(root.join("c/two.md"), article("two")).unwrap();
        assert!(store.refresh(&site, &[root.join("a"), root.join("c")]));
        assert_eq!(
            titles(&store),
            ["sibling", "two"],
            "the broken file has no good version at its new path"
        );
        assert_eq!(store.diagnostics().len(), 1);

        fs::remove_dir_all(root.join("c")).unwrap();
        assert!(store.refresh(&site, &[root.join("c")]));
        assert_eq!(titles(&store), ["sibling"]);
        assert!(store.diagnostics().is_empty());
    }

    #[test]
    fn a_tracked_store_keeps_duplicate_ids_current() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        // `a/fire.md` and `a/fire/index.md` both stand for `a/fire`.
        for (rel, title) in [("a/fire.md", "a"), ("a/fire/index.md", "b")] {
            fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
            fs::write(root.join(rel), article(title)).unwrap();
        }
        let site = site();
        let mut store = Store::scan_tracked(&site, &root).unwrap();
        assert_eq!(titles(&store), ["a"]);
        assert_eq!(store.diagnostics().len(), 1);

        fs::remove_file(root.join("a/fire.md")).unwrap();
        assert!(store.refresh(&site, &[root.join("a/fire.md")]));
        assert_eq!(titles(&store), ["b"]);
        assert!(store.diagnostics().is_empty());

        fs::write(root.join("a/fire.md"), article("a again")).unwrap();
        assert!(store.refresh(&site, &[root.join("a/fire.md")]));
        assert_eq!(titles(&store), ["a again"]);
        assert_eq!(store.diagnostics().len(), 1);

        // An id of its own: no longer a duplicate.
        fs::write(
            root.join("a/fire/index.md"),
            "---\ntitle: b\ndate: 2024-06-28\nid: tag:news.example,2024:water\n---\n",
        )
        .unwrap();
        assert!(store.refresh(&site, &[root.join("a/fire/index.md")]));
        assert_eq!(titles(&store), ["a again", "b"]);
        assert!(store.diagnostics().is_empty());
        // Nothing changed: the rescan opens no file and reports no change.
        assert!(!store.rescan(&site, Depth::Head).unwrap());
    }

    /// Regression: a folder that could not be read (permissions, out of file
    /// descriptors) was taken for an empty one, and its articles dropped.
    #[test]
    fn an_unreadable_folder_keeps_its_articles() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        fs::create_dir_all(root.join("locked")).unwrap();
        fs::write(root.join("locked/x.md"), article("kept")).unwrap();
        fs::write(root.join("y.md"), article("gone")).unwrap();
        let site = site();
        let mut store = Store::scan_tracked(&site, &root).unwrap();
        assert_eq!(titles(&store), ["kept", "gone"]);
        // A walk that found nothing, and could not read `locked`.
        let unreadable = [Diagnostic::error(&root.join("locked"), None, "cannot read")];
        assert!(store.merge("", Vec::new(), &unreadable));
        assert_eq!(titles(&store), ["kept"]);
        // Nothing readable at all: nothing is dropped.
        let unreadable = [Diagnostic::error(&root, None, "cannot read")];
        assert!(!store.merge("", Vec::new(), &unreadable));
        assert_eq!(titles(&store), ["kept"]);
    }

    /// Regression: a draft copy at an earlier path took the id of the
    /// published original, which then vanished from every feed.
    #[test]
    fn a_draft_never_hides_the_article_it_copies() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        fs::write(
            root.join("b.md"),
            "---\ntitle: original\ndate: 2024-06-28\nid: tag:news.example,2024:fire\n---\n",
        )
        .unwrap();
        fs::write(
            root.join("a.md"),
            "---\ntitle: copy\ndate: 2024-06-28\nid: tag:news.example,2024:fire\ndraft: true\n---\n",
        )
        .unwrap();
        let site = site();
        for mut store in [
            Store::scan(&site, &root, Depth::Head).unwrap(),
            Store::scan_tracked(&site, &root).unwrap(),
        ] {
            assert_eq!(titles(&store), ["original"]);
            fs::write(
                root.join("a.md"),
                "---\ntitle: copy 2\ndate: 2024-06-28\nid: tag:news.example,2024:fire\ndraft: true\n---\n",
            )
            .unwrap();
            store.refresh(&site, &[root.join("a.md")]);
            assert_eq!(titles(&store), ["original"]);
        }
    }

    #[test]
    fn rescan_keeps_last_good_versions() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        fs::write(root.join("x.md"), article("good")).unwrap();
        let site = site();
        let mut store = Store::scan(&site, &root, Depth::Head).unwrap();
        fs::write(root.join("x.md"), "no title, no date").unwrap();
        fs::write(root.join("y.md"), article("new")).unwrap();
        assert!(store.rescan(&site, Depth::Head).unwrap());
        assert_eq!(titles(&store), ["good", "new"]);
        assert_eq!(store.diagnostics().len(), 1);
    }
}
