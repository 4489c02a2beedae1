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

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use bytes::Bytes;
use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::{Config, ContentMode, FeedSpec, Filter, Variant, VariantOf};
use crate::content::{Article, Shown, Store};
use crate::diagnostic::{self, Diagnostic};
use crate::render::{self, Item};
use crate::snapshot::{Dating, Problem, Snapshot};
use crate::{pages, schedule};

mod families;

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

/// Whether `feed` takes `article`: it meets every key of the feed's
/// `[filter]` and none of its `[exclude]`, has the value of a family's feed,
/// and has not opted out (`feeds: false`, or the feed's name, or its
/// family's, in its `exclude_from`). `language` is the site's, which an
/// article without `lang` is in.
pub fn takes(feed: &FeedSpec, article: &Article, language: &str) -> bool {
    let family = feed.member.as_ref().map(|m| m.family.as_str());
    article.in_feeds
        && !article
            .exclude_from
            .iter()
            .any(|name| *name == feed.name || Some(name.as_str()) == family)
        && meets(&feed.filter, article, language).all(|met| met)
        && !meets(&feed.exclude, article, language).any(|met| met)
        && feed.member.as_ref().is_none_or(|m| {
            families::values(m.each, article, language)
                .iter()
                .any(|v| *v == m.value)
        })
}

/// Whether `article` meets each key `filter` sets (keys left empty are
/// skipped). Values compare in NFC, as both sides are stored; languages
/// ignore case, as BCP 47 tags do.
fn meets<'a>(
    filter: &'a Filter,
    article: &'a Article,
    language: &'a str,
) -> impl Iterator<Item = bool> + 'a {
    let authors = || article.authors.iter().map(|a| a.name.as_str());
    let any = |wanted: &[String], mut have: Box<dyn Iterator<Item = &str> + '_>| {
        have.any(|h| wanted.iter().any(|w| w == h))
    };
    let all =
        |wanted: &[String], have: Vec<&str>| wanted.iter().all(|w| have.contains(&w.as_str()));
    let article_language = article.lang.as_deref().unwrap_or(language);
    [
        (!filter.categories.is_empty()).then(|| {
            any(
                &filter.categories,
                Box::new(article.category.iter().map(String::as_str)),
            )
        }),
        (!filter.tags.is_empty()).then(|| {
            any(
                &filter.tags,
                Box::new(article.tags.iter().map(String::as_str)),
            )
        }),
        (!filter.tags_all.is_empty()).then(|| {
            all(
                &filter.tags_all,
                article.tags.iter().map(String::as_str).collect(),
            )
        }),
        (!filter.authors.is_empty()).then(|| any(&filter.authors, Box::new(authors()))),
        (!filter.authors_all.is_empty()).then(|| all(&filter.authors_all, authors().collect())),
        (!filter.languages.is_empty()).then(|| {
            filter
                .languages
                .iter()
                .any(|l| l.eq_ignore_ascii_case(article_language))
        }),
        filter
            .path
            .as_deref()
            .map(|prefix| article.dir_starts_with(prefix)),
    ]
    .into_iter()
    .flatten()
}

/// The items of `feed` at `now`: published articles that it takes (see
/// [`takes`]; `language` is the site's), newest first, ties broken by id,
/// at most `limit` of them.
pub fn select<'a>(
    feed: &FeedSpec,
    articles: &[&'a Article],
    now: Timestamp,
    language: &str,
) -> Vec<&'a Article> {
    let mut chosen: Vec<&Article> = articles
        .iter()
        .copied()
        .filter(|a| a.is_published(now) && takes(feed, a, language))
        .collect();
    let order = |a: &&Article, b: &&Article| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id));
    if chosen.len() > feed.limit {
        chosen.select_nth_unstable_by(feed.limit, order);
        chosen.truncate(feed.limit);
    }
    chosen.sort_unstable_by(order);
    chosen
}

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

