//! WebSub publishing: feeds advertise their hubs (headers and documents),
//! and a change of bytes, and only that, pings every hub, with retries.
//! A real hub (flask-websub) is in `websub_hub.rs`.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::{Server, Site, eventually, eventually_within};

/// How a test hub answers each ping, in order; the last answer repeats.
#[derive(Clone, Copy, Debug)]
pub enum Answer {
    /// An HTTP status.
    Status(u16),
    /// Nothing: the connection is held open unanswered.
    Silence,
}

/// A ping's form body, and what the watched file held when it came.
type Ping = (String, Option<String>);

/// A hub on loopback that records every ping's form body, and, if asked,
/// what a file held when the ping came.
pub struct Hub {
    pub url: String,
    pings: Arc<Mutex<Vec<Ping>>>,
}

impl Hub {
    pub fn start(answers: Vec<Answer>) -> Hub {
        Hub::serve(answers, None, None)
    }

    /// A hub that reads `file` as each ping arrives (what a hub fetching
    /// the topic from a server of the mirror would get).
    pub fn start_reading(answers: Vec<Answer>, file: std::path::PathBuf) -> Hub {
        Hub::serve(answers, None, Some(file))
    }

    /// A hub over HTTPS with a new self-signed certificate for 127.0.0.1,
    /// and that certificate (PEM), for the daemon to trust.
    pub fn start_tls(answers: Vec<Answer>) -> (Hub, String) {
        let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()])
            .expect("a certificate");
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(made.signing_key.serialize_der().into());
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![made.cert.der().clone()], key)
            .expect("a server config");
        (
            Hub::serve(answers, Some(Arc::new(config)), None),
            made.cert.pem(),
        )
    }

    fn serve(
        answers: Vec<Answer>,
        tls: Option<Arc<rustls::ServerConfig>>,
        file: Option<std::path::PathBuf>,
    ) -> Hub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the hub");
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://{}/hub", listener.local_addr().expect("address"));
        let pings = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&pings);
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming().flatten() {
                let mut stream: Box<dyn ReadWrite> = match &tls {
                    Some(config) => {
                        let Ok(connection) = rustls::ServerConnection::new(Arc::clone(config))
                        else {
                            continue;
                        };
                        Box::new(rustls::StreamOwned::new(connection, stream))
                    }
                    None => Box::new(stream),
                };
                let Some(body) = read_request(&mut stream) else {
                    continue;
                };
                let answer = {
                    let read = file
                        .as_ref()
                        .map(|f| std::fs::read_to_string(f).unwrap_or_default());
                    let mut seen = seen.lock().expect("pings");
                    seen.push((body, read));
                    answers[(seen.len() - 1).min(answers.len() - 1)]
                };
                match answer {
                    Answer::Status(code) => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 {code} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                        );
                        let _ = stream.flush();
                    }
                    Answer::Silence => held.push(stream),
                }
            }
        });
        Hub { url, pings }
    }

    /// Every ping's form body so far.
    pub fn pings(&self) -> Vec<String> {
        self.pings
            .lock()
            .expect("pings")
            .iter()
            .map(|(body, _)| body.clone())
            .collect()
    }

    /// What the file held at each ping so far.
    pub fn files(&self) -> Vec<String> {
        self.pings
            .lock()
            .expect("pings")
            .iter()
            .filter_map(|(_, file)| file.clone())
            .collect()
    }
}

/// A connection, plain or TLS.
trait ReadWrite: std::io::Read + std::io::Write + Send {}
impl<T: std::io::Read + std::io::Write + Send> ReadWrite for T {}

/// One request's body (its headers read up to Content-Length).
fn read_request(stream: &mut dyn ReadWrite) -> Option<String> {
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    String::from_utf8(body).ok()
}

/// A site whose feeds name `hubs`, its `[websub]` table ending with `more`.
pub fn site_with_hubs(hubs: &[&str], more: &str) -> Site {
    let site = Site::new();
    let list: Vec<String> = hubs.iter().map(|h| format!("\"{h}\"")).collect();
    site.write(
        "syndicated.toml",
        format!(
            "{}\n[websub]\nhubs = [{}]\n{more}\n",
            crate::harness::CONFIG,
            list.join(", ")
        ),
    );
    site.article(
        "a.md",
        "title: 第一篇\ndate: 2024-06-01T08:00:00+08:00",
        "正文一。",
    );
    site
}

