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

mod finisher;
mod publisher;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use jiff::Timestamp;
use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{mpsc, watch};

use crate::config::{Config, Listen};
use crate::i18n::{Lang, Message};
use crate::schedule;
use crate::serve::{Shared, serve};
use crate::watch::{Change, Watcher};
use crate::websub::Pinger;
use finisher::Finisher;
use publisher::{Publisher, files_changed, roots};

/// The heading of the options that say where to serve.
const SERVING: &str = "Serving";
/// The heading of the options that say which folders the daemon keeps.
const FOLDERS: &str = "Folders";

/// What `syndicated serve` was asked to do: its flags or environment
/// variables, and the config file.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServeOptions {
    /// The config file (`--config`, given before the command).
    #[arg(skip)]
    pub config: PathBuf,
    /// The host and port to listen on, overriding `server.listen`
    /// (`127.0.0.1:8080`, `localhost:8080`, `[::1]:8080`).
    #[arg(
        long,
        value_name = "HOST:PORT",
        env = "SYNDICATED_LISTEN",
        help_heading = SERVING,
        display_order = 10,
        help = "The host and port to listen on, overriding `server.listen` (127.0.0.1:8080, localhost:8080, [::1]:8080)"
    )]
    pub listen: Option<Listen>,
    /// The port to listen on, with the host of `--listen` or `server.listen`.
    #[arg(long, value_name = "PORT", env = "SYNDICATED_PORT", help_heading = SERVING, display_order = 11)]
    pub port: Option<u16>,
    /// Poll the folders for changes instead of using file-system events.
    #[arg(long, env = "SYNDICATED_POLL", help_heading = FOLDERS, display_order = 22)]
    pub poll: bool,
    /// Show drafts and scheduled articles too, marked in their titles, for
    /// editors: nothing is cached (no-store), mirrored, remembered or pinged.
    #[arg(long, help_heading = SERVING, display_order = 12)]
    pub preview: bool,
    /// The language of the messages `/healthz` gives editors: zh-CN, zh-TW
    /// or en [default: the site's]. The log is in English.
    #[arg(long, value_name = "TAG", env = "SYNDICATED_LANGUAGE", help_heading = SERVING, display_order = 13)]
    pub language: Option<Lang>,
    /// Keep a static copy of everything served in this folder, overriding `paths.out`.
    #[arg(long, value_name = "DIR", env = "SYNDICATED_OUT", help_heading = FOLDERS, display_order = 20)]
    pub out: Option<PathBuf>,
    /// Remember here, across restarts, when each document was first served
    /// (its Last-Modified), overriding `paths.state` [default: systemd's
    /// $STATE_DIRECTORY, if set].
    #[arg(long, value_name = "DIR", env = "SYNDICATED_STATE", help_heading = FOLDERS, display_order = 21)]
    pub state: Option<PathBuf>,
    /// The address the daemon listens on, once it does: a local site's
    /// URLs follow it (see [`crate::config::Site::serve_locally_at`]).
    #[arg(skip)]
    pub bound: Option<SocketAddr>,
}

impl ServeOptions {
    /// Loads the config, for a preview if this is one, and in the
    /// editors' language if `--language` names one.
    pub fn load_config(&self) -> Result<Config, crate::diagnostic::Diagnostic> {
        let mut config = Config::load(&self.config)?;
        config.site.preview = self.preview;
        if let Some(lang) = self.language {
            config.site.editor_language = lang;
        }
        self.serve_locally(&mut config);
        Ok(config)
    }

    /// Moves a local site's URLs to where the daemon listens, once it
    /// does. Returns whether they moved.
    fn serve_locally(&self, config: &mut Config) -> bool {
        self.bound
            .is_some_and(|bound| config.site.serve_locally_at(bound))
    }

    /// Where to listen: `--listen`, else `server.listen`, on `--port` if given.
    pub fn listening(&self, config: &Config) -> Listen {
        let listen = self
            .listen
            .clone()
            .unwrap_or_else(|| config.server.listen.clone());
        match self.port {
            Some(port) => listen.with_port(port),
            None => listen,
        }
    }
}

