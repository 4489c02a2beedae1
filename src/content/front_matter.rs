//! Splitting an article into front matter and body, and reading the front
//! matter: YAML between `---` lines or TOML between `+++` lines.
//!
//! Both formats deserialize into the same [`RawFrontMatter`]; keys the product
//! does not know are kept by name so they can be reported as warnings (a typo
//! like `titel:` should not go unnoticed, but a key another tool uses should
//! not keep an article from being published).

use std::fmt;

use jiff::Timestamp;
use jiff::civil;
use jiff::tz::TimeZone;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

/// The syntax of an article's front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
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

/// A person as written: a bare name, or a table with `name`, `email`, `uri`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawPerson {
    pub name: String,
    pub email: Option<String>,
    pub uri: Option<String>,
}

impl<'de> Deserialize<'de> for RawPerson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PersonVisitor;

        impl<'de> Visitor<'de> for PersonVisitor {
            type Value = RawPerson;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(RawPerson::EXPECTING)
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPerson, E> {
                Ok(RawPerson {
                    name: v.to_owned(),
                    ..RawPerson::default()
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPerson, A::Error> {
                let mut person = RawPerson::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "name" => person.name = map.next_value()?,
                        "email" => person.email = map.next_value()?,
                        "uri" => person.uri = map.next_value()?,
                        _ => return Err(de::Error::unknown_field(&key, &["name", "email", "uri"])),
                    }
                }
                Ok(person)
            }
        }

        deserializer.deserialize_any(PersonVisitor)
    }
}

/// What a list of values may also be written as: one value on its own.
pub trait Listable: Sized {
    const EXPECTING: &'static str;
}

impl Listable for String {
    const EXPECTING: &'static str = "`tags` takes a list of names, such as [经济, 民生]";
}

impl Listable for RawPerson {
    const EXPECTING: &'static str = "`author` and `authors` take a name, or a table with `name` and optionally `email` and `uri`";
}

/// `tags: 经济` or `tags: [经济, 民生]`, and likewise for authors.
///
/// Written out rather than as an untagged enum, which would make serde buffer
/// the value and try each shape in turn on every article of every scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de> + Listable> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de> + Listable> Visitor<'de> for ListVisitor<T> {
            type Value = OneOrMany<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::EXPECTING)
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany<T>, E> {
                T::deserialize(de::value::StrDeserializer::new(v)).map(|one| OneOrMany(vec![one]))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<OneOrMany<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|one| OneOrMany(vec![one]))
            }

            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany<T>, A::Error> {
                let mut all = Vec::with_capacity(seq.size_hint().unwrap_or(4).min(64));
                while let Some(one) = seq.next_element()? {
                    all.push(one);
                }
                Ok(OneOrMany(all))
            }
        }

        deserializer.deserialize_any(ListVisitor(std::marker::PhantomData))
    }
}

/// The front matter as written, before any fallback or validation.
#[derive(Debug, Default)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    pub date: Option<RawDate>,
    pub updated: Option<RawDate>,
    pub author: Option<RawPerson>,
    pub authors: Option<OneOrMany<RawPerson>>,
    pub category: Option<String>,
    pub tags: Option<OneOrMany<String>>,
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

// Written out rather than derived: collecting unknown keys with
// `#[serde(flatten)]` makes serde buffer every value first, which doubles the
// cost of the one parse every article goes through on every scan.
impl<'de> Deserialize<'de> for RawFrontMatter {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FrontMatterVisitor;

        impl<'de> Visitor<'de> for FrontMatterVisitor {
            type Value = RawFrontMatter;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("front matter: keys such as `title:` and `date:`, one per line")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFrontMatter, A::Error> {
                let mut fm = RawFrontMatter::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "title" => fm.title = map.next_value()?,
                        "date" => fm.date = map.next_value()?,
                        "updated" => fm.updated = map.next_value()?,
                        "author" => fm.author = map.next_value()?,
                        "authors" => fm.authors = map.next_value()?,
                        "category" => fm.category = map.next_value()?,
                        "tags" => fm.tags = map.next_value()?,
                        "summary" => fm.summary = map.next_value()?,
                        "draft" => fm.draft = map.next_value()?,
                        "slug" => fm.slug = map.next_value()?,
                        "id" => fm.id = map.next_value()?,
                        "link" => fm.link = map.next_value()?,
                        "image" => fm.image = map.next_value()?,
                        "lang" => fm.lang = map.next_value()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            fm.unknown.push(key);
                        }
                    }
                }
                Ok(fm)
            }
        }

        deserializer.deserialize_map(FrontMatterVisitor)
    }
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

