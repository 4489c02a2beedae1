//! Feeds that end: a retired feed answers `410 Gone` for every document it
//! had, so that readers stop polling (FreshRSS mutes such a feed), and is
//! listed nowhere; so does any document the site served and
//! no longer publishes (a family's feed whose last article went, a deleted
//! definition's), never `404`; a finished one stays served (its tests
//! are with podcasts, `media.rs`, and WebSub, `websub.rs`).

use crate::harness::{Server, Site, eventually};

/// A site with the live feed `all` and the feed `column`, also published
/// in Taiwan's characters, `retired` or not.
fn site(retired: bool) -> Site {
    let site = Site::new();
    site.article("a.md", "title: 第一篇\ndate: 2024-06-01", "正文。");
    site.write("feeds/column.toml", column(retired));
    site
}

fn column(retired: bool) -> String {
    format!("title = \"专栏\"\nvariants = [\"zh-TW\"]\nretired = {retired}\n")
}

const DOCUMENTS: [&str; 8] = [
    "/column.rss",
    "/column.atom",
    "/column.json",
    "/column.html",
    "/column.zh-TW.rss",
    "/column.zh-TW.atom",
    "/column.zh-TW.json",
    "/column.zh-TW.html",
];

/// Whether the subscribe page or the OPML list names the column.
fn listed(server: &Server) -> bool {
    server.get("/").text().contains("column.")
        || server.get("/feeds.opml").text().contains("column.")
}

