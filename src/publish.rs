//! Every feed of the site, rendered: the step from a [`Store`] and the feed
//! definitions to the documents that are served or written out.
//!
//! Selection reads only metadata. Bodies are rendered for the articles that
//! some feed shows, each once however many feeds show it, in parallel; then
//! every (feed, format) document is rendered in parallel. `now` decides which
//! articles are published (drafts never are; future-dated ones are once their
//! time comes) and is the only input that is not content or config.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::{Config, ContentMode, FeedSpec, Filter};
use crate::content::{Article, Body, Parsed, Store, render_body};
use crate::diagnostic::Diagnostic;
use crate::pages;
use crate::render::{self, Item};

/// One rendered document: a feed, or one of the pages listing them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The file name: `NAME.rss`, `NAME.atom`, `NAME.json`, `index.html`
    /// or `feeds.opml`. It is served at `/` followed by the name (and
    /// `index.html` at `/` as well).
    pub name: String,
    /// The `Content-Type` it is served with.
    pub content_type: &'static str,
    /// The document.
    pub bytes: Vec<u8>,
}

/// The name of the HTML page listing the feeds.
pub const INDEX: &str = "index.html";
/// The name of the OPML list of the feeds.
pub const OPML: &str = "feeds.opml";

/// The documents of one publication, and what went wrong making them.
#[derive(Debug, Clone, Default)]
pub struct Publication {
    /// Every document, feeds first, then the index page and the OPML list.
    pub documents: Vec<Document>,
    /// What rendering found (body warnings and errors, budget cuts).
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether a feed with `filter` takes `article`: within one field any value
/// matches (`tags = ["a", "b"]` is a or b); across fields all must; an empty
/// field takes everything. Values compare in NFC, as both sides are stored.
pub fn takes(filter: &Filter, article: &Article) -> bool {
    fn any<'a>(wanted: &[String], mut have: impl Iterator<Item = &'a str>) -> bool {
        wanted.is_empty() || have.any(|h| wanted.iter().any(|w| w == h))
    }
    any(
        &filter.categories,
        article.category.iter().map(String::as_str),
    ) && any(&filter.tags, article.tags.iter().map(String::as_str))
        && any(
            &filter.authors,
            article.authors.iter().map(|a| a.name.as_str()),
        )
        && filter
            .path
            .as_deref()
            .is_none_or(|prefix| article.dir_starts_with(prefix))
}

/// The items of `feed` at `now`: published articles that match its filter,
/// newest first, ties broken by id, at most `limit` of them.
pub fn select<'a>(feed: &FeedSpec, articles: &[&'a Article], now: Timestamp) -> Vec<&'a Article> {
    let mut chosen: Vec<&Article> = articles
        .iter()
        .copied()
        .filter(|a| a.is_published(now) && takes(&feed.filter, a))
        .collect();
    let order = |a: &&Article, b: &&Article| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id));
    if chosen.len() > feed.limit {
        chosen.select_nth_unstable_by(feed.limit, order);
        chosen.truncate(feed.limit);
    }
    chosen.sort_unstable_by(order);
    chosen
}

/// An article read again with its body rendered, as a feed shows it.
type Entry = Arc<Parsed<(Article, Body)>>;

/// An article's body as rendered for a publication (or why it could not be).
type Rendered = Result<Entry, Diagnostic>;

/// What a publication can reuse from the previous one: the rendered body of
/// every article whose metadata did not change, and the documents of every
/// feed whose items did not change. A build starts from an empty cache; the
/// daemon keeps one, which is what makes republishing after one edit cheap
/// however many articles the site has.
#[derive(Debug, Default)]
pub struct Cache {
    /// By article path: the store's article it was rendered for, and the result.
    bodies: HashMap<String, (Arc<Article>, Rendered)>,
    /// By feed name: what its documents were rendered from, and them.
    feeds: HashMap<String, CachedFeed>,
}

/// A feed's documents and what they were made from.
#[derive(Debug)]
struct CachedFeed {
    spec: FeedSpec,
    budget: usize,
    items: Vec<Entry>,
    documents: Vec<Document>,
    /// What fitting the budget cost, reported with every publication.
    diagnostics: Vec<Diagnostic>,
}

