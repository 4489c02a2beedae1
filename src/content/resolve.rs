//! From front matter to an [`Article`](super::Article): every field
//! resolved, every fallback taken (title from the first heading, date from
//! a `YYYY-MM-DD-` file-name prefix, slug from the file name), links and ids
//! made, and each mistake reported on its line.

use std::path::Path;
use std::sync::Arc;

use jiff::tz::TimeZone;
use url::Url;

use super::media::{Media, article_media, enclosures};
use super::{Article, Enclosure, Episode, Image, Person, Seldom, Source, front_matter, markdown};
use crate::config::Site;
use crate::diagnostic::{Diagnostic, line_of_offset};
use crate::i18n::Message;
use crate::text::{intern, is_unfit_for_xml, nfc, url_segment};

/// The fields of an article, with every fallback applied, and its body text.
/// `whole` says whether `text` is the whole file; when it is only the front
/// matter and the title must come from the body, the answer is `Ok(None)`.
/// Each field is resolved by its own step of [`Resolver`], in the order
/// their mistakes are reported.
pub(super) fn article<'t>(
    site: &Site,
    source: &Source,
    text: &'t str,
    whole: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<(Article, &'t str)>, Diagnostic> {
    let file = source.file();
    let (split, raw) = read_front_matter(&file, text)?;
    let mut r = Resolver {
        site,
        source,
        file: &file,
        front_matter: split.front_matter.map_or("", |(_, t)| t),
        first_line: split.front_matter_line,
        warnings,
    };
    r.unknown_keys(&raw.unknown);
    let Some((title, title_from_heading)) =
        r.title(raw.title, split.body, split.body_line, whole)?
    else {
        return Ok(None);
    };
    let file_name = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let (name_date, name_rest) = split_date_prefix(file_name);
    let dated = r.date(raw.date.as_ref(), name_date)?;
    let (date, written_day) = (dated.at, dated.day);
    let updated = r.updated(raw.updated.as_ref())?;
    let authors = r.authors(raw.author, raw.authors)?;
    let tags = r.tags(raw.tags.unwrap_or_default());
    let (dir, stem) = place(source, name_rest);
    let slug = r.slug(raw.slug, stem)?;
    let id = r.id(raw.id, dir, stem, written_day)?;
    let local_date = date.to_zoned_datetime(site.time_zone.clone()).date();
    let link = r.link(raw.link, dir, &slug, local_date)?;
    let image = r.image(raw.image, raw.image_alt, raw.image_caption, &link)?;
    let episode = r.episode(
        [raw.episode, raw.season, raw.episode_type],
        raw.explicit,
        [raw.transcript, raw.chapters],
        &link,
    )?;
    let enclosures = (raw.enclosures.map(|list| r.enclosures(list, &link)))
        .transpose()?
        .unwrap_or_default();
    let seldom = r.seldom(raw.lang, raw.translation_key, raw.exclude_from);
    let mut article = Article {
        source: source.clone(),
        title: title.into(),
        date,
        updated,
        authors: authors.into(),
        category: nonempty(raw.category)
            .map(|c| intern(&r.clean("category", nfc(&c).into_owned()))),
        tags: tags.into(),
        summary: nonempty(raw.summary).map(|s| r.clean("summary", s).into()),
        draft: raw.draft.unwrap_or(false),
        id: id.into(),
        link: link.into(),
        image: image.map(Box::new),
        in_feeds: raw.feeds.unwrap_or(true),
        preview: false,
        enclosures: enclosures.into(),
        episode: (episode != Episode::NONE).then(|| Box::new(episode)),
        seldom: (seldom != Seldom::default()).then(|| Box::new(seldom)),
        title_from_heading,
        day_only: dated.day_only,
        updated_line: updated
            .and_then(|_| r.line("updated"))
            .and_then(|line| u32::try_from(line).ok())
            .and_then(std::num::NonZeroU32::new),
    };
    if site.preview {
        mark_for_preview(&mut article, site, jiff::Timestamp::now());
    }
    Ok(Some((article, split.body)))
}

