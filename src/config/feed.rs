//! Feed definitions: `feeds/NAME.toml` defines the feed NAME, served as
//! `NAME.rss`, `NAME.atom` and `NAME.json`; or, with `each = "tags"` (or
//! `categories`, `authors`, `folders`, `languages`), the feed family NAME:
//! one feed per distinct value, served as `PREFIX/VALUE.rss` and so on,
//! made at each publication from the articles there are then.
//!
//! A definition says which articles the feed takes (`[filter]`), which it
//! leaves out (`[exclude]`), how many (`limit`, newest first) and whether
//! items carry the full text or only the summary. Within one filter key any
//! value matches (`tags = ["a", "b"]` is a or b), except the `_all` keys,
//! where every value must (`tags_all = ["a", "b"]` is a and b); across keys
//! all must match. An empty filter takes every article. `[exclude]` has the
//! same keys, and an article that meets any one of them is left out. Values
//! are compared in Unicode NFC, so a tag typed on one system matches the
//! same tag saved decomposed on another; languages compare as BCP 47 tags do,
//! ignoring case. A filter that can never take anything is an error.

mod archive;
mod filter;
mod moved;
mod podcast;

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::artwork::FeedArt;
use super::{Locator, parse_toml};
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;
pub use archive::MAX_ARCHIVE_PAGE_SIZE;
pub use filter::Filter;
use filter::{RawFilter, never_matches, resolve_filter};
pub use moved::{Destination, Moved, MovedTo, destination};
pub use podcast::Podcast;
use podcast::{RawPodcast, resolve_podcast};

/// One feed, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSpec {
    /// The file stem, and the first part of every URL the feed is served at.
    pub name: String,
    /// The definition file (used in messages).
    pub file: PathBuf,
    /// The feed's title (plain text).
    pub title: String,
    /// What the feed is about (plain text); without one the site's applies.
    pub description: Option<String>,
    /// The most items the feed shows, newest first (default [`DEFAULT_LIMIT`]).
    pub limit: usize,
    /// Whether items carry their whole text or their summary.
    pub content: ContentMode,
    /// The formats it is published in, in their order (default all three).
    pub formats: Vec<Format>,
    /// Which articles it takes.
    pub filter: Filter,
    /// Which of those it leaves out: an article that meets any one key.
    pub exclude: Filter,
    /// The feed's own byte budget (`max_bytes`) and the line it is set on;
    /// without one, the site's `feeds.max_bytes` applies.
    pub max_bytes: Option<(usize, usize)>,
    /// The feed's language (BCP 47), which every format carries; without
    /// one, the site's.
    pub language: Option<String>,
    /// A family definition: one feed per value (its title and description
    /// are templates in which `{value}` stands for the value).
    pub family: Option<Family>,
    /// A feed of a family: the family and the value it is for.
    pub member: Option<Member>,
    /// The Chinese variants it is also published in (`variants`); without
    /// the key, the site's `feeds.variants`.
    pub variants: Option<Vec<Variant>>,
    /// For a variant's feed: which variant, of which feed.
    pub variant_of: Option<VariantOf>,
    /// Whether an article without `image` is shown with the first picture
    /// of its body (`image_from_content`, off by default).
    pub image_from_content: bool,
    /// A podcast's channel facts (`[podcast]`): the feed is then a
    /// podcast, which shows only articles with an enclosure.
    pub podcast: Option<Podcast>,
    /// The feed's own icon (`icon`), in place of the site's.
    pub icon: Option<FeedArt>,
    /// The feed's own logo (`logo`), in place of the site's.
    pub logo: Option<FeedArt>,
    /// The feed's own WebSub hubs (`[websub] hubs`), in place of the
    /// site's; an empty list names none.
    pub hubs: Option<Vec<url::Url>>,
    /// With `archive = true`, the number of items on each archive page
    /// (`archive_page_size`, at most `limit`, which is its default): the
    /// feed keeps every item it takes, its newest `limit` in the
    /// subscription document and all of them on archive pages (RFC 5005
    /// §4). `None` for a feed without an archive.
    pub archive: Option<usize>,
    /// Whether the feed has ended but stays readable (`finished = true`: a
    /// column or a show that is over): its documents are still served,
    /// JSON Feed says `"expired": true` (JSON Feed 1.1), a podcast says
    /// `<itunes:complete>Yes</itunes:complete>` (Apple's podcast RSS
    /// tags), and it names and pings no WebSub hub, as nothing more will
    /// come.
    pub finished: bool,
    /// Whether the feed has ended and is no longer published (`retired =
    /// true`): each of its documents (every format, its page, its
    /// variants') answers `410 Gone`, so that readers stop polling (RFC
    /// 9110 §15.5.11), and it is listed nowhere.
    pub retired: bool,
    /// Where the feed moved (`moved_to`, `moved_status`): each of its
    /// documents answers `301` or `308` with the URL of its counterpart,
    /// and it is listed nowhere.
    pub moved: Option<Moved>,
    /// The feeds whose moves end at this one (set across the definitions
    /// by [`load_feeds`]): a podcast then names itself in
    /// `<itunes:new-feed-url>`, so that a directory that followed the
    /// redirect keeps the new address.
    pub moved_from: Vec<String>,
}

