//! Chinese variants: a feed's text converted from Simplified Chinese to
//! Traditional (`zh-Hant`), Taiwan's (`zh-TW`) or Hong Kong's (`zh-HK`,
//! also used for `zh-MO`) characters and phrasing, at publication.
//!
//! Conversion is OpenCC 1.4's (`s2t`, `s2twp`, `s2hk`), over OpenCC's own
//! dictionaries compiled into the binary (see `convert/opencc.rs`): no files, no C
//! library. One converter per variant is built on first use and shared by
//! every thread.
//!
//! What is converted: titles, summaries, categories, tags, authors' names,
//! the feed's title and description, and the text of the HTML (the site's
//! own name and author, the publisher's, stay as configured). What is not: markup,
//! attribute values (so URLs), URLs written in the text, and the text of
//! `code`, `pre`, `kbd`, `samp`, `script` and `style`. An item's id gets the variant's tag, so a
//! reader subscribed to two variants sees two items.

mod opencc;

use std::sync::{Arc, LazyLock};

use crate::config::Variant;
use crate::content::{Article, Body, Enclosure, Image, Person, Seldom, Shown};

use opencc::Converter;

static S2T: LazyLock<Converter> = LazyLock::new(opencc::s2t);
static S2TWP: LazyLock<Converter> = LazyLock::new(opencc::s2twp);
static S2HK: LazyLock<Converter> = LazyLock::new(opencc::s2hk);

/// Whether `tag` (BCP 47) is Simplified Chinese, what variants convert
/// from: `zh`, `zh-CN`, `zh-SG`, `zh-MY`, `zh-Hans` and its subtags.
pub fn is_simplified(tag: &str) -> bool {
    let tag = tag.to_ascii_lowercase();
    tag == "zh"
        || ["zh-cn", "zh-sg", "zh-my", "zh-hans"]
            .iter()
            .any(|t| tag == *t || tag.starts_with(&format!("{t}-")))
}

/// `text` in `variant`: every character converted but those of a URL
/// written in it (`https://example.com/软件/下载` names a page that exists
/// as written).
pub fn text(variant: Variant, text: &str) -> String {
    let converter = match variant {
        Variant::Hant => &*S2T,
        Variant::Taiwan => &*S2TWP,
        Variant::HongKong | Variant::Macau => &*S2HK,
    };
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    while let Some((start, end)) = next_url(rest) {
        out.push_str(&converter.convert(&rest[..start]));
        out.push_str(&rest[start..end]);
        rest = &rest[end..];
    }
    out.push_str(&converter.convert(rest));
    out
}

/// Where the first `http:` or `https:` URL written in `text` starts and
/// ends (byte offsets). It starts at its scheme, not right after a letter
/// or digit, and ends before white space, `<`, `>` or `"`, before CJK or
/// full-width punctuation (`。`, `，`, `（`: Chinese text goes on right after
/// a URL), and before the ASCII punctuation that closes a sentence
/// (`.`, `,`, `)`…) at its end. (URL-finding crates such as `linkify` read
/// `。写信给` and `，软件（https` as parts of a URL or an address.)
fn next_url(text: &str) -> Option<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let start = ["http://", "https://"]
        .iter()
        .flat_map(|scheme| lower.match_indices(scheme).map(|(i, _)| i))
        .filter(|&i| {
            !text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric())
        })
        .min()?;
    let after = &text[start..];
    let mut end = after
        .find(|c: char| {
            c.is_whitespace() || matches!(c, '<' | '>' | '"') || is_full_width_punctuation(c)
        })
        .unwrap_or(after.len());
    while after[..end].ends_with(['.', ',', ';', ':', '!', '?', ')', '\'']) {
        end -= 1;
    }
    Some((start, start + end))
}

/// CJK punctuation (U+3000–U+303F) and full-width forms of ASCII
/// punctuation (`，`, `（`, `！`…), which end a URL written in Chinese text.
fn is_full_width_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}')
        || (matches!(c, '\u{FF01}'..='\u{FF65}') && !c.is_alphanumeric())
}

/// Elements whose text is code or machine input, never converted.
const VERBATIM: [&str; 6] = ["code", "pre", "kbd", "samp", "script", "style"];

