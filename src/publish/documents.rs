//! Every document of one feed: its subscription document in each format,
//! within the feed's byte budget, and, for a feed with an archive, its
//! archive pages (RFC 5005 §4), each rendered again only when its items
//! changed.
//!
//! An archived feed's items, oldest first, are cut into pages of
//! `archive_page_size` (at most `limit`): page 1 holds the oldest. Every
//! item is on exactly one page. The subscription document shows the newest
//! `limit` items, which include every item after the newest full page, and
//! links that page (`prev-archive`): a reader walking back meets only full
//! pages, whose items never change (RFC 5005 §4). The page after the
//! newest full one holds those newer items as they come (empty when the
//! items fill their pages exactly), so that every full page's
//! `next-archive` exists from the moment it fills. A feed whose items all
//! fit in its subscription document has no pages but says `fh:complete`.
//! Pages are not held to the byte budget: leaving an item out of one would
//! leave a gap in the history.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;

use super::Document;
use super::languages::Translations;
use crate::config::{Config, ContentMode, FeedSpec, Format};
use crate::content::Shown;
use crate::diagnostic::Diagnostic;
use crate::render::{self, History, Item};
use crate::snapshot::{Links, Serving};

/// One archive page as rendered: what it was rendered from (its items,
/// their translations, its place), and its document in each format.
#[derive(Debug, Clone)]
pub(super) struct ArchivePage {
    shown: Vec<Shown>,
    translations: Vec<Translations>,
    history: History,
    documents: Vec<Document>,
}

/// Every document of one feed, what rendering them found, and its archive
/// pages (none for a feed without an archive, or a complete one).
#[derive(Debug)]
pub(super) struct Rendered {
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
) -> Rendered {
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
) -> Rendered {
    let entries = entries(feed, shown, translated);
    let current = &entries[..entries.len().min(feed.limit)];
    let Some(per_page) = feed.archive else {
        let (documents, diagnostics, _) =
            subscription(config, feed, current, budget, History::Unarchived);
        return Rendered {
            documents,
            diagnostics,
            pages: Vec::new(),
        };
    };
    // Full pages only once the items pass `limit` (the rule the index page
    // and the OPML list follow too).
    let Some(full) = crate::pages::archive_pages(feed, shown.len()) else {
        let (documents, diagnostics, left_out) =
            subscription(config, feed, current, budget, History::Complete);
        if !left_out {
            return Rendered {
                documents,
                diagnostics,
                pages: Vec::new(),
            };
        }
        // Not complete: the budget left items out, which no page holds
        // yet (the warning says so). Saying nothing is the truth.
        let (documents, diagnostics, _) =
            subscription(config, feed, current, budget, History::Unarchived);
        return Rendered {
            documents,
            diagnostics,
            pages: Vec::new(),
        };
    };
    // More items than `limit`, and a page holds at most `limit`: at least
    // one page is full, and the subscription document holds every item
    // newer than the newest full page.
    let pages = full + 1;
    let (mut documents, diagnostics, _) = subscription(
        config,
        feed,
        current,
        budget,
        History::Current { newest: full },
    );
    let newest_change = shown.iter().map(|s| s.article.modified()).max();
    let oldest_first: Vec<usize> = (0..shown.len()).rev().collect();
    let mut made = Vec::with_capacity(pages);
    for page in 1..=pages {
        let start = (page - 1) * per_page;
        let on_page: Vec<usize> = oldest_first
            .iter()
            .skip(start)
            .take(per_page)
            .rev()
            .copied()
            .collect();
        let page_shown: Vec<Shown> = on_page.iter().map(|&i| shown[i].clone()).collect();
        let history = History::Archive {
            page,
            pages,
            empty_since: newest_change.filter(|_| on_page.is_empty()),
        };
        let translations: Vec<Translations> = page_shown
            .iter()
            .map(|s| {
                translated
                    .get(s.article.source.rel.as_ref())
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        let archive = match before.get(page - 1) {
            Some(kept)
                if kept.history == history
                    && kept.translations == translations
                    && same_shown(&kept.shown, &page_shown) =>
            {
                kept.clone()
            }
            _ => {
                let page_entries: Vec<Item<'_>> = on_page.iter().map(|&i| entries[i]).collect();
                let immutable = page_shown.len() == per_page;
                ArchivePage {
                    documents: feed
                        .formats
                        .iter()
                        .map(|&format| Document {
                            name: render::archive_name(&feed.name, page, format),
                            serving: serving(config, feed, format, history, immutable),
                            bytes: Bytes::from(render::render(
                                format,
                                &config.site,
                                feed,
                                &page_entries,
                                history,
                            )),
                        })
                        .collect(),
                    shown: page_shown,
                    history,
                    translations,
                }
            }
        };
        documents.extend(archive.documents.iter().cloned());
        made.push(archive);
    }
    Rendered {
        documents,
        diagnostics,
        pages: made,
    }
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
/// `budget`, a warning for each that had to shrink, and whether one left
/// an item out.
fn subscription(
    config: &Config,
    feed: &FeedSpec,
    entries: &[Item<'_>],
    budget: usize,
    history: History,
) -> (Vec<Document>, Vec<Diagnostic>, bool) {
    let mut diagnostics = Vec::new();
    let mut left_out = false;
    // A browser asking for a subscription document gets the feed's page.
    let page: Arc<str> = Arc::from(crate::pages::page_name(feed));
    let documents = feed
        .formats
        .iter()
        .map(|&format| {
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
