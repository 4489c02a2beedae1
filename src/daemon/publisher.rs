//! The publisher: everything one publication is made from (config, feed
//! definitions, the store, the feed cache, remembered dates), kept by the
//! daemon's one task, and the publication step that swaps a new snapshot
//! in and hands the rest (the state folder, compression, the mirror, pings,
//! the log line) to the finisher, so that the next change is taken at once.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use jiff::Timestamp;

mod events;

use super::ServeOptions;
use super::finisher::{Kept, Unfinished};
use crate::config::{Config, Facet, FeedSpec, load_feeds};
use crate::content::{Depth, Fingerprint, Store};
use crate::diagnostic::Diagnostic;
use crate::publish::{self, Cache, Sources};
use crate::serve::Shared;
use crate::snapshot::{Links, Snapshot};
use crate::state::{Remembered, ReplacedPages};
use crate::text::count;
use crate::websub::Pinger;
pub(super) use events::{files_changed, roots};

/// Everything one publication is made from.
pub(super) struct Publisher {
    options: ServeOptions,
    config: Config,
    /// The last good definition of every feed, by name.
    feeds: BTreeMap<String, FeedSpec>,
    feed_errors: Vec<Diagnostic>,
    store: Store,
    cache: Cache,
    /// The folder the mirror writes, if any.
    out: Option<PathBuf>,
    /// What the state folder keeps, as read at start: what the first
    /// publication is dated and pinged by, then handed to the finisher,
    /// which keeps it current (later publications follow the snapshot
    /// before theirs, which holds the same dates).
    kept: Option<Kept>,
    /// The replaced pages read at start, until [`Publisher::restored`].
    restored: Vec<(String, crate::snapshot::Serving, bytes::Bytes)>,
    /// Diagnostics already logged, so each is logged once while it lasts.
    logged: HashSet<String>,
    /// The config file's fingerprint when last read, so that a rescan, or
    /// an event beside it, sees an edit through a link.
    config_seen: Option<Fingerprint>,
    /// Where events name the watched paths from: see
    /// [`Publisher::event_bases`].
    bases: Vec<(PathBuf, Vec<PathBuf>)>,
    /// Tells WebSub hubs what changed (the daemon's; none for `check`).
    pinger: Option<Pinger>,
    /// Whether a rescan has been logged at INFO: the first (when the watch
    /// begins) is, later ones only when they find a change, so that a
    /// quiet site does not log a line every `watch.rescan`.
    rescan_announced: bool,
}

impl Publisher {
    /// Reads the whole site under `config`: every article, every feed
    /// definition, and what is remembered from earlier runs.
    pub(super) fn load_with(
        options: &ServeOptions,
        config: Config,
    ) -> Result<Publisher, Diagnostic> {
        for warning in &config.warnings {
            tracing::warn!("{warning}");
        }
        let store = Store::scan_tracked(&config.site, &config.paths.content)?;
        let out = options.out.clone().or_else(|| config.paths.out.clone());
        // systemd's `StateDirectory=` names its folders in
        // `$STATE_DIRECTORY`, separated by colons.
        let state_dir = options
            .state
            .clone()
            .or_else(|| config.paths.state.clone())
            .or_else(|| {
                std::env::var_os("STATE_DIRECTORY")
                    .and_then(|dirs| std::env::split_paths(&dirs).next())
            });
        // A preview writes nothing the published site would read.
        let (out, state_dir) = if options.preview {
            (None, None)
        } else {
            (out, state_dir)
        };
        let (remembered, problem) = Remembered::open(state_dir.as_deref());
        if let Some(problem) = problem {
            tracing::warn!("{problem}");
        }
        let (replaced, restored, problem) = ReplacedPages::open(state_dir.as_deref());
        if let Some(problem) = problem {
            tracing::warn!("{problem}");
        }
        let mut publisher = Publisher {
            kept: Some(Kept {
                remembered,
                replaced,
            }),
            restored,
            options: options.clone(),
            out,
            config,
            feeds: BTreeMap::new(),
            feed_errors: Vec::new(),
            store,
            cache: Cache::default(),
            logged: HashSet::new(),
            config_seen: Fingerprint::of_file(&options.config),
            bases: Vec::new(),
            pinger: None,
            rescan_announced: false,
        };
        publisher.bases = publisher.event_bases();
        publisher.reload_feeds()?;
        Ok(publisher)
    }

