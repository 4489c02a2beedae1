//! Publication: the step from the config, the feed definitions and the
//! [`Store`] to a [`Snapshot`], the one value that is served, mirrored and
//! written by `build`.
//!
//! Selection ([`takes`], [`select`]) reads only metadata. The store holds the
//! rendered bodies of the articles some feed shows ([`shown`] says which;
//! [`Store::render_shown`] renders them, each once however many feeds show
//! it), so [`publish`] itself reads no file: it renders every (feed, format)
//! document in parallel, reusing those of feeds whose items did not change,
//! adds the index page and the OPML list, and makes the snapshot. `now`
//! decides which articles are published (drafts never are; future-dated ones
//! are once their time comes) and is the only input that is not content or
//! config.

mod families;
mod languages;
mod select;

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::{Config, ContentMode, FeedSpec, Variant};
use crate::content::{Article, Shown, Store};
use crate::diagnostic::{self, Diagnostic};
use crate::render::{self, Item};
use crate::snapshot::{Dating, Problem, Snapshot};
use crate::{pages, schedule};
use languages::{Translations, add_variants, convert_items, translations};
use select::{Selection, select_all, unknown_feed_names};
pub use select::{select, shown, takes};

/// One rendered feed document, as the feed cache keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The document's name: `NAME.rss`, `NAME.atom` or `NAME.json` (the
    /// route table says where it is served).
    pub name: String,
    /// The `Content-Type` it is served with.
    pub content_type: &'static str,
    /// The document, shared with the snapshot that serves it (so that a
    /// feed whose items did not change is known unchanged without a read).
    pub bytes: Bytes,
}

/// The name of the HTML page listing the feeds.
pub const INDEX: &str = "index.html";
/// The name of the OPML list of the feeds.
pub const OPML: &str = "feeds.opml";

/// What a publication can reuse from the previous one: the documents of
/// every feed whose items did not change. A build starts from an empty
/// cache; the daemon keeps one, which is what makes republishing after one
/// edit cheap however many feeds the site has.
#[derive(Debug, Default)]
pub struct Cache {
    /// By feed name: what its documents were rendered from, and them.
    feeds: HashMap<String, CachedFeed>,
    /// By variant and article path: the item converted, and what from.
    converted: HashMap<(Variant, String), (Shown, Shown)>,
}

/// A feed's documents and what they were made from.
#[derive(Debug)]
struct CachedFeed {
    spec: FeedSpec,
    budget: usize,
    items: Vec<Shown>,
    /// Each item's translations.
    translations: Vec<Translations>,
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

/// What a publication is made from: values only, read before.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// The site's config.
    pub config: &'a Config,
    /// Every feed definition that loads (or its last good version).
    pub feeds: &'a [FeedSpec],
    /// What is wrong besides the articles (the feed definitions as they
    /// are now), reported with the publication.
    pub problems: &'a [Diagnostic],
    /// Every article, with the bodies of those some feed shows
    /// ([`Store::render_shown`] with [`shown`]).
    pub store: &'a Store,
}

/// One publication.
#[derive(Debug, Clone)]
pub struct Publication {
    /// Everything served: every document with its validators, and the
    /// figures `/healthz` reports.
    pub snapshot: Snapshot,
    /// The names of the documents whose bytes differ from the previous
    /// snapshot's (every document, the first time).
    pub changed: Vec<String>,
    /// Every problem: the feed definitions', the articles', and what
    /// rendering found (a feed over its byte budget, an `updated` in the
    /// future), each once.
    pub diagnostics: Vec<Diagnostic>,
}

