//! The [`Store`]: every article file of the site, by its path inside the
//! content folder, with the last good version of each.
//!
//! A scan reads and parses every file in parallel, normally only as far as
//! the end of the front matter (see [`Depth`](super::Depth)). Metadata is kept for every
//! article (what selecting and ordering items needs), bodies only for the
//! articles some feed shows (`bodies.rs`), so memory grows with the number of
//! articles and not with their length. When a file that parsed before fails
//! to parse now, its last good article stays and the error is recorded
//! beside it: an editor's mistake never takes a published version away.
//!
//! This file holds the entries and what is read from them; walking folders
//! is in `walk.rs`, the id and order indexes in `index.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;

use super::bodies::Shown;
use super::read::Fingerprint;
use super::{Article, Parsed, Source};
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;

/// One article file and what reading it gave.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Where the file is.
    pub source: Source,
    /// The last version that parsed, which is what gets published.
    pub article: Option<Arc<Article>>,
    /// Why the current version of the file is not published, if it is not.
    pub error: Option<Box<Diagnostic>>,
    /// The warnings of the current version of the file.
    pub warnings: Vec<Diagnostic>,
    /// The file of the article that owns this one's id (see
    /// `index.rs`: the first in path order that is not a draft); this one is
    /// then not published, so ids stay unique.
    pub duplicate_of: Option<Arc<Path>>,
    /// The file's size, times and inode when it was read, if the store
    /// tracks them: a rescan reads again only files whose fingerprint moved.
    pub(super) fingerprint: Option<Fingerprint>,
    /// With an article some feed shows: its rendered body, and the article
    /// it was rendered with (an older version while a newer one waits for
    /// its body, or when the newer one's body failed).
    pub(super) body: Option<Shown>,
    /// Its body failed and it has no last good one: not published until
    /// its file is read again (see `bodies.rs`).
    pub(super) held_back: bool,
    /// With a tracked store: the article the order and facet indexes hold
    /// for this file (see `index.rs`).
    pub(super) indexed: Option<Arc<Article>>,
}

