//! Tests of publication's caches.

use std::path::{Path, PathBuf};

use super::*;
use crate::config::{SummaryLimits, VariantOf};
use crate::content::{Source, render_article};

/// Regression guard for the cost of an edit: a variant's item is
/// converted again only when its article or body changed.
#[test]
fn an_unchanged_item_is_not_converted_again() {
    let config = Config::parse(
        Path::new("syndicated.toml"),
        "[site]\ntitle = \"T\"\nbase_url = \"https://news.example/\"\n",
    )
    .unwrap();
    let shown = |title: &str| {
        let source = Source::new(Path::new("c"), PathBuf::from("c/a.md"));
        let text = format!("---\ntitle: {title}\ndate: 2024-07-01\n---\n发展\n");
        let parsed = render_article(
            &config.site,
            SummaryLimits::default(),
            &source,
            text.as_bytes(),
        )
        .unwrap();
        let (article, body) = parsed.value;
        Shown {
            article: Arc::new(article),
            body: Arc::new(body),
        }
    };
    let mut feed = FeedSpec::parse(Path::new("feeds/all.toml"), "title = \"x\"").unwrap();
    feed.variant_of = Some(VariantOf {
        variant: Variant::Taiwan,
        name: "all".to_owned(),
        language: "zh-CN".to_owned(),
    });
    let feeds = [feed];
    let mut cache = HashMap::new();
    let first = shown("区");
    let mut items = vec![vec![first.clone()]];
    convert_items(&feeds, &mut items, &mut cache, "zh-CN");
    let converted = items[0][0].clone();
    assert_eq!(converted.article.title, "區");

    let mut again = vec![vec![first]];
    convert_items(&feeds, &mut again, &mut cache, "zh-CN");
    assert!(Arc::ptr_eq(&again[0][0].body, &converted.body), "reused");

    let mut edited = vec![vec![shown("发展")]];
    convert_items(&feeds, &mut edited, &mut cache, "zh-CN");
    assert_eq!(edited[0][0].article.title, "發展");
    assert_eq!(cache.len(), 1, "the old conversion is dropped");
}
