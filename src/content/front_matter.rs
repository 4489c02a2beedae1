//! Splitting an article into front matter and body, and reading the front
//! matter: YAML between `---` lines or TOML between `+++` lines.
//!
//! Both syntaxes are first read into the same small tree of [`Node`]s, and
//! one conversion turns that tree into a [`RawFrontMatter`], so a key means
//! the same in both and every message is worded once. Keys the product does
//! not know are kept by name and reported as warnings (a typo like `titel:`
//! should not go unnoticed, but a key another tool uses should not keep an
//! article from being published).
//!
//! YAML is read with `yaml-rust2`'s event parser rather than through a serde
//! YAML deserialiser. Every scan parses the front matter of every article, and
//! for a typical front matter (title, date, authors, category, tags) the event
//! parser took about 4 µs where serde-saphyr took about 11 µs: on a large site
//! that was the largest single cost of a build. Reading events ourselves also
//! lets us refuse aliases outright, which is how YAML bombs work, and treat
//! every scalar as text (`title: 1984` is a title, not a number).

/// The syntax of an article's front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Between `---` lines.
    Yaml,
    /// Between `+++` lines.
    Toml,
}

/// An article's text cut in two.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// `None` when the file has no front matter at all.
    pub front_matter: Option<(Syntax, &'a str)>,
    /// The 1-based line of the file on which the front matter text starts.
    pub front_matter_line: usize,
    pub body: &'a str,
    /// The 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Cuts `text` (BOM removed, line ends normalised to `\n`) at its front-matter
/// fences. An opening fence without a closing one is an error naming the line.
pub fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    let first_line = text.split('\n').next().unwrap_or_default().trim_end();
    let (syntax, closers): (Syntax, &[&str]) = match first_line {
        "---" => (Syntax::Yaml, &["---", "..."]),
        "+++" => (Syntax::Toml, &["+++"]),
        _ => {
            return Ok(Split {
                front_matter: None,
                front_matter_line: 1,
                body: text,
                body_line: 1,
            });
        }
    };
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = start;
    for (line, raw_line) in (2..).zip(text[start..].split_inclusive('\n')) {
        if closers.contains(&raw_line.trim_end()) {
            return Ok(Split {
                front_matter: Some((syntax, &text[start..offset])),
                front_matter_line: 2,
                body: &text[offset + raw_line.len()..],
                body_line: line + 1,
            });
        }
        offset += raw_line.len();
    }
    Err((
        1,
        format!(
            "the front matter opened with `{first_line}` is never closed (end it with a `{}` line)",
            closers[0]
        ),
    ))
}

use jiff::Timestamp;
use jiff::civil;
use jiff::tz::TimeZone;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

/// A value of the front matter, as either syntax wrote it. Scalars stay text;
/// each node knows its line (1-based, in the front matter) where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Text, and whether YAML wrote it plain (unquoted): only a plain `~`,
    /// `null` or nothing at all is a null.
    Scalar(String, bool, Option<usize>),
    List(Vec<Node>, Option<usize>),
    Table(Vec<(String, Node)>, Option<usize>),
}

impl Node {
    fn line(&self) -> Option<usize> {
        match self {
            Node::Scalar(_, _, line) | Node::List(_, line) | Node::Table(_, line) => *line,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, Node::Scalar(text, true, _) if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }
}

/// A problem in the front matter: the line inside it (if known) and a message.
pub type FrontMatterError = (Option<usize>, String);

/// A person as written: a bare name, or a table with `name`, `email`, `uri`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawPerson {
    pub name: String,
    pub email: Option<String>,
    pub uri: Option<String>,
}

/// The front matter as written, before any fallback or validation.
#[derive(Debug, Default)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    pub date: Option<RawDate>,
    pub updated: Option<RawDate>,
    pub author: Option<RawPerson>,
    pub authors: Option<Vec<RawPerson>>,
    pub category: Option<String>,
    pub tags: Option<Vec<String>>,
    pub summary: Option<String>,
    pub draft: Option<bool>,
    pub slug: Option<String>,
    pub id: Option<String>,
    pub link: Option<String>,
    pub image: Option<String>,
    pub lang: Option<String>,
    /// Keys we do not know, in order, reported as warnings.
    pub unknown: Vec<String>,
}

/// Every front matter key the product reads.
pub const KEYS: [&str; 14] = [
    "title", "date", "updated", "author", "authors", "category", "tags", "summary", "draft",
    "slug", "id", "link", "image", "lang",
];

