//! An article's link as a template (`site.permalink`): which placeholders
//! it may hold, and how an article's folder, slug and date fill it in.

use crate::i18n::Message;

/// An article's link, relative to the base URL, as a template over
/// `{dir}`, `{slug}`, `{year}`, `{month}` and `{day}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink(String);

impl Permalink {
    const TOKENS: [&'static str; 5] = ["dir", "slug", "year", "month", "day"];

    /// The default template, `{dir}/{slug}/`.
    pub(super) fn default_template() -> Self {
        Permalink("{dir}/{slug}/".to_owned())
    }

    /// Checks `template`'s placeholders; the error says which is wrong.
    pub(super) fn parse(template: &str) -> Result<Self, Message> {
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                return Err(Message::new("permalink-unclosed").arg("template", template));
            };
            let token = &rest[start + 1..start + len];
            if !Self::TOKENS.contains(&token) {
                return Err(Message::new("permalink-placeholder")
                    .arg("token", token)
                    .arg("template", template));
            }
            rest = &rest[start + len + 1..];
        }
        Ok(Permalink(template.to_owned()))
    }

    /// Fills the template in; `dir` is the article's folder inside `content/`
    /// with `/` separators (empty at the top).
    pub fn expand(&self, dir: &str, slug: &str, date: jiff::civil::Date) -> String {
        use std::fmt::Write as _;
        // One pass: this runs once per article read, a million times on a
        // large site. `parse` let through only known placeholders.
        let mut expanded = String::with_capacity(self.0.len() + dir.len() + slug.len());
        let mut rest = self.0.as_str();
        while let Some(start) = rest.find('{') {
            expanded.push_str(&rest[..start]);
            let end = rest[start..]
                .find('}')
                .map_or(rest.len(), |len| start + len + 1);
            // Writing to a String cannot fail.
            let _ = match &rest[start..end] {
                "{dir}" => write!(expanded, "{dir}"),
                "{slug}" => write!(expanded, "{slug}"),
                "{year}" => write!(expanded, "{:04}", date.year()),
                "{month}" => write!(expanded, "{:02}", date.month()),
                "{day}" => write!(expanded, "{:02}", date.day()),
                other => write!(expanded, "{other}"),
            };
            rest = &rest[end..];
        }
        expanded.push_str(rest);
        // An empty `{dir}` must not leave `//` or a leading `/` that would
        // make the link absolute to the host instead of to the base URL.
        let mut out = String::with_capacity(expanded.len());
        for part in expanded.split('/') {
            if !part.is_empty() {
                out.push_str(part);
                out.push('/');
            }
        }
        if !expanded.ends_with('/') {
            out.pop();
        }
        out
    }
}
