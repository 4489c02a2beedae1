//! A site in a temporary folder, and the binary run on it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The repository, for the sample site.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub const CONFIG: &str = r#"[site]
title = "Test site"
base_url = "https://news.example/"
language = "zh-CN"
timezone = "Asia/Shanghai"
authority = "news.example"
"#;

/// A site on disk: `syndicated.toml`, `feeds/`, `content/`.
pub struct Site {
    dir: TempDir,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Site {
    /// A site with [`CONFIG`], one feed `all` with every article, and no articles.
    pub fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write("syndicated.toml", CONFIG);
        site.write("feeds/all.toml", "title = \"All\"\n");
        fs::create_dir_all(site.path().join("content")).expect("content dir");
        site
    }

    /// A site with every kind of document: feeds with their pages, archive
    /// pages (`all`, 3 items a page, 7 articles), a variant (`all.zh-TW`),
    /// a family of tag feeds in a folder, a feed by category
    /// (`politics`), the OPML list and the index page; every other
    /// article is in English in this Chinese site.
    pub fn every_kind() -> Site {
        let site = Site::new();
        site.write(
            "feeds/all.toml",
            "title = \"全部\"\nlimit = 3\narchive = true\nvariants = [\"zh-TW\"]\n",
        );
        site.write(
            "feeds/politics.toml",
            "title = \"时政\"\n[filter]\ncategories = [\"时政\"]\n",
        );
        site.write(
            "feeds/tags.toml",
            "title = \"标签 · {value}\"\neach = \"tags\"\n",
        );
        for i in 1..=7 {
            let lang = if i % 2 == 0 { "\nlang: en" } else { "" };
            site.article(
                &format!("a{i}.md"),
                &format!(
                    "title: 第{i}篇\ndate: 2024-06-0{i}\ncategory: 时政\ntags: [运河, 软件]{lang}"
                ),
                "正文，有<em>强调</em>和[链接](https://example.com/)。",
            );
        }
        site
    }

    /// The site a test made in `dir` (with `init`, say).
    pub fn from_dir(dir: TempDir) -> Site {
        Site { dir }
    }

    /// A copy of the repository's sample site.
    pub fn sample() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        fs::copy(
            repo().join("syndicated.toml"),
            site.path().join("syndicated.toml"),
        )
        .expect("copy config");
        copy_dir(&repo().join("content"), &site.path().join("content"));
        copy_dir(&repo().join("feeds"), &site.path().join("feeds"));
        site
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `rel`, creating folders as needed.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Site {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("create dirs");
        fs::write(&path, contents).expect("write file");
        self
    }

    /// Writes an article with YAML front matter at `rel` inside `content/`.
    pub fn article(&self, rel: &str, front_matter: &str, body: &str) -> &Site {
        self.write(
            &format!("content/{rel}"),
            format!("---\n{front_matter}\n---\n{body}"),
        )
    }

