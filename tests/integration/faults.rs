//! Faults: event storms, a file rewritten a thousand times, a mirror that
//! cannot be written, and a build killed midway. The final state is exact,
//! serving is never interrupted, and no partial file appears under a final
//! name.

use std::fs;
use std::io::{Read as _, Write as _};
use std::path::Path;
use std::time::Duration;

use crate::harness::{Site, WAIT, eventually, eventually_within, patience, run_in, signal};

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

/// A file truncated and rewritten in pieces while the daemon reads it:
/// whatever a read catches (nothing, half a front matter, half a body) is an
/// article or an error, never a panic; every response meanwhile is a
/// complete feed; and the final version is what is served at the end.
#[test]
fn a_file_truncated_while_being_read() {
    let site = Site::new();
    site.write("content/a.md", article("开始", "2024-06-01"));
    site.write("content/b.md", article("旁边", "2024-05-01"));
    let server = site.serve(&[]);
    let path = site.path().join("content/a.md");
    let body = "正文。".repeat(20_000);
    let writer = std::thread::spawn(move || {
        for i in 0..60 {
            let text = format!("---\ntitle: 版本{i}\ndate: 2024-06-01\n---\n{body}\n");
            let mut file = fs::File::create(&path).expect("truncate");
            for piece in text.as_bytes().chunks(7_000) {
                file.write_all(piece).expect("write");
                file.flush().expect("flush");
                std::thread::sleep(Duration::from_micros(500));
            }
            if i % 3 == 0 {
                // Cut short again in the middle of a read.
                file.set_len(text.len() as u64 / 2).expect("truncate");
            }
        }
    });
    while !writer.is_finished() {
        let reply = server.get("/all.atom");
        assert_eq!(reply.status, 200);
        feed_rs::parser::parse(reply.body.as_slice()).expect("a complete feed");
    }
    writer.join().expect("writer");
    let last = "---\ntitle: 最终\ndate: 2024-06-01\n---\n最后的正文。\n";
    site.write("content/a.md", last);
    let reply = server.wait_for("/all.atom", |r| r.titles() == ["最终", "旁边"]);
    assert!(reply.text().contains("最后的正文。"));
    server.wait_for("/healthz", |r| r.text().contains("\"content_errors\": 0"));
    assert!(
        !server.log().iter().any(|l| l.contains("panic")),
        "{:#?}",
        server.log()
    );
}

/// A mirror that cannot be written: the error is logged and counted,
/// serving goes on, and the mirror catches up on its own once it can be
/// written, with no further publication.
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
    let served = server.get("/all.atom");
    eventually("the mirror current without another publication", || {
        fs::read(site.path().join("mirror/all.atom")).is_ok_and(|b| b == served.body)
    });
    eventually("the recovery logged", || {
        server
            .log()
            .iter()
            .any(|l| l.contains("mirror: current again"))
    });
}

/// The mirror on a full disk (a 1 MiB tmpfs of the daemon's own, mounted
/// in a private mount namespace): the failed writes are logged and counted
/// and leave no partial file, serving shows every edit, and once space is
/// freed the mirror catches up on its own.
#[test]
fn a_full_mirror_disk_is_logged_and_recovers() {
    let site = Site::new();
    site.write("content/a.md", article("甲", "2024-06-01"));
    fs::create_dir(site.path().join("mirror")).expect("mkdir");
    let mirror = site.path().join("mirror");
    let mount = "mount -t tmpfs -o size=1m syndicated-test \"$0\" && exec \"$@\"";
    let mirror_arg = mirror.to_str().expect("UTF-8 path");
    let server = site.serve_through(
        &[
            "unshare",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            mount,
            mirror_arg,
        ],
        &["--out", "mirror"],
        &[],
    );
    // The daemon's view of the folder: its tmpfs, not the folder beneath.
    let inside = Path::new("/proc")
        .join(server.pid().to_string())
        .join("root")
        .join(mirror.strip_prefix("/").expect("absolute"));
    eventually("the first mirror written", || {
        inside.join("all.atom").is_file()
    });
    assert!(!mirror.join("all.atom").exists(), "written to the tmpfs");

    // Fill the disk.
    let mut filler = fs::File::create(inside.join("filler")).expect("filler");
    let chunk = vec![b'x'; 64 * 1024];
    while filler.write_all(&chunk).is_ok() {}
    drop(filler);

    site.write("content/b.md", article("乙", "2024-06-02"));
    let served = server.wait_for("/all.atom", |r| r.titles() == ["乙", "甲"]);
    eventually("the full disk logged", || {
        server
            .log()
            .iter()
            .any(|l| l.contains("mirror:") && l.contains("No space left on device"))
    });
    assert!(
        !server
            .get("/metrics")
            .text()
            .contains("syndicated_mirror_errors_total 0"),
        "counted"
    );
    assert_eq!(
        temporary(&inside),
        Vec::<String>::new(),
        "temporary files left behind"
    );
    let old = fs::read(inside.join("all.atom")).expect("the old version stays");
    assert_eq!(
        crate::harness::titles_of(&feed_rs::parser::parse(old.as_slice()).expect("complete")),
        ["甲"]
    );

    fs::remove_file(inside.join("filler")).expect("free the space");
    eventually_within("the mirror current again", Duration::from_secs(20), || {
        fs::read(inside.join("all.atom")).is_ok_and(|b| b == served.body)
    });
}

