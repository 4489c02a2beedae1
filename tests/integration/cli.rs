use crate::harness::Site;

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
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stdout,
        "6 articles, 4 feeds, 0 drafts, 0 scheduled, 0 errors, 0 warnings\n"
    );
    assert!(!site.path().join("public").exists(), "check writes nothing");
}

#[test]
fn no_command_builds_the_site_and_says_where() {
    let site = Site::sample();
    let run = site.run(&[]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stdout,
        "wrote 14 files to public (6 articles, 4 feeds, 0 drafts, 0 scheduled, 0 errors, 0 warnings)\n"
    );
    assert!(site.path().join("public/all.json").is_file());
}

#[test]
fn unknown_front_matter_keys_are_warnings() {
    let site = Site::new();
    site.article("a.md", "title: 标题\ndate: 2024-06-28\nweight: 3", "正文");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "content/a.md:4: warning: unknown front matter key `weight` is ignored\n1 article, 1 feed, 0 drafts, 0 scheduled, 0 errors, 1 warning\n"
    );
}
