//! Pollers that overdo it: an opt-in limit (`server.min_interval`) on how
//! often one client fetches one document without a validator.
//!
//! A client is its address, an IPv6 address counting as its /64 (one
//! customer's network, RFC 6177); behind a proxy named in
//! `server.trusted_proxies`, the address the proxy saw, from `Forwarded`
//! (RFC 7239) or `X-Forwarded-For`, read from the right and past every
//! trusted proxy. A client that fetches the same document unconditionally
//! again before `min_interval` has passed gets `429 Too Many Requests` with
//! `Retry-After` (RFC 6585 §4); a conditional request (`If-None-Match`,
//! `If-Modified-Since`), which costs a 304, is limited only to one per
//! `min_interval / CONDITIONAL_FRACTION`.
//!
//! Memory is fixed whatever the number of clients: a table of
//! [`SETS`] × [`WAYS`] entries (16 bytes each), found by a hash of the
//! client and the path; a new pair takes the place of the entry of its set
//! seen least recently. A client evicted by others only gains a fresh
//! start, never a refusal it did not earn.

use std::hash::{BuildHasher, Hasher};
use std::net::IpAddr;
use std::sync::Mutex;

use hyper::header::{self, HeaderMap};

/// Conditional requests may come this many times as often as
/// unconditional ones.
pub const CONDITIONAL_FRACTION: u32 = 10;

/// Sets of the table; each is guarded by its own lock.
pub const SETS: usize = 16_384;
/// Entries per set.
pub const WAYS: usize = 4;

/// One remembered (client, path): a fingerprint of both, and when it last
/// fetched without and with a validator, in whole seconds since the table
/// began.
#[derive(Debug, Clone, Copy, Default)]
struct Remembered {
    key: u64,
    unconditional: u32,
    conditional: u32,
    seen: u32,
}

/// The limit and its table.
#[derive(Debug)]
pub struct Pollers {
    min_interval: u32,
    trusted: Vec<(IpAddr, u8)>,
    sets: Vec<Mutex<[Remembered; WAYS]>>,
    hasher: std::collections::hash_map::RandomState,
    start: std::time::Instant,
}

/// What the limit says of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Serve it.
    Serve,
    /// Refuse it: the client may come back in this many seconds.
    TooSoon(u32),
}

impl Pollers {
    /// A limit of one unconditional fetch per `min_interval` seconds per
    /// client and document, trusting the forwarding headers of the
    /// `trusted` networks (address, prefix length).
    pub fn new(min_interval: u32, trusted: Vec<(IpAddr, u8)>) -> Pollers {
        Pollers {
            min_interval: min_interval.max(1),
            trusted,
            sets: (0..SETS)
                .map(|_| Mutex::new([Remembered::default(); WAYS]))
                .collect(),
            hasher: std::collections::hash_map::RandomState::new(),
            start: std::time::Instant::now(),
        }
    }

    /// The verdict on a request for `path` from `peer` with `headers`
    /// (which say whether it is conditional, and, from a trusted proxy,
    /// who the client is).
    pub fn check(&self, peer: IpAddr, path: &str, headers: &HeaderMap) -> Verdict {
        let client = client_of(peer, headers, &self.trusted);
        let conditional = headers.contains_key(header::IF_NONE_MATCH)
            || headers.contains_key(header::IF_MODIFIED_SINCE);
        let now = u32::try_from(self.start.elapsed().as_secs()).unwrap_or(u32::MAX) + 1;
        let mut hasher = self.hasher.build_hasher();
        hasher.write(client.as_bytes());
        hasher.write_u8(0);
        hasher.write(path.as_bytes());
        let key = hasher.finish() | 1;
        let set = usize::try_from(key >> 40).unwrap_or(0) % SETS;
        let Ok(mut entries) = self.sets[set].lock() else {
            return Verdict::Serve;
        };
        let interval = if conditional {
            (self.min_interval / CONDITIONAL_FRACTION).max(1)
        } else {
            self.min_interval
        };
        let slot = match entries.iter().position(|e| e.key == key) {
            Some(slot) => slot,
            None => {
                // The entry seen least recently makes way.
                let slot = (0..WAYS).min_by_key(|&i| entries[i].seen).unwrap_or(0);
                entries[slot] = Remembered {
                    key,
                    ..Remembered::default()
                };
                slot
            }
        };
        let entry = &mut entries[slot];
        entry.seen = now;
        let last = if conditional {
            &mut entry.conditional
        } else {
            &mut entry.unconditional
        };
        if *last != 0 && now < *last + interval {
            return Verdict::TooSoon(*last + interval - now);
        }
        *last = now;
        Verdict::Serve
    }
}

