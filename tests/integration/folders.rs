//! Content folders as editors and tools really leave them: awkward names,
//! empty and binary files, huge files, symlinks (and loops), files and
//! folders nobody may read. Every good article is published, every problem
//! is reported with its path, and nothing published is lost.

use std::fs;

use crate::harness::{CONFIG, Site, run_through, unprivileged};

fn good(title: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2024-06-01\n---\n正文。\n")
}

/// A symlink to an article outside the content folder (`content/link.md`)
/// and one to the content folder itself (`content/loop`). Returns the
/// outside folder, which lives as long as the value.
fn links(site: &Site) -> tempfile::TempDir {
    let outside = tempfile::tempdir().expect("temp dir");
    fs::write(outside.path().join("outside.md"), good("外部")).expect("outside");
    std::os::unix::fs::symlink(
        outside.path().join("outside.md"),
        site.path().join("content/link.md"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(
        site.path().join("content"),
        site.path().join("content/loop"),
    )
    .expect("loop");
    outside
}

/// A content folder with what editors and tools really leave in it. Every
/// good article is published, each bad file has its own error, symlinks are
/// not followed by default (so a loop costs nothing and nothing outside is
/// published) and each says so, and awkward file names make valid links.
#[test]
fn a_content_folder_with_everything_editors_do() {
    let site = Site::new();
    site.write("content/a b.md", good("空格"));
    site.write("content/#1.md", good("井号"));
    site.write("content/why?.md", good("问号"));
    site.write("content/100%.md", good("百分号"));
    site.write("content/新闻/拱墅.md", good("中文"));
    site.write("content/empty.md", "");
    site.write("content/binary.md", [0u8, 159, 146, 150, 0xff, 0xfe, 0, 0]);
    let _outside = links(&site);

    let build = site.build();
    assert_eq!(build.code, 1, "{build:#?}");
    let mut errors: Vec<&str> = build.stderr.lines().collect();
    errors.sort_unstable();
    assert_eq!(
        errors,
        [
            "content/binary.md:1: not valid UTF-8 (invalid byte 0x9F at byte offset 1); save the file as UTF-8",
            "content/empty.md:1: no title: set `title` in the front matter or start the text with a `# heading`",
            "content/link.md: warning: a symbolic link, not followed; set `content.follow_symlinks = true` to publish what links point to",
            "content/loop: warning: a symbolic link, not followed; set `content.follow_symlinks = true` to publish what links point to",
        ]
    );
    let mut titles = site.titles("all");
    titles.sort_unstable();
    assert_eq!(titles, ["中文", "井号", "百分号", "空格", "问号"]);
    let json = site.read("out/all.json");
    for link in [
        "https://news.example/a%20b/",
        "https://news.example/%231/",
        "https://news.example/why%3F/",
        "https://news.example/100%25/",
        "https://news.example/%E6%96%B0%E9%97%BB/%E6%8B%B1%E5%A2%85/",
    ] {
        assert!(
            json.contains(&format!("\"url\": \"{link}\"")),
            "{link} missing from {json}"
        );
    }
}

/// A file over `content.max_bytes` is an error, not megabytes in memory.
#[test]
fn files_over_the_size_cap_are_refused() {
    let site = Site::new();
    site.write(
        "syndicated.toml",
        format!("{CONFIG}\n[content]\nmax_bytes = 4096\n"),
    );
    site.write(
        "content/ok.md",
        "---\ntitle: 甲\ndate: 2024-06-01\n---\n正文。\n",
    );
    let mut big = b"---\ntitle: big\ndate: 2024-06-02\n---\n".to_vec();
    big.resize(50_000, b'x');
    site.write("content/big.md", &big);
    let expected = "content/big.md: the file is 50000 bytes, more than content.max_bytes (4096); split it, or raise the limit";
    refused_alone(&site, expected);
}

/// `check` and `build` report `expected` as the only problem, and the
/// article 甲 beside it is published.
fn refused_alone(site: &Site, expected: &str) {
    let check = site.run(&["check", "--language", "en"]);
    assert_eq!(check.code, 1);
    assert_eq!(check.stdout.lines().next(), Some(expected), "{check:#?}");
    let build = site.build();
    assert_eq!(build.code, 1);
    assert_eq!(build.stderr.trim_end(), expected);
    assert_eq!(site.titles("all"), ["甲"]);
}

/// A 50 MB file under the default cap (10 MiB) is refused before it is
/// read whole; its neighbours are published.
#[test]
fn a_fifty_megabyte_file_is_refused_by_the_default_cap() {
    let site = Site::new();
    site.write("content/ok.md", good("甲"));
    site.write(
        "content/huge.md",
        "---\ntitle: 巨大\ndate: 2024-06-02\n---\n",
    );
    fs::OpenOptions::new()
        .append(true)
        .open(site.path().join("content/huge.md"))
        .and_then(|f| f.set_len(50 * 1024 * 1024))
        .expect("grow to 50 MB");
    let expected = "content/huge.md: the file is 52428800 bytes, more than content.max_bytes (10485760); split it, or raise the limit";
    refused_alone(&site, expected);
}

/// With `content.follow_symlinks = true`, a linked article is published
/// under the link's path, and a link back to a containing folder is a
/// warning instead of an endless walk.
#[test]
fn symlinks_are_followed_when_the_config_says_so() {
    let site = Site::new();
    site.write(
        "syndicated.toml",
        format!("{CONFIG}\n[content]\nfollow_symlinks = true\n"),
    );
    site.write("content/a.md", good("甲"));
    let _outside = links(&site);
    let build = site.build();
    assert_eq!(build.code, 0, "{build:#?}");
    assert_eq!(
        build.stderr.trim_end(),
        "content/loop: warning: a symbolic link to a folder that contains it, not followed"
    );
    let mut titles = site.titles("all");
    titles.sort_unstable();
    assert_eq!(titles, ["外部", "甲"]);
    assert!(
        site.read("out/all.json")
            .contains("\"url\": \"https://news.example/link/\"")
    );
}

/// Files and folders nobody may read: each is an error naming its path,
/// and every other article is published. Run as an unprivileged user, for
/// whom permissions are real.
#[test]
fn unreadable_files_and_folders_are_errors() {
    let site = unreadable_site();
    site.mode("content/secret.md", 0o000);
    site.mode("content/locked", 0o000);
    let check = run_through(unprivileged(), site.path(), &["check", "--language", "en"]);
    assert_eq!(check.code, 1, "{check:#?}");
    let lines: Vec<&str> = check.stdout.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "content/locked: cannot read: Permission denied (os error 13)",
            "content/secret.md: cannot read: Permission denied (os error 13)",
        ],
        "{check:#?}"
    );
}

