//! Archive pages a change in their feed's history replaced, remembered in
//! the state folder so that a restart goes on serving each as it was for
//! the rest of its 30 days, and `410 Gone` after them, as the run before
//! it did (see `publish::superseded`).
//!
//! The folder `replaced-pages/` of the state folder holds `index`, one line
//! per page in name order: `NAME<TAB>SINCE<TAB>FILE<TAB>LINK…` for a page
//! still served (SINCE in seconds since the epoch, FILE the name of the
//! file beside it that holds its bytes, then its `Link` header fields), or
//! `NAME<TAB>gone` for one that is gone for good. A page's file is written
//! before the index names it and removed after the index forgets it; an
//! index that cannot be read costs only the replaced pages (they answer
//! `404` then), with one line in the log.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use hyper::header::HeaderValue;

use crate::config::Format;
use crate::snapshot::{Answer, Links, Serving, Snapshot};
use crate::write::write_atomically;

/// The folder in the state folder.
const FOLDER: &str = "replaced-pages";
/// Its list of the pages kept: names, dates and links.
const LIST: &str = "index";

/// A document as publication hands it to the snapshot.
pub type Named = (String, Serving, Bytes);

/// The replaced pages remembered, and where.
#[derive(Debug, Default)]
pub struct ReplacedPages {
    dir: Option<PathBuf>,
    /// By name: since when it is replaced (seconds), or `None` when gone.
    pages: BTreeMap<String, Option<i64>>,
}

impl ReplacedPages {
    /// Reads what the state folder `state` remembers: the pages, as
    /// documents to serve again, and a problem to log if the index could
    /// not be read. `None` remembers nothing and keeps nothing.
    pub fn open(state: Option<&Path>) -> (ReplacedPages, Vec<Named>, Option<String>) {
        let Some(state) = state else {
            return (ReplacedPages::default(), Vec::new(), None);
        };
        let dir = state.join(FOLDER);
        let mut replaced = ReplacedPages {
            dir: Some(dir.clone()),
            pages: BTreeMap::new(),
        };
        let index = dir.join(LIST);
        let text = match fs::read_to_string(&index) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (replaced, Vec::new(), None);
            }
            Err(e) => {
                let problem = format!(
                    "{}: cannot read ({e}); replaced archive pages are not served",
                    index.display()
                );
                return (replaced, Vec::new(), Some(problem));
            }
        };
        let mut documents = Vec::new();
        for (n, line) in (1..).zip(text.lines()) {
            match parse_line(&dir, line) {
                Ok(Some((name, since, (serving, bytes)))) => {
                    replaced.pages.insert(name.clone(), since);
                    documents.push((name, serving, bytes));
                }
                Ok(None) => {}
                Err(()) => {
                    let problem = format!(
                        "{}:{n}: not a line this daemon wrote; replaced archive pages are not served",
                        index.display()
                    );
                    replaced.pages.clear();
                    return (replaced, Vec::new(), Some(problem));
                }
            }
        }
        (replaced, documents, None)
    }

    /// Remembers the replaced pages of `snapshot` among the documents
    /// named in `touched` (those a publication changed or dropped: a page
    /// is replaced, turns gone, or goes, only then), writing the folder if
    /// anything differs. Returns the error message of a failed write.
    pub fn keep<'a>(
        &mut self,
        snapshot: &Snapshot,
        touched: impl Iterator<Item = &'a String>,
    ) -> Result<(), String> {
        let Some(dir) = self.dir.clone() else {
            return Ok(());
        };
        let mut before = Vec::new();
        let mut written = Vec::new();
        for name in touched {
            let now = snapshot.get(name).and_then(|resource| {
                match (&resource.serving.answer, resource.serving.superseded) {
                    (Answer::Gone, _) => Some((None, None)),
                    (Answer::Bytes, Some(since)) => Some((Some(since), Some(resource))),
                    _ => None,
                }
            });
            let was = self.pages.get(name).copied();
            if was == now.map(|(since, _)| since) {
                continue;
            }
            before.push(name.clone());
            match now {
                Some((since, resource)) => {
                    if let Some(resource) = resource {
                        written.push((file_name(name), resource.identity.bytes.clone()));
                    }
                    self.pages.insert(name.clone(), since);
                }
                None => {
                    self.pages.remove(name);
                }
            }
        }
        if before.is_empty() {
            return Ok(());
        }
        let write = || -> std::io::Result<()> {
            fs::create_dir_all(&dir)?;
            for (file, bytes) in &written {
                write_atomically(&dir.join(file), bytes)?;
            }
            write_atomically(&dir.join(LIST), self.index(snapshot).as_bytes())?;
            // Files of pages that are gone, or no longer replaced.
            for name in &before {
                if self.pages.get(name).copied().flatten().is_none() {
                    let _ = fs::remove_file(dir.join(file_name(name)));
                }
            }
            Ok(())
        };
        write().map_err(|e| format!("{}: cannot write: {e}", dir.display()))
    }

    /// The index of what is remembered, each page's links from `snapshot`.
    fn index(&self, snapshot: &Snapshot) -> String {
        let mut text = String::new();
        for (name, since) in &self.pages {
            let Some(since) = since else {
                let _ = writeln!(text, "{name}\tgone");
                continue;
            };
            let _ = write!(text, "{name}\t{since}\t{}", file_name(name));
            for link in snapshot
                .get(name)
                .iter()
                .flat_map(|r| &r.serving.links.fields)
            {
                // Made from a `String` (`Links::new`): UTF-8, no tab.
                let _ = write!(text, "\t{}", String::from_utf8_lossy(link.as_bytes()));
            }
            text.push('\n');
        }
        text
    }
}

