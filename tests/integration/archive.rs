//! RFC 5005 archives: a reader that walks from the subscription document
//! through `prev-archive` recovers every published item once; full pages
//! never change when articles are added; an edit changes only its page.

use std::collections::BTreeMap;

use crate::harness::{Server, Site};

/// A site whose feed `all` keeps an archive (`limit`, `per_page`), with
/// `count` articles `n0000.md`…, one a minute from 2024-01-01.
fn archived_site(count: usize, limit: usize, per_page: usize) -> Site {
    let site = Site::new();
    site.write(
        "feeds/all.toml",
        format!(
            "title = \"All\"\nlimit = {limit}\narchive = true\narchive_page_size = {per_page}\n"
        ),
    );
    for n in 0..count {
        write_article(&site, n, "正文。");
    }
    site
}

/// Article `n`, dated `n` minutes after 2024-01-01T00:00 in Shanghai.
fn write_article(site: &Site, n: usize, body: &str) {
    let date = jiff::civil::date(2024, 1, 1)
        .at(0, 0, 0, 0)
        .checked_add(jiff::Span::new().minutes(i64::try_from(n).expect("small")))
        .expect("a date");
    site.article(
        &format!("n{n:05}.md"),
        &format!("title: 第{n}篇\ndate: {date}+08:00"),
        body,
    );
}

/// The server path of a URL the feeds give (`https://news.example/…`).
fn path_of(url: &str) -> String {
    url.strip_prefix("https://news.example")
        .unwrap_or_else(|| panic!("not a URL of the site: {url}"))
        .to_owned()
}

/// What a document in the walk holds: its ids, its links to the older and
/// the newer page and to the subscription document, and whether it says
/// `fh:archive`.
struct Page {
    ids: Vec<String>,
    older: Option<String>,
    newer: Option<String>,
    current: Option<String>,
    archive: bool,
}

