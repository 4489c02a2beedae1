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

mod departed;
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

use crate::config::{Config, FeedSpec, Site};
use crate::content::{Article, Shown, Store, Wanted};
use crate::diagnostic::{self, Diagnostic};
use crate::i18n::Lang;
use crate::pages::{self, INDEX, NOT_FOUND, OPML};
use crate::snapshot::{Dating, Problem, Serving, Snapshot};
use documents::{ArchivePage, RenderedFeed, render_feed};
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
    site: Option<Site>,
    /// By variant and article path: the item converted, and what from.
    converted: languages::Converted,
    /// The index page and the OPML list, and what they were made from.
    pages: Option<Pages>,
    /// The number of the publication these caches made last
    /// ([`Snapshot::publications`]): when the next one follows it, only
    /// its changes go into the new snapshot.
    published: Option<u64>,
}

/// The index page, the OPML list and the page of missing feeds, and the
/// feeds and items they list.
#[derive(Debug)]
struct Pages {
    site: Site,
    listed: Vec<(Arc<FeedSpec>, Items)>,
    /// Whether each listed feed has archive pages (the OPML list links them).
    archived: Vec<bool>,
    index: Bytes,
    sections: pages::Sections,
    opml: Bytes,
    not_found: Bytes,
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
        feeds: defined,
        problems,
        store,
    } = sources;
    let publication = previous.publications + 1;
    let Selection {
        mut feeds,
        items: mut selections,
        diagnostics: mut found,
    } = select_all(defined, store, now, config, &mut cache.selector);
    add_variants(config, &mut feeds, &mut selections, &mut cache.variants);
    let mut diagnostics = problems.to_vec();
    diagnostic::merge(&mut diagnostics, store.diagnostics());
    let incremental = cache.follows(previous, defined, &config.site);
    let language = config.site.language.as_str();
    let (translated, item_translations) = translations_of(store, &selections, now, language);
    let budgets: Vec<usize> = feeds.iter().map(|f| config.feeds.budget(f)).collect();
    let kept = cache.reusable(&feeds, &selections, &item_translations, &budgets, now);
    let shown = shown_items(store, &feeds, &selections, &kept, cache, language);
    let rendered = render_changed(config, cache, &feeds, &kept, &shown, &budgets, &translated);
    let made = Made {
        defined,
        selections: &selections,
        shown: &shown,
        budgets: &budgets,
        now,
        publication,
        incremental,
    };
    let (mut documents, mut gone) =
        cache.keep(&made, &feeds, rendered, item_translations, &mut found);
    diagnostic::merge(&mut diagnostics, found);
    documents.extend(cache.page_documents(config, &feeds, &selections));
    departed::add(config, defined, &mut documents, &mut gone);

    let (articles, next_change) = store.census(now);
    let next = Snapshot {
        articles,
        feeds: feeds.len(),
        feed_names: feeds.iter().map(|f| f.name.clone()).collect(),
        errors: problems_of(&diagnostics, config.site.editor_language),
        published_at: Some(now),
        publications: publication,
        next_change,
        max_age: config.server.max_age,
        no_store: config.site.preview,
        replaced_until: superseded::keep(previous, &mut documents, &mut gone, incremental, now),
        ..Snapshot::default()
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

/// A document as a snapshot takes it: its name, how it is served, its bytes.
type Named = (String, Serving, Bytes);

/// What one publication selected and renders from, for [`Cache::keep`].
struct Made<'a> {
    /// The feed definitions (what an `exclude_from` may name).
    defined: &'a [FeedSpec],
    selections: &'a [Items],
    /// The items of each feed rendered again, with their bodies.
    shown: &'a [Vec<Shown>],
    budgets: &'a [usize],
    now: Timestamp,
    publication: u64,
    /// Whether only changes go into the snapshot ([`Cache::follows`]).
    incremental: bool,
}

/// The errors among `diagnostics`, as `/healthz` lists them: in `lang`,
/// the editors' language.
fn problems_of(diagnostics: &[Diagnostic], lang: Lang) -> Vec<Problem> {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| Problem {
            path: d.path.display().to_string(),
            line: d.line,
            message: d.message.render(lang),
        })
        .collect()
}

