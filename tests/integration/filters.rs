//! Feed filters as editors ask for them: every value (`tags_all`),
//! exclusions (`[exclude]`), languages, and an article's own opt-out
//! (`feeds: false`, `exclude_from`), read back from every format.

use crate::harness::Site;

/// Four articles: economy and Grand Canal, economy only, a notice about the
/// Grand Canal, and an English one.
fn site() -> Site {
    let site = Site::new();
    site.article(
        "a.md",
        "title: 甲\ndate: 2024-07-04\ncategory: 经济\ntags: [经济, 大运河]",
        "正文。",
    );
    site.article(
        "b.md",
        "title: 乙\ndate: 2024-07-03\ncategory: 经济\ntags: [经济]",
        "正文。",
    );
    site.article(
        "c.md",
        "title: 丙\ndate: 2024-07-02\ncategory: 通知\ntags: [大运河]",
        "正文。",
    );
    site.article(
        "en/d.md",
        "title: D\ndate: 2024-07-01\ncategory: 经济\nlang: en\ntags: [经济]",
        "Text.",
    );
    site
}

#[test]
fn every_value_of_tags_all_must_match() {
    let site = site();
    site.write(
        "feeds/canal-economy.toml",
        "title = \"运河经济\"\n[filter]\ntags_all = [\"经济\", \"大运河\"]\n",
    );
    site.build_ok();
    assert_eq!(site.titles("canal-economy"), ["甲"]);
}

#[test]
fn exclude_leaves_out_what_any_of_its_keys_meets() {
    let site = site();
    site.write(
        "feeds/no-notices.toml",
        "title = \"除通知外\"\n[exclude]\ncategories = [\"通知\"]\nlanguages = [\"EN\"]\n",
    );
    site.write(
        "feeds/canal.toml",
        "title = \"运河\"\n[filter]\ntags = [\"大运河\"]\n[exclude]\ncategories = [\"通知\"]\n",
    );
    site.build_ok();
    assert_eq!(
        site.titles("no-notices"),
        ["甲", "乙"],
        "no notice, no English"
    );
    assert_eq!(site.titles("canal"), ["甲"]);
}

#[test]
fn languages_are_the_articles_or_the_sites() {
    let site = site();
    site.write(
        "feeds/english.toml",
        "title = \"English\"\n[filter]\nlanguages = [\"en\"]\n",
    );
    site.write(
        "feeds/chinese.toml",
        "title = \"中文\"\n[filter]\nlanguages = [\"zh-cn\"]\n",
    );
    site.build_ok();
    assert_eq!(site.titles("english"), ["D"]);
    assert_eq!(
        site.titles("chinese"),
        ["甲", "乙", "丙"],
        "the site's zh-CN"
    );
}

#[test]
fn an_article_opts_out_of_every_feed_or_of_some() {
    let site = site();
    site.write(
        "feeds/economy.toml",
        "title = \"经济\"\n[filter]\ncategories = [\"经济\"]\n",
    );
    site.article(
        "a.md",
        "title: 甲\ndate: 2024-07-04\ncategory: 经济\nfeeds: false",
        "正文。",
    );
    site.article(
        "b.md",
        "title: 乙\ndate: 2024-07-03\ncategory: 经济\nexclude_from: [all]",
        "正文。",
    );
    let run = site.build_ok();
    assert_eq!(site.titles("all"), ["丙", "D"]);
    assert_eq!(site.titles("economy"), ["乙", "D"]);
    assert!(!run.stderr.contains("exclude_from"), "{}", run.stderr);

    // A name no feed has is a warning on its line: the article stays in.
    site.article(
        "b.md",
        "title: 乙\ndate: 2024-07-03\ncategory: 经济\nexclude_from: [alll]",
        "正文。",
    );
    let run = site.build_ok();
    assert!(
        run.stderr.contains(
            "content/b.md:5: warning: `exclude_from` names \"alll\", which is no feed (the feeds are all, economy)"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(site.titles("all"), ["乙", "丙", "D"]);
}

#[test]
fn a_filter_that_can_never_match_is_an_error_on_its_line() {
    let site = site();
    for (text, line, message) in [
        (
            "title = \"x\"\n[filter]\ntags = [\"经济\"]\n[exclude]\ntags = [\"经济\"]\n",
            5,
            "`exclude.tags` leaves out every one of `filter.tags`, so the feed can never show anything; remove one of the two",
        ),
        (
            "title = \"x\"\n[filter]\ntags_all = [\"经济\", \"大运河\"]\n[exclude]\ntags = [\"大运河\"]\n",
            5,
            "`exclude.tags` leaves out \"大运河\", which `filter.tags_all` requires, so the feed can never show anything; remove one of the two",
        ),
        (
            "title = \"x\"\n[filter]\npath = \"2024/07\"\n[exclude]\npath = \"2024\"\n",
            5,
            "`exclude.path` leaves out \"2024\", which holds `filter.path`, so the feed can never show anything; remove one of the two",
        ),
        (
            "title = \"x\"\n[filter]\ntag = [\"经济\"]\n",
            3,
            "unknown field `tag`",
        ),
    ] {
        site.check_fails_with(
            "feeds/x.toml",
            text,
            &format!("feeds/x.toml:{line}: {message}"),
        );
    }
}
