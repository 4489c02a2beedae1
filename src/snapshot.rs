//! What the server serves: an immutable [`Snapshot`] of every resource, each
//! with its precompressed variants and validators.
//!
//! A snapshot is built off to the side and swapped in whole, so a request
//! sees one publication or the next, never a mix. Compression happens here,
//! once per publication and only for documents whose bytes changed; a request
//! only picks a variant. ETags are strong and come from a hash of the bytes,
//! so every replica and every rebuild of the same content agrees on them:
//! `"<hash>"` for the identity bytes, `"<hash>-gz"` and `"<hash>-br"` for the
//! compressed ones. A validator of any variant matches the resource.

mod documents;

use std::io::Write as _;
use std::sync::Arc;

use bytes::Bytes;
use hyper::header::HeaderValue;
use jiff::Timestamp;
use xxhash_rust::xxh3::xxh3_64;

pub use documents::Documents;

/// A content coding the server can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// The bytes as they are.
    Identity,
    /// `Content-Encoding: gzip`.
    Gzip,
    /// `Content-Encoding: br`.
    Brotli,
}

impl Encoding {
    /// The `Content-Encoding` value, if any.
    pub fn header(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some("gzip"),
            Encoding::Brotli => Some("br"),
        }
    }

    fn etag_suffix(self) -> &'static str {
        match self {
            Encoding::Identity => "",
            Encoding::Gzip => "-gz",
            Encoding::Brotli => "-br",
        }
    }
}

/// One encoding of a resource's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// How the bytes are encoded.
    pub encoding: Encoding,
    /// The bytes sent.
    pub bytes: Bytes,
    /// The quoted ETag, ready for the header.
    pub etag: HeaderValue,
    /// `Content-Length`: the number of bytes, ready for the header.
    pub length: HeaderValue,
}

impl Encoded {
    /// `bytes` in `encoding`, tagged `etag` (quoted, as the header sends it).
    fn new(encoding: Encoding, bytes: Bytes, etag: String) -> Encoded {
        Encoded {
            encoding,
            length: HeaderValue::from(bytes.len()),
            bytes,
            etag: etag_value(etag),
        }
    }
}

/// When a version of a document was first served, as `Last-Modified`
/// needs it, and enough about its bytes to know them again: what the
/// daemon keeps between two publications and across restarts (in its state
/// folder) for each served path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dating {
    /// The xxh3 hash of the bytes and their length.
    pub hash: u64,
    /// The length of the bytes.
    pub len: u64,
    /// When these bytes were first served, in whole seconds since the epoch.
    pub last_modified: i64,
    /// The latest `Last-Modified` of any earlier version. Equal to
    /// `last_modified` when another version may have been first served in
    /// the same second (dating this one later would pass `Date`, RFC 9110
    /// §8.8.2.1): an `If-Modified-Since` of that second may then name
    /// either. That is so when two versions were published within one
    /// second, and for bytes dated with nothing remembered of the path (a
    /// start without a state folder), since an earlier run may have served
    /// other bytes there in that second. Such a date is settled once the
    /// second is over ([`Dating::settled`]).
    pub floor: i64,
}

impl Dating {
    /// The dating of new bytes (`hash`, `len`) first served at `now`, after
    /// the version `before` (if any, else unknown) at this path; or
    /// `before` itself when it is of the same bytes.
    pub fn next(before: Option<Dating>, hash: u64, len: u64, now: Timestamp) -> Dating {
        match before {
            Some(before) if before.hash == hash && before.len == len => before,
            _ => Dating {
                hash,
                len,
                last_modified: now.as_second(),
                floor: before.map_or(now.as_second(), |b| b.last_modified.max(b.floor)),
            },
        }
    }

    /// Whether an earlier version may share this version's second, so that
    /// an `If-Modified-Since` of that second cannot be answered `304`.
    pub fn is_unsettled(&self) -> bool {
        self.floor >= self.last_modified
    }

