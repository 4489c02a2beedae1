use crate::harness::{CONFIG, Site};

#[test]
fn help_and_version() {
    let site = Site::new();
    let help = site.run(&["--help"]);
    assert_eq!(help.code, 0);
    for word in ["build", "check", "--config"] {
        assert!(help.stdout.contains(word), "{word} missing from --help");
    }
    let version = site.run(&["--version"]);
    assert_eq!(
        version.stdout,
        format!("syndicated {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn check_on_the_sample_site_reports_a_clean_summary() {
    let site = Site::sample();
    // The sample is a zh-CN site: `check` says it in Chinese.
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stdout,
        "8 篇文章，19 个订阅源，0 篇草稿，0 篇定时发布，0 个错误，0 个警告\n"
    );
    let run = site.run(&["check", "--language", "en"]);
    assert_eq!(
        run.stdout,
        "8 articles, 19 feeds, 0 drafts, 0 scheduled, 0 errors, 0 warnings\n"
    );
}

#[test]
fn build_with_no_out_writes_public_beside_the_config() {
    let site = Site::sample();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stdout,
        "wrote 83 documents to public (8 articles, 19 feeds, 0 drafts, 0 scheduled, 0 errors, 0 warnings)\n"
    );
    assert!(site.path().join("public/all.json").is_file());
    assert!(site.path().join("public/index.html").is_file());
}

/// With no command the daemon serves, which is what `cargo run --release` does.
#[test]
fn no_command_serves() {
    let site = Site::sample();
    let config = format!(
        "{}\n[server]\nlisten = \"127.0.0.1:0\"\n",
        site.read("syndicated.toml")
    );
    site.write("syndicated.toml", config);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_syndicated"))
        .current_dir(site.path())
        .env("RUST_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
    let listening = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.contains("listening on http://"));
    let _ = child.kill();
    let _ = child.wait();
    let listening = listening.expect("a listening line");
    assert!(
        listening.contains("listening on http://127.0.0.1:"),
        "{listening}"
    );
}