/// Who a request is from, as a key: `peer`, or, when `peer` is a trusted
/// proxy, the rightmost address in `Forwarded` or `X-Forwarded-For` that
/// is not trusted; an IPv6 address as its /64.
pub fn client_of(peer: IpAddr, headers: &HeaderMap, trusted: &[(IpAddr, u8)]) -> String {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|(net, len)| within(ip, net, *len));
    let mut client = peer;
    if is_trusted(&peer) {
        let forwarded: Vec<IpAddr> = forwarded_for(headers);
        for ip in forwarded.iter().rev() {
            client = *ip;
            if !is_trusted(ip) {
                break;
            }
        }
    }
    match client {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The addresses a request went through, oldest first: `Forwarded`'s
/// `for=` (RFC 7239 §5.2) if present, else `X-Forwarded-For`. Names and
/// obfuscated identifiers are skipped.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let parse = |text: &str| -> Option<IpAddr> {
        let text = text.trim().trim_matches('"');
        let text = match text.strip_prefix('[') {
            Some(rest) => rest.split(']').next().unwrap_or_default(),
            None => text
                .split(':')
                .next()
                .filter(|_| text.matches(':').count() <= 1)
                .unwrap_or(text),
        };
        text.parse().ok()
    };
    let joined = |name: header::HeaderName| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(',').map(str::to_owned).collect::<Vec<_>>())
            .collect()
    };
    let forwarded = joined(header::FORWARDED);
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (name, value) = pair.split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| parse(value))?
                })
            })
            .collect();
    }
    joined(header::HeaderName::from_static("x-forwarded-for"))
        .iter()
        .filter_map(|v| parse(v))
        .collect()
}

/// Whether `ip` is in the network `net`/`len`.
fn within(ip: &IpAddr, net: &IpAddr, len: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let len = u32::from(len.min(32));
            let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
            u32::from(*ip) & mask == u32::from(*net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let len = u32::from(len.min(128));
            let mask = u128::MAX.checked_shl(128 - len).unwrap_or(0);
            u128::from(*ip) & mask == u128::from(*net) & mask
        }
        _ => false,
    }
}

/// A user agent's family, for `/metrics`: a few readers and tools by name,
/// browsers, and everything else as `other` (a bounded set of labels,
/// whatever clients send).
pub fn agent_family(headers: &HeaderMap) -> &'static str {
    // Asked of every request: compared in place, nothing allocated.
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map_or(&b""[..], str::as_bytes);
    const KNOWN: [(&str, &str); 12] = [
        ("feedly", "feedly"),
        ("inoreader", "inoreader"),
        ("newsblur", "newsblur"),
        ("miniflux", "miniflux"),
        ("freshrss", "freshrss"),
        ("tiny tiny rss", "tt-rss"),
        ("netnewswire", "netnewswire"),
        ("newsboat", "newsboat"),
        ("feedparser", "feedparser"),
        ("googlebot", "googlebot"),
        ("curl", "curl"),
        ("mozilla", "browser"),
    ];
    if agent.is_empty() {
        return "none";
    }
    let contains = |needle: &str| {
        agent
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    KNOWN
        .iter()
        .find(|(needle, _)| contains(needle))
        .map_or("other", |(_, family)| family)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().expect("a value"));
        }
        map
    }

    #[test]
    fn an_ipv6_client_is_its_64_and_proxies_are_trusted_only_when_named() {
        let peer: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        assert_eq!(client_of(peer, &HeaderMap::new(), &[]), "2001:db8:1:2::/64");
        let proxy: IpAddr = "10.0.0.5".parse().expect("ip");
        let forwarded = headers(&[("x-forwarded-for", "198.51.100.7, 10.0.0.9")]);
        let trusted = vec![("10.0.0.0".parse().expect("ip"), 8)];
        assert_eq!(client_of(proxy, &forwarded, &trusted), "198.51.100.7");
        // An untrusted peer's header is the client's own claim: ignored.
        assert_eq!(client_of(proxy, &forwarded, &[]), "10.0.0.5");
        let rfc = headers(&[("forwarded", "for=\"[2001:db8::1]:4711\";proto=https")]);
        assert_eq!(client_of(proxy, &rfc, &trusted), "2001:db8:0:0::/64");
    }
}

#[cfg(test)]
mod bounded {
    use super::*;

    #[test]
    fn the_table_stays_its_size_with_100000_clients_and_still_limits() {
        let limit = Pollers::new(60, Vec::new());
        let size = size_of_val(&limit.sets[..]);
        let none = HeaderMap::new();
        for n in 0..100_000u32 {
            let ip = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + n));
            assert_eq!(limit.check(ip, "/all.rss", &none), Verdict::Serve);
        }
        // The same allocation, whatever came through it.
        assert_eq!(size_of_val(&limit.sets[..]), size);
        assert_eq!(limit.sets.len(), SETS);
        // The newest client is remembered: its second fetch is too soon.
        let last = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + 99_999));
        assert!(matches!(
            limit.check(last, "/all.rss", &none),
            Verdict::TooSoon(1..=60)
        ));
    }
}
