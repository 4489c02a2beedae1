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

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::Arc;

use bytes::Bytes;
use jiff::Timestamp;
use xxhash_rust::xxh3::xxh3_64;

/// A content coding the server can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
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
pub struct Variant {
    pub encoding: Encoding,
    pub bytes: Bytes,
    /// The quoted ETag, ready for the header.
    pub etag: String,
}

/// A resource at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub content_type: &'static str,
    pub identity: Variant,
    /// Compressed variants, smallest first is not assumed; absent when
    /// compression would not make the body smaller.
    pub compressed: Vec<Variant>,
    /// When the content last changed, for `Last-Modified`: taken from the
    /// content (a feed's newest item, never later than the publication), so
    /// replicas agree; when new bytes would not be newer than the ones they
    /// replace, one second after those.
    pub last_modified: Timestamp,
    /// Whether caches may keep it (`/healthz` and `/metrics` are generated per
    /// request and are not resources).
    hash: u64,
}

/// Below this size, compressing saves less than the headers it costs.
const MIN_COMPRESS: usize = 256;

impl Resource {
    /// Makes a resource of `bytes`, compressing them, unless `previous` holds
    /// the same bytes already: then its compressed variants are reused.
    pub fn new(
        content_type: &'static str,
        bytes: Vec<u8>,
        last_modified: Timestamp,
        previous: Option<&Arc<Resource>>,
    ) -> Arc<Resource> {
        let (resource, reused) =
            Resource::uncompressed(content_type, bytes, last_modified, previous);
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
    pub fn uncompressed(
        content_type: &'static str,
        bytes: Vec<u8>,
        last_modified: Timestamp,
        previous: Option<&Arc<Resource>>,
    ) -> (Arc<Resource>, bool) {
        let hash = xxh3_64(&bytes);
        if let Some(previous) = previous {
            if previous.hash == hash
                && previous.identity.bytes == bytes
                && previous.content_type == content_type
            {
                return (Arc::clone(previous), true);
            }
        }
        // New bytes must never look older than the ones they replace, or a
        // client asking `If-Modified-Since` would be told nothing changed
        // (a body edited without touching `updated`, a feed retitled, an
        // article deleted).
        let last_modified = match previous {
            Some(previous) if last_modified <= previous.last_modified => previous
                .last_modified
                .checked_add(jiff::SignedDuration::from_secs(1))
                .unwrap_or(previous.last_modified),
            _ => last_modified,
        };
        let resource = Resource {
            content_type,
            identity: Variant {
                encoding: Encoding::Identity,
                bytes: Bytes::from(bytes),
                etag: format!("\"{hash:016x}\""),
            },
            compressed: Vec::new(),
            last_modified,
            hash,
        };
        (Arc::new(resource), false)
    }

    /// This resource with its compressed variants (itself if it has them,
    /// or if compressing would not make it smaller).
    pub fn compressed(self: &Arc<Self>) -> Arc<Resource> {
        let bytes = &self.identity.bytes;
        if !self.compressed.is_empty() || bytes.len() < MIN_COMPRESS {
            return Arc::clone(self);
        }
        let compressed: Vec<Variant> = [
            (Encoding::Brotli, brotli_bytes(bytes)),
            (Encoding::Gzip, gzip_bytes(bytes)),
        ]
        .into_iter()
        // An empty result is a failed compression, never a valid variant.
        .filter(|(_, packed)| !packed.is_empty() && packed.len() < bytes.len())
        .map(|(encoding, packed)| Variant {
            encoding,
            bytes: Bytes::from(packed),
            etag: format!("\"{:016x}{}\"", self.hash, encoding.etag_suffix()),
        })
        .collect();
        Arc::new(Resource {
            compressed,
            ..Resource::clone(self)
        })
    }

    /// The variant in `encoding`, if there is one.
    pub fn variant(&self, encoding: Encoding) -> Option<&Variant> {
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
        base == format!("{:016x}", self.hash)
    }
}

/// Gzip at the default level: a good ratio in a few milliseconds even for a
/// large feed, which matters because compression sits between an editor's
/// save and the new feed being served.
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
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

/// Every served resource by path, and what `/healthz` reports.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub resources: HashMap<String, Arc<Resource>>,
    /// Articles published now.
    pub articles: usize,
    pub feeds: usize,
    /// Content and feed-definition errors of the current files (their last
    /// good versions are what is published).
    pub errors: Vec<Problem>,
    /// When this snapshot was published (wall clock; only for `/healthz`).
    pub published_at: Option<Timestamp>,
    /// The next time content changes by itself (a scheduled article): caches
    /// must not keep anything past it.
    pub next_change: Option<Timestamp>,
    /// `Cache-Control: max-age` in seconds, from the config it was built with.
    pub max_age: u64,
}