/// The known key `key` was most likely meant to be, if it is close to one
/// (a typo such as `titel` or `tgas`).
pub fn suggest(key: &str) -> Option<&'static str> {
    let key = key.to_lowercase();
    KEYS.iter()
        .map(|&known| (strsim::damerau_levenshtein(&key, known), known))
        .filter(|&(distance, known)| distance <= (known.len() / 3).max(1))
        .min()
        .map(|(_, known)| known)
}

/// Reads front matter of the given syntax.
pub fn parse(syntax: Syntax, text: &str) -> Result<RawFrontMatter, FrontMatterError> {
    if text.trim().is_empty() {
        return Ok(RawFrontMatter::default());
    }
    let root = match syntax {
        Syntax::Yaml => yaml_tree(text)
            .map_err(|(line, message)| (line, format!("YAML front matter: {message}")))?,
        Syntax::Toml => toml_tree(text)?,
    };
    convert(root, text)
}

/// Front matter is a handful of fields: anything near this many values is
/// an accident.
const MAX_NODES: usize = 10_000;
const MAX_DEPTH: usize = 32;

/// Reads YAML into a tree. Aliases are refused: front matter has no use for
/// them, and expanding them is how a few lines of YAML become gigabytes.
fn yaml_tree(text: &str) -> Result<Node, FrontMatterError> {
    let mut parser = Parser::new_from_str(text);
    // Open lists and tables, each with the key it will be stored under.
    let mut stack: Vec<(Option<String>, Node)> = Vec::new();
    let mut pending_key: Option<String> = None;
    let mut root = None;
    let mut nodes = 0usize;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let line = e.marker().line();
            yaml_hint(text, line).unwrap_or_else(|| (Some(line), e.info().to_owned()))
        })?;
        let line = Some(mark.line());
        let node = match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => {
                continue;
            }
            Event::Alias(_) => {
                return Err((
                    line,
                    "aliases (`*name`) are not supported; write the value out".to_owned(),
                ));
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err((line, format!("nested more than {MAX_DEPTH} levels deep")));
                }
                let open = if matches!(event, Event::SequenceStart(..)) {
                    Node::List(Vec::new(), line)
                } else {
                    Node::Table(Vec::new(), line)
                };
                stack.push((pending_key.take(), open));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some((key, node)) = stack.pop() else {
                    continue;
                };
                pending_key = key;
                node
            }
            Event::Scalar(value, style, _, _) => {
                // A scalar in key position of a table is the next key.
                if let Some((_, Node::Table(..))) = stack.last() {
                    if pending_key.is_none() {
                        pending_key = Some(value);
                        continue;
                    }
                }
                Node::Scalar(value, style == TScalarStyle::Plain, line)
            }
        };
        nodes += 1;
        if nodes > MAX_NODES {
            return Err((line, format!("too large: more than {MAX_NODES} values")));
        }
        match stack.last_mut() {
            Some((_, Node::List(items, _))) => items.push(node),
            Some((_, Node::Table(entries, _))) => {
                let key = pending_key.take().unwrap_or_default();
                entries.push((key, node));
            }
            Some((_, Node::Scalar(..))) | None => {
                if root.is_some() {
                    return Err((
                        line,
                        "more than one document; front matter is one table of keys".to_owned(),
                    ));
                }
                root = Some(node);
            }
        }
    }
    Ok(root.unwrap_or(Node::Table(Vec::new(), Some(1))))
}