/// The file's text split at the front matter's fences, and the front
/// matter read (YAML or TOML), a mistake located on its line in the file.
fn read_front_matter<'t>(
    file: &Path,
    text: &'t str,
) -> Result<(front_matter::Split<'t>, front_matter::RawFrontMatter), Diagnostic> {
    let split =
        front_matter::split(text).map_err(|(line, m)| Diagnostic::error(file, Some(line), m))?;
    let raw = match split.front_matter {
        Some((syntax, fm)) => front_matter::parse(syntax, fm).map_err(|(line, message)| {
            let line = line.map_or(split.front_matter_line - 1, |l| {
                l + split.front_matter_line - 1
            });
            Diagnostic::error(file, Some(line), message)
        })?,
        None => front_matter::RawFrontMatter::default(),
    };
    Ok((split, raw))
}

/// A value as given, trimmed; none when it is empty.
fn nonempty(value: Option<String>) -> Option<String> {
    value
        .map(|v| match v.trim() {
            trimmed if trimmed.len() == v.len() => v,
            trimmed => trimmed.to_owned(),
        })
        .filter(|v| !v.is_empty())
}

/// The folder and the name an article's URL and id are made from:
/// `index.md` stands for its folder (`2024/fire/index.md` is `2024/fire`).
fn place<'s>(source: &'s Source, name_rest: &'s str) -> (&'s str, &'s str) {
    let (dir, stem) = match source.rel.rsplit_once('/') {
        Some((dir, _)) => (dir, name_rest),
        None => ("", name_rest),
    };
    if stem == "index" && !dir.is_empty() {
        return dir.rsplit_once('/').unwrap_or(("", dir));
    }
    (dir, stem)
}

/// Resolves one article's front matter field by field, reporting each
/// mistake on the line of its key.
struct Resolver<'a> {
    site: &'a Site,
    source: &'a Source,
    file: &'a Path,
    /// The front matter's text, where keys are looked for.
    front_matter: &'a str,
    /// The file's line the front matter starts on.
    first_line: usize,
    warnings: &'a mut Vec<Diagnostic>,
}

