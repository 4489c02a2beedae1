//! A feed that moved: `moved_to` names where its readers go, one URL for
//! every document or one per format (`moved_to = { rss = "…", atom = "…",
//! json = "…", page = "…" }`), and `moved_status` whether they get `301
//! Moved Permanently` (the default) or `308 Permanent Redirect` (RFC 9110
//! §15.4.2, §15.4.9).
//!
//! A URL under the site's `feeds_url` names one of the site's own feeds;
//! each document then goes to its counterpart there (see
//! `publish::departed`). Across the definitions, [`check`] refuses a move
//! to the feed itself, to a retired feed, to nothing the site serves, and
//! one that leads back to where it started; a move to a feed that moved
//! too follows on, so a reader is sent once, to the end.

use serde::Deserialize as _;
use toml::Spanned;
use url::Url;

use super::{FeedSpec, Format, Locator, VALUE};
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;

/// Where a moved feed's documents go, and with which status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// Where each document goes.
    pub to: MovedTo,
    /// `301` (Moved Permanently) or `308` (Permanent Redirect, which keeps
    /// the method).
    pub status: u16,
    /// The line of `moved_to` in the definition (for messages).
    pub line: usize,
}

/// `moved_to` as resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MovedTo {
    /// One URL for every document.
    One(Url),
    /// One URL per format (every format the feed has), and one for its
    /// page (`page`; without it, the first format's).
    Each(Vec<(Format, Url)>, Option<Url>),
}

impl MovedTo {
    /// Where the document of `format` goes (`None`: the feed's page).
    pub fn url(&self, format: Option<Format>) -> &Url {
        match self {
            MovedTo::One(url) => url,
            MovedTo::Each(each, page) => {
                let of = |format| each.iter().find(|(f, _)| *f == format).map(|(_, u)| u);
                match format {
                    Some(format) => of(format).unwrap_or(&each[0].1),
                    None => page.as_ref().unwrap_or(&each[0].1),
                }
            }
        }
    }

    /// Every URL named, each with the key that names it.
    fn urls(&self) -> Vec<&Url> {
        match self {
            MovedTo::One(url) => vec![url],
            MovedTo::Each(each, page) => each.iter().map(|(_, u)| u).chain(page).collect(),
        }
    }
}

/// `moved_to` and `moved_status` as written in a definition.
pub(super) struct RawMoved {
    pub(super) to: Option<Spanned<toml::Value>>,
    pub(super) status: Option<Spanned<i64>>,
}

/// Resolves `moved_to` and `moved_status` of a feed published in
/// `formats`; `retired` and `family` say what else the definition is.
pub(super) fn resolve(
    at: &Locator<'_>,
    raw: RawMoved,
    formats: &[Format],
    retired: bool,
    family: bool,
) -> Result<Option<Moved>, Diagnostic> {
    let Some(to) = raw.to else {
        if let Some(status) = raw.status {
            return Err(at.error(status.span(), Message::new("feed-moved-status-alone")));
        }
        return Ok(None);
    };
    let span = to.span();
    if retired || family {
        let id = if retired {
            "feed-moved-retired"
        } else {
            "feed-family-moved"
        };
        return Err(at.error(span, Message::new(id)));
    }
    let status = match raw.status {
        None => 301,
        Some(status) if matches!(*status.get_ref(), 301 | 308) => *status.get_ref() as u16,
        Some(status) => {
            let value = status.get_ref().to_string();
            return Err(at.error(
                status.span(),
                Message::new("feed-moved-status").arg("value", value),
            ));
        }
    };
    let url = |key: &str, value: &toml::Value| -> Result<Url, Diagnostic> {
        web_url(value).ok_or_else(|| {
            let text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            at.error(
                span.clone(),
                Message::new("feed-moved-url")
                    .arg("key", key)
                    .arg("url", text),
            )
        })
    };
    let to = match to.get_ref() {
        toml::Value::Table(table) => {
            let mut each = Vec::new();
            let mut page = None;
            for (key, value) in table {
                let key_path = format!("moved_to.{key}");
                match Format::deserialize(toml::Value::String(key.clone())) {
                    Ok(format) if formats.contains(&format) => {
                        each.push((format, url(&key_path, value)?));
                    }
                    _ if key == "page" => page = Some(url(&key_path, value)?),
                    _ => {
                        let message = Message::new("feed-moved-key").arg("key", key.as_str());
                        return Err(at.error(span, message));
                    }
                }
            }
            if let Some(missing) = formats.iter().find(|f| !each.iter().any(|(e, _)| e == *f)) {
                let message = Message::new("feed-moved-missing").arg("format", missing.extension());
                return Err(at.error(span, message));
            }
            each.sort_by_key(|(format, _)| *format);
            MovedTo::Each(each, page)
        }
        value => MovedTo::One(url("moved_to", value)?),
    };
    Ok(Some(Moved {
        to,
        status,
        line: crate::diagnostic::line_of_offset(at.text, span.start),
    }))
}

/// `value` as an absolute `http` or `https` URL.
fn web_url(value: &toml::Value) -> Option<Url> {
    let url = Url::parse(value.as_str()?.trim()).ok()?;
    matches!(url.scheme(), "http" | "https")
        .then_some(url)
        .filter(|u| u.host().is_some())
}

