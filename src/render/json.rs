//! JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>), written through
//! serde. Full-content feeds carry `content_html`; summary feeds carry the
//! summary as `content_text`, since every item needs one or the other.

use serde::Serialize;

use super::history::{History, hubs, next_url};
use super::{Item, categories, description, rfc3339, self_url, site_author};
use crate::config::{FeedSpec, Format, Site};
use crate::content::Person;

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: String,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    favicon: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_url: Option<String>,
    language: &'a str,
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hubs: Vec<Hub>,
    /// A finished feed: "no longer updated" (JSON Feed 1.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    expired: Option<bool>,
    items: Vec<JsonItem<'a>>,
}

/// A WebSub hub, as JSON Feed 1.1 names one.
#[derive(Serialize)]
struct Hub {
    #[serde(rename = "type")]
    kind: &'static str,
    url: String,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment<'a>>,
}

#[derive(Serialize)]
struct Attachment<'a> {
    url: &'a str,
    mime_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_in_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_in_seconds: Option<u64>,
}

fn author(person: &Person) -> Author<'_> {
    Author {
        name: &person.name,
        url: person.uri.as_deref(),
    }
}

pub fn render(site: &Site, feed: &FeedSpec, items: &[Item<'_>], history: History) -> Vec<u8> {
    let tz = &site.time_zone;
    let site_author = site_author(site);
    let icon = super::media::icon(site, feed).map(|(url, _)| url);
    let doc = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &feed.title,
        home_page_url: site.base_url.as_str(),
        // The feed's identity (JSON Feed 1.1), on its archive pages too,
        // which `next_url` chains.
        feed_url: self_url(site, feed, Format::Json),
        next_url: next_url(site, feed, history),
        hubs: match history {
            History::Archive { .. } => Vec::new(),
            _ => hubs(site, feed)
                .iter()
                .map(|hub| Hub {
                    kind: "WebSub",
                    url: hub.to_string(),
                })
                .collect(),
        },
        description: description(site, feed),
        expired: feed.finished.then_some(true),
        icon: icon.clone(),
        favicon: icon,
        language: super::feed_language(site, feed),
        authors: vec![author(&site_author)],
        items: items
            .iter()
            .map(|item| {
                let article = item.article;
                let full = item.full;
                JsonItem {
                    id: &article.id,
                    url: &article.link,
                    title: &article.title,
                    content_html: full.then_some(item.body.html.as_str()),
                    content_text: (!full).then_some(item.body.summary.as_str()),
                    summary: (!item.body.summary.is_empty()).then_some(item.body.summary.as_str()),
                    image: super::media::picture(feed, item).map(|p| p.url),
                    date_published: rfc3339(article.date, tz),
                    date_modified: article.updated.map(|u| rfc3339(u, tz)),
                    authors: article.authors.iter().map(author).collect(),
                    tags: categories(article),
                    language: Some(article.lang().unwrap_or(&site.language)),
                    attachments: article
                        .enclosures
                        .iter()
                        .map(|e| Attachment {
                            url: e.media.url.as_str(),
                            mime_type: e.media.facts.mime.as_deref().unwrap_or_default(),
                            title: e.title.as_deref(),
                            size_in_bytes: e.media.facts.length,
                            duration_in_seconds: e.media.facts.duration,
                        })
                        .collect(),
                }
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&doc)
        .unwrap_or_else(|e| unreachable!("serialising JSON to memory cannot fail: {e}"));
    bytes.push(b'\n');
    bytes
}
