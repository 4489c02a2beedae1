//! Messages in the editor's language: `check` and `/healthz` follow the
//! site's language, `--language` or the locale override it, and the log
//! stays English for operators.

use std::process::Command;

use crate::harness::{Run, Site, run_with_env};

/// A zh-CN site with an article whose front matter is never closed, one
/// with a date no one can read, and one with an unknown key (a warning).
fn site_with_mistakes() -> Site {
    let site = Site::new();
    site.write("content/a.md", "---\ntitle: 甲\ndate: 2024-06-28\n正文。\n");
    site.write(
        "content/b.md",
        "---\ntitle: 乙\ndate: 2024年6月28日上午\n---\n正文。\n",
    );
    site.write(
        "content/c.md",
        "---\ntitle: 丙\ndate: 2024-06-28\ntgas: [经济]\n---\n正文。\n",
    );
    site
}

/// `check` with `args` and the environment `env`.
fn check(site: &Site, args: &[&str], env: &[(&str, &str)]) -> Run {
    let args: Vec<&str> = ["check"].into_iter().chain(args.iter().copied()).collect();
    run_with_env(&[], site.path(), &args, env)
}

const SIMPLIFIED: [&str; 3] = [
    "content/a.md:1: 以 `---` 开头的前置元数据没有结束（用单独一行 `---` 结束它）",
    "content/b.md:3: `date`：“2024年6月28日上午”不是日期（请写成 2024-06-28 或 2024-06-28T09:00:00+08:00）",
    "content/c.md:4: 警告：未知的前置元数据键 `tgas` 已被忽略；你是不是想写“tags”？",
];

const ENGLISH: [&str; 3] = [
    "content/a.md:1: the front matter opened with `---` is never closed (end it with a `---` line)",
    "content/b.md:3: `date`: \"2024年6月28日上午\" is not a date (use 2024-06-28 or 2024-06-28T09:00:00+08:00)",
    "content/c.md:4: warning: unknown front matter key `tgas` is ignored; did you mean 'tags'?",
];

fn lines(run: &Run) -> Vec<&str> {
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(run.code, 1, "{run:#?}");
    lines[..lines.len() - 1].to_vec()
}

#[test]
fn check_speaks_the_sites_language_unless_told_otherwise() {
    let site = site_with_mistakes();
    // No locale, or one that names no language: the site's.
    assert_eq!(lines(&check(&site, &[], &[])), SIMPLIFIED);
    assert_eq!(
        lines(&check(&site, &[], &[("LANG", "C.UTF-8")])),
        SIMPLIFIED
    );
    // The editor's locale, then `--language`, win over the site's.
    assert_eq!(
        lines(&check(&site, &[], &[("LANG", "en_US.UTF-8")])),
        ENGLISH
    );
    let traditional = check(&site, &["--language", "zh-TW"], &[("LANG", "en_US.UTF-8")]);
    assert!(
        lines(&traditional)[0].contains("以 `---` 開頭的前置資料沒有結束"),
        "{traditional:#?}"
    );
    // A language the catalogue does not have is refused, naming those it has.
    let refused = check(&site, &["--language", "fr"], &[]);
    assert_eq!(refused.code, 2, "{refused:#?}");
    assert!(
        refused
            .stderr
            .contains("[possible values: en, zh-CN, zh-TW]"),
        "{refused:#?}"
    );
    // Shells complete `--language` with those, not with file names.
    let completions = run_with_env(&[], site.path(), &["completions", "bash"], &[]);
    assert!(
        completions
            .stdout
            .contains("COMPREPLY=($(compgen -W \"en zh-CN zh-TW\" -- \"${cur}\"))"),
        "{}",
        completions.stdout
    );
}

