//! The long-running publisher: read the site, publish, serve, and republish
//! whenever a file changes, a scheduled article falls due, or an operator
//! asks (SIGHUP).
//!
//! One task owns the site state and does every publication, so publications
//! never overlap; the server only ever reads the current snapshot. A
//! publication costs what changed: only files named by events are read
//! again, only bodies of changed articles are rendered again, only feeds
//! whose items changed are rendered again, and only documents whose bytes
//! changed are compressed again. Nothing is lost on a bad edit: a broken
//! article keeps its last good version, a broken feed definition keeps its
//! previous one, and a config that does not load leaves the running one.

use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use jiff::Timestamp;
use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{mpsc, watch};

use crate::config::{Config, FeedSpec, load_feeds};
use crate::content::{Depth, Fingerprint, Store};
use crate::diagnostic::Diagnostic;
use crate::publish::{self, Cache, Sources};
use crate::schedule;
use crate::serve::{Shared, serve};
use crate::snapshot::Snapshot;
use crate::state::Remembered;
use crate::text::count;
use crate::watch::{Change, Root, Watcher};
use crate::write::Mirror;

/// What `syndicated serve` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The config file (`--config`).
    pub config: PathBuf,
    /// Overrides `server.listen`.
    pub listen: Option<SocketAddr>,
    /// Poll instead of using file-system events.
    pub poll: bool,
    /// Overrides `paths.out`: the folder to mirror into.
    pub out: Option<PathBuf>,
    /// Overrides `paths.state`: the folder of what is remembered across
    /// restarts.
    pub state: Option<PathBuf>,
}

/// Everything one publication is made from.
struct State {
    options: Options,
    config: Config,
    /// The last good definition of every feed, by name.
    feeds: BTreeMap<String, FeedSpec>,
    feed_errors: Vec<Diagnostic>,
    store: Store,
    cache: Cache,
    mirror: Option<Mirror>,
    /// When each document's bytes were first served, kept across restarts.
    remembered: Remembered,
    /// Diagnostics already logged, so each is logged once while it lasts.
    logged: HashSet<String>,
    /// The config file's fingerprint when last read, so polling sees an edit.
    config_seen: Option<Fingerprint>,
    /// The last error a rescan logged, so that polling logs it once.
    rescan_error: Option<String>,
}

impl State {
    fn load(options: &Options) -> Result<State, Diagnostic> {
        State::load_with(options, Config::load(&options.config)?)
    }

    fn load_with(options: &Options, config: Config) -> Result<State, Diagnostic> {
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
        let (remembered, problem) = Remembered::open(state_dir.as_deref());
        if let Some(problem) = problem {
            tracing::warn!("{problem}");
        }
        let mut state = State {
            remembered,
            options: options.clone(),
            mirror: out.as_deref().map(Mirror::new),
            config,
            feeds: BTreeMap::new(),
            feed_errors: Vec::new(),
            store,
            cache: Cache::default(),
            logged: HashSet::new(),
            config_seen: Fingerprint::of_file(&options.config),
            rescan_error: None,
        };
        state.reload_feeds()?;
        Ok(state)
    }

