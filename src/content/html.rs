//! An article's HTML as a browser reads it, made fit for a feed: character
//! references decoded, every URL absolute, nothing XML 1.0 cannot carry, the
//! text a summary is cut from, and (unless the site trusts its HTML) only
//! what the allow-list keeps.
//!
//! The HTML (Markdown's output, raw HTML included) is read by html5ever's
//! tokenizer, the HTML Standard's own state machine, so attribute values are
//! decoded exactly as a browser decodes them: `href="&#109;ailto:…"` is a
//! `mailto:` link and `href="&#x68;ttps://…"` an absolute one. Each token is
//! written back with its URL attributes resolved against the article's link
//! (`srcset` parsed as the HTML Standard parses it, so a comma inside a URL
//! stays in it) and every character XML 1.0 cannot carry removed, in text
//! and attributes alike (a reference such as `&#7;` decodes to one).
//!
//! A tokenizer alone does not know which namespace it is in, so the
//! rewriter tracks SVG and MathML content as the tree builder does: there
//! `<style>` holds markup, not raw text, until an HTML element such as `<b>`
//! ends the foreign content.
//!
//! Then, by default, the allow-list sanitiser `ammonia` removes scripts,
//! event handlers, `javascript:` URLs and every element and attribute not in
//! [`ALLOWED_TAGS`] and [`ALLOWED_ATTRIBUTES`]. It runs last, so it judges
//! URLs as they will be published: a scheme hidden by a removed character
//! (`java&#7;script:`) is refused like any other, and so is any URL still
//! relative or any value still holding such a character (markup the
//! rewriter misread). `content.trust_html` skips it and publishes the HTML
//! as written (still decoded, resolved and clean).
//!
//! Cost: one pass of the tokenizer, plus one parse by the sanitiser; both
//! linear in the body, and run only for articles some feed shows.

mod elements;
mod rewrite;
mod srcset;

use url::Url;

use crate::text::is_unfit_for_xml;
use elements::is_url_attribute;
pub use rewrite::first_reference_to;
use rewrite::rewrite;
use srcset::web_srcset;
pub use srcset::{Candidate, parse_srcset};

/// An article's HTML, processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    /// The HTML to publish.
    pub html: String,
    /// The text a reader sees, blocks separated, for the summary: at least
    /// `text_chars` characters of it when there is that much.
    pub text: String,
    /// How many characters XML 1.0 cannot carry were removed, and the first.
    pub removed: usize,
    pub first_removed: Option<char>,
    /// The first picture's address, absolute (http or https).
    pub first_image: Option<String>,
}

/// Elements kept by the sanitiser: ammonia's defaults (text, lists, tables,
/// quotations, figures with captions, `details`, `article`, `nav`) plus what
/// news articles embed: `picture` and `source`, `video`, `audio` and
/// `track`, `tfoot`, and the sectioning a page's HTML brings along (`main`,
/// `section`, `menu`, `fieldset`, `legend`). `iframe`, `object`, `embed`,
/// forms, scripts and styles are removed (their text stays where a browser
/// shows it).
pub const ALLOWED_TAGS: [&str; 11] = [
    "picture", "source", "video", "audio", "track", "tfoot", "main", "section", "menu", "fieldset",
    "legend",
];

/// Attributes kept beyond ammonia's defaults (`lang` and `title` anywhere;
/// `href` and `hreflang` on links; `src`, `alt`, `width`, `height` on images;
/// `cite`; table cell spans and alignment; `ol start`), by element.
pub const ALLOWED_ATTRIBUTES: [(&str, &[&str]); 9] = [
    ("img", &["srcset", "sizes", "loading"]),
    ("picture", &[]),
    (
        "source",
        &["src", "srcset", "sizes", "type", "media", "width", "height"],
    ),
    (
        "video",
        &[
            "src",
            "poster",
            "controls",
            "width",
            "height",
            "preload",
            "loop",
            "muted",
            "playsinline",
        ],
    ),
    ("audio", &["src", "controls", "preload", "loop", "muted"]),
    ("track", &["src", "kind", "srclang", "label", "default"]),
    ("time", &["datetime"]),
    ("details", &["open"]),
    ("li", &["value"]),
];

/// Processes `html` for an article whose link is `base`. `trust` publishes
/// the HTML without the allow-list. `text_chars` is how much text is wanted.
pub fn process(html: &str, base: &Url, trust: bool, text_chars: usize) -> Processed {
    let rewritten = rewrite(html, base, trust, text_chars);
    let html = if trust {
        rewritten.html
    } else {
        sanitise(&rewritten.html)
    };
    Processed {
        html,
        text: rewritten.text,
        removed: rewritten.removed,
        first_removed: rewritten.first_removed,
        first_image: rewritten.first_image,
    }
}

/// The URL schemes a published link may use: the web, mail, telephone and
/// a few protocols readers hand to other programs. `javascript:`, `data:`
/// and `vbscript:` are not among them.
pub const URL_SCHEMES: [&str; 12] = [
    "http", "https", "mailto", "tel", "sms", "geo", "ftp", "ftps", "irc", "ircs", "xmpp", "webcal",
];

/// The allow-list pass. Every URL is absolute by now, so one that is not
/// (markup the rewriter could not resolve) is removed, and every URL
/// attribute, `cite` and each `srcset` candidate included, must use one of
/// [`URL_SCHEMES`]. A value still holding a character XML cannot carry is
/// removed rather than cleaned: cleaning it after this check could make a
/// scheme out of what the check saw as none.
fn sanitise(html: &str) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(ALLOWED_TAGS)
        .url_schemes(URL_SCHEMES.into_iter().collect())
        .url_relative(ammonia::UrlRelative::Deny)
        // The HTML as the editor wrote it: no `rel` added to links.
        .link_rel(None)
        .attribute_filter(|element, attribute, value| {
            if value.contains(is_unfit_for_xml) {
                return None;
            }
            if attribute == "srcset" {
                return web_srcset(value).map(Into::into);
            }
            if is_url_attribute(element, attribute) && !has_allowed_scheme(value) {
                return None;
            }
            Some(value.into())
        });
    for (tag, attributes) in ALLOWED_ATTRIBUTES {
        builder.add_tag_attributes(tag, attributes);
    }
    builder.clean(html).to_string()
}

/// Whether `value` is an absolute URL with one of [`URL_SCHEMES`].
fn has_allowed_scheme(value: &str) -> bool {
    Url::parse(value).is_ok_and(|url| URL_SCHEMES.contains(&url.scheme()))
}

#[cfg(test)]
mod tests;
