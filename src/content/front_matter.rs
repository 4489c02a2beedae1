//! Splitting an article into front matter and body, and reading the front
//! matter: YAML between `---` lines or TOML between `+++` lines.
//!
//! Both formats deserialize into the same [`RawFrontMatter`]; keys the product
//! does not know are kept by name so they can be reported as warnings (a typo
//! like `titel:` should not go unnoticed, but a key another tool uses should
//! not keep an article from being published).

use std::collections::BTreeMap;
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
#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = "`author` and `authors` take a name, or a table with `name` and optionally `email` and `uri`"
)]
pub enum RawPerson {
    Name(String),
    Full {
        name: String,
        email: Option<String>,
        uri: Option<String>,
    },
}

/// `tags` as written: a list, or a single tag.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = "`tags` takes a list of names, such as [经济, 民生]"
)]
pub enum RawTags {
    One(String),
    Many(Vec<String>),
}

impl RawTags {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            RawTags::One(tag) => vec![tag],
            RawTags::Many(tags) => tags,
        }
    }
}

/// The front matter as written, before any fallback or validation.
#[derive(Debug, Default, Deserialize)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    pub date: Option<RawDate>,
    pub updated: Option<RawDate>,
    pub author: Option<RawPerson>,
    pub authors: Option<Vec<RawPerson>>,
    pub category: Option<String>,
    pub tags: Option<RawTags>,
    pub summary: Option<String>,
    pub draft: Option<bool>,
    pub slug: Option<String>,
    pub id: Option<String>,
    pub link: Option<String>,
    pub image: Option<String>,
    pub lang: Option<String>,
    /// Keys we do not know, reported as warnings.
    #[serde(flatten)]
    pub unknown: BTreeMap<String, IgnoredAny>,
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
        assert_eq!(y.unknown.keys().collect::<Vec<_>>(), ["titel", "weight"]);
    }

    #[test]
    fn key_lines() {
        assert_eq!(key_line("title: a\ndate: b\n", "date"), Some(2));
        assert_eq!(key_line("date = 1\n", "date"), Some(1));
        assert_eq!(key_line("dates: 1\n", "date"), None);
    }
}