    /// Reads the feed definitions again; a definition that now fails keeps
    /// its previous version.
    fn reload_feeds(&mut self) -> Result<(), Diagnostic> {
        let mut feeds = BTreeMap::new();
        let mut errors = Vec::new();
        for result in load_feeds(&self.config.paths.feeds)? {
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
                    if let Some(previous) = self.feeds.remove(&name) {
                        feeds.insert(name, previous);
                    }
                    errors.push(error);
                }
            }
        }
        self.feeds = feeds;
        self.feed_errors = errors;
        Ok(())
    }

    /// Loads the config file again. A config that does not load, or moves
    /// the folders, is handled by the caller; this only swaps in a valid one.
    fn reload(&mut self) -> Result<bool, Diagnostic> {
        // This version is seen, whether or not it loads: polling waits for
        // the next edit rather than trying a broken file again.
        self.config_seen = Fingerprint::of_file(&self.options.config);
        let config = Config::load(&self.options.config)?;
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
            let fresh = State::load(&self.options)?;
            *self = fresh;
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
        }
        Ok(moved)
    }

    /// Applies a batch of changes.
    fn apply(&mut self, changes: Vec<Change>) -> Applied {
        tracing::debug!(?changes, "changes");
        let mut paths = Vec::new();
        let mut rescan = false;
        // Held until the poll is done, so the poller waits for it.
        let mut polled = Vec::new();
        let bases = self.event_bases();
        for change in changes {
            match change {
                Change::Paths(more) => paths.extend(more.iter().map(|p| as_configured(&bases, p))),
                Change::Rescan => rescan = true,
                Change::Poll(handled) => polled.push(handled),
            }
        }
        let poll = !polled.is_empty();
        // The config may be a symbolic link whose target changes without an
        // event naming the config (a Kubernetes ConfigMap swaps a `..data`
        // link beside it): any event in its folder, a poll and a rescan
        // compare the fingerprint of what the link points to.
        let folder = config_folder(&self.options.config);
        let near_config = paths
            .iter()
            .any(|p| p.parent().is_some_and(|parent| same_file(parent, &folder)));
        let config_changed = paths.iter().any(|p| same_file(p, &self.options.config))
            || ((poll || rescan || near_config)
                && Fingerprint::of_file(&self.options.config) != self.config_seen);
        if config_changed {
            match self.reload() {
                Ok(moved) => {
                    tracing::info!("config reloaded from {}", self.options.config.display());
                    return Applied {
                        files: vec![self.options.config.clone()],
                        moved,
                        publish: true,
                    };
                }
                Err(error) => {
                    tracing::error!("{error}; still running the previous config");
                }
            }
        }
        if rescan || poll {
            let started = Instant::now();
            // A poll comes every half second: it says nothing unless a
            // problem appears. A rescan (events lost, or the periodic one)
            // says what it found.
            let changed = self.rescan_all(poll && !rescan);
            if rescan {
                tracing::info!(
                    "rescanned everything in {:.1} ms ({})",
                    started.elapsed().as_secs_f64() * 1000.0,
                    if changed {
                        "changes found"
                    } else {
                        "nothing changed"
                    }
                );
            }
            return Applied {
                files: Vec::new(),
                moved: false,
                publish: changed,
            };
        }
        let mut publish = false;
        if paths
            .iter()
            .any(|p| p.starts_with(&self.config.paths.feeds))
        {
            publish |= self.reload_feeds_logged();
        }
        // A watched folder that was itself removed and made again is a new
        // folder to the kernel: its watch must be set up again.
        let recreated = paths.iter().any(|p| {
            (*p == self.config.paths.content || *p == self.config.paths.feeds) && p.is_dir()
        });
        let content: Vec<PathBuf> = paths
            .iter()
            .filter(|p| p.starts_with(&self.config.paths.content))
            .cloned()
            .collect();
        if !content.is_empty() {
            publish |= self.store.refresh(&self.config.site, &content);
        }
        Applied {
            files: paths,
            moved: recreated,
            publish,
        }
    }

    /// Reads again every article whose fingerprint moved, and every feed
    /// definition. A failure is logged; when `quiet` (polling), only when it
    /// first appears. Returns whether anything changed.
    fn rescan_all(&mut self, quiet: bool) -> bool {
        let changed = match self.store.rescan(&self.config.site, Depth::Head) {
            Ok(changed) => {
                self.rescan_error = None;
                changed
            }
            Err(error) => {
                let text = error.to_string();
                if !quiet || self.rescan_error.as_ref() != Some(&text) {
                    tracing::error!("{text}");
                }
                self.rescan_error = Some(text);
                false
            }
        };
        let feeds_changed = self.reload_feeds_logged();
        changed || feeds_changed
    }

    /// Reloads the feed definitions; returns whether they or their errors changed.
    fn reload_feeds_logged(&mut self) -> bool {
        let before = (self.feeds.clone(), self.feed_errors.clone());
        if let Err(error) = self.reload_feeds() {
            tracing::error!("{error}");
        }
        before != (self.feeds.clone(), self.feed_errors.clone())
    }

    /// Publishes the current state into `shared`.
    fn publish(&mut self, shared: &Shared, reason: &str) {
        let started = Instant::now();
        let now = Timestamp::now();
        let feeds: Vec<FeedSpec> = self.feeds.values().cloned().collect();
        self.store
            .render_shown(&self.config.site, self.config.summary, |store| {
                publish::shown(&feeds, store, now)
            });
        let previous = shared.snapshot.load_full();
        let sources = Sources {
            config: &self.config,
            feeds: &feeds,
            problems: &self.feed_errors,
            store: &self.store,
        };
        let remembered = &self.remembered;
        let publication = publish::publish(
            sources,
            now,
            &previous,
            |name| remembered.get(name),
            &mut self.cache,
        );
        self.log_new(&publication.diagnostics);
        let snapshot = publication.snapshot;
        if let Err(error) = self.remembered.keep(snapshot.datings()) {
            tracing::warn!("{error}; Last-Modified dates will not survive a restart");
        }
        // Changed documents are served uncompressed at once, then again
        // with their compressed variants as soon as those are made.
        let snapshot = Arc::new(snapshot);
        shared.snapshot.store(Arc::clone(&snapshot));
        let took = started.elapsed();
        let (published, errors) = (snapshot.articles, snapshot.errors.len());
        shared
            .metrics
            .published(took.as_secs_f64(), published, errors);
        let changed = publication.changed.len();
        let snapshot = if changed == 0 {
            snapshot
        } else {
            let compressed = Arc::new(snapshot.compressed());
            shared.snapshot.store(Arc::clone(&compressed));
            compressed
        };

        if let Some(mirror) = &mut self.mirror {
            let errors = mirror.sync(snapshot.documents());
            log_mirror(shared, mirror, errors, false);
        }
        crate::systemd::status(&crate::systemd::describe(published, feeds.len(), errors));
        tracing::info!(
            "published {} in {} ({} changed, {}) in {:.1} ms: {reason}",
            count(published, "article"),
            count(feeds.len(), "feed"),
            count(changed, "document"),
            count(errors, "content error"),
            took.as_secs_f64() * 1000.0
        );
    }

    /// Tries again to write what the mirror could not.
    fn retry_mirror(&mut self, shared: &Shared) {
        if let Some(mirror) = &mut self.mirror {
            let errors = mirror.retry();
            log_mirror(shared, mirror, errors, true);
        }
    }

    /// Logs each diagnostic once, when it first appears.
    fn log_new(&mut self, diagnostics: &[Diagnostic]) {
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

    /// The folders and file events name, each with the bases an event may
    /// give it by: resolved (symlinks followed) or only made absolute (`..`
    /// kept), depending on the watcher. Worked out once per batch of events,
    /// not once per path.
    fn event_bases(&self) -> Vec<(PathBuf, Vec<PathBuf>)> {
        let cwd = std::env::current_dir().ok();
        // The config's folder last: the content and feeds may be inside it.
        let folder = config_folder(&self.options.config);
        [
            &self.config.paths.content,
            &self.config.paths.feeds,
            &self.options.config,
            &folder,
        ]
        .into_iter()
        .map(|configured| {
            let resolved = std::fs::canonicalize(configured).ok();
            let absolute = cwd.as_ref().map(|cwd| cwd.join(configured));
            (
                configured.clone(),
                resolved.into_iter().chain(absolute).collect(),
            )
        })
        .collect()
    }
}

