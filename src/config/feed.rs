//! Feed definitions: `feeds/NAME.toml` defines the feed NAME, served as
//! `NAME.rss`, `NAME.atom` and `NAME.json`.
//!
//! A definition says which articles the feed takes (a filter), how many
//! (`limit`, newest first) and whether items carry the full text or only the
//! summary. Within one filter field any value matches (`tags = ["a", "b"]` is
//! a or b); across fields all must match. An empty filter takes every article.
//! Values are compared in Unicode NFC, so a tag typed on one system matches
//! the same tag saved decomposed on another.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::{Locator, parse_toml};
use crate::diagnostic::Diagnostic;
use crate::text::nfc;

/// One feed, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSpec {
    /// The file stem, and the first part of every URL the feed is served at.
    pub name: String,
    /// The definition file (used in messages).
    pub file: PathBuf,
    /// The feed's title (plain text).
    pub title: String,
    /// What the feed is about (plain text); without one the site's applies.
    pub description: Option<String>,
    /// The most items the feed shows, newest first (default [`DEFAULT_LIMIT`]).
    pub limit: usize,
    /// Whether items carry their whole text or their summary.
    pub content: ContentMode,
    /// The formats it is published in, in their order (default all three).
    pub formats: Vec<Format>,
    /// Which articles it takes.
    pub filter: Filter,
    /// The feed's own byte budget (`max_bytes`) and the line it is set on;
    /// without one, the site's `feeds.max_bytes` applies.
    pub max_bytes: Option<(usize, usize)>,
}

/// Whether items carry the whole article or only its summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContentMode {
    /// The whole article (RSS `content:encoded`, Atom `content`, JSON `content_html`).
    Full,
    /// Only the summary (JSON `content_text`).
    Summary,
}

/// A feed document format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// RSS 2.0, served as `NAME.rss`.
    Rss,
    /// Atom 1.0 (RFC 4287), served as `NAME.atom`.
    Atom,
    /// JSON Feed 1.1, served as `NAME.json`.
    Json,
}

impl Format {
    /// Every format, in the order feeds list them by default.
    pub const ALL: [Format; 3] = [Format::Rss, Format::Atom, Format::Json];

    /// The file extension of the format's documents: `rss`, `atom`, `json`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::Json => "json",
        }
    }

    /// The `Content-Type` the format is served with, charset included.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml; charset=utf-8",
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::Json => "application/feed+json; charset=utf-8",
        }
    }
}

/// Which articles a feed takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Any of these categories (NFC).
    pub categories: Vec<String>,
    /// Any of these tags (NFC).
    pub tags: Vec<String>,
    /// Any of these author names (NFC).
    pub authors: Vec<String>,
    /// A folder inside `content/`, with `/` separators and no leading `/`.
    pub path: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    title: Spanned<String>,
    description: Option<Spanned<String>>,
    limit: Option<Spanned<i64>>,
    content: Option<ContentMode>,
    formats: Option<Spanned<Vec<Format>>>,
    max_bytes: Option<Spanned<i64>>,
    #[serde(default)]
    filter: RawFilter,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFilter {
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    authors: Vec<String>,
    path: Option<Spanned<String>>,
}

/// The default number of items in a feed.
pub const DEFAULT_LIMIT: usize = 50;