impl Snapshot {
    pub fn get(&self, path: &str) -> Option<&Arc<Resource>> {
        self.resources.get(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed_bytes() -> Vec<u8> {
        "<rss>拱墅新闻</rss>\n".repeat(100).into_bytes()
    }

    #[test]
    fn variants_decompress_to_the_same_bytes() {
        use std::io::Read as _;
        let r = Resource::new("text/plain", feed_bytes(), Timestamp::UNIX_EPOCH, None);
        let gz = r.variant(Encoding::Gzip).unwrap();
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&gz.bytes[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, feed_bytes());
        let br = r.variant(Encoding::Brotli).unwrap();
        let mut out = Vec::new();
        brotli::Decompressor::new(&br.bytes[..], 4096)
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, feed_bytes());
    }

    #[test]
    fn etags_differ_by_encoding_and_any_matches() {
        let r = Resource::new("text/plain", feed_bytes(), Timestamp::UNIX_EPOCH, None);
        let tags: Vec<&str> = [Encoding::Identity, Encoding::Gzip, Encoding::Brotli]
            .iter()
            .map(|&e| r.variant(e).unwrap().etag.as_str())
            .collect();
        assert_eq!(tags.len(), 3);
        assert_ne!(tags[0], tags[1]);
        assert_ne!(tags[1], tags[2]);
        for tag in &tags {
            assert!(r.matches_etag(tag));
            assert!(r.matches_etag(&format!("W/{tag}")));
        }
        assert!(!r.matches_etag("\"0000000000000000\""));
        assert!(!r.matches_etag("unquoted"));
    }

    /// Regression: new bytes with the same content date kept the same
    /// Last-Modified, so `If-Modified-Since` answered 304 for a change.
    #[test]
    fn new_bytes_are_never_older_than_what_they_replace() {
        let t = Timestamp::from_second(1_000_000).unwrap();
        let a = Resource::new("text/plain", feed_bytes(), t, None);
        let mut edited = feed_bytes();
        edited.push(b'!');
        let b = Resource::new("text/plain", edited, t, Some(&a));
        assert_eq!(b.last_modified, Timestamp::from_second(1_000_001).unwrap());
        let newer = Timestamp::from_second(2_000_000).unwrap();
        let c = Resource::new("text/plain", feed_bytes(), newer, Some(&b));
        assert_eq!(c.last_modified, newer);
        // The same bytes keep their resource, whatever date comes with them.
        let d = Resource::new("text/plain", feed_bytes(), t, Some(&c));
        assert!(Arc::ptr_eq(&c, &d));
    }

    #[test]
    fn same_bytes_reuse_the_previous_resource() {
        let a = Resource::new("text/plain", feed_bytes(), Timestamp::UNIX_EPOCH, None);
        let b = Resource::new("text/plain", feed_bytes(), Timestamp::UNIX_EPOCH, Some(&a));
        assert!(Arc::ptr_eq(&a, &b));
        let c = Resource::new(
            "text/plain",
            b"other".to_vec(),
            Timestamp::UNIX_EPOCH,
            Some(&a),
        );
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(c.compressed.is_empty(), "tiny bodies are not compressed");
    }
}
