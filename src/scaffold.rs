//! Editors' commands: `init` writes a new site that `serve` runs at once,
//! and `new` writes a new article with its front matter.
//!
//! A new article's file name is its slug, made from its title:
//!
//! - letters and digits of every script are kept, with their combining
//!   marks (Chinese stays Chinese: readers see `/2026/11/运河新闻/`, and the
//!   link is percent-encoded on the wire as UTF-8, as every link to a page
//!   with such a name is); letters are lowercased;
//! - every run of anything else (spaces, punctuation, symbols, Chinese
//!   punctuation such as `，` and `“”`) becomes one `-`, and none leads or
//!   ends the slug;
//! - at most [`SLUG_CHARS`] characters and [`SLUG_BYTES`] bytes are kept,
//!   cut at a character (a file name must stay within 255 bytes);
//! - a title with no letter or digit gives `article`;
//! - a slug a file already has gets `-2`, `-3`, … so nothing is written
//!   over.
//!
//! Transliteration (pinyin) was not chosen: it is lossy, homophones would
//! share slugs, and the readable form is the one the editor wrote.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use unicode_normalization::UnicodeNormalization as _;

use crate::config::Config;
use crate::i18n::{Lang, Message};

/// The most characters a slug keeps.
pub const SLUG_CHARS: usize = 64;
/// The most bytes a slug keeps.
pub const SLUG_BYTES: usize = 200;

/// What `init` or `new` could not do. Its `Display` is English; an editor
/// reads [`ScaffoldError::message`] in their language.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The folder holds a site already.
    Exists(PathBuf),
    /// A file could not be written.
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A folder for `new` is not inside the content folder.
    Outside(PathBuf),
    /// `new` was given an empty title, which `check` would refuse.
    NoTitle,
}

impl ScaffoldError {
    /// What went wrong, and the remedy.
    pub fn message(&self) -> Message {
        let shown = |path: &Path| path.display().to_string();
        match self {
            ScaffoldError::Exists(path) => Message::new("scaffold-exists").arg("path", shown(path)),
            ScaffoldError::Write { path, source } => Message::new("scaffold-write")
                .arg("path", shown(path))
                .arg("detail", source.to_string()),
            ScaffoldError::Outside(dir) => Message::new("scaffold-outside").arg("dir", shown(dir)),
            ScaffoldError::NoTitle => Message::new("scaffold-no-title"),
        }
    }
}

impl std::fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message())
    }
}

/// The slug of `title` by the rule in this module's overview.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in title.nfc() {
        let mark = unicode_normalization::char::is_combining_mark(c);
        if c.is_alphanumeric() || (mark && !out.is_empty() && !gap) {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
        if out.chars().count() >= SLUG_CHARS || out.len() >= SLUG_BYTES {
            break;
        }
    }
    let mut cut = String::new();
    for c in out.chars().take(SLUG_CHARS) {
        if cut.len() + c.len_utf8() > SLUG_BYTES {
            break;
        }
        cut.push(c);
    }
    let out = cut;
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "article".to_owned()
    } else {
        out.to_owned()
    }
}

/// `text` as a YAML double-quoted scalar: every character it holds stays
/// as written.
fn yaml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `now` in `zone`, as front matter writes a date: `2026-11-30T18:51:30+08:00`.
fn front_matter_date(now: Timestamp, zone: &TimeZone) -> String {
    let now = Timestamp::from_second(now.as_second()).unwrap_or(now);
    now.display_with_offset(zone.to_offset(now)).to_string()
}

/// Writes `text` to `path`, a new file (never over one), making its folder.
fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let failed = |source| ScaffoldError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(failed)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(failed)?;
    file.write_all(text.as_bytes()).map_err(failed)
}

