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

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use url::Url;

use crate::text::{is_cjk, is_unfit_for_xml};

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

/// Attributes whose value is one URL (HTML Standard, "URL-valued attributes").
fn is_url_attribute(element: &str, attribute: &str) -> bool {
    matches!(
        (element, attribute),
        (
            _,
            "href" | "src" | "cite" | "action" | "formaction" | "longdesc" | "xlink:href"
        ) | ("video", "poster")
            | ("object", "data")
            | (_, "background")
    )
}

/// Elements whose content the tokenizer reads as raw text.
fn raw_kind(element: &str) -> Option<RawKind> {
    match element {
        "script" => Some(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
        "textarea" | "title" => Some(RawKind::Rcdata),
        _ => None,
    }
}

/// Start tags that end foreign content (HTML Standard §13.2.6.5): an HTML
/// element that cannot be SVG or MathML, so the tree builder leaves the
/// `svg` or `math` element for it.
fn breaks_out_of_foreign_content(tag: &Tag) -> bool {
    let name: &str = &tag.name;
    matches!(
        name,
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "strike"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
    ) || (name == "font"
        && tag
            .attrs
            .iter()
            .any(|a| matches!(&*a.name.local, "color" | "face" | "size")))
}

/// SVG and MathML elements whose content is HTML again (HTML integration
/// points and MathML text integration points).
fn is_integration_point(element: &str) -> bool {
    matches!(
        element,
        "foreignObject"
            | "foreignobject"
            | "desc"
            | "title"
            | "mi"
            | "mo"
            | "mn"
            | "ms"
            | "mtext"
            | "annotation-xml"
    )
}

/// Elements with no end tag.
fn is_void(element: &str) -> bool {
    matches!(
        element,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements whose text is no part of a summary: headings (the title and
/// section titles), code blocks, scripts and the like.
fn is_skipped(element: &str) -> bool {
    matches!(
        element,
        "h1" | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "script"
            | "style"
            | "template"
            | "noscript"
            | "textarea"
            | "title"
            | "iframe"
            | "xmp"
            | "noembed"
            | "noframes"
    )
}

/// Elements that end a line of text: their text is a block of its own.
fn is_block(element: &str) -> bool {
    matches!(
        element,
        "p" | "li"
            | "td"
            | "th"
            | "tr"
            | "blockquote"
            | "div"
            | "dd"
            | "dt"
            | "figcaption"
            | "figure"
            | "br"
            | "hr"
            | "ul"
            | "ol"
            | "dl"
            | "table"
            | "caption"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "details"
            | "summary"
            | "address"
            | "main"
            | "nav"
            | "hgroup"
            | "center"
            | "search"
            | "menu"
            | "dir"
            | "fieldset"
            | "legend"
            | "form"
    )
}

/// Processes `html` for an article whose link is `base`. `trust` publishes
/// the HTML without the allow-list. `text_chars` is how much text is wanted.
pub fn process(html: &str, base: &Url, trust: bool, text_chars: usize) -> Processed {
    let sink = Rewriter {
        base,
        trust,
        state: RefCell::new(State {
            out: String::with_capacity(html.len() + html.len() / 8),
            raw: false,
            skipping: None,
            foreign: Vec::new(),
            text: Text::new(text_chars),
            removed: 0,
            first_removed: None,
        }),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // The sink never blocks on a script, so one feed reads everything.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.state.into_inner();
    let html = if trust {
        state.out
    } else {
        sanitise(&state.out)
    };
    Processed {
        html,
        text: state.text.text,
        removed: state.removed,
        first_removed: state.first_removed,
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

/// A resolved `srcset` with only its http(s) candidates, or `None` if none.
fn web_srcset(value: &str) -> Option<String> {
    let kept: Vec<String> = parse_srcset(value)
        .into_iter()
        .filter(|c| Url::parse(&c.url).is_ok_and(|url| matches!(url.scheme(), "http" | "https")))
        .map(|c| c.to_string())
        .collect();
    (!kept.is_empty()).then(|| kept.join(", "))
}

/// One image candidate of a `srcset`: a URL and its descriptors (`400w`, `2x`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The image's URL, as written or resolved.
    pub url: String,
    /// Width (`400w`) or density (`2x`) descriptors, as written.
    pub descriptors: Vec<String>,
}

impl std::fmt::Display for Candidate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.url)?;
        for d in &self.descriptors {
            write!(f, " {d}")?;
        }
        Ok(())
    }
}

/// Parses a `srcset` as the HTML Standard does ("parse a srcset attribute",
/// §4.8.4.3.10): a URL runs to the next whitespace, so commas inside it
/// belong to it; trailing commas end the candidate; descriptors run to a
/// comma outside parentheses.
pub fn parse_srcset(input: &str) -> Vec<Candidate> {
    let chars: Vec<char> = input.chars().collect();
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\u{C}' | '\r');
    let mut candidates = Vec::new();
    let mut i = 0;
    loop {
        while i < chars.len() && (is_space(chars[i]) || chars[i] == ',') {
            i += 1;
        }
        if i >= chars.len() {
            return candidates;
        }
        let start = i;
        while i < chars.len() && !is_space(chars[i]) {
            i += 1;
        }
        let mut url: String = chars[start..i].iter().collect();
        let mut descriptors = Vec::new();
        if url.ends_with(',') {
            url.truncate(url.trim_end_matches(',').len());
        } else {
            // The descriptor tokenizer.
            let mut current = String::new();
            let mut in_parens = false;
            while i < chars.len() && is_space(chars[i]) {
                i += 1;
            }
            while i < chars.len() {
                let c = chars[i];
                if in_parens {
                    current.push(c);
                    in_parens = c != ')';
                } else if is_space(c) {
                    if !current.is_empty() {
                        descriptors.push(std::mem::take(&mut current));
                    }
                } else if c == ',' {
                    i += 1;
                    break;
                } else {
                    current.push(c);
                    in_parens = c == '(';
                }
                i += 1;
            }
            if !current.is_empty() {
                descriptors.push(current);
            }
        }
        if !url.is_empty() {
            candidates.push(Candidate { url, descriptors });
        }
    }
}

/// `value` resolved against `base`, as a browser follows it; `None` when it
/// is no URL at all (`http://[`), which then points nowhere and is dropped.
fn resolve(base: &Url, value: &str) -> Option<String> {
    let value = value.trim_matches(|c: char| c.is_ascii_whitespace());
    base.join(value).ok().map(String::from)
}

/// What the tokenizer's tokens are written into.
struct State {
    out: String,
    /// Inside an element whose text is raw (script, style): written as is.
    raw: bool,
    /// Inside an element whose text is not summary text: its name and depth.
    skipping: Option<(String, usize)>,
    /// Open SVG and MathML elements, each with whether its content is
    /// foreign (false for an HTML integration point such as
    /// `foreignObject`): what the tree builder knows and a tokenizer alone
    /// does not. In foreign content `<style>` and `<script>` hold markup,
    /// not raw text, as in a browser.
    foreign: Vec<(String, bool)>,
    text: Text,
    removed: usize,
    first_removed: Option<char>,
}

impl State {
    fn in_foreign(&self) -> bool {
        self.foreign.last().is_some_and(|&(_, foreign)| foreign)
    }

    /// `text` without what XML 1.0 cannot carry, counting what was removed.
    fn clean<'t>(&mut self, text: &'t str) -> std::borrow::Cow<'t, str> {
        if !text.contains(is_unfit_for_xml) {
            return text.into();
        }
        let mut kept = String::with_capacity(text.len());
        for c in text.chars() {
            if is_unfit_for_xml(c) {
                self.removed += 1;
                self.first_removed.get_or_insert(c);
            } else {
                kept.push(c);
            }
        }
        kept.into()
    }

    fn push_escaped(&mut self, text: &str, attribute: bool) {
        for c in text.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '"' if attribute => self.out.push_str("&quot;"),
                c => self.out.push(c),
            }
        }
    }
}

