//! The systemd notify protocol, read from a real `NOTIFY_SOCKET` that the
//! test binds: what is sent, in what order, and when.

use std::os::unix::net::UnixDatagram;
use std::time::{Duration, Instant};

use crate::harness::{Site, WAIT, patience};
use crate::services::Service;

/// Reads datagrams until one satisfies `done`; returns all read, each with
/// when it arrived.
fn until(socket: &UnixDatagram, done: impl Fn(&str) -> bool) -> Vec<(Instant, String)> {
    let mut seen = Vec::new();
    let mut buf = vec![0u8; 4096];
    loop {
        let n = socket
            .recv(&mut buf)
            .unwrap_or_else(|e| panic!("no message ({e}); so far {seen:#?}"));
        let text = String::from_utf8_lossy(&buf[..n]).into_owned();
        let stop = done(&text);
        seen.push((Instant::now(), text));
        if stop {
            return seen;
        }
    }
}

#[test]
fn ready_status_watchdog_reload_and_stop_in_order() {
    let site = Site::new();
    site.write(
        "content/a.md",
        "---\ntitle: 甲\ndate: 2024-06-01\n---\n正文。\n",
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&path).expect("bind");
    socket
        .set_read_timeout(Some(patience(WAIT)))
        .expect("timeout");
    let server = site.serve_with_env(
        &[],
        &[
            ("NOTIFY_SOCKET", path.to_str().expect("utf-8")),
            ("WATCHDOG_USEC", "400000"),
        ],
    );

    // READY=1 comes with the status, after the server is listening.
    let start = until(&socket, |m| m.contains("READY=1"));
    let ready = &start.last().expect("ready").1;
    assert!(
        ready.contains("STATUS=serving 1 article in 1 feed, 0 content errors"),
        "{ready}"
    );
    assert!(
        start.iter().all(|(_, m)| !m.contains("WATCHDOG=1")),
        "{start:#?}"
    );
    assert_eq!(server.get("/all.atom").status, 200, "ready means served");

    // WATCHDOG=1 at half of WATCHDOG_USEC (200 ms).
    let pings: Vec<Instant> = until(&socket, {
        let count = std::cell::Cell::new(0);
        move |m| {
            if m.contains("WATCHDOG=1") {
                count.set(count.get() + 1);
            }
            count.get() == 5
        }
    })
    .into_iter()
    .filter(|(_, m)| m.contains("WATCHDOG=1"))
    .map(|(t, _)| t)
    .collect();
    // At half of WATCHDOG_USEC: a lower bound only, as a busy machine may
    // delay a ping (and the next comes a whole interval after it).
    let gaps: Vec<Duration> = pings.windows(2).map(|w| w[1] - w[0]).collect();
    for gap in &gaps {
        assert!(*gap > Duration::from_millis(100), "{gaps:?}");
    }

    // A new status after each publication.
    site.write(
        "content/b.md",
        "---\ntitle: 乙\ndate: 2024-06-02\n---\n正文。\n",
    );
    until(&socket, |m| {
        m.contains("STATUS=serving 2 articles in 1 feed, 0 content errors")
    });

    // SIGHUP: RELOADING=1 with MONOTONIC_USEC, then READY=1.
    server.signal("HUP");
    let reload = until(&socket, |m| m.contains("RELOADING=1"));
    let reloading = &reload.last().expect("reloading").1;
    let usec = reloading
        .lines()
        .find_map(|l| l.strip_prefix("MONOTONIC_USEC="))
        .unwrap_or_else(|| panic!("no MONOTONIC_USEC in {reloading:?}"));
    assert!(usec.parse::<u64>().is_ok_and(|u| u > 0), "{usec}");
    until(&socket, |m| m.contains("READY=1"));

    // SIGTERM: STOPPING=1, then a clean exit.
    server.signal("TERM");
    until(&socket, |m| m.contains("STOPPING=1"));
    assert_eq!(server.wait(), 0);
}