    /// This dating, or, once the second it shares with an earlier version
    /// is over (`now` is later), the same bytes dated `now` after it: an
    /// `If-Modified-Since` of the shared second then gets `200` once, and
    /// the new date `304` from then on, as it would for any other version.
    pub fn settled(self, now: Timestamp) -> Dating {
        if self.is_unsettled() && now.as_second() > self.last_modified {
            Dating {
                last_modified: now.as_second(),
                floor: self.last_modified,
                ..self
            }
        } else {
            self
        }
    }

    /// Whether a client whose copy is dated `since` (`If-Modified-Since`,
    /// seconds) has this version: it was fetched after this version was
    /// first served, and after every earlier one was replaced.
    pub fn not_modified_since(&self, since: i64) -> bool {
        since >= self.last_modified && since > self.floor
    }
}

/// How a document is served besides its bytes: its type, its links, and
/// whether caches may keep it for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Serving {
    /// The `Content-Type` it is served with.
    pub content_type: &'static str,
    /// Its `Link` header fields and WebSub topic (none but for feeds).
    pub links: Arc<Links>,
    /// Whether its bytes never change under its name (an archive page, whose
    /// URL carries their digest; RFC 5005 §4): served `immutable`, with a long `max-age`.
    pub immutable: bool,
    /// For a feed document: the name of its HTML page, which a browser
    /// that asks for the feed gets instead.
    pub page: Option<Arc<str>>,
    /// What a request gets: the bytes, or a redirect or `410 Gone` whose
    /// bytes are a short note.
    pub answer: Answer,
    /// For an archive page that a newer version of its history replaced:
    /// when (seconds since the epoch). It is served as it was for
    /// [`SUPERSEDED_FOR`], then answers `410 Gone`.
    pub superseded: Option<i64>,
}

/// How long an archive page whose history changed is still served as it
/// was, so that a client in the middle of a walk through the archive
/// finishes it: 30 days.
pub const SUPERSEDED_FOR: i64 = 30 * 24 * 3600;

/// What a request for a document gets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Answer {
    /// Its bytes (`200`, or `304` to a client that has them).
    #[default]
    Bytes,
    /// `307 Temporary Redirect` to this URL: the document is elsewhere for
    /// now (an archive page's number leads to the page as it is now).
    Redirect(Arc<str>),
    /// A feed that moved for good: `301 Moved Permanently` or `308
    /// Permanent Redirect` (`status`) to `location` (RFC 9110 §15.4.2,
    /// §15.4.9), which caches may keep for `max_age` seconds.
    Moved {
        /// Where the document is now (an absolute URL).
        location: Arc<str>,
        /// `301` or `308`.
        status: u16,
        /// `Cache-Control: max-age` of the redirect, in seconds.
        max_age: u64,
    },
    /// `410 Gone`: it was served once and never will be again (RFC 9110
    /// §15.5.11).
    Gone,
}

impl From<&'static str> for Serving {
    fn from(content_type: &'static str) -> Serving {
        Serving {
            content_type,
            links: Arc::default(),
            immutable: false,
            page: None,
            answer: Answer::Bytes,
            superseded: None,
        }
    }
}

/// A feed document's links as HTTP sends them (RFC 8288 `Link` fields),
/// and, for a subscription document with hubs, what WebSub pings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// One `Link` field value per link, `<URL>; rel="REL"`, the relation
    /// quoted (some hubs look for the quoted form only).
    pub fields: Vec<HeaderValue>,
    /// The topic URL (the document's `self`) and the hubs to ping when its
    /// bytes change (WebSub §4, §5); none without hubs.
    pub topic: Option<(String, Vec<String>)>,
}

impl Links {
    /// The links `(rel, href)` of a document: each a `Link` field, and a
    /// topic when there are hubs (the `self` link is the topic).
    pub fn new(links: &[(&str, String)]) -> Links {
        let fields = links
            .iter()
            .filter_map(|(rel, href)| {
                HeaderValue::try_from(format!("<{href}>; rel=\"{rel}\"")).ok()
            })
            .collect();
        let hubs: Vec<String> = links
            .iter()
            .filter(|(rel, _)| *rel == "hub")
            .map(|(_, href)| href.clone())
            .collect();
        let topic = links
            .iter()
            .find(|(rel, _)| *rel == "self")
            .filter(|_| !hubs.is_empty())
            .map(|(_, href)| (href.clone(), hubs));
        Links { fields, topic }
    }
}