struct Rewriter<'a> {
    base: &'a Url,
    trust: bool,
    state: RefCell<State>,
}

impl Rewriter<'_> {
    fn tag(&self, state: &mut State, tag: Tag) -> TokenSinkResult<()> {
        let name = tag.name.to_string();
        match tag.kind {
            TagKind::EndTag => {
                state.out.push_str("</");
                state.out.push_str(&name);
                state.out.push('>');
                state.raw = false;
                if let Some(at) = state.foreign.iter().rposition(|(open, _)| *open == name) {
                    state.foreign.truncate(at);
                }
                if let Some((skipped, depth)) = &mut state.skipping {
                    if *skipped == name {
                        *depth -= 1;
                        if *depth == 0 {
                            state.skipping = None;
                        }
                    }
                }
                if is_block(&name) {
                    state.text.block();
                }
                TokenSinkResult::Continue
            }
            TagKind::StartTag => {
                if state.in_foreign() && breaks_out_of_foreign_content(&tag) {
                    while state.in_foreign() {
                        state.foreign.pop();
                    }
                }
                let foreign = state.in_foreign();
                state.out.push('<');
                state.out.push_str(&name);
                let mut footnote = false;
                for attribute in &tag.attrs {
                    let key = match &attribute.name.prefix {
                        Some(prefix) => format!("{prefix}:{}", attribute.name.local),
                        None => attribute.name.local.to_string(),
                    };
                    let value = state.clean(&attribute.value).into_owned();
                    let value = if is_url_attribute(&name, &key) {
                        match resolve(self.base, &value) {
                            Some(url) => url,
                            None => continue,
                        }
                    } else if key == "srcset" {
                        let candidates: Vec<String> = parse_srcset(&value)
                            .into_iter()
                            .filter_map(|mut c| {
                                c.url = resolve(self.base, &c.url)?;
                                Some(c.to_string())
                            })
                            .collect();
                        candidates.join(", ")
                    } else {
                        value
                    };
                    // Markdown's footnotes and the marks that point at them
                    // are not the text.
                    footnote |= key == "class"
                        && (value.contains("footnote-definition")
                            || value.contains("footnote-reference"));
                    state.out.push(' ');
                    state.out.push_str(&key);
                    state.out.push_str("=\"");
                    state.push_escaped(&value, true);
                    state.out.push('"');
                    if name == "img" && key == "alt" && state.skipping.is_none() {
                        state.text.word(&value);
                    }
                }
                if tag.self_closing && !is_void(&name) {
                    state.out.push_str(" /");
                }
                state.out.push('>');
                match &mut state.skipping {
                    Some((skipped, depth)) if *skipped == name => *depth += 1,
                    Some(_) => {}
                    None if is_skipped(&name) || footnote => {
                        state.skipping = Some((name.clone(), 1));
                    }
                    None => {}
                }
                if is_block(&name) {
                    state.text.block();
                }
                if name == "svg" || name == "math" || foreign {
                    // A self-closing flag closes a foreign element (and is
                    // ignored on an HTML one).
                    if !tag.self_closing {
                        let content_foreign = !is_integration_point(&name);
                        state.foreign.push((name, content_foreign));
                    }
                    return TokenSinkResult::Continue;
                }
                match (name.as_str(), raw_kind(&name)) {
                    ("plaintext", _) => {
                        state.raw = true;
                        TokenSinkResult::Plaintext
                    }
                    (_, Some(kind)) => {
                        state.raw = matches!(kind, RawKind::ScriptData | RawKind::Rawtext);
                        TokenSinkResult::RawData(kind)
                    }
                    _ => TokenSinkResult::Continue,
                }
            }
        }
    }
}

