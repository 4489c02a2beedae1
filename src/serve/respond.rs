//! The HTTP contract, as a pure function from a request's method, path and
//! headers and the current [`Snapshot`] to a response. No file is ever
//! opened here: a path is a key in a map (see the route table in
//! `routes.rs`).
//!
//! - GET and HEAD; OPTIONS answers with `Allow` (and, for a browser's CORS
//!   preflight, the `Access-Control-Allow-*` headers a web-based reader
//!   needs before a conditional fetch); anything else is 405 with `Allow`.
//! - The query string is ignored (readers append cache-busters).
//! - Preconditions in the order of RFC 9110 §13.2.2: a failing `If-Match`
//!   (strong comparison), or without it a failing `If-Unmodified-Since`, is
//!   412; then `If-None-Match` (weak comparison), and only without it
//!   `If-Modified-Since`, is 304. A date field with more than one member or
//!   that is no HTTP-date is ignored (§13.1.3, §13.1.4). A 304 carries the
//!   caching headers a 200 would, and no body.
//! - The body is the precompressed variant the client prefers by
//!   `Accept-Encoding` q-values (br, then gzip, then identity on ties).
//! - `Cache-Control: public, max-age=N` never lasts past the next scheduled
//!   publication, so no cache hides an article that is due; a preview
//!   (drafts shown) is `no-store`.
//! - Any origin may read every resource (`Access-Control-Allow-Origin: *`),
//!   and scripts may read its `ETag` and `Link` (`Access-Control-Expose-Headers`).
//! - A feed document carries its `Link` fields (its `self`, its WebSub
//!   hubs, an archive page's history links; RFC 8288) on 200, 304 and HEAD
//!   alike, as WebSub §4 asks of a topic's every response. A full archive
//!   page, whose items do not change (RFC 5005 §4), is `immutable`
//!   (RFC 8246) with a long `max-age`.
//! - A document that is elsewhere for now (an archive page's number) is
//!   `307` with `Location`; a feed that moved is `301` or `308` with
//!   `Location`, cached as long as `server.moved_max_age` says; one that is
//!   gone for good (a retired feed, a replaced archive page after its 30
//!   days) is `410`; each with a short HTML note and no validator.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Response, StatusCode, Version};
use jiff::Timestamp;

use super::routes::{HEALTH_TYPE, METRICS_TYPE, Progress, Route, health, route};
use crate::snapshot::{Answer, Encoded, Encoding, Resource, Snapshot};

/// A response body: complete in memory, as every resource is.
pub type ResponseBody = Full<Bytes>;

/// `Allow` for every resource.
pub const ALLOW: &str = "GET, HEAD, OPTIONS";

/// Response headers scripts may read beyond the CORS-safelisted ones: a
/// web-based reader finds a feed's hubs in `Link`.
const EXPOSE: &str = "ETag, Link";

/// `Cache-Control` of an archive page, a day and `immutable` (RFC 8246):
/// its URL carries a digest of its bytes, so it never serves other bytes
/// (RFC 5005 §4); a changed history gives the page a new URL.
pub const ARCHIVE_CACHE_CONTROL: &str = "public, max-age=86400, immutable";

/// How long a browser may cache a preflight answer, in seconds.
const PREFLIGHT_MAX_AGE: &str = "86400";