#[test]
fn healthz_speaks_the_sites_language_and_the_log_english() {
    let site = site_with_mistakes();
    let server = site.serve(&[]);
    let health = server.wait_for("/healthz", |r| r.text().contains("\"content_errors\": 2"));
    assert!(
        health.text().contains("以 `---` 开头的前置元数据没有结束"),
        "{}",
        health.text()
    );
    crate::harness::eventually("the log says it in English", || {
        server
            .log()
            .iter()
            .any(|l| l.contains(ENGLISH[0].split_once(": ").map_or("", |(_, m)| m)))
    });
    drop(server);
    // `serve --language` names the editors' language.
    let server = site.serve(&["--language", "en"]);
    let health = server.wait_for("/healthz", |r| r.text().contains("\"content_errors\": 2"));
    assert!(
        health.text().contains("is never closed"),
        "{}",
        health.text()
    );
}

#[test]
fn a_config_that_cannot_load_is_said_in_the_editors_locale() {
    let site = site_with_mistakes();
    let config = site.read("syndicated.toml");
    site.write(
        "syndicated.toml",
        config.replace("Asia/Shanghai", "Asia/Nowhere"),
    );
    // The site's language is not known: the locale's is used.
    let run = check(&site, &[], &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr
            .contains("syndicated.toml:5: `site.timezone`：未知时区“Asia/Nowhere”"),
        "{run:#?}"
    );
    let run = check(&site, &[], &[]);
    assert!(
        run.stderr
            .contains("`site.timezone`: unknown time zone \"Asia/Nowhere\""),
        "{run:#?}"
    );
}

#[test]
fn init_says_what_it_wrote_in_the_sites_language() {
    let dir = tempfile::tempdir().expect("a folder");
    let output = Command::new(env!("CARGO_BIN_EXE_syndicated"))
        .args(["init", "--language", "zh-TW"])
        .arg(dir.path())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "en_US.UTF-8")
        .output()
        .expect("run init");
    let said = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(output.status.success(), "{said}");
    assert!(said.contains("已寫入 "), "{said}");
    assert!(said.contains("執行：syndicated --config "), "{said}");
    // Again there: refused, saying why in the same language.
    let again = Command::new(env!("CARGO_BIN_EXE_syndicated"))
        .args(["init", "--language", "zh-TW"])
        .arg(dir.path())
        .output()
        .expect("run init");
    let said = String::from_utf8(again.stderr).expect("UTF-8");
    assert!(!again.status.success(), "{said}");
    assert!(
        said.contains("已經存在；`init` 只在沒有網站的地方寫新網站"),
        "{said}"
    );
}

/// Dates as Chinese editors type them publish at the moment they name, in
/// the site's zone (Asia/Shanghai), in every format.
#[test]
fn dates_as_chinese_editors_write_them_are_published() {
    let site = Site::new();
    site.article("a.md", "title: 甲\ndate: 2024年6月28日 09:00", "正文。\n");
    site.article("b.md", "title: 乙\ndate: 2024/6/27", "正文。\n");
    site.article("c.md", "title: 丙\ndate: 6月26日", "正文。\n");
    let build = site.build();
    assert_eq!(build.code, 1, "the date without a year: {build:#?}");
    assert!(
        build
            .stderr
            .contains("content/c.md:3: `date`: \"6月26日\" has no year"),
        "{build:#?}"
    );
    for (file, published) in [
        (
            "all.atom",
            "<published>2024-06-28T09:00:00+08:00</published>",
        ),
        (
            "all.json",
            "\"date_published\": \"2024-06-28T09:00:00+08:00\"",
        ),
        (
            "all.rss",
            "<pubDate>Fri, 28 Jun 2024 09:00:00 +0800</pubDate>",
        ),
    ] {
        let text = site.read(&format!("out/{file}"));
        assert!(text.contains(published), "{file}: {text}");
    }
    let feed = site.feed("all.atom");
    let dates: Vec<String> = feed
        .entries
        .iter()
        .filter_map(|e| e.published.map(|d| d.to_rfc3339()))
        .collect();
    assert_eq!(
        dates,
        ["2024-06-28T01:00:00+00:00", "2024-06-26T16:00:00+00:00"]
    );
}
