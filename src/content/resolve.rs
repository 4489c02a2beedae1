//! From front matter to an [`Article`](super::Article): every field
//! resolved, every fallback taken (title from the first heading, date from
//! a `YYYY-MM-DD-` file-name prefix, slug from the file name), links and ids
//! made, and each mistake reported on its line.

use std::sync::Arc;

use jiff::tz::TimeZone;
use url::Url;

use super::media::{article_media, enclosures};
use super::{Article, Episode, Image, Person, Seldom, Source, front_matter, markdown};
use crate::config::Site;
use crate::diagnostic::{Diagnostic, line_of_offset};
use crate::text::{intern, is_unfit_for_xml, nfc, url_segment};

/// The fields of an article, with every fallback applied, and its body text.
/// `whole` says whether `text` is the whole file; when it is only the front
/// matter and the title must come from the body, the answer is `Ok(None)`.
pub(super) fn article<'t>(
    site: &Site,
    source: &Source,
    text: &'t str,
    whole: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<(Article, &'t str)>, Diagnostic> {
    let file = source.file();
    let file: &std::path::Path = &file;
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
    // The key's line is looked for only when there is something to say:
    // this runs for every name of every article.
    let clean = |key: &str, value: String, warnings: &mut Vec<Diagnostic>| -> String {
        if !value.contains(is_unfit_for_xml) {
            return value;
        }
        clean_at(line_of(key), &format!("`{key}`"), value, warnings)
    };
    let nonempty = |value: Option<String>| {
        value
            .map(|v| match v.trim() {
                trimmed if trimmed.len() == v.len() => v,
                trimmed => trimmed.to_owned(),
            })
            .filter(|v| !v.is_empty())
    };

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
                    .map(|uri| String::from(uri).into())
                    .map_err(|m| error("author", format!("`uri`: {m}")))
            })
            .transpose()?;
        let person = Person {
            name: intern(&clean(
                "author",
                nfc(person.name.trim()).into_owned(),
                warnings,
            )),
            email: person.email.map(Into::into),
            uri,
        };
        if !person.name.is_empty() && !people.contains(&person) {
            people.push(person);
        }
    }

    let raw_tags = raw.tags.unwrap_or_default();
    let mut tags: Vec<Arc<str>> = Vec::with_capacity(raw_tags.len());
    for tag in raw_tags {
        let tag = clean("tags", nfc(tag.trim()).into_owned(), warnings);
        if !tag.is_empty() && !tags.iter().any(|t| **t == *tag) {
            tags.push(intern(&tag));
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

    let link: String = match nonempty(raw.link) {
        Some(link) => web_url(&site.base_url, &link)
            .map_err(|m| error("link", format!("`link`: {m}")))?
            .into(),
        None => {
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
            let relative = site.permalink.expand(&dir, &url_segment(&slug), local_date);
            site.base_url
                .join(&relative)
                .map(String::from)
                .map_err(|e| {
                    Diagnostic::error(
                        file,
                        None,
                        format!("cannot make a link from \"{relative}\": {e}"),
                    )
                })?
        }
    };
    // What media paths are resolved against; parsed again only for the few
    // articles that name any.
    let page = || {
        Url::parse(&link).map_err(|e| {
            Diagnostic::error(file, None, format!("cannot read the link \"{link}\": {e}"))
        })
    };
    let image = nonempty(raw.image)
        .map(|value| {
            let media = article_media(site, source, &page()?, &value)
                .map_err(|m| error("image", format!("`image`: {m}")))?;
            Ok(Image {
                media,
                alt: nonempty(raw.image_alt).map(|a| clean("image_alt", a, warnings)),
                caption: nonempty(raw.image_caption).map(|c| clean("image_caption", c, warnings)),
                line: line_of("image").map_or(1, |l| u32::try_from(l).unwrap_or(u32::MAX)),
            })
        })
        .transpose()?;

    let positive = |key: &str, value: Option<String>| -> Result<Option<u32>, Diagnostic> {
        value
            .map(|v| {
                v.trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        error(
                            key,
                            format!("`{key}` must be a positive whole number, not \"{v}\""),
                        )
                    })
            })
            .transpose()
    };
    let episode = Episode {
        number: positive("episode", raw.episode)?,
        season: positive("season", raw.season)?,
        kind: match raw.episode_type.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(kind @ ("full" | "trailer" | "bonus")) => Some(kind.to_owned()),
            Some(other) => {
                return Err(error(
                    "episode_type",
                    format!("`episode_type` must be full, trailer or bonus, not \"{other}\""),
                ));
            }
        },
        explicit: raw.explicit,
        transcript: nonempty(raw.transcript)
            .map(|v| {
                let media = article_media(site, source, &page()?, &v)
                    .map_err(|m| error("transcript", format!("`transcript`: {m}")))?;
                match media.facts.mime {
                    Some(_) => Ok(Box::new(media)),
                    None => Err(error(
                        "transcript",
                        format!(
                            "`transcript`: the type of \"{v}\" is not known from its name; name it .vtt, .srt, .html or .json"
                        ),
                    )),
                }
            })
            .transpose()?,
        chapters: nonempty(raw.chapters)
            .map(|v| {
                article_media(site, source, &page()?, &v)
                    .map(Box::new)
                    .map_err(|m| error("chapters", format!("`chapters`: {m}")))
            })
            .transpose()?,
    };
    let enclosures = match raw.enclosures {
        Some(list) => {
            let key = if front_matter::key_line(fm_text, "enclosures").is_some() {
                "enclosures"
            } else {
                "enclosure"
            };
            let line = line_of(key);
            enclosures(site, source, &page()?, list, line, warnings)?
        }
        None => Vec::new(),
    };

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
    let seldom = Seldom {
        lang: lang.map(Into::into),
        translation_key: nonempty(raw.translation_key).map(|k| nfc(k.trim()).into()),
        exclude_from_line: raw
            .exclude_from
            .as_ref()
            .and_then(|_| line_of("exclude_from"))
            .and_then(|line| u32::try_from(line).ok()),
        exclude_from: raw
            .exclude_from
            .unwrap_or_default()
            .iter()
            .map(|name| nfc(name.trim()).into_owned())
            .filter(|name| !name.is_empty())
            .collect(),
    };
    let mut article = Article {
        source: source.clone(),
        title: title.into(),
        date,
        updated,
        authors: people.into(),
        category: nonempty(raw.category)
            .map(|c| intern(&clean("category", nfc(&c).into_owned(), warnings))),
        tags: tags.into(),
        summary: nonempty(raw.summary).map(|s| clean("summary", s, warnings).into()),
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
        updated_line: updated
            .and_then(|_| line_of("updated"))
            .and_then(|line| u32::try_from(line).ok())
            .and_then(std::num::NonZeroU32::new),
    };
    if site.preview {
        mark_for_preview(&mut article, site, jiff::Timestamp::now());
    }
    Ok(Some((article, split.body)))
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
pub(super) fn web_url(base: &Url, value: &str) -> Result<Url, String> {
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
