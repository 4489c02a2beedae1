//! Tests of publication's caches.

use std::path::{Path, PathBuf};

use super::*;
use crate::config::{SummaryLimits, VariantOf};
use crate::content::{Depth, Source, render_article};
use crate::snapshot::Answer;

/// Regression guard for the cost of an edit: a variant's item is
/// converted again only when its article or body changed.
#[test]
fn an_unchanged_item_is_not_converted_again() {
    let config = Config::parse(
        Path::new("syndicated.toml"),
        "[site]\ntitle = \"T\"\nbase_url = \"https://news.example/\"\n",
    )
    .unwrap();
    let shown = |title: &str| {
        let source = Source::new(Path::new("c"), PathBuf::from("c/a.md"));
        let text = format!("---\ntitle: {title}\ndate: 2024-07-01\n---\n发展\n");
        let parsed = render_article(
            &config.site,
            SummaryLimits::default(),
            &source,
            text.as_bytes(),
        )
        .unwrap();
        let (article, body) = parsed.value;
        Shown {
            article: Arc::new(article),
            body: Arc::new(body),
        }
    };
    let mut feed = FeedSpec::parse(Path::new("feeds/all.toml"), "title = \"x\"").unwrap();
    feed.variant_of = Some(VariantOf {
        variant: crate::config::Variant::Taiwan,
        name: "all".to_owned(),
        language: "zh-CN".to_owned(),
    });
    let feeds = [Arc::new(feed)];
    let mut cache = HashMap::new();
    let first = shown("区");
    let mut items = vec![vec![first.clone()]];
    convert_items(&feeds, &mut items, &mut cache, "zh-CN");
    let converted = items[0][0].clone();
    assert_eq!(&*converted.article.title, "區");

    let mut again = vec![vec![first]];
    convert_items(&feeds, &mut again, &mut cache, "zh-CN");
    assert!(Arc::ptr_eq(&again[0][0].body, &converted.body), "reused");

    let mut edited = vec![vec![shown("发展")]];
    convert_items(&feeds, &mut edited, &mut cache, "zh-CN");
    assert_eq!(&*edited[0][0].article.title, "發展");
    assert_eq!(cache.len(), 1, "the old conversion is dropped");
}

/// Every document of a publication by name, and its diagnostics and
/// figures as `(report)`.
type Documents = std::collections::BTreeMap<String, Bytes>;

/// Publishes `store` at `now` as the daemon does: selection and rendering
/// through `cache`, kept from one publication to the next.
fn publish_with(
    config: &Config,
    feeds: &[FeedSpec],
    store: &mut Store,
    now: Timestamp,
    previous: &Snapshot,
    cache: &mut Cache,
) -> (Snapshot, Documents) {
    let facets: Vec<crate::config::Facet> = feeds
        .iter()
        .filter_map(|f| Some(f.family.as_ref()?.each))
        .collect();
    store.index_facets(&facets, &config.site.language);
    store.render_shown(&config.site, config.summary, |store| {
        shown(feeds, store, now, config, cache)
    });
    let sources = Sources {
        config,
        feeds,
        problems: &[],
        store,
    };
    let publication = publish(sources, now, previous, |_| None, cache);
    // Archive pages a change replaced are served on for a while by the
    // daemon, which a build never had: not part of what is compared.
    let mut documents: Documents = publication
        .snapshot
        .documents()
        .into_iter()
        .filter(|(_, resource)| {
            resource.serving.superseded.is_none() && resource.serving.answer != Answer::Gone
        })
        .map(|(name, resource)| (name, resource.identity.bytes.clone()))
        .collect();
    let report: Vec<String> = publication
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .chain([format!(
            "{} articles, next change {:?}, feeds {:?}",
            publication.snapshot.articles,
            publication.snapshot.next_change,
            publication.snapshot.feed_names
        )])
        .collect();
    documents.insert("(report)".to_owned(), Bytes::from(report.join("\n")));
    (publication.snapshot, documents)
}