/// The translations of every article shown, and each feed's items'
/// translations in order. Translations link articles across feeds; a site
/// without any has none to look for.
fn translations_of(
    store: &Store,
    selections: &[Items],
    now: Timestamp,
    language: &str,
) -> (HashMap<Arc<str>, Translations>, Vec<Vec<Translations>>) {
    if !store.any_translation_key() {
        return (HashMap::new(), vec![Vec::new(); selections.len()]);
    }
    let mut seen = std::collections::HashSet::new();
    let on_show: Vec<&Article> = selections
        .iter()
        .flat_map(|items| items.iter())
        .map(|a| &**a)
        .filter(|a| seen.insert(*a as *const Article))
        .collect();
    let translated = translations(store, &on_show, now, language);
    let per_item = selections
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
    (translated, per_item)
}

/// The items, with their bodies, of each feed not `kept` (converted, for a
/// variant's feed); none for a kept feed.
fn shown_items(
    store: &Store,
    feeds: &[Arc<FeedSpec>],
    selections: &[Items],
    kept: &[bool],
    cache: &mut Cache,
    language: &str,
) -> Vec<Vec<Shown>> {
    let mut shown: Vec<Vec<Shown>> = selections
        .iter()
        .zip(kept)
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
    convert_items(feeds, &mut shown, &mut cache.converted, language);
    forget_conversions(feeds, selections, &mut cache.converted);
    shown
}

/// Renders, in parallel, every feed whose documents cannot be reused; an
/// archive page is kept while its items, their translations and its place
/// are (see `documents`), unless the feed's definition changed.
fn render_changed(
    config: &Config,
    cache: &Cache,
    feeds: &[Arc<FeedSpec>],
    kept: &[bool],
    shown: &[Vec<Shown>],
    budgets: &[usize],
    translated: &HashMap<Arc<str>, Translations>,
) -> Vec<Option<RenderedFeed>> {
    feeds
        .par_iter()
        .zip(kept)
        .zip(shown)
        .zip(budgets)
        .map(|(((feed, &kept), shown), &budget)| {
            (!kept).then(|| {
                let before = cache
                    .feeds
                    .get(&feed.name)
                    .filter(|c| Arc::ptr_eq(&c.spec, feed) || c.spec == *feed)
                    .map_or(&[][..], |c| &c.pages[..]);
                render_feed(config, feed, shown, translated, budget, before)
            })
        })
        .collect()
}

impl Cache {
    /// Whether the caches made `previous`, so that only changes go into the
    /// next snapshot (every document otherwise: the first time, say). Every
    /// feed is rendered again for other definitions (what an article's
    /// `exclude_from` may name changes with them) or another site (a reload
    /// changed its title or address, say).
    fn follows(&mut self, previous: &Snapshot, defined: &[FeedSpec], site: &Site) -> bool {
        let names: Vec<String> = defined
            .iter()
            .map(|f| match &f.family {
                Some(family) => format!("{}/", family.prefix),
                None => f.name.clone(),
            })
            .collect();
        let same_site = self.site.as_ref() == Some(site);
        let incremental =
            self.published == Some(previous.publications) && names == self.defined && same_site;
        if names != self.defined || !same_site {
            self.feeds.clear();
            self.defined = names;
            self.site = Some(site.clone());
        }
        incremental
    }

    /// Which feeds' documents can be reused as they are: same definition,
    /// budget, items and translations, and no warning lapsed.
    fn reusable(
        &mut self,
        feeds: &[Arc<FeedSpec>],
        selections: &[Items],
        translations: &[Vec<Translations>],
        budgets: &[usize],
        now: Timestamp,
    ) -> Vec<bool> {
        feeds
            .iter()
            .zip(selections)
            .zip(translations)
            .zip(budgets)
            .map(|(((feed, items), translations), &budget)| {
                self.feeds.get(&feed.name).is_some_and(|cached| {
                    (Arc::ptr_eq(&cached.spec, feed) || cached.spec == *feed)
                        && cached.budget == budget
                        && Arc::ptr_eq(&cached.items, items)
                        && cached.translations == *translations
                        && cached.until.is_none_or(|until| now < until)
                })
            })
            .collect()
    }

