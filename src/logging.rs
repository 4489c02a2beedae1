//! Logs that fit where the daemon runs, all on stderr.
//!
//! - `human` (a terminal): time, level and message, colored on a terminal.
//! - `journal` (under systemd, which sets `JOURNAL_STREAM`): no timestamp of
//!   our own, since the journal records one, and the level as a `<N>` syslog
//!   priority prefix, which journald turns into the entry's priority.
//! - `json`: one JSON object per line, for log shippers.
//!
//! `auto` (the default) picks `journal` when `JOURNAL_STREAM` is set and
//! `human` otherwise. `RUST_LOG` filters when set, else `--log-level`.

use std::fmt;

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// How log lines look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Journal lines under systemd (`JOURNAL_STREAM` set), human ones elsewhere.
    Auto,
    /// Time, level and message, colored on a terminal.
    Human,
    /// A `<N>` syslog priority and the message: the journal adds the rest.
    Journal,
    /// One JSON object a line, for log shippers.
    Json,
}

/// How much to log: each level shows itself and the levels above it.
/// The numbers are `tracing`'s and `RUST_LOG`'s names for the levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum LogLevel {
    /// Nothing.
    #[value(alias = "0")]
    Off,
    /// Errors only.
    #[value(alias = "1")]
    Error,
    /// Errors and warnings.
    #[value(alias = "2")]
    Warn,
    /// What the daemon does: publications, reloads, where it listens.
    #[value(alias = "3")]
    Info,
    /// Timings of each step of a publication.
    #[value(alias = "4")]
    Debug,
    /// Everything.
    #[value(alias = "5")]
    Trace,
}

impl LogLevel {
    fn as_str(self) -> &'static str {
        match self {
            LogLevel::Off => "off",
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
        }
    }
}

/// Sets up logging for the process.
pub fn init(format: LogFormat, level: LogLevel) {
    // The file-watching library reports at info level what is routine for
    // us (a watch gone with its deleted folder): only its warnings show,
    // unless RUST_LOG asks for more.
    // `debug` and `trace` are for our own messages: the HTML parser alone
    // reports every token of every article at debug level, thousands of
    // lines a second. RUST_LOG can still ask any library for more.
    let name = level.as_str();
    let directives = if level > LogLevel::Info {
        format!("info,syndicated={name},notify=warn")
    } else {
        format!("{name},notify=warn")
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(directives));
    // The media-header reader narrates what it skips in editors' files
    // (junk before a frame, which header gave the duration): never ours to
    // report. Media problems are reported as the articles' diagnostics.
    let filter = match "symphonia=off".parse() {
        Ok(directive) => filter.add_directive(directive),
        Err(_) => filter,
    };
    let format = match format {
        LogFormat::Auto if std::env::var_os("JOURNAL_STREAM").is_some() => LogFormat::Journal,
        LogFormat::Auto => LogFormat::Human,
        other => other,
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    let _ = match format {
        LogFormat::Journal => builder.event_format(Journal).try_init(),
        LogFormat::Json => builder.json().with_current_span(false).try_init(),
        LogFormat::Human | LogFormat::Auto => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init(),
    };
}

/// The syslog priority journald reads from a `<N>` line prefix (sd-daemon(3)).
fn priority(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 3,
        Level::WARN => 4,
        Level::INFO => 6,
        Level::DEBUG | Level::TRACE => 7,
    }
}

/// `<6>message key=value`: a line as journald wants it.
struct Journal;

impl<S, N> FormatEvent<S, N> for Journal
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        write!(writer, "<{}>", priority(event.metadata().level()))?;
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}
