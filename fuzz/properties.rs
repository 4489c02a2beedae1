//! The properties the fuzz targets (`fuzz/fuzz_targets/`) and the property
//! tests (`tests/integration/fuzz.rs`) check, shared so that both check the
//! same thing and the seed corpus runs in CI. Each panics when it fails.

use std::future::Future;
use std::path::Path;

use syndicated::config::{Config, FeedSpec, Format};
use syndicated::content::{Source, parse_article, parse_srcset, render_article};
use syndicated::render::{History, Item, render, render_within};

const CONFIG: &str =
    "[site]\ntitle = \"T\"\nbase_url = \"https://news.example/\"\ntimezone = \"Asia/Shanghai\"\n";

/// Any bytes as an article file: parsing returns an article or an error,
/// the scan (front matter only) and the render (with the body) agree, and
/// every feed rendered from the article is a document that parses (XML 1.0
/// strictly, JSON) and that feed-rs reads back with exactly that one entry,
/// whose every URL is absolute, whose summary ends on a grapheme cluster
/// boundary, and which stays within a small byte budget.
pub fn article(bytes: &[u8]) {
    let config = Config::parse(Path::new("syndicated.toml"), CONFIG).expect("config");
    let source = Source::new(
        Path::new("content"),
        Path::new("content/2024/x.md").to_path_buf(),
    );
    let parsed = parse_article(&config.site, &source, bytes);
    let rendered = render_article(&config.site, config.summary, &source, bytes);
    assert_eq!(
        parsed.is_ok(),
        rendered.is_ok(),
        "the scan and the render disagree: {parsed:?} / {rendered:?}"
    );
    let Ok(rendered) = rendered else { return };
    let (article, body) = &rendered.value;
    summary_is_whole_clusters(&body.summary);
    let feed = FeedSpec::parse(Path::new("feeds/all.toml"), "title = \"All\"").expect("feed");
    let translations = [("en".to_owned(), "https://news.example/en/a/".to_owned())];
    let items = [Item {
        article,
        body,
        full: true,
        translations: &translations,
    }];
    for format in Format::ALL {
        let document = render(format, &config.site, &feed, &items, History::Unarchived);
        well_formed(format, &document);
        let read = match feed_rs::parser::parse(document.as_slice()) {
            Ok(read) => read,
            Err(e) => panic!(
                "{format:?} not readable: {e:?}\n{}",
                String::from_utf8_lossy(&document)
            ),
        };
        assert_eq!(read.entries.len(), 1, "{format:?}: one entry");
        every_url_is_absolute(format, &read.entries[0]);
        const BUDGET: usize = 4096;
        let fitted = render_within(
            format,
            &config.site,
            &feed,
            &items,
            BUDGET,
            History::Unarchived,
        );
        assert!(
            fitted.bytes.len() <= BUDGET,
            "{format:?}: {} bytes over a budget of {BUDGET}",
            fitted.bytes.len()
        );
        well_formed(format, &fitted.bytes);
    }
}

/// A document parses: XML 1.0 strictly (roxmltree refuses what XML cannot
/// carry), JSON as JSON.
fn well_formed(format: Format, document: &[u8]) {
    let text = std::str::from_utf8(document).expect("UTF-8");
    match format {
        Format::Json => {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
                panic!("JSON not well-formed: {e}\n{text}");
            }
        }
        Format::Rss | Format::Atom => {
            if let Err(e) = roxmltree::Document::parse(text) {
                panic!("{format:?} not well-formed: {e}\n{text}");
            }
        }
    }
}

/// Every link of the entry, its authors' pages, and every URL attribute of
/// its HTML (one URL each, or the candidates of `srcset`) is absolute.
fn every_url_is_absolute(format: Format, entry: &feed_rs::model::Entry) {
    let absolute = |url: &str, what: &str| {
        assert!(
            url::Url::parse(url).is_ok(),
            "{format:?}: {what} {url:?} is not an absolute URL"
        );
    };
    for link in &entry.links {
        absolute(&link.href, "link");
    }
    for person in &entry.authors {
        if let Some(uri) = &person.uri {
            absolute(uri, "author uri");
        }
    }
    let html = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap_or_default();
    for (name, value) in attributes(&html) {
        match name.as_str() {
            "href" | "src" | "poster" | "cite" => absolute(&value, &name),
            "srcset" => {
                for candidate in parse_srcset(&value) {
                    absolute(&candidate.url, "srcset candidate");
                }
            }
            _ => {}
        }
    }
}

