//! Feed definitions: `feeds/NAME.toml` defines the feed NAME, served as
//! `NAME.rss`, `NAME.atom` and `NAME.json`; or, with `each = "tags"` (or
//! `categories`, `authors`, `folders`, `languages`), the feed family NAME:
//! one feed per distinct value, served as `PREFIX/VALUE.rss` and so on,
//! made at each publication from the articles there are then.
//!
//! A definition says which articles the feed takes (`[filter]`), which it
//! leaves out (`[exclude]`), how many (`limit`, newest first) and whether
//! items carry the full text or only the summary. Within one filter key any
//! value matches (`tags = ["a", "b"]` is a or b), except the `_all` keys,
//! where every value must (`tags_all = ["a", "b"]` is a and b); across keys
//! all must match. An empty filter takes every article. `[exclude]` has the
//! same keys, and an article that meets any one of them is left out. Values
//! are compared in Unicode NFC, so a tag typed on one system matches the
//! same tag saved decomposed on another; languages compare as BCP 47 tags do,
//! ignoring case. A filter that can never take anything is an error.

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
    /// Which of those it leaves out: an article that meets any one key.
    pub exclude: Filter,
    /// The feed's own byte budget (`max_bytes`) and the line it is set on;
    /// without one, the site's `feeds.max_bytes` applies.
    pub max_bytes: Option<(usize, usize)>,
    /// The feed's language (BCP 47), which every format carries; without
    /// one, the site's.
    pub language: Option<String>,
    /// A family definition: one feed per value (its title and description
    /// are templates in which `{value}` stands for the value).
    pub family: Option<Family>,
    /// A feed of a family: the family and the value it is for.
    pub member: Option<Member>,
    /// The Chinese variants it is also published in (`variants`); without
    /// the key, the site's `feeds.variants`.
    pub variants: Option<Vec<Variant>>,
    /// For a variant's feed: which variant, of which feed.
    pub variant_of: Option<VariantOf>,
}

/// What a variant's feed converts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantOf {
    /// The variant.
    pub variant: Variant,
    /// The name of the feed it converts.
    pub name: String,
    /// That feed's language.
    pub language: String,
}

/// A Chinese variant a feed is also published in, converted from
/// Simplified Chinese at publication (OpenCC's tables): served as
/// `NAME.TAG.rss` and so on, in the language `TAG`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Variant {
    /// `zh-Hant`: Traditional characters (OpenCC `s2t`).
    Hant,
    /// `zh-TW`: Taiwan's characters and phrasing, 软件 → 軟體 (OpenCC `s2twp`).
    Taiwan,
    /// `zh-HK`: Hong Kong's characters (OpenCC `s2hk`).
    HongKong,
    /// `zh-MO`: Macau, which writes as Hong Kong does (OpenCC `s2hk`).
    Macau,
}

impl Variant {
    /// Every variant, with its language tag.
    pub const ALL: [(Variant, &'static str); 4] = [
        (Variant::Hant, "zh-Hant"),
        (Variant::Taiwan, "zh-TW"),
        (Variant::HongKong, "zh-HK"),
        (Variant::Macau, "zh-MO"),
    ];

    /// Its BCP 47 language tag, which also names its documents.
    pub fn tag(self) -> &'static str {
        Variant::ALL
            .iter()
            .find(|(v, _)| *v == self)
            .map_or("zh-Hant", |(_, tag)| tag)
    }
}

/// Reads a list of variant tags (`key` names it in messages), each once.
pub(super) fn variants(
    at: &Locator<'_>,
    key: &str,
    list: Spanned<Vec<String>>,
) -> Result<Vec<Variant>, Diagnostic> {
    let mut out = Vec::new();
    for tag in list.get_ref() {
        let Some((variant, _)) = Variant::ALL
            .iter()
            .find(|(_, t)| t.eq_ignore_ascii_case(tag.trim()))
        else {
            let known: Vec<&str> = Variant::ALL.iter().map(|(_, t)| *t).collect();
            return Err(at.error(
                list.span(),
                format!(
                    "`{key}`: \"{tag}\" is no Chinese variant we publish; use {}",
                    known.join(", ")
                ),
            ));
        };
        if !out.contains(variant) {
            out.push(*variant);
        }
    }
    Ok(out)
}

/// What a feed family makes a feed for each value of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Each {
    /// Each tag.
    Tags,
    /// Each category.
    Categories,
    /// Each author's name.
    Authors,
    /// Each top-level folder of `content/` (a section).
    Folders,
    /// Each language: an article's `lang`, or the site's.
    Languages,
}