/// Regression: a folder made unreadable while served was reported only by
/// the periodic rescan (minutes later), and its error outlived the fix
/// until then. Its event now reports it at once; the articles published
/// from it stay published, and the error clears when it is readable again.
#[test]
fn a_folder_made_unreadable_while_served_is_reported_at_once() {
    let site = unreadable_site();
    let server = site.serve_through(unprivileged(), &[], &[]);
    server.wait_for("/all.atom", |r| r.titles().len() == 3);

    site.mode("content/secret.md", 0o000);
    site.mode("content/locked", 0o000);
    let health = server.wait_for("/healthz", |r| r.text().contains("\"content_errors\": 2"));
    let text = health.text();
    assert!(text.contains("content/secret.md"), "{text}");
    assert!(text.contains("content/locked"), "{text}");
    let mut titles = server.get("/all.atom").titles();
    titles.sort_unstable();
    assert_eq!(titles, ["丙", "乙", "甲"], "nothing published is lost");

    site.mode("content/secret.md", 0o644);
    site.mode("content/locked", 0o755);
    server.wait_for("/healthz", |r| r.text().contains("\"content_errors\": 0"));
    assert_eq!(server.get("/all.atom").titles().len(), 3);
}

/// Three articles, one in a folder of its own, readable by others.
fn unreadable_site() -> Site {
    let site = Site::new();
    site.write("content/a.md", good("甲"));
    site.write("content/secret.md", good("乙"));
    site.write("content/locked/c.md", good("丙"));
    // The temporary folder is private to its owner; others must read the site.
    site.mode(".", 0o755);
    site
}

/// Regression: a symbolic link put into the content folder was reported by
/// `check` at once but by the daemon only at the next periodic rescan
/// (minutes later), and an article replaced by a link stayed published
/// until then. Its event (or the poller's look) now says it, and the
/// article goes.
#[test]
fn a_link_put_in_while_served_is_reported_when_its_event_arrives() {
    for options in [&[][..], &["--poll"][..]] {
        let site = Site::new();
        site.write("content/a.md", good("甲"));
        site.write("content/b.md", good("乙"));
        site.write("elsewhere/c.md", good("丙"));
        let server = site.serve(options);
        server.wait_for("/all.atom", |r| r.titles().len() == 2);
        let target = site.path().join("elsewhere/c.md");
        std::os::unix::fs::symlink(&target, site.path().join("content/link.md")).expect("link");
        // An article replaced by a link to another.
        fs::remove_file(site.path().join("content/b.md")).expect("rm");
        std::os::unix::fs::symlink(&target, site.path().join("content/b.md")).expect("link");
        server.wait_for("/all.atom", |r| r.titles() == ["甲"]);
        crate::harness::eventually("both links said", || {
            let log = server.log();
            ["content/link.md", "content/b.md"].iter().all(|name| {
                log.iter()
                    .any(|l| l.contains(&format!("{name}: warning: a symbolic link, not followed")))
            })
        });
    }
}
