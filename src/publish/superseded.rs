//! What a publication keeps of the one before: archive pages that a
//! change in their feed's history replaced, and documents no longer
//! published.
//!
//! A page's URL carries a digest of its bytes, so a changed history gives
//! pages new URLs; the old ones keep serving their bytes, still
//! `immutable`, for [`SUPERSEDED_FOR`] (30 days), so that a client in the
//! middle of a walk through the archive finishes it, and then answer `410
//! Gone`.
//!
//! Any other document the site served and no longer serves (a family's
//! feed whose last article went, a feed whose definition was deleted, a
//! format a feed dropped) answers `410 Gone` too, never `404`, so that
//! readers stop polling it (RFC 9110 §15.5.11): for [`GONE_FOR`] (a year)
//! after it went, and for the newest [`MAX_GONE`] of them, after which it
//! is forgotten. A document served again is simply served.
//!
//! What is superseded or gone, and since when, is held in the snapshot
//! itself (each page's [`Serving::superseded`], each gone document's date),
//! so it is served, mirrored and dated as any document is, and the state
//! folder keeps it across restarts.

use std::collections::HashSet;

use bytes::Bytes;
use jiff::Timestamp;

use crate::snapshot::{Answer, Resource, SUPERSEDED_FOR, Serving, Snapshot};

/// A document as publication hands it to the snapshot.
type Named = (String, Serving, Bytes);

/// How long a document no longer published answers `410 Gone` before it
/// is forgotten (and answers `404`), counted from when it went: a year
/// (365 days), long enough for a reader that polls once a month.
pub const GONE_FOR: i64 = 365 * 24 * 3600;

/// The most documents that answer `410 Gone` at once; past it, those that
/// went first are forgotten. 100,000 names cost about 20 MB of memory and
/// of the state folder's files.
pub const MAX_GONE: usize = 100_000;

/// Keeps what `previous` held of documents this publication of
/// `documents` does not list, at `now`: a document it drops (named in
/// `gone`, or, for a publication of every document, not in `documents`)
/// is kept as superseded since `now` when it is an archive page whose feed
/// still has archive pages in that format, and as `410 Gone` otherwise (a
/// page superseded for [`SUPERSEDED_FOR`] too); what `previous` still
/// holds of either kind is handed on in a publication of every document.
/// A gone document past [`GONE_FOR`], or beyond [`MAX_GONE`], is
/// forgotten. `gone` then names what the snapshot no longer holds.
/// Returns when the next kept page's time is over: a publication is due
/// then, to make it `410 Gone`.
pub(super) fn keep(
    previous: &Snapshot,
    documents: &mut Vec<Named>,
    gone: &mut Vec<String>,
    incremental: bool,
    now: Timestamp,
) -> Option<Timestamp> {
    let now = now.as_second();
    let listed: HashSet<&str> = documents.iter().map(|(name, _, _)| name.as_str()).collect();
    let dropped: HashSet<&str> = gone.iter().map(String::as_str).collect();
    let mut kept: Vec<Named> = Vec::new();
    // Every document answering 410 after this publication, since when.
    let mut gone_since: Vec<(i64, &str)> = Vec::new();
    let mut stale: Vec<String> = Vec::new();
    let mut due: Option<i64> = None;
    for (name, resource) in previous.resources.iter() {
        if listed.contains(name.as_str()) {
            continue;
        }
        // A retired or moved feed's stand-in for its archive pages is
        // listed with every publication while the feed is; unlisted, it
        // goes (the pages the feed served are gone one by one), or it would
        // answer for the feed published again.
        if crate::pages::archive_pattern_for(name).as_deref() == Some(name) {
            stale.push(name.clone());
            continue;
        }
        let dropped = !incremental || dropped.contains(name.as_str());
        let (serving, bytes) = match (&resource.serving.answer, resource.serving.superseded) {
            (Answer::Gone, _) => {
                gone_since.push((resource.dating.last_modified, name));
                if !dropped {
                    continue;
                }
                (resource.serving.clone(), resource.identity.bytes.clone())
            }
            (Answer::Bytes, Some(since)) if now >= since + SUPERSEDED_FOR => {
                gone_since.push((now, name));
                gone_page(name)
            }
            (Answer::Bytes, Some(since)) => {
                earliest(&mut due, since + SUPERSEDED_FOR);
                if !dropped {
                    continue;
                }
                page(resource, since)
            }
            (Answer::Bytes, None)
                if dropped && resource.serving.immutable && archived(documents, name) =>
            {
                earliest(&mut due, now + SUPERSEDED_FOR);
                page(resource, now)
            }
            _ if dropped => {
                gone_since.push((now, name));
                gone_page(name)
            }
            _ => continue,
        };
        kept.push((name.clone(), serving, bytes));
    }
    let forgotten = forget(&mut gone_since, now);
    kept.retain(|(name, _, _)| !forgotten.contains(name.as_str()));
    let held: HashSet<&str> = kept.iter().map(|(name, _, _)| name.as_str()).collect();
    gone.retain(|name| !held.contains(name.as_str()) && !forgotten.contains(name.as_str()));
    let mut forgotten: Vec<String> = forgotten.into_iter().map(str::to_owned).collect();
    forgotten.sort_unstable();
    // Neither is in `gone` yet: the forgotten left it above, and a
    // stand-in is never dropped by a feed.
    gone.extend(forgotten.into_iter().chain(stale));
    documents.extend(kept);
    due.and_then(|second| Timestamp::from_second(second).ok())
}

