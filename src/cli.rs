//! The command line: `serve` (the default), `build`, `check`, and the shared
//! `--config` and `--log-level`.
//!
//! Every command loads the config, the feed definitions and the articles the
//! same way, reports each problem as one `path:line: message` line, and ends
//! with a one-line summary. Exit status: 0 when everything was fine, 1 when
//! any file had an error (with `build`, everything else is still written),
//! 2 for a usage error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::parser::ValueSource;
use clap::{Parser, Subcommand};
use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::{Config, FeedSpec, load_feeds};
use crate::content::{Depth, Store, Totals, render_body};
pub use crate::daemon::ServeOptions;
use crate::diagnostic::{self, Diagnostic};
use crate::i18n::{Lang, Message};
use crate::publish::{Cache, Publication, Sources, publish, shown};
use crate::scaffold;
use crate::snapshot::Snapshot;
use crate::text::count;
use crate::write::Mirror;

mod manual;

/// Publishes a folder of Markdown articles as RSS, Atom and JSON feeds.
#[derive(Debug, Parser)]
#[command(name = "syndicated", version, about, long_about = None)]
pub struct Args {
    /// The site's config file, or the site's folder (its `syndicated.toml`);
    /// relative paths inside it are relative to its folder.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        default_value = "syndicated.toml",
        env = "SYNDICATED_CONFIG",
        help_heading = SITE,
        display_order = 1
    )]
    pub config: PathBuf,

    /// How much to log (libraries stay at info); `RUST_LOG` wins when set.
    #[arg(
        long,
        global = true,
        value_enum,
        ignore_case = true,
        value_name = "LEVEL",
        default_value = "info",
        env = "SYNDICATED_LOG_LEVEL",
        help_heading = LOGGING,
        display_order = 30
    )]
    pub log_level: crate::logging::LogLevel,

    /// How log lines look: auto (journal under systemd, else human), human, journal or json.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "FORMAT",
        default_value = "auto",
        env = "SYNDICATED_LOG_FORMAT",
        help_heading = LOGGING,
        display_order = 31
    )]
    pub log_format: crate::logging::LogFormat,

    /// With no command: the options of `serve`, the default (refused
    /// before any command: see [`parse`]).
    #[command(flatten)]
    pub serve: ServeOptions,

    /// The command; none means `serve`.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The heading of the options that say which site.
const SITE: &str = "Site";
/// The heading of the logging options.
const LOGGING: &str = "Logging";

