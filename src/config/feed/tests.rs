//! Tests of feed definitions.

use super::*;

fn parse(text: &str) -> Result<FeedSpec, String> {
    FeedSpec::parse(Path::new("feeds/economy.toml"), text).map_err(|e| e.to_string())
}

#[test]
fn defaults() {
    let feed = parse("title = \"经济\"").unwrap();
    assert_eq!(feed.name, "economy");
    assert_eq!(feed.limit, DEFAULT_LIMIT);
    assert_eq!(feed.content, ContentMode::Full);
    assert_eq!(feed.formats, Format::ALL.to_vec());
    assert_eq!(feed.filter, Filter::default());
}

#[test]
fn unknown_filter_key_is_located() {
    let err = parse("title = \"x\"\n[filter]\ncategory = [\"经济\"]\n").unwrap_err();
    assert!(
        err.starts_with("feeds/economy.toml:3: unknown field `category`"),
        "{err}"
    );
}

#[test]
fn path_filter_must_stay_inside_content() {
    let err = parse("title = \"x\"\n[filter]\npath = \"../etc\"\n").unwrap_err();
    assert_eq!(
        err,
        "feeds/economy.toml:3: `filter.path`: \"../etc\" must be a folder inside the content folder, such as \"2024/06\""
    );
}

#[test]
fn zero_limit_is_refused() {
    let err = parse("title = \"x\"\nlimit = 0\n").unwrap_err();
    assert_eq!(
        err,
        "feeds/economy.toml:2: `limit`: 0 is not a positive number of items"
    );
}