/// Answers a request for `path` (a query is ignored) from `snapshot`, by
/// the route table ([`route`]); `metrics` is the body of `/metrics`, made
/// only when asked for; `progress` is what `/healthz` says is still being
/// done after the publication. Methods are checked here, once for every
/// route.
pub fn respond(
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    snapshot: &Snapshot,
    metrics: impl FnOnce() -> String,
    progress: Progress,
    now: Timestamp,
) -> Response<ResponseBody> {
    let path = path.split('?').next().unwrap_or(path);
    if snapshot.no_store && !preview_host(headers) {
        return plain(
            StatusCode::FORBIDDEN,
            "a preview answers only requests to localhost\n",
        );
    }
    let route = route(path, snapshot);
    if let Some(response) = other_method(method, headers, route.exists()) {
        return response;
    }
    match route {
        Route::Document(resource)
            if resource.serving.answer != Answer::Bytes || resource.is_gone_at(now) =>
        {
            elsewhere(resource, snapshot, now)
        }
        Route::Document(resource) => match resource
            .serving
            .page
            .as_deref()
            .filter(|_| prefers_html(headers))
            .and_then(|page| snapshot.get(page))
        {
            Some(page) => for_a_browser(document(headers, page, snapshot, now), snapshot),
            None => document(headers, resource, snapshot, now),
        },
        Route::Health => generated(HEALTH_TYPE, health(snapshot, progress)),
        Route::Metrics => generated(METRICS_TYPE, metrics()),
        Route::MissingFeed(Some(page)) => missing_feed(page, snapshot, now),
        Route::Server | Route::MissingFeed(None) | Route::NotFound => {
            plain(StatusCode::NOT_FOUND, "not found\n")
        }
    }
}

/// `404 Not Found` for an address that looks like a feed's, with `page`,
/// the page of missing feeds (it lists the feeds there are), cached as a
/// subscription document is: a feed may appear there later.
fn missing_feed(page: &Resource, snapshot: &Snapshot, now: Timestamp) -> Response<ResponseBody> {
    html_note(snapshot, now)
        .status(StatusCode::NOT_FOUND)
        .body(ResponseBody::new(page.identity.bytes.clone()))
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "\n"))
}

/// The headers of an HTML note the server answers in a document's stead
/// (a redirect, `410`, the page of missing feeds): its type, the caching a
/// subscription document has (none in a preview), `nosniff`, and the
/// pages' policy.
fn html_note(snapshot: &Snapshot, now: Timestamp) -> hyper::http::response::Builder {
    Response::builder()
        .header(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )
        .header(
            header::CACHE_CONTROL,
            if snapshot.no_store {
                HeaderValue::from_static("no-store")
            } else {
                cache_control_value(snapshot, now)
            },
        )
        .header(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        )
        .header(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(crate::pages::CONTENT_SECURITY_POLICY),
        )
}

/// Whether a request for a feed is a browser's, which gets the feed's HTML
/// page: its `Accept` ranks `text/html`, named as such, above every type a
/// feed reader takes (any XML or JSON type but XHTML, any type naming RSS
/// or Atom, and the wildcards), and, if it says what it fetches
/// (`Sec-Fetch-Dest`), it navigates to a document. Browsers send
/// `text/html` at q=1 and `application/xml` at 0.9 or less; Miniflux sends
/// `text/html` beside the feed types, all at q=1, and gets the feed;
/// feedparser, newsboat, and a request without `Accept` get the feed (RFC
/// 9110 §12.5.1).
pub fn prefers_html(headers: &HeaderMap) -> bool {
    // A browser says what it fetches: only a page it navigates to is one.
    if let Some(dest) = headers.get("sec-fetch-dest") {
        if dest.as_bytes() != b"document" {
            return false;
        }
    }
    // Asked of every request for a feed: compared in place, nothing
    // allocated.
    let ends = |text: &str, end: &str| {
        let text = text.as_bytes();
        text.len() >= end.len()
            && text[text.len() - end.len()..].eq_ignore_ascii_case(end.as_bytes())
    };
    let has = |text: &str, part: &str| {
        text.as_bytes()
            .windows(part.len())
            .any(|w| w.eq_ignore_ascii_case(part.as_bytes()))
    };
    let feed_type = |media: &str| {
        let (kind, sub) = media.split_once('/').unwrap_or((media, ""));
        sub == "*"
            || media == "*/*"
            || (ends(sub, "+xml") && !sub.eq_ignore_ascii_case("xhtml+xml"))
            || sub.eq_ignore_ascii_case("xml")
            || ends(sub, "+json")
            || sub.eq_ignore_ascii_case("json")
            || has(sub, "rss")
            || has(sub, "atom")
            || (kind.eq_ignore_ascii_case("text") && sub == "*")
    };
    let (mut html, mut feed) = (0, 0);
    for value in headers.get_all(header::ACCEPT) {
        let Ok(value) = value.to_str() else { continue };
        for (media, q) in weighted(value) {
            if media.eq_ignore_ascii_case("text/html") {
                html = html.max(q);
            } else if feed_type(media) {
                feed = feed.max(q);
            }
        }
    }
    html > feed
}