/// A resource at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// How it is served besides its bytes: type, links, caching, answer.
    pub serving: Serving,
    /// The bytes as published, with their ETag.
    pub identity: Encoded,
    /// Compressed variants, smallest first is not assumed; absent when
    /// compression would not make the body smaller.
    pub compressed: Vec<Encoded>,
    /// Whether `compressed` is final: compressing was tried (or the body is
    /// too small to be worth it).
    pub compression_done: bool,
    /// `Last-Modified`: when these bytes were first served. New bytes are
    /// dated by the clock when they are published (never by the content,
    /// which can lie in the past or the future), so the date moves forward
    /// with every change and is never later than the response's `Date`.
    pub last_modified: Timestamp,
    /// What `last_modified` is worked out from, kept for the next version.
    pub dating: Dating,
    /// `Content-Type` and `Last-Modified` as ready header values, made once
    /// per version rather than per response.
    pub content_type_value: HeaderValue,
    /// See `content_type_value`.
    pub last_modified_value: HeaderValue,
}

/// Below this size, compressing saves less than the headers it costs.
const MIN_COMPRESS: usize = 256;

impl Resource {
    /// Makes a resource of `bytes`, compressing them, unless `previous` holds
    /// the same bytes already: then its compressed variants are reused.
    /// `before` dates the bytes (see [`Resource::uncompressed`]).
    pub fn new(
        serving: impl Into<Serving>,
        bytes: impl Into<Bytes>,
        now: Timestamp,
        previous: Option<&Arc<Resource>>,
        before: Option<Dating>,
    ) -> Arc<Resource> {
        let (resource, reused) = Resource::uncompressed(serving, bytes, now, previous, before);
        if reused {
            resource
        } else {
            resource.compressed()
        }
    }

    /// Makes a resource of `bytes` without compressing them, or returns
    /// `previous` (and `true`) when it holds the same bytes already. The
    /// daemon serves an uncompressed resource at once and compresses it
    /// right after, so compression never delays a change being served.
    ///
    /// `now` is the moment of publication. The bytes are dated after
    /// `before`, the last version served at this path (from `previous`, or
    /// remembered from an earlier run): the same bytes keep its date, new
    /// ones get `now` (see [`Dating`]).
    ///
    /// Bytes that are the very buffer `previous` holds (a feed whose
    /// documents publication reused) are known without reading them: a
    /// site with thousands of feeds does not hash them all at every edit.
    pub fn uncompressed(
        serving: impl Into<Serving>,
        bytes: impl Into<Bytes>,
        now: Timestamp,
        previous: Option<&Arc<Resource>>,
        before: Option<Dating>,
    ) -> (Arc<Resource>, bool) {
        let serving: Serving = serving.into();
        let bytes: Bytes = bytes.into();
        if let Some(previous) = previous {
            let held = &previous.identity.bytes;
            if held.as_ptr() == bytes.as_ptr()
                && held.len() == bytes.len()
                && previous.serves_as(&serving)
            {
                return (Arc::clone(previous), true);
            }
        }
        let hash = xxh3_64(&bytes);
        if let Some(previous) = previous {
            if previous.dating.hash == hash
                && previous.identity.bytes == bytes
                && previous.serves_as(&serving)
            {
                return (Arc::clone(previous), true);
            }
        }
        let before = previous.map(|p| p.dating).or(before);
        let dating = Dating::next(before, hash, bytes.len() as u64, now);
        let last_modified = Timestamp::from_second(dating.last_modified).unwrap_or(now);
        let content_type_value = HeaderValue::from_static(serving.content_type);
        let bytes_len = bytes.len();
        let resource = Resource {
            serving,
            identity: Encoded::new(Encoding::Identity, bytes, format!("\"{hash:016x}\"")),
            compressed: Vec::new(),
            compression_done: bytes_len < MIN_COMPRESS,
            last_modified,
            dating,
            content_type_value,
            last_modified_value: http_date_value(last_modified),
        };
        (Arc::new(resource), false)
    }

