//! Replicas behind a cache that already exists: two daemons on copies of
//! the same content behind nginx's proxy_cache (deploy/nginx-replicas.conf)
//! and behind Varnish (deploy/varnish-replicas.vcl): every ETag the same
//! whichever replica answers, conditional requests through the cache get
//! 304 and the cache revalidates with the origin, and a replica killed
//! under load costs clients no error. `.ci/run` installs nginx, Varnish and
//! wrk from Debian.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::harness::{Server, Site, WAIT, patience, repo};
use crate::services::{Service, nginx_folders, sbin};

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

/// nginx from the repository's recipe, in front of `a` and `b`; `dir`
/// holds its files.
fn nginx(a: &Server, b: &Server, dir: &Path) -> Service {
    let template = std::fs::read_to_string(repo().join("deploy/nginx-replicas.conf"))
        .expect("deploy/nginx-replicas.conf");
    nginx_folders(dir, &["cache"]);
    Service::listening("nginx", dir, |port| {
        let config = template
            .replace("@PID@", &dir.join("nginx.pid").display().to_string())
            .replace("@ERROR_LOG@", "stderr")
            .replace("@TEMP@", &dir.display().to_string())
            .replace("@REPLICA_A@", &a.addr.to_string())
            .replace("@REPLICA_B@", &b.addr.to_string())
            .replace("@LISTEN@", &format!("127.0.0.1:{port}"));
        let file = dir.join(format!("nginx-{port}.conf"));
        std::fs::write(&file, config).expect("the config");
        let mut command = Command::new(sbin("nginx"));
        command.arg("-c").arg(&file).arg("-p").arg(dir);
        command
    })
}

/// Varnish from the repository's recipe, in front of `a` and `b`; `dir`
/// holds its files.
fn varnish(a: &Server, b: &Server, dir: &Path) -> Service {
    let template = std::fs::read_to_string(repo().join("deploy/varnish-replicas.vcl"))
        .expect("deploy/varnish-replicas.vcl");
    let vcl = template
        .replace("@A_HOST@", &a.addr.ip().to_string())
        .replace("@A_PORT@", &a.addr.port().to_string())
        .replace("@B_HOST@", &b.addr.ip().to_string())
        .replace("@B_PORT@", &b.addr.port().to_string());
    let file = dir.join("replicas.vcl");
    std::fs::write(&file, vcl).expect("the VCL");
    Service::listening("varnish", dir, |port| {
        // -j none: the test's own user runs it, in a folder of its own.
        let mut command = Command::new(sbin("varnishd"));
        command
            .args(["-F", "-j", "none", "-s", "malloc,32m"])
            .args(["-a", &format!("127.0.0.1:{port}")])
            .arg("-n")
            .arg(dir.join(format!("work-{port}")))
            .arg("-f")
            .arg(&file);
        command
    })
}

/// A GET through the cache.
fn through(cache: &Service, path: &str, headers: &[(&str, &str)]) -> ureq::http::Response<Vec<u8>> {
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

/// Every ETag the same whichever replica answers, in every encoding.
fn replicas_agree(a: &Server, b: &Server) {
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
            assert_eq!(from(a), from(b), "{path} {encoding}");
        }
    }
}

/// How many 304s a replica has sent.
fn not_modified(s: &Server) -> u64 {
    s.get("/metrics")
        .text()
        .lines()
        .find_map(|l| {
            l.strip_prefix("syndicated_http_not_modified_total ")?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// Through `cache`: a conditional request gets 304; once max-age passes,
/// the cache revalidates with a replica (which answers 304) and keeps its
/// bytes; then under load, replica `a` is killed and no client sees an
/// error.
fn exercise(cache: &Service, a: Server, b: &Server) {
    let first = through(cache, "/all.rss", &[]);
    assert_eq!(first.status(), 200);
    let etag = header(&first, "etag").to_owned();
    // The replicas' tag: nginx passes it on; Varnish stores the gzip
    // variant and, unzipping it for this client, weakens its tag (W/).
    let origin = |encoding: &str| {
        a.request("GET", "/all.rss", &[("accept-encoding", encoding)])
            .header("etag")
            .map(str::to_owned)
            .unwrap_or_default()
    };
    let strong = etag.trim_start_matches("W/");
    assert!(
        strong == origin("identity") || strong == origin("gzip"),
        "{etag} is no tag of the replicas'"
    );
    let conditional = through(cache, "/all.rss", &[("if-none-match", &etag)]);
    assert_eq!(conditional.status(), 304);
    let before = not_modified(&a) + not_modified(b);
    let deadline = Instant::now() + patience(WAIT);
    while not_modified(&a) + not_modified(b) == before {
        assert!(
            Instant::now() < deadline,
            "the cache never revalidated with a replica"
        );
        let reply = through(cache, "/all.rss", &[]);
        assert_eq!(reply.status(), 200);
        assert_eq!(reply.body(), first.body());
        std::thread::sleep(Duration::from_millis(100));
    }

    // Under load: once the cache revalidates again (so wrk's requests are
    // flowing and reach the replicas), replica `a` is killed while wrk
    // still runs.
    let url = format!("http://127.0.0.1:{}/all.json", cache.port);
    let seconds = patience(Duration::from_secs(6)).as_secs().to_string();
    let before = not_modified(&a) + not_modified(b);
    let load = std::thread::spawn(move || {
        Command::new("wrk")
            .args(["-t1", "-c8", &format!("-d{seconds}s"), &url])
            .output()
            .expect("wrk (Debian: wrk)")
    });
    crate::harness::eventually("the cache revalidating under load", || {
        not_modified(&a) + not_modified(b) > before
    });
    assert!(!load.is_finished(), "wrk ended before the kill");
    a.signal("KILL");
    let out = load.join().expect("wrk's thread");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("requests in"), "{report}");
    assert!(!report.contains("Non-2xx"), "{report}");
    assert!(!report.contains("Socket errors"), "{report}");
    drop(a);
    let after = through(cache, "/all.rss", &[]);
    assert_eq!(after.status(), 200);
    assert_eq!(header(&after, "etag"), etag);
}

#[test]
#[ignore = "needs nginx and wrk (Debian): run ./test"]
fn replicas_behind_nginx_agree_revalidate_and_survive_one_killed_under_load() {
    let (_a_site, a) = replica();
    let (_b_site, b) = replica();
    replicas_agree(&a, &b);
    let dir = tempfile::tempdir().expect("a folder");
    let cache = nginx(&a, &b, dir.path());
    exercise(&cache, a, &b);
}

#[test]
#[ignore = "needs varnish and wrk (Debian): run ./test"]
fn replicas_behind_varnish_agree_revalidate_and_survive_one_killed_under_load() {
    let (_a_site, a) = replica();
    let (_b_site, b) = replica();
    replicas_agree(&a, &b);
    let dir = tempfile::tempdir().expect("a folder");
    let cache = varnish(&a, &b, dir.path());
    exercise(&cache, a, &b);
}
