//! The pages for people and tools that want the feeds: `/`, the subscribe
//! page a site links from its front page (every feed with its addresses,
//! latest items and `<link rel="alternate">` autodiscovery); each feed's
//! own page, `NAME.html`, which is also what a browser that opens the feed
//! gets (see `serve::respond`); and `/feeds.opml`, an OPML 2.0 list a
//! reader can import. All are rendered at publication like the feeds, from
//! the same selections, and are just as deterministic; the pages are in the
//! site's language (`messages.rs`), need nothing but this server's
//! stylesheet and script ([`STYLE`], [`SCRIPT`]), and say so in their
//! Content-Security-Policy. The feeds of a family are grouped under the
//! family: a list of its values on the page (no autodiscovery link each: a
//! browser offers those for the site-wide feeds only), a nested outline in
//! the OPML list.

use std::collections::HashMap;
use std::sync::Arc;

use quick_xml::escape::escape;

use crate::config::{Artwork, FeedSpec, Format, Site};
use crate::content::Article;
use crate::messages::Messages;
use crate::render::self_url;
use crate::text::url_path;

/// How many of each feed's latest items the page lists.
const LATEST: usize = 5;

/// The name of the HTML page listing the feeds (the subscribe page).
pub const INDEX: &str = "index.html";
/// The name of the OPML list of the feeds.
pub const OPML: &str = "feeds.opml";
/// The name of the page a missing feed address shows ([`not_found_html`]),
/// with `404 Not Found`; in the mirror, what a static server's error page
/// can be.
pub const NOT_FOUND: &str = "404.html";
/// The stylesheet every page links (`/subscribe.css`).
pub const STYLE: &str = "subscribe.css";
/// The script every page links (`/subscribe.js`): copy buttons only.
pub const SCRIPT: &str = "subscribe.js";
/// The stem of the site's icon as the pages serve it ([`pictures`]).
const ICON: &str = "site-icon";
/// The stem of the site's logo as the pages serve it ([`pictures`]).
const LOGO: &str = "site-logo";
/// The stylesheet's text.
pub const STYLE_TEXT: &str = include_str!("pages/subscribe.css");
/// The script's text.
pub const SCRIPT_TEXT: &str = include_str!("pages/subscribe.js");

/// The pages' Content-Security-Policy: nothing but this server's own
/// stylesheet and script, and pictures in `data:` URLs (the favicon).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The same policy in the pages' `<meta>`, for a server of the mirror that
/// sends none: without `frame-ancestors`, which browsers take from the
/// header only.
const META_POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

/// The favicon: a feed symbol, inline, so the page needs nothing else.
const FAVICON: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%23c0392b'/%3E%3Ccircle cx='4.5' cy='11.5' r='1.6' fill='%23fff'/%3E%3Cpath d='M3 7a6 6 0 0 1 6 6M3 3a10 10 0 0 1 10 10' stroke='%23fff' stroke-width='2' fill='none'/%3E%3C/svg%3E";

fn media(format: Format) -> &'static str {
    format.media_type().split(';').next().unwrap_or_default()
}

/// A format's name as readers know it.
fn format_name(format: Format) -> &'static str {
    match format {
        Format::Rss => "RSS",
        Format::Atom => "Atom",
        Format::Json => "JSON Feed",
    }
}

/// The name the site's icon (`site-icon.png`) or logo (`site-logo.svg`) is
/// served under, by the pages themselves: `None` when it is no file of the
/// content folder small enough ([`crate::config::PAGE_ART_BYTES`]). Feed
/// names have no dot, so no feed's page can take it.
fn picture_name(artwork: Option<&Artwork>, stem: &str) -> Option<String> {
    let artwork = artwork.filter(|a| a.bytes.is_some())?;
    let extension = artwork.file.as_ref()?.extension()?.to_str()?;
    Some(format!("{stem}.{}", extension.to_ascii_lowercase()))
}