impl FeedSpec {
    /// Whether the feed's documents are published here: it is neither
    /// retired nor moved.
    pub fn is_published(&self) -> bool {
        !self.retired && self.moved.is_none()
    }

    /// How many items selection keeps for the feed: every one it takes
    /// when it has an archive, its `limit` otherwise.
    pub fn keeps(&self) -> usize {
        if self.archive.is_some() {
            usize::MAX
        } else {
            self.limit
        }
    }
}

/// What a variant's feed converts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantOf {
    /// The variant.
    pub variant: Variant,
    /// The name of the feed it converts.
    pub name: String,
    /// That feed's language.
    pub language: String,
}

/// A Chinese variant a feed is also published in, converted from
/// Simplified Chinese at publication (OpenCC's tables): served as
/// `NAME.TAG.rss` and so on, in the language `TAG`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Variant {
    /// `zh-Hant`: Traditional characters (OpenCC `s2t`).
    Hant,
    /// `zh-TW`: Taiwan's characters and phrasing, 软件 → 軟體 (OpenCC `s2twp`).
    Taiwan,
    /// `zh-HK`: Hong Kong's characters (OpenCC `s2hk`).
    HongKong,
    /// `zh-MO`: Macau, which writes as Hong Kong does (OpenCC `s2hk`).
    Macau,
}

impl Variant {
    /// Every variant, with its language tag.
    pub const ALL: [(Variant, &'static str); 4] = [
        (Variant::Hant, "zh-Hant"),
        (Variant::Taiwan, "zh-TW"),
        (Variant::HongKong, "zh-HK"),
        (Variant::Macau, "zh-MO"),
    ];

    /// Its BCP 47 language tag, which also names its documents.
    pub fn tag(self) -> &'static str {
        Variant::ALL
            .iter()
            .find(|(v, _)| *v == self)
            .map_or("zh-Hant", |(_, tag)| tag)
    }
}

/// Reads a list of variant tags (`key` names it in messages), each once.
pub(super) fn variants(
    at: &Locator<'_>,
    key: &str,
    list: Spanned<Vec<String>>,
) -> Result<Vec<Variant>, Diagnostic> {
    let mut out = Vec::new();
    for tag in list.get_ref() {
        let Some((variant, _)) = Variant::ALL
            .iter()
            .find(|(_, t)| t.eq_ignore_ascii_case(tag.trim()))
        else {
            let known: Vec<&str> = Variant::ALL.iter().map(|(_, t)| *t).collect();
            return Err(at.error(
                list.span(),
                Message::new("feed-no-variant")
                    .arg("key", key)
                    .arg("tag", tag.as_str())
                    .arg("known", known.join(", ")),
            ));
        };
        if !out.contains(variant) {
            out.push(*variant);
        }
    }
    Ok(out)
}

