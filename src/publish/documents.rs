//! Every document of one feed: its subscription document in each format,
//! within the feed's byte budget, and, for a feed with an archive, its
//! archive pages (RFC 5005 §4), each rendered again only when its items
//! changed.
//!
//! An archived feed's items, oldest first, are cut into pages of
//! `archive_page_size` (at most `limit`): page 1 holds the oldest, and only
//! full pages are made. The subscription document shows the newest `limit`
//! items, which include every item after the newest page, and links that
//! page (`prev-archive`). Each page is served under a URL that carries a
//! digest of its bytes, and names the page before it by that page's URL,
//! so a change anywhere in the history (an edit, a deletion, an older
//! article added) gives that page and every newer one new URLs, while a
//! URL once served never serves other bytes (RFC 5005 §4); a client that
//! walks back until it meets a page it has sees every change. A page's
//! number alone redirects to the page as it is now (the number after the
//! newest, to the subscription document), which is what `next-archive`
//! links: the next page does not exist when a page is made. A feed whose
//! items all fit in its subscription document has no pages but says
//! `fh:complete`. Pages are not held to the byte budget: leaving an item
//! out of one would leave a gap in the history.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;

use super::Document;
use super::languages::Translations;
use crate::config::{Config, ContentMode, FeedSpec, Format};
use crate::content::Shown;
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;
use crate::render::{self, Digest, History, Item};
use crate::snapshot::{Answer, Links, Serving};

/// One archive page as rendered: what it was rendered from (its items,
/// their translations, and the digest of the page before it in each of the
/// feed's formats), its digest and its document in each format. A feed's
/// pages are kept in order: page `n` is the `n`th.
#[derive(Debug, Clone)]
pub(super) struct ArchivePage {
    shown: Vec<Shown>,
    translations: Vec<Translations>,
    prev: Vec<Option<Digest>>,
    digests: Vec<Digest>,
    documents: Vec<Document>,
}

/// Every document of one feed, what rendering them found, and its archive
/// pages (none for a feed without an archive, or a complete one).
#[derive(Debug)]
pub(super) struct RenderedFeed {
    pub(super) documents: Vec<Document>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) pages: Vec<ArchivePage>,
}

/// Renders every document of `feed` from `shown` (its items with their
/// bodies, newest first: every item it keeps) within `budget`, and its HTML
/// page (which a browser asking for the feed gets); archive pages whose
/// items are those of the same page in `before` are reused.
pub(super) fn render_feed(
    config: &Config,
    feed: &FeedSpec,
    shown: &[Shown],
    translated: &HashMap<Arc<str>, Translations>,
    budget: usize,
    before: &[ArchivePage],
) -> RenderedFeed {
    let mut rendered = feed_documents(config, feed, shown, translated, budget, before);
    let items = shown
        .iter()
        .take(feed.limit)
        .map(|s| (&*s.article, Some(s.body.summary.as_str())));
    rendered.documents.push(Document {
        name: crate::pages::page_name(feed),
        serving: "text/html; charset=utf-8".into(),
        bytes: Bytes::from(crate::pages::feed_html(
            &config.site,
            feed,
            items,
            shown.len(),
        )),
    });
    rendered
}

/// The feed documents of [`render_feed`].
fn feed_documents(
    config: &Config,
    feed: &FeedSpec,
    shown: &[Shown],
    translated: &HashMap<Arc<str>, Translations>,
    budget: usize,
    before: &[ArchivePage],
) -> RenderedFeed {
    let entries = entries(feed, shown, translated);
    let current = &entries[..entries.len().min(feed.limit)];
    let Some(per_page) = feed.archive else {
        let (documents, diagnostics, _) =
            subscription(config, feed, current, budget, |_| History::Unarchived);
        return RenderedFeed {
            documents,
            diagnostics,
            pages: Vec::new(),
        };
    };
    // Pages only once the items pass `limit` (the rule the index page and
    // the OPML list follow too).
    let Some(full) = crate::pages::archive_pages(feed, shown.len()) else {
        let (documents, diagnostics, left_out) =
            subscription(config, feed, current, budget, |_| History::Complete);
        if !left_out {
            return RenderedFeed {
                documents,
                diagnostics,
                pages: Vec::new(),
            };
        }
        // Not complete: the budget left items out, which no page holds
        // yet (the warning says so). Saying nothing is the truth.
        let (documents, diagnostics, _) =
            subscription(config, feed, current, budget, |_| History::Unarchived);
        return RenderedFeed {
            documents,
            diagnostics,
            pages: Vec::new(),
        };
    };
    let pages = archive(
        config, feed, shown, &entries, translated, per_page, full, before,
    );
    // More items than `limit`, and a page holds at most `limit`: there is
    // a page, and the subscription document holds every newer item.
    let newest = pages.last().map_or(&[][..], |p| &p.digests[..]);
    let (mut documents, diagnostics, _) =
        subscription(config, feed, current, budget, |at| History::Current {
            newest: full,
            digest: newest.get(at).copied().unwrap_or_default(),
        });
    for page in &pages {
        documents.extend(page.documents.iter().cloned());
    }
    documents.extend(numbered(config, feed, &pages));
    RenderedFeed {
        documents,
        diagnostics,
        pages,
    }
}

