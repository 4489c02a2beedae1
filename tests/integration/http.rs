//! One test per rule of the HTTP contract, against a real server.

use std::io::Write as _;
use std::net::TcpStream;

use crate::harness::{Reply, Server, Site};

fn sample() -> (Site, Server) {
    let site = Site::sample();
    let server = site.serve(&[]);
    (site, server)
}

#[test]
fn feeds_are_served_with_their_content_types_and_caching_headers() {
    let (site, server) = sample();
    site.build_ok();
    for (ext, media) in [
        ("rss", "application/rss+xml; charset=utf-8"),
        ("atom", "application/atom+xml; charset=utf-8"),
        ("json", "application/feed+json; charset=utf-8"),
    ] {
        let reply = server.get(&format!("/all.{ext}"));
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-type"), Some(media));
        assert_eq!(reply.header("cache-control"), Some("public, max-age=300"));
        assert_eq!(reply.header("vary"), Some("Accept-Encoding"));
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(
            reply.header("access-control-expose-headers"),
            Some("ETag, Link")
        );
        // When these bytes were first served: at the start, not in 2024.
        let modified = httpdate::parse_http_date(reply.header("last-modified").expect("lm"))
            .expect("an HTTP-date");
        let date = httpdate::parse_http_date(reply.header("date").expect("date")).expect("date");
        assert!(modified <= date, "Last-Modified is never later than Date");
        assert!(date.duration_since(modified).expect("order").as_secs() < 60);
        assert_eq!(reply.header("content-encoding"), None);
        // The same bytes `build` writes.
        assert_eq!(
            reply.body,
            std::fs::read(site.out(&format!("all.{ext}"))).expect("built")
        );
        let feed = feed_rs::parser::parse(reply.body.as_slice()).expect("parses");
        assert_eq!(feed.entries.len(), 8);
    }
}

#[test]
fn compressed_variants_follow_accept_encoding_q_values() {
    let (_site, server) = sample();
    let plain = server.get("/all.atom");
    let cases = [
        ("gzip", Some("gzip")),
        ("br", Some("br")),
        ("gzip, deflate, br", Some("br")),
        ("br;q=0.5, gzip;q=0.9", Some("gzip")),
        ("br;q=0, gzip;q=0", None),
        ("identity", None),
        ("*", Some("br")),
    ];
    let mut etags = std::collections::BTreeSet::new();
    for (accept, expected) in cases {
        let reply = server.request("GET", "/all.atom", &[("Accept-Encoding", accept)]);
        assert_eq!(reply.status, 200, "{accept}");
        assert_eq!(reply.header("content-encoding"), expected, "{accept}");
        let body = reply.decoded();
        assert_eq!(
            body, plain.body,
            "{accept}: the same feed in every encoding"
        );
        assert_eq!(
            reply
                .header("content-length")
                .and_then(|l| l.parse::<usize>().ok()),
            Some(reply.body.len())
        );
        etags.insert(reply.header("etag").expect("etag").to_owned());
    }
    assert_eq!(etags.len(), 3, "one strong ETag per encoding: {etags:?}");
    assert!(
        etags
            .iter()
            .all(|t| t.starts_with('"') && !t.starts_with("W/"))
    );
}

#[test]
fn if_none_match_with_the_etag_of_every_variant_is_not_modified() {
    let (_site, server) = sample();
    // Its 304s are compared with its 200s header by header: the dates
    // first given at start settle a second later.
    server.wait_settled();
    let variants: Vec<Reply> = ["identity", "gzip", "br"]
        .iter()
        .map(|enc| server.request("GET", "/all.rss", &[("Accept-Encoding", enc)]))
        .collect();
    for variant in &variants {
        let etag = variant.header("etag").expect("etag");
        for accept in ["identity", "gzip", "br"] {
            let reply = server.request(
                "GET",
                "/all.rss",
                &[("If-None-Match", etag), ("Accept-Encoding", accept)],
            );
            assert_eq!(reply.status, 304, "{etag} with {accept}");
            assert!(reply.body.is_empty());
            // The caching headers a 200 would carry, with this request's variant.
            let same = variants
                .iter()
                .find(|v| v.header("content-encoding") == (accept != "identity").then_some(accept))
                .expect("variant");
            assert_eq!(reply.header("etag"), same.header("etag"));
            for name in [
                "cache-control",
                "vary",
                "last-modified",
                "access-control-allow-origin",
            ] {
                assert_eq!(reply.header(name), same.header(name), "{name}");
            }
        }
    }
    let list = format!("\"nope\", {}", variants[1].header("etag").expect("etag"));
    assert_eq!(
        server
            .request("GET", "/all.rss", &[("If-None-Match", &list)])
            .status,
        304
    );
    assert_eq!(
        server
            .request("GET", "/all.rss", &[("If-None-Match", "*")])
            .status,
        304
    );
    assert_eq!(
        server
            .request("GET", "/all.rss", &[("If-None-Match", "\"other\"")])
            .status,
        200
    );
}

