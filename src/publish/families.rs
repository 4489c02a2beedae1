//! Feed families: a definition with `each = "tags"` (or `categories`,
//! `authors`, `folders`, `languages`) stands for one feed per distinct value
//! among the articles it takes, made afresh at each publication, so the
//! first article with a new tag makes its feed appear and the last one
//! removed makes it go.
//!
//! A family's feeds are made from the store's postings (for each value, the
//! articles having it, newest first): a feed takes the first `limit` its
//! family takes, and counts them only as far as `min_items`. A feed is made
//! again only when its value's articles changed (see [`Made`]).
//!
//! A feed's name is `PREFIX/VALUE`: the value as written (NFC), with no
//! case folding or transliteration, so two different values never share a
//! feed and a feed's URL never changes; the URL percent-encodes it as UTF-8
//! (`/tags/%E5%A4%A7%E8%BF%90%E6%B2%B3.rss`, which browsers show as
//! `/tags/大运河.rss`). A value that cannot be one path segment and one file
//! name (it holds `/` or a control character, starts with `.`, or is too
//! long) gets no feed, with a warning.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::Timestamp;

use super::languages::variants_for;
use super::select::Items;
use super::takes;
use crate::config::{Config, Facet, FeedSpec, Member, VALUE, Variant};
use crate::content::{Article, Newest, Posting};
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;

/// The longest value that names a feed, in bytes: a file name is at most
/// 255 bytes on common file systems, and the mirror adds `.atom.br`.
const LONGEST_VALUE: usize = 200;

/// Why `value` cannot name a feed, if it cannot: a `family-why-…`
/// message of the catalogue.
fn unfit(value: &str) -> Option<&'static str> {
    if value.contains('/') || value.contains('\\') {
        Some("family-why-slash")
    } else if value.starts_with('.') {
        Some("family-why-dot")
    } else if value.chars().any(char::is_control) {
        Some("family-why-control")
    } else if value.len() > LONGEST_VALUE {
        Some("family-why-long")
    } else if value.trim().is_empty() {
        Some("family-why-empty")
    } else if Variant::ALL.iter().any(|(_, tag)| {
        value.len() > tag.len() + 1
            && value.is_char_boundary(value.len() - tag.len() - 1)
            && value[value.len() - tag.len() - 1..].eq_ignore_ascii_case(&format!(".{tag}"))
    }) {
        Some("family-why-variant")
    } else {
        None
    }
}

/// The word for one value of `each`, for messages.
fn noun(each: Facet) -> Message {
    Message::new(match each {
        Facet::Tags => "family-noun-tags",
        Facet::Categories => "family-noun-categories",
        Facet::Authors => "family-noun-authors",
        Facet::Folders => "family-noun-folders",
        Facet::Languages => "family-noun-languages",
    })
}

/// The feeds of the families, as made at earlier publications: a feed is
/// made again only when the articles having its value changed, when a
/// scheduled one among them comes due, or when its family's definition or
/// the site's language changed. This is what keeps an edit that touches
/// one tag from looking at the thousands of others.
#[derive(Debug, Default)]
pub(super) struct Made {
    /// By family name.
    families: HashMap<String, MadeFamily>,
}

#[derive(Debug)]
struct MadeFamily {
    /// What its feeds were made from: the definition, the site's language
    /// and its Chinese variants.
    family: FeedSpec,
    site: (String, Vec<Variant>),
    /// By value.
    members: HashMap<Box<str>, Kept>,
}

/// One value's outcome, and until when it holds.
#[derive(Debug, Clone)]
struct Kept {
    /// The store's generation it was made at.
    generation: u64,
    /// The date of the next scheduled article having the value: from then
    /// on, the feed is made again.
    until: Option<Timestamp>,
    outcome: Outcome,
}

#[derive(Debug, Clone)]
enum Outcome {
    /// A feed and its items.
    Feed(Arc<FeedSpec>, Items),
    /// Fewer articles than `min_items`: no feed.
    Few,
    /// The value cannot name a feed: no feed, and this warning.
    Unfit(Diagnostic),
}