/// What most likely went wrong when the YAML parser failed at `error_line`,
/// in an editor's words, located on the line of the mistake rather than
/// where the parser noticed it: a list or table opened with `[` or `{` and
/// still open where the parser failed, or an unquoted value containing `: `
/// (which YAML reads as a second key). Lines inside a block scalar (`|`,
/// `>`) or a flow collection closed before the failure are not suspects.
/// `None` when no line before the failure looks like either.
fn yaml_hint(text: &str, error_line: usize) -> Option<(Option<usize>, String)> {
    let lines: Vec<&str> = text.lines().take(error_line).collect();
    // A tab is found while the parser reads the line before it, so the
    // line after the failure is a suspect too.
    if let Some(n) = text.lines().take(error_line + 1).position(|line| {
        let lead = &line[..line.len() - line.trim_start().len()];
        lead.contains('\t')
    }) {
        return Some((
            Some(n + 1),
            "this line is indented with a tab; YAML indents with spaces only".to_owned(),
        ));
    }
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut n = 0;
    while n < lines.len() {
        let line = lines[n];
        let content = line.trim_start();
        let content = content.strip_prefix("- ").unwrap_or(content);
        let Some((key, value)) = content
            .split_once(": ")
            .or_else(|| content.strip_suffix(':').map(|k| (k, "")))
        else {
            n += 1;
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() || key.starts_with(['#', '"', '\'', '[', '{']) {
            n += 1;
            continue;
        }
        if value.starts_with(['|', '>']) {
            // A block scalar: its more-indented lines are text.
            let own = indent(line);
            n += 1;
            while n < lines.len() && (lines[n].trim().is_empty() || indent(lines[n]) > own) {
                n += 1;
            }
            continue;
        }
        if let Some(open) = value.chars().next().filter(|c| matches!(c, '[' | '{')) {
            // Still open at the failure: this is the culprit. Closed on a
            // later line: a flow over several lines, not a mistake.
            let mut depth = flow_depth(value, 0);
            let mut end = n + 1;
            while depth > 0 && end < lines.len() {
                depth = flow_depth(lines[end], depth);
                end += 1;
            }
            if depth > 0 {
                let (what, close, example) = if open == '[' {
                    ("list", ']', format!("`{key}: [a, b]`"))
                } else {
                    ("table", '}', format!("`{key}: {{name: a}}`"))
                };
                return Some((
                    Some(n + 1),
                    format!(
                        "`{key}`: the {what} opened with `{open}` is never closed; end it with `{close}`, as in {example}"
                    ),
                ));
            }
            n = end;
            continue;
        }
        if let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) {
            // Still open at the failure: the quote is never closed. Closed
            // on a later line: a value over several lines.
            let mut open = quote_open(&value[1..], quote);
            let mut end = n + 1;
            while open && end < lines.len() {
                open = quote_open(lines[end], quote);
                end += 1;
            }
            if open {
                return Some((
                    Some(n + 1),
                    format!(
                        "`{key}`: the value opened with `{quote}` is never closed; end it with `{quote}`"
                    ),
                ));
            }
            n = end;
            continue;
        }
        if !value.starts_with(['&', '*', '!']) && value.contains(": ") {
            return Some((
                Some(n + 1),
                format!(
                    "`{key}`: a value containing ': ' must be quoted, as in `{key}: \"{}\"`",
                    value.replace('"', "\\\"")
                ),
            ));
        }
        n += 1;
    }
    None
}

/// Whether `text` leaves a YAML scalar quoted with `quote` open: an odd
/// number of closing quotes (`\"` in double quotes and `''` in single
/// quotes are not ones).
fn quote_open(text: &str, quote: char) -> bool {
    let mut open = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            c if c == quote => {
                if quote == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    open = !open;
                }
            }
            _ => {}
        }
    }
    open
}

/// How many `[` and `{` of a YAML flow collection are open after `text`,
/// `depth` being open before it (quoted text and comments skipped).
fn flow_depth(text: &str, mut depth: usize) -> usize {
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            (None, '#') => break,
            _ => {}
        }
    }
    depth
}

/// Reads TOML into a tree. TOML values carry no lines here; messages about
/// them use the line of their top-level key.
fn toml_tree(text: &str) -> Result<Node, FrontMatterError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| crate::diagnostic::line_of_offset(text, s.start));
        (
            line,
            format!("TOML front matter: {}", one_line(e.message())),
        )
    })?;
    fn node(value: toml::Value) -> Node {
        match value {
            toml::Value::String(s) => Node::Scalar(s, false, None),
            toml::Value::Array(items) => Node::List(items.into_iter().map(node).collect(), None),
            toml::Value::Table(table) => {
                Node::Table(table.into_iter().map(|(k, v)| (k, node(v))).collect(), None)
            }
            other => Node::Scalar(other.to_string(), true, None),
        }
    }
    Ok(node(toml::Value::Table(table)))
}

