//! Every Atom document we publish is valid against RFC 4287's RELAX NG
//! schema (Appendix B, `tests/schemas/atom.rnc`), checked with `jing`
//! (Debian), on the sample site and on sites with every kind of Atom
//! document: archive pages and their subscription document, a complete
//! feed with and without entries, a variant, a family, a podcast, pictures
//! and enclosures, and entries in another language than their feed's.
//!
//! Regression: `atom_syndication` writes a feed's extension elements after
//! its entries, and the schema allows them only before: every archived
//! feed's `<fh:complete/>` made it invalid.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{Site, files_under, repo};

/// Every `.atom` file `site` builds into `out/`.
fn atom_documents(site: &Site) -> Vec<PathBuf> {
    site.build_ok();
    let out = site.path().join("out");
    files_under(&out)
        .into_iter()
        .filter(|name| name.ends_with(".atom"))
        .map(|name| out.join(name))
        .collect()
}

/// A complete feed with no entries at all.
fn empty_and_complete() -> Site {
    let site = Site::new();
    site.write("feeds/all.toml", "title = \"全部\"\narchive = true\n");
    site
}

/// A podcast with pictures, enclosures, a transcript and chapters.
fn podcast() -> Site {
    let site = Site::sample();
    site.write(
        "content/podcast/ep3.md",
        "---\ntitle: 第三期\ndate: 2024-07-07T07:00:00+08:00\nimage: /images/grand-canal.jpg\ntranscript: 2024-07-05-canal-morning.vtt\nenclosures:\n  - url: 2024-07-05-canal-morning.mp3\n---\n正文。\n",
    );
    site
}

/// Runs jing on `files`; returns its errors (its warnings about its own
/// Java libraries are not about our documents).
fn jing(files: &[PathBuf]) -> String {
    let schema: &Path = &repo().join("tests/schemas/atom.rnc");
    let out = Command::new("jing")
        .arg("-c")
        .arg(schema)
        .args(files)
        .output()
        .expect("jing (Debian: jing)");
    let report: String = String::from_utf8_lossy(&out.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&out.stderr).lines())
        .filter(|l| !l.starts_with("[warning]"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        out.status.success() || !report.is_empty(),
        "jing failed without saying why"
    );
    report
}

#[test]
#[ignore = "needs jing (Debian): run ./test"]
fn every_atom_document_is_valid_against_rfc_4287s_schema() {
    let sites = [
        Site::sample(),
        Site::every_kind(),
        empty_and_complete(),
        podcast(),
    ];
    let mut files = Vec::new();
    for site in &sites {
        files.extend(atom_documents(site));
    }
    // Each kind is there: archive pages, a variant, a family's feeds.
    for kind in ["/all/archive/1-", "/all.zh-TW.atom", "/tags/"] {
        assert!(
            files.iter().any(|f| f.to_string_lossy().contains(kind)),
            "no {kind} among {files:#?}"
        );
    }
    let report = jing(&files);
    assert_eq!(report, "", "{} documents", files.len());
}
