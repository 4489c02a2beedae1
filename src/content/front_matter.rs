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

mod dates;
mod hints;

use crate::i18n::Message;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

pub use dates::{RawDate, Resolved};
use hints::yaml_hint;

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
pub fn split(text: &str) -> Result<Split<'_>, (usize, Message)> {
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
        Message::new("fm-never-closed")
            .arg("opened", first_line)
            .arg("closer", closers[0]),
    ))
}

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
pub type FrontMatterError = (Option<usize>, Message);

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
    /// Sound, video or other files published with the article.
    pub enclosures: Option<Vec<RawEnclosure>>,
    /// A podcast episode's number, season, type and explicit flag.
    pub episode: Option<String>,
    pub season: Option<String>,
    pub episode_type: Option<String>,
    pub explicit: Option<bool>,
    /// An episode's transcript and chapters files (paths or URLs).
    pub transcript: Option<String>,
    pub chapters: Option<String>,
    /// What the picture shows, for readers who cannot see it.
    pub image_alt: Option<String>,
    /// The picture's caption.
    pub image_caption: Option<String>,
    pub lang: Option<String>,
    /// `feeds: false` keeps the article out of every feed.
    pub feeds: Option<bool>,
    /// The feeds (or families) the article stays out of.
    pub exclude_from: Option<Vec<String>>,
    /// What the article's translations share.
    pub translation_key: Option<String>,
    /// Keys we do not know, in order, reported as warnings.
    pub unknown: Vec<String>,
}

/// Every front matter key the product reads.
pub const KEYS: [&str; 27] = [
    "title",
    "date",
    "updated",
    "author",
    "authors",
    "category",
    "tags",
    "summary",
    "draft",
    "slug",
    "id",
    "link",
    "image",
    "image_alt",
    "image_caption",
    "enclosures",
    "enclosure",
    "episode",
    "season",
    "episode_type",
    "explicit",
    "transcript",
    "chapters",
    "lang",
    "feeds",
    "exclude_from",
    "translation_key",
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
            .map_err(|(line, message)| (line, Message::new("fm-yaml").arg("detail", message)))?,
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
            // The YAML parser's own words, in English, when no hint fits.
            let words = Message::Text(e.info().to_owned());
            yaml_hint(text, line).unwrap_or((Some(line), words))
        })?;
        let line = Some(mark.line());
        let node = match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => {
                continue;
            }
            Event::Alias(_) => {
                return Err((line, Message::new("fm-alias")));
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err((line, Message::new("fm-too-deep").arg("depth", MAX_DEPTH)));
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
            return Err((line, Message::new("fm-too-large").arg("count", MAX_NODES)));
        }
        match stack.last_mut() {
            Some((_, Node::List(items, _))) => items.push(node),
            Some((_, Node::Table(entries, _))) => {
                let key = pending_key.take().unwrap_or_default();
                entries.push((key, node));
            }
            Some((_, Node::Scalar(..))) | None => {
                if root.is_some() {
                    return Err((line, Message::new("fm-documents")));
                }
                root = Some(node);
            }
        }
    }
    Ok(root.unwrap_or(Node::Table(Vec::new(), Some(1))))
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
            Message::new("fm-toml").arg("detail", one_line(e.message())),
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

/// YAML requires keys to be unique; a parser that keeps the last one would
/// publish whichever the editor did not mean.
fn no_key_twice(entries: &[(String, Node)]) -> Result<(), FrontMatterError> {
    let mut seen: Vec<(&str, Option<usize>)> = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            let message = match first {
                Some(line) => Message::new("fm-set-twice-at").arg("line", *line),
                None => Message::new("fm-set-twice"),
            };
            return Err((value.line(), message.arg("key", key.as_str())));
        }
        seen.push((key, value.line()));
    }
    Ok(())
}

