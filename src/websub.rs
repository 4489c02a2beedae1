//! WebSub publishing (W3C Recommendation 2018-01-23): telling each hub that
//! a topic changed, so that it fetches the feed and pushes it to its
//! subscribers within seconds instead of waiting for their next poll.
//!
//! The daemon calls [`Pinger::changed`] for every served document whose
//! bytes changed and that names hubs (its [`Links::topic`]), after the new
//! bytes are being served. A ping is a form-encoded `POST` of
//! `hub.mode=publish` with the topic as both `hub.topic` (WebSub-era hubs)
//! and `hub.url` (PubSubHubbub-era hubs). Nothing here blocks publication
//! or serving:
//!
//! - a change is queued by (hub, topic), and a topic already waiting is
//!   not queued twice: pings coalesce; the queue holds at most
//!   [`QUEUE_LIMIT`] pings, and a change that finds it full is dropped and
//!   counted;
//! - a ping that fails (no answer within `websub.timeout`, a 5xx, 408 or
//!   429) is sent again after an exponential back-off with jitter, 1 s
//!   doubling up to 5 minutes (a `Retry-After` the hub sends is honoured
//!   within that), at most `websub.attempts` times; a change made meanwhile
//!   starts the count again. Any other 4xx is the hub refusing the topic,
//!   which retrying does not mend;
//! - a hub that stops answering is logged once when it does, and once when
//!   it answers again, not at every retry;
//! - `/metrics` counts pings sent and failed, retries, drops and latency.
//!
//! HTTPS goes through rustls, trusting the system's certificate store
//! (`/etc/ssl/certs` on Debian; `SSL_CERT_FILE` names another bundle).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::sync::Notify;

use crate::config::WebSub;
use crate::metrics::Metrics;
use crate::snapshot::Links;

/// The most pings waiting at once: a site with more feeds than this that
/// all change together (a config reload) drops the rest, counted.
pub const QUEUE_LIMIT: usize = 10_000;

/// How many pings are in flight at once.
const IN_FLIGHT: usize = 8;

/// How many pings to one hub are in flight at once: a hub that holds every
/// connection unanswered takes no more than this from the others.
const IN_FLIGHT_PER_HUB: usize = 2;

/// The first retry waits about this long; each later one twice as long.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);

/// No retry waits longer than this.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// One ping to send: a topic, to one hub.
type Key = (String, String);

/// What is known of one (hub, topic) ping.
#[derive(Debug)]
struct Job {
    /// When it may be sent (now, or after a back-off).
    due: Instant,
    /// Attempts made for the current change.
    attempts: u32,
    /// Whether it is being sent now.
    in_flight: bool,
    /// Whether the topic changed again while it was in flight: it is sent
    /// once more, since the hub may have fetched the older bytes.
    again: bool,
}

/// The queue the daemon fills and the sending task empties.
#[derive(Debug, Default)]
struct Queue {
    jobs: HashMap<Key, Job>,
    /// How pings are sent (`[websub]`, which a reload may change).
    settings: WebSub,
    /// Hubs that failed their last attempt: logged once until they answer.
    down: HashSet<String>,
    /// Hubs a ping was given up for since they last answered: logged once.
    given_up: HashSet<String>,
    /// Whether a change found the queue full since it last had room:
    /// logged once.
    overflowed: bool,
    stopped: bool,
}

/// The daemon's handle on the sending task.
#[derive(Debug, Clone)]
pub struct Pinger {
    queue: Arc<Mutex<Queue>>,
    wake: Arc<Notify>,
}

impl Pinger {
    /// A pinger that queues what changes, sending nothing until
    /// [`Pinger::start`]: the daemon queues its first publication's
    /// changes before it listens, and starts sending once it serves them.
    pub fn new(settings: WebSub) -> Pinger {
        Pinger {
            queue: Arc::new(Mutex::new(Queue {
                settings,
                ..Queue::default()
            })),
            wake: Arc::new(Notify::new()),
        }
    }

    /// Starts the sending task on the current tokio runtime, counting
    /// into `metrics`.
    pub fn start(&self, metrics: Arc<Metrics>) {
        let task = self.clone();
        tokio::spawn(async move { task.run(metrics).await });
    }

    /// Sends from now on as `settings` say (a reloaded config).
    pub fn configure(&self, settings: WebSub) {
        if let Ok(mut queue) = self.queue.lock() {
            queue.settings = settings;
        }
    }

