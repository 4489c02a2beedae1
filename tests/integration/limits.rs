//! The server's protection against slow and abusive clients, each on a
//! real socket: header-read timeout, connection limit, connection
//! lifetime. A limit must not act early (a lower bound on time, which no
//! load breaks); that it acts at all is shown by the server closing the
//! connection before the client gives up waiting ([`patience`]).

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::harness::{CONFIG, Server, Site, WAIT, patience, read_to_close};

fn limited(server: &str) -> (Site, Server) {
    let site = Site::new();
    site.write("syndicated.toml", format!("{CONFIG}\n[server]\n{server}\n"));
    site.write(
        "content/a.md",
        "---\ntitle: 甲\ndate: 2024-06-01\n---\n正文。\n",
    );
    let server = site.serve(&[]);
    (site, server)
}

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(server.addr).expect("connect");
    stream
        .set_read_timeout(Some(patience(WAIT)))
        .expect("timeout");
    stream
}

#[test]
fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let (_site, server) = limited("header_timeout = 1");
    let mut slow = connect(&server);
    slow.write_all(b"GET /all.rss HTTP/1.1\r\nHost: x\r\n")
        .expect("partial headers");
    let start = Instant::now();
    // Others are served meanwhile.
    assert_eq!(server.get("/all.rss").status, 200);
    let sent = read_to_close(&mut slow);
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(900),
        "closed after {waited:?}"
    );
    let text = String::from_utf8_lossy(&sent);
    assert!(
        sent.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
}

#[test]
fn connections_beyond_the_limit_wait_until_one_closes() {
    let (_site, server) = limited("max_connections = 2\nheader_timeout = 30");
    // Two connections the server has accepted (each has had an answer),
    // kept open and idle.
    let idle: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut stream = connect(&server);
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                .expect("request");
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).expect("an answer");
            assert!(buf[..n].starts_with(b"HTTP/1.1 200 OK"));
            stream
        })
        .collect();
    let mut third = connect(&server);
    third
        .set_read_timeout(Some(Duration::from_millis(700)))
        .expect("timeout");
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("request");
    let mut buf = [0u8; 64];
    let early = third.read(&mut buf);
    assert!(early.is_err(), "served beyond the limit: {early:?}");
    drop(idle);
    third
        .set_read_timeout(Some(patience(WAIT)))
        .expect("timeout");
    let sent = read_to_close(&mut third);
    assert!(String::from_utf8_lossy(&sent).starts_with("HTTP/1.1 200 OK"));
}

#[test]
fn a_connection_is_closed_after_its_lifetime() {
    let (_site, server) = limited("connection_lifetime = 1");
    let mut stream = connect(&server);
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("request");
    let mut buf = [0u8; 4096];
    let n = stream.read(&mut buf).expect("response");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200 OK"));
    // Idle on a kept-alive connection: closed when its lifetime is over.
    let rest = read_to_close(&mut stream);
    assert!(rest.is_empty());
}

/// Out of file descriptors (the daemon run with a limit of 64): accepting
/// fails, the daemon says so and pauses instead of spinning, and once the
/// clients holding the descriptors go, it serves again.
#[test]
fn running_out_of_file_descriptors_pauses_accepting_then_recovers() {
    let site = Site::new();
    site.write(
        "content/a.md",
        "---\ntitle: 甲\ndate: 2024-06-01\n---\n正文。\n",
    );
    let server = site.serve_through(
        &["prlimit", "--nofile=64", "--"],
        &[],
        &[("SYNDICATED_LOG_FORMAT", "json")],
    );
    // More clients than descriptors: each accepted one holds one.
    let held: Vec<TcpStream> = (0..100).map(|_| connect(&server)).collect();
    // When each failure was logged.
    let failures = || -> Vec<jiff::Timestamp> {
        server
            .log()
            .iter()
            .filter(|l| l.contains("accepting a connection failed"))
            .map(|l| {
                let line: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
                let time = line["timestamp"].as_str().expect("a timestamp");
                time.parse().expect("an RFC 3339 time")
            })
            .collect()
    };
    crate::harness::eventually("three failed accepts logged", || failures().len() >= 3);
    // The pause is 100 ms: never less between two failures.
    let times = failures();
    for pair in times.windows(2) {
        let gap = pair[1].duration_since(pair[0]);
        assert!(
            gap >= jiff::SignedDuration::from_millis(90),
            "failures {gap:?} apart: accepting must pause after a failure ({times:?})"
        );
    }

    drop(held);
    let reply = server.wait_for("/all.atom", |r| r.status == 200);
    assert_eq!(reply.titles(), ["甲"]);
}