    /// The config the site is published under now.
    pub(super) fn config(&self) -> &Config {
        &self.config
    }

    /// The feed definitions that load, by name.
    pub(super) fn feeds(&self) -> impl Iterator<Item = &FeedSpec> {
        self.feeds.values()
    }

    /// Pings hubs from now on (a preview never does).
    pub(super) fn set_pinger(&mut self, pinger: Pinger) {
        self.pinger = Some(pinger);
    }

    /// What is served before the first publication: the archive pages a
    /// change replaced before the last stop, read from the state folder, so
    /// that the first publication serves them on as the run before did.
    pub(super) fn restored(&mut self) -> Snapshot {
        let restored = std::mem::take(&mut self.restored);
        let remembered = self.remembered();
        Snapshot::default()
            .with_documents(
                restored,
                &Snapshot::default(),
                |name| remembered.and_then(|r| r.get(name)),
                Timestamp::now(),
            )
            .0
    }

    /// Reads the feed definitions again; a definition that now fails keeps
    /// its previous version. Returns whether they or their errors changed.
    pub(super) fn reload_feeds(&mut self) -> Result<bool, Diagnostic> {
        let mut feeds = BTreeMap::new();
        let mut errors = Vec::new();
        for result in load_feeds(
            &self.config.paths.feeds,
            &self.config.paths.content,
            &self.config.site.feeds_url,
        )? {
            match result {
                Ok(feed) => {
                    feeds.insert(feed.name.clone(), feed);
                }
                Err(error) => {
                    let name = error
                        .path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if let Some(previous) = self.feeds.get(&name) {
                        feeds.insert(name, previous.clone());
                    }
                    errors.push(error);
                }
            }
        }
        let changed = feeds != self.feeds || errors != self.feed_errors;
        self.feeds = feeds;
        self.feed_errors = errors;
        Ok(changed)
    }

    /// Loads the config file again. A config that does not load, or moves
    /// the folders, is handled by the caller; this only swaps in a valid one.
    pub(super) fn reload(&mut self) -> Result<bool, Diagnostic> {
        // This version is seen, whether or not it loads: polling waits for
        // the next edit rather than trying a broken file again.
        self.config_seen = Fingerprint::of_file(&self.options.config);
        let config = self.options.load_config()?;
        let moved = config.paths != self.config.paths;
        let pending = restart_only(&self.config, &config, &self.options, moved);
        if !pending.is_empty() {
            tracing::warn!(
                "{}: {} changed; the running daemon keeps the old value until it is restarted",
                self.options.config.display(),
                pending.join(", ")
            );
        }
        if moved {
            let fresh = Publisher::load_with(&self.options, config)?;
            let pinger = self.pinger.take();
            *self = fresh;
            self.pinger = pinger;
        } else {
            // Every article is read again under the new config (its time
            // zone, authority or links may have changed), keeping the last
            // good version of any that now fails. Every article value is
            // new, so nothing rendered under the old config is reused,
            // except as the last good body of an article that fails.
            for warning in &config.warnings {
                tracing::warn!("{warning}");
            }
            self.config = config;
            self.store.forget_fingerprints();
            self.store.rescan(&self.config.site, Depth::Head)?;
            self.reload_feeds()?;
            self.bases = self.event_bases();
        }
        if let Some(pinger) = &self.pinger {
            pinger.configure(self.config.websub.clone());
        }
        Ok(moved)
    }

    /// Reads again every article whose fingerprint moved, and every feed
    /// definition; a failure is logged. Returns whether anything changed.
    pub(super) fn rescan_all(&mut self) -> bool {
        let changed = match self.store.rescan(&self.config.site, Depth::Head) {
            Ok(changed) => changed,
            Err(error) => {
                tracing::error!("{error}");
                false
            }
        };
        let feeds_changed = self.reload_feeds_logged();
        changed || feeds_changed
    }

    /// When the first error held back while its file was being written is
    /// to be looked at again.
    pub(super) fn next_release(&self) -> Option<Timestamp> {
        self.store.next_release()
    }

    /// Reads again the files whose held-back errors are due: returns
    /// whether anything changed (an error now reported, most often).
    pub(super) fn release_due(&mut self, now: Timestamp) -> bool {
        self.store.release_due(&self.config.site, now)
    }

