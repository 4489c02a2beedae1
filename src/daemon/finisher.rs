//! What follows a publication once it is served, on a thread of its own so
//! that the publisher takes the next change at once: the state folder told
//! the new dates and replaced archive pages, the changed documents
//! compressed and served again with their gzip and Brotli variants, the
//! mirror brought up to date (and retried while it fails), the WebSub pings
//! that wait for the mirror, systemd's status and the publication's log line.
//!
//! Work a newer publication supersedes is dropped, never lost: the jobs
//! waiting when the thread is free are taken together, and what they ask is
//! done once, for the snapshot served then. Compression looks at that
//! snapshot, not at the jobs' lists: whatever it serves uncompressed is
//! compressed, so a document a publication reused from a snapshot that was
//! still being compressed is compressed too.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use crate::serve::Shared;
use crate::snapshot::{Links, Snapshot};
use crate::state::{Remembered, ReplacedPages};
use crate::text::count;
use crate::websub::Pinger;
use crate::write::Mirror;

/// What is left to do for one publication once it is served.
#[derive(Debug)]
pub(super) struct Unfinished {
    /// The snapshot the publication served (for its figures).
    pub(super) snapshot: Arc<Snapshot>,
    /// The links of the feed documents whose bytes changed and that name
    /// hubs, to ping once the mirror has them too (none without a mirror:
    /// those were pinged at the swap).
    pub(super) topics: Vec<Arc<Links>>,
    /// The folder to mirror into, if any.
    pub(super) mirror: Option<PathBuf>,
    /// Who pings the hubs (none in a preview).
    pub(super) pinger: Option<Pinger>,
    /// From the change to the swap.
    pub(super) took: Duration,
    /// Why it was published; none when it is not a publication (dates
    /// settled), which is not logged.
    pub(super) reason: Option<String>,
    /// Told when this publication is finished, for whoever waits for it.
    pub(super) done: Option<mpsc::SyncSender<()>>,
    /// What the state folder keeps, handed over by the first publication
    /// after it was read (at start, or after a reload that moved it).
    pub(super) kept: Option<Kept>,
    /// The documents whose bytes (or dates) changed, and those no longer
    /// served: what the state folder is told.
    pub(super) changed: Vec<String>,
    pub(super) gone: Vec<String>,
}

impl Unfinished {
    /// How many of its documents it added to [`Shared::compressing`]: a
    /// publication's changed ones; none for dates settled.
    pub(super) fn compressing(&self) -> usize {
        if self.reason.is_some() {
            self.changed.len()
        } else {
            0
        }
    }
}

/// What the state folder keeps: each document's `Last-Modified` dating,
/// and the archive pages a change replaced.
#[derive(Debug)]
pub(super) struct Kept {
    pub(super) remembered: Remembered,
    pub(super) replaced: ReplacedPages,
}

impl Kept {
    /// Keeps what `job` changed; a failure costs only what a restart would
    /// remember.
    fn keep(&mut self, job: &Unfinished) {
        let (snapshot, changed, gone) = (&job.snapshot, &job.changed, &job.gone);
        if let Err(error) = self.remembered.keep_changes(snapshot, changed, gone) {
            tracing::warn!("{error}; Last-Modified dates will not survive a restart");
        }
        if job.reason.is_none() {
            return;
        }
        if let Err(error) = self.replaced.keep(snapshot, changed.iter().chain(gone)) {
            tracing::warn!("{error}; replaced archive pages will not survive a restart");
        }
    }
}

