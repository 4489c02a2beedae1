//! The store's own tests: scans, refreshes, last good versions, duplicates.

use std::fs;
use std::path::Path;

use super::*;
use crate::config::{Config, Site, SummaryLimits};
use crate::content::{Depth, Wanted, render_body};

pub(in crate::content) fn site() -> Site {
    Config::parse(
        Path::new("syndicated.toml"),
        "[site]\ntitle = \"T\"\nbase_url = \"https://news.example/\"\n",
    )
    .unwrap()
    .site
}

fn article(title: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2024-06-28\n---\ntext\n")
}

pub(in crate::content) fn titles(store: &Store) -> Vec<String> {
    store
        .articles()
        .iter()
        .map(|a| a.title.to_string())
        .collect()
}

/// A file swapped for a symbolic link after the scan saw a regular
/// file: rendering its body refuses the link unless links are followed.
#[test]
fn a_file_swapped_for_a_link_after_the_scan_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("content");
    fs::create_dir_all(&root).unwrap();
    fs::write(root.join("a.md"), article("a")).unwrap();
    fs::write(dir.path().join("secret.md"), article("secret")).unwrap();
    let mut site = site();
    let store = Store::scan(&site, &root, Depth::Head).unwrap();
    fs::remove_file(root.join("a.md")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.md"), root.join("a.md")).unwrap();
    let scanned = store.articles()[0];
    let limits = SummaryLimits::default();

    let refused = render_body(&site, limits, scanned).unwrap_err();
    let refused = refused.diagnostic();
    assert!(
        refused
            .message
            .to_string()
            .starts_with("a symbolic link, not followed"),
        "{refused}"
    );

    site.follow_symlinks = true;
    let followed = render_body(&site, limits, scanned).unwrap();
    assert_eq!(&*followed.0.value.0.title, "secret");
}

#[test]
fn refresh_follows_edits_removals_and_folders() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    fs::create_dir_all(root.join("a")).unwrap();
    fs::write(root.join("a/one.md"), article("one")).unwrap();
    fs::write(root.join("a b.md"), article("sibling")).unwrap();
    let site = site();
    let mut store = Store::scan(&site, &root, Depth::Head).unwrap();
    assert_eq!(titles(&store), ["sibling", "one"]);

    fs::write(root.join("a/one.md"), article("one, edited")).unwrap();
    assert!(store.refresh(&site, &[root.join("a/one.md")]));
    assert!(
        !store.refresh(&site, &[root.join("missing.md")]),
        "nothing there"
    );
    assert_eq!(titles(&store), ["sibling", "one, edited"]);

    // A bad edit keeps the last good version, with the error beside it.
    fs::write(root.join("a/one.md"), "---\ntitle: [\n---\n").unwrap();
    assert!(store.refresh(&site, &[root.join("a/one.md")]));
    assert_eq!(titles(&store), ["sibling", "one, edited"]);
    assert_eq!(store.diagnostics().len(), 1);

    // A folder renamed: the old path is gone, the new one is scanned.
    fs::rename(root.join("a"), root.join("c")).unwrap();
    fs::write(root.join("c/two.md"), article("two")).unwrap();
    assert!(store.refresh(&site, &[root.join("a"), root.join("c")]));
    assert_eq!(
        titles(&store),
        ["sibling", "two"],
        "the broken file has no good version at its new path"
    );
    assert_eq!(store.diagnostics().len(), 1);

    fs::remove_dir_all(root.join("c")).unwrap();
    assert!(store.refresh(&site, &[root.join("c")]));
    assert_eq!(titles(&store), ["sibling"]);
    assert!(store.diagnostics().is_empty());
}

#[test]
fn a_tracked_store_keeps_duplicate_ids_current() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    // `a/fire.md` and `a/fire/index.md` both stand for `a/fire`.
    for (rel, title) in [("a/fire.md", "a"), ("a/fire/index.md", "b")] {
        fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        fs::write(root.join(rel), article(title)).unwrap();
    }
    let site = site();
    let mut store = Store::scan_tracked(&site, &root).unwrap();
    assert_eq!(titles(&store), ["a"]);
    assert_eq!(store.diagnostics().len(), 1);

    fs::remove_file(root.join("a/fire.md")).unwrap();
    assert!(store.refresh(&site, &[root.join("a/fire.md")]));
    assert_eq!(titles(&store), ["b"]);
    assert!(store.diagnostics().is_empty());

    fs::write(root.join("a/fire.md"), article("a again")).unwrap();
    assert!(store.refresh(&site, &[root.join("a/fire.md")]));
    assert_eq!(titles(&store), ["a again"]);
    assert_eq!(store.diagnostics().len(), 1);

    // An id of its own: no longer a duplicate.
    fs::write(
        root.join("a/fire/index.md"),
        "---\ntitle: b\ndate: 2024-06-28\nid: tag:news.example,2024:water\n---\n",
    )
    .unwrap();
    assert!(store.refresh(&site, &[root.join("a/fire/index.md")]));
    assert_eq!(titles(&store), ["a again", "b"]);
    assert!(store.diagnostics().is_empty());
    // Nothing changed: the rescan opens no file and reports no change.
    assert!(!store.rescan(&site, Depth::Head).unwrap());
}