#[test]
fn a_retired_feed_answers_410_for_every_document_and_is_listed_nowhere() {
    let site = site(true);
    let server = site.serve(&[]);
    for path in DOCUMENTS {
        let gone = server.get(path);
        assert_eq!(gone.status, 410, "{path}: {gone:?}");
        assert_eq!(
            gone.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(gone.text().contains("专栏"), "{path}: {gone:?}");
        assert_eq!(server.request("HEAD", path, &[]).status, 410, "{path}");
    }
    for path in [
        "/column/archive/1.atom",
        "/column.zh-TW/archive/2-0123456789ab.rss",
    ] {
        assert_eq!(server.get(path).status, 410, "{path}");
    }
    assert_eq!(server.get("/all.atom").status, 200);
    assert!(!listed(&server));

    // Brought back, it is served and listed again.
    let seen = server.publications();
    site.write("feeds/column.toml", column(false));
    server.wait_for_publication_after(seen);
    eventually("served again", || server.get("/column.atom").status == 200);
    for path in DOCUMENTS {
        assert_eq!(server.get(path).status, 200, "{path}");
    }
    assert!(listed(&server));
    // What stood for its archive pages went with `retired`: a page it
    // never had is missing, not gone.
    assert_eq!(server.get("/column/archive/1.atom").status, 404);
}

/// A retired feed whose definition is then deleted stays gone, with its
/// own note (not a 404, not an archive page's note).
#[test]
fn a_retired_feed_whose_definition_goes_stays_gone() {
    let site = site(true);
    let server = site.serve(&[]);
    let note = server.get("/column.atom").text();
    let seen = server.publications();
    std::fs::remove_file(site.path().join("feeds/column.toml")).expect("delete");
    server.wait_for_publication_after(seen);
    for path in DOCUMENTS {
        let gone = server.get(path);
        assert_eq!(gone.status, 410, "{path}");
        assert_eq!(gone.text(), note, "{path}");
    }
}

/// feedparser, as a reader would, reports the `410` of a retired feed.
#[test]
#[ignore = "needs feedparser (PyPI): run ./test"]
fn feedparser_reports_a_retired_feed_as_gone() {
    let site = site(true);
    let server = site.serve(&[]);
    for format in ["rss", "atom", "json"] {
        let url = server.url(&format!("/column.{format}"));
        let parsed = crate::services::feedparser(std::path::Path::new(&url));
        assert_eq!(parsed["status"], 410, "{format}: {parsed}");
    }
}

/// `build` writes no file of a retired feed (a static server cannot say
/// `410`), and removes those it wrote while the feed was live.
#[test]
fn build_writes_no_file_of_a_retired_feed() {
    let site = site(false);
    site.build_ok();
    assert!(site.out("column.rss").is_file());
    site.write("feeds/column.toml", column(true));
    site.build_ok();
    for path in DOCUMENTS {
        assert!(!site.out(&path[1..]).exists(), "{path}");
    }
    assert!(site.out("all.rss").is_file());
}

/// A family cannot be retired yet (its feeds' names come from the
/// articles): an error on the line of `retired`, which says what to do.
#[test]
fn a_retired_family_is_an_error_on_its_line() {
    let site = site(false);
    site.check_fails_with(
        "feeds/tags.toml",
        "title = \"标签 · {value}\"\neach = \"tags\"\nretired = true\n",
        "feeds/tags.toml:3: `retired`: a feed family cannot be retired yet; delete its definition",
    );
}

/// A feed whose definition is deleted answers `410 Gone` for every
/// document it had, not `404`, and so across a restart that keeps a state
/// folder; without one, nothing is remembered and they answer `404`.
#[test]
fn a_deleted_feed_is_gone_not_missing_and_stays_gone_across_a_restart() {
    let site = site(false);
    let state = tempfile::tempdir().expect("state folder");
    let state_arg = state.path().to_str().expect("UTF-8 path");
    let server = site.serve(&["--state", state_arg]);
    assert_eq!(server.get("/column.atom").status, 200);
    let seen = server.publications();
    std::fs::remove_file(site.path().join("feeds/column.toml")).expect("delete");
    server.wait_for_publication_after(seen);
    let note = "no longer published here";
    for path in DOCUMENTS {
        let gone = server.get(path);
        assert_eq!(gone.status, 410, "{path}");
        assert!(gone.text().contains(note), "{path}: {gone:?}");
    }
    server.wait_finished();
    drop(server);
    let again = site.serve(&["--state", state_arg]);
    for path in DOCUMENTS {
        assert_eq!(again.get(path).status, 410, "{path} after a restart");
    }
    drop(again);
    let forgetful = site.serve(&[]);
    assert_eq!(forgetful.get("/column.atom").status, 404);
}

/// The path of the feed of tag `运河` in `extension`, percent-encoded.
fn canal(extension: &str) -> String {
    format!("/tags/%E8%BF%90%E6%B2%B3.{extension}")
}

/// A tag family's feed whose last article loses the tag answers `410
/// Gone`, and is served again when an article brings the tag back.
#[test]
fn a_tag_feed_that_lost_its_last_article_is_gone_then_served_again() {
    let site = Site::new();
    site.write(
        "feeds/tags.toml",
        "title = \"标签 · {value}\"\neach = \"tags\"\n",
    );
    site.article("b.md", "title: 第二篇\ndate: 2024-06-02", "正文。");
    let tagged = "title: 第一篇\ndate: 2024-06-01\ntags: [运河]";
    site.article("a.md", tagged, "正文。");
    let server = site.serve(&[]);
    let paths = ["rss", "atom", "json", "html"].map(canal);
    for path in &paths {
        assert_eq!(server.get(path).status, 200, "{path}");
    }
    let seen = server.publications();
    site.article("a.md", "title: 第一篇\ndate: 2024-06-01", "正文。");
    server.wait_for_publication_after(seen);
    for path in &paths {
        assert_eq!(server.get(path).status, 410, "{path}");
    }
    let seen = server.publications();
    site.article(
        "c.md",
        "title: 第三篇\ndate: 2024-06-03\ntags: [运河]",
        "正文。",
    );
    server.wait_for_publication_after(seen);
    for path in &paths {
        assert_eq!(server.get(path).status, 200, "{path}");
    }
    assert_eq!(server.get(&canal("atom")).titles(), ["第三篇"]);
}
