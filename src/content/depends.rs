//! The media files articles point at (pictures and enclosures under
//! `content/`),
//! and which articles point at each: a media file that changes, appears or
//! goes makes the articles pointing at it be read again, so their facts
//! (length, type, size) and their feeds' ETags follow the file in the next
//! publication. Events name the file; a rescan (polling, the periodic safety
//! rescan) compares each file's length and modification time with what was
//! seen when its articles were read.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::time::SystemTime;

use super::Article;
use super::store::Store;

/// What a media file looked like: its length and modification time, or
/// nothing when it could not be seen.
pub(super) type Stamp = Option<(u64, Option<SystemTime>)>;

/// A media file's stamp now.
fn stamp(path: &std::path::Path) -> Stamp {
    fs::metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().ok()))
}

/// Which articles point at each media file, and its stamp when they were read.
#[derive(Debug, Clone, Default)]
pub(super) struct Depends {
    /// By media path inside the content folder: the articles' paths.
    by_file: HashMap<String, BTreeSet<String>>,
    stamps: HashMap<String, Stamp>,
}

impl Article {
    /// The media files under the content folder this article points at, by
    /// path inside it.
    pub fn media_files(&self) -> impl Iterator<Item = &str> {
        self.image
            .iter()
            .map(|image| &image.media)
            .chain(self.enclosures.iter().map(|e| &e.media))
            .chain(self.episode.iter().flat_map(|e| {
                e.transcript
                    .as_deref()
                    .into_iter()
                    .chain(e.chapters.as_deref())
            }))
            .filter_map(|media| media.file.as_deref())
    }
}

impl Store {
    /// Records that the article at `rel` now points at the media files of
    /// `new` instead of those of `old`.
    pub(super) fn track_media(&mut self, rel: &str, old: Option<&Article>, new: Option<&Article>) {
        for file in old.into_iter().flat_map(Article::media_files) {
            if let Some(articles) = self.depends.by_file.get_mut(file) {
                articles.remove(rel);
                if articles.is_empty() {
                    self.depends.by_file.remove(file);
                    self.depends.stamps.remove(file);
                }
            }
        }
        for file in new.into_iter().flat_map(Article::media_files) {
            self.depends
                .by_file
                .entry(file.to_owned())
                .or_default()
                .insert(rel.to_owned());
            let stamp = stamp(&self.content_dir.join(file));
            self.depends.stamps.insert(file.to_owned(), stamp);
        }
    }

    /// The articles (paths inside the content folder) that point at the
    /// media file `file`, or at any file in the folder `file` (a folder
    /// moved or removed whole is one event).
    pub(super) fn pointing_at(&self, file: &str) -> Vec<String> {
        let folder = format!("{file}/");
        let mut out = BTreeSet::new();
        for (media, articles) in &self.depends.by_file {
            if media == file || media.starts_with(&folder) {
                out.extend(articles.iter().cloned());
            }
        }
        out.into_iter().collect()
    }

    /// The articles pointing at a media file whose length or modification
    /// time changed since they were read (a rescan's check: no event needed).
    pub(super) fn pointing_at_changed_media(&self) -> Vec<String> {
        let mut out = BTreeSet::new();
        for (file, articles) in &self.depends.by_file {
            let seen = self.depends.stamps.get(file).copied().flatten();
            if stamp(&self.content_dir.join(file)) != seen {
                out.extend(articles.iter().cloned());
            }
        }
        out.into_iter().collect()
    }
}
