//! The [`Store`]: every article file of the site, by its path inside the
//! content folder, with the last good version of each.
//!
//! A scan reads and parses every file in parallel, normally only as far as
//! the end of the front matter (see [`Depth`]). Only metadata is kept (what
//! selecting and ordering items needs), never bodies, so memory grows with the
//! number of articles and not with their length. When a file that parsed
//! before fails to parse now, its last good article stays and the error is
//! recorded beside it: an editor's mistake never makes an article vanish.

use std::collections::{BTreeMap, HashMap, hash_map};
use std::fs::{self, File};
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;
use walkdir::WalkDir;

use super::{
    Article, Body, Parsed, Source, is_ignored_name, parse_article, parse_head, render_article,
};
use crate::config::{Site, SummaryLimits};
use crate::diagnostic::Diagnostic;

/// One article file and what reading it gave.
#[derive(Debug, Clone)]
pub struct Entry {
    pub source: Source,
    /// The last version that parsed, which is what gets published.
    pub article: Option<Arc<Article>>,
    /// Why the current version of the file is not published, if it is not.
    pub error: Option<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// The file of an earlier article (in path order) with the same id; this
    /// one is then not published, so ids stay unique.
    pub duplicate_of: Option<PathBuf>,
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
        }
    }
}

/// Counts for a summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Articles published now.
    pub published: usize,
    pub drafts: usize,
    /// Dated in the future: published when their time comes.
    pub scheduled: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// Every article of a site.
#[derive(Debug, Clone)]
pub struct Store {
    content_dir: PathBuf,
    entries: BTreeMap<String, Entry>,
    /// Problems walking the folder itself (an unreadable directory, say).
    walk_errors: Vec<Diagnostic>,
}

