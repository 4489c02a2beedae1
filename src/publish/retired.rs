//! Feeds that ended (`retired = true`): each document the feed had, every
//! format, its page and each Chinese variant's, answers `410 Gone` with a
//! short note, so that readers that act on it stop polling (RFC 9110
//! §15.5.11); the feed is selected for nothing and listed nowhere.

use bytes::Bytes;

use super::Named;
use super::languages::{variant_name, variants_for};
use crate::config::{Config, FeedSpec};

/// The `410 Gone` documents of every retired feed among `defined`.
pub(super) fn documents(config: &Config, defined: &[FeedSpec]) -> Vec<Named> {
    defined
        .iter()
        .filter(|feed| feed.retired)
        .flat_map(|feed| {
            let note = Bytes::from(crate::pages::retired_note(&feed.title));
            names(config, feed)
                .into_iter()
                .map(move |name| (name, super::superseded::gone(), note.clone()))
        })
        .collect()
}

/// Every name `feed` is served under when it is live: each format, its
/// page, and the same for each of its Chinese variants (`NAME.TAG`).
fn names(config: &Config, feed: &FeedSpec) -> Vec<String> {
    let stems = std::iter::once(feed.name.clone()).chain(
        variants_for(config, feed)
            .into_iter()
            .map(|variant| variant_name(feed, &variant)),
    );
    stems
        .flat_map(|stem| {
            feed.formats
                .iter()
                .map(|format| format!("{stem}.{}", format.extension()))
                .chain(std::iter::once(crate::pages::page_of(&stem)))
                .collect::<Vec<_>>()
        })
        .collect()
}
