//! A document's place in its feed's history (RFC 5005, Feed Paging and
//! Archiving) and the feed-level links that follow from it: `self`, the
//! WebSub hubs, `current`, `prev-archive` and `next-archive`.
//!
//! An archived feed's items, oldest first, are cut into archive pages of a
//! fixed number of items, page 1 the oldest. A page is served under a URL
//! that carries a digest of its bytes (`all/archive/3-0123456789ab.atom`),
//! and its bytes name the page before it by that page's digest URL, so a
//! page's URL changes whenever it or any older page changes: a URL serves
//! one set of bytes for good, and a client that walks back from the
//! subscription document until it meets a page it has already read has
//! seen every change (`publish::documents` says which pages there are).
//! The page's number alone (`all/archive/3.atom`) names whatever page 3 is
//! now: it redirects there (see [`archive_name`]).

use super::{document_url, self_url};
use crate::config::{FeedSpec, Format, Site};
use crate::render::media::Element;

/// The namespace of `fh:complete` and `fh:archive` (RFC 5005 §2, §4).
pub const FH_NS: &str = "http://purl.org/syndication/history/1.0";

/// A digest of an archive page's bytes in one format, as its URL carries
/// it: the top 48 bits of their XXH3-64 (12 hex digits; see [`digest`]).
pub type Digest = u64;

/// The [`Digest`] of `bytes`. XXH3 is no cryptographic hash: the digest
/// tells versions of a page apart, it does not vouch for them.
pub fn digest(bytes: &[u8]) -> Digest {
    xxhash_rust::xxh3::xxh3_64(bytes) >> 16
}

/// Where a document stands in its feed's history.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum History {
    /// The newest items of a feed that keeps no archive (no `archive` in its
    /// definition): nothing is said about older ones.
    #[default]
    Unarchived,
    /// The subscription document of an archived feed that holds every item
    /// the feed has: `fh:complete` (RFC 5005 §2).
    Complete,
    /// The subscription document of an archived feed whose older items are
    /// on archive pages: `prev-archive` links the newest (§4).
    Current {
        /// The number of the newest archive page.
        newest: usize,
        /// Its digest in the document's format.
        digest: Digest,
    },
    /// Archive page `page`: `fh:archive`, `current`, `prev-archive` (the
    /// page before, by its digest URL) and `next-archive` (the page after,
    /// by its number: it does not exist yet when this page is made) (§4).
    Archive {
        /// This page's number, from 1 (the oldest items).
        page: usize,
        /// Its digest, which its `self` link carries; `None` while the
        /// digest is being worked out (`self` is then the number URL).
        digest: Option<Digest>,
        /// The digest of page `page - 1`, if there is one.
        prev: Option<Digest>,
    },
}

/// The name of archive page `page` of the feed named `feed` in `format` by
/// its number (`all/archive/3.rss`, `tags/大运河/archive/1.json`), which
/// redirects to the page as it is now: what `next-archive`, the index page
/// and the OPML list link to, as it never changes.
pub fn archive_name(feed: &str, page: usize, format: Format) -> String {
    format!("{}.{}", page_path(feed, page, None), format.extension())
}

/// The name of archive page `page` of `feed` in `format` whose bytes have
/// `digest` (`all/archive/3-0123456789ab.atom`): where those bytes are
/// served, and only those.
pub fn archive_page_name(feed: &str, page: usize, digest: Digest, format: Format) -> String {
    format!(
        "{}.{}",
        page_path(feed, page, Some(digest)),
        format.extension()
    )
}

/// The URL of archive page `page` of `feed` in `format`: by its digest,
/// or, without one, by its number.
pub fn archive_url(
    site: &Site,
    feed: &FeedSpec,
    page: usize,
    digest: Option<Digest>,
    format: Format,
) -> String {
    document_url(site, &page_path(&feed.name, page, digest), format)
}

/// Archive page `page` of `feed` without its extension: by `digest` (12
/// lower-case hex digits) or by its number alone.
fn page_path(feed: &str, page: usize, digest: Option<Digest>) -> String {
    match digest {
        Some(digest) => format!("{feed}/archive/{page}-{digest:012x}"),
        None => format!("{feed}/archive/{page}"),
    }
}

