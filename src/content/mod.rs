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
mod front_matter;
mod html;
mod index;
mod markdown;
mod read;
mod store;
mod walk;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use url::Url;

use crate::config::{Site, SummaryLimits};
use crate::diagnostic::{Diagnostic, line_of_offset};
use crate::text::{
    count, find_illegal_xml_char, is_illegal_xml_char, is_unfit_for_xml, nfc, summarize,
};
pub use bodies::Shown;
pub use front_matter::{Syntax, front_matter_end};
pub use html::{Candidate, parse_srcset};
pub use read::{Depth, Fingerprint, HEAD_BYTES, render_body};
pub use store::{Entry, Store, Totals};

/// A person credited on an article.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Person {
    /// The name as written (NFC), never empty.
    pub name: String,
    /// An e-mail address, as written.
    pub email: Option<String>,
    /// A web page about the person, absolute (http or https).
    pub uri: Option<String>,
}

/// Where an article lives: the path to read it from, and its path inside
/// the content folder (with `/` separators), which names it in the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Source {
    /// The file to read.
    pub file: PathBuf,
    /// The path inside the content folder, with `/` separators: the article's name in the store.
    pub rel: String,
}

impl Source {
    /// The source of `file`, found in `content_dir`.
    pub fn new(content_dir: &Path, file: PathBuf) -> Self {
        let rel = file
            .strip_prefix(content_dir)
            .unwrap_or(&file)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        Source { file, rel }
    }
}

/// What a feed needs to select, order and describe an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Where the article was read from.
    pub source: Source,
    /// The headline (plain text).
    pub title: String,
    /// When it was published.
    pub date: Timestamp,
    /// When it last changed significantly, if the front matter says.
    pub updated: Option<Timestamp>,
    /// Who wrote it (none: the site's author applies).
    pub authors: Vec<Person>,
    /// Its one category (NFC).
    pub category: Option<String>,
    /// Its tags, without repeats (NFC).
    pub tags: Vec<String>,
    /// The summary the front matter gives, if any.
    pub summary: Option<String>,
    /// A draft is never published.
    pub draft: bool,
    /// The last part of its link (NFC).
    pub slug: String,
    /// `tag:{authority},{YYYY-MM-DD}:{slug}` unless the front matter sets one.
    pub id: String,
    /// Its web page, absolute.
    pub link: Url,
    /// Its picture, absolute.
    pub image: Option<Url>,
    /// Its language, a BCP 47 tag, when not the site's.
    pub lang: Option<String>,
    /// The title came from the first heading, which the content then omits.
    pub title_from_heading: bool,
    /// The line of `updated` in the file, for the warning about one far in
    /// the future.
    pub updated_line: Option<usize>,
}

impl Article {
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
        !self.draft && self.date <= now
    }

    /// A warning when `updated` is more than a day after `now`: most likely
    /// a typo (2034 for 2024), which would date the whole feed in the future.
    pub fn future_update(&self, now: Timestamp) -> Option<Diagnostic> {
        let updated = self.updated?;
        let limit = now.checked_add(jiff::SignedDuration::from_hours(24)).ok()?;
        (updated > limit).then(|| {
            Diagnostic::warning(
                &self.source.file,
                self.updated_line,
                format!(
                    "`updated` is {updated}, more than a day from now; feeds that show the article are dated then (check the year)"
                ),
            )
        })
    }
}