    /// Sets the permission bits of `rel`.
    pub fn mode(&self, rel: &str, mode: u32) {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(self.path().join(rel), fs::Permissions::from_mode(mode))
            .expect("chmod");
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).expect("read file")
    }

    /// Runs the binary in the site's folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }

    /// Writes `text` to `rel` and insists that `check` fails saying
    /// `expected` (a `path:line: message` or part of one, in English).
    pub fn check_fails_with(&self, rel: &str, text: &str, expected: &str) {
        self.write(rel, text);
        let run = self.run(&["check", "--language", "en"]);
        assert_eq!(run.code, 1, "{text}\n{run:#?}");
        assert!(run.stdout.contains(expected), "{text}\n{}", run.stdout);
    }

    /// `syndicated build --out out`; the feeds are then read with [`Site::feed`].
    pub fn build(&self) -> Run {
        self.run(&["build", "--out", "out"])
    }

    /// Builds and insists on success.
    pub fn build_ok(&self) -> Run {
        let run = self.build();
        assert_eq!(run.code, 0, "build failed: {run:#?}");
        run
    }

    pub fn out(&self, file: &str) -> PathBuf {
        self.path().join("out").join(file)
    }

    /// The built file `file` (for example `all.rss`), parsed by feed-rs.
    pub fn feed(&self, file: &str) -> feed_rs::model::Feed {
        let bytes = fs::read(self.out(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    /// The titles of the items of every format of feed `name`, checking that
    /// the three formats agree.
    pub fn titles(&self, name: &str) -> Vec<String> {
        let per_format: Vec<Vec<String>> = ["rss", "atom", "json"]
            .iter()
            .map(|ext| titles_of(&self.feed(&format!("{name}.{ext}"))))
            .collect();
        assert_eq!(per_format[0], per_format[1], "RSS and Atom disagree");
        assert_eq!(per_format[0], per_format[2], "RSS and JSON disagree");
        per_format[0].clone()
    }
}

/// Every file under `dir`, as paths relative to it with `/` separators,
/// sorted (folders are walked, not listed).
pub fn files_under(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("inside");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The titles of a feed's items, in order.
pub fn titles_of(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| {
            e.title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// How long a test waits for something that should happen at once, before
/// it says it never did: [`patience`] of this.
pub const WAIT: Duration = Duration::from_secs(30);

/// `bound` times `SYNDICATED_TEST_TIMEOUT_SCALE` (a number, default 1).
/// Every wait of the suite is bounded through this, so that a machine far
/// slower or busier than usual (an emulator, valgrind, a build beside the
/// tests) is given more time by one setting. A wait ends as soon as what
/// it waits for happens: the bound only says how long to wait before
/// failing. Lower bounds that are a contract (a timeout must not fire
/// early) are never scaled.
pub fn patience(bound: Duration) -> Duration {
    static SCALE: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    let scale = *SCALE.get_or_init(|| {
        let set = std::env::var("SYNDICATED_TEST_TIMEOUT_SCALE").ok();
        set.map_or(1.0, |text| {
            text.parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s > 0.0)
                .unwrap_or_else(|| {
                    panic!("SYNDICATED_TEST_TIMEOUT_SCALE={text:?} is not a positive number")
                })
        })
    });
    bound.mul_f64(scale)
}

/// Waits until `done` holds, at most [`patience`] of [`WAIT`]; `what`
/// says what was awaited.
pub fn eventually(what: &str, done: impl Fn() -> bool) {
    eventually_within(what, WAIT, done);
}

/// [`eventually`] with another bound (also scaled by [`patience`]).
pub fn eventually_within(what: &str, bound: Duration, done: impl Fn() -> bool) {
    let bound = patience(bound);
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < bound,
            "never happened within {bound:?}: {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_through(&[], dir, args)
}

/// The binary, or a `wrapper` command (`setpriv …`, `unshare …`) that ends
/// by running the program named after its own arguments. A wrapper may
/// change the user, who may not reach the build folder (a clone under
/// `/root`), so it runs a link to the binary inside the site's folder `dir`.
fn command(wrapper: &[&str], dir: &Path) -> Command {
    let binary = Path::new(env!("CARGO_BIN_EXE_syndicated"));
    let mut command = match wrapper.split_first() {
        Some((first, rest)) => {
            let reachable = dir.join(".syndicated-under-test");
            if !reachable.exists() {
                fs::hard_link(binary, &reachable)
                    .or_else(|_| fs::copy(binary, &reachable).map(drop))
                    .expect("a link to the binary");
            }
            let mut command = Command::new(first);
            command.args(rest).arg(reachable);
            command
        }
        None => Command::new(binary),
    };
    // Messages follow the site's language unless a test says otherwise,
    // whatever the locale of the machine running the tests.
    for locale in ["LC_ALL", "LC_MESSAGES", "LANG", "SYNDICATED_LANGUAGE"] {
        command.env_remove(locale);
    }
    command
}

/// [`run_in`] through a wrapper command (see [`command`]).
pub fn run_through(wrapper: &[&str], dir: &Path, args: &[&str]) -> Run {
    run_with_env(wrapper, dir, args, &[])
}

/// [`run_through`] with the environment variables `env` set (the locale's
/// are removed first: see [`command`]).
pub fn run_with_env(wrapper: &[&str], dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = command(wrapper, dir)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()
        .expect("run syndicated");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// A wrapper that runs a command as the unprivileged user `nobody` when
/// the tests run as root (as CI does), for whom permissions are real;
/// nothing otherwise. The site must then be readable by others.
pub fn unprivileged() -> &'static [&'static str] {
    use std::os::unix::fs::MetadataExt as _;
    let euid = fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(0);
    if euid == 0 {
        &[
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
        ]
    } else {
        &[]
    }
}

/// Sends the signal `name` (`HUP`, `TERM`, `INT`, `KILL`, `STOP`, `CONT`)
/// to the process `pid`, or, for a negative `pid`, to its process group.
pub fn signal(pid: impl TryInto<i32>, name: &str) {
    use rustix::process::{Pid, Signal, kill_process, kill_process_group};
    let signal = match name {
        "HUP" => Signal::HUP,
        "TERM" => Signal::TERM,
        "INT" => Signal::INT,
        "KILL" => Signal::KILL,
        "STOP" => Signal::STOP,
        "CONT" => Signal::CONT,
        other => panic!("no signal {other} here"),
    };
    let pid: i32 = pid
        .try_into()
        .unwrap_or_else(|_| panic!("not a process id"));
    let sent = match Pid::from_raw(pid.abs()) {
        Some(group) if pid < 0 => kill_process_group(group, signal),
        Some(process) => kill_process(process, signal),
        None => panic!("no process 0"),
    };
    sent.unwrap_or_else(|e| panic!("signal {name} to {pid}: {e}"));
}

/// Reads until the server closes the connection and returns what it sent.
/// A read timeout set on `stream` (else [`patience`] of [`WAIT`]) ending
/// the wait first fails the test: the server never closed the connection.
pub fn read_to_close(stream: &mut std::net::TcpStream) -> Vec<u8> {
    use std::io::Read as _;
    if stream.read_timeout().ok().flatten().is_none() {
        stream
            .set_read_timeout(Some(patience(WAIT)))
            .expect("a read timeout");
    }
    let mut out = Vec::new();
    if let Err(error) = stream.read_to_end(&mut out) {
        let timed_out = matches!(
            error.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        );
        // A reset is the server closing too.
        assert!(!timed_out, "the server never closed the connection");
    }
    out
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create dir");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy file");
        }
    }
}

/// `syndicated serve` running on a site, on an ephemeral port of 127.0.0.1.
pub struct Server {
    child: std::process::Child,
    pub addr: std::net::SocketAddr,
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    agent: ureq::Agent,
}

/// A response as the tests look at it.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A failing test shows the body as text (what is not UTF-8 escaped), not
/// as an array of numbers.
impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reply")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

impl Reply {
    /// The body as sent before its `Content-Encoding` (gzip, br, or none).
    pub fn decoded(&self) -> Vec<u8> {
        use std::io::Read as _;
        let mut out = Vec::new();
        match self.header("content-encoding") {
            Some("gzip") => flate2::read::GzDecoder::new(&self.body[..])
                .read_to_end(&mut out)
                .expect("gzip"),
            Some("br") => brotli::Decompressor::new(&self.body[..], 4096)
                .read_to_end(&mut out)
                .expect("br"),
            _ => return self.body.clone(),
        };
        out
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of the header `name`, in order.
    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("body is UTF-8")
    }

    /// The titles of the feed in the body. A reply that is not a feed (a
    /// 404, a 500, an error page) fails the test: waiting for "no titles"
    /// must not pass on a broken server.
    pub fn titles(&self) -> Vec<String> {
        assert_eq!(self.status, 200, "not a feed: {self:#?}");
        match feed_rs::parser::parse(self.body.as_slice()) {
            Ok(feed) => titles_of(&feed),
            Err(e) => panic!("not a feed ({e}): {}", String::from_utf8_lossy(&self.body)),
        }
    }
}

impl Site {
    /// Starts `syndicated serve` on this site with `extra` arguments and
    /// waits until it listens.
    pub fn serve(&self, extra: &[&str]) -> Server {
        self.serve_with_env(extra, &[])
    }

    /// [`Site::serve`] with extra environment variables.
    pub fn serve_with_env(&self, extra: &[&str], env: &[(&str, &str)]) -> Server {
        self.serve_through(&[], extra, env)
    }

    /// [`Site::serve_with_env`] through a wrapper command (see [`command`]).
    pub fn serve_through(&self, wrapper: &[&str], extra: &[&str], env: &[(&str, &str)]) -> Server {
        use std::io::BufRead as _;
        // An ephemeral port, unless the test names an address or a port.
        let listen: &[&str] = if extra.contains(&"--listen") || extra.contains(&"--port") {
            &[]
        } else {
            &["--listen", "127.0.0.1:0"]
        };
        let mut child = command(wrapper, self.path())
            .arg("serve")
            .args(listen)
            .args(extra)
            // What a test gives (RUST_LOG=debug, say) wins.
            .env("RUST_LOG", "info")
            .envs(env.iter().copied())
            .current_dir(self.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start syndicated serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (found, address) = std::sync::mpsc::channel();
        let lines = std::sync::Arc::clone(&log);
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let address: Option<String> =
                    line.split("listening on http://").nth(1).map(|rest| {
                        // The address, whatever the log format around it.
                        rest.chars()
                            .take_while(|c| c.is_ascii_hexdigit() || ".:[]".contains(*c))
                            .collect()
                    });
                // Logged before the address is handed over, so a test that
                // reads the log once the server listens finds the line.
                lines.lock().expect("log").push(line);
                if let Some(address) = address {
                    let _ = found.send(address);
                }
            }
        });
        let addr = match address.recv_timeout(patience(WAIT)) {
            Ok(addr) => addr.parse().expect("address"),
            Err(_) => {
                let _ = child.kill();
                panic!("the server did not start: {:#?}", log.lock().expect("log"));
            }
        };
        let agent = client();
        let server = Server {
            child,
            addr,
            log,
            agent,
        };
        // The first publication is served at once and compressed just
        // after; the files are watched after that, from a rescan on (its
        // log line): tests start from the settled state, so that an edit
        // they make is an event, not something the start-up rescan finds.
        server.wait_finished();
        eventually("the daemon watching", || {
            server
                .log()
                .iter()
                .any(|l| l.contains("rescanned everything"))
        });
        server
    }
}