impl FeedSpec {
    /// Resolves the text of the definition file `file`.
    pub fn parse(file: &Path, text: &str) -> Result<FeedSpec, Diagnostic> {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Diagnostic::error(
                file,
                None,
                format!(
                    "feed name \"{name}\" must be ASCII letters, digits, `-` or `_`, as it becomes the feed's URL"
                ),
            ));
        }
        let raw: RawFeed = parse_toml(file, text)?;
        let at = Locator { file, text };

        let limit = match raw.limit {
            Some(limit) => match usize::try_from(*limit.get_ref()) {
                Ok(n) if n > 0 => n,
                _ => {
                    return Err(at.error(
                        limit.span(),
                        format!(
                            "`limit`: {} is not a positive number of items",
                            limit.get_ref()
                        ),
                    ));
                }
            },
            None => DEFAULT_LIMIT,
        };
        let formats = match raw.formats {
            Some(formats) => {
                let mut list = formats.get_ref().clone();
                list.sort();
                list.dedup();
                if list.is_empty() {
                    return Err(at.error(
                        formats.span(),
                        "`formats`: name at least one of \"rss\", \"atom\", \"json\"",
                    ));
                }
                list
            }
            None => Format::ALL.to_vec(),
        };
        let path = match raw.filter.path {
            Some(prefix) => {
                let trimmed = prefix.get_ref().trim_matches('/');
                let bad = prefix.get_ref().starts_with('/')
                    || trimmed
                        .split('/')
                        .any(|p| p.is_empty() || p == "." || p == "..")
                    || trimmed.contains('\\');
                if bad {
                    return Err(at.error(
                        prefix.span(),
                        format!(
                            "`filter.path`: \"{}\" must be a folder inside the content folder, such as \"2024/06\"",
                            prefix.get_ref()
                        ),
                    ));
                }
                Some(nfc(trimmed).into_owned())
            }
            None => None,
        };

        let max_bytes = match raw.max_bytes {
            Some(n) => {
                let line = crate::diagnostic::line_of_offset(text, n.span().start);
                Some((super::max_feed_bytes(&at, "max_bytes", n)?, line))
            }
            None => None,
        };
        Ok(FeedSpec {
            max_bytes,
            name,
            file: file.to_path_buf(),
            title: at.xml_text("title", raw.title)?,
            description: raw
                .description
                .map(|d| at.xml_text("description", d))
                .transpose()?,
            limit,
            content: raw.content.unwrap_or(ContentMode::Full),
            formats,
            filter: Filter {
                categories: all_nfc(raw.filter.categories),
                tags: all_nfc(raw.filter.tags),
                authors: all_nfc(raw.filter.authors),
                path,
            },
        })
    }
}

/// Filter values in NFC, as the article fields they are compared with.
fn all_nfc(values: Vec<String>) -> Vec<String> {
    values.iter().map(|v| nfc(v).into_owned()).collect()
}

/// Reads every `*.toml` in `dir`, in name order; a broken definition is a
/// diagnostic and does not stop the others.
pub fn load_feeds(dir: &Path) -> Result<Vec<Result<FeedSpec, Diagnostic>>, Diagnostic> {
    let entries = fs::read_dir(dir)
        .map_err(|e| Diagnostic::error(dir, None, format!("cannot read the feeds folder: {e}")))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "toml")
                && !crate::leftovers::is_ignored_name(path)
        })
        .collect();
    files.sort();
    Ok(files
        .into_iter()
        .map(|file| {
            let text = fs::read_to_string(&file).map_err(|e| {
                Diagnostic::error(&file, None, format!("cannot read the feed definition: {e}"))
            })?;
            FeedSpec::parse(&file, &text)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<FeedSpec, String> {
        FeedSpec::parse(Path::new("feeds/economy.toml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults() {
        let feed = parse("title = \"经济\"").unwrap();
        assert_eq!(feed.name, "economy");
        assert_eq!(feed.limit, DEFAULT_LIMIT);
        assert_eq!(feed.content, ContentMode::Full);
        assert_eq!(feed.formats, Format::ALL.to_vec());
        assert_eq!(feed.filter, Filter::default());
    }

    #[test]
    fn unknown_filter_key_is_located() {
        let err = parse("title = \"x\"\n[filter]\ncategory = [\"经济\"]\n").unwrap_err();
        assert!(
            err.starts_with("feeds/economy.toml:3: unknown field `category`"),
            "{err}"
        );
    }

    #[test]
    fn path_filter_must_stay_inside_content() {
        let err = parse("title = \"x\"\n[filter]\npath = \"../etc\"\n").unwrap_err();
        assert_eq!(
            err,
            "feeds/economy.toml:3: `filter.path`: \"../etc\" must be a folder inside the content folder, such as \"2024/06\""
        );
    }

    #[test]
    fn zero_limit_is_refused() {
        let err = parse("title = \"x\"\nlimit = 0\n").unwrap_err();
        assert_eq!(
            err,
            "feeds/economy.toml:2: `limit`: 0 is not a positive number of items"
        );
    }
}