#[test]
fn if_modified_since_and_its_precedence() {
    let (_site, server) = sample();
    server.wait_settled();
    let last = server
        .get("/all.json")
        .header("last-modified")
        .expect("lm")
        .to_owned();
    assert_eq!(
        server
            .request("GET", "/all.json", &[("If-Modified-Since", &last)])
            .status,
        304
    );
    let later = "Thu, 01 Jan 2099 00:00:00 GMT";
    assert_eq!(
        server
            .request("GET", "/all.json", &[("If-Modified-Since", later)])
            .status,
        304
    );
    let earlier = "Mon, 01 Jan 2024 00:00:00 GMT";
    assert_eq!(
        server
            .request("GET", "/all.json", &[("If-Modified-Since", earlier)])
            .status,
        200
    );
    // If-None-Match is evaluated first: a mismatching ETag wins over a date.
    let reply = server.request(
        "GET",
        "/all.json",
        &[("If-None-Match", "\"stale\""), ("If-Modified-Since", later)],
    );
    assert_eq!(reply.status, 200);
    assert_eq!(
        server
            .request("GET", "/all.json", &[("If-Modified-Since", "not a date")])
            .status,
        200
    );
}

/// HEAD answers with the headers of GET and sends no body: read from the raw
/// socket, since a client library would not read a body after HEAD anyway.
#[test]
fn head_sends_headers_and_no_body() {
    let (_site, server) = sample();
    let get = server.get("/all.rss");
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    write!(
        stream,
        "HEAD /all.rss HTTP/1.1\r\nHost: x\r\n\r\nGET /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let raw = crate::harness::read_to_close(&mut stream);
    let raw = String::from_utf8(raw).expect("utf-8");
    let (head, rest) = raw.split_once("\r\n\r\n").expect("headers");
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    let length = format!("content-length: {}", get.body.len());
    let lengths: Vec<String> = head
        .lines()
        .map(str::to_ascii_lowercase)
        .filter(|l| l.starts_with("content-length:"))
        .collect();
    assert_eq!(lengths, [length], "one Content-Length, the GET body's");
    // The next bytes are the second response, not a body.
    assert!(rest.starts_with("HTTP/1.1 404 Not Found"), "{rest}");
}

#[test]
fn other_methods_get_405_with_allow() {
    let (_site, server) = sample();
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        for path in ["/all.rss", "/healthz", "/metrics", "/nothing"] {
            let reply = server.request(method, path, &[]);
            assert_eq!(reply.status, 405, "{method} {path}");
            assert_eq!(
                reply.header("allow"),
                Some("GET, HEAD, OPTIONS"),
                "{method} {path}"
            );
        }
    }
    for path in ["/all.rss", "/healthz", "/metrics", "/", "/feeds.opml"] {
        let reply = server.request("OPTIONS", path, &[]);
        assert_eq!(reply.status, 204, "{path}");
        assert_eq!(reply.header("allow"), Some("GET, HEAD, OPTIONS"));
    }
    assert_eq!(server.request("OPTIONS", "/nothing", &[]).status, 404);
}