/// The commands of the binary.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the feeds and republish them whenever a file changes (the default command).
    Serve(ServeOptions),
    /// Write every feed into a folder once.
    Build {
        /// The folder to write to [default: `paths.out` from the config, else `public` beside it].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Validate the config, the feed definitions and every article; write nothing.
    Check {
        /// The language of the messages: zh-CN, zh-TW or en [default: from LC_ALL, LC_MESSAGES or LANG, else the site's].
        #[arg(long, value_name = "TAG")]
        language: Option<Lang>,
    },
    /// Write a new site into a folder: a config in your language, one feed, one article.
    Init {
        /// The folder [default: the current one].
        dir: Option<PathBuf>,
        /// The site's language: zh-CN, zh-TW or en [default: from LC_ALL, LC_MESSAGES or LANG].
        #[arg(long, value_name = "TAG")]
        language: Option<Lang>,
    },
    /// Write a new article (a draft, dated now) and print its path.
    New {
        /// Its title; the file is named after it (see the book, "Commands").
        title: String,
        /// The folder inside the content folder [default: YYYY/MM of today].
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Print the completion script of a shell (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for `man -l -` or /usr/share/man/man1.
    Manpage,
}

/// The clap definition of the command line, as completions and the manual
/// page describe it.
pub fn definition() -> clap::Command {
    <Args as clap::CommandFactory>::command()
}

/// `--config` as given, or the `syndicated.toml` in it when it is a folder
/// (as `hugo --source` and `zola --root` take a site's folder).
fn config_file(config: PathBuf) -> PathBuf {
    if config.is_dir() {
        config.join("syndicated.toml")
    } else {
        config
    }
}

/// A site read from disk: config, feeds and articles, with every problem found.
#[derive(Debug)]
pub struct LoadedSite {
    /// The resolved config.
    pub config: Config,
    /// The feed definitions that load; the others are in `diagnostics`.
    pub feeds: Vec<FeedSpec>,
    /// Every article, as the scan found it.
    pub store: Store,
    /// Every problem found so far, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// How many feeds the last publication made (a family counts each of
    /// its feeds); before one, how many feeds are defined.
    pub feed_count: usize,
}

impl LoadedSite {
    /// Reads the site whose config file is `config`. Fails only when nothing
    /// can be published: no config, or no feeds or content folder.
    pub fn load(config: &Path, depth: Depth) -> Result<LoadedSite, Diagnostic> {
        let config = Config::load(config)?;
        let mut diagnostics = config.warnings.clone();
        let mut feeds = Vec::new();
        for feed in load_feeds(
            &config.paths.feeds,
            &config.paths.content,
            &config.site.feeds_url,
        )? {
            match feed {
                Ok(feed) => feeds.push(feed),
                Err(error) => diagnostics.push(error),
            }
        }
        let store = Store::scan(&config.site, &config.paths.content, depth)?;
        diagnostics.extend(store.diagnostics());
        Ok(LoadedSite {
            config,
            feed_count: feeds.len(),
            feeds,
            store,
            diagnostics,
        })
    }

    /// Renders every article's body, as publishing would, and adds what
    /// that finds (what Markdown and HTML make of a body is checked like the
    /// front matter is), and any `updated` far in the future.
    fn check_bodies(&mut self, now: Timestamp) {
        let (site, limits) = (&self.config.site, self.config.summary);
        let found: Vec<Diagnostic> = self
            .store
            .articles()
            .par_iter()
            .flat_map_iter(|article| {
                let mut found = match render_body(site, limits, article) {
                    Ok((parsed, _)) => parsed.warnings,
                    Err(error) => vec![error.diagnostic().clone()],
                };
                found.extend(article.future_update(now));
                found
            })
            .collect();
        diagnostic::merge(&mut self.diagnostics, found);
    }

    /// Publishes the site at `now`, adding what publishing found. Rendering
    /// reads whole files: it may find more than the scan did, and finds
    /// again what the scan found in the front matter.
    fn publication(&mut self, now: Timestamp) -> Publication {
        let feeds = &self.feeds;
        let mut cache = Cache::default();
        let config = &self.config;
        self.store
            .render_shown(&config.site, config.summary, |store| {
                shown(feeds, store, now, config, &mut cache)
            });
        let sources = Sources {
            config: &self.config,
            feeds,
            problems: &self.diagnostics,
            store: &self.store,
        };
        let publication = publish(sources, now, &Snapshot::default(), |_| None, &mut cache);
        diagnostic::merge(
            &mut self.diagnostics,
            publication.diagnostics.iter().cloned(),
        );
        self.feed_count = publication.snapshot.feeds;
        publication
    }

    fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// `6 articles, 4 feeds, 0 drafts, 0 scheduled, 0 errors, 0 warnings`,
    /// in `lang`.
    fn summary(&self, now: Timestamp, lang: Lang) -> String {
        let Totals {
            published,
            drafts,
            scheduled,
            ..
        } = self.store.totals(now);
        let errors = self.errors();
        let warnings = self.diagnostics.len() - errors;
        Message::new("check-summary")
            .arg("articles", published)
            .arg("feeds", self.feed_count)
            .arg("drafts", drafts)
            .arg("scheduled", scheduled)
            .arg("errors", errors)
            .arg("warnings", warnings)
            .render(lang)
    }
}

/// Parses the command line as clap does, and refuses (exit status 2) the
/// options of `serve` given before a command: with no command they are
/// serve's, the default, but `syndicated --port 9 check` would otherwise
/// ignore them silently. Values from the environment
/// (`SYNDICATED_PORT`…) are not refused: they are meant for every command.
pub fn parse() -> Args {
    let matches = definition().get_matches();
    let args = <Args as clap::FromArgMatches>::from_arg_matches(&matches)
        .unwrap_or_else(|error| error.exit());
    let Some(command) = matches.subcommand_name() else {
        return args;
    };
    let serve_options = <ServeOptions as clap::Args>::augment_args(clap::Command::new("serve"));
    let given: Vec<String> = serve_options
        .get_arguments()
        .filter(|arg| matches.value_source(arg.get_id().as_str()) == Some(ValueSource::CommandLine))
        .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
        .collect();
    if given.is_empty() {
        return args;
    }
    let (names, are, them) = match &given[..] {
        [one] => (format!("`{one}`"), "is an option", "it"),
        _ => (
            format!("`{}`", given.join("` and `")),
            "are options",
            "them",
        ),
    };
    let message = if command == "serve" {
        format!(
            "{names} {are} of `serve`: give {them} after `serve` (syndicated serve {} …)",
            given[0]
        )
    } else {
        format!("{names} {are} of `serve`, not of `{command}`")
    };
    definition()
        .error(clap::error::ErrorKind::ArgumentConflict, message)
        .exit()
}

/// Runs the command `args` asks for.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let now = Timestamp::now();
    let command = args.command.unwrap_or(Command::Serve(args.serve));
    // The commands that print or write without reading a site log nothing.
    let site = || {
        crate::logging::init(args.log_format, args.log_level);
        config_file(args.config)
    };
    match command {
        Command::Completions { shell } => completions(shell),
        Command::Manpage => manpage(),
        Command::Init { dir, language } => init(dir, language, now),
        Command::New { title, dir } => new_article(&site(), &title, dir.as_deref(), now),
        Command::Serve(serve) => serve_site(site(), serve),
        Command::Check { language } => check(&site(), language, now),
        Command::Build { out } => build(&site(), out, now),
    }
}

/// `completions SHELL`: the shell's completion script.
fn completions(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut definition(), "syndicated", &mut out);
    emit(&String::from_utf8_lossy(&out))?;
    Ok(ExitCode::SUCCESS)
}