/// A feed's HTML page answering a browser's request for the feed: the
/// answer depends on `Accept`, and only the browser may keep it (a shared
/// cache that kept it could hand it to a feed reader). A preview's
/// `no-store` stays.
fn for_a_browser(
    mut response: Response<ResponseBody>,
    snapshot: &Snapshot,
) -> Response<ResponseBody> {
    let headers = response.headers_mut();
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Encoding, Accept"),
    );
    if !snapshot.no_store {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
    }
    response
}

/// Whether a preview may answer a request that names `Host`: only this
/// machine's names do, so that no other host, and no page a browser loaded
/// from elsewhere through a name pointed at this machine (DNS rebinding),
/// reads what is not published.
fn preview_host(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A response made for this request, which no cache may keep.
fn generated(content_type: &'static str, body: String) -> Response<ResponseBody> {
    let mut response = Response::new(ResponseBody::new(Bytes::from(body)));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A document that is elsewhere or gone: `307 Temporary Redirect` (an
/// archive page's number), `301` or `308` (a feed that moved) with
/// `Location`, or `410 Gone`, each with its short HTML note and cached as
/// a subscription document is (what it leads to may change), a move as
/// long as it says.
fn elsewhere(resource: &Resource, snapshot: &Snapshot, now: Timestamp) -> Response<ResponseBody> {
    let mut builder = html_note(snapshot, now);
    if !snapshot.no_store {
        builder = builder.header(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    }
    let note = resource.identity.bytes.clone();
    let (status, location) = match &resource.serving.answer {
        Answer::Redirect(location) => (StatusCode::TEMPORARY_REDIRECT, Some(location)),
        Answer::Moved {
            location,
            status,
            max_age,
        } => {
            let cache = HeaderValue::try_from(format!("public, max-age={max_age}"));
            if let (Some(headers), Ok(cache), false) =
                (builder.headers_mut(), cache, snapshot.no_store)
            {
                headers.insert(header::CACHE_CONTROL, cache);
            }
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::MOVED_PERMANENTLY);
            (status, Some(location))
        }
        Answer::Gone => (StatusCode::GONE, None),
        // A superseded page past its time, before a publication turns it
        // into `410 Gone`.
        Answer::Bytes => {
            let note = Bytes::from_static(crate::pages::gone_note().as_bytes());
            return respond_with(builder, StatusCode::GONE, note);
        }
    };
    if let Some(location) = location {
        match HeaderValue::try_from(&**location) {
            Ok(location) => builder = builder.header(header::LOCATION, location),
            Err(_) => return plain(StatusCode::INTERNAL_SERVER_ERROR, "\n"),
        }
    }
    respond_with(builder, status, note)
}

/// `builder` with `status` and the HTML note `note` as its body.
fn respond_with(
    builder: hyper::http::response::Builder,
    status: StatusCode,
    note: Bytes,
) -> Response<ResponseBody> {
    builder
        .status(status)
        .header(header::CONTENT_LENGTH, note.len())
        .body(ResponseBody::new(note))
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "\n"))
}

/// A published document, by the HTTP contract of this module's overview.
fn document(
    headers: &HeaderMap,
    resource: &Resource,
    snapshot: &Snapshot,
    now: Timestamp,
) -> Response<ResponseBody> {
    let encoding = negotiate(headers.get(header::ACCEPT_ENCODING), resource);
    let encoded = resource.encoded(encoding).unwrap_or(&resource.identity);

    if precondition_failed(headers, resource) {
        let mut response = plain(StatusCode::PRECONDITION_FAILED, "precondition failed\n");
        response.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        return response;
    }

    let mut builder = shared_headers(resource, encoded, snapshot, now);
    if not_modified(headers, resource) {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(ResponseBody::default())
            .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "\n"));
    }
    builder = builder
        .header(header::CONTENT_TYPE, resource.content_type_value.clone())
        .header(header::CONTENT_LENGTH, encoded.length.clone());
    if let Some(coding) = encoded.encoding.header() {
        builder = builder.header(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    // HEAD gets the headers of GET, Content-Length included; hyper sends no body.
    builder
        .status(StatusCode::OK)
        .body(ResponseBody::new(encoded.bytes.clone()))
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "\n"))
}

