//! Pictures, sound and video an article points at: where each one is (the
//! URL readers fetch, and for a file under the content folder its path
//! there), and the facts feeds carry about it: its type, its length in
//! bytes, a picture's width and height, a sound's duration. Facts come from
//! the file's metadata and header (`imagesize` reads a few hundred bytes),
//! nothing is ever decoded, and only an MP3 is read through, once per
//! change of the file, for its frames (its length is theirs); requests
//! never read media at all: the daemon publishes feeds, media stay where
//! the operator serves them.
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

use super::front_matter::RawEnclosure;
use super::{Enclosure, Source};
use crate::config::{Site, picture_size, through_link};
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;
use crate::text::file_reference;

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
    /// A sound's or video's length in whole seconds, read from its
    /// container's header (or as given).
    pub duration: Option<u64>,
    /// For a local picture: what podcast directories' artwork rules it
    /// breaks, if any ([`crate::config::artwork_problem`]); an episode's
    /// picture is its `itunes:image` only if it breaks none.
    pub unfit_artwork: Option<Box<Message>>,
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

/// The media file `value` names in the front matter of the article at
/// `source` whose link is `link`, with its facts: read from a local file
/// (which must exist), guessed from a remote one's name.
pub(super) fn article_media(
    site: &Site,
    source: &Source,
    link: &Url,
    value: &str,
) -> Result<Media, Message> {
    let located = locate(site, source, link, value)?;
    let (file, facts) = match located.file {
        Some((rel, disk)) => {
            let content = disk
                .ancestors()
                .nth(rel.split('/').count())
                .unwrap_or(Path::new(""));
            let facts = read_facts(&disk, content, site.follow_symlinks)
                .map_err(|m| Message::new("media-put-there").arg("problem", m))?;
            (Some(rel), facts)
        }
        None => (
            None,
            Facts {
                mime: guess_type(located.url.path()),
                ..Facts::default()
            },
        ),
    };
    Ok(Media {
        url: located.url,
        file,
        facts,
    })
}

/// The files `list` (the `enclosures` key, on `line`) publishes with the
/// article at `source` whose link is `link`. A local file must exist and
/// have a type its name or the front matter gives; its length and duration
/// come from the file. A remote file takes its facts from the front matter:
/// without a type from either, it is an error; without a length, a warning
/// (RSS's `length` is then 0, which readers accept).
pub(super) fn enclosures(
    site: &Site,
    source: &Source,
    link: &Url,
    list: Vec<RawEnclosure>,
    line: Option<usize>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Enclosure>, Diagnostic> {
    let field = |message: Message| Message::field("enclosures", message);
    let error = |message: Message| Diagnostic::error(&source.file(), line, field(message));
    let mut out = Vec::with_capacity(list.len());
    for raw in list {
        let value = raw.url.trim().to_owned();
        let mut media = article_media(site, source, link, &value).map_err(error)?;
        if let Some(mime) = raw.mime.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
            if !is_mime_type(mime) {
                return Err(error(
                    Message::new("media-bad-type")
                        .arg("value", value.as_str())
                        .arg("mime", mime),
                ));
            }
            media.facts.mime = Some(mime.to_owned());
        }
        if media.facts.mime.is_none() {
            return Err(error(
                Message::new("media-unknown-type").arg("value", value.as_str()),
            ));
        }
        if media.file.is_none() {
            match raw.length.as_deref().map(str::trim) {
                Some(length) => {
                    media.facts.length = Some(length.parse().map_err(|_| {
                        error(
                            Message::new("media-bad-length")
                                .arg("value", value.as_str())
                                .arg("length", length),
                        )
                    })?);
                }
                None => warnings.push(Diagnostic::warning(
                    &source.file(),
                    line,
                    field(Message::new("media-no-length").arg("value", value.as_str())),
                )),
            }
        }
        if let Some(duration) = raw.duration.as_deref().map(str::trim) {
            media.facts.duration = Some(parse_duration(duration).ok_or_else(|| {
                error(
                    Message::new("media-bad-duration")
                        .arg("value", value.as_str())
                        .arg("duration", duration),
                )
            })?);
        }
        let title = raw
            .title
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        if let Some(c) = title.as_deref().and_then(crate::text::illegal_xml_char) {
            return Err(error(
                Message::new("media-title-character")
                    .arg("value", value.as_str())
                    .arg("code", format!("{:04X}", c as u32)),
            ));
        }
        out.push(Enclosure { media, title });
    }
    Ok(out)
}

