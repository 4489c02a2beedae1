//! The site configuration (`syndicated.toml`) and the feed definitions
//! (`feeds/*.toml`), read into typed, validated values.
//!
//! Reading is two steps: serde structs that mirror the TOML exactly (unknown
//! keys are errors, so a typo never silently does nothing), then a resolve step
//! that parses the time zone, URLs and paths. Every failure is a [`Diagnostic`]
//! naming the file, the line and the key. Relative paths are resolved against
//! the folder of the config file, so `--config /srv/site/syndicated.toml` works
//! from any working directory.

mod artwork;
mod feed;
mod listen;
mod local;
mod permalink;
mod raw;
mod server;
mod websub;

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use serde::Deserialize;
use toml::Spanned;
use url::Url;

use crate::diagnostic::{Diagnostic, line_of_offset};
use crate::i18n::{Lang, Message};
use crate::text::illegal_xml_char;
use artwork::artwork;
pub use artwork::{
    Artwork, FeedArt, Misplaced, PAGE_ART_BYTES, Place, artwork_problem, file_path, file_url,
    picture_size, place, through_link,
};
pub use feed::{
    ContentMode, DEFAULT_LIMIT, Destination, Facet, Family, FeedSpec, Filter, Format,
    MAX_ARCHIVE_PAGE_SIZE, Member, Moved, MovedTo, Podcast, VALUE, Variant, VariantOf, destination,
    load_feeds,
};
pub use listen::Listen;
pub use local::is_loopback;
pub use permalink::Permalink;
use raw::{RawConfig, RawFeedDefaults, RawSite, RawSummary};
pub use server::{Server, Watch};
pub use websub::{DEFAULT_ATTEMPTS, DEFAULT_TIMEOUT, WebSub};

/// The resolved configuration of a site.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file as given (used in messages).
    pub file: PathBuf,
    /// What every feed of the site shares (`[site]`, `[content]`).
    pub site: Site,
    /// What every feed has unless its definition says otherwise.
    pub feeds: FeedDefaults,
    /// The folders read and written (`[paths]`).
    pub paths: Paths,
    /// How long derived summaries are (`[summary]`).
    pub summary: SummaryLimits,
    /// How the daemon serves (`[server]`).
    pub server: Server,
    /// How the daemon watches the files (`[watch]`).
    pub watch: Watch,
    /// How the daemon pings WebSub hubs (`[websub]`; the hubs themselves
    /// are [`Site::hubs`]).
    pub websub: WebSub,
    /// What is worth saying about a config that loads (a setting left to a
    /// default that may surprise later).
    pub warnings: Vec<Diagnostic>,
    /// What `check` says of a site that is not ready to publish: a
    /// placeholder `base_url`, a local `authority`. The daemon does not say
    /// it: a trial run or a preview runs on them.
    pub not_ready: Vec<Diagnostic>,
}

/// What every feed of the site shares.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// The site's name (plain text).
    pub title: String,
    /// What the site is about, for feeds without a description of their own.
    pub description: Option<String>,
    /// The site's home page; article links are made relative to it.
    pub base_url: Url,
    /// Where the feeds are published (`{feeds_url}{name}.rss`); their self links.
    pub feeds_url: Url,
    /// A small square picture readers show beside the site's feeds
    /// (`site.icon`): JSON Feed's `icon` and `favicon`, Atom's `icon`, the
    /// index page's favicon, and RSS's `image` when there is no logo.
    pub icon: Option<Artwork>,
    /// A wider picture (`site.logo`): Atom's `logo` and RSS's `image`.
    pub logo: Option<Artwork>,
    /// Where the content folder's media files are served
    /// (`{media_url}{path inside content/}`), if the site says; without it
    /// a media path resolves against the article's link.
    pub media_url: Option<Url>,
    /// The site's language, a BCP 47 tag such as `zh-CN` (default `en`).
    pub language: String,
    /// The language of the messages editors read (`check`, `/healthz`):
    /// the site's, unless `--language` (or, for `check`, the locale) says
    /// otherwise.
    pub editor_language: Lang,
    /// The zone of dates written without an offset, and of dates in feeds.
    pub time_zone: TimeZone,
    /// The authority of `tag:` ids (RFC 4151); fixed so ids survive a move to a new host.
    pub authority: String,
    /// The template of article links (default `{dir}/{slug}/`).
    pub permalink: Permalink,
    /// The author of articles that name none.
    pub author: Option<String>,
    /// Whether drafts and scheduled articles are shown too, marked in their
    /// titles (`serve --preview`; never set by the config file).
    pub preview: bool,
    /// The WebSub hubs of the site's feeds (`[websub] hubs`), unless a
    /// feed names its own: advertised in every feed and pinged when one
    /// changes (WebSub §4, §7).
    pub hubs: Vec<Url>,
    /// The largest article file read whole (`content.max_bytes`): a larger
    /// one is an error rather than hundreds of megabytes in memory.
    pub max_article_bytes: u64,
    /// Whether symbolic links in the content folder are followed
    /// (`content.follow_symlinks`). Off by default: a link can publish a
    /// file from anywhere the daemon may read.
    pub follow_symlinks: bool,
    /// Whether articles' raw HTML is published as written
    /// (`content.trust_html`). Off by default: it passes an allow-list
    /// sanitiser, so no script or event handler reaches a reader.
    pub trust_html: bool,
}

