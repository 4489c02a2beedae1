//! The words the daemon writes for people, in the site's language, as
//! [`Messages`] read from the catalogue ([`crate::i18n`]) once per language.

use std::sync::LazyLock;

use crate::config::Facet;
use crate::i18n::{Lang, message, message_with};

/// The words of one language.
#[derive(Debug)]
pub struct Messages {
    lang: Lang,
    /// What marks a draft's title in a preview.
    pub draft: String,
    /// What marks a scheduled article's title in a preview, before its date.
    pub scheduled: String,
    /// One sentence on what a feed is and how to subscribe.
    pub what_is_a_feed: String,
    /// The heading over a feed's addresses.
    pub subscribe: String,
    /// Before the links that subscribe in a reader or podcast app.
    pub subscribe_in: String,
    /// The copy button, and what it says once it has copied.
    pub copy: String,
    /// See [`Messages::copy`].
    pub copied: String,
    /// The heading of a feed's latest items.
    pub latest: String,
    /// Before the newest item's date.
    pub updated: String,
    /// Before a feed's other languages (its Chinese variants).
    pub also_in: String,
    /// The link to a feed's older items (its archive).
    pub archive: String,
    /// The link back to the list of feeds.
    pub all_feeds: String,
    /// Says what a feed's page is, over its items, when opened in a browser.
    pub this_is_a_feed: String,
    /// The OPML list's link text.
    pub opml: String,
    /// The title of the page a missing feed address shows.
    pub no_feed_here: String,
    /// Over the list of feeds on that page.
    pub feeds_here: String,
}

impl Messages {
    fn of(lang: Lang) -> Messages {
        let text = |id| message(lang, id, None);
        Messages {
            lang,
            draft: text("draft"),
            scheduled: text("scheduled"),
            what_is_a_feed: text("what-is-a-feed"),
            subscribe: text("subscribe"),
            subscribe_in: text("subscribe-in"),
            copy: text("copy"),
            copied: text("copied"),
            latest: text("latest"),
            updated: text("updated"),
            also_in: text("also-in"),
            archive: text("archive"),
            all_feeds: text("all-feeds"),
            this_is_a_feed: text("this-is-a-feed"),
            opml: text("opml"),
            no_feed_here: text("no-feed-here"),
            feeds_here: text("feeds-here"),
        }
    }

    /// `12 items`: how many items a feed has.
    pub fn items(&self, n: usize) -> String {
        message_with(self.lang, "items", "n", n)
    }

    /// The link to a feed's page with all its `n` items.
    pub fn all_items(&self, n: usize) -> String {
        message_with(self.lang, "all-items", "n", n)
    }

    /// The heading of a family's feeds, one per `facet`.
    pub fn family(&self, facet: &str) -> String {
        message_with(self.lang, "family", "name", facet)
    }

    /// What a family of `each` makes a feed per, in these words.
    pub fn facet(&self, each: Facet) -> String {
        let id = match each {
            Facet::Tags => "facet-tags",
            Facet::Categories => "facet-categories",
            Facet::Authors => "facet-authors",
            Facet::Folders => "facet-folders",
            Facet::Languages => "facet-languages",
        };
        message(self.lang, id, None)
    }

    /// The name of a Chinese variant's language (its tag when it has none).
    pub fn variant_name(&self, tag: &str) -> String {
        let known = ["zh-Hant", "zh-TW", "zh-HK", "zh-MO"];
        match known.iter().find(|t| t.eq_ignore_ascii_case(tag)) {
            Some(known) => message(
                self.lang,
                &format!("variant-{}", known.to_ascii_lowercase()),
                None,
            ),
            None => tag.to_owned(),
        }
    }
}

/// Each language's words, read from the catalogue on first use.
static WORDS: LazyLock<[Messages; 3]> = LazyLock::new(|| Lang::ALL.map(Messages::of));

/// The words for a site in `language` (a BCP 47 tag; see [`Lang::of_tag`]).
pub fn for_language(language: &str) -> &'static Messages {
    &WORDS[Lang::of_tag(language).index()]
}