/// A feed family: `each`, where its feeds are served, and which values get one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    /// What a feed is made for each value of.
    pub each: Each,
    /// The folder its feeds are served in (`tags`: `/tags/VALUE.rss`).
    pub prefix: String,
    /// A value gets a feed once at least this many articles have it.
    pub min_items: usize,
}

/// Which family a feed belongs to, and for which value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The family's name (its definition file's stem).
    pub family: String,
    /// What the family is made for each value of.
    pub each: Each,
    /// The value: a tag, category, author's name, folder or language.
    pub value: String,
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

/// Which articles a feed takes (`[filter]`: every key must match) or leaves
/// out (`[exclude]`: any key that matches excludes). An empty key says
/// nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Any of these categories (NFC).
    pub categories: Vec<String>,
    /// Any of these tags (NFC).
    pub tags: Vec<String>,
    /// Every one of these tags (NFC).
    pub tags_all: Vec<String>,
    /// Any of these author names (NFC).
    pub authors: Vec<String>,
    /// Every one of these author names (NFC).
    pub authors_all: Vec<String>,
    /// Any of these languages (BCP 47, lower case): an article's `lang`, or
    /// the site's language for an article without one.
    pub languages: Vec<String>,
    /// A folder inside `content/`, with `/` separators and no leading `/`.
    pub path: Option<String>,
}

impl Filter {
    /// Whether the filter says nothing (takes everything, excludes nothing).
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }
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
    language: Option<Spanned<String>>,
    each: Option<Spanned<Each>>,
    path: Option<Spanned<String>>,
    min_items: Option<Spanned<i64>>,
    variants: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    filter: RawFilter,
    #[serde(default)]
    exclude: RawFilter,
}

/// Values of one filter key, with where they are written.
type Values = Option<Spanned<Vec<String>>>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFilter {
    categories: Values,
    tags: Values,
    tags_all: Values,
    authors: Values,
    authors_all: Values,
    languages: Values,
    path: Option<Spanned<String>>,
}

/// The default number of items in a feed.
pub const DEFAULT_LIMIT: usize = 50;

/// What a family's title and description templates hold for the value.
pub const VALUE: &str = "{value}";

/// Whether `name` can name a feed or a family's folder in a URL: ASCII
/// letters, digits, `-` and `_`.
fn is_feed_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl FeedSpec {
    /// Resolves the text of the definition file `file`.
    pub fn parse(file: &Path, text: &str) -> Result<FeedSpec, Diagnostic> {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        if !is_feed_name(&name) {
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
        let filter = resolve_filter(&at, "filter", raw.filter)?;
        let exclude = resolve_filter(&at, "exclude", raw.exclude.clone_spans())?;
        never_matches(&at, &filter, &raw.exclude)?;

        let language = match raw.language {
            Some(lang) if super::is_language_tag(lang.get_ref().trim()) => {
                Some(lang.get_ref().trim().to_owned())
            }
            Some(lang) => {
                return Err(at.error(
                    lang.span(),
                    format!(
                        "`language`: \"{}\" is not a language tag (for example zh-CN or en)",
                        lang.get_ref()
                    ),
                ));
            }
            None => None,
        };
        let family = match raw.each {
            Some(each) => Some(Family {
                each: *each.get_ref(),
                prefix: match raw.path {
                    Some(path) => {
                        let prefix = path.get_ref().trim_matches('/');
                        if !is_feed_name(prefix) {
                            return Err(at.error(
                                path.span(),
                                format!(
                                    "`path`: \"{}\" must be one folder name of ASCII letters, digits, `-` or `_`, such as \"tags\"",
                                    path.get_ref()
                                ),
                            ));
                        }
                        prefix.to_owned()
                    }
                    None => name.clone(),
                },
                min_items: match raw.min_items {
                    Some(n) => match usize::try_from(*n.get_ref()) {
                        Ok(n) if n > 0 => n,
                        _ => {
                            return Err(at.error(
                                n.span(),
                                format!("`min_items`: {} is not a positive number", n.get_ref()),
                            ));
                        }
                    },
                    None => 1,
                },
            }),
            None => {
                for (key, span) in [
                    ("path", raw.path.as_ref().map(Spanned::span)),
                    ("min_items", raw.min_items.as_ref().map(Spanned::span)),
                ] {
                    if let Some(span) = span {
                        return Err(at.error(
                            span,
                            format!("`{key}` is for feed families; add `each = \"tags\"` (or categories, authors, folders, languages), or remove it"),
                        ));
                    }
                }
                None
            }
        };
        if family.is_some() && !raw.title.get_ref().contains(VALUE) {
            return Err(at.error(
                raw.title.span(),
                format!("`title`: a feed family's title needs `{VALUE}`, which each feed's value replaces, such as \"拱墅新闻 · {VALUE}\""),
            ));
        }

        let max_bytes = match raw.max_bytes {
            Some(n) => {
                let line = crate::diagnostic::line_of_offset(text, n.span().start);
                Some((super::max_feed_bytes(&at, "max_bytes", n)?, line))
            }
            None => None,
        };
        Ok(FeedSpec {
            variants: raw
                .variants
                .map(|list| variants(&at, "variants", list))
                .transpose()?,
            variant_of: None,
            max_bytes,
            language,
            family,
            member: None,
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
            filter,
            exclude,
        })
    }
}

impl RawFilter {
    /// A copy, so that the spans stay for the checks made after resolving.
    fn clone_spans(&self) -> RawFilter {
        RawFilter {
            categories: self.categories.clone(),
            tags: self.tags.clone(),
            tags_all: self.tags_all.clone(),
            authors: self.authors.clone(),
            authors_all: self.authors_all.clone(),
            languages: self.languages.clone(),
            path: self.path.clone(),
        }
    }
}

/// Resolves `[table]` (`filter` or `exclude`): values in NFC, as the
/// article fields they are compared with; languages in lower case; the path
/// checked to stay inside the content folder.
fn resolve_filter(at: &Locator<'_>, table: &str, raw: RawFilter) -> Result<Filter, Diagnostic> {
    let nfc_all = |values: Values| -> Vec<String> {
        values
            .map(|v| v.into_inner())
            .unwrap_or_default()
            .iter()
            .map(|v| nfc(v.trim()).into_owned())
            .collect()
    };
    let path = match raw.path {
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
                        "`{table}.path`: \"{}\" must be a folder inside the content folder, such as \"2024/06\"",
                        prefix.get_ref()
                    ),
                ));
            }
            Some(nfc(trimmed).into_owned())
        }
        None => None,
    };
    Ok(Filter {
        categories: nfc_all(raw.categories),
        tags: nfc_all(raw.tags),
        tags_all: nfc_all(raw.tags_all),
        authors: nfc_all(raw.authors),
        authors_all: nfc_all(raw.authors_all),
        languages: nfc_all(raw.languages)
            .into_iter()
            .map(|l| l.to_ascii_lowercase())
            .collect(),
        path,
    })
}