/// The default `content.max_bytes`: far beyond any article, far below harm.
pub const DEFAULT_MAX_ARTICLE_BYTES: u64 = 10 * 1024 * 1024;

/// Settings of every feed, unless its definition sets its own (`[feeds]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedDefaults {
    /// The largest a feed document may be, in bytes (`feeds.max_bytes`).
    pub max_bytes: usize,
    /// The Chinese variants every feed is also published in
    /// (`feeds.variants`), unless its definition says otherwise.
    pub variants: Vec<Variant>,
}

/// The default byte budget of a feed document: 512 KiB, the limit
/// FeedBurner long enforced ("Your feed filesize is larger than 512K"),
/// the strictest on record among readers, aggregators and hubs (Miniflux
/// reads 15 MiB, tt-rss 16 MiB, CommaFeed 5 MiB, the W3C validator
/// 5,000,000 bytes).
pub const DEFAULT_MAX_FEED_BYTES: usize = 512 * 1024;

/// The smallest byte budget a feed may have: room for a feed's own
/// elements and a few items.
pub const MIN_MAX_FEED_BYTES: usize = 4096;

impl FeedDefaults {
    /// The byte budget of `feed`'s documents: its own, or the site's.
    pub fn budget(&self, feed: &FeedSpec) -> usize {
        feed.max_bytes.map_or(self.max_bytes, |(bytes, _)| bytes)
    }

    /// The variants `feed` is published in: its own, or the site's.
    pub fn variants<'a>(&'a self, feed: &'a FeedSpec) -> &'a [Variant] {
        feed.variants.as_deref().unwrap_or(&self.variants)
    }
}

impl Default for FeedDefaults {
    fn default() -> Self {
        FeedDefaults {
            max_bytes: DEFAULT_MAX_FEED_BYTES,
            variants: Vec::new(),
        }
    }
}

/// The folders the site is read from and written to, resolved against the
/// config file's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The articles (default `content`).
    pub content: PathBuf,
    /// The feed definitions (default `feeds`).
    pub feeds: PathBuf,
    /// Where `build` writes (default `public` beside the config).
    pub out: Option<PathBuf>,
    /// Where the daemon keeps what it remembers across restarts (when each
    /// document's bytes were first served), if anywhere.
    pub state: Option<PathBuf>,
}

/// How long a summary derived from the text may be, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SummaryLimits {
    /// For text that is mostly Chinese, Japanese or Korean.
    pub cjk: usize,
    /// For everything else.
    pub latin: usize,
}

impl Default for SummaryLimits {
    fn default() -> Self {
        SummaryLimits {
            cjk: 120,
            latin: 200,
        }
    }
}

/// Reads TOML into `T`, turning a syntax or shape error into a located diagnostic.
pub(crate) fn parse_toml<T: for<'de> Deserialize<'de>>(
    file: &Path,
    text: &str,
) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|span| line_of_offset(text, span.start));
        // The TOML parser's own words, in English.
        let words = e.message().trim_end().replace('\n', " ");
        Diagnostic::error(file, line, Message::Text(words))
    })
}

/// Locates errors of one TOML file by the spans of its values.
pub(crate) struct Locator<'a> {
    pub file: &'a Path,
    pub text: &'a str,
}

