//! Counters for `/metrics`, in the Prometheus text format.
//!
//! Updated from the request path with atomic increments only; encoded when
//! `/metrics` is asked for. What they answer: is it serving (requests by
//! status, 304s, bytes sent), is the content healthy (articles, content
//! errors), and is it keeping up (publications and how long they take).

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    status: u16,
}

/// Every metric the daemon keeps.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<StatusLabel, Counter>,
    not_modified: Counter,
    bytes_sent: Counter,
    publications: Counter,
    publication_seconds: Histogram,
    articles: Gauge,
    content_errors: Gauge,
    mirror_errors: Counter,
    pings: Family<PingLabel, Counter>,
    ping_retries: Counter,
    pings_dropped: Counter,
    pings_pending: Gauge,
    ping_seconds: Histogram,
    agents: Family<AgentLabel, Counter>,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PingLabel {
    result: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AgentLabel {
    family: &'static str,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("syndicated");
        let requests = Family::<StatusLabel, Counter>::default();
        let not_modified = Counter::default();
        let bytes_sent = Counter::default();
        let publications = Counter::default();
        // From half a millisecond to about 16 seconds.
        let publication_seconds = Histogram::new(exponential_buckets(0.0005, 2.0, 16));
        let articles = Gauge::default();
        let content_errors = Gauge::default();
        let mirror_errors = Counter::default();
        let pings = Family::<PingLabel, Counter>::default();
        let ping_retries = Counter::default();
        let pings_dropped = Counter::default();
        let pings_pending = Gauge::default();
        // From 5 milliseconds to about 80 seconds.
        let ping_seconds = Histogram::new(exponential_buckets(0.005, 2.0, 15));
        let agents = Family::<AgentLabel, Counter>::default();
        registry.register(
            "http_requests_by_agent",
            "Requests by user-agent family (a few readers by name, browser, other, none)",
            agents.clone(),
        );
        registry.register(
            "websub_pings",
            "WebSub publish pings sent to hubs, by result (sent: the hub accepted it; failed: an attempt failed)",
            pings.clone(),
        );
        registry.register(
            "websub_ping_retries",
            "WebSub pings sent again after a failed attempt",
            ping_retries.clone(),
        );
        registry.register(
            "websub_pings_dropped",
            "WebSub pings dropped: the queue was full, or every attempt failed",
            pings_dropped.clone(),
        );
        registry.register(
            "websub_pings_pending",
            "WebSub pings waiting (a retry's back-off included) or in flight",
            pings_pending.clone(),
        );
        registry.register(
            "websub_ping_duration_seconds",
            "Time a hub took to answer a ping",
            ping_seconds.clone(),
        );
        registry.register(
            "http_requests",
            "HTTP responses sent, by status",
            requests.clone(),
        );
        registry.register(
            "http_not_modified",
            "304 responses to conditional requests",
            not_modified.clone(),
        );
        registry.register(
            "http_body_bytes_sent",
            "Response body bytes sent",
            bytes_sent.clone(),
        );
        registry.register("publications", "Snapshots published", publications.clone());
        registry.register(
            "publication_duration_seconds",
            "Time from a batch of changes to its snapshot being served",
            publication_seconds.clone(),
        );
        registry.register("articles", "Articles published now", articles.clone());
        registry.register(
            "content_errors",
            "Files whose current version has an error (their last good version is served)",
            content_errors.clone(),
        );
        registry.register(
            "mirror_errors",
            "Failed writes to the static mirror",
            mirror_errors.clone(),
        );
        Metrics {
            registry,
            requests,
            not_modified,
            bytes_sent,
            publications,
            publication_seconds,
            articles,
            content_errors,
            mirror_errors,
            pings,
            ping_retries,
            pings_dropped,
            pings_pending,
            ping_seconds,
            agents,
        }
    }
}

impl Metrics {
    /// Counts one response by status, and the body bytes sent.
    pub fn response(&self, status: u16, body_bytes: usize) {
        self.requests.get_or_create(&StatusLabel { status }).inc();
        if status == 304 {
            self.not_modified.inc();
        }
        self.bytes_sent.inc_by(body_bytes as u64);
    }

    /// Records one publication: how long it took (seconds), and what it serves.
    pub fn published(&self, seconds: f64, articles: usize, errors: usize) {
        self.publications.inc();
        self.publication_seconds.observe(seconds);
        self.articles
            .set(i64::try_from(articles).unwrap_or(i64::MAX));
        self.content_errors
            .set(i64::try_from(errors).unwrap_or(i64::MAX));
    }

    /// Counts one failed write of the mirror.
    pub fn mirror_error(&self) {
        self.mirror_errors.inc();
    }

    /// Counts one ping attempt that took `seconds`: accepted by the hub
    /// (`sent`) or not, and whether it was a retry.
    pub fn ping(&self, sent: bool, retry: bool, seconds: f64) {
        let result = if sent { "sent" } else { "failed" };
        self.pings.get_or_create(&PingLabel { result }).inc();
        if retry {
            self.ping_retries.inc();
        }
        self.ping_seconds.observe(seconds);
    }

    /// Counts one request from a client of `family` (a bounded set of names).
    pub fn agent(&self, family: &'static str) {
        self.agents.get_or_create(&AgentLabel { family }).inc();
    }

    /// Counts one ping given up or never queued.
    pub fn ping_dropped(&self) {
        self.pings_dropped.inc();
    }

    /// Sets how many pings are waiting or in flight.
    pub fn set_pings_pending(&self, pending: usize) {
        self.pings_pending
            .set(i64::try_from(pending).unwrap_or(i64::MAX));
    }

    /// How many pings are waiting or in flight.
    pub fn pings_pending(&self) -> u64 {
        u64::try_from(self.pings_pending.get()).unwrap_or(0)
    }

    /// The text exposition format.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_show_in_the_text_format() {
        let m = Metrics::default();
        m.response(200, 100);
        m.response(304, 0);
        m.published(0.002, 6, 1);
        let text = m.encode();
        assert!(
            text.contains("syndicated_http_requests_total{status=\"200\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("syndicated_http_not_modified_total 1"),
            "{text}"
        );
        assert!(
            text.contains("syndicated_http_body_bytes_sent_total 100"),
            "{text}"
        );
        assert!(text.contains("syndicated_articles 6"), "{text}");
        assert!(text.contains("syndicated_content_errors 1"), "{text}");
        assert!(
            text.contains("syndicated_publication_duration_seconds_count 1"),
            "{text}"
        );
    }
}
