//! Tests of served resources: variants, ETags, dating, reuse.

use super::*;

fn feed_bytes() -> Vec<u8> {
    "<rss>拱墅新闻</rss>\n".repeat(100).into_bytes()
}

/// [`feed_bytes`] as the first version served at a path.
fn first_version() -> Arc<Resource> {
    Resource::new(
        "text/plain",
        feed_bytes(),
        Timestamp::UNIX_EPOCH,
        None,
        None,
    )
}

#[test]
fn variants_decompress_to_the_same_bytes() {
    use std::io::Read as _;
    let r = first_version();
    let gz = r.encoded(Encoding::Gzip).unwrap();
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&gz.bytes[..])
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out, feed_bytes());
    let br = r.encoded(Encoding::Brotli).unwrap();
    let mut out = Vec::new();
    brotli::Decompressor::new(&br.bytes[..], 4096)
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out, feed_bytes());
}

#[test]
fn etags_differ_by_encoding_and_any_matches() {
    let r = first_version();
    let tags: Vec<&str> = [Encoding::Identity, Encoding::Gzip, Encoding::Brotli]
        .iter()
        .map(|&e| r.encoded(e).unwrap().etag.to_str().unwrap())
        .collect();
    let distinct: std::collections::BTreeSet<&str> = tags.iter().copied().collect();
    assert_eq!(distinct.len(), 3, "three different tags: {tags:?}");
    for tag in &tags {
        assert!(r.matches_etag(tag));
        assert!(r.matches_etag(&format!("W/{tag}")));
    }
    assert!(!r.matches_etag("\"0000000000000000\""));
    assert!(!r.matches_etag("unquoted"));
}

/// Regression: `Last-Modified` came from the content, so it could go
/// back (the newest article deleted), stay put (a body corrected) or lie
/// in the past (an old article published now), and clients asking
/// `If-Modified-Since` were told nothing changed.
#[test]
fn new_bytes_are_dated_when_first_served() {
    let at = |s: i64| Timestamp::from_second(s).unwrap();
    let a = Resource::new("text/plain", feed_bytes(), at(1_000), None, None);
    assert_eq!(a.last_modified, at(1_000));
    assert!(a.not_modified_since(1_001) && !a.not_modified_since(999));
    let mut edited = feed_bytes();
    edited.push(b'!');
    let b = Resource::new("text/plain", edited.clone(), at(2_000), Some(&a), None);
    assert_eq!(b.last_modified, at(2_000));
    assert!(!b.not_modified_since(1_000) && b.not_modified_since(2_000));
    // The same bytes keep their date, whenever they are published again.
    let c = Resource::new("text/plain", edited, at(3_000), Some(&b), None);
    assert!(Arc::ptr_eq(&b, &c));
    // Remembered from an earlier run: the same date for the same bytes.
    let d = Resource::new("text/plain", feed_bytes(), at(4_000), None, Some(a.dating));
    assert_eq!(d.last_modified, at(1_000));
}

/// Regression: two versions within one second shared a `Last-Modified`,
/// and the second got a 304 for the first's date.
#[test]
fn two_versions_within_one_second_are_never_confused() {
    let t = Timestamp::from_second(1_000).unwrap();
    let a = Resource::new("text/plain", feed_bytes(), t, None, None);
    let mut edited = feed_bytes();
    edited.push(b'!');
    let b = Resource::new("text/plain", edited, t, Some(&a), None);
    assert_eq!(b.last_modified, t, "never later than Date");
    assert!(
        !b.not_modified_since(1_000),
        "1000 may name the first version"
    );
    assert!(b.not_modified_since(1_001));
    // A clock set back: the new version is not taken for the old.
    let c = Resource::new(
        "text/plain",
        b"other bytes".to_vec(),
        Timestamp::from_second(900).unwrap(),
        Some(&b),
        None,
    );
    assert!(!c.not_modified_since(1_000) && c.not_modified_since(1_001));
}