impl Locator<'_> {
    pub fn error(&self, span: Range<usize>, message: Message) -> Diagnostic {
        Diagnostic::error(
            self.file,
            Some(line_of_offset(self.text, span.start)),
            message,
        )
    }

    /// A string value for a feed or site, refused if XML 1.0 cannot carry it.
    pub fn xml_text(&self, key: &str, value: Spanned<String>) -> Result<String, Diagnostic> {
        let span = value.span();
        let value = value.into_inner();
        match illegal_xml_char(&value) {
            Some(c) => Err(self.error(
                span,
                Message::new("config-character")
                    .arg("key", key)
                    .arg("code", format!("{:04X}", c as u32)),
            )),
            None => Ok(value),
        }
    }
}

impl Config {
    /// Reads and resolves the config file at `file`.
    pub fn load(file: &Path) -> Result<Config, Diagnostic> {
        let text = fs::read_to_string(file).map_err(|e| {
            let message = match e.kind() {
                std::io::ErrorKind::NotFound => Message::new("config-missing"),
                _ => Message::new("config-unreadable").arg("detail", e.to_string()),
            };
            Diagnostic::error(file, None, message)
        })?;
        let mut config = Config::parse(file, &text)?;
        for artwork in [&mut config.site.icon, &mut config.site.logo]
            .into_iter()
            .flatten()
        {
            artwork.read_size(file, &config.paths.content, config.site.follow_symlinks)?;
        }
        Ok(config)
    }

    /// Resolves the text of a config file that lives at `file`: each table
    /// in turn, every value checked on its line. The first mistake found is
    /// reported, in this order: the site's address, `[paths]`,
    /// `[summary]`, `[feeds]`, `[content]`, `[server]`, `[watch]`,
    /// `[websub]`, then the site's texts and pictures.
    pub fn parse(file: &Path, text: &str) -> Result<Config, Diagnostic> {
        let raw: RawConfig = parse_toml(file, text)?;
        let at = Locator { file, text };
        let folder = file.parent().unwrap_or(Path::new(""));
        let mut warnings = Vec::new();
        let lines = SiteLines {
            base_url: line_of_offset(at.text, raw.site.base_url.span().start),
            authority: (raw.site.authority.as_ref())
                .map(|a| line_of_offset(at.text, a.span().start)),
        };
        let (address, texts) = resolve_address(&at, raw.site, &mut warnings)?;
        let not_ready = not_ready(&at, &address, &lines);
        let paths = Paths {
            content: resolve_path(folder, raw.paths.content, "content"),
            feeds: resolve_path(folder, raw.paths.feeds, "feeds"),
            out: raw.paths.out.map(|out| folder.join(out.into_inner())),
            state: raw.paths.state.map(|dir| folder.join(dir.into_inner())),
        };
        let summary = summary_limits(&at, raw.summary)?;
        let feeds = feed_defaults(&at, raw.feeds)?;
        let max_article_bytes = match raw.content.max_bytes {
            Some(n) if *n.get_ref() < 1024 => {
                return Err(at.error(n.span(), Message::new("config-max-bytes")));
            }
            Some(n) => n.into_inner(),
            None => DEFAULT_MAX_ARTICLE_BYTES,
        };
        let server = Server::resolve(&at, raw.server)?;
        let watch = Watch::resolve(&at, raw.watch)?;
        let (hubs, websub) = websub::resolve(&at, raw.websub)?;
        let site = Site {
            preview: false,
            hubs,
            max_article_bytes,
            follow_symlinks: raw.content.follow_symlinks,
            trust_html: raw.content.trust_html,
            ..resolve_texts(&at, texts, address, &paths)?
        };
        Ok(Config {
            file: file.to_path_buf(),
            websub,
            feeds,
            site,
            paths,
            summary,
            server,
            watch,
            warnings,
            not_ready,
        })
    }
}

/// The lines of `site.base_url` and `site.authority` in the config file.
struct SiteLines {
    base_url: usize,
    authority: Option<usize>,
}

/// Warnings for a site that is not ready to publish (see
/// [`Config::not_ready`]): a `base_url` on a name reserved for examples
/// (RFC 2606 §3: example.com, example.net, example.org) or on this
/// machine, and an `authority` of `localhost`, which every permanent id
/// would carry (RFC 4151 §2.1 wants a name the publisher owns).
fn not_ready(at: &Locator<'_>, address: &Address, lines: &SiteLines) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let host = address.base_url.host_str().unwrap_or_default();
    let reserved = ["example.com", "example.net", "example.org"]
        .iter()
        .any(|name| host == *name || host.ends_with(&format!(".{name}")));
    if reserved || is_loopback(&address.base_url) {
        let id = if reserved {
            "ready-example-url"
        } else {
            "ready-local-url"
        };
        let message = Message::new(id).arg("url", address.base_url.as_str());
        out.push(Diagnostic::warning(at.file, Some(lines.base_url), message));
    }
    if address.authority.eq_ignore_ascii_case("localhost") {
        let line = lines.authority.or(Some(lines.base_url));
        out.push(Diagnostic::warning(
            at.file,
            line,
            Message::new("ready-local-authority"),
        ));
    }
    out
}