/// The site's icon and logo as documents the pages link, each with its
/// content type: `site-icon.png`, `site-logo.svg` (the file's extension),
/// for a file of the content folder of at most
/// [`crate::config::PAGE_ART_BYTES`]; none otherwise. Feed names have no
/// dot, so no feed's page can take these names.
pub fn pictures(site: &Site) -> Vec<(String, &'static str, bytes::Bytes)> {
    [(site.icon.as_ref(), ICON), (site.logo.as_ref(), LOGO)]
        .into_iter()
        .filter_map(|(artwork, stem)| {
            let name = picture_name(artwork, stem)?;
            let artwork = artwork?;
            let kind = mime_guess::from_path(&name)
                .first_raw()
                .unwrap_or("application/octet-stream");
            Some((name, kind, artwork.bytes.clone()?))
        })
        .collect()
}

/// `<img>` of the site's logo (else its icon), `up` leading to the root,
/// with its size when known; empty without either.
fn masthead_picture(site: &Site, up: &str) -> String {
    let shown = picture_name(site.logo.as_ref(), LOGO)
        .map(|name| (name, site.logo.as_ref()))
        .or_else(|| picture_name(site.icon.as_ref(), ICON).map(|n| (n, site.icon.as_ref())));
    let Some((name, artwork)) = shown else {
        return String::new();
    };
    let size = artwork
        .and_then(|a| a.size)
        .map(|(w, h)| format!(" width=\"{w}\" height=\"{h}\""))
        .unwrap_or_default();
    format!(
        "<img class=\"logo\" src=\"{up}{}\" alt=\"\"{size}>",
        escape(name.as_str())
    )
}

/// The readers that subscribe to a feed from a link, each with the start
/// of its link, which the feed's URL ends, percent-encoded. Few document
/// theirs; each is the form its makers give or confirm: Feedly's button
/// factory (`feedly.com/factory.html`), Inoreader's `add_feed`, NewsBlur's
/// `?url=` (its maintainer, NewsBlur#1098), The Old Reader's feed handler
/// (its tour page).
const READERS: [(&str, &str); 4] = [
    ("Feedly", "https://feedly.com/i/subscription/feed%2F"),
    ("Inoreader", "https://www.inoreader.com/?add_feed="),
    ("NewsBlur", "https://www.newsblur.com/?url="),
    (
        "The Old Reader",
        "https://theoldreader.com/feeds/subscribe?url=",
    ),
];

/// "Subscribe in" links for `feed`: the readers of [`READERS`] with its
/// Atom address (else RSS, else JSON Feed), and for a podcast the apps:
/// Apple Podcasts and any podcast app by the `podcast://` scheme (the feed
/// URL with that scheme; Apple documents no other link by feed), Pocket
/// Casts by its `pktc://subscribe/` scheme (its app's code), AntennaPod by
/// its documented deep link (`antennapod.org/deeplink/subscribe`).
fn subscribe_links(site: &Site, feed: &FeedSpec, words: &Messages) -> String {
    let Some(&format) = [Format::Atom, Format::Rss, Format::Json]
        .iter()
        .find(|f| feed.formats.contains(f))
    else {
        return String::new();
    };
    let url = self_url(site, feed, format);
    let encoded = |text: &str| {
        percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let mut links: Vec<(&str, String)> = READERS
        .iter()
        .map(|(name, prefix)| (*name, format!("{prefix}{}", encoded(&url))))
        .collect();
    if feed.podcast.is_some() {
        // A podcast's iTunes and Podcasting 2.0 elements are in its RSS,
        // the one format Apple Podcasts reads.
        let url = if feed.formats.contains(&Format::Rss) {
            self_url(site, feed, Format::Rss)
        } else {
            url.clone()
        };
        let bare = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        links.push(("Apple Podcasts", format!("podcast://{bare}")));
        links.push(("Pocket Casts", format!("pktc://subscribe/{bare}")));
        links.push((
            "AntennaPod",
            format!(
                "https://antennapod.org/deeplink/subscribe?url={}&title={}",
                encoded(&url),
                encoded(&feed.title)
            ),
        ));
    }
    let links: Vec<String> = links
        .iter()
        .map(|(name, href)| {
            format!(
                "<a href=\"{}\" rel=\"nofollow noopener\">{}</a>",
                escape(href.as_str()),
                escape(*name)
            )
        })
        .collect();
    format!(
        "<p class=\"readers\">{} {}</p>\n",
        escape(words.subscribe_in.as_str()),
        links.join(" · ")
    )
}

/// The start of a page to `<body>`: its language, title, the policy, the
/// favicon (the site's icon, else a feed symbol), the stylesheet (`up`
/// leads from the page to the site's root: `../` for a family's feed), and
/// each of `alternates` as autodiscovery.
fn head(html: &mut String, site: &Site, title: &str, up: &str, alternates: &[&FeedSpec]) {
    html.push_str("<!DOCTYPE html>\n");
    html.push_str(&format!(
        "<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
        escape(site.language.as_str())
    ));
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{META_POLICY}\">\n"
    ));
    html.push_str(&format!("<title>{}</title>\n", escape(title)));
    let icon = picture_name(site.icon.as_ref(), ICON).map_or_else(
        || FAVICON.to_owned(),
        |name| format!("{up}{}", escape(name.as_str())),
    );
    html.push_str(&format!("<link rel=\"icon\" href=\"{icon}\">\n"));
    html.push_str(&format!("<link rel=\"stylesheet\" href=\"{up}{STYLE}\">\n"));
    for feed in alternates {
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
                format_name(format),
                escape(self_url(site, feed, format).as_str()),
            ));
        }
    }
    html.push_str("</head>\n<body>\n");
}

