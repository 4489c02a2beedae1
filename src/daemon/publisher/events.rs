//! Events as the publisher takes them: paths named the way the config
//! names them, sorted into config, feed definitions and content, editor
//! leftovers dropped at this edge.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use jiff::Timestamp;

use super::Publisher;
use crate::config::Config;
use crate::content::{Fingerprint, Writing};
use crate::daemon::ServeOptions;
use crate::leftovers::is_left_behind;
use crate::watch::{Change, Root};

impl Publisher {
    /// Applies a batch of changes: a changed config is reloaded (and is
    /// all the batch does), a rescan compares every file, and otherwise
    /// the paths events (or the poller) named are read again.
    pub(in crate::daemon) fn apply(&mut self, changes: Vec<Change>) -> Applied {
        tracing::debug!(?changes, "changes");
        // A rescan is also when a watched path that is a symbolic link may
        // have been pointed elsewhere (a `current -> release-N` deploy).
        if changes.iter().any(|c| matches!(c, Change::Rescan)) {
            self.bases = self.event_bases();
        }
        let mut paths = Vec::new();
        let mut whole = BTreeSet::new();
        let mut rescan = false;
        for change in changes {
            match change {
                Change::Paths {
                    paths: more,
                    whole: finished,
                } => {
                    paths.extend(more.iter().map(|p| as_configured(&self.bases, p)));
                    whole.extend(finished.iter().map(|p| as_configured(&self.bases, p)));
                }
                Change::Rescan => rescan = true,
            }
        }
        if self.config_changed(&paths, rescan) {
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
        if rescan {
            return self.rescan_logged();
        }
        self.paths_changed(paths, &whole)
    }

    /// Whether the config file changed. It may be a symbolic link whose
    /// target changes without an event naming the config (a Kubernetes
    /// ConfigMap swaps a `..data` link beside it): any event in its folder
    /// and a rescan (`looking`) compare the fingerprint of what the link
    /// points to.
    fn config_changed(&self, paths: &[PathBuf], looking: bool) -> bool {
        let folder = config_folder(&self.options.config);
        let near_config = paths
            .iter()
            .any(|p| p.parent().is_some_and(|parent| same_file(parent, &folder)));
        paths.iter().any(|p| same_file(p, &self.options.config))
            || ((looking || near_config)
                && Fingerprint::of_file(&self.options.config) != self.config_seen)
    }

    /// Compares every file with the version read, and says what it found
    /// (a rescan comes when events were lost, and periodically).
    fn rescan_logged(&mut self) -> Applied {
        let started = Instant::now();
        let changed = self.rescan_all();
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if changed {
            tracing::info!("rescanned everything in {ms:.1} ms (changes found)");
        } else if self.rescan_announced {
            tracing::debug!("rescanned everything in {ms:.1} ms (nothing changed)");
        } else {
            tracing::info!("rescanned everything in {ms:.1} ms (nothing changed)");
        }
        self.rescan_announced = true;
        Applied {
            files: Vec::new(),
            moved: false,
            publish: changed,
        }
    }

    /// Reads again the feed definitions and articles among `paths`; an
    /// error in an article not known `whole` may be held back while it is
    /// being written (see `content/hold.rs`).
    fn paths_changed(&mut self, paths: Vec<PathBuf>, whole: &BTreeSet<PathBuf>) -> Applied {
        let mut publish = false;
        let (content_dir, feeds_dir) = (
            self.config.paths.content.clone(),
            self.config.paths.feeds.clone(),
        );
        if paths
            .iter()
            .any(|p| p.starts_with(&feeds_dir) && !is_left_behind(&feeds_dir, p))
        {
            publish |= self.reload_feeds_logged();
        }
        // A watched folder that was itself removed and made again is a new
        // folder to the kernel: its watch must be set up again, and where
        // events come from may have moved.
        let recreated = paths
            .iter()
            .any(|p| (*p == content_dir || *p == feeds_dir) && p.is_dir());
        let content: Vec<PathBuf> = paths
            .iter()
            .filter(|p| p.starts_with(&content_dir) && !is_left_behind(&content_dir, p))
            .cloned()
            .collect();
        if recreated {
            self.bases = self.event_bases();
        }
        if !content.is_empty() {
            let unfinished = content
                .iter()
                .filter(|p| !whole.contains(*p))
                .cloned()
                .collect();
            let writing = Writing {
                unfinished: &unfinished,
                now: Timestamp::now(),
            };
            publish |= self
                .store
                .refresh_written(&self.config.site, &content, writing);
        }
        Applied {
            files: paths,
            moved: recreated,
            publish,
        }
    }

    /// The folders and file events name, each with the bases an event may
    /// give it by: resolved (symlinks followed) or only made absolute (`..`
    /// kept), depending on the watcher. Worked out when the config loads, at a rescan,
    /// and when a watched folder is made again; not once per event.
    pub(super) fn event_bases(&self) -> Vec<(PathBuf, Vec<PathBuf>)> {
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
/// [`Publisher::event_bases`].
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
pub(in crate::daemon) fn roots(options: &ServeOptions, config: &Config) -> Vec<Root> {
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

/// The reason a publication after events gives in the log: the files the
/// events named, the first few by name.
pub(in crate::daemon) fn files_changed(files: &[PathBuf]) -> String {
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
pub(in crate::daemon) struct Applied {
    /// The files the events named, as configured (none for a rescan).
    pub(in crate::daemon) files: Vec<PathBuf>,
    /// The folders moved, or a watched folder was made again: the watcher
    /// must be started again.
    pub(in crate::daemon) moved: bool,
    /// Something that is published changed.
    pub(in crate::daemon) publish: bool,
}

/// Whether an event path names the config file (events may report it as
/// `./syndicated.toml` when the config was given as `syndicated.toml`).
fn same_file(event: &Path, config: &Path) -> bool {
    let strip = |p: &Path| p.strip_prefix(".").unwrap_or(p).to_path_buf();
    strip(event) == strip(config)
}
