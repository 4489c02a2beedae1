//! The two pages for people and tools that want the list of feeds: `/`, an
//! HTML page listing every feed with its latest items and `<link
//! rel="alternate">` autodiscovery tags, and `/feeds.opml`, an OPML 2.0 list
//! a reader can import. Both are rendered at publication like the feeds, from
//! the same selections, and are just as deterministic. The feeds of a family
//! are grouped under the family: a list of its values on the page (no
//! autodiscovery link each: a browser offers those for the site-wide feeds
//! only), a nested outline in the OPML list.

use std::collections::HashMap;
use std::sync::Arc;

use quick_xml::escape::escape;

use crate::config::{FeedSpec, Format, Site};
use crate::content::Article;
use crate::render::self_url;
use crate::text::url_path;

/// How many of each feed's latest items the page lists.
const LATEST: usize = 5;

fn media(format: Format) -> &'static str {
    format.media_type().split(';').next().unwrap_or_default()
}

/// The HTML page at `/`. No scripts, no external resources; every text
/// escaped.
///
/// `sections` keeps each family's section from one page to the next: a
/// family of thousands of feeds is written again only when one of its
/// feeds, or how many items one shows, changed.
pub fn index_html(
    site: &Site,
    feeds: &[(&FeedSpec, &[Arc<Article>])],
    sections: &mut Sections,
) -> Vec<u8> {
    let mut html = String::with_capacity(4096);
    let title = escape(site.title.as_str());
    html.push_str("<!DOCTYPE html>\n");
    html.push_str(&format!(
        "<html lang=\"{}\">\n<head>\n",
        escape(site.language.as_str())
    ));
    html.push_str("<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str(&format!("<title>{title}</title>\n"));
    if let Some(icon) = &site.icon {
        html.push_str(&format!(
            "<link rel=\"icon\" href=\"{}\">\n",
            escape(icon.url.as_str())
        ));
    }
    for (feed, _) in feeds.iter().filter(|(f, _)| f.member.is_none()) {
        let hreflang = feed
            .variant_of
            .as_ref()
            .map(|of| format!(" hreflang=\"{}\"", of.variant.tag()))
            .unwrap_or_default();
        for &format in &feed.formats {
            html.push_str(&format!(
                "<link rel=\"alternate\" type=\"{}\"{hreflang} title=\"{} ({})\" href=\"{}\">\n",
                media(format),
                escape(feed.title.as_str()),
                format.extension(),
                escape(self_url(site, feed, format).as_str()),
            ));
        }
    }
    html.push_str("<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}");
    html.push_str("section{margin:2rem 0}h2{margin-bottom:.25rem}.formats a{margin-right:.75rem}time{color:#666;margin-right:.5rem}</style>\n");
    html.push_str("</head>\n<body>\n");
    html.push_str(&format!(
        "<h1><a href=\"{}\">{title}</a></h1>\n",
        escape(site.base_url.as_str())
    ));
    if let Some(description) = &site.description {
        html.push_str(&format!("<p>{}</p>\n", escape(description.as_str())));
    }
    html.push_str("<p><a href=\"feeds.opml\">OPML</a></p>\n");
    let originals = feeds
        .iter()
        .filter(|(f, _)| f.member.is_none() && f.variant_of.is_none());
    for (feed, items) in originals {
        html.push_str(&format!(
            "<section id=\"{}\">\n",
            escape(feed.name.as_str())
        ));
        html.push_str(&format!("<h2>{}</h2>\n", escape(feed.title.as_str())));
        if let Some(description) = &feed.description {
            html.push_str(&format!("<p>{}</p>\n", escape(description.as_str())));
        }
        html.push_str("<p class=\"formats\">");
        html.push_str(&format_links(feed));
        html.push_str("</p>\n");
        if let Some(pages) = archive_pages(feed, items.len()) {
            html.push_str(&archive_links(feed, pages));
        }
        let variants = feeds
            .iter()
            .filter(|(f, _)| f.variant_of.as_ref().is_some_and(|of| of.name == feed.name));
        for (variant, _) in variants {
            html.push_str(&format!(
                "<p class=\"formats\">{}: {}</p>\n",
                escape(variant.language.as_deref().unwrap_or_default()),
                format_links(variant)
            ));
        }
        html.push_str("<ul>\n");
        for article in items.iter().take(LATEST) {
            let date = article
                .date
                .to_zoned_datetime(site.time_zone.clone())
                .date();
            html.push_str(&format!(
                "<li><time datetime=\"{date}\">{date}</time><a href=\"{}\">{}</a></li>\n",
                escape(article.link.as_str()),
                escape(article.title.as_str()),
            ));
        }
        html.push_str("</ul>\n</section>\n");
    }
    let mut kept = HashMap::new();
    for (family, members) in families(feeds) {
        let members: Vec<(&FeedSpec, usize)> = members
            .into_iter()
            .filter(|(f, _)| f.variant_of.is_none())
            .map(|(feed, items)| (*feed, items.len()))
            .collect();
        let section = match sections.0.remove(family) {
            Some(section) if section.lists(&members) => section,
            _ => Section::new(family, &members),
        };
        html.push_str(&section.html);
        kept.insert(family.to_owned(), section);
    }
    sections.0 = kept;
    html.push_str("</body>\n</html>\n");
    html.into_bytes()
}

/// The section of each family on the index page, as last written, by
/// family name.
#[derive(Debug, Default)]
pub struct Sections(HashMap<String, Section>);

/// One family's section, and what it lists: each feed's name, formats and
/// number of items.
#[derive(Debug)]
struct Section {
    listed: Vec<(String, Vec<Format>, usize)>,
    html: String,
}

impl Section {
    fn new(family: &str, members: &[(&FeedSpec, usize)]) -> Section {
        let mut html = format!(
            "<section id=\"family-{0}\">\n<h2>{0}</h2>\n<ul>\n",
            escape(family)
        );
        for (feed, count) in members {
            let value = feed.member.as_ref().map_or("", |m| m.value.as_str());
            html.push_str(&format!(
                "<li>{} ({count}) <span class=\"formats\">{}</span></li>\n",
                escape(value),
                format_links(feed)
            ));
        }
        html.push_str("</ul>\n</section>\n");
        Section {
            listed: members
                .iter()
                .map(|(feed, count)| (feed.name.clone(), feed.formats.clone(), *count))
                .collect(),
            html,
        }
    }

    /// Whether this section lists exactly `members`.
    fn lists(&self, members: &[(&FeedSpec, usize)]) -> bool {
        self.listed.len() == members.len()
            && self
                .listed
                .iter()
                .zip(members)
                .all(|((name, formats, count), (feed, n))| {
                    *name == feed.name && *formats == feed.formats && count == n
                })
    }
}

/// The number of full archive pages of `feed` with `items` items (those a
/// reader walks back through from the subscription document), if it has
/// an archive and the items do not all fit in its subscription document.
pub fn archive_pages(feed: &FeedSpec, items: usize) -> Option<usize> {
    let per_page = feed.archive?;
    (items > feed.limit).then(|| items / per_page.max(1))
}

/// Links to the oldest and the newest full archive page of `feed`, in its
/// first format, relative to the page.
fn archive_links(feed: &FeedSpec, pages: usize) -> String {
    let Some(&format) = feed.formats.first() else {
        return String::new();
    };
    let page = |n: usize| {
        escape(url_path(&crate::render::archive_name(&feed.name, n, format)).as_str()).into_owned()
    };
    format!(
        "<p class=\"archive\">Archive ({pages} pages, oldest first): <a href=\"{}\">page 1</a> … <a href=\"{}\">page {pages}</a></p>\n",
        page(1),
        page(pages)
    )
}

/// A link to each format of `feed`, relative to the page.
fn format_links(feed: &FeedSpec) -> String {
    feed.formats
        .iter()
        .map(|&format| {
            format!(
                "<a href=\"{}.{}\">{}</a>",
                escape(url_path(&feed.name).as_str()),
                format.extension(),
                match format {
                    Format::Rss => "RSS",
                    Format::Atom => "Atom",
                    Format::Json => "JSON Feed",
                }
            )
        })
        .collect()
}

/// The feeds of each family, by family name in the order they come.
fn families<'f, T>(feeds: &'f [(&'f FeedSpec, T)]) -> Vec<(&'f str, Vec<&'f (&'f FeedSpec, T)>)> {
    let mut out: Vec<(&str, Vec<&(&FeedSpec, T)>)> = Vec::new();
    for entry in feeds {
        let Some(member) = &entry.0.member else {
            continue;
        };
        match out.iter_mut().find(|(name, _)| *name == member.family) {
            Some((_, members)) => members.push(entry),
            None => out.push((member.family.as_str(), vec![entry])),
        }
    }
    out
}

/// `/feeds.opml`: every feed in its first format, for importing into a
/// reader; a family's feeds in an outline of their own.
///
/// Each feed comes with whether it has archive pages: its outline is then
/// followed by one of `type="link"` to its oldest page, from which
/// `next-archive` links lead to the newest.
pub fn opml(site: &Site, feeds: &[(&FeedSpec, bool)]) -> Vec<u8> {
    let mut xml = String::with_capacity(1024);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<opml version=\"2.0\">\n  <head>\n");
    xml.push_str(&format!(
        "    <title>{}</title>\n  </head>\n  <body>\n",
        escape(site.title.as_str())
    ));
    for (feed, archived) in feeds.iter().filter(|(f, _)| f.member.is_none()) {
        xml.push_str(&outline(site, feed, *archived, "    "));
    }
    for (family, members) in families(feeds) {
        xml.push_str(&format!(
            "    <outline text=\"{0}\" title=\"{0}\">\n",
            escape(family)
        ));
        for (feed, archived) in members {
            xml.push_str(&outline(site, feed, *archived, "      "));
        }
        xml.push_str("    </outline>\n");
    }
    xml.push_str("  </body>\n</opml>\n");
    xml.into_bytes()
}

/// One feed's `<outline>` in its first format, on a line of its own.
fn outline(site: &Site, feed: &FeedSpec, archived: bool, indent: &str) -> String {
    let Some(&format) = feed.formats.first() else {
        return String::new();
    };
    let kind = match format {
        Format::Rss | Format::Json => "rss",
        Format::Atom => "atom",
    };
    let mut xml = format!(
        "{indent}<outline type=\"{kind}\" text=\"{title}\" title=\"{title}\" xmlUrl=\"{url}\" htmlUrl=\"{home}\"",
        title = escape(feed.title.as_str()),
        url = escape(self_url(site, feed, format).as_str()),
        home = escape(site.base_url.as_str()),
    );
    if let Some(description) = &feed.description {
        xml.push_str(&format!(
            " description=\"{}\"",
            escape(description.as_str())
        ));
    }
    xml.push_str("/>\n");
    // Beside the feed, not inside it: an importer may take an outline with
    // children for a folder.
    if archived {
        xml.push_str(&format!(
            "{indent}<outline type=\"link\" text=\"{} (archive)\" url=\"{}\"/>\n",
            escape(feed.title.as_str()),
            escape(crate::render::archive_url(site, feed, 1, format).as_str()),
        ));
    }
    xml
}
