//! `[server]` and `[watch]` as resolved: how the daemon serves and how it
//! watches the files, with their defaults.

use std::time::Duration;

use toml::Spanned;

use super::raw::{RawServer, RawWatch};
use super::{Listen, Locator, listen};
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;

/// The longest duration a setting takes: anything longer is a typo, and
/// would overflow the clocks it is added to.
const MAX_DURATION: Duration = Duration::from_secs(365 * 24 * 3600);

/// More connections than any one process can hold open.
const MAX_CONNECTIONS: usize = 1_000_000;

/// The longest `watch.debounce_ms`: an hour (longer is a typo).
const MAX_DEBOUNCE_MS: u64 = 3_600_000;

/// How the daemon serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The host and port to listen on (`server.listen`).
    pub listen: Listen,
    /// `Cache-Control: max-age`, in seconds (shortened before a scheduled publication).
    pub max_age: u64,
    /// `Cache-Control: max-age` of a moved feed's redirects, in seconds
    /// (`server.moved_max_age`, default a day): how long a cache or a
    /// reader may keep sending its clients on without asking again.
    pub moved_max_age: u64,
    /// Connections served at once; more wait in the kernel's queue.
    pub max_connections: usize,
    /// How long a client may take to send its request headers.
    pub header_timeout: Duration,
    /// How long one connection may stay open, however busy.
    pub connection_lifetime: Duration,
    /// How long shutting down waits for requests in flight.
    pub shutdown_timeout: Duration,
    /// The fewest seconds between two unconditional fetches of one
    /// document by one client (`server.min_interval`); none: no limit.
    pub min_interval: Option<u32>,
    /// The proxies whose `Forwarded` and `X-Forwarded-For` name the client
    /// (`server.trusted_proxies`), as networks (address, prefix length).
    pub trusted_proxies: Vec<(std::net::IpAddr, u8)>,
}

impl Default for Server {
    fn default() -> Self {
        Server {
            listen: Listen::default(),
            max_age: 300,
            moved_max_age: 86_400,
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            connection_lifetime: Duration::from_secs(300),
            shutdown_timeout: Duration::from_secs(10),
            min_interval: None,
            trusted_proxies: Vec::new(),
        }
    }
}

/// How the daemon watches the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    /// Events closer together than this are handled as one batch; once
    /// every file a batch names is whole (closed after writing, renamed into
    /// place), 1 ms is enough (see `watch.rs`).
    pub debounce: Duration,
    /// A full rescan this often catches anything the events missed.
    pub rescan: Duration,
    /// Poll the folders instead of using file-system events.
    pub poll: bool,
}

impl Default for Watch {
    fn default() -> Self {
        Watch {
            debounce: Duration::from_millis(5),
            rescan: Duration::from_secs(300),
            poll: false,
        }
    }
}

impl Server {
    /// `[server]`, each value checked on its line.
    pub(super) fn resolve(at: &Locator<'_>, raw: RawServer) -> Result<Server, Diagnostic> {
        let defaults = Server::default();
        Ok(Server {
            listen: match raw.listen {
                Some(listen) => Listen::parse(listen.get_ref())
                    .map_err(|e| at.error(listen.span(), Message::field("server.listen", e)))?,
                None => defaults.listen,
            },
            max_age: raw.max_age.unwrap_or(defaults.max_age),
            moved_max_age: raw.moved_max_age.unwrap_or(defaults.moved_max_age),
            max_connections: match raw.max_connections {
                Some(n) if !(1..=MAX_CONNECTIONS).contains(n.get_ref()) => {
                    return Err(at.error(
                        n.span(),
                        Message::new("config-max-connections")
                            .arg("max", MAX_CONNECTIONS.to_string()),
                    ));
                }
                Some(n) => n.into_inner(),
                None => defaults.max_connections,
            },
            header_timeout: seconds(
                at,
                "server.header_timeout",
                raw.header_timeout,
                defaults.header_timeout,
            )?,
            connection_lifetime: seconds(
                at,
                "server.connection_lifetime",
                raw.connection_lifetime,
                defaults.connection_lifetime,
            )?,
            shutdown_timeout: seconds(
                at,
                "server.shutdown_timeout",
                raw.shutdown_timeout,
                defaults.shutdown_timeout,
            )?,
            min_interval: listen::min_interval(at, raw.min_interval)?,
            trusted_proxies: match raw.trusted_proxies {
                Some(list) => listen::networks(at, "server.trusted_proxies", list)?,
                None => Vec::new(),
            },
        })
    }
}

impl Watch {
    /// `[watch]`, each value checked on its line.
    pub(super) fn resolve(at: &Locator<'_>, raw: RawWatch) -> Result<Watch, Diagnostic> {
        let defaults = Watch::default();
        let debounce = match raw.debounce_ms {
            Some(ms) if *ms.get_ref() > MAX_DEBOUNCE_MS => {
                return Err(at.error(
                    ms.span(),
                    Message::new("config-debounce")
                        .arg("value", ms.get_ref().to_string())
                        .arg("max", MAX_DEBOUNCE_MS.to_string()),
                ));
            }
            Some(ms) => Duration::from_millis(ms.into_inner()),
            None => defaults.debounce,
        };
        Ok(Watch {
            debounce,
            rescan: seconds(at, "watch.rescan", raw.rescan, defaults.rescan)?,
            poll: raw.poll.unwrap_or(false),
        })
    }
}

/// A number of seconds for `key`: more than 0, at most a year; `default`
/// when left out.
fn seconds(
    at: &Locator<'_>,
    key: &str,
    value: Option<Spanned<f64>>,
    default: Duration,
) -> Result<Duration, Diagnostic> {
    let Some(v) = value else {
        return Ok(default);
    };
    Duration::try_from_secs_f64(*v.get_ref())
        .ok()
        .filter(|d| !d.is_zero() && *d <= MAX_DURATION)
        .ok_or_else(|| {
            at.error(
                v.span(),
                Message::new("config-seconds")
                    .arg("key", key)
                    .arg("value", v.get_ref().to_string()),
            )
        })
}
