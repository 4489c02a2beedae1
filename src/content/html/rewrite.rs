//! The rewriter: a sink for html5ever's tokenizer that writes each token
//! back with its URL attributes resolved and what XML 1.0 cannot carry
//! removed, tracks foreign content as the tree builder does, and collects
//! the text a summary is cut from.

use std::cell::RefCell;

use html5ever::Attribute;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use url::Url;

use super::elements::{
    breaks_out_of_foreign_content, is_block, is_integration_point, is_skipped, is_url_attribute,
    is_void, raw_kind,
};
use super::srcset::{parse_srcset, resolve};
use crate::text::{is_cjk, is_unfit_for_xml};

/// What the rewriter made of an article's HTML.
pub(super) struct Rewritten {
    /// The HTML, decoded, resolved and clean, not yet through the allow-list.
    pub(super) html: String,
    /// The text a reader sees (see [`super::Processed::text`]).
    pub(super) text: String,
    /// How many characters XML 1.0 cannot carry were removed.
    pub(super) removed: usize,
    /// The first of them.
    pub(super) first_removed: Option<char>,
    /// The first picture's address (an `img` with an http or https `src`).
    pub(super) first_image: Option<String>,
}

/// Rewrites `html` for an article whose link is `base`, collecting at least
/// `text_chars` characters of text when there is that much. `trust` keeps
/// what only trusted HTML publishes (comments).
pub(super) fn rewrite(html: &str, base: &Url, trust: bool, text_chars: usize) -> Rewritten {
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
            first_image: None,
        }),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // The sink never blocks on a script, so one feed reads everything.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.state.into_inner();
    Rewritten {
        html: state.out,
        text: state.text.text,
        removed: state.removed,
        first_removed: state.first_removed,
        first_image: state.first_image,
    }
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
    first_image: Option<String>,
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
                end_tag(state, &name);
                TokenSinkResult::Continue
            }
            TagKind::StartTag => self.start_tag(state, &tag, name),
        }
    }

    /// Writes a start tag, its attributes cleaned and its URLs resolved;
    /// says how the tokenizer reads what follows (raw text after
    /// `<script>`, say).
    fn start_tag(&self, state: &mut State, tag: &Tag, name: String) -> TokenSinkResult<()> {
        if state.in_foreign() && breaks_out_of_foreign_content(tag) {
            while state.in_foreign() {
                state.foreign.pop();
            }
        }
        let foreign = state.in_foreign();
        state.out.push('<');
        state.out.push_str(&name);
        let mut footnote = false;
        for attribute in &tag.attrs {
            footnote |= self.attribute(state, &name, attribute);
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
            // A self-closing flag closes a foreign element (and is ignored
            // on an HTML one).
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

    /// Writes one attribute of element `name` (a URL resolved, one that
    /// cannot be left out); says whether it marks a footnote, which
    /// Markdown makes and which is not the text.
    fn attribute(&self, state: &mut State, name: &str, attribute: &Attribute) -> bool {
        let key = match &attribute.name.prefix {
            Some(prefix) => format!("{prefix}:{}", attribute.name.local),
            None => attribute.name.local.to_string(),
        };
        let value = state.clean(&attribute.value).into_owned();
        let value = if is_url_attribute(name, &key) {
            match resolve(self.base, &value) {
                Some(url) => url,
                None => return false,
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
        state.out.push(' ');
        state.out.push_str(&key);
        state.out.push_str("=\"");
        state.push_escaped(&value, true);
        state.out.push('"');
        if name == "img"
            && key == "src"
            && state.first_image.is_none()
            && (value.starts_with("https://") || value.starts_with("http://"))
        {
            state.first_image = Some(value.clone());
        }
        if name == "img" && key == "alt" && state.skipping.is_none() {
            state.text.word(&value);
        }
        key == "class"
            && (value.contains("footnote-definition") || value.contains("footnote-reference"))
    }
}

/// Writes an end tag, closing what it closes: raw text, foreign content,
/// a skipped element, a block of the summary's text.
fn end_tag(state: &mut State, name: &str) {
    state.out.push_str("</");
    state.out.push_str(name);
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
    if is_block(name) {
        state.text.block();
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
pub(super) fn ends_clause(c: char) -> bool {
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