/// `hub.topic` of a form body.
fn topic(body: &str) -> String {
    url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "hub.topic")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The value of a counter in `/metrics`, 0 when absent.
fn metric(server: &Server, name: &str) -> f64 {
    server
        .get("/metrics")
        .text()
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

/// Waits until the daemon has told the hubs of everything it serves (or
/// given up): `/healthz` says the pings of its latest publication are
/// queued and none is waiting or in flight. After this, a ping that was
/// not sent never will be.
fn pings_settled(server: &Server) {
    eventually("every ping settled", || {
        let health: serde_json::Value =
            serde_json::from_slice(&server.get("/healthz").body).expect("healthz is JSON");
        health["pings"]["queued_through"] == health["publications"]
            && health["pings"]["pending"] == 0
    });
}

/// Saves a new version of the article, and waits until it is served.
fn edit(site: &Site, server: &Server, body: &str) {
    let seen = server.publications();
    site.article(
        "a.md",
        "title: 第一篇\ndate: 2024-06-01T08:00:00+08:00",
        body,
    );
    server.wait_for_publication_after(seen);
}

#[test]
fn every_feed_response_links_its_hubs_and_itself() {
    let site = site_with_hubs(&["https://hub.example/", "https://hub2.example/websub"], "");
    site.write(
        "feeds/quiet.toml",
        "title = \"Quiet\"\n[websub]\nhubs = []\n",
    );
    let server = site.serve(&[]);
    let ok = server.get("/all.rss");
    let etag = ok.header("etag").expect("an ETag").to_owned();
    let not_modified = server.request("GET", "/all.rss", &[("if-none-match", &etag)]);
    let head = server.request("HEAD", "/all.rss", &[]);
    assert_eq!(not_modified.status, 304);
    for reply in [&ok, &not_modified, &head] {
        assert_eq!(
            reply.headers_named("link"),
            [
                "<https://news.example/all.rss>; rel=\"self\"",
                "<https://hub.example/>; rel=\"hub\"",
                "<https://hub2.example/websub>; rel=\"hub\"",
            ],
            "{reply:?}"
        );
    }

    // In the documents: atom:link in RSS and Atom, `hubs` in JSON Feed.
    for format in ["rss", "atom"] {
        let text = server.get(&format!("/all.{format}")).text();
        let doc = roxmltree::Document::parse(&text).expect("well-formed");
        let hubs: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("link") && n.attribute("rel") == Some("hub"))
            .filter_map(|n| n.attribute("href"))
            .collect();
        assert_eq!(
            hubs,
            ["https://hub.example/", "https://hub2.example/websub"],
            "{format}"
        );
        // feed-rs reads them as links of the feed.
        let feed = feed_rs::parser::parse(text.as_bytes()).expect("a feed");
        assert!(
            feed.links.iter().any(|l| l.rel.as_deref() == Some("hub")),
            "{format}: {:?}",
            feed.links
        );
    }
    let json: serde_json::Value = serde_json::from_slice(&server.get("/all.json").body).unwrap();
    assert_eq!(
        json["hubs"],
        serde_json::json!([
            {"type": "WebSub", "url": "https://hub.example/"},
            {"type": "WebSub", "url": "https://hub2.example/websub"}
        ])
    );

    // A feed that names no hub links only itself.
    let quiet = server.get("/quiet.atom");
    assert_eq!(
        quiet.headers_named("link"),
        ["<https://news.example/quiet.atom>; rel=\"self\""]
    );
    assert!(!quiet.text().contains("rel=\"hub\""));
    assert!(!server.get("/quiet.json").text().contains("\"hubs\""));
}

