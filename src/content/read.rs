//! Reading one article file, as safely and as cheaply as a scan needs:
//! opened without following a symbolic link unless the site allows it
//! (`O_NOFOLLOW`, so a file swapped for a link after the walk saw it is
//! refused too), refused before it is read whole when it is larger than
//! `content.max_bytes`, and read only as far as the end of its front matter
//! when that is all a scan needs ([`Depth::Head`]). A [`Fingerprint`] of the
//! version read lets a rescan skip files that did not change without
//! opening them. Keeping every article is [`super::Store`]'s job.

use std::fs::{self, File};
use std::io::{self, Read as _};
use std::os::fd::OwnedFd;
use std::path::Path;

use rustix::fs::{Mode, OFlags};
use rustix::io::retry_on_intr;

use super::{Article, Body, Parsed, Source, parse_article, parse_head, render_article};
use crate::config::{Site, SummaryLimits};
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;

/// What identifies one version of a file without opening it. Opening is
/// what must be avoided: on Linux every open is an inotify event, and a
/// rescan that opened every file would flood the queue it is meant to recover.
///
/// Times are nanoseconds since the epoch (an `i64` holds them until 2262),
/// so that a million of these take 32 MB rather than 48.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    len: u64,
    modified: i64,
    changed: i64,
    inode: u64,
}

impl Fingerprint {
    /// The fingerprint of the file at `path` (following links), if it can
    /// be read.
    pub fn of_file(path: &Path) -> Option<Fingerprint> {
        fs::metadata(path).ok().map(|m| Fingerprint::of(&m))
    }

    /// The fingerprint of what `meta` describes.
    pub fn of(meta: &fs::Metadata) -> Fingerprint {
        use std::os::unix::fs::MetadataExt as _;
        let nanos =
            |seconds: i64, nanos: i64| seconds.saturating_mul(1_000_000_000).saturating_add(nanos);
        Fingerprint {
            len: meta.len(),
            modified: nanos(meta.mtime(), meta.mtime_nsec()),
            changed: nanos(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
        }
    }

    /// The modification time, in nanoseconds since the epoch.
    pub(super) fn modified_nanos(&self) -> i64 {
        self.modified
    }
}

/// The warning for a symbolic link the walk or an open did not follow.
pub(super) const NOT_FOLLOWED: &str = "content-link-not-followed";

/// The error for a file or folder that could not be read.
pub(super) fn cannot_read(path: &Path, reason: impl std::fmt::Display) -> Diagnostic {
    let message = Message::new("content-cannot-read").arg("detail", reason.to_string());
    Diagnostic::error(path, None, message)
}

/// Refuses a file larger than `content.max_bytes` before it is read whole.
pub(super) fn check_size(site: &Site, source: &Source, file: &File) -> Result<(), Diagnostic> {
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > site.max_article_bytes {
        return Err(Diagnostic::error(
            &source.file(),
            None,
            Message::new("content-too-large")
                .arg("len", len)
                .arg("max", site.max_article_bytes),
        ));
    }
    Ok(())
}

/// Whether `head` already holds a whole front matter, so reading can stop.
fn parse_head_ready(head: &[u8]) -> bool {
    super::front_matter_end(head).is_some()
}

/// Whether `path` names an article (a `.md` file).
pub fn is_article_name(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "md")
}

/// Why a body could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// What the file holds is wrong (it does not parse, or it is too large):
    /// reading it again changes nothing until it changes.
    Content(Diagnostic),
    /// The file could not be opened or read (a passing I/O error, a file
    /// gone or made unreadable): worth reading again.
    Unreadable(Diagnostic),
}

impl BodyError {
    /// The diagnostic to report.
    pub fn diagnostic(&self) -> &Diagnostic {
        match self {
            BodyError::Content(d) | BodyError::Unreadable(d) => d,
        }
    }
}

/// A body rendered from one read of the whole file: the article and body
/// that read gives, and the fingerprint of the version read.
pub type RenderedFile = (Parsed<(Article, Body)>, Fingerprint);

/// Reads `article`'s file again, whole, and renders its body. Used only for
/// articles a feed shows, so that bodies are never all in memory at once.
pub fn render_body(
    site: &Site,
    limits: SummaryLimits,
    article: &Article,
) -> Result<RenderedFile, BodyError> {
    let source = &article.source;
    let mut file = open_article(site, source, None).map_err(BodyError::Unreadable)?;
    let meta = file
        .metadata()
        .map_err(|e| BodyError::Unreadable(cannot_read(&source.file(), e)))?;
    check_size(site, source, &file).map_err(BodyError::Content)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| BodyError::Unreadable(cannot_read(&source.file(), e)))?;
    let parsed = render_article(site, limits, source, &bytes).map_err(BodyError::Content)?;
    Ok((parsed, Fingerprint::of(&meta)))
}