/// Regression: a restart without a state folder within the same second as
/// the last response dated new bytes by that second, and an
/// `If-Modified-Since` of it (the earlier run's date, for other bytes) got
/// `304`. Bytes dated with nothing remembered share their second with an
/// unknown earlier version until it is over; the first publication after
/// it dates them anew, so that clients of this run get `304` again.
#[test]
fn bytes_dated_with_nothing_remembered_settle_after_their_second() {
    let at = |s: i64| Timestamp::from_second(s).unwrap();
    let documents = || {
        vec![(
            "all.rss".to_owned(),
            Serving::from("text/plain"),
            Bytes::from(feed_bytes()),
        )]
    };
    let (first, changed) =
        Snapshot::default().with_documents(documents(), &Snapshot::default(), |_| None, at(1_000));
    assert_eq!(changed, ["all.rss"]);
    let served = first.get("all.rss").unwrap();
    assert!(
        !served.not_modified_since(1_000),
        "1000 may name an earlier run's bytes"
    );
    assert_eq!(first.unsettled, ["all.rss"]);
    assert_eq!(
        first.settles_at,
        Some(at(1_001)),
        "settled when the second is over"
    );
    assert_eq!(first.next_change, None, "caches may keep the bytes");
    // Within the second, nothing settles.
    let (same, changed) =
        Snapshot::default().with_changes(Vec::new(), &[], &first, |_| None, at(1_000));
    assert!(changed.is_empty() && same.unsettled == ["all.rss"]);
    // After it, the same bytes are dated anew, and their date gets 304.
    let (settled, changed) =
        Snapshot::default().with_changes(Vec::new(), &[], &first, |_| None, at(1_002));
    assert_eq!(changed, ["all.rss"]);
    let resource = settled.get("all.rss").unwrap();
    assert_eq!(resource.last_modified, at(1_002));
    assert!(resource.not_modified_since(1_002) && !resource.not_modified_since(1_000));
    assert!(
        resource.same_bytes(served),
        "the variants are shared, not made again"
    );
    assert!(settled.unsettled.is_empty() && settled.settles_at.is_none());
    // Remembered as settled, the next run keeps the date.
    let again = Resource::new(
        "text/plain",
        feed_bytes(),
        at(5_000),
        None,
        Some(resource.dating),
    );
    assert_eq!(again.last_modified, at(1_002));
    assert!(again.not_modified_since(1_002));
}

/// The same buffer is the same version without a read; an equal copy
/// is found equal by its bytes; other bytes are a new version.
#[test]
fn the_buffer_a_resource_holds_is_known_without_reading_it() {
    let at = |s: i64| Timestamp::from_second(s).unwrap();
    let bytes = Bytes::from(feed_bytes());
    let (first, _) = Resource::uncompressed("text/plain", bytes.clone(), at(1), None, None);
    let (same, reused) = Resource::uncompressed("text/plain", bytes, at(2), Some(&first), None);
    assert!(reused && Arc::ptr_eq(&same, &first));
    let (copy, reused) =
        Resource::uncompressed("text/plain", feed_bytes(), at(3), Some(&first), None);
    assert!(reused && Arc::ptr_eq(&copy, &first));
    let (other, reused) =
        Resource::uncompressed("text/plain", b"other".to_vec(), at(4), Some(&first), None);
    assert!(!reused);
    assert_eq!(other.last_modified, at(4));
}

#[test]
fn a_snapshot_knows_what_changed_and_keeps_what_did_not() {
    let at = |s: i64| Timestamp::from_second(s).unwrap();
    let documents = |index: &[u8]| {
        vec![
            (
                "all.rss".to_owned(),
                "text/plain".into(),
                Bytes::from(feed_bytes()),
            ),
            (
                "index.html".to_owned(),
                "text/html".into(),
                Bytes::from(index.to_vec()),
            ),
        ]
    };
    // An earlier run's other bytes are remembered, so these dates are
    // settled from the start.
    let earlier = Dating {
        hash: 0,
        len: 0,
        last_modified: 0,
        floor: 0,
    };
    let (first, mut changed) = Snapshot::default().with_documents(
        documents(b"<p>x</p>"),
        &Snapshot::default(),
        |_| Some(earlier),
        at(1_000),
    );
    assert!(first.unsettled.is_empty());
    changed.sort();
    assert_eq!(changed, ["all.rss", "index.html"]);
    let first = first.compressed();
    assert!(
        first
            .get("all.rss")
            .unwrap()
            .encoded(Encoding::Gzip)
            .is_some()
    );

    let (second, changed) =
        Snapshot::default().with_documents(documents(b"<p>y</p>"), &first, |_| None, at(2_000));
    assert_eq!(changed, ["index.html"]);
    assert!(
        Arc::ptr_eq(
            second.get("all.rss").unwrap(),
            first.get("all.rss").unwrap()
        ),
        "unchanged bytes keep their compressed resource and date"
    );
    assert_eq!(second.get("index.html").unwrap().last_modified, at(2_000));
    let names: Vec<String> = second.documents().into_keys().collect();
    assert_eq!(names, ["all.rss", "index.html"]);
}