/// An event's path as the config names it: events report resolved
/// absolute paths, while the store and every message use the paths as
/// configured (relative to the config file's folder). `bases` is
/// [`State::event_bases`].
fn as_configured(bases: &[(PathBuf, Vec<PathBuf>)], path: &Path) -> PathBuf {
    for (configured, bases) in bases {
        for base in bases {
            if let Ok(rest) = path.strip_prefix(base) {
                return if rest.as_os_str().is_empty() {
                    configured.clone()
                } else {
                    configured.join(rest)
                };
            }
        }
    }
    path.to_path_buf()
}

/// The folder of the config file, as events name it (`.` for a bare name).
fn config_folder(config: &Path) -> PathBuf {
    match config.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// What to watch for a site: the content (recursively), the feed
/// definitions, and the config file's folder (for the config itself).
fn roots(options: &Options, config: &Config) -> Vec<Root> {
    let folder = config_folder(&options.config);
    vec![
        Root {
            path: config.paths.content.clone(),
            recursive: true,
        },
        Root {
            path: config.paths.feeds.clone(),
            recursive: false,
        },
        Root {
            path: folder,
            recursive: false,
        },
    ]
}

/// The settings that changed from `old` to `new` and take effect only at
/// a restart: the listener, the server's limits and the rescan timer are
/// set up once, the watcher too unless the folders `moved`. (`--listen`
/// overrides `server.listen`; `server.max_age` and everything else apply
/// at once.)
fn restart_only(old: &Config, new: &Config, options: &Options, moved: bool) -> Vec<&'static str> {
    let (a, b) = (&old.server, &new.server);
    let (w, v) = (&old.watch, &new.watch);
    [
        (
            "server.listen",
            options.listen.is_none() && a.listen != b.listen,
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
        ("watch.rescan", w.rescan != v.rescan),
        ("watch.debounce_ms", !moved && w.debounce != v.debounce),
        ("watch.poll", !moved && w.poll != v.poll),
    ]
    .into_iter()
    .filter_map(|(key, changed)| changed.then_some(key))
    .collect()
}

/// Logs and counts a mirror sync's errors, and says when a retry succeeded.
fn log_mirror(shared: &Shared, mirror: &Mirror, errors: Vec<String>, retried: bool) {
    for error in &errors {
        shared.metrics.mirror_error();
        tracing::error!("mirror: {error}");
    }
    if let Some(at) = mirror.retry_at() {
        let wait = at.saturating_duration_since(Instant::now());
        tracing::warn!("mirror: trying again in {} s", wait.as_secs_f64().round());
    } else if retried {
        tracing::info!("mirror: current again");
    }
}

/// The reason a publication after events gives in the log: the files the
/// events named, the first few by name.
fn files_changed(files: &[PathBuf]) -> String {
    const NAMED: usize = 3;
    let mut seen = HashSet::with_capacity(files.len());
    let unique: Vec<&PathBuf> = files.iter().filter(|f| seen.insert(*f)).collect();
    let mut names: Vec<String> = unique
        .iter()
        .take(NAMED)
        .map(|f| f.display().to_string())
        .collect();
    if unique.len() > NAMED {
        names.push(format!("{} more", unique.len() - NAMED));
    }
    match names.len() {
        0 => "files changed".to_owned(),
        _ => format!("changed {}", names.join(", ")),
    }
}

/// What applying a batch of changes did.
struct Applied {
    /// The files the events named, as configured (none for a rescan).
    files: Vec<PathBuf>,
    /// The folders moved, or a watched folder was made again: the watcher
    /// must be started again.
    moved: bool,
    /// Something that is published changed.
    publish: bool,
}

/// Whether an event path names the config file (events may report it as
/// `./syndicated.toml` when the config was given as `syndicated.toml`).
fn same_file(event: &Path, config: &Path) -> bool {
    let strip = |p: &Path| p.strip_prefix(".").unwrap_or(p).to_path_buf();
    strip(event) == strip(config)
}

/// Starts watching. Done before the files are read, so that nothing written
/// while they are read is missed (an event for a file read already only
/// makes it read again).
fn start_watcher(
    options: &Options,
    config: &Config,
    changes: &mpsc::UnboundedSender<Change>,
) -> anyhow::Result<Watcher> {
    let poll = options.poll || config.watch.poll;
    let watcher = crate::watch::watch(
        &roots(options, config),
        config.watch.debounce,
        poll,
        changes.clone(),
    )
    .context("watching the content folder")?;
    if watcher.polling {
        tracing::info!("watching {} by polling", config.paths.content.display());
    }
    Ok(watcher)
}

/// The listening socket systemd passed (socket activation: `LISTEN_FDS`
/// and `LISTEN_PID` name this process), if any. It must be made
/// non-blocking before tokio takes it.
fn inherited_listener() -> anyhow::Result<Option<TcpListener>> {
    let mut fds = listenfd::ListenFd::from_env();
    let Some(listener) = fds
        .take_tcp_listener(0)
        .context("taking the socket passed by systemd")?
    else {
        return Ok(None);
    };
    listener
        .set_nonblocking(true)
        .context("making the inherited socket non-blocking")?;
    tracing::info!("serving on the socket passed by systemd");
    Ok(Some(
        TcpListener::from_std(listener).context("using the inherited socket")?,
    ))
}

/// What the current snapshot serves, for systemd's status line.
fn status_line(shared: &Shared) -> String {
    let snapshot = shared.snapshot.load();
    crate::systemd::describe(snapshot.articles, snapshot.feeds, snapshot.errors.len())
}

/// Runs the daemon until SIGTERM or SIGINT.
pub async fn run(options: Options) -> anyhow::Result<()> {
    // First of all, so that a signal sent as soon as the daemon is seen
    // listening is handled and not fatal.
    let mut hangup = signal(SignalKind::hangup()).context("installing the SIGHUP handler")?;
    let mut terminate =
        signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("installing the SIGINT handler")?;
    let config = Config::load(&options.config)?;
    let (changes, mut changed) = mpsc::unbounded_channel();
    let mut watcher = start_watcher(&options, &config, &changes)?;
    let mut state = tokio::task::block_in_place(|| State::load_with(&options, config))?;
    let shared = Shared::new(Snapshot::default());
    tokio::task::block_in_place(|| state.publish(&shared, "start"));

    let listener = match inherited_listener()? {
        Some(listener) => listener,
        None => {
            let listen = options.listen.unwrap_or(state.config.server.listen);
            TcpListener::bind(listen)
                .await
                .with_context(|| format!("listening on {listen}"))?
        }
    };
    let address = listener
        .local_addr()
        .context("reading the listening address")?;
    tracing::info!("listening on http://{address}/");
    for feed in state.feeds.values() {
        for format in &feed.formats {
            tracing::info!(
                "feed {}: http://{address}/{}.{}",
                feed.name,
                feed.name,
                format.extension()
            );
        }
    }

    let (stop, stopped) = watch::channel(false);
    let server = tokio::spawn(serve(
        listener,
        Arc::clone(&shared),
        state.config.server.clone(),
        stopped,
    ));

    let mut rescan = tokio::time::interval(state.config.watch.rescan);
    rescan.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    rescan.tick().await;
    // The watchdog is fed from this loop, which is what does the work: if it
    // wedges, or the server task ends, systemd stops hearing from us.
    let watchdog_every = crate::systemd::watchdog_interval();
    let mut watchdog = tokio::time::interval(watchdog_every.unwrap_or(Duration::from_secs(3600)));
    watchdog.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    crate::systemd::ready(&status_line(&shared));

    loop {
        let due = shared.snapshot.load().next_change;
        let wake = async move {
            match due {
                Some(when) => {
                    tokio::time::sleep(schedule::sleep_until(when, Timestamp::now())).await;
                }
                None => std::future::pending().await,
            }
        };
        let mirror_retry = state.mirror.as_ref().and_then(Mirror::retry_at);
        let mirror_due = async move {
            match mirror_retry {
                Some(at) => tokio::time::sleep_until(at.into()).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            Some(first) = changed.recv() => {
                let mut batch = vec![first];
                while let Ok(more) = changed.try_recv() {
                    batch.push(more);
                }
                let applied = tokio::task::block_in_place(|| {
                    let applied = state.apply(batch);
                    if applied.publish {
                        state.publish(&shared, &files_changed(&applied.files));
                    }
                    applied
                });
                if applied.moved {
                    match start_watcher(&options, &state.config, &changes) {
                        Ok(started) => watcher = started,
                        Err(error) => tracing::error!("{error:#}; still watching the previous folders"),
                    }
                    // Anything written before the new watch existed.
                    tokio::task::block_in_place(|| {
                        if state.apply(vec![Change::Rescan]).publish {
                            state.publish(&shared, "folder watched again");
                        }
                    });
                }
            }
            () = wake => {
                // The sleep may end a little early or the day cap may end it.
                if due.is_some_and(|when| when <= Timestamp::now()) {
                    tokio::task::block_in_place(|| state.publish(&shared, "scheduled article due"));
                }
            }
            () = mirror_due => {
                tokio::task::block_in_place(|| state.retry_mirror(&shared));
            }
            _ = rescan.tick() => {
                tokio::task::block_in_place(|| {
                    let applied = state.apply(vec![Change::Rescan]);
                    if applied.publish {
                        state.publish(&shared, "periodic rescan");
                    }
                });
            }
            _ = watchdog.tick(), if watchdog_every.is_some() => {
                if !server.is_finished() {
                    crate::systemd::watchdog();
                }
            }
            _ = hangup.recv() => {
                tracing::info!("SIGHUP: reloading the config and rescanning");
                crate::systemd::reloading();
                let moved = tokio::task::block_in_place(|| match state.reload() {
                    Ok(moved) => {
                        state.publish(&shared, "reload");
                        moved
                    }
                    Err(error) => {
                        tracing::error!("{error}; still running the previous config");
                        false
                    }
                });
                crate::systemd::ready(&status_line(&shared));
                if moved {
                    match start_watcher(&options, &state.config, &changes) {
                        Ok(started) => watcher = started,
                        Err(error) => tracing::error!("{error:#}; still watching the previous folders"),
                    }
                }
            }
            _ = terminate.recv() => {
                tracing::info!("SIGTERM: finishing requests in flight, then stopping");
                crate::systemd::stopping();
                break;
            }
            _ = interrupt.recv() => {
                tracing::info!("SIGINT: finishing requests in flight, then stopping");
                crate::systemd::stopping();
                break;
            }
        }
    }
    drop(watcher);
    let _ = stop.send(true);
    let _ = server.await;
    tracing::info!("stopped");
    Ok(())
}
