//! A site on this machine, served where the daemon really listens.
//!
//! A trial site's `base_url` names a loopback address (`init` writes
//! `http://localhost:8080/`), and the daemon may listen elsewhere
//! (`--port 8091`, or a port the system chose). Self links and pages that
//! name the configured port would lead readers and feed readers nowhere, so
//! the daemon moves every URL of the site on that origin to the address it
//! listens on. A public `base_url` is never touched: a proxy or a CDN
//! stands between it and the daemon.

use std::net::{IpAddr, SocketAddr};

use url::{Host, Url};

use super::Site;

/// Whether `url`'s host is this machine: `localhost` (or a name under
/// it, RFC 6761 §6.3), 127.0.0.0/8 or `[::1]`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl Site {
    /// With a `base_url` of `http://` on this machine ([`is_loopback`]),
    /// moves it, and every URL of
    /// the site on its origin (`feeds_url`, `media_url`, the icon and the
    /// logo), to `bound`, the address the daemon listens on: its port, and
    /// its host unless that is the unspecified address (`0.0.0.0`, `[::]`)
    /// or `localhost` already leads to it. `authority` stays: ids never
    /// move. Returns whether anything moved.
    pub fn serve_locally_at(&mut self, bound: SocketAddr) -> bool {
        if self.base_url.scheme() != "http" || !is_loopback(&self.base_url) {
            return false;
        }
        let origin = self.base_url.origin();
        let mut moved = self.base_url.clone();
        let named = matches!(moved.host(), Some(Host::Domain(_)));
        let keep_host = bound.ip().is_unspecified() || (named && bound.ip().is_loopback());
        if !keep_host {
            let host = match bound.ip() {
                IpAddr::V4(ip) => ip.to_string(),
                IpAddr::V6(ip) => format!("[{ip}]"),
            };
            // Only a URL without a host refuses one: `base_url` has one.
            let _ = moved.set_host(Some(&host));
        }
        let _ = moved.set_port(Some(bound.port()));
        if moved.origin() == origin {
            return false;
        }
        let artwork = [&mut self.icon, &mut self.logo]
            .into_iter()
            .flatten()
            .map(|artwork| &mut artwork.url);
        let urls = [&mut self.base_url, &mut self.feeds_url]
            .into_iter()
            .chain(self.media_url.as_mut())
            .chain(artwork);
        for url in urls.filter(|url| url.origin() == origin) {
            let _ = url.set_host(moved.host_str());
            let _ = url.set_port(moved.port());
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;

    fn site(extra: &str) -> Site {
        let text = format!("[site]\ntitle = \"T\"\n{extra}");
        Config::parse(Path::new("syndicated.toml"), &text)
            .unwrap()
            .site
    }

    fn at(address: &str) -> SocketAddr {
        address.parse().unwrap()
    }

    #[test]
    fn a_local_site_moves_to_the_port_it_is_served_on() {
        let mut local = site(
            "base_url = \"http://localhost:8080/news/\"\nicon = \"https://cdn.example/i.png\"\nlogo = \"http://localhost:8080/logo.png\"\n",
        );
        assert!(local.serve_locally_at(at("127.0.0.1:8091")));
        assert_eq!(local.base_url.as_str(), "http://localhost:8091/news/");
        assert_eq!(local.feeds_url.as_str(), "http://localhost:8091/news/");
        let logo = local.logo.as_ref().unwrap().url.as_str();
        assert_eq!(logo, "http://localhost:8091/logo.png");
        let icon = local.icon.as_ref().unwrap().url.as_str();
        assert_eq!(icon, "https://cdn.example/i.png", "another origin stays");
        assert_eq!(local.authority, "localhost", "ids never move");
        assert!(
            !local.serve_locally_at(at("127.0.0.1:8091")),
            "already there"
        );
    }

    #[test]
    fn an_address_takes_the_host_it_is_served_on() {
        let mut local = site("base_url = \"http://[::1]:8080/\"\n");
        assert!(local.serve_locally_at(at("127.0.0.1:80")));
        assert_eq!(local.base_url.as_str(), "http://127.0.0.1/");
        let mut everywhere = site("base_url = \"http://127.0.0.1:8080/\"\n");
        assert!(everywhere.serve_locally_at(at("0.0.0.0:9000")));
        assert_eq!(everywhere.base_url.as_str(), "http://127.0.0.1:9000/");
    }

    #[test]
    fn a_public_or_https_site_never_moves() {
        for base in [
            "https://news.example.com/",
            "https://localhost:8443/",
            "http://news.example.com:8080/",
        ] {
            let mut public = site(&format!("base_url = \"{base}\"\n"));
            assert!(!public.serve_locally_at(at("127.0.0.1:8091")), "{base}");
            assert_eq!(public.base_url.as_str(), base);
        }
    }
}
