//! Telling systemd what the daemon is doing (`Type=notify`).
//!
//! `READY=1` is sent once the first snapshot is published and the listener
//! is bound, so `systemctl start` returns when feeds are really served;
//! `STATUS=` says what is served after every publication; a SIGHUP reload is
//! wrapped in `RELOADING=1` (with the `MONOTONIC_USEC` systemd requires) and
//! `READY=1`; `STOPPING=1` starts the shutdown. With `WatchdogSec=`, the
//! daemon's own loop sends `WATCHDOG=1` at half the interval, and only while
//! the server task is running, so a wedged publisher or a dead server gets
//! the service restarted. Without `NOTIFY_SOCKET` every call does nothing.

use std::time::Duration;

use sd_notify::NotifyState;

use crate::text::count;

fn send(states: &[NotifyState<'_>]) {
    if let Err(error) = sd_notify::notify(states) {
        tracing::warn!(%error, "cannot notify systemd");
    }
}

/// Startup is done: feeds are served.
pub fn ready(status: &str) {
    send(&[NotifyState::Ready, NotifyState::Status(status)]);
}

/// What is served now.
pub fn status(status: &str) {
    send(&[NotifyState::Status(status)]);
}

/// A reload begins (end it with [`ready`]).
pub fn reloading() {
    match NotifyState::monotonic_usec_now() {
        Ok(now) => send(&[NotifyState::Reloading, now]),
        Err(error) => tracing::warn!(%error, "cannot read the monotonic clock for RELOADING=1"),
    }
}

/// Shutdown begins.
pub fn stopping() {
    send(&[NotifyState::Stopping, NotifyState::Status("stopping")]);
}

/// The daemon is alive.
pub fn watchdog() {
    send(&[NotifyState::Watchdog]);
}

/// How often to send [`watchdog`]: half the unit's `WatchdogSec=`, if set.
pub fn watchdog_interval() -> Option<Duration> {
    sd_notify::watchdog_enabled().map(|timeout| timeout / 2)
}

/// The status line: `serving 6 articles in 4 feeds, 0 content errors`.
pub fn describe(articles: usize, feeds: usize, errors: usize) -> String {
    format!(
        "serving {} in {}, {}",
        count(articles, "article"),
        count(feeds, "feed"),
        count(errors, "content error")
    )
}
