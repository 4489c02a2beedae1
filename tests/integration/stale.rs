//! Nothing stale in what we write: after a feed, its archive, a family or
//! a variant goes, `build` and the daemon's mirror hold exactly what a
//! fresh build of the new site holds, compressed siblings and folders
//! included, and a temporary file a killed run left of any kind of
//! document is removed.
//!
//! Regression: the manifest was read back through a list of document kinds
//! that predated the feed pages, so `politics.html` (and its `.gz` and
//! `.br`) stayed for ever once `feeds/politics.toml` was deleted.

use std::fs;
use std::path::Path;

use crate::harness::{Site, eventually, files_under};

/// [`Site::every_kind`].
fn site() -> Site {
    Site::every_kind()
}

/// Every file under `dir` but the manifest.
fn tree(dir: &Path) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .filter(|name| name != ".syndicated-mirror")
        .collect()
}

/// Every folder under `dir`, as paths relative to it, sorted.
fn folders(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.push(
                    path.strip_prefix(root)
                        .expect("inside")
                        .display()
                        .to_string(),
                );
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Whether `dir` holds the file `name`, where a `*` in the file's name
/// stands for any text (an archive page's digest).
fn holds(dir: &Path, name: &str) -> bool {
    let Some((before, after)) = name.split_once('*') else {
        return dir.join(name).is_file();
    };
    let (folder, prefix) = before.rsplit_once('/').unwrap_or(("", before));
    fs::read_dir(dir.join(folder)).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            file.starts_with(prefix) && file.ends_with(after) && e.path().is_file()
        })
    })
}

/// Each change, one kind of document each: what goes, and the file that
/// shows it went.
const CHANGES: [(&str, &str); 4] = [
    ("a feed and its page", "politics.html.br"),
    ("archive pages", "all/archive/1-*.atom"),
    ("a family and its folder", "tags/运河.rss"),
    ("a variant", "all.zh-TW.json"),
];

/// Makes the change named `what` to `site`.
fn change(site: &Site, what: &str) {
    match what {
        "a feed and its page" => {
            fs::remove_file(site.path().join("feeds/politics.toml")).expect("remove politics")
        }
        "archive pages" => {
            site.write(
                "feeds/all.toml",
                "title = \"全部\"\nlimit = 3\nvariants = [\"zh-TW\"]\n",
            );
        }
        "a family and its folder" => {
            fs::remove_file(site.path().join("feeds/tags.toml")).expect("remove tags");
        }
        "a variant" => {
            site.write("feeds/all.toml", "title = \"全部\"\nlimit = 3\n");
        }
        _ => unreachable!("{what}"),
    }
}

/// What a fresh build of `site` as it is now writes.
fn fresh(site: &Site) -> (Vec<String>, Vec<String>) {
    let out = tempfile::tempdir().expect("a folder");
    let run = site.run(&["build", "--out", out.path().to_str().expect("a path")]);
    assert_eq!(run.code, 0, "{run:#?}");
    (tree(out.path()), folders(out.path()))
}

#[test]
fn a_second_build_removes_every_kind_of_document_that_went() {
    for (what, gone) in CHANGES {
        let site = site();
        site.build_ok();
        let out = site.path().join("out");
        assert!(holds(&out, gone), "{what}: {gone} never written");
        change(&site, what);
        site.build_ok();
        assert!(!holds(&out, gone), "{what}: {gone} stayed");
        assert_eq!((tree(&out), folders(&out)), fresh(&site), "{what}");
    }
}

#[test]
fn the_mirror_removes_every_kind_of_document_that_went_live_and_across_a_restart() {
    for (what, gone) in CHANGES {
        // While the daemon runs.
        let site = site();
        let server = site.serve(&["--out", "mirror"]);
        let mirror = site.path().join("mirror");
        eventually("the mirror written", || holds(&mirror, gone));
        change(&site, what);
        eventually(&format!("{what}: {gone} removed"), || !holds(&mirror, gone));
        eventually(&format!("{what}: the mirror as a fresh build"), || {
            (tree(&mirror), folders(&mirror)) == fresh(&site)
        });
        drop(server);

        // Changed while it was down.
        let site = self::site();
        let server = site.serve(&["--out", "mirror"]);
        let mirror = site.path().join("mirror");
        eventually("the mirror written", || holds(&mirror, gone));
        server.signal("TERM");
        assert_eq!(server.wait(), 0);
        change(&site, what);
        let _server = site.serve(&["--out", "mirror"]);
        eventually(
            &format!("{what}, while down: the mirror as a fresh build"),
            || (tree(&mirror), folders(&mirror)) == fresh(&site),
        );
    }
}

/// A killed run's temporary file of every kind of document (feed, page,
/// archive page, a family's feed, variant, OPML, stylesheet, manifest) is
/// removed by the next run; a temporary-looking file the mirror never
/// wrote is left alone.
#[test]
fn temporary_files_of_every_kind_of_document_are_removed() {
    let site = site();
    site.build_ok();
    let out = site.path().join("out");
    let page = fs::read_dir(out.join("all/archive"))
        .expect("the archive's folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|f| f.starts_with("1-") && f.ends_with(".atom"))
        .expect("page 1 in Atom");
    let page = format!("all/archive/.{page}.br.4242.tmp");
    let left = [
        ".all.rss.4242.tmp",
        ".politics.html.4242.tmp",
        ".politics.html.gz.4242.tmp",
        page.as_str(),
        "tags/.运河.json.4242.tmp",
        ".all.zh-TW.atom.4242.tmp",
        ".feeds.opml.4242.tmp",
        ".subscribe.css.4242.tmp",
        "..syndicated-mirror.4242.tmp",
    ];
    for name in left {
        site.write(&format!("out/{name}"), "half");
    }
    site.write("out/.notes.txt.4242.tmp", "someone else's");
    site.build_ok();
    for name in left {
        assert!(!out.join(name).exists(), "{name} left");
    }
    assert!(out.join(".notes.txt.4242.tmp").exists());
}
