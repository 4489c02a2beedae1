//! URLs made from local file names. A picture, an enclosure, a transcript,
//! a chapters file and a podcast's artwork whose names hold any character
//! a file name may (spaces, `#`, `?`, `%`, `:`, `&`, CJK, emoji) are
//! published at URLs that are valid and whose decoded path is the file's
//! path again, with and without `site.media_url`.
//!
//! Regression: `image: "/images/夏天 运河 #1.png"` was published as
//! `…%20#1.png` (a client asks for `…%20` and takes `1.png` as a fragment),
//! `what's new?.mp3` kept its `?`, and `50% off.mp3` became `50%%20off.mp3`.

use proptest::prelude::*;

use crate::harness::{CONFIG, Site, repo};

/// Characters a file name may hold that a URL path cannot carry as they
/// are, or that mean something in a URL, and some that can.
const ALPHABET: &str =
    "aZ09 #?%:&;=+,@!$'()*[]{}|^`\"<>~-._\u{3000}夏天运河第三期（完整版）🦀é\u{a0}";

/// A file name with the extension `ext`, from [`ALPHABET`]; not starting
/// with white space, which front matter values lose.
fn file_name(ext: &'static str) -> impl Strategy<Value = String> {
    let chars: Vec<char> = ALPHABET.chars().collect();
    prop::collection::vec(prop::sample::select(chars), 1..10).prop_map(move |chars| {
        let stem: String = chars.into_iter().collect();
        // `.mp3` alone would be a hidden file with no extension.
        let stem = match stem.trim_start() {
            "" => "x".to_owned(),
            trimmed => trimmed.to_owned(),
        };
        format!("{stem}.{ext}")
    })
}

/// The names of one case: picture, episode, transcript, chapters, artwork.
type Names = (String, String, String, String, String);

fn names() -> impl Strategy<Value = Names> {
    (
        file_name("png"),
        file_name("mp3"),
        file_name("vtt"),
        file_name("json"),
        file_name("png"),
    )
}

/// A podcast site whose files, in `content/media/`, have `names`; under
/// `media_url` when given.
fn site(names: &Names, media_url: Option<&str>) -> Site {
    let (picture, episode, transcript, chapters, artwork) = names;
    let site = Site::new();
    let media = media_url.map_or(String::new(), |url| format!("media_url = \"{url}\"\n"));
    // CONFIG ends in [site].
    site.write("syndicated.toml", format!("{CONFIG}{media}"));
    let sample = |rel: &str| std::fs::read(repo().join("content").join(rel)).expect("sample file");
    site.write(
        &format!("content/media/{picture}"),
        sample("images/icon.png"),
    );
    site.write(
        &format!("content/media/{episode}"),
        sample("podcast/2024-07-05-canal-morning.mp3"),
    );
    site.write(&format!("content/media/{transcript}"), "WEBVTT\n");
    site.write(
        &format!("content/media/{chapters}"),
        "{\"version\": \"1.2.0\", \"chapters\": []}",
    );
    site.write(
        &format!("content/media/{artwork}"),
        sample("podcast/artwork.png"),
    );
    // JSON strings are YAML and TOML strings too.
    let quoted = |name: &str| serde_json::to_string(&format!("/media/{name}")).expect("JSON");
    site.article(
        "episode.md",
        &format!(
            "title: 第一期\ndate: 2024-06-01T08:00:00+08:00\nimage: {}\ntranscript: {}\nchapters: {}\nenclosures:\n  - url: {}",
            quoted(picture),
            quoted(transcript),
            quoted(chapters),
            quoted(episode)
        ),
        "正文。",
    );
    site.write(
        "feeds/all.toml",
        format!(
            "title = \"播客\"\n[podcast]\nauthor = \"拱墅报\"\nowner = {{ name = \"拱墅报\", email = \"podcast@news.example\" }}\nimage = {}\ncategory = \"News\"\nexplicit = false\n",
            serde_json::to_string(&format!("media/{artwork}")).expect("JSON")
        ),
    );
    site
}