/// An article with its rendered body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The body as HTML, every link absolute.
    pub html: String,
    /// The front matter's summary, or one derived from the text.
    pub summary: String,
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
    let text = decode(&source.file, bytes, &mut warnings)?;
    let (article, _) = read(site, source, &text, true, &mut warnings)?
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
    let front = decode(&source.file, &head[..end], &mut warnings).ok()?;
    match read(site, source, &front, false, &mut warnings) {
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
    let text = decode(&source.file, bytes, &mut warnings)?;
    let (article, body) = read(site, source, &text, true, &mut warnings)?
        .unwrap_or_else(|| unreachable!("a whole file always gives an answer"));
    let html = markdown::render(body, article.title_from_heading);
    let processed = html::process(
        &html,
        &article.link,
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
            &source.file,
            Some(line),
            format!(
                "removed {} that XML 1.0 does not allow or discourages from the text (the first is U+{:04X}); write the character itself, or leave it out",
                count(processed.removed, "character"),
                first as u32
            ),
        ));
    }
    let summary = match &article.summary {
        Some(summary) => summary.clone(),
        None => summarize(&processed.text, limits.cjk, limits.latin),
    };
    Ok(Parsed {
        value: (
            article,
            Body {
                html: processed.html,
                summary,
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
                format!(
                    "not valid UTF-8 (invalid byte 0x{:02X} at byte offset {offset}); save the file as UTF-8",
                    bytes[offset]
                ),
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
            format!(
                "removed {} that XML 1.0 does not allow (the first is U+{:04X})",
                count(removed, "character"),
                c as u32
            ),
        ));
        text.to_mut().retain(|c| !is_illegal_xml_char(c));
    }
    Ok(text)
}

