//! The properties the fuzz targets (`fuzz/fuzz_targets/`) and the property
//! tests (`tests/integration/fuzz.rs`) check, shared so that both check the
//! same thing and the seed corpus runs in CI. Each panics when it fails.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;

use syndicated::config::{Config, FeedSpec, Format};
use syndicated::content::{Source, parse_article, render_article};
use syndicated::render::{Item, render};

const CONFIG: &str =
    "[site]\ntitle = \"T\"\nbase_url = \"https://news.example/\"\ntimezone = \"Asia/Shanghai\"\n";

/// Any bytes as an article file: parsing returns an article or an error,
/// the scan (front matter only) and the render (with the body) agree, and
/// every feed rendered from the article is a document feed-rs reads back
/// with exactly that one entry.
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
    let feed = FeedSpec::parse(Path::new("feeds/all.toml"), "title = \"All\"").expect("feed");
    let items = [Item {
        article,
        body,
        full: true,
    }];
    for format in Format::ALL {
        let document = render(format, &config.site, &feed, &items);
        match feed_rs::parser::parse(document.as_slice()) {
            Ok(read) => assert_eq!(read.entries.len(), 1, "{format:?}: one entry"),
            Err(e) => panic!(
                "{format:?} not readable: {e:?}\n{}",
                String::from_utf8_lossy(&document)
            ),
        }
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
                let document = render(format, &site, &feed, &[]);
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
        snapshot.resources.insert("/all.rss".to_owned(), rss);
        snapshot
            .resources
            .insert("/".to_owned(), Arc::clone(&small));
        snapshot.resources.insert("/index.html".to_owned(), small);
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

    let response = respond(&method, &path, &headers, snapshot, now);
    let status = response.status();
    let key = path.split('?').next().unwrap_or_default();
    if method == Method::OPTIONS {
        let exists = key == "*" || snapshot.get(key).is_some();
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
    let Some(resource) = snapshot.get(key) else {
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
