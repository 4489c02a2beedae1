//! The mirror served by nginx from the repository's recipe
//! (deploy/nginx-mirror.conf), held to what the daemon itself sends for
//! the same site: the same bytes under the same types and charsets, the
//! precompressed variants, caching and conditional requests, the page for
//! addresses that are no document. `./test` installs nginx and its
//! brotli_static module from Debian.

use std::path::Path;
use std::process::Command;

use crate::harness::{Site, client, repo, request_with};
use crate::services::{Service, nginx_folders, sbin};

/// Where Debian's libnginx-mod-http-brotli-static puts its module.
const BROTLI_STATIC: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

/// nginx serving `mirror` with the recipe, in a minimal main config of
/// its own in `dir` (a site's file goes in nginx's `http` block).
fn nginx(mirror: &Path, dir: &Path) -> Service {
    let recipe = std::fs::read_to_string(repo().join("deploy/nginx-mirror.conf"))
        .expect("deploy/nginx-mirror.conf");
    for (placeholder, what) in [
        ("listen 80;", "address"),
        ("root /var/lib/syndicated-mirror;", "root"),
        (ANSWERS, "include of the answers"),
    ] {
        assert!(
            recipe.contains(placeholder),
            "the recipe's {what} line is not `{placeholder}`"
        );
    }
    nginx_folders(dir, &[]);
    Service::listening("nginx", dir, |port| {
        let site = recipe
            .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
            .replace(
                "root /var/lib/syndicated-mirror;",
                &format!("root {};", mirror.display()),
            )
            .replace(
                ANSWERS,
                &format!("include {}/.syndicated-answers.nginx;", mirror.display()),
            );
        let temp = dir.display();
        let config = format!(
            "load_module {BROTLI_STATIC};\n\
             worker_processes 1;\n\
             pid {temp}/nginx.pid;\n\
             error_log stderr warn;\n\
             daemon off;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n\
             access_log off;\n\
             client_body_temp_path {temp}/body;\n\
             proxy_temp_path {temp}/proxy;\n\
             fastcgi_temp_path {temp}/fastcgi;\n\
             uwsgi_temp_path {temp}/uwsgi;\n\
             scgi_temp_path {temp}/scgi;\n\
             {site}\n\
             }}\n"
        );
        let file = dir.join(format!("nginx-{port}.conf"));
        std::fs::write(&file, config).expect("the config");
        let mut command = Command::new(sbin("nginx"));
        command.arg("-c").arg(&file).arg("-p").arg(dir);
        command
    })
}

/// The recipe's include of the maps of moved and gone documents.
const ANSWERS: &str = "include /var/lib/syndicated-mirror/.syndicated-answers.nginx;";

/// The headers a reader acts on, which nginx must send as the daemon does.
const SAME_HEADERS: [&str; 5] = [
    "content-type",
    "cache-control",
    "content-security-policy",
    "x-content-type-options",
    "access-control-allow-origin",
];