    /// Queues a ping to each hub of `links`, whose topic just changed.
    pub fn changed(&self, links: &Links, metrics: &Metrics) {
        let Some((topic, hubs)) = &links.topic else {
            return;
        };
        let Ok(mut queue) = self.queue.lock() else {
            return;
        };
        let now = Instant::now();
        for hub in hubs {
            let key = (hub.clone(), topic.clone());
            let full = queue.jobs.len() >= QUEUE_LIMIT;
            match queue.jobs.get_mut(&key) {
                Some(job) if job.in_flight => job.again = true,
                // Waiting: it will carry this change too, from a fresh count.
                Some(job) => job.attempts = 0,
                None if full => {
                    metrics.ping_dropped();
                    if !std::mem::replace(&mut queue.overflowed, true) {
                        tracing::warn!(
                            "websub: {QUEUE_LIMIT} pings are waiting already; changes are dropped (counted in /metrics) until there is room, starting with {topic} for {hub}"
                        );
                    }
                }
                None => {
                    queue.overflowed = false;
                    queue.jobs.insert(
                        key,
                        Job {
                            due: now,
                            attempts: 0,
                            in_flight: false,
                            again: false,
                        },
                    );
                }
            }
        }
        metrics.set_pings_pending(queue.jobs.len());
        drop(queue);
        self.wake.notify_one();
    }

    /// How many pings are waiting or in flight.
    #[cfg(test)]
    pub fn pending(&self) -> usize {
        self.queue.lock().map_or(0, |q| q.jobs.len())
    }

    /// Stops the sending task; what is still queued is dropped (and said).
    pub fn stop(&self) {
        if let Ok(mut queue) = self.queue.lock() {
            queue.stopped = true;
            if !queue.jobs.is_empty() {
                tracing::info!(
                    "websub: stopping with {} unsent",
                    crate::text::count(queue.jobs.len(), "ping")
                );
            }
        }
        self.wake.notify_one();
    }