/// The end of a page: the script, then `</html>`.
fn tail(html: &mut String, up: &str) {
    html.push_str(&format!(
        "<script src=\"{up}{SCRIPT}\"></script>\n</body>\n</html>\n"
    ));
}

/// `feed`'s address in each format: selectable text, and a copy button
/// the script shows.
fn addresses(html: &mut String, site: &Site, feed: &FeedSpec, words: &Messages) {
    html.push_str("<ul class=\"formats\">\n");
    for &format in &feed.formats {
        let id = format!("u-{}-{}", feed.name, format.extension());
        let id = escape(id.as_str()).into_owned();
        let url = self_url(site, feed, format);
        html.push_str(&format!(
            "<li><span class=\"kind\">{}</span><input id=\"{id}\" readonly value=\"{}\" aria-label=\"{} {}\"><button type=\"button\" data-copy=\"{id}\" data-copied=\"{}\">{}</button></li>\n",
            format_name(format),
            escape(url.as_str()),
            escape(feed.title.as_str()),
            format_name(format),
            escape(words.copied.as_str()),
            escape(words.copy.as_str()),
        ));
    }
    html.push_str("</ul>\n");
}

/// An article's date in the site's zone, for `<time datetime>` and as
/// shown: the day alone when only a day was written (`2024-07-06`), else
/// with the time and the zone's offset (`2024-07-06 07:00 UTC+08:00`).
fn when(site: &Site, article: &Article) -> (String, String) {
    let local = article.date.to_zoned_datetime(site.time_zone.clone());
    if article.day_only {
        let day = local.strftime("%Y-%m-%d").to_string();
        return (day.clone(), day);
    }
    (
        local.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        local.strftime("%Y-%m-%d %H:%M UTC%:z").to_string(),
    )
}

