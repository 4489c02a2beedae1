//! End to end through a real WebSub hub: flask-websub (PyPI) runs a hub
//! and a subscriber, its tasks on celery with Debian's `redis-server` as
//! the broker. The daemon pings the hub; the hub fetches the feed and
//! pushes it to the subscriber. `./test` installs what this needs.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::harness::{WAIT, eventually_within, patience, repo};
use crate::services::{Service, venv_python};

/// The subscriber's state: subscriptions made, notifications received.
fn state(port: u16) -> serde_json::Value {
    let reply = ureq::get(&format!("http://127.0.0.1:{port}/state"))
        .call()
        .and_then(|mut r| r.body_mut().read_to_string());
    reply
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(serde_json::Value::Null)
}

/// How long the edit took to reach the subscriber is printed, not
/// asserted (`benches/websub_hub.sh` reports its median over runs).
#[test]
#[ignore = "needs redis-server (Debian) and flask-websub (PyPI): run ./test"]
fn a_subscriber_of_a_real_hub_receives_an_edit() {
    let python = venv_python("flask_websub, celery, redis");
    let folder = tempfile::tempdir().expect("a folder");
    let redis = Service::listening("redis", folder.path(), |port| {
        let mut command = Command::new("redis-server");
        command.args(["--port", &port.to_string()]).args([
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]);
        command
    });
    let script = repo().join("tests/integration/websub_hub.py");
    let broker = format!("redis://127.0.0.1:{}/0", redis.port);
    let args = |mode: &str, port: u16| {
        let mut command = Command::new(&python);
        command
            .arg(&script)
            .args([mode, &port.to_string(), &broker])
            .arg(folder.path());
        command
    };
    let web = Service::listening("hub", folder.path(), |port| args("web", port));
    let hub_port = web.port;
    let worker = Service::start("worker", &mut args("worker", hub_port), folder.path());
    let logs = || [redis.log(), web.log(), worker.log()].join("\n");

    // The daemon, on an ephemeral port, then told that its feeds are
    // served there: the hub fetches the topic from its self URL.
    let hub_url = format!("http://127.0.0.1:{hub_port}/hub");
    let site = crate::websub::site_with_hubs(&[&hub_url], "");
    let server = site.serve(&[]);
    let seen = server.publications();
    site.write(
        "syndicated.toml",
        site.read("syndicated.toml").replace(
            "base_url = \"https://news.example/\"",
            &format!(
                "base_url = \"https://news.example/\"\nfeeds_url = \"http://{}/\"",
                server.addr
            ),
        ),
    );
    server.wait_for_publication_after(seen);
    let topic = format!("http://{}/all.atom", server.addr);
    assert!(server.get("/all.atom").text().contains(&topic));

    // Subscribe, and wait until the hub has verified the subscriber's intent.
    let asked = ureq::post(&format!("http://127.0.0.1:{hub_port}/subscribe"))
        .send_form([("topic", topic.as_str()), ("hub", hub_url.as_str())]);
    assert!(asked.is_ok(), "subscribing: {asked:?}\n{}", logs());
    eventually_within("the subscription", WAIT, || {
        state(hub_port)["subscribed"]
            .as_array()
            .is_some_and(|s| s.iter().any(|t| t == &topic))
    });

    // The edit, saved: the subscriber receives its bytes.
    let saved = Instant::now();
    site.article(
        "a.md",
        "title: 第一篇\ndate: 2024-06-01T08:00:00+08:00",
        "推送到订阅者的修改。",
    );
    let arrived = |state: &serde_json::Value| {
        state["received"].as_array().and_then(|received| {
            received
                .iter()
                .find(|n| {
                    n["topic"] == topic.as_str()
                        && n["body"]
                            .as_str()
                            .is_some_and(|b| b.contains("推送到订阅者的修改"))
                })
                .cloned()
        })
    };
    let notification = loop {
        if let Some(found) = arrived(&state(hub_port)) {
            break found;
        }
        assert!(
            saved.elapsed() < patience(WAIT),
            "no notification arrived:\n{}\n{:#?}",
            logs(),
            server.log()
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = saved.elapsed();
    // The body pushed is the feed document as served, which parses.
    let body = notification["body"].as_str().expect("a body");
    assert_eq!(body.as_bytes(), &server.get("/all.atom").body[..]);
    let feed = feed_rs::parser::parse(body.as_bytes()).expect("a feed");
    assert_eq!(feed.entries.len(), 1);
    eprintln!(
        "edit to subscriber through the hub: {:.1} ms",
        took.as_secs_f64() * 1000.0
    );
}
