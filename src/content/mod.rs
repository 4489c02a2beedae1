//! Articles: one Markdown file with front matter in, one [`Article`] out.
//!
//! Reading is split by cost. [`parse_article`] reads what selecting items
//! needs (title, dates, people, category, tags, id, link) and is run on every
//! file; [`render_article`] also renders the Markdown and derives the summary,
//! and is run only for articles that some feed shows. Both are pure functions
//! of the file's bytes and the site configuration.
//!
//! Fallbacks: the title comes from the first `# heading`, the date from a
//! `YYYY-MM-DD-` file-name prefix, the slug from the file name. A file that
//! ends up with no title or no date is an error, as is one that is not UTF-8.
//! Characters XML 1.0 cannot carry are removed, with a warning.

mod bodies;
mod depends;
mod front_matter;
mod hold;
mod html;
mod index;
mod markdown;
mod media;
mod read;
mod resolve;
mod store;
mod walk;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use url::Url;

use crate::config::{Site, SummaryLimits};
use crate::diagnostic::{Diagnostic, line_of_offset};
use crate::i18n::Message;
use crate::text::{find_illegal_xml_char, is_illegal_xml_char, nfc, summarize};
pub use bodies::{Shown, Wanted};
pub use front_matter::{Syntax, front_matter_end};
pub use hold::Writing;
pub use html::{Candidate, parse_srcset};
pub use index::{Newest, Posting, canonical_language, facet_values};
pub use media::{Facts, Located, Media, guess_type, locate, read_facts};
pub use read::{
    BodyError, Depth, Fingerprint, HEAD_BYTES, RenderedFile, is_article_name, render_body,
};
pub use store::{Entry, Store, Totals};

/// A person credited on an article.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Person {
    /// The name as written (NFC), never empty; shared ([`crate::text::intern`]).
    pub name: Arc<str>,
    /// An e-mail address, as written.
    pub email: Option<Box<str>>,
    /// A web page about the person, absolute (http or https).
    pub uri: Option<Box<str>>,
}

/// Where an article lives: its path inside the content folder (with `/`
/// separators), which names it in the site, and that folder. Both are
/// shared (the folder by every article), so the store's entry, its article
/// and the indexes hold one copy of each however often they are cloned;
/// the path to read, [`Source::file`], is made when it is needed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Source {
    /// The content folder, as the config names it.
    pub dir: Arc<Path>,
    /// The path inside the content folder, with `/` separators: the article's name in the store.
    pub rel: Arc<str>,
}

impl Source {
    /// The source of `file`, found in `content_dir` (which it does not
    /// share: the store uses [`Source::within`]).
    pub fn new(content_dir: &Path, file: PathBuf) -> Self {
        Source::within(&Arc::from(content_dir), &file)
    }

    /// The source of `file`, found in `dir`, which it then shares.
    pub fn within(dir: &Arc<Path>, file: &Path) -> Self {
        let rel = file
            .strip_prefix(dir)
            .unwrap_or(file)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        Source {
            dir: Arc::clone(dir),
            rel: rel.into(),
        }
    }

    /// The file to read: the content folder joined with the path inside it.
    pub fn file(&self) -> PathBuf {
        self.dir.join(&*self.rel)
    }
}