/// Why the daemon cannot listen on `listen`, with the next step: when the
/// port is taken, by whom (if it can be found) and `--port`.
fn cannot_listen(listen: &Listen, error: &std::io::Error) -> anyhow::Error {
    if error.kind() != std::io::ErrorKind::AddrInUse {
        return anyhow::anyhow!("listening on {listen}: {error}");
    }
    // Another user's process may not be looked into: then none is named.
    let holder = listeners::get_process_by_port(listen.port, listeners::Protocol::TCP);
    let message = match holder {
        Ok(process) => Message::new("listen-in-use-by")
            .arg("name", process.name)
            .arg("pid", process.pid.to_string()),
        Err(_) => Message::new("listen-in-use"),
    };
    let next = listen.port.checked_add(1).unwrap_or(8081);
    let message = message
        .arg("address", listen.to_string())
        .arg("port", next.to_string());
    anyhow::anyhow!(message.render(Lang::En))
}

/// Starts watching. At start, done once the files are read, and followed by
/// a rescan, so that nothing written while they were read is missed.
fn start_watcher(
    options: &ServeOptions,
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

/// The signals the daemon answers, installed before anything else, so that
/// a signal sent as soon as the daemon is seen listening is handled and not
/// fatal.
struct Signals {
    hangup: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
    interrupt: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> anyhow::Result<Signals> {
        Ok(Signals {
            hangup: signal(SignalKind::hangup()).context("installing the SIGHUP handler")?,
            terminate: signal(SignalKind::terminate()).context("installing the SIGTERM handler")?,
            interrupt: signal(SignalKind::interrupt()).context("installing the SIGINT handler")?,
        })
    }
}

/// Runs the daemon until SIGTERM or SIGINT.
pub async fn run(mut options: ServeOptions) -> anyhow::Result<()> {
    let mut signals = Signals::install()?;
    let (listener, config, local) = load_and_listen(&mut options).await?;
    let (changes, mut changed) = mpsc::unbounded_channel();
    let mut publisher = tokio::task::block_in_place(|| Publisher::load_with(&options, config))?;
    let shared = Shared::new(publisher.restored(), pollers(&publisher.config().server));
    // Hubs hear of the first publication's changes once it is served; a
    // preview shows what is not published, and tells no hub.
    let pinger = Pinger::new(publisher.config().websub.clone());
    if !options.preview {
        publisher.set_pinger(pinger.clone());
    }
    // The first publication is served as soon as it is made: compressing
    // every document of a large site takes longer than making them, and
    // happens once the server is up.
    let first = tokio::task::block_in_place(|| publisher.start_publication(&shared, "start"));
    announce(&options, &publisher, local);

    let (stop, stopped) = watch::channel(false);
    let server = tokio::spawn(serve(
        listener,
        Arc::clone(&shared),
        publisher.config().server.clone(),
        stopped,
    ));
    pinger.start(Arc::clone(&shared.metrics));
    let finisher = Finisher::start(Arc::clone(&shared)).context("starting the finishing thread")?;
    // Ready (and watched) once the first publication is compressed and
    // mirrored, as after a reload.
    tokio::task::block_in_place(|| finisher.finish_and_wait(first));
    // Watched only now that the first publication is served: reading is an
    // event too (inotify reports every open), which would cost a large
    // site more than the reading, and setting up the watch looks at every
    // file. What changed meanwhile is found by a rescan, the first change
    // the loop takes: it compares every file with the version read,
    // opening only those that differ.
    let watcher =
        tokio::task::block_in_place(|| start_watcher(&options, publisher.config(), &changes))
            .unwrap_or_else(|error| {
                tracing::error!(
                    "{error:#}; changes are seen by the periodic rescan only (watch.rescan)"
                );
                Watcher::inert()
            });
    let _ = changes.send(Change::Rescan);
    let mut daemon = Daemon {
        options,
        publisher,
        finisher,
        shared,
        changes,
        watcher,
    };
    daemon.run(&mut signals, &mut changed, &server).await;
    // The publisher lasts until the server has stopped; the watch ends now.
    let Daemon {
        watcher,
        publisher,
        finisher,
        ..
    } = daemon;
    drop(watcher);
    // What the last publication left to do is done (the mirror written)
    // before the hubs are told nothing more.
    drop(finisher);
    pinger.stop();
    let _ = stop.send(true);
    let _ = server.await;
    drop(publisher);
    tracing::info!("stopped");
    Ok(())
}

/// Loads the config and binds the socket, before the first publication:
/// a local site's address is part of it (connections wait in the backlog
/// until it is served). Returns the socket, the config, and whether the
/// site's URLs moved to the address listened on.
async fn load_and_listen(
    options: &mut ServeOptions,
) -> anyhow::Result<(TcpListener, Config, bool)> {
    let mut config = options.load_config()?;
    if options.preview {
        tracing::info!(
            "preview: drafts and scheduled articles are shown, marked in their titles; nothing is cached (no-store), mirrored, remembered or pinged"
        );
    }
    let listener = listen(options, &config).await?;
    let address = listener
        .local_addr()
        .context("reading the listening address")?;
    options.bound = Some(address);
    let local = options.serve_locally(&mut config);
    Ok((listener, config, local))
}

/// The limit on pollers, if `server.min_interval` sets one.
fn pollers(server: &crate::config::Server) -> Option<crate::serve::pollers::Pollers> {
    let every = server.min_interval?;
    Some(crate::serve::pollers::Pollers::new(
        every,
        server.trusted_proxies.clone(),
    ))
}

/// The socket to serve on: the one systemd passed, else `--listen`,
/// `--port` or `server.listen` bound now. A preview listens on this
/// machine only.
async fn listen(options: &ServeOptions, config: &Config) -> anyhow::Result<TcpListener> {
    let listener = match inherited_listener()? {
        Some(listener) => {
            if options.listen.is_some() || options.port.is_some() {
                tracing::warn!(
                    "--listen and --port are ignored: systemd passed the socket to serve on"
                );
            }
            listener
        }
        None => {
            let listen = options.listening(config);
            // A name is looked up, and each of its addresses tried in turn.
            let bound = TcpListener::bind((listen.host.as_str(), listen.port)).await;
            bound.map_err(|error| cannot_listen(&listen, &error))?
        }
    };
    let address = listener
        .local_addr()
        .context("reading the listening address")?;
    if options.preview && !address.ip().is_loopback() {
        anyhow::bail!(
            "--preview shows what is not published: it listens on this machine only (127.0.0.1, [::1] or localhost), not on {address}"
        );
    }
    Ok(listener)
}

/// Says where the daemon listens and where each feed is; for a local
/// site (`local`: its URLs moved there), where to open it.
fn announce(options: &ServeOptions, publisher: &Publisher, local: bool) {
    let Some(address) = options.bound else {
        return;
    };
    tracing::info!("listening on http://{address}/");
    if local {
        tracing::info!(
            "open {}: the site's base_url is on this machine, so its links follow the address listened on",
            publisher.config().site.base_url
        );
    }
    for feed in publisher.feeds() {
        if let Some(family) = &feed.family {
            tracing::info!(
                "feed family {}: http://{address}/{}/VALUE.{{rss,atom,json}}, one feed per value",
                feed.name,
                family.prefix
            );
            continue;
        }
        if feed.retired {
            tracing::info!("feed {}: retired (410 Gone)", feed.name);
            continue;
        }
        if let Some(moved) = &feed.moved {
            let to = moved.to.url(None);
            tracing::info!("feed {}: moved to {to} ({})", feed.name, moved.status);
            continue;
        }
        for format in &feed.formats {
            tracing::info!(
                "feed {}: http://{address}/{}.{}",
                feed.name,
                feed.name,
                format.extension()
            );
        }
    }
}

/// The daemon once it serves: the publisher, what the server reads, and
/// the watch. Each arm of its loop is a method.
struct Daemon {
    options: ServeOptions,
    publisher: Publisher,
    /// Finishes each publication once it is served, off this loop.
    finisher: Finisher,
    shared: Arc<Shared>,
    changes: mpsc::UnboundedSender<Change>,
    watcher: Watcher,
}

impl Daemon {
    /// Takes changes, due times, rescans and signals until SIGTERM or
    /// SIGINT.
    async fn run(
        &mut self,
        signals: &mut Signals,
        changed: &mut mpsc::UnboundedReceiver<Change>,
        server: &tokio::task::JoinHandle<()>,
    ) {
        let mut rescan = tokio::time::interval(self.publisher.config().watch.rescan);
        rescan.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        rescan.tick().await;
        // The watchdog is fed from this loop, which is what does the work: if it
        // wedges, or the server task ends, systemd stops hearing from us.
        let watchdog_every = crate::systemd::watchdog_interval();
        let mut watchdog =
            tokio::time::interval(watchdog_every.unwrap_or(Duration::from_secs(3600)));
        watchdog.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        crate::systemd::ready(&status_line(&self.shared));
        loop {
            let wake = sleep_until(self.next_due());
            tokio::select! {
                Some(first) = changed.recv() => {
                    let mut batch = vec![first];
                    while let Ok(more) = changed.try_recv() {
                        batch.push(more);
                    }
                    self.take(batch);
                }
                () = wake => self.wake(),
                _ = rescan.tick() => self.rescan(),
                _ = watchdog.tick(), if watchdog_every.is_some() => {
                    if !server.is_finished() && self.finisher.is_running() {
                        crate::systemd::watchdog();
                    }
                }
                _ = signals.hangup.recv() => self.reload(),
                _ = signals.terminate.recv() => {
                    tracing::info!("SIGTERM: finishing requests in flight, then stopping");
                    break;
                }
                _ = signals.interrupt.recv() => {
                    tracing::info!("SIGINT: finishing requests in flight, then stopping");
                    break;
                }
            }
        }
        crate::systemd::stopping();
    }

    /// Publishes the site again, serves it, and hands the rest to the
    /// finisher: the loop takes the next change at once.
    fn republish(&mut self, reason: &str) {
        let unfinished = self.publisher.start_publication(&self.shared, reason);
        self.finisher.finish(unfinished);
    }

    /// The next time something falls due: a scheduled article, the end of
    /// a replaced archive page's days, dates that settle, or an error held
    /// back while its file was being written.
    fn next_due(&self) -> Option<Timestamp> {
        let snapshot = self.shared.snapshot.load();
        snapshot
            .next_change
            .into_iter()
            .chain(snapshot.replaced_until)
            .chain(snapshot.settles_at)
            .chain(self.publisher.next_release())
            .min()
    }

    /// A batch of changes from the watch: applied, published if anything
    /// changed, and the folders watched again if the config moved them.
    fn take(&mut self, batch: Vec<Change>) {
        let applied = tokio::task::block_in_place(|| {
            let applied = self.publisher.apply(batch);
            if applied.publish {
                self.republish(&files_changed(&applied.files));
            }
            applied
        });
        if applied.moved {
            self.rewatch();
        }
    }

    /// The sleep may end a little early or the day cap may end it. Due:
    /// held-back errors (their files read again), a scheduled article or
    /// the end of a replaced archive page's days (a publication, which
    /// settles dates too), or only dates that settle.
    fn wake(&mut self) {
        let now = Timestamp::now();
        if self
            .publisher
            .next_release()
            .is_some_and(|when| when <= now)
        {
            tokio::task::block_in_place(|| {
                if self.publisher.release_due(now) {
                    self.republish("a file with an error quiet since");
                }
            });
        }
        let snapshot = self.shared.snapshot.load_full();
        let published = [snapshot.next_change, snapshot.replaced_until];
        if published.into_iter().flatten().any(|when| when <= now) {
            tokio::task::block_in_place(|| {
                self.republish("scheduled change due");
            });
        } else if snapshot.settles_at.is_some_and(|when| when <= now) {
            if let Some(settled) = self.publisher.settle_dates(&self.shared) {
                self.finisher.finish(settled);
            }
        }
    }

    fn rescan(&mut self) {
        tokio::task::block_in_place(|| {
            let applied = self.publisher.apply(vec![Change::Rescan]);
            if applied.publish {
                self.republish("periodic rescan");
            }
            crate::text::forget_unused();
        });
    }

    /// SIGHUP: the config read again and the site published with it; on a
    /// config that does not load, the running one stays.
    fn reload(&mut self) {
        tracing::info!("SIGHUP: reloading the config and rescanning");
        crate::systemd::reloading();
        let moved = tokio::task::block_in_place(|| match self.publisher.reload() {
            Ok(moved) => {
                // Ready again once the reload's publication is finished.
                let unfinished = self.publisher.start_publication(&self.shared, "reload");
                self.finisher.finish_and_wait(unfinished);
                moved
            }
            Err(error) => {
                tracing::error!("{error}; still running the previous config");
                false
            }
        });
        crate::systemd::ready(&status_line(&self.shared));
        if moved {
            self.rewatch();
        }
    }

    /// Watches the folders the config names now, in place of the watch
    /// (on failure the previous watch stays), then rescans for anything
    /// written before the new watch existed.
    fn rewatch(&mut self) {
        tokio::task::block_in_place(|| {
            let config = self.publisher.config();
            match start_watcher(&self.options, config, &self.changes) {
                Ok(started) => {
                    self.watcher = started;
                    tracing::info!(
                        "watching {} and {} again",
                        config.paths.content.display(),
                        config.paths.feeds.display()
                    );
                }
                Err(error) => tracing::error!("{error:#}; still watching the previous folders"),
            }
            if self.publisher.apply(vec![Change::Rescan]).publish {
                self.republish("folder watched again");
            }
        });
    }
}

/// Sleeps until `due` (at most a day at a time: see
/// [`schedule::sleep_until`]), or forever when nothing is due.
async fn sleep_until(due: Option<Timestamp>) {
    match due {
        Some(when) => tokio::time::sleep(schedule::sleep_until(when, Timestamp::now())).await,
        None => std::future::pending().await,
    }
}
