//! Where the daemon listens: `HOST:PORT`, as `server.listen` and `--listen`
//! take it. HOST is an IPv4 address, an IPv6 address in brackets
//! (`[::1]:8080`, RFC 3986 §3.2.2) or a host name (`localhost:8080`),
//! which is looked up when the daemon binds: it listens on the first of
//! the name's addresses that it can bind.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use toml::Spanned;

use super::Locator;
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;

/// An address to listen on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listen {
    /// An IP address (an IPv6 one without its brackets) or a host name.
    pub host: String,
    /// The TCP port; 0 asks the system for a free one.
    pub port: u16,
}

impl Listen {
    /// The same host on `port`.
    pub fn with_port(&self, port: u16) -> Listen {
        Listen {
            host: self.host.clone(),
            port,
        }
    }
}

impl Default for Listen {
    /// `127.0.0.1:8080`: this machine only, until the operator says more.
    fn default() -> Self {
        Listen {
            host: "127.0.0.1".to_owned(),
            port: 8080,
        }
    }
}

impl fmt::Display for Listen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

impl FromStr for Listen {
    type Err = String;

    /// Reads `HOST:PORT` (`--listen`); the error, in English, says what an
    /// address looks like.
    fn from_str(text: &str) -> Result<Listen, String> {
        Listen::parse(text).map_err(|message| message.to_string())
    }
}

impl Listen {
    /// Reads `HOST:PORT`; the error says what an address looks like.
    pub fn parse(text: &str) -> Result<Listen, Message> {
        let wrong = || Message::new("listen-bad").arg("text", text);
        let text = text.trim();
        let (host, port) = match text.strip_prefix('[') {
            Some(rest) => {
                let (host, after) = rest.split_once(']').ok_or_else(wrong)?;
                if host.parse::<std::net::Ipv6Addr>().is_err() {
                    return Err(wrong());
                }
                (host, after.strip_prefix(':').ok_or_else(wrong)?)
            }
            None => text.rsplit_once(':').ok_or_else(wrong)?,
        };
        let valid_name = |h: &str| {
            !h.is_empty()
                && h.len() <= 253
                && h.split('.').all(|label| {
                    !label.is_empty()
                        && label.len() <= 63
                        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        };
        // A bare IPv6 address without brackets cannot be told from its port.
        if host.contains(':') && !text.starts_with('[') || !host.contains(':') && !valid_name(host)
        {
            return Err(wrong());
        }
        let port = port.parse::<u16>().map_err(|_| wrong())?;
        Ok(Listen {
            host: host.to_owned(),
            port,
        })
    }
}

/// `server.min_interval`: whole seconds from 1 to a day, or none.
pub(super) fn min_interval(
    at: &Locator<'_>,
    value: Option<Spanned<i64>>,
) -> Result<Option<u32>, Diagnostic> {
    let Some(value) = value else {
        return Ok(None);
    };
    u32::try_from(*value.get_ref())
        .ok()
        .filter(|n| (1..=86_400).contains(n))
        .map(Some)
        .ok_or_else(|| {
            at.error(
                value.span(),
                Message::new("config-min-interval").arg("value", value.get_ref().to_string()),
            )
        })
}

/// A list of networks (`key` names it): addresses (`10.0.0.5`, `::1`) or
/// networks with a prefix length (`10.0.0.0/8`, `fd00::/8`).
pub(super) fn networks(
    at: &Locator<'_>,
    key: &str,
    list: Spanned<Vec<String>>,
) -> Result<Vec<(IpAddr, u8)>, Diagnostic> {
    let span = list.span();
    list.into_inner()
        .iter()
        .map(|text| {
            let network = || -> Option<(IpAddr, u8)> {
                let (address, length) = match text.trim().split_once('/') {
                    Some((address, length)) => (address, Some(length)),
                    None => (text.trim(), None),
                };
                let address: IpAddr = address.parse().ok()?;
                let most = if address.is_ipv4() { 32 } else { 128 };
                let length = match length {
                    Some(length) => length.parse::<u8>().ok().filter(|&n| n <= most)?,
                    None => most,
                };
                Some((address, length))
            };
            network().ok_or_else(|| {
                at.error(
                    span.clone(),
                    Message::new("config-bad-network")
                        .arg("key", key)
                        .arg("value", text.as_str()),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Listen;

    #[test]
    fn hosts_are_addresses_or_names_with_a_port() {
        for (text, host, port, shown) in [
            ("127.0.0.1:8080", "127.0.0.1", 8080, "127.0.0.1:8080"),
            ("localhost:8080", "localhost", 8080, "localhost:8080"),
            ("[::1]:8080", "::1", 8080, "[::1]:8080"),
            ("news.example:0", "news.example", 0, "news.example:0"),
        ] {
            let listen: Listen = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((listen.host.as_str(), listen.port), (host, port));
            assert_eq!(listen.to_string(), shown);
        }
        for bad in [
            "8080",
            "localhost",
            ":8080",
            "::1:8080",
            "[::1]8080",
            "[nope]:80",
            "host:99999",
            "a b:80",
            "[::1]:",
        ] {
            assert!(bad.parse::<Listen>().is_err(), "{bad}");
        }
    }
}