/// What a feed needs to select, order and describe an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Where the article was read from.
    pub source: Source,
    /// The headline (plain text).
    pub title: Box<str>,
    /// When it was published.
    pub date: Timestamp,
    /// When it last changed significantly, if the front matter says.
    pub updated: Option<Timestamp>,
    /// Who wrote it (none: the site's author applies).
    pub authors: Box<[Person]>,
    /// Its one category (NFC), shared ([`crate::text::intern`]).
    pub category: Option<Arc<str>>,
    /// Its tags, without repeats (NFC), shared ([`crate::text::intern`]).
    pub tags: Box<[Arc<str>]>,
    /// The summary the front matter gives, if any.
    pub summary: Option<Box<str>>,
    /// A draft is never published.
    pub draft: bool,
    /// `tag:{authority},{YYYY-MM-DD}:{path}` (the file's path without `.md`
    /// or a date prefix) unless the front matter sets one.
    pub id: Arc<str>,
    /// Its web page, an absolute http(s) URL, as [`url::Url`] writes it;
    /// held as text, a quarter of the size, and parsed again only to render
    /// a body (relative URLs in it are resolved against it).
    pub link: Box<str>,
    /// Its picture (`image`, `image_alt`, `image_caption`); boxed, as the
    /// podcast facts are, so that an article without them stays small.
    pub image: Option<Box<Image>>,
    /// The sound, video or other files published with it (`enclosures`),
    /// in the order given.
    pub enclosures: Box<[Enclosure]>,
    /// What a podcast feed says of it as an episode, when the front matter
    /// says anything ([`Episode::NONE`] otherwise; boxed, as few articles
    /// are episodes).
    pub episode: Option<Box<Episode>>,
    /// What few articles set (a language, a translation key, feeds to stay
    /// out of) and the lines of the keys warnings point at; `None` when
    /// nothing is set. See the accessors ([`Article::lang`] and the others).
    pub seldom: Option<Box<Seldom>>,
    /// Whether it may be in feeds at all (`feeds: false` says no).
    pub in_feeds: bool,
    /// Whether it is shown whatever its date: a draft or a scheduled
    /// article in a preview (`serve --preview`), its title marked.
    pub preview: bool,
    /// The title came from the first heading, which the content then omits.
    pub title_from_heading: bool,
    /// Only a day was written for `date` (or the file name gave it): pages
    /// show the day, not its midnight.
    pub day_only: bool,
    /// The line of `updated` in the file, for the warning about one far in
    /// the future; kept here, not in [`Seldom`], as many sites date edits.
    pub updated_line: Option<std::num::NonZeroU32>,
}

/// The parts of an [`Article`] few articles have, boxed apart: on a site of
/// a million articles every byte of `Article` is a megabyte, and an
/// `Arc<Article>` of at most 256 bytes takes one of the allocator's 256-byte
/// slots where one more byte would take a 320-byte one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seldom {
    /// Its language, a BCP 47 tag, when not the site's.
    pub lang: Option<Box<str>>,
    /// What it shares with its translations (`translation_key`), if any.
    pub translation_key: Option<Box<str>>,
    /// The names of the feeds and feed families it stays out of
    /// (`exclude_from`).
    pub exclude_from: Box<[String]>,
    /// The line of `exclude_from`, for the warning about a name no feed has
    /// (`u32`, as the other line numbers: half the size of a `usize`).
    pub exclude_from_line: Option<u32>,
}

impl Article {
    /// Its language, a BCP 47 tag, when not the site's (`lang`).
    pub fn lang(&self) -> Option<&str> {
        self.seldom.as_ref()?.lang.as_deref()
    }

    /// What it shares with its translations (`translation_key`), if any.
    pub fn translation_key(&self) -> Option<&str> {
        self.seldom.as_ref()?.translation_key.as_deref()
    }

    /// The names of the feeds and feed families it stays out of
    /// (`exclude_from`), and the 1-based line they are set on.
    pub fn exclude_from(&self) -> (&[String], Option<usize>) {
        self.seldom.as_ref().map_or((&[], None), |s| {
            (&s.exclude_from, s.exclude_from_line.map(|l| l as usize))
        })
    }

    /// When the article was last changed: `updated`, or else its date.
    pub fn modified(&self) -> Timestamp {
        self.updated.unwrap_or(self.date)
    }

    /// Whether the article lives in `folder` (a `/`-separated path inside the
    /// content folder) or below it.
    pub fn dir_starts_with(&self, folder: &str) -> bool {
        let dir = self.source.rel.rsplit_once('/').map_or("", |(dir, _)| dir);
        // The filter's folder is in NFC; so must the file's be.
        let dir = nfc(dir);
        let dir = dir.as_ref();
        dir == folder
            || dir
                .strip_prefix(folder)
                .is_some_and(|rest| rest.starts_with('/'))
    }