/// Writes a new article titled `title` into the content folder of
/// `config` (into `folder` inside it, else `YYYY/MM/` of `now` in the
/// site's zone, as the sample site files its articles), dated `now`, a
/// draft until the editor says otherwise. Returns its path.
pub fn new_article(
    config: &Config,
    title: &str,
    folder: Option<&Path>,
    now: Timestamp,
) -> Result<PathBuf, ScaffoldError> {
    if title.trim().is_empty() {
        return Err(ScaffoldError::NoTitle);
    }
    let zone = &config.site.time_zone;
    let folder = match folder {
        Some(folder) => {
            let inside = folder
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            if !inside {
                return Err(ScaffoldError::Outside(folder.to_path_buf()));
            }
            folder.to_path_buf()
        }
        None => {
            let date = now.to_zoned_datetime(zone.clone()).date();
            PathBuf::from(format!("{:04}/{:02}", date.year(), date.month()))
        }
    };
    let dir = config.paths.content.join(folder);
    let base = slug(title);
    let text = format!(
        "---\ntitle: {}\ndate: {}\ndraft: true\ntags: []\n---\n\n",
        yaml_string(title.trim()),
        front_matter_date(now, zone)
    );
    for n in 1.. {
        let name = if n == 1 {
            format!("{base}.md")
        } else {
            format!("{base}-{n}.md")
        };
        let path = dir.join(name);
        match write_new(&path, &text) {
            Err(ScaffoldError::Write { source, .. })
                if source.kind() == std::io::ErrorKind::AlreadyExists => {}
            done => return done.map(|()| path),
        }
    }
    unreachable!("some numbered name is free")
}