    /// The sending task: sends what is due, at most [`IN_FLIGHT`] at once,
    /// and sleeps until the next is due or a change arrives.
    async fn run(self, metrics: Arc<Metrics>) {
        let client = client();
        let slots = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
        let mut jitter = Jitter::new();
        loop {
            let (due, next, settings) = {
                let Ok(mut queue) = self.queue.lock() else {
                    return;
                };
                if queue.stopped {
                    return;
                }
                let settings = queue.settings.clone();
                let now = Instant::now();
                let mut due = Vec::new();
                let mut next: Option<Instant> = None;
                let free = slots.available_permits();
                let mut busy: HashMap<String, usize> = HashMap::new();
                for ((hub, _), _) in queue.jobs.iter().filter(|(_, j)| j.in_flight) {
                    *busy.entry(hub.clone()).or_default() += 1;
                }
                for (key, job) in queue.jobs.iter_mut().filter(|(_, j)| !j.in_flight) {
                    if job.due > now {
                        next = Some(next.map_or(job.due, |n: Instant| n.min(job.due)));
                        continue;
                    }
                    let hub = busy.entry(key.0.clone()).or_default();
                    if due.len() < free && *hub < IN_FLIGHT_PER_HUB {
                        *hub += 1;
                        job.in_flight = true;
                        due.push((key.clone(), job.attempts));
                    }
                    // Due but no slot free: a ping that ends wakes the loop.
                }
                (due, next, settings)
            };
            for (key, attempts) in due {
                let Ok(permit) = Arc::clone(&slots).acquire_owned().await else {
                    return;
                };
                let (client, pinger, metrics) =
                    (client.clone(), self.clone(), Arc::clone(&metrics));
                let (timeout, limit) = (settings.timeout, settings.attempts);
                let backoff = jitter.backoff(attempts);
                tokio::spawn(async move {
                    let started = Instant::now();
                    let outcome = send(&client, &key.0, &key.1, timeout).await;
                    metrics.ping(
                        outcome.is_ok(),
                        attempts > 0,
                        started.elapsed().as_secs_f64(),
                    );
                    // The slot is free before the loop hears of the outcome,
                    // so that it can send what waited for one.
                    drop(permit);
                    pinger.settle(key, outcome, attempts, limit, backoff, &metrics);
                });
            }
            let sleep = next.map_or(Duration::from_secs(3600), |at| {
                at.saturating_duration_since(Instant::now())
            });
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(sleep) => {}
            }
        }
    }

    /// Records the outcome of one attempt of `key` (its `attempts`-th
    /// retry; at most `limit` attempts; `backoff` is how long a retry
    /// waits unless the hub says).
    fn settle(
        &self,
        key: Key,
        outcome: Result<(), Failure>,
        attempts: u32,
        limit: u32,
        backoff: Duration,
        metrics: &Metrics,
    ) {
        let Ok(mut queue) = self.queue.lock() else {
            return;
        };
        let (hub, topic) = (&key.0, &key.1);
        match &outcome {
            Ok(()) => {
                queue.given_up.remove(hub);
                if queue.down.remove(hub) {
                    tracing::info!("websub: {hub} answers again");
                }
            }
            // Refused: the hub answers, and says no to this topic.
            Err(failure) if failure.permanent => {}
            Err(failure) => {
                if queue.down.insert(hub.clone()) {
                    tracing::warn!(
                        "websub: {hub} did not take the ping for {topic}: {}; trying again with back-off (logged once until it answers)",
                        failure.reason
                    );
                }
            }
        }
        let Some(job) = queue.jobs.get_mut(&key) else {
            return;
        };
        job.in_flight = false;
        let again = std::mem::take(&mut job.again);
        match outcome {
            // Changed again while this attempt was out: sent again, from a
            // fresh count, at once, or after the back-off if the hub failed.
            Ok(()) if again => {
                job.attempts = 0;
                job.due = Instant::now();
            }
            Err(failure) if again && !failure.permanent => {
                job.attempts = 0;
                job.due = Instant::now() + failure.wait(backoff);
            }
            Ok(()) => {
                queue.jobs.remove(&key);
            }
            Err(failure) if failure.permanent || attempts + 1 >= limit => {
                queue.jobs.remove(&key);
                metrics.ping_dropped();
                let first = queue.given_up.insert(hub.clone());
                if failure.permanent {
                    tracing::warn!(
                        "websub: {hub} refused the ping for {topic}: {}; check websub.hubs",
                        failure.reason
                    );
                } else if first {
                    tracing::warn!(
                        "websub: gave up telling {hub} that {topic} changed ({}, after {}); said once until the hub answers",
                        failure.reason,
                        crate::text::count(attempts as usize + 1, "attempt")
                    );
                }
            }
            Err(failure) => {
                job.attempts = attempts + 1;
                job.due = Instant::now() + failure.wait(backoff);
            }
        }
        metrics.set_pings_pending(queue.jobs.len());
        drop(queue);
        self.wake.notify_one();
    }
}

/// Why an attempt failed.
#[derive(Debug)]
struct Failure {
    reason: String,
    /// The hub refused the ping itself (a 4xx other than 408 and 429), or
    /// the URL is not the hub's (a redirect): trying again cannot help.
    permanent: bool,
    /// How long the hub asked to wait (`Retry-After`, RFC 9110 §10.2.3).
    retry_after: Option<Duration>,
}

impl Failure {
    /// How long to wait before the next attempt: what the hub asked,
    /// within the back-off's bounds, or `backoff`.
    fn wait(&self, backoff: Duration) -> Duration {
        self.retry_after
            .map_or(backoff, |after| after.clamp(FIRST_BACKOFF, MAX_BACKOFF))
    }
}

/// The HTTP client: HTTP/1.1, plain or over rustls with the system's roots.
type HttpClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

fn client() -> HttpClient {
    let builder = hyper_rustls::HttpsConnectorBuilder::new();
    let builder = match builder.with_native_roots() {
        Ok(builder) => builder,
        Err(error) => {
            tracing::warn!(
                "websub: no trusted certificates found ({error}); pings to https hubs will fail"
            );
            hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(
                rustls::ClientConfig::builder()
                    .with_root_certificates(rustls::RootCertStore::empty())
                    .with_no_client_auth(),
            )
        }
    };
    let connector = builder.https_or_http().enable_http1().build();
    Client::builder(TokioExecutor::new()).build(connector)
}