    /// Reloads the feed definitions; returns whether they or their errors
    /// changed. It compares, it does not copy the definitions.
    pub(super) fn reload_feeds_logged(&mut self) -> bool {
        match self.reload_feeds() {
            Ok(changed) => changed,
            Err(error) => {
                tracing::error!("{error}");
                false
            }
        }
    }

    /// Publishes the current state into `shared`, serving the changed
    /// documents uncompressed: the finisher compresses them, off this loop
    /// (see `finisher.rs`), and does the rest of what follows.
    pub(super) fn start_publication(&mut self, shared: &Shared, reason: &str) -> Unfinished {
        let started = Instant::now();
        let now = Timestamp::now();
        let feeds: Vec<FeedSpec> = self.feeds.values().cloned().collect();
        self.read_shown(&feeds, now);
        let read = started.elapsed();
        let previous = shared.snapshot.load_full();
        let sources = Sources {
            config: &self.config,
            feeds: &feeds,
            problems: &self.feed_errors,
            store: &self.store,
        };
        let remembered = self.kept.as_ref().map(|kept| &kept.remembered);
        let publication = publish::publish(
            sources,
            now,
            &previous,
            |name| remembered.and_then(|r| r.get(name)),
            &mut self.cache,
        );
        let made = started.elapsed();
        self.log_new(&publication.diagnostics);
        let snapshot = publication.snapshot;
        let mut topics = self.topics(&snapshot, &previous, &publication.changed);
        // Changed documents are served uncompressed at once, then again
        // with their compressed variants as soon as those are made. Counted
        // before they are served, so that `/healthz` never says 0 while they
        // are not compressed.
        shared
            .compressing
            .fetch_add(publication.changed.len(), Ordering::Relaxed);
        let snapshot = Arc::new(snapshot);
        // The finisher may have compressed what `previous` served while
        // this publication was made: what it reused keeps those variants.
        shared.snapshot.rcu(|served| {
            if Arc::ptr_eq(served, &previous) {
                Arc::clone(&snapshot)
            } else {
                Arc::new(snapshot.with_variants_from(served))
            }
        });
        // Only now that the new bytes are served may a hub fetch them; where
        // a mirror is what the public reaches, once it has them (the
        // finisher pings then).
        if self.out.is_none() {
            self.ping(&topics, shared);
            topics.clear();
        }
        let took = started.elapsed();
        tracing::debug!(
            "publication: selected and read in {:.2} ms, made in {:.2} ms, served after {:.2} ms",
            ms(read),
            ms(made - read),
            ms(took)
        );
        let (published, errors) = (snapshot.articles, snapshot.errors.len());
        shared
            .metrics
            .published(took.as_secs_f64(), published, errors);
        Unfinished {
            snapshot,
            topics,
            mirror: self.out.clone(),
            pinger: self.pinger.clone(),
            took,
            reason: Some(reason.to_owned()),
            done: None,
            kept: self.kept.take(),
            changed: publication.changed,
            gone: publication.gone,
        }
    }

    /// The WebSub topics of the `changed` documents whose bytes changed
    /// since they were last served, with their hubs: by the snapshot
    /// `previous`, or (the first publication after a restart) by what the
    /// run before served, as the state folder kept it. A document in
    /// `changed` only because its date settled has the same bytes, and is
    /// not a topic.
    fn topics(
        &self,
        snapshot: &Snapshot,
        previous: &Snapshot,
        changed: &[String],
    ) -> Vec<Arc<Links>> {
        let topics = crate::websub::topics(changed, |name| {
            let resource = snapshot.get(name)?;
            let dating = resource.dating;
            let known = self
                .remembered()
                .and_then(|r| r.get(name))
                .or_else(|| Some(previous.get(name)?.dating));
            let same = known.is_some_and(|d| d.hash == dating.hash && d.len == dating.len);
            (!same).then_some(&resource.serving.links)
        });
        topics.into_values().collect()
    }