/// `html` in `variant`: the text between tags converted, the tags (names,
/// attributes, URLs) and comments kept, and the text inside `code`, `pre`,
/// `kbd`, `samp`, `script` and `style` elements kept. `html` is what
/// publishing makes: serialised HTML, every attribute value quoted.
///
/// Text on either side of inline markup is one run of words (`他理<em>发</em>了`
/// is 他理发了, whose 理发 is 理髮): a run is converted as one string, and
/// given back to its pieces character by character when the conversion
/// kept its length (as nearly all do); a run whose length changed is
/// converted piece by piece. Block markup, line breaks, comments and
/// verbatim elements end a run.
pub fn html(variant: Variant, html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut run: Vec<Piece<'_>> = Vec::new();
    let mut verbatim = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        let open = rest.find('<').unwrap_or(rest.len());
        if open > 0 {
            run.push(if verbatim > 0 {
                Piece::Kept(&rest[..open])
            } else {
                Piece::Text(&rest[..open])
            });
        }
        rest = &rest[open..];
        if rest.is_empty() {
            break;
        }
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map_or(rest.len(), |e| e + 3)
        } else {
            tag_end(rest)
        };
        let tag = &rest[..end];
        let name: String = tag
            .trim_start_matches("</")
            .trim_start_matches('<')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if VERBATIM.contains(&name.as_str()) {
            if tag.starts_with("</") {
                verbatim = verbatim.saturating_sub(1);
            } else if !tag.ends_with("/>") {
                verbatim += 1;
            }
        }
        if verbatim == 0 && INLINE.contains(&name.as_str()) {
            run.push(Piece::Kept(tag));
        } else {
            flush(&mut out, variant, &mut run);
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    flush(&mut out, variant, &mut run);
    out
}

/// Elements that stand within a run of words: their text and the text
/// around them are read as one.
const INLINE: [&str; 22] = [
    "a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "i", "ins", "mark", "q",
    "ruby", "rt", "s", "small", "span", "strong", "sub", "sup",
];

