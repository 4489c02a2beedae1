//! Selection: which articles each feed takes ([`takes`]: filters,
//! exclusions, opt-outs), its newest `limit` of them, every feed there is
//! at a moment (families made from the articles), and which articles some
//! feed shows.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;

use super::families;
use crate::config::{Config, FeedSpec, Filter, Format, Site};
use crate::content::{Article, Store, Wanted};
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;
use crate::render;

/// Whether `feed` takes `article`: it meets every key of the feed's
/// `[filter]` and none of its `[exclude]`, has the value of a family's feed,
/// and has not opted out (`feeds: false`, or the feed's name, or its
/// family's, in its `exclude_from`). `language` is the site's, which an
/// article without `lang` is in.
pub fn takes(feed: &FeedSpec, article: &Article, language: &str) -> bool {
    let family = feed.member.as_ref().map(|m| m.family.as_str());
    article.in_feeds
        && !article
            .exclude_from()
            .0
            .iter()
            .any(|name| *name == feed.name || Some(name.as_str()) == family)
        && meets(&feed.filter, article, language).all(|met| met)
        && !meets(&feed.exclude, article, language).any(|met| met)
        && feed.member.as_ref().is_none_or(|m| {
            crate::content::facet_values(m.each, article, language)
                .iter()
                .any(|v| *v == m.value)
        })
        // A podcast's items are episodes: each needs its sound (or video).
        && (feed.podcast.is_none() || !article.enclosures.is_empty())
}

/// A warning when a feed published as RSS has a logo or an icon but its
/// RSS channel gets no `<image>`, as neither is a GIF, JPEG or PNG.
fn without_rss_image(site: &Site, feed: &FeedSpec) -> Option<Diagnostic> {
    let mut pictures: Vec<String> = render::logo(site, feed)
        .into_iter()
        .chain(render::icon(site, feed))
        .map(|(url, _)| url)
        .collect();
    let missing = feed.formats.contains(&Format::Rss)
        && !pictures.is_empty()
        && render::channel_picture(site, feed).is_none();
    missing.then(|| {
        Diagnostic::warning(
            &feed.file,
            None,
            Message::new("feed-no-rss-image")
                .arg("feed", feed.name.as_str())
                .arg("pictures", both(&mut pictures)),
        )
    })
}

/// The one or two `names` (a logo and an icon) named together.
fn both(names: &mut Vec<String>) -> Message {
    match (names.pop(), names.pop()) {
        (Some(second), Some(first)) => Message::new("two-things")
            .arg("first", first)
            .arg("second", second),
        (Some(one), None) => Message::Text(one),
        _ => Message::Text(String::new()),
    }
}

/// Whether `media` is Opus sound, by its type or its name.
fn is_opus(media: &crate::content::Media) -> bool {
    media
        .facts
        .mime
        .as_deref()
        .is_some_and(|m| m.contains("opus"))
        || media.url.path().to_ascii_lowercase().ends_with(".opus")
}

/// A warning for each episode of a podcast feed whose picture breaks the
/// directories' artwork rules (it is then no `itunes:image`, though still
/// the item's picture) or whose enclosure is Opus (Apple Podcasts takes
/// MP3, AAC and other formats, not Opus), and for each article the feed
/// would show but for its missing enclosure, among those newer than the
/// feed's oldest item.
fn episode_warnings<'a>(
    feed: &FeedSpec,
    newest: impl Iterator<Item = &'a Arc<Article>>,
    now: Timestamp,
    language: &str,
) -> Vec<Diagnostic> {
    let mut taken = 0;
    let mut out = Vec::new();
    for article in newest.filter(|a| a.is_published(now)) {
        if taken == feed.limit {
            break;
        }
        if takes(feed, article, language) {
            taken += 1;
            if let Some(opus) = article.enclosures.iter().find(|e| is_opus(&e.media)) {
                out.push(Diagnostic::warning(
                    &article.source.file(),
                    Some(1),
                    Message::new("episode-opus")
                        .arg("url", opus.media.url.as_str())
                        .arg("feed", feed.name.as_str()),
                ));
            }
            let image = article.image.as_deref();
            if let Some((image, problem)) =
                image.and_then(|i| Some((i, i.media.facts.unfit_artwork.as_deref()?)))
            {
                out.push(Diagnostic::warning(
                    &article.source.file(),
                    usize::try_from(image.line).ok(),
                    Message::new("episode-unfit-image")
                        .arg("problem", problem.clone())
                        .arg("feed", feed.name.as_str()),
                ));
            }
        } else if article.enclosures.is_empty() {
            let plain = FeedSpec {
                podcast: None,
                ..feed.clone()
            };
            if takes(&plain, article, language) {
                out.push(Diagnostic::warning(
                    &article.source.file(),
                    Some(1),
                    Message::new("episode-no-enclosure").arg("feed", feed.name.as_str()),
                ));
            }
        }
    }
    out
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
    let authors = || article.authors.iter().map(|a| &*a.name);
    let tags = || article.tags.iter().map(|t| &**t);
    let article_language = article.lang().unwrap_or(language);
    [
        (!filter.categories.is_empty())
            .then(|| any(&filter.categories, article.category.iter().map(|c| &**c))),
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

/// The items of `feed` at `now`: of `newest` (articles newest first), the
/// first `limit` published ones it takes (see [`takes`]; `language` is the
/// site's).
fn select<'a>(
    feed: &FeedSpec,
    newest: impl Iterator<Item = &'a Arc<Article>>,
    now: Timestamp,
    language: &str,
) -> Vec<Arc<Article>> {
    newest
        .filter(|a| a.is_published(now) && takes(feed, a, language))
        .take(feed.keeps())
        .cloned()
        .collect()
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
        let (exclude_from, line) = article.exclude_from();
        for name in exclude_from.iter().filter(|n| !known(n)) {
            let names: Vec<&str> = defined.iter().map(|f| f.name.as_str()).collect();
            out.push(Diagnostic::warning(
                &article.source.file(),
                line,
                Message::new("article-exclude-unknown")
                    .arg("name", name.as_str())
                    .arg("names", names.join(", ")),
            ));
        }
    }
    out
}

