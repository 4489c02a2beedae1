//! The manual page, syndicated(1): the title, name and options from the
//! command-line definition (clap_mangen), so they never drift from
//! `--help`; then what a definition cannot say, written here: each command
//! with its own arguments, the files, the environment (every variable an
//! option reads, from the definition, and those the daemon reads itself),
//! the exit status, examples, and other pages that exist.

use roff::{Inline, Roff, bold, italic, roman};

/// What the daemon does, before the options.
const DESCRIPTION: [&str; 3] = [
    "syndicated watches a folder of Markdown articles with front matter and publishes them \
     as RSS 2.0, Atom 1.0 and JSON Feed 1.1, with a page for people that says how to \
     subscribe. It republishes within milliseconds of a change and serves every document \
     over HTTP with strong validators (ETag, Last-Modified), conditional requests and \
     precompressed variants (gzip, Brotli).",
    "Feeds are defined by the TOML files of the feeds folder; the site by syndicated.toml. \
     A bad article, definition or config is reported with its file and line, and the last \
     good version stays served. It runs as a hardened systemd service (Type=notify, \
     watchdog, socket activation); SIGHUP reloads the config.",
    "With no command, syndicated serves. Every setting is described in the book's \
     Configuration chapter (see SEE ALSO).",
];

/// The files, each with what it holds.
const FILES: [(&str, &str); 7] = [
    (
        "syndicated.toml",
        "The site's config (--config; in the current folder by default). Relative paths \
         in it are relative to its folder.",
    ),
    (
        "/etc/syndicated/syndicated.toml",
        "The config the packaged service reads.",
    ),
    (
        "feeds/",
        "One TOML file per feed (paths.feeds): its title, filter, formats, archive, \
         variants, podcast.",
    ),
    (
        "content/",
        "The articles (paths.content): Markdown files with YAML or TOML front matter, and \
         the pictures and media they point at. The packaged service reads \
         /var/lib/syndicated/content and /var/lib/syndicated/feeds, which the group \
         syndicated-editors may write.",
    ),
    (
        "public/",
        "Where build writes (--out, paths.out): every document with its .gz and .br \
         siblings and a manifest, .syndicated-mirror.",
    ),
    (
        "/var/lib/syndicated-state",
        "What survives a restart (--state, paths.state, $STATE_DIRECTORY): when each \
         document was first served, the archive pages a change replaced.",
    ),
    (
        "/var/lib/syndicated-mirror",
        "Where the packaged service may keep a static mirror (set paths.out), for a web \
         server to serve; /usr/share/doc/syndicated/examples/nginx-mirror.conf is the \
         nginx recipe.",
    ),
];

/// Variables read by the program itself rather than by an option.
const MORE_ENVIRONMENT: [(&str, &str); 5] = [
    (
        "RUST_LOG",
        "Log filter directives (tracing's EnvFilter); wins over --log-level.",
    ),
    (
        "LC_ALL, LC_MESSAGES, LANG",
        "The language of the messages of check and init when --language is not given, \
         and of new: zh_CN, zh_TW or en; else the site's (init: English).",
    ),
    (
        "STATE_DIRECTORY",
        "systemd's StateDirectory=: the state folder when neither --state nor paths.state \
         names one.",
    ),
    (
        "NOTIFY_SOCKET, WATCHDOG_USEC",
        "systemd's notify protocol: READY=1 once the first feeds are served, RELOADING=1, \
         STOPPING=1, watchdog pings.",
    ),
    (
        "LISTEN_FDS, LISTEN_PID",
        "systemd's socket activation: serve on the socket systemd passes instead of \
         server.listen.",
    ),
];

/// The exit statuses and what each means.
const EXIT_STATUS: [(&str, &str); 3] = [
    (
        "0",
        "Everything was fine (serve: stopped by SIGTERM or SIGINT).",
    ),
    (
        "1",
        "A file had an error (build still writes everything else), or the daemon could \
         not start: no config, the address in use.",
    ),
    (
        "2",
        "A usage error: an unknown option or a missing argument.",
    ),
];

/// Command lines and what each does.
const EXAMPLES: [(&str, &str); 6] = [
    (
        "syndicated init news --language zh-CN",
        "Writes a new site into news/: a config, one feed, one article.",
    ),
    (
        "syndicated --config news check",
        "Checks the site in news/ and every article; writes nothing.",
    ),
    (
        "syndicated --config news serve --port 8091",
        "Serves it on port 8091 and republishes on every save.",
    ),
    (
        "syndicated --config news serve --preview",
        "Serves drafts and scheduled articles too, for editors.",
    ),
    (
        "syndicated --config news build --out /srv/feeds",
        "Writes every document once, for any static server.",
    ),
    (
        "systemctl reload syndicated",
        "Makes the packaged service read its config again.",
    ),
];

/// Pages that exist on a Debian system with systemd and nginx, and the
/// documentation the package installs.
const SEE_ALSO: [(&str, &str); 5] = [
    ("systemctl", "1"),
    ("journalctl", "1"),
    ("systemd.service", "5"),
    ("systemd.socket", "5"),
    ("nginx", "8"),
];