/// Writes a new site into `dir` in `language`: `syndicated.toml`, one feed
/// (`feeds/all.toml`) and one example article, dated `now` in `zone`.
/// Returns the files written. Refuses a folder that has a config already.
pub fn init(
    dir: &Path,
    language: Lang,
    zone: &TimeZone,
    now: Timestamp,
) -> Result<Vec<PathBuf>, ScaffoldError> {
    let config = dir.join("syndicated.toml");
    let feed_path = dir.join("feeds/all.toml");
    // Nothing is written unless all of it can be: a second run after a
    // failed one finds no half site.
    for path in [&config, &feed_path] {
        if path.exists() {
            return Err(ScaffoldError::Exists(path.clone()));
        }
    }
    let texts = Texts::of(language);
    let zone_name = zone.iana_name().unwrap_or("UTC");
    let site = format!(
        "{}\n\n[site]\ntitle = {}\ndescription = {}\n{}\nbase_url = \"http://localhost:8080/\"\nlanguage = \"{}\"\ntimezone = \"{zone_name}\"\n{}\nauthority = \"localhost\"\n\n[paths]\ncontent = \"content\"\nfeeds = \"feeds\"\n",
        texts.config_header,
        toml_string(texts.site_title),
        toml_string(texts.site_description),
        texts.base_url_comment,
        language.tag(),
        texts.authority_comment,
    );
    let feed = format!(
        "{}\ntitle = {}\ndescription = {}\n",
        texts.feed_header,
        toml_string(texts.feed_title),
        toml_string(texts.feed_description),
    );
    let date = now.to_zoned_datetime(zone.clone()).date();
    let article_path = dir.join(format!(
        "content/{:04}/{:02}/{}.md",
        date.year(),
        date.month(),
        slug(texts.article_title)
    ));
    let article = format!(
        "---\ntitle: {}\ndate: {}\ntags: [{}]\n---\n\n{}\n",
        yaml_string(texts.article_title),
        front_matter_date(now, zone),
        texts.article_tag,
        texts.article_body
    );
    if article_path.exists() {
        return Err(ScaffoldError::Exists(article_path));
    }
    // The config last: it is what says a site is here.
    let files = [(feed_path, feed), (article_path, article), (config, site)];
    let mut written = Vec::new();
    for (path, text) in files {
        write_new(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// What `init` writes, in one language.
struct Texts {
    config_header: &'static str,
    base_url_comment: &'static str,
    authority_comment: &'static str,
    site_title: &'static str,
    site_description: &'static str,
    feed_header: &'static str,
    feed_title: &'static str,
    feed_description: &'static str,
    article_title: &'static str,
    article_tag: &'static str,
    article_body: &'static str,
}

impl Texts {
    fn of(language: Lang) -> Texts {
        match language {
            Lang::ZhCn => Texts {
                config_header: "# 这个站点的设置。每个键的说明见手册的“Configuration”一章（docs/src/configuration.md）。\n# 运行：syndicated serve，然后打开它显示的地址",
                base_url_comment: "# 网站首页的地址；上线前改成真实地址（例如 https://news.example.com/）。",
                authority_comment: "# 文章 tag: 标识里的域名：设定一次，网站搬家后也不要改。",
                site_title: "我的新闻",
                site_description: "本地新闻",
                feed_header: "# 订阅源 all：发布为 all.rss、all.atom 和 all.json，收录全部文章。",
                feed_title: "我的新闻 · 全部",
                feed_description: "全部文章",
                article_title: "欢迎使用 syndicated",
                article_tag: "\"站务\"",
                article_body: "这是第一篇文章。在 `content/` 里新建或修改 Markdown 文件，订阅源会在保存后立刻更新。\n\n用 `syndicated new \"标题\"` 新建文章；用 `syndicated check` 检查所有文件。",
            },
            Lang::ZhTw => Texts {
                config_header: "# 這個網站的設定。每個鍵的說明見手冊的「Configuration」一章（docs/src/configuration.md）。\n# 執行：syndicated serve，然後打開它顯示的網址",
                base_url_comment: "# 網站首頁的網址；上線前改成真實網址（例如 https://news.example.com/）。",
                authority_comment: "# 文章 tag: 識別碼裡的網域：設定一次，網站搬家後也不要改。",
                site_title: "我的新聞",
                site_description: "在地新聞",
                feed_header: "# 訂閱源 all：發布為 all.rss、all.atom 和 all.json，收錄全部文章。",
                feed_title: "我的新聞 · 全部",
                feed_description: "全部文章",
                article_title: "歡迎使用 syndicated",
                article_tag: "\"站務\"",
                article_body: "這是第一篇文章。在 `content/` 裡新增或修改 Markdown 檔案，訂閱源會在儲存後立刻更新。\n\n用 `syndicated new \"標題\"` 新增文章；用 `syndicated check` 檢查所有檔案。",
            },
            Lang::En => Texts {
                config_header: "# This site's settings. The book describes every key (\"Configuration\", docs/src/configuration.md).\n# Run: syndicated serve, then open the address it prints",
                base_url_comment: "# The site's home page; set the real address before going live (such as https://news.example.com/).",
                authority_comment: "# The domain in every article's tag: id: set it once and keep it when the site moves.",
                site_title: "My news",
                site_description: "Local news",
                feed_header: "# The feed all: published as all.rss, all.atom and all.json, with every article.",
                feed_title: "My news · all",
                feed_description: "Every article",
                article_title: "Welcome to syndicated",
                article_tag: "\"site\"",
                article_body: "This is the first article. Add or edit Markdown files in `content/`, and the feeds change the moment you save.\n\nStart an article with `syndicated new \"Title\"`; check every file with `syndicated check`.",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{slug, yaml_string};

    #[test]
    fn slugs_keep_letters_and_digits_of_every_script() {
        for (title, expected) in [
            ("拱墅区：运河边的“共富”故事", "拱墅区-运河边的-共富-故事"),
            ("Hello, World! 2024", "hello-world-2024"),
            ("  ——  ", "article"),
            ("C++ 与 Rust", "c-与-rust"),
            ("Ｆｕｌｌwidth", "ｆｕｌｌwidth"),
            ("हिन्दी समाचार", "हिन्दी-समाचार"),
        ] {
            assert_eq!(slug(title), expected, "{title}");
        }
        let long = "长".repeat(100);
        assert_eq!(slug(&long).chars().count(), super::SLUG_CHARS);
        // Four bytes each: the byte cap comes first.
        let wide = "𠀀".repeat(64);
        assert!(slug(&wide).len() <= super::SLUG_BYTES);
    }

    #[test]
    fn titles_are_quoted_for_yaml_as_written() {
        assert_eq!(yaml_string("a \"b\": c\\d"), "\"a \\\"b\\\": c\\\\d\"");
    }
}
