//! Markdown to the two things a feed carries: HTML with every link absolute,
//! and plain text to summarise.
//!
//! Feed readers show an item away from its page, so a relative `href` or `src`
//! would point nowhere: every one (Markdown links and images, and attributes in
//! raw HTML alike) is resolved against the article's own link after rendering,
//! in one pass over the finished HTML.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use url::Url;

use crate::text::is_cjk;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// The plain text of the first level-1 heading, for articles whose front
/// matter has no title. Stops parsing at that heading.
pub fn first_heading(markdown: &str) -> Option<String> {
    let mut parser = Parser::new_ext(markdown, options());
    parser.find(|e| {
        matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    })?;
    let mut title = String::new();
    for event in parser {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => title.push_str(&t),
            Event::SoftBreak | Event::HardBreak => title.push(' '),
            _ => {}
        }
    }
    let title = title.trim().to_owned();
    (!title.is_empty()).then_some(title)
}

/// An article's body, rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// The text of the body's paragraphs, at least `text_chars` characters of
    /// it when there is that much.
    pub text: String,
}

/// Renders `markdown` to HTML with links made absolute against `base`.
/// `skip_title` drops the first level-1 heading (it became the title).
pub fn render(markdown: &str, base: &Url, skip_title: bool, text_chars: usize) -> Rendered {
    let mut text = TextCollector::new(text_chars);
    let mut skipping = false;
    let mut skipped = !skip_title;
    let events = Parser::new_ext(markdown, options()).filter(|event| {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if !skipped => {
                skipping = true;
                return false;
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) if skipping => {
                skipping = false;
                skipped = true;
                return false;
            }
            _ if skipping => return false,
            _ => {}
        }
        text.observe(event);
        true
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    Rendered {
        html: absolutize(&html, base),
        text: text.finish(),
    }
}

/// Collects paragraph text, joining pieces with a space only between words
/// of scripts that use spaces.
struct TextCollector {
    text: String,
    chars: usize,
    want: usize,
    in_paragraph: usize,
    excluded: usize,
    pending_space: bool,
}

impl TextCollector {
    fn new(want: usize) -> Self {
        TextCollector {
            text: String::new(),
            chars: 0,
            want,
            in_paragraph: 0,
            excluded: 0,
            pending_space: false,
        }
    }

    fn observe(&mut self, event: &Event<'_>) {
        if self.chars > self.want {
            return;
        }
        match event {
            Event::Start(Tag::Paragraph) => self.in_paragraph += 1,
            Event::End(TagEnd::Paragraph) => {
                self.in_paragraph = self.in_paragraph.saturating_sub(1);
                self.pending_space = true;
            }
            Event::Start(Tag::FootnoteDefinition(_) | Tag::Table(_) | Tag::CodeBlock(_)) => {
                self.excluded += 1;
            }
            Event::End(TagEnd::FootnoteDefinition | TagEnd::Table | TagEnd::CodeBlock) => {
                self.excluded = self.excluded.saturating_sub(1);
            }
            Event::SoftBreak | Event::HardBreak => self.pending_space = true,
            Event::Text(t) | Event::Code(t) if self.in_paragraph > 0 && self.excluded == 0 => {
                self.push(t)
            }
            _ => {}
        }
    }

    fn push(&mut self, piece: &str) {
        if self.pending_space {
            let before = self.text.chars().next_back();
            let after = piece.chars().next();
            let spaced = |c: Option<char>| c.is_some_and(|c| !is_cjk(c) && !c.is_whitespace());
            if spaced(before) && spaced(after) {
                self.text.push(' ');
                self.chars += 1;
            }
            self.pending_space = false;
        }
        self.text.push_str(piece);
        self.chars += piece.chars().count();
    }

    fn finish(self) -> String {
        self.text
    }
}

/// The attributes that hold a URL a reader would follow or fetch.
const URL_ATTRIBUTES: [&str; 4] = ["href", "src", "poster", "cite"];

/// Resolves every relative URL attribute of `html` (and each candidate of
/// `srcset`) against `base`. Absolute URLs are left as they are.
pub fn absolutize(html: &str, base: &Url) -> String {
    use lol_html::{RewriteStrSettings, element, rewrite_str};

    let resolve = |value: &str| -> String {
        base.join(value.trim())
            .map(String::from)
            .unwrap_or_else(|_| value.to_owned())
    };
    let settings = RewriteStrSettings::new().append_element_content_handler(element!("*", |el| {
        for name in URL_ATTRIBUTES {
            if let Some(value) = el.get_attribute(name) {
                el.set_attribute(name, &resolve(&value))?;
            }
        }
        if let Some(srcset) = el.get_attribute("srcset") {
            let resolved: Vec<String> = srcset
                .split(',')
                .map(|candidate| {
                    let candidate = candidate.trim();
                    match candidate.split_once(char::is_whitespace) {
                        Some((url, size)) => format!("{} {}", resolve(url), size.trim()),
                        None => resolve(candidate),
                    }
                })
                .collect();
            el.set_attribute("srcset", &resolved.join(", "))?;
        }
        Ok(())
    }));
    // The rewriter only fails on a handler error, and ours only fail when an
    // attribute name is invalid, which ours never are; keep the HTML as it is
    // rather than lose the article if that ever changes.
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example/2024/06/fire/").unwrap()
    }

    #[test]
    fn heading_fallback_is_plain_text() {
        assert_eq!(
            first_heading("intro\n\n# Big *news* `now`\n"),
            Some("Big news now".into())
        );
        assert_eq!(first_heading("## only h2\n"), None);
    }

    #[test]
    fn markdown_and_raw_html_links_become_absolute() {
        let md = "[a](../other/) ![i](img/pic.png)\n\n<a href=\"/about\">x</a> <img src=\"p 1.jpg\" srcset=\"s.jpg 1x, l.jpg 2x\">\n\n[ext](https://other.example/x)";
        let r = render(md, &base(), false, 100);
        assert!(
            r.html
                .contains("href=\"https://news.example/2024/06/other/\""),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("src=\"https://news.example/2024/06/fire/img/pic.png\"")
        );
        assert!(r.html.contains("href=\"https://news.example/about\""));
        assert!(
            r.html
                .contains("src=\"https://news.example/2024/06/fire/p%201.jpg\"")
        );
        assert!(r.html.contains(
            "srcset=\"https://news.example/2024/06/fire/s.jpg 1x, https://news.example/2024/06/fire/l.jpg 2x\""
        ));
        assert!(r.html.contains("href=\"https://other.example/x\""));
    }

    #[test]
    fn non_ascii_in_links_is_percent_encoded() {
        let r = render("[t](图片/一.png)", &base(), false, 100);
        assert!(
            r.html
                .contains("https://news.example/2024/06/fire/%E5%9B%BE%E7%89%87/%E4%B8%80.png"),
            "{}",
            r.html
        );
    }

    #[test]
    fn title_heading_is_skipped_once() {
        let r = render("# Title\n\nText.\n\n# Second\n", &base(), true, 100);
        assert!(!r.html.contains("Title"));
        assert!(r.html.contains("<h1>Second</h1>"));
        assert_eq!(r.text, "Text.");
    }

    #[test]
    fn text_joins_cjk_without_spaces_and_skips_headings_and_code() {
        let md = "## 小标题\n\n第一段\n继续。\n\n```\ncode\n```\n\nSecond para\nline.";
        let r = render(md, &base(), false, 100);
        assert_eq!(r.text, "第一段继续。Second para line.");
    }
}
