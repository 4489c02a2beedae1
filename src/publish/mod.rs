//! Publication: the step from the config, the feed definitions and the
//! [`Store`] to a [`Snapshot`], the one value that is served, mirrored and
//! written by `build`.
//!
//! Selection ([`takes`]) reads only metadata, from the store's indexes
//! (every article newest first, and the articles having each value a family
//! asks for), and keeps what it made in the [`Cache`]: after an edit, a
//! family's feeds are made again only for the values whose articles
//! changed (feeds defined one by one take their newest items from the
//! order at every publication, which costs about `limit` steps). The store holds the
//! rendered bodies of the articles some feed shows ([`shown`] says which
//! changed; [`Store::render_shown`] renders them, each once however many
//! feeds show it), so [`publish`] itself reads no file: it renders every
//! (feed, format) document whose items changed, in parallel, reuses the
//! others, adds the index page and the OPML list, and makes the snapshot. `now`
//! decides which articles are published (drafts never are; future-dated ones
//! are once their time comes) and is the only input that is not content or
//! config.

mod documents;
mod families;
mod languages;
mod select;
mod superseded;

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::{Config, FeedSpec};
use crate::content::{Article, Shown, Store, Wanted};
use crate::diagnostic::{self, Diagnostic};
use crate::pages::{self, INDEX, OPML};
use crate::snapshot::{Dating, Problem, Serving, Snapshot};
use documents::{ArchivePage, Rendered, render_feed};
use languages::{
    Translations, Variants, add_variants, convert_items, forget_conversions, translations,
};
pub use select::{Items, takes};
use select::{Selection, Selector, select_all, unknown_feed_names};
pub use superseded::gone_page;

/// One rendered feed document, as the feed cache keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The document's name: `NAME.rss`, `NAME.atom` or `NAME.json` (the
    /// route table says where it is served).
    pub name: String,
    /// Its content type, links and caching.
    pub serving: Serving,
    /// The document, shared with the snapshot that serves it (so that a
    /// feed whose items did not change is known unchanged without a read).
    pub bytes: Bytes,
}

/// What a publication can reuse from the previous one: each feed's items
/// where the articles they come from did not change, and the documents of
/// every feed whose items did not change. A build starts from an empty
/// cache; the daemon keeps one, which is what makes republishing after one
/// edit cheap however many feeds the site has.
#[derive(Debug, Default)]
pub struct Cache {
    /// What selection keeps.
    selector: Selector,
    /// The feeds of the Chinese variants, as made from their originals.
    variants: Variants,
    /// By feed name: what its documents were rendered from, and them.
    feeds: HashMap<String, CachedFeed>,
    /// The names the feed definitions give (feeds, families): what a name
    /// in an article's `exclude_from` is checked against.
    defined: Vec<String>,
    /// The site the feeds were rendered for.
    site: Option<crate::config::Site>,
    /// By variant and article path: the item converted, and what from.
    converted: languages::Converted,
    /// The index page and the OPML list, and what they were made from.
    pages: Option<Pages>,
    /// The number of the publication these caches made last
    /// ([`Snapshot::publications`]): when the next one follows it, only
    /// its changes go into the new snapshot.
    published: Option<u64>,
}

/// The index page and the OPML list, and the feeds and items they list.
#[derive(Debug)]
struct Pages {
    site: crate::config::Site,
    listed: Vec<(Arc<FeedSpec>, Items)>,
    /// Whether each listed feed has archive pages (the OPML list links them).
    archived: Vec<bool>,
    index: Bytes,
    sections: pages::Sections,
    opml: Bytes,
}

/// A feed's documents and what they were made from.
#[derive(Debug)]
struct CachedFeed {
    spec: Arc<FeedSpec>,
    budget: usize,
    items: Items,
    /// Each item's translations (none at all on a site without them).
    translations: Vec<Translations>,
    documents: Vec<Document>,
    /// What rendering found (what fitting the budget cost, an item's
    /// `updated` in the future, an `exclude_from` naming no feed),
    /// reported with every publication.
    diagnostics: Vec<Diagnostic>,
    /// When one of those warnings lapses (an `updated` no longer in the
    /// future): from then on, the feed is rendered again.
    until: Option<Timestamp>,
    /// The publication that last had the feed.
    seen: u64,
    /// Its archive pages, as rendered (none without an archive).
    pages: Vec<ArchivePage>,
}