    /// This resource with its date [`Dating::settled`] at `now`: itself
    /// when that changes nothing, else the same bytes and variants with the
    /// new `Last-Modified`.
    pub fn settled(self: &Arc<Self>, now: Timestamp) -> Arc<Resource> {
        let dating = self.dating.settled(now);
        if dating == self.dating {
            return Arc::clone(self);
        }
        let last_modified = Timestamp::from_second(dating.last_modified).unwrap_or(now);
        Arc::new(Resource {
            dating,
            last_modified,
            last_modified_value: http_date_value(last_modified),
            ..Resource::clone(self)
        })
    }

    /// Whether `other` serves the very buffer of this one's bytes as they
    /// are published (it may have other dates or compressed variants).
    pub fn same_identity(&self, other: &Resource) -> bool {
        let (a, b) = (&self.identity.bytes, &other.identity.bytes);
        a.as_ptr() == b.as_ptr() && a.len() == b.len()
    }

    /// Whether `other` serves the very bytes buffers this one does, in
    /// every encoding (as a re-dated resource does).
    pub fn same_bytes(&self, other: &Resource) -> bool {
        let same = |a: &Encoded, b: &Encoded| {
            a.bytes.as_ptr() == b.bytes.as_ptr() && a.bytes.len() == b.bytes.len()
        };
        same(&self.identity, &other.identity)
            && self.compressed.len() == other.compressed.len()
            && self
                .compressed
                .iter()
                .zip(&other.compressed)
                .all(|(a, b)| same(a, b))
    }

    /// Whether this resource is served as `serving` says.
    fn serves_as(&self, serving: &Serving) -> bool {
        let own = &self.serving;
        own.content_type == serving.content_type
            && own.immutable == serving.immutable
            && own.page == serving.page
            && own.answer == serving.answer
            && own.superseded == serving.superseded
            && (Arc::ptr_eq(&own.links, &serving.links) || own.links == serving.links)
    }

    /// Whether this is an archive page superseded for longer than
    /// [`SUPERSEDED_FOR`] at `now`: it answers `410 Gone`.
    pub fn is_gone_at(&self, now: Timestamp) -> bool {
        self.serving
            .superseded
            .is_some_and(|since| now.as_second() >= since + SUPERSEDED_FOR)
    }

    /// Whether a client that sent `If-Modified-Since: since` (seconds since
    /// the epoch) has these bytes.
    pub fn not_modified_since(&self, since: i64) -> bool {
        self.dating.not_modified_since(since)
    }

    /// This resource with its compressed variants (itself if it has them,
    /// or if compressing would not make it smaller).
    pub fn compressed(self: &Arc<Self>) -> Arc<Resource> {
        let bytes = &self.identity.bytes;
        if self.compression_done {
            return Arc::clone(self);
        }
        let compressed: Vec<Encoded> = [
            (Encoding::Brotli, brotli_bytes(bytes)),
            (Encoding::Gzip, gzip_bytes(bytes)),
        ]
        .into_iter()
        // An empty result is a failed compression, never a valid variant.
        .filter(|(_, packed)| !packed.is_empty() && packed.len() < bytes.len())
        .map(|(encoding, packed)| {
            let etag = format!("\"{:016x}{}\"", self.dating.hash, encoding.etag_suffix());
            Encoded::new(encoding, Bytes::from(packed), etag)
        })
        .collect();
        Arc::new(Resource {
            compressed,
            compression_done: true,
            ..Resource::clone(self)
        })
    }

    /// The bytes in `encoding`, if it has them (see [`Encoded`]).
    pub fn encoded(&self, encoding: Encoding) -> Option<&Encoded> {
        if encoding == Encoding::Identity {
            return Some(&self.identity);
        }
        self.compressed.iter().find(|v| v.encoding == encoding)
    }