/// Reads front matter of the given syntax. On failure, returns the 1-based line
/// inside `text` (if the parser knows it) and a one-line message.
pub fn parse(syntax: Syntax, text: &str) -> Result<RawFrontMatter, (Option<usize>, String)> {
    if text.trim().is_empty() {
        return Ok(RawFrontMatter::default());
    }
    match syntax {
        Syntax::Yaml => serde_saphyr::from_str_with_options(text, yaml_options()).map_err(|e| {
            let line = e.location().map(|l| l.line() as usize);
            let message = e.without_snippet().to_string();
            if message.starts_with("budget breached") {
                (line, format!("the front matter is too large: more than {MAX_YAML_NODES} values once its aliases are expanded"))
            } else {
                (line, format!("YAML front matter: {}", one_line(&message)))
            }
        }),
        Syntax::Toml => toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| crate::diagnostic::line_of_offset(text, s.start));
            (line, format!("TOML front matter: {}", one_line(e.message())))
        }),
    }
}

/// Front matter is a handful of fields: anything near this many values is
/// an accident or an attack (aliases that expand exponentially).
const MAX_YAML_NODES: usize = 10_000;

fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = MAX_YAML_NODES;
    budget.max_events = 4 * MAX_YAML_NODES;
    budget.max_aliases = 1_000;
    budget.max_depth = 32;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// Parser messages can span lines; a diagnostic is one line.
fn one_line(message: &str) -> String {
    let mut out = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    // serde-saphyr appends its own "at line N column M"; we print the line
    // ourselves, in the file's numbering rather than the front matter's.
    if let Some(at) = out.rfind(" at line ") {
        out.truncate(at);
    }
    out
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

/// A date as written: YAML gives text, TOML may give its own datetime type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDate(pub String);

impl<'de> Deserialize<'de> for RawDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;

        impl<'de> Visitor<'de> for DateVisitor {
            type Value = RawDate;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date such as 2024-06-28 or 2024-06-28T09:00:00+08:00")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawDate, E> {
                Ok(RawDate(v.trim().to_owned()))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDate, E> {
                Ok(RawDate(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDate, E> {
                Ok(RawDate(v.to_string()))
            }

            // A native TOML datetime arrives as a one-entry map holding its text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawDate, A::Error> {
                let Some((_, text)) = map.next_entry::<String, String>()? else {
                    return Err(de::Error::invalid_length(0, &self));
                };
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(RawDate(text))
            }
        }

        deserializer.deserialize_any(DateVisitor)
    }
}

impl RawDate {
    /// Resolves the date: an offset in the text wins; otherwise the date (at
    /// midnight) or local date-time is read in the site's time zone.
    pub fn resolve(&self, tz: &TimeZone) -> Result<Timestamp, String> {
        let text = self.0.as_str();
        if let Ok(ts) = text.parse::<Timestamp>() {
            return Ok(ts);
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
            .map(|zdt| zdt.timestamp())
            .ok_or_else(|| {
                format!("\"{text}\" is not a date (use 2024-06-28 or 2024-06-28T09:00:00+08:00)")
            })
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
        let at = |s: &str| RawDate(s.into()).resolve(&tz).map(|t| t.to_string());
        assert_eq!(at("2024-06-28").unwrap(), "2024-06-27T16:00:00Z");
        assert_eq!(at("2024-06-28T09:00").unwrap(), "2024-06-28T01:00:00Z");
        assert_eq!(at("2024-06-28 09:00:00").unwrap(), "2024-06-28T01:00:00Z");
        assert_eq!(
            at("2024-06-28T09:00:00+08:00").unwrap(),
            "2024-06-28T01:00:00Z"
        );
        assert_eq!(at("2024-06-28T01:00:00Z").unwrap(), "2024-06-28T01:00:00Z");
        assert_eq!(
            at("June 28").unwrap_err(),
            "\"June 28\" is not a date (use 2024-06-28 or 2024-06-28T09:00:00+08:00)"
        );
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