/// Reads the document at `path` in `format` as a reader would.
fn read(server: &Server, path: &str, format: &str) -> Page {
    let reply = server.get(path);
    assert_eq!(reply.status, 200, "{path}");
    if format == "json" {
        let json: serde_json::Value = serde_json::from_slice(&reply.body).expect("JSON");
        return Page {
            ids: json["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i["id"].as_str().expect("an id").to_owned())
                .collect(),
            older: json["next_url"].as_str().map(path_of),
            newer: None,
            current: None,
            archive: path.contains("/archive/"),
        };
    }
    let feed = feed_rs::parser::parse(reply.body.as_slice()).expect("a feed");
    let text = reply.text();
    let doc = roxmltree::Document::parse(&text).expect("well-formed");
    let fh = "http://purl.org/syndication/history/1.0";
    let link = |rel: &str| {
        feed.links
            .iter()
            .find(|l| l.rel.as_deref() == Some(rel))
            .map(|l| path_of(&l.href))
    };
    Page {
        ids: feed.entries.iter().map(|e| e.id.clone()).collect(),
        older: link("prev-archive"),
        newer: link("next-archive"),
        current: link("current"),
        archive: doc
            .descendants()
            .any(|n| n.tag_name().namespace() == Some(fh) && n.tag_name().name() == "archive"),
    }
}

#[test]
fn walking_prev_archive_recovers_every_published_item_once_in_each_format() {
    // 156 full pages of 64, and 16 items after them, in a subscription
    // document of 100.
    const COUNT: usize = 10_000;
    const PER_PAGE: usize = 64;
    let full = COUNT / PER_PAGE;
    let site = archived_site(COUNT, 100, PER_PAGE);
    // A draft and an article scheduled far ahead: never in the history.
    site.article(
        "draft.md",
        "title: 草稿\ndate: 2024-03-01T00:00:00+08:00\ndraft: true",
        "x",
    );
    site.article(
        "later.md",
        "title: 以后\ndate: 2099-01-01T00:00:00+08:00",
        "x",
    );
    let server = site.serve(&[]);
    for format in ["rss", "atom", "json"] {
        let subscription = format!("/all.{format}");
        let current = read(&server, &subscription, format);
        assert_eq!(current.ids.len(), 100, "{format}");
        assert!(
            !current.archive,
            "{format}: the subscription document is no archive"
        );
        assert_eq!(
            current.older.as_deref(),
            Some(format!("/all/archive/{full}.{format}").as_str()),
            "{format}: prev-archive is the newest full page"
        );
        let mut on_pages: BTreeMap<String, usize> = BTreeMap::new();
        let mut next = current.older.clone();
        let mut came_from: Option<String> = None;
        let mut walked = 0;
        while let Some(path) = next {
            let page = read(&server, &path, format);
            assert_eq!(
                page.ids.len(),
                PER_PAGE,
                "{path}: the walk meets full pages only"
            );
            if format != "json" {
                assert!(page.archive, "{path} says fh:archive");
                assert_eq!(
                    page.current.as_deref(),
                    Some(subscription.as_str()),
                    "{path}"
                );
                // The newest full page links the page that is filling.
                let newer = page.newer.clone().expect("next-archive");
                match &came_from {
                    Some(from) => assert_eq!(&newer, from, "{path}"),
                    None => {
                        let filling = read(&server, &newer, format);
                        assert_eq!(filling.ids.len(), COUNT - full * PER_PAGE, "{newer}");
                        assert_eq!(filling.newer, None, "{newer}");
                    }
                }
            }
            for id in &page.ids {
                let before = on_pages.insert(id.clone(), walked);
                assert!(before.is_none(), "{format}: {id} is on two pages");
            }
            walked += 1;
            assert!(walked <= full, "{format}: the walk does not end");
            came_from = Some(path);
            next = page.older;
        }
        assert_eq!(walked, full, "{format}: pages walked");
        // The pages and the subscription document: every item, and the
        // subscription document holds every item past the full pages.
        let newer: Vec<&String> = current
            .ids
            .iter()
            .filter(|id| !on_pages.contains_key(*id))
            .collect();
        assert_eq!(newer.len(), COUNT - full * PER_PAGE, "{format}");
        assert_eq!(
            on_pages.len() + newer.len(),
            COUNT,
            "{format}: every published item"
        );
    }
}

/// Each archive page's bytes and ETag in each format, by path.
fn pages(server: &Server, count: usize, per_page: usize) -> BTreeMap<String, (String, Vec<u8>)> {
    let mut out = BTreeMap::new();
    for page in 1..=count / per_page + 1 {
        for format in ["rss", "atom", "json"] {
            let path = format!("/all/archive/{page}.{format}");
            let reply = server.get(&path);
            assert_eq!(reply.status, 200, "{path}");
            let etag = reply.header("etag").expect("an ETag").to_owned();
            out.insert(path, (etag, reply.body));
        }
    }
    out
}

#[test]
fn adding_articles_never_changes_a_full_page() {
    let site = archived_site(25, 10, 10);
    let server = site.serve(&[]);
    let before = pages(&server, 25, 10);
    // Full pages are for keeping; the partial newest one is not.
    let full = server.get("/all/archive/2.atom");
    assert_eq!(
        full.header("cache-control"),
        Some("public, max-age=86400, immutable")
    );
    let partial = server.get("/all/archive/3.atom");
    assert_eq!(partial.header("cache-control"), Some("public, max-age=300"));
    // Its links, in its headers too.
    assert_eq!(
        full.headers_named("link"),
        [
            "<https://news.example/all/archive/2.atom>; rel=\"self\"",
            "<https://news.example/all.atom>; rel=\"current\"",
            "<https://news.example/all/archive/1.atom>; rel=\"prev-archive\"",
            "<https://news.example/all/archive/3.atom>; rel=\"next-archive\"",
        ]
    );
    assert_eq!(server.get("/all/archive/4.atom").status, 404);

    for n in 25..47 {
        let seen = server.publications();
        write_article(&site, n, "正文。");
        server.wait_for_publication_after(seen);
    }
    let after = pages(&server, 47, 10);
    for (path, (etag, bytes)) in &before {
        if path.contains("/3.") {
            continue;
        }
        let (now_etag, now_bytes) = &after[path];
        assert_eq!(etag, now_etag, "{path}");
        assert!(bytes == now_bytes, "{path} changed");
    }
    // The once-partial page is full now, and the next ones exist.
    let third = server.get("/all/archive/3.rss");
    assert_eq!(
        third.header("cache-control"),
        Some("public, max-age=86400, immutable")
    );
    assert_eq!(third.titles().len(), 10);
    assert_eq!(server.get("/all/archive/5.json").status, 200);
}

#[test]
fn editing_an_old_article_changes_only_its_page() {
    let site = archived_site(35, 10, 10);
    let server = site.serve(&[]);
    let before = pages(&server, 35, 10);
    let current: Vec<Vec<u8>> = ["rss", "atom", "json"]
        .iter()
        .map(|f| server.get(&format!("/all.{f}")).body)
        .collect();
    // n00012 is the third item of page 2.
    let seen = server.publications();
    write_article(&site, 12, "改过的正文。");
    server.wait_for_publication_after(seen);
    let after = pages(&server, 35, 10);
    for (path, (etag, _)) in &before {
        let changed = &after[path].0 != etag;
        assert_eq!(changed, path.starts_with("/all/archive/2."), "{path}");
    }
    let text = server.get("/all/archive/2.atom").text();
    assert!(text.contains("改过的正文"));
    for (format, bytes) in ["rss", "atom", "json"].iter().zip(current) {
        assert!(
            server.get(&format!("/all.{format}")).body == bytes,
            "{format}"
        );
    }
    // Three documents changed: page 2 in each format.
    let log = server.log().join("\n");
    assert!(log.contains("(3 documents changed"), "{log}");

    // Removing it renumbers what comes after it, and nothing before.
    let seen = server.publications();
    std::fs::remove_file(site.path().join("content/n00012.md")).expect("remove");
    server.wait_for_publication_after(seen);
    let removed = pages(&server, 34, 10);
    assert_eq!(
        removed["/all/archive/1.rss"].0,
        before["/all/archive/1.rss"].0
    );
    assert_ne!(
        removed["/all/archive/2.rss"].0,
        after["/all/archive/2.rss"].0
    );
}

#[test]
fn a_feed_whose_items_all_fit_says_it_is_complete() {
    let site = archived_site(3, 5, 2);
    let server = site.serve(&[]);
    let fh = "http://purl.org/syndication/history/1.0";
    for format in ["rss", "atom"] {
        let text = server.get(&format!("/all.{format}")).text();
        let doc = roxmltree::Document::parse(&text).expect("well-formed");
        let complete = doc
            .descendants()
            .find(|n| n.tag_name().namespace() == Some(fh) && n.tag_name().name() == "complete")
            .expect("fh:complete");
        assert!(complete.children().next().is_none(), "{format}: empty");
        assert!(!text.contains("prev-archive"), "{format}");
    }
    assert_eq!(server.get("/all/archive/1.rss").status, 404);
    assert!(!server.get("/").text().contains("archive"));
    assert!(!server.get("/feeds.opml").text().contains("archive"));

    // Past the limit, the archive appears, linked from the index and OPML.
    for n in 3..6 {
        let seen = server.publications();
        write_article(&site, n, "正文。");
        server.wait_for_publication_after(seen);
    }
    let atom = server.get("/all.atom").text();
    assert!(!atom.contains("fh:complete"));
    // Six items, pages of two: the third page is the newest full one.
    assert!(atom.contains("href=\"https://news.example/all/archive/3.atom\" rel=\"prev-archive\""));
    let index = server.get("/").text();
    assert!(index.contains("href=\"all/archive/1.rss\""), "{index}");
    assert!(index.contains("href=\"all/archive/3.rss\""), "{index}");
    assert!(
        server
            .get("/feeds.opml")
            .text()
            .contains("url=\"https://news.example/all/archive/1.rss\"")
    );
}

#[test]
fn an_archive_page_size_without_an_archive_or_above_the_limit_names_its_line() {
    for (text, expected) in [
        (
            "title = \"All\"\narchive_page_size = 20\n",
            "add `archive = true`",
        ),
        (
            "title = \"All\"\nlimit = 10\narchive = true\narchive_page_size = 20\n",
            "20 is more than `limit` (10)",
        ),
    ] {
        let site = Site::new();
        site.write("feeds/all.toml", text);
        let run = site.run(&["check"]);
        assert_ne!(run.code, 0);
        let said = format!("{}{}", run.stdout, run.stderr);
        let line = text.lines().count();
        assert!(
            said.contains(&format!("feeds/all.toml:{line}:")) && said.contains(expected),
            "{said}"
        );
    }
}