/// The manual page of `cmd` (the program's definition), in roff.
pub fn render(cmd: clap::Command) -> std::io::Result<String> {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    let mut page = Roff::new();
    synopsis(&mut page, &cmd);
    section(&mut page, "DESCRIPTION");
    for paragraph in DESCRIPTION {
        page.control("PP", []).text([roman(paragraph)]);
    }
    page.to_writer(&mut out)?;
    man.render_options_section(&mut out)?;
    let mut page = Roff::new();
    commands(&mut page, &cmd);
    listed(&mut page, "FILES", &FILES);
    environment(&mut page, &cmd);
    listed(&mut page, "EXIT STATUS", &EXIT_STATUS);
    examples(&mut page);
    see_also(&mut page);
    page.to_writer(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn section(page: &mut Roff, title: &str) {
    page.control("SH", [title]);
}

/// A term and its description, as an indented paragraph.
fn item(page: &mut Roff, term: impl Into<Vec<Inline>>, description: &str) {
    page.control("TP", []).text(term).text([roman(description)]);
}

/// A section of terms and descriptions.
fn listed(page: &mut Roff, title: &str, items: &[(&str, &str)]) {
    section(page, title);
    for (term, description) in items {
        item(page, [bold(*term)], description);
    }
}

/// One line per command: the program, the command and its arguments.
fn synopsis(page: &mut Roff, cmd: &clap::Command) {
    section(page, "SYNOPSIS");
    for sub in cmd.get_subcommands() {
        let mut line = vec![
            bold("syndicated"),
            roman(" [OPTIONS] "),
            bold(sub.get_name()),
        ];
        line.extend(arguments(sub).into_iter().flat_map(|a| [roman(" "), a]));
        page.text(line).control("br", []);
    }
}

/// A command's own arguments as a synopsis writes them: `TITLE`,
/// `[DIR]`, `[--out DIR]`, `[--poll]`.
fn arguments(sub: &clap::Command) -> Vec<Inline> {
    own_arguments(sub)
        .map(|arg| {
            let value = value_name(arg);
            let written = match arg.get_long() {
                Some(long) if arg.get_action().takes_values() => format!("--{long} {value}"),
                Some(long) => format!("--{long}"),
                None => value,
            };
            if arg.is_required_set() {
                italic(written)
            } else {
                roman(format!("[{written}]"))
            }
        })
        .collect()
}

/// A command's arguments that are its own: not the global options, not
/// the help flags every command has.
fn own_arguments(sub: &clap::Command) -> impl Iterator<Item = &clap::Arg> {
    sub.get_arguments()
        .filter(|arg| !arg.is_global_set() && !arg.is_hide_set())
        .filter(|arg| !matches!(arg.get_id().as_str(), "help" | "version"))
}

/// Each command, what it does, and its own arguments.
fn commands(page: &mut Roff, cmd: &clap::Command) {
    section(page, "COMMANDS");
    for sub in cmd.get_subcommands() {
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        if sub.get_name() == "serve" {
            // Its options are the program's own (with no command, it serves).
            let about = format!("{about}. It takes the options under SERVING and FOLDERS above.");
            item(page, [bold(sub.get_name())], &about);
            continue;
        }
        item(page, [bold(sub.get_name())], &about);
        page.control("RS", []);
        for arg in own_arguments(sub) {
            let written = arguments_of(arg);
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            item(page, [bold(written)], &help);
        }
        page.control("RE", []);
    }
}

/// One argument as its entry in COMMANDS names it.
fn arguments_of(arg: &clap::Arg) -> String {
    match arg.get_long() {
        Some(long) if arg.get_action().takes_values() => format!("--{long} <{}>", value_name(arg)),
        Some(long) => format!("--{long}"),
        None => value_name(arg),
    }
}

/// The name of an argument's value (`DIR`), or of a positional argument.
fn value_name(arg: &clap::Arg) -> String {
    arg.get_value_names()
        .and_then(|names| names.first())
        .map(|name| name.to_string())
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase())
}

/// Every variable an option reads (from the definition), then those the
/// program reads itself.
fn environment(page: &mut Roff, cmd: &clap::Command) {
    section(page, "ENVIRONMENT");
    let mut seen = std::collections::BTreeSet::new();
    let options = cmd
        .get_arguments()
        .chain(cmd.get_subcommands().flat_map(|sub| sub.get_arguments()));
    for arg in options {
        let (Some(env), Some(long)) = (arg.get_env(), arg.get_long()) else {
            continue;
        };
        let env = env.to_string_lossy().into_owned();
        if seen.insert(env.clone()) {
            item(page, [bold(env)], &format!("The same as --{long}."));
        }
    }
    for (name, description) in MORE_ENVIRONMENT {
        item(page, [bold(name)], description);
    }
}

fn examples(page: &mut Roff) {
    section(page, "EXAMPLES");
    for (command, what) in EXAMPLES {
        item(page, [bold(command)], what);
    }
}

fn see_also(page: &mut Roff) {
    section(page, "SEE ALSO");
    let pages: Vec<Inline> = SEE_ALSO
        .iter()
        .enumerate()
        .flat_map(|(n, (name, number))| {
            let comma = if n + 1 < SEE_ALSO.len() { ", " } else { "" };
            [bold(*name), roman(format!("({number}){comma}"))]
        })
        .collect();
    page.text(pages);
    page.control("PP", []).text([roman(
        "The README and the book (every setting, HTTP, operation, speed): \
         /usr/share/doc/syndicated/README.md and /usr/share/doc/syndicated/docs/src/ when \
         installed from the Debian package; README.md and docs/src/ in the source.",
    )]);
}
