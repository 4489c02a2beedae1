//! Hostile clients on raw TCP: malformed requests, oversized headers, bodies
//! on GET, pipelining, slow and silent clients, and path traversal in every
//! encoding. Each is answered with a status or a closed connection, never a
//! file, and other clients are served meanwhile.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::Duration;

use crate::harness::{CONFIG, Server, Site, read_to_close};

fn serving(server_config: &str) -> (Site, Server) {
    let site = Site::new();
    site.write(
        "syndicated.toml",
        format!("{CONFIG}\n[server]\n{server_config}\n"),
    );
    site.write(
        "content/a.md",
        "---\ntitle: 甲\ndate: 2024-06-01\n---\n正文。\n",
    );
    // A file a traversal would be after, inside and outside the site.
    site.write("secret.txt", "do not serve");
    let server = site.serve(&[]);
    (site, server)
}

fn status(response: &str) -> &str {
    response.split(' ').nth(1).unwrap_or("")
}

#[test]
fn malformed_request_lines_are_400() {
    let (_site, server) = serving("");
    for request in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"GET /all.rss HTTP/9.9\r\nHost: x\r\n\r\n",
        b"GET /all.rss HTTP/1.1\r\nHost x\r\n\r\n",
        b"GET /all\x00.rss HTTP/1.1\r\nHost: x\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    ] {
        let response = server.exchange(request);
        assert!(
            response.is_empty() || ["400", "505"].contains(&status(&response)),
            "{request:?} -> {response}"
        );
    }
    assert_eq!(server.get("/all.rss").status, 200, "still serving");
}

#[test]
fn oversized_headers_are_refused() {
    let (_site, server) = serving("");
    let big = "x".repeat(1 << 20);
    let request = format!("GET /all.rss HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n");
    let response = server.exchange(request.as_bytes());
    assert!(
        response.is_empty() || status(&response) == "431",
        "{}",
        &response[..response.len().min(200)]
    );
    let many: String = (0..500).map(|i| format!("X-H{i}: v\r\n")).collect();
    let request = format!("GET /all.rss HTTP/1.1\r\nHost: x\r\n{many}\r\n");
    let response = server.exchange(request.as_bytes());
    assert!(
        response.is_empty() || status(&response) == "431",
        "{response}"
    );
    assert_eq!(server.get("/all.rss").status, 200, "still serving");
}

#[test]
fn a_body_on_get_is_ignored_and_pipelined_requests_are_answered_in_order() {
    let (_site, server) = serving("");
    let response = server.exchange(
        b"GET /all.rss HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello\
          GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n\
          GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    let statuses: Vec<&str> = response
        .match_indices("HTTP/1.1 ")
        .map(|(i, _)| &response[i + 9..i + 12])
        .collect();
    assert_eq!(statuses, ["200", "404", "200"], "{response}");
}

#[test]
fn a_client_sending_one_byte_a_second_is_cut_off_while_others_are_served() {
    let (_site, server) = serving("header_timeout = 2");
    let mut slow = TcpStream::connect(server.addr).expect("connect");
    slow.set_read_timeout(Some(Duration::from_millis(10)))
        .expect("timeout");
    let request = b"GET /all.rss HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let mut closed = false;
    for byte in request {
        if slow.write_all(&[*byte]).is_err() {
            closed = true;
            break;
        }
        let mut buf = [0u8; 256];
        match slow.read(&mut buf) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(n) => {
                let text = String::from_utf8_lossy(&buf[..n]);
                assert!(text.starts_with("HTTP/1.1 408"), "{text}");
                closed = true;
                break;
            }
            Err(_) => {}
        }
        assert_eq!(server.get("/healthz").status, 200, "others are served");
        std::thread::sleep(Duration::from_millis(1000));
    }
    // Before the whole request was sent, more than a minute in.
    assert!(closed, "the slow client was never cut off");
}

#[test]
fn clients_that_connect_and_send_nothing_are_closed() {
    let (_site, server) = serving("header_timeout = 1");
    let silent: Vec<TcpStream> = (0..20)
        .map(|_| TcpStream::connect(server.addr).expect("connect"))
        .collect();
    assert_eq!(server.get("/all.rss").status, 200, "served alongside them");
    for mut stream in silent {
        let out = read_to_close(&mut stream);
        let text = String::from_utf8_lossy(&out);
        assert!(out.is_empty() || text.starts_with("HTTP/1.1 408"), "{text}");
    }
}

#[test]
fn more_connections_than_the_limit_then_recovery() {
    let (_site, server) = serving("max_connections = 8\nheader_timeout = 1");
    // Twice the limit, all silent: half wait in the kernel's queue.
    let flood: Vec<TcpStream> = (0..16)
        .map(|_| TcpStream::connect(server.addr).expect("connect"))
        .collect();
    // The silent ones are closed by the header timeout, so the server
    // recovers and answers a normal client (the client's own timeout is
    // the harness's patience).
    assert_eq!(server.get("/all.rss").status, 200);
    drop(flood);
    for _ in 0..20 {
        assert_eq!(server.get("/healthz").status, 200);
    }
}

#[test]
fn path_traversal_in_every_encoding_never_reaches_a_file() {
    let (_site, server) = serving("");
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/%252e%252e/secret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/./all.rss",
        "//all.rss",
        "/all.rss%00",
        "/all.rss%00.html",
        "/syndicated.toml",
        "/content/a.md",
        "/secret.txt",
        "/.%2e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
    ] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let response = server.exchange(request.as_bytes());
        assert!(
            ["400", "404"].contains(&status(&response)),
            "{path} -> {response}"
        );
        assert!(
            !response.contains("do not serve") && !response.contains("root:"),
            "{path} -> {response}"
        );
        assert!(!response.contains("[site]"), "{path} -> {response}");
    }
}