/// The daemon killed while it writes a large mirror: under every final
/// name there is a complete document, and the next run cleans up the
/// temporary files the killed one left and brings the mirror up to date.
#[test]
fn a_daemon_killed_during_a_mirror_write_leaves_no_partial_file() {
    let site = large_site();
    let mirror = site.path().join("mirror");
    // Killed when a temporary file has been seen N times: at different
    // points of the writing. Each time the daemon is first stopped
    // (SIGSTOP), so that what it was doing when killed is known: if a
    // temporary file is still there, the kill lands in the middle of a
    // file's write. Runs go on, past the five points, until one did.
    let bound = patience(WAIT * 4);
    let started = std::time::Instant::now();
    for (round, nth) in [40usize, 20, 10, 5, 1].into_iter().cycle().enumerate() {
        assert!(
            started.elapsed() < bound,
            "no kill landed in the middle of a write within {bound:?}"
        );
        let _ = fs::remove_dir_all(&mirror);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_syndicated"))
            .args(["serve", "--listen", "127.0.0.1:0", "--out", "mirror"])
            .current_dir(site.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start syndicated serve");
        let mut seen = 0;
        while seen < nth && !(seen > 0 && temporary(&mirror).is_empty()) {
            if !temporary(&mirror).is_empty() {
                seen += 1;
            }
            assert!(started.elapsed() < bound, "no mirror written");
        }
        signal(child.id(), "STOP");
        let mid_write = !temporary(&mirror).is_empty();
        let _ = child.kill();
        let _ = child.wait();
        complete_documents(&mirror, &format!("killed at the {nth}th sight of a write"));
        // Ended on a kill mid-write: its temporary files are left for the
        // next run to clean up.
        if mid_write && round >= 4 {
            break;
        }
    }

    // The mirror is brought up to date once the server is up.
    let server = site.serve(&["--out", "mirror"]);
    let served = server.get("/all.atom");
    eventually("the mirror current, no temporary file left", || {
        fs::read(mirror.join("all.atom")).is_ok_and(|b| b == served.body)
            && temporary(&mirror).is_empty()
    });
    complete_documents(&mirror, "after the next run");
}

/// The temporary files in `dir` (none when it does not exist).
fn temporary(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}

/// 500 articles of 6,000 bytes in one feed of 500 items: documents of
/// megabytes, so that a kill lands in the middle of writing them.
fn large_site() -> Site {
    let site = Site::new();
    site.write(
        "feeds/all.toml",
        "title = \"All\"\nlimit = 500\nmax_bytes = 64000000\n",
    );
    for i in 0..500 {
        site.write(&format!("content/{i:03}.md"), large_article(i));
    }
    site
}

fn large_article(i: usize) -> String {
    format!(
        "---\ntitle: 第{i}篇\ndate: 2024-01-01T00:{:02}:{:02}+08:00\n---\n{}\n",
        i / 60,
        i % 60,
        "正文。".repeat(2000)
    )
}

/// Asserts that every file in `dir` under a final name (not hidden) is a
/// complete document.
fn complete_documents(dir: &Path, when: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.starts_with('.') || name == "_redirects" {
            // A temporary file, the manifest or the maps; the redirects
            // (no document: written whole, after the documents).
            continue;
        }
        let bytes = fs::read(dir.join(&name)).expect("read");
        let (document, plain) = if let Some(base) = name.strip_suffix(".gz") {
            let mut plain = Vec::new();
            let read = flate2::read::GzDecoder::new(bytes.as_slice()).read_to_end(&mut plain);
            (base, read.map(|_| plain))
        } else if let Some(base) = name.strip_suffix(".br") {
            let mut plain = Vec::new();
            let read = brotli::Decompressor::new(bytes.as_slice(), 4096).read_to_end(&mut plain);
            (base, read.map(|_| plain))
        } else {
            (name.as_str(), Ok(bytes))
        };
        let plain = plain.unwrap_or_else(|e| panic!("{name} partial, {when}: {e}"));
        check_document(document, &plain, when);
    }
}

fn check_document(name: &str, bytes: &[u8], when: &str) {
    if name.ends_with(".rss") || name.ends_with(".atom") || name.ends_with(".json") {
        let feed =
            feed_rs::parser::parse(bytes).unwrap_or_else(|e| panic!("{name} partial, {when}: {e}"));
        assert!(feed.entries.len() >= 499, "{name}, {when}");
    } else if name.ends_with(".css") || name.ends_with(".js") {
        let whole = if name.ends_with(".css") {
            syndicated::pages::STYLE_TEXT
        } else {
            syndicated::pages::SCRIPT_TEXT
        };
        assert_eq!(bytes, whole.as_bytes(), "{name} partial, {when}");
    } else {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            text.trim_end().ends_with("</html>") || text.trim_end().ends_with("</opml>"),
            "{name} partial, {when}"
        );
    }
}

/// `build` killed at any moment leaves, under each final name, either
/// nothing or a complete document.
#[test]
fn a_build_killed_midway_leaves_no_partial_file() {
    let site = large_site();
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
        complete_documents(
            &site.path().join("out"),
            &format!("killed at {delay_ms} ms"),
        );
    }
    // And a build that is not killed still writes everything.
    assert_eq!(run_in(site.path(), &["build", "--out", "out"]).code, 0);
}