/// The thread that finishes publications; dropping it lets the thread
/// finish what it has, and waits for it.
#[derive(Debug)]
pub(super) struct Finisher {
    jobs: Option<mpsc::Sender<Unfinished>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Finisher {
    /// Starts the thread, which serves its work into `shared`.
    pub(super) fn start(shared: Arc<Shared>) -> std::io::Result<Finisher> {
        let (jobs, received) = mpsc::channel();
        let thread = thread::Builder::new()
            .name("finish".into())
            .spawn(move || {
                let pool = rayon::ThreadPoolBuilder::new()
                    .thread_name(|i| format!("compress-{i}"))
                    .build()
                    .map_err(|error| tracing::warn!("{error}; compressing on the shared threads"))
                    .ok();
                Worker {
                    pool,
                    ..Worker::default()
                }
                .run(&shared, &received)
            })?;
        Ok(Finisher {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Hands a served publication over; returns at once.
    pub(super) fn finish(&self, unfinished: Unfinished) {
        let sent = self
            .jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send(unfinished).is_ok());
        if !sent {
            tracing::error!(
                "the finishing thread has stopped: publications are served uncompressed, and no longer mirrored or pinged"
            );
        }
    }

    /// Hands a served publication over and waits until it is finished
    /// (compressed, mirrored, logged): what systemd's READY=1 says after a
    /// start or a reload.
    pub(super) fn finish_and_wait(&self, mut unfinished: Unfinished) {
        let (done, finished) = mpsc::sync_channel(1);
        unfinished.done = Some(done);
        self.finish(unfinished);
        let _ = finished.recv();
    }

    /// Whether the thread still runs: the watchdog is fed only while it
    /// does, as only while the server does.
    pub(super) fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }
}

impl Drop for Finisher {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What the thread keeps between jobs: the mirror, and threads of its own
/// to compress on, so that a publication's parallel work never queues
/// behind compression in the shared pool (the operating system shares the
/// cores between them instead).
#[derive(Debug, Default)]
struct Worker {
    mirror: Option<Mirror>,
    pool: Option<rayon::ThreadPool>,
    kept: Option<Kept>,
}

impl Worker {
    fn run(mut self, shared: &Shared, jobs: &mpsc::Receiver<Unfinished>) {
        loop {
            let first = match self.mirror.as_ref().and_then(Mirror::retry_at) {
                Some(at) => match jobs.recv_timeout(at.saturating_duration_since(Instant::now())) {
                    Ok(job) => job,
                    Err(RecvTimeoutError::Timeout) => {
                        self.retry_mirror(shared);
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return,
                },
                None => match jobs.recv() {
                    Ok(job) => job,
                    Err(_) => return,
                },
            };
            let mut batch = vec![first];
            batch.extend(jobs.try_iter());
            self.finish(shared, batch);
        }
    }

    /// Finishes `batch` (publications in order, the last served now): one
    /// compression, one mirror sync, then each one's pings and log line.
    fn finish(&mut self, shared: &Shared, mut batch: Vec<Unfinished>) {
        // The state folder first: a reader who sees `compressing` at 0
        // sees what it keeps written.
        for job in &mut batch {
            if let Some(kept) = job.kept.take() {
                self.kept = Some(kept);
            }
            if let Some(kept) = &mut self.kept {
                kept.keep(job);
            }
        }
        let started = Instant::now();
        let compressed = match &self.pool {
            Some(pool) => pool.install(|| compress_served(shared)),
            None => compress_served(shared),
        };
        if compressed > 0 {
            tracing::debug!(
                "publication: compressed {} in {:.2} ms",
                count(compressed, "document"),
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        let changed: usize = batch.iter().map(Unfinished::compressing).sum();
        shared.compressing.fetch_sub(changed, Ordering::Relaxed);
        let served = shared.snapshot.load_full();
        if let Some(last) = batch.last() {
            self.sync_mirror(shared, last.mirror.as_deref(), &served);
        }
        for job in batch {
            if let Some(pinger) = &job.pinger {
                for links in &job.topics {
                    pinger.changed(links, &shared.metrics);
                }
            }
            // Released after the queue's pending count, so that a reader
            // who sees this publication sees its pings pending too.
            shared
                .pings_queued_through
                .store(job.snapshot.publications, Ordering::Release);
            if job.reason.is_some() {
                log_publication(&job);
            }
            if let Some(done) = job.done {
                let _ = done.send(());
            }
        }
    }

    /// Brings the mirror in `dir` (none: no mirror) up to date with `served`.
    fn sync_mirror(&mut self, shared: &Shared, dir: Option<&Path>, served: &Snapshot) {
        if self.mirror.as_ref().map(Mirror::dir) != dir {
            self.mirror = dir.map(Mirror::new);
        }
        if let Some(mirror) = &mut self.mirror {
            let failing = mirror.retry_at().is_some();
            let errors = mirror.sync(served.documents());
            log_mirror(shared, mirror, errors, failing);
        }
    }

    /// Tries again to write what the mirror could not.
    fn retry_mirror(&mut self, shared: &Shared) {
        if let Some(mirror) = &mut self.mirror {
            let failing = mirror.retry_at().is_some();
            let errors = mirror.retry();
            log_mirror(shared, mirror, errors, failing);
        }
    }
}

/// Compresses every document the served snapshot serves uncompressed, in
/// parallel, and serves each compressed where the snapshot served then
/// still holds its bytes (a newer publication may have replaced them).
/// Returns how many were compressed. One pass: what a newer publication
/// serves uncompressed is its own job's, which follows this one, so a
/// storm of edits never keeps the thread from the rest of its work.
fn compress_served(shared: &Shared) -> usize {
    let done = shared.snapshot.load().compress_uncompressed();
    if !done.is_empty() {
        shared
            .snapshot
            .rcu(|current| Arc::new(current.with_compressed(&done)));
    }
    done.len()
}

/// Says the publication in the log and to systemd.
fn log_publication(job: &Unfinished) {
    let snapshot = &job.snapshot;
    let (published, errors) = (snapshot.articles, snapshot.errors.len());
    crate::systemd::status(&crate::systemd::describe(published, snapshot.feeds, errors));
    tracing::info!(
        "published {} in {} ({} changed, {}) in {:.1} ms: {}",
        count(published, "article"),
        count(snapshot.feeds, "feed"),
        count(job.changed.len(), "document"),
        count(errors, "content error"),
        job.took.as_secs_f64() * 1000.0,
        job.reason.as_deref().unwrap_or_default()
    );
}

/// Logs and counts a mirror sync's errors, and says when a sync (a retry
/// or a publication's) succeeded after the mirror was `failing`.
fn log_mirror(shared: &Shared, mirror: &Mirror, errors: Vec<String>, failing: bool) {
    for error in errors {
        shared.metrics.mirror_error();
        tracing::error!("mirror: {error}");
    }
    if let Some(at) = mirror.retry_at() {
        let wait = at.saturating_duration_since(Instant::now());
        tracing::warn!("mirror: trying again in {} s", wait.as_secs_f64().round());
    } else if failing {
        tracing::info!("mirror: current again");
    }
}
