//! The static mirror: a folder kept identical to what the daemon serves, so
//! nginx or an object store can serve the same bytes.
//!
//! After each publication every document whose bytes changed is written with
//! its `.gz` and `.br` siblings (the same precompressed bytes the server
//! sends), each to a temporary name and renamed into place, and the files of
//! documents that no longer exist are removed. A failed write is logged and
//! counted and does not affect serving; the next publication tries again
//! everything that is not known to be on disk.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::publish::write_atomically;
use crate::snapshot::{Encoding, Resource};

/// Names the mirror writes, so it knows which files in the folder are its own.
fn is_ours(name: &str) -> bool {
    let base = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".br"))
        .unwrap_or(name);
    !name.starts_with('.')
        && (base.ends_with(".rss")
            || base.ends_with(".atom")
            || base.ends_with(".json")
            || base == "index.html"
            || base == "feeds.opml")
}

/// A mirror folder and what it holds.
#[derive(Debug)]
pub struct Mirror {
    dir: PathBuf,
    /// What is on disk, by document name: the resource written.
    written: BTreeMap<String, Arc<Resource>>,
    /// Files of ours found at start that may be stale.
    found: BTreeSet<String>,
}

impl Mirror {
    pub fn new(dir: &Path) -> Mirror {
        let found = fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|name| is_ours(name))
                    .collect()
            })
            .unwrap_or_default();
        Mirror {
            dir: dir.to_path_buf(),
            written: BTreeMap::new(),
            found,
        }
    }

    /// Brings the folder to `documents` (name → resource). Returns the
    /// errors, one message each; an empty list means the folder is current.
    pub fn sync(&mut self, documents: &BTreeMap<String, Arc<Resource>>) -> Vec<String> {
        let mut errors = Vec::new();
        if let Err(e) = fs::create_dir_all(&self.dir) {
            errors.push(format!(
                "{}: cannot create the mirror folder: {e}",
                self.dir.display()
            ));
            return errors;
        }
        for (name, resource) in documents {
            if self
                .written
                .get(name)
                .is_some_and(|w| Arc::ptr_eq(w, resource))
            {
                continue;
            }
            let mut ok = true;
            for (suffix, encoding) in [
                ("", Encoding::Identity),
                (".gz", Encoding::Gzip),
                (".br", Encoding::Brotli),
            ] {
                let path = self.dir.join(format!("{name}{suffix}"));
                let result = match resource.variant(encoding) {
                    Some(variant) => write_atomically(&path, &variant.bytes),
                    // Not worth compressing: no sibling, and none left over.
                    None => remove_if_present(&path),
                };
                if let Err(e) = result {
                    errors.push(format!("{}: cannot write: {e}", path.display()));
                    ok = false;
                }
            }
            if ok {
                self.written.insert(name.clone(), Arc::clone(resource));
            } else {
                self.written.remove(name);
            }
        }
        let stale: Vec<String> = self
            .written
            .keys()
            .filter(|name| !documents.contains_key(*name))
            .cloned()
            .chain(
                self.found
                    .iter()
                    .filter(|f| {
                        let base = f
                            .strip_suffix(".gz")
                            .or_else(|| f.strip_suffix(".br"))
                            .unwrap_or(f);
                        !documents.contains_key(base)
                    })
                    .cloned(),
            )
            .collect();
        for name in stale {
            let mut ok = true;
            for suffix in ["", ".gz", ".br"] {
                if let Err(e) = remove_if_present(&self.dir.join(format!("{name}{suffix}"))) {
                    errors.push(format!(
                        "{}: cannot remove: {e}",
                        self.dir.join(&name).display()
                    ));
                    ok = false;
                }
            }
            if ok {
                self.written.remove(&name);
                self.found.remove(&name);
            }
        }
        errors
    }
}

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