/// Regression: a folder that could not be read (permissions, out of file
/// descriptors) was taken for an empty one, and its articles dropped.
#[test]
fn an_unreadable_folder_keeps_its_articles() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    fs::create_dir_all(root.join("locked")).unwrap();
    fs::write(root.join("locked/x.md"), article("kept")).unwrap();
    fs::write(root.join("y.md"), article("gone")).unwrap();
    let site = site();
    let mut store = Store::scan_tracked(&site, &root).unwrap();
    assert_eq!(titles(&store), ["kept", "gone"]);
    // A walk that found nothing, and could not read `locked`.
    let unreadable = [Diagnostic::error(
        &root.join("locked"),
        None,
        Message::new("content-folder-gone"),
    )];
    assert!(store.merge("", Vec::new(), &unreadable));
    assert_eq!(titles(&store), ["kept"]);
    // Nothing readable at all: nothing is dropped.
    let unreadable = [Diagnostic::error(
        &root,
        None,
        Message::new("content-folder-gone"),
    )];
    assert!(!store.merge("", Vec::new(), &unreadable));
    assert_eq!(titles(&store), ["kept"]);
}

/// Regression: a draft copy at an earlier path took the id of the
/// published original, which then vanished from every feed.
#[test]
fn a_draft_never_hides_the_article_it_copies() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    fs::write(
        root.join("b.md"),
        "---\ntitle: original\ndate: 2024-06-28\nid: tag:news.example,2024:fire\n---\n",
    )
    .unwrap();
    fs::write(
        root.join("a.md"),
        "---\ntitle: copy\ndate: 2024-06-28\nid: tag:news.example,2024:fire\ndraft: true\n---\n",
    )
    .unwrap();
    let site = site();
    for mut store in [
        Store::scan(&site, &root, Depth::Head).unwrap(),
        Store::scan_tracked(&site, &root).unwrap(),
    ] {
        assert_eq!(titles(&store), ["original"]);
        fs::write(
            root.join("a.md"),
            "---\ntitle: copy 2\ndate: 2024-06-28\nid: tag:news.example,2024:fire\ndraft: true\n---\n",
        )
        .unwrap();
        store.refresh(&site, &[root.join("a.md")]);
        assert_eq!(titles(&store), ["original"]);
    }
}

#[test]
fn rescan_keeps_last_good_versions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    fs::write(root.join("x.md"), article("good")).unwrap();
    let site = site();
    let mut store = Store::scan(&site, &root, Depth::Head).unwrap();
    fs::write(root.join("x.md"), "no title, no date").unwrap();
    fs::write(root.join("y.md"), article("new")).unwrap();
    assert!(store.rescan(&site, Depth::Head).unwrap());
    assert_eq!(titles(&store), ["good", "new"]);
    assert_eq!(store.diagnostics().len(), 1);
}

/// What a feed of every article wants: each of them, with a body.
fn every_article(store: &Store) -> Wanted {
    Wanted {
        fresh: store
            .articles()
            .iter()
            .map(|a| a.source.rel.clone())
            .collect(),
        gone: Vec::new(),
    }
}

/// Regression: a file edited between the scan and the body's read was
/// published with the metadata of one version and the body of the other.
#[test]
fn an_article_and_its_body_come_from_one_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    fs::write(root.join("a.md"), article("one")).unwrap();
    let site = site();
    let mut store = Store::scan_tracked(&site, &root).unwrap();
    fs::write(
        root.join("a.md"),
        "---\ntitle: two\ndate: 2024-06-29\n---\nnew text\n",
    )
    .unwrap();
    let mut rounds = 0;
    store.render_shown(&site, SummaryLimits::default(), |store| {
        rounds += 1;
        every_article(store)
    });
    let shown = store.shown("a.md").unwrap();
    assert_eq!(&*shown.article.title, "two");
    assert!(shown.body.html.contains("new text"), "{}", shown.body.html);
    assert_eq!(titles(&store), ["two"], "the store has the newer version");
    assert_eq!(rounds, 2, "selection ran again on the newer version");

    // No longer shown: the body is dropped.
    store.render_shown(&site, SummaryLimits::default(), |_| Wanted {
        fresh: Vec::new(),
        gone: vec!["a.md".into()],
    });
    assert!(store.shown("a.md").is_none());
}