impl Store {
    /// Reads every article under `content_dir`.
    pub fn scan(site: &Site, content_dir: &Path, depth: Depth) -> Result<Store, Diagnostic> {
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
        // Parse while walking: the walk is one thread's work, and the other
        // cores would otherwise wait for it to finish.
        let walker = WalkDir::new(content_dir)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored_name(e.path()));
        let found: Vec<Result<(String, Entry), Diagnostic>> = walker
            .par_bridge()
            .filter_map(|entry| match entry {
                Ok(entry) if entry.file_type().is_file() && is_article_name(entry.path()) => {
                    let source = Source::new(content_dir, entry.into_path());
                    let result = read_source(site, &source, depth);
                    Some(Ok((source.rel.clone(), Entry::new(source, result))))
                }
                Ok(_) => None,
                Err(e) => {
                    let path = e.path().unwrap_or(content_dir).to_path_buf();
                    Some(Err(Diagnostic::error(
                        &path,
                        None,
                        format!("cannot read: {e}"),
                    )))
                }
            })
            .collect();
        let mut entries = Vec::with_capacity(found.len());
        let mut walk_errors = Vec::new();
        for item in found {
            match item {
                Ok(entry) => entries.push(entry),
                Err(error) => walk_errors.push(error),
            }
        }
        walk_errors.sort_by(|a, b| a.path.cmp(&b.path));
        // Sorted first, so the map is built in one pass.
        entries.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut store = Store {
            content_dir: content_dir.to_path_buf(),
            entries: entries.into_iter().collect(),
            walk_errors,
        };
        store.mark_duplicates();
        Ok(store)
    }

    /// Reads the whole folder again, keeping the last good version of every
    /// article whose file now fails (for a missed event, a reload, a
    /// periodic safety rescan).
    pub fn rescan(&mut self, site: &Site, depth: Depth) -> Result<(), Diagnostic> {
        let fresh = Store::scan(site, &self.content_dir, depth)?;
        let mut old = std::mem::take(&mut self.entries);
        self.entries = fresh.entries;
        self.walk_errors = fresh.walk_errors;
        for (rel, entry) in &mut self.entries {
            if entry.article.is_none() {
                if let Some(previous) = old.remove(rel) {
                    entry.article = previous.article;
                }
            }
        }
        self.mark_duplicates();
        Ok(())
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
            match fs::symlink_metadata(path) {
                Ok(meta) if meta.is_dir() => changed |= self.refresh_dir(site, path, &rel),
                Ok(meta) if meta.is_file() && is_article_name(path) => {
                    let source = Source::new(&self.content_dir, path.clone());
                    let result = read_source(site, &source, Depth::Head);
                    changed |= self.update(source, result);
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => changed |= self.remove_under(&rel),
                Err(e) => {
                    let source = Source::new(&self.content_dir, path.clone());
                    let error = Diagnostic::error(path, None, format!("cannot read: {e}"));
                    changed |= self.update(source, Err(error));
                }
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
    fn update(&mut self, source: Source, result: Result<Parsed<Article>, Diagnostic>) -> bool {
        let fresh = Entry::new(source.clone(), result);
        match self.entries.get_mut(&source.rel) {
            Some(entry) => {
                if fresh.article.is_none()
                    && entry.error == fresh.error
                    && entry.warnings == fresh.warnings
                {
                    return false;
                }
                if fresh.article.is_some() {
                    entry.article = fresh.article;
                }
                entry.error = fresh.error;
                entry.warnings = fresh.warnings;
                true
            }
            None => {
                self.entries.insert(source.rel, fresh);
                true
            }
        }
    }

    /// Scans one folder of the content again.
    fn refresh_dir(&mut self, site: &Site, dir: &Path, rel: &str) -> bool {
        let sources: Vec<Source> = WalkDir::new(dir)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored_name(e.path()))
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && is_article_name(e.path()))
            .map(|e| Source::new(&self.content_dir, e.into_path()))
            .collect();
        let read: Vec<(Source, Result<Parsed<Article>, Diagnostic>)> = sources
            .into_par_iter()
            .map(|source| {
                let result = read_source(site, &source, Depth::Head);
                (source, result)
            })
            .collect();
        let found: std::collections::HashSet<String> =
            read.iter().map(|(s, _)| s.rel.clone()).collect();
        let mut changed = false;
        for (source, result) in read {
            changed |= self.update(source, result);
        }
        let gone: Vec<String> = self
            .under(rel)
            .filter(|r| !found.contains(*r))
            .map(str::to_owned)
            .collect();
        for rel in gone {
            changed |= self.entries.remove(&rel).is_some();
        }
        changed
    }

    /// Drops the article at `rel`, or every article under the folder `rel`.
    fn remove_under(&mut self, rel: &str) -> bool {
        let gone: Vec<String> = self.under(rel).map(str::to_owned).collect();
        for rel in &gone {
            self.entries.remove(rel);
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

    /// Marks every article whose id an earlier one (in path order) has.
    fn mark_duplicates(&mut self) {
        let mut first_with_id: HashMap<&str, &Path> = HashMap::with_capacity(self.entries.len());
        let mut duplicates = Vec::new();
        for (rel, entry) in &self.entries {
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

    pub fn content_dir(&self) -> &Path {
        &self.content_dir
    }

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
                        "id \"{}\" is already used by {}; set a different `slug` or `id`",
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

fn is_article_name(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "md")
}

/// Reads `article` again and renders its body. Used only for articles a feed
/// shows, so that bodies are never all in memory at once.
pub fn render_body(
    site: &Site,
    limits: SummaryLimits,
    article: &Article,
) -> Result<Parsed<(Article, Body)>, Diagnostic> {
    let source = &article.source;
    let bytes = fs::read(&source.file)
        .map_err(|e| Diagnostic::error(&source.file, None, format!("cannot read: {e}")))?;
    render_article(site, limits, source, &bytes)
}

/// How much of each file a scan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// The first [`HEAD_BYTES`] when they hold the front matter (and the
    /// whole file otherwise): what publishing needs, and much cheaper on a
    /// large site. Problems in a body are found when the body is rendered.
    Head,
    /// Every byte of every file, so every problem is found: what `check` does.
    Whole,
}

/// The first bytes of a file, which hold the front matter of nearly every article.
pub const HEAD_BYTES: usize = 4096;

fn read_source(site: &Site, source: &Source, depth: Depth) -> Result<Parsed<Article>, Diagnostic> {
    let cannot = |e: io::Error| Diagnostic::error(&source.file, None, format!("cannot read: {e}"));
    let mut file = File::open(&source.file).map_err(cannot)?;
    let mut bytes = Vec::with_capacity(HEAD_BYTES);
    if depth == Depth::Head {
        (&mut file)
            .take(HEAD_BYTES as u64)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        if let Some(result) = parse_head(site, source, &bytes) {
            return result;
        }
        if bytes.len() < HEAD_BYTES {
            return parse_article(site, source, &bytes);
        }
    }
    file.read_to_end(&mut bytes).map_err(cannot)?;
    parse_article(site, source, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

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
    fn rescan_keeps_last_good_versions() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        fs::write(root.join("x.md"), article("good")).unwrap();
        let site = site();
        let mut store = Store::scan(&site, &root, Depth::Head).unwrap();
        fs::write(root.join("x.md"), "no title, no date").unwrap();
        fs::write(root.join("y.md"), article("new")).unwrap();
        store.rescan(&site, Depth::Head).unwrap();
        assert_eq!(titles(&store), ["good", "new"]);
        assert_eq!(store.diagnostics().len(), 1);
    }
}
