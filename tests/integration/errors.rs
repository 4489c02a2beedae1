//! Each kind of bad input gets one exact `path:line: message`, from `check`
//! and from `build`, and never costs any other article its place in the feeds.
//! The messages are asserted in English (`check --language en`; `build`
//! speaks English, as the log does): `languages.rs` shows them in Chinese.

use crate::harness::Site;

/// A site with one good article, plus whatever the test adds.
fn site_with_good_article() -> Site {
    let site = Site::new();
    site.article("good.md", "title: 好文章\ndate: 2024-06-28", "正文。\n");
    site
}

/// `check` reports exactly `expected` and fails; `build` reports it too, fails,
/// and still publishes every other article.
fn assert_reported(site: &Site, expected: &str) {
    let check = site.run(&["check", "--language", "en"]);
    assert_eq!(check.code, 1, "{check:#?}");
    let lines: Vec<&str> = check.stdout.lines().collect();
    assert_eq!(lines[..lines.len() - 1], [expected], "{check:#?}");
    assert!(
        lines[lines.len() - 1].ends_with(", 1 error, 0 warnings"),
        "{check:#?}"
    );

    let build = site.build();
    assert_eq!(build.code, 1, "{build:#?}");
    assert_eq!(build.stderr.trim_end(), expected);
    assert_eq!(
        site.titles("all"),
        ["好文章"],
        "the good article is still published"
    );
}

#[test]
fn broken_yaml() {
    let site = site_with_good_article();
    site.write(
        "content/bad.md",
        "---\ntitle: 坏\ndate: 2024-06-28\ntags: [经济, 民生\n---\n正文\n",
    );
    assert_reported(
        &site,
        "content/bad.md:4: YAML front matter: `tags`: the list opened with `[` is never closed; end it with `]`, as in `tags: [a, b]`",
    );
}

/// Regression: YAML's own words ("mapping values are not allowed in this
/// context") for a colon in a title, common in Chinese headlines.
#[test]
fn unquoted_colon_in_a_value() {
    let site = site_with_good_article();
    site.write(
        "content/bad.md",
        "---\ndate: 2024-06-28\ntitle: 座谈会: 会议\n---\n正文\n",
    );
    assert_reported(
        &site,
        "content/bad.md:3: YAML front matter: `title`: a value containing ': ' must be quoted, as in `title: \"座谈会: 会议\"`",
    );
}

#[test]
fn unknown_keys_near_known_ones_get_a_suggestion() {
    let site = site_with_good_article();
    site.article(
        "typo.md",
        "title: 标题\ndate: 2024-06-27\ntgas: [经济]\nweight: 3",
        "",
    );
    let check = site.run(&["check", "--language", "en"]);
    assert_eq!(check.code, 0, "{check:#?}");
    assert_eq!(
        check.stdout,
        "content/typo.md:4: warning: unknown front matter key `tgas` is ignored; did you mean 'tags'?\n\
         content/typo.md:5: warning: unknown front matter key `weight` is ignored\n\
         2 articles, 1 feed, 0 drafts, 0 scheduled, 0 errors, 2 warnings\n"
    );
}

/// A typo in the year of `updated` would date every feed that shows the
/// article years ahead.
#[test]
fn an_update_far_in_the_future_is_a_warning() {
    let site = site_with_good_article();
    site.article(
        "typo.md",
        "title: 标题\ndate: 2024-06-27\nupdated: 2034-06-28",
        "",
    );
    let expected = "content/typo.md:4: warning: `updated` is 2034-06-27T16:00:00Z, more than a day from now; feeds that show the article are dated then (check the year)";
    let check = site.run(&["check", "--language", "en"]);
    assert_eq!(check.code, 0, "{check:#?}");
    assert_eq!(check.stdout.lines().next(), Some(expected));
    let build = site.build_ok();
    assert_eq!(build.stderr.trim_end(), expected);
}

#[test]
fn jekyll_dates_are_read() {
    let site = Site::new();
    site.article("j.md", "title: Jekyll\ndate: 2024-06-28 09:00:00 +0800", "");
    site.build_ok();
    let entry = &site.feed("all.atom").entries[0];
    assert_eq!(
        entry.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-06-28T01:00:00+00:00")
    );
    assert_eq!(entry.id, "tag:news.example,2024-06-28:j");
}

