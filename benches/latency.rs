//! Edit-to-served latency: how long from an editor saving an article to the
//! daemon serving a feed that shows it.
//!
//!     cargo bench --bench latency -- SITE_DIR [EDITS] [PATH]
//!
//! Starts `syndicated serve` on the site in SITE_DIR (for example a corpus
//! from benches/corpus.py), then EDITS times (default 100) rewrites one
//! article, dated after every article of the corpus so it leads the `all` feed, with a new
//! title, and polls PATH (default `/all.rss`; `/tags/bench.rss` for the
//! feed of the one tag the edit touches) over a kept-alive connection until
//! the new title is served. It polls as a feed reader does, conditionally
//! (`If-None-Match` with the last ETag), so that the daemon is not busy
//! sending the same bytes to the benchmark while it publishes. Prints the median, 99th percentile and maximum,
//! and where the time goes: the medians of the daemon's own phase timings
//! (its debug log: selecting and reading, making the documents, serving
//! them; compressing them after) and of one poll. The article is removed
//! again at the end. Run by benches/serve.sh.
//!
//! Environment: `SYNDICATED_BIN`, the binary to serve with (default the one
//! cargo built, so that two versions can be measured in one sitting);
//! `LOAD=N`, a load beside the edits: `wrk -t1 -cN -H 'Accept-Encoding:
//! gzip'` requesting PATH for as long as the edits last.