#[test]
fn without_watchdog_usec_there_are_no_pings() {
    let site = Site::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&path).expect("bind");
    socket
        .set_read_timeout(Some(patience(WAIT)))
        .expect("timeout");
    let server = site.serve_with_env(&[], &[("NOTIFY_SOCKET", path.to_str().expect("utf-8"))]);
    // From the start through a publication to the stop, nothing but the
    // notifications of those events.
    let mut seen = until(&socket, |m| m.contains("READY=1"));
    site.write(
        "content/b.md",
        "---\ntitle: 乙\ndate: 2024-06-02\n---\n正文。\n",
    );
    seen.extend(until(&socket, |m| m.contains("STATUS=serving 1 article")));
    server.signal("TERM");
    seen.extend(until(&socket, |m| m.contains("STOPPING=1")));
    assert!(
        seen.iter().all(|(_, m)| !m.contains("WATCHDOG=1")),
        "{seen:#?}"
    );
}

/// Socket activation: systemd-socket-activate holds the listening socket and
/// starts the daemon on the first connection, passing the socket along.
#[test]
#[ignore = "needs systemd-socket-activate (Debian: systemd): run ./test"]
fn serves_on_a_socket_passed_by_systemd() {
    let site = Site::new();
    site.write(
        "content/a.md",
        "---\ntitle: 甲\ndate: 2024-06-01\n---\n正文。\n",
    );
    let dir = tempfile::tempdir().expect("a folder");
    let activator = Service::listening("systemd-socket-activate", dir.path(), |port| {
        let mut command = std::process::Command::new("systemd-socket-activate");
        command
            .args(["-l", &format!("127.0.0.1:{port}")])
            .arg(env!("CARGO_BIN_EXE_syndicated"))
            .arg("serve")
            .current_dir(site.path());
        command
    });
    let port = activator.port;
    // Bounded, so a daemon that ignored the socket fails the test instead
    // of leaving the request hanging.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(patience(WAIT)))
        .build()
        .into();
    let mut reply = agent
        .get(&format!("http://127.0.0.1:{port}/all.atom"))
        .call()
        .expect("served through the inherited socket");
    assert_eq!(reply.status(), 200);
    let body = reply.body_mut().read_to_vec().expect("body");
    let feed = feed_rs::parser::parse(body.as_slice()).expect("feed");
    assert_eq!(feed.entries.len(), 1);
}

/// Under systemd (`JOURNAL_STREAM` set) log lines carry the journal's
/// priority and no timestamp of their own.
#[test]
fn journal_lines_carry_priorities_and_no_timestamps() {
    let site = Site::new();
    site.write(
        "content/good.md",
        "---\ntitle: 甲\ndate: 2024-06-01\n---\n正文。\n",
    );
    site.write("content/broken.md", "---\ntitle: [\n---\n");
    let server = site.serve_with_env(&[], &[("JOURNAL_STREAM", "8:12345")]);
    let log = server.log();
    assert!(
        log.iter()
            .all(|l| l.len() > 3 && l.starts_with('<') && l.as_bytes()[2] == b'>'),
        "{log:#?}"
    );
    assert!(
        log.iter()
            .any(|l| l.starts_with("<3>content/broken.md:2: YAML front matter")),
        "{log:#?}"
    );
    assert!(
        log.iter()
            .any(|l| l.starts_with("<6>listening on http://127.0.0.1:")),
        "{log:#?}"
    );
    // No time of day (hh:mm:ss) anywhere: the journal keeps its own.
    let has_time = |l: &str| {
        l.as_bytes().windows(8).any(|w| {
            w.iter().enumerate().all(|(i, b)| {
                if i == 2 || i == 5 {
                    *b == b':'
                } else {
                    b.is_ascii_digit()
                }
            })
        })
    };
    assert!(!log.iter().any(|l| has_time(l)), "{log:#?}");
}

#[test]
fn json_lines_for_log_shippers() {
    let site = Site::new();
    let server = site.serve(&["--log-format", "json"]);
    for line in server.log() {
        let value: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert!(
            value["level"].is_string() && value["fields"]["message"].is_string(),
            "{line}"
        );
    }
}