/// A warning for each name in an article's `exclude_from` that names no
/// feed, family or family's feed among the `defined` (a typo would leave the
/// article in the feed it meant to leave).
fn unknown_feed_names(defined: &[FeedSpec], articles: &[&Article]) -> Vec<Diagnostic> {
    // A feed, a family, or a family's feed, whether or not it has articles now.
    let known = |name: &str| {
        defined.iter().any(|f| {
            f.name == name
                || f.family.as_ref().is_some_and(|family| {
                    name.strip_prefix(family.prefix.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
                })
        })
    };
    let mut out = Vec::new();
    for article in articles {
        for name in article.exclude_from.iter().filter(|n| !known(n)) {
            let names: Vec<&str> = defined.iter().map(|f| f.name.as_str()).collect();
            out.push(Diagnostic::warning(
                &article.source.file,
                article.exclude_from_line,
                format!(
                    "`exclude_from` names \"{name}\", which is no feed (the feeds are {}); the article stays in every feed it would be in",
                    names.join(", ")
                ),
            ));
        }
    }
    out
}

/// An article's translations, as `(language, link)`, in language order.
type Translations = Vec<(String, String)>;

/// The translations of each of `shown` (by path) that has any: the other
/// published articles with its `translation_key`, in another language.
/// Looks at every article only when some article shown has a key.
fn translations(
    store: &Store,
    shown: &[&Article],
    now: Timestamp,
    language: &str,
) -> HashMap<String, Translations> {
    let mut out = HashMap::new();
    if shown.iter().all(|a| a.translation_key.is_none()) {
        return out;
    }
    let mut by_key: HashMap<&str, Vec<&Article>> = HashMap::new();
    for article in store.articles() {
        if let (Some(key), true) = (&article.translation_key, article.is_published(now)) {
            by_key.entry(key.as_str()).or_default().push(article);
        }
    }
    let lang = |a: &Article| a.lang.clone().unwrap_or_else(|| language.to_owned());
    for article in shown {
        let Some(key) = &article.translation_key else {
            continue;
        };
        let mut list: Translations = by_key
            .get(key.as_str())
            .into_iter()
            .flatten()
            .filter(|other| {
                other.source.rel != article.source.rel
                    && !lang(other).eq_ignore_ascii_case(&lang(article))
            })
            .map(|other| (lang(other), other.link.to_string()))
            .collect();
        list.sort();
        list.dedup_by(|a, b| a.0.eq_ignore_ascii_case(&b.0));
        if !list.is_empty() {
            out.insert(article.source.rel.clone(), list);
        }
    }
    out
}

/// Adds the feed of each Chinese variant each feed is published in
/// (`variants`, or the site's `feeds.variants`): `NAME.TAG`, with the same
/// items, its title and description converted, in the variant's language.
/// Every feed then lists its variants (so its documents can link them).
fn add_variants(config: &Config, feeds: &mut Vec<FeedSpec>, items: &mut Vec<Vec<&Article>>) {
    let originals = feeds.len();
    for i in 0..originals {
        let language = feeds[i]
            .language
            .as_deref()
            .unwrap_or(&config.site.language);
        // Variants convert Simplified Chinese; a feed in another language
        // (an `en` feed of a languages family) has none.
        let variants = if crate::convert::is_simplified(language) {
            config.feeds.variants(&feeds[i]).to_vec()
        } else {
            Vec::new()
        };
        feeds[i].variants = Some(variants.clone());
        for variant in variants {
            let original = &feeds[i];
            let feed = FeedSpec {
                name: format!("{}.{}", original.name, variant.tag()),
                title: crate::convert::text(variant, &original.title),
                description: original
                    .description
                    .as_deref()
                    .map(|d| crate::convert::text(variant, d)),
                language: Some(variant.tag().to_owned()),
                variants: Some(Vec::new()),
                variant_of: Some(VariantOf {
                    variant,
                    name: original.name.clone(),
                    language: original
                        .language
                        .clone()
                        .unwrap_or_else(|| config.site.language.clone()),
                }),
                ..original.clone()
            };
            feeds.push(feed);
            items.push(items[i].clone());
        }
    }
}

/// Converts the items of each variant's feed, reusing every conversion
/// whose article and body did not change, and converting the rest in
/// parallel: an edit converts what it changed, once per variant. An item
/// not in Simplified Chinese (its `lang`, or the site's `language`) is
/// shown as it is.
fn convert_items(
    feeds: &[FeedSpec],
    items: &mut [Vec<Shown>],
    converted: &mut HashMap<(Variant, String), (Shown, Shown)>,
    language: &str,
) {
    let simplified = |item: &Shown| {
        crate::convert::is_simplified(item.article.lang.as_deref().unwrap_or(language))
    };
    let mut previous = std::mem::take(converted);
    let mut wanted: Vec<(Variant, Shown)> = Vec::new();
    for (feed, list) in feeds.iter().zip(items.iter()) {
        let Some(variant) = feed.variant_of.as_ref().map(|v| v.variant) else {
            continue;
        };
        for item in list.iter().filter(|item| simplified(item)) {
            let key = (variant, item.article.source.rel.clone());
            if converted.contains_key(&key) {
                continue;
            }
            match previous.remove(&key) {
                Some((from, to))
                    if Arc::ptr_eq(&from.article, &item.article)
                        && Arc::ptr_eq(&from.body, &item.body) =>
                {
                    converted.insert(key, (from, to));
                }
                _ if wanted
                    .iter()
                    .any(|(v, s)| *v == variant && Arc::ptr_eq(&s.article, &item.article)) => {}
                _ => wanted.push((variant, item.clone())),
            }
        }
    }
    let done: Vec<((Variant, String), (Shown, Shown))> = wanted
        .into_par_iter()
        .map(|(variant, item)| {
            let to = crate::convert::shown(variant, &item);
            ((variant, item.article.source.rel.clone()), (item, to))
        })
        .collect();
    converted.extend(done);
    for (feed, list) in feeds.iter().zip(items.iter_mut()) {
        let Some(variant) = feed.variant_of.as_ref().map(|v| v.variant) else {
            continue;
        };
        for item in list.iter_mut() {
            if let Some((_, to)) = converted.get(&(variant, item.article.source.rel.clone())) {
                *item = to.clone();
            }
        }
    }
}

/// Every feed there is at `now` (the feeds defined one by one, then the
/// feeds of each family, made from the articles), each with its items: its
/// `limit` newest published articles that it takes; and what making them
/// found (values of a family that cannot name a feed).
struct Selection<'s> {
    feeds: Vec<FeedSpec>,
    items: Vec<Vec<&'s Article>>,
    diagnostics: Vec<Diagnostic>,
}

