//! What the formats say about an item's picture: Media RSS
//! (<https://www.rssboard.org/media-rss>) `media:content` with
//! `medium="image"` and `media:thumbnail`, in RSS and in Atom alike, and
//! JSON Feed's `image`. The elements are made once here, in a form each
//! format's writer turns into its own extension type.

use std::collections::BTreeMap;

use super::Item;
use crate::config::{FeedSpec, Place, Site, file_url, place};

/// The Media RSS namespace.
pub const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";

/// An item's picture as feeds show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Picture<'a> {
    /// Its address, absolute.
    pub url: &'a str,
    /// Its type, when known.
    pub mime: Option<&'a str>,
    /// Its width and height in pixels, when known.
    pub size: Option<(u32, u32)>,
    /// Its caption, or what it shows (`image_caption`, else `image_alt`).
    pub description: Option<&'a str>,
}

/// The picture of `item` in `feed`: the article's `image`, or, when the feed
/// sets `image_from_content`, the first picture of its body.
pub fn picture<'a>(feed: &FeedSpec, item: &Item<'a>) -> Option<Picture<'a>> {
    if let Some(image) = &item.article.image {
        return Some(Picture {
            url: image.media.url.as_str(),
            mime: image.media.facts.mime.as_deref(),
            size: image.media.facts.size,
            description: image.caption.as_deref().or(image.alt.as_deref()),
        });
    }
    let url = item
        .body
        .first_image
        .as_ref()
        .filter(|_| feed.image_from_content)?;
    Some(Picture {
        url: url.as_str(),
        mime: None,
        size: None,
        description: None,
    })
}

/// The extension namespaces `items` use in `feed`, by prefix: Media RSS
/// when an item has a picture.
pub fn namespaces(feed: &FeedSpec, items: &[Item<'_>]) -> BTreeMap<String, String> {
    let mut namespaces = BTreeMap::new();
    if items.iter().any(|item| picture(feed, item).is_some()) {
        namespaces.insert("media".to_owned(), MEDIA_NS.to_owned());
    }
    namespaces
}

/// The URL of artwork written as `value`: itself when it is a URL, else
/// its path inside `content/` served under `media_url` (or `base_url`).
pub fn artwork_url(site: &Site, value: &str) -> String {
    // Loading checked the value: the fallbacks are never taken.
    match place(value) {
        Ok(Place::Url(url)) => url.to_string(),
        Ok(Place::File(parts)) => file_url(&parts, site.media_url.as_ref(), &site.base_url)
            .map_or_else(|_| value.to_owned(), |u| u.to_string()),
        Err(_) => value.to_owned(),
    }
}

/// A picture shown with a feed: its URL, and its width and height when known.
pub type Art = (String, Option<(u32, u32)>);

/// The feed's icon: its own (`icon` in its definition), else the site's.
pub fn icon(site: &Site, feed: &FeedSpec) -> Option<Art> {
    match &feed.icon {
        Some(art) => Some((artwork_url(site, &art.value), art.size)),
        None => site.icon.as_ref().map(|a| (a.url.to_string(), a.size)),
    }
}

/// The feed's logo: its own (`logo` in its definition), else the site's.
pub fn logo(site: &Site, feed: &FeedSpec) -> Option<Art> {
    match &feed.logo {
        Some(art) => Some((artwork_url(site, &art.value), art.size)),
        None => site.logo.as_ref().map(|a| (a.url.to_string(), a.size)),
    }
}

/// One element of an extension namespace, as both writers take it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Its qualified name (`media:content`).
    pub name: &'static str,
    /// Its attributes.
    pub attrs: BTreeMap<String, String>,
    /// Its text.
    pub text: Option<String>,
    /// Its child elements.
    pub children: Vec<Element>,
}

impl Element {
    /// An element named `name` with `attrs`, no text and no children.
    pub fn new(
        name: &'static str,
        attrs: impl IntoIterator<Item = (&'static str, String)>,
    ) -> Self {
        Element {
            name,
            attrs: attrs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            text: None,
            children: Vec::new(),
        }
    }
}

/// `elements` as a writer's extension map (by prefix, then local name),
/// each made by `make` from its parts.
pub fn extension_map<E>(
    elements: Vec<Element>,
    make: &impl Fn(String, Option<String>, BTreeMap<String, String>, BTreeMap<String, Vec<E>>) -> E,
) -> BTreeMap<String, BTreeMap<String, Vec<E>>> {
    fn one<E>(
        element: Element,
        make: &impl Fn(String, Option<String>, BTreeMap<String, String>, BTreeMap<String, Vec<E>>) -> E,
    ) -> E {
        let mut children: BTreeMap<String, Vec<E>> = BTreeMap::new();
        for child in element.children {
            let name = child.name.to_owned();
            children.entry(name).or_default().push(one(child, make));
        }
        make(
            element.name.to_owned(),
            element.text,
            element.attrs,
            children,
        )
    }
    let mut map: BTreeMap<String, BTreeMap<String, Vec<E>>> = BTreeMap::new();
    for element in elements {
        let (prefix, local) = element.name.split_once(':').unwrap_or(("", element.name));
        map.entry(prefix.to_owned())
            .or_default()
            .entry(local.to_owned())
            .or_default()
            .push(one(element, make));
    }
    map
}

/// The Media RSS elements for `picture`: `media:content` (with its type,
/// size and description) and `media:thumbnail` (the same picture: readers
/// that show a thumbnail beside the title look for it).
pub fn picture_elements(picture: &Picture<'_>) -> Vec<Element> {
    let size = |(width, height): (u32, u32)| {
        [("width", width.to_string()), ("height", height.to_string())]
    };
    let mut content = Element::new(
        "media:content",
        [
            ("url", picture.url.to_owned()),
            ("medium", "image".to_owned()),
        ]
        .into_iter()
        .chain(picture.mime.map(|m| ("type", m.to_owned())))
        .chain(picture.size.into_iter().flat_map(size)),
    );
    if let Some(description) = picture.description {
        content.children.push(Element {
            text: Some(description.to_owned()),
            ..Element::new("media:description", [("type", "plain".to_owned())])
        });
    }
    let thumbnail = Element::new(
        "media:thumbnail",
        [("url", picture.url.to_owned())]
            .into_iter()
            .chain(picture.size.into_iter().flat_map(size)),
    );
    vec![content, thumbnail]
}