    /// Whether an entity tag from `If-None-Match` names this resource, in any
    /// encoding. Comparison is weak (a `W/` prefix is ignored), as RFC 9110
    /// requires for `If-None-Match`.
    pub fn matches_etag(&self, tag: &str) -> bool {
        let tag = tag.trim();
        let tag = tag.strip_prefix("W/").unwrap_or(tag);
        let Some(opaque) = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
            return false;
        };
        let base = opaque
            .strip_suffix("-gz")
            .or_else(|| opaque.strip_suffix("-br"))
            .unwrap_or(opaque);
        base == format!("{:016x}", self.dating.hash)
    }
}

/// An ETag (a quoted hex hash and a suffix: always a valid header value).
fn etag_value(tag: String) -> HeaderValue {
    HeaderValue::try_from(tag).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

/// `ts` as an RFC 9110 IMF-fixdate header value.
pub fn http_date_value(ts: Timestamp) -> HeaderValue {
    let seconds = u64::try_from(ts.as_second()).unwrap_or(0);
    let date =
        httpdate::fmt_http_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds));
    HeaderValue::try_from(date)
        .unwrap_or_else(|_| HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT"))
}

/// Gzip at the default level: a good ratio in a few milliseconds even for a
/// large feed, which matters because compression sits between an editor's
/// save and the new feed being served compressed. flate2 runs on zlib-rs,
/// faster than its default backend: gzip and Brotli of what an edit changes
/// on the 100,000-article benchmark site take 20 ms instead of 28 ms
/// (medians, benches/latency.rs). Its output is deterministic for a given
/// version, as ETags need.
fn gzip_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::default(),
    );
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// Brotli at quality 5: most of the gain of the highest qualities at a small
/// fraction of their time (11 takes hundreds of milliseconds on a large feed).
fn brotli_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 5,
        lgwin: 22,
        ..Default::default()
    };
    match brotli::BrotliCompress(&mut &bytes[..], &mut out, &params) {
        Ok(_) => out,
        Err(_) => Vec::new(),
    }
}

/// One article problem as the health report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as the config names it.
    pub path: String,
    /// The 1-based line, if known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Every served document by name, and what `/healthz` reports.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Every resource, by document name (`all.rss`, `index.html`); the
    /// server's route table says at which paths they are served.
    pub resources: Documents,
    /// Articles published now.
    pub articles: usize,
    /// Feeds served now.
    pub feeds: usize,
    /// Their names (`all`, `tags/大运河`), as defined and then family by family.
    pub feed_names: Vec<String>,
    /// Content and feed-definition errors of the current files (their last
    /// good versions are what is published).
    pub errors: Vec<Problem>,
    /// When this snapshot was published (wall clock; only for `/healthz`).
    pub published_at: Option<Timestamp>,
    /// How many publications the daemon has made since it started, this one
    /// included (`/healthz`), so that a client can wait for the next.
    pub publications: u64,
    /// The next time content changes by itself (a scheduled article): caches
    /// must not keep anything past it.
    pub next_change: Option<Timestamp>,
    /// When the first archive page a change replaced has had its
    /// [`SUPERSEDED_FOR`]: the daemon publishes then, so that the page is
    /// `410 Gone` everywhere, the mirror and the state folder included.
    pub replaced_until: Option<Timestamp>,
    /// The documents whose date shares its second with an earlier version
    /// ([`Dating::is_unsettled`]), dated anew once that second is over, at
    /// `settles_at` ([`Snapshot::with_dates_settled`], or any publication
    /// after it). Only `Last-Modified` changes then, so caches may keep the
    /// bytes past it.
    pub unsettled: Vec<String>,
    /// When the dates of `unsettled` settle.
    pub settles_at: Option<Timestamp>,
    /// `Cache-Control: max-age` in seconds, from the config it was built with.
    pub max_age: u64,
    /// Whether nothing served may be kept (`Cache-Control: no-store`): a
    /// preview, which shows what is not published.
    pub no_store: bool,
}

