//! Feed families: a definition with `each = "tags"` (or `categories`,
//! `authors`, `folders`, `languages`) stands for one feed per distinct value
//! among the articles it takes, made afresh at each publication, so the
//! first article with a new tag makes its feed appear and the last one
//! removed makes it go.
//!
//! A family's feeds are selected in one pass over the articles, newest
//! first: each article goes to the feed of each of its values until that
//! feed holds `limit` items, and every article is counted for `min_items`.
//!
//! A feed's name is `PREFIX/VALUE`: the value as written (NFC), with no
//! case folding or transliteration, so two different values never share a
//! feed and a feed's URL never changes; the URL percent-encodes it as UTF-8
//! (`/tags/%E5%A4%A7%E8%BF%90%E6%B2%B3.rss`, which browsers show as
//! `/tags/大运河.rss`). A value that cannot be one path segment and one file
//! name (it holds `/` or a control character, starts with `.`, or is too
//! long) gets no feed, with a warning.

use std::borrow::Cow;
use std::collections::HashMap;

use jiff::Timestamp;

use super::takes;
use crate::config::{Each, FeedSpec, Member, VALUE, Variant};
use crate::content::Article;
use crate::diagnostic::Diagnostic;
use crate::text::nfc;

/// The longest value that names a feed, in bytes: a file name is at most
/// 255 bytes on common file systems, and the mirror adds `.atom.br`.
const LONGEST_VALUE: usize = 200;

/// The values of `each` that `article` has (`language` is the site's).
pub(super) fn values<'a>(each: Each, article: &'a Article, language: &str) -> Vec<Cow<'a, str>> {
    match each {
        Each::Tags => article
            .tags
            .iter()
            .map(|t| Cow::Borrowed(t.as_str()))
            .collect(),
        Each::Categories => article
            .category
            .iter()
            .map(|c| Cow::Borrowed(c.as_str()))
            .collect(),
        Each::Authors => article
            .authors
            .iter()
            .map(|a| Cow::Borrowed(a.name.as_str()))
            .collect(),
        Each::Folders => match article.source.rel.split_once('/') {
            Some((folder, _)) => vec![nfc(folder)],
            None => Vec::new(),
        },
        Each::Languages => vec![Cow::Owned(canonical_language(
            article.lang.as_deref().unwrap_or(language),
        ))],
    }
}

/// A language tag in its usual case (`zh-hant-tw` → `zh-Hant-TW`), so that
/// one language is one feed however articles write it.
fn canonical_language(tag: &str) -> String {
    tag.split('-')
        .enumerate()
        .map(|(i, part)| match part.len() {
            _ if i == 0 => part.to_ascii_lowercase(),
            2 => part.to_ascii_uppercase(),
            4 => {
                let mut s = part.to_ascii_lowercase();
                s[..1].make_ascii_uppercase();
                s
            }
            _ => part.to_ascii_lowercase(),
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Why `value` cannot name a feed, if it cannot.
fn unfit(value: &str) -> Option<&'static str> {
    if value.contains('/') || value.contains('\\') {
        Some("it holds a slash")
    } else if value.starts_with('.') {
        Some("it starts with a dot")
    } else if value.chars().any(char::is_control) {
        Some("it holds a control character")
    } else if value.len() > LONGEST_VALUE {
        Some("it is longer than 200 bytes")
    } else if value.trim().is_empty() {
        Some("it is empty")
    } else if Variant::ALL.iter().any(|(_, tag)| {
        value.len() > tag.len() + 1
            && value.is_char_boundary(value.len() - tag.len() - 1)
            && value[value.len() - tag.len() - 1..].eq_ignore_ascii_case(&format!(".{tag}"))
    }) {
        Some("it ends as the name of a Chinese variant's feed does")
    } else {
        None
    }
}

/// The word for one value of `each`, for messages.
fn noun(each: Each) -> &'static str {
    match each {
        Each::Tags => "tag",
        Each::Categories => "category",
        Each::Authors => "author",
        Each::Folders => "folder",
        Each::Languages => "language",
    }
}

/// How many articles have a value, and the newest `limit` of them.
type Tally<'s> = (usize, Vec<&'s Article>);

