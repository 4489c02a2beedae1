//! Feed filters: `[filter]` (every key must match) and `[exclude]` (any
//! key that matches excludes), as written and resolved, and the check that
//! a feed's exclusions leave something its filter could take.

use serde::Deserialize;
use toml::Spanned;

use crate::config::Locator;
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;
use crate::text::nfc;

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

/// Values of one filter key, with where they are written.
pub(super) type Values = Option<Spanned<Vec<String>>>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFilter {
    categories: Values,
    tags: Values,
    tags_all: Values,
    authors: Values,
    authors_all: Values,
    languages: Values,
    path: Option<Spanned<String>>,
}

impl RawFilter {
    /// A copy, so that the spans stay for the checks made after resolving.
    pub(super) fn clone_spans(&self) -> RawFilter {
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
pub(super) fn resolve_filter(
    at: &Locator<'_>,
    table: &str,
    raw: RawFilter,
) -> Result<Filter, Diagnostic> {
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
                    Message::new("feed-filter-path")
                        .arg("table", table)
                        .arg("path", prefix.get_ref().as_str()),
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
pub(super) fn never_matches(
    at: &Locator<'_>,
    filter: &Filter,
    exclude: &RawFilter,
) -> Result<(), Diagnostic> {
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
    let never = |key: &str, values: &Values, why: Message| -> Result<(), Diagnostic> {
        let span = values.as_ref().map(Spanned::span).unwrap_or(0..0);
        let why = why.arg("key", key);
        let message = Message::new("feed-excludes-all")
            .arg("key", key)
            .arg("why", why);
        Err(at.error(span, message))
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
            return never(key, values, Message::new("feed-excludes-every"));
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
                Message::new("feed-excludes-required").arg("value", both.as_str()),
            );
        }
    }
    if let (Some(inside), Some(out)) = (&filter.path, &exclude.path) {
        let out_path = nfc(out.get_ref().trim_matches('/')).into_owned();
        if *inside == out_path || inside.starts_with(&format!("{out_path}/")) {
            return Err(at.error(
                out.span(),
                Message::new("feed-excludes-path").arg("path", out_path),
            ));
        }
    }
    Ok(())
}