impl Snapshot {
    /// This snapshot serving `documents` (name, content type, bytes; each
    /// named as the route table serves it), published at `now` after
    /// `previous`, and the names of the documents whose bytes changed.
    ///
    /// Unchanged bytes keep their resource (its compressed variants and its
    /// date); new bytes are dated after what `previous` served by that name,
    /// or, the first time, after what `before` remembers of it (see
    /// [`Dating`]), and are not compressed yet: the daemon serves them at
    /// once and then [`Snapshot::compressed`].
    pub fn with_documents(
        self,
        documents: Vec<(String, Serving, Bytes)>,
        previous: &Snapshot,
        before: impl Fn(&str) -> Option<Dating> + Sync,
        now: Timestamp,
    ) -> (Snapshot, Vec<String>) {
        let named: std::collections::HashSet<&str> =
            documents.iter().map(|(name, _, _)| name.as_str()).collect();
        let gone: Vec<String> = previous
            .resources
            .iter()
            .map(|(name, _)| name)
            .filter(|name| !named.contains(name.as_str()))
            .cloned()
            .collect();
        self.with_changes(documents, &gone, previous, before, now)
    }

    /// This snapshot serving what `previous` serves, less the documents
    /// named in `gone`, with `documents` added or in place of those of the
    /// same name: the same as [`Snapshot::with_documents`] given every
    /// document, at the cost of the changes only.
    pub fn with_changes(
        self,
        documents: Vec<(String, Serving, Bytes)>,
        gone: &[String],
        previous: &Snapshot,
        before: impl Fn(&str) -> Option<Dating> + Sync,
        now: Timestamp,
    ) -> (Snapshot, Vec<String>) {
        use rayon::prelude::*;
        let built: Vec<(String, Arc<Resource>, bool)> = documents
            .into_par_iter()
            .map(|(name, serving, bytes)| {
                let (resource, reused) = Resource::uncompressed(
                    serving,
                    bytes,
                    now,
                    previous.resources.get(&name),
                    before(&name),
                );
                (name, resource, reused)
            })
            .collect();
        let mut changed = Vec::new();
        let mut resources = previous.resources.clone();
        for name in gone {
            resources.remove(name);
        }
        let mut unsettled: Vec<String> = previous.unsettled.clone();
        for (name, resource, reused) in built {
            if resource.dating.is_unsettled() {
                unsettled.push(name.clone());
            }
            if !reused {
                changed.push(name.clone());
                resources.insert(name, resource);
            }
        }
        let snapshot = Snapshot { resources, ..self };
        snapshot.settle(unsettled, &mut changed, now)
    }

    /// This snapshot with the dates of its unsettled documents settled at
    /// `now`, and the names of those dated anew: the same bytes and ETags,
    /// a later `Last-Modified` (see [`Dating::settled`]). Not a
    /// publication: nothing else changes, `publications` included.
    pub fn with_dates_settled(&self, now: Timestamp) -> (Snapshot, Vec<String>) {
        let mut changed = Vec::new();
        self.clone()
            .settle(self.unsettled.clone(), &mut changed, now)
    }

    /// This snapshot with the dates of the documents named in `unsettled`
    /// settled at `now` (see [`Dating::settled`]), those re-dated added to
    /// `changed`; and, while any stays unsettled, when its second is over
    /// ([`Snapshot::settles_at`]).
    fn settle(
        mut self,
        mut unsettled: Vec<String>,
        changed: &mut Vec<String>,
        now: Timestamp,
    ) -> (Snapshot, Vec<String>) {
        unsettled.sort_unstable();
        unsettled.dedup();
        let mut still = Vec::new();
        self.settles_at = None;
        for name in unsettled {
            let Some(resource) = self.resources.get(&name) else {
                continue;
            };
            let settled = resource.settled(now);
            if settled.dating.is_unsettled() {
                let due = Timestamp::from_second(settled.dating.last_modified + 1).ok();
                self.settles_at = self.settles_at.into_iter().chain(due).min();
                still.push(name);
            } else if !Arc::ptr_eq(resource, &settled) {
                // Never one this publication rebuilt: new bytes are dated
                // `now`, which does not settle until a later second.
                self.resources.insert(name.clone(), settled);
                changed.push(name);
            }
        }
        self.unsettled = still;
        (self, std::mem::take(changed))
    }

    /// This snapshot with every resource compressed (those compressed
    /// already are shared, not compressed again).
    pub fn compressed(&self) -> Snapshot {
        let names: Vec<String> = self
            .resources
            .iter()
            .map(|(name, _)| name.clone())
            .collect();
        self.compressed_only(&names)
    }