/// Every URL the RSS and JSON documents give a file, by what it is.
fn urls(site: &Site) -> Vec<(&'static str, String)> {
    let rss = std::fs::read_to_string(site.out("all.rss")).expect("all.rss");
    let doc = roxmltree::Document::parse(&rss).expect("well-formed RSS");
    let attribute = |parent: &str, element: &str, attribute: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.tag_name().name() == element)
            .filter(|n| {
                n.parent_element()
                    .is_some_and(|p| p.tag_name().name() == parent)
            })
            .filter_map(|n| n.attribute(attribute).map(str::to_owned))
            .collect()
    };
    let mut found = Vec::new();
    for (what, parent, element, key) in [
        ("picture", "item", "content", "url"),
        ("episode", "item", "enclosure", "url"),
        ("transcript", "item", "transcript", "url"),
        ("chapters", "item", "chapters", "url"),
        ("artwork", "channel", "image", "href"),
    ] {
        let values = attribute(parent, element, key);
        assert!(!values.is_empty(), "no {element} {key} in {rss}");
        found.extend(values.into_iter().map(|v| (what, v)));
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.out("all.json")).expect("all.json"))
            .expect("JSON");
    let item = &json["items"][0];
    found.push(("picture", item["image"].as_str().expect("image").to_owned()));
    found.push((
        "episode",
        item["attachments"][0]["url"]
            .as_str()
            .expect("attachment")
            .to_owned(),
    ));
    found
}

/// Checks that each URL is absolute, has no fragment or query, and that
/// its path, decoded, is `prefix` followed by the file's path.
fn round_trip(names: &Names, media_url: Option<&str>, prefix: &str) {
    let site = site(names, media_url);
    let run = site.build();
    assert_eq!(run.code, 0, "{names:?}\n{run:#?}");
    let name_of = |what: &str| match what {
        "picture" => &names.0,
        "episode" => &names.1,
        "transcript" => &names.2,
        "chapters" => &names.3,
        _ => &names.4,
    };
    for (what, text) in urls(&site) {
        let url = url::Url::parse(&text).unwrap_or_else(|e| panic!("{what} {text:?}: {e}"));
        assert_eq!(url.as_str(), text, "{what}: not a normalised URL");
        assert_eq!(url.fragment(), None, "{what} {text}");
        assert_eq!(url.query(), None, "{what} {text}");
        let path = percent_encoding::percent_decode_str(url.path())
            .decode_utf8()
            .expect("UTF-8");
        assert_eq!(
            path,
            format!("{prefix}media/{}", name_of(what)),
            "{what} {text}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn any_file_name_makes_a_url_that_decodes_to_its_path(names in names()) {
        round_trip(&names, None, "/");
        round_trip(&names, Some("https://cdn.example/files/"), "/files/");
    }
}

/// The names from the bug reports, each a case of its own.
#[test]
fn names_with_hash_question_mark_percent_and_spaces() {
    let names = (
        "夏天 运河 #1.png".to_owned(),
        "what's new?.mp3".to_owned(),
        "50% off.vtt".to_owned(),
        "ep #1:chapters.json".to_owned(),
        "C:art & co.png".to_owned(),
    );
    round_trip(&names, None, "/");
    round_trip(&names, Some("https://cdn.example/files/"), "/files/");
    let site = site(&names, None);
    site.build_ok();
    let urls = urls(&site);
    assert!(urls.contains(&(
        "picture",
        "https://news.example/media/%E5%A4%8F%E5%A4%A9%20%E8%BF%90%E6%B2%B3%20%231.png".to_owned()
    )));
    assert!(urls.contains(&(
        "episode",
        "https://news.example/media/what's%20new%3F.mp3".to_owned()
    )));
    assert!(urls.contains(&(
        "transcript",
        "https://news.example/media/50%25%20off.vtt".to_owned()
    )));
}