/// The headers a document's 200 and 304 share: validators, caching, CORS,
/// the pages' content security policy and the feed's `Link`s.
fn shared_headers(
    resource: &Resource,
    encoded: &Encoded,
    snapshot: &Snapshot,
    now: Timestamp,
) -> hyper::http::response::Builder {
    // A date remembered from before the clock was set back must still not
    // pass `Date` (RFC 9110 §8.8.2.1).
    let last_modified = if resource.last_modified <= now {
        resource.last_modified_value.clone()
    } else {
        crate::snapshot::http_date_value(now)
    };
    // Header values are made once (the resource's) or are static: a
    // response clones references, it formats only Cache-Control.
    let mut builder = Response::builder()
        .header(header::ETAG, encoded.etag.clone())
        .header(header::LAST_MODIFIED, last_modified)
        .header(
            header::CACHE_CONTROL,
            if snapshot.no_store {
                HeaderValue::from_static("no-store")
            } else if resource.serving.immutable {
                HeaderValue::from_static(ARCHIVE_CACHE_CONTROL)
            } else {
                cache_control_value(snapshot, now)
            },
        )
        .header(header::VARY, HeaderValue::from_static("Accept-Encoding"))
        .header(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
    // Any origin may read what is published; no other page may read a
    // preview.
    if !snapshot.no_store {
        builder = builder
            .header(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            )
            .header(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static(EXPOSE),
            );
    }

    // The pages load nothing but this server's stylesheet, script and
    // pictures; a picture (an SVG icon may hold a script) runs nothing.
    if resource.serving.content_type.starts_with("text/html") {
        builder = builder.header(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(crate::pages::CONTENT_SECURITY_POLICY),
        );
    } else if resource.serving.content_type.starts_with("image/") {
        builder = builder.header(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
        );
    }
    // A feed's self and hubs (WebSub §4), on 200, 304 and HEAD alike.
    for link in &resource.serving.links.fields {
        builder = builder.header(header::LINK, link.clone());
    }
    builder
}

/// The answer to any method but GET and HEAD, for a path where something
/// `exists`: OPTIONS gets 204 with `Allow` (a CORS preflight also gets what
/// it asks for), everything else 405 with `Allow`. `None` for GET and HEAD.
pub fn other_method(
    method: &Method,
    headers: &HeaderMap,
    exists: bool,
) -> Option<Response<ResponseBody>> {
    if method == Method::GET || method == Method::HEAD {
        return None;
    }
    if method != Method::OPTIONS {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(ALLOW));
        return Some(response);
    }
    if !exists {
        return Some(plain(StatusCode::NOT_FOUND, "not found\n"));
    }
    let mut response = Response::new(ResponseBody::default());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let out = response.headers_mut();
    out.insert(header::ALLOW, HeaderValue::from_static(ALLOW));
    if headers.contains_key(header::ORIGIN) {
        // A preflight (Fetch §3.2.2): any origin, our methods, and every
        // header it asks to send (readers send If-None-Match and friends).
        out.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        out.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(ALLOW),
        );
        // Every line of the request's list, as one list.
        let asked: Vec<&str> = headers
            .get_all(header::ACCESS_CONTROL_REQUEST_HEADERS)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if let Ok(allowed) = HeaderValue::from_str(&asked.join(", ")) {
            if !asked.is_empty() {
                out.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, allowed);
            }
        }
        out.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static(PREFLIGHT_MAX_AGE),
        );
    }
    Some(response)
}