impl Resolver<'_> {
    /// The line of a key in the file, or the line the front matter opens on.
    fn line(&self, key: &str) -> Option<usize> {
        Some(front_matter::key_line(self.front_matter, key).map_or(1, |l| l + self.first_line - 1))
    }

    fn error(&self, key: &str, message: Message) -> Diagnostic {
        Diagnostic::error(self.file, self.line(key), message)
    }

    /// An error in the field `key`, as `` `key`: message `` on its line.
    fn field_error(&self, key: &str, message: impl Into<Message>) -> Diagnostic {
        self.error(key, Message::field(key, message))
    }

    fn warn(&mut self, key: &str, message: Message) {
        let line = self.line(key);
        self.warnings
            .push(Diagnostic::warning(self.file, line, message));
    }

    /// `value` without what XML 1.0 cannot carry, which may still come out
    /// of a YAML escape (`"\a"`) or a character reference in a heading
    /// (`&#7;`), with a warning on `line`.
    fn clean_at(&mut self, line: Option<usize>, what: Message, value: String) -> String {
        if !value.contains(is_unfit_for_xml) {
            return value;
        }
        self.warnings.push(Diagnostic::warning(
            self.file,
            line,
            Message::new("article-unfit-characters").arg("what", what),
        ));
        value.chars().filter(|&c| !is_unfit_for_xml(c)).collect()
    }

    /// [`Self::clean_at`] on the line of `key`. The line is looked for only
    /// when there is something to say: this runs for every name of every
    /// article.
    fn clean(&mut self, key: &str, value: String) -> String {
        if !value.contains(is_unfit_for_xml) {
            return value;
        }
        let line = self.line(key);
        self.clean_at(line, Message::Text(format!("`{key}`")), value)
    }

    fn unknown_keys(&mut self, keys: &[String]) {
        for key in keys {
            let message = match front_matter::suggest(key) {
                Some(known) => Message::new("article-unknown-key-hint").arg("known", known),
                None => Message::new("article-unknown-key"),
            };
            self.warn(key, message.arg("key", key.as_str()));
        }
    }

    /// The title, and whether it came from the first heading; none when it
    /// must come from a body that `whole` says was not read.
    fn title(
        &mut self,
        title: Option<String>,
        body: &str,
        body_line: usize,
        whole: bool,
    ) -> Result<Option<(String, bool)>, Diagnostic> {
        if let Some(title) = nonempty(title) {
            return Ok(Some((self.clean("title", title), false)));
        }
        match markdown::first_heading(body) {
            Some((title, at)) => {
                let line = body_line + line_of_offset(body, at) - 1;
                Ok(Some((
                    self.clean_at(Some(line), Message::new("article-the-title"), title),
                    true,
                )))
            }
            None if !whole => Ok(None),
            None => Err(Diagnostic::error(
                self.file,
                Some(1),
                Message::new("article-no-title"),
            )),
        }
    }

    /// The moment of `date` (else of the file name's date prefix, at
    /// midnight in the site's zone), the calendar day as written, and
    /// whether only a day was.
    fn date(
        &self,
        date: Option<&front_matter::RawDate>,
        name_date: Option<jiff::civil::Date>,
    ) -> Result<front_matter::Resolved, Diagnostic> {
        let tz: &TimeZone = &self.site.time_zone;
        match (date, name_date) {
            (Some(date), _) => date.resolve(tz).map_err(|m| self.field_error("date", m)),
            (None, Some(day)) => tz
                .to_zoned_datetime(day.to_datetime(jiff::civil::Time::midnight()))
                .map(|z| front_matter::Resolved {
                    at: z.timestamp(),
                    day,
                    day_only: true,
                })
                .map_err(|e| {
                    let detail = Message::Text(e.to_string());
                    let message = Message::new("article-name-date").arg("detail", detail);
                    Diagnostic::error(self.file, None, message)
                }),
            (None, None) => Err(Diagnostic::error(
                self.file,
                Some(1),
                Message::new("article-no-date"),
            )),
        }
    }

    fn updated(
        &self,
        updated: Option<&front_matter::RawDate>,
    ) -> Result<Option<jiff::Timestamp>, Diagnostic> {
        updated
            .map(|u| {
                u.resolve(&self.site.time_zone)
                    .map(|r| r.at)
                    .map_err(|m| self.field_error("updated", m))
            })
            .transpose()
    }

    /// `author` or `authors` (not both), each named once, their pages as
    /// absolute URLs like every URL a feed carries.
    fn authors(
        &mut self,
        author: Option<front_matter::RawPerson>,
        authors: Option<Vec<front_matter::RawPerson>>,
    ) -> Result<Vec<Person>, Diagnostic> {
        let authors = match (author, authors) {
            (Some(_), Some(_)) => {
                return Err(self.error("authors", Message::new("article-authors-both")));
            }
            (Some(one), None) => vec![one],
            (None, Some(many)) => many,
            (None, None) => Vec::new(),
        };
        let mut people = Vec::with_capacity(authors.len());
        for person in authors {
            let uri = person
                .uri
                .map(|uri| {
                    web_url(&self.site.base_url, &uri)
                        .map(|uri| String::from(uri).into())
                        .map_err(|m| self.error("author", Message::field("uri", m)))
                })
                .transpose()?;
            let name = self.clean("author", nfc(person.name.trim()).into_owned());
            let person = Person {
                name: intern(&name),
                email: person.email.map(Into::into),
                uri,
            };
            if !person.name.is_empty() && !people.contains(&person) {
                people.push(person);
            }
        }
        Ok(people)
    }

    /// Tags, normalised (NFC), each once, in the order given.
    fn tags(&mut self, raw: Vec<String>) -> Vec<Arc<str>> {
        let mut tags: Vec<Arc<str>> = Vec::with_capacity(raw.len());
        for tag in raw {
            let tag = self.clean("tags", nfc(tag.trim()).into_owned());
            if !tag.is_empty() && !tags.iter().any(|t| **t == *tag) {
                tags.push(intern(&tag));
            }
        }
        tags
    }

    fn slug(&self, slug: Option<String>, stem: &str) -> Result<String, Diagnostic> {
        match nonempty(slug) {
            Some(slug) if slug.contains('/') => {
                Err(self.error("slug", Message::new("article-slug-slash").arg("slug", slug)))
            }
            Some(slug) => Ok(nfc(&slug).into_owned()),
            None => Ok(nfc(stem).into_owned()),
        }
    }

    /// `id` as given (an absolute URI), else a `tag:` URI (RFC 4151) of the
    /// site's authority, the day as written and the article's place.
    fn id(
        &self,
        id: Option<String>,
        dir: &str,
        stem: &str,
        written_day: jiff::civil::Date,
    ) -> Result<String, Diagnostic> {
        match nonempty(id) {
            Some(id) if Url::parse(&id).is_err() => {
                Err(self.error("id", Message::new("article-bad-id").arg("id", id.as_str())))
            }
            Some(id) => Ok(id),
            None => Ok(format!(
                "tag:{},{written_day}:{}",
                self.site.authority,
                id_path(dir, stem)
            )),
        }
    }

    /// `link` as given (absolute), else the site's permalink template.
    fn link(
        &self,
        link: Option<String>,
        dir: &str,
        slug: &str,
        local_date: jiff::civil::Date,
    ) -> Result<String, Diagnostic> {
        let site = self.site;
        if let Some(link) = nonempty(link) {
            return web_url(&site.base_url, &link)
                .map(String::from)
                .map_err(|m| self.field_error("link", m));
        }
        // Most folders (`2024/06`) are their own URL path already.
        let dir = if dir.bytes().all(is_plain_in_url) {
            dir.to_owned()
        } else {
            dir.split('/')
                .filter(|s| !s.is_empty())
                .map(|segment| url_segment(&nfc(segment)))
                .collect::<Vec<_>>()
                .join("/")
        };
        let relative = site.permalink.expand(&dir, &url_segment(slug), local_date);
        site.base_url
            .join(&relative)
            .map(String::from)
            .map_err(|e| {
                Diagnostic::error(
                    self.file,
                    None,
                    Message::new("article-no-link")
                        .arg("relative", relative.as_str())
                        .arg("detail", e.to_string()),
                )
            })
    }

    /// The article's page, which media paths are resolved against: parsed
    /// again only for the few articles that name any.
    fn page(&self, link: &str) -> Result<Url, Diagnostic> {
        Url::parse(link).map_err(|e| {
            Diagnostic::error(
                self.file,
                None,
                Message::new("article-bad-link")
                    .arg("link", link)
                    .arg("detail", e.to_string()),
            )
        })
    }

    /// A media file the article names under `key`, found and its facts read.
    fn media(&self, key: &str, value: &str, link: &str) -> Result<Media, Diagnostic> {
        article_media(self.site, self.source, &self.page(link)?, value)
            .map_err(|m| self.field_error(key, m))
    }

    fn image(
        &mut self,
        image: Option<String>,
        alt: Option<String>,
        caption: Option<String>,
        link: &str,
    ) -> Result<Option<Image>, Diagnostic> {
        let Some(value) = nonempty(image) else {
            return Ok(None);
        };
        let media = self.media("image", &value, link)?;
        Ok(Some(Image {
            media,
            alt: nonempty(alt).map(|a| self.clean("image_alt", a)),
            caption: nonempty(caption).map(|c| self.clean("image_caption", c)),
            line: self
                .line("image")
                .map_or(1, |l| u32::try_from(l).unwrap_or(u32::MAX)),
        }))
    }

    /// A positive whole number under `key`.
    fn positive(&self, key: &str, value: Option<String>) -> Result<Option<u32>, Diagnostic> {
        value
            .map(|v| {
                v.trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        self.error(
                            key,
                            Message::new("article-not-positive")
                                .arg("key", key)
                                .arg("value", v.as_str()),
                        )
                    })
            })
            .transpose()
    }

    /// A podcast episode's fields: `[episode, season, episode_type]`,
    /// `explicit` and `[transcript, chapters]`.
    fn episode(
        &self,
        [number, season, kind]: [Option<String>; 3],
        explicit: Option<bool>,
        [transcript, chapters]: [Option<String>; 2],
        link: &str,
    ) -> Result<Episode, Diagnostic> {
        Ok(Episode {
            number: self.positive("episode", number)?,
            season: self.positive("season", season)?,
            kind: match kind.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(kind @ ("full" | "trailer" | "bonus")) => Some(kind.to_owned()),
                Some(other) => {
                    return Err(self.error(
                        "episode_type",
                        Message::new("article-episode-type").arg("value", other),
                    ));
                }
            },
            explicit,
            transcript: nonempty(transcript)
                .map(|v| self.transcript(&v, link))
                .transpose()?,
            chapters: nonempty(chapters)
                .map(|v| self.media("chapters", &v, link).map(Box::new))
                .transpose()?,
        })
    }

    /// A transcript, whose type must be known from its name.
    fn transcript(&self, value: &str, link: &str) -> Result<Box<Media>, Diagnostic> {
        let media = self.media("transcript", value, link)?;
        match media.facts.mime {
            Some(_) => Ok(Box::new(media)),
            None => Err(self.error(
                "transcript",
                Message::new("article-transcript-type").arg("value", value),
            )),
        }
    }

    fn enclosures(
        &mut self,
        list: Vec<front_matter::RawEnclosure>,
        link: &str,
    ) -> Result<Vec<Enclosure>, Diagnostic> {
        let key = if front_matter::key_line(self.front_matter, "enclosures").is_some() {
            "enclosures"
        } else {
            "enclosure"
        };
        let line = self.line(key);
        let page = self.page(link)?;
        enclosures(self.site, self.source, &page, list, line, self.warnings)
    }

    /// What few articles have: a language, a translation key, feeds to stay
    /// out of. Every format writes the language where readers expect a
    /// BCP 47 tag (RFC 5646): anything else is left out, and the site's
    /// applies.
    fn seldom(
        &mut self,
        lang: Option<String>,
        translation_key: Option<String>,
        exclude_from: Option<Vec<String>>,
    ) -> Seldom {
        let lang = nonempty(lang).and_then(|lang| {
            if crate::config::is_language_tag(&lang) {
                return Some(lang);
            }
            self.warn(
                "lang",
                Message::new("article-bad-lang").arg("lang", lang.as_str()),
            );
            None
        });
        Seldom {
            lang: lang.map(Into::into),
            translation_key: nonempty(translation_key).map(|k| nfc(k.trim()).into()),
            exclude_from_line: exclude_from
                .as_ref()
                .and_then(|_| self.line("exclude_from"))
                .and_then(|line| u32::try_from(line).ok()),
            exclude_from: exclude_from
                .unwrap_or_default()
                .iter()
                .map(|name| nfc(name.trim()).into_owned())
                .filter(|name| !name.is_empty())
                .collect(),
        }
    }
}