/// A facet of articles: what a feed family (`each = "tags"`) makes a feed
/// for each value of, and what the store indexes for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Facet {
    /// Each tag.
    Tags,
    /// Each category.
    Categories,
    /// Each author's name.
    Authors,
    /// Each top-level folder of `content/` (a section).
    Folders,
    /// Each language: an article's `lang`, or the site's.
    Languages,
}

/// A feed family: `each`, where its feeds are served, and which values get one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    /// What a feed is made for each value of.
    pub each: Facet,
    /// The folder its feeds are served in (`tags`: `/tags/VALUE.rss`).
    pub prefix: String,
    /// A value gets a feed once at least this many articles have it.
    pub min_items: usize,
}

/// Which family a feed belongs to, and for which value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The family's name (its definition file's stem).
    pub family: String,
    /// What the family is made for each value of.
    pub each: Facet,
    /// The value: a tag, category, author's name, folder or language.
    pub value: String,
}

/// Whether items carry the whole article or only its summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContentMode {
    /// The whole article (RSS `content:encoded`, Atom `content`, JSON `content_html`).
    Full,
    /// Only the summary (JSON `content_text`).
    Summary,
}

/// A feed document format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// RSS 2.0, served as `NAME.rss`.
    Rss,
    /// Atom 1.0 (RFC 4287), served as `NAME.atom`.
    Atom,
    /// JSON Feed 1.1, served as `NAME.json`.
    Json,
}

impl Format {
    /// Every format, in the order feeds list them by default.
    pub const ALL: [Format; 3] = [Format::Rss, Format::Atom, Format::Json];

    /// The file extension of the format's documents: `rss`, `atom`, `json`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::Json => "json",
        }
    }

    /// The `Content-Type` the format is served with, charset included.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml; charset=utf-8",
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::Json => "application/feed+json; charset=utf-8",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    title: Spanned<String>,
    description: Option<Spanned<String>>,
    limit: Option<Spanned<i64>>,
    content: Option<ContentMode>,
    formats: Option<Spanned<Vec<Format>>>,
    max_bytes: Option<Spanned<i64>>,
    language: Option<Spanned<String>>,
    each: Option<Spanned<Facet>>,
    path: Option<Spanned<String>>,
    min_items: Option<Spanned<i64>>,
    variants: Option<Spanned<Vec<String>>>,
    image_from_content: Option<bool>,
    icon: Option<Spanned<String>>,
    logo: Option<Spanned<String>>,
    podcast: Option<Spanned<RawPodcast>>,
    websub: Option<super::websub::RawFeedWebSub>,
    archive: Option<Spanned<bool>>,
    archive_page_size: Option<Spanned<i64>>,
    finished: Option<bool>,
    retired: Option<Spanned<bool>>,
    moved_to: Option<Spanned<toml::Value>>,
    moved_status: Option<Spanned<i64>>,
    #[serde(default)]
    filter: RawFilter,
    #[serde(default)]
    exclude: RawFilter,
}

/// A picture a feed's definition sets, as written, with its line.
fn feed_art(text: &str, value: Spanned<String>) -> FeedArt {
    FeedArt {
        line: crate::diagnostic::line_of_offset(text, value.span().start),
        value: value.into_inner().trim().to_owned(),
        size: None,
    }
}

/// The default number of items in a feed.
pub const DEFAULT_LIMIT: usize = 50;

/// What a family's title and description templates hold for the value.
pub const VALUE: &str = "{value}";

