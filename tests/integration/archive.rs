//! RFC 5005 archives: a reader that walks from the subscription document
//! through `prev-archive` recovers every published item once; a page's URL
//! serves one set of bytes for good; a change in the history gives its
//! page and every newer one new URLs, so a reader that stops at a page it
//! has still sees it; a page's number redirects to the page as it is now.

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

/// Whether `path` is archive page `page` of `all` in `format`, by its
/// digest URL (`/all/archive/3-0123456789ab.atom`).
fn is_page(path: &str, page: usize, format: &str) -> bool {
    path.strip_prefix(&format!("/all/archive/{page}-"))
        .and_then(|rest| rest.strip_suffix(&format!(".{format}")))
        .is_some_and(|digest| digest.len() == 12 && digest.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Where the redirect at `path` leads (a `307` with `Location`).
fn redirect(server: &Server, path: &str) -> String {
    let reply = server.get(path);
    assert_eq!(reply.status, 307, "{path}");
    path_of(reply.header("location").expect("Location"))
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
        let newest = current.older.clone().expect("prev-archive");
        assert!(
            is_page(&newest, full, format),
            "{format}: prev-archive is the newest page: {newest}"
        );
        // The number after the newest page leads to the subscription
        // document; the newest page's number, to that page.
        let after = format!("/all/archive/{}.{format}", full + 1);
        assert_eq!(redirect(&server, &after), subscription);
        let number = format!("/all/archive/{full}.{format}");
        assert_eq!(redirect(&server, &number), newest);
        let mut on_pages: BTreeMap<String, usize> = BTreeMap::new();
        let mut next = Some(newest);
        let mut walked = 0;
        while let Some(path) = next {
            let page = read(&server, &path, format);
            assert!(is_page(&path, full - walked, format), "{path}");
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
                // The next page by its number, which leads to the page the
                // walk came from.
                let newer = page.newer.clone().expect("next-archive");
                assert_eq!(
                    newer,
                    format!("/all/archive/{}.{format}", full - walked + 1)
                );
            }
            for id in &page.ids {
                let before = on_pages.insert(id.clone(), walked);
                assert!(before.is_none(), "{format}: {id} is on two pages");
            }
            walked += 1;
            assert!(walked <= full, "{format}: the walk does not end");
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

/// An RFC 5005 client's walk in `format`: from the subscription document
/// back through `prev-archive` until a page in `seen` (RFC 5005 §4.2: a
/// client may stop at an archive document it has), adding every page it
/// reads to `seen`. Returns the ids it read, newest first.
fn walk(server: &Server, format: &str, seen: &mut BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let current = read(server, &format!("/all.{format}"), format);
    let mut ids = current.ids.clone();
    let mut next = current.older;
    while let Some(path) = next {
        if seen.contains_key(&path) {
            break;
        }
        let page = read(server, &path, format);
        ids.extend(page.ids.iter().cloned());
        seen.insert(path.clone(), server.get(&path).body);
        next = page.older;
    }
    ids
}

/// Regression: after an older article was added, a client that had walked
/// the archive stopped at a page it had (pages 1–3 were rewritten under
/// their URLs) and never saw it. Now every page from the change on has a
/// new URL, the URLs it had serve what they served, `immutable`, and the
/// page's number leads to the page as it is now.
#[test]
fn a_reader_that_stops_at_a_page_it_has_sees_an_older_article_added_later() {
    let site = archived_site(35, 10, 10);
    let server = site.serve(&[]);
    for format in ["rss", "atom", "json"] {
        let mut seen = BTreeMap::new();
        let first = walk(&server, format, &mut seen);
        assert_eq!(first.len(), 10 + 30, "{format}");
        let had = seen.clone();
        let full = server.get(&had.keys().next().cloned().expect("a page"));
        assert_eq!(
            full.header("cache-control"),
            Some("public, max-age=86400, immutable")
        );

        // An article older than all but the first fifteen, added later.
        let seen_publications = server.publications();
        site.article(
            &format!("old-{format}.md"),
            "title: 旧文\ndate: 2024-01-01T00:14:30+08:00",
            "补发。",
        );
        server.wait_for_publication_after(seen_publications);
        let again = walk(&server, format, &mut seen);
        let added = again
            .iter()
            .find(|id| id.contains(&format!("old-{format}")));
        assert!(
            added.is_some(),
            "{format}: the walk found the older article"
        );
        // Page 1 is unchanged, so the walk stopped there.
        assert!(
            again.len() < 10 + 30 + 10,
            "{format}: walked {} items",
            again.len()
        );
        for (path, bytes) in &had {
            let reply = server.get(path);
            assert_eq!(reply.status, 200, "{path}");
            assert!(reply.body == *bytes, "{path} changed");
            assert_eq!(
                reply.header("cache-control"),
                Some("public, max-age=86400, immutable"),
                "{path}"
            );
        }
        // Pages 2 and 3 are new; page 1 is the same URL.
        for page in 1..=3 {
            let now = redirect(&server, &format!("/all/archive/{page}.{format}"));
            assert_eq!(had.contains_key(&now), page == 1, "{now}");
        }
    }
}

#[test]
fn an_archive_page_carries_its_links_in_its_headers_too() {
    let site = archived_site(25, 10, 10);
    let server = site.serve(&[]);
    let second = redirect(&server, "/all/archive/2.atom");
    let first = redirect(&server, "/all/archive/1.atom");
    let page = server.get(&second);
    assert_eq!(
        page.headers_named("link"),
        [
            format!("<https://news.example{second}>; rel=\"self\""),
            "<https://news.example/all.atom>; rel=\"current\"".to_owned(),
            format!("<https://news.example{first}>; rel=\"prev-archive\""),
            "<https://news.example/all/archive/3.atom>; rel=\"next-archive\"".to_owned(),
        ]
    );
    let moved = server.get("/all/archive/3.atom");
    assert_eq!(moved.status, 307);
    assert_eq!(
        moved.header("location"),
        Some("https://news.example/all.atom")
    );
    assert_eq!(moved.header("cache-control"), Some("public, max-age=300"));
    assert!(moved.text().contains("https://news.example/all.atom"));
    assert_eq!(server.get("/all/archive/4.atom").status, 404);
}

#[test]
fn an_edit_gives_its_page_and_every_newer_page_new_urls() {
    let site = archived_site(35, 10, 10);
    let server = site.serve(&[]);
    let urls = |server: &Server| -> Vec<String> {
        (1..=3)
            .map(|n| redirect(server, &format!("/all/archive/{n}.atom")))
            .collect()
    };
    let before = urls(&server);
    let current: Vec<Vec<u8>> = ["rss", "atom", "json"]
        .iter()
        .map(|f| server.get(&format!("/all.{f}")).body)
        .collect();
    // n00012 is the third item of page 2.
    let seen = server.publications();
    write_article(&site, 12, "改过的正文。");
    server.wait_for_publication_after(seen);
    let after = urls(&server);
    assert_eq!(after[0], before[0], "page 1 keeps its URL");
    assert_ne!(after[1], before[1], "page 2 changed");
    assert_ne!(after[2], before[2], "page 3 names page 2 anew");
    assert!(server.get(&after[1]).text().contains("改过的正文"));
    assert!(!server.get(&before[1]).text().contains("改过的正文"));
    // The subscription document links the newest page anew.
    for (format, bytes) in ["rss", "atom", "json"].iter().zip(current) {
        let now = server.get(&format!("/all.{format}")).body;
        assert!(now != bytes, "{format}");
    }

    // Removing it moves every later item: pages 2 and 3 change again.
    let seen = server.publications();
    std::fs::remove_file(site.path().join("content/n00012.md")).expect("remove");
    server.wait_for_publication_after(seen);
    let removed = urls(&server);
    assert_eq!(removed[0], before[0]);
    assert_ne!(removed[1], after[1]);
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
    // Six items, pages of two: the third page is the newest.
    let newest = redirect(&server, "/all/archive/3.atom");
    assert!(is_page(&newest, 3, "atom"), "{newest}");
    assert!(atom.contains(&format!(
        "href=\"https://news.example{newest}\" rel=\"prev-archive\""
    )));
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
        let run = site.run(&["check", "--language", "en"]);
        assert_ne!(run.code, 0);
        let said = format!("{}{}", run.stdout, run.stderr);
        let line = text.lines().count();
        assert!(
            said.contains(&format!("feeds/all.toml:{line}:")) && said.contains(expected),
            "{said}"
        );
    }
}

/// Regression: a restart forgot the pages a change had replaced, so a
/// reader in the middle of a walk got `404` for a page it was about to
/// read. With a state folder, the replaced page is served as it was after
/// the restart, `immutable`, with its links, and so is the mirror's copy.
#[test]
fn a_replaced_page_is_served_as_it_was_after_a_restart() {
    let site = archived_site(25, 10, 10);
    let options = ["--state", "state", "--out", "mirror"];
    let server = site.serve(&options);
    let old = redirect(&server, "/all/archive/2.atom");
    let before = server.get(&old);
    let seen = server.publications();
    // n00013 is on page 2.
    write_article(&site, 13, "改过的正文。");
    server.wait_for_publication_after(seen);
    assert_ne!(redirect(&server, "/all/archive/2.atom"), old, "replaced");
    server.signal("TERM");
    assert_eq!(server.wait(), 0);

    let again = site.serve(&options);
    let reply = again.get(&old);
    assert_eq!(reply.status, 200, "{old} after the restart");
    assert!(reply.body == before.body, "{old}: its bytes");
    assert_eq!(reply.header("etag"), before.header("etag"));
    assert_eq!(
        reply.header("cache-control"),
        Some("public, max-age=86400, immutable")
    );
    assert_eq!(reply.headers_named("link"), before.headers_named("link"));
    let file = site.path().join("mirror").join(old.trim_start_matches('/'));
    crate::harness::eventually("the mirror keeps the replaced page", || {
        std::fs::read(&file).is_ok_and(|bytes| bytes == before.body)
    });
    // The page as it is now is there too.
    let now = redirect(&again, "/all/archive/2.atom");
    assert!(again.get(&now).text().contains("改过的正文"));
}

/// A Chinese variant keeps its own history: walking `all.zh-TW.atom` back
/// stays under `all.zh-TW/archive/`, each page's `current` is the
/// variant's subscription document, and every entry is the variant's
/// (its id marked, its title converted).
#[test]
fn a_variants_archive_is_its_own_history() {
    let site = Site::new();
    site.write(
        "feeds/all.toml",
        "title = \"全部\"\nlimit = 2\narchive = true\nvariants = [\"zh-TW\"]\n",
    );
    for n in 1..=5 {
        site.article(
            &format!("n{n}.md"),
            &format!("title: 软件新闻{n}\ndate: 2024-05-0{n}T10:00:00+08:00"),
            "正文。",
        );
    }
    let server = site.serve(&[]);
    let current = read(&server, "/all.zh-TW.atom", "atom");
    let mut ids = current.ids.clone();
    let mut next = current.older;
    let mut pages = 0;
    while let Some(path) = next {
        assert!(path.starts_with("/all.zh-TW/archive/"), "{path}");
        let page = read(&server, &path, "atom");
        assert_eq!(page.current.as_deref(), Some("/all.zh-TW.atom"), "{path}");
        let titles = server.get(&path).titles();
        assert!(
            titles.iter().all(|t| t.starts_with("軟體新聞")),
            "{path}: {titles:?}"
        );
        ids.extend(page.ids);
        next = page.older;
        pages += 1;
    }
    assert_eq!(pages, 2);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "{ids:?}");
    assert!(ids.iter().all(|id| id.ends_with("#zh-TW")), "{ids:?}");
}