impl TokenSink for Rewriter<'_> {
    type Handle = ();

    /// In foreign content `<![CDATA[…]]>` is text, as the tree builder reads it.
    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.state
            .try_borrow()
            .is_ok_and(|state| state.in_foreign())
    }

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        let state = &mut *state;
        match token {
            Token::TagToken(tag) => return self.tag(state, tag),
            Token::CharacterTokens(text) => {
                let text = state.clean(&text).into_owned();
                if state.raw {
                    state.out.push_str(&text);
                } else {
                    state.push_escaped(&text, false);
                }
                if state.skipping.is_none() {
                    state.text.push(&text);
                }
            }
            Token::CommentToken(comment) if self.trust => {
                let comment = state.clean(&comment).into_owned();
                state.out.push_str("<!--");
                state.out.push_str(&comment);
                state.out.push_str("-->");
            }
            Token::NullCharacterToken => {
                state.removed += 1;
                state.first_removed.get_or_insert('\0');
            }
            Token::CommentToken(_)
            | Token::DoctypeToken(_)
            | Token::EOFToken
            | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

/// What goes between two pieces of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    None,
    /// A line break inside a paragraph: a space between words of scripts
    /// that use spaces, nothing between CJK characters (a line broken in
    /// Chinese text is one line again).
    Break,
    /// White space the editor typed: one space.
    Space,
    /// The end of a block: a space unless the text already ends a clause.
    Block,
}

/// The text a reader sees, as one line: white space collapsed, blocks
/// separated.
struct Text {
    text: String,
    chars: usize,
    /// Stop collecting past this many characters: a summary needs a few
    /// hundred grapheme clusters, and a cluster is seldom more than a few
    /// characters.
    cap: usize,
    gap: Gap,
}

impl Text {
    fn new(want: usize) -> Text {
        Text {
            text: String::new(),
            chars: 0,
            cap: want.saturating_mul(16).saturating_add(64),
            gap: Gap::None,
        }
    }

    fn block(&mut self) {
        self.gap = Gap::Block;
    }