#[test]
fn unknown_front_matter_keys_are_warnings() {
    let site = Site::new();
    site.article("a.md", "title: 标题\ndate: 2024-06-28\nweight: 3", "正文");
    let run = site.run(&["check", "--language", "en"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "content/a.md:4: warning: unknown front matter key `weight` is ignored\n1 article, 1 feed, 0 drafts, 0 scheduled, 0 errors, 1 warning\n"
    );
}

/// Operators set the listen address (and the other serve options) from the
/// environment, as a systemd drop-in would.
#[test]
fn the_listen_address_comes_from_the_environment() {
    let site = Site::new();
    // Not the config's address (the default, 127.0.0.1:8080): the IPv6
    // loopback, on a port the kernel chooses.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_syndicated"))
        .current_dir(site.path())
        .env("SYNDICATED_LISTEN", "[::1]:0")
        .env("SYNDICATED_LOG_FORMAT", "human")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start");
    let stderr = child.stderr.take().expect("stderr");
    let listening = std::io::BufRead::lines(std::io::BufReader::new(stderr))
        .map_while(Result::ok)
        .find(|l| l.contains("listening on http://"));
    let _ = child.kill();
    let _ = child.wait();
    let listening = listening.expect("a listening line");
    assert!(
        listening.contains("listening on http://[::1]:"),
        "{listening}"
    );
    assert!(!listening.contains("[::1]:0/"), "{listening}");
}

/// Regression: `syndicated check | head -1` panicked writing to the closed
/// pipe; a reader that has gone away is a quiet exit.
#[test]
fn a_closed_stdout_is_a_quiet_exit() {
    let site = Site::new();
    for i in 0..200 {
        site.article(
            &format!("x{i}.md"),
            "title: t\ndate: 2024-06-28\ntitel: typo",
            "",
        );
    }
    for command in ["check", "build"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_syndicated"))
            .arg(command)
            .current_dir(site.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start");
        // The reader goes away before anything is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{command}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{command}: {stderr}");
    }
}

#[test]
fn counts_agree_with_their_nouns() {
    let site = Site::new();
    site.article("a.md", "title: 甲\ndate: 2024-06-28", "正文。\n");
    let run = site.run(&["check", "--language", "en"]);
    assert_eq!(
        run.stdout,
        "1 article, 1 feed, 0 drafts, 0 scheduled, 0 errors, 0 warnings\n"
    );
}

#[test]
fn listen_takes_host_names_and_ipv6_and_port_sets_the_port() {
    let site = Site::new();
    // `--port` with the address the config names: the host stays, the
    // port is replaced (0: the kernel chooses one).
    site.write(
        "syndicated.toml",
        format!("{CONFIG}\n[server]\nlisten = \"[::1]:8080\"\n"),
    );
    let server = site.serve(&["--port", "0"]);
    assert_eq!(server.addr.ip(), std::net::Ipv6Addr::LOCALHOST);
    assert_ne!(server.addr.port(), 8080);
    assert_eq!(server.get("/all.rss").status, 200);
    drop(server);
    site.write("syndicated.toml", CONFIG);
    // A name, looked up; an IPv6 address in brackets.
    for host in ["localhost", "[::1]"] {
        let listen = format!("{host}:0");
        let server = site.serve(&["--listen", &listen]);
        assert!(server.addr.ip().is_loopback(), "{host}: {}", server.addr);
        assert_eq!(server.get("/all.atom").status, 200, "{host}");
    }
    // What is not an address says what one looks like.
    let run = site.run(&["serve", "--listen", "8080"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("localhost:8080"), "{}", run.stderr);
}

#[test]
fn config_names_a_file_or_the_site_folder() {
    let site = Site::sample();
    let folder = site.path().to_str().expect("a path").to_owned();
    for config in [folder.clone(), format!("{folder}/syndicated.toml")] {
        let run =
            crate::harness::run_in(std::path::Path::new("/"), &["--config", &config, "check"]);
        assert_eq!(run.code, 0, "{config}: {}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("8 篇文章"), "{}", run.stdout);
    }
}

#[test]
fn options_are_grouped_and_completions_and_the_manual_page_come_from_them() {
    let site = Site::new();
    let help = site.run(&["serve", "--help"]).stdout;
    let at = |text: &str| help.find(text).unwrap_or_else(|| panic!("{text}: {help}"));
    assert!(at("Serving:") < at("--listen") && at("--listen") < at("--port"));
    assert!(at("Folders:") < at("--out") && at("--port") < at("Folders:"));
    assert!(at("Site:") < at("--config") && at("Logging:") < at("--log-level"));
    for (shell, mark) in [
        ("bash", "_syndicated()"),
        ("zsh", "#compdef syndicated"),
        ("fish", "complete -c syndicated"),
    ] {
        let run = site.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}");
        assert!(run.stdout.contains(mark), "{shell}: {}", run.stdout);
        assert!(run.stdout.contains("--listen"), "{shell}");
    }
    let man = site.run(&["manpage"]);
    assert_eq!(man.code, 0);
    assert!(man.stdout.contains(".TH syndicated 1"), "{}", man.stdout);
    assert!(man.stdout.contains("completions"));
}

/// Regression: the manual page had only the options and pointed at
/// `syndicated-serve(1)` and other pages that do not exist. `man` shows
/// every section a manual page has, without a roff warning, each command
/// with its own arguments, and every variable an option reads.
#[test]
#[ignore = "needs man (Debian: man-db): run ./test"]
fn the_manual_page_has_every_section_and_names_no_missing_page() {
    let site = Site::new();
    let man = site.run(&["manpage"]);
    assert_eq!(man.code, 0);
    let page = site.path().join("syndicated.1");
    std::fs::write(&page, &man.stdout).expect("the page");
    let shown = std::process::Command::new("man")
        .args(["--warnings", "-P", "cat", "-l"])
        .arg(&page)
        .env("MANWIDTH", "100")
        .output()
        .expect("man (Debian: man-db)");
    let (text, warnings) = (
        String::from_utf8_lossy(&shown.stdout),
        String::from_utf8_lossy(&shown.stderr),
    );
    assert!(shown.status.success() && warnings.is_empty(), "{warnings}");
    let mut at = 0;
    for heading in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "COMMANDS",
        "FILES",
        "ENVIRONMENT",
        "EXIT STATUS",
        "EXAMPLES",
        "SEE ALSO",
    ] {
        let found = text[at..]
            .find(&format!("\n{heading}\n"))
            .unwrap_or_else(|| panic!("no {heading} after byte {at}:\n{text}"));
        at += found + 1;
    }
    let named_pages = text.split("syndicated-").skip(1).filter(|rest| {
        let word = rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '-');
        word.starts_with('(')
    });
    assert_eq!(
        named_pages.count(),
        0,
        "a page that does not exist:\n{text}"
    );
    for shown_too in [
        "syndicated [OPTIONS] new TITLE [--dir DIR]",
        "--out <DIR>",
        "SYNDICATED_STATE",
        "SYNDICATED_LANGUAGE",
        "/var/lib/syndicated-state",
        "syndicated init news --language zh-CN",
    ] {
        assert!(text.contains(shown_too), "{shown_too}:\n{text}");
    }
}

/// Completing `--log-level`, `--log-format` and `--language` offered file
/// names: each offers its values.
#[test]
fn completions_offer_each_options_values() {
    let site = Site::new();
    let bash = site.run(&["completions", "bash"]).stdout;
    for (option, values) in [
        ("--log-level", "off error warn info debug trace"),
        ("--log-format", "auto human journal json"),
        ("--language", "en zh-CN zh-TW"),
    ] {
        let case = bash
            .split(&format!("{option})"))
            .nth(1)
            .unwrap_or_else(|| panic!("{option} has a case: {bash}"));
        let offered: String = case.lines().take(2).collect();
        assert!(
            offered.contains(&format!("compgen -W \"{values}\"")),
            "{option}: {offered}"
        );
    }
}

#[test]
fn init_writes_a_site_in_the_users_language_that_serves_at_once() {
    for (lang, title, comment) in [
        ("zh_CN.UTF-8", "欢迎使用 syndicated", "每个键的说明"),
        ("zh_TW.UTF-8", "歡迎使用 syndicated", "每個鍵的說明"),
        (
            "en_US.UTF-8",
            "Welcome to syndicated",
            "describes every key",
        ),
    ] {
        let dir = tempfile::tempdir().expect("a folder");
        let init = std::process::Command::new(env!("CARGO_BIN_EXE_syndicated"))
            .arg("init")
            .arg(dir.path())
            .env("LC_ALL", lang)
            .output()
            .expect("run init");
        assert!(init.status.success(), "{init:?}");
        let config = std::fs::read_to_string(dir.path().join("syndicated.toml")).expect("config");
        assert!(config.contains(comment), "{lang}: {config}");
        // It serves at once, a feed with the example article, and checks clean.
        let site = Site::from_dir(dir);
        // Ready to try, not to publish: check says so, and why.
        let check = site.run(&["check", "--language", "en"]);
        assert_eq!(check.code, 0, "{}", check.stdout);
        assert!(
            check.stdout.contains("0 errors, 2 warnings"),
            "{}",
            check.stdout
        );
        assert!(
            check.stdout.contains(
                "warning: `site.base_url` is http://localhost:8080/, on this machine"
            ) && check
                .stdout
                .contains("warning: `site.authority` is localhost, and it becomes part of every article's permanent id"),
            "{}",
            check.stdout
        );
        let server = site.serve(&[]);
        let feed = server.get("/all.atom");
        assert_eq!(feed.titles(), [title], "{lang}");
        // Served on a port the system chose, not the 8080 of its base_url:
        // self links and pages name the address really listened on.
        let port = server.url("/").split(':').nth(2).expect("a port")[..]
            .trim_end_matches('/')
            .to_owned();
        let home = format!("http://localhost:{port}/");
        let feed = feed.text();
        assert!(feed.contains(&format!("href=\"{home}all.atom\"")), "{feed}");
        assert!(!feed.contains("localhost:8080"), "{feed}");
        assert!(server.get("/").text().contains(&home), "the subscribe page");
        let said = format!("open {home}");
        assert!(server.log().iter().any(|l| l.contains(&said)), "{said}");
        drop(server);
        // A second init there writes nothing over it.
        let again = site.run(&["init"]);
        assert_eq!(again.code, 1);
        assert!(again.stderr.contains("exists already"), "{}", again.stderr);
    }
}

#[test]
fn new_writes_a_draft_that_check_accepts_named_after_its_title() {
    let site = Site::sample();
    let run = site.run(&["new", "拱墅区：运河边的“共富”故事"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = std::path::PathBuf::from(run.stdout.trim());
    assert!(
        path.ends_with("拱墅区-运河边的-共富-故事.md"),
        "{}",
        path.display()
    );
    let text = std::fs::read_to_string(site.path().join(&path)).expect("the article");
    assert!(
        text.contains("title: \"拱墅区：运河边的“共富”故事\""),
        "{text}"
    );
    assert!(text.contains("+08:00"), "dated in the site's zone: {text}");
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("1 篇草稿"), "{}", check.stdout);
    // The same title again: a second file, not the first overwritten.
    let second = site.run(&["new", "拱墅区：运河边的“共富”故事"]);
    assert!(
        second.stdout.trim().ends_with("故事-2.md"),
        "{}",
        second.stdout
    );
}

#[test]
fn preview_shows_drafts_and_scheduled_articles_marked_and_keeps_nothing() {
    let site = Site::new();
    site.article(
        "a.md",
        "title: 已发布\ndate: 2024-06-01T08:00:00+08:00",
        "正文。",
    );
    site.article(
        "b.md",
        "title: 还在写\ndate: 2024-06-02T08:00:00+08:00\ndraft: true",
        "草稿正文。",
    );
    site.article(
        "c.md",
        "title: 明年见\ndate: 2099-01-01T08:00:00+08:00",
        "以后。",
    );
    let mirror = site.path().join("mirror");
    let mirror_arg = mirror.to_str().expect("a path");

    let plain = site.serve(&[]);
    assert_eq!(plain.get("/all.atom").titles(), ["已发布"]);
    drop(plain);

    let state = site.path().join("state");
    let preview = site.serve(&[
        "--preview",
        "--out",
        mirror_arg,
        "--state",
        state.to_str().expect("a path"),
    ]);
    let reply = preview.get("/all.atom");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(
        reply.titles(),
        [
            "[定时发布 2099-01-01 08:00] 明年见",
            "[草稿] 还在写",
            "已发布"
        ]
    );
    assert_eq!(preview.get("/").header("cache-control"), Some("no-store"));
    assert!(!mirror.exists(), "a preview writes no mirror");
    assert!(!state.exists(), "a preview remembers nothing");
    // No other page may read it, nor another host's name.
    assert_eq!(reply.header("access-control-allow-origin"), None);
    let browser = preview.request(
        "GET",
        "/all.rss",
        &[("accept", "text/html,application/xml;q=0.9")],
    );
    assert_eq!(browser.header("cache-control"), Some("no-store"));
    let rebound = preview
        .exchange(b"GET /all.atom HTTP/1.1\r\nHost: news.example\r\nConnection: close\r\n\r\n");
    assert!(rebound.starts_with("HTTP/1.1 403"), "{rebound}");
    drop(preview);
    // And it listens on this machine only.
    let open = site.run(&["serve", "--preview", "--listen", "0.0.0.0:0"]);
    assert_eq!(open.code, 1);
    assert!(open.stderr.contains("this machine only"), "{}", open.stderr);
}

/// `--log-level debug` is for the daemon's own messages: the HTML parser
/// narrates every token of every article at that level, which buried them.
#[test]
fn debug_logging_is_not_flooded_by_the_html_parser() {
    let site = Site::sample();
    for level in ["debug", "trace", "DEBUG", "4"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_syndicated"))
            .args(["--log-level", level, "build", "--out", "out"])
            .current_dir(site.path())
            .env_remove("RUST_LOG")
            .env_remove("SYNDICATED_LOG_LEVEL")
            .output()
            .expect("syndicated runs");
        assert!(output.status.success(), "{output:?}");
        let log = String::from_utf8_lossy(&output.stderr);
        assert!(
            !log.contains("insertion mode") && log.lines().count() < 100,
            "at {level}: {} lines, starting {:?}",
            log.lines().count(),
            log.lines().take(3).collect::<Vec<_>>()
        );
    }
}

/// Every command refuses what it does not use: serve's options before
/// another command were silently ignored, and a log level nobody knows was
/// taken as the default.
#[test]
fn options_a_command_does_not_use_are_refused_not_ignored() {
    let site = Site::sample();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_syndicated"))
            .args(args)
            .envs(env.iter().copied())
            .env_remove("SYNDICATED_LOG_LEVEL")
            .current_dir(site.path())
            .output()
            .expect("syndicated runs")
    };
    let refused = run(&["--preview", "--port", "9", "check"], &[]);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.starts_with("error: `--port` and `--preview` are options of `serve`, not of `check`"),
        "{said}"
    );
    let before_serve = run(&["--port", "9", "serve"], &[]);
    assert_eq!(before_serve.status.code(), Some(2), "{before_serve:?}");
    assert!(
        String::from_utf8_lossy(&before_serve.stderr).contains("give it after `serve`"),
        "{before_serve:?}"
    );
    let loud = run(&["--log-level", "loud", "check"], &[]);
    assert_eq!(loud.status.code(), Some(2), "{loud:?}");
    assert!(
        String::from_utf8_lossy(&loud.stderr).contains("invalid value 'loud' for '--log-level"),
        "{loud:?}"
    );
    // The environment is for every command: a unit's SYNDICATED_PORT does
    // not stop an operator's `check`.
    let from_env = run(
        &["check"],
        &[("SYNDICATED_PORT", "9"), ("SYNDICATED_POLL", "true")],
    );
    assert_eq!(from_env.status.code(), Some(0), "{from_env:?}");
    for level in ["WARN", "off", "0"] {
        let quiet = run(&["--log-level", level, "check"], &[]);
        assert_eq!(quiet.status.code(), Some(0), "{level}: {quiet:?}");
    }
}