use std::io::BufRead as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(site) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench latency -- SITE_DIR [EDITS] [PATH]");
        std::process::exit(2);
    };
    let edits: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(100);
    let path = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "/all.rss".to_owned());
    let article = site.join("content/zz-latency-bench.md");

    let started = Instant::now();
    let bin = std::env::var_os("SYNDICATED_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_syndicated")),
        PathBuf::from,
    );
    let mut child = Command::new(&bin)
        .args([
            "--config",
            "syndicated.toml",
            "serve",
            "--listen",
            "127.0.0.1:0",
        ])
        .current_dir(&site)
        .env(
            "RUST_LOG",
            "warn,syndicated=info,syndicated::daemon::publisher=debug,syndicated::daemon::finisher=debug",
        )
        .stderr(Stdio::piped())
        .spawn()
        .expect("start syndicated serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufReader::new(stderr).lines();
    let address = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            l.split("listening on http://")
                .nth(1)
                .map(|a| a.trim_end_matches('/').to_owned())
        })
        .expect("the server did not start");
    eprintln!(
        "serving {} after {:.2} s",
        site.display(),
        started.elapsed().as_secs_f64()
    );
    // Keep draining the log so the server never blocks on a full pipe, and
    // keep the phase timings it reports.
    let phases: Arc<Mutex<Phases>> = Arc::default();
    let kept = Arc::clone(&phases);
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            kept.lock().expect("the phases lock").add(&line);
        }
    });

    let url = format!("http://{address}{path}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    // Edits start once the first publication is served compressed too:
    // until then the daemon is compressing it, which is start-up's cost.
    let health = format!("http://{address}/healthz");
    while !agent
        .get(&health)
        .call()
        .ok()
        .and_then(|mut r| r.body_mut().read_to_string().ok())
        .is_some_and(|body| body.contains("\"compressing\": 0"))
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("compressed after {:.2} s", started.elapsed().as_secs_f64());
    // And once it watches: the watch starts after the first publication,
    // with a rescan for what changed meanwhile (its log line).
    while !phases.lock().expect("the phases lock").watching {
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!("watching after {:.2} s", started.elapsed().as_secs_f64());
    let polls = std::cell::RefCell::new(Vec::new());
    let etag = std::cell::RefCell::new(String::new());
    // The body when it changed since the last fetch, else nothing.
    let fetch = || -> String {
        let started = Instant::now();
        let mut request = agent.get(&url);
        if !etag.borrow().is_empty() {
            request = request.header("If-None-Match", etag.borrow().as_str());
        }
        let body = request
            .call()
            .ok()
            .filter(|r| r.status() == 200)
            .and_then(|mut r| {
                if let Some(tag) = r.headers().get("etag").and_then(|v| v.to_str().ok()) {
                    *etag.borrow_mut() = tag.to_owned();
                }
                r.body_mut()
                    .with_config()
                    .limit(64 << 20)
                    .read_to_string()
                    .ok()
            })
            .unwrap_or_default();
        polls.borrow_mut().push(started.elapsed());
        body
    };
    *phases.lock().expect("the phases lock") = Phases::default();
    let mut load = std::env::var("LOAD").ok().map(|connections| {
        eprintln!("load: wrk -t1 -c{connections} -H 'Accept-Encoding: gzip' {url}");
        Command::new("wrk")
            .args(["-t1", &format!("-c{connections}"), "-d3600s"])
            .args(["-H", "Accept-Encoding: gzip", &url])
            .stdout(Stdio::null())
            .spawn()
            .expect("start wrk (apt-get install wrk)")
    });

    let mut samples = Vec::with_capacity(edits);
    for i in 0..edits {
        let title = format!("延迟测试第{i}次");
        let text = format!(
            "---\ntitle: {title}\ndate: 2025-06-01T09:00:00+08:00\ntags: [bench]\n---\n正文第{i}版。\n"
        );
        // Let the previous publication settle, as between two real saves.
        std::thread::sleep(Duration::from_millis(50));
        let saved = Instant::now();
        std::fs::write(&article, text).expect("write the article");
        loop {
            if fetch().contains(&title) {
                break;
            }
            assert!(
                saved.elapsed() < Duration::from_secs(30),
                "edit {i} never showed"
            );
        }
        samples.push(saved.elapsed());
    }
    if let Some(wrk) = &mut load {
        let _ = wrk.kill();
        let _ = wrk.wait();
    }
    std::thread::sleep(Duration::from_millis(100));
    let phases = std::mem::take(&mut *phases.lock().expect("the phases lock"));
    let _ = std::fs::remove_file(&article);
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let _ = child.wait();

    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "edit-to-served over {} edits: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        samples.len(),
        ms(at(0.5)),
        ms(at(0.99)),
        ms(at(1.0))
    );
    let polls = polls.into_inner().iter().map(|d| ms(*d)).collect();
    println!(
        "  medians over {} publications: selected and read {:.2} ms, made {:.2} ms, served after {:.2} ms, compressed after {:.2} ms; one poll {:.2} ms",
        phases.served.len(),
        median(phases.read),
        median(phases.made),
        median(phases.served),
        median(phases.compressed),
        median(polls)
    );
}

/// The daemon's phase timings, in milliseconds, from its debug log lines
/// `publication: selected and read in X ms, made in Y ms, served after Z ms`
/// and `publication: compressed N documents in W ms`; and whether the
/// daemon watches yet (its first `rescanned everything`).
#[derive(Default)]
struct Phases {
    read: Vec<f64>,
    made: Vec<f64>,
    served: Vec<f64>,
    compressed: Vec<f64>,
    watching: bool,
}

impl Phases {
    fn add(&mut self, line: &str) {
        self.watching |= line.contains("rescanned everything");
        let Some((_, rest)) = line.split_once("publication: ") else {
            return;
        };
        let figures: Vec<f64> = rest
            .split(" in ")
            .chain(rest.split(" after "))
            .filter_map(|part| part.split(' ').next()?.parse().ok())
            .collect();
        if rest.starts_with("compressed") {
            self.compressed.extend(figures.last());
        } else if let [read, made, served] = figures[..] {
            self.read.push(read);
            self.made.push(made);
            self.served.push(served);
        }
    }
}

fn median(mut figures: Vec<f64>) -> f64 {
    if figures.is_empty() {
        return f64::NAN;
    }
    figures.sort_by(f64::total_cmp);
    figures[figures.len() / 2]
}