/// The warning for a document that had to shrink to fit its budget.
fn over_budget(feed: &FeedSpec, name: &str, budget: usize, fitted: &render::Fitted) -> Diagnostic {
    let mut costs = Vec::new();
    if fitted.summarised > 0 {
        costs.push(if fitted.summarised == 1 {
            "1 item cut to its summary".to_owned()
        } else {
            format!("{} items cut to their summaries", fitted.summarised)
        });
    }
    if fitted.left_out > 0 {
        costs.push(format!(
            "the {} oldest {} left out",
            fitted.left_out,
            if fitted.left_out == 1 {
                "item"
            } else {
                "items"
            }
        ));
    }
    Diagnostic::warning(
        &feed.file,
        feed.max_bytes.map(|(_, line)| line),
        format!(
            "{name}: {} to stay within max_bytes ({budget} bytes); raise `max_bytes` or lower `limit`",
            costs.join(" and ")
        ),
    )
}

/// Renders every format of every feed from the articles in `store` at `now`.
pub fn publish(
    config: &Config,
    feeds: &[FeedSpec],
    store: &Store,
    now: Timestamp,
    cache: &mut Cache,
) -> Publication {
    // A store that keeps its articles in order needs no list of them all.
    let articles = match store.newest_first() {
        Some(_) => Vec::new(),
        None => store.articles(),
    };
    let mut excluded: Vec<&str> = Vec::new();
    let mut diagnostics = Vec::new();
    let mut bodies: HashMap<String, (Arc<Article>, Rendered)> = HashMap::new();
    // The last good body of an article whose metadata changed, in case its
    // file now fails to render.
    let mut fallbacks: HashMap<String, (Arc<Article>, Entry)> = HashMap::new();
    // An article whose body cannot be rendered (say, invalid UTF-8 past its
    // front matter, or the file unreadable for a moment) keeps its last good
    // body when it had one, and the error is reported. Without one it is
    // left out, and selection runs again so the next article takes its
    // place. Each round excludes at least one article.
    let selections = loop {
        let selections: Vec<Vec<&Article>> = feeds
            .iter()
            .map(|feed| match store.newest_first() {
                // The store keeps its articles in feed order: take the first
                // that qualify, without looking at the rest.
                Some(newest) => newest
                    .filter(|a| {
                        a.is_published(now)
                            && takes(&feed.filter, a)
                            && !excluded.contains(&a.source.rel.as_str())
                    })
                    .take(feed.limit)
                    .collect(),
                None if excluded.is_empty() => select(feed, &articles, now),
                None => {
                    let left: Vec<&Article> = articles
                        .iter()
                        .copied()
                        .filter(|a| !excluded.contains(&a.source.rel.as_str()))
                        .collect();
                    select(feed, &left, now)
                }
            })
            .collect();
        let mut wanted: BTreeMap<&str, &Arc<Article>> = BTreeMap::new();
        for article in selections.iter().flatten() {
            let rel = article.source.rel.as_str();
            if bodies.contains_key(rel) {
                continue;
            }
            let Some(shared) = store.article(rel) else {
                continue;
            };
            match cache.bodies.remove(rel) {
                Some((was, rendered)) if Arc::ptr_eq(&was, shared) => {
                    bodies.insert(rel.to_owned(), (was, rendered));
                }
                Some((was, Ok(good))) => {
                    fallbacks.insert(rel.to_owned(), (was, good));
                    wanted.insert(rel, shared);
                }
                _ => {
                    wanted.insert(rel, shared);
                }
            }
        }
        let rendered: Vec<(&str, &Arc<Article>, Rendered)> = wanted
            .into_par_iter()
            .map(|(rel, article)| {
                let result = render_body(&config.site, config.summary, article).map(Arc::new);
                (rel, article, result)
            })
            .collect();
        for (rel, article, result) in rendered {
            match (result, fallbacks.remove(rel)) {
                // Kept under the old article, so the next publication tries again.
                (Err(error), Some((was, good))) => {
                    diagnostics.push(error);
                    bodies.insert(rel.to_owned(), (was, Ok(good)));
                }
                (result, _) => {
                    bodies.insert(rel.to_owned(), (Arc::clone(article), result));
                }
            }
        }
        let failed: Vec<&str> = selections
            .iter()
            .flatten()
            .map(|a| a.source.rel.as_str())
            .filter(|rel| matches!(bodies.get(*rel), Some((_, Err(_)))))
            .collect();
        if failed.is_empty() {
            break selections;
        }
        excluded.extend(failed);
    };
    let mut shown: Vec<&Article> = selections.iter().flatten().copied().collect();
    shown.sort_unstable_by(|a, b| a.source.rel.cmp(&b.source.rel));
    shown.dedup_by(|a, b| a.source.rel == b.source.rel);
    diagnostics.extend(shown.iter().filter_map(|a| a.future_update(now)));
    let mut reported: Vec<&str> = bodies.keys().map(String::as_str).collect();
    reported.sort_unstable();
    for rel in reported {
        match &bodies[rel].1 {
            Ok(parsed) => diagnostics.extend(parsed.warnings.iter().cloned()),
            Err(error) => diagnostics.push(error.clone()),
        }
    }

    // Each feed's items, as the rendered bodies they are made of.
    let items: Vec<Vec<Entry>> = selections
        .iter()
        .map(|chosen| {
            chosen
                .iter()
                .filter_map(|a| match bodies.get(a.source.rel.as_str()) {
                    Some((_, Ok(parsed))) => Some(Arc::clone(parsed)),
                    _ => None,
                })
                .collect()
        })
        .collect();

    let mut feed_cache = std::mem::take(&mut cache.feeds);
    let rendered_feeds: Vec<(Vec<Document>, Vec<Diagnostic>)> = feeds
        .par_iter()
        .zip(&items)
        .map(|(feed, items)| {
            let budget = config.feeds.budget(feed);
            if let Some(cached) = feed_cache.get(&feed.name) {
                let same = cached.spec == *feed
                    && cached.budget == budget
                    && cached.items.len() == items.len()
                    && cached
                        .items
                        .iter()
                        .zip(items)
                        .all(|(a, b)| Arc::ptr_eq(a, b));
                if same {
                    return (cached.documents.clone(), cached.diagnostics.clone());
                }
            }
            let full = feed.content == ContentMode::Full;
            let entries: Vec<Item<'_>> = items
                .iter()
                .map(|parsed| Item {
                    article: &parsed.value.0,
                    body: &parsed.value.1,
                    // An article with no text to summarise (only code, or
                    // only pictures) is shown whole even in a summary feed:
                    // its HTML is all there is to show.
                    full: full || parsed.value.1.summary.is_empty(),
                })
                .collect();
            let mut diagnostics = Vec::new();
            let documents = feed
                .formats
                .iter()
                .map(|&format| {
                    let name = format!("{}.{}", feed.name, format.extension());
                    let fitted =
                        render::render_within(format, &config.site, feed, &entries, budget);
                    if fitted.summarised + fitted.left_out > 0 {
                        diagnostics.push(over_budget(feed, &name, budget, &fitted));
                    }
                    Document {
                        name,
                        content_type: format.media_type(),
                        bytes: fitted.bytes,
                    }
                })
                .collect();
            (documents, diagnostics)
        })
        .collect();
    feed_cache.clear();
    let mut documents = Vec::new();
    for ((feed, items), (docs, found)) in feeds.iter().zip(items).zip(rendered_feeds) {
        documents.extend(docs.iter().cloned());
        diagnostics.extend(found.iter().cloned());
        let budget = config.feeds.budget(feed);
        feed_cache.insert(
            feed.name.clone(),
            CachedFeed {
                spec: feed.clone(),
                budget,
                items,
                documents: docs,
                diagnostics: found,
            },
        );
    }
    cache.feeds = feed_cache;
    // Failures are not kept: the next publication reads the file again.
    bodies.retain(|_, (_, rendered)| rendered.is_ok());
    cache.bodies = bodies;

    let listed: Vec<(&FeedSpec, Vec<&Article>)> = feeds.iter().zip(selections).collect();
    documents.push(Document {
        name: INDEX.to_owned(),
        content_type: "text/html; charset=utf-8",
        bytes: pages::index_html(&config.site, &listed),
    });
    documents.push(Document {
        name: OPML.to_owned(),
        content_type: "text/x-opml; charset=utf-8",
        bytes: pages::opml(&config.site, &feeds.iter().collect::<Vec<_>>()),
    });
    Publication {
        documents,
        diagnostics,
    }
}