/// Whether `name` can name a feed or a family's folder in a URL: ASCII
/// letters, digits, `-` and `_`.
fn is_feed_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl FeedSpec {
    /// Resolves the text of the definition file `file`.
    pub fn parse(file: &Path, text: &str) -> Result<FeedSpec, Diagnostic> {
        let name = feed_name(file)?;
        let raw: RawFeed = parse_toml(file, text)?;
        let at = Locator { file, text };
        let limit =
            positive(&at, "limit", raw.limit, "feed-a-count-of-items")?.unwrap_or(DEFAULT_LIMIT);
        let formats = formats(&at, raw.formats)?;
        let filter = resolve_filter(&at, "filter", raw.filter)?;
        let exclude = resolve_filter(&at, "exclude", raw.exclude.clone_spans())?;
        never_matches(&at, &filter, &raw.exclude)?;
        let language = language(&at, raw.language)?;
        let family = family(&at, &name, raw.each, raw.path, raw.min_items)?;
        if family.is_some() && !raw.title.get_ref().contains(VALUE) {
            return Err(at.error(
                raw.title.span(),
                Message::new("feed-family-title").arg("value", VALUE),
            ));
        }
        let retired = raw.retired.as_ref().is_some_and(|r| *r.get_ref());
        if let (Some(flag), true, true) = (&raw.retired, retired, family.is_some()) {
            return Err(at.error(flag.span(), Message::new("feed-family-retired")));
        }
        let moved = moved::RawMoved {
            to: raw.moved_to,
            status: raw.moved_status,
        };
        let moved = moved::resolve(&at, moved, &formats, retired, family.is_some())?;
        let max_bytes = match raw.max_bytes {
            Some(n) => {
                let line = crate::diagnostic::line_of_offset(text, n.span().start);
                Some((super::max_feed_bytes(&at, "max_bytes", n)?, line))
            }
            None => None,
        };
        Ok(FeedSpec {
            variants: raw
                .variants
                .map(|list| variants(&at, "variants", list))
                .transpose()?,
            variant_of: None,
            image_from_content: raw.image_from_content.unwrap_or(false),
            finished: raw.finished.unwrap_or(false),
            retired,
            moved,
            moved_from: Vec::new(),
            icon: raw.icon.map(|v| feed_art(text, v)),
            logo: raw.logo.map(|v| feed_art(text, v)),
            archive: archive::resolve(&at, raw.archive, raw.archive_page_size, limit)?,
            hubs: raw
                .websub
                .and_then(|w| w.hubs)
                .map(|list| super::websub::hubs(&at, "websub.hubs", list))
                .transpose()?,
            podcast: raw
                .podcast
                .map(|p| {
                    let span = p.span();
                    resolve_podcast(&at, span, p.into_inner())
                })
                .transpose()?,
            max_bytes,
            language,
            family,
            member: None,
            name,
            file: file.to_path_buf(),
            title: at.xml_text("title", raw.title)?,
            description: raw
                .description
                .map(|d| at.xml_text("description", d))
                .transpose()?,
            limit,
            content: raw.content.unwrap_or(ContentMode::Full),
            formats,
            filter,
            exclude,
        })
    }
}

/// The feed's name, from its file's: it becomes the feed's URL.
fn feed_name(file: &Path) -> Result<String, Diagnostic> {
    let name = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    if !is_feed_name(&name) {
        return Err(Diagnostic::error(
            file,
            None,
            Message::new("feed-bad-name").arg("name", name),
        ));
    }
    // Its page would be index.html, the subscribe page, or 404.html, the
    // page of missing feeds.
    if name.eq_ignore_ascii_case("index") || name == "404" {
        return Err(Diagnostic::error(
            file,
            None,
            Message::new("feed-named-page").arg("name", name),
        ));
    }
    Ok(name)
}

/// A count under `key` that must be positive; `what` says what it counts
/// (`feed-a-count-of-items`, a message of the catalogue).
fn positive(
    at: &Locator<'_>,
    key: &str,
    value: Option<Spanned<i64>>,
    what: &'static str,
) -> Result<Option<usize>, Diagnostic> {
    let Some(value) = value else {
        return Ok(None);
    };
    match usize::try_from(*value.get_ref()) {
        Ok(n) if n > 0 => Ok(Some(n)),
        _ => Err(at.error(
            value.span(),
            Message::new("feed-not-positive")
                .arg("key", key)
                .arg("value", value.get_ref().to_string())
                .arg("what", Message::new(what)),
        )),
    }
}

