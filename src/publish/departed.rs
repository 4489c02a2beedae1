//! Feeds no longer published here. Each document such a feed had (every
//! format, its page, each Chinese variant's, and any archive page, which
//! the server finds by [`crate::pages::archive_pattern`]) answers in its
//! stead:
//!
//! - a retired feed (`retired = true`): `410 Gone` with a short note, so
//!   that readers that act on it stop polling (RFC 9110 §15.5.11);
//! - a moved feed (`moved_to`): `301 Moved Permanently` or `308 Permanent
//!   Redirect` to the document's counterpart (RFC 9110 §15.4.2, §15.4.9):
//!   on the site, the same format of the feed it moved to (its variant's,
//!   its page, an archive page's first page: the feed itself); elsewhere,
//!   the URL given for the format. A feed document's redirect names the
//!   old topic and its hubs, so the hubs hear once that it changed and
//!   their subscribers fetch it and follow.
//!
//! Such a feed is selected for nothing and listed nowhere.

use std::collections::HashSet;
use std::sync::Arc;

use bytes::Bytes;

use super::Named;
use super::languages::{variant_name, variants_for};
use crate::config::{Config, Destination, FeedSpec, Format, Variant, destination};
use crate::pages::{archive_pattern, page_of};
use crate::render::url_of;
use crate::snapshot::{Answer, Links, Serving};

/// Adds to `documents` those of every feed among `defined` that is
/// retired or moved; their names leave `gone` (a feed that stopped being
/// published just now keeps them: they answer in its stead).
pub(super) fn add(
    config: &Config,
    defined: &[FeedSpec],
    documents: &mut Vec<Named>,
    gone: &mut Vec<String>,
) {
    let departed: Vec<Named> = defined
        .iter()
        .filter(|feed| !feed.is_published())
        .flat_map(|feed| feed_documents(config, defined, feed))
        .collect();
    let names: HashSet<&str> = departed.iter().map(|(name, _, _)| name.as_str()).collect();
    gone.retain(|name| !names.contains(name.as_str()));
    documents.extend(departed);
}

/// What `feed`'s documents answer, by name.
fn feed_documents(config: &Config, defined: &[FeedSpec], feed: &FeedSpec) -> Vec<Named> {
    let stems = std::iter::once((feed.name.clone(), None)).chain(
        variants_for(config, feed)
            .into_iter()
            .map(|variant| (variant_name(feed, &variant), Some(variant))),
    );
    let mut out = Vec::new();
    for (stem, variant) in stems {
        for &format in &feed.formats {
            let extension = format.extension();
            let name = format!("{stem}.{extension}");
            let topic = Some(url_of(&config.site, &name));
            out.push((
                name,
                answer(config, defined, feed, variant, Some(format), topic),
            ));
            let pattern = archive_pattern(&stem, extension);
            out.push((
                pattern,
                answer(config, defined, feed, variant, Some(format), None),
            ));
        }
        out.push((
            page_of(&stem),
            answer(config, defined, feed, variant, None, None),
        ));
    }
    out.into_iter()
        .map(|(name, (serving, note))| (name, serving, note))
        .collect()
}

/// How the document of `feed` in `format` (its page: `None`), of its
/// `variant` if any, answers, with its note; `topic`, its URL, for a feed
/// document, whose hubs then hear of a move.
fn answer(
    config: &Config,
    defined: &[FeedSpec],
    feed: &FeedSpec,
    variant: Option<Variant>,
    format: Option<Format>,
    topic: Option<String>,
) -> (Serving, Bytes) {
    let Some(moved) = feed.moved.as_ref().filter(|_| !feed.retired) else {
        let note = crate::pages::retired_note(&feed.title);
        return (super::superseded::gone(), Bytes::from(note));
    };
    let location = location(config, defined, feed, variant, format);
    let hubs = crate::render::hubs(&config.site, feed);
    let links = match topic {
        Some(topic) if !hubs.is_empty() => Links {
            fields: Vec::new(),
            topic: Some((topic, hubs.iter().map(|hub| hub.to_string()).collect())),
        },
        _ => Links::default(),
    };
    let note = Bytes::from(crate::pages::moved_note(&location));
    let serving = Serving {
        answer: Answer::Moved {
            location: location.into(),
            status: moved.status,
            max_age: config.server.moved_max_age,
        },
        links: Arc::new(links),
        ..Serving::from("text/html; charset=utf-8")
    };
    (serving, note)
}

/// Where the document of the moved `feed` in `format` (its page: `None`)
/// of its `variant`, if any, goes: its counterpart when the move ends on
/// the site, the URL given for the format otherwise.
fn location(
    config: &Config,
    defined: &[FeedSpec],
    feed: &FeedSpec,
    variant: Option<Variant>,
    format: Option<Format>,
) -> String {
    let site = &config.site;
    match destination(defined, feed, &site.feeds_url) {
        Some(Destination::Ours(stem, target)) => {
            // A move to a feed goes to the same variant of it, when it has
            // one; a move to a variant or a family's feed, to that.
            let stem = match variant {
                Some(variant)
                    if stem == target.name && variants_for(config, target).contains(&variant) =>
                {
                    variant_name(target, &variant)
                }
                _ => stem,
            };
            let name = match format {
                Some(format) => {
                    let format = if target.formats.contains(&format) {
                        format
                    } else {
                        target.formats[0]
                    };
                    format!("{stem}.{}", format.extension())
                }
                None => page_of(&stem),
            };
            url_of(site, &name)
        }
        Some(Destination::Elsewhere(to)) => to.url(format).to_string(),
        // Only a loop, which loading the definitions refuses.
        None => site.feeds_url.to_string(),
    }
}
