//! RSS 2.0 (<https://www.rssboard.org/rss-specification>) with the extensions
//! readers rely on: `atom:link rel="self"`, `content:encoded` for the full
//! text, and one `dc:creator` with the author names (RSS's own `<author>` must
//! be an e-mail address). Ids are `tag:` URIs, so `guid` is `isPermaLink="false"`.
//! Titles are plain text; `description` is HTML, so the plain-text summary is
//! escaped into it; an article in another language than the feed's says so
//! in `dc:language`.

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel, Guid};

use super::history::{FH_NS, History, links, marker};
use super::media::{Element, extension_map, namespaces, picture, picture_elements};
use super::{media, podcast};

use super::{
    Item, categories, description, feed_published, feed_updated, html_text, item_language, rfc2822,
    self_url,
};
use crate::config::{FeedSpec, Format, Site};

pub fn render(site: &Site, feed: &FeedSpec, items: &[Item<'_>], history: History) -> Vec<u8> {
    let tz = &site.time_zone;
    let mut channel_elements = feed
        .podcast
        .as_ref()
        .map(|p| podcast::channel_elements(p, &self_url(site, feed, Format::Rss)))
        .unwrap_or_default();
    channel_elements.extend(marker(history));
    let channel = Channel {
        title: feed.title.clone(),
        link: site.base_url.to_string(),
        description: description(site, feed).to_owned(),
        language: Some(super::feed_language(site, feed).to_owned()),
        pub_date: Some(rfc2822(feed_published(items), tz)),
        last_build_date: Some(rfc2822(feed_updated(items), tz)),
        generator: Some("syndicated".to_owned()),
        docs: Some("https://www.rssboard.org/rss-specification".to_owned()),
        atom_ext: Some(AtomExtension {
            // RFC 5005 Appendix B: RSS names its history with atom:link.
            links: links(site, feed, Format::Rss, history)
                .into_iter()
                .map(|(rel, href)| Link {
                    href,
                    rel: rel.to_owned(),
                    mime_type: (rel != "hub").then(|| "application/rss+xml".to_owned()),
                    ..Link::default()
                })
                .chain(super::alternates(site, feed, Format::Rss).into_iter().map(
                    |(hreflang, href)| Link {
                        href,
                        rel: "alternate".to_owned(),
                        hreflang: Some(hreflang),
                        mime_type: Some("application/rss+xml".to_owned()),
                        ..Link::default()
                    },
                ))
                .collect(),
        }),
        items: items
            .iter()
            .map(|item| rss_item(site, feed, item))
            .collect(),
        namespaces: {
            let mut namespaces = namespaces(feed, items);
            if feed.podcast.is_some() {
                namespaces.insert("podcast".to_owned(), podcast::PODCAST_NS.to_owned());
            }
            if marker(history).is_some() {
                namespaces.insert("fh".to_owned(), FH_NS.to_owned());
            }
            namespaces
        },
        image: channel_image(site, feed),
        itunes_ext: feed
            .podcast
            .as_ref()
            .map(|p| podcast::channel(site, feed, p)),
        extensions: extensions(channel_elements),
        ..Channel::default()
    };
    let bytes = channel
        .pretty_write_to(Vec::new(), b' ', 2)
        .unwrap_or_else(|e| unreachable!("writing RSS to memory cannot fail: {e}"));
    hex_references(bytes)
}

/// The channel's `<image>`: the site's logo, else its icon, with its width
/// and height scaled to fit RSS's limits (at most 144 × 400 pixels, RSS 2.0
/// §`<image>` sub-element) keeping its shape.
fn channel_image(site: &Site, feed: &FeedSpec) -> Option<rss::Image> {
    let (url, size) = channel_picture(site, feed)?;
    let size = size.map(|(width, height)| {
        let scale = (144.0 / f64::from(width.max(1)))
            .min(400.0 / f64::from(height.max(1)))
            .min(1.0);
        let fit = |n: u32| ((f64::from(n) * scale).round() as u32).max(1).to_string();
        (fit(width), fit(height))
    });
    Some(rss::Image {
        url,
        title: feed.title.clone(),
        link: site.base_url.to_string(),
        width: size.as_ref().map(|(w, _)| w.clone()),
        height: size.map(|(_, h)| h),
        description: None,
    })
}

/// The picture of a feed's RSS channel `<image>`: its logo, else its icon,
/// whichever is a GIF, JPEG or PNG, the only formats RSS 2.0's `<image>`
/// names (the W3C validator warns `ImageUrlFormat` on others); by the type
/// its name gives. None when neither is: Atom and JSON Feed keep them.
pub fn channel_picture(site: &Site, feed: &FeedSpec) -> Option<media::Art> {
    let fits = |art: &media::Art| {
        let path = art.0.split(['?', '#']).next().unwrap_or_default();
        matches!(
            mime_guess::from_path(path).first_raw(),
            Some("image/gif" | "image/jpeg" | "image/png")
        )
    };
    media::logo(site, feed)
        .filter(fits)
        .or_else(|| media::icon(site, feed).filter(fits))
}

/// The RSS Best Practices Profile (§3.1) asks for `&`, `<` and `>` in plain
/// text as `&#x26;`, `&#x3C;` and `&#x3E;`, which no reader can take for
/// HTML, and the W3C validator warns on the named forms; the rss crate
/// writes `&amp;`, `&lt;`, `&gt;`. In serialised XML those can only be
/// escapes, so each is replaced by its numeric form (the same characters to
/// any XML parser). CDATA sections, which hold HTML, are copied as they are.
fn hex_references(bytes: Vec<u8>) -> Vec<u8> {
    const CDATA_OPEN: &[u8] = b"<![CDATA[";
    const CDATA_CLOSE: &[u8] = b"]]>";
    if memchr::memchr(b'&', &bytes).is_none() {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 64);
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        let cdata = memchr::memmem::find(rest, CDATA_OPEN).unwrap_or(rest.len());
        let (text, tail) = rest.split_at(cdata);
        let mut text = text;
        while let Some(at) = memchr::memchr(b'&', text) {
            out.extend_from_slice(&text[..at]);
            let after = &text[at..];
            let (entity, numeric): (&[u8], &[u8]) = if after.starts_with(b"&amp;") {
                (b"&amp;", b"&#x26;")
            } else if after.starts_with(b"&lt;") {
                (b"&lt;", b"&#x3C;")
            } else if after.starts_with(b"&gt;") {
                (b"&gt;", b"&#x3E;")
            } else {
                (b"&", b"&")
            };
            out.extend_from_slice(numeric);
            text = &after[entity.len()..];
        }
        out.extend_from_slice(text);
        // The CDATA section, whole, up to and with its end.
        let end =
            memchr::memmem::find(tail, CDATA_CLOSE).map_or(tail.len(), |i| i + CDATA_CLOSE.len());
        out.extend_from_slice(&tail[..end]);
        rest = &tail[end..];
    }
    out
}