/// The articles some feed shows at `now`, as far as they changed since the
/// previous call with `cache` (see [`Wanted`]): what
/// [`Store::render_shown`] renders before [`publish`], which then selects
/// the same items again at no cost.
pub fn shown(
    feeds: &[FeedSpec],
    store: &Store,
    now: Timestamp,
    config: &Config,
    cache: &mut Cache,
) -> Wanted {
    select::shown(feeds, store, now, config, &mut cache.selector)
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
    /// The names of the documents the previous snapshot served and this one
    /// does not.
    pub gone: Vec<String>,
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
    let publication = previous.publications + 1;
    let language = config.site.language.as_str();
    let Selection {
        feeds: mut all_feeds,
        items: mut selections,
        diagnostics: made,
    } = select_all(feeds, store, now, config, &mut cache.selector);
    add_variants(config, &mut all_feeds, &mut selections, &mut cache.variants);
    let mut diagnostics = problems.to_vec();
    diagnostic::merge(&mut diagnostics, store.diagnostics());
    let mut found = made;

    // What an article's `exclude_from` may name changes with the
    // definitions: every feed's warnings are made again.
    let defined: Vec<String> = feeds
        .iter()
        .map(|f| match &f.family {
            Some(family) => format!("{}/", family.prefix),
            None => f.name.clone(),
        })
        .collect();
    // Only the changes go into the snapshot when the caches made the one
    // before (every document otherwise, the first time, say).
    // Every feed is rendered again for another site (a reload changed its
    // title or address, say).
    let same_site = cache.site.as_ref() == Some(&config.site);
    let incremental =
        cache.published == Some(previous.publications) && defined == cache.defined && same_site;
    if defined != cache.defined || !same_site {
        cache.feeds.clear();
        cache.defined = defined;
        cache.site = Some(config.site.clone());
    }
    let feeds_now = &all_feeds[..];

    // Translations link articles across feeds; a site without any has none
    // to look for.
    let translated = if store.any_translation_key() {
        let mut seen = std::collections::HashSet::new();
        let on_show: Vec<&Article> = selections
            .iter()
            .flat_map(|items| items.iter())
            .map(|a| &**a)
            .filter(|a| seen.insert(*a as *const Article))
            .collect();
        translations(store, &on_show, now, language)
    } else {
        HashMap::new()
    };
    let item_translations: Vec<Vec<Translations>> = selections
        .iter()
        .map(|list| {
            if translated.is_empty() {
                return Vec::new();
            }
            list.iter()
                .map(|a| {
                    translated
                        .get(a.source.rel.as_ref())
                        .cloned()
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    let budgets: Vec<usize> = feeds_now.iter().map(|f| config.feeds.budget(f)).collect();

    // The feeds whose documents can be reused as they are; the others are
    // rendered, from their items' bodies (converted, for a variant's feed).
    let kept: Vec<bool> = feeds_now
        .iter()
        .zip(&selections)
        .zip(&item_translations)
        .zip(&budgets)
        .map(|(((feed, items), translations), &budget)| {
            cache.feeds.get(&feed.name).is_some_and(|cached| {
                (Arc::ptr_eq(&cached.spec, feed) || cached.spec == *feed)
                    && cached.budget == budget
                    && Arc::ptr_eq(&cached.items, items)
                    && cached.translations == *translations
                    && cached.until.is_none_or(|until| now < until)
            })
        })
        .collect();
    let mut shown: Vec<Vec<Shown>> = selections
        .iter()
        .zip(&kept)
        .map(|(chosen, &kept)| {
            if kept {
                return Vec::new();
            }
            chosen
                .iter()
                .filter_map(|a| store.shown(&a.source.rel).cloned())
                .collect()
        })
        .collect();
    convert_items(feeds_now, &mut shown, &mut cache.converted, language);
    forget_conversions(feeds_now, &selections, &mut cache.converted);
    // An archive page is kept while its items, their translations and its
    // place are (see `documents`), unless the feed's definition changed.
    let rendered: Vec<Option<Rendered>> = feeds_now
        .par_iter()
        .zip(&shown)
        .zip(&budgets)
        .zip(&kept)
        .map(|(((feed, shown), &budget), &kept)| {
            (!kept).then(|| {
                let before = cache
                    .feeds
                    .get(&feed.name)
                    .filter(|c| Arc::ptr_eq(&c.spec, feed) || c.spec == *feed)
                    .map_or(&[][..], |c| &c.pages[..]);
                render_feed(config, feed, shown, &translated, budget, before)
            })
        })
        .collect();
    let mut documents = Vec::new();
    let mut gone: Vec<String> = Vec::new();
    let docs_of = |cached: &CachedFeed| {
        cached
            .documents
            .iter()
            .map(|d| (d.name.clone(), d.serving.clone(), d.bytes.clone()))
            .collect::<Vec<_>>()
    };
    for (i, ((feed, fresh), translations)) in feeds_now
        .iter()
        .zip(rendered)
        .zip(item_translations)
        .enumerate()
    {
        if let Some(Rendered {
            documents: docs,
            diagnostics: mut fitting,
            pages,
        }) = fresh
        {
            let items = &selections[i];
            fitting.extend(items.iter().filter_map(|a| a.future_update(now)));
            fitting.extend(unknown_feed_names(
                feeds,
                &items.iter().map(|a| &**a).collect::<Vec<_>>(),
            ));
            // A warning that `updated` is in the future lapses a day
            // before that date. A feed rendered without an item whose body
            // is missing (its file kept changing while it was read) is
            // rendered again at the next publication.
            let until = if shown[i].len() < items.len() {
                Some(now)
            } else {
                items
                    .iter()
                    .filter(|a| a.future_update(now).is_some())
                    .filter_map(|a| {
                        a.updated?
                            .checked_sub(jiff::SignedDuration::from_hours(24))
                            .ok()
                    })
                    .min()
            };
            let before = cache.feeds.insert(
                feed.name.clone(),
                CachedFeed {
                    spec: Arc::clone(feed),
                    budget: budgets[i],
                    items: Arc::clone(items),
                    translations,
                    documents: docs,
                    diagnostics: fitting,
                    until,
                    seen: publication,
                    pages,
                },
            );
            let cached = &cache.feeds[&feed.name];
            // A format no longer published.
            gone.extend(
                before
                    .into_iter()
                    .flat_map(|b| b.documents)
                    .filter_map(|d| {
                        (!cached.documents.iter().any(|n| n.name == d.name)).then_some(d.name)
                    }),
            );
            documents.extend(docs_of(cached));
        }
        let Some(cached) = cache.feeds.get_mut(&feed.name) else {
            continue;
        };
        if cached.seen != publication {
            cached.seen = publication;
            if !incremental {
                documents.extend(docs_of(cached));
            }
        }
        found.extend(cached.diagnostics.iter().cloned());
    }
    cache.feeds.retain(|_, cached| {
        let kept = cached.seen == publication;
        if !kept {
            gone.extend(cached.documents.iter().map(|d| d.name.clone()));
        }
        kept
    });
    diagnostic::merge(&mut diagnostics, found);

    let feeds = feeds_now;
    let pages = make_pages(config, feeds, &selections, cache.pages.take());
    documents.push((
        INDEX.to_owned(),
        "text/html; charset=utf-8".into(),
        pages.index.clone(),
    ));
    documents.push((
        OPML.to_owned(),
        "text/x-opml; charset=utf-8".into(),
        pages.opml.clone(),
    ));
    // The pages' stylesheet and script: the same bytes every time, so
    // they change no snapshot after the first.
    documents.push((
        pages::STYLE.to_owned(),
        "text/css; charset=utf-8".into(),
        Bytes::from_static(pages::STYLE_TEXT.as_bytes()),
    ));
    documents.push((
        pages::SCRIPT.to_owned(),
        "text/javascript; charset=utf-8".into(),
        Bytes::from_static(pages::SCRIPT_TEXT.as_bytes()),
    ));
    cache.pages = Some(pages);

    let (articles, next_change) = store.census(now);
    let errors = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| Problem {
            path: d.path.display().to_string(),
            line: d.line,
            message: d.message.clone(),
        })
        .collect();
    let next = Snapshot {
        articles,
        feeds: feeds.len(),
        feed_names: feeds.iter().map(|f| f.name.clone()).collect(),
        errors,
        published_at: Some(now),
        publications: publication,
        next_change,
        max_age: config.server.max_age,
        no_store: config.site.preview,
        ..Snapshot::default()
    };
    let replaced_until = superseded::keep(previous, &mut documents, &mut gone, incremental, now);
    let next = Snapshot {
        replaced_until,
        ..next
    };
    let (snapshot, changed) = if incremental {
        next.with_changes(documents, &gone, previous, before, now)
    } else {
        let (snapshot, changed) = next.with_documents(documents, previous, before, now);
        gone = previous
            .resources
            .iter()
            .filter(|(name, _)| snapshot.resources.get(name).is_none())
            .map(|(name, _)| name.clone())
            .collect();
        (snapshot, changed)
    };
    cache.published = Some(snapshot.publications);
    Publication {
        snapshot,
        changed,
        gone,
        diagnostics,
    }
}

/// The index page and the OPML list of `feeds` and their items: `last`
/// again when they list the same feeds with the same items for the same
/// site, made anew otherwise.
fn make_pages(
    config: &Config,
    feeds: &[Arc<FeedSpec>],
    items: &[Items],
    last: Option<Pages>,
) -> Pages {
    let site = last.as_ref().is_some_and(|last| last.site == config.site);
    let same_feeds = site
        && last.as_ref().is_some_and(|last| {
            last.listed.len() == feeds.len()
                && last
                    .listed
                    .iter()
                    .zip(feeds)
                    .all(|((f, _), feed)| Arc::ptr_eq(f, feed) || f == feed)
        });
    let same_items = same_feeds
        && last.as_ref().is_some_and(|last| {
            last.listed
                .iter()
                .zip(items)
                .all(|((_, i), items)| Arc::ptr_eq(i, items))
        });
    let archived: Vec<bool> = feeds
        .iter()
        .zip(items)
        .map(|(feed, items)| pages::archive_pages(feed, items.len()).is_some())
        .collect();
    let same_archives = last.as_ref().is_some_and(|last| last.archived == archived);
    let (index, mut sections, opml) = match last {
        Some(last) if site => (Some(last.index), last.sections, Some(last.opml)),
        _ => (None, pages::Sections::default(), None),
    };
    let listed: Vec<(&FeedSpec, &[Arc<Article>])> = feeds
        .iter()
        .map(|f| &**f)
        .zip(items.iter().map(|items| &items[..]))
        .collect();
    let index = match index {
        Some(index) if same_items => index,
        _ => Bytes::from(pages::index_html(&config.site, &listed, &mut sections)),
    };
    // The OPML list names the feeds and their archives, not their items.
    let opml = match opml {
        Some(opml) if same_feeds && same_archives => opml,
        _ => Bytes::from(pages::opml(
            &config.site,
            &feeds
                .iter()
                .map(|f| &**f)
                .zip(archived.iter().copied())
                .collect::<Vec<_>>(),
        )),
    };
    Pages {
        site: config.site.clone(),
        listed: feeds.iter().cloned().zip(items.iter().cloned()).collect(),
        archived,
        index,
        sections,
        opml,
    }
}

#[cfg(test)]
mod tests;
