//! `syndicated` publishes a folder of Markdown articles as RSS 2.0, Atom 1.0
//! and JSON Feed 1.1 documents.
//!
//! The pipeline runs one way, one module per stage:
//!
//! - [`config`]: `syndicated.toml` and `feeds/*.toml` → [`config::Config`], [`config::FeedSpec`]
//! - [`content`]: article files → [`content::Article`], kept in a [`content::Store`]
//!   with the rendered [`content::Body`] of every article some feed shows
//! - [`render`]: (feed, items) → the bytes of one feed document; [`pages`]: the
//!   index page and the OPML list
//! - [`publish`]: (config, feeds, store, clock, previous snapshot) → a
//!   [`snapshot::Snapshot`] and what changed, reading no file; feed families
//!   made there, and Chinese variants converted by [`convert`]
//! - [`schedule`]: when scheduled articles fall due, and the `max-age` cap
//! - [`snapshot`]: the served resources, compressed once, with their validators
//! - [`serve`]: the route table ([`serve::routes`]), hyper, and the pure
//!   [`respond()`](serve::respond()) of the HTTP contract
//! - [`write`](mod@write): the one writer of `build --out` and the daemon's mirror
//! - [`websub`]: pings to WebSub hubs when a served feed changes
//! - [`scaffold`]: `init` (a new site) and `new` (a new article)
//!
//! The binary's own modules, not part of the library's interface, run the
//! stages as a long-lived publisher: `daemon` (the loop, the publisher, events), `watch` (file
//! events), `state` (what survives a restart) and `systemd`; [`cli`] ties
//! everything into the commands the binary offers.

pub mod cli;
pub mod config;
pub mod content;
pub mod convert;
mod daemon;
pub mod diagnostic;
pub mod leftovers;
pub mod logging;
pub mod messages;
pub mod metrics;
pub mod pages;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod schedule;
pub mod serve;
pub mod snapshot;
mod state;
mod systemd;
pub mod text;
mod watch;
pub mod websub;
pub mod write;

pub use diagnostic::{Diagnostic, Severity};
