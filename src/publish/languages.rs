//! Feeds and items across languages: an article's translations
//! (`translation_key`), and the feeds of Chinese variants with their items
//! converted, each conversion kept while its article and body last.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::{Config, FeedSpec, Variant, VariantOf};
use crate::content::{Article, Shown, Store};

/// An article's translations, as `(language, link)`, in language order.
pub(super) type Translations = Vec<(String, String)>;

/// The translations of each of `shown` (by path) that has any: the other
/// published articles with its `translation_key`, in another language.
/// Looks at every article only when some article shown has a key.
pub(super) fn translations(
    store: &Store,
    shown: &[&Article],
    now: Timestamp,
    language: &str,
) -> HashMap<String, Translations> {
    let mut out = HashMap::new();
    if shown.iter().all(|a| a.translation_key.is_none()) {
        return out;
    }
    let mut by_key: HashMap<&str, Vec<&Article>> = HashMap::new();
    for article in store.articles() {
        if let (Some(key), true) = (&article.translation_key, article.is_published(now)) {
            by_key.entry(key.as_str()).or_default().push(article);
        }
    }
    let lang = |a: &Article| a.lang.clone().unwrap_or_else(|| language.to_owned());
    for article in shown {
        let Some(key) = &article.translation_key else {
            continue;
        };
        let mut list: Translations = by_key
            .get(key.as_str())
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

/// Adds the feed of each Chinese variant each feed is published in
/// (`variants`, or the site's `feeds.variants`): `NAME.TAG`, with the same
/// items, its title and description converted, in the variant's language.
/// Every feed then lists its variants (so its documents can link them).
pub(super) fn add_variants(
    config: &Config,
    feeds: &mut Vec<FeedSpec>,
    items: &mut Vec<Vec<&Article>>,
) {
    let originals = feeds.len();
    for i in 0..originals {
        let language = feeds[i]
            .language
            .as_deref()
            .unwrap_or(&config.site.language);
        // Variants convert Simplified Chinese; a feed in another language
        // (an `en` feed of a languages family) has none.
        let variants = if crate::convert::is_simplified(language) {
            config.feeds.variants(&feeds[i]).to_vec()
        } else {
            Vec::new()
        };
        feeds[i].variants = Some(variants.clone());
        for variant in variants {
            let original = &feeds[i];
            let feed = FeedSpec {
                name: format!("{}.{}", original.name, variant.tag()),
                title: crate::convert::text(variant, &original.title),
                description: original
                    .description
                    .as_deref()
                    .map(|d| crate::convert::text(variant, d)),
                language: Some(variant.tag().to_owned()),
                variants: Some(Vec::new()),
                variant_of: Some(VariantOf {
                    variant,
                    name: original.name.clone(),
                    language: original
                        .language
                        .clone()
                        .unwrap_or_else(|| config.site.language.clone()),
                }),
                ..original.clone()
            };
            feeds.push(feed);
            items.push(items[i].clone());
        }
    }
}

/// Converts the items of each variant's feed, reusing every conversion
/// whose article and body did not change, and converting the rest in
/// parallel: an edit converts what it changed, once per variant. An item
/// not in Simplified Chinese (its `lang`, or the site's `language`) is
/// shown as it is.
pub(super) fn convert_items(
    feeds: &[FeedSpec],
    items: &mut [Vec<Shown>],
    converted: &mut HashMap<(Variant, String), (Shown, Shown)>,
    language: &str,
) {
    let simplified = |item: &Shown| {
        crate::convert::is_simplified(item.article.lang.as_deref().unwrap_or(language))
    };
    let mut previous = std::mem::take(converted);
    let mut wanted: Vec<(Variant, Shown)> = Vec::new();
    for (feed, list) in feeds.iter().zip(items.iter()) {
        let Some(variant) = feed.variant_of.as_ref().map(|v| v.variant) else {
            continue;
        };
        for item in list.iter().filter(|item| simplified(item)) {
            let key = (variant, item.article.source.rel.clone());
            if converted.contains_key(&key) {
                continue;
            }
            match previous.remove(&key) {
                Some((from, to))
                    if Arc::ptr_eq(&from.article, &item.article)
                        && Arc::ptr_eq(&from.body, &item.body) =>
                {
                    converted.insert(key, (from, to));
                }
                _ if wanted
                    .iter()
                    .any(|(v, s)| *v == variant && Arc::ptr_eq(&s.article, &item.article)) => {}
                _ => wanted.push((variant, item.clone())),
            }
        }
    }
    let done: Vec<((Variant, String), (Shown, Shown))> = wanted
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
        for item in list.iter_mut() {
            if let Some((_, to)) = converted.get(&(variant, item.article.source.rel.clone())) {
                *item = to.clone();
            }
        }
    }
}
