//! A feed's `[podcast]` table: what Apple Podcasts, Spotify, Pocket Casts,
//! Overcast and the Podcast Index read from a podcast's RSS beside its
//! episodes (the iTunes namespace, and the Podcasting 2.0 essentials). What
//! the directories require is checked here, as errors on the key's line:
//! an owner with an e-mail address, `explicit`, and a category from Apple's
//! list (<https://podcasters.apple.com/support/1691-apple-podcasts-categories>).

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::config::Locator;
use crate::config::artwork::{Misplaced, Place, file_path, place};
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;

/// A podcast's channel-level facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Podcast {
    /// Who makes it (`itunes:author`).
    pub author: String,
    /// Who directories write to: name and e-mail (`itunes:owner`).
    pub owner: (String, String),
    /// Its artwork: a path inside `content/` or a URL (`itunes:image`).
    pub image: String,
    /// The line `image` is set on.
    pub image_line: usize,
    /// Apple's category and, optionally, subcategory (`itunes:category`).
    pub category: (String, Option<String>),
    /// Whether it holds explicit content (`itunes:explicit`).
    pub explicit: bool,
    /// `episodic` (newest first) or `serial` (in order) (`itunes:type`).
    pub kind: String,
    /// Whether other hosts may not import it (`podcast:locked`).
    pub locked: bool,
    /// Where listeners can support it, and what the link says
    /// (`podcast:funding`).
    pub funding: Option<(String, String)>,
    /// Its permanent GUID, when set; otherwise derived from the feed's URL
    /// (`podcast:guid`).
    pub guid: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPodcast {
    author: Option<Spanned<String>>,
    owner: Option<Spanned<RawOwner>>,
    image: Option<Spanned<String>>,
    category: Option<Spanned<String>>,
    explicit: Option<Spanned<bool>>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    locked: Option<bool>,
    funding: Option<RawFunding>,
    guid: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOwner {
    name: String,
    email: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFunding {
    url: String,
    text: String,
}

/// Apple Podcasts' categories, each with its subcategories.
pub const CATEGORIES: [(&str, &[&str]); 19] = [
    (
        "Arts",
        &[
            "Books",
            "Design",
            "Fashion & Beauty",
            "Food",
            "Performing Arts",
            "Visual Arts",
        ],
    ),
    (
        "Business",
        &[
            "Careers",
            "Entrepreneurship",
            "Investing",
            "Management",
            "Marketing",
            "Non-Profit",
        ],
    ),
    ("Comedy", &["Comedy Interviews", "Improv", "Stand-Up"]),
    (
        "Education",
        &["Courses", "How To", "Language Learning", "Self-Improvement"],
    ),
    ("Fiction", &["Comedy Fiction", "Drama", "Science Fiction"]),
    ("Government", &[]),
    ("History", &[]),
    (
        "Health & Fitness",
        &[
            "Alternative Health",
            "Fitness",
            "Medicine",
            "Mental Health",
            "Nutrition",
            "Sexuality",
        ],
    ),
    (
        "Kids & Family",
        &[
            "Education for Kids",
            "Parenting",
            "Pets & Animals",
            "Stories for Kids",
        ],
    ),
    (
        "Leisure",
        &[
            "Animation & Manga",
            "Automotive",
            "Aviation",
            "Crafts",
            "Games",
            "Hobbies",
            "Home & Garden",
            "Video Games",
        ],
    ),
    (
        "Music",
        &["Music Commentary", "Music History", "Music Interviews"],
    ),
    (
        "News",
        &[
            "Business News",
            "Daily News",
            "Entertainment News",
            "News Commentary",
            "Politics",
            "Sports News",
            "Tech News",
        ],
    ),
    (
        "Religion & Spirituality",
        &[
            "Buddhism",
            "Christianity",
            "Hinduism",
            "Islam",
            "Judaism",
            "Religion",
            "Spirituality",
        ],
    ),
    (
        "Science",
        &[
            "Astronomy",
            "Chemistry",
            "Earth Sciences",
            "Life Sciences",
            "Mathematics",
            "Natural Sciences",
            "Nature",
            "Physics",
            "Social Sciences",
        ],
    ),
    (
        "Society & Culture",
        &[
            "Documentary",
            "Personal Journals",
            "Philosophy",
            "Places & Travel",
            "Relationships",
        ],
    ),
    (
        "Sports",
        &[
            "Baseball",
            "Basketball",
            "Cricket",
            "Fantasy Sports",
            "Football",
            "Golf",
            "Hockey",
            "Rugby",
            "Running",
            "Soccer",
            "Swimming",
            "Tennis",
            "Volleyball",
            "Wilderness",
            "Wrestling",
        ],
    ),
    ("Technology", &[]),
    ("True Crime", &[]),
    (
        "TV & Film",
        &[
            "After Shows",
            "Film History",
            "Film Interviews",
            "Film Reviews",
            "TV Reviews",
        ],
    ),
];

impl Podcast {
    /// Checks artwork in the content folder `content` as podcast
    /// directories do: a picture, square, 1400 to 3000 pixels a side (Apple
    /// Podcasts' requirement). Artwork given as a URL is not fetched.
    /// Errors are on the line of `podcast.image` in `feed`.
    pub fn check_artwork(&self, feed: &Path, content: &Path) -> Result<(), Diagnostic> {
        let error = |why: Message| {
            let message = Message::field("podcast.image", why);
            Diagnostic::error(feed, Some(self.image_line), message)
        };
        let parts = match place(&self.image) {
            Ok(Place::Url(_)) => return Ok(()),
            Err(Misplaced::Scheme(scheme)) => {
                return Err(error(Misplaced::Scheme(scheme).message(&self.image)));
            }
            found => found,
        };
        let lower = self.image.to_ascii_lowercase();
        if ![".jpg", ".jpeg", ".png"].iter().any(|e| lower.ends_with(e)) {
            return Err(error(
                Message::new("art-not-jpeg-png").arg("value", self.image.as_str()),
            ));
        }
        let Ok(Place::File(parts)) = parts else {
            return Err(error(
                Message::new("media-outside").arg("value", self.image.as_str()),
            ));
        };
        let path = file_path(content, &parts);
        let size = crate::config::picture_size(&path, content, false)
            .map_err(|why| error(Message::new("art-put-artwork").arg("problem", why)))?
            .unwrap_or((0, 0));
        match crate::config::artwork_problem(&path, size) {
            Some(problem) => Err(error(problem)),
            None => Ok(()),
        }
    }
}

/// `"News"` or `"News > Daily News"` as Apple's category and subcategory,
/// or why not.
fn category(text: &str) -> Result<(String, Option<String>), Message> {
    let (top, sub) = match text.split_once('>') {
        Some((top, sub)) => (top.trim(), Some(sub.trim())),
        None => (text.trim(), None),
    };
    let Some((name, subs)) = CATEGORIES.iter().find(|(name, _)| *name == top) else {
        let names: Vec<&str> = CATEGORIES.iter().map(|(n, _)| *n).collect();
        return Err(Message::new("podcast-category")
            .arg("value", top)
            .arg("names", names.join(", ")));
    };
    match sub {
        None => Ok(((*name).to_owned(), None)),
        Some(sub) if subs.contains(&sub) => Ok(((*name).to_owned(), Some(sub.to_owned()))),
        Some(sub) => Err(Message::new("podcast-subcategory")
            .arg("value", sub)
            .arg("top", *name)
            .arg("names", subs.join(", "))),
    }
}

/// `podcast.owner`: a name and an e-mail address, as (name, email).
fn resolve_owner(
    at: &Locator<'_>,
    owner: Spanned<RawOwner>,
) -> Result<(String, String), Diagnostic> {
    let owner_span = owner.span();
    let owner = owner.into_inner();
    for text in [&owner.name, &owner.email] {
        if let Some(c) = crate::text::illegal_xml_char(text) {
            return Err(at.error(
                owner_span.clone(),
                Message::new("config-character")
                    .arg("key", "podcast.owner")
                    .arg("code", format!("{:04X}", c as u32)),
            ));
        }
    }
    if !owner.email.contains('@') {
        return Err(at.error(
            owner_span,
            Message::new("podcast-owner-email").arg("value", owner.email.as_str()),
        ));
    }
    Ok((owner.name, owner.email))
}

/// `podcast.type`: episodic (the default) or serial.
fn resolve_kind(at: &Locator<'_>, kind: Option<Spanned<String>>) -> Result<String, Diagnostic> {
    match kind {
        Some(kind) if matches!(kind.get_ref().as_str(), "episodic" | "serial") => {
            Ok(kind.into_inner())
        }
        Some(kind) => Err(at.error(
            kind.span(),
            Message::new("podcast-type").arg("value", kind.get_ref().as_str()),
        )),
        None => Ok("episodic".to_owned()),
    }
}

/// Checks a feed's `[podcast]` table (the table's own span is `table`) as
/// the directories would, each problem an error on its line.
pub(super) fn resolve_podcast(
    at: &Locator<'_>,
    table: std::ops::Range<usize>,
    raw: RawPodcast,
) -> Result<Podcast, Diagnostic> {
    let missing = |key: &str, example: &str| {
        at.error(
            table.clone(),
            Message::new("podcast-required")
                .arg("key", key)
                .arg("example", example),
        )
    };
    let author = at.xml_text(
        "podcast.author",
        raw.author
            .ok_or_else(|| missing("author", "author = \"拱墅报\""))?,
    )?;
    let owner = raw.owner.ok_or_else(|| {
        missing(
            "owner",
            "owner = { name = \"拱墅报\", email = \"podcast@news.example\" }",
        )
    })?;
    let owner = resolve_owner(at, owner)?;
    let image = raw.image.ok_or_else(|| {
        missing(
            "image",
            "image = \"podcast/artwork.png\" (square, 1400 to 3000 pixels)",
        )
    })?;
    let image_line = crate::diagnostic::line_of_offset(at.text, image.span().start);
    let image = image.into_inner();
    let category = match raw.category {
        Some(c) => category(c.get_ref())
            .map_err(|m| at.error(c.span(), Message::field("podcast.category", m)))?,
        None => return Err(missing("category", "category = \"News > Daily News\"")),
    };
    let explicit = *raw
        .explicit
        .ok_or_else(|| missing("explicit", "explicit = false"))?
        .get_ref();
    let kind = resolve_kind(at, raw.kind)?;
    Ok(Podcast {
        author,
        owner,
        image,
        image_line,
        category,
        explicit,
        kind,
        locked: raw.locked.unwrap_or(false),
        funding: raw
            .funding
            .map(|f| {
                let fine = url::Url::parse(&f.url)
                    .is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
                    && crate::text::illegal_xml_char(&f.text).is_none();
                if fine {
                    Ok((f.url, f.text))
                } else {
                    Err(at.error(table.clone(), Message::new("podcast-funding")))
                }
            })
            .transpose()?,
        guid: raw
            .guid
            .map(|g| at.xml_text("podcast.guid", g))
            .transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_come_from_apple_s_list() {
        assert_eq!(category("News").unwrap(), ("News".to_owned(), None));
        assert_eq!(
            category("News > Daily News").unwrap(),
            ("News".to_owned(), Some("Daily News".to_owned()))
        );
        assert!(
            category("新闻")
                .unwrap_err()
                .to_string()
                .contains("not one of Apple's categories")
        );
        assert!(
            category("News > Gossip")
                .unwrap_err()
                .to_string()
                .contains("subcategories of News")
        );
    }
}
