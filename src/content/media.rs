//! Pictures, sound and video an article points at: where each one is (the
//! URL readers fetch, and for a file under the content folder its path
//! there), and the facts feeds carry about it: its type, its length in
//! bytes, a picture's width and height. Facts come from the file's metadata
//! and header (`imagesize` reads a few hundred bytes), never from reading
//! the whole file, and requests never read media at all: the daemon
//! publishes feeds, media stay where the operator serves them.
//!
//! A value with an `http:` or `https:` scheme is a remote file: its facts
//! are what the front matter says. Anything else is a path: relative to the
//! article's folder, or to the content folder when it starts with `/`. Its
//! URL is `site.media_url` joined with its path inside the content folder
//! when the site sets one, and otherwise the path resolved against the
//! article's link, as a link in its body is.

use std::fs;
use std::path::{Path, PathBuf};

use url::Url;

use super::Source;
use crate::config::Site;
use crate::text::url_segment;

/// One picture, sound or video file, as a feed points at it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Media {
    /// Where readers fetch it (absolute, http or https).
    pub url: Url,
    /// Its path inside the content folder (`/` separators), for a local
    /// file: the store watches it, and an article pointing at it is read
    /// again when it changes.
    pub file: Option<String>,
    /// What feeds say about it.
    pub facts: Facts,
}

/// What feeds say about a media file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Facts {
    /// Its MIME type (`image/jpeg`, `audio/mpeg`): as given, else guessed
    /// from its name.
    pub mime: Option<String>,
    /// Its length in bytes: a local file's, or as given.
    pub length: Option<u64>,
    /// A picture's width and height in pixels, read from its header.
    pub size: Option<(u32, u32)>,
}

/// Where a media value points: its URL, and for a local file its path
/// inside the content folder and on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The URL readers fetch.
    pub url: Url,
    /// For a local file: its path inside the content folder, and on disk.
    pub file: Option<(String, PathBuf)>,
}

/// Where `value`, written in the front matter of the article at `source`
/// whose link is `link`, points. Errors say why, for a message naming the
/// key: a path that leaves the content folder, a URL with another scheme.
pub fn locate(site: &Site, source: &Source, link: &Url, value: &str) -> Result<Located, String> {
    let value = value.trim();
    if let Ok(url) = Url::parse(value) {
        return match url.scheme() {
            "http" | "https" => Ok(Located { url, file: None }),
            other => Err(format!(
                "\"{value}\" is a {other}: URL; use an http or https URL, or a path inside the content folder"
            )),
        };
    }
    let rel = inside_content(source, value)?;
    let url = match &site.media_url {
        Some(base) => {
            let path: Vec<String> = rel.split('/').map(url_segment).collect();
            base.join(&path.join("/"))
                .map_err(|e| format!("\"{value}\" makes no URL with `media_url` ({e})"))?
        }
        None => super::resolve::web_url(link, value)?,
    };
    let disk = content_dir(source).join(&rel);
    Ok(Located {
        url,
        file: Some((rel, disk)),
    })
}

/// `value`, a path relative to the folder of the article at `source` (or
/// to the content folder when it starts with `/`), as a path inside the
/// content folder. `..` may climb out of the article's folder, never out of
/// the content folder.
fn inside_content(source: &Source, value: &str) -> Result<String, String> {
    let mut parts: Vec<&str> = match value.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => {
            let mut dir: Vec<&str> = source.rel.split('/').collect();
            dir.pop();
            dir
        }
    };
    for part in value.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("\"{value}\" leads outside the content folder"));
                }
            }
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return Err(format!("\"{value}\" names no file"));
    }
    Ok(parts.join("/"))
}

/// The content folder the article at `source` is in.
fn content_dir(source: &Source) -> PathBuf {
    let depth = source.rel.split('/').count();
    source
        .file
        .ancestors()
        .nth(depth)
        .map_or_else(PathBuf::new, Path::to_path_buf)
}

/// The MIME type a file's name suggests (`mime_guess`), if any.
pub fn guess_type(name: &str) -> Option<String> {
    mime_guess::from_path(name)
        .first()
        .map(|mime| mime.essence_str().to_owned())
}

/// The facts of the local file at `disk` (`follow_symlinks` as the site
/// says): its length, its type from its name, and a picture's size from its
/// header. Errors say what is wrong, for a message naming the key.
pub fn read_facts(disk: &Path, follow_symlinks: bool) -> Result<Facts, String> {
    let metadata = if follow_symlinks {
        fs::metadata(disk)
    } else {
        fs::symlink_metadata(disk)
    };
    let name = disk.display();
    let metadata = match metadata {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!("{name} does not exist"));
        }
        Err(e) => return Err(format!("{name} cannot be read ({e})")),
    };
    if metadata.file_type().is_symlink() {
        return Err(format!(
            "{name} is a symbolic link, which `content.follow_symlinks` does not allow"
        ));
    }
    if !metadata.is_file() {
        return Err(format!("{name} is not a file"));
    }
    let mime = guess_type(&disk.to_string_lossy());
    let size = match &mime {
        Some(mime) if mime.starts_with("image/") => {
            let size = imagesize::size(disk)
                .map_err(|e| format!("{name} is not a picture this daemon can read ({e})"))?;
            Some((
                u32::try_from(size.width).unwrap_or(u32::MAX),
                u32::try_from(size.height).unwrap_or(u32::MAX),
            ))
        }
        _ => None,
    };
    Ok(Facts {
        mime,
        length: Some(metadata.len()),
        size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(rel: &str) -> Source {
        Source::new(
            Path::new("/site/content"),
            Path::new("/site/content").join(rel),
        )
    }

    #[test]
    fn paths_stay_inside_the_content_folder() {
        let s = source("news/2024/fire.md");
        assert_eq!(
            inside_content(&s, "fire.jpg").unwrap(),
            "news/2024/fire.jpg"
        );
        assert_eq!(
            inside_content(&s, "../cover.png").unwrap(),
            "news/cover.png"
        );
        assert_eq!(inside_content(&s, "/media/a.mp3").unwrap(), "media/a.mp3");
        assert_eq!(
            inside_content(&s, "./a/./b.jpg").unwrap(),
            "news/2024/a/b.jpg"
        );
        assert!(inside_content(&s, "../../../etc/passwd").is_err());
        assert!(inside_content(&s, "/../x").is_err());
        assert!(inside_content(&source("a.md"), "..").is_err());
        assert_eq!(content_dir(&s), Path::new("/site/content"));
    }

    #[test]
    fn types_come_from_names() {
        assert_eq!(guess_type("a.mp3").as_deref(), Some("audio/mpeg"));
        assert_eq!(guess_type("a.JPG").as_deref(), Some("image/jpeg"));
        assert_eq!(guess_type("a.m4a").as_deref(), Some("audio/m4a"));
        assert_eq!(guess_type("noextension"), None);
    }
}