/// The feed-level links of a document of `feed` in `format` at `history`,
/// as `(rel, href)`: `self` first, then the hubs (subscription documents
/// only: WebSub §4 has a publisher advertise them where subscribers fetch
/// the topic), then the history links.
pub fn links(
    site: &Site,
    feed: &FeedSpec,
    format: Format,
    history: History,
) -> Vec<(&'static str, String)> {
    let mut links = Vec::new();
    match history {
        History::Archive { page, digest, prev } => {
            links.push(("self", archive_url(site, feed, page, digest, format)));
            links.push(("current", self_url(site, feed, format)));
            if let Some(prev) = prev {
                links.push((
                    "prev-archive",
                    archive_url(site, feed, page - 1, Some(prev), format),
                ));
            }
            links.push((
                "next-archive",
                archive_url(site, feed, page + 1, None, format),
            ));
        }
        History::Unarchived | History::Complete | History::Current { .. } => {
            links.push(("self", self_url(site, feed, format)));
            links.extend(hubs(site, feed).iter().map(|hub| ("hub", hub.to_string())));
            if let History::Current { newest, digest } = history {
                links.push((
                    "prev-archive",
                    archive_url(site, feed, newest, Some(digest), format),
                ));
            }
        }
    }
    links
}

/// The WebSub hubs of `feed`: its own, or the site's; none for a
/// finished feed, which nothing more will come to (so its documents name
/// no hub and no hub is pinged).
pub fn hubs<'a>(site: &'a Site, feed: &'a FeedSpec) -> &'a [url::Url] {
    if feed.finished {
        return &[];
    }
    feed.hubs.as_deref().unwrap_or(&site.hubs)
}

/// `bytes` (an RSS or Atom document of `format`) with its history marker
/// written as the empty element it is (RFC 5005 §2, §4), where the XML
/// writers leave an opening and a closing tag around a line break. Only
/// the feed-level marker is touched: before the first item in RSS, after
/// the last entry in Atom, which is where the writers put it.
pub fn empty_marker(mut bytes: Vec<u8>, format: Format, history: History) -> Vec<u8> {
    let Some(name) = marker_name(history) else {
        return bytes;
    };
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let text = String::from_utf8_lossy(&bytes);
    let found = match format {
        Format::Rss => {
            let end = text.find("<item>").unwrap_or(text.len());
            text[..end].find(&open)
        }
        Format::Atom => {
            let start = text.rfind("</entry>").unwrap_or(0);
            text[start..].find(&open).map(|at| at + start)
        }
        Format::Json => None,
    };
    let Some(at) = found else {
        return bytes;
    };
    let after = at + open.len();
    let gap = text[after..].len() - text[after..].trim_start().len();
    if text[after + gap..].starts_with(&close) {
        let empty = format!("<{name}/>");
        bytes.splice(at..after + gap + close.len(), empty.into_bytes());
    }
    bytes
}

/// The marker's qualified name, if the document has one.
pub(super) fn marker_name(history: History) -> Option<&'static str> {
    match history {
        History::Complete => Some("fh:complete"),
        History::Archive { .. } => Some("fh:archive"),
        History::Unarchived | History::Current { .. } => None,
    }
}

/// `fh:complete` or `fh:archive`, the element that says what the document
/// holds (none for a feed that keeps no archive, or for the current
/// document of one that does).
pub fn marker(history: History) -> Option<Element> {
    let name = marker_name(history)?;
    Some(Element::new(name, std::collections::BTreeMap::new()))
}

/// JSON Feed's `next_url` (JSON Feed 1.1: the next, older items): the
/// newest archive page from the subscription document, the one before
/// from an archive page, each by its digest URL.
pub fn next_url(site: &Site, feed: &FeedSpec, history: History) -> Option<String> {
    let (page, digest) = match history {
        History::Current { newest, digest } => (newest, digest),
        History::Archive {
            page,
            prev: Some(prev),
            ..
        } => (page - 1, prev),
        _ => return None,
    };
    Some(archive_url(site, feed, page, Some(digest), Format::Json))
}
