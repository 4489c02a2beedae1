//! End to end through a real WebSub hub: flask-websub (PyPI) runs a hub
//! and a subscriber, its tasks on celery with Debian's `redis-server` as
//! the broker. The daemon pings the hub; the hub fetches the feed and
//! pushes it to the subscriber. `.ci/run` installs what this needs.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{eventually_within, repo, venv_python};

/// The hub's packages (PyPI), pinned: `celery[redis]` brings what kombu's
/// redis transport needs.
pub const HUB_PACKAGES: [&str; 3] = [
    "flask-websub[celery,redis]==0.4.1",
    "celery[redis]==5.7.0",
    "flask==3.1.3",
];

/// A Python with flask-websub: `target/websub-venv`, made on first use
/// (`.ci/run` makes it before the tests).
fn hub_python() -> PathBuf {
    static READY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    READY
        .get_or_init(|| venv_python("websub-venv", &HUB_PACKAGES, "flask_websub, celery, redis"))
        .clone()
}

/// A free loopback port (bound, read, released).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A service started in its own process group, stopped (the whole group,
/// by the leader's process id) when dropped.
struct Service {
    name: &'static str,
    child: Child,
    log: PathBuf,
}

impl Service {
    fn start(name: &'static str, command: &mut Command, folder: &Path) -> Service {
        use std::os::unix::process::CommandExt as _;
        let log = folder.join(format!("{name}.log"));
        let file = std::fs::File::create(&log).expect("a log file");
        let child = command
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("log"))
            .stderr(file)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {name}: {e}"));
        Service { name, child, log }
    }

    fn log(&self) -> String {
        format!(
            "--- {} ---\n{}",
            self.name,
            std::fs::read_to_string(&self.log).unwrap_or_default()
        )
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY-free: kill(2) on our own child's process group.
            let _ = Command::new("kill")
                .args(["-TERM", "--", &format!("-{pid}")])
                .status();
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the service `make` gives for a free port, and waits until it
/// listens there; another port is tried when it exits first (some other
/// process took the port between its choice and its use).
fn start_listening(
    name: &'static str,
    folder: &Path,
    make: impl Fn(u16) -> Command,
) -> (Service, u16) {
    for _ in 0..5 {
        let port = free_port();
        let mut service = Service::start(name, &mut make(port), folder);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(_)) = service.child.try_wait() {
                break;
            }
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                // Ours, and not another process that holds the port.
                std::thread::sleep(Duration::from_millis(200));
                if let Ok(None) = service.child.try_wait() {
                    return (service, port);
                }
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{name} did not start:\n{}",
                service.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!(
            "{name} stopped before listening; trying another port\n{}",
            service.log()
        );
    }
    panic!("{name} did not start on any of five ports");
}

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

#[test]
fn a_subscriber_of_a_real_hub_receives_an_edit_within_a_second() {
    let python = hub_python();
    let folder = tempfile::tempdir().expect("a folder");
    let (redis, redis_port) = start_listening("redis", folder.path(), |port| {
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
    let broker = format!("redis://127.0.0.1:{redis_port}/0");
    let args = |mode: &str, port: u16| {
        let mut command = Command::new(&python);
        command
            .arg(&script)
            .args([mode, &port.to_string(), &broker])
            .arg(folder.path());
        command
    };
    let (web, hub_port) = start_listening("hub", folder.path(), |port| args("web", port));
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
    eventually_within("the subscription", Duration::from_secs(20), || {
        state(hub_port)["subscribed"]
            .as_array()
            .is_some_and(|s| s.iter().any(|t| t == &topic))
    });

    // The edit, saved: the subscriber has its bytes within a second.
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
            saved.elapsed() < Duration::from_secs(20),
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
    assert!(
        took < Duration::from_secs(1),
        "the subscriber received the edit {took:?} after the save"
    );
    eprintln!("edit to subscriber through the hub: {took:?}");
}