    /// Indexes the values families ask for, and renders the bodies of the
    /// articles some feed shows at `now` as far as they changed: the only
    /// step of a publication that reads files.
    fn read_shown(&mut self, feeds: &[FeedSpec], now: Timestamp) {
        let facets: Vec<Facet> = feeds
            .iter()
            .filter_map(|f| Some(f.family.as_ref()?.each))
            .collect();
        self.store.index_facets(&facets, &self.config.site.language);
        let (config, cache) = (&self.config, &mut self.cache);
        self.store
            .render_shown(&config.site, config.summary, |store| {
                publish::shown(feeds, store, now, config, cache)
            });
    }

    /// Tells the hubs of each of `topics` that it changed.
    fn ping(&self, topics: &[Arc<Links>], shared: &Shared) {
        if let Some(pinger) = &self.pinger {
            for links in topics {
                pinger.changed(links, &shared.metrics);
            }
        }
    }

    /// Dates anew the served documents whose date has settled (see
    /// [`crate::snapshot::Dating::settled`]), in place: the same bytes and
    /// ETags, a later `Last-Modified`, kept in the state folder. Not a
    /// publication: no document, mirror file or hub hears of it.
    pub(super) fn settle_dates(&mut self, shared: &Shared) -> Option<Unfinished> {
        let now = Timestamp::now();
        let current = shared.snapshot.load_full();
        let (settled, changed) = current.with_dates_settled(now);
        if changed.is_empty() && settled.settles_at == current.settles_at {
            return None;
        }
        // The finisher may have served compressed variants meanwhile: then
        // what it serves is settled instead.
        let settled = Arc::new(settled);
        shared.snapshot.rcu(|served| {
            if Arc::ptr_eq(served, &current) {
                Arc::clone(&settled)
            } else {
                Arc::new(served.with_dates_settled(now).0)
            }
        });
        tracing::debug!(
            "dated {} anew, their second over",
            count(changed.len(), "document")
        );
        // The finisher keeps the new dates in the state folder.
        Some(Unfinished {
            snapshot: settled,
            topics: Vec::new(),
            mirror: self.out.clone(),
            pinger: None,
            took: Duration::ZERO,
            reason: None,
            done: None,
            kept: self.kept.take(),
            changed,
            gone: Vec::new(),
        })
    }

    /// The dates the state folder kept, until the first publication hands
    /// them to the finisher.
    fn remembered(&self) -> Option<&Remembered> {
        self.kept.as_ref().map(|kept| &kept.remembered)
    }

    /// Logs each diagnostic once, when it first appears.
    pub(super) fn log_new(&mut self, diagnostics: &[Diagnostic]) {
        let current: HashSet<String> = diagnostics.iter().map(ToString::to_string).collect();
        for d in diagnostics {
            let text = d.to_string();
            if !self.logged.contains(&text) {
                if d.is_error() {
                    tracing::error!("{text}");
                } else {
                    tracing::warn!("{text}");
                }
            }
        }
        self.logged = current;
    }
}

/// The settings that changed from `old` to `new` and take effect only at
/// a restart: the listener, the server's limits and the rescan timer are
/// set up once, the watcher too unless the folders `moved`. (`--listen`
/// overrides `server.listen`; `server.max_age` and everything else apply
/// at once.)
fn restart_only(
    old: &Config,
    new: &Config,
    options: &ServeOptions,
    moved: bool,
) -> Vec<&'static str> {
    let (a, b) = (&old.server, &new.server);
    let (w, v) = (&old.watch, &new.watch);
    [
        (
            "server.listen",
            options.listening(old) != options.listening(new),
        ),
        (
            "server.max_connections",
            a.max_connections != b.max_connections,
        ),
        (
            "server.header_timeout",
            a.header_timeout != b.header_timeout,
        ),
        (
            "server.connection_lifetime",
            a.connection_lifetime != b.connection_lifetime,
        ),
        (
            "server.shutdown_timeout",
            a.shutdown_timeout != b.shutdown_timeout,
        ),
        ("server.min_interval", a.min_interval != b.min_interval),
        (
            "server.trusted_proxies",
            a.trusted_proxies != b.trusted_proxies,
        ),
        ("watch.rescan", w.rescan != v.rescan),
        ("watch.debounce_ms", !moved && w.debounce != v.debounce),
        ("watch.poll", !moved && w.poll != v.poll),
    ]
    .into_iter()
    .filter_map(|(key, changed)| changed.then_some(key))
    .collect()
}

/// `d` in milliseconds, for the log.
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
