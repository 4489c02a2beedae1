//! Selection: which articles each feed takes ([`takes`]: filters,
//! exclusions, opt-outs), its newest `limit` of them, every feed there is
//! at a moment (families made from the articles), and which articles some
//! feed shows.

use std::collections::BTreeSet;

use jiff::Timestamp;

use super::families;
use crate::config::{FeedSpec, Filter};
use crate::content::{Article, Store};
use crate::diagnostic::Diagnostic;

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
pub(super) fn meets<'a>(
    filter: &'a Filter,
    article: &'a Article,
    language: &'a str,
) -> impl Iterator<Item = bool> + 'a {
    // Whether any of `have` is wanted, or every wanted value is had.
    fn any<'h>(wanted: &[String], mut have: impl Iterator<Item = &'h str>) -> bool {
        have.any(|h| wanted.iter().any(|w| w == h))
    }
    fn all<'h>(wanted: &[String], have: impl Iterator<Item = &'h str> + Clone) -> bool {
        wanted.iter().all(|w| have.clone().any(|h| h == w))
    }
    let authors = || article.authors.iter().map(|a| a.name.as_str());
    let tags = || article.tags.iter().map(String::as_str);
    let article_language = article.lang.as_deref().unwrap_or(language);
    [
        (!filter.categories.is_empty()).then(|| {
            any(
                &filter.categories,
                article.category.iter().map(String::as_str),
            )
        }),
        (!filter.tags.is_empty()).then(|| any(&filter.tags, tags())),
        (!filter.tags_all.is_empty()).then(|| all(&filter.tags_all, tags())),
        (!filter.authors.is_empty()).then(|| any(&filter.authors, authors())),
        (!filter.authors_all.is_empty()).then(|| all(&filter.authors_all, authors())),
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

/// A warning for each name in an article's `exclude_from` that names no
/// feed, family or family's feed among the `defined` (a typo would leave the
/// article in the feed it meant to leave).
pub(super) fn unknown_feed_names(defined: &[FeedSpec], articles: &[&Article]) -> Vec<Diagnostic> {
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

/// Every feed there is at `now` (the feeds defined one by one, then the
/// feeds of each family, made from the articles), each with its items: its
/// `limit` newest published articles that it takes; and what making them
/// found (values of a family that cannot name a feed).
pub(super) struct Selection<'s> {
    pub(super) feeds: Vec<FeedSpec>,
    pub(super) items: Vec<Vec<&'s Article>>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

pub(super) fn select_all<'s>(
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
/// folder: those whose bodies the store must hold before [`publish`](super::publish())
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
