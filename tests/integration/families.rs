//! Feed families: one definition, a feed per tag, category, author,
//! folder or language, appearing and disappearing with the articles.

use std::fs;

use syndicated::text::url_path;

use crate::harness::{Site, titles_of};

/// Three articles: two tagged 大运河, one Grand Canal in English.
fn site() -> Site {
    let site = Site::new();
    site.article(
        "zh/a.md",
        "title: 甲\ndate: 2024-07-04\ncategory: 经济\ntags: [经济, 大运河]\nauthor: 林楠",
        "正文。",
    );
    site.article(
        "zh/b.md",
        "title: 乙\ndate: 2024-07-03\ncategory: 时政\ntags: [大运河]",
        "正文。",
    );
    site.article(
        "en/c.md",
        "title: C\ndate: 2024-07-02\nlang: en\ntags: [Grand Canal]\nauthor: 林楠",
        "Text.",
    );
    site.write(
        "feeds/tags.toml",
        "each = \"tags\"\ntitle = \"拱墅新闻 · {value}\"\ndescription = \"标签：{value}\"\nlimit = 10\n",
    );
    site
}

#[test]
fn a_family_makes_a_feed_per_value_in_every_format() {
    let site = site();
    site.write(
        "feeds/sections.toml",
        "each = \"folders\"\npath = \"section\"\ntitle = \"{value}\"\n",
    );
    site.write(
        "feeds/by-language.toml",
        "each = \"languages\"\npath = \"lang\"\ntitle = \"Language {value}\"\n",
    );
    site.write(
        "feeds/people.toml",
        "each = \"authors\"\ntitle = \"{value}\"\nmin_items = 2\n",
    );
    site.build_ok();
    assert_eq!(site.titles("tags/大运河"), ["甲", "乙"]);
    assert_eq!(site.titles("tags/经济"), ["甲"]);
    assert_eq!(site.titles("tags/Grand Canal"), ["C"]);
    assert_eq!(site.titles("section/en"), ["C"]);
    assert_eq!(site.titles("lang/zh-CN"), ["甲", "乙"]);
    assert_eq!(site.titles("people/林楠"), ["甲", "C"]);
    assert!(
        !site.out("tags/时政.rss").exists(),
        "no tag 时政: a category is no tag"
    );

    let atom = site.feed("tags/大运河.atom");
    assert_eq!(
        atom.title.map(|t| t.content).as_deref(),
        Some("拱墅新闻 · 大运河")
    );
    let self_link = atom
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("self"))
        .map(|l| l.href.clone());
    assert_eq!(
        self_link.as_deref(),
        Some("https://news.example/tags/%E5%A4%A7%E8%BF%90%E6%B2%B3.atom")
    );
    // The language family's feeds say their language in every format.
    let en_rss = site.read("out/lang/en.rss");
    assert!(en_rss.contains("<language>en</language>"), "{en_rss}");
    let en_atom = site.read("out/lang/en.atom");
    assert!(en_atom.contains("xml:lang=\"en\""), "{en_atom}");
    let en_json: serde_json::Value =
        serde_json::from_str(&site.read("out/lang/en.json")).expect("json");
    assert_eq!(en_json["language"], "en");
    assert_eq!(en_json["items"][0]["language"], "en");
}

#[test]
fn min_items_leaves_out_one_off_values() {
    let site = site();
    site.write(
        "feeds/tags.toml",
        "each = \"tags\"\ntitle = \"{value}\"\nmin_items = 2\n",
    );
    site.build_ok();
    assert_eq!(site.titles("tags/大运河"), ["甲", "乙"]);
    assert!(!site.out("tags/经济.rss").exists());
    assert!(!site.out("tags/Grand Canal.rss").exists());
}

#[test]
fn a_family_definition_says_what_is_wrong_on_its_line() {
    let site = site();
    for (text, expected) in [
        (
            "each = \"tags\"\ntitle = \"标签\"\n",
            "feeds/tags.toml:2: `title`: a feed family's title needs `{value}`",
        ),
        (
            "each = \"tag\"\ntitle = \"{value}\"\n",
            "feeds/tags.toml:1: unknown variant `tag`, expected one of",
        ),
        (
            "title = \"x\"\nmin_items = 2\n",
            "feeds/tags.toml:2: `min_items` is for feed families",
        ),
        (
            "each = \"tags\"\ntitle = \"{value}\"\npath = \"a/b\"\n",
            "feeds/tags.toml:3: `path`: \"a/b\" must be one folder name",
        ),
    ] {
        site.check_fails_with("feeds/tags.toml", text, expected);
    }
}

#[test]
fn a_value_that_cannot_name_a_feed_is_a_warning() {
    let site = site();
    site.article(
        "zh/d.md",
        "title: 丁\ndate: 2024-07-01\ntags: [a/b]",
        "正文。",
    );
    let run = site.build_ok();
    assert!(
        run.stderr.contains(
            "feeds/tags.toml: warning: tag \"a/b\" (in content/zh/d.md) cannot name a feed (it holds a slash); it has no feed of its own"
        ),
        "{}",
        run.stderr
    );
}

