//! Feed documents from articles: `(site, feed, items) → bytes`, one
//! submodule per format.
//!
//! Rendering is a pure function: no clock, no I/O, no randomness. The same
//! items give the same bytes on every machine, so replicas and rebuilds agree
//! on ETags. Feed-level dates come from the newest item (or the Unix epoch for
//! a feed with no items). Dates are written in the site's time zone.

mod atom;
mod history;
mod json;
mod media;
mod podcast;
mod rss;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::config::{FeedSpec, Format, Site};
use crate::content::{Article, Body, Person};
pub use history::{
    Digest, FH_NS, History, archive_name, archive_page_name, archive_url, digest, hubs, links,
};
pub use media::{icon, logo};
pub use rss::channel_picture;

/// One entry of a feed.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    /// The article's metadata.
    pub article: &'a Article,
    /// Its rendered body and summary.
    pub body: &'a Body,
    /// Whether the item carries the whole text, or only its summary (a
    /// summary feed, or a full one that had to fit its byte budget).
    pub full: bool,
    /// The article's translations, as `(language, link)`.
    pub translations: &'a [(String, String)],
}

/// A feed document rendered within its byte budget, and what that cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fitted {
    /// The document, at most the budget long.
    pub bytes: Vec<u8>,
    /// Items that carry only their summary to fit.
    pub summarised: usize,
    /// The oldest items, left out to fit.
    pub left_out: usize,
}

/// Renders `items` as `format` in at most `budget` bytes. When the whole
/// document is larger: as many of the newest items as fit even as
/// summaries are kept (the oldest are left out), and among them, newest
/// first, each is whole if its text fits beside the summaries of the rest
/// and the newer whole items. An item is cut only when it could not be
/// whole even alone beside the summaries, so an older item is whole while
/// a newer one is cut only when the newer one is too large for any plan.
/// A document whose items all fit is exactly what [`render`] gives. Only a
/// feed whose title and description alone exceed the budget stays over it,
/// with no items.
pub fn render_within(
    format: Format,
    site: &Site,
    feed: &FeedSpec,
    items: &[Item<'_>],
    budget: usize,
    history: History,
) -> Fitted {
    let bytes = render(format, site, feed, items, history);
    if bytes.len() <= budget {
        return Fitted {
            bytes,
            summarised: 0,
            left_out: 0,
        };
    }
    // What each item adds to the document, as a summary and whole: rendered
    // alone, less the document without items. Close, not exact (feed-level
    // dates come from the items), so the result is measured and trimmed.
    let base = render(format, site, feed, &[], history).len();
    let cost = |item: &Item<'_>, full: bool| {
        let item = Item { full, ..*item };
        render(format, site, feed, &[item], history)
            .len()
            .saturating_sub(base)
    };
    let mut left = budget.saturating_sub(base);
    let mut plan: Vec<Item<'_>> = Vec::with_capacity(items.len());
    let mut summaries = Vec::with_capacity(items.len());
    for item in items {
        let summary = cost(item, false);
        if summary > left {
            break;
        }
        left -= summary;
        summaries.push(summary);
        plan.push(Item {
            full: false,
            ..*item
        });
    }
    // Whole from the newest down, each if its text fits in what is left. An
    // item cut here could not be whole beside the others' summaries even
    // if no other item were whole, so no newer item ever loses its text to
    // an older one.
    for ((shown, wanted), summary) in plan.iter_mut().zip(items).zip(&summaries) {
        if !wanted.full {
            continue;
        }
        let more = cost(wanted, true).saturating_sub(*summary);
        if more <= left {
            left -= more;
            shown.full = true;
        }
    }
    loop {
        let bytes = render(format, site, feed, &plan, history);
        if bytes.len() <= budget || plan.is_empty() {
            return Fitted {
                bytes,
                summarised: plan
                    .iter()
                    .zip(items)
                    .filter(|(shown, wanted)| wanted.full && !shown.full)
                    .count(),
                left_out: items.len() - plan.len(),
            };
        }
        plan.pop();
    }
}