/// The names among `gone` (each since when, by name) to forget at `now`:
/// those gone for [`GONE_FOR`], then the oldest beyond [`MAX_GONE`].
fn forget<'a>(gone: &mut [(i64, &'a str)], now: i64) -> HashSet<&'a str> {
    if gone.len() > MAX_GONE {
        // Newest first, then by name: the same choice on every replica.
        gone.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    }
    gone.iter()
        .enumerate()
        .filter(|(n, (since, _))| *n >= MAX_GONE || now >= since + GONE_FOR)
        .map(|(_, (_, name))| *name)
        .collect()
}

/// `due` as the earlier of itself and `second`.
fn earliest(due: &mut Option<i64>, second: i64) {
    *due = Some(due.map_or(second, |d| d.min(second)));
}

/// Whether the feed of the archive page `name` (`all/archive/3-….atom`)
/// still has archive pages in its format: `documents` has its page 1 by
/// number (`all/archive/1.atom`). A publication that drops a page renders
/// its feed again, so the feed's documents are among `documents`.
fn archived(documents: &[Named], name: &str) -> bool {
    let Some((folder, file)) = name.rsplit_once("/archive/") else {
        return false;
    };
    let Some((_, extension)) = file.rsplit_once('.') else {
        return false;
    };
    let first = format!("{folder}/archive/1.{extension}");
    documents.iter().any(|(n, _, _)| *n == first)
}

/// `resource`, an archive page, served as it was, superseded since `since`.
fn page(resource: &Resource, since: i64) -> (Serving, Bytes) {
    (
        Serving {
            content_type: resource.serving.content_type,
            links: resource.serving.links.clone(),
            immutable: true,
            page: None,
            answer: Answer::Bytes,
            superseded: Some(since),
        },
        resource.identity.bytes.clone(),
    )
}

/// What the document `name` serves once it is gone for good: `410 Gone`
/// and a short note, an archive page's or any other document's.
pub fn gone_page(name: &str) -> (Serving, Bytes) {
    let note = if name.contains("/archive/") {
        crate::pages::gone_note()
    } else {
        crate::pages::unpublished_note()
    };
    (gone(), Bytes::from_static(note.as_bytes()))
}

