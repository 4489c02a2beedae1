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

/// OpenCC's own test cases (`tests/opencc/testcases.json`, OpenCC at
/// commit 5249273a): every `s2t`, `s2twp` and `s2hk` expectation, each
/// input a paragraph of one article, read back from the `zh-Hant`, `zh-TW`
/// and `zh-HK` JSON Feeds. Regression: a converter without OpenCC's
/// segmentation gave 立法院通过 → 立法院透過, 快闪存储器 → 快快閃記憶體儲器
/// and 互联网络 → 網際網路絡 (96 of 231 expectations differed).
#[test]
fn opencc_test_cases_convert_as_opencc_does() {
    let text = include_str!("../opencc/testcases.json");
    let cases: serde_json::Value =
        serde_json::from_str(&without_trailing_commas(text)).expect("OpenCC's test cases");
    let variants = [("s2t", "zh-Hant"), ("s2twp", "zh-TW"), ("s2hk", "zh-HK")];
    let mut expected: Vec<(String, &str, String, String)> = Vec::new();
    for case in cases["cases"].as_array().expect("cases") {
        let input = case["input"].as_str().expect("input");
        for (config, variant) in variants {
            if let Some(want) = case["expected"][config].as_str() {
                let id = case["id"].as_str().unwrap_or("?").to_owned();
                expected.push((id, variant, input.to_owned(), want.to_owned()));
            }
        }
    }
    assert_eq!(expected.len(), 231, "OpenCC's suite at 5249273a");
    let mut inputs: Vec<&str> = Vec::new();
    for (_, _, input, _) in &expected {
        if !inputs.contains(&input.as_str()) {
            inputs.push(input);
        }
    }
    let site = Site::new();
    site.write(
        "feeds/all.toml",
        "title = \"t\"\nvariants = [\"zh-Hant\", \"zh-TW\", \"zh-HK\"]\n",
    );
    site.article(
        "t.md",
        "title: t\ndate: 2024-05-01T10:00:00Z",
        &format!("{}\n", inputs.join("\n\n")),
    );
    site.build_ok();
    let mut differ = Vec::new();
    for (_, variant) in variants {
        let feed = site.feed(&format!("all.{variant}.json"));
        let html = feed.entries[0]
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_default();
        let paragraphs = paragraphs(&html);
        assert_eq!(paragraphs.len(), inputs.len(), "{variant}: {html}");
        for (id, v, input, want) in expected.iter().filter(|e| e.1 == variant) {
            let at = inputs.iter().position(|i| i == input).expect("an input");
            if paragraphs[at] != *want {
                differ.push(format!(
                    "{id} {v}: {input}\n  OpenCC {want}\n  ours   {}",
                    paragraphs[at]
                ));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "{} of 231 differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}

/// `json` with the commas before a closing `}` or `]` dropped (OpenCC's
/// file has them; JSON does not allow them). Commas inside strings stay.
fn without_trailing_commas(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    let chars: Vec<char> = json.chars().collect();
    for (at, &c) in chars.iter().enumerate() {
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c == '"' {
            in_string = true;
        } else if c == ',' {
            let next = chars[at + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}' | ']')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// The text of each `<p>` of `html`, its character references resolved.
fn paragraphs(html: &str) -> Vec<String> {
    html.split("<p>")
        .skip(1)
        .map(|p| {
            p.split("</p>")
                .next()
                .unwrap_or_default()
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

/// Regressions, read back from the feeds: `他理<em>发</em>了` converted 发
/// alone (發, not 理髮's 髮), and a URL written in the text was converted
/// (naming a page that does not exist).
#[test]
fn inline_markup_and_urls_in_the_text_survive_conversion() {
    let site = Site::new();
    site.write(
        "feeds/all.toml",
        "title = \"全部\"\nvariants = [\"zh-TW\", \"zh-Hant\"]\n",
    );
    site.article(
        "a.md",
        "title: 理发\ndate: 2024-07-04",
        "他理*发*了。\n\n下载地址 https://example.com/软件/下载 （官方）。\n",
    );
    site.build_ok();
    for file in ["all.zh-TW.atom", "all.zh-Hant.atom", "all.zh-TW.json"] {
        let feed = site.feed(file);
        let html = feed.entries[0]
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_default();
        assert!(html.contains("他理<em>髮</em>了。"), "{file}: {html}");
        assert!(html.contains("下載地址 "), "{file}: {html}");
        assert!(
            html.contains("https://example.com/软件/下载") && !html.contains("/下載"),
            "{file}: {html}"
        );
    }
}