    /// Published at `now`: not a draft, and not dated in the future.
    pub fn is_published(&self, now: Timestamp) -> bool {
        self.preview || !self.draft && self.date <= now
    }

    /// A warning when `updated` is more than a day after `now`: most likely
    /// a typo (2034 for 2024), which would date the whole feed in the future.
    pub fn future_update(&self, now: Timestamp) -> Option<Diagnostic> {
        let updated = self.updated?;
        let limit = now.checked_add(jiff::SignedDuration::from_hours(24)).ok()?;
        (updated > limit).then(|| {
            Diagnostic::warning(
                &self.source.file(),
                self.updated_line.map(|line| line.get() as usize),
                Message::new("content-updated-future").arg("updated", updated.to_string()),
            )
        })
    }
}

/// An article's picture: the file, and the words that go with it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Image {
    /// The picture file.
    pub media: Media,
    /// What it shows, for readers who cannot see it (`image_alt`).
    pub alt: Option<String>,
    /// Its caption (`image_caption`).
    pub caption: Option<String>,
    /// The line of its `image` key, for messages.
    pub line: u32,
}

/// A file published with an article: a podcast episode's sound, a video.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Enclosure {
    /// The file, with its type, length and duration.
    pub media: Media,
    /// Its title, if given.
    pub title: Option<String>,
}

/// A podcast episode's facts (`episode`, `season`, `episode_type`,
/// `explicit`): what a podcast feed's `itunes:` elements say of an item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Episode {
    /// Its number (`itunes:episode`), a positive integer.
    pub number: Option<u32>,
    /// Its season (`itunes:season`), a positive integer.
    pub season: Option<u32>,
    /// `full`, `trailer` or `bonus` (`itunes:episodeType`).
    pub kind: Option<String>,
    /// Whether it holds explicit content (`itunes:explicit`); without it,
    /// the podcast's.
    pub explicit: Option<bool>,
    /// Its transcript (`podcast:transcript`): WebVTT, SRT, HTML or JSON.
    pub transcript: Option<Box<Media>>,
    /// Its chapters file (`podcast:chapters`), JSON chapters.
    pub chapters: Option<Box<Media>>,
}

impl Episode {
    /// An article that says nothing of itself as an episode.
    pub const NONE: Episode = Episode {
        number: None,
        season: None,
        kind: None,
        explicit: None,
        transcript: None,
        chapters: None,
    };
}

/// An article with its rendered body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The body as HTML, every link absolute.
    pub html: String,
    /// The front matter's summary, or one derived from the text.
    pub summary: String,
    /// The first picture of the body, absolute (what a feed with
    /// `image_from_content` shows for an article without `image`).
    pub first_image: Option<Url>,
}

/// An article read successfully, with whatever was worth a warning.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    /// What was read.
    pub value: T,
    /// What was worth a warning on the way.
    pub warnings: Vec<Diagnostic>,
}

/// Reads the metadata of the article at `source` from its bytes.
pub fn parse_article(
    site: &Site,
    source: &Source,
    bytes: &[u8],
) -> Result<Parsed<Article>, Diagnostic> {
    let mut warnings = Vec::new();
    let text = decode(&source.file(), bytes, &mut warnings)?;
    let (article, _) = resolve::article(site, source, &text, true, &mut warnings)?
        .unwrap_or_else(|| unreachable!("a whole file always gives an answer"));
    Ok(Parsed {
        value: article,
        warnings,
    })
}