/// The attributes of HTML as the product writes it: `name="value"`, the
/// value escaped with `&amp;`, `&quot;`, `&lt;` and `&gt;`.
fn attributes(html: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut in_tag = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if !in_tag {
            in_tag = c == '<';
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c == '>' {
            in_tag = false;
            rest = &rest[1..];
            continue;
        }
        if let Some(eq) = rest.find("=\"") {
            let name_start = rest[..eq].rfind(' ').map_or(0, |i| i + 1);
            let closing = rest[..eq].find('>');
            if closing.is_none() {
                let name = rest[name_start..eq].to_owned();
                let value_start = eq + 2;
                let Some(len) = rest[value_start..].find('"') else {
                    break;
                };
                let value = rest[value_start..value_start + len]
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&");
                found.push((name, value));
                rest = &rest[value_start + len + 1..];
                continue;
            }
        }
        rest = &rest[c.len_utf8()..];
    }
    found
}

/// A summary cut between grapheme clusters never ends in a zero-width
/// joiner or half a flag. (That the cut falls on a cluster boundary of the
/// whole text is [`summary`]'s property.)
fn summary_is_whole_clusters(summary: &str) {
    use unicode_segmentation::UnicodeSegmentation as _;
    let text = summary.strip_suffix('…').unwrap_or(summary);
    if let Some(last) = text.graphemes(true).next_back() {
        let last_char = last.chars().next_back().unwrap_or_default();
        assert!(
            last_char != '\u{200D}',
            "summary ends in a zero-width joiner: {summary:?}"
        );
        let flags = last
            .chars()
            .filter(|c| ('\u{1F1E6}'..='\u{1F1FF}').contains(c))
            .count();
        assert!(
            flags == 0 || flags == 2 || last.chars().count() > flags,
            "summary ends in half a flag: {summary:?}"
        );
    }
}

/// Any text, summarised: the summary (less a final `…`) is the start of the
/// text, cut on an extended grapheme cluster boundary (UAX #29).
pub fn summary(text: &str) {
    use unicode_segmentation::GraphemeCursor;
    for (cjk, latin) in [(120, 200), (10, 10)] {
        let summary = syndicated::text::summarize(text, cjk, latin);
        let kept = summary.strip_suffix('…').unwrap_or(&summary);
        let whole = text.trim();
        assert!(
            whole.starts_with(kept),
            "{kept:?} is not the start of {whole:?}"
        );
        let mut cursor = GraphemeCursor::new(kept.len(), whole.len(), true);
        assert_eq!(
            cursor.is_boundary(whole, 0),
            Ok(true),
            "{kept:?} ends inside a grapheme cluster of {whole:?}"
        );
    }
}

/// Any text as `syndicated.toml` and as a feed definition: a config or an
/// error naming the file, never a panic; a feed definition that parses
/// renders a feed of no items that feed-rs reads back.
pub fn config(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Err(e) = Config::parse(Path::new("syndicated.toml"), text) {
        assert!(e.to_string().starts_with("syndicated.toml"), "{e}");
    }
    let site = Config::parse(Path::new("syndicated.toml"), CONFIG)
        .expect("config")
        .site;
    match FeedSpec::parse(Path::new("feeds/f.toml"), text) {
        Err(e) => assert!(e.to_string().starts_with("feeds/f.toml"), "{e}"),
        Ok(feed) => {
            for format in Format::ALL {
                let document = render(format, &site, &feed, &[], History::Unarchived);
                if let Err(e) = feed_rs::parser::parse(document.as_slice()) {
                    panic!(
                        "{format:?} not readable: {e:?}\n{}",
                        String::from_utf8_lossy(&document)
                    );
                }
            }
        }
    }
}