#[test]
fn broken_toml() {
    let site = site_with_good_article();
    site.write(
        "content/bad.md",
        "+++\ntitle = \"坏\ndate = 2024-06-28\n+++\n正文\n",
    );
    assert_reported(
        &site,
        "content/bad.md:2: TOML front matter: invalid basic string, expected `\"`",
    );
}

#[test]
fn unclosed_front_matter() {
    let site = site_with_good_article();
    site.write("content/bad.md", "---\ntitle: 坏\ndate: 2024-06-28\n正文\n");
    assert_reported(
        &site,
        "content/bad.md:1: the front matter opened with `---` is never closed (end it with a `---` line)",
    );
}

#[test]
fn no_front_matter_and_no_heading() {
    let site = site_with_good_article();
    site.write("content/2024-06-28-bad.md", "只有正文，没有标题。\n");
    assert_reported(
        &site,
        "content/2024-06-28-bad.md:1: no title: set `title` in the front matter or start the text with a `# heading`",
    );
}

#[test]
fn no_date() {
    let site = site_with_good_article();
    site.write("content/bad.md", "# 有标题\n\n没有日期。\n");
    assert_reported(
        &site,
        "content/bad.md:1: no date: set `date` in the front matter (for example 2024-06-28 or 2024-06-28T09:00:00+08:00) or start the file name with one",
    );
}

#[test]
fn bad_date() {
    let site = site_with_good_article();
    site.article("2024/fire.md", "title: 坏日期\ndate: June 28", "正文");
    assert_reported(
        &site,
        "content/2024/fire.md:3: `date`: \"June 28\" is not a date (use 2024-06-28 or 2024-06-28T09:00:00+08:00)",
    );
}

#[test]
fn invalid_utf8() {
    let site = site_with_good_article();
    // GBK-encoded text, a common accident with Chinese files.
    let mut bytes = b"---\ntitle: ok\ndate: 2024-06-28\n---\n".to_vec();
    bytes.extend_from_slice(&[0xd5, 0xfd, 0xce, 0xc4, b'\n']);
    site.write("content/gbk.md", bytes);
    assert_reported(
        &site,
        "content/gbk.md:5: not valid UTF-8 (invalid byte 0xD5 at byte offset 35); save the file as UTF-8",
    );
}

#[test]
fn control_characters_are_removed_with_a_warning() {
    let site = site_with_good_article();
    site.article(
        "ctl.md",
        "title: \"标\\x07题\"\ndate: 2024-06-27",
        "正\u{1}文\u{8}。\n",
    );
    let check = site.run(&["check", "--language", "en"]);
    assert_eq!(check.code, 0, "a warning is not an error: {check:#?}");
    assert_eq!(
        check.stdout,
        "content/ctl.md:5: warning: removed 2 characters that XML 1.0 does not allow (the first is U+0001)\n\
         content/ctl.md:2: warning: removed characters that XML 1.0 does not allow or discourages from `title`\n\
         2 articles, 1 feed, 0 drafts, 0 scheduled, 0 errors, 2 warnings\n"
    );
    site.build_ok();
    assert_eq!(site.titles("all"), ["好文章", "标题"]);
    let body = site.feed("all.atom").entries[1]
        .content
        .as_ref()
        .and_then(|c| c.body.clone());
    assert_eq!(body.as_deref().map(str::trim), Some("<p>正文。</p>"));
}

#[test]
fn yaml_alias_bomb() {
    let site = site_with_good_article();
    let mut front = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g"])
    {
        front.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 10].join(", ")
        ));
    }
    site.article(
        "bomb.md",
        &format!("title: 炸弹\ndate: 2024-06-28\n{front}"),
        "",
    );
    let check = site.run(&["check", "--language", "en"]);
    assert_eq!(check.code, 1);
    assert!(
        check.stdout.starts_with(
            "content/bomb.md:5: YAML front matter: aliases (`*name`) are not supported; write the value out\n"
        ),
        "{check:#?}"
    );
}

#[test]
fn duplicate_ids_keep_the_first_and_name_both_files() {
    let site = site_with_good_article();
    // Both stand for `a/fire`: the same default id.
    site.article("a/fire.md", "title: 甲\ndate: 2024-06-27", "");
    site.article("a/fire/index.md", "title: 乙\ndate: 2024-06-27", "");
    let check = site.run(&["check", "--language", "en"]);
    assert_eq!(check.code, 1);
    assert_eq!(
        check.stdout.lines().next(),
        Some(
            "content/a/fire/index.md: id \"tag:news.example,2024-06-27:a/fire\" is already used by content/a/fire.md; set a different `id` in one of them, or rename one"
        )
    );
    assert_eq!(site.build().code, 1);
    assert_eq!(site.titles("all"), ["好文章", "甲"]);
}