/// The tree, read as front matter.
fn convert(root: Node, text: &str) -> Result<RawFrontMatter, FrontMatterError> {
    let Node::Table(entries, _) = root else {
        return Err((
            root.line(),
            "front matter must be keys and values, such as `title: …` on its own line".to_owned(),
        ));
    };
    let mut fm = RawFrontMatter::default();
    // YAML requires keys to be unique; a parser that keeps the last one
    // would publish whichever the editor did not mean.
    let mut seen: Vec<(&str, Option<usize>)> = Vec::with_capacity(entries.len());
    for (key, value) in &entries {
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            let also = first
                .map(|l| format!(" (also on line {l})"))
                .unwrap_or_default();
            return Err((
                value.line(),
                format!("`{key}` is set twice{also}; keep one"),
            ));
        }
        seen.push((key, value.line()));
    }
    for (key, value) in entries {
        if value.is_null() {
            continue;
        }
        let line = value.line().or_else(|| key_line(text, &key));
        let wrong = |what: &str| (line, format!("`{key}` must be {what}"));
        let text_of = |node: Node| match node {
            Node::Scalar(text, _, _) => Ok(text),
            _ => Err(wrong("text")),
        };
        match key.as_str() {
            "title" => fm.title = Some(text_of(value)?),
            "date" => fm.date = Some(RawDate(text_of(value)?.trim().to_owned())),
            "updated" => fm.updated = Some(RawDate(text_of(value)?.trim().to_owned())),
            "author" => fm.author = Some(person(value).map_err(|()| wrong(PERSON))?),
            "authors" => {
                let people = one_or_many(value)
                    .into_iter()
                    .map(person)
                    .collect::<Result<_, _>>();
                fm.authors = Some(people.map_err(|()| wrong(PERSON))?);
            }
            "category" => fm.category = Some(text_of(value)?),
            "tags" => {
                let tags = one_or_many(value)
                    .into_iter()
                    .map(text_of)
                    .collect::<Result<_, _>>();
                fm.tags = Some(tags.map_err(|_| wrong("a list of names, such as [经济, 民生]"))?);
            }
            "summary" => fm.summary = Some(text_of(value)?),
            "draft" => {
                fm.draft = Some(match &value {
                    Node::Scalar(text, _, _)
                        if matches!(text.as_str(), "true" | "True" | "TRUE") =>
                    {
                        true
                    }
                    Node::Scalar(text, _, _)
                        if matches!(text.as_str(), "false" | "False" | "FALSE") =>
                    {
                        false
                    }
                    _ => return Err(wrong("true or false")),
                });
            }
            "slug" => fm.slug = Some(text_of(value)?),
            "id" => fm.id = Some(text_of(value)?),
            "link" => fm.link = Some(text_of(value)?),
            "image" => fm.image = Some(text_of(value)?),
            "lang" => fm.lang = Some(text_of(value)?),
            _ => fm.unknown.push(key),
        }
    }
    Ok(fm)
}

const PERSON: &str = "a name, or a table with `name` and optionally `email` and `uri`";

fn one_or_many(node: Node) -> Vec<Node> {
    match node {
        Node::List(items, _) => items,
        one => vec![one],
    }
}

fn person(node: Node) -> Result<RawPerson, ()> {
    match node {
        Node::Scalar(name, _, _) => Ok(RawPerson {
            name,
            ..RawPerson::default()
        }),
        Node::Table(entries, _) => {
            let mut person = RawPerson::default();
            for (key, value) in entries {
                let Node::Scalar(text, _, _) = value else {
                    return Err(());
                };
                match key.as_str() {
                    "name" => person.name = text,
                    "email" => person.email = Some(text),
                    "uri" => person.uri = Some(text),
                    _ => return Err(()),
                }
            }
            Ok(person)
        }
        Node::List(..) => Err(()),
    }
}

/// Parser messages can span lines; a diagnostic is one line.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where the front matter at the start of `bytes` ends (the offset just past
/// its closing fence), found without decoding: the scan validates only what
/// it reads. `None` when there is no front matter or it is not closed in `bytes`.
pub fn front_matter_end(bytes: &[u8]) -> Option<usize> {
    let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut offset = start;
    let mut closers: Option<&[&[u8]]> = None;
    for line in bytes[start..].split_inclusive(|&b| b == b'\n') {
        // A last line without its newline may be cut short: not an answer.
        if !line.ends_with(b"\n") {
            return None;
        }
        offset += line.len();
        let content = line.trim_ascii_end();
        match closers {
            None => {
                closers = Some(match content {
                    b"---" => &[b"---", b"..."],
                    b"+++" => &[b"+++"],
                    _ => return None,
                });
            }
            Some(closers) if closers.contains(&content) => return Some(offset),
            Some(_) => {}
        }
    }
    None
}

