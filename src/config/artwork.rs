//! The pictures a site is shown with in readers (`site.icon`, a small
//! square one, and `site.logo`, a wider one): a URL, or a file in the
//! content folder served at `media_url` (or `base_url`) and its path. Its
//! width and height are read from the file's header when the config is
//! loaded ([`Artwork::read_size`]), never while publishing.

use std::fs;
use std::path::{Path, PathBuf};

use toml::Spanned;
use url::Url;

use super::Locator;
use crate::diagnostic::{Diagnostic, line_of_offset};
use crate::i18n::Message;
use crate::text::file_reference;

/// The width and height in pixels of the picture at `path`, read from its
/// header (`None` for an SVG drawing, which has none). Only a regular file is opened (a FIFO or a device would block
/// or mislead), and, unless `follow_symlinks`, not through a symbolic link
/// below the content folder `below` (the file itself or a folder between).
/// The reader runs guarded: one that panics on a malformed file gives an
/// error, never a crash. Errors say what is wrong, for a message.
pub fn picture_size(
    path: &Path,
    below: &Path,
    follow_symlinks: bool,
) -> Result<Option<(u32, u32)>, Message> {
    let about = |id| Message::new(id).arg("name", path.display().to_string());
    if !follow_symlinks && through_link(path, below) {
        return Err(about("media-through-link"));
    }
    match fs::metadata(path) {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Err(about("media-not-a-file")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(about("art-missing"));
        }
        Err(e) => return Err(about("media-unreadable").arg("detail", e.to_string())),
    }
    // A drawing has no size in pixels: it scales.
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        return Ok(None);
    }
    let size = std::panic::catch_unwind(|| imagesize::size(path))
        .map_err(|_| about("art-unreadable-picture"))?
        .map_err(|e| about("art-not-picture").arg("detail", e.to_string()))?;
    let (width, height) = (
        u32::try_from(size.width).unwrap_or(u32::MAX),
        u32::try_from(size.height).unwrap_or(u32::MAX),
    );
    // As it is displayed: browsers and readers turn a picture by its EXIF
    // Orientation (CSS `image-orientation: from-image`, the default), and
    // 5 to 8 turn it a quarter, swapping width and height.
    Ok(Some(if quarter_turned(path) {
        (height, width)
    } else {
        (width, height)
    }))
}

/// Whether the picture at `path` says, by its EXIF Orientation (CIPA
/// DC-008, tag 0x0112: values 5 to 8), that it is displayed turned a
/// quarter. Read from the EXIF block of a JPEG, PNG or WebP (`kamadak-exif`
/// walks the container's header to it, nothing is decoded); other formats
/// carry their turn elsewhere, and the size read is already as displayed.
fn quarter_turned(path: &Path) -> bool {
    use imagesize::ImageType;
    use std::io::Read as _;
    // The format, from the first bytes.
    let mut head = Vec::with_capacity(64);
    let opened = fs::File::open(path).and_then(|file| file.take(64).read_to_end(&mut head));
    let Ok(kind) = opened
        .map_err(drop)
        .and_then(|_| imagesize::image_type(&head).map_err(drop))
    else {
        return false;
    };
    if !matches!(kind, ImageType::Jpeg | ImageType::Png | ImageType::Webp) {
        return false;
    }
    let read = || -> Option<u32> {
        let mut reader = std::io::BufReader::new(fs::File::open(path).ok()?);
        let exif = exif::Reader::new().read_from_container(&mut reader).ok()?;
        let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
        field.value.get_uint(0)
    };
    // A reader that panics on a malformed file leaves the size as stored.
    std::panic::catch_unwind(read)
        .ok()
        .flatten()
        .is_some_and(|orientation| (5..=8).contains(&orientation))
}

/// What Apple Podcasts' "Artwork requirements" (which other directories
/// follow) ask of a show's or an episode's picture that the picture at
/// `path`, `width` × `height` pixels as displayed, breaks, if anything:
/// JPEG or PNG, square, 1400 to 3000 pixels a side, in the RGB colour
/// space, without transparency. Colours are read from the header, nothing
/// is decoded: a JPEG's frame components (`zune-jpeg`: four are CMYK or
/// YCCK, one is greyscale), a PNG's colour type and `tRNS` chunk (`png`).
pub fn artwork_problem(path: &Path, (width, height): (u32, u32)) -> Option<Message> {
    let about = |id| Message::new(id).arg("name", path.display().to_string());
    if width != height || !(1400..=3000).contains(&width) {
        return Some(
            about("art-not-square")
                .arg("width", width.to_string())
                .arg("height", height.to_string()),
        );
    }
    let colours = std::panic::catch_unwind(|| colours(path))
        .unwrap_or_else(|_| Err(Message::new("art-why-unreadable")));
    match colours {
        Ok(Colours::Rgb) => None,
        Ok(Colours::Other(model)) => Some(about("art-colours").arg("model", Message::new(model))),
        Ok(Colours::Transparent) => Some(about("art-transparent")),
        Err(why) => Some(about("art-unreadable").arg("why", why)),
    }
}