/// A feed's items: its newest `limit` published articles that it takes,
/// newest first. Shared: a feed whose items did not change keeps the same
/// value from one publication to the next, which is how the stages after
/// selection know, without looking inside, that there is nothing to redo.
pub type Items = Arc<[Arc<Article>]>;

/// What selection keeps from one publication to the next: the feeds of
/// the families as made, each feed's items, and how many feeds show each
/// article (whose bodies the store keeps).
#[derive(Debug, Default)]
pub struct Selector {
    made: families::Made,
    /// By feed name: its items, and the round that last saw it.
    last: HashMap<String, (Items, u64)>,
    /// By article path: how many feeds show it.
    counts: HashMap<Arc<str>, usize>,
    round: u64,
    /// What changed since [`shown`] last reported, including what a
    /// selection made for publishing found (when a file changed again
    /// while bodies were rendered), so that nothing goes unreported.
    pending: Wanted,
}

/// Every feed there is at `now` (the feeds defined one by one, then the
/// feeds of each family, made from the articles), each with its items, and
/// what making them found (values of a family that cannot name a feed).
pub(super) struct Selection {
    pub(super) feeds: Vec<Arc<FeedSpec>>,
    pub(super) items: Vec<Items>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// Every article that can be published, newest first: the store's order,
/// or (a build's store keeps none) the articles sorted once, when first
/// asked for.
struct NewestFirst<'s> {
    store: &'s Store,
    sorted: std::cell::OnceCell<Vec<Arc<Article>>>,
}

impl NewestFirst<'_> {
    fn iter(&self) -> Box<dyn Iterator<Item = &Arc<Article>> + '_> {
        match self.store.newest_first() {
            Some(newest) => Box::new(newest),
            None => Box::new(
                self.sorted
                    .get_or_init(|| {
                        let mut all: Vec<Arc<Article>> = self.store.eligible().cloned().collect();
                        all.sort_unstable_by(|a, b| {
                            b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id))
                        });
                        all
                    })
                    .iter(),
            ),
        }
    }
}

/// Selects the items of every feed at `now` (see [`Selection`]), reusing
/// what `selector` kept wherever the articles involved did not change.
pub(super) fn select_all(
    feeds: &[FeedSpec],
    store: &Store,
    now: Timestamp,
    config: &Config,
    selector: &mut Selector,
) -> Selection {
    let language = config.site.language.as_str();
    let newest = NewestFirst {
        store,
        sorted: std::cell::OnceCell::new(),
    };
    let mut selection = Selection {
        feeds: Vec::with_capacity(feeds.len()),
        items: Vec::with_capacity(feeds.len()),
        diagnostics: Vec::new(),
    };
    // Of every definition, a family's too.
    selection.diagnostics.extend(
        feeds
            .iter()
            .filter_map(|feed| without_rss_image(&config.site, feed)),
    );
    // A retired or moved feed answers in its documents' stead
    // (`departed.rs`); it is not selected.
    for feed in feeds
        .iter()
        .filter(|f| f.family.is_none() && f.is_published())
    {
        let items = select(feed, newest.iter(), now, language);
        if items.is_empty() {
            let message = Message::new("feed-empty").arg("feed", feed.name.as_str());
            selection
                .diagnostics
                .push(Diagnostic::warning(&feed.file, None, message));
        }
        if feed.podcast.is_some() {
            selection
                .diagnostics
                .extend(episode_warnings(feed, newest.iter(), now, language));
        }
        let items = match selector.last.get(&feed.name) {
            Some((last, _)) if same_items(last, &items) => Arc::clone(last),
            _ => Items::from(items),
        };
        selection.feeds.push(Arc::new(feed.clone()));
        selection.items.push(items);
    }
    select_families(feeds, &newest, now, config, selector, &mut selection);
    selector.count(&selection.feeds, &selection.items);
    selection
}

