//! `[server]` and `[watch]` as resolved: how the daemon serves and how it
//! watches the files, with their defaults.

use std::time::Duration;

use super::Listen;

/// How the daemon serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The host and port to listen on (`server.listen`).
    pub listen: Listen,
    /// `Cache-Control: max-age`, in seconds (shortened before a scheduled publication).
    pub max_age: u64,
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