#[test]
fn same_bytes_reuse_the_previous_resource() {
    let a = Resource::new(
        "text/plain",
        feed_bytes(),
        Timestamp::UNIX_EPOCH,
        None,
        None,
    );
    let b = Resource::new(
        "text/plain",
        feed_bytes(),
        Timestamp::UNIX_EPOCH,
        Some(&a),
        None,
    );
    assert!(Arc::ptr_eq(&a, &b));
    let c = Resource::new(
        "text/plain",
        b"other".to_vec(),
        Timestamp::UNIX_EPOCH,
        Some(&a),
        None,
    );
    assert!(!Arc::ptr_eq(&a, &c));
    assert!(c.compressed.is_empty(), "tiny bodies are not compressed");
}

/// Regression: the daemon compresses a publication off its loop; a
/// document dated anew meanwhile (its second over) was a new resource with
/// the same bytes, so the compressed one was dropped and the feed stayed
/// uncompressed for good.
#[test]
fn compressed_variants_reach_the_same_bytes_dated_anew_meanwhile() {
    let at = Timestamp::from_second(1_000).unwrap();
    let documents = vec![
        (
            "all.rss".to_owned(),
            Serving::from("text/plain"),
            Bytes::from(feed_bytes()),
        ),
        (
            "other.rss".to_owned(),
            Serving::from("text/plain"),
            Bytes::from(feed_bytes()),
        ),
    ];
    let (served, _) =
        Snapshot::default().with_documents(documents, &Snapshot::default(), |_| None, at);
    assert_eq!(
        served.uncompressed().len(),
        2,
        "served uncompressed at first"
    );
    let done = served.compress_uncompressed();
    // Meanwhile: all.rss dated anew (same buffer, new resource), other.rss
    // replaced by other bytes.
    let mut resources = served.resources.clone();
    let was = served.get("all.rss").unwrap();
    resources.insert(
        "all.rss".to_owned(),
        Arc::new(Resource {
            last_modified: Timestamp::from_second(2_000).unwrap(),
            ..Resource::clone(was)
        }),
    );
    let (other, _) = Resource::uncompressed("text/plain", "new", at, None, None);
    resources.insert("other.rss".to_owned(), other);
    let meanwhile = Snapshot {
        resources,
        ..served.clone()
    };
    let finished = meanwhile.with_compressed(&done);
    let all = finished.get("all.rss").unwrap();
    assert!(all.encoded(Encoding::Gzip).is_some() && all.compression_done);
    assert_eq!(all.last_modified, Timestamp::from_second(2_000).unwrap());
    let other = finished.get("other.rss").unwrap();
    assert_eq!(&other.identity.bytes[..], b"new", "newer bytes are kept");
    assert!(other.encoded(Encoding::Gzip).is_none());
    assert!(
        finished.uncompressed().is_empty(),
        "'new' is too small to compress"
    );
}

/// Regression: a publication made while the finisher compressed the one
/// before reused its resources as they were when it began, uncompressed,
/// and its swap put them back uncompressed (the mirror then deleted their
/// .gz and .br files).
#[test]
fn a_publication_keeps_the_variants_compressed_while_it_was_made() {
    let at = Timestamp::from_second(1_000).unwrap();
    let bytes = Bytes::from(feed_bytes());
    let served = |docs: Vec<(&str, Bytes)>, previous: &Snapshot, now| {
        let docs = docs
            .into_iter()
            .map(|(name, bytes)| (name.to_owned(), Serving::from("text/plain"), bytes))
            .collect();
        Snapshot::default()
            .with_documents(docs, previous, |_| None, now)
            .0
    };
    let first = served(vec![("all.rss", bytes.clone())], &Snapshot::default(), at);
    // The finisher compresses what `first` serves...
    let compressed = first.with_compressed(&first.compress_uncompressed());
    // ...while the next publication, made from `first`, adds a document.
    let later = Timestamp::from_second(2_000).unwrap();
    let fresh = Bytes::from(feed_bytes().repeat(2));
    let next = served(vec![("all.rss", bytes), ("new.rss", fresh)], &first, later);
    let swapped = next.with_variants_from(&compressed);
    let all = swapped.get("all.rss").unwrap();
    assert!(all.compression_done && all.encoded(Encoding::Brotli).is_some());
    assert_eq!(all.dating, next.get("all.rss").unwrap().dating);
    let new = swapped.get("new.rss").unwrap();
    assert!(!new.compression_done, "left to the finisher");
}