/// Regression: a web-based reader's preflight before a conditional fetch got
/// 405 without CORS headers, so the browser refused the fetch.
#[test]
fn a_cors_preflight_is_answered_and_etags_are_exposed() {
    let (_site, server) = sample();
    let reply = server.request(
        "OPTIONS",
        "/all.atom",
        &[
            ("Origin", "https://reader.example"),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "if-none-match"),
        ],
    );
    assert_eq!(reply.status, 204);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        reply.header("access-control-allow-methods"),
        Some("GET, HEAD, OPTIONS")
    );
    assert_eq!(
        reply.header("access-control-allow-headers"),
        Some("if-none-match")
    );
    assert_eq!(reply.header("access-control-max-age"), Some("86400"));
    let get = server.request("GET", "/all.atom", &[("Origin", "https://reader.example")]);
    assert_eq!(get.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        get.header("access-control-expose-headers"),
        Some("ETag, Link")
    );
}

#[test]
fn unknown_paths_are_404_and_query_strings_are_ignored() {
    let (_site, server) = sample();
    for path in [
        "/nothing",
        "/all.xml",
        "/feeds/all.rss",
        "/ALL.rss",
        "/all.rss/",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
    let plain = server.get("/all.rss");
    let busted = server.get("/all.rss?_=1732700000&utm_source=reader");
    assert_eq!(busted.status, 200);
    assert_eq!(busted.body, plain.body);
    assert_eq!(busted.header("etag"), plain.header("etag"));
}

#[test]
fn index_page_and_opml_list_every_feed() {
    let (_site, server) = sample();
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = page.text();
    assert!(html.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"拱墅新闻 · 经济 (Atom)\" href=\"https://news.gongshu.example/economy.atom\">"
    ));
    assert!(html.contains("杭州市拱墅区消防救援局正式挂牌"));
    // The one script is the server's own file; none is inline.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("<script src=\"subscribe.js\"></script>"));
    assert_eq!(server.get("/index.html").body, page.body);

    let opml = server.get("/feeds.opml");
    assert_eq!(
        opml.header("content-type"),
        Some("text/x-opml; charset=utf-8")
    );
    let text = opml.text();
    for name in ["all", "economy", "innovation", "politics"] {
        assert!(
            text.contains(&format!(
                "xmlUrl=\"https://news.gongshu.example/{name}.rss\""
            )),
            "{name}"
        );
    }
}

#[test]
fn healthz_and_metrics() {
    let (site, server) = sample();
    site.write("content/broken.md", "---\ntitle: [\n---\n");
    let health = server.wait_for("/healthz", |r| r.text().contains("broken.md"));
    assert_eq!(health.status, 200);
    assert_eq!(health.header("content-type"), Some("application/json"));
    assert_eq!(health.header("cache-control"), Some("no-store"));
    let json: serde_json::Value = serde_json::from_slice(&health.body).expect("json");
    assert_eq!(json["status"], "degraded", "serving, with a file in error");
    assert_eq!(json["articles"], 8);
    assert_eq!(
        json["feeds"],
        5 + 1 + 13,
        "five feeds, all's zh-TW variant, and a feed per tag"
    );
    assert_eq!(json["feed_names"][0], "all");
    assert_eq!(json["feed_names"].as_array().map(Vec::len), Some(19));
    assert!(
        json["feed_names"]
            .as_array()
            .is_some_and(|names| names.iter().any(|n| n == "tags/大运河")),
        "{json}"
    );
    assert_eq!(json["content_errors"], 1);
    assert_eq!(json["errors"][0]["path"], "content/broken.md");
    assert_eq!(json["errors"][0]["line"], 2);
    assert!(
        json["last_publication"]
            .as_str()
            .is_some_and(|t| t.starts_with("20"))
    );

    server.get("/all.rss");
    let etag = server
        .get("/all.rss")
        .header("etag")
        .expect("etag")
        .to_owned();
    server.request("GET", "/all.rss", &[("If-None-Match", &etag)]);
    server.get("/nothing");
    let metrics = server.get("/metrics").text();
    for line in [
        "syndicated_articles 8",
        "syndicated_content_errors 1",
        "syndicated_http_not_modified_total 1",
        "syndicated_http_requests_total{status=\"404\"} 1",
    ] {
        assert!(metrics.contains(line), "{line} missing from\n{metrics}");
    }
    assert!(metrics.contains("syndicated_publications_total"));
    assert!(metrics.contains("syndicated_publication_duration_seconds_bucket"));
    assert!(metrics.contains("syndicated_http_body_bytes_sent_total"));

    std::fs::remove_file(site.path().join("content/broken.md")).expect("rm");
    let health = server.wait_for("/healthz", |r| !r.text().contains("broken.md"));
    let json: serde_json::Value = serde_json::from_slice(&health.body).expect("json");
    assert_eq!(json["status"], "ok");
}

