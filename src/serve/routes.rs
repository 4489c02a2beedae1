//! The route table: every path the server answers, declared once, with its
//! content type and how it may be cached.
//!
//! | path | what | content type | caching |
//! | --- | --- | --- | --- |
//! | `/` and `/index.html` | the index page | `text/html` | validators, `public, max-age` |
//! | `/feeds.opml` | the OPML list of the feeds | `text/x-opml` | validators, `public, max-age` |
//! | `/{feed}.rss`, `.atom`, `.json` | each feed in each format | its format's media type | validators, `public, max-age` |
//! | `/{family}/{value}.rss`, … | each feed of a family (the value percent-encoded as UTF-8) | its format's media type | validators, `public, max-age` |
//! | `/{feed}/archive/{n}-{digest}.rss`, … | archive page n of a feed with an archive (RFC 5005), by the digest of its bytes | its format's media type | validators, `immutable`; `410` 30 days after a newer history replaced it |
//! | `/{feed}/archive/{n}.rss`, … | `307` to archive page n as it is now | `text/html` (a note) | `public, max-age` |
//! | any document of a retired feed (`/{feed}.rss`, its page, variants', archive pages) | `410` with a note | `text/html` | `public, max-age` |
//! | any document of a moved feed | `301` or `308` to its counterpart, with a note | `text/html` | `public, max-age` of `server.moved_max_age` |
//! | `/404.html` | the page of missing feeds | `text/html` | validators, `public, max-age` |
//! | a path like a feed's that names nothing (`/feed`, `/rss.xml`, `/atom.xml`, `/index.xml`, …) | `404` with the page of missing feeds | `text/html` | `public, max-age` |
//! | `/healthz` | what is served, and content errors (JSON) | `application/json` | `no-store` |
//! | `/metrics` | Prometheus text exposition format 0.0.4 | `text/plain; version=0.0.4` | `no-store` |
//!
//! Documents (the first three rows) are whatever the current [`Snapshot`]
//! holds, each with the content type it was published with; their names come
//! from the pages ([`crate::pages::INDEX`], [`crate::pages::OPML`]).
//! `*` names the server as a whole, for `OPTIONS *` only.

use percent_encoding::percent_decode_str;
use serde::Serialize;

use crate::pages::{INDEX, NOT_FOUND};
use crate::snapshot::{Resource, Snapshot};

/// `Content-Type` of `/healthz`.
pub const HEALTH_TYPE: &str = "application/json";
/// `Content-Type` of `/metrics` (Prometheus text exposition format 0.0.4).
pub const METRICS_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// What a request path names: a document of `'s`, the snapshot that was
/// asked (borrowed: a served request touches no reference count).
#[derive(Debug, Clone, Copy)]
pub enum Route<'s> {
    /// A published document, served with its validators.
    Document(&'s Resource),
    /// `/healthz`, made for each request.
    Health,
    /// `/metrics`, made for each request.
    Metrics,
    /// `*`: the server as a whole (`OPTIONS *`).
    Server,
    /// Nothing is served here, but a feed's address would look like this
    /// ([`looks_like_a_feed`]): the page of missing feeds, if published.
    MissingFeed(Option<&'s Resource>),
    /// Nothing is served here.
    NotFound,
}

impl Route<'_> {
    /// Whether something is served here (for `OPTIONS`).
    pub fn exists(&self) -> bool {
        !matches!(self, Route::NotFound | Route::MissingFeed(_))
    }
}

/// What `path` (without its query) names in `snapshot`.
pub fn route<'s>(path: &str, snapshot: &'s Snapshot) -> Route<'s> {
    let document = |name: &str| {
        snapshot
            .get(name)
            .map_or(Route::NotFound, |r| Route::Document(r))
    };
    match path {
        "*" => Route::Server,
        "/" => document(INDEX),
        "/healthz" => Route::Health,
        "/metrics" => Route::Metrics,
        // Names are UTF-8 (`tags/大运河.rss`); requests percent-encode them.
        _ => match path
            .strip_prefix('/')
            .map(|name| percent_decode_str(name).decode_utf8())
        {
            Some(Ok(name)) => match document(&name) {
                Route::NotFound => missing(&name, snapshot),
                found => found,
            },
            _ => Route::NotFound,
        },
    }
}

/// What the name `name` that no document has leads to: the archive
/// pages of a feed no longer published answer as one
/// ([`crate::pages::archive_pattern`]); an address like a feed's gets the
/// page of missing feeds.
fn missing<'s>(name: &str, snapshot: &'s Snapshot) -> Route<'s> {
    let pattern = crate::pages::archive_pattern_for(name);
    match pattern.and_then(|pattern| snapshot.get(&pattern)) {
        Some(resource) => Route::Document(resource),
        None if looks_like_a_feed(name) => {
            Route::MissingFeed(snapshot.get(NOT_FOUND).map(|page| &**page))
        }
        None => Route::NotFound,
    }
}

/// Whether `name` (a request path without its `/`, decoded) is what
/// people and tools try for a site's feed: its last segment (a trailing
/// `/` aside) is `feed`, `feeds`, `rss`, `rss2`, `atom` or `rdf`, or ends in
/// `.rss`, `.atom`, `.rdf`, `.xml` or `.json` (WordPress's `/feed/`,
/// `/feed/atom/`, Hugo's `/index.xml`, Jekyll's `/feed.xml`, Blogger's
/// `/feeds/posts/default`, …).
pub fn looks_like_a_feed(name: &str) -> bool {
    let name = name.trim_end_matches('/');
    let last = name.rsplit('/').next().unwrap_or_default();
    let last = last.to_ascii_lowercase();
    let extension = last.rsplit_once('.').map(|(_, ext)| ext);
    matches!(
        last.as_str(),
        "feed" | "feeds" | "rss" | "rss2" | "atom" | "rdf"
    ) || matches!(extension, Some("rss" | "atom" | "rdf" | "xml" | "json"))
        || name
            .split('/')
            .any(|segment| segment.eq_ignore_ascii_case("feeds"))
}