/// The 1-based line inside `text` on which the top-level `key` is set, for
/// messages about values that parsed but do not make sense.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with([':', '=']))
        })
        .map(|i| i + 1)
}

/// A date as written, before it is resolved in a time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDate(pub String);

/// A date resolved: the moment it names, and the calendar day as written
/// (which a `tag:` id keeps, whatever the site's time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    pub at: Timestamp,
    pub day: civil::Date,
}

impl RawDate {
    /// Resolves the date: an offset in the text wins; otherwise the date (at
    /// midnight) or local date-time is read in the site's time zone.
    /// Accepted: `2024-06-28`, `2024-06-28T09:00[:00]`, either with `Z` or an
    /// offset (RFC 3339), a space instead of `T`, and Jekyll's
    /// `2024-06-28 09:00:00 +0800`.
    pub fn resolve(&self, tz: &TimeZone) -> Result<Resolved, String> {
        let text = jekyll_offset(self.0.as_str());
        let not_a_date = || {
            format!(
                "\"{}\" is not a date (use 2024-06-28 or 2024-06-28T09:00:00+08:00)",
                self.0
            )
        };
        let day = jiff::fmt::temporal::Pieces::parse(text.as_str())
            .map(|pieces| pieces.date())
            .map_err(|_| not_a_date())?;
        if let Ok(at) = text.parse::<Timestamp>() {
            return Ok(Resolved { at, day });
        }
        let civil = text
            .parse::<civil::DateTime>()
            .ok()
            .filter(|_| !text.ends_with(['Z', 'z']))
            .or_else(|| {
                text.parse::<civil::Date>()
                    .ok()
                    .map(|d| d.to_datetime(civil::Time::midnight()))
            });
        civil
            .and_then(|dt| tz.to_zoned_datetime(dt).ok())
            .map(|zdt| Resolved {
                at: zdt.timestamp(),
                day,
            })
            .ok_or_else(not_a_date)
    }
}