/// A picture's colours, as far as podcast directories care.
enum Colours {
    /// RGB (or YCbCr, a JPEG's way of storing it), without transparency.
    Rgb,
    /// RGB with an alpha channel or a transparent colour.
    Transparent,
    /// Another colour model, named by an `art-model-…` message.
    Other(&'static str),
}

/// The colours of the JPEG or PNG at `path`, from its header.
fn colours(path: &Path) -> Result<Colours, Message> {
    use std::io::{BufReader, Read as _, Seek as _};
    let unreadable = |_| Message::new("art-why-unreadable");
    let mut file = BufReader::new(fs::File::open(path).map_err(unreadable)?);
    let mut magic = [0u8; 8];
    file.read_exact(&mut magic).map_err(unreadable)?;
    file.rewind().map_err(unreadable)?;
    if magic.starts_with(&[0xFF, 0xD8]) {
        use zune_jpeg::zune_core::colorspace::ColorSpace;
        let mut decoder = zune_jpeg::JpegDecoder::new(file);
        decoder
            .decode_headers()
            .map_err(|e| Message::new("art-why-not-jpeg").arg("detail", format!("{e:?}")))?;
        return Ok(match decoder.input_colorspace() {
            Some(ColorSpace::YCbCr | ColorSpace::RGB) => Colours::Rgb,
            Some(ColorSpace::CMYK) => Colours::Other("art-model-cmyk"),
            Some(ColorSpace::YCCK) => Colours::Other("art-model-ycck"),
            Some(ColorSpace::Luma) => Colours::Other("art-model-greyscale"),
            _ => Colours::Other("art-model-other"),
        });
    }
    if magic == *b"\x89PNG\r\n\x1a\n" {
        use png::ColorType;
        let reader = png::Decoder::new(file)
            .read_info()
            .map_err(|e| Message::new("art-why-not-png").arg("detail", e.to_string()))?;
        let info = reader.info();
        return Ok(match info.color_type {
            ColorType::Rgba | ColorType::GrayscaleAlpha => Colours::Transparent,
            _ if info.trns.is_some() => Colours::Transparent,
            ColorType::Rgb | ColorType::Indexed => Colours::Rgb,
            ColorType::Grayscale => Colours::Other("art-model-greyscale"),
        });
    }
    Err(Message::new("art-why-neither"))
}

/// Whether `path`, below the folder `below`, is a symbolic link or lies in
/// a folder that is one (so that it may lead anywhere on the machine).
pub fn through_link(path: &Path, below: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(below) else {
        return false;
    };
    let mut at = below.to_path_buf();
    rel.components().any(|part| {
        at.push(part);
        fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink())
    })
}

/// Where a picture value written in a config or feed file points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place<'a> {
    /// A URL (http or https).
    Url(Url),
    /// A file in the content folder: its path's segments (`/` or `\`
    /// separated, no empty ones, no `.`).
    File(Vec<&'a str>),
}

/// Why a picture value points nowhere usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misplaced {
    /// A URL with another scheme than http or https (`javascript:`).
    Scheme(String),
    /// A path that names no file, or climbs out of the content folder.
    Outside,
}

impl Misplaced {
    /// What is wrong with `value`, for a message naming its key.
    pub fn message(&self, value: &str) -> Message {
        match self {
            Misplaced::Scheme(scheme) => Message::new("media-scheme")
                .arg("value", value)
                .arg("scheme", scheme.as_str()),
            Misplaced::Outside => Message::new("art-outside").arg("value", value),
        }
    }
}

/// Where `value` (a site's or feed's icon, logo or podcast artwork) points:
/// an http(s) URL, or a path inside the content folder.
pub fn place(value: &str) -> Result<Place<'_>, Misplaced> {
    if let Ok(url) = Url::parse(value) {
        return match url.scheme() {
            "http" | "https" => Ok(Place::Url(url)),
            other => Err(Misplaced::Scheme(other.to_owned())),
        };
    }
    let parts: Vec<&str> = value
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() || parts.contains(&"..") {
        return Err(Misplaced::Outside);
    }
    Ok(Place::File(parts))
}

/// The URL of the content folder's file at `parts`: under `media_url` when
/// the site sets one, else under `base_url`.
pub fn file_url(parts: &[&str], media_url: Option<&Url>, base_url: &Url) -> Result<Url, String> {
    media_url
        .unwrap_or(base_url)
        .join(&file_reference(&parts.join("/")))
        .map_err(|e| e.to_string())
}