/// The feeds of `family` (a definition with `family` set) and their items,
/// in value order, made from `postings` (the articles having each value,
/// newest first), and a warning for each value that cannot name a feed.
/// `generation` is the store's; `made` keeps what is made for the next
/// publication.
pub(super) fn members(
    family: &FeedSpec,
    postings: &BTreeMap<Box<str>, Posting>,
    generation: u64,
    now: Timestamp,
    config: &Config,
    made: &mut Made,
) -> (Vec<(Arc<FeedSpec>, Items)>, Vec<Diagnostic>) {
    if family.family.is_none() {
        return (Vec::new(), Vec::new());
    }
    let site = (config.site.language.clone(), config.feeds.variants.clone());
    let known = made
        .families
        .entry(family.name.clone())
        .or_insert_with(|| MadeFamily {
            family: family.clone(),
            site: site.clone(),
            members: HashMap::new(),
        });
    if known.family != *family || known.site != site {
        known.family = family.clone();
        known.site = site;
        known.members.clear();
    }
    // Values that no article has any more are forgotten.
    if known.members.len() > postings.len() {
        known
            .members
            .retain(|value, _| postings.contains_key(value));
    }
    let mut feeds = Vec::new();
    let mut warnings = Vec::new();
    for (value, posting) in postings {
        let fresh =
            |m: &Kept| posting.changed <= m.generation && m.until.is_none_or(|until| now < until);
        let member = match known.members.get(value) {
            Some(member) if fresh(member) => member,
            _ => {
                let mut member = make(family, value, posting, now, config, generation);
                // The same items as before keep their value, so that the
                // stages after selection see nothing to redo.
                if let (
                    Outcome::Feed(_, items),
                    Some(Kept {
                        outcome: Outcome::Feed(_, last),
                        ..
                    }),
                ) = (&mut member.outcome, known.members.get(value))
                {
                    if super::select::same_items(last, items) {
                        *items = Arc::clone(last);
                    }
                }
                known.members.insert(value.clone(), member);
                &known.members[value]
            }
        };
        match &member.outcome {
            Outcome::Feed(feed, items) => feeds.push((Arc::clone(feed), Arc::clone(items))),
            Outcome::Few => {}
            Outcome::Unfit(warning) => warnings.push(warning.clone()),
        }
    }
    (feeds, warnings)
}

/// The feed of one value of a family: its `limit` newest published
/// articles that the family takes, unless fewer than `min_items` are.
fn make(
    family: &FeedSpec,
    value: &str,
    posting: &Posting,
    now: Timestamp,
    config: &Config,
    generation: u64,
) -> Kept {
    let (each, min_items) = match &family.family {
        Some(spec) => (spec.each, spec.min_items),
        None => (Facet::Tags, 0),
    };
    let prefix = family
        .family
        .as_ref()
        .map_or("", |spec| spec.prefix.as_str());
    let name = format!("{prefix}/{value}");
    let language = config.site.language.as_str();
    let (items, count, until) = member_items(family, &name, posting, now, language, min_items);
    let outcome = if count < min_items {
        Outcome::Few
    } else if let Some(why) = unfit(value) {
        let message = match items.first() {
            Some(article) => Message::new("family-unfit-in")
                .arg("file", article.source.file().display().to_string()),
            None => Message::new("family-unfit"),
        };
        let message = message
            .arg("noun", noun(each))
            .arg("value", value)
            .arg("why", Message::new(why));
        Outcome::Unfit(Diagnostic::warning(&family.file, None, message))
    } else {
        let feed = member_feed(family, name, each, value, config);
        Outcome::Feed(Arc::new(feed), Items::from(items))
    };
    Kept {
        generation,
        until,
        outcome,
    }
}

/// The items of the family's feed `name` (its `limit` newest published
/// articles the family takes), how many there are (counted up to
/// `min_items`), and when the next scheduled one falls due.
fn member_items(
    family: &FeedSpec,
    name: &str,
    posting: &Posting,
    now: Timestamp,
    language: &str,
    min_items: usize,
) -> (Vec<Arc<Article>>, usize, Option<Timestamp>) {
    let mut items = Vec::new();
    let mut count = 0;
    let mut until = None;
    for Newest(article) in &posting.articles {
        if article.date > now && !article.preview {
            // Newest first: the last one met is the next to come due.
            until = Some(article.date);
            continue;
        }
        // Left by name too: `exclude_from: [tags/大运河]`.
        if !article.is_published(now)
            || !takes(family, article, language)
            || article.exclude_from().0.iter().any(|n| n == name)
        {
            continue;
        }
        count += 1;
        if items.len() < family.keeps() {
            items.push(Arc::clone(article));
        } else if count >= min_items {
            break;
        }
    }
    (items, count, until)
}

/// The definition of the family's feed `name` for `value`.
fn member_feed(
    family: &FeedSpec,
    name: String,
    each: Facet,
    value: &str,
    config: &Config,
) -> FeedSpec {
    let mut feed = FeedSpec {
        name,
        title: family.title.replace(VALUE, value),
        description: family.description.as_ref().map(|d| d.replace(VALUE, value)),
        language: match each {
            Facet::Languages => Some(value.to_owned()),
            _ => family.language.clone(),
        },
        family: None,
        // A podcast's GUID names one feed: each member derives its own.
        podcast: family
            .podcast
            .clone()
            .map(|p| crate::config::Podcast { guid: None, ..p }),
        member: Some(Member {
            family: family.name.clone(),
            each,
            value: value.to_owned(),
        }),
        ..family.clone()
    };
    feed.variants = Some(variants_for(config, &feed));
    feed
}

#[cfg(test)]
mod tests {
    use super::*;

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