/// A finished feed (`finished = true`) stays served but names no hub and
/// pings none: nothing more will come to it. The live feed beside it is
/// pinged as before, at start and after an edit.
#[test]
fn a_finished_feed_names_and_pings_no_hub() {
    let hub = Hub::start(vec![Answer::Status(202)]);
    let site = site_with_hubs(&[&hub.url], "");
    site.write("feeds/all.toml", "title = \"All\"\nformats = [\"atom\"]\n");
    site.write(
        "feeds/column.toml",
        "title = \"Column\"\nfinished = true\nformats = [\"atom\", \"json\"]\n",
    );
    let server = site.serve(&[]);
    let topics = || -> Vec<String> { hub.pings().iter().map(|b| topic(b)).collect() };
    eventually("the first ping", || !hub.pings().is_empty());
    pings_settled(&server);
    assert_eq!(topics(), ["https://news.example/all.atom"]);
    let column = server.get("/column.atom");
    assert_eq!(column.status, 200);
    assert_eq!(
        column.headers_named("link"),
        ["<https://news.example/column.atom>; rel=\"self\""]
    );
    assert!(!column.text().contains("rel=\"hub\""));
    let json: serde_json::Value = serde_json::from_slice(&server.get("/column.json").body).unwrap();
    assert_eq!(json["expired"], true);
    assert!(json.get("hubs").is_none(), "{json}");

    edit(&site, &server, "正文一，改过。");
    pings_settled(&server);
    assert_eq!(
        topics(),
        [
            "https://news.example/all.atom",
            "https://news.example/all.atom"
        ]
    );
}

/// A feed that moves is pinged once more, for its old topic, so that the
/// hub fetches it, meets the redirect and its subscribers follow; after
/// that, an edit pings only the feed it moved to, and a restart nothing.
#[test]
fn a_moved_feed_pings_its_old_topic_once() {
    let hub = Hub::start(vec![Answer::Status(202)]);
    let site = site_with_hubs(&[&hub.url], "");
    site.write("feeds/all.toml", "title = \"All\"\nformats = [\"atom\"]\n");
    site.write(
        "feeds/column.toml",
        "title = \"Column\"\nformats = [\"atom\"]\n",
    );
    let state = tempfile::tempdir().expect("state folder");
    let state_arg = state.path().to_str().expect("UTF-8 path");
    let server = site.serve(&["--state", state_arg]);
    let topics = || -> Vec<String> { hub.pings().iter().map(|b| topic(b)).collect() };
    pings_settled(&server);
    let before = topics().len();

    let seen = server.publications();
    site.write(
        "feeds/column.toml",
        "title = \"Column\"\nformats = [\"atom\"]\nmoved_to = \"https://news.example/all.atom\"\n",
    );
    server.wait_for_publication_after(seen);
    pings_settled(&server);
    assert_eq!(topics()[before..], ["https://news.example/column.atom"]);
    assert_eq!(server.get("/column.atom").status, 301);

    edit(&site, &server, "正文一，改过。");
    pings_settled(&server);
    assert_eq!(
        topics()[before..],
        [
            "https://news.example/column.atom",
            "https://news.example/all.atom"
        ]
    );
    // The state folder has what was served (a daemon stopped before that
    // pings again after its restart: a ping too many, never one too few).
    server.wait_finished();
    drop(server);
    let again = site.serve(&["--state", state_arg]);
    pings_settled(&again);
    assert_eq!(topics().len(), before + 2, "{:?}", topics());
}

#[test]
fn a_change_pings_each_hub_with_the_topic_once_served_and_a_touch_does_not() {
    let (one, two) = (
        Hub::start(vec![Answer::Status(202)]),
        Hub::start(vec![Answer::Status(204)]),
    );
    let site = site_with_hubs(&[&one.url, &two.url], "");
    site.write(
        "feeds/all.toml",
        "title = \"All\"\nformats = [\"rss\", \"atom\"]\n",
    );
    let server = site.serve(&[]);
    // The first publication: each hub hears of each feed document.
    let expected = [
        "https://news.example/all.atom",
        "https://news.example/all.rss",
    ];
    for hub in [&one, &two] {
        eventually("the first pings", || hub.pings().len() == 2);
        let mut topics: Vec<String> = hub.pings().iter().map(|b| topic(b)).collect();
        topics.sort();
        assert_eq!(topics, expected);
        for body in hub.pings() {
            let form: Vec<(String, String)> = url::form_urlencoded::parse(body.as_bytes())
                .into_owned()
                .collect();
            let t = topic(&body);
            assert_eq!(
                form,
                [
                    ("hub.mode".to_owned(), "publish".to_owned()),
                    ("hub.topic".to_owned(), t.clone()),
                    ("hub.url".to_owned(), t),
                ]
            );
        }
    }

    // A touch, and a save of the same bytes, change no document.
    let seen = server.publications();
    let file = site.path().join("content/a.md");
    let later = std::time::SystemTime::now() + Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(later)
        .unwrap();
    edit(&site, &server, "正文一。");
    assert!(server.publications() > seen);
    pings_settled(&server);
    assert_eq!(one.pings().len(), 2, "{:?}", one.pings());

    // An edit pings both documents, at each hub.
    edit(&site, &server, "正文一，改过。");
    for hub in [&one, &two] {
        eventually("the edit's pings", || hub.pings().len() == 4);
    }
    eventually("counted", || {
        metric(&server, "syndicated_websub_pings_total{result=\"sent\"}") == 8.0
    });
}