/// Reads the metadata of the article at `source` from the first bytes of the
/// file, when they hold the whole front matter and a title. `None` means the
/// head is not enough (no front matter, front matter longer than the head,
/// title from the body, invalid UTF-8): call [`parse_article`] with the whole
/// file. Problems in the rest of the file are found when it is rendered, or
/// by a whole-file parse such as `check` does.
///
/// This is what makes a scan cheap: a site's articles are mostly body, and
/// reading every body of a large site costs more than everything else.
pub fn parse_head(
    site: &Site,
    source: &Source,
    head: &[u8],
) -> Option<Result<Parsed<Article>, Diagnostic>> {
    let end = front_matter_end(head)?;
    let mut warnings = Vec::new();
    // Invalid UTF-8 in the front matter is reported by the whole-file parse.
    let front = decode(&source.file(), &head[..end], &mut warnings).ok()?;
    match resolve::article(site, source, &front, false, &mut warnings) {
        Ok(Some((article, _))) => Some(Ok(Parsed {
            value: article,
            warnings,
        })),
        Ok(None) => None,
        Err(error) => Some(Err(error)),
    }
}

/// Reads the article at `source` and renders its body.
pub fn render_article(
    site: &Site,
    limits: SummaryLimits,
    source: &Source,
    bytes: &[u8],
) -> Result<Parsed<(Article, Body)>, Diagnostic> {
    let mut warnings = Vec::new();
    let text = decode(&source.file(), bytes, &mut warnings)?;
    let (article, body) = resolve::article(site, source, &text, true, &mut warnings)?
        .unwrap_or_else(|| unreachable!("a whole file always gives an answer"));
    let html = markdown::render(body, article.title_from_heading);
    // Made from a `Url`, so it parses; the site's address is only a guard.
    let base = Url::parse(&article.link).unwrap_or_else(|_| site.base_url.clone());
    let processed = html::process(
        &html,
        &base,
        site.trust_html,
        limits.cjk.max(limits.latin) + 1,
    );
    if let Some(first) = processed.first_removed {
        // The line of the first reference to such a character in the body,
        // or where the body starts.
        let body_line = text.len() - body.len();
        let line = html::first_reference_to(body, first).map_or_else(
            || line_of_offset(&text, body_line),
            |line| line + line_of_offset(&text, body_line) - 1,
        );
        warnings.push(Diagnostic::warning(
            &source.file(),
            Some(line),
            Message::new("content-body-removed")
                .arg("count", processed.removed)
                .arg("code", format!("{:04X}", first as u32)),
        ));
    }
    let summary = match &article.summary {
        Some(summary) => summary.to_string(),
        None => summarize(&processed.text, limits.cjk, limits.latin),
    };
    Ok(Parsed {
        value: (
            article,
            Body {
                html: processed.html,
                summary,
                first_image: processed.first_image.and_then(|src| Url::parse(&src).ok()),
            },
        ),
        warnings,
    })
}

/// Bytes to text: UTF-8 or an error with the byte offset; the BOM dropped;
/// CRLF made LF; characters XML cannot carry removed, with a warning.
fn decode<'b>(
    file: &Path,
    bytes: &'b [u8],
    warnings: &mut Vec<Diagnostic>,
) -> Result<Cow<'b, str>, Diagnostic> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.valid_up_to();
            let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
            return Err(Diagnostic::error(
                file,
                Some(line_of_offset(valid, offset)),
                Message::new("content-not-utf8")
                    .arg("byte", format!("{:02X}", bytes[offset]))
                    .arg("offset", offset),
            ));
        }
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut text = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    };
    if let Some(first) = find_illegal_xml_char(&text) {
        let c = text[first..].chars().next().unwrap_or_default();
        let removed = text.chars().filter(|&c| is_illegal_xml_char(c)).count();
        warnings.push(Diagnostic::warning(
            file,
            Some(line_of_offset(&text, first)),
            Message::new("content-illegal-removed")
                .arg("count", removed)
                .arg("code", format!("{:04X}", c as u32)),
        ));
        text.to_mut().retain(|c| !is_illegal_xml_char(c));
    }
    Ok(text)
}

#[cfg(test)]
mod tests;