fn rss_item(site: &Site, feed: &FeedSpec, item: &Item<'_>) -> rss::Item {
    let article = item.article;
    // One `dc:creator` naming everyone: Dublin Core allows the element to
    // repeat, but common readers (newsboat, feedparser's `author`) keep only
    // the last one, which would drop the byline's first name.
    let creator = if article.authors.is_empty() {
        super::site_author(site).name.to_string()
    } else {
        let names: Vec<&str> = article.authors.iter().map(|a| &*a.name).collect();
        names.join(", ")
    };
    rss::Item {
        title: Some(article.title.to_string()),
        link: Some(article.link.to_string()),
        // `description` holds HTML (RSS Best Practices Profile §3.1); the
        // summary is plain text.
        // Without a summary, the HTML itself is the description (readers
        // expect one before `content:encoded`, and would show it twice).
        description: match (item.body.summary.is_empty(), item.full) {
            (false, _) => Some(html_text(&item.body.summary)),
            (true, true) => Some(item.body.html.clone()),
            (true, false) => None,
        },
        content: (item.full && !item.body.summary.is_empty()).then(|| item.body.html.clone()),
        guid: Some(Guid {
            permalink: false,
            value: article.id.to_string(),
        }),
        pub_date: Some(rfc2822(article.date, &site.time_zone)),
        categories: categories(article)
            .into_iter()
            .map(|name| Category {
                name: name.to_owned(),
                domain: None,
            })
            .collect(),
        dublin_core_ext: Some(DublinCoreExtension {
            creators: vec![creator],
            // RSS has no language per item; Dublin Core does.
            languages: item_language(site, feed, article)
                .map(|lang| vec![lang.to_owned()])
                .unwrap_or_default(),
            ..DublinCoreExtension::default()
        }),
        // RSS carries one enclosure per item (RSS 2.0, `<enclosure>`).
        enclosure: article.enclosures.first().map(|e| rss::Enclosure {
            url: e.media.url.to_string(),
            length: e.media.facts.length.unwrap_or(0).to_string(),
            mime_type: e.media.facts.mime.clone().unwrap_or_default(),
        }),
        itunes_ext: feed.podcast.as_ref().map(|_| podcast::item(feed, item)),
        extensions: extensions(
            picture(feed, item)
                .map(|p| picture_elements(&p))
                .unwrap_or_default()
                .into_iter()
                .chain(
                    feed.podcast
                        .as_ref()
                        .map(|_| podcast::item_elements(item))
                        .unwrap_or_default(),
                )
                .collect(),
        ),
        ..rss::Item::default()
    }
}

/// `elements` as the rss crate's extension map.
fn extensions(elements: Vec<Element>) -> ExtensionMap {
    extension_map(elements, &|name, value, attrs, children| Extension {
        name,
        value,
        attrs,
        children,
    })
}

#[cfg(test)]
mod tests {
    use super::hex_references;

    #[test]
    fn named_escapes_become_numeric_outside_cdata() {
        let xml = b"<title>a &amp; b &lt;head&gt; &quot;</title><description><![CDATA[&lt;b&gt; &amp;]]></description><x>&amp;</x>".to_vec();
        assert_eq!(
            String::from_utf8(hex_references(xml)).unwrap(),
            "<title>a &#x26; b &#x3C;head&#x3E; &quot;</title><description><![CDATA[&lt;b&gt; &amp;]]></description><x>&#x26;</x>"
        );
    }
}
