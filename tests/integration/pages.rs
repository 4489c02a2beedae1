//! The pages people see: the subscribe page at `/` in the site's language,
//! every feed and family on it with working links, and a feed opened in a
//! browser, while no feed reader ever gets HTML.

use crate::harness::{Server, Site};

/// Every `href="…"` and `value="…"` (the feed addresses) of a page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attribute in ["href=\"", "src=\"", "value=\""] {
        for part in html.split(attribute).skip(1) {
            if let Some(end) = part.find('"') {
                out.push(part[..end].replace("&amp;", "&"));
            }
        }
    }
    out
}

/// The server path of a link on the page at `/`: relative, or under the
/// site's feeds URL.
fn path_of(link: &str, feeds_url: &str) -> Option<String> {
    if let Some(rest) = link.strip_prefix(feeds_url) {
        return Some(format!("/{rest}"));
    }
    (!link.contains(':') && !link.starts_with('#')).then(|| format!("/{link}"))
}

#[test]
fn the_subscribe_page_speaks_the_sites_language() {
    for (language, words, foreign) in [
        ("zh-CN", ["订阅源（RSS", "复制", "篇文章"], "Copy"),
        ("zh-TW", ["訂閱源（RSS", "複製", "篇文章"], "Copy"),
        ("en", ["A feed (RSS", "Copy", "items"], "复制"),
    ] {
        let site = Site::new();
        site.write(
            "syndicated.toml",
            crate::harness::CONFIG.replace("zh-CN", language),
        );
        site.article(
            "a.md",
            "title: 第一篇\ndate: 2024-06-01T08:00:00+08:00",
            "正文。",
        );
        let server = site.serve(&[]);
        for path in ["/", "/all.html"] {
            let page = server.get(path).text();
            assert!(
                page.contains(&format!("<html lang=\"{language}\">")),
                "{path}"
            );
            for word in words {
                assert!(page.contains(word), "{language} {path}: {word}");
            }
            assert!(!page.contains(foreign), "{language} {path}: {foreign}");
            // The site's name once as a heading, the item's time in the zone.
            assert!(page.contains("2024-06-01 08:00"), "{language} {path}");
        }
    }
}

#[test]
fn every_feed_and_family_is_listed_with_working_links() {
    let site = Site::sample();
    let server = site.serve(&[]);
    let index = server.get("/");
    assert_eq!(index.status, 200);
    assert!(
        index
            .header("content-security-policy")
            .is_some_and(|p| p.starts_with("default-src 'none'")),
        "{index:?}"
    );
    let html = index.text();
    assert_eq!(html.matches("<h1>").count(), 1);
    let feeds_url = "https://news.gongshu.example/";
    let mut checked = 0;
    for link in links(&html) {
        let Some(path) = path_of(&link, feeds_url) else {
            continue;
        };
        // Links to articles are the site's pages, not ours.
        if !path.ends_with(".html")
            && !path.ends_with(".rss")
            && !path.ends_with(".atom")
            && !path.ends_with(".json")
            && !path.ends_with(".opml")
            && !path.ends_with(".css")
            && !path.ends_with(".js")
        {
            continue;
        }
        let decoded = percent_encoding::percent_decode_str(&path)
            .decode_utf8()
            .expect("UTF-8")
            .into_owned();
        let reply = server.get(&path);
        assert_eq!(reply.status, 200, "{link} ({decoded})");
        checked += 1;
    }
    // Every feed is listed: its page is linked, directly or in its family.
    let health: serde_json::Value =
        serde_json::from_slice(&server.get("/healthz").body).expect("JSON");
    for name in health["feed_names"].as_array().expect("names") {
        let name = name.as_str().expect("a name");
        if name.contains(".zh-") {
            // A variant: its addresses sit with the feed it converts.
            assert!(html.contains(&format!("/{name}.rss\"")), "{name}");
            continue;
        }
        let page = syndicated::text::url_path(&format!("{name}.html"));
        assert!(html.contains(&format!("href=\"{page}\"")), "{name}: {page}");
        assert_eq!(server.get(&format!("/{page}")).status, 200, "{name}");
    }
    assert!(checked > 40, "{checked} links checked");
    // The feed's page lists its items with their summaries.
    let all = server.get("/all.html").text();
    assert!(all.contains("拱墅"), "{all}");
    assert_eq!(all.matches("<li><a href=").count(), 8);
}

