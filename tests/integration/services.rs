//! Programs from outside Rust that the tests run: third-party servers
//! (nginx, Varnish, redis, a WebSub hub, systemd-socket-activate), each on
//! a loopback port of its own, and Python's feedparser. `./test` installs
//! them; tests that need them are ignored by plain `cargo test`.
//!
//! Our own servers listen on port 0 and say which port they got; these
//! cannot all do that, so each is given a port below the kernel's
//! ephemeral range (`net.ipv4.ip_local_port_range`), which no socket bound
//! to port 0 and no outgoing connection ever takes, and distinct within
//! the test run. Another program on the machine may still hold it: the
//! server then exits, or listens without owning the port, and it is
//! started again on the next port. A server is ready when its own process
//! holds a listening socket on its port (read from `/proc`), not when
//! something answers there. It runs in a process group of its own, stopped
//! as a whole by the leader's process id when dropped.

use std::collections::HashSet;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

use crate::harness::{WAIT, patience, repo, signal};

/// A third-party server, stopped (its whole process group) when dropped.
pub struct Service {
    name: &'static str,
    child: Child,
    log: PathBuf,
    /// The loopback port it listens on (0 for a process that listens on none).
    pub port: u16,
}

impl Service {
    /// Starts `command` (a process that listens on no port, or whose port
    /// is not waited for), its output going to `NAME.log` in `folder`.
    pub fn start(name: &'static str, command: &mut Command, folder: &Path) -> Service {
        let log = folder.join(format!("{name}.log"));
        let file = std::fs::File::create(&log).expect("a log file");
        let child = command
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("log"))
            .stderr(file)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {name}: {e}"));
        Service {
            name,
            child,
            log,
            port: 0,
        }
    }

    /// Starts the server `make` gives for a port, and waits until it
    /// listens there; on a collision (it exits, or it runs without owning
    /// the port) it is stopped and started again on another port.
    pub fn listening(name: &'static str, folder: &Path, make: impl Fn(u16) -> Command) -> Service {
        for _ in 0..10 {
            let port = next_port();
            let mut service = Service::start(name, &mut make(port), folder);
            service.port = port;
            if service.wait_until_listening() {
                return service;
            }
            eprintln!(
                "{name} did not take port {port}; trying another\n{}",
                service.log()
            );
        }
        panic!("{name} did not start on any of ten ports");
    }

    /// Whether the server came to listen on its port (false: it exited, or
    /// another process holds the port).
    fn wait_until_listening(&mut self) -> bool {
        let bound = patience(WAIT * 2);
        let start = Instant::now();
        loop {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            let holders = listeners(self.port);
            if sockets_of(self.child.id())
                .iter()
                .any(|s| holders.contains(s))
            {
                return true;
            }
            if !holders.is_empty() && start.elapsed() > patience(Duration::from_secs(5)) {
                // Someone else's, and ours has not taken it over.
                return false;
            }
            assert!(
                start.elapsed() < bound,
                "{} did not listen within {bound:?}:\n{}",
                self.name,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// What it wrote, headed by its name.
    pub fn log(&self) -> String {
        format!(
            "--- {} ---\n{}",
            self.name,
            std::fs::read_to_string(&self.log).unwrap_or_default()
        )
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let pid = i32::try_from(self.child.id()).expect("a process id");
        signal(-pid, "TERM");
        let start = Instant::now();
        while start.elapsed() < patience(Duration::from_secs(10)) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        signal(-pid, "KILL");
        let _ = self.child.wait();
    }
}

/// The next port to give a server: below the ephemeral range, starting at
/// a point drawn from the process id so that two test runs on one machine
/// seldom meet.
fn next_port() -> u16 {
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let (low, high) = below_ephemeral();
    let span = high - low;
    let start = u16::try_from(std::process::id() % u32::from(span)).expect("within the span");
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    low + (start + n % span) % span
}

/// Ports no socket bound to port 0 takes: from 10000 to the start of the
/// kernel's ephemeral range, or above its end when it starts lower.
fn below_ephemeral() -> (u16, u16) {
    let range =
        std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range").unwrap_or_default();
    let mut bounds = range
        .split_whitespace()
        .filter_map(|n| n.parse::<u16>().ok());
    match (bounds.next(), bounds.next()) {
        (Some(first), _) if first > 12_000 => (10_000, first),
        (_, Some(last)) if last < 63_000 => (last + 1, 65_535),
        _ => panic!("no ports outside the ephemeral range {range:?}"),
    }
}

/// The inodes of the sockets listening on `port` (IPv4 and IPv6), from
/// `/proc/net/tcp` and `/proc/net/tcp6` (proc(5)).
fn listeners(port: u16) -> HashSet<u64> {
    let mut found = HashSet::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(table).unwrap_or_default();
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // local_address is ADDRESS:PORT in hex; state 0A is LISTEN.
            let local_port = fields
                .get(1)
                .and_then(|a| a.rsplit(':').next())
                .and_then(|p| u16::from_str_radix(p, 16).ok());
            if local_port == Some(port) && fields.get(3) == Some(&"0A") {
                if let Some(inode) = fields.get(9).and_then(|i| i.parse().ok()) {
                    found.insert(inode);
                }
            }
        }
    }
    found
}