/// `manpage`: the manual page, in roff.
fn manpage() -> anyhow::Result<ExitCode> {
    let page = manual::render(definition()).context("writing the manual page")?;
    emit(&page)?;
    Ok(ExitCode::SUCCESS)
}

/// `init [DIR] [--language TAG]`: a new site, and how to serve it.
fn init(dir: Option<PathBuf>, language: Option<Lang>, now: Timestamp) -> anyhow::Result<ExitCode> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let language = language.or_else(locale_language).unwrap_or(Lang::En);
    let zone = jiff::tz::TimeZone::system();
    let written = scaffold::init(&dir, language, &zone, now)
        .map_err(|e| anyhow::anyhow!(e.message().render(language)))?;
    let say = |message: Message| format!("{}\n", message.render(language));
    let mut report: String = written
        .iter()
        .map(|p| say(Message::new("init-wrote").arg("path", p.display().to_string())))
        .collect();
    if zone.iana_name().is_none() {
        report.push_str(&say(Message::new("init-no-zone")));
    }
    report.push_str(&say(
        Message::new("init-serve").arg("dir", dir.display().to_string())
    ));
    emit(&report)?;
    Ok(ExitCode::SUCCESS)
}

/// `new TITLE [--dir DIR]`: a new draft; prints its path.
fn new_article(
    config: &Path,
    title: &str,
    dir: Option<&Path>,
    now: Timestamp,
) -> anyhow::Result<ExitCode> {
    let loaded = Config::load(config).map_err(|d| unloaded(&d, None))?;
    let lang = locale_language().unwrap_or(loaded.site.editor_language);
    let path = scaffold::new_article(&loaded, title, dir, now)
        .map_err(|e| anyhow::anyhow!(e.message().render(lang)))?;
    emit(&format!("{}\n", path.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// `serve`: the daemon, on a runtime of its own, until SIGTERM or SIGINT.
fn serve_site(config: PathBuf, serve: ServeOptions) -> anyhow::Result<ExitCode> {
    let options = ServeOptions { config, ..serve };
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?
        .block_on(crate::daemon::run(options))?;
    Ok(ExitCode::SUCCESS)
}

/// `check [--language TAG]`: every problem of the site, as publishing
/// would find it, and a summary; writes nothing. The messages are in
/// `language`, else the locale's, else the site's.
fn check(config: &Path, language: Option<Lang>, now: Timestamp) -> anyhow::Result<ExitCode> {
    let mut site = LoadedSite::load(config, Depth::Whole).map_err(|d| unloaded(&d, language))?;
    let lang = language
        .or_else(locale_language)
        .unwrap_or(site.config.site.editor_language);
    site.config.site.editor_language = lang;
    site.diagnostics
        .extend(site.config.not_ready.iter().cloned());
    site.check_bodies(now);
    // What publishing would say (a feed over its byte budget).
    site.publication(now);
    let mut report: String = site
        .diagnostics
        .iter()
        .map(|d| format!("{}\n", d.render(lang)))
        .collect();
    report.push_str(&site.summary(now, lang));
    report.push('\n');
    emit(&report)?;
    Ok(finish(site))
}

/// `build [--out DIR]`: every document written into a folder once, by the
/// mirror's writer.
fn build(config: &Path, out: Option<PathBuf>, now: Timestamp) -> anyhow::Result<ExitCode> {
    let mut site = LoadedSite::load(config, Depth::Head)?;
    let out = out
        .or_else(|| site.config.paths.out.clone())
        .unwrap_or_else(|| {
            site.config
                .file
                .parent()
                .unwrap_or(Path::new(""))
                .join("public")
        });
    let publication = site.publication(now);
    for d in &site.diagnostics {
        eprintln!("{d}");
    }
    // The daemon's mirror writes the same tree: the same snapshot, the
    // same writer.
    let snapshot = publication.snapshot.compressed();
    let documents = snapshot.resources.len();
    let errors = Mirror::new(&out).sync(snapshot.documents());
    if !errors.is_empty() {
        anyhow::bail!(
            "writing the feeds to {}: {}",
            out.display(),
            errors.join("; ")
        );
    }
    emit(&format!(
        "wrote {} to {} ({})\n",
        count(documents, "document"),
        out.display(),
        site.summary(now, Lang::En)
    ))?;
    Ok(finish(site))
}

/// A site that could not be loaded, said in `language`, else the locale's
/// (the site's own is not known).
fn unloaded(problem: &Diagnostic, language: Option<Lang>) -> anyhow::Error {
    let lang = language.or_else(locale_language).unwrap_or(Lang::En);
    anyhow::anyhow!(problem.render(lang))
}

/// The user's language, from `LC_ALL`, `LC_MESSAGES` or `LANG`, the first
/// that is set (as POSIX orders them); none when that is unset, `C` or
/// `POSIX`, which name no language.
fn locale_language() -> Option<Lang> {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))?;
    let name = locale.split(['.', '@']).next().unwrap_or_default();
    (name != "C" && name != "POSIX").then(|| Lang::of_locale(&locale))
}

/// Writes `text` to standard output. A reader that has gone away (`check |
/// head -1`) is no error: what it wanted, it has.
fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("writing to standard output")
        }
        _ => Ok(()),
    }
}

/// The exit status for a site that was read, which is then left to the
/// operating system: freeing every article of a large site one by one takes a
/// noticeable part of a build, just before the process ends anyway.
fn finish(site: LoadedSite) -> ExitCode {
    let code = if site.errors() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    std::mem::forget(site);
    code
}