/// Whether an HTTP/1.1 request names its host as RFC 9112 §3.2 requires:
/// exactly one `Host` field, a valid `host[:port]`. (HTTP/1.0 may omit it.)
/// A request that does not is answered 400.
pub fn host_is_valid(version: Version, headers: &HeaderMap) -> bool {
    let mut hosts = headers.get_all(header::HOST).iter();
    match (hosts.next(), hosts.next()) {
        (None, _) => version == Version::HTTP_10 || version == Version::HTTP_09,
        (Some(_), Some(_)) => false,
        (Some(host), None) => host
            .to_str()
            .ok()
            .and_then(|h| h.parse::<hyper::http::uri::Authority>().ok())
            .is_some_and(|a| {
                !a.as_str().contains('@') && !a.host().is_empty() && port_is_valid(a.as_str())
            }),
    }
}

/// A short plain-text response for errors.
pub fn plain(status: StatusCode, text: &'static str) -> Response<ResponseBody> {
    let mut response = Response::new(ResponseBody::new(Bytes::from_static(text.as_bytes())));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `public, max-age=N`, where N is the configured age or the seconds left
/// until the next scheduled publication, whichever is shorter.
pub fn cache_control(snapshot: &Snapshot, now: Timestamp) -> String {
    let age = crate::schedule::max_age(snapshot.max_age, snapshot.next_change, now);
    format!("public, max-age={age}")
}

/// [`cache_control`] as a header value.
fn cache_control_value(snapshot: &Snapshot, now: Timestamp) -> HeaderValue {
    HeaderValue::try_from(cache_control(snapshot, now))
        .unwrap_or_else(|_| HeaderValue::from_static("no-cache"))
}

/// Whether the port of `host[:port]` is absent or a port number (RFC 3986
/// §3.2.3: `port = *DIGIT`, so an empty one is allowed).
fn port_is_valid(authority: &str) -> bool {
    let after_host = match authority.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map(|(_, after)| after),
        None => Some(authority.rfind(':').map_or("", |i| &authority[i..])),
    };
    match after_host.map(|after| (after, after.strip_prefix(':'))) {
        Some(("", _)) | Some((_, Some(""))) => true,
        Some((_, Some(port))) => {
            port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok()
        }
        _ => false,
    }
}

/// Whether `If-Match` or (without it) `If-Unmodified-Since` fails: the
/// client wants to act only on a version it no longer has (RFC 9110
/// §13.1.1, §13.1.4; evaluated as §13.2.2 orders).
fn precondition_failed(headers: &HeaderMap, resource: &Resource) -> bool {
    let if_match: Vec<&str> = headers
        .get_all(header::IF_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if !if_match.is_empty() {
        // Strong comparison: a weak tag never matches.
        let matched = if_match.iter().flat_map(|v| v.split(',')).any(|tag| {
            let tag = tag.trim();
            tag == "*" || (!tag.starts_with("W/") && resource.matches_etag(tag))
        });
        return !matched;
    }
    match single_date(headers, header::IF_UNMODIFIED_SINCE) {
        Some(since) => !resource.not_modified_since(since),
        None => false,
    }
}

/// Whether the request's validators say the client already has the resource.
fn not_modified(headers: &HeaderMap, resource: &Resource) -> bool {
    let if_none_match: Vec<&HeaderValue> = headers.get_all(header::IF_NONE_MATCH).iter().collect();
    if !if_none_match.is_empty() {
        return if_none_match
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|value| {
                value
                    .split(',')
                    .any(|tag| tag.trim() == "*" || resource.matches_etag(tag))
            });
    }
    match single_date(headers, header::IF_MODIFIED_SINCE) {
        Some(since) => resource.not_modified_since(since),
        None => false,
    }
}

/// The one HTTP-date of the date field `name`, in seconds since the epoch;
/// `None` when the field is absent, has more than one member (two lines, or
/// a list), or is no HTTP-date: RFC 9110 says to ignore it then.
fn single_date(headers: &HeaderMap, name: header::HeaderName) -> Option<i64> {
    let mut values = headers.get_all(name).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return None;
    };
    let date = httpdate::parse_http_date(value.to_str().ok()?).ok()?;
    let seconds = date.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(seconds).ok()
}