#[derive(Serialize)]
struct Health<'a> {
    status: &'static str,
    articles: usize,
    feeds: usize,
    feed_names: &'a [String],
    content_errors: usize,
    errors: Vec<HealthError<'a>>,
    last_publication: Option<String>,
    publications: u64,
    compressing: usize,
    settling: usize,
    pings: Pings,
}

/// `/healthz`'s account of WebSub pings.
#[derive(Serialize)]
struct Pings {
    queued_through: u64,
    pending: u64,
}

/// What the daemon is still doing after a publication, which `/healthz`
/// reports so that a client can wait until it is done: a deploy script
/// until a feed is served compressed, a test until every hub has been told.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// How many changed documents are served only uncompressed until their
    /// gzip and Brotli variants are made.
    pub compressing: usize,
    /// The last publication whose changed documents the WebSub pinger has
    /// been given (a publication that changed nothing counts once it is
    /// decided that it pings nothing).
    pub pings_queued_through: u64,
    /// WebSub pings waiting (a retry's back-off included) or in flight.
    pub pings_pending: u64,
}

#[derive(Serialize)]
struct HealthError<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    message: &'a str,
}

/// The body of `/healthz` (served 200 whenever the server answers): what
/// `snapshot` serves, `"status": "degraded"` while some files have errors
/// (their last good versions are what is published), and how many
/// publications there have been, so a client can wait for the next; then
/// what is still being done after it ([`Progress`]): how many changed
/// documents are still served only uncompressed (`compressing`, 0 once
/// their gzip and Brotli variants are served too), how many documents'
/// `Last-Modified` shares its second with an earlier version and settles
/// once that second is over (`settling`, see `Dating::settled`), and the
/// WebSub pings
/// (`pings.queued_through`, the last publication whose pings are queued,
/// and `pings.pending`: once the first equals `publications` and the second
/// is 0, every hub has been told of what is served, or given up on).
pub fn health(snapshot: &Snapshot, progress: Progress) -> String {
    let report = Health {
        status: if snapshot.errors.is_empty() {
            "ok"
        } else {
            "degraded"
        },
        articles: snapshot.articles,
        feeds: snapshot.feeds,
        feed_names: &snapshot.feed_names,
        content_errors: snapshot.errors.len(),
        errors: snapshot
            .errors
            .iter()
            .map(|e| HealthError {
                path: &e.path,
                line: e.line,
                message: &e.message,
            })
            .collect(),
        last_publication: snapshot.published_at.map(|t| t.to_string()),
        publications: snapshot.publications,
        compressing: progress.compressing,
        settling: snapshot.unsettled.len(),
        pings: Pings {
            queued_through: progress.pings_queued_through,
            pending: progress.pings_pending,
        },
    };
    let mut json = serde_json::to_string_pretty(&report).unwrap_or_default();
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    #[test]
    fn every_path_has_one_route() {
        let (snapshot, _) = Snapshot::default().with_documents(
            vec![
                (
                    INDEX.to_owned(),
                    "text/html".into(),
                    b"<p>x</p>".to_vec().into(),
                ),
                (
                    "all.rss".to_owned(),
                    "application/rss+xml".into(),
                    b"<rss/>".to_vec().into(),
                ),
            ],
            &Snapshot::default(),
            |_| None,
            Timestamp::UNIX_EPOCH,
        );
        let index = |path| match route(path, &snapshot) {
            Route::Document(r) => Some(r),
            _ => None,
        };
        assert!(std::ptr::eq(
            index("/").unwrap(),
            index("/index.html").unwrap()
        ));
        assert_eq!(
            index("/all.rss").unwrap().serving.content_type,
            "application/rss+xml"
        );
        assert!(matches!(route("/healthz", &snapshot), Route::Health));
        assert!(matches!(route("/metrics", &snapshot), Route::Metrics));
        assert!(matches!(route("*", &snapshot), Route::Server));
        assert!(route("/%61ll.rss", &snapshot).exists(), "percent-decoded");
        for missing in ["/nothing.rss", "all.rss", "", "//all.rss", "/%ff.rss"] {
            assert!(!route(missing, &snapshot).exists(), "{missing:?}");
        }
    }

    #[test]
    fn what_people_and_tools_try_for_a_feed_looks_like_one() {
        for name in [
            "feed",
            "feed/",
            "RSS",
            "rss.xml",
            "atom.xml",
            "index.xml",
            "feed.json",
            "feed/atom/",
            "tag/x/feed/",
            "feeds/posts/default",
            "index.rdf",
            "rss2",
        ] {
            assert!(looks_like_a_feed(name), "{name}");
        }
        for name in [
            "",
            "index.html",
            "logo.png",
            "about/",
            "feedback",
            "atomic.html",
        ] {
            assert!(!looks_like_a_feed(name), "{name}");
        }
    }

    #[test]
    fn health_says_what_is_still_being_done() {
        let progress = Progress {
            compressing: 3,
            pings_queued_through: 7,
            pings_pending: 2,
        };
        let health: serde_json::Value =
            serde_json::from_str(&health(&Snapshot::default(), progress)).unwrap();
        assert_eq!(health["compressing"], 3);
        assert_eq!(health["pings"]["queued_through"], 7);
        assert_eq!(health["pings"]["pending"], 2);
    }
}