impl Entry {
    pub(super) fn new(source: Source, result: Result<Parsed<Article>, Diagnostic>) -> Entry {
        let (article, error, warnings) = match result {
            Ok(parsed) => (Some(Arc::new(parsed.value)), None, parsed.warnings),
            Err(error) => (None, Some(Box::new(error)), Vec::new()),
        };
        Entry {
            source,
            article,
            error,
            warnings,
            duplicate_of: None,
            fingerprint: None,
            body: None,
            held_back: false,
            indexed: None,
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
    pub(super) content_dir: Arc<Path>,
    /// The indexes a tracked store keeps current file by file (the
    /// daemon's store does, and its entries keep a fingerprint); none in a
    /// one-shot build, which has no use for them.
    pub(super) indexes: Option<super::index::Indexes>,
    /// The media files articles point at, and which articles point at each.
    pub(super) depends: super::depends::Depends,
    /// The paths of the entries with an error, a warning or a duplicate id
    /// ([`Store::note_trouble`]): what [`Store::diagnostics`] reports, without
    /// looking at every entry.
    pub(super) troubled: BTreeSet<Arc<str>>,
    /// The site's language, which an article without `lang` is in.
    pub(super) language: String,
    /// Every file, by its path inside the content folder. Boxed: the map's
    /// nodes then hold pointers, so building it for a large site does not
    /// hold every entry twice (the map is collected from a list).
    pub(super) entries: BTreeMap<Arc<str>, Box<Entry>>,
    /// The paths whose entries hold a body.
    pub(super) with_bodies: BTreeSet<Arc<str>>,
    /// Problems walking the folder itself (an unreadable directory, say).
    pub(super) walk_errors: Vec<Diagnostic>,
    /// The entries whose error is held back while their file may be being
    /// written, each with when to read it again (`hold.rs`).
    pub(super) held: BTreeMap<Arc<str>, Timestamp>,
}

impl Store {
    /// Records what reading one file gave. A failure keeps the last good
    /// article beside the error. A file read successfully always counts as
    /// changed, even when its metadata is the same: its body, which the scan
    /// does not read, may be what changed, and a new article value makes the
    /// body render again.
    pub(super) fn update(&mut self, fresh: Entry) -> bool {
        let rel = fresh.source.rel.clone();
        match self.entries.get_mut(&rel) {
            Some(entry) => {
                if fresh.article.is_none()
                    && entry.error == fresh.error
                    && entry.warnings == fresh.warnings
                {
                    entry.fingerprint = fresh.fingerprint;
                    return false;
                }
                entry.error = fresh.error;
                entry.warnings = fresh.warnings;
                entry.fingerprint = fresh.fingerprint;
                if fresh.article.is_some() {
                    self.replace_article(&rel, fresh.article);
                }
                self.note_trouble(&rel);
            }
            None => {
                let article = fresh.article.clone();
                self.entries.insert(
                    rel.clone(),
                    Box::new(Entry {
                        article: None,
                        ..fresh
                    }),
                );
                self.replace_article(&rel, article);
                self.note_trouble(&rel);
            }
        }
        true
    }

    /// Makes `article` the one published from the entry at `rel`, keeping
    /// the order and the id index current. Returns whether it is another
    /// article than before.
    pub(super) fn replace_article(&mut self, rel: &str, article: Option<Arc<Article>>) -> bool {
        let Some(entry) = self.entries.get_mut(rel) else {
            return false;
        };
        let old = std::mem::replace(&mut entry.article, article);
        let new = entry.article.clone();
        let same = match (&old, &new) {
            (Some(old), Some(new)) => Arc::ptr_eq(old, new),
            (None, None) => true,
            _ => false,
        };
        if !same {
            entry.held_back = false;
            self.track_media(rel, old.as_deref(), new.as_deref());
        }
        self.index_id(
            rel,
            old.map(|a| Arc::clone(&a.id)),
            new.map(|a| Arc::clone(&a.id)),
        );
        self.reindex(rel);
        !same
    }

    /// Drops the entry at `rel`.
    pub(super) fn remove(&mut self, rel: &str) -> bool {
        if !self.entries.contains_key(rel) {
            return false;
        }
        self.replace_article(rel, None);
        self.entries.remove(rel);
        self.with_bodies.remove(rel);
        self.troubled.remove(rel);
        self.held.remove(rel);
        true
    }

    /// The content folder the store reads.
    pub fn content_dir(&self) -> &Path {
        &self.content_dir
    }

    /// Every file the store knows, in path order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values().map(|entry| &**entry)
    }

    /// The articles that may be published (drafts and future ones included;
    /// the caller decides by date), in path order. Of articles sharing an id,
    /// only the one that owns it is here ([`Entry::duplicate_of`]), and no
    /// article held back because its body failed; [`Store::diagnostics`]
    /// names the others.
    pub fn articles(&self) -> Vec<&Article> {
        self.eligible().map(|a| &**a).collect()
    }

    /// The articles [`Store::articles`] lists, shared.
    pub fn eligible(&self) -> impl Iterator<Item = &Arc<Article>> {
        self.entries
            .values()
            .filter(|e| e.duplicate_of.is_none() && !e.held_back)
            .filter_map(|e| e.article.as_ref())
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
    pub fn newest_first(&self) -> Option<impl Iterator<Item = &Arc<Article>>> {
        let indexes = self.indexes.as_ref()?;
        Some(indexes.order.iter().map(|newest| &newest.0))
    }

    /// The name `rel`, shared with its entry's key when it has an entry, so
    /// the indexes hold no copy of their own.
    pub(super) fn name(&self, rel: &str) -> Arc<str> {
        self.entries
            .get_key_value(rel)
            .map_or_else(|| rel.into(), |(key, _)| Arc::clone(key))
    }

    /// Records whether the entry at `rel` has something to report.
    pub(super) fn note_trouble(&mut self, rel: &str) {
        let troubled = self.entries.get(rel).is_some_and(|e| {
            e.error.is_some()
                || !e.warnings.is_empty()
                || (e.article.is_some() && e.duplicate_of.is_some())
        });
        if troubled {
            if !self.troubled.contains(rel) {
                let name = self.name(rel);
                self.troubled.insert(name);
            }
        } else {
            self.troubled.remove(rel);
        }
    }

    /// Every error and warning, in path order, but the errors held back
    /// while their file is being written.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut out = self.walk_errors.clone();
        for (rel, entry) in self
            .troubled
            .iter()
            .filter_map(|rel| Some((rel, self.entries.get(rel)?)))
        {
            if let Some(error) = entry.error.as_ref().filter(|_| !self.is_held(rel)) {
                out.push(Diagnostic::clone(error));
            }
            out.extend(entry.warnings.iter().cloned());
            if let (Some(article), Some(first)) = (&entry.article, &entry.duplicate_of) {
                out.push(Diagnostic::error(
                    &entry.source.file(),
                    None,
                    Message::new("content-duplicate-id")
                        .arg("id", article.id.to_string())
                        .arg("first", first.display().to_string()),
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

#[cfg(test)]
pub(super) mod tests;