/// A body that fails to render (invalid UTF-8 after the front matter, which
/// the scan does not read) is the file failing: the last good article and
/// body stay, with the error beside them; without a last good version the
/// article is left out until its file changes.
#[test]
fn a_body_that_fails_keeps_the_last_good_version_whole() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let broken = |title: &str| {
        let mut bytes = format!("---\ntitle: {title}\ndate: 2024-06-28\n---\n").into_bytes();
        bytes.extend_from_slice(b"bad \xff byte\n");
        bytes
    };
    fs::write(root.join("a.md"), article("good")).unwrap();
    fs::write(root.join("b.md"), broken("never good")).unwrap();
    let site = site();
    let limits = SummaryLimits::default();
    let mut store = Store::scan_tracked(&site, &root).unwrap();
    store.render_shown(&site, limits, every_article);
    assert_eq!(titles(&store), ["good"], "b.md has no good version");
    assert!(store.shown("b.md").is_none());

    fs::write(root.join("a.md"), broken("edited")).unwrap();
    assert!(store.refresh(&site, &[root.join("a.md")]));
    assert_eq!(titles(&store), ["edited"], "the head parses");
    store.render_shown(&site, limits, every_article);
    let shown = store.shown("a.md").unwrap();
    assert_eq!(&*shown.article.title, "good");
    assert!(shown.body.html.contains("text"));
    assert_eq!(titles(&store), ["good"]);
    let errors: Vec<String> = store
        .diagnostics()
        .iter()
        .map(|d| d.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(errors, ["a.md", "b.md"]);
    // Nothing changed on disk: a rescan reads nothing and changes nothing.
    assert!(!store.rescan(&site, Depth::Head).unwrap());
}

fn broken(front_matter: &str) -> Vec<u8> {
    let mut bytes = format!("---\n{front_matter}\n---\n").into_bytes();
    bytes.extend_from_slice(b"bad \xff byte\n");
    bytes
}

/// Regression: making the owner of a shared id a draft (or no longer one)
/// left the marks as they were in a tracked store, so the id vanished from
/// every feed until a restart.
#[test]
fn a_draft_flag_flipped_moves_the_id_to_its_new_owner() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let with = |title: &str, draft: bool| {
        format!(
            "---\ntitle: {title}\ndate: 2024-06-28\nid: tag:news.example,2024:fire\ndraft: {draft}\n---\n"
        )
    };
    fs::write(root.join("a.md"), with("a", false)).unwrap();
    fs::write(root.join("b.md"), with("b", false)).unwrap();
    let site = site();
    let mut store = Store::scan_tracked(&site, &root).unwrap();
    assert_eq!(titles(&store), ["a"]);

    fs::write(root.join("a.md"), with("a", true)).unwrap();
    assert!(store.refresh(&site, &[root.join("a.md")]));
    assert_eq!(titles(&store), ["b"], "a draft never owns an id");
    let newest: Vec<&str> = store.newest_first().unwrap().map(|a| &*a.title).collect();
    assert_eq!(newest, ["b"]);

    fs::write(root.join("a.md"), with("a", false)).unwrap();
    assert!(store.refresh(&site, &[root.join("a.md")]));
    assert_eq!(titles(&store), ["a"]);
}

/// An article whose body fails with no last good version is held back: not
/// published, selection takes the next one however many fail in a row, and
/// its id stays its own (a later file with the same id does not take it
/// over while it is broken).
#[test]
fn failed_bodies_are_held_back_and_selection_moves_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    for day in 1..=6 {
        fs::write(
            root.join(format!("{day}.md")),
            broken(&format!("title: broken {day}\ndate: 2024-07-1{day}")),
        )
        .unwrap();
    }
    fs::write(root.join("good.md"), article("good")).unwrap();
    fs::write(
        root.join("x.md"),
        broken("title: owner\ndate: 2024-06-01\nid: tag:news.example,2024:same"),
    )
    .unwrap();
    fs::write(
        root.join("y.md"),
        "---\ntitle: copy\ndate: 2024-06-01\nid: tag:news.example,2024:same\n---\n",
    )
    .unwrap();
    let site = site();
    let mut store = Store::scan_tracked(&site, &root).unwrap();
    // The newest article, as a feed with `limit = 1` takes it.
    store.render_shown(&site, SummaryLimits::default(), |store| Wanted {
        fresh: store
            .newest_first()
            .unwrap()
            .take(1)
            .map(|a| a.source.rel.clone())
            .collect(),
        gone: Vec::new(),
    });
    assert!(store.shown("good.md").is_some(), "six failures in a row");
    // And every article, as a feed without a limit takes them.
    store.render_shown(&site, SummaryLimits::default(), every_article);
    assert_eq!(titles(&store), ["good"], "y.md is still x.md's duplicate");
    let errors = store.diagnostics().iter().filter(|d| d.is_error()).count();
    assert_eq!(errors, 8, "six bodies, x.md's body, y.md's id");
}
