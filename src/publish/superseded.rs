//! Archive pages that a change in their feed's history replaced. A page's
//! URL carries a digest of its bytes, so a changed history gives pages new
//! URLs; the old ones keep serving their bytes, still `immutable`, for
//! [`SUPERSEDED_FOR`] (30 days), so that a client in the middle of a walk
//! through the archive finishes it, and then answer `410 Gone` for good.
//!
//! What is superseded, and since when, is held in the snapshot itself (each
//! page's [`Serving::superseded`]), so it is served, mirrored and dated as
//! any document is.

use std::collections::HashSet;

use bytes::Bytes;
use jiff::Timestamp;

use crate::snapshot::{Answer, Resource, SUPERSEDED_FOR, Serving, Snapshot};

/// A document as publication hands it to the snapshot.
type Named = (String, Serving, Bytes);

/// Keeps the replaced archive pages of `previous` in a publication made
/// of `documents`, at `now`: an archive page of `previous` that this
/// publication drops (named in `gone`, or, for a publication of every
/// document, not in `documents`) while its feed still has archive pages in
/// that format is served on as superseded since `now` (a page whose feed,
/// or whose feed's archive, went goes with it); a page superseded for
/// [`SUPERSEDED_FOR`] becomes `410 Gone`. In a publication of every
/// document, what `previous` still holds of either kind is handed on too.
/// `gone` loses every name kept. Returns when the next kept page's time
/// is over: a publication is due then, to make it `410 Gone`.
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
    let mut due: Option<i64> = None;
    for (name, resource) in previous.resources.iter() {
        if listed.contains(name.as_str()) {
            continue;
        }
        let dropped = !incremental || dropped.contains(name.as_str());
        let (serving, bytes) = match (&resource.serving.answer, resource.serving.superseded) {
            // Gone stays gone, with its own note (an archive page's, a
            // retired feed's whose definition went since).
            (Answer::Gone, _) if dropped => {
                (resource.serving.clone(), resource.identity.bytes.clone())
            }
            (Answer::Bytes, Some(since)) if now >= since + SUPERSEDED_FOR => gone_page(),
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
            _ => continue,
        };
        kept.push((name.clone(), serving, bytes));
    }
    gone.retain(|name| !kept.iter().any(|(k, _, _)| k == name));
    documents.extend(kept);
    due.and_then(|second| Timestamp::from_second(second).ok())
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

/// What a page gone for good serves: `410 Gone` and a short note.
pub fn gone_page() -> (Serving, Bytes) {
    (gone(), Bytes::from(crate::pages::gone_note()))
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
    fn the_pages_of_a_feed_without_an_archive_go_with_it() {
        let first = publish(
            &Snapshot::default(),
            vec![page_doc(OLD, "old"), number_doc()],
            1_700_000_000,
        );
        let second = publish(&first, Vec::new(), 1_700_000_060);
        assert!(second.get(OLD).is_none());
    }
}
