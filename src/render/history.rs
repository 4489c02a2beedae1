//! A document's place in its feed's history (RFC 5005, Feed Paging and
//! Archiving) and the feed-level links that follow from it: `self`, the
//! WebSub hubs, `current`, `prev-archive` and `next-archive`.
//!
//! An archived feed's items, oldest first, are cut into archive pages of a
//! fixed number of items, page 1 the oldest: a page holds the same items
//! whatever is published after them, so a full page's bytes never change
//! when new items arrive (`publish::documents` says which pages there are).

use super::{document_url, self_url};
use crate::config::{FeedSpec, Format, Site};
use crate::render::media::Element;

/// The namespace of `fh:complete` and `fh:archive` (RFC 5005 §2, §4).
pub const FH_NS: &str = "http://purl.org/syndication/history/1.0";

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
    /// on archive pages: `prev-archive` links page `newest` (§4).
    Current {
        /// The number of the newest full archive page.
        newest: usize,
    },
    /// Archive page `page` of `pages`: `fh:archive`, `current`, and
    /// `prev-archive` and `next-archive` where those pages exist (§4).
    Archive {
        /// This page's number, from 1 (the oldest items).
        page: usize,
        /// How many pages there are.
        pages: usize,
        /// For the empty newest page (the items filled the pages before
        /// it exactly), when the newest item before it changed: its date.
        empty_since: Option<jiff::Timestamp>,
    },
}

impl History {
    /// The date of an empty archive page, if this is one.
    pub(super) fn empty_page_date(self) -> Option<jiff::Timestamp> {
        match self {
            History::Archive { empty_since, .. } => empty_since,
            _ => None,
        }
    }
}

/// The name of archive page `page` of the feed named `feed` in `format`
/// (`all/archive/3.rss`, `tags/大运河/archive/1.json`): where the route
/// table serves it.
pub fn archive_name(feed: &str, page: usize, format: Format) -> String {
    format!("{feed}/archive/{page}.{}", format.extension())
}

/// The URL of archive page `page` of `feed` in `format`.
pub fn archive_url(site: &Site, feed: &FeedSpec, page: usize, format: Format) -> String {
    document_url(site, &format!("{}/archive/{page}", feed.name), format)
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
    let page = |n: usize| archive_url(site, feed, n, format);
    let mut links = Vec::new();
    match history {
        History::Archive {
            page: at, pages, ..
        } => {
            links.push(("self", page(at)));
            links.push(("current", self_url(site, feed, format)));
            if at > 1 {
                links.push(("prev-archive", page(at - 1)));
            }
            if at < pages {
                links.push(("next-archive", page(at + 1)));
            }
        }
        History::Unarchived | History::Complete | History::Current { .. } => {
            links.push(("self", self_url(site, feed, format)));
            links.extend(hubs(site, feed).iter().map(|hub| ("hub", hub.to_string())));
            if let History::Current { newest } = history {
                links.push(("prev-archive", page(newest)));
            }
        }
    }
    links
}

/// The WebSub hubs of `feed`: its own, or the site's.
pub fn hubs<'a>(site: &'a Site, feed: &'a FeedSpec) -> &'a [url::Url] {
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
/// from an archive page.
pub fn next_url(site: &Site, feed: &FeedSpec, history: History) -> Option<String> {
    let older = match history {
        History::Current { newest } => newest,
        History::Archive { page, .. } if page > 1 => page - 1,
        _ => return None,
    };
    Some(archive_url(site, feed, older, Format::Json))
}
