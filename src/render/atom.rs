//! Atom 1.0 (RFC 4287). The feed's id is its own URL; each entry's id is the
//! article's stable `tag:` id. Entries carry `published` and `updated`, the
//! summary as text (`type="text"`) and, in full-content feeds, the body as
//! escaped HTML (`type="html"`), and `xml:lang` when an article's language is
//! not the feed's.

use atom_syndication::extension::Extension;
use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text, WriteConfig,
};
use chrono::{FixedOffset, Offset as _, Utc};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::history::{FH_NS, History, links, marker, marker_name};
use super::media::{extension_map, namespaces, picture, picture_elements};
use super::{
    Item, categories, description, feed_updated, item_language, self_url, site_author,
    whole_seconds,
};
use crate::config::{FeedSpec, Format, Site};
use crate::content;

pub fn render(site: &Site, feed: &FeedSpec, items: &[Item<'_>], history: History) -> Vec<u8> {
    let tz = &site.time_zone;
    let atom = Feed {
        title: Text::plain(feed.title.clone()),
        subtitle: Some(Text::plain(description(site, feed))),
        id: self_url(site, feed, Format::Atom),
        updated: fixed(feed_updated(items), tz),
        authors: vec![person(&site_author(site))],
        generator: Some(Generator {
            value: "syndicated".to_owned(),
            uri: None,
            version: None,
        }),
        links: std::iter::once(link(site.base_url.as_str(), "alternate", "text/html"))
            .chain(links(site, feed, Format::Atom, history).into_iter().map(
                |(rel, href)| match rel {
                    "hub" => Link {
                        href,
                        rel: rel.to_owned(),
                        ..Link::default()
                    },
                    _ => link(&href, rel, "application/atom+xml"),
                },
            ))
            .chain(super::alternates(site, feed, Format::Atom).into_iter().map(
                |(hreflang, href)| Link {
                    hreflang: Some(hreflang),
                    ..link(&href, "alternate", "application/atom+xml")
                },
            ))
            .collect(),
        lang: Some(super::feed_language(site, feed).to_owned()),
        entries: items.iter().map(|item| entry(site, feed, item)).collect(),
        namespaces: {
            let mut namespaces = namespaces(feed, items);
            if marker(history).is_some() {
                namespaces.insert("fh".to_owned(), FH_NS.to_owned());
            }
            namespaces
        },
        icon: super::media::icon(site, feed).map(|(url, _)| url),
        logo: super::media::logo(site, feed).map(|(url, _)| url),
        ..Feed::default()
    };
    let config = WriteConfig {
        write_document_declaration: true,
        indent_size: Some(2),
    };
    let bytes = atom
        .write_with_config(Vec::new(), config)
        .unwrap_or_else(|e| unreachable!("writing Atom to memory cannot fail: {e}"));
    let languages: Vec<Option<&str>> = items
        .iter()
        .map(|item| item_language(site, feed, item.article))
        .collect();
    finish(bytes, &languages, marker_name(history))
}

/// What `atom_syndication` cannot write, added to its output event by
/// event: the XML declaration with its encoding (a document served without
/// a charset, as static servers serve it, is then still read as UTF-8),
/// `xml:lang` on each `<entry>` whose language differs from the feed's
/// (RFC 4287 §2; XML 1.0 §2.12), and the feed's RFC 5005 `marker`
/// (`fh:complete`, `fh:archive`) before its entries, where RFC 4287's
/// schema allows a feed's extension elements (Appendix B: `atomFeed`'s
/// children, then `atomEntry*`); the crate writes extensions after the
/// entries. Reading our own output cannot fail; if it ever did, the
/// document is returned as it was.
fn finish(bytes: Vec<u8>, languages: &[Option<&str>], marker: Option<&str>) -> Vec<u8> {
    use quick_xml::events::{BytesDecl, BytesStart, BytesText, Event};
    // The common case, every entry in the feed's language and no marker:
    // only the declaration changes, and the document need not be read again.
    const WRITTEN: &[u8] = b"<?xml version=\"1.0\"?>";
    const DECLARED: &[u8] = b"<?xml version=\"1.0\" encoding=\"utf-8\"?>";
    if marker.is_none() && languages.iter().all(Option::is_none) {
        if let Some(rest) = bytes.strip_prefix(WRITTEN) {
            return [DECLARED, rest].concat();
        }
    }
    let mut reader = quick_xml::Reader::from_reader(bytes.as_slice());
    let mut writer = quick_xml::Writer::new(Vec::with_capacity(bytes.len() + 64));
    let mut entries = languages.iter();
    let mut marker = marker;
    let mut depth = 0_usize;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Decl(_)) => Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)),
            Ok(Event::Start(start)) if depth == 1 && start.name().into_inner() == "entry" => {
                let mut start = start.into_owned();
                if let Some(Some(language)) = entries.next() {
                    start.push_attribute(("xml:lang", *language));
                }
                Event::Start(start)
            }
            Ok(event) => event,
            Err(_) => return bytes,
        };
        // The marker goes before the first entry, or, with none, the end.
        let feed_level = match &event {
            Event::Start(start) => depth == 1 && start.name().into_inner() == "entry",
            Event::End(_) => depth == 1,
            _ => false,
        };
        if feed_level {
            if let Some(name) = marker.take() {
                // On a line of its own, indented as the entries are.
                let after = if matches!(event, Event::End(_)) {
                    "\n"
                } else {
                    "\n  "
                };
                let written = writer
                    .write_event(Event::Empty(BytesStart::new(name)))
                    .and_then(|()| writer.write_event(Event::Text(BytesText::new(after))));
                if written.is_err() {
                    return bytes;
                }
            }
        }
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if writer.write_event(event).is_err() {
            return bytes;
        }
    }
    writer.into_inner()
}

