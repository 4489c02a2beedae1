//! Replicas behind a cache that already exists: two daemons on copies of
//! the same content behind nginx's proxy_cache (deploy/nginx-replicas.conf):
//! every ETag the same whichever replica answers, conditional requests
//! through the cache get 304 and the cache revalidates with the origin, and
//! a replica killed under load costs clients no error. `.ci/run` installs
//! nginx and wrk from Debian.

use std::os::unix::process::CommandExt as _;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Server, Site, repo};

/// A copy of the sample site whose documents caches keep for one second.
fn replica() -> (Site, Server) {
    let site = Site::sample();
    let config = site.read("syndicated.toml");
    site.write(
        "syndicated.toml",
        format!("{config}\n[server]\nmax_age = 1\n"),
    );
    let server = site.serve(&[]);
    (site, server)
}

/// nginx in the foreground, in its own process group, stopped when dropped.
struct Nginx {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
    }
}

/// nginx on a free port, from the repository's recipe, in front of `a` and `b`.
fn nginx(a: &Server, b: &Server) -> Nginx {
    let template = std::fs::read_to_string(repo().join("deploy/nginx-replicas.conf"))
        .expect("deploy/nginx-replicas.conf");
    for _ in 0..5 {
        let dir = tempfile::tempdir().expect("a folder");
        let temp = dir.path();
        // nginx's workers run as another user when started by root.
        for sub in ["", "body", "proxy", "fastcgi", "uwsgi", "scgi", "cache"] {
            let path = temp.join(sub);
            std::fs::create_dir_all(&path).expect("a folder");
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o777))
                .expect("permissions");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a port")
            .port();
        let config = template
            .replace("@PID@", &temp.join("nginx.pid").display().to_string())
            .replace("@ERROR_LOG@", &temp.join("error.log").display().to_string())
            .replace("@TEMP@", &temp.display().to_string())
            .replace("@REPLICA_A@", &a.addr.to_string())
            .replace("@REPLICA_B@", &b.addr.to_string())
            .replace("@LISTEN@", &format!("127.0.0.1:{port}"));
        let file = temp.join("nginx.conf");
        std::fs::write(&file, config).expect("the config");
        let mut child = Command::new(
            ["/usr/sbin/nginx", "nginx"]
                .into_iter()
                .find(|p| std::path::Path::new(p).exists())
                .unwrap_or("nginx"),
        )
        .args([
            "-c",
            file.to_str().expect("a path"),
            "-p",
            temp.to_str().expect("a path"),
        ])
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx (Debian: nginx)");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(_)) = child.try_wait() {
                break; // the port was taken meanwhile: another one
            }
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Nginx {
                    child,
                    port,
                    _dir: dir,
                };
            }
            assert!(
                Instant::now() < deadline,
                "nginx did not start: {}",
                std::fs::read_to_string(temp.join("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    panic!("nginx did not start on any of five ports");
}

/// A GET through the cache.
fn through(cache: &Nginx, path: &str, headers: &[(&str, &str)]) -> ureq::http::Response<Vec<u8>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut request =
        ureq::http::Request::builder().uri(format!("http://127.0.0.1:{}{path}", cache.port));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = agent
        .run(request.body(()).expect("a request"))
        .expect("a response");
    let body = response.body_mut().read_to_vec().expect("a body");
    let (parts, _) = response.into_parts();
    ureq::http::Response::from_parts(parts, body)
}

fn header<'a>(response: &'a ureq::http::Response<Vec<u8>>, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[test]
fn replicas_behind_nginx_agree_revalidate_and_survive_one_killed_under_load() {
    let (_a_site, a) = replica();
    let (_b_site, b) = replica();
    // Every ETag the same whichever replica answers, in every encoding.
    for path in [
        "/all.rss",
        "/all.atom",
        "/tags/%E5%A4%A7%E8%BF%90%E6%B2%B3.json",
        "/",
    ] {
        for encoding in ["identity", "gzip", "br"] {
            let from = |s: &Server| {
                s.request("GET", path, &[("accept-encoding", encoding)])
                    .header("etag")
                    .map(str::to_owned)
            };
            assert_eq!(from(&a), from(&b), "{path} {encoding}");
        }
    }
    let cache = nginx(&a, &b);
    let first = through(&cache, "/all.rss", &[]);
    assert_eq!(first.status(), 200);
    let etag = header(&first, "etag").to_owned();
    assert_eq!(Some(etag.as_str()), a.get("/all.rss").header("etag"));
    // A client's conditional request through the cache: 304.
    let conditional = through(&cache, "/all.rss", &[("if-none-match", &etag)]);
    assert_eq!(conditional.status(), 304);
    // Once max-age (1 s) has passed, the cache asks the origin with the
    // validator, gets 304, and keeps its copy.
    let deadline = Instant::now() + Duration::from_secs(10);
    let revalidated = loop {
        std::thread::sleep(Duration::from_millis(300));
        let reply = through(&cache, "/all.rss", &[]);
        if header(&reply, "x-cache") == "REVALIDATED" {
            break reply;
        }
        assert!(Instant::now() < deadline, "the cache never revalidated");
    };
    assert_eq!(revalidated.status(), 200);
    assert_eq!(revalidated.body(), first.body());
    let not_modified = |s: &Server| {
        s.get("/metrics")
            .text()
            .lines()
            .find_map(|l| {
                l.strip_prefix("syndicated_http_not_modified_total ")?
                    .parse::<u64>()
                    .ok()
            })
            .unwrap_or(0)
    };
    assert!(
        not_modified(&a) + not_modified(&b) >= 1,
        "no 304 reached an origin"
    );

    // Under load through the cache, one replica is killed: no client
    // sees an error.
    let url = format!("http://127.0.0.1:{}/all.json", cache.port);
    let load = std::thread::spawn(move || {
        Command::new("wrk")
            .args(["-t1", "-c8", "-d4s", &url])
            .output()
            .expect("wrk (Debian: wrk)")
    });
    std::thread::sleep(Duration::from_secs(1));
    a.signal("KILL");
    let out = load.join().expect("wrk's thread");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("requests in"), "{report}");
    assert!(!report.contains("Non-2xx"), "{report}");
    assert!(!report.contains("Socket errors"), "{report}");
    // The survivor serves what both did.
    let after = through(&cache, "/all.rss", &[("cache-control", "no-cache")]);
    assert_eq!(after.status(), 200);
    assert_eq!(header(&after, "etag"), etag);
}