/// The first article with a new tag makes its feed appear in the same
/// publication; removing the last one makes it go: 410 Gone (it was
/// served), and the mirror's files removed.
#[test]
fn a_family_feed_appears_and_disappears_with_its_articles() {
    let site = site();
    let mirror = site.path().join("mirror");
    let server = site.serve(&["--out", "mirror"]);
    let path = format!("/{}", url_path("tags/新标签.rss"));
    assert_eq!(server.get(&path).status, 404);

    let seen = server.publications();
    site.article(
        "zh/new.md",
        "title: 新\ndate: 2024-07-05\ntags: [新标签]",
        "正文。",
    );
    server.wait_for_publication_after(seen);
    let reply = server.wait_for(&path, |r| r.status == 200);
    assert_eq!(reply.titles(), ["新"]);
    server.wait_for("/healthz", |_| mirror.join("tags/新标签.rss.gz").is_file());
    let rss = feed_rs::parser::parse(&fs::read(mirror.join("tags/新标签.rss")).unwrap()[..])
        .expect("the mirror's copy parses");
    assert_eq!(titles_of(&rss), ["新"]);

    fs::remove_file(site.path().join("content/zh/new.md")).expect("rm");
    server.wait_for(&path, |r| r.status == 410);
    server.wait_for("/healthz", |_| !mirror.join("tags/新标签.rss").exists());
    assert!(!mirror.join("tags/新标签.atom.br").exists());
    assert!(mirror.join("tags/大运河.rss").is_file(), "the others stay");
}

#[test]
fn an_article_leaves_a_whole_family_or_one_of_its_feeds() {
    let site = site();
    site.article(
        "zh/a.md",
        "title: 甲\ndate: 2024-07-04\ntags: [经济, 大运河]\nexclude_from: [tags]",
        "正文。",
    );
    site.article(
        "zh/b.md",
        "title: 乙\ndate: 2024-07-03\ntags: [大运河, 民生]\nexclude_from: [tags/大运河]",
        "正文。",
    );
    let run = site.build_ok();
    assert!(!run.stderr.contains("exclude_from"), "{}", run.stderr);
    assert!(
        !site.out("tags/经济.rss").exists(),
        "甲 was its only article"
    );
    assert!(!site.out("tags/大运河.rss").exists());
    assert_eq!(site.titles("tags/民生"), ["乙"]);
    assert_eq!(site.titles("all"), ["甲", "乙", "C"]);
}

/// Two translations of one article: the same file name in `zh/` and `en/`
/// (their ids differ, as ids keep the folder), a shared `translation_key`
/// linking each to the other with Atom `link rel="alternate" hreflang`,
/// and every item's language in JSON Feed.
#[test]
fn translations_link_each_other_and_never_share_an_id() {
    let site = Site::new();
    site.article(
        "zh/canal.md",
        "title: 大运河\ndate: 2024-07-04\ntranslation_key: canal",
        "正文。",
    );
    site.article(
        "en/canal.md",
        "title: The Grand Canal\ndate: 2024-07-04\nlang: en\ntranslation_key: canal",
        "Text.",
    );
    site.build_ok();
    let atom = site.feed("all.atom");
    assert_eq!(atom.entries.len(), 2);
    assert_ne!(atom.entries[0].id, atom.entries[1].id);
    let hreflangs = |title: &str| -> Vec<(String, String)> {
        atom.entries
            .iter()
            .find(|e| e.title.as_ref().is_some_and(|t| t.content == title))
            .expect("entry")
            .links
            .iter()
            .filter_map(|l| l.href_lang.clone().map(|lang| (lang, l.href.clone())))
            .collect()
    };
    assert_eq!(
        hreflangs("大运河"),
        [("en".to_owned(), "https://news.example/en/canal/".to_owned())]
    );
    assert_eq!(
        hreflangs("The Grand Canal"),
        [(
            "zh-CN".to_owned(),
            "https://news.example/zh/canal/".to_owned()
        )]
    );
    let json: serde_json::Value = serde_json::from_str(&site.read("out/all.json")).expect("json");
    let languages: Vec<&str> = json["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["language"].as_str())
        .collect();
    assert_eq!(languages.len(), 2);
    assert!(
        languages.contains(&"en") && languages.contains(&"zh-CN"),
        "{languages:?}"
    );
}

#[test]
fn two_families_in_one_folder_are_an_error() {
    let site = site();
    site.write(
        "feeds/topics.toml",
        "each = \"categories\"\npath = \"tags\"\ntitle = \"{value}\"\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "feeds/topics.toml: the feeds of this family would be served in /tags/, as those of feeds/tags.toml are; set another `path`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        !site.out("tags/时政.rss").exists(),
        "no feed of the category 时政: the second family is left out"
    );
    assert_eq!(
        site.titles("tags/大运河"),
        ["甲", "乙"],
        "the first family stays"
    );
}

/// Regression: one person credited twice (with and without an e-mail) put
/// the article twice in their feed, with one id.
#[test]
fn an_author_credited_twice_is_in_their_feed_once() {
    let site = site();
    site.article(
        "zh/d.md",
        "title: 丁\ndate: 2024-07-05\nauthors: [{name: 周欢欢, email: z@news.example}, 周欢欢]",
        "正文。",
    );
    site.write(
        "feeds/people.toml",
        "each = \"authors\"\ntitle = \"{value}\"\n",
    );
    site.build_ok();
    assert_eq!(site.titles("people/周欢欢"), ["丁"]);
}