/// A path of `[paths]`, relative to the config file's `folder`.
fn resolve_path(folder: &Path, value: Option<Spanned<String>>, default: &str) -> PathBuf {
    folder.join(value.map_or_else(|| default.to_owned(), Spanned::into_inner))
}

/// Where the site is and how its ids and links are made: `[site]`'s
/// address keys, resolved first.
struct Address {
    base_url: Url,
    feeds_url: Url,
    media_url: Option<Url>,
    language: String,
    time_zone: TimeZone,
    authority: String,
    permalink: Permalink,
}

/// `[site]`'s texts and pictures, resolved after every other table.
struct Texts {
    title: Spanned<String>,
    description: Option<Spanned<String>>,
    icon: Option<Spanned<String>>,
    logo: Option<Spanned<String>>,
    author: Option<Spanned<String>>,
}

/// `[site]`'s address keys, and the rest of the table for
/// [`resolve_texts`]; a missing `site.authority` is a warning.
fn resolve_address(
    at: &Locator<'_>,
    raw: RawSite,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(Address, Texts), Diagnostic> {
    let base_url_line = line_of_offset(at.text, raw.base_url.span().start);
    let base_url = parse_base_url(at, "site.base_url", raw.base_url)?;
    let feeds_url = match raw.feeds_url {
        Some(url) => parse_base_url(at, "site.feeds_url", url)?,
        None => base_url.clone(),
    };
    let media_url = raw
        .media_url
        .map(|url| parse_base_url(at, "site.media_url", url))
        .transpose()?;
    let language = resolve_language(at, raw.language)?;
    let time_zone = resolve_time_zone(at, raw.timezone)?;
    let authority = match raw.authority {
        Some(authority) => resolve_authority(at, authority)?,
        None => {
            let host = base_url.host_str().unwrap_or_default().to_owned();
            // Ids must not change with the host name (RFC 4287 §4.2.6).
            warnings.push(Diagnostic::warning(
                at.file,
                Some(base_url_line),
                Message::new("config-no-authority").arg("host", host.as_str()),
            ));
            host
        }
    };
    let permalink = match raw.permalink {
        Some(template) => Permalink::parse(template.get_ref())
            .map_err(|m| at.error(template.span(), Message::field("site.permalink", m)))?,
        None => Permalink::default_template(),
    };
    let address = Address {
        base_url,
        feeds_url,
        media_url,
        language,
        time_zone,
        authority,
        permalink,
    };
    let texts = Texts {
        title: raw.title,
        description: raw.description,
        icon: raw.icon,
        logo: raw.logo,
        author: raw.author,
    };
    Ok((address, texts))
}

/// The site from its `address` and `texts`: each text checked, the icon
/// and logo found (in `paths.content` or by URL). What `[content]` and
/// `[websub]` add is left at its default.
fn resolve_texts(
    at: &Locator<'_>,
    texts: Texts,
    address: Address,
    paths: &Paths,
) -> Result<Site, Diagnostic> {
    let art = |key: &'static str, value: Option<Spanned<String>>| {
        value
            .map(|v| {
                let media_url = address.media_url.as_ref();
                artwork(at, key, v, &paths.content, media_url, &address.base_url)
            })
            .transpose()
    };
    let title = at.xml_text("site.title", texts.title)?;
    let description = texts
        .description
        .map(|d| at.xml_text("site.description", d))
        .transpose()?;
    let (icon, logo) = (art("site.icon", texts.icon)?, art("site.logo", texts.logo)?);
    Ok(Site {
        title,
        description,
        icon,
        logo,
        author: texts
            .author
            .map(|a| at.xml_text("site.author", a))
            .transpose()?,
        base_url: address.base_url,
        feeds_url: address.feeds_url,
        media_url: address.media_url,
        editor_language: Lang::of_tag(&address.language),
        language: address.language,
        time_zone: address.time_zone,
        authority: address.authority,
        permalink: address.permalink,
        preview: false,
        hubs: Vec::new(),
        max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES,
        follow_symlinks: false,
        trust_html: false,
    })
}

