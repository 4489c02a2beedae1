//! Property tests over hostile article bytes: for any input, parsing returns
//! an article or an error (never a panic), and every feed rendered from what
//! it returns is a document feed-rs reads back.
//!
//! CI runs the default number of cases; a long run is
//! `PROPTEST_CASES=200000 cargo test --release --test integration fuzz::`.

use std::path::Path;

use proptest::prelude::*;
use syndicated::config::{Config, FeedSpec, Format};
use syndicated::content::{Source, parse_article, render_article};
use syndicated::render::{Item, render};

fn config() -> Config {
    Config::parse(
        Path::new("syndicated.toml"),
        "[site]\ntitle = \"T\"\nbase_url = \"https://news.example/\"\ntimezone = \"Asia/Shanghai\"\n",
    )
    .expect("config")
}

/// Pieces articles are made of, hostile ones included, so that random
/// inputs reach deep into front matter, dates, Markdown and links.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---\n".to_owned()),
        Just("+++\n".to_owned()),
        Just("title: ".to_owned()),
        Just("title = \"".to_owned()),
        Just("date: 2024-06-28\n".to_owned()),
        Just("date: 2024-06-28T09:00:00+08:00\n".to_owned()),
        Just("date = 2024-06-28T09:00:00Z\n".to_owned()),
        Just("date: 9999-12-31T23:59:59-23:59\n".to_owned()),
        Just("date: -0001-01-01\n".to_owned()),
        Just("tags: [a, b, &x c, *x]\n".to_owned()),
        Just("authors: [{name: 甲, email: a@b}, 乙]\n".to_owned()),
        Just("draft: true\n".to_owned()),
        Just("slug: a/b\n".to_owned()),
        Just("link: \"javascript:alert(1)\"\n".to_owned()),
        Just("image: ../../x.png\n".to_owned()),
        Just("# 标题\n".to_owned()),
        Just("[链接](../a b/%zz) ![图](<x y.png>)\n".to_owned()),
        Just("<a href=\"//x\" src='\u{0}'>raw</a><img srcset=\",,, 2x\">\n".to_owned()),
        Just("```\ncode\n".to_owned()),
        Just("\u{FEFF}".to_owned()),
        Just("\r\n".to_owned()),
        Just("\u{1}\u{FFFE}\u{FFFF}".to_owned()),
        Just("正文。".repeat(50)),
        "\\PC{0,40}",
        any::<String>(),
    ]
}

fn article() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(piece(), 0..24).prop_map(|p| p.concat().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..2048),
    ]
}

proptest! {
    #[test]
    fn any_bytes_give_an_article_or_an_error_and_valid_feeds(bytes in article()) {
        let config = config();
        let source = Source::new(Path::new("content"), Path::new("content/2024/x.md").to_path_buf());
        let parsed = parse_article(&config.site, &source, &bytes);
        let rendered = render_article(&config.site, config.summary, &source, &bytes);
        prop_assert_eq!(parsed.is_ok(), rendered.is_ok());
        if let Ok(rendered) = rendered {
            let (article, body) = &rendered.value;
            let feed = FeedSpec::parse(Path::new("feeds/all.toml"), "title = \"All\"").expect("feed");
            let items = [Item { article, body }];
            for format in Format::ALL {
                let document = render(format, &config.site, &feed, &items);
                let read = feed_rs::parser::parse(document.as_slice());
                prop_assert!(read.is_ok(), "{:?} not readable: {:?}\n{}", format, read.err(), String::from_utf8_lossy(&document));
                prop_assert_eq!(read.map(|f| f.entries.len()).unwrap_or(0), 1);
            }
        }
    }
}
