//! Every feed of the site, rendered: the step from a [`Store`] and the feed
//! definitions to the documents that are served or written out.
//!
//! Selection reads only metadata. Bodies are rendered for the articles that
//! some feed shows, each once however many feeds show it, in parallel; then
//! every (feed, format) document is rendered in parallel. `now` decides which
//! articles are published (drafts never are; future-dated ones are once their
//! time comes) and is the only input that is not content or config.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::{Config, FeedSpec, Format};
use crate::content::{Article, Body, Store, render_body};
use crate::diagnostic::Diagnostic;
use crate::render::{self, Item};

/// One rendered feed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub feed: String,
    pub format: Format,
    pub bytes: Vec<u8>,
}

impl Document {
    /// `NAME.rss`, `NAME.atom` or `NAME.json`: where it is served and written.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.feed, self.format.extension())
    }
}

/// The documents of one publication, and what went wrong making them.
#[derive(Debug, Clone, Default)]
pub struct Publication {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The items of `feed` at `now`: published articles that match its filter,
/// newest first, ties broken by id, at most `limit` of them.
pub fn select<'a>(feed: &FeedSpec, articles: &[&'a Article], now: Timestamp) -> Vec<&'a Article> {
    let mut chosen: Vec<&Article> = articles
        .iter()
        .copied()
        .filter(|a| a.is_published(now) && feed.filter.matches(a))
        .collect();
    let order = |a: &&Article, b: &&Article| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id));
    if chosen.len() > feed.limit {
        chosen.select_nth_unstable_by(feed.limit, order);
        chosen.truncate(feed.limit);
    }
    chosen.sort_unstable_by(order);
    chosen
}

/// Renders every format of every feed from the articles in `store` at `now`.
pub fn publish(config: &Config, feeds: &[FeedSpec], store: &Store, now: Timestamp) -> Publication {
    let mut articles = store.articles();
    let mut diagnostics = Vec::new();
    let mut bodies: BTreeMap<String, (Article, Body)> = BTreeMap::new();
    // An article whose body cannot be rendered (say, invalid UTF-8 past its
    // front matter) is reported and left out, and selection runs again so the
    // next article takes its place. Each round drops at least one article.
    let selections = loop {
        let selections: Vec<Vec<&Article>> =
            feeds.iter().map(|f| select(f, &articles, now)).collect();
        let mut wanted: BTreeMap<&str, &Article> = BTreeMap::new();
        for article in selections.iter().flatten() {
            if !bodies.contains_key(&article.source.rel) {
                wanted.insert(article.source.rel.as_str(), article);
            }
        }
        let rendered: Vec<(&str, Result<_, Diagnostic>)> = wanted
            .into_par_iter()
            .map(|(rel, article)| (rel, render_body(&config.site, config.summary, article)))
            .collect();
        let mut failed = Vec::new();
        for (rel, result) in rendered {
            match result {
                Ok(parsed) => {
                    diagnostics.extend(parsed.warnings);
                    bodies.insert(rel.to_owned(), parsed.value);
                }
                Err(error) => {
                    diagnostics.push(error);
                    failed.push(rel);
                }
            }
        }
        if failed.is_empty() {
            break selections;
        }
        articles.retain(|a| !failed.contains(&a.source.rel.as_str()));
    };

    let jobs: Vec<(&FeedSpec, &Vec<&Article>, Format)> = feeds
        .iter()
        .zip(&selections)
        .flat_map(|(feed, chosen)| {
            feed.formats
                .iter()
                .map(move |&format| (feed, chosen, format))
        })
        .collect();
    let documents = jobs
        .into_par_iter()
        .map(|(feed, chosen, format)| {
            let items: Vec<Item<'_>> = chosen
                .iter()
                .filter_map(|a| bodies.get(&a.source.rel))
                .map(|(article, body)| Item { article, body })
                .collect();
            Document {
                feed: feed.name.clone(),
                format,
                bytes: render::render(format, &config.site, feed, &items),
            }
        })
        .collect();
    Publication {
        documents,
        diagnostics,
    }
}

/// Writes every document into `dir` (created if missing). Each file is
/// written under a temporary name, flushed to disk, then renamed into place,
/// so a reader or a crash never sees a partial file under a final name.
pub fn write_documents(dir: &Path, documents: &[Document]) -> Result<Vec<PathBuf>, Diagnostic> {
    fs::create_dir_all(dir).map_err(|e| {
        Diagnostic::error(dir, None, format!("cannot create the output folder: {e}"))
    })?;
    documents
        .iter()
        .map(|doc| {
            let path = dir.join(doc.file_name());
            write_atomically(&path, &doc.bytes)
                .map_err(|e| Diagnostic::error(&path, None, format!("cannot write: {e}")))?;
            Ok(path)
        })
        .collect()
}

fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}
