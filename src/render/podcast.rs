//! A podcast feed's RSS (a feed with `[podcast]`): the iTunes namespace
//! that Apple Podcasts, Spotify, Pocket Casts and Overcast read
//! (<https://podcasters.apple.com/support/823-podcast-requirements>), and
//! the Podcasting 2.0 essentials (<https://podcastindex.org/namespace/1.0>):
//! `podcast:guid`, `podcast:locked`, `podcast:funding`.

use super::Item;
use super::media::Element;
use crate::config::{FeedSpec, Podcast, Site};
use rss::extension::itunes::{
    ITunesCategory, ITunesChannelExtension, ITunesItemExtension, ITunesOwner,
};

/// The Podcasting 2.0 namespace.
pub const PODCAST_NS: &str = "https://podcastindex.org/namespace/1.0";

/// The namespace `podcast:guid` is derived in (Podcasting 2.0, `<podcast:guid>`).
const GUID_NAMESPACE: uuid::Uuid = uuid::uuid!("ead4c236-bf58-58c6-a2c6-a6b28d128cb6");

/// A podcast's GUID as Podcasting 2.0 derives it: a UUIDv5 of the feed's
/// URL without its scheme and trailing slashes.
pub fn guid(feed_url: &str) -> String {
    let bare = feed_url
        .split_once("://")
        .map_or(feed_url, |(_, rest)| rest)
        .trim_end_matches('/');
    uuid::Uuid::new_v5(&GUID_NAMESPACE, bare.as_bytes()).to_string()
}

fn yes(flag: bool) -> String {
    if flag { "true" } else { "false" }.to_owned()
}

/// The channel's `itunes:` elements of `feed`, a podcast: a finished show
/// says `<itunes:complete>Yes</itunes:complete>` (Apple: no more episodes
/// will be published); a show that other feeds moved to names itself in
/// `<itunes:new-feed-url>`, so that a directory that followed their
/// redirect keeps this address (Apple's guidance on moving a show).
pub fn channel(site: &Site, feed: &FeedSpec, podcast: &Podcast) -> ITunesChannelExtension {
    let (category, subcategory) = &podcast.category;
    ITunesChannelExtension {
        author: Some(podcast.author.clone()),
        categories: vec![ITunesCategory {
            text: category.clone(),
            subcategory: subcategory.as_ref().map(|sub| {
                Box::new(ITunesCategory {
                    text: sub.clone(),
                    subcategory: None,
                })
            }),
        }],
        image: Some(super::media::artwork_url(site, &podcast.image)),
        explicit: Some(yes(podcast.explicit)),
        owner: Some(ITunesOwner {
            name: Some(podcast.owner.0.clone()),
            email: Some(podcast.owner.1.clone()),
        }),
        r#type: Some(podcast.kind.clone()),
        complete: feed.finished.then(|| "Yes".to_owned()),
        new_feed_url: (!feed.moved_from.is_empty())
            .then(|| super::self_url(site, feed, crate::config::Format::Rss)),
        ..ITunesChannelExtension::default()
    }
}

/// The channel's `podcast:` elements: its GUID (as given, or derived from
/// `self_url`), whether it is locked, and where to support it.
pub fn channel_elements(podcast: &Podcast, self_url: &str) -> Vec<Element> {
    let mut out = vec![Element {
        text: Some(podcast.guid.clone().unwrap_or_else(|| guid(self_url))),
        ..Element::new("podcast:guid", [])
    }];
    out.push(Element {
        text: Some(if podcast.locked { "yes" } else { "no" }.to_owned()),
        ..Element::new("podcast:locked", [("owner", podcast.owner.1.clone())])
    });
    if let Some((url, text)) = &podcast.funding {
        out.push(Element {
            text: Some(text.clone()),
            ..Element::new("podcast:funding", [("url", url.clone())])
        });
    }
    out
}

/// An episode's `itunes:` elements: its duration (whole seconds), number,
/// season, type, explicit flag and picture.
pub fn item(feed: &FeedSpec, item: &Item<'_>) -> ITunesItemExtension {
    let article = item.article;
    let episode = article
        .episode
        .as_deref()
        .unwrap_or(&crate::content::Episode::NONE);
    ITunesItemExtension {
        duration: article
            .enclosures
            .first()
            .and_then(|e| e.media.facts.duration)
            .map(|seconds| seconds.to_string()),
        episode: episode.number.map(|n| n.to_string()),
        season: episode.season.map(|n| n.to_string()),
        episode_type: Some(episode.kind.clone().unwrap_or_else(|| "full".to_owned())),
        explicit: episode
            .explicit
            .or(feed.podcast.as_ref().map(|p| p.explicit))
            .map(yes),
        // Only a picture podcast directories take as artwork.
        image: article
            .image
            .as_ref()
            .filter(|i| i.media.facts.unfit_artwork.is_none())
            .map(|i| i.media.url.to_string()),
        ..ITunesItemExtension::default()
    }
}

/// An episode's `podcast:` elements: its transcript and its chapters.
pub fn item_elements(item: &Item<'_>) -> Vec<Element> {
    let episode = item
        .article
        .episode
        .as_deref()
        .unwrap_or(&crate::content::Episode::NONE);
    let mut out = Vec::new();
    if let Some(transcript) = &episode.transcript {
        out.push(Element::new(
            "podcast:transcript",
            [("url", transcript.url.to_string())]
                .into_iter()
                .chain(transcript.facts.mime.clone().map(|mime| ("type", mime))),
        ));
    }
    if let Some(chapters) = &episode.chapters {
        out.push(Element::new(
            "podcast:chapters",
            [
                ("url", chapters.url.to_string()),
                ("type", "application/json+chapters".to_owned()),
            ],
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example the Podcasting 2.0 namespace gives for `podcast:guid`.
    #[test]
    fn the_guid_is_derived_as_the_namespace_says() {
        assert_eq!(
            guid("https://mp3s.nashownotes.com/pc20rss.xml"),
            "917393e3-1b1e-5cef-ace4-edaa54e1f810"
        );
        assert_eq!(guid("http://example.com/feed/"), guid("example.com/feed"));
    }
}