/// The file that holds the bytes of the page `name`: a hash of the name,
/// which may hold any character.
fn file_name(name: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(name.as_bytes()))
}

/// A page of the index: its name, since when it is replaced (`None`:
/// gone), and the document it serves.
type Page = (String, Option<i64>, (Serving, Bytes));

/// A line of the index, with the page it names as a document (its bytes
/// read from `dir`): `Err` for a line this daemon did not write, `Ok(None)`
/// for a page whose file is not there (it is forgotten).
fn parse_line(dir: &Path, line: &str) -> Result<Option<Page>, ()> {
    parse_fields(line).map(|(name, since, links)| match since {
        None => {
            let gone = crate::publish::gone_page(&name);
            Some((name, None, gone))
        }
        Some(since) => {
            let bytes = fs::read(dir.join(file_name(&name))).ok()?;
            let serving = page_serving(&name, since, links)?;
            Some((name, Some(since), (serving, Bytes::from(bytes))))
        }
    })
}

/// The fields of an index line: the name, since when (`None`: gone), and
/// the page's `Link` fields; `Err` for a line this daemon did not write.
fn parse_fields(line: &str) -> Result<(String, Option<i64>, Vec<HeaderValue>), ()> {
    let mut fields = line.split('\t');
    let name = fields
        .next()
        .filter(|n| !n.is_empty())
        .ok_or(())?
        .to_owned();
    let since = fields.next().ok_or(())?;
    if since == "gone" {
        return Ok((name, None, Vec::new()));
    }
    let since: i64 = since.parse().map_err(|_| ())?;
    if fields.next() != Some(file_name(&name).as_str()) {
        return Err(());
    }
    let links = fields
        .map(|field| HeaderValue::from_bytes(field.as_bytes()))
        .collect::<Result<_, _>>()
        .map_err(|_| ())?;
    Ok((name, Some(since), links))
}

/// How the replaced page `name` is served: as its format, `immutable`,
/// with its links; `None` when its name has no feed format's extension.
fn page_serving(name: &str, since: i64, fields: Vec<HeaderValue>) -> Option<Serving> {
    let extension = name.rsplit_once('.')?.1;
    let format = Format::ALL
        .into_iter()
        .find(|f| f.extension() == extension)?;
    Some(Serving {
        links: Arc::new(Links {
            fields,
            topic: None,
        }),
        immutable: true,
        superseded: Some(since),
        ..Serving::from(format.media_type())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn page(name: &str, since: i64, bytes: &'static str) -> (String, Serving, Bytes) {
        let serving = Serving {
            links: Arc::new(Links::new(&[(
                "self",
                format!("https://news.example/{name}"),
            )])),
            immutable: true,
            superseded: Some(since),
            ..Serving::from(Format::Atom.media_type())
        };
        (
            name.to_owned(),
            serving,
            Bytes::from_static(bytes.as_bytes()),
        )
    }

    #[test]
    fn replaced_and_gone_pages_are_read_back_as_they_were_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (gone_serving, gone_bytes) =
            crate::publish::gone_page("all/archive/1-000000000001.atom");
        let documents = vec![
            page("all/archive/1-00000000000a.atom", 1_700_000_000, "<feed/>"),
            page(
                "tags/大运河/archive/2-00000000000b.atom",
                1_700_000_100,
                "<f/>",
            ),
            (
                "all/archive/1-00000000000c.atom".to_owned(),
                gone_serving,
                gone_bytes,
            ),
        ];
        let names: Vec<String> = documents.iter().map(|d| d.0.clone()).collect();
        let now = Timestamp::from_second(1_700_000_200).unwrap();
        let snapshot = Snapshot::default()
            .with_documents(documents.clone(), &Snapshot::default(), |_| None, now)
            .0;
        let (mut kept, restored, problem) = ReplacedPages::open(Some(dir.path()));
        assert_eq!((restored.len(), problem), (0, None));
        kept.keep(&snapshot, names.iter()).unwrap();

        let (again, restored, problem) = ReplacedPages::open(Some(dir.path()));
        assert_eq!(problem, None);
        assert_eq!(again.pages, kept.pages);
        let mut restored = restored;
        restored.sort_by(|a, b| a.0.cmp(&b.0));
        let mut documents = documents;
        documents.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(restored, documents);

        // A page no longer replaced is forgotten, its file removed.
        let fewer = Snapshot::default()
            .with_documents(documents[1..].to_vec(), &Snapshot::default(), |_| None, now)
            .0;
        kept.keep(&fewer, names.iter()).unwrap();
        let (again, restored, _) = ReplacedPages::open(Some(dir.path()));
        assert_eq!(again.pages.len(), 2);
        assert_eq!(restored.len(), 2);
        let files = fs::read_dir(dir.path().join(FOLDER)).unwrap().count();
        assert_eq!(files, 2, "the index and one page's bytes");
    }

    #[test]
    fn a_damaged_index_costs_only_the_replaced_pages() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join(FOLDER)).unwrap();
        fs::write(
            dir.path().join(FOLDER).join(LIST),
            "all/archive/1-a.atom\tsoon\n",
        )
        .unwrap();
        let (kept, restored, problem) = ReplacedPages::open(Some(dir.path()));
        assert!(kept.pages.is_empty() && restored.is_empty());
        assert!(problem.unwrap().ends_with(
            "index:1: not a line this daemon wrote; replaced archive pages are not served"
        ));
    }
}