/// In a preview, a draft, or an article scheduled after `now`, is shown,
/// its title marked as such in the site's language: `[草稿] …`,
/// `[定时发布 2026-12-01 08:00] …`.
fn mark_for_preview(article: &mut Article, site: &Site, now: jiff::Timestamp) {
    let words = crate::messages::for_language(&site.language);
    let mut marks = Vec::new();
    if article.draft {
        marks.push(words.draft.to_owned());
    }
    if article.date > now {
        let local = article.date.to_zoned_datetime(site.time_zone.clone());
        marks.push(format!(
            "{} {}",
            words.scheduled,
            local.strftime("%Y-%m-%d %H:%M")
        ));
    }
    if !marks.is_empty() {
        article.title = format!("[{}] {}", marks.join(" · "), article.title).into();
        article.draft = false;
        article.preview = true;
    }
}

/// The article's place in the site as a `tag:` id names it: its folder and
/// file name inside `content/` (`index.md` standing for its folder, a date
/// prefix dropped), in NFC, each segment percent-encoded. Unlike the slug and
/// the link, it depends on no setting, so an id survives any change of
/// config; two files of the same name in two folders get two ids.
pub(super) fn id_path(dir: &str, stem: &str) -> String {
    dir.split('/')
        .chain([stem])
        .filter(|s| !s.is_empty())
        .map(|segment| url_segment(&nfc(segment)))
        .collect::<Vec<_>>()
        .join("/")
}

/// `value` (absolute, or relative to `base`) as the http or https URL a
/// reader may open; anything else (`javascript:`, not a URL) is refused
/// with the reason.
pub(super) fn web_url(base: &Url, value: &str) -> Result<Url, Message> {
    let value = value.trim();
    match base.join(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(url),
        Ok(url) => Err(Message::new("url-scheme")
            .arg("value", value)
            .arg("scheme", url.scheme())),
        Err(e) => Err(Message::new("url-invalid")
            .arg("value", value)
            .arg("detail", e.to_string())),
    }
}

/// Whether `b` stands for itself in a URL path: an unreserved character
/// (RFC 3986 §2.3) or `/`.
fn is_plain_in_url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
}

/// Splits `2024-06-28-fire` into its date and `fire`.
pub(super) fn split_date_prefix(stem: &str) -> (Option<jiff::civil::Date>, &str) {
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