/// `formats`, each once, in a fixed order; all three when left out.
fn formats(
    at: &Locator<'_>,
    formats: Option<Spanned<Vec<Format>>>,
) -> Result<Vec<Format>, Diagnostic> {
    let Some(formats) = formats else {
        return Ok(Format::ALL.to_vec());
    };
    let mut list = formats.get_ref().clone();
    list.sort();
    list.dedup();
    if list.is_empty() {
        return Err(at.error(formats.span(), Message::new("feed-no-formats")));
    }
    Ok(list)
}

/// A feed's `language`, a BCP 47 tag.
fn language(
    at: &Locator<'_>,
    language: Option<Spanned<String>>,
) -> Result<Option<String>, Diagnostic> {
    match language {
        Some(lang) if super::is_language_tag(lang.get_ref().trim()) => {
            Ok(Some(lang.get_ref().trim().to_owned()))
        }
        Some(lang) => Err(at.error(
            lang.span(),
            Message::new("feed-bad-language").arg("tag", lang.get_ref().as_str()),
        )),
        None => Ok(None),
    }
}

/// A family (`each`, with `path` and `min_items`), or none; `path` and
/// `min_items` without `each` are an error.
fn family(
    at: &Locator<'_>,
    name: &str,
    each: Option<Spanned<Facet>>,
    path: Option<Spanned<String>>,
    min_items: Option<Spanned<i64>>,
) -> Result<Option<Family>, Diagnostic> {
    let Some(each) = each else {
        for (key, span) in [
            ("path", path.as_ref().map(Spanned::span)),
            ("min_items", min_items.as_ref().map(Spanned::span)),
        ] {
            if let Some(span) = span {
                return Err(at.error(span, Message::new("feed-family-only").arg("key", key)));
            }
        }
        return Ok(None);
    };
    let prefix = match path {
        Some(path) => {
            let prefix = path.get_ref().trim_matches('/');
            if !is_feed_name(prefix) {
                return Err(at.error(
                    path.span(),
                    Message::new("feed-family-path").arg("path", path.get_ref().as_str()),
                ));
            }
            prefix.to_owned()
        }
        None => name.to_owned(),
    };
    Ok(Some(Family {
        each: *each.get_ref(),
        prefix,
        min_items: positive(at, "min_items", min_items, "feed-a-count")?.unwrap_or(1),
    }))
}

/// Reads every `*.toml` in `dir`, in name order; a broken definition is a
/// diagnostic and does not stop the others. Moves are checked across the
/// definitions, with the site's `feeds_url` (a URL under it names one of
/// the site's feeds).
pub fn load_feeds(
    dir: &Path,
    content: &Path,
    feeds_url: &url::Url,
) -> Result<Vec<Result<FeedSpec, Diagnostic>>, Diagnostic> {
    let entries = fs::read_dir(dir).map_err(|e| {
        let message = Message::new("feed-folder-unreadable").arg("detail", e.to_string());
        Diagnostic::error(dir, None, message)
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "toml")
                && !crate::leftovers::is_ignored_name(path)
        })
        .collect();
    files.sort();
    let mut feeds: Vec<_> = files
        .into_iter()
        .map(|file| {
            let text = fs::read_to_string(&file).map_err(|e| {
                let message = Message::new("feed-unreadable").arg("detail", e.to_string());
                Diagnostic::error(&file, None, message)
            })?;
            let mut feed = FeedSpec::parse(&file, &text)?;
            for (key, art) in [("icon", &mut feed.icon), ("logo", &mut feed.logo)] {
                if let Some(art) = art {
                    art.read_size(key, &file, content)?;
                }
            }
            // A podcast's artwork in content/ is checked as directories
            // check it.
            if let Some(podcast) = &feed.podcast {
                podcast.check_artwork(&file, content)?;
            }
            Ok(feed)
        })
        .collect();
    moved::check(&mut feeds, feeds_url);
    Ok(feeds)
}

#[cfg(test)]
mod tests;
