//! `syndicated` publishes a folder of Markdown articles as RSS 2.0, Atom 1.0
//! and JSON Feed 1.1 documents.
//!
//! The pipeline runs one way, one module per stage (ARCHITECTURE.md lists
//! them in layers, and a test holds the code to it). The library's surface
//! is what the binary, the tests and the fuzz targets call:
//!
//! - [`config`]: `syndicated.toml` and `feeds/*.toml` → [`config::Config`], [`config::FeedSpec`]
//! - [`content`]: article files → [`content::Article`], kept in a [`content::Store`]
//!   with the rendered [`content::Body`] of every article some feed shows
//! - [`render`]: (feed, items) → the bytes of one feed document; [`pages`]: the
//!   index page, each feed's page and the OPML list
//! - [`snapshot`]: the served resources, compressed once, with their validators
//! - [`serve`]: the route table ([`serve::routes`]), hyper, and the pure
//!   [`respond()`](serve::respond()) of the HTTP contract
//! - [`text`]: what XML can carry, CJK, summaries; [`diagnostic`]: located messages
//! - [`cli`]: the commands the binary offers
//!
//! Inside the crate: `publish` ((config, feeds, store, clock, previous
//! snapshot) → a snapshot and what changed, reading no file; feed families
//! made there, Chinese variants converted by `convert`), `schedule` (when
//! scheduled articles fall due, and the `max-age` cap), `write` (the one
//! writer of `build --out` and the daemon's mirror), `websub` (pings to hubs
//! when a served feed changes), `scaffold` (`init` and `new`), and the
//! daemon's own modules: `daemon` (the loop, the publisher, events), `watch`
//! (file events), `state` (what survives a restart) and `systemd`.

pub mod cli;
pub mod config;
pub mod content;
mod convert;
mod daemon;
pub mod diagnostic;
mod i18n;
mod leftovers;
mod logging;
mod messages;
mod metrics;
pub mod pages;
mod publish;
pub mod render;
mod scaffold;
mod schedule;
pub mod serve;
pub mod snapshot;
mod state;
mod systemd;
pub mod text;
mod watch;
mod websub;
mod write;

pub use diagnostic::{Diagnostic, Severity};