/// Refuses a feed whose `[exclude]` leaves out everything its `[filter]`
/// could take, naming the line of the exclusion: every value of an
/// any-of key excluded, a value of an `_all` key excluded, or the filter's
/// folder inside an excluded one. (An article has one category, so more
/// than one in `categories_all` would never match either; there is no such
/// key.)
fn never_matches(at: &Locator<'_>, filter: &Filter, exclude: &RawFilter) -> Result<(), Diagnostic> {
    let excluded = |values: &Values| -> Vec<String> {
        values
            .as_ref()
            .map(|v| {
                v.get_ref()
                    .iter()
                    .map(|s| nfc(s.trim()).into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let never = |key: &str, values: &Values, why: String| -> Result<(), Diagnostic> {
        let span = values.as_ref().map(Spanned::span).unwrap_or(0..0);
        Err(at.error(
            span,
            format!("`exclude.{key}` leaves out {why}, so the feed can never show anything; remove one of the two"),
        ))
    };
    let any_of = [
        ("categories", &filter.categories, &exclude.categories, false),
        ("tags", &filter.tags, &exclude.tags, false),
        ("authors", &filter.authors, &exclude.authors, false),
        ("languages", &filter.languages, &exclude.languages, true),
    ];
    for (key, wanted, values, fold) in any_of {
        let out = excluded(values);
        let is_out = |w: &String| {
            out.iter().any(|o| {
                if fold {
                    o.eq_ignore_ascii_case(w)
                } else {
                    o == w
                }
            })
        };
        if !wanted.is_empty() && wanted.iter().all(is_out) {
            return never(key, values, format!("every one of `filter.{key}`"));
        }
    }
    for (key, all, values) in [
        ("tags", &filter.tags_all, &exclude.tags),
        ("authors", &filter.authors_all, &exclude.authors),
    ] {
        let out = excluded(values);
        if let Some(both) = all.iter().find(|v| out.contains(v)) {
            return never(
                key,
                values,
                format!("\"{both}\", which `filter.{key}_all` requires"),
            );
        }
    }
    if let (Some(inside), Some(out)) = (&filter.path, &exclude.path) {
        let out_path = nfc(out.get_ref().trim_matches('/')).into_owned();
        if *inside == out_path || inside.starts_with(&format!("{out_path}/")) {
            return Err(at.error(
                out.span(),
                format!("`exclude.path` leaves out \"{out_path}\", which holds `filter.path`, so the feed can never show anything; remove one of the two"),
            ));
        }
    }
    Ok(())
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