/// A piece of a run: text to convert, or markup (and verbatim text) kept.
#[derive(Debug)]
enum Piece<'a> {
    Text(&'a str),
    Kept(&'a str),
}

/// Writes the run `run` to `out`, its text converted (see [`html`]), and
/// empties it.
fn flush(out: &mut String, variant: Variant, run: &mut Vec<Piece<'_>>) {
    let texts: Vec<&str> = run
        .iter()
        .filter_map(|p| match p {
            Piece::Text(t) => Some(*t),
            Piece::Kept(_) => None,
        })
        .collect();
    let joined: String = texts.concat();
    let converted = if texts.len() > 1 && !joined.is_ascii() {
        let whole = text(variant, &joined);
        (whole.chars().count() == joined.chars().count()).then_some(whole)
    } else {
        None
    };
    let mut given = converted.as_deref().map(str::chars);
    for piece in run.drain(..) {
        match (piece, given.as_mut()) {
            (Piece::Kept(kept), _) => out.push_str(kept),
            (Piece::Text(t), Some(chars)) => out.extend(chars.by_ref().take(t.chars().count())),
            (Piece::Text(t), None) if t.is_ascii() => out.push_str(t),
            (Piece::Text(t), None) => out.push_str(&text(variant, t)),
        }
    }
}

/// Where the tag at the start of `html` ends (just past its `>`), quoted
/// attribute values skipped; the end of `html` when it does not close.
fn tag_end(html: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in html.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// An item as the variant's feed shows it: its title, summary, category,
/// tags and HTML converted, its id marked with the variant, and its
/// language the variant's.
pub fn shown(variant: Variant, item: &Shown) -> Shown {
    let article: &Article = &item.article;
    let id = if article.id.contains('#') {
        format!("{}-{}", article.id, variant.tag())
    } else {
        format!("{}#{}", article.id, variant.tag())
    };
    let converted = Article {
        title: text(variant, &article.title).into(),
        summary: article.summary.as_deref().map(|s| text(variant, s).into()),
        category: article.category.as_deref().map(|c| text(variant, c).into()),
        tags: article
            .tags
            .iter()
            .map(|t| text(variant, t).into())
            .collect(),
        // A byline is text of the article: Traditional readers read names
        // in their characters, as their press writes them.
        authors: article
            .authors
            .iter()
            .map(|person| Person {
                name: text(variant, &person.name).into(),
                ..person.clone()
            })
            .collect(),
        enclosures: article
            .enclosures
            .iter()
            .map(|e| Enclosure {
                title: e.title.as_deref().map(|t| text(variant, t)),
                ..e.clone()
            })
            .collect(),
        image: article.image.as_ref().map(|image| {
            Box::new(Image {
                alt: image.alt.as_deref().map(|a| text(variant, a)),
                caption: image.caption.as_deref().map(|c| text(variant, c)),
                ..Image::clone(image)
            })
        }),
        id: id.into(),
        seldom: Some(Box::new(Seldom {
            lang: Some(variant.tag().into()),
            ..article.seldom.as_deref().cloned().unwrap_or_default()
        })),
        ..article.clone()
    };
    let body = Body {
        html: html(variant, &item.body.html),
        summary: text(variant, &item.body.summary),
        first_image: item.body.first_image.clone(),
    };
    Shown {
        article: Arc::new(converted),
        body: Arc::new(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_simplified_chinese_is_converted() {
        assert!(is_simplified("zh-CN") && is_simplified("zh") && is_simplified("zh-Hans-CN"));
        assert!(!is_simplified("zh-TW") && !is_simplified("en") && !is_simplified("zh-Hant"));
    }

    #[test]
    fn known_pairs_convert_in_each_variant() {
        assert_eq!(text(Variant::Hant, "发展区"), "發展區");
        assert_eq!(text(Variant::Taiwan, "发展"), "發展");
        assert_eq!(text(Variant::Taiwan, "区"), "區");
        assert_eq!(text(Variant::Taiwan, "软件"), "軟體");
        assert_eq!(
            text(Variant::Hant, "软件"),
            "軟件",
            "phrases are Taiwan's only"
        );
        assert_eq!(text(Variant::HongKong, "发展"), "發展");
    }

    #[test]
    fn markup_urls_and_code_stay_as_they_are() {
        let html = "<p title=\"区\">发展<a href=\"https://x.example/区/软件?q=发展\">软件</a></p>\
                    <pre><code>let 区 = \"发展\";</code></pre><!-- 区 --><p>a &lt; b 区</p>";
        assert_eq!(
            super::html(Variant::Taiwan, html),
            "<p title=\"区\">發展<a href=\"https://x.example/区/软件?q=发展\">軟體</a></p>\
             <pre><code>let 区 = \"发展\";</code></pre><!-- 区 --><p>a &lt; b 區</p>"
        );
    }

    /// Regression: a URL written in the text (not linked) was converted,
    /// so the address readers saw and copied named no page.
    #[test]
    fn urls_written_in_text_stay_as_they_are() {
        for variant in [Variant::Hant, Variant::Taiwan, Variant::HongKong] {
            assert_eq!(
                text(variant, "下载地址 https://example.com/软件/下载 （官方）。"),
                format!(
                    "{} https://example.com/软件/下载 （官方）。",
                    text(variant, "下载地址")
                )
            );
        }
        assert_eq!(
            html(
                Variant::Taiwan,
                "<p>见 https://x.example/软件?q=发展。写信给 editor@news.example，软件（https://x.example/发展）</p>"
            ),
            "<p>見 https://x.example/软件?q=发展。寫信給 editor@news.example，軟體（https://x.example/发展）</p>"
        );
        // Sentence punctuation after a URL is the sentence's.
        assert_eq!(next_url("见 HTTPS://x.example/a)."), Some((4, 23)));
        assert_eq!(next_url("xhttps://x.example/"), None);
        assert_eq!(next_url("发展"), None);
    }

    /// Regression: `他理<em>发</em>了` converted 发 alone (發): markup split
    /// the phrase 理发 (理髮). Inline markup does not end a run of words;
    /// block markup does.
    #[test]
    fn a_phrase_across_inline_markup_is_one_phrase() {
        for variant in [Variant::Hant, Variant::Taiwan] {
            assert_eq!(
                html(variant, "<p>他理<em>发</em>了。</p>"),
                "<p>他理<em>髮</em>了。</p>"
            );
            assert_eq!(
                html(
                    variant,
                    "<p>头<a href=\"https://x.example/发\">发</a>很长</p>"
                ),
                "<p>頭<a href=\"https://x.example/发\">髮</a>很長</p>"
            );
            // Two paragraphs, two runs: 头 and 发 are no phrase.
            assert_eq!(
                html(variant, "<p>头</p><p>发</p>"),
                format!(
                    "<p>{}</p><p>{}</p>",
                    text(variant, "头"),
                    text(variant, "发")
                )
            );
        }
        // A run whose conversion changes its length (算法 is 演算法 in
        // Taiwan) is converted piece by piece: nothing lost or moved.
        assert_eq!(text(Variant::Taiwan, "排序算法"), "排序演算法");
        assert_eq!(
            html(Variant::Taiwan, "<p>排序<em>算法</em>很重要</p>"),
            "<p>排序<em>演算法</em>很重要</p>"
        );
    }

    #[test]
    fn a_tag_with_a_quoted_angle_bracket_ends_at_its_own() {
        assert_eq!(tag_end("<a title=\"a>b\">x"), 15);
        assert_eq!(tag_end("<a"), 2);
    }
}