fn select_all<'s>(
    feeds: &[FeedSpec],
    store: &'s Store,
    now: Timestamp,
    language: &str,
) -> Selection<'s> {
    // A store that keeps its articles in order needs no list of them all;
    // otherwise (a build) they are sorted once, if a family needs them so.
    let articles = match store.newest_first() {
        Some(_) => Vec::new(),
        None => store.articles(),
    };
    let sorted: std::cell::OnceCell<Vec<&Article>> = std::cell::OnceCell::new();
    let newest = || -> Box<dyn Iterator<Item = &'s Article> + '_> {
        match store.newest_first() {
            Some(newest) => Box::new(newest),
            None => Box::new(
                sorted
                    .get_or_init(|| {
                        let mut all = articles.clone();
                        all.sort_unstable_by(|a, b| {
                            b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id))
                        });
                        all
                    })
                    .iter()
                    .copied(),
            ),
        }
    };
    let mut selection = Selection {
        feeds: Vec::with_capacity(feeds.len()),
        items: Vec::with_capacity(feeds.len()),
        diagnostics: Vec::new(),
    };
    for feed in feeds.iter().filter(|f| f.family.is_none()) {
        let items = match store.newest_first() {
            // The store keeps its articles in feed order: take the first
            // that qualify, without looking at the rest.
            Some(newest) => newest
                .filter(|a| a.is_published(now) && takes(feed, a, language))
                .take(feed.limit)
                .collect(),
            None => select(feed, &articles, now, language),
        };
        selection.feeds.push(feed.clone());
        selection.items.push(items);
    }
    let mut prefixes: Vec<(&str, &FeedSpec)> = Vec::new();
    for family in feeds.iter().filter(|f| f.family.is_some()) {
        let prefix = family.family.as_ref().map_or("", |f| f.prefix.as_str());
        // Two families in one folder would serve each other's documents.
        if let Some((_, first)) = prefixes.iter().find(|(p, _)| *p == prefix) {
            selection.diagnostics.push(Diagnostic::error(
                &family.file,
                None,
                format!(
                    "the feeds of this family would be served in /{prefix}/, as those of {} are; set another `path`",
                    first.file.display()
                ),
            ));
            continue;
        }
        prefixes.push((prefix, family));
        let (members, warnings) = families::members(family, newest(), now, language);
        for (feed, items) in members {
            selection.feeds.push(feed);
            selection.items.push(items);
        }
        selection.diagnostics.extend(warnings);
    }
    selection
}

