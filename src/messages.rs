//! The words the daemon writes for people, in the site's language: a
//! small table chosen by `site.language` (Simplified Chinese, Traditional
//! Chinese, English; any other language gets English).

/// The words of one language.
#[derive(Debug)]
pub struct Messages {
    /// What marks a draft's title in a preview.
    pub draft: &'static str,
    /// What marks a scheduled article's title in a preview, before its date.
    pub scheduled: &'static str,
    /// One sentence on what a feed is and how to subscribe.
    pub what_is_a_feed: &'static str,
    /// The heading over a feed's addresses.
    pub subscribe: &'static str,
    /// The copy button, and what it says once it has copied.
    pub copy: &'static str,
    /// See [`Messages::copy`].
    pub copied: &'static str,
    /// The heading of a feed's latest items.
    pub latest: &'static str,
    /// `{n}` items: the count of a feed's items.
    pub items: &'static str,
    /// The link to a feed's page with all its items (`{n}` of them).
    pub all_items: &'static str,
    /// Before the newest item's date.
    pub updated: &'static str,
    /// The heading of a family's feeds (`{name}`: what it makes a feed per).
    pub family: &'static str,
    /// Before a feed's other languages (its Chinese variants).
    pub also_in: &'static str,
    /// The link to a feed's older items (its archive).
    pub archive: &'static str,
    /// The link back to the list of feeds.
    pub all_feeds: &'static str,
    /// Says what a feed's page is, over its items, when opened in a browser.
    pub this_is_a_feed: &'static str,
    /// The OPML list's link text.
    pub opml: &'static str,
    /// The names of the Chinese variants, by tag.
    pub variants: [(&'static str, &'static str); 4],
    /// What a family makes a feed per: tags, categories, authors, folders
    /// (sections), languages.
    pub facets: [&'static str; 5],
}

impl Messages {
    /// What a family of `each` makes a feed per, in these words.
    pub fn facet(&self, each: crate::config::Facet) -> &'static str {
        use crate::config::Facet;
        self.facets[match each {
            Facet::Tags => 0,
            Facet::Categories => 1,
            Facet::Authors => 2,
            Facet::Folders => 3,
            Facet::Languages => 4,
        }]
    }

    /// The name of a Chinese variant's language (its tag when it has none).
    pub fn variant_name<'a>(&self, tag: &'a str) -> &'a str
    where
        'static: 'a,
    {
        self.variants
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(tag))
            .map_or(tag, |(_, name)| name)
    }

    /// `template` with `{n}` replaced by `n`.
    pub fn count(template: &str, n: usize) -> String {
        template.replace("{n}", &n.to_string())
    }
}

const SIMPLIFIED: Messages = Messages {
    draft: "草稿",
    scheduled: "定时发布",
    what_is_a_feed: "订阅源（RSS、Atom 或 JSON Feed）把新文章送到你的阅读器：复制下面的地址，粘贴到 Feedly、Inoreader、NetNewsWire 等阅读器的“添加订阅”中即可。",
    subscribe: "订阅地址",
    copy: "复制",
    copied: "已复制",
    latest: "最新文章",
    items: "{n} 篇文章",
    all_items: "查看全部 {n} 篇",
    updated: "最近更新",
    family: "按{name}订阅",
    also_in: "其他文字",
    archive: "更早的文章（存档）",
    all_feeds: "全部订阅源",
    this_is_a_feed: "这是一个订阅源。在浏览器里你看到的是它的文章列表；阅读器会收到同一地址的订阅内容。",
    opml: "全部订阅源（OPML，可导入阅读器）",
    variants: [
        ("zh-Hant", "繁体中文"),
        ("zh-TW", "繁体中文（台湾）"),
        ("zh-HK", "繁体中文（香港）"),
        ("zh-MO", "繁体中文（澳门）"),
    ],
    facets: ["标签", "分类", "作者", "栏目", "语言"],
};

const TRADITIONAL: Messages = Messages {
    draft: "草稿",
    scheduled: "排程發布",
    what_is_a_feed: "訂閱源（RSS、Atom 或 JSON Feed）把新文章送到你的閱讀器：複製下面的網址，貼到 Feedly、Inoreader、NetNewsWire 等閱讀器的「新增訂閱」即可。",
    subscribe: "訂閱網址",
    copy: "複製",
    copied: "已複製",
    latest: "最新文章",
    items: "{n} 篇文章",
    all_items: "查看全部 {n} 篇",
    updated: "最近更新",
    family: "依{name}訂閱",
    also_in: "其他文字",
    archive: "更早的文章（封存）",
    all_feeds: "全部訂閱源",
    this_is_a_feed: "這是一個訂閱源。在瀏覽器裡你看到的是它的文章列表；閱讀器會收到同一網址的訂閱內容。",
    opml: "全部訂閱源（OPML，可匯入閱讀器）",
    variants: [
        ("zh-Hant", "繁體中文"),
        ("zh-TW", "繁體中文（台灣）"),
        ("zh-HK", "繁體中文（香港）"),
        ("zh-MO", "繁體中文（澳門）"),
    ],
    facets: ["標籤", "分類", "作者", "欄目", "語言"],
};

const ENGLISH: Messages = Messages {
    draft: "Draft",
    scheduled: "Scheduled",
    what_is_a_feed: "A feed (RSS, Atom or JSON Feed) brings new articles to your reader: copy an address below and paste it into your reader's \"add feed\" (Feedly, Inoreader, NetNewsWire and others).",
    subscribe: "Subscribe",
    copy: "Copy",
    copied: "Copied",
    latest: "Latest",
    items: "{n} items",
    all_items: "All {n} items",
    updated: "Updated",
    family: "By {name}",
    also_in: "Also in",
    archive: "Older items (archive)",
    all_feeds: "All feeds",
    this_is_a_feed: "This is a feed. A browser shows its items; a feed reader gets the feed itself at the same address.",
    opml: "All feeds (OPML, to import into a reader)",
    variants: [
        ("zh-Hant", "Traditional Chinese"),
        ("zh-TW", "Traditional Chinese (Taiwan)"),
        ("zh-HK", "Traditional Chinese (Hong Kong)"),
        ("zh-MO", "Traditional Chinese (Macau)"),
    ],
    facets: ["tag", "category", "author", "section", "language"],
};

/// The words for a site in `language` (a BCP 47 tag): Traditional for
/// `zh-TW`, `zh-HK`, `zh-MO` and `zh-Hant`, Simplified for other Chinese,
/// English otherwise.
pub fn for_language(language: &str) -> &'static Messages {
    let tag = language.to_ascii_lowercase();
    if !(tag == "zh" || tag.starts_with("zh-")) {
        return &ENGLISH;
    }
    let traditional = ["zh-tw", "zh-hk", "zh-mo", "zh-hant"]
        .iter()
        .any(|t| tag.starts_with(t));
    if traditional {
        &TRADITIONAL
    } else {
        &SIMPLIFIED
    }
}
