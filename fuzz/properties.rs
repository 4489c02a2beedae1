//! The properties the fuzz targets (`fuzz/fuzz_targets/`) and the property
//! tests (`tests/integration/fuzz.rs`) check, shared so that both check the
//! same thing and the seed corpus runs in CI. Each panics when it fails.

use std::path::Path;

use syndicated::config::{Config, FeedSpec, Format};
use syndicated::content::{Source, parse_article, render_article};
use syndicated::render::{Item, render};

const CONFIG: &str =
    "[site]\ntitle = \"T\"\nbase_url = \"https://news.example/\"\ntimezone = \"Asia/Shanghai\"\n";

/// Any bytes as an article file: parsing returns an article or an error,
/// the scan (front matter only) and the render (with the body) agree, and
/// every feed rendered from the article is a document feed-rs reads back
/// with exactly that one entry.
pub fn article(bytes: &[u8]) {
    let config = Config::parse(Path::new("syndicated.toml"), CONFIG).expect("config");
    let source = Source::new(
        Path::new("content"),
        Path::new("content/2024/x.md").to_path_buf(),
    );
    let parsed = parse_article(&config.site, &source, bytes);
    let rendered = render_article(&config.site, config.summary, &source, bytes);
    assert_eq!(
        parsed.is_ok(),
        rendered.is_ok(),
        "the scan and the render disagree: {parsed:?} / {rendered:?}"
    );
    let Ok(rendered) = rendered else { return };
    let (article, body) = &rendered.value;
    let feed = FeedSpec::parse(Path::new("feeds/all.toml"), "title = \"All\"").expect("feed");
    let items = [Item { article, body }];
    for format in Format::ALL {
        let document = render(format, &config.site, &feed, &items);
        match feed_rs::parser::parse(document.as_slice()) {
            Ok(read) => assert_eq!(read.entries.len(), 1, "{format:?}: one entry"),
            Err(e) => panic!(
                "{format:?} not readable: {e:?}\n{}",
                String::from_utf8_lossy(&document)
            ),
        }
    }
}

/// Any text as `syndicated.toml` and as a feed definition: a config or an
/// error naming the file, never a panic; a feed definition that parses
/// renders a feed of no items that feed-rs reads back.
pub fn config(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Err(e) = Config::parse(Path::new("syndicated.toml"), text) {
        assert!(e.to_string().starts_with("syndicated.toml"), "{e}");
    }
    let site = Config::parse(Path::new("syndicated.toml"), CONFIG)
        .expect("config")
        .site;
    match FeedSpec::parse(Path::new("feeds/f.toml"), text) {
        Err(e) => assert!(e.to_string().starts_with("feeds/f.toml"), "{e}"),
        Ok(feed) => {
            for format in Format::ALL {
                let document = render(format, &site, &feed, &[]);
                if let Err(e) = feed_rs::parser::parse(document.as_slice()) {
                    panic!(
                        "{format:?} not readable: {e:?}\n{}",
                        String::from_utf8_lossy(&document)
                    );
                }
            }
        }
    }
}