/// Publishes the site: every format of every feed, the index page and the
/// OPML list, made into a [`Snapshot`] that follows `previous`. Reads no
/// file: bodies come from the store. `now` decides which articles are
/// published and dates new bytes; `before` gives the dating of a document
/// remembered from an earlier run (see [`Snapshot::with_documents`]).
/// Changed documents are not compressed yet: see [`Snapshot::compressed`].
pub fn publish(
    sources: Sources<'_>,
    now: Timestamp,
    previous: &Snapshot,
    before: impl Fn(&str) -> Option<Dating> + Sync,
    cache: &mut Cache,
) -> Publication {
    let Sources {
        config,
        feeds,
        problems,
        store,
    } = sources;
    let Selection {
        feeds: mut all_feeds,
        items: mut selections,
        diagnostics: made,
    } = select_all(feeds, store, now, &config.site.language);
    add_variants(config, &mut all_feeds, &mut selections);
    let mut diagnostics = problems.to_vec();
    diagnostic::merge(&mut diagnostics, store.diagnostics());
    // Each article shown, once (many feeds show the same ones), by path.
    let mut seen = std::collections::HashSet::new();
    let mut on_show: Vec<&Article> = selections
        .iter()
        .flatten()
        .copied()
        .filter(|a| seen.insert(*a as *const Article))
        .collect();
    on_show.sort_unstable_by(|a, b| a.source.rel.cmp(&b.source.rel));
    let mut found: Vec<Diagnostic> = on_show
        .iter()
        .filter_map(|a| a.future_update(now))
        .collect();
    found.extend(made);
    found.extend(unknown_feed_names(feeds, &on_show));
    let feeds = &all_feeds[..];

    // Each feed's items, as the store rendered them (converted, for a
    // variant's feed).
    let mut items: Vec<Vec<Shown>> = selections
        .iter()
        .map(|chosen| {
            chosen
                .iter()
                .filter_map(|a| store.shown(&a.source.rel).cloned())
                .collect()
        })
        .collect();
    convert_items(
        feeds,
        &mut items,
        &mut cache.converted,
        &config.site.language,
    );

    let translated = translations(store, &on_show, now, &config.site.language);
    let item_translations: Vec<Vec<Translations>> = items
        .iter()
        .map(|list| {
            list.iter()
                .map(|s| {
                    translated
                        .get(s.article.source.rel.as_str())
                        .cloned()
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    let feed_cache = std::mem::take(&mut cache.feeds);
    let budgets: Vec<usize> = feeds.iter().map(|f| config.feeds.budget(f)).collect();
    let rendered_feeds: Vec<(Vec<Document>, Vec<Diagnostic>)> = feeds
        .par_iter()
        .zip(&items)
        .zip(&item_translations)
        .zip(&budgets)
        .map(|(((feed, items), translations), &budget)| {
            if let Some(cached) = feed_cache.get(&feed.name) {
                let same = cached.spec == *feed
                    && cached.budget == budget
                    && cached.translations == *translations
                    && cached.items.len() == items.len()
                    && cached.items.iter().zip(items).all(|(a, b)| {
                        Arc::ptr_eq(&a.article, &b.article) && Arc::ptr_eq(&a.body, &b.body)
                    });
                if same {
                    return (cached.documents.clone(), cached.diagnostics.clone());
                }
            }
            render_feed(config, feed, items, translations, budget)
        })
        .collect();
    let mut documents = Vec::new();
    for ((((feed, items), translations), budget), (docs, fitting)) in feeds
        .iter()
        .zip(items)
        .zip(item_translations)
        .zip(budgets)
        .zip(rendered_feeds)
    {
        documents.extend(
            docs.iter()
                .map(|d| (d.name.clone(), d.content_type, d.bytes.clone())),
        );
        found.extend(fitting.iter().cloned());
        cache.feeds.insert(
            feed.name.clone(),
            CachedFeed {
                spec: feed.clone(),
                budget,
                items,
                translations,
                documents: docs,
                diagnostics: fitting,
            },
        );
    }
    diagnostic::merge(&mut diagnostics, found);

    let listed: Vec<(&FeedSpec, Vec<&Article>)> = feeds.iter().zip(selections).collect();
    documents.push((
        INDEX.to_owned(),
        "text/html; charset=utf-8",
        Bytes::from(pages::index_html(&config.site, &listed)),
    ));
    documents.push((
        OPML.to_owned(),
        "text/x-opml; charset=utf-8",
        Bytes::from(pages::opml(&config.site, &feeds.iter().collect::<Vec<_>>())),
    ));

    let (articles, next_change) = schedule::census(store.articles(), now);
    let errors = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| Problem {
            path: d.path.display().to_string(),
            line: d.line,
            message: d.message.clone(),
        })
        .collect();
    let (snapshot, changed) = Snapshot {
        articles,
        feeds: feeds.len(),
        feed_names: feeds.iter().map(|f| f.name.clone()).collect(),
        errors,
        published_at: Some(now),
        publications: previous.publications + 1,
        next_change,
        max_age: config.server.max_age,
        ..Snapshot::default()
    }
    .with_documents(documents, previous, before, now);
    Publication {
        snapshot,
        changed,
        diagnostics,
    }
}

/// Every format of one feed, with what fitting its byte budget cost.
fn render_feed(
    config: &Config,
    feed: &FeedSpec,
    items: &[Shown],
    translations: &[Translations],
    budget: usize,
) -> (Vec<Document>, Vec<Diagnostic>) {
    let full = feed.content == ContentMode::Full;
    let entries: Vec<Item<'_>> = items
        .iter()
        .zip(translations)
        .map(|(shown, translations)| Item {
            translations,
            article: &shown.article,
            body: &shown.body,
            // An article with no text to summarise (only code, or only
            // pictures) is shown whole even in a summary feed: its HTML is
            // all there is to show.
            full: full || shown.body.summary.is_empty(),
        })
        .collect();
    let mut diagnostics = Vec::new();
    let documents = feed
        .formats
        .iter()
        .map(|&format| {
            let name = format!("{}.{}", feed.name, format.extension());
            let fitted = render::render_within(format, &config.site, feed, &entries, budget);
            if fitted.summarised + fitted.left_out > 0 {
                diagnostics.push(over_budget(feed, &name, budget, &fitted));
            }
            Document {
                name,
                content_type: format.media_type(),
                bytes: Bytes::from(fitted.bytes),
            }
        })
        .collect();
    (documents, diagnostics)
}

#[cfg(test)]
mod tests;