    /// Keeps what was rendered in the cache, and gives the documents that
    /// go into the snapshot (only the new ones when `made.incremental`) and
    /// the names of those no longer published (a format dropped, a feed
    /// gone). Adds every feed's diagnostics to `found`.
    fn keep(
        &mut self,
        made: &Made<'_>,
        feeds: &[Arc<FeedSpec>],
        rendered: Vec<Option<RenderedFeed>>,
        translations: Vec<Vec<Translations>>,
        found: &mut Vec<Diagnostic>,
    ) -> (Vec<Named>, Vec<String>) {
        let mut documents = Vec::new();
        let mut gone: Vec<String> = Vec::new();
        for (i, ((feed, fresh), translations)) in
            feeds.iter().zip(rendered).zip(translations).enumerate()
        {
            if let Some(fresh) = fresh {
                let cached = self.cached(made, i, feed, fresh, translations);
                gone.extend(cached);
                documents.extend(self.feeds[&feed.name].named());
            }
            let Some(cached) = self.feeds.get_mut(&feed.name) else {
                continue;
            };
            if cached.seen != made.publication {
                cached.seen = made.publication;
                if !made.incremental {
                    documents.extend(cached.named());
                }
            }
            found.extend(cached.diagnostics.iter().cloned());
        }
        self.feeds.retain(|_, cached| {
            let kept = cached.seen == made.publication;
            if !kept {
                gone.extend(cached.documents.iter().map(|d| d.name.clone()));
            }
            kept
        });
        (documents, gone)
    }

    /// Caches the `i`th feed's fresh documents; gives the names of the
    /// documents it had and no longer has (a format no longer published).
    fn cached(
        &mut self,
        made: &Made<'_>,
        i: usize,
        feed: &Arc<FeedSpec>,
        fresh: RenderedFeed,
        translations: Vec<Translations>,
    ) -> Vec<String> {
        let RenderedFeed {
            documents,
            diagnostics: mut fitting,
            pages,
        } = fresh;
        let now = made.now;
        let items = &made.selections[i];
        fitting.extend(items.iter().filter_map(|a| a.future_update(now)));
        fitting.extend(unknown_feed_names(
            made.defined,
            &items.iter().map(|a| &**a).collect::<Vec<_>>(),
        ));
        // A warning that `updated` is in the future lapses a day before
        // that date. A feed rendered without an item whose body is missing
        // (its file kept changing while it was read) is rendered again at
        // the next publication.
        let until = if made.shown[i].len() < items.len() {
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
        let before = self.feeds.insert(
            feed.name.clone(),
            CachedFeed {
                spec: Arc::clone(feed),
                budget: made.budgets[i],
                items: Arc::clone(items),
                translations,
                documents,
                diagnostics: fitting,
                until,
                seen: made.publication,
                pages,
            },
        );
        let cached = &self.feeds[&feed.name];
        before
            .into_iter()
            .flat_map(|b| b.documents)
            .filter(|d| !cached.documents.iter().any(|n| n.name == d.name))
            .map(|d| d.name)
            .collect()
    }

    /// The index page, the OPML list, the page of missing feeds, the
    /// pages' stylesheet and script, and the site's icon and logo (the same
    /// bytes every time, so they change no snapshot after the first).
    fn page_documents(
        &mut self,
        config: &Config,
        feeds: &[Arc<FeedSpec>],
        selections: &[Items],
    ) -> Vec<Named> {
        let pages = make_pages(config, feeds, selections, self.pages.take());
        let mut named = vec![
            (
                INDEX.to_owned(),
                "text/html; charset=utf-8".into(),
                pages.index.clone(),
            ),
            (
                OPML.to_owned(),
                "text/x-opml; charset=utf-8".into(),
                pages.opml.clone(),
            ),
            (
                NOT_FOUND.to_owned(),
                "text/html; charset=utf-8".into(),
                pages.not_found.clone(),
            ),
            (
                pages::STYLE.to_owned(),
                "text/css; charset=utf-8".into(),
                Bytes::from_static(pages::STYLE_TEXT.as_bytes()),
            ),
            (
                pages::SCRIPT.to_owned(),
                "text/javascript; charset=utf-8".into(),
                Bytes::from_static(pages::SCRIPT_TEXT.as_bytes()),
            ),
        ];
        named.extend(
            pages::pictures(&config.site)
                .into_iter()
                .map(|(name, kind, bytes)| (name, kind.into(), bytes)),
        );
        self.pages = Some(pages);
        named
    }
}

impl CachedFeed {
    /// Its documents as a snapshot takes them.
    fn named(&self) -> Vec<Named> {
        self.documents
            .iter()
            .map(|d| (d.name.clone(), d.serving.clone(), d.bytes.clone()))
            .collect()
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
    let (index, mut sections, opml, not_found) = match last {
        Some(last) if site => (
            Some(last.index),
            last.sections,
            Some(last.opml),
            Some(last.not_found),
        ),
        _ => (None, pages::Sections::default(), None, None),
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
    // The page of missing feeds names the feeds, not their items.
    let not_found = match not_found {
        Some(page) if same_feeds => page,
        _ => Bytes::from(pages::not_found_html(&config.site, &listed)),
    };
    Pages {
        not_found,
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
