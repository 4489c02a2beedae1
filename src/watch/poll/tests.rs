use std::fs::{self, File, FileTimes};
use std::time::{Duration, SystemTime};

use super::*;

fn set(paths: &[&Path]) -> BTreeSet<PathBuf> {
    paths.iter().map(|p| p.to_path_buf()).collect()
}

/// A site as the daemon watches it: the content recursively, the config's
/// folder alone.
fn site() -> (tempfile::TempDir, PathBuf, Look) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    fs::create_dir_all(content.join("2024")).unwrap();
    fs::write(content.join("2024/a.md"), "a").unwrap();
    fs::write(content.join("b.md"), "b").unwrap();
    fs::write(dir.path().join("syndicated.toml"), "").unwrap();
    let look = Look::first(&[
        Root {
            path: content.clone(),
            recursive: true,
        },
        Root {
            path: dir.path().to_path_buf(),
            recursive: false,
        },
    ]);
    (dir, content, look)
}

#[test]
fn a_look_reports_what_was_added_removed_or_changed_and_nothing_else() {
    let (_dir, content, mut look) = site();
    assert_eq!(look.again(), BTreeSet::new());
    fs::write(content.join("2024/a.md"), "changed").unwrap();
    fs::write(content.join("c.md"), "c").unwrap();
    fs::remove_file(content.join("b.md")).unwrap();
    assert_eq!(
        look.again(),
        set(&[
            &content.join("2024/a.md"),
            &content.join("b.md"),
            &content.join("c.md"),
        ])
    );
    assert_eq!(look.again(), BTreeSet::new());
    // Nothing came or went: the fingerprints kept are the new ones.
    fs::write(content.join("c.md"), "c, again").unwrap();
    assert_eq!(look.again(), set(&[&content.join("c.md")]));
    assert_eq!(look.again(), BTreeSet::new());
}

#[test]
fn a_rewrite_of_the_same_length_within_the_same_second_is_seen() {
    // A poller comparing whole seconds and sizes misses the second save.
    let (_dir, content, mut look) = site();
    let a = content.join("b.md");
    let second = SystemTime::UNIX_EPOCH + Duration::from_secs(1_719_532_800);
    let stamp = |nanos| {
        File::options()
            .write(true)
            .open(&a)
            .unwrap()
            .set_times(FileTimes::new().set_modified(second + Duration::from_nanos(nanos)))
            .unwrap();
    };
    stamp(1);
    look.again();
    fs::write(&a, "B").unwrap();
    stamp(2);
    assert_eq!(look.again(), set(&[&a]));
}

#[test]
fn a_folder_made_or_removed_is_reported_with_its_files() {
    let (_dir, content, mut look) = site();
    fs::create_dir_all(content.join("2025/06")).unwrap();
    fs::write(content.join("2025/06/d.md"), "d").unwrap();
    assert_eq!(
        look.again(),
        set(&[
            &content.join("2025"),
            &content.join("2025/06"),
            &content.join("2025/06/d.md"),
        ])
    );
    fs::remove_dir_all(content.join("2024")).unwrap();
    assert_eq!(
        look.again(),
        set(&[&content.join("2024"), &content.join("2024/a.md")])
    );
    // The content folder itself gone, and back.
    fs::remove_dir_all(&content).unwrap();
    assert!(look.again().contains(&content));
    fs::create_dir(&content).unwrap();
    assert_eq!(look.again(), set(&[&content]));
}

#[test]
fn a_folder_looked_at_alone_is_not_descended_and_hidden_folders_are_not_listed() {
    let (dir, content, mut look) = site();
    // The config's folder is looked at alone: a folder beside the config
    // is not listed (the content has its own root).
    fs::create_dir(dir.path().join("elsewhere")).unwrap();
    fs::write(dir.path().join("elsewhere/x.md"), "x").unwrap();
    // A repository's history inside the content is no article.
    fs::create_dir(content.join(".git")).unwrap();
    fs::write(content.join(".git/index"), "x").unwrap();
    assert_eq!(look.again(), BTreeSet::new());
    // A file beside the config, hidden or not, is reported: the config
    // may be a link through a hidden one (a Kubernetes `..data`).
    fs::write(dir.path().join("..data"), "x").unwrap();
    assert_eq!(look.again(), set(&[&dir.path().join("..data")]));
}

#[test]
fn a_link_is_seen_as_itself_and_as_what_it_points_to() {
    let (dir, content, mut look) = site();
    let (one, two) = (dir.path().join("one.md"), dir.path().join("two.md"));
    fs::write(&one, "1").unwrap();
    fs::write(&two, "2").unwrap();
    let link = content.join("linked.md");
    std::os::unix::fs::symlink(&one, &link).unwrap();
    look.again();
    // What it points to, written.
    fs::write(&one, "one").unwrap();
    assert!(look.again().contains(&link));
    // Pointed elsewhere.
    fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&two, &link).unwrap();
    assert!(look.again().contains(&link));
    // A linked folder is looked in; a link to a folder above is no endless walk.
    let shelf = dir.path().join("shelf");
    fs::create_dir(&shelf).unwrap();
    std::os::unix::fs::symlink(&shelf, content.join("shelf")).unwrap();
    std::os::unix::fs::symlink(&content, content.join("2024/up")).unwrap();
    look.again();
    fs::write(shelf.join("e.md"), "e").unwrap();
    assert_eq!(look.again(), set(&[&content.join("shelf/e.md")]));
}

#[test]
fn a_folder_that_cannot_be_listed_keeps_its_files_and_its_folders() {
    // Running as root, permissions cannot make a folder unreadable: the
    // step is taken directly.
    let (_dir, content, mut look) = site();
    let year = content.join("2024");
    let mut before = std::mem::take(&mut look.folders);
    let old = before.remove(&content);
    let mut changed = BTreeSet::new();
    look.keep_unreadable(content.clone(), old, &mut before, &mut changed);
    assert_eq!(changed, set(&[&content]));
    assert!(
        before.keys().all(|folder| !folder.starts_with(&content)),
        "the folders below are kept"
    );
    assert!(look.folders[&content].unreadable);
    look.folders.append(&mut before);
    assert!(look.folders.contains_key(&year));
    // Listed again: the folder is reported (the store clears its error),
    // its files are as they were.
    assert_eq!(look.again(), set(&[&content]));
    assert!(!look.folders[&content].unreadable);
}

#[test]
fn a_poller_sends_what_changed_and_stops_when_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let (send, mut receive) = tokio::sync::mpsc::unbounded_channel();
    let root = Root {
        path: dir.path().to_path_buf(),
        recursive: true,
    };
    let poller = spawn(&[root], send).unwrap();
    // Written after the first look, which `spawn` takes before returning.
    let a = dir.path().join("a.md");
    fs::write(&a, "a").unwrap();
    // A poller cannot tell whether a file is finished with.
    let polled = Change::Paths {
        paths: set(&[&a]),
        whole: BTreeSet::new(),
    };
    assert_eq!(receive.blocking_recv(), Some(polled));
    drop(poller);
    assert_eq!(receive.blocking_recv(), None, "the thread ended");
}
