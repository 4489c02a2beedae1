//! Tests of `syndicated.toml`: defaults, every check and its line.

use super::*;

fn parse(text: &str) -> Result<Config, String> {
    Config::parse(Path::new("site/syndicated.toml"), text).map_err(|e| e.to_string())
}

const MINIMAL: &str = "[site]\ntitle = \"T\"\nbase_url = \"https://example.com/news\"\n";

#[test]
fn defaults_and_relative_paths() {
    let config = parse(MINIMAL).unwrap();
    assert_eq!(config.site.base_url.as_str(), "https://example.com/news/");
    assert_eq!(config.site.authority, "example.com");
    assert_eq!(config.site.language, "en");
    assert_eq!(config.paths.content, Path::new("site/content"));
    assert_eq!(config.paths.feeds, Path::new("site/feeds"));
    assert_eq!(config.summary, SummaryLimits::default());
}

#[test]
fn an_authority_left_to_its_default_is_a_warning() {
    let config = parse(MINIMAL).unwrap();
    assert_eq!(
        config
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "site/syndicated.toml:3: warning: `site.authority` is not set, so ids are made with the host of `base_url` and would change with it; add `authority = \"example.com\"` to [site] and keep it when the site moves"
        ]
    );
    let config = parse(&format!("{MINIMAL}authority = \"example.com\"\n")).unwrap();
    assert!(config.warnings.is_empty());
}

#[test]
fn unknown_key_names_file_line_and_key() {
    let err = parse(&format!("{MINIMAL}titel = \"x\"\n")).unwrap_err();
    assert!(
        err.starts_with("site/syndicated.toml:4: unknown field `titel`"),
        "{err}"
    );
}

#[test]
fn bad_time_zone_is_located() {
    let err = parse(&format!("{MINIMAL}timezone = \"Asia/Shangai\"\n")).unwrap_err();
    assert_eq!(
        err,
        "site/syndicated.toml:4: `site.timezone`: unknown time zone \"Asia/Shangai\" (use an IANA name such as Asia/Shanghai or UTC)"
    );
}

#[test]
fn settings_that_would_overflow_are_refused() {
    let err = parse(&format!("{MINIMAL}[server]\nheader_timeout = 1e19\n")).unwrap_err();
    assert_eq!(
        err,
        "site/syndicated.toml:5: `server.header_timeout`: 10000000000000000000 is not a number of seconds between 0 and one year"
    );
    let err = parse(&format!("{MINIMAL}[server]\nmax_connections = 0\n")).unwrap_err();
    assert!(err.ends_with("must be between 1 and 1000000"), "{err}");
    let err = parse(&format!("{MINIMAL}[watch]\nrescan = -1\n")).unwrap_err();
    assert!(err.contains("`watch.rescan`"), "{err}");
}

#[test]
fn a_debounce_out_of_range_is_an_error_on_its_line_not_clamped() {
    let err = parse(&format!("{MINIMAL}[watch]\ndebounce_ms = 3600001\n")).unwrap_err();
    assert_eq!(
        err,
        "site/syndicated.toml:5: `watch.debounce_ms`: 3600001 is more than an hour; use a number of milliseconds up to 3600000"
    );
    let config = parse(&format!("{MINIMAL}[watch]\ndebounce_ms = 120000\n")).unwrap();
    assert_eq!(config.watch.debounce, std::time::Duration::from_secs(120));
}

#[test]
fn permalink_expands_without_empty_segments() {
    let p = Permalink::parse("{dir}/{slug}/").unwrap();
    let date = jiff::civil::date(2024, 6, 28);
    assert_eq!(p.expand("", "fire", date), "fire/");
    assert_eq!(p.expand("2024/06", "fire", date), "2024/06/fire/");
    let p = Permalink::parse("{year}/{month}/{day}/{slug}.html").unwrap();
    assert_eq!(p.expand("x", "fire", date), "2024/06/28/fire.html");
    // What fills a placeholder is never read as one.
    let p = Permalink::parse("{dir}/{slug}-{day}").unwrap();
    assert_eq!(p.expand("{slug}", "{year}", date), "{slug}/{year}-28");
    assert!(Permalink::parse("{name}").is_err());
}

#[test]
fn language_tags() {
    assert!(is_language_tag("zh-CN"));
    assert!(is_language_tag("zh-Hans-CN"));
    assert!(!is_language_tag("chinese"));
    assert!(!is_language_tag("zh_CN"));
}
