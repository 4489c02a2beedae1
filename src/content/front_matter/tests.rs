//! Tests of front matter: both syntaxes, every message and its line, dates.

/// The front matter read, a mistake said in English, as the log says it.
fn parse(syntax: Syntax, text: &str) -> Result<RawFrontMatter, (Option<usize>, String)> {
    super::parse(syntax, text).map_err(|(line, message)| (line, message.to_string()))
}

/// The text split, a mistake said in English.
fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    super::split(text).map_err(|(line, message)| (line, message.to_string()))
}

use super::*;
use jiff::tz::TimeZone;

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
    let at = |s: &str| {
        RawDate(s.into())
            .resolve(&tz)
            .map(|r| r.at.to_string())
            .map_err(|m| m.to_string())
    };
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
fn dates_as_chinese_editors_write_them_resolve_in_the_site_time_zone() {
    let tz = TimeZone::get("Asia/Shanghai").unwrap();
    let at = |s: &str| {
        RawDate(s.into())
            .resolve(&tz)
            .map(|r| (r.at.to_string(), r.day.to_string(), r.day_only))
            .map_err(|m| m.to_string())
    };
    // A day alone is known as one (pages show it without a time).
    let midnight = || {
        let at = "2024-06-27T16:00:00Z".to_owned();
        Ok((at, "2024-06-28".to_owned(), true))
    };
    let nine = || {
        Ok((
            "2024-06-28T01:00:00Z".to_owned(),
            "2024-06-28".to_owned(),
            false,
        ))
    };
    for day in [
        "2024-06-28",
        "2024年6月28日",
        "2024年06月28日",
        "2024/6/28",
        "2024/06/28",
        "2024-6-28",
    ] {
        assert_eq!(at(day), midnight(), "{day}");
    }
    for time in [
        "2024-06-28T09:00",
        "2024-06-28T01:00:00Z",
        "2024年6月28日 09:00",
        "2024年6月28日09:00",
        "2024年6月28日 9:00:00",
        "2024/6/28 09:00",
        "2024-6-28 9:00",
        "２０２４年６月２８日　０９：００",
    ] {
        assert_eq!(at(time), nine(), "{time}");
    }
    // What is no day stays an error, as before.
    for wrong in [
        "2024年2月30日",
        "2024年6月28日上午",
        "2024/13/01",
        "2024年6月",
    ] {
        assert!(at(wrong).unwrap_err().contains("is not a date"), "{wrong}");
    }
    // A day without its year: refused, spelled with one.
    assert_eq!(
        at("6月28日").unwrap_err(),
        "\"6月28日\" has no year: write it with one, as in 2024年6月28日 or 2024-6-28"
    );
    assert!(at("6/28").unwrap_err().contains("has no year"));
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