/// The feeds of `family` (a definition with `family` set) and their items,
/// in value order, from `newest` (every article that may be published,
/// newest first), and a warning for each value that cannot name a feed.
pub(super) fn members<'s>(
    family: &FeedSpec,
    newest: impl Iterator<Item = &'s Article>,
    now: Timestamp,
    language: &str,
) -> (Vec<(FeedSpec, Vec<&'s Article>)>, Vec<Diagnostic>) {
    let Some(spec) = &family.family else {
        return (Vec::new(), Vec::new());
    };
    // By value: how many articles have it, and the newest `limit` of them
    // (hashed while counting, sorted once at the end: a site has thousands
    // of tags, and this runs at every publication).
    let mut found: HashMap<Cow<'s, str>, Tally<'s>> = HashMap::new();
    for article in newest {
        if !article.is_published(now) || !takes(family, article, language) {
            continue;
        }
        let mut values = values(spec.each, article, language);
        // Two credits of one person (with and without an e-mail) are one
        // author: the article is in their feed once.
        values.sort_unstable();
        values.dedup();
        for value in values {
            // Left by name: `exclude_from: [tags/大运河]`.
            if !article.exclude_from.is_empty()
                && article
                    .exclude_from
                    .contains(&format!("{}/{value}", spec.prefix))
            {
                continue;
            }
            let entry = match found.get_mut(value.as_ref()) {
                Some(entry) => entry,
                None => found.entry(value).or_default(),
            };
            entry.0 += 1;
            if entry.1.len() < family.limit {
                entry.1.push(article);
            }
        }
    }
    let mut found: Vec<(Cow<'s, str>, Tally<'s>)> = found.into_iter().collect();
    found.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut feeds = Vec::new();
    let mut warnings = Vec::new();
    for (value, (count, items)) in found {
        let value = value.into_owned();
        if count < spec.min_items {
            continue;
        }
        if let Some(why) = unfit(&value) {
            let example = items.first().map(|a| a.source.file.display().to_string());
            warnings.push(Diagnostic::warning(
                &family.file,
                None,
                format!(
                    "{} \"{value}\"{} cannot name a feed ({why}); it has no feed of its own",
                    noun(spec.each),
                    example.map(|e| format!(" (in {e})")).unwrap_or_default()
                ),
            ));
            continue;
        }
        let member = FeedSpec {
            name: format!("{}/{value}", spec.prefix),
            title: family.title.replace(VALUE, &value),
            description: family
                .description
                .as_ref()
                .map(|d| d.replace(VALUE, &value)),
            language: match spec.each {
                Each::Languages => Some(value.clone()),
                _ => family.language.clone(),
            },
            family: None,
            member: Some(Member {
                family: family.name.clone(),
                each: spec.each,
                value,
            }),
            ..family.clone()
        };
        feeds.push((member, items));
    }
    (feeds, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_written_in_their_usual_case() {
        assert_eq!(canonical_language("ZH-cn"), "zh-CN");
        assert_eq!(canonical_language("zh-hant-tw"), "zh-Hant-TW");
        assert_eq!(canonical_language("en"), "en");
    }

    #[test]
    fn values_that_cannot_be_a_path_segment_get_no_feed() {
        assert!(unfit("大运河").is_none());
        assert!(unfit("Grand Canal").is_none());
        assert!(unfit("a/b").is_some());
        assert!(unfit(".hidden").is_some());
        assert!(unfit(&"长".repeat(70)).is_some());
        assert!(unfit("大运河.zh-TW").is_some(), "a variant's name");
        assert!(unfit("v1.2").is_none());
        assert!(unfit(" ").is_some());
    }
}