/// What a URL under the site's `feeds_url` names: a feed's document stem
/// (`all`, `all.zh-TW`, `tags/运河`) and its extension (`rss`, `atom`,
/// `json`, or `html` for its page); `None` for a URL elsewhere.
pub fn ours(feeds_url: &Url, url: &Url) -> Option<(String, &'static str)> {
    let rest = url.as_str().strip_prefix(feeds_url.as_str())?;
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let name = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .ok()?;
    let (stem, extension) = name.rsplit_once('.')?;
    let extension = ["rss", "atom", "json", "html"]
        .into_iter()
        .find(|e| *e == extension)?;
    Some((stem.to_owned(), extension))
}

/// The feed among `feeds` that serves documents under the stem `stem`:
/// the feed of that name, the feed a variant's stem (`NAME.TAG`) converts,
/// or the family whose folder holds it (`tags/VALUE`).
pub fn owner<'f>(feeds: &'f [FeedSpec], stem: &str) -> Option<&'f FeedSpec> {
    let plain = |name: &str| feeds.iter().find(|f| f.family.is_none() && f.name == name);
    if let Some((folder, value)) = stem.split_once('/') {
        return feeds
            .iter()
            .find(|f| f.family.as_ref().is_some_and(|fam| fam.prefix == folder))
            .filter(|_| !value.is_empty() && !value.contains(VALUE));
    }
    plain(stem).or_else(|| {
        let (name, tag) = stem.rsplit_once('.')?;
        plain(name).filter(|_| super::Variant::ALL.iter().any(|(_, t)| *t == tag))
    })
}

/// Checks every move among `feeds` (those that load) against the others,
/// with the site's `feeds_url`: a move to the feed itself, to a retired
/// feed, to nothing the site serves, or in a loop becomes the error of its
/// definition; each feed a move ends at learns who moved to it
/// ([`FeedSpec::moved_from`]).
pub fn check(feeds: &mut [Result<FeedSpec, Diagnostic>], feeds_url: &Url) {
    let loaded: Vec<FeedSpec> = feeds
        .iter()
        .filter_map(|f| f.as_ref().ok())
        .cloned()
        .collect();
    let mut arrivals: Vec<(String, String)> = Vec::new();
    for slot in feeds.iter_mut() {
        let Ok(feed) = slot else { continue };
        let Some(moved) = &feed.moved else { continue };
        if let Some(message) = problem(&loaded, feed, moved, feeds_url) {
            *slot = Err(Diagnostic::error(&feed.file, Some(moved.line), message));
        } else if let Some(Destination::Ours(stem, end)) = destination(&loaded, feed, feeds_url) {
            if stem == end.name {
                arrivals.push((stem, feed.name.clone()));
            }
        }
    }
    for feed in feeds.iter_mut().flatten() {
        feed.moved_from = arrivals
            .iter()
            .filter(|(to, _)| *to == feed.name)
            .map(|(_, from)| from.clone())
            .collect();
    }
}

/// What is wrong with `feed`'s move among `feeds`, if anything.
fn problem(feeds: &[FeedSpec], feed: &FeedSpec, moved: &Moved, feeds_url: &Url) -> Option<Message> {
    for url in moved.to.urls() {
        let Some((stem, _)) = ours(feeds_url, url) else {
            continue;
        };
        let message = |id: &'static str| Message::new(id).arg("url", url.as_str());
        let Some(target) = owner(feeds, &stem) else {
            return Some(message("feed-moved-nowhere"));
        };
        if target.name == feed.name {
            return Some(message("feed-moved-self"));
        }
        let mut chain = vec![feed.name.as_str()];
        let mut next = Some(target);
        while let Some(at) = next {
            if chain.contains(&at.name.as_str()) {
                chain.push(&at.name);
                return Some(message("feed-moved-loop").arg("chain", chain.join(" → ")));
            }
            if at.retired {
                return Some(message("feed-moved-to-retired").arg("feed", at.name.as_str()));
            }
            chain.push(&at.name);
            next = at
                .moved
                .as_ref()
                .and_then(|m| step(feeds, m, feeds_url))
                .map(|(_, f)| f);
        }
    }
    None
}

/// Where a move leads in one step, when its URL is the site's own: the
/// stem it names and the feed that serves it.
fn step<'f>(
    feeds: &'f [FeedSpec],
    moved: &Moved,
    feeds_url: &Url,
) -> Option<(String, &'f FeedSpec)> {
    let (stem, _) = ours(feeds_url, moved.to.url(None))?;
    owner(feeds, &stem).map(|feed| (stem, feed))
}

/// Where a move ends, after every move it leads on to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination<'f> {
    /// A feed of the site: the stem its documents' counterparts are named
    /// after (`all`, `all.zh-TW`, `tags/运河`) and the feed that serves them.
    Ours(String, &'f FeedSpec),
    /// Elsewhere: the last `moved_to` on the way.
    Elsewhere(&'f MovedTo),
}

/// Where `feed`'s move ends among `feeds`, following moves on (the
/// definitions are checked free of loops first); `None` for a feed that
/// did not move, or a loop.
pub fn destination<'f>(
    feeds: &'f [FeedSpec],
    feed: &'f FeedSpec,
    feeds_url: &Url,
) -> Option<Destination<'f>> {
    let mut moved = feed.moved.as_ref()?;
    for _ in 0..=feeds.len() {
        let Some((stem, at)) = step(feeds, moved, feeds_url) else {
            return Some(Destination::Elsewhere(&moved.to));
        };
        match &at.moved {
            None => return Some(Destination::Ours(stem, at)),
            Some(next) => moved = next,
        }
    }
    None
}
