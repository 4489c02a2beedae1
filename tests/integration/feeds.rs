use std::fs;

use crate::harness::{Site, run_in};

const SAMPLE_TITLES: [&str; 8] = [
    // The podcast's two episodes, 6 and 5 July.
    "夏季消防安全提示 · 第2期",
    "运河早安 · 第1期",
    // 4 July, date only: the three ties are ordered by id.
    "开拓共富新局面 描绘运河幸福景",
    "主动联系主动对接 共同为基层文化振兴服务 拱墅区首批文化特派员工作座谈会召开",
    "打造具有影响力的科技创新国际合作平台 德国石荷州代表团走进拱墅",
    "扬长补短提质增效 确保时间任务“双过半” 区政府召开区长碰头会",
    "「大运河学堂」(数字讲坛)暨区委理论学习中心组(扩大)学习会召开",
    "杭州市拱墅区消防救援局正式挂牌",
];

#[test]
fn sample_site_publishes_every_article_newest_first_in_all_formats() {
    let site = Site::sample();
    site.build_ok();
    assert_eq!(site.titles("all"), SAMPLE_TITLES);
    assert!(
        site.read("out/all.rss")
            .contains("<language>zh-CN</language>")
    );
    assert!(site.read("out/all.atom").contains("xml:lang=\"zh-CN\""));
    assert!(
        site.read("out/all.json")
            .contains("\"language\": \"zh-CN\"")
    );
    for ext in ["rss", "atom", "json"] {
        let feed = site.feed(&format!("all.{ext}"));
        // feed-rs lowercases some; the raw documents are checked above.
        let language = feed.language.as_deref().unwrap_or_default();
        assert!(language.eq_ignore_ascii_case("zh-CN"), "{ext}: {language}");
        assert_eq!(feed.entries.len(), 8, "{ext}");
        let fire = &feed.entries[7];
        assert_eq!(
            fire.id,
            "tag:news.gongshu.example,2024-06-28:2024/06/gongshu-fire-rescue-bureau"
        );
        let names: Vec<&str> = fire
            .authors
            .iter()
            .filter_map(|p| p.name.as_deref())
            .collect();
        // RSS names every author in one dc:creator, which readers show whole.
        let expected: &[&str] = if ext == "rss" {
            &["林楠, 黄朝文"]
        } else {
            &["林楠", "黄朝文"]
        };
        assert_eq!(names, expected, "{ext}");
        let terms: Vec<&str> = fire.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(terms, ["时政", "消防", "应急管理"], "{ext}");
        assert_eq!(
            fire.links[0].href,
            "https://news.gongshu.example/2024/06/gongshu-fire-rescue-bureau/"
        );
        let content = fire
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .unwrap_or_default();
        assert!(
            content.starts_with("<p>本报讯(记者 林楠 通讯员 黄朝文)6月28日上午"),
            "{ext}: {content}"
        );
        // A paragraph the page layout broke is one paragraph again.
        assert!(
            content.contains("深入践行习近平总书记授旗致训词精神"),
            "{ext}"
        );
    }
}

#[test]
fn dates_carry_the_site_offset() {
    let site = Site::sample();
    site.build_ok();
    // 28 June, 09:00 in Shanghai is 01:00 UTC.
    for ext in ["rss", "atom", "json"] {
        let feed = site.feed(&format!("all.{ext}"));
        let fire = &feed.entries[7];
        assert_eq!(
            fire.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-06-28T01:00:00+00:00"),
            "{ext}"
        );
        // A date without a time is midnight in Shanghai.
        assert_eq!(
            feed.entries[2].published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-07-03T16:00:00+00:00"),
            "{ext}"
        );
    }
    assert!(
        site.read("out/all.rss")
            .contains("<pubDate>Fri, 28 Jun 2024 09:00:00 +0800</pubDate>")
    );
    assert!(
        site.read("out/all.atom")
            .contains("<published>2024-06-28T09:00:00+08:00</published>")
    );
    assert!(
        site.read("out/all.json")
            .contains("\"date_published\": \"2024-06-28T09:00:00+08:00\"")
    );
    // Feed-level dates come from the newest item, never from the clock.
    assert!(
        site.read("out/all.atom")
            .contains("<updated>2024-07-06T07:00:00+08:00</updated>\n  <author>")
    );
    assert!(
        site.read("out/all.rss")
            .contains("<lastBuildDate>Sat, 6 Jul 2024 07:00:00 +0800</lastBuildDate>")
    );
}

#[test]
fn ids_survive_an_edit_of_the_body_and_title() {
    let site = Site::new();
    site.article("2024/a.md", "title: 第一版\ndate: 2024-06-28", "正文。\n");
    site.build_ok();
    let before = site.feed("all.atom").entries[0].id.clone();
    site.article(
        "2024/a.md",
        "title: 第二版\ndate: 2024-06-28",
        "完全不同的正文。\n",
    );
    site.build_ok();
    let after = site.feed("all.atom");
    assert_eq!(
        after.entries[0].title.as_ref().map(|t| t.content.as_str()),
        Some("第二版")
    );
    assert_eq!(after.entries[0].id, before);
    assert_eq!(before, "tag:news.example,2024-06-28:2024/a");
}