    /// This snapshot with the resources named in `names` compressed (a
    /// publication's changed documents: the others are compressed already).
    pub fn compressed_only(&self, names: &[String]) -> Snapshot {
        use rayon::prelude::*;
        let done: Vec<(String, Arc<Resource>)> = names
            .par_iter()
            .filter_map(|name| {
                let resource = self.resources.get(name)?;
                let compressed = resource.compressed();
                (!Arc::ptr_eq(resource, &compressed)).then(|| (name.clone(), compressed))
            })
            .collect();
        let mut resources = self.resources.clone();
        for (name, resource) in done {
            resources.insert(name, resource);
        }
        Snapshot {
            resources,
            ..self.clone()
        }
    }

    /// The documents served without the compressed variants they are to
    /// have, by name.
    pub fn uncompressed(&self) -> Vec<(String, Arc<Resource>)> {
        self.resources
            .iter()
            .filter(|(_, resource)| !resource.compression_done)
            .map(|(name, resource)| (name.clone(), Arc::clone(resource)))
            .collect()
    }

    /// Each document this snapshot serves uncompressed, compressed in
    /// parallel (on the current rayon pool): `(name, as served,
    /// compressed)`, for [`Snapshot::with_compressed`].
    pub fn compress_uncompressed(&self) -> Vec<(String, Arc<Resource>, Arc<Resource>)> {
        use rayon::prelude::*;
        self.uncompressed()
            .into_par_iter()
            .map(|(name, resource)| {
                let compressed = resource.compressed();
                (name, resource, compressed)
            })
            .collect()
    }

    /// This snapshot with each `(name, was, compressed)` of `done` served
    /// compressed where it still serves the bytes of `was` (the very
    /// buffer: the same resource, or the same bytes dated anew since); a
    /// newer publication may have replaced them.
    pub fn with_compressed(&self, done: &[(String, Arc<Resource>, Arc<Resource>)]) -> Snapshot {
        let mut resources = self.resources.clone();
        for (name, was, compressed) in done {
            let Some(now) = resources.get(name) else {
                continue;
            };
            let replacement = if Arc::ptr_eq(now, was) && now.dating == compressed.dating {
                Arc::clone(compressed)
            } else if !now.compression_done && now.same_bytes(was) {
                Arc::new(Resource {
                    compressed: compressed.compressed.clone(),
                    compression_done: true,
                    ..Resource::clone(now)
                })
            } else {
                continue;
            };
            resources.insert(name.clone(), replacement);
        }
        Snapshot {
            resources,
            ..self.clone()
        }
    }

    /// This snapshot with the compressed variants `served` has for the same
    /// bytes (the very buffer) of a document it serves uncompressed: what a
    /// publication reused from a snapshot that was compressed while the
    /// publication was made.
    pub fn with_variants_from(&self, served: &Snapshot) -> Snapshot {
        let done: Vec<_> = self
            .uncompressed()
            .into_iter()
            .filter_map(|(name, resource)| {
                let compressed = served.get(&name)?;
                (compressed.compression_done && compressed.same_identity(&resource))
                    .then(|| (name, resource, Arc::clone(compressed)))
            })
            .collect();
        if done.is_empty() {
            return self.clone();
        }
        self.with_compressed(&done)
    }

    /// Every document by name, in name order: what a mirror of this
    /// snapshot holds.
    pub fn documents(&self) -> std::collections::BTreeMap<String, Arc<Resource>> {
        self.resources
            .iter()
            .map(|(name, resource)| (name.clone(), Arc::clone(resource)))
            .collect()
    }

    /// How each document is dated, by name, to remember across restarts.
    pub fn datings(&self) -> std::collections::BTreeMap<String, Dating> {
        self.resources
            .iter()
            .map(|(name, resource)| (name.clone(), resource.dating))
            .collect()
    }

    /// The document named `name` (`all.rss`), if any.
    pub fn get(&self, name: &str) -> Option<&Arc<Resource>> {
        self.resources.get(name)
    }
}

#[cfg(test)]
mod tests;