/// `items` as a list: each title linked, with its date, and its summary
/// if it comes with one.
fn item_list<'a>(
    html: &mut String,
    site: &Site,
    items: impl Iterator<Item = (&'a Article, Option<&'a str>)>,
) {
    html.push_str("<ol class=\"items\">\n");
    for (article, summary) in items {
        let (datetime, shown) = when(site, article);
        html.push_str(&format!(
            "<li><a href=\"{}\">{}</a><time datetime=\"{datetime}\">{shown}</time>",
            escape(&*article.link),
            escape(&*article.title),
        ));
        if let Some(summary) = summary.filter(|s| !s.is_empty()) {
            html.push_str(&format!("<p>{}</p>", escape(summary)));
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ol>\n");
}

/// The name of a feed's page: `all.html`, `tags/大运河.html` (a link
/// percent-encodes it, [`url_path`]).
pub fn page_name(feed: &FeedSpec) -> String {
    page_of(&feed.name)
}

/// The name of the page of the feed named `feed`: `all.html`.
pub fn page_of(feed: &str) -> String {
    format!("{feed}.html")
}

/// The name that stands for every archive page of the feed `stem` in the
/// format of `extension` once the feed is no longer published (retired or
/// moved): `{stem}/archive/*.{extension}`. Archive pages are numbered, so
/// no document has this name; the server answers with it for any archive
/// page of the feed it no longer has ([`archive_pattern_for`]).
pub fn archive_pattern(stem: &str, extension: &str) -> String {
    format!("{stem}/archive/*.{extension}")
}

/// The [`archive_pattern`] that covers the archive page `name`
/// (`all/archive/3-….atom` gives `all/archive/*.atom`), if it is one.
pub fn archive_pattern_for(name: &str) -> Option<String> {
    let (stem, file) = name.rsplit_once("/archive/")?;
    let (_, extension) = file.rsplit_once('.')?;
    Some(archive_pattern(stem, extension))
}

/// The page at `/`: the subscribe page a site links from its front page.
/// In the site's language (`messages.rs`): the site's name once, one
/// sentence on what a feed is, and each feed with its description, item
/// count, newest item's date and time in the site's zone, its address in
/// each format (selectable; the script adds copy buttons), its latest
/// items and a link to its page with all of them; its Chinese variants
/// with it; each family as a list of its feeds. No external resource;
/// every text escaped.
///
/// `sections` keeps each family's section from one page to the next: a
/// family of thousands of feeds is written again only when one of its
/// feeds, or how many items one shows, changed.
pub fn index_html(
    site: &Site,
    feeds: &[(&FeedSpec, &[Arc<Article>])],
    sections: &mut Sections,
) -> Vec<u8> {
    let words = crate::messages::for_language(&site.language);
    let mut html = String::with_capacity(8192);
    let originals: Vec<&FeedSpec> = feeds
        .iter()
        .filter(|(f, _)| f.member.is_none())
        .map(|(f, _)| *f)
        .collect();
    head(&mut html, site, &site.title, "", &originals);
    html.push_str(&format!(
        "<header>\n<h1><a href=\"{}\">{}{}</a></h1>\n",
        escape(site.base_url.as_str()),
        masthead_picture(site, ""),
        escape(site.title.as_str())
    ));
    if let Some(description) = &site.description {
        html.push_str(&format!("<p>{}</p>\n", escape(description.as_str())));
    }
    html.push_str("</header>\n<main>\n");
    html.push_str(&format!(
        "<p class=\"intro\">{}</p>\n",
        escape(words.what_is_a_feed.as_str())
    ));
    for (feed, items) in feeds
        .iter()
        .filter(|(f, _)| f.member.is_none() && f.variant_of.is_none())
    {
        feed_section(&mut html, site, feed, items, feeds, words);
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
            _ => Section::new(family, &members, words),
        };
        html.push_str(&section.html);
        kept.insert(family.to_owned(), section);
    }
    sections.0 = kept;
    html.push_str(&format!(
        "</main>\n<footer><p><a href=\"feeds.opml\">{}</a></p></footer>\n",
        escape(words.opml.as_str())
    ));
    tail(&mut html, "");
    html.into_bytes()
}

/// The page a request for a feed that is not here gets, with `404 Not
/// Found` (a reader or a person trying `/feed`, `/rss.xml`, `/atom.xml`…):
/// in the site's language, it says there is no feed at this address and
/// lists the site's feeds, each linked in each format, the families and
/// the subscribe page. The same page for every such address: nothing of
/// the request is in it. Links are absolute, or rooted at `feeds_url`'s
/// path, as the page may be served at any depth.
pub fn not_found_html(site: &Site, feeds: &[(&FeedSpec, &[Arc<Article>])]) -> Vec<u8> {
    let words = crate::messages::for_language(&site.language);
    let root = site.feeds_url.path();
    let mut html = String::with_capacity(2048);
    head(&mut html, site, &words.no_feed_here, root, &[]);
    html.push_str(&format!(
        "<header>\n<h1><a href=\"{}\">{}</a></h1>\n</header>\n<main>\n",
        escape(site.base_url.as_str()),
        escape(site.title.as_str())
    ));
    html.push_str(&format!(
        "<h2>{}</h2>\n<p class=\"intro\">{}</p>\n<ul class=\"feeds\">\n",
        escape(words.no_feed_here.as_str()),
        escape(words.feeds_here.as_str())
    ));
    for (feed, _) in feeds.iter().filter(|(f, _)| f.member.is_none()) {
        let links: Vec<String> = feed
            .formats
            .iter()
            .map(|&format| {
                format!(
                    "<a href=\"{}\" type=\"{}\">{}</a>",
                    escape(self_url(site, feed, format).as_str()),
                    media(format),
                    format_name(format)
                )
            })
            .collect();
        html.push_str(&format!(
            "<li>{} · {}</li>\n",
            escape(feed.title.as_str()),
            links.join(" · ")
        ));
    }
    html.push_str(&format!(
        "</ul>\n<p><a href=\"{}\">{}</a></p>\n</main>\n",
        escape(site.feeds_url.as_str()),
        escape(words.all_feeds.as_str())
    ));
    tail(&mut html, root);
    html.into_bytes()
}

/// One feed's section of the subscribe page: its title, description,
/// addresses (its Chinese variants' too), latest items and archive pages.
fn feed_section(
    html: &mut String,
    site: &Site,
    feed: &FeedSpec,
    items: &[Arc<Article>],
    feeds: &[(&FeedSpec, &[Arc<Article>])],
    words: &Messages,
) {
    let page = escape(url_path(&page_name(feed)).as_str()).into_owned();
    html.push_str(&format!(
        "<section class=\"feed\" id=\"{}\">\n",
        escape(feed.name.as_str())
    ));
    html.push_str(&format!(
        "<h2><a href=\"{page}\">{}</a></h2>\n",
        escape(feed.title.as_str())
    ));
    if let Some(description) = &feed.description {
        html.push_str(&format!("<p>{}</p>\n", escape(description.as_str())));
    }
    html.push_str(&meta(site, items, words));
    addresses(html, site, feed, words);
    html.push_str(&subscribe_links(site, feed, words));
    let variants = feeds
        .iter()
        .filter(|(f, _)| f.variant_of.as_ref().is_some_and(|of| of.name == feed.name));
    for (variant, _) in variants {
        let tag = variant.language.as_deref().unwrap_or_default();
        html.push_str(&format!(
            "<p class=\"meta\">{} · {}</p>\n",
            escape(words.also_in.as_str()),
            escape(words.variant_name(tag).as_str())
        ));
        addresses(html, site, variant, words);
    }
    if !items.is_empty() {
        html.push_str(&format!("<h3>{}</h3>\n", escape(words.latest.as_str())));
        item_list(html, site, items.iter().take(LATEST).map(|a| (&**a, None)));
        html.push_str(&format!(
            "<p><a href=\"{page}\">{}</a></p>\n",
            escape(words.all_items(items.len().min(feed.limit)).as_str())
        ));
    }
    if let Some(pages) = archive_pages(feed, items.len()) {
        html.push_str(&archive_links(feed, pages, words));
    }
    html.push_str("</section>\n");
}

/// `12 篇文章 · 最近更新 2024-07-06 07:00`.
fn meta(site: &Site, items: &[Arc<Article>], words: &Messages) -> String {
    let mut text = words.items(items.len());
    if let Some(newest) = items.first() {
        let (datetime, shown) = when(site, newest);
        text = format!(
            "{} · {} <time datetime=\"{datetime}\">{shown}</time>",
            escape(text.as_str()),
            escape(words.updated.as_str())
        );
    } else {
        text = escape(text.as_str()).into_owned();
    }
    format!("<p class=\"meta\">{text}</p>\n")
}

/// A feed's own page, `NAME.html`: what a person who opens the feed in a
/// browser sees (the server answers a browser's request for the feed with
/// it), in the site's language: what this is and how to subscribe, the
/// feed's addresses, `items` (those of its subscription document, each
/// with its summary) of the `total` it has, and its archive.
pub fn feed_html<'a>(
    site: &Site,
    feed: &FeedSpec,
    items: impl Iterator<Item = (&'a Article, Option<&'a str>)>,
    total: usize,
) -> Vec<u8> {
    let words = crate::messages::for_language(&site.language);
    let up = "../".repeat(feed.name.matches('/').count());
    let mut html = String::with_capacity(8192);
    head(
        &mut html,
        site,
        &format!("{} · {}", feed.title, site.title),
        &up,
        &[feed],
    );
    html.push_str(&format!(
        "<header>\n<p class=\"site\"><a href=\"{up}index.html\">{}</a></p>\n<h1>{}</h1>\n",
        escape(site.title.as_str()),
        escape(feed.title.as_str())
    ));
    if let Some(description) = &feed.description {
        html.push_str(&format!("<p>{}</p>\n", escape(description.as_str())));
    }
    html.push_str("</header>\n<main>\n");
    html.push_str(&format!(
        "<p class=\"intro\">{} {}</p>\n",
        escape(words.this_is_a_feed.as_str()),
        escape(words.what_is_a_feed.as_str())
    ));
    html.push_str(&format!("<h2>{}</h2>\n", escape(words.subscribe.as_str())));
    addresses(&mut html, site, feed, words);
    html.push_str(&subscribe_links(site, feed, words));
    html.push_str(&format!(
        "<h2>{}</h2>\n",
        escape(words.items(total).as_str())
    ));
    // The items are in the feed's language, the words around them in the
    // site's.
    let language = feed.language.as_deref().unwrap_or(&site.language);
    if language == site.language {
        item_list(&mut html, site, items);
    } else {
        html.push_str(&format!("<div lang=\"{}\">\n", escape(language)));
        item_list(&mut html, site, items);
        html.push_str("</div>\n");
    }
    if let Some(pages) = archive_pages(feed, total) {
        html.push_str(
            &archive_links(feed, pages, words).replace("href=\"", &format!("href=\"{up}")),
        );
    }
    html.push_str(&format!(
        "</main>\n<footer><p><a href=\"{up}index.html\">{}</a></p></footer>\n",
        escape(words.all_feeds.as_str())
    ));
    tail(&mut html, &up);
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
    fn new(family: &str, members: &[(&FeedSpec, usize)], words: &Messages) -> Section {
        let facet = members
            .first()
            .and_then(|(feed, _)| feed.member.as_ref())
            .map_or_else(|| family.to_owned(), |m| words.facet(m.each));
        let mut html = format!(
            "<section class=\"family\" id=\"family-{0}\">\n<h2>{1}</h2>\n<ul class=\"values\">\n",
            escape(family),
            escape(words.family(&facet).as_str())
        );
        for (feed, count) in members {
            let value = feed.member.as_ref().map_or("", |m| m.value.as_str());
            html.push_str(&format!(
                "<li><a href=\"{}\">{}</a> <span class=\"n\">{count}</span></li>\n",
                escape(url_path(&page_name(feed)).as_str()),
                escape(value),
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
/// first format, relative to the site's root.
fn archive_links(feed: &FeedSpec, pages: usize, words: &Messages) -> String {
    let Some(&format) = feed.formats.first() else {
        return String::new();
    };
    let page = |n: usize| {
        escape(url_path(&crate::render::archive_name(&feed.name, n, format)).as_str()).into_owned()
    };
    format!(
        "<p class=\"archive\">{} ({}): <a href=\"{}\">1</a> … <a href=\"{}\">{pages}</a></p>\n",
        escape(words.archive.as_str()),
        format_name(format),
        page(1),
        page(pages)
    )
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
            escape(crate::render::archive_url(site, feed, 1, None, format).as_str()),
        ));
    }
    xml
}

/// The short HTML note a redirect carries (RFC 9110 §15.4: "the server's
/// response content usually contains a short hypertext note with a
/// hyperlink to the different URI"): `target`, linked.
pub fn moved_note(target: &str) -> String {
    let target = escape(target);
    format!(
        "<!DOCTYPE html>\n<title>Moved</title>\n<p>This document is at <a href=\"{target}\">{target}</a>.</p>\n"
    )
}

/// The short HTML note of `410 Gone` for a retired feed's documents.
pub fn retired_note(title: &str) -> String {
    let title = escape(title);
    format!(
        "<!DOCTYPE html>\n<title>Gone</title>\n<p>The feed \u{201c}{title}\u{201d} has ended and is no longer published: unsubscribe from it.</p>\n"
    )
}

/// The short HTML note of `410 Gone`: an archive page replaced when its
/// feed's history changed.
pub fn gone_note() -> &'static str {
    "<!DOCTYPE html>\n<title>Gone</title>\n<p>This archive page was replaced when its feed's history changed, and is no longer served: walk the archive again from the feed.</p>\n"
}

/// The short HTML note of `410 Gone`: a document the site served and no
/// longer publishes (a family's feed whose last article went, a feed
/// whose definition was deleted).
pub fn unpublished_note() -> &'static str {
    "<!DOCTYPE html>\n<title>Gone</title>\n<p>This document is no longer published here: unsubscribe from it, or find the site's feeds on its subscribe page.</p>\n"
}