#[test]
#[ignore = "needs nginx and libnginx-mod-http-brotli-static (Debian): run ./test"]
fn nginx_serves_the_mirror_as_the_daemon_serves_the_site() {
    let site = Site::sample();
    // Two items a page, so that the sample's feed has archive pages.
    let feed = site.read("feeds/all.toml");
    site.write("feeds/all.toml", format!("{feed}limit = 2\n"));
    // `build --out` writes what the daemon's mirror writes (one writer).
    site.build_ok();
    let daemon = site.serve(&[]);
    // nginx's workers (another user, under root) walk into the mirror.
    site.mode(".", 0o755);
    let archive_page = std::fs::read_dir(site.out("all/archive"))
        .expect("the archive's folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .find(|name| name.ends_with(".rss") && name.contains('-'))
        .expect("an archive page");
    let dir = tempfile::tempdir().expect("a folder");
    let nginx = nginx(&site.path().join("out"), dir.path());
    let agent = client();
    let get = |path: &str, headers: &[(&str, &str)]| {
        request_with(
            &agent,
            "GET",
            &format!("http://127.0.0.1:{}{path}", nginx.port),
            headers,
        )
    };

    for path in [
        "/",
        "/all.rss",
        "/all.atom",
        "/all.json",
        "/all.zh-TW.atom",
        "/all.html",
        "/feeds.opml",
        "/tags/%E5%A4%A7%E8%BF%90%E6%B2%B3.json",
        &format!("/all/archive/{archive_page}"),
        "/subscribe.css",
        "/subscribe.js",
        "/site-icon.png",
    ] {
        let ours = daemon.request("GET", path, &[("accept-encoding", "identity")]);
        assert_eq!(ours.status, 200, "{path}");
        let plain = get(path, &[]);
        assert_eq!(plain.status, 200, "{path}: {plain:?}");
        assert_eq!(plain.body, ours.body, "{path}: the same bytes");
        for name in SAME_HEADERS {
            assert_eq!(plain.header(name), ours.header(name), "{path}: {name}");
        }
        for encoding in ["gzip", "br"] {
            let compressed = get(path, &[("accept-encoding", encoding)]);
            assert_eq!(
                compressed.header("content-encoding"),
                Some(encoding),
                "{path}"
            );
            assert_eq!(compressed.header("vary"), Some("Accept-Encoding"), "{path}");
            assert_eq!(compressed.decoded(), ours.body, "{path} as {encoding}");
        }
        let etag = plain.header("etag").expect("an ETag");
        let since = plain.header("last-modified").expect("a Last-Modified");
        assert_eq!(get(path, &[("if-none-match", etag)]).status, 304, "{path}");
        assert_eq!(
            get(path, &[("if-modified-since", since)]).status,
            304,
            "{path}"
        );
    }

    // An address that looks like a feed's gets the page that says where
    // the feeds are, as from the daemon; the mirror's own files are hidden.
    let missing = get("/feed", &[]);
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(missing.body, daemon.get("/feed").body);
    assert_eq!(get("/.syndicated-mirror", &[]).status, 404);
}

/// A moved feed, a retired one, a deleted one and an archive page's number
/// answer from nginx, through the maps the build writes, with the status,
/// `Location` and body type the daemon gives them.
#[test]
#[ignore = "needs nginx and libnginx-mod-http-brotli-static (Debian): run ./test"]
fn nginx_answers_moved_and_gone_documents_as_the_daemon_does() {
    let site = Site::sample();
    let feed = site.read("feeds/all.toml");
    site.write("feeds/all.toml", format!("{feed}limit = 2\n"));
    let moved = "title = \"旧\"\nmoved_to = \"https://news.gongshu.example/all.atom\"\n";
    site.write("feeds/old.toml", moved);
    let elsewhere =
        "title = \"外\"\nmoved_status = 308\nmoved_to = \"https://elsewhere.example/f.xml\"\n";
    site.write("feeds/away.toml", elsewhere);
    site.write("feeds/ended.toml", "title = \"完\"\nretired = true\n");
    // The daemon's mirror, which knows what went while it ran.
    let mirror = site.path().join("mirror");
    let daemon = site.serve(&["--out", "mirror"]);
    site.write("feeds/gone.toml", "title = \"去\"\n");
    daemon.wait_for("/gone.rss", |r| r.status == 200);
    std::fs::remove_file(site.path().join("feeds/gone.toml")).expect("delete");
    daemon.wait_for("/gone.rss", |r| r.status == 410);
    let maps = mirror.join(".syndicated-answers.nginx");
    crate::harness::eventually("the maps written", || {
        std::fs::read_to_string(&maps).is_ok_and(|text| text.contains("\"/gone.rss\""))
    });
    site.mode(".", 0o755);
    let dir = tempfile::tempdir().expect("a folder");
    let nginx = nginx(&mirror, dir.path());
    let agent = client();
    for path in [
        "/old.rss",
        "/old.html",
        "/old.json",
        "/old/archive/3-0123456789ab.atom",
        "/away.atom",
        "/ended.rss",
        "/ended.html",
        "/ended/archive/1.json",
        "/gone.rss",
        "/gone.html",
        "/all/archive/1.rss",
    ] {
        let ours = daemon.get(path);
        let theirs = request_with(
            &agent,
            "GET",
            &format!("http://127.0.0.1:{}{path}", nginx.port),
            &[],
        );
        assert!(
            matches!(ours.status, 301 | 307 | 308 | 410),
            "{path}: {ours:?}"
        );
        assert_eq!(theirs.status, ours.status, "{path}: {theirs:?}");
        assert_eq!(theirs.header("location"), ours.header("location"), "{path}");
        let html = |r: &crate::harness::Reply| {
            r.header("content-type")
                .is_some_and(|t| t.starts_with("text/html"))
        };
        assert!(html(&ours) && html(&theirs), "{path}: {theirs:?}");
    }
    let redirects = std::fs::read_to_string(mirror.join("_redirects")).expect("_redirects");
    assert!(
        redirects.contains("/old.rss https://news.gongshu.example/all.rss 301\n"),
        "{redirects}"
    );
    assert!(
        redirects.contains("/away.atom https://elsewhere.example/f.xml 308\n"),
        "{redirects}"
    );
    assert!(!redirects.contains("ended"), "410 has no line: {redirects}");
}