    /// A word of its own, such as an image's alt text.
    fn word(&mut self, word: &str) {
        self.gap = self.gap.max(Gap::Space);
        self.push(word);
        self.gap = self.gap.max(Gap::Space);
    }

    fn push(&mut self, piece: &str) {
        for c in piece.chars() {
            if self.chars > self.cap {
                return;
            }
            if c.is_whitespace() {
                let gap = if matches!(c, '\n' | '\r') {
                    Gap::Break
                } else {
                    Gap::Space
                };
                self.gap = self.gap.max(gap);
                continue;
            }
            if self.gap != Gap::None && !self.text.is_empty() {
                let before = self.text.chars().next_back().unwrap_or(' ');
                let separate = match self.gap {
                    Gap::Block => !ends_clause(before),
                    Gap::Break => !(is_cjk(before) && is_cjk(c)),
                    Gap::Space | Gap::None => true,
                };
                if separate {
                    self.text.push(' ');
                    self.chars += 1;
                }
            }
            self.gap = Gap::None;
            self.text.push(c);
            self.chars += 1;
        }
    }
}

/// Full-width punctuation that ends a clause: no space is needed after it.
fn ends_clause(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '；' | '：' | '，' | '、' | '”' | '’' | '」' | '』' | '）' | '》'
    )
}

