//! Edit to served: every way editors and tools change files, each polled
//! until the change shows (bounded) and then checked exactly. Also the
//! daemon's promises: nothing lost on a bad edit, scheduled articles on time,
//! reloads, and a clean stop.

use std::fs;

use crate::harness::{Reply, Server, Site};

fn titles(reply: &Reply) -> Vec<String> {
    feed_rs::parser::parse(reply.body.as_slice())
        .map(|feed| {
            feed.entries
                .iter()
                .map(|e| {
                    e.title
                        .as_ref()
                        .map(|t| t.content.clone())
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn article(title: &str, date: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n---\n{body}\n")
}

/// A site with one article, `a.md`, being served.
fn serving() -> (Site, Server) {
    let site = Site::new();
    site.write("content/a.md", article("甲", "2024-06-01", "第一版。"));
    let server = site.serve(&[]);
    assert_eq!(titles(&server.get("/all.atom")), ["甲"]);
    (site, server)
}

/// Waits until the feed's titles are `expected`.
fn wait_titles(server: &Server, expected: &[&str]) -> Reply {
    server.wait_for("/all.atom", |r| titles(r) == expected)
}

#[test]
fn created_edited_and_deleted_files() {
    let (site, server) = serving();
    site.write("content/b.md", article("乙", "2024-06-02", "新文章。"));
    wait_titles(&server, &["乙", "甲"]);

    site.write(
        "content/a.md",
        article("甲（修订）", "2024-06-01", "第一版。"),
    );
    wait_titles(&server, &["乙", "甲（修订）"]);

    // A body-only edit changes the content, not the id.
    let before = feed_rs::parser::parse(server.get("/all.atom").body.as_slice()).expect("feed");
    site.write(
        "content/a.md",
        article("甲（修订）", "2024-06-01", "第二版正文。"),
    );
    let reply = server.wait_for("/all.atom", |r| r.text().contains("第二版正文"));
    let after = feed_rs::parser::parse(reply.body.as_slice()).expect("feed");
    assert_eq!(before.entries[1].id, after.entries[1].id);

    fs::remove_file(site.path().join("content/b.md")).expect("remove");
    wait_titles(&server, &["甲（修订）"]);
}

#[test]
fn renamed_file_and_write_to_temp_then_rename() {
    let (site, server) = serving();
    fs::rename(
        site.path().join("content/a.md"),
        site.path().join("content/renamed.md"),
    )
    .expect("mv");
    let reply = server.wait_for("/all.json", |r| r.text().contains("/renamed/"));
    assert!(!reply.text().contains("news.example/a/"));

    // Tools that write a temporary file and rename it over the article.
    site.write(
        "content/.renamed.md.tmp",
        article("原子写入", "2024-06-01", "正文。"),
    );
    fs::rename(
        site.path().join("content/.renamed.md.tmp"),
        site.path().join("content/renamed.md"),
    )
    .expect("rename");
    wait_titles(&server, &["原子写入"]);
}

#[test]
fn vim_backup_and_rename_save() {
    let (site, server) = serving();
    let content = site.path().join("content");
    // vim probes the folder, renames the original to a backup, writes the
    // new file, then removes the backup.
    fs::write(content.join("4913"), "").expect("probe");
    fs::remove_file(content.join("4913")).expect("probe gone");
    fs::rename(content.join("a.md"), content.join("a.md~")).expect("backup");
    fs::write(
        content.join("a.md"),
        article("甲（vim）", "2024-06-01", "正文。"),
    )
    .expect("write");
    fs::remove_file(content.join("a.md~")).expect("backup gone");
    wait_titles(&server, &["甲（vim）"]);
    let health = server.get("/healthz").text();
    assert!(health.contains("\"content_errors\": 0"), "{health}");
}

#[test]
fn emacs_lock_and_autosave_files_are_ignored() {
    let (site, server) = serving();
    let content = site.path().join("content");
    std::os::unix::fs::symlink("user@host.1234:1700000000", content.join(".#a.md")).expect("lock");
    fs::write(content.join("#a.md#"), "autosave, not an article").expect("autosave");
    fs::write(
        content.join("a.md"),
        article("甲（emacs）", "2024-06-01", "正文。"),
    )
    .expect("save");
    fs::remove_file(content.join(".#a.md")).expect("unlock");
    wait_titles(&server, &["甲（emacs）"]);
    let health = server.get("/healthz").text();
    assert!(health.contains("\"articles\": 1"), "{health}");
    assert!(health.contains("\"content_errors\": 0"), "{health}");
}

#[test]
fn nested_folders_created_renamed_and_deleted() {
    let (site, server) = serving();
    let content = site.path().join("content");
    // A folder tree appears with files already inside (as `cp -r` or `git
    // checkout` make it): files written before the folder's watch exists.
    let staging = site.path().join("staging");
    fs::create_dir_all(staging.join("2024/07")).expect("mkdir");
    fs::write(
        staging.join("2024/07/c.md"),
        article("丙", "2024-07-01", "正文。"),
    )
    .expect("c");
    fs::write(
        staging.join("2024/d.md"),
        article("丁", "2024-06-15", "正文。"),
    )
    .expect("d");
    fs::rename(&staging, content.join("moved-in")).expect("move in");
    wait_titles(&server, &["丙", "丁", "甲"]);

    fs::create_dir_all(content.join("new/deeper")).expect("mkdir -p");
    fs::write(
        content.join("new/deeper/e.md"),
        article("戊", "2024-07-02", "正文。"),
    )
    .expect("e");
    wait_titles(&server, &["戊", "丙", "丁", "甲"]);

    fs::rename(content.join("moved-in"), content.join("renamed")).expect("rename dir");
    let reply = server.wait_for("/all.json", |r| r.text().contains("/renamed/2024/07/c/"));
    assert_eq!(titles(&reply), ["戊", "丙", "丁", "甲"]);
    assert!(!reply.text().contains("moved-in"));

    fs::remove_dir_all(content.join("renamed")).expect("rm -r");
    wait_titles(&server, &["戊", "甲"]);
}

#[test]
fn a_burst_of_two_thousand_files_ends_exact() {
    let site = Site::new();
    site.write("feeds/all.toml", "title = \"All\"\nlimit = 5\n");
    site.write("content/a.md", article("甲", "2020-01-01", "正文。"));
    let server = site.serve(&[]);
    let content = site.path().join("content/burst");
    fs::create_dir_all(&content).expect("mkdir");
    for i in 0..2000 {
        let date = format!("2024-01-01T00:{:02}:{:02}+08:00", i / 60, i % 60);
        fs::write(
            content.join(format!("{i:04}.md")),
            article(&format!("第{i}篇"), &date, "正文。"),
        )
        .expect("write");
    }
    let health = server.wait_for("/healthz", |r| r.text().contains("\"articles\": 2001"));
    assert!(health.text().contains("\"content_errors\": 0"));
    assert_eq!(
        titles(&server.get("/all.atom")),
        ["第1999篇", "第1998篇", "第1997篇", "第1996篇", "第1995篇"]
    );
}

#[test]
fn a_bad_edit_keeps_the_last_good_version_until_fixed() {
    let (site, server) = serving();
    let good = server.get("/all.atom").body;
    site.write(
        "content/a.md",
        "---\ntitle: [未闭合\ndate: 2024-06-01\n---\n",
    );
    let health = server.wait_for("/healthz", |r| r.text().contains("\"content_errors\": 1"));
    let json: serde_json::Value = serde_json::from_slice(&health.body).expect("json");
    assert_eq!(json["errors"][0]["path"], "content/a.md");
    assert_eq!(json["errors"][0]["line"], 3);
    assert_eq!(
        server.get("/all.atom").body,
        good,
        "the last good version is still served"
    );
    assert!(
        server
            .get("/metrics")
            .text()
            .contains("syndicated_content_errors 1")
    );
    assert!(
        server
            .log()
            .iter()
            .any(|l| l.contains("ERROR") && l.contains("content/a.md:3: YAML front matter")),
        "{:#?}",
        server.log()
    );

    site.write(
        "content/a.md",
        article("甲（修好）", "2024-06-01", "正文。"),
    );
    wait_titles(&server, &["甲（修好）"]);
    assert!(
        server
            .get("/healthz")
            .text()
            .contains("\"content_errors\": 0")
    );
}

#[test]
fn feed_definitions_come_and_go_and_a_broken_one_keeps_its_previous_version() {
    let (site, server) = serving();
    site.write("feeds/latest.toml", "title = \"最新\"\nlimit = 1\n");
    let reply = server.wait_for("/latest.rss", |r| r.status == 200);
    assert_eq!(titles(&reply), ["甲"]);

    site.write("feeds/latest.toml", "title = \"最新\"\nlimit = 0\n");
    server.wait_for("/healthz", |r| r.text().contains("feeds/latest.toml"));
    assert_eq!(
        server.get("/latest.rss").body,
        reply.body,
        "previous definition kept"
    );

    fs::remove_file(site.path().join("feeds/latest.toml")).expect("rm");
    server.wait_for("/latest.rss", |r| r.status == 404);
}

#[test]
fn a_scheduled_article_appears_at_its_time_and_caches_expire_before() {
    let (site, server) = serving();
    let due = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3);
    site.write(
        "content/due.md",
        article("定时", &due.to_string(), "正文。"),
    );
    // Known but not yet published: caches may keep the feed only until then.
    let before = server.wait_for("/healthz", |_| true);
    let reply = server.wait_for("/all.atom", |r| {
        r.header("cache-control")
            .and_then(|c| c.strip_prefix("public, max-age="))
            .and_then(|n| n.parse::<u64>().ok())
            .is_some_and(|n| n <= 3)
    });
    assert_eq!(titles(&reply), ["甲"], "not before its time: {before:?}");
    let reply = wait_titles(&server, &["定时", "甲"]);
    assert!(
        jiff::Timestamp::now() >= due,
        "published at its time, not before"
    );
    assert_eq!(reply.header("cache-control"), Some("public, max-age=300"));
}

#[test]
fn sighup_reloads_and_a_broken_config_keeps_serving() {
    let (site, server) = serving();
    let config = site.read("syndicated.toml");
    site.write("syndicated.toml", config.replace("Test site", "新名字"));
    server.signal("HUP");
    server.wait_for("/feeds.opml", |r| {
        r.text().contains("<title>新名字</title>")
    });

    let feed = server.get("/all.atom").body;
    site.write("syndicated.toml", format!("{config}bogus = 1\n"));
    server.signal("HUP");
    let start = std::time::Instant::now();
    while !server
        .log()
        .iter()
        .any(|l| l.contains("still running the previous config"))
    {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{:#?}",
            server.log()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        server
            .log()
            .iter()
            .any(|l| l.contains("syndicated.toml:7: unknown field `bogus`"))
    );
    assert_eq!(server.get("/all.atom").body, feed, "still serving");
}

#[test]
fn sigterm_and_sigint_stop_with_status_zero() {
    for signal in ["TERM", "INT"] {
        let (_site, server) = serving();
        server.signal(signal);
        assert_eq!(server.wait(), 0, "{signal}");
    }
}

#[test]
fn the_mirror_follows_what_is_served() {
    let site = Site::new();
    site.write(
        "content/a.md",
        article("甲", "2024-06-01", &"正文。".repeat(100)),
    );
    let server = site.serve(&["--out", "mirror"]);
    let mirror = site.path().join("mirror");
    let served = server.get("/all.atom");
    server.wait_for("/healthz", |_| mirror.join("all.atom").is_file());
    assert_eq!(
        fs::read(mirror.join("all.atom")).expect("mirror"),
        served.body
    );
    let gz = server.request("GET", "/all.atom", &[("Accept-Encoding", "gzip")]);
    assert_eq!(fs::read(mirror.join("all.atom.gz")).expect("gz"), gz.body);
    let br = server.request("GET", "/all.atom", &[("Accept-Encoding", "br")]);
    assert_eq!(fs::read(mirror.join("all.atom.br")).expect("br"), br.body);

    site.write("feeds/extra.toml", "title = \"Extra\"\n");
    server.wait_for("/extra.rss", |r| r.status == 200);
    let start = std::time::Instant::now();
    while !mirror.join("extra.rss").is_file() {
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    fs::remove_file(site.path().join("feeds/extra.toml")).expect("rm");
    server.wait_for("/extra.rss", |r| r.status == 404);
    let start = std::time::Instant::now();
    while mirror.join("extra.rss").exists() || mirror.join("extra.rss.gz").exists() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "stale feed not removed"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let leftovers: Vec<String> = fs::read_dir(&mirror)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