/// Renders `items` (already selected and ordered) as `format`.
///
/// Every string reaching an XML document was cleaned where it was read, and
/// every document passes [`strip_illegal_xml`] once more on its way out: no
/// input can make one ill-formed.
///
/// `history` says where the document stands in the feed's history: the
/// links and the RFC 5005 marker it carries.
pub fn render(
    format: Format,
    site: &Site,
    feed: &FeedSpec,
    items: &[Item<'_>],
    history: History,
) -> Vec<u8> {
    match format {
        Format::Rss => strip_illegal_xml(history::empty_marker(
            rss::render(site, feed, items, history),
            format,
            history,
        )),
        Format::Atom => strip_illegal_xml(history::empty_marker(
            atom::render(site, feed, items, history),
            format,
            history,
        )),
        // serde_json escapes control characters; JSON can carry them all.
        Format::Json => json::render(site, feed, items, history),
    }
}

/// The XML document `bytes` without any character XML 1.0 cannot carry
/// (XML 1.0 §2.2). Removing one from serialised XML keeps it well-formed:
/// such characters can only stand in text and attribute values.
pub fn strip_illegal_xml(bytes: Vec<u8>) -> Vec<u8> {
    match std::str::from_utf8(&bytes) {
        Ok(text) if crate::text::find_illegal_xml_char(text).is_some() => text
            .chars()
            .filter(|&c| !crate::text::is_illegal_xml_char(c))
            .collect::<String>()
            .into_bytes(),
        _ => bytes,
    }
}

/// An item's language when it is not the feed's (compared as BCP 47 tags
/// are, ignoring case): the only case a format must say it.
fn item_language<'a>(site: &'a Site, feed: &FeedSpec, article: &'a Article) -> Option<&'a str> {
    let lang = article.lang().unwrap_or(&site.language);
    (!lang.eq_ignore_ascii_case(feed_language(site, feed))).then_some(lang)
}

/// Plain text as HTML: what a field that holds HTML (RSS `description`)
/// needs, so that `<head>` in a sentence is shown and not read as a tag.
fn html_text(text: &str) -> String {
    // `&`, `<` and `>` only: `&apos;` is not an HTML 4 entity.
    quick_xml::escape::partial_escape(text).into_owned()
}

/// Where the feed says it lives (its self link): its document name, each
/// path segment percent-encoded, joined to the site's feeds URL.
pub fn self_url(site: &Site, feed: &FeedSpec, format: Format) -> String {
    document_url(site, &feed.name, format)
}

/// Where the feed named `name` is served in `format`.
fn document_url(site: &Site, name: &str, format: Format) -> String {
    url_of(site, &format!("{name}.{}", format.extension()))
}

/// Where the document named `name` (`all.rss`, `tags/运河.html`) is
/// served: each path segment percent-encoded, joined to the site's feeds
/// URL.
pub fn url_of(site: &Site, name: &str) -> String {
    let file = crate::text::url_path(name);
    site.feeds_url
        .join(&file)
        .map_or_else(|_| format!("{}{file}", site.feeds_url), String::from)
}

/// The same feed in other languages, as `(hreflang, href)`: a variant's
/// feed links the feed it converts, a feed each of its variants (Atom
/// `link rel="alternate" hreflang`, RFC 4287 §4.2.7.4).
fn alternates(site: &Site, feed: &FeedSpec, format: Format) -> Vec<(String, String)> {
    let url = |name: &str| document_url(site, name, format);
    match &feed.variant_of {
        Some(of) => vec![(of.language.clone(), url(&of.name))],
        None => feed
            .variants
            .iter()
            .flatten()
            .map(|v| {
                (
                    v.tag().to_owned(),
                    url(&format!("{}.{}", feed.name, v.tag())),
                )
            })
            .collect(),
    }
}

/// The language a feed is in: its own, or the site's.
fn feed_language<'a>(site: &'a Site, feed: &'a FeedSpec) -> &'a str {
    feed.language.as_deref().unwrap_or(&site.language)
}

/// The newest change among the items: the feed's own last-modified date.
/// A feed with no items at all is dated by the Unix epoch.
fn feed_updated(items: &[Item<'_>]) -> Timestamp {
    items
        .iter()
        .map(|i| i.article.modified())
        .max()
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The newest publication date among the items (dated as
/// [`feed_updated`] when there are none).
fn feed_published(items: &[Item<'_>]) -> Timestamp {
    items
        .iter()
        .map(|i| i.article.date)
        .max()
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Whole seconds: feeds do not carry fractions, and a fraction would make two
/// renders of the same moment differ.
fn whole_seconds(ts: Timestamp) -> Timestamp {
    Timestamp::from_second(ts.as_second()).unwrap_or(ts)
}

/// `2024-06-28T09:00:00+08:00`
fn rfc3339(ts: Timestamp, tz: &TimeZone) -> String {
    let ts = whole_seconds(ts);
    ts.display_with_offset(tz.to_offset(ts)).to_string()
}

/// `Fri, 28 Jun 2024 09:00:00 +0800`
fn rfc2822(ts: Timestamp, tz: &TimeZone) -> String {
    let zdt = whole_seconds(ts).to_zoned_datetime(tz.clone());
    jiff::fmt::rfc2822::to_string(&zdt).unwrap_or_else(|_| zdt.to_string())
}

/// The article's category then its tags, without repeats.
fn categories(article: &Article) -> Vec<&str> {
    let mut all: Vec<&str> = Vec::with_capacity(article.tags.len() + 1);
    for term in article.category.iter().chain(&article.tags) {
        if !all.contains(&&**term) {
            all.push(term);
        }
    }
    all
}

/// Who the feed is by: the site's author, or else the site itself.
fn site_author(site: &Site) -> Person {
    Person {
        name: site.author.as_deref().unwrap_or(&site.title).into(),
        email: None,
        uri: site.author.is_none().then(|| site.base_url.as_str().into()),
    }
}

/// The feed's description: its own, the site's, or its title.
fn description<'a>(site: &'a Site, feed: &'a FeedSpec) -> &'a str {
    feed.description
        .as_deref()
        .or(site.description.as_deref())
        .unwrap_or(&feed.title)
}