/// Jekyll writes the offset after a space and without a colon
/// (`2024-06-28 09:00:00 +0800`); RFC 3339 wants `2024-06-28 09:00:00+08:00`.
fn jekyll_offset(text: &str) -> String {
    let Some((datetime, offset)) = text.rsplit_once(' ') else {
        return text.to_owned();
    };
    let bytes = offset.as_bytes();
    let numeric = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    match bytes.len() {
        5 if matches!(bytes[0], b'+' | b'-') && numeric(1..5) => {
            format!("{}{}:{}", datetime.trim_end(), &offset[..3], &offset[3..])
        }
        6 if matches!(bytes[0], b'+' | b'-')
            && bytes[3] == b':'
            && numeric(1..3)
            && numeric(4..6) =>
        {
            format!("{}{offset}", datetime.trim_end())
        }
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_yaml_and_toml() {
        let s = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(s.front_matter, Some((Syntax::Yaml, "title: a\n")));
        assert_eq!((s.body, s.body_line), ("body\n", 4));
        let s = split("+++\ntitle = 'a'\n+++\n").unwrap();
        assert_eq!(s.front_matter, Some((Syntax::Toml, "title = 'a'\n")));
        assert_eq!(s.body, "");
    }

    #[test]
    fn front_matter_end_in_bytes() {
        assert_eq!(front_matter_end(b"---\ntitle: a\n---\nbody"), Some(17));
        assert_eq!(
            front_matter_end(b"\xEF\xBB\xBF+++\r\na = 1\r\n+++\r\n"),
            Some(20)
        );
        assert_eq!(front_matter_end(b"---\ntitle: a\n--"), None, "cut short");
        assert_eq!(front_matter_end(b"# title\n---\n"), None, "no front matter");
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("# Title\n\ntext").unwrap();
        assert_eq!(s.front_matter, None);
        assert_eq!(s.body, "# Title\n\ntext");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = split("---\ntitle: a\nbody").unwrap_err();
        assert_eq!(err.0, 1);
        assert!(err.1.contains("never closed"));
    }

    #[test]
    fn dates_resolve_in_the_site_time_zone() {
        let tz = TimeZone::get("Asia/Shanghai").unwrap();
        let at = |s: &str| RawDate(s.into()).resolve(&tz).map(|r| r.at.to_string());
        assert_eq!(at("2024-06-28").unwrap(), "2024-06-27T16:00:00Z");
        assert_eq!(at("2024-06-28T09:00").unwrap(), "2024-06-28T01:00:00Z");
        assert_eq!(at("2024-06-28 09:00:00").unwrap(), "2024-06-28T01:00:00Z");
        assert_eq!(
            at("2024-06-28T09:00:00+08:00").unwrap(),
            "2024-06-28T01:00:00Z"
        );
        assert_eq!(at("2024-06-28T01:00:00Z").unwrap(), "2024-06-28T01:00:00Z");
        // Jekyll's form, common in sites that move here from Jekyll.
        assert_eq!(
            at("2024-06-28 09:00:00 +0800").unwrap(),
            "2024-06-28T01:00:00Z"
        );
        assert_eq!(
            at("2024-06-28 09:00:00 -04:00").unwrap(),
            "2024-06-28T13:00:00Z"
        );
        assert_eq!(
            at("June 28").unwrap_err(),
            "\"June 28\" is not a date (use 2024-06-28 or 2024-06-28T09:00:00+08:00)"
        );
    }

    #[test]
    fn the_day_as_written_ignores_the_time_zone() {
        for zone in ["UTC", "Asia/Shanghai", "America/New_York"] {
            let tz = TimeZone::get(zone).unwrap();
            let day = |s: &str| RawDate(s.into()).resolve(&tz).unwrap().day.to_string();
            assert_eq!(day("2024-06-28T20:00:00-04:00"), "2024-06-28", "{zone}");
            assert_eq!(day("2024-06-28"), "2024-06-28", "{zone}");
            assert_eq!(day("2024-06-28 23:30"), "2024-06-28", "{zone}");
            assert_eq!(day("2024-06-28 09:00:00 +0800"), "2024-06-28", "{zone}");
        }
    }

    #[test]
    fn yaml_and_toml_dates_deserialize_alike() {
        let y = parse(Syntax::Yaml, "date: 2024-06-28\n").unwrap();
        let t = parse(Syntax::Toml, "date = 2024-06-28\n").unwrap();
        assert_eq!(y.date, Some(RawDate("2024-06-28".into())));
        assert_eq!(t.date, y.date);
        let t = parse(Syntax::Toml, "date = 2024-06-28T09:00:00+08:00\n").unwrap();
        assert_eq!(t.date, Some(RawDate("2024-06-28T09:00:00+08:00".into())));
    }

    #[test]
    fn scalars_are_text_and_nulls_are_absent() {
        let y = parse(
            Syntax::Yaml,
            "title: 1984\nsummary: ~\ncategory: 'null'\ndraft: false\n",
        )
        .unwrap();
        assert_eq!(y.title.as_deref(), Some("1984"));
        assert_eq!(y.summary, None);
        assert_eq!(y.category.as_deref(), Some("null"));
        assert_eq!(y.draft, Some(false));
    }

    #[test]
    fn people_and_tags_in_every_shape() {
        let y = parse(
            Syntax::Yaml,
            "authors:\n  - 林楠\n  - name: 黄朝文\n    email: h@example.com\ntags: 经济\n",
        )
        .unwrap();
        let authors = y.authors.unwrap();
        assert_eq!(authors[0].name, "林楠");
        assert_eq!(authors[1].email.as_deref(), Some("h@example.com"));
        assert_eq!(y.tags.unwrap(), ["经济"]);
        let t = parse(
            Syntax::Toml,
            "author = { name = \"林楠\", uri = \"https://x.example/\" }\ntags = [\"a\", \"b\"]\n",
        )
        .unwrap();
        assert_eq!(t.author.unwrap().uri.as_deref(), Some("https://x.example/"));
        assert_eq!(t.tags.unwrap(), ["a", "b"]);
    }

    #[test]
    fn wrong_shapes_name_the_key_and_line() {
        let err = parse(Syntax::Yaml, "title: a\ntags: {a: 1}\n").unwrap_err();
        assert_eq!(
            err,
            (
                Some(2),
                "`tags` must be a list of names, such as [经济, 民生]".to_owned()
            )
        );
        let err = parse(Syntax::Toml, "title = \"a\"\ndraft = \"yes\"\n").unwrap_err();
        assert_eq!(err, (Some(2), "`draft` must be true or false".to_owned()));
        let err = parse(Syntax::Yaml, "- a\n- b\n").unwrap_err();
        assert_eq!(err.0, Some(1));
    }

    /// Regression: an unclosed list was reported on the closing fence, and an
    /// unquoted `: ` in a value with the parser's words.
    #[test]
    fn yaml_mistakes_are_explained_on_their_line() {
        let err = parse(Syntax::Yaml, "title: 坏\ntags: [经济, 民生\ndraft: false\n").unwrap_err();
        assert_eq!(
            err,
            (
                Some(2),
                "YAML front matter: `tags`: the list opened with `[` is never closed; end it with `]`, as in `tags: [a, b]`"
                    .to_owned()
            )
        );
        let err = parse(Syntax::Yaml, "date: 2024-07-04\ntitle: 座谈会: 会议\n").unwrap_err();
        assert_eq!(
            err,
            (
                Some(2),
                "YAML front matter: `title`: a value containing ': ' must be quoted, as in `title: \"座谈会: 会议\"`"
                    .to_owned()
            )
        );
        // Lists over several lines, and quoted colons, are fine.
        let ok = parse(Syntax::Yaml, "tags: [a,\n  b]\ntitle: \"a: b\"\n").unwrap();
        assert_eq!(ok.tags.unwrap(), ["a", "b"]);
        // A list over several lines, or a colon inside a block of text, is
        // not blamed for a mistake further down.
        let err = parse(
            Syntax::Yaml,
            "tags: [a,\n  b]\nsummary: |\n  Note: x: y\ntitle: 座谈会: 会议\n",
        )
        .unwrap_err();
        assert_eq!(err.0, Some(5), "{err:?}");
    }

    /// Regression (found in testing): these were published silently, or
    /// reported without the remedy or on the wrong line.
    #[test]
    fn more_yaml_mistakes_are_explained() {
        let err = parse(Syntax::Yaml, "title: one\ndate: 2024-06-28\ntitle: two\n").unwrap_err();
        assert_eq!(
            err,
            (
                Some(3),
                "`title` is set twice (also on line 1); keep one".to_owned()
            )
        );
        let err = parse(Syntax::Yaml, "title: \"unclosed\ndate: 2024-06-28\n").unwrap_err();
        assert_eq!(
            err,
            (
                Some(1),
                "YAML front matter: `title`: the value opened with `\"` is never closed; end it with `\"`"
                    .to_owned()
            )
        );
        let err = parse(Syntax::Yaml, "title: ok\n\tdate: 2024-06-28\n").unwrap_err();
        assert_eq!(
            err,
            (
                Some(2),
                "YAML front matter: this line is indented with a tab; YAML indents with spaces only"
                    .to_owned()
            )
        );
        // A quoted value over two lines is fine.
        let ok = parse(Syntax::Yaml, "title: \"a\n  b\"\nsummary: 'it''s'\n").unwrap();
        assert_eq!(ok.title.as_deref(), Some("a b"));
    }

    #[test]
    fn near_misses_of_known_keys_are_suggested() {
        assert_eq!(suggest("titel"), Some("title"));
        assert_eq!(suggest("tgas"), Some("tags"));
        assert_eq!(suggest("Tags"), Some("tags"));
        assert_eq!(suggest("categories"), None);
        assert_eq!(suggest("weight"), None);
    }

    #[test]
    fn aliases_are_refused() {
        let err = parse(Syntax::Yaml, "a: &x [1, 2]\nb: *x\n").unwrap_err();
        assert_eq!(
            err,
            (
                Some(2),
                "YAML front matter: aliases (`*name`) are not supported; write the value out"
                    .to_owned()
            )
        );
    }

    #[test]
    fn huge_front_matter_is_refused() {
        let tags = vec!["x"; MAX_NODES + 1].join(", ");
        let err = parse(Syntax::Yaml, &format!("tags: [{tags}]\n")).unwrap_err();
        assert_eq!(
            err.1,
            "YAML front matter: too large: more than 10000 values"
        );
        let deep = format!("a: {}{}\n", "[".repeat(40), "]".repeat(40));
        assert_eq!(
            parse(Syntax::Yaml, &deep).unwrap_err().1,
            "YAML front matter: nested more than 32 levels deep"
        );
    }

    #[test]
    fn unknown_keys_are_kept_by_name() {
        let y = parse(Syntax::Yaml, "titel: x\nweight: 3\n").unwrap();
        assert_eq!(y.unknown, ["titel", "weight"]);
    }

    #[test]
    fn key_lines() {
        assert_eq!(key_line("title: a\ndate: b\n", "date"), Some(2));
        assert_eq!(key_line("date = 1\n", "date"), Some(1));
        assert_eq!(key_line("dates: 1\n", "date"), None);
    }
}