/// The best encoding the client accepts and the resource has. Q-values
/// decide; on a tie br beats gzip beats identity (smaller first). `*` stands
/// for any coding not named; identity is acceptable unless refused.
pub fn negotiate(accept: Option<&HeaderValue>, resource: &Resource) -> Encoding {
    let Some(accept) = accept.and_then(|v| v.to_str().ok()) else {
        return Encoding::Identity;
    };
    let mut q_br = None;
    let mut q_gzip = None;
    let mut q_identity = None;
    let mut q_any = None;
    for (coding, q) in weighted(accept) {
        let slot = match coding {
            c if c.eq_ignore_ascii_case("br") => &mut q_br,
            c if c.eq_ignore_ascii_case("gzip") || c.eq_ignore_ascii_case("x-gzip") => &mut q_gzip,
            c if c.eq_ignore_ascii_case("identity") => &mut q_identity,
            "*" => &mut q_any,
            _ => continue,
        };
        *slot = Some(q);
    }
    let q_br = q_br.or(q_any).unwrap_or(0);
    let q_gzip = q_gzip.or(q_any).unwrap_or(0);
    // Identity is acceptable by default, even when `*` is lower; a
    // thousandth is the least weight there is.
    let q_identity = q_identity.unwrap_or(if q_any == Some(0) { 0 } else { 1 });

    let mut best = (Encoding::Identity, q_identity);
    for (encoding, q) in [(Encoding::Gzip, q_gzip), (Encoding::Brotli, q_br)] {
        if q > 0 && q >= best.1 && resource.encoded(encoding).is_some() {
            best = (encoding, q);
        }
    }
    best.0
}

/// The members of a header that weighs them (`Accept`, `Accept-Encoding`),
/// each as its name (a media range or a coding, with its other parameters
/// cut off) and its weight in thousandths, by RFC 9110 §12.4.2:
/// `weight = OWS ";" OWS "q=" qvalue`, the `q` in either case. A member
/// without a weight weighs 1000; a member whose weight is not a valid
/// qvalue (`q=1.0001`, `q=-1`, `q= 0.5`, `q=0.1234`, `q =0.5`) is left out,
/// as a client that wrote it meant something we cannot know.
fn weighted(value: &str) -> impl Iterator<Item = (&str, u16)> {
    value.split(',').filter_map(|member| {
        let mut parts = member.split(';');
        let name = parts.next()?.trim_matches([' ', '\t']);
        if name.is_empty() {
            return None;
        }
        let mut weight = 1000;
        for parameter in parts {
            let parameter = parameter.trim_start_matches([' ', '\t']);
            let (key, value) = parameter.split_once('=').unwrap_or((parameter, ""));
            if key.eq_ignore_ascii_case("q") {
                weight = qvalue(value.trim_end_matches([' ', '\t']))?;
            } else if key.trim_end_matches([' ', '\t']).eq_ignore_ascii_case("q") {
                // `q =0.5`: white space is not allowed before the `=`.
                return None;
            }
        }
        Some((name, weight))
    })
}