/// Path segments in links: everything but unreserved characters and sub-delims is encoded.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// The fields of an article, with every fallback applied, and its body text.
/// `whole` says whether `text` is the whole file; when it is only the front
/// matter and the title must come from the body, the answer is `Ok(None)`.
fn read<'t>(
    site: &Site,
    source: &Source,
    text: &'t str,
    whole: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<(Article, &'t str)>, Diagnostic> {
    let file = source.file.as_path();
    let split =
        front_matter::split(text).map_err(|(line, m)| Diagnostic::error(file, Some(line), m))?;
    let fm_text = split.front_matter.map_or("", |(_, t)| t);
    let raw = match split.front_matter {
        Some((syntax, fm)) => front_matter::parse(syntax, fm).map_err(|(line, message)| {
            let line = line.map_or(split.front_matter_line - 1, |l| {
                l + split.front_matter_line - 1
            });
            Diagnostic::error(file, Some(line), message)
        })?,
        None => front_matter::RawFrontMatter::default(),
    };
    // The line of a key in the file, or the line the front matter opens on.
    let line_of = |key: &str| {
        Some(front_matter::key_line(fm_text, key).map_or(1, |l| l + split.front_matter_line - 1))
    };
    let error = |key: &str, message: String| Diagnostic::error(file, line_of(key), message);

    for key in &raw.unknown {
        let hint = front_matter::suggest(key)
            .map(|known| format!("; did you mean '{known}'?"))
            .unwrap_or_default();
        warnings.push(Diagnostic::warning(
            file,
            line_of(key),
            format!("unknown front matter key `{key}` is ignored{hint}"),
        ));
    }

    // What XML 1.0 cannot carry may still come out of a YAML escape
    // (`"\a"`) or a character reference in a heading (`&#7;`).
    let clean_at =
        |line: Option<usize>, what: &str, value: String, warnings: &mut Vec<Diagnostic>| {
            if value.contains(is_unfit_for_xml) {
                warnings.push(Diagnostic::warning(
                    file,
                    line,
                    format!(
                        "removed characters that XML 1.0 does not allow or discourages from {what}"
                    ),
                ));
                value.chars().filter(|&c| !is_unfit_for_xml(c)).collect()
            } else {
                value
            }
        };
    let clean = |key: &str, value: String, warnings: &mut Vec<Diagnostic>| -> String {
        clean_at(line_of(key), &format!("`{key}`"), value, warnings)
    };
    let nonempty =
        |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());

    let file_name = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let (name_date, name_rest) = split_date_prefix(file_name);

    let (title, title_from_heading) = match nonempty(raw.title) {
        Some(title) => (clean("title", title, warnings), false),
        None => match markdown::first_heading(split.body) {
            Some((title, at)) => {
                let line = split.body_line + line_of_offset(split.body, at) - 1;
                (clean_at(Some(line), "the title", title, warnings), true)
            }
            None if !whole => return Ok(None),
            None => {
                return Err(Diagnostic::error(
                    file,
                    Some(1),
                    "no title: set `title` in the front matter or start the text with a `# heading`",
                ));
            }
        },
    };

    let tz: &TimeZone = &site.time_zone;
    let (date, written_day) = match (&raw.date, name_date) {
        (Some(date), _) => {
            let resolved = date
                .resolve(tz)
                .map_err(|m| error("date", format!("`date`: {m}")))?;
            (resolved.at, resolved.day)
        }
        (None, Some(day)) => tz
            .to_zoned_datetime(day.to_datetime(jiff::civil::Time::midnight()))
            .map(|z| (z.timestamp(), day))
            .map_err(|e| {
                Diagnostic::error(file, None, format!("the date in the file name: {e}"))
            })?,
        (None, None) => {
            return Err(Diagnostic::error(
                file,
                Some(1),
                "no date: set `date` in the front matter (for example 2024-06-28 or 2024-06-28T09:00:00+08:00) or start the file name with one",
            ));
        }
    };
    let updated = raw
        .updated
        .as_ref()
        .map(|u| {
            u.resolve(tz)
                .map(|r| r.at)
                .map_err(|m| error("updated", format!("`updated`: {m}")))
        })
        .transpose()?;

    let authors = match (raw.author, raw.authors) {
        (Some(_), Some(_)) => {
            return Err(error(
                "authors",
                "set either `author` or `authors`, not both".into(),
            ));
        }
        (Some(one), None) => vec![one],
        (None, Some(many)) => many,
        (None, None) => Vec::new(),
    };
    let mut people = Vec::with_capacity(authors.len());
    for person in authors {
        // A person's page, like every URL a feed carries, is absolute.
        let uri = person
            .uri
            .map(|uri| {
                web_url(&site.base_url, &uri)
                    .map(String::from)
                    .map_err(|m| error("author", format!("`uri`: {m}")))
            })
            .transpose()?;
        let person = Person {
            name: clean("author", nfc(person.name.trim()).into_owned(), warnings),
            email: person.email,
            uri,
        };
        if !person.name.is_empty() && !people.contains(&person) {
            people.push(person);
        }
    }

    let mut tags: Vec<String> = Vec::new();
    for tag in raw.tags.unwrap_or_default() {
        let tag = clean("tags", nfc(tag.trim()).into_owned(), warnings);
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }

    // `index.md` stands for its folder: `2024/fire/index.md` is `2024/fire`.
    let (mut dir, mut stem) = match source.rel.rsplit_once('/') {
        Some((dir, _)) => (dir, name_rest),
        None => ("", name_rest),
    };
    if stem == "index" && !dir.is_empty() {
        (dir, stem) = dir.rsplit_once('/').unwrap_or(("", dir));
    }
    let slug = match nonempty(raw.slug) {
        Some(slug) => {
            if slug.contains('/') {
                return Err(error(
                    "slug",
                    format!("`slug`: \"{slug}\" must not contain `/`"),
                ));
            }
            nfc(&slug).into_owned()
        }
        None => nfc(stem).into_owned(),
    };
    let local_date = date.to_zoned_datetime(tz.clone()).date();

    let id = match nonempty(raw.id) {
        Some(id) => {
            if Url::parse(&id).is_err() {
                return Err(error(
                    "id",
                    format!(
                        "`id`: \"{id}\" is not an absolute URI (for example tag:example.com,2024-06-28:fire)"
                    ),
                ));
            }
            id
        }
        None => format!(
            "tag:{},{written_day}:{}",
            site.authority,
            id_path(dir, stem)
        ),
    };

    let link = match nonempty(raw.link) {
        Some(link) => {
            web_url(&site.base_url, &link).map_err(|m| error("link", format!("`link`: {m}")))?
        }
        None => {
            let dir: Vec<String> = dir
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|segment| encode_segment(&nfc(segment)))
                .collect();
            let relative =
                site.permalink
                    .expand(&dir.join("/"), &encode_segment(&slug), local_date);
            site.base_url.join(&relative).map_err(|e| {
                Diagnostic::error(
                    file,
                    None,
                    format!("cannot make a link from \"{relative}\": {e}"),
                )
            })?
        }
    };
    let image = nonempty(raw.image)
        .map(|image| web_url(&link, &image).map_err(|m| error("image", format!("`image`: {m}"))))
        .transpose()?;

    // Every format writes the language where readers expect a BCP 47 tag
    // (RFC 5646): anything else is left out, and the site's applies.
    let lang = nonempty(raw.lang).and_then(|lang| {
        if crate::config::is_language_tag(&lang) {
            return Some(lang);
        }
        warnings.push(Diagnostic::warning(
            file,
            line_of("lang"),
            format!(
                "`lang`: \"{lang}\" is not a language tag (for example zh-CN or en); the site's language applies"
            ),
        ));
        None
    });
    let article = Article {
        source: source.clone(),
        title,
        date,
        updated,
        authors: people,
        category: nonempty(raw.category).map(|c| clean("category", nfc(&c).into_owned(), warnings)),
        tags,
        summary: nonempty(raw.summary).map(|s| clean("summary", s, warnings)),
        draft: raw.draft.unwrap_or(false),
        slug,
        id,
        link,
        image,
        lang,
        title_from_heading,
        updated_line: updated.and(line_of("updated")),
    };
    Ok(Some((article, split.body)))
}

