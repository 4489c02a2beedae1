//! Feeds and items across languages: an article's translations
//! (`translation_key`), and the feeds of Chinese variants with their items
//! converted, each conversion kept while its article and body last.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;

use super::Items;
use crate::config::{Config, FeedSpec, Variant, VariantOf};
use crate::content::{Article, Shown, Store};

/// An article's translations, as `(language, link)`, in language order.
pub(super) type Translations = Vec<(String, String)>;

/// Conversions made for Chinese variants, kept between publications: for
/// each variant and article (by its path), the item converted from and the
/// converted item.
pub(super) type Converted = HashMap<(Variant, Arc<str>), (Shown, Shown)>;

/// The translations of each of `shown` (by path) that has any: the other
/// published articles with its `translation_key`, in another language.
/// Looks at every article only when some article shown has a key.
pub(super) fn translations(
    store: &Store,
    shown: &[&Article],
    now: Timestamp,
    language: &str,
) -> HashMap<Arc<str>, Translations> {
    let mut out = HashMap::new();
    if shown.iter().all(|a| a.translation_key().is_none()) {
        return out;
    }
    let mut by_key: HashMap<&str, Vec<&Article>> = HashMap::new();
    for article in store.articles() {
        if let (Some(key), true) = (article.translation_key(), article.is_published(now)) {
            by_key.entry(key).or_default().push(article);
        }
    }
    let lang = |a: &Article| a.lang().unwrap_or(language).to_owned();
    for article in shown {
        let Some(key) = article.translation_key() else {
            continue;
        };
        let mut list: Translations = by_key
            .get(key)
            .into_iter()
            .flatten()
            .filter(|other| {
                other.source.rel != article.source.rel
                    && !lang(other).eq_ignore_ascii_case(&lang(article))
            })
            .map(|other| (lang(other), other.link.to_string()))
            .collect();
        list.sort();
        list.dedup_by(|a, b| a.0.eq_ignore_ascii_case(&b.0));
        if !list.is_empty() {
            out.insert(article.source.rel.clone(), list);
        }
    }
    out
}

/// The name of `feed`'s variant feed in `variant`: `NAME.TAG` (`all.zh-TW`).
pub(super) fn variant_name(feed: &FeedSpec, variant: &Variant) -> String {
    format!("{}.{}", feed.name, variant.tag())
}

/// The Chinese variants `feed` is published in: its own `variants`, or the
/// site's `feeds.variants`, when it is in Simplified Chinese (its
/// `language`, or the site's); none otherwise (an `en` feed of a languages
/// family has none).
pub(super) fn variants_for(config: &Config, feed: &FeedSpec) -> Vec<Variant> {
    let language = feed.language.as_deref().unwrap_or(&config.site.language);
    if crate::convert::is_simplified(language) {
        config.feeds.variants(feed).to_vec()
    } else {
        Vec::new()
    }
}

/// The feeds of the variants as made at earlier publications, by name,
/// with the original each was made from: a title is converted once, not at
/// every publication.
pub(super) type Variants = HashMap<String, (Arc<FeedSpec>, Arc<FeedSpec>)>;

/// Adds the feed of each Chinese variant each feed is published in
/// ([`variants_for`]): `NAME.TAG`, with the same items, its title and
/// description converted, in the variant's language. Every feed then lists
/// its variants (so its documents can link them).
pub(super) fn add_variants(
    config: &Config,
    feeds: &mut Vec<Arc<FeedSpec>>,
    items: &mut Vec<Items>,
    made: &mut Variants,
) {
    let originals = feeds.len();
    let mut kept = HashMap::new();
    for i in 0..originals {
        let variants = variants_for(config, &feeds[i]);
        if feeds[i].variants.as_deref() != Some(&variants[..]) {
            Arc::make_mut(&mut feeds[i]).variants = Some(variants.clone());
        }
        for variant in variants {
            let original = &feeds[i];
            let name = variant_name(original, &variant);
            let language = original
                .language
                .clone()
                .unwrap_or_else(|| config.site.language.clone());
            let feed = match made.remove(&name) {
                Some((from, feed))
                    if (Arc::ptr_eq(&from, original) || *from == **original)
                        && feed
                            .variant_of
                            .as_ref()
                            .is_some_and(|v| v.language == language) =>
                {
                    feed
                }
                _ => Arc::new(FeedSpec {
                    name: name.clone(),
                    title: crate::convert::text(variant, &original.title),
                    description: original
                        .description
                        .as_deref()
                        .map(|d| crate::convert::text(variant, d)),
                    language: Some(variant.tag().to_owned()),
                    variants: Some(Vec::new()),
                    // A podcast's GUID names one feed: the variant derives its own.
                    podcast: original
                        .podcast
                        .clone()
                        .map(|p| crate::config::Podcast { guid: None, ..p }),
                    variant_of: Some(VariantOf {
                        variant,
                        name: original.name.clone(),
                        language,
                    }),
                    ..FeedSpec::clone(original)
                }),
            };
            kept.insert(name, (Arc::clone(original), Arc::clone(&feed)));
            feeds.push(feed);
            items.push(Arc::clone(&items[i]));
        }
    }
    *made = kept;
}