#[test]
fn unknown_config_key() {
    let site = site_with_good_article();
    site.write(
        "syndicated.toml",
        format!("{}timezon = \"Asia/Shanghai\"\n", crate::harness::CONFIG),
    );
    let check = site.run(&["check", "--language", "en"]);
    assert_eq!(check.code, 1);
    assert_eq!(check.stdout, "");
    assert!(
        check
            .stderr
            .starts_with("error: syndicated.toml:7: unknown field `timezon`, expected one of"),
        "{check:#?}"
    );
    let build = site.build();
    assert_eq!(build.code, 1);
    assert!(
        !site.out("all.rss").exists(),
        "nothing is built from a config that does not load"
    );
}

#[test]
fn feed_file_with_a_bad_filter() {
    let site = site_with_good_article();
    site.write(
        "feeds/economy.toml",
        "title = \"经济\"\n\n[filter]\ncategory = [\"经济\"]\n",
    );
    let check = site.run(&["check", "--language", "en"]);
    assert_eq!(check.code, 1);
    assert!(
        check.stdout.starts_with("feeds/economy.toml:4: unknown field `category`, expected one of `categories`, `tags`, `tags_all`, `authors`, `authors_all`, `languages`, `path`\n"),
        "{check:#?}"
    );
    assert_eq!(site.build().code, 1);
    assert!(!site.out("economy.rss").exists());
    assert_eq!(
        site.titles("all"),
        ["好文章"],
        "the other feeds are still built"
    );
}

/// `build` reads bodies only for the articles a feed shows: a body that cannot
/// be read costs that article its place, which the next article takes.
#[test]
fn a_broken_body_gives_its_place_in_the_feed_to_the_next_article() {
    let site = site_with_good_article();
    site.write("feeds/all.toml", "title = \"All\"\nlimit = 1\n");
    let mut bytes = b"---\ntitle: newest\ndate: 2024-06-29\n---\n".to_vec();
    bytes.extend_from_slice(&[b'x'; 5000]);
    bytes.extend_from_slice(&[0xff, b'\n']);
    site.write("content/newest.md", bytes);
    let build = site.build();
    assert_eq!(build.code, 1, "{build:#?}");
    assert_eq!(
        build.stderr,
        "content/newest.md:5: not valid UTF-8 (invalid byte 0xFF at byte offset 5039); save the file as UTF-8\n"
    );
    assert_eq!(site.titles("all"), ["好文章"]);
}

/// A body no feed shows is not read by `build`; `check` reads every byte.
#[test]
fn check_reads_every_body() {
    let site = site_with_good_article();
    site.write("feeds/all.toml", "title = \"All\"\nlimit = 1\n");
    let mut bytes = b"---\ntitle: old\ndate: 2020-01-01\n---\n".to_vec();
    bytes.extend_from_slice(&[b'x'; 5000]);
    bytes.extend_from_slice(&[0xff, b'\n']);
    site.write("content/old.md", bytes);
    assert_eq!(site.build().code, 0);
    assert_eq!(site.titles("all"), ["好文章"]);
    let check = site.run(&["check", "--language", "en"]);
    assert_eq!(check.code, 1);
    assert_eq!(
        check.stdout.lines().next(),
        Some(
            "content/old.md:5: not valid UTF-8 (invalid byte 0xFF at byte offset 5036); save the file as UTF-8"
        )
    );
}

/// A feed named `index` or `404` would have the page of the site's own
/// (`/index.html`, the subscribe page; `/404.html`, the page of missing
/// feeds): refused, naming the file, and the other feeds published.
#[test]
fn a_feed_named_after_a_page_of_the_site() {
    for name in ["index", "404"] {
        let site = site_with_good_article();
        site.write(&format!("feeds/{name}.toml"), "title = \"X\"\n");
        assert_reported(
            &site,
            &format!(
                "feeds/{name}.toml: a feed cannot be named {name}: its page, /{name}.html, is the site's own (the subscribe page, or the page of missing feeds); rename the file"
            ),
        );
    }
}