impl Server {
    /// The daemon's process id (a wrapper `exec`s it, so it keeps the id).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A request with the given headers.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
        request_with(&self.agent, method, &self.url(path), headers)
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[])
    }

    /// How many publications the daemon has made (from `/healthz`).
    pub fn publications(&self) -> u64 {
        let health: serde_json::Value =
            serde_json::from_slice(&self.get("/healthz").body).expect("healthz is JSON");
        health["publications"]
            .as_u64()
            .expect("a publication count")
    }

    /// Waits until every served document's `Last-Modified` is settled
    /// (`/healthz` `settling` is 0): a date shared with an earlier version,
    /// or given with nothing remembered (a start without a state folder),
    /// answers no `If-Modified-Since` of its second with 304 until the
    /// second is over and the document is dated anew.
    pub fn wait_settled(&self) {
        self.wait_for("/healthz", |reply| {
            String::from_utf8_lossy(&reply.body).contains("\"settling\": 0")
        });
    }

    /// Waits until the finisher is done with every publication served so
    /// far (`/healthz` `compressing` is 0): their dates are in the state
    /// folder and their variants compressed.
    pub fn wait_finished(&self) {
        self.wait_for("/healthz", |reply| {
            String::from_utf8_lossy(&reply.body).contains("\"compressing\": 0")
        });
    }

    /// Waits for a publication after the `seen`th.
    pub fn wait_for_publication_after(&self, seen: u64) {
        eventually("the next publication", || self.publications() > seen);
    }

    /// Sends `request` as raw bytes and returns everything the server sends
    /// back before it closes the connection (or [`patience`] runs out).
    pub fn exchange(&self, request: &[u8]) -> String {
        use std::io::{Read as _, Write as _};
        let mut stream = std::net::TcpStream::connect(self.addr).expect("connect");
        stream
            .set_read_timeout(Some(patience(WAIT)))
            .expect("timeout");
        stream.write_all(request).expect("write");
        let mut out = Vec::new();
        let _ = stream.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Polls `path` until `done` holds (at most [`patience`] of [`WAIT`]),
    /// and returns that reply.
    pub fn wait_for(&self, path: &str, done: impl Fn(&Reply) -> bool) -> Reply {
        self.wait_for_long(path, WAIT, done)
    }

    /// [`Server::wait_for`] with a longer bound (scaled too), for large bursts.
    pub fn wait_for_long(
        &self,
        path: &str,
        bound: Duration,
        done: impl Fn(&Reply) -> bool,
    ) -> Reply {
        let bound = patience(bound);
        let start = Instant::now();
        loop {
            let reply = self.get(path);
            if done(&reply) {
                return reply;
            }
            if start.elapsed() > bound {
                panic!(
                    "{path} never showed the change; last reply {reply:#?}\nlog: {:#?}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn log(&self) -> Vec<String> {
        self.log.lock().expect("log").clone()
    }

    /// Sends a signal (`HUP`, `TERM`, `INT`, `KILL`) to the server.
    pub fn signal(&self, name: &str) {
        signal(self.child.id(), name);
    }

    /// Waits for the server to exit and returns its exit code.
    pub fn wait(mut self) -> i32 {
        let bound = patience(WAIT);
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            if start.elapsed() > bound {
                panic!("the server did not stop: {:#?}", self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The HTTP client of the tests: every status is an answer, a redirect is
/// read rather than followed, nothing is decompressed.
pub fn client() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        // A redirect is an answer the tests read, not one they follow.
        .max_redirects(0)
        // A new connection per request: a server may close a connection
        // after refusing a request whose body it did not read, and a pooled
        // connection would then fail the next request for reasons that are
        // the client's, not the server's.
        .max_idle_connections(0)
        .timeout_global(Some(patience(WAIT)))
        .build()
        .into()
}

/// A request to `url` (any server's) with the given headers, by `agent`.
pub fn request_with(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
) -> Reply {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder.body(()).expect("request");
    let mut response = agent.run(request).expect("response");
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                v.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let status = response.status().as_u16();
    let body = if method == "HEAD" {
        Vec::new()
    } else {
        response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_vec()
            .expect("body")
    };
    Reply {
        status,
        headers,
        body,
    }
}
