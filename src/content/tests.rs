//! Tests of reading one article: fallbacks, names, encodings, URLs, dates.

use super::*;
use crate::config::Config;

fn site() -> Site {
    Config::parse(
        Path::new("syndicated.toml"),
        "[site]\ntitle = \"T\"\nbase_url = \"https://news.example/\"\ntimezone = \"Asia/Shanghai\"\n",
    )
    .unwrap()
    .site
}

fn parse(rel: &str, text: &str) -> Result<Parsed<Article>, String> {
    let source = Source::new(Path::new("content"), Path::new("content").join(rel));
    parse_article(&site(), &source, text.as_bytes()).map_err(|e| e.to_string())
}

#[test]
fn fallbacks_from_file_name_and_heading() {
    let a = parse("2024/06/2024-06-28-fire.md", "# 消防局挂牌\n\n正文。")
        .unwrap()
        .value;
    assert_eq!(&*a.title, "消防局挂牌");
    assert!(a.title_from_heading);
    assert_eq!(a.date.to_string(), "2024-06-27T16:00:00Z");
    assert_eq!(&*a.id, "tag:news.example,2024-06-28:2024/06/fire");
    assert_eq!(&*a.link, "https://news.example/2024/06/fire/");
}

#[test]
fn index_files_stand_for_their_folder() {
    let a = parse(
        "2024/fire/index.md",
        "---\ntitle: t\ndate: 2024-06-28\n---\n",
    )
    .unwrap()
    .value;
    assert_eq!(&*a.link, "https://news.example/2024/fire/");
}

#[test]
fn awkward_file_names_make_valid_links_and_ids() {
    let a = parse("a b/#1?%.md", "---\ntitle: t\ndate: 2024-06-28\n---\n")
        .unwrap()
        .value;
    assert_eq!(&*a.link, "https://news.example/a%20b/%231%3F%25/");
    assert_eq!(&*a.id, "tag:news.example,2024-06-28:a%20b/%231%3F%25");
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let source = Source::new(Path::new("c"), PathBuf::from("c/x.md"));
    let err = parse_article(&site(), &source, b"---\ntitle: \xff\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "c/x.md:2: not valid UTF-8 (invalid byte 0xFF at byte offset 11); save the file as UTF-8"
    );
}

#[test]
fn bom_crlf_and_control_characters() {
    let p = parse(
        "x.md",
        "\u{FEFF}---\r\ntitle: a\u{1}b\r\ndate: 2024-06-28\r\n---\r\ntext\r\n",
    )
    .unwrap();
    assert_eq!(&*p.value.title, "ab");
    assert_eq!(
        p.warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "content/x.md:2: warning: removed 1 character that XML 1.0 does not allow (the first is U+0001)"
        ]
    );
}

#[test]
fn front_matter_urls_must_be_web_urls() {
    let err = parse(
        "x.md",
        "---\ntitle: a\ndate: 2024-06-28\nlink: javascript:alert(1)\n---\n",
    )
    .unwrap_err();
    assert_eq!(
        err,
        "content/x.md:4: `link`: \"javascript:alert(1)\" is a javascript: URL; use an http or https URL"
    );
    let a = parse(
        "x.md",
        "---\ntitle: a\ndate: 2024-06-28\nimage: https://cdn.example/pic.png\nauthor: {name: A, uri: /about}\n---\n",
    )
    .unwrap()
    .value;
    let image = a.image.unwrap().media;
    assert_eq!(image.url.as_str(), "https://cdn.example/pic.png");
    assert_eq!(image.facts.mime.as_deref(), Some("image/png"));
    assert_eq!(image.file, None);
    assert_eq!(
        a.authors[0].uri.as_deref(),
        Some("https://news.example/about")
    );
}

#[test]
fn a_language_that_is_no_language_tag_is_a_warning() {
    let p = parse(
        "x.md",
        "---\ntitle: a\ndate: 2024-06-28\nlang: zh_CN\n---\n",
    )
    .unwrap();
    assert_eq!(p.value.lang(), None);
    assert_eq!(
        p.warnings[0].to_string(),
        "content/x.md:4: warning: `lang`: \"zh_CN\" is not a language tag (for example zh-CN or en); the site's language applies"
    );
}

#[test]
fn bad_date_names_the_line() {
    let err = parse("x.md", "---\ntitle: a\ndate: June 28\n---\n").unwrap_err();
    assert_eq!(
        err,
        "content/x.md:3: `date`: \"June 28\" is not a date (use 2024-06-28 or 2024-06-28T09:00:00+08:00)"
    );
}

#[test]
fn summary_and_body_render() {
    let source = Source::new(Path::new("content"), PathBuf::from("content/x.md"));
    let text = "---\ntitle: a\ndate: 2024-06-28\n---\n第一句。[链接](a.html)\n";
    let p = render_article(&site(), SummaryLimits::default(), &source, text.as_bytes()).unwrap();
    let (_, body) = p.value;
    assert_eq!(body.summary, "第一句。链接");
    assert!(body.html.contains("href=\"https://news.example/x/a.html\""));
}

#[test]
fn languages_are_written_in_their_usual_case() {
    assert_eq!(canonical_language("ZH-cn"), "zh-CN");
    assert_eq!(canonical_language("zh-hant-tw"), "zh-Hant-TW");
    assert_eq!(canonical_language("en"), "en");
}

/// A site of a million articles holds a million of these: an
/// `Arc<Article>` (two counts and the article) past 256 bytes takes the
/// allocator's next slot size, 320 bytes, and 64 MB more. Rarely set fields
/// go in `Seldom`.
#[test]
fn an_article_fits_in_256_bytes() {
    let arc = 2 * size_of::<usize>() + size_of::<Article>();
    assert!(arc <= 256, "Arc<Article> is {arc} bytes");
}

/// A scan opens each article relative to its folder, kept open from the
/// article before: it must read the file the path names, in whichever
/// folder, and refuse a symbolic link as opening by the whole path does.
#[test]
fn articles_opened_in_a_kept_folder_are_the_files_their_paths_name() {
    use std::io::Read as _;
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    for (rel, text) in [
        ("a/x.md", "a/x"),
        ("a/y.md", "a/y"),
        ("b/x.md", "b/x"),
        ("top.md", "top"),
    ] {
        let path = content.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::os::unix::fs::symlink(content.join("b/x.md"), content.join("a/link.md")).unwrap();
    let content: Arc<Path> = Arc::from(content.as_path());
    let source = |rel: &str| Source::within(&content, &content.join(rel));
    let mut site = site();
    let mut folder = read::Folder::default();
    for rel in ["a/x.md", "a/y.md", "b/x.md", "a/x.md", "top.md"] {
        let mut text = String::new();
        read::open_article(&site, &source(rel), Some(&mut folder))
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(format!("{text}.md"), rel);
    }
    for kept in [true, false] {
        let folder = kept.then_some(&mut folder);
        let error = read::open_article(&site, &source("a/link.md"), folder).unwrap_err();
        let not_followed = Message::new(read::NOT_FOLLOWED).to_string();
        assert!(error.to_string().contains(&not_followed), "{error}");
    }
    site.follow_symlinks = true;
    let mut text = String::new();
    read::open_article(&site, &source("a/link.md"), Some(&mut folder))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "b/x");
}