/// How a document gone for good is served: `410 Gone`, its note as HTML.
pub(super) fn gone() -> Serving {
    Serving {
        answer: Answer::Gone,
        ..Serving::from("text/html; charset=utf-8")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "all/archive/1-000000000001.atom";
    const NEW: &str = "all/archive/1-000000000002.atom";
    const NUMBER: &str = "all/archive/1.atom";

    fn page_doc(name: &str, bytes: &'static str) -> Named {
        let serving = Serving {
            immutable: true,
            ..Serving::from("application/atom+xml")
        };
        (
            name.to_owned(),
            serving,
            Bytes::from_static(bytes.as_bytes()),
        )
    }

    fn number_doc() -> Named {
        let serving = Serving {
            answer: Answer::Redirect("https://news.example/all/archive/1-2.atom".into()),
            ..Serving::from("text/html; charset=utf-8")
        };
        (NUMBER.to_owned(), serving, Bytes::from_static(b"moved"))
    }

    /// Publishes `documents` after `previous` at `second`, as a
    /// publication of every document does.
    fn publish(previous: &Snapshot, mut documents: Vec<Named>, second: i64) -> Snapshot {
        let now = Timestamp::from_second(second).expect("a time");
        let mut gone = Vec::new();
        keep(previous, &mut documents, &mut gone, false, now);
        Snapshot::default()
            .with_documents(documents, previous, |_| None, now)
            .0
    }

    /// Publishes after `previous` at `second` as an edit does, changing
    /// nothing: returns the documents kept and when the next is due.
    fn publish_nothing(previous: &Snapshot, second: i64) -> (Snapshot, Option<i64>) {
        let now = Timestamp::from_second(second).expect("a time");
        let (mut documents, mut gone) = (Vec::new(), Vec::new());
        let due = keep(previous, &mut documents, &mut gone, true, now);
        let snapshot = Snapshot::default()
            .with_changes(documents, &gone, previous, |_| None, now)
            .0;
        (snapshot, due.map(Timestamp::as_second))
    }

    /// Publishes after `previous` at `second` as an edit that drops the
    /// document `name` does.
    fn publish_dropping(previous: &Snapshot, name: &str, second: i64) -> (Snapshot, Vec<String>) {
        let now = Timestamp::from_second(second).expect("a time");
        let (mut documents, mut gone) = (Vec::new(), vec![name.to_owned()]);
        keep(previous, &mut documents, &mut gone, true, now);
        let snapshot = Snapshot::default()
            .with_changes(documents, &gone, previous, |_| None, now)
            .0;
        (snapshot, gone)
    }

    #[test]
    fn an_edit_after_a_pages_days_makes_it_gone_and_says_when_the_next_is_due() {
        let start = 1_700_000_000;
        let first = publish(
            &Snapshot::default(),
            vec![page_doc(OLD, "old"), number_doc()],
            start,
        );
        let second = publish(&first, vec![page_doc(NEW, "new"), number_doc()], start + 60);
        let (within, due) = publish_nothing(&second, start + 120);
        assert_eq!(due, Some(start + 60 + SUPERSEDED_FOR));
        assert_eq!(within.get(OLD).expect("kept").serving.answer, Answer::Bytes);
        let (after, due) = publish_nothing(&within, start + 60 + SUPERSEDED_FOR);
        assert_eq!(after.get(OLD).expect("gone").serving.answer, Answer::Gone);
        assert_eq!(due, None, "nothing more is due");
    }

    #[test]
    fn a_replaced_page_is_served_for_its_days_then_is_gone() {
        let start = 1_700_000_000;
        let first = publish(
            &Snapshot::default(),
            vec![page_doc(OLD, "old"), number_doc()],
            start,
        );
        let later = start + 60;
        let second = publish(&first, vec![page_doc(NEW, "new"), number_doc()], later);
        let old = second.get(OLD).expect("still served");
        assert_eq!(old.serving.superseded, Some(later));
        assert!(old.serving.immutable && old.serving.answer == Answer::Bytes);
        assert_eq!(&old.identity.bytes[..], b"old");
        let day_before = Timestamp::from_second(later + SUPERSEDED_FOR - 1).expect("a time");
        assert!(!old.is_gone_at(day_before));
        assert!(old.is_gone_at(Timestamp::from_second(later + SUPERSEDED_FOR).expect("a time")));

        // Another publication within the days keeps it as it was.
        let third = publish(&second, vec![page_doc(NEW, "new"), number_doc()], later + 5);
        assert_eq!(
            third.get(OLD).expect("kept").serving.superseded,
            Some(later)
        );
        // After them, it is gone for good.
        let fourth = publish(
            &third,
            vec![page_doc(NEW, "new"), number_doc()],
            later + SUPERSEDED_FOR,
        );
        assert_eq!(fourth.get(OLD).expect("gone").serving.answer, Answer::Gone);
        let fifth = publish(
            &fourth,
            vec![page_doc(NEW, "new"), number_doc()],
            later + 2 * SUPERSEDED_FOR,
        );
        assert_eq!(
            fifth.get(OLD).expect("still gone").serving.answer,
            Answer::Gone
        );
    }

    #[test]
    fn the_pages_of_a_feed_without_an_archive_are_gone_with_it() {
        let first = publish(
            &Snapshot::default(),
            vec![page_doc(OLD, "old"), number_doc()],
            1_700_000_000,
        );
        let second = publish(&first, Vec::new(), 1_700_000_060);
        for name in [OLD, NUMBER] {
            let gone = second.get(name).expect("gone, not forgotten");
            assert_eq!(gone.serving.answer, Answer::Gone, "{name}");
            assert_eq!(
                &gone.identity.bytes[..],
                crate::pages::gone_note().as_bytes()
            );
        }
    }

    #[test]
    fn a_document_no_longer_published_is_gone_for_a_year_then_forgotten() {
        let start = 1_700_000_000;
        let feed = || {
            let serving = Serving::from("application/atom+xml");
            (
                "tags/x.atom".to_owned(),
                serving,
                Bytes::from_static(b"<feed/>"),
            )
        };
        let first = publish(&Snapshot::default(), vec![feed()], start);
        // An edit drops it: gone since then, with the note of a feed.
        let (second, _) = publish_dropping(&first, "tags/x.atom", start + 60);
        let gone = second.get("tags/x.atom").expect("gone");
        assert_eq!(gone.serving.answer, Answer::Gone);
        let note = crate::pages::unpublished_note().as_bytes();
        assert_eq!(&gone.identity.bytes[..], note);
        let (within, _) = publish_nothing(&second, start + 60 + GONE_FOR - 1);
        assert!(within.get("tags/x.atom").is_some());
        let later = publish(&within, Vec::new(), start + 60 + GONE_FOR - 1);
        assert!(
            later.get("tags/x.atom").is_some(),
            "a full publication keeps it"
        );
        let (after, _) = publish_nothing(&later, start + 60 + GONE_FOR);
        assert!(after.get("tags/x.atom").is_none(), "forgotten after a year");
        // Published again, it is served.
        let back = publish(&second, vec![feed()], start + 120);
        assert_eq!(
            back.get("tags/x.atom").expect("served").serving.answer,
            Answer::Bytes
        );
    }

    #[test]
    fn beyond_the_most_gone_documents_the_oldest_are_forgotten() {
        let now = 1_700_000_000;
        let names: Vec<String> = (0..MAX_GONE + 2)
            .map(|n| format!("tags/{n}.atom"))
            .collect();
        let mut gone: Vec<(i64, &str)> = (0..MAX_GONE + 2)
            .map(|n| (now - n as i64, names[n].as_str()))
            .collect();
        gone.push((now - GONE_FOR, "tags/old.atom"));
        let forgotten = forget(&mut gone, now);
        let expected: HashSet<&str> = [
            names[MAX_GONE].as_str(),
            names[MAX_GONE + 1].as_str(),
            "tags/old.atom",
        ]
        .into();
        assert_eq!(forgotten, expected);
        // Within the bound, only what went a year ago is forgotten.
        let mut few = vec![(now, "tags/a.atom"), (now - GONE_FOR, "tags/b.atom")];
        assert_eq!(forget(&mut few, now), HashSet::from(["tags/b.atom"]));
    }
}