/// The file on disk of the content folder `content`'s path `parts`.
pub fn file_path(content: &Path, parts: &[&str]) -> PathBuf {
    parts.iter().fold(content.to_path_buf(), |p, s| p.join(s))
}

/// A picture the site is shown with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artwork {
    /// Where readers fetch it (absolute, http or https).
    pub url: Url,
    /// For a file in the content folder: where it is on disk.
    pub file: Option<PathBuf>,
    /// Its width and height in pixels, once read ([`Artwork::read_size`]).
    pub size: Option<(u32, u32)>,
    /// For a file in the content folder of at most [`PAGE_ART_BYTES`]: its
    /// bytes, once read, which the pages serve themselves (their
    /// Content-Security-Policy loads nothing from elsewhere).
    pub bytes: Option<bytes::Bytes>,
    /// The key that set it (`site.icon`), for messages.
    pub key: &'static str,
    /// The line of the config file that set it.
    pub line: usize,
}

/// Resolves `key` set to `value`: a URL, or a path inside the content
/// folder `content` (no `..`), served under `media_url` or else `base_url`.
pub(super) fn artwork(
    at: &Locator<'_>,
    key: &'static str,
    value: Spanned<String>,
    content: &Path,
    media_url: Option<&Url>,
    base_url: &Url,
) -> Result<Artwork, Diagnostic> {
    let line = line_of_offset(at.text, value.span().start);
    let span = value.span();
    let text = value.into_inner();
    let text = text.trim();
    let error = |message: Message| at.error(span.clone(), Message::field(key, message));
    let parts = match place(text).map_err(|why| error(why.message(text)))? {
        Place::Url(url) => {
            return Ok(Artwork {
                url,
                file: None,
                size: None,
                bytes: None,
                key,
                line,
            });
        }
        Place::File(parts) => parts,
    };
    let url = file_url(&parts, media_url, base_url).map_err(|e| {
        error(
            Message::new("art-no-url")
                .arg("value", text)
                .arg("detail", e.to_string()),
        )
    })?;
    Ok(Artwork {
        url,
        file: Some(file_path(content, &parts)),
        size: None,
        bytes: None,
        key,
        line,
    })
}

/// A picture a feed's definition sets (`icon`, `logo`), as written: its
/// URL depends on the site's `media_url`, so it is made where a feed is
/// rendered; a local picture's size is read when the feeds load
/// ([`FeedArt::read_size`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedArt {
    /// A path inside the content folder, or a URL.
    pub value: String,
    /// The line of the feed's file that sets it.
    pub line: usize,
    /// A local picture's width and height in pixels, once read.
    pub size: Option<(u32, u32)>,
}

impl FeedArt {
    /// Reads a local picture's size from its header (`content` is the
    /// content folder); a missing picture, or a path leaving the content
    /// folder, is an error on its line of `feed`.
    pub fn read_size(&mut self, key: &str, feed: &Path, content: &Path) -> Result<(), Diagnostic> {
        let error =
            |why: Message| Diagnostic::error(feed, Some(self.line), Message::field(key, why));
        let path = match place(&self.value).map_err(|why| error(why.message(&self.value)))? {
            Place::Url(_) => return Ok(()),
            Place::File(parts) => file_path(content, &parts),
        };
        let size = picture_size(&path, content, false)
            .map_err(|why| error(Message::new("art-put-there").arg("problem", why)))?;
        self.size = size;
        Ok(())
    }
}

/// The largest site icon or logo the pages serve themselves: 1 MiB, far
/// beyond a logo, far below harm.
pub const PAGE_ART_BYTES: u64 = 1 << 20;

impl Artwork {
    /// Reads a local picture's width and height from its header, and its
    /// bytes if it is at most [`PAGE_ART_BYTES`] (a larger one is left out
    /// of the pages). A file that is missing or no picture is an error on
    /// the key's line in `config`.
    pub fn read_size(
        &mut self,
        config: &Path,
        content: &Path,
        follow_symlinks: bool,
    ) -> Result<(), Diagnostic> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let size = picture_size(file, content, follow_symlinks).map_err(|why| {
            let why = Message::new("art-put-there").arg("problem", why);
            Diagnostic::error(config, Some(self.line), Message::field(self.key, why))
        })?;
        self.size = size;
        // Read once the file is known to be a picture, not through a link
        // that is not followed.
        let small = fs::metadata(file).is_ok_and(|m| m.len() <= PAGE_ART_BYTES);
        self.bytes = small
            .then(|| fs::read(file).ok())
            .flatten()
            .map(bytes::Bytes::from);
        Ok(())
    }
}