/// The articles some feed shows at `now`, by path inside the content
/// folder: those whose bodies the store must hold before [`publish`]
/// (see [`Store::render_shown`]). `language` is the site's.
pub fn shown(
    feeds: &[FeedSpec],
    store: &Store,
    now: Timestamp,
    language: &str,
) -> BTreeSet<String> {
    let mut seen = std::collections::HashSet::new();
    select_all(feeds, store, now, language)
        .items
        .into_iter()
        .flatten()
        .filter(|a| seen.insert(*a as *const Article))
        .map(|a| a.source.rel.clone())
        .collect()
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
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::config::SummaryLimits;
    use crate::content::{Source, render_article};

    /// Regression guard for the cost of an edit: a variant's item is
    /// converted again only when its article or body changed.
    #[test]
    fn an_unchanged_item_is_not_converted_again() {
        let config = Config::parse(
            Path::new("syndicated.toml"),
            "[site]\ntitle = \"T\"\nbase_url = \"https://news.example/\"\n",
        )
        .unwrap();
        let shown = |title: &str| {
            let source = Source::new(Path::new("c"), PathBuf::from("c/a.md"));
            let text = format!("---\ntitle: {title}\ndate: 2024-07-01\n---\n发展\n");
            let parsed = render_article(
                &config.site,
                SummaryLimits::default(),
                &source,
                text.as_bytes(),
            )
            .unwrap();
            let (article, body) = parsed.value;
            Shown {
                article: Arc::new(article),
                body: Arc::new(body),
            }
        };
        let mut feed = FeedSpec::parse(Path::new("feeds/all.toml"), "title = \"x\"").unwrap();
        feed.variant_of = Some(VariantOf {
            variant: Variant::Taiwan,
            name: "all".to_owned(),
            language: "zh-CN".to_owned(),
        });
        let feeds = [feed];
        let mut cache = HashMap::new();
        let first = shown("区");
        let mut items = vec![vec![first.clone()]];
        convert_items(&feeds, &mut items, &mut cache, "zh-CN");
        let converted = items[0][0].clone();
        assert_eq!(converted.article.title, "區");

        let mut again = vec![vec![first]];
        convert_items(&feeds, &mut again, &mut cache, "zh-CN");
        assert!(Arc::ptr_eq(&again[0][0].body, &converted.body), "reused");

        let mut edited = vec![vec![shown("发展")]];
        convert_items(&feeds, &mut edited, &mut cache, "zh-CN");
        assert_eq!(edited[0][0].article.title, "發展");
        assert_eq!(cache.len(), 1, "the old conversion is dropped");
    }
}