/// `62`, `1:02` or `1:00:02` as seconds.
fn parse_duration(text: &str) -> Option<u64> {
    let mut seconds: u64 = 0;
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() > 3 {
        return None;
    }
    for part in parts {
        let n: u64 = part.trim().parse().ok()?;
        seconds = seconds.checked_mul(60)?.checked_add(n)?;
    }
    Some(seconds)
}

/// Whether `mime` has the shape of a MIME type, `type/subtype`, each a
/// token (RFC 6838 §4.2).
fn is_mime_type(mime: &str) -> bool {
    mime.split_once('/').is_some_and(|(a, b)| {
        let token = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
        };
        token(a) && token(b)
    })
}

/// Where `value`, written in the front matter of the article at `source`
/// whose link is `link`, points. Errors say why, for a message naming the
/// key: a path that leaves the content folder, a URL with another scheme.
pub fn locate(site: &Site, source: &Source, link: &Url, value: &str) -> Result<Located, Message> {
    let value = value.trim();
    if let Ok(url) = Url::parse(value) {
        return match url.scheme() {
            "http" | "https" => Ok(Located { url, file: None }),
            other => Err(Message::new("media-scheme")
                .arg("value", value)
                .arg("scheme", other)),
        };
    }
    let rel = inside_content(source, value)?;
    // A file's name is not a URL: its `#`, `?` and `%` are encoded too.
    let url = match &site.media_url {
        Some(base) => base.join(&file_reference(&rel)).map_err(|e| {
            Message::new("media-no-url")
                .arg("value", value)
                .arg("detail", e.to_string())
        })?,
        None => super::resolve::web_url(link, &file_reference(value))?,
    };
    let disk = source.dir.join(&rel);
    Ok(Located {
        url,
        file: Some((rel, disk)),
    })
}

/// `value`, a path relative to the folder of the article at `source` (or
/// to the content folder when it starts with `/`), as a path inside the
/// content folder. `..` may climb out of the article's folder, never out of
/// the content folder.
fn inside_content(source: &Source, value: &str) -> Result<String, Message> {
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
                    return Err(Message::new("media-outside").arg("value", value));
                }
            }
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return Err(Message::new("media-no-file").arg("value", value));
    }
    Ok(parts.join("/"))
}

/// The MIME type a file's name suggests (`mime_guess`), if any; for
/// `.m4a`, `audio/x-m4a`, the type Apple Podcasts lists for AAC audio.
pub fn guess_type(name: &str) -> Option<String> {
    mime_guess::from_path(name)
        .first()
        .map(|mime| match mime.essence_str() {
            "audio/m4a" => "audio/x-m4a".to_owned(),
            other => other.to_owned(),
        })
}

/// The facts of the local file at `disk` (`follow_symlinks` as the site
/// says): its length, its type from its name, and a picture's size from its
/// header. Errors say what is wrong, for a message naming the key.
pub fn read_facts(disk: &Path, content: &Path, follow_symlinks: bool) -> Result<Facts, Message> {
    let name = disk.display();
    let about = |id| Message::new(id).arg("name", name.to_string());
    if !follow_symlinks && through_link(disk, content) {
        return Err(about("media-through-link"));
    }
    let metadata = fs::metadata(disk);
    let metadata = match metadata {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(about("media-missing"));
        }
        Err(e) => return Err(about("media-unreadable").arg("detail", e.to_string())),
    };
    if !metadata.is_file() {
        return Err(about("media-not-a-file"));
    }
    let mime = guess_type(&disk.to_string_lossy());
    let size = match &mime {
        Some(mime) if mime.starts_with("image/") => picture_size(disk, content, true)?,
        _ => None,
    };
    // Sizes rule most pictures out before their colours are read.
    let unfit_artwork = match (&mime, size) {
        (Some(mime), Some(size)) if mime.starts_with("image/") => {
            crate::config::artwork_problem(disk, size).map(Box::from)
        }
        (Some(mime), None) if mime.starts_with("image/") => Some(Box::new(about("art-drawing"))),
        _ => None,
    };
    let duration = match &mime {
        Some(mime) if mime.starts_with("audio/") || mime.starts_with("video/") => {
            guarded(|| read_duration(disk)).flatten()
        }
        _ => None,
    };
    Ok(Facts {
        mime,
        length: Some(metadata.len()),
        size,
        duration,
        unfit_artwork,
    })
}