/// Adds the feeds of every family among `feeds` to `selection`, each with
/// its items; a family in another's folder is an error.
fn select_families(
    feeds: &[FeedSpec],
    newest: &NewestFirst<'_>,
    now: Timestamp,
    config: &Config,
    selector: &mut Selector,
    selection: &mut Selection,
) {
    let store = newest.store;
    let mut prefixes: Vec<(&str, &FeedSpec)> = Vec::new();
    for family in feeds.iter() {
        let Some(spec) = &family.family else { continue };
        // Two families in one folder would serve each other's documents.
        if let Some((_, first)) = prefixes.iter().find(|(p, _)| *p == spec.prefix) {
            selection.diagnostics.push(Diagnostic::error(
                &family.file,
                None,
                Message::new("family-same-path")
                    .arg("prefix", spec.prefix.as_str())
                    .arg("first", first.file.display().to_string()),
            ));
            continue;
        }
        prefixes.push((&spec.prefix, family));
        let postings = store.postings_of(spec.each, newest.iter());
        let (members, warnings) = families::members(
            family,
            &postings,
            store.generation(),
            now,
            config,
            &mut selector.made,
        );
        for (feed, items) in members {
            selection.feeds.push(feed);
            selection.items.push(items);
        }
        selection.diagnostics.extend(warnings);
    }
}

/// Whether two lists hold the same versions of the same articles.
pub(super) fn same_items(a: &[Arc<Article>], b: &[Arc<Article>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| Arc::ptr_eq(a, b))
}

impl Selector {
    /// Records each feed's items, and adds to what is pending how what
    /// feeds show changed: the articles of each feed whose items changed,
    /// and the articles no feed shows any more.
    fn count(&mut self, feeds: &[Arc<FeedSpec>], items: &[Items]) {
        self.round += 1;
        let round = self.round;
        let mut wanted = std::mem::take(&mut self.pending);
        let up = |counts: &mut HashMap<Arc<str>, usize>, items: &Items, wanted: &mut Wanted| {
            for article in items.iter() {
                *counts.entry(article.source.rel.clone()).or_default() += 1;
                wanted.fresh.push(article.source.rel.clone());
            }
        };
        let down = |counts: &mut HashMap<Arc<str>, usize>, items: &Items, wanted: &mut Wanted| {
            for article in items.iter() {
                let rel = article.source.rel.as_ref();
                if let Some(count) = counts.get_mut(rel) {
                    *count -= 1;
                    if *count == 0 {
                        counts.remove(rel);
                        wanted.gone.push(rel.into());
                    }
                }
            }
        };
        for (feed, items) in feeds.iter().zip(items) {
            match self.last.get_mut(&feed.name) {
                Some((last, seen)) => {
                    *seen = round;
                    if !Arc::ptr_eq(last, items) {
                        up(&mut self.counts, items, &mut wanted);
                        down(&mut self.counts, last, &mut wanted);
                        *last = Arc::clone(items);
                    }
                }
                None => {
                    up(&mut self.counts, items, &mut wanted);
                    self.last
                        .insert(feed.name.clone(), (Arc::clone(items), round));
                }
            }
        }
        let counts = &mut self.counts;
        self.last.retain(|_, (last, seen)| {
            let kept = *seen == round;
            if !kept {
                down(counts, last, &mut wanted);
            }
            kept
        });
        // An article that left one feed for another is still shown.
        wanted.gone.retain(|rel| !counts.contains_key(rel));
        wanted.gone.sort_unstable();
        wanted.gone.dedup();
        // Pending from an earlier selection, and shown no more since.
        wanted.fresh.retain(|rel| counts.contains_key(rel));
        wanted.fresh.sort_unstable();
        wanted.fresh.dedup();
        self.pending = wanted;
    }
}

/// The articles some feed shows at `now`, as far as they changed since the
/// previous selection with `selector`: what the store must render before
/// [`publish`](super::publish()) and what it may drop (see
/// [`Store::render_shown`]).
pub(super) fn shown(
    feeds: &[FeedSpec],
    store: &Store,
    now: Timestamp,
    config: &Config,
    selector: &mut Selector,
) -> Wanted {
    select_all(feeds, store, now, config, selector);
    std::mem::take(&mut selector.pending)
}