/// Any request (method, path, headers) against a snapshot of three
/// resources: a status the HTTP contract allows, never a panic, and a body
/// that is exactly one of the snapshot's variants, named by its ETag.
/// Answers come from the snapshot alone, so no input reaches the files.
pub fn request(bytes: &[u8]) {
    use hyper::header::{HeaderMap, HeaderName, HeaderValue};
    use hyper::{Method, StatusCode};
    use syndicated::serve::Progress;
    use syndicated::serve::respond::respond;
    use syndicated::snapshot::{Resource, Snapshot};

    let now = jiff::Timestamp::from_second(1_719_800_000).expect("time");
    // Made once: compressing the feed for every input would be most of the work.
    static SNAPSHOT: std::sync::OnceLock<Snapshot> = std::sync::OnceLock::new();
    let snapshot = SNAPSHOT.get_or_init(|| {
        let feed = "<rss>拱墅新闻 &amp; 文化</rss>\n".repeat(50).into_bytes();
        let rss = Resource::new("application/rss+xml", feed, now, None, None);
        let small = Resource::new(
            "text/html; charset=utf-8",
            b"<p>x</p>".to_vec(),
            now,
            None,
            None,
        );
        let mut snapshot = Snapshot {
            max_age: 300,
            ..Snapshot::default()
        };
        snapshot.resources.insert("all.rss".to_owned(), rss);
        snapshot.resources.insert("index.html".to_owned(), small);
        snapshot
    });

    let mut lines = bytes.split(|&b| b == b'\n');
    let first = lines.next().unwrap_or_default();
    let (method, path) = match first.split_first() {
        Some((m, rest)) => (
            match m % 6 {
                0 => Method::GET,
                1 => Method::HEAD,
                2 => Method::POST,
                3 => Method::OPTIONS,
                4 => Method::from_bytes(rest.get(..3).unwrap_or(b"X")).unwrap_or(Method::PUT),
                _ => Method::GET,
            },
            String::from_utf8_lossy(rest).into_owned(),
        ),
        None => (Method::GET, String::new()),
    };
    let mut headers = HeaderMap::new();
    for line in lines {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(&line[..colon]),
            HeaderValue::from_bytes(line[colon + 1..].trim_ascii()),
        ) else {
            continue;
        };
        headers.append(name, value);
    }

    let response = respond(
        &method,
        &path,
        &headers,
        snapshot,
        String::new,
        Progress::default(),
        now,
    );
    let status = response.status();
    let key = path.split('?').next().unwrap_or_default();
    // The documents, as the route table should serve them.
    let document = match key {
        "/" => snapshot.get("index.html"),
        _ => key.strip_prefix('/').and_then(|name| snapshot.get(name)),
    };
    let generated = key == "/healthz" || key == "/metrics";
    if method == Method::OPTIONS {
        let exists = key == "*" || generated || document.is_some();
        let expected = if exists {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(status, expected, "OPTIONS {key:?}");
        return;
    }
    if method != Method::GET && method != Method::HEAD {
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert!(response.headers().contains_key("allow"));
        return;
    }
    if generated {
        assert_eq!(status, StatusCode::OK, "{key:?}");
        assert_eq!(response.headers()["cache-control"], "no-store");
        return;
    }
    let Some(resource) = document else {
        assert_eq!(status, StatusCode::NOT_FOUND, "{key:?}");
        return;
    };
    if status == StatusCode::PRECONDITION_FAILED {
        assert!(
            headers.contains_key("if-match") || headers.contains_key("if-unmodified-since"),
            "412 without a precondition"
        );
        return;
    }
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("an ETag");
    let variant = std::iter::once(&resource.identity)
        .chain(&resource.compressed)
        .find(|v| v.etag == etag)
        .expect("the ETag of one of the variants");
    match status {
        StatusCode::NOT_MODIFIED => {}
        StatusCode::OK => {
            use http_body_util::BodyExt as _;
            let Ok(body) = ready(response.into_body().collect());
            assert_eq!(body.to_bytes(), variant.bytes, "the body its ETag names");
        }
        other => panic!("status {other} for {key:?}"),
    }
}

/// Runs a future that is ready at once (a full body).
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let waker = std::task::Waker::noop();
    match future
        .as_mut()
        .poll(&mut std::task::Context::from_waker(waker))
    {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => panic!("a full body is ready at once"),
    }
}