/// One ping of `topic` to `hub`, within `timeout`.
async fn send(
    client: &HttpClient,
    hub: &str,
    topic: &str,
    timeout: Duration,
) -> Result<(), Failure> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("hub.mode", "publish")
        .append_pair("hub.topic", topic)
        .append_pair("hub.url", topic)
        .finish();
    let request = Request::builder()
        .method(Method::POST)
        .uri(hub)
        .header(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        )
        .header(header::USER_AGENT, HeaderValue::from_static(USER_AGENT))
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| Failure {
            reason: format!("cannot make the request: {e}"),
            permanent: true,
            retry_after: None,
        })?;
    let response = match tokio::time::timeout(timeout, client.request(request)).await {
        Err(_) => {
            return Err(Failure {
                reason: format!("no answer within {} s", timeout.as_secs_f64()),
                permanent: false,
                retry_after: None,
            });
        }
        Ok(Err(error)) => {
            return Err(Failure {
                reason: describe(&error),
                permanent: false,
                retry_after: None,
            });
        }
        Ok(Ok(response)) => response,
    };
    if response.status().is_success() {
        return Ok(());
    }
    Err(refused(response.status(), response.headers()))
}

/// What a hub's answer other than 2xx means: a redirect or a client error
/// (but 408 and 429) is permanent; `Retry-After` is kept.
fn refused(status: StatusCode, headers: &hyper::HeaderMap) -> Failure {
    // Seconds, or an HTTP-date.
    let retry_after = headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let v = v.trim();
            v.parse::<u64>().map(Duration::from_secs).ok().or_else(|| {
                let at = httpdate::parse_http_date(v).ok()?;
                Some(
                    at.duration_since(std::time::SystemTime::now())
                        .unwrap_or_default(),
                )
            })
        });
    let location = headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(|l| format!(" to {l}"))
        .unwrap_or_default();
    let reason = if status.is_redirection() {
        format!("it answered {status}{location}; name the hub's own address in websub.hubs")
    } else {
        format!("it answered {status}")
    };
    Failure {
        reason,
        permanent: status.is_redirection()
            || (status.is_client_error()
                && status != StatusCode::REQUEST_TIMEOUT
                && status != StatusCode::TOO_MANY_REQUESTS),
        retry_after,
    }
}

/// A client error with its causes, which hyper keeps in its source chain
/// (`connection refused`, a certificate the store does not trust).
fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// What pings say they are from.
const USER_AGENT: &str = concat!(
    "syndicated/",
    env!("CARGO_PKG_VERSION"),
    " (WebSub publisher)"
);

/// Back-off with "equal jitter": half the doubled wait, plus a random part
/// of the other half, so that many topics failing together do not retry
/// together.
#[derive(Debug)]
struct Jitter(u64);

impl Jitter {
    fn new() -> Jitter {
        // A random seed from the standard library's hasher keys.
        let seed = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        Jitter(seed | 1)
    }

    /// The wait before retry `attempts + 1`.
    fn backoff(&mut self, attempts: u32) -> Duration {
        let full = FIRST_BACKOFF
            .saturating_mul(1u32 << attempts.min(16))
            .min(MAX_BACKOFF);
        // xorshift64
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        let half = full / 2;
        half + half.mul_f64((self.0 % 1_000_000) as f64 / 1_000_000.0)
    }
}

/// The topics that changed between what was served and what is: of the
/// documents `changed` names, those whose links name hubs. Ordered by name,
/// so that pings go out in a stable order.
pub fn topics<'a>(
    changed: &[String],
    links: impl Fn(&str) -> Option<&'a Arc<Links>>,
) -> BTreeMap<String, Arc<Links>> {
    changed
        .iter()
        .filter_map(|name| {
            let links = links(name)?;
            links.topic.as_ref()?;
            Some((name.clone(), Arc::clone(links)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_with_jitter_up_to_its_cap() {
        let mut jitter = Jitter::new();
        for attempts in 0..20 {
            let full = FIRST_BACKOFF
                .saturating_mul(1u32 << attempts.min(16))
                .min(MAX_BACKOFF);
            let wait = jitter.backoff(attempts);
            assert!(wait >= full / 2 && wait <= full, "{attempts}: {wait:?}");
        }
    }

    #[tokio::test]
    async fn a_topic_waiting_is_queued_once() {
        let metrics = Metrics::default();
        let pinger = Pinger::new(WebSub::default());
        let links = Links::new(&[
            ("self", "http://example.com/all.rss".to_owned()),
            ("hub", "http://hub.example/".to_owned()),
            ("hub", "http://hub2.example/".to_owned()),
        ]);
        pinger.changed(&links, &metrics);
        pinger.changed(&links, &metrics);
        assert_eq!(pinger.pending(), 2);
        pinger.changed(&Links::new(&[("self", "x".to_owned())]), &metrics);
        assert_eq!(pinger.pending(), 2);
    }
}