/// The tree, read as front matter.
fn convert(root: Node, text: &str) -> Result<RawFrontMatter, FrontMatterError> {
    let Node::Table(entries, _) = root else {
        return Err((root.line(), Message::new("fm-not-a-table")));
    };
    no_key_twice(&entries)?;
    let mut fm = RawFrontMatter::default();
    // One arm per key the product reads.
    for (key, value) in entries {
        if value.is_null() {
            continue;
        }
        let line = value.line().or_else(|| key_line(text, &key));
        let wrong = |what: &'static str| (line, must_be(&key, what));
        let text_of = |node: Node| match node {
            Node::Scalar(text, _, _) => Ok(text),
            _ => Err(wrong("fm-a-text")),
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
                fm.tags = Some(tags.map_err(|_| wrong("fm-a-tag-list"))?);
            }
            "summary" => fm.summary = Some(text_of(value)?),
            "draft" => fm.draft = Some(boolean(&value).ok_or_else(|| wrong("fm-a-boolean"))?),
            "feeds" => fm.feeds = Some(boolean(&value).ok_or_else(|| wrong("fm-a-boolean"))?),
            "exclude_from" => {
                let names = one_or_many(value)
                    .into_iter()
                    .map(text_of)
                    .collect::<Result<_, _>>();
                fm.exclude_from = Some(names.map_err(|_| wrong("fm-a-feed-list"))?);
            }
            "slug" => fm.slug = Some(text_of(value)?),
            "id" => fm.id = Some(text_of(value)?),
            "link" => fm.link = Some(text_of(value)?),
            "image" => fm.image = Some(text_of(value)?),
            "image_alt" => fm.image_alt = Some(text_of(value)?),
            "episode" => fm.episode = Some(text_of(value)?),
            "season" => fm.season = Some(text_of(value)?),
            "episode_type" => fm.episode_type = Some(text_of(value)?),
            "transcript" => fm.transcript = Some(text_of(value)?),
            "chapters" => fm.chapters = Some(text_of(value)?),
            "explicit" => {
                fm.explicit = Some(boolean(&value).ok_or_else(|| wrong("fm-a-boolean"))?);
            }
            "enclosures" | "enclosure" => {
                let list = one_or_many(value)
                    .into_iter()
                    .map(enclosure)
                    .collect::<Result<_, _>>();
                fm.enclosures = Some(list.map_err(|()| wrong(ENCLOSURE))?);
            }
            "image_caption" => fm.image_caption = Some(text_of(value)?),
            "lang" => fm.lang = Some(text_of(value)?),
            "translation_key" => fm.translation_key = Some(text_of(value)?),
            _ => fm.unknown.push(key),
        }
    }
    Ok(fm)
}

/// `` `key` must be … ``, the catalogue's `what` (an `fm-a-…` message) put in.
fn must_be(key: &str, what: &'static str) -> Message {
    Message::new("fm-must-be")
        .arg("key", key)
        .arg("what", Message::new(what))
}

const PERSON: &str = "fm-a-person";
const ENCLOSURE: &str = "fm-an-enclosure";

/// A file published with an article, as written: a path or a URL, and what
/// the front matter says of it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RawEnclosure {
    /// A path inside the content folder, or a URL.
    pub url: String,
    /// Its MIME type, when given.
    pub mime: Option<String>,
    /// Its length in bytes, when given.
    pub length: Option<String>,
    /// Its playing time (`1:02:03`, `62:03` or seconds), when given.
    pub duration: Option<String>,
    /// Its title, when given.
    pub title: Option<String>,
}

fn enclosure(node: Node) -> Result<RawEnclosure, ()> {
    match node {
        Node::Scalar(url, _, _) => Ok(RawEnclosure {
            url,
            ..RawEnclosure::default()
        }),
        Node::Table(entries, _) => {
            let mut out = RawEnclosure::default();
            for (key, value) in entries {
                let Node::Scalar(text, _, _) = value else {
                    return Err(());
                };
                match key.as_str() {
                    "url" | "path" => out.url = text,
                    "type" => out.mime = Some(text),
                    "length" => out.length = Some(text),
                    "duration" => out.duration = Some(text),
                    "title" => out.title = Some(text),
                    _ => return Err(()),
                }
            }
            if out.url.trim().is_empty() {
                Err(())
            } else {
                Ok(out)
            }
        }
        Node::List(..) => Err(()),
    }
}

/// A YAML or TOML boolean, as front matter writes one.
fn boolean(node: &Node) -> Option<bool> {
    match node {
        Node::Scalar(text, _, _) if matches!(text.as_str(), "true" | "True" | "TRUE") => Some(true),
        Node::Scalar(text, _, _) if matches!(text.as_str(), "false" | "False" | "FALSE") => {
            Some(false)
        }
        _ => None,
    }
}

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

#[cfg(test)]
mod tests;