/// `site.language`: a BCP 47 tag; `en` when left out.
fn resolve_language(
    at: &Locator<'_>,
    value: Option<Spanned<String>>,
) -> Result<String, Diagnostic> {
    match value {
        Some(lang) if !is_language_tag(lang.get_ref()) => Err(at.error(
            lang.span(),
            Message::new("config-bad-language").arg("tag", lang.get_ref().as_str()),
        )),
        Some(lang) => Ok(lang.into_inner()),
        None => Ok("en".to_owned()),
    }
}

/// `site.timezone`: an IANA name; UTC when left out.
fn resolve_time_zone(
    at: &Locator<'_>,
    value: Option<Spanned<String>>,
) -> Result<TimeZone, Diagnostic> {
    let Some(name) = value else {
        return Ok(TimeZone::UTC);
    };
    TimeZone::get(name.get_ref()).map_err(|_| {
        at.error(
            name.span(),
            Message::new("config-bad-zone").arg("zone", name.get_ref().as_str()),
        )
    })
}

/// `site.authority`: the domain name or e-mail address of ids (RFC 4151).
fn resolve_authority(at: &Locator<'_>, value: Spanned<String>) -> Result<String, Diagnostic> {
    let valid = !value.get_ref().is_empty()
        && value
            .get_ref()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.@".contains(c));
    if !valid {
        return Err(at.error(
            value.span(),
            Message::new("config-bad-authority").arg("value", value.get_ref().as_str()),
        ));
    }
    Ok(value.into_inner())
}

/// `[summary]`: each limit at least 10 characters.
fn summary_limits(at: &Locator<'_>, raw: RawSummary) -> Result<SummaryLimits, Diagnostic> {
    let mut summary = SummaryLimits::default();
    for (key, value, slot) in [
        ("summary.cjk", raw.cjk, &mut summary.cjk),
        ("summary.latin", raw.latin, &mut summary.latin),
    ] {
        if let Some(value) = value {
            if *value.get_ref() < 10 {
                return Err(at.error(
                    value.span(),
                    Message::new("config-short-summary").arg("key", key),
                ));
            }
            *slot = value.into_inner();
        }
    }
    Ok(summary)
}

/// `[feeds]`: what every feed has unless its definition says otherwise.
fn feed_defaults(at: &Locator<'_>, raw: RawFeedDefaults) -> Result<FeedDefaults, Diagnostic> {
    Ok(FeedDefaults {
        max_bytes: match raw.max_bytes {
            Some(n) => max_feed_bytes(at, "feeds.max_bytes", n)?,
            None => DEFAULT_MAX_FEED_BYTES,
        },
        variants: match raw.variants {
            Some(list) => feed::variants(at, "feeds.variants", list)?,
            None => Vec::new(),
        },
    })
}

/// A feed's byte budget (`feeds.max_bytes` or a feed's `max_bytes`).
pub(crate) fn max_feed_bytes(
    at: &Locator<'_>,
    key: &str,
    value: Spanned<i64>,
) -> Result<usize, Diagnostic> {
    usize::try_from(*value.get_ref())
        .ok()
        .filter(|&n| n >= MIN_MAX_FEED_BYTES)
        .ok_or_else(|| {
            at.error(
                value.span(),
                Message::new("config-small-feed")
                    .arg("key", key)
                    .arg("value", value.get_ref().to_string())
                    .arg("min", MIN_MAX_FEED_BYTES.to_string())
                    .arg("default", DEFAULT_MAX_FEED_BYTES.to_string()),
            )
        })
}

/// A base URL must be absolute http(s); a missing trailing slash is added so
/// that joining keeps its last path segment.
fn parse_base_url(at: &Locator<'_>, key: &str, value: Spanned<String>) -> Result<Url, Diagnostic> {
    let mut text = value.get_ref().clone();
    if !text.ends_with('/') {
        text.push('/');
    }
    match Url::parse(&text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(url),
        _ => Err(at.error(
            value.span(),
            Message::new("config-bad-url")
                .arg("key", key)
                .arg("value", value.get_ref().as_str()),
        )),
    }
}

/// A BCP 47 tag in its common shape: a 2–3 letter language, then subtags.
pub(crate) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests;