/// The `full` archive pages of `feed`, oldest first, from its items
/// `shown` (newest first) and their `entries`; a page whose items and
/// older pages are those of the same page in `before` is reused.
#[allow(clippy::too_many_arguments)]
fn archive(
    config: &Config,
    feed: &FeedSpec,
    shown: &[Shown],
    entries: &[Item<'_>],
    translated: &HashMap<Arc<str>, Translations>,
    per_page: usize,
    full: usize,
    before: &[ArchivePage],
) -> Vec<ArchivePage> {
    let oldest_first: Vec<usize> = (0..shown.len()).rev().collect();
    let mut made: Vec<ArchivePage> = Vec::with_capacity(full);
    for page in 1..=full {
        let on_page: Vec<usize> = oldest_first
            .iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .rev()
            .copied()
            .collect();
        let page_shown: Vec<Shown> = on_page.iter().map(|&i| shown[i].clone()).collect();
        let translations: Vec<Translations> = page_shown
            .iter()
            .map(|s| {
                translated
                    .get(s.article.source.rel.as_ref())
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        let prev: Vec<Option<Digest>> = match made.last() {
            Some(older) => older.digests.iter().copied().map(Some).collect(),
            None => vec![None; feed.formats.len()],
        };
        let kept = before.get(page - 1).filter(|kept| {
            kept.prev == prev
                && kept.translations == translations
                && same_shown(&kept.shown, &page_shown)
        });
        let archive = match kept {
            Some(kept) => kept.clone(),
            None => {
                let page_entries: Vec<Item<'_>> = on_page.iter().map(|&i| entries[i]).collect();
                render_page(
                    config,
                    feed,
                    page,
                    &page_entries,
                    prev,
                    page_shown,
                    translations,
                )
            }
        };
        made.push(archive);
    }
    made
}

/// Archive page `page` of `feed` holding `entries`, after the pages whose
/// digests are `prev` (one per format), in each of the feed's formats.
/// Its digest is that of its bytes with `self` naming the page by its
/// number; the bytes served then name it by its digest.
fn render_page(
    config: &Config,
    feed: &FeedSpec,
    page: usize,
    entries: &[Item<'_>],
    prev: Vec<Option<Digest>>,
    shown: Vec<Shown>,
    translations: Vec<Translations>,
) -> ArchivePage {
    let mut digests = Vec::with_capacity(feed.formats.len());
    let mut documents = Vec::with_capacity(feed.formats.len());
    for (&format, &before) in feed.formats.iter().zip(&prev) {
        let render = |digest| {
            let history = History::Archive {
                page,
                digest,
                prev: before,
            };
            let bytes = render::render(format, &config.site, feed, entries, history);
            (bytes, history)
        };
        let digest = render::digest(&render(None).0);
        let (bytes, history) = render(Some(digest));
        digests.push(digest);
        documents.push(Document {
            name: render::archive_page_name(&feed.name, page, digest, format),
            serving: serving(config, feed, format, history, true),
            bytes: Bytes::from(bytes),
        });
    }
    ArchivePage {
        shown,
        translations,
        prev,
        digests,
        documents,
    }
}

/// Each page's number in each format (`all/archive/3.atom`), redirecting
/// to the page as it is now, and the number after the newest page,
/// redirecting to the subscription document: what `next-archive` links.
fn numbered(config: &Config, feed: &FeedSpec, pages: &[ArchivePage]) -> Vec<Document> {
    let site = &config.site;
    let mut documents = Vec::new();
    for (at, &format) in feed.formats.iter().enumerate() {
        let targets = (1..)
            .zip(pages)
            .map(|(n, p)| render::archive_url(site, feed, n, Some(p.digests[at]), format))
            .chain([render::self_url(site, feed, format)]);
        for (number, target) in (1..).zip(targets) {
            documents.push(Document {
                name: render::archive_name(&feed.name, number, format),
                bytes: Bytes::from(crate::pages::moved_note(&target)),
                serving: Serving {
                    answer: Answer::Redirect(target.into()),
                    ..Serving::from("text/html; charset=utf-8")
                },
            });
        }
    }
    documents
}

/// The feed's items as the renderers take them.
fn entries<'a>(
    feed: &FeedSpec,
    shown: &'a [Shown],
    translated: &'a HashMap<Arc<str>, Translations>,
) -> Vec<Item<'a>> {
    let full = feed.content == ContentMode::Full;
    shown
        .iter()
        .map(|shown| Item {
            translations: translated
                .get(shown.article.source.rel.as_ref())
                .map_or(&[][..], |t| &t[..]),
            article: &shown.article,
            body: &shown.body,
            // An article with no text to summarise (only code, or only
            // pictures) is shown whole even in a summary feed: its HTML is
            // all there is to show.
            full: full || shown.body.summary.is_empty(),
        })
        .collect()
}

/// The subscription document of `feed` in each format, each within
/// `budget` and at the place in the history `history` gives for the
/// format's index in the feed's formats, a warning for each that had to
/// shrink, and whether one left an item out.
fn subscription(
    config: &Config,
    feed: &FeedSpec,
    entries: &[Item<'_>],
    budget: usize,
    history: impl Fn(usize) -> History,
) -> (Vec<Document>, Vec<Diagnostic>, bool) {
    let mut diagnostics = Vec::new();
    let mut left_out = false;
    // A browser asking for a subscription document gets the feed's page.
    let page: Arc<str> = Arc::from(crate::pages::page_name(feed));
    let documents = feed
        .formats
        .iter()
        .enumerate()
        .map(|(at, &format)| {
            let history = history(at);
            let name = format!("{}.{}", feed.name, format.extension());
            let fitted =
                render::render_within(format, &config.site, feed, entries, budget, history);
            if fitted.summarised + fitted.left_out > 0 {
                diagnostics.push(over_budget(feed, &name, budget, &fitted));
            }
            left_out |= fitted.left_out > 0;
            Document {
                name,
                serving: Serving {
                    page: Some(Arc::clone(&page)),
                    ..serving(config, feed, format, history, false)
                },
                bytes: Bytes::from(fitted.bytes),
            }
        })
        .collect();
    (documents, diagnostics, left_out)
}

/// How a document of `feed` in `format` at `history` is served: its
/// links (and WebSub topic) as HTTP headers.
fn serving(
    config: &Config,
    feed: &FeedSpec,
    format: Format,
    history: History,
    immutable: bool,
) -> Serving {
    Serving {
        content_type: format.media_type(),
        links: Arc::new(Links::new(&render::links(
            &config.site,
            feed,
            format,
            history,
        ))),
        immutable,
        page: None,
        answer: Answer::Bytes,
        superseded: None,
    }
}

/// Whether two lists hold the same versions of the same items.
fn same_shown(a: &[Shown], b: &[Shown]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(a, b)| Arc::ptr_eq(&a.article, &b.article) && Arc::ptr_eq(&a.body, &b.body))
}

/// The warning for a document that had to shrink to fit its budget.
fn over_budget(feed: &FeedSpec, name: &str, budget: usize, fitted: &render::Fitted) -> Diagnostic {
    let summarised = (fitted.summarised > 0)
        .then(|| Message::new("budget-summarised").arg("n", fitted.summarised));
    let left_out =
        (fitted.left_out > 0).then(|| Message::new("budget-left-out").arg("n", fitted.left_out));
    let costs = match (summarised, left_out) {
        (Some(first), Some(second)) => Message::new("two-things")
            .arg("first", first)
            .arg("second", second),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => Message::Text(String::new()),
    };
    let message = Message::new("budget-over")
        .arg("document", name)
        .arg("costs", costs)
        .arg("budget", budget);
    Diagnostic::warning(&feed.file, feed.max_bytes.map(|(_, line)| line), message)
}
