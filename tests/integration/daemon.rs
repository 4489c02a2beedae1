//! Edit to served: every way editors and tools change files, each polled
//! until the change shows (bounded) and then checked exactly. Also the
//! daemon's promises: nothing lost on a bad edit, scheduled articles on time,
//! reloads, and a clean stop.

use std::fs;

use crate::harness::{Reply, Server, Site, eventually};

fn titles(reply: &Reply) -> Vec<String> {
    reply.titles()
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

/// The quiet of [`serving_with_a_long_quiet`] (`watch.debounce_ms`): four
/// times as long as any wait of a test, so that what is served before any
/// wait ends was not waiting for the quiet.
fn quiet() -> std::time::Duration {
    crate::harness::patience(crate::harness::WAIT * 4)
}

/// [`serving`], with events quiet for [`quiet`] before an unfinished save
/// is read.
fn serving_with_a_long_quiet() -> (Site, Server) {
    let site = Site::new();
    site.write("content/a.md", article("甲", "2024-06-01", "第一版。"));
    let config = site.read("syndicated.toml");
    site.write(
        "syndicated.toml",
        format!("{config}\n[watch]\ndebounce_ms = {}\n", quiet().as_millis()),
    );
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

/// A save is read as soon as the file is closed, not after the quiet
/// (`watch.debounce_ms`, here [`quiet`], longer than any wait below): a file
/// renamed away to a backup, or removed, holds the batch until it is
/// written again, so readers never see the article missing meanwhile.
#[test]
fn a_closed_file_is_read_at_once_and_a_backup_rename_waits_for_the_new_file() {
    let (site, server) = serving_with_a_long_quiet();

    site.write("content/a.md", article("甲二", "2024-06-01", "第二版。"));
    wait_titles(&server, &["甲二"]);

    // An editor slow between renaming the file to its backup and writing
    // the new one: the article is served all along.
    let content = site.path().join("content");
    // The first save's publication is logged once it is compressed.
    eventually("the first save logged", || {
        server
            .log()
            .iter()
            .any(|l| l.ends_with(": changed content/a.md"))
    });
    let mark = server.log().len();
    fs::rename(content.join("a.md"), content.join("a.md~")).expect("backup");
    for _ in 0..15 {
        assert_eq!(titles(&server.get("/all.atom")), ["甲二"], "never missing");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    site.write("content/a.md", article("甲三", "2024-06-01", "第三版。"));
    fs::remove_file(content.join("a.md~")).expect("backup gone");
    wait_titles(&server, &["甲三"]);
    // One publication for the save.
    let saves = || -> Vec<String> {
        server.log()[mark..]
            .iter()
            .filter(|l| l.contains("published"))
            .cloned()
            .collect()
    };
    eventually("the publication logged", || !saves().is_empty());
    assert_eq!(
        saves().len(),
        1,
        "one publication for the save: {:#?}",
        saves()
    );
}

/// JetBrains' safe write, slowly (within `watch.debounce_ms`, [`quiet`]):
/// the new text goes to a temporary, the article is renamed away, and only
/// later is the temporary renamed into its place. The article is served
/// all along, then in its new version.
#[test]
fn a_jetbrains_safe_write_never_shows_the_article_missing() {
    let (site, server) = serving_with_a_long_quiet();
    let content = site.path().join("content");
    fs::write(
        content.join("a.md___jb_tmp___"),
        article("甲（新）", "2024-06-01", "正文。"),
    )
    .expect("temporary");
    fs::rename(content.join("a.md"), content.join("a.md___jb_old___")).expect("away");
    for _ in 0..15 {
        assert_eq!(titles(&server.get("/all.atom")), ["甲"], "never missing");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    fs::rename(content.join("a.md___jb_tmp___"), content.join("a.md")).expect("into place");
    fs::remove_file(content.join("a.md___jb_old___")).expect("old gone");
    wait_titles(&server, &["甲（新）"]);
}

/// Files are watched only once the first scan has read them (reading is an
/// event too, one per file), and a rescan then finds what changed while
/// they were read: an article saved over and over while the daemon starts
/// is served in its last version.
#[test]
fn edits_made_while_the_daemon_starts_are_served() {
    let site = Site::new();
    for i in 0..3000 {
        site.write(
            &format!("content/old/n{i}.md"),
            article(&format!("旧{i}"), "2020-01-01", "正文。"),
        );
    }
    site.write("content/a.md", article("第0版", "2024-06-01", "正文。"));
    let file = site.path().join("content/a.md");
    let editor = std::thread::spawn(move || {
        for version in 1..=40 {
            std::thread::sleep(std::time::Duration::from_millis(10));
            fs::write(
                &file,
                article(&format!("第{version}版"), "2024-06-01", "正文。"),
            )
            .expect("save");
        }
    });
    let server = site.serve(&[]);
    editor.join().expect("the editor");
    server.wait_for("/all.atom", |r| {
        titles(r).first().map(String::as_str) == Some("第40版")
    });
    eventually("the rescan after the first scan", || {
        server
            .log()
            .iter()
            .any(|l| l.contains("rescanned everything"))
    });
}

/// Regression: every periodic rescan logged `rescanned everything … (nothing
/// changed)` at INFO, a line every 5 minutes in a quiet site's journal.
/// The first rescan (the watch beginning) and those that find a change
/// stay at INFO; the others are DEBUG.
#[test]
fn rescans_that_find_nothing_log_at_debug() {
    let site = Site::new();
    site.write("content/a.md", article("甲", "2024-06-01", "正文。"));
    let config = site.read("syndicated.toml");
    site.write(
        "syndicated.toml",
        format!("{config}\n[watch]\nrescan = 0.05\n"),
    );
    let server = site.serve_with_env(&[], &[("RUST_LOG", "debug")]);
    let rescans = || -> Vec<String> {
        let log = server.log();
        log.into_iter()
            .filter(|l| l.contains("rescanned everything"))
            .collect()
    };
    eventually("three rescans", || rescans().len() >= 3);
    let rescans = rescans();
    assert!(rescans[0].contains("INFO"), "{rescans:?}");
    assert!(
        rescans[1..]
            .iter()
            .all(|l| l.contains("DEBUG") && l.contains("nothing changed")),
        "{rescans:?}"
    );
}

#[test]
fn emacs_lock_and_autosave_files_are_ignored() {
    let (site, server) = serving();
    let content = site.path().join("content");
    std::os::unix::fs::symlink("user@host.1234:1700000000", content.join(".#a.md")).expect("lock");
    fs::write(content.join("#a.md#"), "autosave, not an article").expect("autosave");
    // A hidden file is never an article, however valid its text.
    fs::write(
        content.join(".b.md"),
        article("隐藏", "2024-06-02", "正文。"),
    )
    .expect("hidden");
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
    assert_eq!(json["errors"][0]["line"], 2, "the line of the mistake");
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
            .any(|l| l.contains("ERROR") && l.contains("content/a.md:2: YAML front matter")),
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

/// The front matter of a save cut short: a writer paused here.
const HALF_SAVED: &str = "---\ntitle: 乙\n";

/// A writer that pauses mid-save (here: until the daemon has read the half
/// file) raised a false alarm: `the front matter opened with --- is never
/// closed`, then published the whole file a moment later. An error in a
/// file written less than a second ago and not yet closed is held back; the
/// whole file closes in time, so nothing is reported. The scenario needs
/// the daemon to read the half file within the second: on a machine too
/// busy for that, it is tried again with another file.
#[test]
fn a_writer_pausing_mid_save_raises_no_false_alarm() {
    use std::io::Write as _;
    let (site, server) = serving();
    let mut expected = vec!["甲".to_owned()];
    for attempt in 0..5 {
        let name = format!("content/b{attempt}.md");
        let started = std::time::Instant::now();
        let seen = server.publications();
        let mut file = fs::File::create(site.path().join(&name)).expect("create");
        file.write_all(HALF_SAVED.as_bytes()).expect("first half");
        server.wait_for_publication_after(seen);
        let health = server.get("/healthz").text();
        file.write_all("date: 2024-06-02\n---\n正文。\n".as_bytes())
            .expect("second half");
        drop(file);
        expected.insert(0, "乙".to_owned());
        let titles: Vec<&str> = expected.iter().map(String::as_str).collect();
        wait_titles(&server, &titles);
        if started.elapsed() > std::time::Duration::from_millis(900) {
            continue;
        }
        assert!(health.contains("\"content_errors\": 0"), "{health}");
        let alarms: Vec<String> = server
            .log()
            .into_iter()
            .filter(|line| line.contains(&format!("{name}:")))
            .collect();
        assert_eq!(alarms, Vec::<String>::new(), "nothing said of {name}");
        return;
    }
    panic!("the daemon never read a half file within a second of its writing");
}

/// A file left half written, open: its error is reported once the file
/// has been quiet for a second, with events and with polling alike.
#[test]
fn a_file_left_half_written_is_reported_once_quiet() {
    use std::io::Write as _;
    for options in [&[][..], &["--poll"][..]] {
        let site = Site::new();
        site.write("content/a.md", article("甲", "2024-06-01", "第一版。"));
        let server = site.serve(options);
        let mut file = fs::File::create(site.path().join("content/b.md")).expect("create");
        file.write_all(HALF_SAVED.as_bytes()).expect("half");
        let health = server.wait_for("/healthz", |r| r.text().contains("\"content_errors\": 1"));
        let json: serde_json::Value = serde_json::from_slice(&health.body).expect("json");
        assert_eq!(json["errors"][0]["path"], "content/b.md", "{options:?}");
        eventually("the error logged", || {
            server.log().iter().any(|l| {
                l.contains("content/b.md:1: the front matter opened with `---` is never closed")
            })
        });
        drop(file);
    }
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

    // Deleted, it was served once: 410 Gone, not 404.
    fs::remove_file(site.path().join("feeds/latest.toml")).expect("rm");
    server.wait_for("/latest.rss", |r| r.status == 410);
}

#[test]
fn a_scheduled_article_appears_at_its_time_and_caches_expire_before() {
    let (site, server) = serving();
    let seen = server.publications();
    let lead = crate::harness::patience(std::time::Duration::from_secs(5));
    let due = jiff::Timestamp::now() + lead;
    site.write(
        "content/due.md",
        article("定时", &due.to_string(), "正文。"),
    );
    // Known but not yet published: caches may keep the feed only until then.
    server.wait_for_publication_after(seen);
    let reply = server.get("/all.atom");
    assert!(
        jiff::Timestamp::now() < due,
        "the article was due before the feed could be read: a machine this slow needs SYNDICATED_TEST_TIMEOUT_SCALE"
    );
    let max_age = reply
        .header("cache-control")
        .and_then(|c| c.strip_prefix("public, max-age="))
        .and_then(|n| n.parse::<u64>().ok());
    assert!(max_age.is_some_and(|n| n <= lead.as_secs()), "{reply:#?}");
    assert_eq!(titles(&reply), ["甲"], "not before its time");
    let reply = wait_titles(&server, &["定时", "甲"]);
    assert!(
        jiff::Timestamp::now() >= due,
        "published at its time, not before"
    );
    assert_eq!(reply.header("cache-control"), Some("public, max-age=300"));
}

/// Each publication's log line names the files that changed.
#[test]
fn the_log_names_what_changed() {
    let (site, server) = serving();
    site.write("content/a.md", article("甲二", "2024-06-01", "第二版。"));
    wait_titles(&server, &["甲二"]);
    eventually("the log line", || {
        server.log().iter().any(|l| {
            l.contains("published 1 article in 1 feed (") && l.ends_with("changed content/a.md")
        })
    });
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
    // The watcher may read the file half written first, and refuse that
    // too: the line to wait for names the mistake.
    eventually("the broken config refused, on its line", || {
        server.log().iter().any(|l| {
            l.contains("syndicated.toml:7: unknown field `bogus`")
                && l.contains("still running the previous config")
        })
    });
    assert_eq!(server.get("/all.atom").body, feed, "still serving");
}

/// More folders than the inotify watch limit allows (a limit of 4, set in
/// a user namespace of the daemon's own, so nothing else on the machine is
/// affected): the daemon says so, naming `fs.inotify.max_user_watches`, and
/// polls instead, so edits are still served.
#[test]
fn the_inotify_watch_limit_falls_back_to_polling() {
    let site = Site::new();
    for i in 0..10 {
        site.write(
            &format!("content/{i}/a.md"),
            article(
                &format!("第{i}篇"),
                &format!("2024-06-{}", 10 + i),
                "正文。",
            ),
        );
    }
    let limit = "echo 4 > /proc/sys/user/max_inotify_watches && exec \"$@\"";
    let server = site.serve_through(
        &["unshare", "--map-root-user", "sh", "-c", limit, "sh"],
        &[],
        &[],
    );
    // The watch starts once the first publication is served.
    eventually("the watch limit said", || {
        server
            .log()
            .iter()
            .any(|l| l.contains("inotify watch limit") && l.contains("fs.inotify.max_user_watches"))
    });
    site.write(
        "content/7/a.md",
        article("改过的第7篇", "2024-06-17", "正文。"),
    );
    server.wait_for("/all.atom", |r| {
        r.titles().contains(&"改过的第7篇".to_owned())
    });
}

/// A reload applies what it can at once (`server.max_age`), and says which
/// changed settings wait for a restart instead of silently ignoring them.
#[test]
fn sighup_says_which_settings_wait_for_a_restart() {
    let (site, server) = serving();
    let config = site.read("syndicated.toml");
    site.write(
        "syndicated.toml",
        format!("{config}\n[server]\nmax_age = 60\nheader_timeout = 3\n\n[watch]\nrescan = 100\n"),
    );
    server.signal("HUP");
    server.wait_for("/all.atom", |r| {
        r.header("cache-control") == Some("public, max-age=60")
    });
    eventually("the restart-only settings named", || {
        server.log().iter().any(|l| {
            l.contains("WARN")
                && l.contains(
                    "syndicated.toml: server.header_timeout, watch.rescan changed; the running daemon keeps the old value until it is restarted",
                )
        })
    });
}

#[test]
fn sigterm_and_sigint_stop_with_status_zero() {
    for signal in ["TERM", "INT"] {
        let (_site, server) = serving();
        server.signal(signal);
        assert_eq!(server.wait(), 0, "{signal}");
    }
}

/// Regression: every start rewrote every mirror file, unchanged or not, so
/// nginx serving the mirror changed its validators and every reader
/// downloaded every feed again after each restart.
#[test]
fn a_restart_leaves_unchanged_mirror_files_alone() {
    use std::os::unix::fs::MetadataExt as _;
    let site = Site::new();
    site.write(
        "content/a.md",
        article("甲", "2024-06-01", &"正文。".repeat(100)),
    );
    let mirror = site.path().join("mirror");
    let identity = || -> Vec<(String, u64, i64, i64)> {
        let mut files: Vec<_> = fs::read_dir(&mirror)
            .expect("mirror")
            .map(|e| {
                let e = e.expect("entry");
                let m = e.metadata().expect("metadata");
                (
                    e.file_name().to_string_lossy().into_owned(),
                    m.ino(),
                    m.mtime(),
                    m.mtime_nsec(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let server = site.serve(&["--out", "mirror"]);
    eventually("mirrored", || mirror.join("index.html").is_file());
    server.signal("TERM");
    assert_eq!(server.wait(), 0);
    let before = identity();
    assert!(before.len() >= 10, "{before:?}");

    let server = site.serve(&["--out", "mirror"]);
    server.wait_for("/healthz", |r| r.status == 200);
    server.signal("TERM");
    assert_eq!(server.wait(), 0);
    assert_eq!(identity(), before, "same bytes, same files");
}

#[test]
fn the_mirror_follows_what_is_served() {
    let site = Site::new();
    site.write(
        "content/a.md",
        article("甲", "2024-06-01", &"正文。".repeat(100)),
    );
    // Someone else's file in the folder: the mirror never removes it.
    site.write("mirror/data.json", "{}");
    let server = site.serve(&["--out", "mirror"]);
    let mirror = site.path().join("mirror");
    let served = server.get("/all.atom");
    // Mirrored once served: the document, then its compressed siblings.
    server.wait_for("/healthz", |_| mirror.join("all.atom.br").is_file());
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
    eventually("extra.rss mirrored", || mirror.join("extra.rss").is_file());
    fs::remove_file(site.path().join("feeds/extra.toml")).expect("rm");
    server.wait_for("/extra.rss", |r| r.status == 410);
    eventually("the stale feed removed", || {
        !mirror.join("extra.rss").exists() && !mirror.join("extra.rss.gz").exists()
    });
    // Temporary files exist only while a write is in progress.
    let temporary = || -> Vec<String> {
        fs::read_dir(&mirror)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| {
                n.starts_with('.') && n != ".syndicated-mirror" && n != ".syndicated-answers.nginx"
            })
            .collect()
    };
    eventually("no temporary files left", || temporary().is_empty());
    assert_eq!(site.read("mirror/data.json"), "{}");
    drop(server);

    // A new run removes what an earlier run wrote and no longer serves.
    site.write("feeds/old.toml", "title = \"Old\"\n");
    let server = site.serve(&["--out", "mirror"]);
    server.wait_for("/old.rss", |r| r.status == 200);
    eventually("old.rss mirrored", || mirror.join("old.rss").is_file());
    drop(server);
    fs::remove_file(site.path().join("feeds/old.toml")).expect("rm");
    let server = site.serve(&["--out", "mirror"]);
    eventually("the stale file of an earlier run removed", || {
        !mirror.join("old.rss").exists()
    });
    assert_eq!(site.read("mirror/data.json"), "{}");
    drop(server);
}

/// A response being sent when SIGTERM arrives is sent whole, then the
/// daemon exits 0. The feed is made large and read slowly, so the response
/// is still in flight (filling the socket buffers) when the signal comes.
#[test]
fn sigterm_during_a_response_completes_it() {
    use std::io::{Read as _, Write as _};
    let site = Site::new();
    site.write(
        "feeds/all.toml",
        "title = \"All\"\nlimit = 200\nmax_bytes = 8000000\n",
    );
    let body = "很长的正文，用来把响应撑大。".repeat(700);
    for i in 0..200 {
        site.write(
            &format!("content/{i:03}.md"),
            article(
                &format!("第{i}篇"),
                &format!("2024-01-01T00:00:{:02}+08:00", i % 60),
                &body,
            ),
        );
    }
    let server = site.serve(&[]);
    let expected = server.get("/all.json").body;
    assert!(expected.len() > 4_000_000, "{}", expected.len());

    let mut stream = std::net::TcpStream::connect(server.addr).expect("connect");
    stream
        .write_all(b"GET /all.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("request");
    let mut first = vec![0u8; 1024];
    let n = stream.read(&mut first).expect("first bytes");
    first.truncate(n);
    server.signal("TERM");
    // The daemon is stopping while the response is still being sent.
    eventually("the daemon stopping", || {
        server
            .log()
            .iter()
            .any(|l| l.contains("SIGTERM: finishing requests"))
    });
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).expect("the rest");
    first.extend(rest);
    let text = String::from_utf8_lossy(&first);
    let (head, _) = text.split_once("\r\n\r\n").expect("headers");
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    let at = first
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers")
        + 4;
    assert_eq!(first[at..], expected[..], "the whole body arrived");
    assert_eq!(server.wait(), 0);
}

/// Many clients fetching while files change: every response is a complete
/// feed, and its ETag is the hash of exactly those bytes.
#[test]
fn concurrent_readers_always_get_a_complete_feed_matching_its_etag() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let site = Site::new();
    for i in 0..20 {
        site.write(
            &format!("content/{i:02}.md"),
            article(&format!("第{i}篇"), "2024-06-01", &"正文。".repeat(200)),
        );
    }
    let server = site.serve(&[]);
    let stop = AtomicBool::new(false);
    let checked = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for reader in 0..6 {
            let (server, stop, checked) = (&server, &stop, &checked);
            scope.spawn(move || {
                let encodings = ["identity", "gzip", "br"];
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    let encoding = encodings[(reader + n) % 3];
                    n += 1;
                    let reply =
                        server.request("GET", "/all.atom", &[("Accept-Encoding", encoding)]);
                    assert_eq!(reply.status, 200);
                    let bytes = reply.decoded();
                    let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
                    let etag = reply.header("etag").expect("etag");
                    assert!(
                        etag.starts_with(&format!("\"{hash}")),
                        "{etag} is not the hash of the body"
                    );
                    let feed = feed_rs::parser::parse(bytes.as_slice()).expect("a complete feed");
                    assert_eq!(feed.entries.len(), 20);
                    checked.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        // At least 40 edits, and on until the readers have checked 100
        // responses, however slowly the machine lets them go.
        let mut round = 0;
        while round < 40 || checked.load(Ordering::Relaxed) <= 100 {
            let i = round % 20;
            site.write(
                &format!("content/{i:02}.md"),
                article(
                    &format!("第{i}篇（第{round}次修改）"),
                    "2024-06-01",
                    &"新正文。".repeat(200),
                ),
            );
            round += 1;
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        stop.store(true, Ordering::Relaxed);
    });
    assert!(checked.into_inner() > 100);
}

/// Without file-system events (`--poll`), changes still show, within the
/// poll interval.
#[test]
fn polling_sees_changes_too() {
    let site = Site::new();
    site.write("content/a.md", article("甲", "2024-06-01", "正文。"));
    let server = site.serve(&["--poll"]);
    eventually("polling said", || {
        server.log().iter().any(|l| l.contains("by polling"))
    });
    site.write("content/b.md", article("乙", "2024-06-02", "正文。"));
    wait_titles(&server, &["乙", "甲"]);
    // The poller names what changed, as events do: only that file is read,
    // and the log says which.
    eventually("the log names the file", || {
        server
            .log()
            .iter()
            .any(|l| l.contains("changed content/b.md"))
    });
    fs::remove_file(site.path().join("content/a.md")).expect("rm");
    wait_titles(&server, &["乙"]);
    // A folder made with an article in it, and a feed definition added.
    site.write("content/2024/c.md", article("丙", "2024-06-03", "正文。"));
    wait_titles(&server, &["丙", "乙"]);
    site.write("feeds/more.toml", "title = \"更多\"\n");
    server.wait_for("/more.atom", |r| r.status == 200);
}

/// Regression: polling compared modification times in whole seconds, so a
/// file saved twice within one second kept its first version (until the
/// safety rescan, minutes later). Here the second save even keeps the
/// first one's modification time to the nanosecond, as a copy that
/// preserves times would; its size and change time still tell.
#[test]
fn polling_sees_an_edit_within_the_same_second() {
    let site = Site::new();
    site.write("content/a.md", article("甲", "2024-06-01", "正文。"));
    let server = site.serve(&["--poll"]);
    let path = site.path().join("content/a.md");
    let first = fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    site.write(
        "content/a.md",
        article("甲改", "2024-06-01", "改过的正文。"),
    );
    fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(first))
        .expect("keep the modification time");
    wait_titles(&server, &["甲改"]);

    // The config file too.
    let config = site.read("syndicated.toml");
    site.write("syndicated.toml", config.replace("Test site", "新名字"));
    server.wait_for("/feeds.opml", |r| {
        r.text().contains("<title>新名字</title>")
    });
}

/// Regression: a body that could not be rendered (here invalid UTF-8 past
/// the front matter, which the scan does not read) made the article vanish
/// instead of keeping its last good version.
#[test]
fn a_body_that_breaks_keeps_the_last_good_version() {
    let (site, server) = serving();
    let good = server.get("/all.atom").body;
    let mut bytes =
        b"---\ntitle: \xe7\x94\xb2\xef\xbc\x88\xe5\x9d\x8f\xef\xbc\x89\ndate: 2024-06-01\n---\n"
            .to_vec();
    bytes.extend_from_slice(&[b'x'; 5000]);
    bytes.extend_from_slice(&[0xff, b'\n']);
    site.write("content/a.md", bytes);
    // /healthz speaks the site's language (zh-CN).
    let health = server.wait_for("/healthz", |r| r.text().contains("不是有效的 UTF-8"));
    assert!(
        health.text().contains("\"content_errors\": 1"),
        "{}",
        health.text()
    );
    assert_eq!(
        server.get("/all.atom").body,
        good,
        "the last good version is still served"
    );
    site.write(
        "content/a.md",
        article("甲（修好）", "2024-06-01", "正文。"),
    );
    wait_titles(&server, &["甲（修好）"]);
}

/// Regression: a reload did not read the articles again, so a new time zone
/// left every date read in the old one.
#[test]
fn a_reload_reads_every_article_again_under_the_new_config() {
    let (site, server) = serving();
    assert!(
        server
            .get("/all.atom")
            .text()
            .contains("<published>2024-06-01T00:00:00+08:00</published>")
    );
    let config = site.read("syndicated.toml").replace("Asia/Shanghai", "UTC");
    site.write("syndicated.toml", config);
    server.signal("HUP");
    server.wait_for("/all.atom", |r| {
        r.text()
            .contains("<published>2024-06-01T00:00:00+00:00</published>")
    });
}

/// Regression: a body edit kept the feed's Last-Modified (its newest item's
/// date), so clients asking `If-Modified-Since` were told nothing changed.
/// Six quick saves then pushed it seconds past the response's `Date`.
#[test]
fn every_edit_gets_a_last_modified_that_no_older_copy_matches() {
    let (site, server) = serving();
    let mut seen: Vec<String> = Vec::new();
    let mut reply = server.get("/all.atom");
    for version in 0..=6 {
        let last_modified = reply.header("last-modified").expect("lm").to_owned();
        let modified = httpdate::parse_http_date(&last_modified).expect("lm");
        let date = httpdate::parse_http_date(reply.header("date").expect("date")).expect("date");
        assert!(
            modified <= date,
            "Last-Modified {last_modified} is after Date"
        );
        // No date an older version was served with gets a 304 for these
        // bytes (nor, until its second is over, this one: an older version
        // may share it).
        for older in &seen {
            let status = server
                .request("GET", "/all.atom", &[("If-Modified-Since", older)])
                .status;
            assert_eq!(status, 200, "version {version}: If-Modified-Since {older}");
        }
        seen.push(last_modified);
        if version == 6 {
            break;
        }
        let body = format!("第{version}次改过的正文。");
        site.write("content/a.md", article("甲", "2024-06-01", &body));
        reply = server.wait_for("/all.atom", |r| r.text().contains(&body));
    }
    // Settled, the last version's date is its own: a client with it has
    // these bytes, and no older date does.
    server.wait_settled();
    let last_modified = server
        .get("/all.atom")
        .header("last-modified")
        .expect("lm")
        .to_owned();
    assert_eq!(
        server
            .request("GET", "/all.atom", &[("If-Modified-Since", &last_modified)])
            .status,
        304
    );
    for older in seen.iter().filter(|d| **d != last_modified) {
        let status = server
            .request("GET", "/all.atom", &[("If-Modified-Since", older)])
            .status;
        assert_eq!(status, 200, "settled: If-Modified-Since {older}");
    }
}

/// Regression: a restart without a state folder, in the same second as the
/// last response, dated new bytes by that second, and an
/// `If-Modified-Since` of it (the earlier run's date) got 304. Bytes dated
/// with nothing remembered share their second with an unknown earlier
/// version; once it is over they are dated anew, and that date gets 304.
/// (`snapshot::tests` holds the same second exactly, with its own clock.)
#[test]
fn dates_given_with_nothing_remembered_settle_after_their_second() {
    let (_site, server) = serving();
    let first = server.get("/all.atom");
    let since = first.header("last-modified").expect("lm").to_owned();
    server.wait_settled();
    let settled = server.get("/all.atom");
    assert_eq!(settled.body, first.body);
    let last_modified = settled.header("last-modified").expect("lm").to_owned();
    assert_eq!(
        server
            .request("GET", "/all.atom", &[("If-Modified-Since", &last_modified)])
            .status,
        304
    );
    if last_modified != since {
        // Read before it settled: the first date never gets a 304.
        assert!(
            httpdate::parse_http_date(&last_modified).unwrap()
                > httpdate::parse_http_date(&since).unwrap()
        );
        assert_eq!(
            server
                .request("GET", "/all.atom", &[("If-Modified-Since", &since)])
                .status,
            200
        );
    }
    let health = server.get("/healthz").text();
    assert!(health.contains("\"settling\": 0"), "{health}");
}

/// Regression: `Last-Modified` came from the content, so a restart after
/// the newest article was deleted dated the new bytes back in time, and
/// the same bytes got a new date at every restart. With a state folder
/// the same bytes keep their date and new ones are dated after them.
#[test]
fn last_modified_survives_a_restart_and_never_goes_back() {
    let site = Site::new();
    site.write("content/a.md", article("甲", "2024-06-01", "正文。"));
    site.write("content/b.md", article("乙", "2024-07-03", "正文。"));
    let first = site.serve(&["--state", "state"]);
    // Dated with nothing remembered: settled a second later (and kept so).
    first.wait_settled();
    let before = first.get("/all.atom");
    let since = before.header("last-modified").expect("lm").to_owned();
    first.signal("TERM");
    assert_eq!(first.wait(), 0);
    assert!(site.path().join("state/last-modified").is_file());

    // The same bytes: the same date, a second later or a day later.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let again = site.serve(&["--state", "state"]);
    let reply = again.get("/all.atom");
    assert_eq!(reply.body, before.body);
    assert_eq!(reply.header("last-modified"), Some(since.as_str()));
    assert_eq!(
        again
            .request("GET", "/all.atom", &[("If-Modified-Since", &since)])
            .status,
        304
    );
    again.signal("TERM");
    assert_eq!(again.wait(), 0);

    // The newest article deleted while stopped: later, never earlier.
    fs::remove_file(site.path().join("content/b.md")).expect("remove");
    let third = site.serve(&["--state", "state"]);
    let reply = third.get("/all.atom");
    assert_eq!(titles(&reply), ["甲"]);
    let after = reply.header("last-modified").expect("lm");
    assert!(
        httpdate::parse_http_date(after).expect("lm")
            > httpdate::parse_http_date(&since).expect("lm"),
        "{after} is not after {since}"
    );
    assert_eq!(
        third
            .request("GET", "/all.atom", &[("If-Modified-Since", &since)])
            .status,
        200
    );
}

/// A content folder reached through `..` and a symlink is watched like any
/// other (events may name it either way).
#[test]
fn a_content_folder_outside_the_site_through_a_symlink() {
    let site = Site::new();
    let outside = tempfile::tempdir().expect("temp dir");
    fs::write(
        outside.path().join("a.md"),
        article("外面", "2024-06-01", "正文。"),
    )
    .expect("a");
    std::os::unix::fs::symlink(outside.path(), site.path().join("linked")).expect("symlink");
    site.write(
        "elsewhere/syndicated.toml",
        format!(
            "{}[paths]\ncontent = \"../linked\"\nfeeds = \"../feeds\"\n",
            crate::harness::CONFIG
        ),
    );
    let server = site.serve(&["--config", "elsewhere/syndicated.toml"]);
    wait_titles(&server, &["外面"]);
    fs::write(
        outside.path().join("b.md"),
        article("外面二", "2024-06-02", "正文。"),
    )
    .expect("b");
    wait_titles(&server, &["外面二", "外面"]);
}

/// The content folder deleted and made again (as a deploy that replaces it
/// does): the feeds follow, and later edits in the new folder still show.
#[test]
fn the_content_folder_deleted_and_recreated() {
    let (site, server) = serving();
    let content = site.path().join("content");
    fs::remove_dir_all(&content).expect("rm -r content");
    wait_titles(&server, &[]);
    fs::create_dir(&content).expect("mkdir content");
    fs::write(
        content.join("new.md"),
        article("新", "2024-06-03", "正文。"),
    )
    .expect("write");
    wait_titles(&server, &["新"]);
    // The new folder is watched (as the log says once it is): a later edit
    // is an event there, and shows too.
    eventually("the new folder watched", || {
        server
            .log()
            .iter()
            .any(|l| l.contains("again") && l.contains("watching"))
    });
    fs::write(
        content.join("later.md"),
        article("后来", "2024-06-04", "正文。"),
    )
    .expect("write");
    wait_titles(&server, &["后来", "新"]);
}

/// `build --out` and the daemon's mirror are one writer: the same site
/// gives byte-identical trees, compressed siblings and manifest included.
#[test]
fn build_and_the_mirror_write_the_same_tree() {
    let site = Site::sample();
    site.build_ok();
    let server = site.serve(&["--out", "mirror"]);
    let mirror = site.path().join("mirror");
    eventually("the mirror written", || {
        mirror.join(".syndicated-mirror").is_file() && mirror.join("all.rss.br").is_file()
    });
    server.signal("TERM");
    assert_eq!(server.wait(), 0);
    let tree = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        crate::harness::files_under(dir)
            .into_iter()
            .map(|name| {
                let bytes = fs::read(dir.join(&name)).expect("read");
                (name, bytes)
            })
            .collect()
    };
    let built = tree(&site.path().join("out"));
    let mirrored = tree(&mirror);
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&built), names(&mirrored));
    assert!(names(&built).contains(&"all.atom.gz".to_owned()));
    assert!(names(&built).contains(&"tags/大运河.rss.br".to_owned()));
    for ((name, a), (_, b)) in built.iter().zip(&mirrored) {
        assert!(a == b, "{name} differs between build and the mirror");
    }
}

/// Regression: a config reached through a symbolic link whose target is
/// swapped (a Kubernetes ConfigMap swaps a `..data` link beside it) was not
/// reloaded: no event names the config itself.
#[test]
fn a_config_behind_a_swapped_link_is_reloaded() {
    config_behind_a_swapped_link_is_reloaded(&[]);
}

/// The same, polling: the poller reports the link beside the config.
#[test]
fn a_config_behind_a_swapped_link_is_reloaded_when_polling() {
    config_behind_a_swapped_link_is_reloaded(&["--poll"]);
}

fn config_behind_a_swapped_link_is_reloaded(options: &[&str]) {
    use std::os::unix::fs::symlink;
    let site = Site::new();
    site.write("content/a.md", article("甲", "2024-06-01", "正文。"));
    site.write("conf/..v1/syndicated.toml", crate::harness::CONFIG);
    site.write(
        "conf/..v2/syndicated.toml",
        crate::harness::CONFIG.replace("Test site", "换了名字"),
    );
    let conf = site.path().join("conf");
    symlink("..v1", conf.join("..data")).expect("..data");
    symlink("..data/syndicated.toml", conf.join("syndicated.toml")).expect("link");
    let config = conf.join("syndicated.toml");
    // The paths in the config are relative to the link's folder.
    fs::rename(site.path().join("content"), conf.join("content")).expect("content");
    fs::rename(site.path().join("feeds"), conf.join("feeds")).expect("feeds");
    let mut args = vec!["--config", config.to_str().expect("utf-8")];
    args.extend(options);
    let server = site.serve(&args);
    server.wait_for("/feeds.opml", |r| {
        r.text().contains("<title>Test site</title>")
    });
    // The swap: a new link renamed over `..data`, as kubelet does.
    symlink("..v2", conf.join("..data_tmp")).expect("tmp link");
    fs::rename(conf.join("..data_tmp"), conf.join("..data")).expect("swap");
    server.wait_for("/feeds.opml", |r| {
        r.text().contains("<title>换了名字</title>")
    });
}