/// What kept indexes and caches must never change: after any sequence of
/// edits, a daemon's publication (a tracked store, its value postings and
/// the caches of every earlier publication) has exactly the bytes of a
/// build made from scratch on the same files at the same moment.
#[test]
fn kept_indexes_publish_what_a_fresh_build_does() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("content");
    std::fs::create_dir_all(root.join("en")).unwrap();
    std::fs::create_dir_all(root.join("zh")).unwrap();
    let config = Config::parse(
        Path::new("syndicated.toml"),
        "[site]\ntitle = \"T\"\nbase_url = \"https://news.example/\"\nlanguage = \"zh-CN\"\n\
         [feeds]\nvariants = [\"zh-TW\"]\n",
    )
    .unwrap();
    let feed = |name: &str, text: &str| {
        FeedSpec::parse(Path::new(&format!("feeds/{name}.toml")), text).unwrap()
    };
    let feeds = [
        feed("all", "title = \"全部\"\nlimit = 3"),
        // Archive pages kept page by page: the same bytes as made afresh.
        feed(
            "history",
            "title = \"历史\"\nlimit = 2\narchive = true\narchive_page_size = 2",
        ),
        feed(
            "tags",
            "each = \"tags\"\ntitle = \"标签 · {value}\"\nlimit = 2\nmin_items = 1",
        ),
        feed(
            "authors",
            "each = \"authors\"\ntitle = \"{value}\"\nlimit = 2\nmin_items = 2",
        ),
        feed("languages", "each = \"languages\"\ntitle = \"{value}\""),
        feed(
            "sections",
            "each = \"folders\"\ntitle = \"{value}\"\n[exclude]\ntags = [\"通知\"]",
        ),
    ];
    let write = |rel: &str, front: &str| {
        std::fs::write(root.join(rel), format!("---\n{front}\n---\n发展软件。\n")).unwrap();
    };
    let now: Timestamp = "2024-08-01T00:00:00Z".parse().unwrap();
    write(
        "zh/a.md",
        "title: 甲\ndate: 2024-07-01\ntags: [经济, 运河]\nauthor: 王五",
    );
    write(
        "zh/b.md",
        "title: 乙\ndate: 2024-07-02\ntags: [运河]\nauthor: 王五",
    );
    write(
        "zh/c.md",
        "title: 丙\ndate: 2024-07-03\ntags: [通知]\nauthor: 李四",
    );
    write(
        "en/d.md",
        "title: D\ndate: 2024-07-04\nlang: en\ntags: [canal]\nauthor: Li",
    );
    write("e.md", "title: 戊\ndate: 2024-07-05\ntags: [经济]");

    let mut store = Store::scan_tracked(&config.site, &root).unwrap();
    let mut cache = Cache::default();
    let mut previous = Snapshot::default();
    // Publishes after an edit, and compares with a build of the same files
    // when `fresh` (a build has no last good version of a broken file).
    let mut publish_as = |store: &mut Store, now: Timestamp, step: &str, fresh: bool| {
        let (snapshot, kept) = publish_with(&config, &feeds, store, now, &previous, &mut cache);
        previous = snapshot;
        if !fresh {
            return kept;
        }
        let mut fresh = Store::scan(&config.site, &root, Depth::Head).unwrap();
        let (_, built) = publish_with(
            &config,
            &feeds,
            &mut fresh,
            now,
            &Snapshot::default(),
            &mut Cache::default(),
        );
        assert_eq!(
            kept.keys().collect::<Vec<_>>(),
            built.keys().collect::<Vec<_>>(),
            "{step}: the documents"
        );
        for (name, bytes) in &built {
            assert_eq!(
                String::from_utf8_lossy(&kept[name]),
                String::from_utf8_lossy(bytes),
                "{step}: {name}"
            );
        }
        kept
    };
    let first = publish_as(&mut store, now, "first publication", true);
    assert!(first.contains_key("tags/运河.rss"));
    assert!(first.contains_key("history/archive/3.rss"));
    assert!(first.contains_key("history.zh-TW/archive/1.atom"));
    assert!(first.contains_key("authors/王五.rss"));
    assert!(!first.contains_key("authors/李四.rss"), "min_items = 2");

    let edit = |store: &mut Store, rel: &str, front: Option<&str>| {
        match front {
            Some(front) => write(rel, front),
            None => std::fs::remove_file(root.join(rel)).unwrap(),
        }
        store.refresh(&config.site, &[root.join(rel)]);
    };
    edit(
        &mut store,
        "zh/c.md",
        Some("title: 丙\ndate: 2024-07-03\ntags: [通知, 新词]\nauthor: 王五"),
    );
    let step = publish_as(
        &mut store,
        now,
        "a new tag, a second author's article",
        true,
    );
    assert!(step.contains_key("tags/新词.rss") && step.contains_key("tags/新词.zh-TW.rss"));
    edit(
        &mut store,
        "zh/c.md",
        Some("title: 丙\ndate: 2024-07-03\ntags: [通知]\ndraft: true"),
    );
    let step = publish_as(
        &mut store,
        now,
        "the last article with a tag becomes a draft",
        true,
    );
    assert!(!step.contains_key("tags/新词.rss"));
    edit(
        &mut store,
        "zh/f.md",
        Some("title: 己\ndate: 2024-07-06\nid: tag:news.example,2024:x\ntags: [运河]"),
    );
    edit(
        &mut store,
        "zh/g.md",
        Some("title: 庚\ndate: 2024-07-07\nid: tag:news.example,2024:x\ntags: [副本]"),
    );
    publish_as(&mut store, now, "two files with one id", true);
    edit(&mut store, "zh/f.md", None);
    publish_as(&mut store, now, "the owner of the id removed", true);
    edit(
        &mut store,
        "zh/h.md",
        Some("title: 辛\ndate: 2024-08-02\ntags: [运河, 将来]"),
    );
    let step = publish_as(&mut store, now, "a scheduled article", true);
    assert!(!step.contains_key("tags/将来.rss"));
    let later: Timestamp = "2024-08-03T00:00:00Z".parse().unwrap();
    let step = publish_as(&mut store, later, "the scheduled article comes due", true);
    assert!(step.contains_key("tags/将来.rss"));
    edit(
        &mut store,
        "zh/b.md",
        Some("title: 乙\ndate: 2024-07-02\ntags: [运河]\nauthor: 王五\nexclude_from: [tags/运河]"),
    );
    publish_as(
        &mut store,
        later,
        "an article leaves one tag's feed by name",
        true,
    );
    edit(
        &mut store,
        "en/d.md",
        Some("title: D\ndate: 2024-07-04\ntags: [canal]\nauthor: Li"),
    );
    publish_as(&mut store, later, "an article's language changes", true);
    edit(
        &mut store,
        "e.md",
        Some("title: E\ndate: 2024-07-05\nlang: en\ntags: [经济]"),
    );
    let good = publish_as(
        &mut store,
        later,
        "a converted article becomes English",
        true,
    );
    edit(
        &mut store,
        "zh/a.md",
        Some("title: [broken\ndate: 2024-07-01"),
    );
    let step = publish_as(&mut store, later, "a broken file", false);
    assert!(String::from_utf8_lossy(&step["(report)"]).contains("a.md"));
    let documents = |d: &Documents| {
        d.iter()
            .filter(|(name, _)| *name != "(report)")
            .map(|(n, b)| (n.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    assert!(
        documents(&step) == documents(&good),
        "the last good version is published"
    );
    edit(
        &mut store,
        "zh/a.md",
        Some("title: 甲\ndate: 2024-07-01\ntags: [经济]\nauthor: 王五\nunknown_key: 1"),
    );
    let step = publish_as(&mut store, later, "the file fixed, with a warning", true);
    assert!(String::from_utf8_lossy(&step["(report)"]).contains("unknown_key"));
}