/// The status and the named header of a raw response.
fn status_of(response: &str) -> &str {
    response.split(' ').nth(1).unwrap_or_default()
}

fn header_of<'r>(response: &'r str, name: &str) -> Option<&'r str> {
    response
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// One GET of `/all.rss` with `headers` (raw lines), as raw bytes.
fn get_with(server: &Server, headers: &str) -> String {
    server.exchange(
        format!("GET /all.rss HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n\r\n")
            .as_bytes(),
    )
}

/// Regression: two `If-Modified-Since` lines were read as the first one;
/// a field with more than one member must be ignored (RFC 9110 §13.1.3).
#[test]
fn a_date_field_with_more_than_one_member_is_ignored() {
    let (_site, server) = sample();
    let future = "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\n";
    assert_eq!(status_of(&get_with(&server, future)), "304");
    assert_eq!(
        status_of(&get_with(&server, &format!("{future}{future}"))),
        "200"
    );
    assert_eq!(
        status_of(&get_with(
            &server,
            "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT, Sat, 02 Jan 2100 00:00:00 GMT\r\n"
        )),
        "200"
    );
}

/// Regression: a failing `If-Match` or `If-Unmodified-Since` on GET was
/// answered 200 instead of 412 (RFC 9110 §13.1.1, §13.1.4).
#[test]
fn failing_preconditions_are_412() {
    let (_site, server) = sample();
    server.wait_settled();
    let first = get_with(&server, "Accept-Encoding: gzip\r\n");
    let etag = header_of(&first, "etag").expect("etag").to_owned();
    let lm = header_of(&first, "last-modified").expect("lm").to_owned();
    for (headers, expected) in [
        ("If-Match: \"0000000000000000\"\r\n".to_owned(), "412"),
        (format!("If-Match: {etag}\r\n"), "200"),
        (format!("If-Match: \"x\", {etag}\r\n"), "200"),
        ("If-Match: *\r\n".to_owned(), "200"),
        (format!("If-Match: W/{etag}\r\n"), "412"),
        (
            "If-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n".to_owned(),
            "412",
        ),
        (format!("If-Unmodified-Since: {lm}\r\n"), "200"),
        // If-Match decides when both are there.
        (
            format!("If-Match: {etag}\r\nIf-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n"),
            "200",
        ),
        // A precondition that holds, and a validator that matches: 304.
        (
            format!("If-Match: {etag}\r\nIf-None-Match: {etag}\r\n"),
            "304",
        ),
    ] {
        let response = get_with(&server, &headers);
        assert_eq!(status_of(&response), expected, "{headers}");
    }
}

/// Regression: HTTP/1.1 requests with no `Host`, two, or an invalid one were
/// served instead of refused (RFC 9112 §3.2).
#[test]
fn an_http11_request_needs_exactly_one_valid_host() {
    let (_site, server) = sample();
    for request in [
        "GET /all.rss HTTP/1.1\r\nConnection: close\r\n\r\n",
        "GET /all.rss HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: close\r\n\r\n",
        "GET /all.rss HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n",
        "GET /all.rss HTTP/1.1\r\nHost: user@a.example\r\nConnection: close\r\n\r\n",
        "GET /all.rss HTTP/1.1\r\nHost: a.example:xyz\r\nConnection: close\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n",
    ] {
        let response = server.exchange(request.as_bytes());
        assert_eq!(status_of(&response), "400", "{request:?}: {response}");
    }
    for request in [
        "GET /all.rss HTTP/1.0\r\n\r\n",
        "GET /all.rss HTTP/1.1\r\nHost: news.example:8080\r\nConnection: close\r\n\r\n",
        "GET /all.rss HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n",
    ] {
        let response = server.exchange(request.as_bytes());
        assert_eq!(status_of(&response), "200", "{request:?}");
    }
}