#[test]
fn a_hub_that_answers_500_then_202_gets_the_ping_again() {
    let hub = Hub::start(vec![Answer::Status(500), Answer::Status(202)]);
    let site = site_with_hubs(&[&hub.url], "");
    site.write("feeds/all.toml", "title = \"All\"\nformats = [\"atom\"]\n");
    let server = site.serve(&[]);
    eventually_within("the retried ping", Duration::from_secs(10), || {
        hub.pings().len() == 2
    });
    let pings = hub.pings();
    assert_eq!(pings[0], pings[1]);
    eventually("counted", || {
        metric(&server, "syndicated_websub_ping_retries_total") == 1.0
            && metric(&server, "syndicated_websub_pings_total{result=\"failed\"}") == 1.0
            && metric(&server, "syndicated_websub_pings_total{result=\"sent\"}") == 1.0
    });
    // The outage is logged once, and its end.
    eventually("the end of the outage logged", || {
        server.log().join("\n").contains("answers again")
    });
    let log = server.log().join("\n");
    assert_eq!(log.matches("did not take the ping").count(), 1, "{log}");
}

#[test]
fn a_hub_that_never_answers_delays_no_publication() {
    let hub = Hub::start(vec![Answer::Silence]);
    let site = site_with_hubs(&[&hub.url], "timeout = 0.5\nattempts = 2");
    let server = site.serve(&[]);
    eventually("the pings", || !hub.pings().is_empty());
    // While the hub holds every ping unanswered, edits are served as ever.
    for n in 0..5 {
        let text = format!("第{n}次修改。");
        edit(&site, &server, &text);
        assert!(server.get("/all.json").text().contains(&text));
    }
    eventually("timeouts counted", || {
        metric(&server, "syndicated_websub_pings_total{result=\"failed\"}") >= 1.0
    });
    eventually("the timeout logged", || {
        server.log().join("\n").contains("no answer within 0.5 s")
    });
}

#[test]
fn a_restart_that_serves_the_same_bytes_pings_nothing() {
    let hub = Hub::start(vec![Answer::Status(202)]);
    let site = site_with_hubs(&[&hub.url], "");
    site.write("feeds/all.toml", "title = \"All\"\nformats = [\"json\"]\n");
    let state = site.path().join("state");
    let state = state.to_str().unwrap();
    let server = site.serve(&["--state", state]);
    eventually("the first ping", || hub.pings().len() == 1);
    server.signal("TERM");
    assert_eq!(server.wait(), 0);
    let server = site.serve(&["--state", state]);
    assert_eq!(server.publications(), 1);
    pings_settled(&server);
    assert_eq!(hub.pings().len(), 1);
    // Changed while it was down: pinged when it starts.
    server.signal("TERM");
    assert_eq!(server.wait(), 0);
    site.article(
        "a.md",
        "title: 第一篇\ndate: 2024-06-01T08:00:00+08:00",
        "停机时改的。",
    );
    let _server = site.serve(&["--state", state]);
    eventually("the ping of what changed while down", || {
        hub.pings().len() == 2
    });
}