/// Runs a third-party reader on an editor's file: a reader that panics on
/// a malformed file gives `None`, never takes the daemon down.
fn guarded<T>(read: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).ok()
}

/// The length in whole seconds of the longest track of the sound or video
/// at `disk`, from its container's header (`symphonia` probes the format
/// and reads its headers; no frame is decoded), if the container says.
fn read_duration(disk: &Path) -> Option<u64> {
    use symphonia::core::formats::FormatOptions;
    use symphonia::core::formats::probe::Hint;
    use symphonia::core::io::MediaSourceStream;
    use symphonia::core::meta::MetadataOptions;
    let file = fs::File::open(disk).ok()?;
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(extension) = disk.extension().and_then(|e| e.to_str()) {
        hint.with_extension(extension);
    }
    let mut reader = symphonia::default::get_probe()
        .probe(
            &hint,
            stream,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .ok()?;
    let mpeg = reader
        .tracks()
        .iter()
        .find(|track| is_mpeg_audio(track))
        .map(|t| (t.id, t.time_base));
    if let Some((id, Some(base))) = mpeg {
        return Some(seconds(frames_duration(reader.as_mut(), id), base));
    }
    reader
        .tracks()
        .iter()
        .filter_map(|track| Some(seconds(track.duration?.get(), track.time_base?)))
        .max()
}

/// Whether `track` is MPEG audio (MP1, MP2, MP3). Its length in a header
/// (Xing, Info, VBRI) is optional, and without one a reader estimates it
/// from the first frame's bitrate, which for a variable bitrate is wrong
/// (a 62 s file read as 10 s): its frames are counted instead.
fn is_mpeg_audio(track: &symphonia::core::formats::Track) -> bool {
    use symphonia::core::codecs::CodecParameters;
    use symphonia::core::codecs::audio::well_known::{CODEC_ID_MP1, CODEC_ID_MP2, CODEC_ID_MP3};
    matches!(
        &track.codec_params,
        Some(CodecParameters::Audio(params))
            if [CODEC_ID_MP1, CODEC_ID_MP2, CODEC_ID_MP3].contains(&params.codec)
    )
}

/// The sum of the durations of the track `id`'s packets (an MP3's frames),
/// in its time base: each is read from the file, none decoded.
fn frames_duration(reader: &mut dyn symphonia::core::formats::FormatReader, id: u32) -> u64 {
    let mut ticks: u64 = 0;
    while let Ok(Some(packet)) = reader.next_packet() {
        if packet.track_id == id {
            ticks = ticks.saturating_add(packet.dur.get());
        }
    }
    ticks
}

/// `ticks` of the time base `base` in whole seconds.
fn seconds(ticks: u64, base: symphonia::core::units::TimeBase) -> u64 {
    let seconds = u128::from(ticks) * u128::from(base.numer.get()) / u128::from(base.denom.get());
    u64::try_from(seconds).unwrap_or(u64::MAX)
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
        assert_eq!(&*s.dir, Path::new("/site/content"));
    }

    #[test]
    fn durations_are_seconds_or_clock_times() {
        assert_eq!(parse_duration("62"), Some(62));
        assert_eq!(parse_duration("1:02"), Some(62));
        assert_eq!(parse_duration("1:00:02"), Some(3602));
        assert_eq!(parse_duration("1:2:3:4"), None);
        assert_eq!(parse_duration("abc"), None);
    }

    #[test]
    fn types_come_from_names() {
        assert_eq!(guess_type("a.mp3").as_deref(), Some("audio/mpeg"));
        assert_eq!(guess_type("a.JPG").as_deref(), Some("image/jpeg"));
        assert_eq!(guess_type("a.m4a").as_deref(), Some("audio/x-m4a"));
        assert_eq!(guess_type("a.vtt").as_deref(), Some("text/vtt"));
        assert_eq!(guess_type("noextension"), None);
    }
}