/// The 1-based line of the first numeric character reference in `text`
/// (`&#27;`, `&#x1B;`) to `wanted`, for locating a warning about it.
pub fn first_reference_to(text: &str, wanted: char) -> Option<usize> {
    let mut rest = text;
    let mut offset = 0;
    while let Some(at) = rest.find("&#") {
        let after = &rest[at + 2..];
        let (digits, radix) = match after.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (after, 10),
        };
        let end = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        let found = u32::from_str_radix(&digits[..end], radix)
            .ok()
            .and_then(char::from_u32);
        if found == Some(wanted) {
            return Some(crate::diagnostic::line_of_offset(text, offset + at));
        }
        offset += at + 2;
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example/contact/").unwrap()
    }

    fn html(input: &str) -> String {
        process(input, &base(), false, 200).html
    }

    #[test]
    fn references_in_attributes_are_decoded_before_resolving() {
        assert_eq!(
            html("<a href=\"&#109;&#97;&#105;&#108;&#116;&#111;&#58;desk@news.example\">desk</a>"),
            "<a href=\"mailto:desk@news.example\">desk</a>"
        );
        assert_eq!(
            html("<a href=\"&#x68;ttps://other.example/page\">x</a>"),
            "<a href=\"https://other.example/page\">x</a>"
        );
        assert_eq!(
            html("<a href=\"../about?a=1&amp;b=2\">x</a>"),
            "<a href=\"https://news.example/about?a=1&amp;b=2\">x</a>"
        );
    }

    #[test]
    fn srcset_keeps_commas_inside_urls() {
        let out = html(
            "<img src=\"img/a.jpg\" srcset=\"https://cdn.example/image/upload/w_400,h_300,c_fill/a.jpg 400w, https://cdn.example/image/upload/w_800,h_600,c_fill/a.jpg 800w, small.jpg 1x\">",
        );
        assert_eq!(
            out,
            "<img src=\"https://news.example/contact/img/a.jpg\" srcset=\"https://cdn.example/image/upload/w_400,h_300,c_fill/a.jpg 400w, https://cdn.example/image/upload/w_800,h_600,c_fill/a.jpg 800w, https://news.example/contact/small.jpg 1x\">"
        );
    }

    #[test]
    fn a_url_attribute_that_is_no_url_is_dropped() {
        assert_eq!(
            html("<a href=\"http://[x\" title=\"t\">a</a>"),
            "<a title=\"t\">a</a>"
        );
    }

    #[test]
    fn srcset_parsing_follows_the_standard() {
        let c = parse_srcset(" a.jpg,b.jpg 2x ,, c,d.jpg 100w 50h, e.jpg (x, y) 3x");
        let shown: Vec<String> = c.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            ["a.jpg,b.jpg 2x", "c,d.jpg 100w 50h", "e.jpg (x, y) 3x"]
        );
    }

    #[test]
    fn characters_xml_cannot_carry_are_removed_from_text_and_attributes() {
        let p = process(
            "<p title=\"a&#7;b\">ESC&#27;[31m red&#x1F; and &#xFFFE; here</p>",
            &base(),
            false,
            200,
        );
        assert_eq!(p.html, "<p title=\"ab\">ESC[31m red and  here</p>");
        assert_eq!((p.removed, p.first_removed), (4, Some('\u{7}')));
        assert_eq!(p.text, "ESC[31m red and here");
    }

    #[test]
    fn a_scheme_hidden_by_a_removed_character_is_still_refused() {
        assert_eq!(
            html("<a href=\"java&#7;script:alert(1)\">x</a>"),
            "<a>x</a>"
        );
    }

    /// Regression: `<style>` inside `<svg>` was taken for raw text, so a
    /// link after `<b>` (which ends foreign content) was neither decoded
    /// nor resolved, and `java&#7;script:` became `javascript:` when the
    /// character was removed at the end.
    #[test]
    fn foreign_content_is_read_as_the_tree_builder_reads_it() {
        let out = html(
            "<svg><style><b></b><a href=\"java&#7;script:alert(1)\">x</a><img src=\"rel.png\"></style></svg>",
        );
        assert!(!out.contains("javascript"), "{out}");
        assert!(!out.contains("\"rel.png\""), "{out}");
        // Trusted HTML has no sanitiser behind it: the rewriter alone must
        // read the link after `<b>` as HTML, and resolve it.
        let trusted = process(
            "<svg><style><b></b><a href=\"x&#7;\">y</a></style></svg>",
            &base(),
            true,
            200,
        );
        assert!(
            trusted
                .html
                .contains("<a href=\"https://news.example/contact/x\">y</a>"),
            "{}",
            trusted.html
        );
        // Inside an integration point, `<style>` is raw text again.
        let trusted = process(
            "<math><mi><style>a<b</style></mi></math>",
            &base(),
            true,
            200,
        );
        assert_eq!(trusted.html, "<math><mi><style>a<b</style></mi></math>");
    }

    #[test]
    fn every_url_attribute_needs_an_allowed_scheme() {
        assert_eq!(
            html("<blockquote cite=\"javascript:alert(1)\">q</blockquote><q cite=\"src\">r</q>"),
            "<blockquote>q</blockquote><q cite=\"https://news.example/contact/src\">r</q>"
        );
        assert_eq!(
            html("<img srcset=\"data:image/png;base64,xx 1x, a.png 2x\">"),
            "<img srcset=\"https://news.example/contact/a.png 2x\">"
        );
    }

    #[test]
    fn a_self_closing_flag_on_a_raw_text_element_is_ignored_as_browsers_do() {
        let p = process("<script/>if (a<b) x()</script>text", &base(), true, 200);
        assert_eq!(p.html, "<script />if (a<b) x()</script>text");
        assert_eq!(p.text, "text");
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        assert_eq!(
            html(
                "<p onclick=\"x()\">a<script>alert(1)</script><img src=\"x.png\" onerror=\"y()\"><a href=\"javascript:z()\">b</a></p>"
            ),
            "<p>a<img src=\"https://news.example/contact/x.png\"><a>b</a></p>"
        );
    }

    #[test]
    fn trusted_html_is_kept_as_written_but_resolved_and_clean() {
        let p = process(
            "<p onclick=\"x()\">a<script>if (1 < 2) alert(1)</script><!-- note --><a href=\"b\">b</a></p>",
            &base(),
            true,
            200,
        );
        assert_eq!(
            p.html,
            "<p onclick=\"x()\">a<script>if (1 < 2) alert(1)</script><!-- note --><a href=\"https://news.example/contact/b\">b</a></p>"
        );
        assert_eq!(p.text, "ab");
    }

    #[test]
    fn text_separates_blocks_and_alt_text() {
        let p = process(
            "<ul><li>Release one</li><li>Release two</li></ul><p><img src=\"a.png\" alt=\"chart\">Sales rose<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p><h2>Heading</h2><table><tr><td>甲</td><td>乙。</td></tr></table><pre>code</pre>",
            &base(),
            false,
            200,
        );
        assert_eq!(p.text, "Release one Release two chart Sales rose 甲 乙。");
    }

    /// Regression (found in testing): text inside `nav` and other blocks
    /// was glued to its neighbours in the summary.
    #[test]
    fn every_block_separates_its_text() {
        let p = process(
            "<span>alpha</span><nav>beta</nav>gamma<main>delta</main><form>epsilon</form>",
            &base(),
            false,
            200,
        );
        assert_eq!(p.text, "alpha beta gamma delta epsilon");
        assert!(p.html.contains("<main>delta</main>"), "{}", p.html);
    }

    #[test]
    fn references_are_located() {
        assert_eq!(first_reference_to("a\nb&#7;", '\u{7}'), Some(2));
        assert_eq!(first_reference_to("&#7;\n&#x1f;", '\u{1F}'), Some(2));
        assert_eq!(first_reference_to("&#65; &#10;", '\u{7}'), None);
    }
}