#[test]
fn every_link_is_absolute_and_percent_encoded() {
    let site = Site::new();
    site.article(
        "2024/06/新闻 一.md",
        "title: 链接\ndate: 2024-06-28",
        "[上一篇](../../05/old/) ![图](图片/photo.jpg)\n\n<a href=\"/about\">关于</a> <img src='x.png'>\n",
    );
    site.build_ok();
    for ext in ["rss", "atom", "json"] {
        let entry = &site.feed(&format!("all.{ext}")).entries[0];
        let link = "https://news.example/2024/06/%E6%96%B0%E9%97%BB%20%E4%B8%80/";
        assert_eq!(entry.links[0].href, link, "{ext}");
        let html = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_default();
        assert!(
            html.contains("href=\"https://news.example/2024/05/old/\""),
            "{ext}: {html}"
        );
        assert!(
            html.contains(&format!("src=\"{link}%E5%9B%BE%E7%89%87/photo.jpg\"")),
            "{ext}: {html}"
        );
        assert!(
            html.contains("href=\"https://news.example/about\""),
            "{ext}: {html}"
        );
        assert!(
            html.contains(&format!("src=\"{link}x.png\"")),
            "{ext}: {html}"
        );
    }
}

#[test]
fn drafts_and_future_articles_are_not_published() {
    let site = Site::new();
    site.article("now.md", "title: 已发布\ndate: 2024-06-28", "正文。");
    site.article(
        "draft.md",
        "title: 草稿\ndate: 2024-06-28\ndraft: true",
        "正文。",
    );
    site.article(
        "future.md",
        "title: 未来\ndate: 2999-01-01T09:00:00+08:00",
        "正文。",
    );
    let run = site.build_ok();
    assert_eq!(site.titles("all"), ["已发布"]);
    assert!(
        run.stdout
            .contains("(1 article, 1 feed, 1 draft, 1 scheduled, 0 errors, 0 warnings)"),
        "{}",
        run.stdout
    );
}

#[test]
fn filters_limits_and_summary_feeds() {
    let site = Site::sample();
    site.build_ok();
    assert_eq!(
        site.titles("politics"),
        [SAMPLE_TITLES[6], SAMPLE_TITLES[7]],
        "category 时政"
    );
    assert_eq!(
        site.titles("economy"),
        [SAMPLE_TITLES[2], SAMPLE_TITLES[5]],
        "category 经济"
    );
    assert_eq!(
        site.titles("innovation"),
        [SAMPLE_TITLES[4], SAMPLE_TITLES[6]],
        "tag 科技创新"
    );
    // A summary feed carries no full text, only the summary.
    let innovation = site.feed("innovation.atom");
    assert!(innovation.entries.iter().all(|e| e.content.is_none()));
    let summary = innovation.entries[0]
        .summary
        .as_ref()
        .map(|s| s.content.clone())
        .unwrap_or_default();
    assert!(
        summary.starts_with("本报讯(通讯员 周欢欢)7月4日"),
        "{summary}"
    );
    assert!(
        summary.ends_with('。'),
        "a summary ends at a sentence end when one is in range: {summary}"
    );
    assert!(summary.chars().count() <= 120, "{summary}");

    site.write(
        "feeds/latest.toml",
        "title = \"Latest\"\nlimit = 2\n[filter]\npath = \"2024/07\"\n",
    );
    site.build_ok();
    assert_eq!(site.titles("latest"), [SAMPLE_TITLES[2], SAMPLE_TITLES[3]]);
}

#[test]
fn fallbacks_title_from_heading_date_from_file_name() {
    let site = Site::new();
    site.write(
        "content/2024-06-28-fire.md",
        "# 消防局挂牌\n\n正文第一句。\n",
    );
    site.write(
        "content/toml.md",
        "+++\ntitle = \"TOML 文章\"\ndate = 2024-06-27T10:00:00+08:00\n+++\n正文。\n",
    );
    site.build_ok();
    assert_eq!(site.titles("all"), ["消防局挂牌", "TOML 文章"]);
    let entry = &site.feed("all.atom").entries[0];
    assert_eq!(entry.id, "tag:news.example,2024-06-28:fire");
    let html = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap_or_default();
    assert_eq!(
        html.trim(),
        "<p>正文第一句。</p>",
        "the heading became the title"
    );
}

#[test]
fn two_builds_in_two_folders_are_byte_identical() {
    let (a, b) = (Site::sample(), Site::sample());
    a.build_ok();
    // In another second (and more): a clock that leaked into the output
    // would show.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    b.build_ok();
    let files = |site: &Site| crate::harness::files_under(&site.path().join("out"));
    assert_eq!(files(&a), files(&b));
    let documents = files(&a)
        .into_iter()
        .filter(|n| !n.starts_with('.') && !n.ends_with(".gz") && !n.ends_with(".br"))
        .filter(|n| n != "_redirects")
        .count();
    // Five feeds, all's zh-TW variant and 13 tags, three formats and a
    // page each, the index page, the OPML list, the page of missing feeds,
    // the pages' stylesheet and script, the site's icon and logo.
    assert_eq!(documents, (5 + 1 + 13) * 4 + 7);
    for name in files(&a) {
        assert_eq!(
            fs::read(a.out(&name)).expect("a"),
            fs::read(b.out(&name)).expect("b"),
            "{name} differs between two builds"
        );
    }
}

#[test]
fn config_paths_are_relative_to_the_config_file() {
    let site = Site::sample();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let config = site.path().join("syndicated.toml");
    let run = run_in(
        elsewhere.path(),
        &["--config", config.to_str().expect("utf-8"), "build"],
    );
    assert_eq!(run.code, 0, "{run:#?}");
    // With no --out, the build goes to `public` beside the config file.
    assert!(site.path().join("public/all.rss").is_file());
    assert!(
        fs::read_dir(elsewhere.path())
            .expect("dir")
            .next()
            .is_none(),
        "nothing written to the cwd"
    );
}

#[test]
fn output_is_written_without_leftover_temporary_files() {
    let site = Site::sample();
    site.build_ok();
    site.build_ok();
    let leftovers: Vec<String> = fs::read_dir(site.path().join("out"))
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with('.') && n != ".syndicated-mirror" && n != ".syndicated-answers.nginx"
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
