//! Chinese variant feeds: the same feed in Traditional characters, and in
//! Taiwan's and Hong Kong's, converted at publication; markup, URLs and
//! code untouched; read back from every format.

use crate::harness::Site;

fn site() -> Site {
    let site = Site::new();
    site.write(
        "feeds/all.toml",
        "title = \"拱墅新闻\"\ndescription = \"发展\"\nvariants = [\"zh-TW\", \"zh-Hant\"]\n",
    );
    site.article(
        "a.md",
        "title: 软件园区发展\ndate: 2024-07-04\ncategory: 经济\ntags: [软件, 园区]",
        "拱墅区[软件园区](https://news.example/软件/区?q=发展)发展迅速。\n\n```\nlet 区 = \"发展\";\n```\n",
    );
    site
}

#[test]
fn a_variant_feed_converts_text_and_leaves_markup_urls_and_code() {
    let site = site();
    site.build_ok();
    assert_eq!(site.titles("all"), ["软件园区发展"]);
    assert_eq!(site.titles("all.zh-TW"), ["軟體園區發展"]);
    assert_eq!(site.titles("all.zh-Hant"), ["軟件園區發展"]);

    let atom = site.feed("all.zh-TW.atom");
    assert_eq!(atom.title.map(|t| t.content).as_deref(), Some("拱墅新聞"));
    assert_eq!(atom.language.as_deref(), Some("zh-TW"));
    let entry = &atom.entries[0];
    assert!(entry.id.ends_with("#zh-TW"), "{}", entry.id);
    let original = site.feed("all.atom");
    assert_ne!(entry.id, original.entries[0].id, "each variant its own ids");
    let categories: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
    assert!(categories.contains(&"軟體"), "{categories:?}");
    let html = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap_or_default();
    assert!(html.contains("發展迅速"), "{html}");
    assert!(
        html.contains(
            "href=\"https://news.example/%E8%BD%AF%E4%BB%B6/%E5%8C%BA?q=%E5%8F%91%E5%B1%95\""
        ),
        "the URL is untouched: {html}"
    );
    assert!(html.contains(">軟體園區</a>"), "{html}");
    assert!(
        html.contains("let 区 = \"发展\";"),
        "code untouched: {html}"
    );

    // The variant links the original, and the original each variant.
    let links = |file: &str| -> Vec<(String, String)> {
        site.feed(file)
            .links
            .into_iter()
            .filter_map(|l| l.href_lang.map(|lang| (lang, l.href)))
            .collect()
    };
    assert_eq!(
        links("all.zh-TW.atom"),
        [(
            "zh-CN".to_owned(),
            "https://news.example/all.atom".to_owned()
        )]
    );
    assert_eq!(
        links("all.atom"),
        [
            (
                "zh-TW".to_owned(),
                "https://news.example/all.zh-TW.atom".to_owned()
            ),
            (
                "zh-Hant".to_owned(),
                "https://news.example/all.zh-Hant.atom".to_owned()
            ),
        ]
    );
    let rss = site.read("out/all.zh-TW.rss");
    assert!(rss.contains("<language>zh-TW</language>"), "{rss}");
    assert!(rss.contains("hreflang=\"zh-CN\""), "{rss}");
    let json: serde_json::Value =
        serde_json::from_str(&site.read("out/all.zh-TW.json")).expect("json");
    assert_eq!(json["language"], "zh-TW");
    assert_eq!(json["items"][0]["language"], "zh-TW");
    let tags = json["items"][0]["tags"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(tags.iter().any(|t| t == "軟體"), "{tags:?}");
}

#[test]
fn the_site_and_families_have_variants_too() {
    let site = site();
    site.write(
        "syndicated.toml",
        format!(
            "{}\n[feeds]\nvariants = [\"zh-HK\"]\n",
            crate::harness::CONFIG
        ),
    );
    site.write("feeds/all.toml", "title = \"拱墅新闻\"\n");
    site.write(
        "feeds/tags.toml",
        "each = \"tags\"\ntitle = \"标签 · {value}\"\n",
    );
    site.write("feeds/plain.toml", "title = \"简体\"\nvariants = []\n");
    site.build_ok();
    assert_eq!(site.titles("all.zh-HK"), ["軟件園區發展"]);
    let tag = site.feed("tags/软件.zh-HK.atom");
    assert_eq!(tag.title.map(|t| t.content).as_deref(), Some("標籤 · 軟件"));
    assert!(!site.out("plain.zh-HK.rss").exists(), "a feed can say no");

    site.check_fails_with(
        "feeds/all.toml",
        "title = \"x\"\nvariants = [\"zh-SG\"]\n",
        "feeds/all.toml:2: `variants`: \"zh-SG\" is no Chinese variant we publish; use zh-Hant, zh-TW, zh-HK, zh-MO",
    );
}

/// Regression: a variant relabelled every item as its own language, so an
/// English article in `all.zh-TW` said `zh-TW`, and an `en` feed of a
/// languages family got a Traditional Chinese variant.
#[test]
fn only_simplified_chinese_is_converted_and_relabelled() {
    let site = site();
    site.article(
        "en/b.md",
        "title: Software park\ndate: 2024-07-03\nlang: en",
        "Text.",
    );
    site.write(
        "feeds/by-language.toml",
        "each = \"languages\"\npath = \"lang\"\ntitle = \"{value}\"\nvariants = [\"zh-TW\"]\n",
    );
    site.build_ok();
    let json: serde_json::Value =
        serde_json::from_str(&site.read("out/all.zh-TW.json")).expect("json");
    let items = json["items"].as_array().expect("items");
    let english = items
        .iter()
        .find(|i| i["title"] == "Software park")
        .expect("the English article, as written");
    assert_eq!(english["language"], "en");
    assert!(site.out("lang/zh-CN.zh-TW.rss").is_file());
    assert!(!site.out("lang/en.zh-TW.rss").exists());
}

/// Authors' names are text of the article: a Traditional reader reads them
/// in Traditional characters, as Taiwan's and Hong Kong's press writes
/// them; the author's e-mail and page stay as written, and the original
/// feed keeps the name as written.
#[test]
fn a_variant_writes_authors_names_in_its_characters() {
    let site = site();
    site.article(
        "a.md",
        "title: 软件园区发展\ndate: 2024-07-04\nauthors: [{name: 张伟, email: zhang@news.example}]",
        "正文。\n",
    );
    site.build_ok();
    for (file, name) in [
        ("all.atom", "张伟"),
        ("all.zh-TW.atom", "張偉"),
        ("all.zh-TW.json", "張偉"),
    ] {
        let feed = site.feed(file);
        let author = &feed.entries[0].authors[0];
        assert_eq!(author.name.as_deref(), Some(name), "{file}");
    }
    let atom = site.feed("all.zh-TW.atom");
    assert_eq!(
        atom.entries[0].authors[0].email.as_deref(),
        Some("zhang@news.example")
    );
}