/// Converts the items of each variant's feed, reusing every conversion
/// whose article and body did not change, and converting the rest in
/// parallel: an edit converts what it changed, once per variant. An item
/// not in Simplified Chinese (its `lang`, or the site's `language`) is
/// shown as it is. Feeds with no items listed (those whose documents are
/// reused) are left alone. Conversions no feed holds any more are dropped
/// once they outnumber the items of the variants' feeds.
pub(super) fn convert_items(
    feeds: &[Arc<FeedSpec>],
    items: &mut [Vec<Shown>],
    converted: &mut Converted,
    language: &str,
) {
    let simplified =
        |item: &Shown| crate::convert::is_simplified(item.article.lang().unwrap_or(language));
    let mut wanted: Vec<(Variant, Shown)> = Vec::new();
    for (feed, list) in feeds.iter().zip(items.iter()) {
        let Some(variant) = feed.variant_of.as_ref().map(|v| v.variant) else {
            continue;
        };
        for item in list.iter().filter(|item| simplified(item)) {
            let current = converted
                .get(&(variant, item.article.source.rel.clone()))
                .is_some_and(|(from, _)| {
                    Arc::ptr_eq(&from.article, &item.article) && Arc::ptr_eq(&from.body, &item.body)
                });
            if !current
                && !wanted
                    .iter()
                    .any(|(v, s)| *v == variant && Arc::ptr_eq(&s.article, &item.article))
            {
                wanted.push((variant, item.clone()));
            }
        }
    }
    let done: Vec<_> = wanted
        .into_par_iter()
        .map(|(variant, item)| {
            let to = crate::convert::shown(variant, &item);
            ((variant, item.article.source.rel.clone()), (item, to))
        })
        .collect();
    converted.extend(done);
    for (feed, list) in feeds.iter().zip(items.iter_mut()) {
        let Some(variant) = feed.variant_of.as_ref().map(|v| v.variant) else {
            continue;
        };
        for item in list.iter_mut().filter(|item| simplified(item)) {
            // Only the conversion of this very version (an article no
            // longer in Simplified Chinese is shown as it is).
            if let Some((from, to)) = converted.get(&(variant, item.article.source.rel.clone()))
                && Arc::ptr_eq(&from.article, &item.article)
                && Arc::ptr_eq(&from.body, &item.body)
            {
                *item = to.clone();
            }
        }
    }
}

/// Drops the conversions of items no variant's feed shows, once there are
/// more conversions than such items (`selections` are every feed's items).
pub(super) fn forget_conversions(
    feeds: &[Arc<FeedSpec>],
    selections: &[Items],
    converted: &mut Converted,
) {
    let variant_items = || {
        feeds
            .iter()
            .zip(selections)
            .filter_map(|(feed, items)| Some((feed.variant_of.as_ref()?.variant, items)))
    };
    let held: usize = variant_items().map(|(_, items)| items.len()).sum();
    if converted.len() <= held {
        return;
    }
    let wanted: std::collections::HashSet<(Variant, &str)> = variant_items()
        .flat_map(|(variant, items)| items.iter().map(move |a| (variant, a.source.rel.as_ref())))
        .collect();
    converted.retain(|(variant, rel), _| wanted.contains(&(*variant, &**rel)));
}
