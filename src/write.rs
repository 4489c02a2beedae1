//! The one writer of published documents to a folder, for `build --out`
//! and for the daemon's live mirror alike, so both give the same tree: each
//! document with its `.gz` and `.br` siblings (the same precompressed bytes
//! the server sends; none when compressing would not make it smaller), each
//! file written to a temporary name, flushed and renamed into place, so no
//! reader ever sees half a file, and a manifest (`.syndicated-mirror`)
//! listing what was written, so that only those files are ever removed when
//! their documents are gone, never someone else's `data.json`. A file that
//! already holds the bytes it should is left alone, so whatever serves the
//! folder keeps its validators.
//!
//! In the daemon a failed write (an unwritable folder, a full disk) is
//! logged and counted and does not affect serving. The mirror then tries
//! again on its own, after one second and then twice as long each time up
//! to a minute, and with every publication, so it becomes current as soon
//! as the folder can be written, whether or not anything else changes.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::snapshot::{Answer, Encoding, Resource};

mod answers;

pub use answers::{NGINX, REDIRECTS};

/// The file in the mirror folder that lists the documents the mirror wrote,
/// so that it removes only its own files, never someone else's `data.json`.
const MANIFEST: &str = ".syndicated-mirror";

/// A mirror folder and what it holds.
#[derive(Debug)]
pub struct Mirror {
    dir: PathBuf,
    /// What is on disk, by document name: the resource written.
    written: BTreeMap<String, Arc<Resource>>,
    /// Documents a previous run wrote (from the manifest), which may be stale.
    found: BTreeSet<String>,
    /// What the folder should hold: the documents of the last publication.
    wanted: BTreeMap<String, Arc<Resource>>,
    /// The redirects and gone documents of the last publication, as the
    /// files [`NGINX`] and [`REDIRECTS`] hold them.
    answers: [(&'static str, String); 2],
    /// After a failed sync: when to try again, and the wait after that.
    retry: Option<(Instant, Duration)>,
}

/// The first wait before trying a failed sync again, and the longest.
const FIRST_RETRY: Duration = Duration::from_secs(1);
const LAST_RETRY: Duration = Duration::from_secs(60);

impl Mirror {
    /// The mirror of `dir`, removing what a killed run left half-written and reading the manifest of an earlier run.
    pub fn new(dir: &Path) -> Mirror {
        // Every document an earlier run wrote, of whatever kind (feeds,
        // pages, archive pages, the stylesheet…): the manifest names each
        // before it is written. A line that leads out of the folder, or
        // names the manifest, is never acted on.
        let found: BTreeSet<String> = fs::read_to_string(dir.join(MANIFEST))
            .map(|text| {
                text.lines()
                    .filter(|l| stays_inside(l) && *l != MANIFEST)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        // What a killed run left half-written, in the folder and in every
        // folder below it that an earlier run wrote into.
        let folders: BTreeSet<&str> = found
            .iter()
            .filter_map(|name| name.rsplit_once('/').map(|(folder, _)| folder))
            .collect();
        remove_temporary_files(dir, "", &found);
        for folder in folders {
            remove_temporary_files(&dir.join(folder), &format!("{folder}/"), &found);
        }
        Mirror {
            dir: dir.to_path_buf(),
            written: BTreeMap::new(),
            found,
            wanted: BTreeMap::new(),
            answers: [(NGINX, String::new()), (REDIRECTS, String::new())],
            retry: None,
        }
    }

    /// Brings the folder to `documents` (name → resource). Returns the
    /// errors, one message each; an empty list means the folder is current.
    /// A redirect or a `410 Gone` is no file (a static server would serve
    /// its note as the document): the folder holds no file by its name,
    /// and lists it in [`NGINX`] and [`REDIRECTS`] instead, written after
    /// the documents.
    pub fn sync(&mut self, mut documents: BTreeMap<String, Arc<Resource>>) -> Vec<String> {
        self.answers = [
            (NGINX, answers::nginx(&documents)),
            (REDIRECTS, answers::redirects(&documents)),
        ];
        documents.retain(|_, resource| resource.serving.answer == Answer::Bytes);
        self.wanted = documents;
        self.sync_wanted()
    }

    /// The folder it writes.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// When a failed sync should be tried again ([`Mirror::retry`]); `None`
    /// while the folder is current.
    pub fn retry_at(&self) -> Option<Instant> {
        self.retry.map(|(at, _)| at)
    }

    /// Tries again to bring the folder to the last publication. Returns
    /// the errors, as [`Mirror::sync`] does.
    pub fn retry(&mut self) -> Vec<String> {
        self.sync_wanted()
    }

    fn sync_wanted(&mut self) -> Vec<String> {
        let errors = self.write_wanted();
        self.retry = if errors.is_empty() {
            None
        } else {
            let wait = self
                .retry
                .map_or(FIRST_RETRY, |(_, wait)| (wait * 2).min(LAST_RETRY));
            Some((Instant::now() + wait, wait))
        };
        errors
    }

    /// Brings the folder to what is wanted: stale files removed first,
    /// then each document whose bytes are not on disk written; gives what
    /// failed.
    fn write_wanted(&mut self) -> Vec<String> {
        let mut errors = Vec::new();
        if let Err(e) = fs::create_dir_all(&self.dir) {
            errors.push(format!(
                "{}: cannot create the mirror folder: {e}",
                self.dir.display()
            ));
            return errors;
        }
        self.remove_stale(&mut errors);
        // The manifest names every file before it is written: a run killed
        // in the middle leaves no file of its own that the next run would
        // not know to remove.
        let new: Vec<&String> = self
            .wanted
            .keys()
            .filter(|name| !self.written.contains_key(*name) && !self.found.contains(*name))
            .collect();
        if !new.is_empty() {
            if let Err(e) = self.write_manifest(&new) {
                errors.push(e);
                return errors;
            }
        }
        let wanted = std::mem::take(&mut self.wanted);
        for (name, resource) in &wanted {
            self.write_document(name, resource, &mut errors);
        }
        self.wanted = wanted;
        for (file, text) in &self.answers {
            let path = self.dir.join(file);
            if !holds(&path, text.as_bytes()) {
                if let Err(e) = write_atomically(&path, text.as_bytes()) {
                    errors.push(format!("{}: cannot write: {e}", path.display()));
                }
            }
        }
        if let Err(e) = self.write_manifest(&[]) {
            errors.push(e);
        }
        errors
    }

    /// Removes the files of documents no longer wanted. Stale files go
    /// first: on a file system that ignores case, a feed renamed from
    /// `Rust` to `rust` must not lose its new file to the removal of its
    /// old one.
    fn remove_stale(&mut self, errors: &mut Vec<String>) {
        let stale: Vec<String> = self
            .written
            .keys()
            .filter(|name| !self.wanted.contains_key(*name))
            .cloned()
            .chain(
                self.found
                    .iter()
                    .filter(|f| !self.wanted.contains_key(document_of(f)))
                    .cloned(),
            )
            .collect();
        for name in stale {
            let mut ok = true;
            for suffix in ["", ".gz", ".br"] {
                let path = self.dir.join(format!("{name}{suffix}"));
                if let Err(e) = remove_if_present(&path) {
                    errors.push(format!("{}: cannot remove: {e}", path.display()));
                    ok = false;
                }
            }
            if ok {
                // A family's folder (an archive's, `all/archive`, and the
                // one above it) goes with its last document, not if
                // anything else is in it.
                let mut folder = name.as_str();
                while let Some((parent, _)) = folder.rsplit_once('/') {
                    if fs::remove_dir(self.dir.join(parent)).is_err() {
                        break;
                    }
                    folder = parent;
                }
                self.written.remove(&name);
                self.found.remove(&name);
            }
        }
    }

    /// Writes one document and its compressed siblings, unless the same
    /// bytes (a resource only re-dated shares them) are on disk already.
    fn write_document(&mut self, name: &str, resource: &Arc<Resource>, errors: &mut Vec<String>) {
        if self
            .written
            .get(name)
            .is_some_and(|w| Arc::ptr_eq(w, resource) || w.same_bytes(resource))
        {
            return;
        }
        let mut ok = true;
        // Not written by this run: a file from an earlier one may hold
        // these bytes already, and is then left alone, so whatever serves
        // the folder keeps its validators (nginx's ETag and Last-Modified
        // come from the file's size and time).
        let first = !self.written.contains_key(name);
        // A family's feeds live in a folder of their own.
        if let Some((folder, _)) = name.rsplit_once('/') {
            let folder = self.dir.join(folder);
            if let Err(e) = fs::create_dir_all(&folder) {
                errors.push(format!("{}: cannot create: {e}", folder.display()));
            }
        }
        for (suffix, encoding) in [
            ("", Encoding::Identity),
            (".gz", Encoding::Gzip),
            (".br", Encoding::Brotli),
        ] {
            let path = self.dir.join(format!("{name}{suffix}"));
            let result = match resource.encoded(encoding) {
                Some(encoded) if first && holds(&path, &encoded.bytes) => Ok(()),
                Some(encoded) => write_atomically(&path, &encoded.bytes),
                // Not worth compressing: no sibling, and none left over.
                None => remove_if_present(&path),
            };
            if let Err(e) = result {
                errors.push(format!("{}: cannot write: {e}", path.display()));
                ok = false;
            }
        }
        if ok {
            self.written.insert(name.to_owned(), Arc::clone(resource));
        } else {
            // Some of its files may be on disk: listed, so that they are
            // removed once the document is gone.
            self.written.remove(name);
            self.found.insert(name.to_owned());
        }
    }

    /// Writes the manifest: what this run wrote, what an earlier run left,
    /// and `also`, unless the file holds that already.
    fn write_manifest(&self, also: &[&String]) -> Result<(), String> {
        let listed: BTreeSet<&String> = self
            .written
            .keys()
            .chain(&self.found)
            .chain(also.iter().copied())
            .collect();
        let listed: String = listed.iter().map(|name| format!("{name}\n")).collect();
        let manifest = self.dir.join(MANIFEST);
        if holds(&manifest, listed.as_bytes()) {
            return Ok(());
        }
        write_atomically(&manifest, listed.as_bytes())
            .map_err(|e| format!("{}: cannot write: {e}", manifest.display()))
    }
}

/// Removes the temporary files a killed run left behind (see
/// [`write_atomically`]) in `dir` (the mirror's folder `prefix`) for the
/// manifest or a document `found` in it, never anything else.
fn remove_temporary_files(dir: &Path, prefix: &str, found: &BTreeSet<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(written) = file_name.to_str().and_then(temporary_for) else {
            continue;
        };
        let document = format!("{prefix}{}", document_of(written));
        if (prefix.is_empty() && written == MANIFEST) || found.contains(&document) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The document a mirror file holds: its name without a `.gz` or `.br`.
fn document_of(file: &str) -> &str {
    file.strip_suffix(".gz")
        .or_else(|| file.strip_suffix(".br"))
        .unwrap_or(file)
}

/// Whether `name` is a path inside the mirror folder: relative, and no
/// segment empty, `.` or `..`.
fn stays_inside(name: &str) -> bool {
    name.split('/')
        .all(|s| !s.is_empty() && s != "." && s != "..")
}

/// Whether the file at `path` holds exactly `bytes` (read only when its
/// size says it may).
fn holds(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|held| held == bytes)
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Where [`write_atomically`] writes `path` first: `.NAME.PID.tmp`
/// beside it.
fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// The file name a temporary file of [`write_atomically`] (of any process,
/// perhaps one killed mid-write) was to be renamed to, if `file_name` is one.
pub fn temporary_for(file_name: &str) -> Option<&str> {
    let (name, pid) = file_name
        .strip_prefix('.')?
        .strip_suffix(".tmp")?
        .rsplit_once('.')?;
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then_some(name)
}

/// Writes `bytes` to `path` through a temporary file in the same folder
/// (`.NAME.PID.tmp`), flushed to disk before it is renamed over `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = temporary_path(path);
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a document whose file was written but whose sibling
    /// failed was left out of the manifest, so no later run removed it.
    #[test]
    fn a_document_written_in_part_stays_in_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let at = jiff::Timestamp::UNIX_EPOCH;
        let resource = |text: &str| {
            Resource::uncompressed("application/rss+xml", text.to_owned(), at, None, None).0
        };
        // b.rss.gz cannot be written (a folder holds its name), b.rss is.
        fs::create_dir_all(dir.path().join("b.rss.gz")).unwrap();
        let mut mirror = Mirror::new(dir.path());
        let errors = mirror.sync(BTreeMap::from([
            ("a.rss".to_owned(), resource("a")),
            ("b.rss".to_owned(), resource(&"b".repeat(1000))),
        ]));
        assert!(!errors.is_empty());
        let manifest = fs::read_to_string(dir.path().join(MANIFEST)).unwrap();
        assert!(dir.path().join("b.rss").is_file());
        assert_eq!(manifest, "a.rss\nb.rss\n");
    }

    #[test]
    fn a_temporary_name_leads_back_to_its_file() {
        let temp = temporary_path(Path::new("out/all.rss.gz"));
        let name = temp.file_name().and_then(|n| n.to_str()).unwrap();
        assert_eq!(temporary_for(name), Some("all.rss.gz"));
        assert_eq!(
            temporary_for("..syndicated-mirror.42.tmp"),
            Some(".syndicated-mirror")
        );
        for other in [
            ".all.rss.tmp",
            "all.rss.42.tmp",
            ".all.rss.4x2.tmp",
            ".x..tmp",
        ] {
            assert_eq!(temporary_for(other), None, "{other}");
        }
    }
}