#[test]
fn a_hub_url_that_is_not_http_names_its_line() {
    let site = Site::new();
    site.write(
        "syndicated.toml",
        format!(
            "{}\n[websub]\nhubs = [\"ftp://hub.example/\"]\n",
            crate::harness::CONFIG
        ),
    );
    let run = site.run(&["check"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("syndicated.toml:9") && run.stderr.contains("`websub.hubs`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_hub_over_https_gets_its_ping_through_rustls() {
    let (hub, certificate) = Hub::start_tls(vec![Answer::Status(202)]);
    let site = site_with_hubs(&[&hub.url], "");
    site.write("feeds/all.toml", "title = \"All\"\nformats = [\"atom\"]\n");
    site.write("ca.pem", &certificate);
    // The certificate is trusted as the system's store would be.
    let bundle = site.path().join("ca.pem");
    let server = site.serve_with_env(&[], &[("SSL_CERT_FILE", bundle.to_str().unwrap())]);
    eventually("the ping over TLS", || hub.pings().len() == 1);
    assert_eq!(topic(&hub.pings()[0]), "https://news.example/all.atom");

    // Without that trust, the hub is refused, said once.
    let (untrusted, _) = Hub::start_tls(vec![Answer::Status(202)]);
    let site = site_with_hubs(&[&untrusted.url], "attempts = 1");
    let other = site.serve(&[]);
    eventually("the refusal", || {
        other.log().join("\n").contains("gave up telling")
    });
    assert!(untrusted.pings().is_empty());
    let log = other.log().join("\n");
    assert!(log.contains("certificate"), "{log}");
    drop(server);
}

#[test]
fn more_changed_feeds_than_sending_slots_are_all_pinged() {
    // 6 feeds in 3 formats: 18 topics, more than the 8 pings sent at once
    // and the 2 a hub gets at once.
    let hub = Hub::start(vec![Answer::Status(202)]);
    let site = site_with_hubs(&[&hub.url], "");
    for name in ["b", "c", "d", "e", "f"] {
        site.write(&format!("feeds/{name}.toml"), "title = \"B\"\n");
    }
    let _server = site.serve(&[]);
    eventually_within("every topic pinged", Duration::from_secs(10), || {
        hub.pings().len() == 18
    });
    let mut topics: Vec<String> = hub.pings().iter().map(|b| topic(b)).collect();
    topics.sort();
    topics.dedup();
    assert_eq!(topics.len(), 18);
}

#[test]
fn a_hub_that_refuses_a_topic_or_redirects_is_not_asked_again() {
    for (status, said) in [
        (404, "refused the ping"),
        (301, "name the hub's own address"),
    ] {
        let hub = Hub::start(vec![Answer::Status(status)]);
        let site = site_with_hubs(&[&hub.url], "");
        site.write("feeds/all.toml", "title = \"All\"\nformats = [\"json\"]\n");
        let server = site.serve(&[]);
        eventually("given up", || {
            metric(&server, "syndicated_websub_pings_dropped_total") == 1.0
        });
        eventually("said", || server.log().join("\n").contains(said));
        // A later edit is asked about once more, and no retry came between.
        edit(&site, &server, "再改一次。");
        eventually("dropped again", || {
            metric(&server, "syndicated_websub_pings_dropped_total") == 2.0
        });
        assert_eq!(hub.pings().len(), 2, "{status}");
        assert_eq!(metric(&server, "syndicated_websub_ping_retries_total"), 0.0);
    }
}

#[test]
fn with_a_mirror_hubs_are_pinged_once_the_mirror_holds_the_new_bytes() {
    let site = site_with_hubs(&[], "");
    let mirror = site.path().join("mirror");
    let hub = Hub::start_reading(vec![Answer::Status(202)], mirror.join("all.json"));
    site.write(
        "syndicated.toml",
        format!(
            "{}\n[websub]\nhubs = [\"{}\"]\n",
            crate::harness::CONFIG,
            hub.url
        ),
    );
    site.write("feeds/all.toml", "title = \"All\"\nformats = [\"json\"]\n");
    let server = site.serve(&["--out", mirror.to_str().expect("a path")]);
    eventually("the first ping", || hub.pings().len() == 1);
    assert!(hub.files()[0].contains("正文一"), "{:?}", hub.files());
    edit(&site, &server, "镜像里已有的修改。");
    eventually("the edit's ping", || hub.pings().len() == 2);
    assert!(
        hub.files()[1].contains("镜像里已有的修改"),
        "{:?}",
        hub.files()
    );
}

#[test]
fn a_preview_pings_no_hub() {
    let hub = Hub::start(vec![Answer::Status(202)]);
    let site = site_with_hubs(&[&hub.url], "");
    let preview = site.serve(&["--preview"]);
    edit(&site, &preview, "预览里的修改。");
    pings_settled(&preview);
    assert!(hub.pings().is_empty(), "{:?}", hub.pings());
    drop(preview);
    // The same site served for real pings at once: the hub was listening.
    let server = site.serve(&[]);
    pings_settled(&server);
    assert_eq!(hub.pings().len(), 3, "{:?}", hub.pings());
}