/// What each client sends as `Accept`, and whether it is a browser.
const CLIENTS: [(&str, Option<&str>, bool); 8] = [
    (
        "feedparser 6",
        Some(
            "application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1",
        ),
        false,
    ),
    // Miniflux 2 (internal/reader/fetcher/request_builder.go).
    (
        "Miniflux",
        Some(
            "application/xml,application/atom+xml,application/rss+xml,application/rdf+xml,application/feed+json,text/html,*/*;q=0.9",
        ),
        false,
    ),
    // newsboat fetches with libcurl, which sends `*/*` unless told otherwise.
    ("newsboat", Some("*/*"), false),
    // A reader with a feed type this server does not list by name.
    (
        "a reader of x-rss",
        Some("text/html, application/x-rss+xml, application/rss"),
        false,
    ),
    ("no Accept at all", None, false),
    (
        "a reader that also takes HTML",
        Some("text/html, application/rss+xml"),
        false,
    ),
    (
        "Chromium",
        Some(
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
        ),
        true,
    ),
    (
        "Firefox ESR",
        Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
        true,
    ),
];

fn fetch(server: &Server, path: &str, accept: Option<&str>) -> crate::harness::Reply {
    match accept {
        Some(accept) => server.request("GET", path, &[("accept", accept)]),
        None => server.request("GET", path, &[]),
    }
}

#[test]
fn no_feed_reader_ever_gets_html_and_browsers_get_the_feeds_page() {
    let site = Site::sample();
    let server = site.serve(&[]);
    for path in [
        "/all.rss",
        "/all.atom",
        "/all.json",
        "/tags/%E5%A4%A7%E8%BF%90%E6%B2%B3.rss",
    ] {
        let plain = server.request("GET", path, &[("accept", "*/*")]);
        for (client, accept, browser) in CLIENTS {
            let reply = fetch(&server, path, accept);
            assert_eq!(reply.status, 200, "{client} {path}");
            let content_type = reply.header("content-type").expect("a type");
            if browser {
                assert!(content_type.starts_with("text/html"), "{client} {path}");
                assert_eq!(reply.header("vary"), Some("Accept-Encoding, Accept"));
                assert_eq!(reply.header("cache-control"), Some("private, no-cache"));
                let page = reply.text();
                assert!(page.contains("这是一个订阅源"), "{client} {path}");
            } else {
                // Exactly today's bytes, validators and caching.
                assert_eq!(content_type, plain.header("content-type").expect("a type"));
                assert_eq!(reply.body, plain.body, "{client} {path}");
                assert_eq!(reply.header("etag"), plain.header("etag"), "{client}");
                assert_eq!(reply.header("vary"), Some("Accept-Encoding"), "{client}");
                assert_eq!(
                    reply.header("cache-control"),
                    plain.header("cache-control"),
                    "{client}"
                );
            }
        }
    }
    // A browser's page revalidates like any document.
    let browser = CLIENTS[6].1;
    let page = fetch(&server, "/all.atom", browser);
    let etag = page.header("etag").expect("an ETag").to_owned();
    let again = server.request(
        "GET",
        "/all.atom",
        &[
            ("accept", browser.unwrap_or_default()),
            ("if-none-match", &etag),
        ],
    );
    assert_eq!(again.status, 304);
}

#[test]
#[ignore = "needs feedparser (PyPI): run ./test"]
fn feedparser_fetching_the_served_feed_gets_the_feed() {
    let site = Site::sample();
    let server = site.serve(&[]);
    let script = "import sys, feedparser; d = feedparser.parse(sys.argv[1]); print(d.version, int(d.bozo), len(d.entries))";
    let out = std::process::Command::new(crate::services::feedparser_python())
        .args(["-c", script, &server.url("/all.rss")])
        .output()
        .expect("run feedparser");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "rss20 0 8",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `/feed`, `/rss`, `/rss.xml`, `/atom.xml` and `/index.xml` were a bare
/// `not found`. An address that looks like a feed's and names none gets
/// `404` with a page in the site's language listing every feed there is,
/// each in each format; any other missing address stays a plain `404`.
#[test]
fn an_address_like_a_feeds_gets_the_page_of_the_feeds_there_are() {
    let site = Site::every_kind();
    let server = site.serve(&[]);
    let wanted: Vec<String> = ["all.rss", "all.atom", "all.json", "all.zh-TW.atom"]
        .iter()
        .map(|name| format!("https://news.example/{name}"))
        .collect();
    for path in [
        "/feed",
        "/feed/",
        "/rss",
        "/rss.xml",
        "/atom.xml",
        "/index.xml",
        "/feed/atom/",
        "/tag/x/feed/",
        "/feeds/posts/default",
        "/al.json",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{path}"
        );
        assert!(reply.header("content-security-policy").is_some(), "{path}");
        let page = reply.text();
        assert!(page.contains("这个地址没有订阅源"), "{path}: {page}");
        let links = links(&page);
        for url in &wanted {
            assert!(links.contains(url), "{path}: {url} in {links:?}");
        }
    }
    for path in ["/nothing", "/logo.png", "/all.html/x"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/plain; charset=utf-8"),
            "{path}"
        );
    }
    let head = server.request("HEAD", "/rss.xml", &[]);
    assert_eq!((head.status, head.body.len()), (404, 0));
    // The page is published as the other pages are, for a static copy too.
    site.build_ok();
    let copy = std::fs::read_to_string(site.out("404.html")).expect("404.html in the build");
    assert_eq!(copy, server.get("/404.html").text());
}

