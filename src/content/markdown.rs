//! Markdown to HTML (CommonMark with tables, footnotes, strikethrough and
//! task lists), and the first heading as a title. What the HTML then needs
//! before a feed carries it (links resolved, sanitised, its text for the
//! summary) is [`super::html`]'s job, for Markdown and raw HTML alike.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// The plain text of the first level-1 heading and its byte offset in
/// `markdown`, for articles whose front matter has no title. Stops parsing
/// at that heading.
pub fn first_heading(markdown: &str) -> Option<(String, usize)> {
    let mut parser = Parser::new_ext(markdown, options()).into_offset_iter();
    let (_, at) = parser.find(|(e, _)| {
        matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    })?;
    let mut title = String::new();
    for (event, _) in parser {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => title.push_str(&t),
            Event::SoftBreak | Event::HardBreak => title.push(' '),
            _ => {}
        }
    }
    let title = title.trim().to_owned();
    (!title.is_empty()).then_some((title, at.start))
}

/// Renders `markdown` to HTML. `skip_title` drops the first level-1 heading
/// (it became the title). Links are left as written: [`super::html`] reads
/// the HTML as a browser would and resolves them.
pub fn render(markdown: &str, skip_title: bool) -> String {
    let mut skipping = false;
    let mut skipped = !skip_title;
    let events = Parser::new_ext(markdown, options()).filter(|event| match event {
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }) if !skipped => {
            skipping = true;
            false
        }
        Event::End(TagEnd::Heading(HeadingLevel::H1)) if skipping => {
            skipping = false;
            skipped = true;
            false
        }
        _ => !skipping,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_fallback_is_plain_text() {
        assert_eq!(
            first_heading("intro\n\n# Big *news* `now`\n"),
            Some(("Big news now".into(), 7))
        );
        assert_eq!(first_heading("## only h2\n"), None);
    }

    #[test]
    fn title_heading_is_skipped_once() {
        let html = render("# Title\n\nText.\n\n# Second\n", true);
        assert_eq!(html, "<p>Text.</p>\n<h1>Second</h1>\n");
    }
}