/// Regression: `new ""` wrote a file that `check` then refused (no title).
/// An empty or blank title is refused, in the site's language, and
/// nothing is written.
#[test]
fn new_refuses_an_empty_title() {
    let site = Site::new();
    let files = || walkdir::WalkDir::new(site.path()).into_iter().count();
    let before = files();
    for title in ["", "   "] {
        let run = site.run(&["new", title]);
        assert_ne!(run.code, 0, "{run:#?}");
        assert!(run.stderr.contains("`new` 需要一个标题"), "{run:#?}");
    }
    assert_eq!(files(), before, "nothing written");
}

/// `check` says when a site is not ready to publish, and why: a `base_url`
/// on a name reserved for examples, and a feed that shows nothing (readers
/// would get it empty, dated 1970).
#[test]
fn check_says_when_a_site_is_not_ready() {
    let site = Site::new();
    site.write(
        "syndicated.toml",
        CONFIG.replace("https://news.example/", "https://www.example.com/"),
    );
    site.article("a.md", "title: 甲\ndate: 2024-06-28", "正文。\n");
    site.write(
        "feeds/empty.toml",
        "title = \"空\"\n[filter]\ntags = [\"没有\"]\n",
    );
    let run = site.run(&["check", "--language", "en"]);
    assert_eq!(run.code, 0, "warnings only: {run:#?}");
    for said in [
        "syndicated.toml:3: warning: `site.base_url` is https://www.example.com/, a name reserved for examples",
        "feeds/empty.toml: warning: `empty` shows no item yet: readers get an empty feed, dated 1970-01-01",
    ] {
        assert!(run.stdout.contains(said), "{said}\n{run:#?}");
    }
}

/// Start-up errors give the next step: no config suggests `init`; a port
/// another program holds names it, when it can be found, and suggests
/// `--port`.
#[test]
fn start_up_errors_say_the_next_step() {
    let empty = tempfile::tempdir().expect("a folder");
    let run = crate::harness::run_in(empty.path(), &["check"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.contains(
            "syndicated.toml: there is no config file here: run `syndicated init` to write a new site"
        ),
        "{run:#?}"
    );
    // This test process holds the port.
    let holder = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = holder.local_addr().expect("address").port();
    let site = Site::new();
    let listen = format!("127.0.0.1:{port}");
    let run = site.run(&["serve", "--listen", &listen]);
    assert_ne!(run.code, 0, "{run:#?}");
    let said = format!(
        "cannot listen on {listen}: {} (process {}) is listening there; stop it, or serve on another port with --port {}",
        std::fs::read_to_string("/proc/self/comm")
            .expect("comm")
            .trim(),
        std::process::id(),
        port + 1
    );
    assert!(run.stderr.contains(&said), "{said}\n{run:#?}");
}