/// The subscribe page showed neither the site's icon nor its logo (the
/// sample has both), dated date-only articles `00:00`, and named no zone.
/// The pages serve the pictures themselves (their policy loads nothing
/// from elsewhere); a day is shown as a day, a time with its offset.
#[test]
fn the_subscribe_page_shows_the_sites_pictures_and_dates_as_written() {
    let site = Site::sample();
    let server = site.serve(&[]);
    let page = server.get("/").text();
    assert!(
        page.contains("<img class=\"logo\" src=\"site-logo.png\" alt=\"\""),
        "{page}"
    );
    assert!(page.contains("<link rel=\"icon\" href=\"site-icon.png\">"));
    for (served, file) in [
        ("/site-logo.png", "logo.png"),
        ("/site-icon.png", "icon.png"),
    ] {
        let reply = server.get(served);
        assert_eq!(reply.status, 200, "{served}");
        assert_eq!(reply.header("content-type"), Some("image/png"));
        let policy = reply.header("content-security-policy").unwrap_or_default();
        assert!(
            policy.contains("sandbox"),
            "a picture runs nothing: {policy}"
        );
        let written = std::fs::read(site.path().join("content/images").join(file)).expect("file");
        assert_eq!(reply.body, written, "{served}");
    }
    // A family's feed page, a folder down, finds the icon too.
    let tags = server.get("/tags/大运河.html").text();
    assert!(
        tags.contains("<link rel=\"icon\" href=\"../site-icon.png\">"),
        "{tags}"
    );

    let dated = Site::new();
    dated.article("day.md", "title: 只写日期\ndate: 2024-06-28", "正文。");
    dated.article(
        "time.md",
        "title: 写了时间\ndate: 2024-06-29 09:30",
        "正文。",
    );
    let server = dated.serve(&[]);
    let page = server.get("/").text();
    assert!(
        page.contains("<time datetime=\"2024-06-28\">2024-06-28</time>"),
        "{page}"
    );
    assert!(
        page.contains(
            "<time datetime=\"2024-06-29T09:30:00+08:00\">2024-06-29 09:30 UTC+08:00</time>"
        ),
        "{page}"
    );
    assert!(!page.contains("00:00<"), "no midnight shown: {page}");
    // No picture without one configured: the feed symbol is the favicon.
    assert!(!page.contains("<img"), "{page}");
}

/// The subscribe page only named the readers. Each feed now has one-click
/// links for the readers that take a feed by link, its Atom address
/// percent-encoded, and a podcast the podcast apps' links to its RSS (the
/// podcast elements are there, and Apple Podcasts reads only RSS); so
/// does the page of each feed a browser opens.
#[test]
fn each_feed_has_links_that_subscribe_in_a_reader() {
    let site = Site::sample();
    let server = site.serve(&[]);
    let index = links(&server.get("/").text());
    let all_page = links(&server.get("/all.html").text());
    let podcast_page = links(&server.get("/podcast.html").text());
    let atom = |name: &str| format!("https%3A%2F%2Fnews%2Egongshu%2Eexample%2F{name}%2Eatom");
    for links in [&index, &all_page] {
        let all = atom("all");
        for wanted in [
            format!("https://feedly.com/i/subscription/feed%2F{all}"),
            format!("https://www.inoreader.com/?add_feed={all}"),
            format!("https://www.newsblur.com/?url={all}"),
            format!("https://theoldreader.com/feeds/subscribe?url={all}"),
        ] {
            assert!(links.contains(&wanted), "{wanted} in {links:#?}");
        }
    }
    let rss = "news.gongshu.example/podcast.rss";
    for links in [&index, &podcast_page] {
        for wanted in [
            format!(
                "https://feedly.com/i/subscription/feed%2F{}",
                atom("podcast")
            ),
            format!("podcast://{rss}"),
            format!("pktc://subscribe/{rss}"),
        ] {
            assert!(links.contains(&wanted), "{wanted} in {links:#?}");
        }
        assert!(
            links.iter().any(|l| l.starts_with(
                "https://antennapod.org/deeplink/subscribe?url=https%3A%2F%2Fnews%2Egongshu%2Eexample%2Fpodcast%2Erss&title="
            )),
            "{links:#?}"
        );
        // Only a podcast gets the podcast apps.
        let podcast_links = links.iter().filter(|l| l.starts_with("podcast://")).count();
        assert_eq!(podcast_links, 1);
    }
    assert!(
        !all_page.iter().any(|l| l.starts_with("podcast://")),
        "{all_page:#?}"
    );
}
