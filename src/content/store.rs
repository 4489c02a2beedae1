//! The [`Store`]: every article file of the site, by its path inside the
//! content folder, with the last good version of each.
//!
//! A scan reads and parses every file in parallel. Only metadata is kept (what
//! selecting and ordering items needs), never bodies, so memory grows with the
//! number of articles and not with their length. When a file that parsed
//! before fails to parse now, its last good article stays and the error is
//! recorded beside it: an editor's mistake never makes an article vanish.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;
use walkdir::WalkDir;

use super::{Article, Body, Parsed, Source, is_ignored_name, parse_article, render_article};
use crate::config::{Site, SummaryLimits};
use crate::diagnostic::Diagnostic;

/// One article file and what reading it gave.
#[derive(Debug, Clone)]
pub struct Entry {
    pub source: Source,
    /// The last version that parsed, which is what gets published.
    pub article: Option<Article>,
    /// Why the current version of the file is not published, if it is not.
    pub error: Option<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
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
    pub fn scan(site: &Site, content_dir: &Path) -> Result<Store, Diagnostic> {
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
        let mut walk_errors = Vec::new();
        let mut sources = Vec::new();
        let walker = WalkDir::new(content_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored_name(e.path()));
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() && is_article_name(entry.path()) => {
                    sources.push(Source::new(content_dir, entry.into_path()));
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e.path().unwrap_or(content_dir).to_path_buf();
                    walk_errors.push(Diagnostic::error(&path, None, format!("cannot read: {e}")));
                }
            }
        }
        let parsed: Vec<(Source, Result<Parsed<Article>, Diagnostic>)> = sources
            .into_par_iter()
            .map(|source| {
                let result = read_source(site, &source);
                (source, result)
            })
            .collect();
        let entries = parsed
            .into_iter()
            .map(|(source, result)| {
                let entry = match result {
                    Ok(parsed) => Entry {
                        source: source.clone(),
                        article: Some(parsed.value),
                        error: None,
                        warnings: parsed.warnings,
                    },
                    Err(error) => Entry {
                        source: source.clone(),
                        article: None,
                        error: Some(error),
                        warnings: Vec::new(),
                    },
                };
                (source.rel, entry)
            })
            .collect();
        Ok(Store {
            content_dir: content_dir.to_path_buf(),
            entries,
            walk_errors,
        })
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
        let mut seen = HashSet::with_capacity(self.entries.len());
        self.entries
            .values()
            .filter_map(|e| e.article.as_ref())
            .filter(|a| seen.insert(a.id.as_str()))
            .collect()
    }

    /// Every error and warning, in path order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut out = self.walk_errors.clone();
        let mut first_with_id: HashMap<&str, &Source> = HashMap::new();
        for entry in self.entries.values() {
            if let Some(error) = &entry.error {
                out.push(error.clone());
            }
            out.extend(entry.warnings.iter().cloned());
            if let Some(article) = &entry.article {
                if let Some(first) = first_with_id.get(article.id.as_str()) {
                    out.push(Diagnostic::error(
                        &entry.source.file,
                        None,
                        format!(
                            "id \"{}\" is already used by {}; set a different `slug` or `id`",
                            article.id,
                            first.file.display()
                        ),
                    ));
                } else {
                    first_with_id.insert(&article.id, &entry.source);
                }
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

fn read_source(site: &Site, source: &Source) -> Result<Parsed<Article>, Diagnostic> {
    let bytes = fs::read(&source.file)
        .map_err(|e| Diagnostic::error(&source.file, None, format!("cannot read: {e}")))?;
    parse_article(site, source, &bytes)
}