/// The article's place in the site as a `tag:` id names it: its folder and
/// file name inside `content/` (`index.md` standing for its folder, a date
/// prefix dropped), in NFC, each segment percent-encoded. Unlike the slug and
/// the link, it depends on no setting, so an id survives any change of
/// config; two files of the same name in two folders get two ids.
fn id_path(dir: &str, stem: &str) -> String {
    dir.split('/')
        .chain([stem])
        .filter(|s| !s.is_empty())
        .map(|segment| encode_segment(&nfc(segment)))
        .collect::<Vec<_>>()
        .join("/")
}

/// `value` (absolute, or relative to `base`) as the http or https URL a
/// reader may open; anything else (`javascript:`, not a URL) is refused
/// with the reason.
fn web_url(base: &Url, value: &str) -> Result<Url, String> {
    let value = value.trim();
    match base.join(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(url),
        Ok(url) => Err(format!(
            "\"{value}\" is a {}: URL; use an http or https URL",
            url.scheme()
        )),
        Err(e) => Err(format!("\"{value}\" is not a URL ({e})")),
    }
}

/// Splits `2024-06-28-fire` into its date and `fire`.
fn split_date_prefix(stem: &str) -> (Option<jiff::civil::Date>, &str) {
    if stem.len() > 11 && stem.as_bytes()[10] == b'-' {
        if let Some(date) = stem
            .get(..10)
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        {
            return (Some(date), &stem[11..]);
        }
    }
    (None, stem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn site() -> Site {
        Config::parse(
            Path::new("syndicated.toml"),
            "[site]\ntitle = \"T\"\nbase_url = \"https://news.example/\"\ntimezone = \"Asia/Shanghai\"\n",
        )
        .unwrap()
        .site
    }

    fn parse(rel: &str, text: &str) -> Result<Parsed<Article>, String> {
        let source = Source::new(Path::new("content"), Path::new("content").join(rel));
        parse_article(&site(), &source, text.as_bytes()).map_err(|e| e.to_string())
    }

    #[test]
    fn fallbacks_from_file_name_and_heading() {
        let a = parse("2024/06/2024-06-28-fire.md", "# 消防局挂牌\n\n正文。")
            .unwrap()
            .value;
        assert_eq!(a.title, "消防局挂牌");
        assert!(a.title_from_heading);
        assert_eq!(a.slug, "fire");
        assert_eq!(a.date.to_string(), "2024-06-27T16:00:00Z");
        assert_eq!(a.id, "tag:news.example,2024-06-28:2024/06/fire");
        assert_eq!(a.link.as_str(), "https://news.example/2024/06/fire/");
    }

    #[test]
    fn index_files_stand_for_their_folder() {
        let a = parse(
            "2024/fire/index.md",
            "---\ntitle: t\ndate: 2024-06-28\n---\n",
        )
        .unwrap()
        .value;
        assert_eq!(a.slug, "fire");
        assert_eq!(a.link.as_str(), "https://news.example/2024/fire/");
    }

    #[test]
    fn awkward_file_names_make_valid_links_and_ids() {
        let a = parse("a b/#1?%.md", "---\ntitle: t\ndate: 2024-06-28\n---\n")
            .unwrap()
            .value;
        assert_eq!(a.link.as_str(), "https://news.example/a%20b/%231%3F%25/");
        assert_eq!(a.id, "tag:news.example,2024-06-28:a%20b/%231%3F%25");
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let source = Source::new(Path::new("c"), PathBuf::from("c/x.md"));
        let err = parse_article(&site(), &source, b"---\ntitle: \xff\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "c/x.md:2: not valid UTF-8 (invalid byte 0xFF at byte offset 11); save the file as UTF-8"
        );
    }

    #[test]
    fn bom_crlf_and_control_characters() {
        let p = parse(
            "x.md",
            "\u{FEFF}---\r\ntitle: a\u{1}b\r\ndate: 2024-06-28\r\n---\r\ntext\r\n",
        )
        .unwrap();
        assert_eq!(p.value.title, "ab");
        assert_eq!(
            p.warnings
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [
                "content/x.md:2: warning: removed 1 character that XML 1.0 does not allow (the first is U+0001)"
            ]
        );
    }

    #[test]
    fn front_matter_urls_must_be_web_urls() {
        let err = parse(
            "x.md",
            "---\ntitle: a\ndate: 2024-06-28\nlink: javascript:alert(1)\n---\n",
        )
        .unwrap_err();
        assert_eq!(
            err,
            "content/x.md:4: `link`: \"javascript:alert(1)\" is a javascript: URL; use an http or https URL"
        );
        let a = parse(
            "x.md",
            "---\ntitle: a\ndate: 2024-06-28\nimage: pic.png\nauthor: {name: A, uri: /about}\n---\n",
        )
        .unwrap()
        .value;
        assert_eq!(a.image.unwrap().as_str(), "https://news.example/x/pic.png");
        assert_eq!(
            a.authors[0].uri.as_deref(),
            Some("https://news.example/about")
        );
    }

    #[test]
    fn a_language_that_is_no_language_tag_is_a_warning() {
        let p = parse(
            "x.md",
            "---\ntitle: a\ndate: 2024-06-28\nlang: zh_CN\n---\n",
        )
        .unwrap();
        assert_eq!(p.value.lang, None);
        assert_eq!(
            p.warnings[0].to_string(),
            "content/x.md:4: warning: `lang`: \"zh_CN\" is not a language tag (for example zh-CN or en); the site's language applies"
        );
    }

    #[test]
    fn bad_date_names_the_line() {
        let err = parse("x.md", "---\ntitle: a\ndate: June 28\n---\n").unwrap_err();
        assert_eq!(
            err,
            "content/x.md:3: `date`: \"June 28\" is not a date (use 2024-06-28 or 2024-06-28T09:00:00+08:00)"
        );
    }

    #[test]
    fn summary_and_body_render() {
        let source = Source::new(Path::new("content"), PathBuf::from("content/x.md"));
        let text = "---\ntitle: a\ndate: 2024-06-28\n---\n第一句。[链接](a.html)\n";
        let p =
            render_article(&site(), SummaryLimits::default(), &source, text.as_bytes()).unwrap();
        let (_, body) = p.value;
        assert_eq!(body.summary, "第一句。链接");
        assert!(body.html.contains("href=\"https://news.example/x/a.html\""));
    }
}
