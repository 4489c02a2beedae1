//! Property tests over hostile bytes, the same properties the fuzz targets
//! check (`fuzz/properties.rs`): for any input, parsing returns an article
//! (or a config) or an error, never a panic, and every feed rendered from
//! what it returns is a document feed-rs reads back.
//!
//! CI runs the seed corpus (`fuzz/seeds/`) and the default number of random
//! cases. A long run is `PROPTEST_CASES=200000 cargo test --release --test
//! integration fuzz::`; coverage-guided fuzzing is `cargo fuzz run article`
//! (see docs/src/development.md).

use std::fs;

use proptest::prelude::*;

use crate::harness::repo;

#[path = "../../fuzz/properties.rs"]
mod properties;

/// Every file of `fuzz/seeds/TARGET`, with its name.
fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = repo().join("fuzz/seeds").join(target);
    let mut seeds: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("entry").path();
            let name = path.display().to_string();
            (name, fs::read(&path).expect("seed"))
        })
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 5, "the seed corpus of {target} is missing");
    seeds
}

/// Checks `property` on every seed of `target`: the seed corpus, and every
/// input a fuzzer found that once broke a property (kept beside the seeds,
/// named after what broke).
fn seeds_hold(target: &str, property: fn(&[u8])) {
    for (name, bytes) in seeds(target) {
        eprintln!("{name}");
        property(&bytes);
    }
}

#[test]
fn the_article_seed_corpus_holds() {
    seeds_hold("article", properties::article);
}

#[test]
fn the_config_seed_corpus_holds() {
    seeds_hold("config", properties::config);
}

#[test]
fn the_request_seed_corpus_holds() {
    seeds_hold("request", properties::request);
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
        // What HTML and Markdown make of references, attributes and lists.
        Just("# Ring the bell&#7; now\n".to_owned()),
        Just("ESC&#27;[31m &#x1F; &#xFFFE; &#0; &#xD800; &#x110000;\n".to_owned()),
        Just("<p title=\"a&#7;b\" onclick=\"x()\">t</p>".to_owned()),
        Just("<a href=\"&#109;&#97;&#105;&#108;&#116;&#111;&#58;d@x\">m</a>".to_owned()),
        Just("<a href=\"java&#7;script:alert(1)\">j</a><a href=\"http://[x\">b</a>".to_owned()),
        Just(
            "<img srcset=\"https://c.example/w_400,h_300/a.jpg 400w, b,c.jpg 2x, (x\">".to_owned()
        ),
        Just("<script>alert('</p>')</script><style>p{}</style><textarea><b></textarea>".to_owned()),
        Just("<svg><a xlink:href=\"x\"/></svg><math><mi>x</mi></math>".to_owned()),
        Just("- 第一项\n- 第二项\n".to_owned()),
        Just("| a | b |\n|---|---|\n| `<head>` | c |\n".to_owned()),
        Just("> 引文\n".to_owned()),
        Just("🇨🇳👨\u{200D}👩\u{200D}👧e\u{301}".repeat(30)),
        Just("summary: \"<br> & <img>\"\n".to_owned()),
        Just("lang: de\n".to_owned()),
        Just("authors: [{name: a, uri: /about}]\n".to_owned()),
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

/// Config and feed-definition text: keys the parsers know, with values
/// of every type, and noise.
fn config_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[site]\n".to_owned()),
        Just("[server]\n".to_owned()),
        Just("[filter]\n".to_owned()),
        Just("[watch]\n".to_owned()),
        Just("title = \"标题\"\n".to_owned()),
        Just("base_url = \"https://news.example/a b/\"\n".to_owned()),
        Just("timezone = \"Asia/Shanghai\"\n".to_owned()),
        Just("limit = 0\n".to_owned()),
        Just("limit = -1\n".to_owned()),
        Just("limit = 18446744073709551615\n".to_owned()),
        Just("max_age = 1e308\n".to_owned()),
        Just("formats = [\"rss\", \"atom\", \"json\", \"x\"]\n".to_owned()),
        Just("content = \"summary\"\n".to_owned()),
        Just("categories = [\"经济\"]\n".to_owned()),
        Just("tags = []\n".to_owned()),
        Just("listen = \"[::1]:0\"\n".to_owned()),
        "\\PC{0,30}",
    ];
    prop::collection::vec(piece, 0..16).prop_map(|p| p.concat())
}

/// Requests: a method byte and a path, then header lines, with the
/// paths, validators and codings that matter, and noise.
fn request_bytes() -> impl Strategy<Value = Vec<u8>> {
    let path = prop_oneof![
        Just("/all.rss".to_owned()),
        Just("/".to_owned()),
        Just("/index.html?x=1".to_owned()),
        Just("/../etc/passwd".to_owned()),
        Just("/%2e%2e/%252e".to_owned()),
        Just("/all.rss\\..\\x".to_owned()),
        "\\PC{0,30}",
    ];
    let header = prop_oneof![
        Just("accept-encoding: gzip;q=0.5, br;q=1.0, identity;q=0".to_owned()),
        Just("accept-encoding: *;q=0, identity;q=NaN".to_owned()),
        Just("if-none-match: *".to_owned()),
        Just("if-none-match: W/\"x\", \"\"".to_owned()),
        Just("if-modified-since: Sun, 06 Nov 1994 08:49:37 GMT".to_owned()),
        Just("if-modified-since: Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
        "[a-z-]{1,20}: \\PC{0,40}",
    ];
    (any::<u8>(), path, prop::collection::vec(header, 0..6)).prop_map(|(method, path, headers)| {
        let mut bytes = vec![method];
        bytes.extend_from_slice(path.as_bytes());
        for header in headers {
            bytes.push(b'\n');
            bytes.extend_from_slice(header.as_bytes());
        }
        bytes
    })
}

/// Text rich in what a cut can split: flags, joined emoji, combining marks,
/// CJK sentences and quotations.
fn summary_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("🇨🇳".to_owned()),
        Just("👨\u{200D}👩\u{200D}👧".to_owned()),
        Just("e\u{301}".to_owned()),
        Just("\u{301}".to_owned()),
        Just("\r\n".to_owned()),
        Just("他说：“好。”".to_owned()),
        Just("第一句。".to_owned()),
        Just("Word. ".to_owned()),
        Just(" ".to_owned()),
        "\\PC{0,12}",
    ];
    prop::collection::vec(piece, 0..80).prop_map(|p| p.concat())
}

proptest! {
    #[test]
    fn any_bytes_give_an_article_or_an_error_and_valid_feeds(bytes in article()) {
        properties::article(&bytes);
    }

    #[test]
    fn any_summary_is_cut_between_grapheme_clusters(text in summary_text()) {
        properties::summary(&text);
    }

    #[test]
    fn any_request_gets_an_answer_from_the_snapshot(request in request_bytes()) {
        properties::request(&request);
    }

    #[test]
    fn any_text_gives_a_config_or_an_error(text in config_text()) {
        properties::config(text.as_bytes());
    }
}
