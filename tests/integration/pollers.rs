//! Pollers that overdo it: `server.min_interval` gives 429 with
//! `Retry-After` to a client that fetches one document unconditionally too
//! often, never to a conditional client or to others; behind a trusted
//! proxy, the client is the one the proxy names.

use crate::harness::Site;

fn site(extra: &str) -> Site {
    let site = Site::new();
    site.write(
        "syndicated.toml",
        format!(
            "{}\n[server]\nmin_interval = 60\n{extra}",
            crate::harness::CONFIG
        ),
    );
    site.article(
        "a.md",
        "title: 第一篇\ndate: 2024-06-01T08:00:00+08:00",
        "正文。",
    );
    site
}

#[test]
fn a_client_over_the_limit_gets_429_and_conditional_and_other_clients_do_not() {
    let site = site("trusted_proxies = [\"127.0.0.0/8\"]\n");
    let server = site.serve(&[]);
    let client = |ip: &str, headers: &[(&str, &str)]| {
        let mut all = vec![("x-forwarded-for", ip)];
        all.extend_from_slice(headers);
        server.request("GET", "/all.rss", &all)
    };
    let first = client("198.51.100.7", &[]);
    assert_eq!(first.status, 200);
    let etag = first.header("etag").expect("an ETag").to_owned();
    // Again at once, unconditionally: too soon.
    let again = client("198.51.100.7", &[]);
    assert_eq!(again.status, 429);
    let retry: u32 = again
        .header("retry-after")
        .and_then(|r| r.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry), "{retry}");
    // With its validator, it is welcome.
    assert_eq!(
        client("198.51.100.7", &[("if-none-match", &etag)]).status,
        304
    );
    // Another client, and another document, are not limited by it.
    assert_eq!(client("198.51.100.8", &[]).status, 200);
    assert_eq!(
        server
            .request("GET", "/all.atom", &[("x-forwarded-for", "198.51.100.7")])
            .status,
        200
    );
    // An IPv6 client is its /64.
    assert_eq!(client("2001:db8:1:2::1", &[]).status, 200);
    assert_eq!(client("2001:db8:1:2::99", &[]).status, 429);
    // Counted, with the clients' families.
    let metrics = server.get("/metrics").text();
    assert!(
        metrics.contains("syndicated_http_requests_total{status=\"429\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("syndicated_http_requests_by_agent_total{family="),
        "{metrics}"
    );
}

#[test]
fn forwarding_headers_count_only_from_trusted_proxies() {
    let site = site("");
    let server = site.serve(&[]);
    let from = |ip: &str| {
        server
            .request("GET", "/all.json", &[("x-forwarded-for", ip)])
            .status
    };
    assert_eq!(from("198.51.100.7"), 200);
    // The header is the client's own claim here: it is the same client.
    assert_eq!(from("198.51.100.8"), 429);
    // Health and metrics are never limited.
    for _ in 0..3 {
        assert_eq!(server.get("/healthz").status, 200);
    }
}

#[test]
fn a_bad_min_interval_or_proxy_names_its_line() {
    for (extra, said) in [
        ("min_interval = 0\n", "`server.min_interval`"),
        (
            "trusted_proxies = [\"10.0.0.0/40\"]\n",
            "`server.trusted_proxies`",
        ),
    ] {
        let site = Site::new();
        site.write(
            "syndicated.toml",
            format!("{}\n[server]\n{extra}", crate::harness::CONFIG),
        );
        let run = site.run(&["check"]);
        assert_ne!(run.code, 0);
        assert!(run.stderr.contains(said), "{}", run.stderr);
    }
}