/// The inodes of the sockets process `pid` holds open.
fn sockets_of(pid: u32) -> HashSet<u64> {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return HashSet::new();
    };
    fds.flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter_map(|target| {
            let target = target.to_str()?;
            target
                .strip_prefix("socket:[")?
                .strip_suffix(']')?
                .parse()
                .ok()
        })
        .collect()
}

/// The Python of `target/test-venv`, where `./test` installs the PyPI
/// packages pinned in `tests/requirements.txt`; a test that needs one of
/// `modules` (comma-separated, as `import` takes them) fails saying so
/// when the environment lacks it. Tests install nothing themselves.
pub fn venv_python(modules: &str) -> PathBuf {
    let python = repo().join("target/test-venv/bin/python");
    let has = Command::new(&python)
        .args(["-c", &format!("import {modules}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        has,
        "{modules} cannot be imported from {}: run ./test, which installs the PyPI packages of tests/requirements.txt there",
        python.display()
    );
    python
}

/// A Python with `feedparser` from PyPI ([`venv_python`]).
pub fn feedparser_python() -> PathBuf {
    venv_python("feedparser")
}

/// What `feedparser` makes of the feed document at `path` (a file, or a
/// URL it fetches), as JSON: the parsed dictionary with what JSON cannot
/// hold (dates as structs) left out, and for a URL the HTTP `status` and
/// the `href` it ended at.
pub fn feedparser(path: &Path) -> serde_json::Value {
    let script = r#"
import json, sys, time, feedparser
d = feedparser.parse(sys.argv[1])
def clean(v):
    if isinstance(v, dict): return {k: clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)) and not isinstance(v, time.struct_time): return [clean(x) for x in v]
    if isinstance(v, (str, int, float, bool)) or v is None: return v
    return str(v)
# `enclosures` is made from the links when asked for, not stored.
entries = [dict(clean(e), enclosures=clean(e.get("enclosures", []))) for e in d.entries]
print(json.dumps({"bozo": d.bozo, "version": d.version, "feed": clean(d.feed), "entries": entries,
                  "status": d.get("status"), "href": d.get("href")}))
"#;
    let out = Command::new(feedparser_python())
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("run feedparser");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("feedparser's JSON")
}

/// A program Debian installs in /usr/sbin, which a user's PATH may lack.
pub fn sbin(name: &str) -> PathBuf {
    let path = Path::new("/usr/sbin").join(name);
    if path.exists() {
        path
    } else {
        PathBuf::from(name)
    }
}

/// `dir` and nginx's temporary folders in it (and `more`), open to every
/// user: nginx's workers run as another user when started by root.
pub fn nginx_folders(dir: &Path, more: &[&str]) {
    let temporary = ["", "body", "proxy", "fastcgi", "uwsgi", "scgi"];
    for sub in temporary.iter().chain(more) {
        let path = dir.join(sub);
        std::fs::create_dir_all(&path).expect("a folder");
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o777))
            .expect("permissions");
    }
}
