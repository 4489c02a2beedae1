//! Integration tests: the real binary on real folders, its feeds read back by
//! an independent parser (`feed-rs`). One module per feature.

mod harness;
/// Programs from outside Rust: third-party servers on ports of their own, feedparser.
mod services;

/// ARCHITECTURE.md held to the code: the layers, functions that fit a screen.
mod architecture;
/// RFC 5005 archives: the walk through prev-archive, full pages that never change, edits.
mod archive;
/// What a newcomer sees: `--help`, `--version`, `check`'s report, the default command.
mod cli;
/// The daemon: every way of changing a file, bad edits, schedules, signals, the mirror.
mod daemon;
/// Feeds that end: retired feeds answer 410 everywhere and are listed nowhere.
mod endings;
/// Bad input, one kind per test: the exact message, and nothing else lost.
mod errors;
/// Feed families: a feed per tag, category, author, folder or language.
mod families;
/// Faults: event storms, rewrites, an unwritable mirror, a killed build.
mod faults;
/// What lands in the feeds: items, titles, dates, ids, links, filters.
mod feeds;
/// Faithful content: each kind of input that reached readers wrong.
mod fidelity;
/// Filters: every value, exclusions, languages, an article's own opt-out.
mod filters;
/// Content folders as editors leave them: names, sizes, symlinks, permissions.
mod folders;
/// Property tests and the fuzz seed corpus: articles, config files, requests.
mod fuzz;
/// The sample site's feeds as a reader receives them, byte for byte.
mod golden;
/// Hostile clients on raw TCP: malformed, oversized, slow, silent, traversal.
mod hostile;
/// The HTTP contract, one rule per test, against a real server.
mod http;
/// Messages in the editor's language: check and /healthz; the log in English.
mod languages;
/// Header-read timeout, connection limit and lifetime, on raw sockets.
mod limits;
/// Pictures: Media RSS and JSON Feed images, their facts, replaced and deleted files.
mod media;
/// The mirror served by nginx from deploy/nginx-mirror.conf, as the daemon serves the site.
mod mirror_nginx;
/// Feeds that move: 301/308 to each document's counterpart, podcasts, errors.
mod moves;
/// URLs made from local file names: any character survives the round trip.
mod names;
/// The pages people see: the subscribe page, a feed opened in a browser, readers never get HTML.
mod pages;
/// Pollers that overdo it: 429 with Retry-After, conditional clients spared, trusted proxies.
mod pollers;
/// Replicas behind nginx's proxy_cache: one ETag, revalidation, a replica killed under load.
mod replicas;
/// Every Atom document valid against RFC 4287's RELAX NG schema (jing).
mod schema;
/// Nothing stale in what we write: every kind of document goes with its definition.
mod stale;
/// The systemd notify protocol on a real NOTIFY_SOCKET.
mod systemd;
/// Chinese variant feeds: converted text, untouched markup, URLs and code.
mod variants;
/// WebSub: hubs advertised in headers and documents, pings on change only, retries.
mod websub;
/// WebSub end to end: a real hub (flask-websub on celery and redis) pushes an edit to a subscriber.
mod websub_hub;
