//! Faults: event storms, a file rewritten a thousand times, a mirror that
//! cannot be written, and a build killed midway. The final state is exact,
//! serving is never interrupted, and no partial file appears under a final
//! name.

use std::fs;
use std::time::Duration;

use crate::harness::{Site, eventually, run_in};

fn article(title: &str, date: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n---\n正文。\n")
}

/// More events than the kernel's queue holds (16,384 by default): the
/// overflow triggers a rescan, and the end state is exact.
#[test]
fn twenty_thousand_files_in_a_burst() {
    let site = Site::new();
    site.write("feeds/all.toml", "title = \"All\"\nlimit = 3\n");
    let server = site.serve(&[]);
    let burst = site.path().join("content/burst");
    fs::create_dir_all(&burst).expect("mkdir");
    for i in 0..20_000 {
        let date = format!(
            "2024-01-01T{:02}:{:02}:{:02}+08:00",
            i / 3600,
            (i / 60) % 60,
            i % 60
        );
        fs::write(
            burst.join(format!("{i:05}.md")),
            article(&format!("第{i}篇"), &date),
        )
        .expect("write");
    }
    let health = server.wait_for_long("/healthz", Duration::from_secs(60), |r| {
        r.text().contains("\"articles\": 20000")
    });
    assert!(
        health.text().contains("\"content_errors\": 0"),
        "{}",
        health.text()
    );
    assert_eq!(
        server.get("/all.atom").titles(),
        ["第19999篇", "第19998篇", "第19997篇"]
    );
}

/// One file rewritten a thousand times as fast as possible: the feed ends
/// with the last version.
#[test]
fn a_file_replaced_a_thousand_times() {
    let site = Site::new();
    site.write("content/a.md", article("版本0", "2024-06-01"));
    let server = site.serve(&[]);
    let path = site.path().join("content/a.md");
    for i in 1..=1000 {
        let temp = site.path().join("content/.a.md.tmp");
        fs::write(&temp, article(&format!("版本{i}"), "2024-06-01")).expect("write");
        fs::rename(&temp, &path).expect("rename");
    }
    let reply = server.wait_for("/all.atom", |r| r.titles() == ["版本1000"]);
    assert_eq!(reply.status, 200);
    assert!(
        server
            .get("/healthz")
            .text()
            .contains("\"content_errors\": 0")
    );
}

/// A mirror that cannot be written: the error is logged and counted,
/// serving goes on, and the mirror catches up once it can be written.
#[test]
fn an_unwritable_mirror_recovers() {
    let site = Site::new();
    site.write("content/a.md", article("甲", "2024-06-01"));
    // A file where the mirror folder should be: no one can write into it.
    site.write("mirror", "in the way");
    let server = site.serve(&["--out", "mirror"]);
    assert_eq!(server.get("/all.atom").status, 200, "serving is unaffected");
    eventually("the mirror error counted", || {
        server
            .get("/metrics")
            .text()
            .contains("syndicated_mirror_errors_total 1")
    });
    assert!(
        server
            .log()
            .iter()
            .any(|l| l.contains("mirror:") && l.contains("ERROR")),
        "{:#?}",
        server.log()
    );

    fs::remove_file(site.path().join("mirror")).expect("clear the way");
    site.write("content/b.md", article("乙", "2024-06-02"));
    eventually("the mirror written", || {
        site.path().join("mirror/all.atom").is_file()
    });
    let served = server.wait_for("/all.atom", |r| r.titles() == ["乙", "甲"]);
    eventually("the mirror current", || {
        fs::read(site.path().join("mirror/all.atom")).is_ok_and(|b| b == served.body)
    });
}

/// `build` killed at any moment leaves, under each final name, either
/// nothing or a complete document.
#[test]
fn a_build_killed_midway_leaves_no_partial_file() {
    let site = Site::new();
    site.write("feeds/all.toml", "title = \"All\"\nlimit = 500\n");
    let body = "正文。".repeat(2000);
    for i in 0..500 {
        site.write(
            &format!("content/{i:03}.md"),
            format!(
                "---\ntitle: 第{i}篇\ndate: 2024-01-01T00:00:{:02}+08:00\n---\n{body}\n",
                i % 60
            ),
        );
    }
    for delay_ms in [5u64, 20, 40, 80, 120, 200] {
        let _ = fs::remove_dir_all(site.path().join("out"));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_syndicated"))
            .args(["build", "--out", "out"])
            .current_dir(site.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start build");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let Ok(entries) = fs::read_dir(site.path().join("out")) else {
            continue;
        };
        for entry in entries {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            if name.starts_with('.') {
                continue; // a temporary file, never a final name
            }
            let bytes = fs::read(site.path().join("out").join(&name)).expect("read");
            if name.ends_with(".rss") || name.ends_with(".atom") || name.ends_with(".json") {
                let feed = feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| {
                    panic!("{name} partial after a kill at {delay_ms} ms: {e}")
                });
                assert_eq!(feed.entries.len(), 500, "{name}");
            } else {
                let text = String::from_utf8(bytes).expect("utf-8");
                assert!(
                    text.trim_end().ends_with("</html>") || text.trim_end().ends_with("</opml>"),
                    "{name}"
                );
            }
        }
    }
    // And a build that is not killed still writes everything.
    assert_eq!(run_in(site.path(), &["build", "--out", "out"]).code, 0);
}