/// The folder a scan last opened an article in, kept open (`O_PATH`: a
/// handle, not a read) so that the next article there is opened relative
/// to it (openat(2)): the kernel then looks up one name instead of every
/// folder of the path. Made afresh for each scan (and each part of one that
/// a thread takes), so a folder renamed or replaced before a scan is never
/// read through an old handle; within a scan that races such a change, the
/// watch's events for it bring a read again.
#[derive(Debug, Default)]
pub(super) struct Folder(Option<(Box<str>, OwnedFd)>);

impl Folder {
    /// Opens `name` in `folder` (a path inside `source.dir`), through the
    /// handle kept for `folder` or a new one.
    fn open_in(
        &mut self,
        source: &Source,
        folder: &str,
        name: &str,
        flags: OFlags,
    ) -> io::Result<File> {
        let handle = match &self.0 {
            Some((open, handle)) if **open == *folder => handle,
            _ => {
                let path = source.dir.join(folder);
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                let handle = retry_on_intr(|| rustix::fs::open(&path, flags, Mode::empty()))?;
                &self.0.insert((folder.into(), handle)).1
            }
        };
        let file = retry_on_intr(|| rustix::fs::openat(handle, name, flags, Mode::empty()))?;
        Ok(File::from(file))
    }
}

/// Opens an article's file, relative to the `folder` a scan keeps open when
/// it is given. Without `content.follow_symlinks` a symbolic link is
/// refused here too (`O_NOFOLLOW`), not only by the walk: a file swapped for
/// a link after the walk saw a regular file there must not publish what the
/// link points to.
pub(super) fn open_article(
    site: &Site,
    source: &Source,
    folder: Option<&mut Folder>,
) -> Result<File, Diagnostic> {
    let mut flags = OFlags::RDONLY | OFlags::CLOEXEC;
    if !site.follow_symlinks {
        flags |= OFlags::NOFOLLOW;
    }
    let opened = match (folder, source.rel.rsplit_once('/')) {
        (Some(kept), Some((folder, name))) => kept.open_in(source, folder, name, flags),
        _ => retry_on_intr(|| rustix::fs::open(source.file(), flags, Mode::empty()))
            .map(File::from)
            .map_err(io::Error::from),
    };
    opened.map_err(|e| {
        if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) && !site.follow_symlinks
        {
            Diagnostic::error(&source.file(), None, Message::new(NOT_FOLLOWED))
        } else {
            cannot_read(&source.file(), e)
        }
    })
}

/// How much of each file a scan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// The first [`HEAD_BYTES`] when they hold the front matter (and the
    /// whole file otherwise): what publishing needs, and much cheaper on a
    /// large site. Problems in a body are found when the body is rendered.
    Head,
    /// Every byte of every file, so every problem is found: what `check` does.
    Whole,
}

/// The first bytes of a file, which hold the front matter of nearly every article.
pub const HEAD_BYTES: usize = 4096;

/// Reads one article, and with `track` the fingerprint of the version read
/// (taken from the open file, so it is the one that was read). `folder` is
/// the scan's (see [`Folder`]); one file read alone needs none.
pub(super) fn read_source(
    site: &Site,
    source: &Source,
    depth: Depth,
    track: bool,
    folder: Option<&mut Folder>,
) -> (Result<Parsed<Article>, Diagnostic>, Option<Fingerprint>) {
    let cannot = |e: io::Error| cannot_read(&source.file(), e);
    let mut file = match open_article(site, source, folder) {
        Ok(file) => file,
        Err(error) => return (Err(error), None),
    };
    let fingerprint = if track {
        file.metadata().ok().map(|m| Fingerprint::of(&m))
    } else {
        None
    };
    let mut bytes = Vec::new();
    if depth == Depth::Head {
        // One read into a buffer on the stack: nearly every front matter is
        // in it, and parse_head needs no proof of the end of the file
        // (read_to_end would spend a second call on that for every file
        // shorter than the head, and a heap buffer per file costs more).
        let mut head = [0u8; HEAD_BYTES];
        let mut filled = 0;
        loop {
            match file.read(&mut head[filled..]) {
                Ok(0) => break,
                Ok(n) => {
                    filled += n;
                    if filled == HEAD_BYTES || parse_head_ready(&head[..filled]) {
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return (Err(cannot(e)), fingerprint),
            }
        }
        if let Some(result) = parse_head(site, source, &head[..filled]) {
            return (result, fingerprint);
        }
        bytes.extend_from_slice(&head[..filled]);
    }
    // About to read the whole file: not if it is too large.
    if let Err(error) = check_size(site, source, &file) {
        return (Err(error), fingerprint);
    }
    if let Err(e) = file.read_to_end(&mut bytes) {
        return (Err(cannot(e)), fingerprint);
    }
    (parse_article(site, source, &bytes), fingerprint)
}