/// A qvalue in thousandths (RFC 9110 §12.4.2: `"0" [ "." 0*3DIGIT ]` or
/// `"1" [ "." 0*3("0") ]`), or `None` for anything else.
fn qvalue(text: &str) -> Option<u16> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match whole {
        "1" => fraction.bytes().all(|b| b == b'0').then_some(1000),
        "0" => Some(
            fraction
                .bytes()
                .zip([100, 10, 1])
                .map(|(digit, place)| u16::from(digit - b'0') * place)
                .sum(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn qvalues_follow_the_grammar_and_a_bad_one_drops_its_member() {
        fn all(value: &str) -> Vec<(&str, u16)> {
            weighted(value).collect()
        }
        assert_eq!(all("gzip"), [("gzip", 1000)]);
        assert_eq!(all("gzip;Q=0"), [("gzip", 0)], "Q is q");
        assert_eq!(all("br;q=0.5, gzip ; q=0.25"), [("br", 500), ("gzip", 250)]);
        assert_eq!(all("gzip;q=1.000, br;q=0.001"), [("gzip", 1000), ("br", 1)]);
        assert_eq!(all("gzip;q=1., br;q=0"), [("gzip", 1000), ("br", 0)]);
        for bad in [
            "q=1.0001", "q=-1", "q= 0.5", "q=0.1234", "q =0.5", "q=", "q=1.5", "q=.5", "q=2",
        ] {
            let header = format!("gzip;{bad}, br");
            assert_eq!(all(&header), [("br", 1000)], "{bad}");
        }
        // A media range keeps its own parameters out of the way.
        assert_eq!(all("text/html;level=1;q=0.7"), [("text/html", 700)]);
        assert_eq!(all(" , ,text/html"), [("text/html", 1000)]);
    }

    fn resource() -> Arc<Resource> {
        Resource::new(
            "application/rss+xml; charset=utf-8",
            "<rss>拱墅</rss>".repeat(100).into_bytes(),
            Timestamp::from_second(1_720_022_400).unwrap(),
            None,
            None,
        )
    }

    fn accept(value: &str) -> Encoding {
        negotiate(Some(&HeaderValue::from_str(value).unwrap()), &resource())
    }

    #[test]
    fn q_values_decide_the_encoding() {
        assert_eq!(negotiate(None, &resource()), Encoding::Identity);
        assert_eq!(accept("gzip, deflate, br"), Encoding::Brotli);
        assert_eq!(accept("gzip"), Encoding::Gzip);
        assert_eq!(accept("br;q=0.5, gzip;q=0.8"), Encoding::Gzip);
        assert_eq!(accept("br;q=0, gzip;q=0"), Encoding::Identity);
        assert_eq!(accept("*"), Encoding::Brotli);
        assert_eq!(accept("*;q=0.5, br;q=0"), Encoding::Gzip);
        assert_eq!(accept("identity"), Encoding::Identity);
        assert_eq!(accept("identity;q=1, gzip;q=0.5"), Encoding::Identity);
        assert_eq!(accept("deflate"), Encoding::Identity);
        // Regression: an out-of-range weight read as 1, `Q=` was the only
        // other spelling, and `q= 0.5` was taken for 0.5.
        assert_eq!(accept("br;q=1.0001, gzip"), Encoding::Gzip);
        assert_eq!(accept("br;q=-1, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(accept("br;Q=0, gzip"), Encoding::Gzip);
        assert_eq!(accept("gzip;q=0.1234"), Encoding::Identity);
        assert_eq!(accept("br;q= 0.5, gzip;q=0.4"), Encoding::Gzip);
    }

    #[test]
    fn a_browser_is_told_by_valid_weights_only() {
        let asks = |accept: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT, HeaderValue::from_str(accept).unwrap());
            prefers_html(&headers)
        };
        assert!(asks("text/html, application/xml;q=0.9"));
        assert!(!asks("text/html;q=0.5, application/rss+xml"));
        // A weight that is not a qvalue takes its member out.
        assert!(!asks("text/html;q=1.5, application/rss+xml;q=0.9"));
        assert!(!asks("text/html;q=0.1234, application/rss+xml;q=0.1"));
        assert!(asks("text/html;Q=1, application/rss+xml;q=0.9"));
    }

    #[test]
    fn max_age_stops_at_the_next_scheduled_publication() {
        let now = Timestamp::from_second(1_000).unwrap();
        let mut snapshot = Snapshot {
            max_age: 300,
            ..Snapshot::default()
        };
        assert_eq!(cache_control(&snapshot, now), "public, max-age=300");
        snapshot.next_change = Some(Timestamp::from_second(1_042).unwrap());
        assert_eq!(cache_control(&snapshot, now), "public, max-age=42");
        snapshot.next_change = Some(Timestamp::from_second(999).unwrap());
        assert_eq!(cache_control(&snapshot, now), "public, max-age=0");
    }

    #[test]
    fn host_ports_are_numbers() {
        for ok in [
            "a.example",
            "a.example:8080",
            "a.example:",
            "[::1]",
            "[::1]:80",
        ] {
            assert!(port_is_valid(ok), "{ok}");
        }
        for bad in ["a.example:xyz", "a.example:99999", "[::1]x", "[::1]:y"] {
            assert!(!port_is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn http_dates() {
        let ts = Timestamp::from_second(1_720_022_400).unwrap();
        assert_eq!(
            crate::snapshot::http_date_value(ts),
            "Wed, 03 Jul 2024 16:00:00 GMT"
        );
    }
}