fn entry(site: &Site, feed: &FeedSpec, item: &Item<'_>) -> Entry {
    let article = item.article;
    let tz = &site.time_zone;
    Entry {
        title: Text::plain(article.title.clone()),
        id: article.id.to_string(),
        updated: fixed(article.modified(), tz),
        published: Some(fixed(article.date, tz)),
        authors: article.authors.iter().map(person).collect(),
        categories: categories(article)
            .into_iter()
            .map(|term| Category {
                term: term.to_owned(),
                ..Category::default()
            })
            .collect(),
        // Its translations: one alternate per language (RFC 4287 §4.2.7.4);
        // each enclosure, with its type and length (§4.2.7.2).
        links: std::iter::once(link(&article.link, "alternate", "text/html"))
            .chain(item.translations.iter().map(|(lang, href)| Link {
                hreflang: Some(lang.clone()),
                ..link(href, "alternate", "text/html")
            }))
            .chain(article.enclosures.iter().map(|e| Link {
                href: e.media.url.to_string(),
                rel: "enclosure".to_owned(),
                mime_type: e.media.facts.mime.clone(),
                length: e.media.facts.length.map(|l| l.to_string()),
                title: e.title.clone(),
                ..Link::default()
            }))
            .collect(),
        // An article with no text has no summary; an empty one is noise
        // (the W3C validator warns on a blank atom:summary).
        summary: (!item.body.summary.is_empty()).then(|| Text::plain(item.body.summary.clone())),
        content: item.full.then(|| Content {
            content_type: Some("html".to_owned()),
            value: Some(item.body.html.clone()),
            ..Content::default()
        }),
        extensions: extension_map(
            picture(feed, item)
                .map(|p| picture_elements(&p))
                .unwrap_or_default(),
            &|name, value, attrs, children| Extension {
                name,
                value,
                attrs,
                children,
            },
        ),
        ..Entry::default()
    }
}

fn person(p: &content::Person) -> Person {
    Person {
        name: p.name.to_string(),
        email: p.email.as_deref().map(Into::into),
        uri: p.uri.as_deref().map(Into::into),
        ..Person::default()
    }
}

fn link(href: &str, rel: &str, mime_type: &str) -> Link {
    Link {
        href: href.to_owned(),
        rel: rel.to_owned(),
        mime_type: Some(mime_type.to_owned()),
        ..Link::default()
    }
}

/// The moment in the site's time zone, as the fixed-offset date Atom writes.
fn fixed(ts: Timestamp, tz: &TimeZone) -> FixedDateTime {
    let ts = whole_seconds(ts);
    // chrono's offsets stop short of a day; jiff's go a little further. No
    // real zone comes near either bound, but fall back to UTC rather than panic.
    let offset = FixedOffset::east_opt(tz.to_offset(ts).seconds()).unwrap_or(Utc.fix());
    chrono::DateTime::from_timestamp(ts.as_second(), 0)
        .unwrap_or_default()
        .with_timezone(&offset)
}
